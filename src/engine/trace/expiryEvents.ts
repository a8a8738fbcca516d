// Building the expiry and eviction trace events at the places that emit them (db.ts expireIfNeeded,
// expire.ts activeExpireCycle, evict.ts performEvictions), so each of those stays one line. Only
// called while a sink listens; they read what the code just did and change nothing. Type-only
// imports from the server, so the server modules can import this one without a cycle.
import type { Db } from '../server/db.ts';
import type { EvictionCandidate } from '../server/evict.ts';
import type { ExpireCycleReport } from '../server/expire.ts';
import type { RedisServer } from '../server/redisServer.ts';
import type {
  EvictTraceEvent, ExpireCycleDbTrace, ExpireCycleTraceEvent, ExpireLazyTraceEvent, TraceSink,
} from './events.ts';

/** Keys of one database an expire-cycle event names at most (sampled, and expired, each). */
export const TRACED_CYCLE_KEYS = 64;
/**
 * Rounds of one database an expire-cycle event details at most (a long cycle does hundreds): the
 * first ones, and always the last (the one that stopped it).
 */
export const TRACED_ROUNDS = 32;
/** Sampled candidates an evict event names at most (maxmemory-samples x databases). */
export const TRACED_SAMPLES = 64;

/** The lazy expiry of `key`, about to be deleted by expireIfNeeded (its deadline is still there). */
export function expireLazyEvent(server: RedisServer, db: Db, key: string): ExpireLazyTraceEvent {
  const c = server.tracking.currentClient;
  const when = db.expires.peek(key);
  return {
    kind: 'expire-lazy', at: server.clock.now(), db: db.id, key, expireAt: when === undefined ? 0 : Number(when),
    command: c?.cmd?.fullName ?? null, client: c?.id ?? null,
  };
}

/** Appends up to `cap` items of `from` to `to`. */
function pushCapped<T>(to: T[], from: readonly T[] | undefined, cap: number): void {
  if (!from) return;
  for (let i = 0; i < from.length && to.length < cap; i++) to.push(from[i]);
}

/**
 * What a cycle did in each database that had volatile keys (the others are only counted), with
 * bounded key and round lists.
 */
export function cycleDbTraces(report: ExpireCycleReport): ExpireCycleDbTrace[] {
  const dbs: ExpireCycleDbTrace[] = [];
  for (const d of report.dbs) {
    if (d.stop === 'no-volatile-keys' && d.rounds.length === 0) continue;
    const t: ExpireCycleDbTrace = {
      db: d.db, roundCount: d.rounds.length, rounds: [], sampled: 0, expired: 0, sampledKeys: [], expiredKeys: [],
      repeated: d.rounds.length > 1, stop: d.stop,
    };
    const n = d.rounds.length;
    for (let i = 0; i < n; i++) {
      const r = d.rounds[i];
      t.sampled += r.sampled;
      t.expired += r.expired;
      if (i < TRACED_ROUNDS - 1 || i === n - 1) t.rounds.push({ sampled: r.sampled, expired: r.expired });
      pushCapped(t.sampledKeys, r.sampledKeys, TRACED_CYCLE_KEYS);
      pushCapped(t.expiredKeys, r.expiredKeys, TRACED_CYCLE_KEYS);
    }
    dbs.push(t);
  }
  return dbs;
}

/**
 * The event for a cycle that ran, or null when there is nothing to show (a fast cycle that did not
 * run, or only databases without volatile keys were met).
 */
export function expireCycleEvent(
  at: number, report: ExpireCycleReport, keysPerLoop: number, acceptableStale: number,
): ExpireCycleTraceEvent | null {
  if (!report.ran) return null;
  const dbs = cycleDbTraces(report);
  if (dbs.length === 0) return null;
  return {
    kind: 'expire-cycle', at, type: report.type, dbs, dbsVisited: report.dbs.length, sampled: report.sampled,
    expired: report.expired, elapsedUs: report.elapsedUs, timelimitUs: report.timelimitUs,
    timelimitExit: report.timelimitExit, keysPerLoop, acceptableStale,
  };
}

/** Emits the cycle's event, if it has one (activeExpireCycle's one line). */
export function traceExpireCycle(
  sink: TraceSink, at: number, report: ExpireCycleReport, keysPerLoop: number, acceptableStale: number,
): void {
  const e = expireCycleEvent(at, report, keysPerLoop, acceptableStale);
  if (e) sink.emit(e);
}

/** The event for one eviction (performEvictions, right after the delete). */
export function evictEvent(
  at: number, policy: string, maxmemory: number, victim: EvictionCandidate, sampled: readonly EvictionCandidate[],
  pool: EvictionCandidate[], ghosts: EvictionCandidate[], usedBefore: number, usedAfter: number, lazy: boolean,
): EvictTraceEvent {
  return {
    kind: 'evict', at, policy, db: victim.db, key: victim.key, victim: { ...victim },
    sampled: sampled.slice(0, TRACED_SAMPLES), sampledCount: sampled.length, pool, ghosts,
    maxmemory, usedBefore, usedAfter, lazy,
  };
}
