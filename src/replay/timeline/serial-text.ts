// The serial console as it was at an icount: the runs of output and the input bytes the log
// records up to there, latest last, at most maxBytes of them, with the output bytes filled in
// from a SerialOutputSource when there is one (the log holds only their counts). Byte offsets of
// output runs come from per-chunk running totals, so finding the tail needs no walk from the start.

import { LaneKind, type SerialSegment, type SerialTextArgs, type SerialTextBody } from '../../shared/timeline-protocol.js';
import { EventKind } from '../../shared/log-events.js';
import type { ChunkStore } from './chunk-store.js';
import type { LaneColumn } from './chunk-summary.js';
import { latin1 } from './event-info.js';
import type { SerialOutputSource } from './serial-output.js';
import { lowerBound, upperBound } from './sorted-search.js';

/** A segment being collected: where its output bytes sit in the whole output, or its input. */
interface Pending {
  segment: SerialSegment;
  /** Output: the offset of the segment's first byte in the guest's whole output. */
  offset: number;
  /** Input: the bytes. */
  bytes?: Uint8Array;
}

export class SerialTextBuilder {
  /** Output and input bytes in the chunks before chunk i (index i), as far as computed. */
  private readonly outBefore: number[] = [0];
  private readonly inBefore: number[] = [0];

  constructor(private readonly store: ChunkStore) {}

  build(args: SerialTextArgs, output: SerialOutputSource | undefined): SerialTextBody {
    const { toIcount, maxBytes } = args;
    const includeInput = args.includeInput ?? true;
    const chunks = this.store.chunks;
    let last = this.store.firstChunkEndingAtOrAfter(toIcount);
    while (last + 1 < chunks.length && chunks[last + 1].firstIcount <= toIcount) last++;
    last = Math.min(last, chunks.length - 1);

    const collected: Pending[] = [];
    let got = 0;
    let total = 0;
    for (let i = last; i >= 0; i--) {
      const summary = this.store.summary(i);
      if (summary === undefined) continue;
      const out = summary.lanes.get(LaneKind.SerialOut);
      const inp = includeInput ? summary.lanes.get(LaneKind.SerialIn) : undefined;
      let a = out === undefined ? 0 : upperBound(out.icounts, toIcount);
      let b = inp === undefined ? 0 : upperBound(inp.icounts, toIcount);
      let outEnd = this.bytesBefore(i, 'out') + sum(out?.sizes, a);
      if (i === last) total = outEnd + (includeInput ? this.bytesBefore(i, 'in') + sum(inp?.sizes, b) : 0);
      while (got < maxBytes && (a > 0 || b > 0)) {
        // Backwards through the chunk in log order: the later of the two lanes' events first.
        const takeOut = a > 0 && (b === 0 || out!.offsets[a - 1] > inp!.offsets[b - 1]);
        if (takeOut) {
          const count = out!.sizes![--a];
          outEnd -= count;
          collected.push({ segment: { direction: 'out', icount: out!.icounts[a], count }, offset: outEnd });
        } else {
          const bytes = this.inputBytes(inp!, i, --b);
          collected.push({ segment: { direction: 'in', icount: inp!.icounts[b], count: bytes.length }, offset: 0, bytes });
        }
        got += collected[collected.length - 1].segment.count;
      }
      if (got >= maxBytes) break;
    }
    collected.reverse();
    // The earliest segment may hold more than the budget left: keep its last bytes.
    if (got > maxBytes && collected.length > 0) trimFront(collected[0], got - maxBytes);
    const returned = Math.min(got, maxBytes);

    const missing = this.fillText(collected, output);
    // A run is stamped with its first byte's icount: when the source knows each byte's own, the
    // bytes of the last runs written after toIcount are not on the console yet (they are neither
    // returned nor omitted, so the count of omitted bytes stays).
    cutAfter(collected, toIcount);
    const segments = collected.filter((p) => p.segment.count > 0).map((p) => p.segment);
    const body: SerialTextBody = { source: output?.kind ?? 'log', segments, omittedBytes: total - returned };
    const note = this.note(output, missing);
    if (note !== undefined) body.note = note;
    return body;
  }

  /**
   * The bytes of each SerialWrite in [from, to), in order (as a lane window lists them), or
   * undefined where the source does not have them; undefined when there is no source.
   */
  outputTexts(from: number, to: number, output: SerialOutputSource | undefined): (string | undefined)[] | undefined {
    if (output === undefined) return undefined;
    const texts: (string | undefined)[] = [];
    const chunks = this.store.chunks;
    for (let i = this.store.firstChunkEndingAtOrAfter(from); i < chunks.length && chunks[i].firstIcount < to; i++) {
      const column = this.store.summary(i)?.lanes.get(LaneKind.SerialOut);
      if (column === undefined) continue;
      const lo = lowerBound(column.icounts, from);
      const hi = lowerBound(column.icounts, to, lo);
      let offset = this.bytesBefore(i, 'out') + sum(column.sizes, lo);
      for (let k = lo; k < hi; k++) {
        const end = offset + column.sizes![k];
        texts.push(end <= output.length ? latin1(output.bytes(offset, end)) : undefined);
        offset = end;
      }
    }
    return texts;
  }

  /** Fills output segments' text from the source; returns how many it could not fill. */
  private fillText(collected: Pending[], output: SerialOutputSource | undefined): number {
    let missing = 0;
    for (const p of collected) {
      if (p.segment.direction === 'in') {
        p.segment.text = latin1(p.bytes!);
        continue;
      }
      const end = p.offset + p.segment.count;
      if (output === undefined || end > output.length) {
        missing++;
        continue;
      }
      p.segment.text = latin1(output.bytes(p.offset, end));
      const icounts = output.byteIcounts?.(p.offset, end);
      if (icounts !== undefined) p.segment.byteIcounts = Array.from(icounts);
    }
    return missing;
  }

  private note(output: SerialOutputSource | undefined, missing: number): string | undefined {
    if (output === undefined) return 'The log counts the serial output but does not keep its bytes: replay the log, or give the output captured while recording, to see the text.';
    const logged = this.bytesBefore(this.store.chunks.length, 'out');
    if (output.kind === 'captured' && output.length !== logged) {
      return `The captured output holds ${output.length} bytes where the log counts ${logged}: it may not belong to this recording.`;
    }
    if (missing > 0) return `The output is known up to byte ${output.length} so far.`;
    return undefined;
  }

  /** Bytes of one direction in the chunks before chunk i (running totals, extended on demand). */
  private bytesBefore(i: number, direction: 'out' | 'in'): number {
    const before = direction === 'out' ? this.outBefore : this.inBefore;
    const lane = direction === 'out' ? LaneKind.SerialOut : LaneKind.SerialIn;
    while (before.length <= i) {
      const k = before.length - 1;
      before.push(before[k] + sum(this.store.summary(k)?.lanes.get(lane)?.sizes, Infinity));
    }
    return before[i];
  }

  /** The bytes of the k-th SerialInput of chunk i. */
  private inputBytes(column: LaneColumn, chunk: number, k: number): Uint8Array {
    const e = this.store.laneEvent(chunk, column, k);
    return e.kind === EventKind.SerialInput ? e.bytes : new Uint8Array(0);
  }
}

/** The sum of the first n values (all when n is Infinity); 0 without values. */
function sum(values: Float64Array | undefined, n: number): number {
  if (values === undefined) return 0;
  let s = 0;
  const end = Math.min(n, values.length);
  for (let k = 0; k < end; k++) s += values[k];
  return s;
}

/** Drops the bytes of output segments written after `icount`, where byteIcounts says when each was. */
function cutAfter(collected: Pending[], icount: number): void {
  for (const p of collected) {
    const icounts = p.segment.byteIcounts;
    if (icounts === undefined || icounts[icounts.length - 1] <= icount) continue;
    let keep = 0;
    while (keep < icounts.length && icounts[keep] <= icount) keep++;
    p.segment.count = keep;
    p.segment.text = p.segment.text!.slice(0, keep);
    p.segment.byteIcounts = icounts.slice(0, keep);
  }
}

/** Drops the first `drop` bytes of a segment. */
function trimFront(p: Pending, drop: number): void {
  p.segment.count -= drop;
  if (p.segment.direction === 'out') p.offset += drop;
  else p.bytes = p.bytes!.subarray(drop);
}
