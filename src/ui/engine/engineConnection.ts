// The UI side of one client connection to the engine worker: sends commands as RESP, resolves
// each with its reply in order.
import { PROTOCOL_VERSION, type FromWorker, type ToWorker } from '../../worker/protocol.ts';
import { ReplyReader, type Reply } from './replyReader.ts';

const encoder = new TextEncoder();

/** Encodes arguments (text, sent as UTF-8) as a RESP multibulk request. */
export function encodeCommand(args: string[]): Uint8Array {
  const parts = args.map((a) => encoder.encode(a));
  const head = (s: string) => encoder.encode(s);
  const chunks: Uint8Array[] = [head(`*${parts.length}\r\n`)];
  for (const p of parts) chunks.push(head(`$${p.length}\r\n`), p, head('\r\n'));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of chunks) { out.set(c, o); o += c.length; }
  return out;
}

export class EngineWorker {
  readonly worker: Worker;
  private readonly listeners = new Map<string, (m: FromWorker) => void>();
  readonly ready: Promise<string>;

  constructor() {
    this.worker = new Worker(new URL('../../worker/engine.worker.ts', import.meta.url), { type: 'module' });
    this.ready = new Promise((resolve) => {
      this.worker.addEventListener('message', (e: MessageEvent<FromWorker>) => {
        const m = e.data;
        if (m.type === 'ready') resolve(m.redisVersion);
        else this.listeners.get(m.clientId)?.(m);
      });
    });
  }

  post(m: ToWorker, transfer: Transferable[] = []): void { this.worker.postMessage(m, transfer); }
  listen(clientId: string, fn: (m: FromWorker) => void): void { this.listeners.set(clientId, fn); }
}

export class EngineConnection {
  private readonly reader = new ReplyReader();
  private readonly waiting: ((r: Reply) => void)[] = [];

  constructor(private readonly engine: EngineWorker, readonly clientId: string) {
    engine.listen(clientId, (m) => {
      if (m.type !== 'data') return;
      this.reader.feed(m.bytes);
      for (let r = this.reader.next(); r; r = this.reader.next()) this.waiting.shift()?.(r);
    });
    engine.post({ v: PROTOCOL_VERSION, type: 'connect', clientId });
  }

  call(args: string[]): Promise<Reply> {
    const bytes = encodeCommand(args);
    this.engine.post({ v: PROTOCOL_VERSION, type: 'send', clientId: this.clientId, bytes }, [bytes.buffer]);
    return new Promise((resolve) => this.waiting.push(resolve));
  }
}
