// One Redis server instance: its config, databases, clients, command dispatch and cron. Many can
// live in one process (a world of masters, replicas, sentinels, cluster nodes); each gets its clock
// and PRNG injected, so the same seed and inputs always give the same state.
import type { ResizePolicy } from '../ds/dict.ts';
import type { Clock } from '../sim/clock.ts';
import type { Random } from '../sim/random.ts';
import { allCommands } from '../commands/index.ts';
import { Client, type ClientConnection } from './client.ts';
import { CommandTable } from './commandTable.ts';
import { Config } from './config.ts';
import { Db } from './db.ts';
import type { NotifyClass } from './notify.ts';
import type { RedisObject } from './object.ts';

export const REDIS_VERSION = '7.0.15';

/** LRU clock: seconds resolution in 24 bits (LRU_CLOCK_RESOLUTION, LRU_CLOCK_MAX). */
export const LRU_CLOCK_MAX = (1 << 24) - 1;
export const LRU_CLOCK_RESOLUTION = 1000;
/** New objects start with this LFU counter so they are not evicted at once. */
export const LFU_INIT_VAL = 5;

/**
 * Cost model for time-bounded work: Redis bounds its cron rehashing by wall-clock time (1 ms per
 * call); a deterministic engine bounds it by work instead. 10 batches of 100 buckets stand for 1 ms.
 */
export const REHASH_BATCHES_PER_MS = 10;
/** CRON_DBS_PER_CALL */
const CRON_DBS_PER_CALL = 16;

export interface ServerOptions {
  clock: Clock;
  random: Random;
  /** Settings applied at start, as in redis.conf (names as CONFIG GET shows them). */
  config?: Record<string, string>;
  /** TCP port this instance pretends to listen on (INFO, HELLO, prompts). */
  port?: number;
}

export interface ServerStats {
  totalCommandsProcessed: number;
  totalConnectionsReceived: number;
  keyspaceHits: number;
  keyspaceMisses: number;
  expiredKeys: number;
  /** Per-command calls, by full name, for INFO commandstats. */
  commandCalls: Map<string, { calls: number; rejected: number; failed: number }>;
  /** Error replies by code, for INFO errorstats. */
  errorReplies: Map<string, number>;
}

const commandTable = new CommandTable(allCommands);

export class RedisServer {
  readonly clock: Clock;
  readonly random: Random;
  readonly config: Config;
  readonly commands = commandTable;
  readonly dbs: Db[];
  readonly clients = new Map<number, Client>();
  readonly port: number;
  /** Seeds every dict's hash function (Redis seeds siphash randomly at start). */
  readonly hashSeed: number;
  readonly resizePolicy: ResizePolicy = { canResize: true };
  readonly startedAt: number;
  readonly stats: ServerStats = {
    totalCommandsProcessed: 0, totalConnectionsReceived: 0, keyspaceHits: 0, keyspaceMisses: 0,
    expiredKeys: 0, commandCalls: new Map(), errorReplies: new Map(),
  };
  /** Changes since the last save (server.dirty). */
  dirty = 0;
  /** Cached time for the command being run, like server.mstime: fixed during one command. */
  mstime: number;
  /** Number of serverCron runs (cronloops). */
  cronLoops = 0;
  /** Whether the active expire cycle runs (DEBUG SET-ACTIVE-EXPIRE). */
  activeExpireEnabled = true;
  private nextClientId = 1;
  private resizeDb = 0;
  private rehashDb = 0;
  private readonly pendingWrites = new Set<Client>();
  /** Hooks run at the end of every cron (e.g. the active expire cycle). */
  private readonly cronTasks: ((server: RedisServer) => void)[] = [];

  constructor(options: ServerOptions) {
    this.clock = options.clock;
    this.random = options.random;
    this.config = new Config(options.config);
    this.port = options.port ?? 6379;
    this.mstime = this.startedAt = this.clock.now();
    this.hashSeed = this.random.nextU32();
    this.dbs = Array.from({ length: this.config.num('databases') }, (_, i) => new Db(this, i));
  }

  // --- clients ---------------------------------------------------------------------------------

  connect(connection: ClientConnection): Client {
    this.updateCachedTime();
    const c = new Client(this, this.nextClientId++, this.dbs[0], connection);
    this.clients.set(c.id, c);
    this.stats.totalConnectionsReceived++;
    return c;
  }

  /** The transport went away (or we close it): forget the client. */
  disconnect(c: Client): void {
    if (c.closed) return;
    c.closed = true;
    this.clients.delete(c.id);
    this.pendingWrites.delete(c);
  }

  /** Marks a client as having output to send at the next flush. */
  queueWrite(c: Client): void {
    this.pendingWrites.add(c);
  }

  /** handleClientsWithPendingWrites: hands buffered replies to the transports. */
  flushPendingWrites(): void {
    for (const c of this.pendingWrites) {
      this.pendingWrites.delete(c);
      if (c.closed) continue;
      const out = c.reply.take();
      if (out.length > 0) c.connection.write(out);
      if (c.closeAfterReply) {
        this.disconnect(c);
        c.connection.close();
      }
    }
  }

  // --- commands --------------------------------------------------------------------------------

  updateCachedTime(): void {
    this.mstime = this.clock.now();
  }

  /** processCommand: lookup, arity check, then call. The client's argv is set. */
  processCommand(c: Client): void {
    this.updateCachedTime();
    c.lastInteraction = this.mstime;
    this.queueWrite(c);
    const argv = c.argv;
    const cmd = this.commands.lookup(argv);
    c.cmd = cmd;
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
    this.call(c);
  }

  /** Replies with an error for a command that never ran (counted as rejected). */
  private rejectCommand(c: Client, msg: string): void {
    if (c.cmd) this.commandStats(c.cmd.fullName).rejected++;
    this.countError(msg);
    c.reply.error(msg);
  }

  private commandStats(name: string) {
    let s = this.stats.commandCalls.get(name);
    if (!s) this.stats.commandCalls.set(name, (s = { calls: 0, rejected: 0, failed: 0 }));
    return s;
  }

  private countError(msg: string): void {
    this.countErrorCode(msg.startsWith('-') ? msg.slice(1).split(' ')[0] : 'ERR');
  }

  private countErrorCode(code: string): void {
    this.stats.errorReplies.set(code, (this.stats.errorReplies.get(code) ?? 0) + 1);
  }

  /** call(): runs the command's implementation and keeps the stats. */
  call(c: Client): void {
    const cmd = c.cmd!;
    const before = c.reply.out.length;
    cmd.proc!(c);
    this.stats.totalCommandsProcessed++;
    const s = this.commandStats(cmd.fullName);
    s.calls++;
    // A reply that starts with an error line means the command failed.
    if (c.reply.out.charCodeAt(before) === 45 /* '-' */) {
      s.failed++;
      const end = c.reply.out.indexOf('\r\n', before);
      this.countErrorCode(c.reply.out.slice(before + 1, end).split(' ')[0]);
    }
  }

  // --- hooks other subsystems fill in ----------------------------------------------------------

  /** signalModifiedKey: a key changed. WATCH (transactions issue) invalidates from here. */
  signalModifiedKey(_c: Client | null, _db: Db, _key: string): void {}

  /** notifyKeyspaceEvent: publishing needs pub/sub; the call sites are already in place. */
  notifyKeyspaceEvent(_type: NotifyClass, _event: string, _key: string, _dbid: number): void {}

  // --- LRU / LFU -------------------------------------------------------------------------------

  get usesLfu(): boolean { return this.config.get('maxmemory-policy').includes('lfu'); }

  lruClock(): number {
    return Math.floor(this.mstime / LRU_CLOCK_RESOLUTION) & LRU_CLOCK_MAX;
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

  /** Milliseconds between serverCron runs: the host schedules cron() this often. */
  get cronIntervalMs(): number {
    const hz = Math.max(1, Math.min(500, this.config.num('hz')));
    return 1000 / hz;
  }

  addCronTask(task: (server: RedisServer) => void): void {
    this.cronTasks.push(task);
  }

  /** serverCron: background work Redis does `hz` times a second. */
  cron(): void {
    this.updateCachedTime();
    for (const task of this.cronTasks) task(this);
    this.databasesCron();
    this.cronLoops++;
    this.flushPendingWrites();
  }

  /** databasesCron's table maintenance: shrink sparse tables, then rehash a bit. */
  private databasesCron(): void {
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
        for (let b = 0; b < REHASH_BATCHES_PER_MS && d.rehash(100); b++);
        break;
      }
      this.rehashDb++;
    }
  }
}
