// The TextMate grammar of the dump text (syntaxes/rvreplay-dump.tmLanguage.json), run on lines
// that formatEvent prints. A small single-line TextMate matcher stands in for VS Code's (same
// rules: the earliest match wins, ties go to the earlier pattern, a rule's end is tried first);
// the grammar's regexes use only syntax that Oniguruma and JavaScript read alike.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatEvent } from '../../src/replay/log/event-text.js';
import { EventKind, EVENT_KIND_NAMES } from '../../src/shared/log-events.js';
import { SeededRandom, randomEvent } from './log-sample-events.js';

interface Rule {
  include?: string;
  match?: string;
  begin?: string;
  end?: string;
  name?: string;
  captures?: Record<string, { name: string }>;
  beginCaptures?: Record<string, { name: string }>;
  endCaptures?: Record<string, { name: string }>;
  patterns?: Rule[];
}

interface Grammar {
  scopeName: string;
  patterns: Rule[];
  repository: Record<string, Rule>;
}

const GRAMMAR = JSON.parse(readFileSync(join(__dirname, '..', '..', 'syntaxes', 'rvreplay-dump.tmLanguage.json'), 'utf8')) as Grammar;

function resolve(rules: Rule[]): Rule[] {
  return rules.flatMap((r) => (r.include !== undefined ? resolve([GRAMMAR.repository[r.include.slice(1)]]) : [r]));
}

/** The scopes of each character of `line`. */
function tokenize(line: string): string[][] {
  const scopes: string[][] = Array.from({ length: line.length }, () => []);
  const paint = (from: number, to: number, name: string | undefined): void => {
    if (name !== undefined) for (let i = from; i < to; i++) scopes[i].push(name);
  };
  const paintMatch = (m: RegExpExecArray, name: string | undefined, captures: Rule['captures']): void => {
    paint(m.index, m.index + m[0].length, name);
    for (const [group, c] of Object.entries(captures ?? {})) {
      const span = m.indices?.[Number(group)];
      if (span !== undefined) paint(span[0], span[1], c.name);
    }
  };
  const stack: { rule: Rule; patterns: Rule[]; start: number }[] = [{ rule: {}, patterns: resolve(GRAMMAR.patterns), start: 0 }];
  let pos = 0;
  for (let guard = 0; guard < 10_000; guard++) {
    const top = stack[stack.length - 1];
    const candidates: { rule: Rule; regex: string; isEnd: boolean }[] = [];
    if (top.rule.end !== undefined) candidates.push({ rule: top.rule, regex: top.rule.end, isEnd: true });
    for (const r of top.patterns) candidates.push({ rule: r, regex: (r.match ?? r.begin)!, isEnd: false });
    let best: { c: (typeof candidates)[number]; m: RegExpExecArray } | undefined;
    for (const c of candidates) {
      const re = new RegExp(c.regex, 'gd');
      re.lastIndex = pos;
      const m = re.exec(line);
      if (m !== null && (best === undefined || m.index < best.m.index)) best = { c, m };
    }
    if (best === undefined) return scopes;
    const { c, m } = best;
    const after = m.index + m[0].length;
    if (c.isEnd) {
      paintMatch(m, undefined, c.rule.endCaptures);
      paint(top.start, after, c.rule.name);
      stack.pop();
      if (stack.length === 0 || (after === pos && after >= line.length)) return scopes;
    } else if (c.rule.begin !== undefined) {
      paintMatch(m, undefined, c.rule.beginCaptures);
      stack.push({ rule: c.rule, patterns: resolve(c.rule.patterns ?? []), start: m.index });
    } else {
      paintMatch(m, c.rule.name, c.rule.captures);
    }
    pos = after === pos ? pos + 1 : after;
    if (pos > line.length) return scopes;
  }
  throw new Error(`the grammar loops on: ${line}`);
}

/** The scopes of the first character of the nth occurrence of `text` in `line`. */
function scopeAt(line: string, text: string, nth = 0): string[] {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = line.indexOf(text, at + 1);
  assert.ok(at >= 0, `'${text}' in '${line}'`);
  return tokenize(line)[at];
}

test('the grammar is named source.rvreplay-dump and its regexes compile', () => {
  assert.equal(GRAMMAR.scopeName, 'source.rvreplay-dump');
  const all = [...GRAMMAR.patterns, ...Object.values(GRAMMAR.repository)].flatMap((r) => [r, ...(r.patterns ?? [])]);
  for (const r of all) for (const re of [r.match, r.begin, r.end]) if (re !== undefined) new RegExp(re);
});

test('icounts are numbers and every kind name is a keyword', () => {
  for (const name of EVENT_KIND_NAMES.values()) {
    const line = `123 ${name}`;
    assert.ok(scopeAt(line, '123').some((s) => s.startsWith('constant.numeric.integer.icount')), line);
    assert.ok(scopeAt(line, name).some((s) => s.startsWith('keyword.other.event-kind')), line);
  }
  // A kind this build does not know is marked, not coloured as a keyword.
  assert.ok(scopeAt('5 kind-42', 'kind-42').some((s) => s.startsWith('invalid')));
});

test('fields, strings with escapes, hex, times and enumerated values get their scopes', () => {
  const serial = formatEvent({ kind: EventKind.SerialInput, icount: 9, device: 0, bytes: new Uint8Array([0x6c, 0x73, 0x0a, 0x1b, 0x22]) });
  assert.equal(serial, '9 serial-in dev=0 "ls\\n\\x1b\\""');
  assert.ok(scopeAt(serial, 'dev').some((s) => s.startsWith('variable.parameter.field')));
  assert.ok(scopeAt(serial, '=').some((s) => s.startsWith('punctuation.separator.key-value')));
  assert.ok(scopeAt(serial, '0').some((s) => s.startsWith('constant.numeric.integer.decimal')));
  assert.ok(scopeAt(serial, '"').some((s) => s.startsWith('punctuation.definition.string.begin')));
  for (const esc of ['\\n', '\\x1b', '\\"']) assert.ok(scopeAt(serial, esc).some((s) => s.startsWith('constant.character.escape')), esc);
  assert.ok(scopeAt(serial, 'ls').some((s) => s.startsWith('string.quoted.double')));
  const clock = formatEvent({ kind: EventKind.ClockRead, icount: 1, clock: 0, valueNs: 1_700_000_000_123_456_789n });
  assert.ok(scopeAt(clock, '2023-').some((s) => s.startsWith('constant.other.timestamp')));
  const digest = formatEvent({ kind: EventKind.Digest, icount: 1, regions: [5], pages: [] });
  assert.ok(scopeAt(digest, '0x').some((s) => s.startsWith('constant.numeric.integer.hexadecimal')));
  assert.ok(scopeAt(digest, 'sum').some((s) => s.startsWith('variable.parameter.field')));
  const input = formatEvent({ kind: EventKind.InputEvent, icount: 1, device: 0, type: 2, code: 1, value: -7 });
  assert.ok(scopeAt(input, '-7').some((s) => s.startsWith('constant.numeric.integer.decimal')));
  const shutdown = formatEvent({ kind: EventKind.Shutdown, icount: 1, reason: 1 });
  assert.ok(scopeAt(shutdown, 'host-signal').some((s) => s.startsWith('support.constant.value')));
  assert.ok(scopeAt('# a comment', 'a').some((s) => s.startsWith('comment.line')));
});

test('every character of a random dump line gets a scope but the spaces', () => {
  const rng = new SeededRandom(17);
  for (let i = 0; i < 300; i++) {
    const line = formatEvent(randomEvent(rng, rng.below(1e9)));
    const scopes = tokenize(line);
    for (let k = 0; k < line.length; k++) {
      if (line[k] !== ' ') assert.ok(scopes[k].length > 0, `'${line[k]}' at ${k} of ${line}`);
    }
  }
});
