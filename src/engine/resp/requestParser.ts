// Streaming parser for what clients send: RESP multibulk frames and inline commands, pipelined and
// split at any byte. Mirrors processMultibulkBuffer / processInlineBuffer in Redis's networking.c,
// including their protocol error texts.
import { bytesToBinary } from '../bytes.ts';
import { splitArgs } from './splitArgs.ts';

/** Largest inline request or multibulk/bulk header line Redis accepts (PROTO_INLINE_MAX_SIZE). */
export const PROTO_INLINE_MAX_SIZE = 64 * 1024;

export class ProtocolError extends Error {}

export interface ParserLimits {
  /** proto-max-bulk-len */
  maxBulkLen: number;
  /** Whether the client still has to AUTH: unauthenticated clients get tighter limits. */
  unauthenticated: boolean;
}

const CR = 13, LF = 10;

export class RequestParser {
  private buf = new Uint8Array(1024);
  private start = 0;
  private end = 0;
  // State of a multibulk request being read, kept across feeds.
  private pendingArgs: string[] | null = null;
  private pendingCount = 0;
  private bulkLen = -1;

  constructor(private limits: () => ParserLimits) {}

  /** Bytes received but not yet parsed into a command. */
  get buffered(): number { return this.end - this.start; }

  feed(data: Uint8Array): void {
    const need = this.end + data.length;
    if (need > this.buf.length) {
      const live = this.end - this.start;
      if (live + data.length <= this.buf.length / 2) {
        this.buf.copyWithin(0, this.start, this.end);
      } else {
        let size = this.buf.length * 2;
        while (size < live + data.length) size *= 2;
        const grown = new Uint8Array(size);
        grown.set(this.buf.subarray(this.start, this.end));
        this.buf = grown;
      }
      this.start = 0;
      this.end = live;
    }
    this.buf.set(data, this.end);
    this.end += data.length;
  }

  /**
   * The next complete command, or null when more bytes are needed. An empty array stands for an
   * empty request (a blank inline line, or `*0`), which Redis silently skips.
   * Throws ProtocolError with Redis's message; the connection must then be closed after replying.
   */
  next(): string[] | null {
    if (this.start === this.end && this.pendingArgs === null) return null;
    if (this.pendingArgs === null && this.buf[this.start] !== 42 /* '*' */) return this.nextInline();
    return this.nextMultibulk();
  }

  private indexOf(byte: number, from: number): number {
    const i = this.buf.subarray(from, this.end).indexOf(byte);
    return i < 0 ? -1 : from + i;
  }

  private consumed(): void {
    if (this.start === this.end) this.start = this.end = 0;
  }

  private nextInline(): string[] | null {
    const nl = this.indexOf(LF, this.start);
    if (nl < 0) {
      if (this.buffered > PROTO_INLINE_MAX_SIZE) throw new ProtocolError('too big inline request');
      return null;
    }
    const lineEnd = nl > this.start && this.buf[nl - 1] === CR ? nl - 1 : nl;
    const line = bytesToBinary(this.buf, this.start, lineEnd);
    this.start = nl + 1;
    this.consumed();
    const args = splitArgs(line);
    if (args === null) throw new ProtocolError('unbalanced quotes in request');
    return args;
  }

  /** Reads an integer header line (after its type byte); null if the line is not complete yet. */
  private headerLine(tooBig: string): { value: number | null; next: number } | null {
    const cr = this.indexOf(CR, this.start);
    if (cr < 0) {
      if (this.buffered > PROTO_INLINE_MAX_SIZE) throw new ProtocolError(tooBig);
      return null;
    }
    if (cr + 1 >= this.end) return null; // wait for the LF too
    return { value: parseStrictInt(this.buf, this.start + 1, cr), next: cr + 2 };
  }

  private nextMultibulk(): string[] | null {
    const limits = this.limits();
    if (this.pendingArgs === null) {
      const h = this.headerLine('too big mbulk count string');
      if (!h) return null;
      const n = h.value;
      if (n === null || n > 2147483647) throw new ProtocolError('invalid multibulk length');
      if (limits.unauthenticated && n > 10) throw new ProtocolError('unauthenticated multibulk length');
      this.start = h.next;
      this.consumed();
      if (n <= 0) return [];
      this.pendingArgs = [];
      this.pendingCount = n;
      this.bulkLen = -1;
    }
    const args = this.pendingArgs;
    while (args.length < this.pendingCount) {
      if (this.bulkLen < 0) {
        if (this.start === this.end) return null;
        const h = this.headerLine('too big bulk count string');
        if (!h) return null;
        const type = this.buf[this.start];
        if (type !== 36 /* '$' */) {
          throw new ProtocolError(`expected '$', got '${String.fromCharCode(type)}'`);
        }
        const len = h.value;
        if (len === null || len < 0 || len > limits.maxBulkLen) throw new ProtocolError('invalid bulk length');
        if (limits.unauthenticated && len > 16384) throw new ProtocolError('unauthenticated bulk length');
        this.bulkLen = len;
        this.start = h.next;
      }
      // The payload plus its trailing CRLF (which Redis skips without checking).
      if (this.end - this.start < this.bulkLen + 2) return null;
      args.push(bytesToBinary(this.buf, this.start, this.start + this.bulkLen));
      this.start += this.bulkLen + 2;
      this.bulkLen = -1;
    }
    this.pendingArgs = null;
    this.consumed();
    return args;
  }
}

/** string2ll over a byte range: optional '-', no '+', no leading zeros, no spaces. */
function parseStrictInt(buf: Uint8Array, from: number, to: number): number | null {
  if (from >= to || to - from > 20) return null;
  let i = from;
  let negative = false;
  if (buf[i] === 45 /* '-' */) { negative = true; i++; if (i === to) return null; }
  if (buf[i] === 48 /* '0' */) return to - from === 1 ? 0 : null;
  let value = 0;
  for (; i < to; i++) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9) return null;
    value = value * 10 + d;
  }
  return negative ? -value : value;
}
