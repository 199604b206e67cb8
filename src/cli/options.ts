// A small declarative command-line parser: each command lists its options once, and the same
// list parses argv and writes the --help text, so the two cannot disagree.

import { CliError } from './cli-error.js';

export interface OptionSpec<T> {
  /** Long name without dashes, e.g. 'max-insns'. */
  name: string;
  /** Placeholder for the value (e.g. 'N'); absent for a flag. */
  value?: string;
  help: string;
  /** Converts the text; throws CliError on a bad value. Flags get 'true'. */
  parse(text: string): T;
  default?: T;
  /** May be given more than once: the values are collected, in order, into an array. */
  repeatable?: boolean;
}

export interface CommandSpec {
  name: string;
  /** Positional arguments, e.g. ['<elf>']. */
  args: string[];
  summary: string;
  options: OptionSpec<unknown>[];
}

export interface ParsedCommand {
  positional: string[];
  options: Map<string, unknown>;
}

export function integerOption(name: string, value: string, help: string, min: number, max: number, dflt?: number): OptionSpec<number> {
  return {
    name, value, help, default: dflt,
    parse(text) {
      const n = /^(0x[0-9a-f]+|\d+)$/i.test(text.replace(/_/g, '')) ? Number(text.replace(/_/g, '')) : NaN;
      if (!Number.isSafeInteger(n) || n < min || n > max) throw new CliError(`--${name} takes an integer from ${min} to ${max}, not '${text}'`);
      return n;
    },
  };
}

export function stringOption(name: string, value: string, help: string, dflt?: string): OptionSpec<string> {
  return {
    name, value, help, default: dflt,
    parse(text) {
      if (text === '') throw new CliError(`--${name} needs a value (${value})`);
      return text;
    },
  };
}

/** A string option that may be given several times (`--drive A --drive B`): its value is string[]. */
export function listOption(name: string, value: string, help: string): OptionSpec<string> {
  return { ...stringOption(name, value, help), repeatable: true };
}

export function flagOption(name: string, help: string): OptionSpec<boolean> {
  return { name, help, default: false, parse: () => true };
}

export function parseCommand(spec: CommandSpec, argv: string[]): ParsedCommand {
  const options = new Map<string, unknown>();
  const positional: string[] = [];
  for (const o of spec.options) if (o.default !== undefined) options.set(o.name, o.default);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--') || arg === '--') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const o = spec.options.find((x) => x.name === name);
    if (o === undefined) throw new CliError(`unknown option --${name} for '${spec.name}' (see rvreplay ${spec.name} --help)`);
    let text = 'true';
    if (o.value !== undefined) {
      if (eq >= 0) text = arg.slice(eq + 1);
      else if (i + 1 < argv.length) text = argv[++i];
      else throw new CliError(`--${name} needs a value (${o.value})`);
    } else if (eq >= 0) {
      throw new CliError(`--${name} takes no value`);
    }
    const parsed = o.parse(text);
    if (o.repeatable) options.set(name, [...((options.get(name) as unknown[] | undefined) ?? []), parsed]);
    else options.set(name, parsed);
  }
  if (positional.length !== spec.args.length) {
    throw new CliError(`'${spec.name}' takes ${spec.args.join(' ')}; usage: rvreplay ${usageLine(spec)}`);
  }
  return { positional, options };
}

export function usageLine(spec: CommandSpec): string {
  return `${spec.name} ${spec.args.join(' ')} [options]`;
}

export function commandHelp(spec: CommandSpec): string {
  const rows = spec.options.map((o) => [`--${o.name}${o.value ? ` ${o.value}` : ''}`, o.help + (o.repeatable ? ' (may be repeated)' : '') + (o.default !== undefined && o.value ? ` (default ${String(o.default)})` : '')]);
  const width = Math.max(...rows.map((r) => r[0].length), 10) + 2;
  return [
    `usage: rvreplay ${usageLine(spec)}`,
    '',
    spec.summary,
    '',
    'options:',
    ...rows.map(([l, r]) => `  ${l.padEnd(width)}${r}`),
    `  ${'--help'.padEnd(width)}show this help`,
  ].join('\n');
}
