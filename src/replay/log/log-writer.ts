// Writes a log: the file header at once, then events into chunks handed to a sink as each
// closes, and on close() the index and footer. Pure: the caller owns the file (or the memory)
// behind the sink. A killed recorder leaves a log that is readable up to its last written chunk.

import { EventKind, EVENT_KIND_NAMES, type LogEvent } from '../../shared/log-events.js';
import type { LogHeader } from '../log-header.js';
import { ByteWriter } from './byte-writer.js';
import { encodeEvent } from './event-codec.js';
import { encodeChunk } from './log-chunk.js';
import { encodeFileHeader } from './log-file-header.js';
import { DEFAULT_CHUNK_BYTES } from './log-format.js';
import { encodeIndex, type IndexEntry } from './log-index.js';

export interface LogSink {
  /** Receives each block of the file in order. The writer never touches an array again once it
   * has passed it here, so the sink may keep it. */
  write(bytes: Uint8Array): void;
}

export interface LogWriterOptions {
  /** Close a chunk once its payload reaches this many bytes (default 64 KiB). */
  chunkBytes?: number;
}

/** The largest chunk payload: the length field is a u32, and a chunk never needs to be huge. */
const MAX_CHUNK_BYTES = 0x4000_0000;

export class LogWriter {
  private readonly chunkBytes: number;
  private readonly payload: ByteWriter;
  private readonly index: IndexEntry[] = [];
  /** Events in the open chunk, its IcountStamp included; 0 when no chunk is open. */
  private chunkCount = 0;
  private chunkFirst = 0;
  private previousIcount = 0;
  private lastIcount = 0;
  private ended = false;
  private closed = false;
  private written = 0;

  constructor(
    private readonly sink: LogSink,
    header: LogHeader,
    options: LogWriterOptions = {},
  ) {
    this.chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
    if (!Number.isInteger(this.chunkBytes) || this.chunkBytes < 1 || this.chunkBytes > MAX_CHUNK_BYTES) {
      throw new RangeError(`chunkBytes must be an integer from 1 to ${MAX_CHUNK_BYTES}, not ${this.chunkBytes}`);
    }
    this.payload = new ByteWriter(Math.min(this.chunkBytes, DEFAULT_CHUNK_BYTES) + 64);
    this.emit(encodeFileHeader(header));
  }

  /** Bytes handed to the sink so far (the open chunk is not counted until it closes). */
  get bytesWritten(): number {
    return this.written;
  }

  /**
   * Adds an event. Events come in non-decreasing icount order, and nothing comes after End:
   * anything else is a recorder bug and throws. Closes the chunk when it reaches chunkBytes.
   */
  append(event: LogEvent): void {
    if (this.closed) throw new Error('LogWriter.append after close()');
    if (this.ended) throw new Error(`LogWriter.append(${kindName(event)} at icount ${event.icount}) after the End event`);
    if (!Number.isSafeInteger(event.icount) || event.icount < 0) {
      throw new RangeError(`${kindName(event)} event has icount ${event.icount}, not an unsigned integer below 2^53`);
    }
    if (event.icount < this.lastIcount) {
      throw new RangeError(`${kindName(event)} event at icount ${event.icount} after an event at icount ${this.lastIcount}: events must come in icount order`);
    }
    if (this.chunkCount === 0) this.openChunk(event.icount);
    const rollback = this.payload.length;
    try {
      encodeEvent(this.payload, event, this.previousIcount);
    } catch (e) {
      // Leave the chunk as it was, so a caller that catches the error still has a valid log.
      this.payload.length = rollback;
      if (this.chunkCount === 1) this.dropChunk();
      throw new RangeError(`cannot encode the ${kindName(event)} event at icount ${event.icount}: ${(e as Error).message}`);
    }
    this.chunkCount++;
    this.previousIcount = this.lastIcount = event.icount;
    if (event.kind === EventKind.End) this.ended = true;
    if (this.payload.length >= this.chunkBytes) this.flushChunk();
  }

  /** Closes the open chunk and writes it now, if it holds events. */
  flushChunk(): void {
    if (this.chunkCount === 0) return;
    const offset = this.written;
    this.emit(encodeChunk(this.payload.contents(), this.chunkFirst, this.lastIcount, this.chunkCount));
    this.index.push({ offset, firstIcount: this.chunkFirst, lastIcount: this.lastIcount, count: this.chunkCount });
    this.dropChunk();
  }

  /**
   * Writes the open chunk, the index and the footer. The End event must have been appended: a
   * log without one reads as damaged, and only the recorder knows the icount it ends at.
   */
  close(): void {
    if (this.closed) throw new Error('LogWriter.close() called twice');
    if (!this.ended) throw new Error('LogWriter.close() before the End event was appended');
    this.flushChunk();
    this.emit(encodeIndex(this.index, this.written));
    this.closed = true;
  }

  /** Starts a chunk with the stamp that lets it be decoded alone. */
  private openChunk(icount: number): void {
    this.chunkFirst = icount;
    this.previousIcount = icount;
    encodeEvent(this.payload, { kind: EventKind.IcountStamp, icount }, icount);
    this.chunkCount = 1;
  }

  private dropChunk(): void {
    this.payload.reset();
    this.chunkCount = 0;
  }

  private emit(bytes: Uint8Array): void {
    this.sink.write(bytes);
    this.written += bytes.length;
  }
}

function kindName(e: LogEvent): string {
  return EVENT_KIND_NAMES.get(e.kind) ?? `kind-${String(e.kind)}`;
}
