// The expiry and eviction snapshot: a database's keys with a TTL, soonest deadline first, on the
// virtual clock; what the active expire cycle keeps between runs (its cursor, its last report);
// and, for maxmemory, used_memory, the policy, the eviction pool's 16 slots as they are, and the
// last evictions with the samples and pool each victim was chosen from.
//
// Reading is all it does: the expires dict's tables are walked directly (no lookup: no lazy
// expiry, no rehash step), used_memory is summed from the model's parts without re-measuring keys
// touched by a running command (between commands there are none), and the eviction state and
// reports are copied, not consumed.
import type { Dict } from '../ds/dict.ts';
import type { ExpireTime } from '../server/db.ts';
import type { EvictionCandidate, EvictionRecord, EvictionRunReport } from '../server/evict.ts';
import {
  ACTIVE_EXPIRE_CYCLE_ACCEPTABLE_STALE, ACTIVE_EXPIRE_CYCLE_FAST_DURATION, ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP,
  ACTIVE_EXPIRE_CYCLE_SLOW_TIME_PERC, type ExpireCycleType,
} from '../server/expire.ts';
import type { RedisServer } from '../server/redisServer.ts';
import type { ExpireCycleDbTrace } from './events.ts';
import { cycleDbTraces } from './expiryEvents.ts';
import type { DbCount } from './keyspace.ts';

export interface ExpiryQuery {
  kind: 'expiry';
  db: number;
  /** At most this many volatile keys are listed (default DEFAULT_EXPIRY_LIMIT, at most MAX_EXPIRY_LIMIT). */
  limit?: number;
}

export const DEFAULT_EXPIRY_LIMIT = 200;
export const MAX_EXPIRY_LIMIT = 2000;
/** Evictions of EvictionState.recent the snapshot carries (the latest). */
export const SNAPSHOT_EVICTIONS = 8;

export interface VolatileKey {
  key: string;
  /** The deadline (unix ms), as PEXPIRETIME says. */
  expireAt: number;
  /** PTTL at the snapshot's `now`; negative: past its deadline, expired but not deleted yet. */
  ttl: number;
}

/** activeExpireCycle's last run (ExpireCycleReport), per database with volatile keys. */
export interface ExpireCycleSummary {
  type: ExpireCycleType;
  dbsVisited: number;
  dbs: ExpireCycleDbTrace[];
  sampled: number;
  expired: number;
  elapsedUs: number;
  timelimitUs: number;
  timelimitExit: boolean;
}

export interface ExpiryCycleState {
  /** DEBUG SET-ACTIVE-EXPIRE: whether the cycle runs at all. */
  enabled: boolean;
  hz: number;
  /** active-expire-effort (1..10) and what it makes of the cycle's parameters. */
  effort: number;
  keysPerLoop: number;
  acceptableStale: number;
  /** Budgets in microseconds: a slow cycle (a share of the cron period) and a fast one. */
  slowBudgetUs: number;
  fastBudgetUs: number;
  /** The database the next cycle starts with. */
  nextDb: number;
  /** The last cycle ran out of time: fast cycles run from beforeSleep until one finishes. */
  timelimitExit: boolean;
  /** This database's bucket cursor in its expires table, and its running average TTL (INFO avg_ttl). */
  cursor: number;
  avgTtl: number;
  last: ExpireCycleSummary | null;
}

/** A performEvictions run, without its per-eviction records. */
export type EvictionRunSummary = Omit<EvictionRunReport, 'records'>;

export interface EvictionSnapshot {
  /** maxmemory (0: no limit), used_memory as INFO reports it, and the policy. */
  maxmemory: number;
  usedMemory: number;
  policy: string;
  samples: number;
  tenacity: number;
  /** The pool's slots as they are, left (worst) to right (best); null is an empty slot. */
  pool: (EvictionCandidate | null)[];
  /** The eviction timer is on (a run hit its time limit, or maxmemory was just set). */
  procRunning: boolean;
  lastRun: EvictionRunSummary | null;
  /** The latest evictions recorded, oldest first: victim, samples, the pool it came from. */
  recent: EvictionRecord[];
}

export interface ExpiryStats {
  expiredKeys: number;
  evictedKeys: number;
  /** INFO's expired_stale_perc ("%.2f"). */
  expiredStalePerc: string;
  expiredTimeCapReachedCount: number;
  expireCycleCpuMs: number;
}

export interface ExpirySnapshot {
  kind: 'expiry';
  db: number;
  /** The virtual time TTLs are measured from (whole unix ms, as the server's mstime). */
  now: number;
  /** Keys in the database, and those with a TTL. */
  keys: number;
  volatile: number;
  /** Volatile keys already past their deadline (not deleted yet). */
  overdue: number;
  /** The `limit` soonest deadlines, sorted by deadline then key bytes. */
  deadlines: VolatileKey[];
  dbs: DbCount[];
  cycle: ExpiryCycleState;
  eviction: EvictionSnapshot;
  stats: ExpiryStats;
}

/** Whether deadline/key a comes before b. */
function earlier(aWhen: number, aKey: string, bWhen: number, bKey: string): boolean {
  return aWhen < bWhen || (aWhen === bWhen && aKey < bKey);
}

/** The `limit` soonest deadlines of an expires dict, read from its tables; and how many are past `now`. */
function soonest(expires: Dict<ExpireTime>, limit: number, now: number): { top: { key: string; when: number }[]; overdue: number } {
  const top: { key: string; when: number }[] = [];
  let overdue = 0;
  for (const table of expires.tables) {
    if (!table) continue;
    for (let i = 0; i < table.length; i++) {
      for (let e = table[i]; e; e = e.next) {
        const when = Number(e.value);
        if (when < now) overdue++;
        const n = top.length;
        if (n === limit && !earlier(when, e.key, top[n - 1].when, top[n - 1].key)) continue;
        let lo = 0;
        let hi = n;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (earlier(top[mid].when, top[mid].key, when, e.key)) lo = mid + 1;
          else hi = mid;
        }
        top.splice(lo, 0, { key: e.key, when });
        if (top.length > limit) top.pop();
      }
    }
  }
  return { top, overdue };
}

/**
 * used_memory as MemoryModel.usedMemory() sums it, without re-measuring keys a running command
 * signalled (that is bookkeeping the next command or cron does; between commands none are left).
 */
function usedMemoryNow(server: RedisServer): number {
  const mem = server.memory;
  let used = mem.startupBytes + mem.clientsBytes + server.lazyfree.pendingBytes;
  for (const db of server.dbs) used += mem.dbBytes(db);
  return used;
}

export function expirySnapshot(server: RedisServer, query: ExpiryQuery): ExpirySnapshot {
  const dbIndex = Math.trunc(query.db);
  if (!(dbIndex >= 0 && dbIndex < server.dbs.length)) throw new RangeError('DB index is out of range');
  const limit = Math.max(1, Math.min(MAX_EXPIRY_LIMIT, Math.trunc(query.limit ?? DEFAULT_EXPIRY_LIMIT) || 1));
  const db = server.dbs[dbIndex];
  // The cycle, lazy expiry and PTTL all use whole milliseconds.
  const now = Math.floor(server.clock.now());
  const { top, overdue } = soonest(db.expires, limit, now);

  const state = server.activeExpire;
  const hz = server.hz;
  // The same rescaling activeExpireCycle does (effort 1..10 -> 0..9).
  const effortConfig = server.config.num('active-expire-effort');
  const effort = effortConfig - 1;
  const slowBudgetUs = Math.max(1, Math.floor(Math.floor(((ACTIVE_EXPIRE_CYCLE_SLOW_TIME_PERC + 2 * effort) * 1000000) / hz) / 100));
  const last = state.lastCycle;
  const cycle: ExpiryCycleState = {
    enabled: server.activeExpireEnabled,
    hz,
    effort: effortConfig,
    keysPerLoop: ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP + Math.floor(ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP / 4) * effort,
    acceptableStale: ACTIVE_EXPIRE_CYCLE_ACCEPTABLE_STALE - effort,
    slowBudgetUs,
    fastBudgetUs: ACTIVE_EXPIRE_CYCLE_FAST_DURATION + Math.floor(ACTIVE_EXPIRE_CYCLE_FAST_DURATION / 4) * effort,
    nextDb: state.currentDb % server.dbs.length,
    timelimitExit: state.timelimitExit,
    cursor: db.expiresCursor,
    avgTtl: db.avgTtl,
    last: last && {
      type: last.type, dbsVisited: last.dbs.length, dbs: cycleDbTraces(last), sampled: last.sampled,
      expired: last.expired, elapsedUs: last.elapsedUs, timelimitUs: last.timelimitUs, timelimitExit: last.timelimitExit,
    },
  };

  const ev = server.evictions;
  const lastRun = ev.lastRun;
  let lastRunSummary: EvictionRunSummary | null = null;
  if (lastRun) {
    const { records: _records, ...rest } = lastRun;
    lastRunSummary = rest;
  }
  const eviction: EvictionSnapshot = {
    maxmemory: server.config.num('maxmemory'),
    usedMemory: usedMemoryNow(server),
    policy: server.config.get('maxmemory-policy'),
    samples: server.config.num('maxmemory-samples'),
    tenacity: server.config.num('maxmemory-eviction-tenacity'),
    pool: ev.pool.map((e) => (e ? { ...e } : null)),
    procRunning: ev.procRunning,
    lastRun: lastRunSummary,
    recent: ev.recent.slice(-SNAPSHOT_EVICTIONS).map((r) => ({
      ...r, victim: { ...r.victim }, sampled: r.sampled.map((c) => ({ ...c })), pool: r.pool.map((c) => ({ ...c })),
      ghosts: r.ghosts.map((c) => ({ ...c })),
    })),
  };

  return {
    kind: 'expiry',
    db: dbIndex,
    now,
    keys: db.size,
    volatile: db.expires.size,
    overdue,
    deadlines: top.map(({ key, when }) => ({ key, expireAt: when, ttl: when - now })),
    dbs: server.dbs.map((d) => ({ db: d.id, keys: d.size, volatile: d.expires.size })),
    cycle,
    eviction,
    stats: {
      expiredKeys: server.stats.expiredKeys,
      evictedKeys: ev.evictedKeys,
      expiredStalePerc: state.stalePercInfo,
      expiredTimeCapReachedCount: state.timeCapReachedCount,
      expireCycleCpuMs: state.cycleCpuMs,
    },
  };
}
