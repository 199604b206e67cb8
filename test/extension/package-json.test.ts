// The extension's declarations agree with the code: the launch attributes package.json describes
// are exactly RvreplayLaunchArguments' properties, every contributed command is one the
// extension registers (and the other way round), menus name only those, the bundle needs nothing
// but VS Code and Node, and F5 without launch.json finds the ELF and records.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinModules } from 'node:module';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from '../../src/shared/commands.js';
import { resolveLaunch } from '../../src/extension/launch-defaults.js';

const ROOT = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  contributes: {
    debuggers: { type: string; program: string; configurationAttributes: { launch: { properties: Record<string, unknown>; required: string[] } } }[];
    commands: { command: string }[];
    menus: Record<string, { command: string }[]>;
    configuration: { properties: Record<string, { type: string; default: unknown }> };
  };
};

test('the launch attributes are exactly the properties of RvreplayLaunchArguments', () => {
  const source = readFileSync(join(ROOT, 'src', 'adapter', 'launch-arguments.ts'), 'utf8');
  const body = /interface RvreplayLaunchArguments[^{]*\{([\s\S]*?)\n\}/.exec(source)![1];
  const declared = [...body.matchAll(/^\s{2}(\w+)\??:/gm)].map((m) => m[1]).sort();
  const described = Object.keys(pkg.contributes.debuggers[0].configurationAttributes.launch.properties).sort();
  assert.deepEqual(described, declared);
  assert.deepEqual(pkg.contributes.debuggers[0].configurationAttributes.launch.required, ['program']);
  assert.equal(pkg.contributes.debuggers[0].type, 'rvreplay');
  assert.equal(pkg.contributes.debuggers[0].program, './dist/adapter.js');
});

test('contributed commands and registered commands are the same set; menus name only those', () => {
  const registered = Object.values(Command).sort();
  assert.deepEqual(pkg.contributes.commands.map((c) => c.command).sort(), registered);
  const extension = readFileSync(join(ROOT, 'src', 'extension', 'extension.ts'), 'utf8');
  for (const key of Object.keys(Command)) assert.match(extension, new RegExp(`registerCommand\\(Command\\.${key},`), `${key} is registered`);
  for (const [menu, items] of Object.entries(pkg.contributes.menus)) {
    for (const item of items) assert.ok((registered as string[]).includes(item.command), `${menu} names ${item.command}`);
  }
});

test('the settings the extension reads are the ones contributed, with the defaults the code assumes', () => {
  const dir = join(ROOT, 'src', 'extension');
  const read = new Map<string, string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(join(dir, file), 'utf8');
    for (const m of source.matchAll(/getConfiguration\('rvreplay'\)\.get<\w+>\('(\w+)', ([^)]+)\)/g)) read.set(`rvreplay.${m[1]}`, m[2]);
  }
  const contributed = pkg.contributes.configuration.properties;
  assert.deepEqual([...read.keys()].sort(), Object.keys(contributed).sort());
  for (const [key, fallback] of read) assert.equal(JSON.stringify(contributed[key].default), fallback, `${key}'s default`);
});

test('the bundled extension needs only vscode and Node built-ins', () => {
  const bundle = readFileSync(join(ROOT, 'dist', 'extension.js'), 'utf8');
  const required = new Set([...bundle.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]));
  const builtin = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
  for (const r of required) assert.ok(r === 'vscode' || builtin.has(r), `the bundle requires ${r}`);
  assert.ok(required.has('vscode'));
});

test('F5 without launch.json: the ELF in the editor, or the one picked, recorded; nothing to pick cancels', async () => {
  const never = async (): Promise<string | undefined> => assert.fail('no pick when the editor shows an ELF');
  assert.deepEqual(await resolveLaunch({}, { activeFile: '/w/fw.elf', pickElf: never }),
    { type: 'rvreplay', request: 'launch', name: 'rvreplay: record and debug', program: '/w/fw.elf', rr: 'record' });
  const picked = await resolveLaunch({}, { activeFile: '/w/main.c', pickElf: async () => '/w/build/fw.elf' });
  assert.equal(picked?.program, '/w/build/fw.elf');
  assert.equal(await resolveLaunch({}, { activeFile: undefined, pickElf: async () => undefined }), undefined);
  const given = { type: 'rvreplay', request: 'launch', name: 'mine', program: '/w/x.elf', rr: 'replay', rrfile: '/w/x.rr' };
  assert.deepEqual(await resolveLaunch(given, { activeFile: undefined, pickElf: never }), given);
});
