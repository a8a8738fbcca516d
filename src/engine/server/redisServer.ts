// One Redis server instance: its config, databases, clients, command dispatch and cron. Many can
// live in one process (a world of masters, replicas, sentinels, cluster nodes); each gets its clock
// and PRNG injected, so the same seed and inputs always give the same state.
import type { ResizePolicy } from '../ds/dict.ts';
import type { Clock } from '../sim/clock.ts';
import type { Random } from '../sim/random.ts';
import { allCommands } from '../commands/index.ts';
import { authRequired } from './auth.ts';
import { Blocking } from './blocking.ts';
import { Client, type ClientConnection } from './client.ts';
import { assignFd, clientsCronResizeOutputBuffers, noteReplyBufferUse } from './clientInfo.ts';
import { CommandTable, mayReplicate, type Command } from './commandTable.ts';
import { Config } from './config.ts';
import { modelledDurationUs, nestedCallWork } from './cost.ts';
import { Db } from './db.ts';
import { EvictionState, evictionTimeProc, performEvictions } from './evict.ts';
import { ActiveExpireState, activeExpireCycle, CRON_DBS_PER_CALL } from './expire.ts';
import { LatencyMonitor } from './latency.ts';
import { LazyFree } from './lazyfree.ts';
import { LFU_INIT_VAL, LRU_CLOCK_MAX, LRU_CLOCK_RESOLUTION } from './lru.ts';
import { MemoryModel } from './memory.ts';
import { feedMonitors } from './monitor.ts';
import {
  discardTransaction, flagTransaction, queueMultiCommand, touchAllWatchedKeysInDb, touchWatchedKey, unwatchAllKeys,
} from './multi.ts';
import type { NotifyClass } from './notify.ts';
import type { RedisObject } from './object.ts';
import { PubSub } from './pubsub.ts';
import { SlowLog } from './slowlog.ts';
import { Tracking } from './tracking.ts';
import { commandEvent, keyspaceEvent } from '../trace/emit.ts';
import { flushConversions } from '../trace/conversions.ts';
import type { TraceSink } from '../trace/events.ts';
import { DictTracer } from '../trace/dictTrace.ts';

export { REDIS_VERSION } from './version.ts';

/**
 * Cost model for time-bounded work: Redis bounds its cron rehashing by wall-clock time (1 ms per
 * call); a deterministic engine bounds it by work instead. 10 batches of 100 buckets stand for 1 ms.
 */
export const REHASH_BATCHES_PER_MS = 10;

export interface ServerOptions {
  clock: Clock;
  random: Random;
  /** Settings applied at start, as in redis.conf (names as CONFIG GET shows them). */
  config?: Record<string, string>;
  /** TCP port this instance pretends to listen on (INFO, HELLO, prompts). */
  port?: number;
}

export interface CommandStats {
  calls: number;
  rejected: number;
  failed: number;
  /** Modelled microseconds spent (cost.ts). */
  usec: number;
}

export interface ServerStats {
  totalCommandsProcessed: number;
  totalConnectionsReceived: number;
  keyspaceHits: number;
  keyspaceMisses: number;
  expiredKeys: number;
  /** Per-command calls, by full name, for INFO commandstats. */
  commandCalls: Map<string, CommandStats>;
  /** Error replies by code, for INFO errorstats. */
  errorReplies: Map<string, number>;
  /** Bytes received from and sent to clients (INFO total_net_input_bytes / output). */
  netInputBytes: number;
  netOutputBytes: number;
  /** Reads from and writes to client transports (INFO total_reads_processed / writes). */
  readsProcessed: number;
  writesProcessed: number;
}

function newStats(): ServerStats {
  return {
    totalCommandsProcessed: 0, totalConnectionsReceived: 0, keyspaceHits: 0, keyspaceMisses: 0,
    expiredKeys: 0, commandCalls: new Map(), errorReplies: new Map(),
    netInputBytes: 0, netOutputBytes: 0, readsProcessed: 0, writesProcessed: 0,
  };
}

/** STATS_METRIC_SAMPLES: instantaneous metrics average this many 100 ms samples. */
const STATS_METRIC_SAMPLES = 16;

/** One instantaneous metric (ops/sec, bytes/sec) sampled by the cron, as in trackInstantaneousMetric. */
export class InstantaneousMetric {
  private readonly samples = new Array<number>(STATS_METRIC_SAMPLES).fill(0);
  private idx = 0;
  constructor(private lastSampleTime: number, private lastSampleCount = 0) {}

  track(now: number, reading: number): void {
    const t = Math.floor(now) - Math.floor(this.lastSampleTime);
    const ops = reading - this.lastSampleCount;
    this.samples[this.idx] = t > 0 ? Math.trunc((ops * 1000) / t) : 0;
    this.idx = (this.idx + 1) % STATS_METRIC_SAMPLES;
    this.lastSampleTime = now;
    this.lastSampleCount = reading;
  }

  reset(now: number): void {
    this.samples.fill(0);
    this.idx = 0;
    this.lastSampleTime = now;
    this.lastSampleCount = 0;
  }

  /** The mean of the samples (integer division, as Redis). */
  get value(): number {
    return Math.trunc(this.samples.reduce((a, b) => a + b, 0) / STATS_METRIC_SAMPLES);
  }
}

/** A new 40-hex-digit id (run id, replication id) from the server's PRNG. */
function randomHexId(random: Random): string {
  let s = '';
  for (let i = 0; i < 40; i++) s += '0123456789abcdef'[random.below(16)];
  return s;
}

const commandTable = new CommandTable(allCommands);

/** Commands a client in MULTI runs at once instead of queueing them. */
const NOT_QUEUED = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);

/** Commands a RESP2 client may send while subscribed. */
const PUBSUB_CONTEXT_COMMANDS = new Set([
  'ping', 'subscribe', 'ssubscribe', 'unsubscribe', 'sunsubscribe', 'psubscribe', 'punsubscribe', 'quit', 'reset',
]);


const NOAUTH = '-NOAUTH Authentication required.';
const OOM = "-OOM command not allowed when used memory > 'maxmemory'.";

export class RedisServer {
  readonly clock: Clock;
  readonly random: Random;
  readonly config: Config;
  readonly commands = commandTable;
  readonly dbs: Db[];
  readonly clients = new Map<number, Client>();
  /** TCP port (INFO, HELLO, CONFIG GET port); server mode sets the real one once listening. */
  port: number;
  /** run_id: identifies this run of the server (INFO server). */
  readonly runId: string;
  /** master_replid: the replication history id; a standalone master makes one at start. */
  replId: string;
  /** Seeds every dict's hash function (Redis seeds siphash randomly at start). */
  readonly hashSeed: number;
  /** Shared by every dict of this server; its observer traces resizes and rehash steps (trace/dictTrace.ts). */
  readonly resizePolicy: ResizePolicy = { canResize: true, observer: new DictTracer(this) };
  readonly startedAt: number;
  readonly stats: ServerStats = newStats();
  /** ops/sec, input and output bytes/sec, sampled every 100 ms by the cron (INFO stats). */
  readonly instantaneous: { commands: InstantaneousMetric; netInput: InstantaneousMetric; netOutput: InstantaneousMetric };
  /** Unix time (seconds) of the last successful save; the start time until something saves. */
  lastSave: number;
  /**
   * The main thread's own time, in microseconds on the engine clock: when it is done with the work
   * it was given (the modelled durations of the commands it ran, cost.ts). A top-level command
   * starts at the later of now and this, and moves it to its end. See busyUntil.
   */
  threadFreeUs = 0;
  /**
   * Until this engine-clock time (ms) the server is stopped: its thread is still running commands
   * (a slow KEYS, a DEL of a big value, a backlog of pipelined commands, DEBUG SLEEP), as in Redis
   * while a command runs. It is floor(threadFreeUs / 1000) when that is later than now, so work
   * that ends within the current millisecond delays nothing. Input arriving meanwhile waits,
   * replies wait, the cron does not run. The host resumes the server (resume(), or simply cron())
   * once its clock reaches this time; 0 when not busy.
   */
  busyUntil = 0;
  /** Called when a command makes the server busy, so the host can schedule resume(). */
  onBusy: ((until: number) => void) | null = null;
  /** Where the next command EXEC runs starts on the thread (µs): they run one after another inside it. */
  private nestedStartUs = 0;
  /** Clients whose input arrived (or remained) while the server was busy, in arrival order. */
  private readonly heldInput = new Set<Client>();
  /** Changes since the last save (server.dirty). */
  dirty = 0;
  /** Cached time for the command being run, like server.mstime: fixed during one command. */
  mstime: number;
  /**
   * The LRU clock as of the cached time (server.lruclock, which Redis refreshes from its cron and
   * reads on every key access): computed with mstime rather than on each access.
   */
  private lruclock = 0;
  /** stats.commandCalls' records by Command.id, so call() does no Map lookup per command. */
  private commandStatsById: (CommandStats | undefined)[] = [];
  /** Number of serverCron runs (cronloops). */
  cronLoops = 0;
  /** Whether the active expire cycle runs (DEBUG SET-ACTIVE-EXPIRE). */
  activeExpireEnabled = true;
  /** The active expire cycle's state between runs, its INFO stats and its last report. */
  readonly activeExpire = new ActiveExpireState();
  /** Redis 7.0 gives ids 1 and 2 to its internal Lua and functions clients: the first connection is 3. */
  private nextClientId = 3;
  private resizeDb = 0;
  private rehashDb = 0;
  private readonly pendingWrites = new Set<Client>();
  readonly pubsub = new PubSub(this);
  readonly blocking = new Blocking(this);
  readonly slowlog = new SlowLog(this);
  /** Clients that ran MONITOR. */
  readonly monitors = new Set<Client>();
  /** server.in_exec: EXEC is running its queued commands. */
  inExec = false;
  /**
   * Work units the running command reported (see cost.ts), from which its modelled duration is
   * computed. Commands that touch many elements call chargeWork().
   */
  private commandWork = 0;
  /** How many call()s are running (EXEC runs its commands through call()). */
  private callDepth = 0;
  /** The latency monitor (LATENCY): events that took longer than latency-monitor-threshold. */
  readonly latency = new LatencyMonitor(this);
  /** Client-side caching: tracked keys and invalidation messages (CLIENT TRACKING). */
  readonly tracking = new Tracking(this);
  /** The lazy-free "thread" (lazyfree.ts) and the memory model (memory.ts), made once the dbs exist. */
  readonly lazyfree: LazyFree;
  readonly memory: MemoryModel;
  /** Eviction's pool, timer, stats and last report (evict.ts). */
  readonly evictions = new EvictionState();
  /** Who observes this server's events (engine/trace), or null: nobody, and no cost. */
  trace: TraceSink | null = null;

  constructor(options: ServerOptions) {
    this.clock = options.clock;
    this.random = options.random;
    this.config = new Config(options.config);
    this.port = options.port ?? this.config.num('port');
    this.config.setFact('port', String(this.port));
    // mstime() is whole milliseconds in Redis; the clock may be finer (ustime, MONITOR).
    this.mstime = this.startedAt = Math.floor(this.clock.now());
    this.lruclock = Math.floor(this.mstime / LRU_CLOCK_RESOLUTION) & LRU_CLOCK_MAX;
    this.hashSeed = this.random.nextU32();
    this.runId = randomHexId(this.random);
    this.replId = randomHexId(this.random);
    this.lastSave = Math.floor(this.startedAt / 1000);
    this.instantaneous = {
      commands: new InstantaneousMetric(this.startedAt),
      netInput: new InstantaneousMetric(this.startedAt),
      netOutput: new InstantaneousMetric(this.startedAt),
    };
    this.dbs = Array.from({ length: this.config.num('databases') }, (_, i) => new Db(this, i));
    this.lazyfree = new LazyFree(this);
    this.memory = new MemoryModel(this);
  }

  // --- clients ---------------------------------------------------------------------------------

  connect(connection: ClientConnection): Client {
    this.updateCachedTime();
    const c = new Client(this, this.nextClientId++, this.dbs[0], connection);
    this.clients.set(c.id, c);
    assignFd(this, c);
    this.stats.totalConnectionsReceived++;
    return c;
  }

  /** The transport went away (or we close it): forget the client. */
  disconnect(c: Client): void {
    if (c.closed) return;
    c.closed = true;
    if (c.blocked) this.blocking.unblockClient(c);
    discardTransaction(c);
    unwatchAllKeys(c);
    this.pubsub.unsubscribeAll(c);
    this.monitors.delete(c);
    this.tracking.disable(c);
    this.clients.delete(c.id);
    this.pendingWrites.delete(c);
    this.heldInput.delete(c);
  }

  /** The host learnt the real port (server mode listening on port 0). */
  setPort(port: number): void {
    this.port = port;
    this.config.setFact('port', String(port));
  }

  /** Marks a client as having output to send at the next flush. */
  queueWrite(c: Client): void {
    this.pendingWrites.add(c);
  }

  /** handleClientsWithPendingWrites: hands buffered replies to the transports. */
  flushPendingWrites(): void {
    if (this.isBusy) return; // a sleeping server writes nothing; resume() flushes
    for (const c of this.pendingWrites) {
      this.pendingWrites.delete(c);
      if (c.closed) continue;
      noteReplyBufferUse(c, c.reply.pendingBytes);
      // Usually one piece; a reply too big for one string comes in several.
      for (let out = c.reply.take(); out.length > 0; out = c.reply.take()) {
        this.stats.netOutputBytes += out.length;
        this.stats.writesProcessed++;
        c.connection.write(out);
        c.lastInteraction = this.clock.now(); // writeToClient counts as interaction too
      }
      if (c.closeAfterReply) {
        this.disconnect(c);
        c.connection.close();
      }
    }
  }

  // --- commands --------------------------------------------------------------------------------

  updateCachedTime(): void {
    this.mstime = Math.floor(this.clock.now());
    this.lruclock = Math.floor(this.mstime / LRU_CLOCK_RESOLUTION) & LRU_CLOCK_MAX;
  }

  // --- busy: the thread is running a command (thread time, DEBUG SLEEP) ---------------------------

  /** Whether the server is stopped (its thread still busy) at the clock's current time. */
  get isBusy(): boolean {
    return this.busyUntil > 0 && this.clock.now() < this.busyUntil;
  }

  /** Clients whose input waits for the thread (read only: panels), in arrival order. */
  get heldClients(): ReadonlySet<Client> {
    return this.heldInput;
  }

  /** Stops the server until engine-clock time `until` (ms): the thread is busy until then. */
  busyUntilTime(until: number): void {
    if (until <= this.clock.now()) return;
    this.busyUntil = until;
    this.onBusy?.(until);
  }

  /** A client's input must wait until the server is no longer busy. */
  holdInput(c: Client): void {
    this.heldInput.add(c);
  }

  /**
   * Once the clock has reached busyUntil: sends the replies that waited, then runs the input that
   * arrived meanwhile, client by client in arrival order (it may make the server busy again).
   * Returns false while the server is still busy.
   */
  resume(): boolean {
    if (this.busyUntil === 0) return true;
    if (this.isBusy) return false;
    this.busyUntil = 0;
    this.updateCachedTime();
    // What the command that slept made ready is served before anyone else's input runs.
    if (this.blocking.hasReadyKeys) this.blocking.handleClientsBlockedOnKeys();
    this.flushPendingWrites();
    for (const c of this.heldInput) {
      if (this.isBusy) break;
      this.heldInput.delete(c);
      c.processInput();
    }
    this.beforeSleep();
    return !this.isBusy;
  }

  /** processCommand: lookup, arity check, then call. The client's argv is set. */
  processCommand(c: Client): void {
    this.updateCachedTime();
    c.lastInteraction = this.mstime;
    this.queueWrite(c);
    const argv = c.argv;
    const cmd = this.commands.lookup(argv);
    c.cmd = c.lastCmd = cmd;
    if (!cmd) {
      if (this.commands.isContainer(argv[0])) {
        this.rejectCommand(c, `unknown subcommand '${argv[1].slice(0, 128)}'. Try ${argv[0].toUpperCase()} HELP.`);
      } else {
        let args = '';
        for (let i = 1; i < argv.length && args.length < 128; i++) {
          args += `'${argv[i].slice(0, 128 - args.length)}' `;
        }
        this.rejectCommand(c, `unknown command '${argv[0].slice(0, 128)}', with args beginning with: ${args}`);
      }
      return;
    }
    if ((cmd.arity > 0 && cmd.arity !== argv.length) || argv.length < -cmd.arity) {
      this.rejectCommand(c, `wrong number of arguments for '${cmd.fullName}' command`);
      return;
    }
    // DEBUG is a protected command: off unless enable-debug-command allows it. Every client of the
    // simulator counts as local (terminals in the page, loopback in server mode).
    if (cmd.fullName === 'debug' && this.config.get('enable-debug-command') === 'no') {
      this.rejectCommand(c, 'DEBUG command not allowed. If the enable-debug-command option is set to "local", ' +
        'you can run it from a local connection, otherwise you need to set this option in the configuration file, ' +
        'and then restart the server.');
      return;
    }
    // EXEC takes the flags of the commands it will run (write, deny-oom).
    const flags = cmd.fullName === 'exec' && c.tx.multi ? c.tx.multi.flags : cmd.flags;
    if (!cmd.flags.has('no_auth') && authRequired(c)) {
      this.rejectCommand(c, NOAUTH);
      return;
    }
    if (c.tx.multi && cmd.flags.has('no_multi')) {
      this.rejectCommand(c, 'Command not allowed inside a transaction');
      return;
    }
    if (this.config.num('maxmemory') > 0) {
      const outOfMemory = performEvictions(this) === 'fail';
      // Queueing inside MULTI takes memory too: refused under OOM, except what ends the MULTI.
      const rejectOnOom = flags.has('denyoom') ||
        (c.tx.multi !== null && !['exec', 'discard', 'quit', 'reset'].includes(cmd.fullName));
      if (outOfMemory && rejectOnOom) {
        this.rejectCommand(c, OOM);
        return;
      }
    }
    if (c.inPubSub && c.protocol === 2 && !PUBSUB_CONTEXT_COMMANDS.has(cmd.fullName)) {
      this.rejectCommand(c, `Can't execute '${cmd.fullName}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / ` +
        'PING / QUIT / RESET are allowed in this context');
      return;
    }
    // MONITOR makes a connection a replica of sorts, which must not touch the keyspace.
    if (this.monitors.has(c) && (flags.has('readonly') || flags.has('write') || mayReplicate(cmd))) {
      this.rejectCommand(c, "Replica can't interact with the keyspace");
      return;
    }
    // CLIENT PAUSE: the command waits (BLOCKED_POSTPONE) and runs from the start once it ends.
    if (this.blocking.mustPostpone(c, cmd)) {
      this.blocking.blockPostponeClient(c);
      return;
    }
    if (c.tx.multi && !NOT_QUEUED.has(cmd.fullName)) {
      queueMultiCommand(c);
      c.reply.status('QUEUED');
      return;
    }
    this.call(c);
    // A command that slept (DEBUG SLEEP in a transaction) serves them when it wakes (resume()).
    if (this.blocking.hasReadyKeys && !this.isBusy) this.blocking.handleClientsBlockedOnKeys();
  }

  /** Whether the default user has a password (requirepass), so new connections must AUTH. */
  get requiresPassword(): boolean {
    return this.config.get('requirepass') !== '';
  }

  /**
   * Replies with an error for a command that never ran (counted as rejected). Inside MULTI it
   * dooms the transaction; a refused EXEC discards it (execCommandAbort).
   */
  private rejectCommand(c: Client, msg: string): void {
    flagTransaction(c);
    if (c.cmd) this.commandStats(c.cmd).rejected++;
    if (c.cmd?.fullName === 'exec') {
      discardTransaction(c);
      msg = `-EXECABORT Transaction discarded because of: ${msg.startsWith('-') ? msg.slice(1) : msg}`;
      if (this.monitors.size > 0) feedMonitors(this, c, c.argv);
    }
    this.countError(msg);
    c.reply.error(msg);
  }

  private commandStats(cmd: Command): CommandStats {
    let s = this.commandStatsById[cmd.id];
    if (!s) {
      this.stats.commandCalls.set(cmd.fullName, (s = { calls: 0, rejected: 0, failed: 0, usec: 0 }));
      this.commandStatsById[cmd.id] = s;
    }
    return s;
  }

  private countError(msg: string): void {
    this.countErrorCode(msg.startsWith('-') ? msg.slice(1).split(' ')[0] : 'ERR');
  }

  private countErrorCode(code: string): void {
    this.stats.errorReplies.set(code, (this.stats.errorReplies.get(code) ?? 0) + 1);
  }

  /** Reports work done by the running command, for its modelled duration (see cost.ts). */
  chargeWork(units: number): void {
    this.commandWork += units;
  }

  /**
   * call(): runs the command's implementation, then what follows every command: stats, the
   * slow log, MONITOR. EXEC calls it for each queued command.
   */
  call(c: Client): void {
    const cmd = c.cmd!;
    const reply = c.reply;
    const before = reply.out.length;
    const argv = c.argv;
    const dbId = c.db.id;
    reply.errorAt = -1;
    const outerWork = this.commandWork;
    this.commandWork = 0;
    // On the thread's time: a top-level command starts once the thread is free (and not before
    // now); the commands EXEC runs start one after another from EXEC's start.
    const startUs = this.callDepth === 0 ? Math.max(Math.floor(this.clock.now() * 1000), this.threadFreeUs) : this.nestedStartUs;
    this.nestedStartUs = startUs;
    if (this.callDepth === 0) this.tracking.enterCommand(c);
    this.callDepth++;
    cmd.proc!(c);
    this.callDepth--;
    const work = this.commandWork;
    const durationUs = modelledDurationUs(work, reply.out.length - before);
    const endUs = startUs + durationUs;
    if (this.callDepth === 0) this.occupyThread(endUs);
    else this.nestedStartUs = endUs;
    // EXEC's cost includes its commands' (cost.ts); a top-level command starts from nothing.
    this.commandWork = this.callDepth > 0 ? outerWork + nestedCallWork(work) : 0;
    // AUTH and HELLO AUTH hide their secrets from the slow log and MONITOR (original_argv).
    const shownArgv = c.originalArgv ?? argv;
    this.latency.addSampleIfNeeded(cmd.flags.has('fast') ? 'fast-command' : 'command', Math.floor(durationUs / 1000));
    // A blocked command is logged when it ends (blocking.ts).
    if (c.blocked) c.blocked.durationUs = durationUs;
    else {
      this.slowlog.push(c, cmd, shownArgv, durationUs);
      this.latency.recordCommand(cmd.fullName, durationUs);
    }
    if (this.monitors.size > 0 && !cmd.flags.has('skip_monitor') && !cmd.flags.has('admin')) {
      feedMonitors(this, c, shownArgv);
    }
    if (!c.blocked) c.originalArgv = null;
    this.tracking.afterCall(c, cmd, argv, this.callDepth === 0);
    this.stats.totalCommandsProcessed++;
    const s = this.commandStats(cmd);
    s.calls++;
    s.usec += durationUs;
    this.memory.updatePeak();
    // A reply that starts with an error line means the command failed.
    if (reply.errorAt === before) {
      s.failed++;
      const space = reply.lastError.indexOf(' ');
      this.countErrorCode(space < 0 ? reply.lastError : reply.lastError.slice(0, space));
    }
    if (this.trace) {
      flushConversions(this, c, cmd, argv);
      this.trace.emit(commandEvent(this.clock.now(), c, cmd, argv, dbId, durationUs, reply.errorAt === before, this.callDepth > 0, startUs, endUs));
    }
  }

  /**
   * A top-level command kept the thread until `endUs`: the server is busy until that millisecond
   * if it is a later one than now (what runs within the current millisecond delays nothing).
   */
  private occupyThread(endUs: number): void {
    this.threadFreeUs = endUs;
    const until = Math.floor(endUs / 1000);
    if (until > this.clock.now()) this.busyUntilTime(until);
  }

  // --- hooks other subsystems fill in ----------------------------------------------------------

  /** signalModifiedKey: a key changed: WATCHers' transactions will fail. */
  signalModifiedKey(c: Client | null, db: Db, key: string): void {
    touchWatchedKey(db, key);
    this.memory.keyTouched(db, key); // the memory model picks up in-place changes
    this.tracking.invalidateKey(c, key);
  }

  /**
   * touchAllWatchedKeysInDb: FLUSHDB/FLUSHALL (replacedWith null) and SWAPDB invalidate WATCHed
   * keys of `emptied` that exist in it or in `replacedWith`. Called before the change.
   */
  touchAllWatchedKeysInDb(emptied: Db, replacedWith: Db | null): void {
    touchAllWatchedKeysInDb(emptied, replacedWith);
  }

  /** notifyKeyspaceEvent: publishes the event if notify-keyspace-events asks for it. */
  notifyKeyspaceEvent(type: NotifyClass, event: string, key: string, dbid: number): void {
    if (this.trace) this.trace.emit(keyspaceEvent(this.clock.now(), type, event, key, dbid));
    this.pubsub.notifyKeyspaceEvent(type, event, key, dbid);
  }

  // --- LRU / LFU -------------------------------------------------------------------------------

  /** Whether maxmemory-policy is an LFU one. Asked on every key access: cached per config change. */
  get usesLfu(): boolean {
    if (this.lfuCheckedAt !== this.config.generation) {
      this.lfuCheckedAt = this.config.generation;
      this.lfuPolicy = this.config.get('maxmemory-policy').includes('lfu');
    }
    return this.lfuPolicy;
  }
  private lfuCheckedAt = -1;
  private lfuPolicy = false;

  lruClock(): number {
    return this.lruclock;
  }

  /** Minutes clock used by LFU decay (16 bits). */
  lfuTimeInMinutes(): number {
    return Math.floor(this.mstime / 60000) & 65535;
  }

  /** Updates an object's access time, or its LFU counter under an LFU policy. */
  touchObject(o: RedisObject): void {
    if (this.usesLfu) {
      const counter = this.lfuLogIncr(this.lfuDecrAndReturn(o));
      o.lru = (this.lfuTimeInMinutes() << 8) | counter;
    } else {
      o.lru = this.lruClock();
    }
  }

  /** LFUDecrAndReturn: the counter after decaying by elapsed lfu-decay-time periods. */
  lfuDecrAndReturn(o: RedisObject): number {
    const ldt = o.lru >> 8;
    const counter = o.lru & 255;
    const now = this.lfuTimeInMinutes();
    const elapsed = now >= ldt ? now - ldt : 65535 - ldt + now;
    const decayTime = this.config.num('lfu-decay-time');
    const periods = decayTime ? Math.floor(elapsed / decayTime) : 0;
    return periods > counter ? 0 : counter - periods;
  }

  /** LFULogIncr: logarithmic increment, less likely the higher the counter. */
  private lfuLogIncr(counter: number): number {
    if (counter === 255) return 255;
    const r = this.random.next();
    const base = Math.max(0, counter - LFU_INIT_VAL);
    const p = 1 / (base * this.config.num('lfu-log-factor') + 1);
    return r < p ? counter + 1 : counter;
  }

  /** estimateObjectIdleTime, in milliseconds. */
  objectIdleMs(o: RedisObject): number {
    const now = this.lruClock();
    const ticks = now >= o.lru ? now - o.lru : LRU_CLOCK_MAX - o.lru + now;
    return ticks * LRU_CLOCK_RESOLUTION;
  }

  // --- cron ------------------------------------------------------------------------------------

  /** run_with_period(ms): whether this cron run is one of those due every `ms` milliseconds. */
  runWithPeriod(ms: number): boolean {
    const period = Math.trunc(1000 / this.hz);
    return ms <= period || this.cronLoops % Math.trunc(ms / period) === 0;
  }

  /** server.hz: the configured hz, which CONFIG SET already clamps into 1..500. */
  get hz(): number {
    return Math.max(1, Math.min(500, this.config.num('hz')));
  }

  /** CONFIG RESETSTAT: zero the INFO statistics, per-command stats and error stats. */
  resetStats(): void {
    const fresh = newStats();
    Object.assign(this.stats, fresh);
    this.commandStatsById = [];
    this.latency.histograms.clear();
    for (const m of Object.values(this.instantaneous)) m.reset(this.mstime);
    this.activeExpire.resetStats();
    this.evictions.resetStats(this.mstime);
    this.lazyfree.resetStats();
  }

  /** Milliseconds between serverCron runs: the host schedules cron() this often. */
  get cronIntervalMs(): number {
    return 1000 / this.hz;
  }

  /** serverCron: background work Redis does `hz` times a second. */
  cron(): void {
    // A sleeping server runs no cron; the first cron after the sleep resumes it.
    if (this.busyUntil > 0 && !this.resume()) return;
    this.updateCachedTime();
    if (this.runWithPeriod(100)) {
      this.instantaneous.commands.track(this.mstime, this.stats.totalCommandsProcessed);
      this.instantaneous.netInput.track(this.mstime, this.stats.netInputBytes);
      this.instantaneous.netOutput.track(this.mstime, this.stats.netOutputBytes);
    }
    this.lazyfree.catchUp();
    this.memory.cron();
    clientsCronResizeOutputBuffers(this);
    this.databasesCron();
    // maxmemory's eviction timer keeps going while idle, for up to one cron period.
    evictionTimeProc(this, 1000000 / this.hz);
    // Ends a CLIENT PAUSE whose time is over.
    this.blocking.checkPauseTimeoutAndReturnIfPaused();
    this.cronLoops++;
    this.beforeSleep();
  }

  /**
   * beforeSleep: what Redis does before waiting for more events (after each batch of client input
   * and each cron): a fast expire cycle when one is due, then the pending replies.
   */
  beforeSleep(): void {
    if (this.isBusy) return; // resume() runs it once the sleep is over
    this.blocking.handleTimeouts();
    // While clients are paused the data stays as it is: no active expiry.
    if (this.activeExpireEnabled && !this.blocking.checkPauseTimeoutAndReturnIfPaused()) activeExpireCycle(this, 'fast');
    // Clients unblocked since the last time run what they sent meanwhile.
    this.blocking.processUnblockedClients();
    this.tracking.broadcastInvalidations();
    // Keys made ready outside a command get their waiting clients served.
    if (this.blocking.hasReadyKeys) this.blocking.handleClientsBlockedOnKeys();
    this.lazyfree.catchUp();
    evictionTimeProc(this);
    this.flushPendingWrites();
  }

  /** databasesCron: the slow active expire cycle, then shrink sparse tables and rehash a bit. */
  private databasesCron(): void {
    // Always a master for now (a replica waits for its master's DELs instead).
    if (this.activeExpireEnabled && !this.blocking.checkPauseTimeoutAndReturnIfPaused()) activeExpireCycle(this, 'slow');
    const dbsPerCall = Math.min(CRON_DBS_PER_CALL, this.dbs.length);
    for (let j = 0; j < dbsPerCall; j++) {
      const db = this.dbs[this.resizeDb++ % this.dbs.length];
      if (db.dict.needsShrink()) db.dict.resize();
      if (db.expires.needsShrink()) db.expires.resize();
    }
    if (!this.config.bool('activerehashing')) return;
    for (let j = 0; j < dbsPerCall; j++) {
      const db = this.dbs[this.rehashDb % this.dbs.length];
      // incrementallyRehash: the main dict first, else the expires; one db's work per cron.
      const d = db.dict.isRehashing ? db.dict : db.expires.isRehashing ? db.expires : null;
      if (d) {
        for (let b = 0; b < REHASH_BATCHES_PER_MS && d.rehash(100, 'cron'); b++);
        break;
      }
      this.rehashDb++;
    }
  }
}
