// The guest console terminal's text: new lines at column 0 however the guest ends its lines,
// typing sent while recording at the live edge, queued with one note inside history, refused with
// one note in a replay and after the session.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GuestConsoleText } from '../../src/extension/guest-console.js';

test('output: a lone \\n becomes \\r\\n, \\r\\n stays, also when split between two writes', () => {
  const t = new GuestConsoleText();
  assert.equal(t.output('a\nb\r\nc'), 'a\r\nb\r\nc');
  assert.equal(t.output('d\r'), 'd\r');
  assert.equal(t.output('\ne\n\n'), '\ne\r\n\r\n');
  assert.equal(t.output('é\n'), 'é\r\n');
});

test('input while recording: sent at the live edge; inside history sent with one note until the next output', () => {
  const t = new GuestConsoleText();
  assert.deepEqual(t.input('ls\r'), { send: 'ls\r' });
  t.setPosition('record', false);
  const first = t.input('x');
  assert.equal(first.send, 'x');
  assert.match(first.note ?? '', /reaches the guest when execution returns to the live edge/);
  assert.deepEqual(t.input('y'), { send: 'y', note: undefined });
  t.output('guest output');
  assert.match(t.input('z').note ?? '', /^\r\n.*live edge/, 'a note after output starts on its own line');
  t.setPosition('record', true);
  assert.deepEqual(t.input('w'), { send: 'w' });
});

test('input in a replay and after the session: nothing sent, one note saying why', () => {
  const t = new GuestConsoleText();
  t.setPosition('replay', false);
  const note = t.input('q');
  assert.equal(note.send, undefined);
  assert.match(note.note ?? '', /read-only: its console input is in the log/);
  assert.deepEqual(t.input('q'), { note: undefined });
  t.setPosition('ended', false);
  assert.match(t.input('q').note ?? '', /session has ended/);
});
