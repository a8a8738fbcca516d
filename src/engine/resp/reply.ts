// Encodes replies in RESP2 or RESP3, like the addReply* family in Redis's networking.c. Output is a
// byte string (see bytes.ts); transports turn it into bytes once per write.
import { formatDouble } from '../numbers.ts';

export type Protocol = 2 | 3;

export class ReplyWriter {
  /** Pending output, as a byte string. */
  out = '';
  /**
   * Where in `out` the latest error line starts (-1 if none since the last take()), and that line
   * without its '-' and CRLF. call() uses them to spot a failed command: reading `out` back instead
   * would flatten the whole pending output for every command of a pipeline.
   */
  errorAt = -1;
  lastError = '';

  constructor(public protocol: Protocol = 2) {}

  take(): string {
    const s = this.out;
    this.out = '';
    this.errorAt = -1;
    return s;
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
  integer(n: number | bigint): void { this.out += ':' + n + '\r\n'; }
  bulk(s: string): void { this.out += '$' + s.length + '\r\n' + s + '\r\n'; }
  /** A bulk string, or the protocol's null when s is null. */
  bulkOrNull(s: string | null | undefined): void { if (s == null) this.null(); else this.bulk(s); }
  null(): void { this.out += this.protocol === 3 ? '_\r\n' : '$-1\r\n'; }
  nullArray(): void { this.out += this.protocol === 3 ? '_\r\n' : '*-1\r\n'; }
  array(len: number): void { this.out += '*' + len + '\r\n'; }
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
