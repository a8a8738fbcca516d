// Encodes replies in RESP2 or RESP3, like the addReply* family in Redis's networking.c. Output is a
// byte string (see bytes.ts); transports turn it into bytes once per write.
import { formatDouble } from '../numbers.ts';

export type Protocol = 2 | 3;

/**
 * One JS string holds at most ~512 MB (V8: 2^29 - 24 chars), while the replies to a pipeline (or
 * an MGET of big values) may add up to more. Before a bulk would take `out` past this size, what
 * is pending is set aside as a finished chunk.
 */
export const REPLY_CHUNK_BYTES = 128 * 1024 * 1024;

/**
 * "$<n>\r\n", ":<n>\r\n" and "*<n>\r\n" for small n, made once: replies are mostly short
 * bulks, small integers and short arrays, and this saves a number-to-string conversion and a
 * concatenation per reply element (about a quarter of the cost of encoding a short bulk).
 */
const SMALL = 1024;
const BULK_HEADERS = Array.from({ length: SMALL }, (_, n) => '$' + n + '\r\n');
const INTEGER_LINES = Array.from({ length: SMALL }, (_, n) => ':' + n + '\r\n');
const ARRAY_HEADERS = Array.from({ length: SMALL }, (_, n) => '*' + n + '\r\n');

export class ReplyWriter {
  /** Pending output, as a byte string (after any chunks set aside, see REPLY_CHUNK_BYTES). */
  out = '';
  /** Finished chunks of pending output that come before `out`, or null. */
  private setAside: string[] | null = null;
  /**
   * Where in `out` the latest error line starts (-1 if none since the last take()), and that line
   * without its '-' and CRLF. call() uses them to spot a failed command: reading `out` back instead
   * would flatten the whole pending output for every command of a pipeline.
   */
  errorAt = -1;
  lastError = '';

  constructor(public protocol: Protocol = 2) {}

  /**
   * Removes and returns the next piece of pending output, '' when there is none. Usually all of it
   * comes at once; after a very large reply, call again until ''.
   */
  take(): string {
    if (this.setAside) {
      const chunk = this.setAside.shift()!;
      if (this.setAside.length === 0) this.setAside = null;
      return chunk;
    }
    const s = this.out;
    this.out = '';
    this.errorAt = -1;
    return s;
  }

  /** Bytes of pending output. */
  get pendingBytes(): number {
    let n = this.out.length;
    if (this.setAside) for (const chunk of this.setAside) n += chunk.length;
    return n;
  }

  /** Discards what was written after pendingBytes was `mark` (replies to a muted client). */
  dropSince(mark: number): void {
    if (this.setAside) {
      const all = this.setAside.join('') + this.out;
      this.setAside = null;
      this.out = all.slice(0, mark);
    } else {
      this.out = this.out.slice(0, mark);
    }
    if (this.errorAt >= this.out.length) this.errorAt = -1;
  }

  private setAsideOut(): void {
    if (this.out.length === 0) return;
    (this.setAside ??= []).push(this.out);
    this.out = '';
    this.errorAt = -1;
  }

  status(s: string): void { this.out += '+' + s + '\r\n'; }
  ok(): void { this.out += '+OK\r\n'; }
  /**
   * addReplyError: a message without a code gets "ERR "; one that starts with "-" carries its own
   * code (e.g. "-WRONGTYPE ..."), as in Redis.
   */
  error(msg: string): void {
    let line = msg.charCodeAt(0) === 45 ? msg.slice(1) : 'ERR ' + msg;
    // Redis never lets newlines into an error line.
    if (line.includes('\r') || line.includes('\n')) line = line.replace(/[\r\n]/g, ' ');
    this.errorAt = this.out.length;
    this.lastError = line;
    this.out += '-' + line + '\r\n';
  }
  integer(n: number | bigint): void {
    this.out += typeof n === 'number' && n >= 0 && n < SMALL && n === (n | 0) ? INTEGER_LINES[n] : ':' + n + '\r\n';
  }
  bulk(s: string): void {
    if (this.out.length + s.length > REPLY_CHUNK_BYTES) this.setAsideOut();
    this.out += (s.length < SMALL ? BULK_HEADERS[s.length] : '$' + s.length + '\r\n') + s + '\r\n';
  }
  /** A bulk string, or the protocol's null when s is null. */
  bulkOrNull(s: string | null | undefined): void { if (s == null) this.null(); else this.bulk(s); }
  null(): void { this.out += this.protocol === 3 ? '_\r\n' : '$-1\r\n'; }
  nullArray(): void { this.out += this.protocol === 3 ? '_\r\n' : '*-1\r\n'; }
  array(len: number): void { this.out += len >= 0 && len < SMALL ? ARRAY_HEADERS[len] : '*' + len + '\r\n'; }
  emptyArray(): void { this.out += '*0\r\n'; }
  map(pairs: number): void { this.out += this.protocol === 3 ? '%' + pairs + '\r\n' : '*' + pairs * 2 + '\r\n'; }
  set(len: number): void { this.out += this.protocol === 3 ? '~' + len + '\r\n' : '*' + len + '\r\n'; }
  push(len: number): void { this.out += this.protocol === 3 ? '>' + len + '\r\n' : '*' + len + '\r\n'; }
  /** addReplyDouble: a bulk string in RESP2, a double in RESP3. */
  double(d: number): void {
    const s = formatDouble(d);
    if (this.protocol === 3) this.out += ',' + s + '\r\n';
    else this.bulk(s);
  }
  /** addReplyHumanLongDouble: always a bulk string in RESP2, a double in RESP3. */
  humanDouble(s: string): void {
    if (this.protocol === 3) this.out += ',' + s + '\r\n';
    else this.bulk(s);
  }
  bool(b: boolean): void { this.out += this.protocol === 3 ? (b ? '#t\r\n' : '#f\r\n') : (b ? ':1\r\n' : ':0\r\n'); }
  /** Verbatim text (INFO, CLIENT LIST ...): `=` in RESP3, a plain bulk in RESP2. */
  verbatim(s: string, format = 'txt'): void {
    if (this.protocol === 3) this.out += '=' + (s.length + 4) + '\r\n' + format + ':' + s + '\r\n';
    else this.bulk(s);
  }
  bulks(items: readonly string[]): void {
    this.array(items.length);
    for (const s of items) this.bulk(s);
  }
  /** Pastes already encoded RESP. */
  raw(resp: string): void { this.out += resp; }
}
