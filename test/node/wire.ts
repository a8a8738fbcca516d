// A raw TCP connection for server-mode tests that move large payloads: unlike RespClient it keeps
// received chunks in a list and joins them once, so a 100 MB reply costs O(n), not O(n^2).
import net from 'node:net';
import { replyLength } from '../support/respClient.ts';

export class Wire {
  private chunks: Buffer[] = [];
  private size = 0;
  private waiter: (() => void) | null = null;
  closed = false;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (d) => {
      this.chunks.push(d);
      this.size += d.length;
      this.wake();
    });
    socket.on('close', () => { this.closed = true; this.wake(); });
    socket.on('error', () => {});
  }

  static connect(port: number): Promise<Wire> {
    return new Promise((resolve, reject) => {
      const s = net.createConnection({ port, host: '127.0.0.1' }, () => resolve(new Wire(s)));
      s.setNoDelay(true);
      s.once('error', reject);
    });
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }

  private async waitForMore(): Promise<void> {
    if (this.closed) throw new Error('connection closed');
    await new Promise<void>((resolve) => { this.waiter = resolve; });
  }

  /** Everything received so far, as one buffer (joined at most once per call). */
  private joined(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.size)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  private consume(n: number): Buffer {
    const all = this.joined();
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length ? [rest] : [];
    this.size = rest.length;
    return out;
  }

  /** Bytes received that no read has taken yet. */
  get pending(): number { return this.size; }

  /** The next complete RESP reply. For bulks, waits for the announced size before joining. */
  async reply(): Promise<Buffer> {
    for (;;) {
      if (this.size > 0) {
        const first = this.chunks[0];
        if (first[0] === 36 /* '$' */) {
          const head = first.includes('\r\n') ? first : this.joined();
          const nl = head.indexOf('\r\n');
          if (nl > 0) {
            const n = Number(head.toString('latin1', 1, nl));
            const total = nl + 2 + (n < 0 ? 0 : n + 2);
            if (this.size >= total) return this.consume(total);
          }
        } else {
          const len = replyLength(this.joined());
          if (len >= 0) return this.consume(len);
        }
      }
      await this.waitForMore();
    }
  }

  /** The next n bytes, once they arrived. */
  async take(n: number): Promise<Buffer> {
    while (this.size < n) await this.waitForMore();
    return this.consume(n);
  }

  /** Waits until the server closes the connection; returns what arrived before that. */
  async untilClosed(): Promise<Buffer> {
    while (!this.closed) await this.waitForMore().catch(() => {});
    return this.consume(this.size);
  }

  /** Writes and waits until the data was handed to the kernel. */
  write(data: Buffer | string): Promise<void> {
    return new Promise((resolve, reject) => this.socket.write(data, (e) => (e ? reject(e) : resolve())));
  }

  close(): void { this.socket.destroy(); }
}

/** A RESP multibulk request. */
export function frame(...args: (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = typeof a === 'string' ? Buffer.from(a, 'latin1') : a;
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/** A bulk string reply's bytes. */
export function bulk(b: Buffer | string): Buffer {
  const body = typeof b === 'string' ? Buffer.from(b, 'latin1') : b;
  return Buffer.concat([Buffer.from(`$${body.length}\r\n`), body, Buffer.from('\r\n')]);
}

/** Polls until check() is true (bounded), for state that settles asynchronously. */
export async function eventually(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
