// The expiry and eviction panel's logic, apart from React so it can be tested without a page: what
// the trace events told since the panel opened (recent lazy expiries, the latest cycle in the
// shown database, the latest evictions), which step of which Redis function each event plays,
// the time window of the TTL axis, and the words for why a victim was chosen.
import type {
  EvictTraceEvent, ExpireCycleDbTrace, ExpireCycleTraceEvent, ExpireLazyTraceEvent, TraceEvent,
} from '../../../engine/trace/events.ts';
import type { EvictionCandidate } from '../../../engine/server/evict.ts';

/** Recent lazy expiries and evictions kept (the newest last). */
export const RECENT_LAZY = 12;
export const RECENT_EVICTS = 12;
/** Cycles remembered for the strip of recent cycles (in the shown database). */
export const RECENT_CYCLES = 24;
/** Keys deleted recently stay drawn as fading marks on the axis for this long (wall ms). */
export const GHOST_MS = 2000;
/** Ghost marks kept at most. */
const MAX_GHOSTS = 200;

/** A cycle as seen from one database. */
export interface CycleInDb {
  at: number;
  type: ExpireCycleTraceEvent['type'];
  /** The whole cycle (budget, time used, every database it visited). */
  cycle: ExpireCycleTraceEvent;
  /** What it did in the shown database. */
  db: ExpireCycleDbTrace;
}

/** A key just deleted, drawn where it was on the axis for a moment. */
export interface Ghost {
  key: string;
  expireAt: number;
  how: 'lazy' | 'cycle' | 'evicted';
  /** Wall-clock time it was seen (performance.now()). */
  seenAt: number;
}

export type StepFunction = 'expireIfNeeded' | 'activeExpireCycle' | 'performEvictions';

/** What the step lists play: the steps of one function an event went through, in order. */
export interface StepPlay {
  fn: StepFunction;
  steps: number[];
  /** Grows with every play (restarts the animation). */
  seq: number;
}

export interface ExpiryActivity {
  db: number;
  lazy: ExpireLazyTraceEvent[];
  cycles: CycleInDb[];
  evictions: EvictTraceEvent[];
  ghosts: Ghost[];
  /** The latest play of each function's steps. */
  plays: Partial<Record<StepFunction, StepPlay>>;
  seq: number;
}

export function emptyActivity(db: number): ExpiryActivity {
  return { db, lazy: [], cycles: [], evictions: [], ghosts: [], plays: {}, seq: 0 };
}

function keepLast<T>(list: T[], max: number): T[] {
  return list.length > max ? list.slice(list.length - max) : list;
}

/** The steps (indexes into the function's step list) a cycle went through in a database. */
export function cycleSteps(d: ExpireCycleDbTrace, cycle: ExpireCycleTraceEvent): number[] {
  const steps = [0, 1];
  if (d.expired > 0) steps.push(2);
  if (d.repeated) steps.push(3);
  if (d.stop === 'time-limit' || cycle.timelimitExit) steps.push(4);
  return steps;
}

/** The steps of performEvictions an eviction went through (random policies keep no pool). */
export function evictSteps(e: EvictTraceEvent): number[] {
  return e.pool.length === 0 ? [0, 3, 4] : [0, 1, 2, 3, 4];
}

/** The steps of expireIfNeeded a lazy expiry went through (all of them). */
export const LAZY_STEPS = [0, 1, 2, 3];

/**
 * Folds a batch of events into the activity of database `db`. `wallNow` stamps ghosts. Returns
 * `prev` itself when nothing concerned the panel.
 */
export function reduceActivity(prev: ExpiryActivity, events: readonly TraceEvent[], wallNow: number): ExpiryActivity {
  let lazy = prev.lazy;
  let cycles = prev.cycles;
  let evictions = prev.evictions;
  let ghosts = prev.ghosts;
  let plays = prev.plays;
  let seq = prev.seq;
  let changed = false;
  const db = prev.db;
  for (const e of events) {
    if (e.kind === 'expire-lazy') {
      if (e.db !== db) continue;
      lazy = [...lazy, e];
      ghosts = [...ghosts, { key: e.key, expireAt: e.expireAt, how: 'lazy', seenAt: wallNow }];
      plays = { ...plays, expireIfNeeded: { fn: 'expireIfNeeded', steps: LAZY_STEPS, seq: ++seq } };
      changed = true;
    } else if (e.kind === 'expire-cycle') {
      const d = e.dbs.find((x) => x.db === db);
      if (!d) continue;
      cycles = [...cycles, { at: e.at, type: e.type, cycle: e, db: d }];
      if (d.expiredKeys.length > 0) {
        // Their deadlines are gone with them; they were due, so they sit at "now" on the axis.
        ghosts = [...ghosts, ...d.expiredKeys.map((key): Ghost => ({ key, expireAt: e.at, how: 'cycle', seenAt: wallNow }))];
      }
      plays = { ...plays, activeExpireCycle: { fn: 'activeExpireCycle', steps: cycleSteps(d, e), seq: ++seq } };
      changed = true;
    } else if (e.kind === 'evict') {
      evictions = [...evictions, e];
      if (e.db === db && e.victim.expireAt !== undefined) {
        ghosts = [...ghosts, { key: e.key, expireAt: e.victim.expireAt, how: 'evicted', seenAt: wallNow }];
      }
      plays = { ...plays, performEvictions: { fn: 'performEvictions', steps: evictSteps(e), seq: ++seq } };
      changed = true;
    }
  }
  if (!changed) return prev;
  return {
    db,
    lazy: keepLast(lazy, RECENT_LAZY),
    cycles: keepLast(cycles, RECENT_CYCLES),
    evictions: keepLast(evictions, RECENT_EVICTS),
    ghosts: keepLast(ghosts, MAX_GHOSTS),
    plays,
    seq,
  };
}

/** The ghosts still to draw at wall time `wallNow`. */
export function liveGhosts(ghosts: readonly Ghost[], wallNow: number): Ghost[] {
  return ghosts.filter((g) => wallNow - g.seenAt < GHOST_MS);
}

// --- the time axis ----------------------------------------------------------------------------------

/** Windows the TTL axis can span (ms), smallest first. */
export const WINDOWS_MS = [5_000, 10_000, 30_000, 60_000, 300_000, 600_000, 1_800_000, 3_600_000, 21_600_000, 86_400_000, 604_800_000];

/**
 * The window the axis spans when left on "auto": the smallest that holds every TTL given (the
 * soonest keys), else the largest.
 */
export function autoWindow(ttls: readonly number[]): number {
  let max = 0;
  for (const t of ttls) if (t > max) max = t;
  for (const w of WINDOWS_MS) if (max <= w) return w;
  return WINDOWS_MS[WINDOWS_MS.length - 1];
}

/** Keys per lane row on the axis: marks of the same deadline stack in lanes by their order. */
export const AXIS_LANES = 6;

/** Ticks for an axis from 0 to `windowMs`: about `count` round values in ms. */
export function axisTicks(windowMs: number, count = 5): number[] {
  const steps = [100, 250, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000,
    900_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000, 172_800_000];
  const step = steps.find((s) => windowMs / s <= count) ?? 86_400_000 * Math.ceil(windowMs / (86_400_000 * count));
  const ticks: number[] = [];
  for (let t = 0; t <= windowMs + 1e-9; t += step) ticks.push(t);
  return ticks;
}

// --- eviction -----------------------------------------------------------------------------------------

export type VictimReason =
  | { kind: 'idle'; idleMs: number }
  | { kind: 'lfu'; counter: number }
  | { kind: 'ttl'; expireAt: number }
  | { kind: 'random' };

/** Why a candidate ranks where it does (the figure its score came from), by the policy. */
export function victimReason(policy: string, c: EvictionCandidate): VictimReason {
  if (policy.endsWith('-random')) return { kind: 'random' };
  if (c.expireAt !== undefined && policy === 'volatile-ttl') return { kind: 'ttl', expireAt: c.expireAt };
  if (c.lfu !== undefined) return { kind: 'lfu', counter: c.lfu };
  if (c.idleMs !== undefined) return { kind: 'idle', idleMs: c.idleMs };
  return { kind: 'random' };
}

/** used_memory as a share of maxmemory (may exceed 1), or null without a limit. */
export function memoryShare(used: number, maxmemory: number): number | null {
  return maxmemory > 0 ? used / maxmemory : null;
}

/** Bytes for people: 1023 B, 12.3 KB, 4.5 MB (binary units, as redis-cli's *_human fields). */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n}B`;
  const units = ['K', 'M', 'G', 'T'];
  let v = n;
  let u = -1;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return `${v.toFixed(2)}${units[u]}`;
}

/** A duration in ms for the axis and the lists: 850ms, 9.5s, 2m 05s, 1h 02m, 3d 04h. */
export function formatMs(ms: number, u: { ms: string; d: string; h: string; m: string; s: string }): string {
  const a = Math.abs(ms);
  const sign = ms < 0 ? '-' : '';
  if (a < 1000) return `${sign}${Math.round(a)}${u.ms}`;
  if (a < 60_000) return `${sign}${(Math.floor(a / 100) / 10).toFixed(1)}${u.s}`;
  const s = Math.floor(a / 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (s < 3600) return `${sign}${Math.floor(s / 60)}${u.m} ${pad(s % 60)}${u.s}`;
  if (s < 86400) return `${sign}${Math.floor(s / 3600)}${u.h} ${pad(Math.floor(s / 60) % 60)}${u.m}`;
  return `${sign}${Math.floor(s / 86400)}${u.d} ${pad(Math.floor(s / 3600) % 24)}${u.h}`;
}
