// The engine side of the worker protocol: one world with one Redis server, whose clients are the
// UI's connections. Kept free of worker globals (messages in through handle(), out through `post`)
// so it runs the same in the worker and in a unit test.
import { binaryToBytes } from '../engine/bytes.ts';
import type { Client } from '../engine/server/client.ts';
import { REDIS_VERSION, type RedisServer } from '../engine/server/redisServer.ts';
import { World } from '../engine/sim/world.ts';
import { PROTOCOL_VERSION, versioned, type FromWorker, type FromWorkerBody, type ToWorker } from './protocol.ts';

/** Posts a message, handing over the listed buffers (postMessage's transfer list). */
export type Post = (message: FromWorker, transfer: ArrayBuffer[]) => void;

export interface EngineHostOptions {
  seed: number;
  /** Unix ms the world's clock starts at. */
  startTime: number;
  /** Hands a callback to run after the current task (queueMicrotask in the worker). */
  defer?: (fn: () => void) => void;
}

/** Where the learner's server listens, as redis-cli sees it. */
export const SERVER_HOST = '127.0.0.1';
export const SERVER_PORT = 6379;
/** Connections get made-up ephemeral ports, so CLIENT LIST shows addresses redis-cli would. */
const FIRST_PEER_PORT = 51000;

export class EngineHost {
  readonly world: World;
  readonly server: RedisServer;
  private readonly clients = new Map<string, Client>();
  /** Output written by the server and not posted yet, per connection (byte strings). */
  private readonly pending = new Map<string, string[]>();
  private flushScheduled = false;
  private nextPeerPort = FIRST_PEER_PORT;
  private readonly defer: (fn: () => void) => void;

  constructor(private readonly post: Post, options: EngineHostOptions) {
    this.defer = options.defer ?? ((fn) => queueMicrotask(fn));
    this.world = new World({ seed: options.seed, startTime: options.startTime });
    // A learner may use DEBUG (SLEEP, OBJECT, POPULATE ...), which Redis allows only when configured.
    this.server = this.world.addServer('main', { config: { 'enable-debug-command': 'yes' }, port: SERVER_PORT });
  }

  private send(body: FromWorkerBody, transfer: ArrayBuffer[] = []): void {
    this.post(versioned(body), transfer);
  }

  /** Tells the UI the world is running. */
  announce(): void {
    this.send({ type: 'ready', redisVersion: REDIS_VERSION });
  }

  /** Virtual time catches up with the host's clock: cron, expiries, timeouts, the end of a DEBUG SLEEP. */
  advance(ms: number): void {
    if (ms > 0) this.world.advance(ms);
    this.flush();
  }

  get clientCount(): number { return this.clients.size; }

  handle(msg: ToWorker): void {
    if (msg?.v !== PROTOCOL_VERSION) {
      this.send({ type: 'error', fatal: false, message: `protocol version ${String(msg?.v)} is not ${PROTOCOL_VERSION}: reload the page` });
      return;
    }
    switch (msg.type) {
      case 'connect': this.connect(msg.clientId); break;
      case 'send': this.feed(msg.clientId, msg.bytes); break;
      case 'disconnect': {
        const c = this.clients.get(msg.clientId);
        this.clients.delete(msg.clientId);
        this.pending.delete(msg.clientId);
        if (c) this.server.disconnect(c);
        break;
      }
      case 'ping': this.send({ type: 'pong', id: msg.id, clients: this.clients.size }); break;
      case 'crash': throw new Error('crash requested (a test of the restart path)');
    }
    this.flush();
  }

  private connect(clientId: string): void {
    if (this.clients.has(clientId)) {
      this.send({ type: 'connected', clientId, error: 'Connection id already in use' });
      return;
    }
    const c = this.server.connect({
      peer: `${SERVER_HOST}:${this.nextPeerPort++}`,
      local: `${SERVER_HOST}:${SERVER_PORT}`,
      write: (data) => this.queue(clientId, data),
      close: () => {
        // The server hung up (QUIT, CLIENT KILL ...): what it wrote before goes first.
        this.flushClient(clientId);
        this.clients.delete(clientId);
        this.send({ type: 'closed', clientId });
      },
    });
    this.clients.set(clientId, c);
    this.send({ type: 'connected', clientId, error: null });
  }

  private feed(clientId: string, bytes: Uint8Array): void {
    const c = this.clients.get(clientId);
    if (!c) return; // closed meanwhile: the bytes go nowhere, as on a dead socket
    try {
      c.feed(bytes);
    } catch (e) {
      // A bug in the engine drops this connection, not the world (as server mode does).
      this.clients.delete(clientId);
      this.pending.delete(clientId);
      try { this.server.disconnect(c); } catch { /* the failure is reported below */ }
      this.send({ type: 'closed', clientId });
      this.send({ type: 'error', fatal: false, clientId, message: `internal engine error: ${describe(e)}` });
    }
  }

  private queue(clientId: string, data: string): void {
    let chunks = this.pending.get(clientId);
    if (!chunks) this.pending.set(clientId, chunks = []);
    chunks.push(data);
    // Writes made during one task (e.g. a PUBLISH reaching many subscribers, a MONITOR line per
    // command of a pipeline) go out as one message per client.
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      this.defer(() => this.flush());
    }
  }

  private flushClient(clientId: string): void {
    const chunks = this.pending.get(clientId);
    if (!chunks) return;
    this.pending.delete(clientId);
    const bytes = binaryToBytes(chunks.length === 1 ? chunks[0] : chunks.join(''));
    this.send({ type: 'data', clientId, bytes }, [bytes.buffer as ArrayBuffer] /* made by binaryToBytes: never shared */);
  }

  /** Posts every client's pending output. */
  flush(): void {
    this.flushScheduled = false;
    for (const clientId of [...this.pending.keys()]) this.flushClient(clientId);
  }
}

export function describe(e: unknown): string {
  if (e instanceof Error) return e.stack && e.stack.includes(e.message) ? e.stack : `${e.name}: ${e.message}`;
  return String(e);
}
