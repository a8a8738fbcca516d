// The engine side of the worker protocol: one world with one Redis server, whose clients are the
// UI's connections. Kept free of worker globals (messages in through handle(), out through `post`)
// so it runs the same in the worker and in a unit test.
import { binaryToBytes } from '../engine/bytes.ts';
import { restoreWorld, snapshotWorld } from '../engine/persist/worldFile.ts';
import { REDIS_VERSION, type RedisServer } from '../engine/server/redisServer.ts';
import { Timeline, type TimelineSink, type TimelineTarget } from '../engine/sim/timeline.ts';
import { World } from '../engine/sim/world.ts';
import { TraceRecorder } from '../engine/trace/recorder.ts';
import { runSnapshotQuery, type SnapshotQuery } from '../engine/trace/snapshots.ts';
import {
  MAX_LATENCY_MS, MAX_SPEED, MIN_SPEED, PROTOCOL_VERSION, versioned, type FromWorker, type FromWorkerBody, type TimeStatus, type ToWorker,
} from './protocol.ts';
import { checkDemoRequest, PipelineDemo, type PipelineDemoRequest } from './pipelineDemo.ts';

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
  /**
   * Makes `world` afresh, the same every time (restoreWorld of the same save): the base a rewind
   * rebuilds. Without it, the base is a snapshot of `world`, and the world run is restored from it.
   */
  rebuild?: () => World;
}

/** A client's input the host got while the world was paused: it waits for play or a step. */
type WaitingInput =
  | { kind: 'connect'; clientId: string; peer: string }
  | { kind: 'feed'; clientId: string; bytes: Uint8Array }
  | { kind: 'disconnect'; clientId: string };

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
/** While the world plays, a `time` message at least every this many ticks (the clock moved). */
const TIME_STATUS_TICKS = 10;

export class EngineHost {
  /**
   * The world's recorded history (src/engine/sim/timeline.ts): every input goes through it, so the
   * world can be rewound. Replaced as a whole by replaceWorld (reset, import).
   */
  private timeline: Timeline;
  server: RedisServer;
  /** The UI's connections (the timeline may hold clients of the past too: their output goes nowhere). */
  private readonly clients = new Set<string>();
  /** Output written by the server and not posted yet, per connection (byte strings). */
  private readonly pending = new Map<string, string[]>();
  private flushScheduled = false;
  private nextPeerPort = FIRST_PEER_PORT;
  /** Each connection's peer address (what CLIENT LIST shows as addr=). Ids are never reused. */
  private readonly peers = new Map<string, string>();
  /** The event stream: on while the UI asks for it (`trace`), posted once per flush. */
  private readonly traceRecorder = new TraceRecorder(EVENTS_PER_KIND);
  private tracing = false;
  /** The world was replaced since the last `events` message. */
  private resync = false;
  private readonly defer: (fn: () => void) => void;
  // Time control: the world plays (virtual time follows the host's clock at `speed`) or is paused
  // (the clock stands still, clients' input waits in `waiting`).
  private playing = true;
  private speed = 1;
  /** The fraction of a virtual millisecond not applied yet (time moves in whole ms). */
  private carry = 0;
  private readonly waiting: WaitingInput[] = [];
  /** `time` messages: on while the UI asks for them (`time-watch`). */
  private timeWatch = false;
  private lastTimeKey = '';
  private ticksSinceTime = 0;
  private lastRewindMs: number | null = null;
  /** Counts rewinds: the world changed as a whole without being replaced (for the autosave). */
  rewinds = 0;
  /** The event loop panel's pipeline demo while one runs (its connection is not a UI one). */
  private demo: PipelineDemo | null = null;
  private nextDemoConnection = 1;
  private readonly sink: TimelineSink = {
    write: (clientId, data) => {
      if (this.clients.has(clientId)) this.queue(clientId, data);
      else if (this.demo?.connection === clientId) this.demo.received(data, this.world.now);
    },
    closed: (clientId, error) => {
      if (this.demo?.connection === clientId) this.endDemo(error === undefined ? 'the server closed the connection' : `internal engine error: ${describe(error)}`);
      if (!this.clients.delete(clientId)) return; // a client of the past, or already hung up
      if (error === undefined) this.flushClient(clientId); // what the server wrote before goes first
      else this.pending.delete(clientId);
      this.send({ type: 'closed', clientId });
      if (error !== undefined) this.send({ type: 'error', fatal: false, clientId, message: `internal engine error: ${describe(error)}` });
    },
  };

  constructor(private readonly post: Post, options: EngineHostOptions) {
    this.defer = options.defer ?? ((fn) => queueMicrotask(fn));
    if (options.world) {
      this.timeline = this.newTimeline(options.world, options.rebuild);
    } else {
      const { seed, startTime } = options;
      this.timeline = this.newTimeline(null, () => createWorld(seed, startTime));
    }
    this.server = mainServer(this.world);
  }

  /** The world as it stands. */
  get world(): World { return this.timeline.world; }

  /**
   * A timeline whose base is `rebuild` (with the learner's settings, as mainServer makes them);
   * `world` is what it makes, if already made. Without `rebuild`, the base is a snapshot of `world`.
   */
  private newTimeline(world: World | null, rebuild?: () => World): Timeline {
    let make = rebuild;
    if (!make) {
      const snapshot = snapshotWorld(world!);
      make = () => restoreWorld(snapshot);
      world = null;
    }
    const base = make;
    const timeline = new Timeline(() => {
      const w = base();
      mainServer(w);
      return w;
    }, world ?? undefined);
    timeline.sink = this.sink;
    return timeline;
  }

  /**
   * Runs another world from now on (a reset, an import), with a history of its own. Every client
   * is closed first, with what it was still owed: its server is gone, as after a restart of a real
   * one, and redis-cli reconnects on its next command. Throws, changing nothing, if the world has
   * no server. `rebuild`: as EngineHostOptions.rebuild.
   */
  replaceWorld(world: World, rebuild?: () => World): void {
    mainServer(world);
    this.flush();
    this.closeAll();
    const timeline = this.newTimeline(world, rebuild);
    const server = mainServer(timeline.world);
    this.moveTrace(this.server, server);
    this.timeline = timeline;
    this.server = server;
    this.flush();
  }

  /** Closes every UI connection (their server is gone, or went back in time); waiting input is dropped. */
  private closeAll(): void {
    if (this.demo) this.endDemo('the world was replaced or rewound');
    const ids = [...this.clients];
    this.clients.clear();
    this.pending.clear();
    this.waiting.length = 0;
    for (const clientId of ids) this.send({ type: 'closed', clientId });
  }

  private send(body: FromWorkerBody, transfer: ArrayBuffer[] = []): void {
    this.post(versioned(body), transfer);
  }

  /** Tells the UI the world is running. */
  announce(): void {
    this.send({ type: 'ready', redisVersion: REDIS_VERSION });
  }

  /**
   * `ms` of the host's clock went by: while the world plays, its virtual time moves `ms` x speed
   * (cron, expiries, timeouts, the end of a DEBUG SLEEP; in the past, the recorded history plays
   * again). Paused, nothing moves.
   */
  advance(ms: number): void {
    if (this.playing && ms > 0) {
      const virtual = ms * this.speed + this.carry;
      const whole = Math.floor(virtual);
      this.carry = virtual - whole;
      if (whole > 0) this.play(whole);
    }
    this.ticksSinceTime++;
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
      case 'send':
        // Closed meanwhile: the bytes go nowhere, as on a dead socket.
        if (this.clients.has(msg.clientId)) this.input({ kind: 'feed', clientId: msg.clientId, bytes: msg.bytes });
        break;
      case 'disconnect':
        if (this.clients.delete(msg.clientId)) {
          this.pending.delete(msg.clientId);
          this.input({ kind: 'disconnect', clientId: msg.clientId });
        }
        break;
      case 'time-play': this.setPlaying(msg.playing); break;
      case 'time-speed': this.setSpeed(msg.speed); break;
      case 'time-step': this.step(msg.unit); break;
      case 'time-seek': this.seek(msg.target); break;
      case 'time-watch':
        this.timeWatch = msg.enabled;
        this.lastTimeKey = '';
        break;
      case 'time-skip':
        if (Number.isFinite(msg.ms) && msg.ms >= 1) this.timeline.advance(Math.floor(msg.ms));
        break;
      case 'ping': this.send({ type: 'pong', id: msg.id, clients: this.clients.size }); break;
      case 'crash': throw new Error('crash requested (a test of the restart path)');
      case 'query': this.send({ type: 'snapshot', id: msg.id, result: runSnapshotQuery(this.server, this.withPeers(msg.query), this.world) }); break;
      case 'trace': this.setTracing(msg.enabled); break;
      case 'net-latency':
        if (Number.isFinite(msg.ms)) this.timeline.setLatency(Math.min(MAX_LATENCY_MS, Math.max(0, msg.ms)));
        this.lastTimeKey = '';
        break;
      case 'pipeline-demo': this.startDemo(msg.id, msg.request); break;
    }
    this.pumpDemo();
    this.flush();
  }

  // --- the pipeline demo (event loop panel) --------------------------------------------------------

  /**
   * Starts a demo run on a connection of its own: connected and its first send now (as a step
   * does, even while paused); the rest follows the replies as virtual time moves.
   */
  private startDemo(id: number, request: PipelineDemoRequest): void {
    const refused = this.demo ? 'a demo is already running' : checkDemoRequest(request);
    if (refused) {
      this.send({ type: 'pipeline-demo-done', id, result: null, error: refused });
      return;
    }
    let connection = `demo${this.nextDemoConnection++}`;
    while (this.timeline.has(connection)) connection = `demo${this.nextDemoConnection++}`;
    this.timeline.connect(connection, serverName(this.world, this.server), `${SERVER_HOST}:${this.nextPeerPort++}`, `${SERVER_HOST}:${SERVER_PORT}`);
    // The newest client of the server is the one just made.
    let client = 0;
    for (const c of this.server.clients.values()) client = c.id;
    this.demo = new PipelineDemo(id, connection, { ...request, argv: request.argv.slice() }, this.world.latencyMs, client);
  }

  /** Sends what the demo has to send now (its next command, once a reply came); ends it when done. */
  private pumpDemo(): void {
    for (let demo = this.demo; demo && demo === this.demo; demo = this.demo) {
      if (demo.done) {
        this.demo = null;
        this.timeline.disconnect(demo.connection);
        this.send({ type: 'pipeline-demo-done', id: demo.id, result: demo.result(), error: null });
        return;
      }
      const bytes = demo.next(this.world.now);
      if (!bytes) return;
      this.timeline.feed(demo.connection, bytes);
    }
  }

  private endDemo(error: string): void {
    const demo = this.demo;
    if (!demo) return;
    this.demo = null;
    this.send({ type: 'pipeline-demo-done', id: demo.id, result: null, error });
  }

  /**
   * Moves virtual time `ms` forward. While a demo runs, a millisecond at a time: it sends its next
   * command in the millisecond the previous reply arrived.
   */
  private play(ms: number): void {
    let left = ms;
    while (left > 0 && this.demo) {
      this.timeline.play(1);
      left--;
      this.pumpDemo();
    }
    if (left > 0) this.timeline.play(left);
  }

  /** A lesson-facts query names the lesson's clients by connection id: the engine knows them by address. */
  private withPeers(query: SnapshotQuery): SnapshotQuery {
    if (query?.kind !== 'lesson-facts' || !query.clients) return query;
    return { ...query, clients: query.clients.map((c) => (c.connection === undefined ? c : { ...c, addr: this.peers.get(c.connection) })) };
  }

  private connect(clientId: string): void {
    if (this.clients.has(clientId) || this.timeline.has(clientId)) {
      this.send({ type: 'connected', clientId, error: 'Connection id already in use' });
      return;
    }
    this.clients.add(clientId);
    // Paused, the connection is accepted at once (as a kernel accepts into the backlog of a server
    // that is stopped) and the server sees it on play.
    const peer = `${SERVER_HOST}:${this.nextPeerPort++}`;
    this.peers.set(clientId, peer);
    this.input({ kind: 'connect', clientId, peer });
    this.send({ type: 'connected', clientId, error: null });
  }

  /** A client's input: to the world now while it plays, else it waits (in order) for play or a step. */
  private input(input: WaitingInput): void {
    if (this.playing && this.waiting.length === 0) this.apply(input);
    else this.waiting.push(input);
  }

  /** Hands a client's input to the world, through its timeline (recorded; forks if in the past). */
  private apply(input: WaitingInput): void {
    switch (input.kind) {
      case 'connect':
        this.timeline.connect(input.clientId, serverName(this.world, this.server), input.peer, `${SERVER_HOST}:${SERVER_PORT}`);
        return;
      case 'feed': this.timeline.feed(input.clientId, input.bytes); return;
      case 'disconnect': this.timeline.disconnect(input.clientId); return;
    }
  }

  // --- time control -----------------------------------------------------------------------------

  private setPlaying(playing: boolean): void {
    this.playing = playing;
    if (playing) for (const input of this.waiting.splice(0)) this.apply(input);
    this.lastTimeKey = '';
  }

  private setSpeed(speed: number): void {
    if (Number.isFinite(speed)) this.speed = Math.min(MAX_SPEED, Math.max(MIN_SPEED, speed));
    this.lastTimeKey = '';
  }

  /**
   * One step, and the world stays paused: 'event' runs the scheduler's next event (a cron tick
   * ...); 'command' runs the next command waiting (with the connects before it), or in the past,
   * the history up to its next command.
   */
  private step(unit: 'event' | 'command'): void {
    this.playing = false;
    this.carry = 0;
    if (unit === 'event') {
      this.timeline.stepEvent();
    } else if (this.waiting.some((w) => w.kind === 'feed')) {
      for (;;) {
        const input = this.waiting.shift()!;
        this.apply(input);
        if (input.kind === 'feed') break;
      }
    } else {
      this.timeline.stepCommand();
    }
    this.lastTimeKey = '';
  }

  /**
   * Puts the world where it was at `target`, paused there (to look at it; play replays the
   * history from there, a command forks it). The UI's connections are closed (their server went
   * back in time; redis-cli reconnects on its next command), the input waiting is dropped, and
   * panels are told to read everything again.
   */
  private seek(target: TimelineTarget): void {
    const started = performance.now();
    this.playing = false;
    this.flush();
    this.closeAll();
    this.server.trace = null;
    this.timeline.seek(target);
    this.server = mainServer(this.world);
    this.server.trace = this.tracing ? this.traceRecorder : null;
    this.resync = true;
    this.carry = 0;
    this.rewinds++;
    this.lastRewindMs = performance.now() - started;
    this.lastTimeKey = '';
  }

  /** Where time stands: for the time bar. */
  timeStatus(): TimeStatus {
    return {
      ...this.timeline.status(),
      playing: this.playing, speed: this.speed, waiting: this.waiting.length,
      lastRewindMs: this.lastRewindMs,
      busyUntil: this.server.isBusy ? this.server.busyUntil : 0,
      inFlight: this.world.inFlight.requests + this.world.inFlight.replies,
      latencyMs: this.world.latencyMs,
    };
  }

  /** Posts the time status when something changed, and while playing every few ticks (the clock). */
  private flushTime(): void {
    if (!this.timeWatch) return;
    const status = this.timeStatus();
    const key = `${status.position}/${status.length}/${status.into > 0}/${status.waiting}/${status.forks.length}/${status.playing}/${status.speed}/${status.commandCount}/${status.busyUntil}/${status.inFlight}/${status.latencyMs}`;
    if (key === this.lastTimeKey && (this.ticksSinceTime < TIME_STATUS_TICKS || !status.playing)) return;
    this.lastTimeKey = key;
    this.ticksSinceTime = 0;
    this.send({ type: 'time', status });
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

  /** Posts every client's pending output, then the events that came with it, then where time stands. */
  flush(): void {
    this.flushScheduled = false;
    for (const clientId of [...this.pending.keys()]) this.flushClient(clientId);
    this.flushEvents();
    this.flushTime();
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

/** The name `server` has in `world`. */
function serverName(world: World, server: RedisServer): string {
  for (const [name, s] of world.servers) if (s === server) return name;
  throw new Error('the server is not in the world');
}

export function describe(e: unknown): string {
  if (e instanceof Error) return e.stack && e.stack.includes(e.message) ? e.stack : `${e.name}: ${e.message}`;
  return String(e);
}
