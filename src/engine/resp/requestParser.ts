// Streaming parser for what clients send: RESP multibulk frames and inline commands, pipelined and
// split at any byte. Mirrors processMultibulkBuffer / processInlineBuffer in Redis's networking.c,
// including their protocol error texts.
//
// Speed matters here (every command of server mode goes through it), so it works on raw bytes with
// hand-written scans: no per-call subarrays or result objects, one decode per argument.
import { bytesToBinary } from '../bytes.ts';
import { splitArgs } from './splitArgs.ts';

/** Largest inline request or multibulk/bulk header line Redis accepts (PROTO_INLINE_MAX_SIZE). */
export const PROTO_INLINE_MAX_SIZE = 64 * 1024;

/** Limits an unauthenticated client gets (networking.c): at most 10 arguments of 16 KB each. */
const UNAUTHENTICATED_MAX_ARGS = 10;
const UNAUTHENTICATED_MAX_BULK = 16384;
/** A bulk this big gets a buffer sized for it at once (PROTO_MBULK_BIG_ARG). */
const BIG_ARG = 32 * 1024;
/**
 * The longest string V8 can make (2^29 - 24 chars on 64-bit). Redis would accept a bulk up to
 * proto-max-bulk-len (512 MB by default, 24 bytes more); a longer one is refused as too long rather
 * than crashing the process.
 */
export const MAX_STRING_LENGTH = 2 ** 29 - 24;
/** Buffer size for a fresh client; a buffer grown past SHRINK_ABOVE is dropped once drained. */
const INITIAL_BUFFER = 16 * 1024;
const SHRINK_ABOVE = 256 * 1024;

export class ProtocolError extends Error {}

export interface ParserLimits {
  /** proto-max-bulk-len */
  maxBulkLen: number;
  /** Whether the client still has to AUTH: unauthenticated clients get tighter limits. */
  unauthenticated: boolean;
}

/** Who knows the limits in force for a connection (its client). An object, not a callback: a world holding it can be copied (sim/clone.ts). */
export interface ParserLimitsSource {
  parserLimits(): ParserLimits;
}

/** Turns bytes[start, end) into a byte string; a transport may supply a native one. */
export type ByteDecoder = (bytes: Uint8Array, start: number, end: number) => string;

const CR = 13, LF = 10;
// Results of scanning a header line that is not complete yet, or whose number is not a valid
// integer: values no int64 can take.
const INCOMPLETE = Infinity;
const INVALID = -Infinity;

export class RequestParser {
  private buf = new Uint8Array(INITIAL_BUFFER);
  private start = 0;
  private end = 0;
  // State of a multibulk request being read, kept across feeds.
  private pendingArgs: string[] | null = null;
  private pendingCount = 0;
  private bulkLen = -1;
  /** Set by scanHeader: where the line after the header starts. */
  private headerEnd = 0;
  /** The limits in force for the request being read (fetched once per request). */
  private maxBulkLen = 0;
  private unauthenticated = false;
  /** The latest command name decoded (see commandName). */
  private lastName = '';

  /** `limits` is asked once per multibulk request, so it sees config changes between requests. */
  constructor(private readonly limits: ParserLimitsSource, private readonly decode: ByteDecoder = bytesToBinary) {}

  /** Bytes received but not yet parsed into a command. */
  get buffered(): number { return this.end - this.start; }

  /** Size of the input buffer (how much memory the client's pending input holds). */
  get capacity(): number { return this.buf.length; }

  feed(data: Uint8Array): void {
    this.reserve(data.length);
    this.buf.set(data, this.end);
    this.end += data.length;
  }

  /** Makes room for n more bytes after `end`: compacts, or grows to the size needed. */
  private reserve(n: number): void {
    if (this.end + n <= this.buf.length) return;
    const live = this.end - this.start;
    if (live + n <= this.buf.length) {
      this.buf.copyWithin(0, this.start, this.end);
    } else {
      // Grow by doubling (amortized O(1) per byte however the data is split), but never less than
      // a pending big bulk needs, so a 100 MB value is copied once rather than log2(n) times.
      let size = Math.max(this.buf.length * 2, live + n);
      if (this.bulkLen >= BIG_ARG) size = Math.max(live + n, Math.min(size, this.bulkLen + 2));
      const grown = new Uint8Array(size);
      grown.set(this.buf.subarray(this.start, this.end));
      this.buf = grown;
    }
    this.start = 0;
    this.end = live;
  }

  /** Everything parsed: rewind, and give back a buffer a big request made large. */
  private consumed(): void {
    if (this.start !== this.end) return;
    this.start = this.end = 0;
    if (this.buf.length > SHRINK_ABOVE) this.buf = new Uint8Array(INITIAL_BUFFER);
  }

  /**
   * The next complete command, or null when more bytes are needed. An empty array stands for an
   * empty request (a blank inline line, or `*0`), which Redis silently skips.
   * Throws ProtocolError with Redis's message; the connection must then be closed after replying.
   */
  next(): string[] | null {
    if (this.pendingArgs === null) {
      if (this.start === this.end) return null;
      if (this.buf[this.start] !== 42 /* '*' */) return this.nextInline();
      if (!this.startMultibulk()) return null;
      if (this.pendingArgs === null) return []; // *0 or a negative count
    }
    return this.continueMultibulk();
  }

  private nextInline(): string[] | null {
    // Redis looks for the newline with strchr, which a NUL byte stops: such a line is never complete.
    const nl = this.buf.indexOf(LF, this.start);
    const nul = this.buf.indexOf(0, this.start);
    if (nl < 0 || nl >= this.end || (nul >= 0 && nul < nl)) {
      if (this.buffered > PROTO_INLINE_MAX_SIZE) throw new ProtocolError('too big inline request');
      return null;
    }
    const lineEnd = nl > this.start && this.buf[nl - 1] === CR ? nl - 1 : nl;
    const line = this.decode(this.buf, this.start, lineEnd);
    this.start = nl + 1;
    this.consumed();
    const args = splitArgs(line);
    if (args === null) throw new ProtocolError('unbalanced quotes in request');
    return args;
  }

  /**
   * Parses the integer of the header line at `start` (after its type byte), like Redis: the line
   * ends at the first CR (a NUL byte ends the search as strchr would), and its LF must have arrived.
   * Returns the value, INCOMPLETE or INVALID; on success `headerEnd` is the offset after the LF.
   */
  private scanHeader(tooBig: string): number {
    const buf = this.buf, end = this.end, from = this.start + 1;
    let i = from;
    while (i < end && buf[i] !== CR && buf[i] !== 0) i++;
    if (i >= end || buf[i] === 0) {
      if (end - this.start > PROTO_INLINE_MAX_SIZE) throw new ProtocolError(tooBig);
      return INCOMPLETE;
    }
    if (i + 1 >= end) return INCOMPLETE; // wait for the LF too
    this.headerEnd = i + 2;
    return parseStrictInt(buf, from, i);
  }

  /** Reads a `*<count>` line. False when it is incomplete. */
  private startMultibulk(): boolean {
    const n = this.scanHeader('too big mbulk count string');
    if (n === INCOMPLETE) return false;
    if (n === INVALID || n > 2147483647) throw new ProtocolError('invalid multibulk length');
    const limits = this.limits.parserLimits();
    this.maxBulkLen = limits.maxBulkLen;
    this.unauthenticated = limits.unauthenticated;
    if (n > UNAUTHENTICATED_MAX_ARGS && this.unauthenticated) throw new ProtocolError('unauthenticated multibulk length');
    this.start = this.headerEnd;
    this.consumed();
    if (n > 0) {
      this.pendingArgs = [];
      this.pendingCount = n;
      this.bulkLen = -1;
    }
    return true;
  }

  private continueMultibulk(): string[] | null {
    const args = this.pendingArgs!;
    let buf = this.buf;
    while (args.length < this.pendingCount) {
      if (this.bulkLen < 0) {
        if (this.start === this.end) return null;
        const len = this.scanHeader('too big bulk count string');
        if (len === INCOMPLETE) return null;
        const type = buf[this.start];
        if (type !== 36 /* '$' */) throw new ProtocolError(`expected '$', got '${String.fromCharCode(type)}'`);
        if (len === INVALID || len < 0 || len > this.maxBulkLen || len > MAX_STRING_LENGTH) throw new ProtocolError('invalid bulk length');
        if (len > UNAUTHENTICATED_MAX_BULK && this.unauthenticated) throw new ProtocolError('unauthenticated bulk length');
        this.bulkLen = len;
        this.start = this.headerEnd;
        // A big payload that has not fully arrived: size the buffer for it now.
        if (len >= BIG_ARG && this.end - this.start < len + 2) {
          this.reserve(len + 2 - (this.end - this.start));
          buf = this.buf;
        }
      }
      // The payload plus its trailing CRLF (which Redis skips without checking).
      const len = this.bulkLen;
      if (this.end - this.start < len + 2) return null;
      args.push(args.length === 0 ? this.commandName(buf, this.start, len) : this.decode(buf, this.start, this.start + len));
      this.start += len + 2;
      this.bulkLen = -1;
    }
    this.pendingArgs = null;
    this.consumed();
    return args;
  }

  /**
   * argv[0]: clients send the same few command names over and over, so the last one decoded is
   * reused when the bytes match. The same string object also keeps V8's cached hash, which makes
   * the command table lookup cheaper.
   */
  private commandName(buf: Uint8Array, start: number, len: number): string {
    const last = this.lastName;
    if (len === last.length && len <= 32) {
      let i = 0;
      while (i < len && buf[start + i] === last.charCodeAt(i)) i++;
      if (i === len) return last;
    }
    const name = this.decode(buf, start, start + len);
    if (len <= 32) this.lastName = name;
    return name;
  }
}

/**
 * string2ll over a byte range: optional '-', no '+', no leading zeros ("0" alone is fine, "-0" is
 * not), no spaces, within 64 bits. Returns INVALID otherwise. Values beyond 2^53 lose precision,
 * which no caller minds: they only compare them with limits far below.
 */
function parseStrictInt(buf: Uint8Array, from: number, to: number): number {
  const negative = buf[from] === 45; /* '-' */
  const digitsFrom = negative ? from + 1 : from;
  const n = to - digitsFrom;
  if (n <= 0 || n > 19) return INVALID; // 20 digits are always out of the int64 range
  if (buf[digitsFrom] === 48 /* '0' */) return n === 1 && !negative ? 0 : INVALID;
  let value = 0;
  for (let i = digitsFrom; i < to; i++) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9) return INVALID;
    value = value * 10 + d;
  }
  if (n === 19) {
    // Near the int64 limits a double cannot tell: check exactly.
    let s = '';
    for (let i = from; i < to; i++) s += String.fromCharCode(buf[i]);
    const exact = BigInt(s);
    if (exact > 9223372036854775807n || exact < -9223372036854775808n) return INVALID;
  }
  return negative ? -value : value;
}
