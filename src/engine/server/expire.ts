// Active expiry (expire.c's activeExpireCycle, Redis 7.0): keys whose TTL has passed are deleted
// even if nobody touches them. Lazy expiry (db.ts expireIfNeeded) handles keys that are accessed;
// this cycle samples the expires dict a bucket at a time and keeps going in a database while a
// large share of the sampled keys turn out to be expired, within a time budget.
//
// The slow cycle runs from serverCron (hz times a second); the fast cycle from beforeSleep, and
// only after a slow cycle ran out of time. Redis bounds both by wall-clock time; the engine must be
// deterministic, so it charges each step a modelled cost (EXPIRE_COST_NS below) and compares the
// total with the same budgets. The result of each run is returned (and kept as `lastCycle`) so a
// panel can show what was sampled, what expired and why the cycle stopped.
import { traceExpireCycle } from '../trace/expiryEvents.ts';
import type { Db, ExpireTime } from './db.ts';
import type { RedisServer } from './redisServer.ts';

/** Keys sampled per database per round at effort 1 (ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP). */
export const ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP = 20;
/** Budget of a fast cycle at effort 1, in microseconds (ACTIVE_EXPIRE_CYCLE_FAST_DURATION). */
export const ACTIVE_EXPIRE_CYCLE_FAST_DURATION = 1000;
/** Share of each cron period a slow cycle may use, in percent (ACTIVE_EXPIRE_CYCLE_SLOW_TIME_PERC). */
export const ACTIVE_EXPIRE_CYCLE_SLOW_TIME_PERC = 25;
/** A database is sampled again while more than this percent of samples were expired. */
export const ACTIVE_EXPIRE_CYCLE_ACCEPTABLE_STALE = 10;
/** Databases visited per call (CRON_DBS_PER_CALL). */
export const CRON_DBS_PER_CALL = 16;
/** DICT_HT_INITIAL_SIZE: below 1% fill of a larger table, sampling is not worth it. */
const DICT_HT_INITIAL_SIZE = 4;

/**
 * Cost model standing in for the clock (nanoseconds of CPU a step is charged). Rough figures for
 * redis-server on a current x86 core: walking an empty bucket is a pointer test, looking at a
 * sampled key reads its entry, deleting an expired key frees it and queues the DEL propagation.
 * With the defaults (hz 10, effort 1: 25 ms per cycle) a cycle can delete roughly 25,000 keys.
 */
export const EXPIRE_COST_NS = {
  /** Fixed cost of starting a cycle. */
  cycle: 500,
  /** Each database visited. */
  db: 50,
  /** Each sampling round (reads the clock, computes the sample size). */
  round: 100,
  /** Each bucket of the expires table looked at. */
  bucket: 10,
  /** Each key sampled. */
  sample: 50,
  /** Each expired key deleted. */
  expire: 800,
} as const;

export type ExpireCycleType = 'slow' | 'fast';

/** One sampling round in one database. */
export interface ExpireRound {
  sampled: number;
  expired: number;
  checkedBuckets: number;
  /** The keys looked at and those deleted, when `recordKeys` is on. */
  sampledKeys?: string[];
  expiredKeys?: string[];
}

export type ExpireDbStop =
  | 'no-volatile-keys'  // the expires dict is empty
  | 'sparse-table'      // under 1% of the buckets used: wait for the table to shrink
  | 'few-stale'         // the last round found an acceptable share of expired keys
  | 'time-limit';       // the budget ran out

export interface ExpireDbReport {
  db: number;
  rounds: ExpireRound[];
  stop: ExpireDbStop;
}

export interface ExpireCycleReport {
  type: ExpireCycleType;
  /** False when a fast cycle declined to run (see `skipped`). */
  ran: boolean;
  skipped?: 'not-needed' | 'too-soon';
  dbs: ExpireDbReport[];
  sampled: number;
  expired: number;
  /** Modelled time used and the budget, in microseconds. */
  elapsedUs: number;
  timelimitUs: number;
  timelimitExit: boolean;
}

/** The cycle's memory between runs (activeExpireCycle's statics) and its INFO stats. */
export class ActiveExpireState {
  /** Next database to visit (current_db). */
  currentDb = 0;
  /** Whether the previous cycle ran out of time (timelimit_exit). */
  timelimitExit = false;
  /** When the last fast cycle started, in microseconds (last_fast_cycle). */
  lastFastCycleUs = 0;
  /** Running estimate of the share of volatile keys already expired (stat_expired_stale_perc, 0..1). */
  stalePerc = 0;
  /** expired_time_cap_reached_count */
  timeCapReachedCount = 0;
  /** Modelled microseconds spent in the cycle (stat_expire_cycle_time_used). */
  cycleTimeUsedUs = 0;
  /** Keep the names of sampled and expired keys in the reports (for the panel). */
  recordKeys = false;
  lastCycle: ExpireCycleReport | null = null;

  /** INFO stats' expired_stale_perc, "%.2f" of a percentage. */
  get stalePercInfo(): string { return (this.stalePerc * 100).toFixed(2); }

  /** INFO stats' expire_cycle_cpu_milliseconds. */
  get cycleCpuMs(): number { return Math.floor(this.cycleTimeUsedUs / 1000); }

  /** Stats reset by CONFIG RESETSTAT. */
  resetStats(): void {
    this.stalePerc = 0;
    this.timeCapReachedCount = 0;
    this.cycleTimeUsedUs = 0;
  }
}

function hzOf(server: RedisServer): number {
  return Math.max(1, Math.min(500, server.config.num('hz')));
}

/**
 * activeExpireCycle: samples volatile keys and deletes the expired ones, database after database,
 * within the cycle's budget. Returns what it did.
 */
/** The report of a fast cycle that had nothing to do (shared: it is the common case). */
const FAST_NOT_NEEDED: ExpireCycleReport = Object.freeze({
  type: 'fast', ran: false, skipped: 'not-needed', dbs: Object.freeze([]) as unknown as ExpireDbReport[],
  sampled: 0, expired: 0, elapsedUs: 0, timelimitUs: 0, timelimitExit: false,
});

export function activeExpireCycle(server: RedisServer, type: ExpireCycleType): ExpireCycleReport {
  const state = server.activeExpire;
  // Effort 1..10 rescaled to 0..9 raises every parameter a little.
  const effort = server.config.num('active-expire-effort') - 1;
  const keysPerLoop = ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP + Math.floor(ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP / 4) * effort;
  const fastDurationUs = ACTIVE_EXPIRE_CYCLE_FAST_DURATION + Math.floor(ACTIVE_EXPIRE_CYCLE_FAST_DURATION / 4) * effort;
  const slowTimePerc = ACTIVE_EXPIRE_CYCLE_SLOW_TIME_PERC + 2 * effort;
  const acceptableStale = ACTIVE_EXPIRE_CYCLE_ACCEPTABLE_STALE - effort;

  // Only worth it when the last cycle ran out of time. Redis compares the stale estimate, a
  // fraction, with a percentage here, so in practice only the time-limit condition counts.
  // Checked first: beforeSleep asks after every batch of client input, and this is the usual answer.
  if (type === 'fast' && !state.timelimitExit && state.stalePerc < acceptableStale) return FAST_NOT_NEEDED;

  // Like Redis, the cycle reads the clock itself (it runs outside commands).
  const clockMs = server.clock.now();
  const startUs = Math.floor(clockMs * 1000);
  const report: ExpireCycleReport = {
    type, ran: false, dbs: [], sampled: 0, expired: 0, elapsedUs: 0, timelimitUs: 0, timelimitExit: false,
  };

  if (type === 'fast') {
    // Never closer together than twice a fast cycle's duration.
    if (startUs < state.lastFastCycleUs + fastDurationUs * 2) {
      report.skipped = 'too-soon';
      return report;
    }
    state.lastFastCycleUs = startUs;
  }
  report.ran = true;

  const dbCount = server.dbs.length;
  // After running out of time, visit every database this time: some have work waiting.
  const dbsPerCall = CRON_DBS_PER_CALL > dbCount || state.timelimitExit ? dbCount : CRON_DBS_PER_CALL;
  let timelimitUs = type === 'fast'
    ? fastDurationUs
    : Math.floor(Math.floor((slowTimePerc * 1000000) / hzOf(server)) / 100);
  if (timelimitUs <= 0) timelimitUs = 1;
  report.timelimitUs = timelimitUs;
  state.timelimitExit = false;

  const now = Math.floor(clockMs);
  let elapsedNs: number = EXPIRE_COST_NS.cycle;
  let iteration = 0;
  let totalSampled = 0;
  let totalExpired = 0;

  for (let j = 0; j < dbsPerCall && !state.timelimitExit; j++) {
    const db = server.dbs[state.currentDb % dbCount];
    // Move on now, so running out of time here resumes with the next database.
    state.currentDb = (state.currentDb + 1) >>> 0;
    elapsedNs += EXPIRE_COST_NS.db;
    const dbReport: ExpireDbReport = { db: db.id, rounds: [], stop: 'few-stale' };
    report.dbs.push(dbReport);

    let sampled: number;
    let expired: number;
    do {
      iteration++;
      elapsedNs += EXPIRE_COST_NS.round;
      let num = db.expires.size;
      if (num === 0) {
        db.avgTtl = 0;
        dbReport.stop = 'no-volatile-keys';
        break;
      }
      const slots = db.expires.slots;
      if (slots > DICT_HT_INITIAL_SIZE && Math.floor((num * 100) / slots) < 1) {
        dbReport.stop = 'sparse-table';
        break;
      }
      if (num > keysPerLoop) num = keysPerLoop;
      // A trace listener gets the keys too (expiryEvents.ts caps what an event carries).
      const round = sampleRound(db, num, now, state.recordKeys || server.trace !== null);
      dbReport.rounds.push(round);
      sampled = round.sampled;
      expired = round.expired;
      totalSampled += sampled;
      totalExpired += expired;
      elapsedNs += round.checkedBuckets * EXPIRE_COST_NS.bucket +
        sampled * EXPIRE_COST_NS.sample + expired * EXPIRE_COST_NS.expire;

      // The clock is only looked at every 16 rounds.
      if ((iteration & 0xf) === 0 && Math.floor(elapsedNs / 1000) > timelimitUs) {
        state.timelimitExit = true;
        state.timeCapReachedCount++;
        dbReport.stop = 'time-limit';
        break;
      }
      // Keep going in this database while the share of expired samples is too high.
    } while (sampled === 0 || Math.floor((expired * 100) / sampled) > acceptableStale);
  }

  const elapsedUs = Math.floor(elapsedNs / 1000);
  state.cycleTimeUsedUs += elapsedUs;
  const currentPerc = totalSampled ? totalExpired / totalSampled : 0;
  state.stalePerc = currentPerc * 0.05 + state.stalePerc * 0.95;

  report.sampled = totalSampled;
  report.expired = totalExpired;
  report.elapsedUs = elapsedUs;
  report.timelimitExit = state.timelimitExit;
  state.lastCycle = report;
  if (server.trace) traceExpireCycle(server.trace, server.clock.now(), report, keysPerLoop, acceptableStale);
  return report;
}

/**
 * One round in one database: walks the expires table bucket by bucket from the database's cursor
 * (both tables while rehashing) until `num` keys were sampled or 20 times as many buckets were
 * looked at, deleting every expired key met and updating the average TTL.
 */
function sampleRound(db: Db, num: number, now: number, recordKeys: boolean): ExpireRound {
  const round: ExpireRound = { sampled: 0, expired: 0, checkedBuckets: 0 };
  if (recordKeys) { round.sampledKeys = []; round.expiredKeys = []; }
  const maxBuckets = num * 20;
  let ttlSum = 0;
  let ttlSamples = 0;
  while (round.sampled < num && round.checkedBuckets < maxBuckets) {
    for (let t = 0; t < 2; t++) {
      const expires = db.expires;
      if (t === 1 && !expires.isRehashing) break;
      const table = expires.tables[t]!;
      let e = table[db.expiresCursor & (table.length - 1)];
      round.checkedBuckets++;
      while (e) {
        // Read the next entry first: this one may be deleted.
        const entry = e;
        e = e.next;
        const key = entry.key;
        const when: ExpireTime = entry.value;
        const ttl = Number(when) - now;
        round.sampledKeys?.push(key);
        if (now > when) {
          db.deleteExpiredKey(key);
          round.expired++;
          round.expiredKeys?.push(key);
        }
        if (ttl > 0) {
          ttlSum += ttl;
          ttlSamples++;
        }
        round.sampled++;
      }
    }
    db.expiresCursor = (db.expiresCursor + 1) >>> 0;
  }
  if (ttlSamples) {
    const avg = Math.trunc(ttlSum / ttlSamples);
    // Running average: 2% weight for this round.
    if (db.avgTtl === 0) db.avgTtl = avg;
    db.avgTtl = Math.trunc(db.avgTtl / 50) * 49 + Math.trunc(avg / 50);
  }
  return round;
}
