// What the engine's real code paths report to an observer (the app's panels, tests): typed events,
// stamped with the virtual time. A server's `trace` is null unless someone listens, so tracing
// costs one null check where an event could be emitted. Emitting never changes the engine's state
// and never depends on anything but the engine's state: a traced run is the same run.
//
// Adding a kind: a new member of TraceEvent with its own `kind`, emitted where the work happens,
// and an entry in TRACE_KINDS (the recorder keeps a separate budget per kind).
import type { NotifyClass } from '../server/notify.ts';
import type { SkiplistTraceEvent } from './skiplistTrace.ts';
import type { QuicklistTraceEvent } from './quicklistTrace.ts';
import type { DictRehashTraceEvent, DictResizeTraceEvent } from './dictTrace.ts';
import type { EvictionCandidate } from '../server/evict.ts';
import type { ExpireCycleType, ExpireDbStop } from '../server/expire.ts';

interface TraceEventBase {
  /** Virtual time (unix ms) when it happened. */
  at: number;
}

/**
 * A keyspace event as notifyKeyspaceEvent receives it (before notify-keyspace-events decides
 * whether to publish it): every one is traced, whatever that setting says.
 */
export interface KeyspaceTraceEvent extends TraceEventBase {
  kind: 'keyspace';
  /** NOTIFY_* class (server/notify.ts). */
  type: NotifyClass;
  /** Redis's event name: 'set', 'lpush', 'expired', 'del', 'new', 'keymiss' ... */
  event: string;
  key: string;
  db: number;
}

/** A command call() ran (after it ran: the keyspace events it fired come before it). */
export interface CommandTraceEvent extends TraceEventBase {
  kind: 'command';
  /** CLIENT ID of the client that ran it. */
  client: number;
  /** The command's full name as the command table has it: 'set', 'client|list'. */
  name: string;
  /** The client's database when the command started (SELECT reports the one it left). */
  db: number;
  /** The keys the command line names (COMMAND GETKEYS), at most TRACED_KEYS of them. */
  keys: string[];
  /** How many keys it names in all. */
  keyCount: number;
  /** Modelled duration (server/cost.ts), as SLOWLOG and commandstats see it. */
  durationUs: number;
  /**
   * On the main thread's time (µs on the engine clock, RedisServer.threadFreeUs): when the bytes
   * holding it arrived (its client's last read), when it started (later if the thread was busy:
   * it waited `startUs - arrivalUs`) and when it ended (`startUs + durationUs`). A command EXEC
   * ran starts where the previous one inside the same EXEC ended.
   */
  arrivalUs: number;
  startUs: number;
  endUs: number;
  /** Its reply was an error. */
  failed: boolean;
  /** It blocked its client (BLPOP with nothing to pop ...): it completes later. */
  blocked: boolean;
  /** Run by EXEC (or another command) rather than by the client directly. */
  nested: boolean;
}

/**
 * Lazy expiry (expireIfNeeded): a lookup found the key past its deadline and deleted it. Emitted
 * just before the delete (so before its 'expired' keyspace event).
 */
export interface ExpireLazyTraceEvent extends TraceEventBase {
  kind: 'expire-lazy';
  db: number;
  key: string;
  /** The deadline it had (unix ms): `at - expireAt` is how late the deletion came. */
  expireAt: number;
  /** The command whose lookup found it ('get', 'exists' ...) and its client; null outside a command. */
  command: string | null;
  client: number | null;
}

/** What an active expire cycle did in one database (ExpireDbReport, with bounded key lists). */
export interface ExpireCycleDbTrace {
  db: number;
  /** Sampling rounds done; `rounds` has them all, or (beyond TRACED_ROUNDS) the first ones and the last. */
  roundCount: number;
  rounds: { sampled: number; expired: number }[];
  sampled: number;
  expired: number;
  /** The first TRACED_CYCLE_KEYS keys looked at, and of those deleted (over all rounds). */
  sampledKeys: string[];
  expiredKeys: string[];
  /** Sampled again: a round found more than `acceptableStale` percent of its samples expired. */
  repeated: boolean;
  stop: ExpireDbStop;
}

/**
 * activeExpireCycle ran (a fast cycle that declined to run is not reported, nor a cycle that only
 * met databases without volatile keys).
 */
export interface ExpireCycleTraceEvent extends TraceEventBase {
  kind: 'expire-cycle';
  type: ExpireCycleType;
  /** The databases visited that had volatile keys, in visiting order. */
  dbs: ExpireCycleDbTrace[];
  /** Databases visited in all (those without volatile keys included). */
  dbsVisited: number;
  sampled: number;
  expired: number;
  /** Modelled time used and the budget (microseconds); whether the budget stopped it. */
  elapsedUs: number;
  timelimitUs: number;
  timelimitExit: boolean;
  /** Keys sampled per round, and the expired percentage above which a database is sampled again. */
  keysPerLoop: number;
  acceptableStale: number;
}

/** performEvictions evicted a key. */
export interface EvictTraceEvent extends TraceEventBase {
  kind: 'evict';
  policy: string;
  db: number;
  key: string;
  /** The victim with its score (idle ms, 255 - LFU counter, or minus its deadline; 0 for random). */
  victim: EvictionCandidate;
  /** The candidates evictionPoolPopulate sampled for this pick (first TRACED_SAMPLES), and how many. */
  sampled: EvictionCandidate[];
  sampledCount: number;
  /** The pool after sampling, before the victim left it: worst to best (empty for random policies). */
  pool: EvictionCandidate[];
  /** Pool entries skipped because their key was gone. */
  ghosts: EvictionCandidate[];
  maxmemory: number;
  /** used_memory before and after the delete. */
  usedBefore: number;
  usedAfter: number;
  /** The value went to the lazy-free thread. */
  lazy: boolean;
}

/**
 * Why a value changed encoding (trace/conversions.ts): more elements than the *-max-*-entries
 * limit; an element longer than the *-max-listpack-value limit; a listpack about to pass its 1 GB
 * safety size; a non-integer member added to an intset; an intset widened for a value that did not
 * fit ('width'); a *STORE result small enough for a listpack again ('small'); SORT needing the
 * skiplist; a loaded value (RDB, RESTORE) re-encoded for this server's config; a string about to
 * be changed in place becoming a private raw string ('write').
 */
export type ConversionReason = 'entries' | 'value' | 'safety' | 'not-integer' | 'width' | 'small' | 'sort' | 'load' | 'write';

/**
 * A value changed encoding in place (or a value being built for the key did, before it was
 * stored), or a DEBUG RELOAD loaded it in another encoding than it had: what OBJECT ENCODING says
 * changed, or an intset's element width grew. The one event for a conversion: the encoding panel
 * and the skiplist panel (zsetConvert to a skiplist) both read it.
 */
export interface EncodingTraceEvent extends TraceEventBase {
  kind: 'encoding';
  db: number;
  key: string;
  type: 'string' | 'hash' | 'set' | 'zset';
  /** The Redis function doing it: hashTypeConvert, setTypeConvert, intsetUpgradeAndAdd, zsetConvert, dbUnshareStringValue, rdbLoadObject. */
  fn: string;
  /** Encodings as OBJECT ENCODING names them; for an intset upgrade the widths: 'int16' -> 'int32'. */
  from: string;
  to: string;
  reason: ConversionReason;
  /** The CONFIG parameter whose limit was passed, or null. */
  config: string | null;
  /** That parameter's value when it happened, or null. */
  limit: number | null;
  /** What passed it: the element count, or the offending element's length in bytes; null if none. */
  actual: number | null;
  /** The element that caused it (at most ELEMENT_PREVIEW bytes), or null. */
  element: string | null;
  /** Elements the value held when converted (ZADD converts before adding its member, HSET after), or null (a string). */
  elements: number | null;
  /** Bytes of the compact form it left (the listpack's or intset's size then), or null. */
  bytes: number | null;
}

/** An encoding event quotes at most this many bytes of the element that caused it. */
export const ELEMENT_PREVIEW = 64;

/**
 * Bytes on the network between a client and its server (only while the world has a latency,
 * World.latencyMs): sent now and arriving at `arriveAt` ('send'), or arrived ('deliver').
 */
export interface NetTraceEvent extends TraceEventBase {
  kind: 'net';
  phase: 'send' | 'deliver';
  /** request: client to server; reply: server to client (replies, pushes). */
  dir: 'request' | 'reply';
  /** CLIENT ID of the client at either end. */
  client: number;
  /** How many bytes; null for the connection's end (the client hung up, the server closed it). */
  bytes: number | null;
  sentAt: number;
  arriveAt: number;
}

/**
 * A big value (or a whole database) was handed to the lazy-free thread (bioCreateLazyFreeJob):
 * when the thread will start and finish it at its modelled speed (lazyfree.ts), in µs on the
 * engine clock, given the jobs queued before it.
 */
export interface LazyFreeTraceEvent extends TraceEventBase {
  kind: 'lazyfree';
  job: 'object' | 'database';
  /** Allocations to free (lazyfreeGetFreeEffort), and what lazyfree_pending_objects counts for it. */
  effort: number;
  objects: number;
  startUs: number;
  endUs: number;
  /** The command that queued it and its client, or null outside a command. */
  command: string | null;
  client: number | null;
}

export type TraceEvent = NetTraceEvent | LazyFreeTraceEvent | KeyspaceTraceEvent | CommandTraceEvent | ExpireLazyTraceEvent | ExpireCycleTraceEvent | EvictTraceEvent | EncodingTraceEvent | DictResizeTraceEvent | DictRehashTraceEvent | SkiplistTraceEvent | QuicklistTraceEvent;
export type TraceKind = TraceEvent['kind'];

/** Every kind, in a fixed order (budgets and counts are kept per kind). */
export const TRACE_KINDS: readonly TraceKind[] = ['net', 'lazyfree', 'keyspace', 'command', 'expire-lazy', 'expire-cycle', 'evict', 'encoding', 'dict-resize', 'dict-rehash', 'zslInsert', 'zslDelete', 'zslUpdateScore', 'zslSearch', 'quicklistNode', 'quicklistCompress'];

/** Receives events from a server's code paths (`server.trace`). */
export interface TraceSink {
  emit(event: TraceEvent): void;
}

/** A command event names at most this many of its keys (MSET of a million keys names 16). */
export const TRACED_KEYS = 16;
