// The engine side of the worker protocol: one world with one Redis server, whose clients are the
// UI's connections. Kept free of worker globals (messages in through handle(), out through `post`)
// so it runs the same in the worker and in a unit test.
import { binaryToBytes } from '../engine/bytes.ts';
import type { Client } from '../engine/server/client.ts';
import { REDIS_VERSION, type RedisServer } from '../engine/server/redisServer.ts';
import { World } from '../engine/sim/world.ts';
import { TraceRecorder } from '../engine/trace/recorder.ts';
import { runSnapshotQuery } from '../engine/trace/snapshots.ts';
import { PROTOCOL_VERSION, versioned, type FromWorker, type FromWorkerBody, type ToWorker } from './protocol.ts';

/** Posts a message, handing over the listed buffers (postMessage's transfer list). */
export type Post = (message: FromWorker, transfer: ArrayBuffer[]) => void;

export interface EngineHostOptions {
  seed: number;
  /** Unix ms the world's clock starts at. */
  startTime: number;
  /** Hands a callback to run after the current task (queueMicrotask in the worker). */
  defer?: (fn: () => void) => void;
  /** A world to run instead of a fresh one (restored from a save); seed and startTime are then unused. */
  world?: World;
}

/** Where the learner's server listens, as redis-cli sees it. */
export const SERVER_HOST = '127.0.0.1';
export const SERVER_PORT = 6379;
/**
 * Events of each kind one `events` message carries at most (the rest are counted): a burst such as
 * DEBUG POPULATE 1000000 makes one message of bounded size, not a million.
 */
export const EVENTS_PER_KIND = 1000;
/** Connections get made-up ephemeral ports, so CLIENT LIST shows addresses redis-cli would. */
const FIRST_PEER_PORT = 51000;

export class EngineHost {
  /** Replaced as a whole by replaceWorld (reset, import). */
  world: World;
  server: RedisServer;
  private readonly clients = new Map<string, Client>();
  /** Output written by the server and not posted yet, per connection (byte strings). */
  private readonly pending = new Map<string, string[]>();
  private flushScheduled = false;
  private nextPeerPort = FIRST_PEER_PORT;
  /** The event stream: on while the UI asks for it (`trace`), posted once per flush. */
  private readonly traceRecorder = new TraceRecorder(EVENTS_PER_KIND);
  private tracing = false;
  /** The world was replaced since the last `events` message. */
  private resync = false;
  private readonly defer: (fn: () => void) => void;

  constructor(private readonly post: Post, options: EngineHostOptions) {
    this.defer = options.defer ?? ((fn) => queueMicrotask(fn));
    this.world = options.world ?? createWorld(options.seed, options.startTime);
    this.server = mainServer(this.world);
  }

  /**
   * Runs another world from now on (a reset, an import). Every client is closed first, with what
   * it was still owed: its server is gone, as after a restart of a real one, and redis-cli
   * reconnects on its next command. Throws, changing nothing, if the world has no server.
   */
  replaceWorld(world: World): void {
    const server = mainServer(world);
    this.flush();
    const ids = [...this.clients.keys()];
    this.clients.clear();
    this.pending.clear();
    this.moveTrace(this.server, server);
    this.world = world;
    this.server = server;
    for (const clientId of ids) this.send({ type: 'closed', clientId });
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
      case 'query': this.send({ type: 'snapshot', id: msg.id, result: runSnapshotQuery(this.server, msg.query) }); break;
      case 'trace': this.setTracing(msg.enabled); break;
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

  /** Posts every client's pending output, then the events that came with it. */
  flush(): void {
    this.flushScheduled = false;
    for (const clientId of [...this.pending.keys()]) this.flushClient(clientId);
    this.flushEvents();
  }

  private setTracing(enabled: boolean): void {
    this.tracing = enabled;
    this.server.trace = enabled ? this.traceRecorder : null;
    if (!enabled) this.traceRecorder.take();
  }

  /** The stream follows the world's server when the world is replaced; what was read is stale. */
  private moveTrace(from: RedisServer, to: RedisServer): void {
    from.trace = null;
    to.trace = this.tracing ? this.traceRecorder : null;
    this.resync = true;
  }

  private flushEvents(): void {
    if (!this.tracing || (this.traceRecorder.isEmpty && !this.resync)) return;
    const { events, dropped } = this.traceRecorder.take();
    this.send({ type: 'events', events, dropped, resync: this.resync });
    this.resync = false;
  }
}

/** The name of the learner's server in the world (the one the terminals talk to). */
export const MAIN_SERVER = 'main';

/** The world a learner starts with: one server with the default config, listening on 6379. */
export function createWorld(seed: number, startTime: number): World {
  const world = new World({ seed, startTime });
  world.addServer(MAIN_SERVER, { port: SERVER_PORT });
  return world;
}

/**
 * The world's server for the terminals (named 'main', else the first), made fit for a learner: it
 * allows DEBUG (SLEEP, OBJECT, POPULATE ...), which Redis allows only when configured. Restored and
 * imported worlds get the same (a dump.rdb carries no config).
 */
export function mainServer(world: World): RedisServer {
  const server = world.servers.get(MAIN_SERVER) ?? world.servers.values().next().value;
  if (!server) throw new Error('the world has no server');
  if (server.config.get('enable-debug-command') !== 'yes') server.config.setFact('enable-debug-command', 'yes');
  return server;
}

export function describe(e: unknown): string {
  if (e instanceof Error) return e.stack && e.stack.includes(e.message) ? e.stack : `${e.name}: ${e.message}`;
  return String(e);
}
