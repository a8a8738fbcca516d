// The UI side of the engine worker: starts it, checks it is alive, restarts it when it dies, and
// carries any number of client connections to its world (one per terminal, and short-lived ones).
import { binaryToBytes } from '../../engine/bytes.ts';
import type { SnapshotQuery, SnapshotResults } from '../../engine/trace/snapshots.ts';
import type { TraceEvent, TraceKind } from '../../engine/trace/events.ts';
import {
  versioned, type FromWorker, type LessonSetup, type TimelineTarget, type TimeStatus, type ToWorker, type ToWorkerBody, type WorldExportFormat, type WorldStatus,
} from '../../worker/protocol.ts';
import type { PipelineDemoRequest, PipelineDemoResult } from '../../worker/protocol.ts';
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
  /** The connection's id in the worker protocol (a lesson's facts query names its clients by it). */
  readonly id?: string;
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

/**
 * What the engine did, as one delivery to event subscribers: everything that arrived since the
 * last animation frame, in order.
 */
export interface EventBatch {
  events: TraceEvent[];
  /** Events the worker (or this side, while frames did not run) left out, per kind. */
  dropped: Partial<Record<TraceKind, number>>;
  /** The world was replaced (reset, import, a restarted worker): re-read everything. */
  resync: boolean;
}

export type EventListener = (batch: EventBatch) => void;

/** Runs a callback at the next animation frame (requestAnimationFrame), or whenever a test says. */
export type FrameScheduler = (fn: () => void) => void;

/**
 * Events kept between two frames at most: a tab in the background runs no frames, and what a
 * long session does there is counted as dropped rather than kept.
 */
export const MAX_EVENTS_PER_FRAME = 20000;

function defaultFrameScheduler(): FrameScheduler {
  const g = globalThis as { requestAnimationFrame?: (cb: () => void) => unknown };
  if (typeof g.requestAnimationFrame === 'function') return (fn) => { g.requestAnimationFrame!(() => fn()); };
  return (fn) => { setTimeout(fn, 16); };
}

export interface EngineWorkerOptions {
  /** Starts a worker running src/worker/engine.worker.ts. */
  create: () => WorkerLike;
  /** Delivers event batches (requestAnimationFrame by default). */
  scheduleFrame?: FrameScheduler;
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
  /** Snapshot queries waiting for their answer. */
  private readonly queries = new Map<number, { resolve: (r: unknown) => void; reject: (e: Error) => void }>();
  private nextQuery = 1;
  private readonly eventListeners = new Set<EventListener>();
  /** Events received since the last frame; null when none. */
  private pendingEvents: EventBatch | null = null;
  private frameScheduled = false;
  private readonly scheduleFrame: FrameScheduler;
  /** The running world's status (where it came from, its saves); null until the worker reports it. */
  private worldValue: WorldStatus | null = null;
  private readonly worldListeners = new Set<(w: WorldStatus | null) => void>();
  /** World requests (save, reset, export, import) waiting for their `world-done`. */
  private readonly worldRequests = new Map<number, { resolve: (bytes: Uint8Array | undefined) => void; reject: (e: Error) => void }>();
  private nextWorldRequest = 1;
  /** Where the world stands in time (time control); null until the worker reports it while watched. */
  private timeValue: TimeStatus | null = null;
  private readonly timeListeners = new Set<(t: TimeStatus | null) => void>();
  /** Pipeline demo runs (event loop panel) waiting for their `pipeline-demo-done`. */
  private readonly demos = new Map<number, { resolve: (r: PipelineDemoResult) => void; reject: (e: Error) => void }>();
  private nextDemo = 1;

  constructor(options: EngineWorkerOptions) {
    this.create = options.create;
    this.scheduleFrame = options.scheduleFrame ?? defaultFrameScheduler();
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
    // A fresh worker streams events only when asked.
    if (this.eventListeners.size > 0) this.post({ type: 'trace', enabled: true });
    if (this.timeListeners.size > 0) this.post({ type: 'time-watch', enabled: true });
  }

  private post(body: ToWorkerBody, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(versioned(body), transfer);
  }

  private receive(m: FromWorker): void {
    switch (m.type) {
      case 'ready':
        this.startFailures = 0;
        this.setStatus({ state: 'ready', redisVersion: m.redisVersion });
        // A (re)started world: whatever a panel read before is not this world's.
        this.queueEvents([], {}, true);
        return;
      case 'snapshot': {
        const q = this.queries.get(m.id);
        if (!q) return;
        this.queries.delete(m.id);
        if (m.result.kind === 'error') q.reject(new Error(m.result.message));
        else q.resolve(m.result);
        return;
      }
      case 'events':
        this.queueEvents(m.events, m.dropped, m.resync);
        return;
      case 'world-status':
        this.setWorld(m.status);
        return;
      case 'time':
        this.setTime(m.status);
        return;
      case 'pipeline-demo-done': {
        const d = this.demos.get(m.id);
        if (!d) return;
        this.demos.delete(m.id);
        if (m.result) d.resolve(m.result);
        else d.reject(new Error(m.error ?? 'the demo did not run'));
        return;
      }
      case 'world-done': {
        const r = this.worldRequests.get(m.id);
        if (!r) return;
        this.worldRequests.delete(m.id);
        if (m.error !== null) r.reject(new Error(m.error));
        else r.resolve(m.bytes);
        return;
      }
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
   * away), and a fresh worker starts, which restores the world last saved to IndexedDB (changes
   * after that save are lost) and reports it in its `world-status`.
   */
  restart(reason: string): void {
    if (this.disposed) return;
    this.worker.terminate();
    this.failQueries('the engine restarted');
    // The fresh worker restores the last save and reports it (its `world-status`).
    this.failWorldRequests('the engine restarted');
    this.setWorld(null);
    this.setTime(null); // a fresh worker has a fresh history
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
      id: clientId,
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

  /**
   * Reads the world's state without changing it (src/engine/trace/snapshots.ts). Rejects when the
   * query cannot be answered, or the worker stops before answering.
   */
  query<K extends SnapshotQuery['kind']>(query: SnapshotQuery & { kind: K }): Promise<SnapshotResults[K]> {
    if (this.disposed || this.statusValue.state === 'failed') return Promise.reject(new Error('the engine is not running'));
    const id = this.nextQuery++;
    return new Promise((resolve, reject) => {
      this.queries.set(id, { resolve: resolve as (r: unknown) => void, reject });
      this.post({ type: 'query', id, query });
    });
  }

  /**
   * Calls `fn` with what the engine does (keyspace events, commands ...), at most once per
   * animation frame. The worker streams events only while someone listens. Returns the
   * unsubscribe function.
   */
  onEvents(fn: EventListener): () => void {
    this.eventListeners.add(fn);
    if (this.eventListeners.size === 1 && !this.disposed) this.post({ type: 'trace', enabled: true });
    return () => {
      if (!this.eventListeners.delete(fn) || this.eventListeners.size > 0 || this.disposed) return;
      this.post({ type: 'trace', enabled: false });
      this.pendingEvents = null;
    };
  }

  private queueEvents(events: TraceEvent[], dropped: Partial<Record<TraceKind, number>>, resync: boolean): void {
    if (this.eventListeners.size === 0) return;
    const batch = this.pendingEvents ??= { events: [], dropped: {}, resync: false };
    batch.resync ||= resync;
    for (const [kind, n] of Object.entries(dropped) as [TraceKind, number][]) batch.dropped[kind] = (batch.dropped[kind] ?? 0) + n;
    const room = Math.max(0, MAX_EVENTS_PER_FRAME - batch.events.length);
    for (let i = 0; i < events.length; i++) {
      if (i < room) batch.events.push(events[i]);
      else batch.dropped[events[i].kind] = (batch.dropped[events[i].kind] ?? 0) + 1;
    }
    if (!this.frameScheduled) {
      this.frameScheduled = true;
      this.scheduleFrame(() => this.deliverEvents());
    }
  }

  private deliverEvents(): void {
    this.frameScheduled = false;
    const batch = this.pendingEvents;
    this.pendingEvents = null;
    if (!batch || this.disposed) return;
    for (const fn of [...this.eventListeners]) fn(batch);
  }

  private failQueries(message: string): void {
    const waiting = [...this.queries.values(), ...this.demos.values()];
    this.queries.clear();
    this.demos.clear();
    for (const q of waiting) q.reject(new Error(message));
  }

  // --- the event loop panel -----------------------------------------------------------------------

  /** Sets the one-way network latency between clients and the server (ms), recorded in the history. */
  setLatency(ms: number): void {
    if (!this.disposed) this.post({ type: 'net-latency', ms });
  }

  /**
   * Runs the pipeline demo (N commands as N round trips or one pipeline, on a connection of its
   * own, on virtual time): resolves once the last reply arrived, rejects with why it did not run.
   */
  runPipelineDemo(request: PipelineDemoRequest): Promise<PipelineDemoResult> {
    if (this.disposed || this.statusValue.state === 'failed') return Promise.reject(new Error('the engine is not running'));
    const id = this.nextDemo++;
    return new Promise((resolve, reject) => {
      this.demos.set(id, { resolve, reject });
      this.post({ type: 'pipeline-demo', id, request });
    });
  }

  /** The running world's status; null while a worker is starting (it reports it before `ready`). */
  get world(): WorldStatus | null { return this.worldValue; }

  /** Calls `fn` with every change of the world's status; returns the unsubscribe function. */
  onWorld(fn: (w: WorldStatus | null) => void): () => void {
    this.worldListeners.add(fn);
    return () => { this.worldListeners.delete(fn); };
  }

  private setWorld(w: WorldStatus | null): void {
    this.worldValue = w;
    for (const fn of this.worldListeners) fn(w);
  }

  private worldRequest(body: (id: number) => ToWorkerBody, transfer: ArrayBuffer[] = []): Promise<Uint8Array | undefined> {
    if (this.disposed || this.statusValue.state === 'failed') return Promise.reject(new Error('the engine is not running'));
    const id = this.nextWorldRequest++;
    return new Promise((resolve, reject) => {
      this.worldRequests.set(id, { resolve, reject });
      this.post(body(id), transfer);
    });
  }

  private failWorldRequests(message: string): void {
    const waiting = [...this.worldRequests.values()];
    this.worldRequests.clear();
    for (const r of waiting) r.reject(new Error(message));
  }

  /** Saves the world now if it changed (e.g. the page is being hidden). Rejects with why it failed. */
  async saveWorld(): Promise<void> {
    await this.worldRequest((id) => ({ type: 'world-save', id }));
  }

  /** Replaces the world by a fresh empty one (every client is disconnected), saved. */
  async resetWorld(): Promise<void> {
    await this.worldRequest((id) => ({ type: 'world-reset', id }));
  }

  /** The world as a file: a Rediscope world file (JSON) or the main server's dump.rdb. */
  async exportWorld(format: WorldExportFormat): Promise<Uint8Array> {
    const bytes = await this.worldRequest((id) => ({ type: 'world-export', id, format }));
    if (!bytes) throw new Error('the engine sent no file');
    return bytes;
  }

  /**
   * Replaces the world by the one in a world file or dump.rdb (every client is disconnected).
   * Rejects with the reason when the file is refused; the running world is then untouched.
   */
  async importWorld(bytes: Uint8Array): Promise<void> {
    const copy = bytes.slice(); // its buffer is handed over to the worker
    await this.worldRequest((id) => ({ type: 'world-import', id, bytes: copy }), [copy.buffer as ArrayBuffer]);
  }

  /**
   * Runs a lesson's starting world (the learner's own world is kept aside first, if it is the
   * one running), or with null brings that world (the sandbox) back. Every client is disconnected.
   * Rejects with why, changing nothing, if the sandbox could not be kept.
   */
  async lessonWorld(lesson: { id: string; setup: LessonSetup } | null): Promise<void> {
    await this.worldRequest((id) => ({ type: 'world-lesson', id, lesson }));
  }

  // --- time control ------------------------------------------------------------------------------

  /** Lets `ms` of virtual time pass at once (recorded in the history, like time played). */
  skipTime(ms: number): void {
    if (!this.disposed) this.post({ type: 'time-skip', ms });
  }

  /** Where the world stands in time; null until reported (only while someone watches: onTime). */
  get time(): TimeStatus | null { return this.timeValue; }

  /**
   * Calls `fn` with every change of where time stands (the worker reports only while someone
   * watches). Returns the unsubscribe function.
   */
  onTime(fn: (t: TimeStatus | null) => void): () => void {
    this.timeListeners.add(fn);
    if (this.timeListeners.size === 1 && !this.disposed) this.post({ type: 'time-watch', enabled: true });
    return () => {
      if (!this.timeListeners.delete(fn) || this.timeListeners.size > 0 || this.disposed) return;
      this.post({ type: 'time-watch', enabled: false });
    };
  }

  private setTime(t: TimeStatus | null): void {
    this.timeValue = t;
    for (const fn of this.timeListeners) fn(t);
  }

  /** Plays (virtual time moves, waiting commands run) or pauses (time stands still, commands wait). */
  setPlaying(playing: boolean): void {
    if (!this.disposed) this.post({ type: 'time-play', playing });
  }

  /** Virtual time per real time, 0.1x to 100x. */
  setSpeed(speed: number): void {
    if (!this.disposed) this.post({ type: 'time-speed', speed });
  }

  /** One engine event (the next cron tick ...) or one command, then paused. */
  step(unit: 'event' | 'command'): void {
    if (!this.disposed) this.post({ type: 'time-step', unit });
  }

  /**
   * Puts the world where it was at a point of its history, paused. Every connection is closed
   * (redis-cli reconnects on its next command, which then acts in the past: the history forks
   * there); play replays the recorded history from there instead.
   */
  seek(target: TimelineTarget): void {
    if (!this.disposed) this.post({ type: 'time-seek', target });
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
    this.failQueries('the engine was stopped');
    this.failWorldRequests('the engine was stopped');
    this.worldListeners.clear();
    this.timeListeners.clear();
    this.eventListeners.clear();
    this.pendingEvents = null;
  }
}
