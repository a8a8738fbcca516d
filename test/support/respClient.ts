// A raw RESP client for tests and tools: sends commands, returns each reply's exact bytes.
// Deliberately independent of src/engine so it can judge the engine's output.
import net from 'node:net';

/** Length of the complete RESP reply at buf[pos..], or -1 if incomplete. */
export function replyLength(buf: Buffer, pos = 0): number {
  if (pos >= buf.length) return -1;
  const lineEnd = buf.indexOf('\r\n', pos);
  if (lineEnd < 0) return -1;
  const type = String.fromCharCode(buf[pos]);
  const head = buf.toString('latin1', pos + 1, lineEnd);
  const after = lineEnd + 2;
  switch (type) {
    case '+': case '-': case ':': case ',': case '#': case '_': case '(':
      return after - pos;
    case '$': case '=': case '!': {
      const n = Number(head);
      if (n < 0) return after - pos;
      return buf.length >= after + n + 2 ? after + n + 2 - pos : -1;
    }
    case '*': case '~': case '>': case '%': case '|': {
      let n = Number(head);
      if (n < 0) return after - pos;
      if (type === '%' || type === '|') n *= 2;
      let p = after;
      for (let i = 0; i < n; i++) {
        const len = replyLength(buf, p);
        if (len < 0) return -1;
        p += len;
      }
      return p - pos;
    }
    default:
      throw new Error(`unexpected RESP type byte ${JSON.stringify(type)} at ${pos}`);
  }
}

export function encodeCommand(args: (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = typeof a === 'string' ? Buffer.from(a, 'utf8') : a;
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

export class RespClient {
  private buf: Buffer = Buffer.alloc(0);
  private waiters: { resolve: (b: Buffer) => void; reject: (e: Error) => void }[] = [];
  private closedError: Error | null = null;
  /** Replies that arrived with no waiter (pushes, pub/sub messages). */
  readonly unclaimed: Buffer[] = [];

  private constructor(private socket: net.Socket) {
    socket.on('data', (d) => this.onData(d));
    socket.on('close', () => this.fail(new Error('connection closed')));
    socket.on('error', (e) => this.fail(e));
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RespClient> {
    return new Promise((resolve, reject) => {
      const s = net.createConnection({ port, host }, () => resolve(new RespClient(s)));
      s.setNoDelay(true);
      s.once('error', reject);
    });
  }

  get isClosed(): boolean { return this.closedError !== null; }

  private fail(e: Error) {
    this.closedError ??= e;
    for (const w of this.waiters.splice(0)) w.reject(this.closedError);
  }

  private onData(d: Buffer) {
    this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
    for (;;) {
      const len = replyLength(this.buf);
      if (len < 0) break;
      const reply = this.buf.subarray(0, len);
      this.buf = this.buf.subarray(len);
      const w = this.waiters.shift();
      if (w) w.resolve(Buffer.from(reply));
      else this.unclaimed.push(Buffer.from(reply));
    }
  }

  /** Waits for the next reply, whatever sent it. */
  next(): Promise<Buffer> {
    const ready = this.unclaimed.shift();
    if (ready) return Promise.resolve(ready);
    if (this.closedError) return Promise.reject(this.closedError);
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  sendRaw(data: Buffer | string): void {
    this.socket.write(data);
  }

  call(...args: (string | Buffer)[]): Promise<Buffer> {
    this.sendRaw(encodeCommand(args));
    return this.next();
  }

  /** Sends all commands in one write and collects every reply. */
  async pipeline(commands: (string | Buffer)[][]): Promise<Buffer[]> {
    this.sendRaw(Buffer.concat(commands.map(encodeCommand)));
    const out: Buffer[] = [];
    for (let i = 0; i < commands.length; i++) out.push(await this.next());
    return out;
  }

  close(): void { this.socket.destroy(); }
}
