// The UI side of the engine worker: starts it, checks it is alive, restarts it when it dies, and
// carries any number of client connections to its world (one per terminal, and short-lived ones).
import { binaryToBytes } from '../../engine/bytes.ts';
import { versioned, type FromWorker, type ToWorker, type ToWorkerBody } from '../../worker/protocol.ts';
import { ReplyReader, type Reply } from './replyReader.ts';

const encoder = new TextEncoder();

/** Encodes arguments (byte strings, one char per byte, as redis-cli's parser makes them) as a RESP multibulk request. */
export function encodeCommand(args: readonly string[]): Uint8Array {
  const parts = args.map(binaryToBytes);
  const head = (s: string) => encoder.encode(s);
  const chunks: Uint8Array[] = [head(`*${parts.length}\r\n`)];
  for (const p of parts) chunks.push(head(`$${p.length}\r\n`), p, head('\r\n'));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of chunks) { out.set(c, o); o += c.length; }
  return out;
}

/** What a connection reports: bytes as they arrive, and the server hanging up. */
export interface ConnectionHandlers {
  data(bytes: Uint8Array): void;
  /** The server closed the connection, or the engine stopped. Nothing arrives after it. */
  closed(): void;
}

/** One client connection to the engine (a socket, for redis-cli). */
export interface EngineConnection {
  /** Resolves with null once connected, or with why not ("Connection refused"). */
  readonly ready: Promise<string | null>;
  send(bytes: Uint8Array): void;
  /** Hangs up. No handler is called after this. */
  close(): void;
}

export interface EngineConnector {
  connect(handlers: ConnectionHandlers): EngineConnection;
}

export type EngineState =
  /** Loading the worker. */
  | 'starting'
  | 'ready'
  /** Alive but not answering pings: a long command is running (DEBUG POPULATE ...). */
  | 'busy'
  /** The worker died; a fresh one is starting. */
  | 'restarting'
  /** It kept dying while starting: given up. */
  | 'failed';

export interface EngineFailure {
  /** What came of it: a fresh worker, no worker at all, or one client connection dropped. */
  kind: 'restarted' | 'gave-up' | 'connection-dropped';
  message: string;
  /** Counts failures, so a view can tell a new one from one already seen. */
  seq: number;
}

export interface EngineStatus {
  state: EngineState;
  redisVersion: string | null;
  /** How many times a fresh worker was started after a failure. */
  restarts: number;
  /** What went wrong last, if anything. */
  lastFailure: EngineFailure | null;
}

/**
 * What EngineWorker needs of a Worker (a DOM Worker made by createEngineWorker.ts, or a stand-in
 * in tests): kept structural so this module has no DOM dependency.
 */
export interface WorkerLike {
  onmessage: ((event: { data: FromWorker }) => void) | null;
  onerror: ((event: { message: string; preventDefault(): void }) => void) | null;
  onmessageerror: (() => void) | null;
  postMessage(message: ToWorker, transfer: ArrayBuffer[]): void;
  terminate(): void;
}

export interface EngineWorkerOptions {
  /** Starts a worker running src/worker/engine.worker.ts. */
  create: () => WorkerLike;
  /** How often to ping the worker, and after how long without a pong it counts as busy. */
  pingIntervalMs?: number;
  busyAfterMs?: number;
}

/** Failures while starting, in a row, after which no new worker is tried. */
const MAX_START_FAILURES = 3;

interface LiveConnection {
  handlers: ConnectionHandlers;
  resolve: (error: string | null) => void;
  connected: boolean;
}

export class EngineWorker implements EngineConnector {
  private worker!: WorkerLike;
  private readonly create: () => WorkerLike;
  private readonly connections = new Map<string, LiveConnection>();
  private nextConnection = 1;
  private readonly listeners = new Set<(s: EngineStatus) => void>();
  private statusValue: EngineStatus = { state: 'starting', redisVersion: null, restarts: 0, lastFailure: null };
  private startFailures = 0;
  private pingTimer: ReturnType<typeof setInterval>;
  private nextPing = 1;
  /** The ping waiting for its pong, and when it was sent. */
  private outstandingPing: { id: number; at: number } | null = null;
  private readonly busyAfterMs: number;
  private disposed = false;

  constructor(options: EngineWorkerOptions) {
    this.create = options.create;
    this.busyAfterMs = options.busyAfterMs ?? 2000;
    this.start();
    this.pingTimer = setInterval(() => this.ping(), options.pingIntervalMs ?? 1000);
  }

  get status(): EngineStatus { return this.statusValue; }

  /** Calls `fn` with every status change; returns the unsubscribe function. */
  subscribe(fn: (s: EngineStatus) => void): () => void {
    this.listeners.add(fn);
    return () => { this.listeners.delete(fn); };
  }

  private failure(kind: EngineFailure['kind'], message: string): EngineFailure {
    return { kind, message, seq: (this.statusValue.lastFailure?.seq ?? 0) + 1 };
  }

  private setStatus(change: Partial<EngineStatus>): void {
    this.statusValue = { ...this.statusValue, ...change };
    for (const fn of this.listeners) fn(this.statusValue);
  }

  private start(): void {
    const worker = this.create();
    this.worker = worker;
    this.outstandingPing = null;
    worker.onmessage = (e) => { if (this.worker === worker) this.receive(e.data); };
    worker.onerror = (e) => {
      e.preventDefault();
      if (this.worker === worker) this.restart(`the engine worker failed: ${e.message || 'it could not run'}`);
    };
    worker.onmessageerror = () => {
      if (this.worker === worker) this.restart('the engine worker sent a message that could not be read');
    };
  }

  private post(body: ToWorkerBody, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(versioned(body), transfer);
  }

  private receive(m: FromWorker): void {
    switch (m.type) {
      case 'ready':
        this.startFailures = 0;
        this.setStatus({ state: 'ready', redisVersion: m.redisVersion });
        return;
      case 'connected': {
        const c = this.connections.get(m.clientId);
        if (!c) return;
        if (m.error !== null) this.connections.delete(m.clientId);
        else c.connected = true;
        c.resolve(m.error);
        return;
      }
      case 'data':
        this.connections.get(m.clientId)?.handlers.data(m.bytes);
        return;
      case 'closed': {
        const c = this.connections.get(m.clientId);
        this.connections.delete(m.clientId);
        c?.handlers.closed();
        return;
      }
      case 'pong':
        if (this.outstandingPing?.id === m.id) this.outstandingPing = null;
        if (this.statusValue.state === 'busy') this.setStatus({ state: 'ready' });
        return;
      case 'error':
        if (m.fatal) this.restart(`the engine failed: ${m.message}`);
        else this.setStatus({ lastFailure: this.failure('connection-dropped', m.message) });
        return;
    }
  }

  private ping(): void {
    const state = this.statusValue.state;
    if (state !== 'ready' && state !== 'busy') return;
    if (this.outstandingPing) {
      if (state === 'ready' && performance.now() - this.outstandingPing.at >= this.busyAfterMs) this.setStatus({ state: 'busy' });
      return;
    }
    this.outstandingPing = { id: this.nextPing++, at: performance.now() };
    this.post({ type: 'ping', id: this.outstandingPing.id });
  }

  /**
   * The worker died or its world broke: every connection is closed (redis-cli sees the server go
   * away), and a fresh worker with an empty world starts. (Restoring the saved world comes with
   * the IndexedDB persistence.)
   */
  restart(reason: string): void {
    if (this.disposed) return;
    this.worker.terminate();
    const dropped = [...this.connections.values()];
    this.connections.clear();
    const starting = this.statusValue.state === 'starting' || this.statusValue.state === 'restarting';
    if (starting) this.startFailures++;
    if (this.startFailures >= MAX_START_FAILURES) {
      this.setStatus({ state: 'failed', lastFailure: this.failure('gave-up', reason) });
    } else {
      this.setStatus({ state: 'restarting', restarts: this.statusValue.restarts + 1, lastFailure: this.failure('restarted', reason) });
      this.start();
    }
    for (const c of dropped) {
      if (c.connected) c.handlers.closed();
      else c.resolve('Connection refused');
    }
  }

  connect(handlers: ConnectionHandlers): EngineConnection {
    const clientId = `c${this.nextConnection++}`;
    let resolve!: (error: string | null) => void;
    const ready = new Promise<string | null>((r) => { resolve = r; });
    if (this.statusValue.state === 'failed' || this.disposed) {
      resolve('Connection refused');
    } else {
      this.connections.set(clientId, { handlers, resolve, connected: false });
      // Before the worker is up, messages wait in its port's queue.
      this.post({ type: 'connect', clientId });
    }
    const worker = this.worker;
    return {
      ready,
      send: (bytes) => {
        // Bytes for a connection of a worker that has since been replaced go nowhere.
        if (this.worker === worker && this.connections.has(clientId)) this.post({ type: 'send', clientId, bytes }, [bytes.buffer as ArrayBuffer]);
      },
      close: () => {
        if (this.worker === worker && this.connections.delete(clientId)) this.post({ type: 'disconnect', clientId });
      },
    };
  }

  /** Runs one command on a connection of its own and returns its reply (MONITOR-like replies: the first). */
  async call(argv: readonly string[]): Promise<Reply> {
    const reader = new ReplyReader();
    let settle!: (r: Reply | Error) => void;
    const done = new Promise<Reply | Error>((r) => { settle = r; });
    const conn = this.connect({
      data: (bytes) => {
        reader.feed(bytes);
        const reply = reader.next();
        if (reply) settle(reply);
      },
      closed: () => settle(new Error('Server closed the connection')),
    });
    const error = await conn.ready;
    if (error !== null) throw new Error(error);
    conn.send(encodeCommand(argv));
    const result = await done;
    conn.close();
    if (result instanceof Error) throw result;
    return result;
  }

  /** Makes the worker throw (tests of the restart path). */
  crash(): void {
    this.post({ type: 'crash' });
  }

  dispose(): void {
    this.disposed = true;
    clearInterval(this.pingTimer);
    this.worker.terminate();
    this.connections.clear();
    this.listeners.clear();
  }
}
