// Lint rules. The one that matters most: src/emu is the deterministic machine and may not reach
// the host (Node modules, VS Code, the clock, randomness) except through src/emu/host; and
// src/replay and src/shared are pure logic over the machine and bytes, under the same rule.
import tseslint from 'typescript-eslint';

const hostModules = ['fs', 'os', 'net', 'dgram', 'child_process', 'worker_threads', 'crypto', 'perf_hooks', 'timers', 'readline', 'process'];
const restrictedImports = [
  ...hostModules.flatMap((m) => [m, `node:${m}`]).map((name) => ({ name, message: 'src/emu, src/replay and src/shared must not reach the host: go through src/emu/host.' })),
  { name: 'vscode', message: 'src/emu, src/replay and src/shared know nothing of VS Code.' },
];
const restrictedGlobals = ['setTimeout', 'setInterval', 'setImmediate', 'performance', 'process', 'require']
  .map((name) => ({ name, message: 'src/emu, src/replay and src/shared must not read the clock or the host: go through src/emu/host.' }));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test/guests/**', 'out/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['src/emu/**/*.ts', 'src/replay/**/*.ts', 'src/shared/**/*.ts', 'src/debuginfo/**/*.ts'],
    ignores: ['src/emu/host/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: restrictedImports, patterns: [{ group: ['**/host/*-backend*', '../../cli/*', '../cli/*'], message: 'Backends are chosen by the CLI, not the machine.' }] }],
      'no-restricted-globals': ['error', ...restrictedGlobals],
      'no-restricted-properties': ['error',
        { object: 'Date', property: 'now', message: 'No clock in src/emu.' },
        { object: 'Math', property: 'random', message: 'No randomness in src/emu.' }],
      'no-restricted-syntax': ['error', { selector: "NewExpression[callee.name='Date']", message: 'No clock in src/emu.' }],
    },
  },
  {
    // src/debuginfo: pure functions over an executable's bytes for the debugger. Besides the rules
    // above, it sees the ELF reader and shared types, and nothing of the machine or the layers above.
    files: ['src/debuginfo/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: restrictedImports,
        patterns: [{
          group: ['../emu/**', '!../emu/elf.js', '../cli/**', '../replay/**', '../engine/**', '../adapter/**', '../gdbstub/**', '../extension/**'],
          message: 'src/debuginfo may import only src/emu/elf.ts and src/shared.',
        }],
      }],
    },
  },
  {
    // The timeline webview runs in the browser and talks to its host by messages only.
    files: ['media/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/src/*', '!**/src/shared'], message: 'The webview imports only src/shared (and its own files).' }] }],
    },
  },
);
