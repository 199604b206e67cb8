// The GDB remote protocol's framing and acknowledgements: checksums, the `}` escape both ways,
// packets split anywhere across reads, the interrupt byte, garbage between packets, bad and
// malformed checksums, oversize packets, and the channel's `+`/`-`, retransmission and no-ack
// mode. The parser must never throw, whatever it is fed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  RspParser, checksum, escapeBinary, framePacket, latin1Bytes, latin1Text, unescapeBinary, type RspEvent,
} from '../../src/gdbstub/rsp-packet.js';
import { RspChannel } from '../../src/gdbstub/rsp-channel.js';
import { fromHex, le32Hex, parseHex32, parseLe32Hex, toHex } from '../../src/gdbstub/rsp-hex.js';

const text = (b: Uint8Array): string => latin1Text(b);

/** Events with payloads as text, for comparing. */
function feed(parser: RspParser, ...chunks: string[]): unknown[] {
  return chunks.flatMap((c) => parser.feed(latin1Bytes(c))).map(show);
}

function show(e: RspEvent): unknown {
  if (e.kind === 'packet' || e.kind === 'bad-checksum') return { kind: e.kind, payload: text(e.payload) };
  return e;
}

test('checksums are the sum of the payload bytes modulo 256, as gdb computes them', () => {
  // Checksums as gdb-multiarch 13 sent them to QEMU (its `set debug remote 1` log).
  assert.equal(checksum(latin1Bytes('g')), 0x67);
  assert.equal(checksum(latin1Bytes('qSymbol::')), 0x5b);
  assert.equal(checksum(latin1Bytes('vCont;c:p1.-1')), 0x0f);
  assert.equal(text(framePacket('OK')), '$OK#9a');
  assert.equal(text(framePacket('')), '$#00');
  assert.equal(text(framePacket('T05thread:1;')), `$T05thread:1;#${checksum(latin1Bytes('T05thread:1;')).toString(16).padStart(2, '0')}`);
});

test('replies escape $ # } and * (so gdb never sees a run-length marker), and the checksum covers what is sent', () => {
  const framed = text(framePacket(Uint8Array.of(0x24, 0x23, 0x7d, 0x2a, 0x41, 0x03)));
  assert.equal(framed.slice(0, 10), '$}\x04}\x03}]}\x0aA');
  assert.equal(framed[10], '\x03', '0x03 is not reserved inside a packet');
  const body = framed.slice(1, framed.indexOf('#', 10));
  assert.equal(framed.slice(-2), checksum(latin1Bytes(body)).toString(16).padStart(2, '0'));
});

test('escaping round-trips every byte value, and a dangling escape is refused', () => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  const escaped = escapeBinary(all);
  assert.equal(escaped.length, 256 + 4);
  assert.ok(!escaped.some((b, i) => (b === 0x24 || b === 0x23 || b === 0x2a) && escaped[i - 1] !== 0x7d));
  assert.deepEqual(unescapeBinary(escaped), all);
  assert.equal(unescapeBinary(Uint8Array.of(0x41, 0x7d)), undefined);
  assert.deepEqual(unescapeBinary(latin1Bytes('a}]b')), latin1Bytes('a}b'));
});

test('a packet is found wherever the reads split it, with acks, nacks and the interrupt byte between packets', () => {
  const stream = '+$m80000000,4#55-\x03$qSupported:swbreak+;hwbreak+#ab';
  const goodCs = checksum(latin1Bytes('qSupported:swbreak+;hwbreak+')).toString(16).padStart(2, '0');
  const wire = stream.replace('#ab', `#${goodCs}`);
  const expected = [
    { kind: 'ack' },
    { kind: 'packet', payload: 'm80000000,4' },
    { kind: 'nack' },
    { kind: 'interrupt' },
    { kind: 'packet', payload: 'qSupported:swbreak+;hwbreak+' },
  ];
  assert.deepEqual(feed(new RspParser(4096), wire), expected);
  for (let cut = 1; cut < wire.length; cut++) {
    assert.deepEqual(feed(new RspParser(4096), wire.slice(0, cut), wire.slice(cut)), expected, `split at ${cut}`);
  }
  assert.deepEqual(feed(new RspParser(4096), ...wire.split('')), expected, 'one byte at a time');
});

test('inside a packet, 0x03, * and } are data; an X payload is handed over still escaped', () => {
  const payload = 'X80000000,4:\x03*}]';
  const p = new RspParser(4096);
  const events = p.feed(framePacket(payload)); // framePacket escapes the } and the *
  assert.equal(events.length, 1);
  const e = events[0];
  assert.equal(e.kind, 'packet');
  if (e.kind !== 'packet') return;
  assert.equal(text(e.payload), 'X80000000,4:\x03}\x0a}]]');
  assert.equal(text(unescapeBinary(e.payload)!), payload);
});

test('garbage between packets is skipped; uppercase checksum digits are accepted', () => {
  assert.deepEqual(feed(new RspParser(4096), 'hello\r\n#00$g#67 junk $?#3F'), [
    { kind: 'packet', payload: 'g' },
    { kind: 'packet', payload: '?' },
  ]);
});

test('a wrong checksum, a checksum that is not hex, and a packet cut short by a new $ are reported, and parsing goes on', () => {
  assert.deepEqual(feed(new RspParser(4096), '$g#68$g#67'), [
    { kind: 'bad-checksum', payload: 'g' },
    { kind: 'packet', payload: 'g' },
  ]);
  // `#6$`: the $ that breaks the checksum starts the next packet.
  assert.deepEqual(feed(new RspParser(4096), '$g#6$g#67'), [
    { kind: 'bad-checksum', payload: 'g' },
    { kind: 'packet', payload: 'g' },
  ]);
  assert.deepEqual(feed(new RspParser(4096), '$m8000$g#67'), [{ kind: 'packet', payload: 'g' }]);
});

test('a packet over the limit is reported once, without keeping it, and the next packet is parsed', () => {
  const big = 'M80000000,1000:' + '00'.repeat(0x1000);
  const p = new RspParser(256);
  const events = [...p.feed(framePacket(big)), ...p.feed(framePacket('g'))].map(show);
  assert.deepEqual(events, [
    { kind: 'oversize', length: big.length, checksumOk: true },
    { kind: 'packet', payload: 'g' },
  ]);
  const exact = 'x'.repeat(256);
  assert.deepEqual(feed(new RspParser(256), text(framePacket(exact))), [{ kind: 'packet', payload: exact }]);
});

test('the parser never throws, whatever it is fed', () => {
  let seed = 12345;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed;
  };
  const p = new RspParser(64);
  for (let i = 0; i < 2000; i++) {
    const chunk = Uint8Array.from({ length: random() % 40 }, () => {
      const r = random() % 10;
      return r === 0 ? 0x24 : r === 1 ? 0x23 : r === 2 ? 0x7d : r === 3 ? 0x03 : random() & 0xff;
    });
    p.feed(chunk);
  }
  assert.deepEqual(feed(p, '#00$g#67').slice(-1), [{ kind: 'packet', payload: 'g' }]);
});

/** A channel over a recorded wire. */
function channel(maxPayload = 4096): { ch: RspChannel; wire: string[]; got: string[]; logs: string[] } {
  const wire: string[] = [];
  const got: string[] = [];
  const logs: string[] = [];
  const ch = new RspChannel((b) => wire.push(text(b)), {
    packet: (p) => got.push(text(p)),
    interrupt: () => got.push('<interrupt>'),
    oversize: (n) => got.push(`<oversize ${n}>`),
  }, maxPayload, (l) => logs.push(l));
  return { ch, wire, got, logs };
}

test('ack mode: every good packet is acknowledged with +, a bad one with - (and not handed on), a - resends the last reply', () => {
  const { ch, wire, got } = channel();
  ch.receive(latin1Bytes('$g#67'));
  assert.deepEqual(wire, ['+']);
  ch.send('OK');
  ch.receive(latin1Bytes('-'));
  assert.deepEqual(wire, ['+', '$OK#9a', '$OK#9a']);
  ch.receive(latin1Bytes('+$g#00'));
  assert.deepEqual(wire.slice(3), ['-']);
  ch.receive(latin1Bytes('\x03'));
  assert.deepEqual(got, ['g', '<interrupt>']);
});

test('no-ack mode: nothing is acknowledged, a - resends nothing, and a bad checksum is taken as it came (as gdbserver does)', () => {
  const { ch, wire, got, logs } = channel();
  ch.receive(latin1Bytes('$QStartNoAckMode#b0'));
  ch.send('OK');
  ch.stopAcknowledging();
  assert.deepEqual(wire, ['+', '$OK#9a']);
  ch.receive(latin1Bytes('+$g#67-$?#00'));
  assert.deepEqual(wire, ['+', '$OK#9a']);
  assert.deepEqual(got, ['QStartNoAckMode', 'g', '?']);
  assert.match(logs.join('\n'), /bad checksum.*no-ack mode/);
});

test('an oversize packet is acknowledged (it arrived) and handed on to be refused; a damaged one is asked for again', () => {
  const { ch, wire, got } = channel(16);
  ch.receive(framePacket('m80000000,4' + 'x'.repeat(20)));
  assert.deepEqual(wire, ['+']);
  assert.deepEqual(got, ['<oversize 31>']);
  ch.receive(latin1Bytes('$' + 'y'.repeat(40) + '#00'));
  assert.deepEqual(wire, ['+', '-']);
});

test('hex helpers are strict: odd lengths, non-hex and values over 32 bits are refused', () => {
  assert.equal(toHex(Uint8Array.of(0, 0xab, 0x10)), '00ab10');
  assert.deepEqual(fromHex('00aB10'), Uint8Array.of(0, 0xab, 0x10));
  assert.equal(fromHex('abc'), undefined);
  assert.equal(fromHex('zz'), undefined);
  assert.equal(parseHex32('80000000'), 0x8000_0000);
  assert.equal(parseHex32('100000000'), undefined);
  assert.equal(parseHex32(''), undefined);
  assert.equal(parseHex32('12g'), undefined);
  assert.equal(le32Hex(0x8000_0004), '04000080');
  assert.equal(le32Hex(-1), 'ffffffff');
  assert.equal(parseLe32Hex('04000080'), 0x8000_0004);
  assert.equal(parseLe32Hex('0400008'), undefined);
});
