// maxmemory and eviction (evict.c, Redis 7.0). Before each command (and from a timer once a run
// hit its time limit, or after CONFIG SET maxmemory) performEvictions frees keys until used_memory
// is back under maxmemory, as maxmemory-policy says:
//  - *-lru, *-lfu and volatile-ttl sample maxmemory-samples keys per database (all keys or only
//    those with a TTL), score them (idle time, 255 - LFU counter, or how soon they expire) and
//    keep the best candidates across calls in a pool of EVPOOL_SIZE entries sorted by score; the
//    best live entry is evicted (entries whose key is gone meanwhile are "ghosts", skipped).
//  - *-random evict a random key, visiting the databases in turn.
//  - noeviction evicts nothing: write commands get an OOM error while over the limit.
// Redis bounds each run by time (maxmemory-eviction-tenacity); the engine must be deterministic,
// so it charges each step a modelled cost (EVICT_COST_NS) and compares that with the same limit.
// Every run leaves a report (EvictionState.lastRun) with the samples, the pool and each victim, for
// the eviction panel, as ActiveExpireState does for expiry.
//
// Client eviction (maxmemory-clients, CLIENT NO-EVICT) is not implemented: only keys are evicted.
import type { Dict, DictEntry } from '../ds/dict.ts';
import { evictEvent } from '../trace/expiryEvents.ts';
import type { Db, ExpireTime } from './db.ts';
import { LAZYFREE_THRESHOLD, lazyfreeGetFreeEffort } from './lazyfree.ts';
import { NOTIFY_EVICTED } from './notify.ts';
import type { RedisObject } from './object.ts';
import type { RedisServer } from './redisServer.ts';

export type EvictResult = 'ok' | 'running' | 'fail';

/** Size of the eviction pool (EVPOOL_SIZE). */
export const EVPOOL_SIZE = 16;

/** Keys evicted between checks of the time limit (and, with lazy eviction, of memory). */
const EVICTION_CHECK_EVERY = 16;

/**
 * Modelled cost of eviction work (nanoseconds), standing in for the clock in the tenacity limit.
 * Rough figures for redis-server on a current x86 core: visiting a database and sampling a key
 * read a few cache lines; evicting a key deletes it, notifies and queues its DEL; a synchronous
 * free costs per allocation of the value. With the default tenacity (500 us) one run evicts a few
 * hundred small keys.
 */
export const EVICT_COST_NS = {
  /** Starting a run (reading the memory state). */
  run: 300,
  /** Each database visited when filling the pool. */
  db: 20,
  /** Each key sampled and scored. */
  sample: 80,
  /** Each pool entry looked at when picking the victim. */
  poolEntry: 10,
  /** Each key evicted. */
  evict: 1000,
  /** Each allocation of an evicted value freed synchronously (beyond the first). */
  freeEffort: 20,
} as const;

/** A key seen by eviction, with the figure its score came from. */
export interface EvictionCandidate {
  db: number;
  key: string;
  /** Higher is evicted first: idle ms (LRU), 255 - counter (LFU), minus the expire time (TTL). */
  score: number;
  /** LRU policies: estimated idle time in ms. */
  idleMs?: number;
  /** LFU policies: the decayed counter. */
  lfu?: number;
  /** volatile-ttl: the absolute expire time (unix ms). */
  expireAt?: number;
}

/** One eviction: what was sampled to find it, the pool it was picked from, and the victim. */
export interface EvictionRecord {
  victim: EvictionCandidate;
  /** Keys sampled since the previous eviction (pool policies; empty for random policies). */
  sampled: EvictionCandidate[];
  /** The pool's entries (worst to best) when the victim was picked. */
  pool: EvictionCandidate[];
  /** Pool entries skipped because their key no longer existed. */
  ghosts: EvictionCandidate[];
  /** used_memory given back by the delete itself (not by a lazy free later). */
  bytesFreed: number;
  /** Whether the value went to the lazy-free thread (lazyfree-lazy-eviction). */
  lazy: boolean;
}

export type EvictionStop =
  | 'noeviction'       // the policy forbids evicting
  | 'freed-enough'     // evicted until the target was met
  | 'lazyfree-done'    // the lazy-free thread brought memory under the limit
  | 'time-limit'       // ran out of time: the timer continues
  | 'nothing-to-evict';// no key the policy may evict

/** What one performEvictions call did. */
export interface EvictionRunReport {
  policy: string;
  maxmemory: number;
  usedBefore: number;
  usedAfter: number;
  /** Bytes to free when the run started (used - maxmemory), and freed by deletes. */
  toFree: number;
  freed: number;
  keysEvicted: number;
  /** The first MAX_RECORDED evictions of the run in detail. */
  records: EvictionRecord[];
  result: EvictResult;
  stop: EvictionStop;
  /** Modelled time used and the tenacity limit, in microseconds. */
  elapsedUs: number;
  timeLimitUs: number;
}

/** Evictions per run recorded in detail (a run may evict thousands of keys). */
export const MAX_RECORDED = 32;
/** Evictions kept across runs in EvictionState.recent (a write under the limit often evicts one key per run). */
export const RECENT_EVICTIONS = 64;

interface PoolEntry extends EvictionCandidate {}

/** Eviction's memory between runs (evict.c's statics) and its INFO stats. */
export class EvictionState {
  /** EvictionPoolLRU: ascending by score, null = empty slot. */
  readonly pool: (PoolEntry | null)[] = new Array<PoolEntry | null>(EVPOOL_SIZE).fill(null);
  /** Random policies: the database visited last (next_db). */
  nextDb = 0;
  /** isEvictionProcRunning: the timer keeps evicting between commands. */
  procRunning = false;
  /** stat_evictedkeys */
  evictedKeys = 0;
  /** Engine time (ms) since when memory is over the limit, or null (stat_last_eviction_exceeded_time). */
  exceededSince: number | null = null;
  /** stat_total_eviction_exceeded_time, in ms. */
  totalExceededMs = 0;
  /** Keep the sampled keys of each eviction in the reports (for the panel). */
  recordSamples = true;
  lastRun: EvictionRunReport | null = null;
  /** The latest recorded evictions across runs, oldest first (at most RECENT_EVICTIONS). */
  readonly recent: EvictionRecord[] = [];
  /** The maxmemory value the timer last saw (CONFIG SET maxmemory starts the timer). */
  private seenMaxmemory: string | null = null;
  private seenGeneration = -1;

  /** Stats reset by CONFIG RESETSTAT. */
  resetStats(now: number): void {
    this.evictedKeys = 0;
    this.totalExceededMs = 0;
    if (this.exceededSince !== null) this.exceededSince = now;
  }

  /** INFO stats' current_eviction_exceeded_time (ms). */
  currentExceededMs(now: number): number {
    return this.exceededSince === null ? 0 : Math.floor(now - this.exceededSince);
  }

  /** INFO stats' total_eviction_exceeded_time (ms), including the current stretch. */
  totalExceededMsAt(now: number): number {
    return Math.floor(this.totalExceededMs + (this.exceededSince === null ? 0 : now - this.exceededSince));
  }

  /** The pool as a list, worst to best (for panels). */
  poolEntries(): EvictionCandidate[] {
    return this.pool.filter((e): e is PoolEntry => e !== null).map((e) => ({ ...e }));
  }

  /** updateMaxmemory: a new maxmemory (CONFIG SET, or the first look) starts the timer. */
  noticeMaxmemoryChange(server: RedisServer): void {
    if (this.seenGeneration === server.config.generation) return;
    this.seenGeneration = server.config.generation;
    const maxmemory = server.config.get('maxmemory');
    if (maxmemory === this.seenMaxmemory) return;
    this.seenMaxmemory = maxmemory;
    if (maxmemory !== '0') this.procRunning = true;
  }
}

/** evictionTimeLimitUs: tenacity 0..10 is linear up to 500 us, then 15% more per step; 100 = no limit. */
export function evictionTimeLimitUs(tenacity: number): number {
  if (tenacity <= 10) return 50 * tenacity;
  if (tenacity < 100) return Math.floor(500 * Math.pow(1.15, tenacity - 10));
  return Infinity;
}

/** getMaxmemoryState: the bytes to free, or 0 when under the limit (nothing is left uncounted here). */
function bytesToFree(server: RedisServer): number {
  const maxmemory = server.config.num('maxmemory');
  if (!maxmemory) return 0;
  const used = server.memory.usedMemory();
  return used > maxmemory ? used - maxmemory : 0;
}

/**
 * One eviction run's bookkeeping: the modelled clock and the report being filled.
 */
class Run {
  elapsedNs: number = EVICT_COST_NS.run;
  sampled: EvictionCandidate[] = [];

  constructor(readonly server: RedisServer, readonly report: EvictionRunReport) {}

  get elapsedUs(): number { return Math.floor(this.elapsedNs / 1000); }
}

/** The candidate a sampled entry makes under the policy (evictionPoolPopulate's score). */
function scoreEntry(server: RedisServer, policy: string, db: Db, de: DictEntry<unknown>, keyDict: Dict<RedisObject>, sampleDict: Dict<unknown>): EvictionCandidate {
  const key = de.key;
  if (policy === 'volatile-ttl') {
    const when = Number(de.value as ExpireTime);
    return { db: db.id, key, score: -when, expireAt: when };
  }
  // Sampling the expires dict gives expire times: the object is in the keyspace dict.
  const o = (sampleDict === (keyDict as Dict<unknown>) ? de.value : keyDict.get(key)) as RedisObject;
  if (policy.endsWith('-lru')) {
    const idleMs = server.objectIdleMs(o);
    return { db: db.id, key, score: idleMs, idleMs };
  }
  const lfu = server.lfuDecrAndReturn(o);
  return { db: db.id, key, score: 255 - lfu, lfu };
}

/**
 * evictionPoolPopulate: samples one database and inserts the candidates that beat the pool's
 * worst entry (or fill an empty slot), keeping the pool sorted by ascending score.
 */
function evictionPoolPopulate(run: Run, policy: string, db: Db, sampleDict: Dict<unknown>, pool: (PoolEntry | null)[]): void {
  const server = run.server;
  const samples = sampleDict.sampleEntries(server.config.num('maxmemory-samples'), server.random);
  run.elapsedNs += EVICT_COST_NS.db + samples.length * EVICT_COST_NS.sample;
  for (const de of samples) {
    const cand = scoreEntry(server, policy, db, de, db.dict, sampleDict);
    if ((server.evictions.recordSamples && run.report.records.length < MAX_RECORDED) || server.trace) run.sampled.push(cand);
    // The first slot that is empty or holds a smaller score.
    let k = 0;
    while (k < EVPOOL_SIZE && pool[k] !== null && pool[k]!.score < cand.score) k++;
    if (k === 0 && pool[EVPOOL_SIZE - 1] !== null) {
      continue; // worse than everything in a full pool
    } else if (k < EVPOOL_SIZE && pool[k] === null) {
      // an empty slot: nothing to move
    } else if (pool[EVPOOL_SIZE - 1] === null) {
      // Room on the right: shift k.. one step right.
      for (let j = EVPOOL_SIZE - 1; j > k; j--) pool[j] = pool[j - 1];
    } else {
      // Full: drop the worst (leftmost) entry, shifting 1..k-1 left, and insert at k-1.
      k--;
      for (let j = 0; j < k; j++) pool[j] = pool[j + 1];
    }
    pool[k] = cand;
  }
}

/** The key chosen for eviction, and (pool policies) the pool it was chosen from. */
interface Pick {
  db: Db;
  key: string;
  cand: EvictionCandidate;
  pool: EvictionCandidate[];
}

/** The pool policies' choice: fill the pool from every database, then take the best live entry. */
function pickFromPool(run: Run, policy: string, allkeys: boolean, ghosts: EvictionCandidate[]): Pick | null {
  const server = run.server;
  const pool = server.evictions.pool;
  for (;;) {
    let totalKeys = 0;
    for (const db of server.dbs) {
      const dict = allkeys ? (db.dict as Dict<unknown>) : (db.expires as Dict<unknown>);
      if (dict.size !== 0) {
        evictionPoolPopulate(run, policy, db, dict, pool);
        totalKeys += dict.size;
      }
    }
    if (totalKeys === 0) return null;
    const snapshot = server.evictions.recordSamples || server.trace ? server.evictions.poolEntries() : [];
    // From the best (rightmost) entry down; every entry looked at leaves the pool.
    for (let k = EVPOOL_SIZE - 1; k >= 0; k--) {
      const entry = pool[k];
      if (entry === null) continue;
      run.elapsedNs += EVICT_COST_NS.poolEntry;
      pool[k] = null;
      const db = server.dbs[entry.db];
      const found = allkeys ? db.dict.findEntry(entry.key) : db.expires.findEntry(entry.key);
      if (found) return { db, key: entry.key, cand: entry, pool: snapshot };
      ghosts.push(entry);
    }
    // Only ghosts: sample again.
  }
}

/** The random policies' choice: a random key of the next database that has one. */
function pickRandom(run: Run, allkeys: boolean): Pick | null {
  const server = run.server;
  const state = server.evictions;
  const n = server.dbs.length;
  for (let i = 0; i < n; i++) {
    state.nextDb = (state.nextDb + 1) >>> 0;
    const db = server.dbs[state.nextDb % n];
    run.elapsedNs += EVICT_COST_NS.db;
    const dict = allkeys ? (db.dict as Dict<unknown>) : (db.expires as Dict<unknown>);
    if (dict.size !== 0) {
      const de = dict.randomEntry(server.random)!;
      run.elapsedNs += EVICT_COST_NS.sample;
      return { db, key: de.key, cand: { db: db.id, key: de.key, score: 0 }, pool: [] };
    }
  }
  return null;
}

/**
 * performEvictions: when used_memory is over maxmemory, evicts keys as the policy says until
 * enough was freed, nothing is left to evict, or the run's time is up (then the timer goes on
 * between commands). 'fail' means over the limit with nothing to evict: deny-oom commands are
 * refused.
 */
export function performEvictions(server: RedisServer): EvictResult {
  const state = server.evictions;
  // isSafeToPerformEvictions: while clients are paused the dataset must not change (a "fake" ok
  // that leaves the over-the-limit timing alone).
  if (server.blocking.checkPauseTimeoutAndReturnIfPaused()) return 'ok';
  // The usual answer, asked before every command: under the limit (no report for it).
  const toFree = bytesToFree(server);
  if (toFree === 0) return finish(server, null, 'ok');
  const maxmemory = server.config.num('maxmemory');
  const policy = server.config.get('maxmemory-policy');
  const usedBefore = maxmemory + toFree;
  const timeLimitUs = evictionTimeLimitUs(server.config.num('maxmemory-eviction-tenacity'));
  const report: EvictionRunReport = {
    policy, maxmemory, usedBefore, usedAfter: usedBefore, toFree, freed: 0, keysEvicted: 0, records: [],
    result: 'ok', stop: 'freed-enough', elapsedUs: 0, timeLimitUs,
  };
  if (policy === 'noeviction') {
    report.stop = 'noeviction';
    return finish(server, report, 'fail');
  }

  const run = new Run(server, report);
  const allkeys = policy.startsWith('allkeys-');
  const usesPool = !policy.endsWith('-random');
  const lazy = server.config.bool('lazyfree-lazy-eviction');
  let freed = 0;
  let keysFreed = 0;
  let lastLazyCheckNs = run.elapsedNs;
  let result: EvictResult = 'fail';
  report.stop = 'freed-enough';

  while (freed < toFree) {
    const ghosts: EvictionCandidate[] = [];
    const pick = usesPool ? pickFromPool(run, policy, allkeys, ghosts) : pickRandom(run, allkeys);
    if (!pick) {
      report.stop = 'nothing-to-evict';
      break;
    }
    const { db, key, cand } = pick;
    const o = db.dict.peek(key)!;
    const before = server.memory.usedMemory();
    const effort = lazyfreeGetFreeEffort(o);
    db.delete(key, lazy ? 'async' : 'sync');
    const delta = before - server.memory.usedMemory();
    const freedLazily = lazy && effort > LAZYFREE_THRESHOLD && !o.shared;
    run.elapsedNs += EVICT_COST_NS.evict + (freedLazily ? 0 : Math.max(0, effort - 1) * EVICT_COST_NS.freeEffort);
    freed += delta;
    keysFreed++;
    state.evictedKeys++;
    server.signalModifiedKey(null, db, key);
    server.notifyKeyspaceEvent(NOTIFY_EVICTED, 'evicted', key, db.id);
    if (server.trace) server.trace.emit(evictEvent(server.clock.now(), policy, maxmemory, cand, run.sampled, pick.pool, ghosts, before, before - delta, freedLazily));
    if (state.recordSamples && report.records.length < MAX_RECORDED) {
      const record: EvictionRecord = {
        victim: cand, sampled: run.sampled, pool: pick.pool, ghosts, bytesFreed: delta, lazy: freedLazily,
      };
      report.records.push(record);
      state.recent.push(record);
      if (state.recent.length > RECENT_EVICTIONS) state.recent.shift();
    }
    run.sampled = [];

    if (keysFreed % EVICTION_CHECK_EVERY === 0) {
      // The lazy-free thread works while we evict: with lazy eviction, check whether it already
      // brought memory under the limit.
      if (lazy) {
        server.lazyfree.workFor(Math.floor((run.elapsedNs - lastLazyCheckNs) / 1000));
        lastLazyCheckNs = run.elapsedNs;
        if (bytesToFree(server) === 0) {
          report.stop = 'lazyfree-done';
          break;
        }
      }
      if (run.elapsedUs > timeLimitUs) {
        state.procRunning = true;
        report.stop = 'time-limit';
        break;
      }
    }
  }

  if (report.stop !== 'nothing-to-evict') {
    result = state.procRunning ? 'running' : 'ok';
  } else if (server.lazyfree.pendingJobs > 0) {
    // Nothing left to evict, but the lazy-free thread is still freeing: wait for it a little.
    while (server.lazyfree.pendingJobs > 0 && run.elapsedUs < timeLimitUs) {
      if (bytesToFree(server) === 0) {
        result = 'ok';
        report.stop = 'lazyfree-done';
        break;
      }
      const step = Math.min(timeLimitUs, 1000);
      server.lazyfree.workFor(step);
      run.elapsedNs += step * 1000;
    }
  }
  report.freed = freed;
  report.keysEvicted = keysFreed;
  report.elapsedUs = run.elapsedUs;
  report.usedAfter = server.memory.usedMemory();
  return finish(server, report, result);
}

/** update_metrics: the time spent over the limit, and the report. */
function finish(server: RedisServer, report: EvictionRunReport | null, result: EvictResult): EvictResult {
  const state = server.evictions;
  const now = server.mstime;
  if (result === 'ok') {
    if (state.exceededSince !== null) {
      state.totalExceededMs += now - state.exceededSince;
      state.exceededSince = null;
    }
  } else if (state.exceededSince === null) {
    state.exceededSince = now;
  }
  if (report) {
    report.result = result;
    state.lastRun = report;
  }
  return result;
}

/**
 * evictionTimeProc: while the timer runs (a run hit its time limit, or maxmemory was just set)
 * keep evicting between commands. Called from beforeSleep (once) and serverCron (repeatedly, for
 * up to one cron period of modelled time, as Redis's 0 ms timer would while idle).
 */
export function evictionTimeProc(server: RedisServer, budgetUs = 0): void {
  const state = server.evictions;
  state.noticeMaxmemoryChange(server);
  let spentUs = 0;
  while (state.procRunning) {
    const result = performEvictions(server);
    if (result !== 'running') {
      state.procRunning = false;
      return;
    }
    spentUs += Math.max(1, state.lastRun?.elapsedUs ?? 1);
    if (spentUs >= budgetUs) return;
  }
}
