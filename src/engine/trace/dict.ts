// The dict snapshot: a db's keyspace or expires dict, or the dict of a hash/set (or zset) key in
// hashtable encoding, read straight from its tables: both tables' size, used and sizemask,
// rehashidx, the pause counter, and the buckets with their chains in chain order. Big tables come
// with a level of detail: an occupancy summary over groups of buckets for the whole table, and full
// chains only for a window of buckets.
//
// Reading is all it does: no dictFind (so no rehash step), no lookupKey (no lazy expiry, no LRU
// touch, no stats, no events). The key is read with peek.
//
// scanStep mirrors dictScan's cursor arithmetic on table sizes alone, so a view can say which
// buckets a SCAN cursor visits without scanning.
import { rev32, DICT_FORCE_RESIZE_RATIO, DICT_HT_INITIAL_SIZE, HASHTABLE_MIN_FILL, type Dict, type DictEntry } from '../ds/dict.ts';
import type { Encoding, RedisType } from '../server/object.ts';
import type { RedisServer } from '../server/redisServer.ts';
import { valueDict, type DictTarget } from './dictTrace.ts';
import { valueLength } from './keyspace.ts';

export type { DictTarget } from './dictTrace.ts';

export interface DictQuery {
  kind: 'dict';
  target: DictTarget;
  /** Buckets per table listed with their chains (clamped to 1..MAX_WINDOW; default DEFAULT_WINDOW). */
  maxBuckets?: number;
  /**
   * First bucket of each table's window ([ht0, ht1]); a missing one is placed around rehashidx
   * (0 when not rehashing). Clamped so the window stays inside the table.
   */
  windowStart?: [number | null, number | null];
  /** Groups of the occupancy summary per table (clamped to 1..MAX_GROUPS; default DEFAULT_GROUPS). */
  groups?: number;
}

export interface DictBucket {
  index: number;
  /** Entries in the chain. */
  length: number;
  /** The first MAX_CHAIN_KEYS keys (fields, members) of the chain, head first: the order lookups walk it. */
  keys: string[];
}

export interface DictTableSnapshot {
  /** Buckets (a power of two), entries, and size - 1: the bits of the hash that pick a bucket. */
  size: number;
  used: number;
  sizemask: number;
  /** Buckets with at least one entry, and the longest chain. */
  nonEmpty: number;
  longestChain: number;
  /** The summary: group g covers buckets [g*groupSize, (g+1)*groupSize). */
  groupSize: number;
  groupNonEmpty: number[];
  groupEntries: number[];
  /** The window: buckets windowStart .. windowStart + buckets.length - 1, every one listed. */
  windowStart: number;
  buckets: DictBucket[];
}

export interface DictThreshold {
  /** The CONFIG name and its live value. */
  name: string;
  value: string;
}

export interface DictSnapshot {
  kind: 'dict';
  target: DictTarget;
  /** The virtual time it was read at (unix ms). */
  now: number;
  /** For a key target: its type and encoding (null: no such key). Keyspace and expires: null. */
  type: RedisType | null;
  encoding: Encoding | null;
  /** Whether there is a dict: false for a key in a compact encoding (listpack, intset ...) or missing. */
  hashtable: boolean;
  /** The live settings that decide when a key of this type becomes a hashtable. */
  thresholds: DictThreshold[];
  /** Elements (keys, fields, members) in whatever encoding. */
  length: number;
  /** ht_table[0] and ht_table[1] (null when absent: ht[1] exists only while rehashing). */
  tables: [DictTableSnapshot | null, DictTableSnapshot | null];
  /** -1 when not rehashing, else the next bucket of ht[0] to move. */
  rehashidx: number;
  /** pauserehash: while above 0 (a safe iterator, a scan callback) no rehash step runs. */
  pauserehash: number;
  /** ht[0].used / ht[0].size: _dictExpandIfNeeded grows at 1 (at 5 when resizing is discouraged). */
  loadFactor: number;
  /** htNeedsResize: more than 4 slots and under 10% full (the cron, or the next delete, shrinks it). */
  needsShrink: boolean;
  /** dict_can_resize (false only while a child process exists: never here). */
  canResize: boolean;
  /** activerehashing: the cron helps with the rehash of db dicts (key dicts rehash only as they are used). */
  activeRehashing: boolean;
  /** Constants the decisions use. */
  initialSize: number;
  minFillPercent: number;
  forceResizeRatio: number;
}

export const DEFAULT_WINDOW = 64;
export const MAX_WINDOW = 1024;
export const DEFAULT_GROUPS = 256;
export const MAX_GROUPS = 4096;
/** Keys listed per chain (its length is always exact). */
export const MAX_CHAIN_KEYS = 8;

const THRESHOLDS: Partial<Record<RedisType, string[]>> = {
  hash: ['hash-max-listpack-entries', 'hash-max-listpack-value'],
  set: ['set-max-intset-entries'],
  zset: ['zset-max-listpack-entries', 'zset-max-listpack-value'],
};

function clampInt(v: number | undefined, lo: number, hi: number, dflt: number): number {
  const n = v === undefined || !Number.isFinite(v) ? dflt : Math.trunc(v);
  return Math.max(lo, Math.min(hi, n));
}

function tableSnapshot<V>(
  table: (DictEntry<V> | null)[], used: number, groups: number, window: number, start: number | null, around: number,
): DictTableSnapshot {
  const size = table.length;
  const groupSize = Math.max(1, Math.ceil(size / groups));
  const groupCount = Math.ceil(size / groupSize);
  const groupNonEmpty = new Array<number>(groupCount).fill(0);
  const groupEntries = new Array<number>(groupCount).fill(0);
  let nonEmpty = 0;
  let longestChain = 0;
  for (let i = 0; i < size; i++) {
    let e = table[i];
    if (e === null) continue;
    let len = 0;
    for (; e !== null; e = e.next) len++;
    nonEmpty++;
    if (len > longestChain) longestChain = len;
    const g = (i / groupSize) | 0;
    groupNonEmpty[g]++;
    groupEntries[g] += len;
  }
  const shown = Math.min(window, size);
  const first = start ?? around - Math.floor(shown / 4);
  const windowStart = Math.max(0, Math.min(size - shown, Math.trunc(first)));
  const buckets: DictBucket[] = [];
  for (let i = windowStart; i < windowStart + shown; i++) {
    const keys: string[] = [];
    let length = 0;
    for (let e = table[i]; e !== null; e = e.next) {
      if (length < MAX_CHAIN_KEYS) keys.push(e.key);
      length++;
    }
    buckets.push({ index: i, length, keys });
  }
  return { size, used, sizemask: size - 1, nonEmpty, longestChain, groupSize, groupNonEmpty, groupEntries, windowStart, buckets };
}

/** The dict a target names, with the key's type and encoding for a key target. */
function findDict(server: RedisServer, target: DictTarget): { dict: Dict<unknown> | null; type: RedisType | null; encoding: Encoding | null; length: number } {
  const dbIndex = Math.trunc(target.db);
  if (!(dbIndex >= 0 && dbIndex < server.dbs.length)) throw new RangeError('DB index is out of range');
  const db = server.dbs[dbIndex];
  switch (target.kind) {
    case 'keyspace': return { dict: db.dict as Dict<unknown>, type: null, encoding: null, length: db.dict.size };
    case 'expires': return { dict: db.expires as Dict<unknown>, type: null, encoding: null, length: db.expires.size };
    case 'key': {
      if (typeof target.key !== 'string') throw new TypeError('a key target needs a key');
      const o = db.dict.peek(target.key);
      if (!o) return { dict: null, type: null, encoding: null, length: 0 };
      return { dict: valueDict(o), type: o.type, encoding: o.encoding, length: valueLength(o) };
    }
    default: throw new TypeError(`unknown dict target '${String((target as { kind?: unknown }).kind)}'`);
  }
}

export function dictSnapshot(server: RedisServer, query: DictQuery): DictSnapshot {
  const target = query.target;
  const { dict, type, encoding, length } = findDict(server, target);
  const window = clampInt(query.maxBuckets, 1, MAX_WINDOW, DEFAULT_WINDOW);
  const groups = clampInt(query.groups, 1, MAX_GROUPS, DEFAULT_GROUPS);
  const thresholds = (type ? THRESHOLDS[type] ?? [] : []).map((name) => ({ name, value: server.config.get(name) }));
  const base = {
    kind: 'dict' as const, target, now: server.clock.now(), type, encoding, thresholds, length,
    canResize: server.resizePolicy.canResize, activeRehashing: server.config.bool('activerehashing'),
    initialSize: DICT_HT_INITIAL_SIZE, minFillPercent: HASHTABLE_MIN_FILL, forceResizeRatio: DICT_FORCE_RESIZE_RATIO,
  };
  if (!dict) {
    return { ...base, hashtable: false, tables: [null, null], rehashidx: -1, pauserehash: 0, loadFactor: 0, needsShrink: false };
  }
  const starts = query.windowStart ?? [null, null];
  const around = Math.max(0, dict.rehashIndex);
  const t0 = dict.tables[0];
  const t1 = dict.tables[1];
  return {
    ...base,
    hashtable: true,
    tables: [
      t0 ? tableSnapshot(t0, dict.used[0], groups, window, starts[0] ?? null, around) : null,
      t1 ? tableSnapshot(t1, dict.used[1], groups, window, starts[1] ?? null, around) : null,
    ],
    rehashidx: dict.rehashIndex,
    pauserehash: dict.rehashPaused,
    loadFactor: t0 ? dict.used[0] / t0.length : 0,
    needsShrink: dict.needsShrink(),
  };
}

// --- SCAN's cursor ------------------------------------------------------------------------------

export interface ScanVisit {
  /** 0 or 1: which of ht_table[0] / ht_table[1]. */
  table: 0 | 1;
  index: number;
}

/**
 * What one dictScan call does at `cursor` on tables of these sizes (size1 = 0: not rehashing): the
 * buckets it visits, in order, and the cursor it returns. While rehashing, the smaller table's
 * bucket comes first, then every bucket of the larger table that it splits into.
 */
export function scanStep(cursor: number, size0: number, size1 = 0): { visits: ScanVisit[]; next: number } {
  let v = cursor >>> 0;
  const visits: ScanVisit[] = [];
  if (size0 === 0) return { visits, next: 0 };
  if (size1 === 0) {
    const m0 = size0 - 1;
    visits.push({ table: 0, index: v & m0 });
    v = (v | ~m0) >>> 0;
    v = rev32((rev32(v) + 1) >>> 0);
    return { visits, next: v };
  }
  const smallIsZero = size0 <= size1;
  const [small, large] = smallIsZero ? [size0, size1] : [size1, size0];
  const smallTable: 0 | 1 = smallIsZero ? 0 : 1;
  const largeTable: 0 | 1 = smallIsZero ? 1 : 0;
  const m0 = small - 1;
  const m1 = large - 1;
  visits.push({ table: smallTable, index: v & m0 });
  do {
    visits.push({ table: largeTable, index: v & m1 });
    v = (v | ~m1) >>> 0;
    v = rev32((rev32(v) + 1) >>> 0);
  } while (v & (m0 ^ m1));
  return { visits, next: v };
}

/**
 * The dictScan calls a SCAN made going from `from` to `to` (0: to the end), on tables of these
 * sizes: one step per call, at most `limit` steps (a cursor that never comes is not followed).
 */
export function scanSteps(from: number, to: number, size0: number, size1 = 0, limit = 1 << 16): { cursor: number; visits: ScanVisit[] }[] {
  const steps: { cursor: number; visits: ScanVisit[] }[] = [];
  let v = from >>> 0;
  const end = to >>> 0;
  while (steps.length < limit) {
    const { visits, next } = scanStep(v, size0, size1);
    steps.push({ cursor: v, visits });
    v = next;
    if (v === end || v === 0) break;
  }
  return steps;
}

/** The order a full SCAN visits the buckets of a table of `size` (a power of two): reverse-binary. */
export function scanOrder(size: number): number[] {
  const order: number[] = [];
  let v = 0;
  do {
    const { visits, next } = scanStep(v, size);
    order.push(visits[0].index);
    v = next;
  } while (v !== 0 && order.length < size);
  return order;
}
