// The memory model: what Redis's zmalloc would count for this server (used_memory), built from the
// engine's real structures with jemalloc's size classes (ds/sds.ts jemallocSize), plus MEMORY
// USAGE's own estimate (object.c's objectComputeSize), which uses C struct sizes rather than
// allocation sizes and samples big aggregates.
//
// used_memory = a fixed startup baseline (the server's own structures, calibrated on Redis 7.0.15)
//             + a fixed amount per connected client
//             + per database: the bucket arrays of the keyspace and expires dicts, one expires entry
//               per volatile key
//             + per key: its keyspace dict entry, its key sds and its value (robj + payload)
//             + what is still waiting in the lazy-free queue (lazyfree.ts).
//
// The per-key part is kept incrementally: Db adds a key's bytes when the key is added, swaps them
// when its value is replaced and removes them when it is deleted; in-place changes are picked up by
// re-measuring the key when the command signals it (signalModifiedKey). Each value carries the
// bytes it was last counted with (RedisObject.mem), so whatever happens in between, removing a key
// takes away exactly what was added for it and used_memory never drifts. Measuring is O(1) for
// strings, listpacks and intsets; hashtables, skiplists and long quicklists are walked exactly up
// to EXACT_WALK_LIMIT elements, above that re-walked only after their size moved by an eighth or
// after a quarter as many writes (in between, the last walk's bytes per element are scaled), so
// no command pays O(N) for bookkeeping more than once per N/4 writes. docs/memory.md has the details.
import type { Dict } from '../ds/dict.ts';
import type { Intset } from '../ds/intset.ts';
import type { Listpack } from '../ds/listpack.ts';
import type { Quicklist } from '../ds/quicklist.ts';
import { jemallocSize, sdsHeaderSize, sdsTypeFor, ROBJ_SIZE } from '../ds/sds.ts';
import type { ZsetSkiplist } from '../commands/zset.ts';
import type { Db } from './db.ts';
import type { RedisObject } from './object.ts';
import type { RedisServer } from './redisServer.ts';
import { stringObjectMemory, type StringObject } from './stringObject.ts';
import { SideTable } from '../sideTable.ts';

// --- C struct sizes (x86-64, Redis 7.0) ----------------------------------------------------------

/** sizeof(dictEntry): key, value union, next. */
export const DICT_ENTRY_SIZE = 24;
/** sizeof(dict) */
export const DICT_SIZE = 56;
/** sizeof(quicklist) and sizeof(quicklistNode) (both 36 bytes of fields, padded to 40). */
export const QUICKLIST_SIZE = 40;
export const QUICKLIST_NODE_SIZE = 40;
/** sizeof(zset): dict pointer and skiplist pointer. */
export const ZSET_SIZE = 16;
/** sizeof(zskiplist): header, tail, length, level. */
export const ZSKIPLIST_SIZE = 32;
/** sizeof(zskiplistNode) without its levels, and one level (forward pointer + span). */
export const ZSKIPLIST_NODE_SIZE = 24;
export const ZSKIPLIST_LEVEL_SIZE = 16;
/** The skiplist header node has every level. */
const ZSKIPLIST_MAXLEVEL = 32;

/** OBJ_COMPUTE_SIZE_DEF_SAMPLES: MEMORY USAGE's default sample count. */
export const OBJ_COMPUTE_SIZE_DEF_SAMPLES = 5;

// --- what jemalloc really hands out --------------------------------------------------------------

/** A dictEntry as allocated (24 bytes in the 32-byte class). */
export const DICT_ENTRY_ALLOC = jemallocSize(DICT_ENTRY_SIZE);
const DICT_ALLOC = jemallocSize(DICT_SIZE);
const QUICKLIST_ALLOC = jemallocSize(QUICKLIST_SIZE);
const QUICKLIST_NODE_ALLOC = jemallocSize(QUICKLIST_NODE_SIZE);
const ZSET_ALLOC = jemallocSize(ZSET_SIZE);
const ZSKIPLIST_ALLOC = jemallocSize(ZSKIPLIST_SIZE);
const ZSKIPLIST_HEADER_ALLOC = jemallocSize(ZSKIPLIST_NODE_SIZE + ZSKIPLIST_MAXLEVEL * ZSKIPLIST_LEVEL_SIZE);

/**
 * used_memory_startup of a Redis 7.0.15 x86-64 server with 16 databases (measured): the server's
 * own structures before any client or key. A database's share (its redisDb and five empty dicts)
 * is split out so other `databases` settings scale it.
 */
export const STARTUP_BYTES_16_DBS = 876104;
export const STARTUP_BYTES_PER_DB = 400;

/**
 * Bytes per connected client: the client struct with its lists and dicts (about 1.2 KB) and its
 * 16 KB reply buffer. Real Redis also holds a query buffer (up to ~20 KB while active) and shrinks
 * both buffers of clients idle for 2 s, so a real client varies between ~5 KB and ~40 KB.
 */
export const CLIENT_BYTES = 17619;

function computeSdsAllocSize(len: number): number {
  let type = sdsTypeFor(len);
  if (type === 5 && len === 0) type = 8;
  return jemallocSize(sdsHeaderSize(type) + len + 1);
}

/** sdsAllocSize for the common short lengths, precomputed (walks of aggregates call it a lot). */
const SDS_ALLOC_TABLE = Array.from({ length: 1024 }, (_, len) => computeSdsAllocSize(len));

/** zmalloc_size of an sds made by sdsnewlen for `len` bytes (keys, hash fields and values, set and zset members). */
export function sdsAllocSize(len: number): number {
  return len < 1024 ? SDS_ALLOC_TABLE[len] : computeSdsAllocSize(len);
}

/** The bucket arrays of a dict as allocated (one per table; powers of two of 32+ bytes are exact classes). */
export function dictTablesAlloc(d: Dict<unknown>): number {
  const t0 = d.tables[0];
  const t1 = d.tables[1];
  return (t0 ? jemallocSize(8 * t0.length) : 0) + (t1 ? jemallocSize(8 * t1.length) : 0);
}

/** What a key costs in the keyspace besides its value: its dictEntry and its sds. */
export function keyEntryAlloc(key: string): number {
  return DICT_ENTRY_ALLOC + sdsAllocSize(key.length);
}

// --- walking aggregates (exact) ------------------------------------------------------------------

/** Calls f for every entry of a dict, table by table, without the generator's overhead. */
function forEachEntry<V>(d: Dict<V>, f: (key: string, value: V) => void): void {
  for (const t of d.tables) {
    if (!t) continue;
    for (let i = 0; i < t.length; i++) {
      for (let e = t[i]; e; e = e.next) f(e.key, e.value);
    }
  }
}

function hashEntriesAlloc(d: Dict<string>): number {
  let bytes = 0;
  forEachEntry(d, (k, v) => { bytes += DICT_ENTRY_ALLOC + sdsAllocSize(k.length) + sdsAllocSize(v.length); });
  return bytes;
}

function setEntriesAlloc(d: Dict<null>): number {
  let bytes = 0;
  forEachEntry(d, (k) => { bytes += DICT_ENTRY_ALLOC + sdsAllocSize(k.length); });
  return bytes;
}

/** Skiplist nodes (each with its levels), their member sds, and the dict entries pointing at them. */
function skiplistEntriesAlloc(zs: ZsetSkiplist): number {
  let bytes = 0;
  for (let n = zs.zsl.header.forward[0]; n; n = n.forward[0]) {
    bytes += DICT_ENTRY_ALLOC + sdsAllocSize(n.member.length) +
      jemallocSize(ZSKIPLIST_NODE_SIZE + n.forward.length * ZSKIPLIST_LEVEL_SIZE);
  }
  return bytes;
}

/** quicklistNode structs and their listpacks (or PLAIN elements, or LZF blocks). */
function quicklistNodesAlloc(ql: Quicklist): number {
  let bytes = 0;
  for (let n = ql.head; n; n = n.next) bytes += QUICKLIST_NODE_ALLOC + jemallocSize(n.payloadBytes);
  return bytes;
}

// --- amortized measuring of big aggregates -------------------------------------------------------

/** Aggregates with at most this many elements (or list nodes) are walked on every measure. */
export const EXACT_WALK_LIMIT = 64;
/**
 * Above that, a walk is reused (scaled) while the element count stays within an eighth of the
 * walked count, for up to count / WALK_REUSE_DIVISOR measures: each measure then costs at most
 * WALK_REUSE_DIVISOR element visits on average.
 */
export const WALK_REUSE_DIVISOR = 4;

interface Walk {
  /** Elements (list nodes) at the last walk. */
  count: number;
  /** Their bytes at the last walk. */
  bytes: number;
  /** Measures answered from this walk since. */
  reuses: number;
}

/** The last exact walk of each big aggregate, by its container (Dict, ZsetSkiplist, Quicklist). */
const walks = new SideTable<object, Walk>('memory.walk');

/**
 * The bytes of an aggregate's elements: exact (walk) when small, when no walk is on record, or when
 * the element count moved by more than an eighth or count / WALK_REUSE_DIVISOR measures went by since the
 * last walk; otherwise the last walk's bytes scaled to the current count.
 */
function elementsAlloc(container: object, count: number, walk: () => number): number {
  if (count <= EXACT_WALK_LIMIT) return walk();
  const w = walks.get(container);
  if (w && (w.reuses + 1) * WALK_REUSE_DIVISOR <= w.count && Math.abs(count - w.count) * 8 <= w.count) {
    w.reuses++;
    return Math.round((w.bytes * count) / w.count);
  }
  const bytes = walk();
  walks.set(container, { count, bytes, reuses: 0 });
  return bytes;
}

/**
 * The value's allocations as used_memory counts them: the robj and everything it owns. A shared
 * integer costs nothing (it belongs to the server). Big aggregates are measured amortized (above).
 */
export function valueAlloc(o: RedisObject): number {
  switch (o.type) {
    case 'string':
      if (o.shared) return 0;
      return stringObjectMemory(o as StringObject);
    case 'list': {
      const ql = o.value as Quicklist;
      return ROBJ_SIZE + QUICKLIST_ALLOC + elementsAlloc(ql, ql.len, () => quicklistNodesAlloc(ql));
    }
    case 'hash': {
      if (o.encoding === 'listpack') return ROBJ_SIZE + jemallocSize((o.value as Listpack).bytes);
      const d = o.value as Dict<string>;
      return ROBJ_SIZE + DICT_ALLOC + dictTablesAlloc(d) + elementsAlloc(d, d.size, () => hashEntriesAlloc(d));
    }
    case 'set': {
      if (o.encoding === 'intset') return ROBJ_SIZE + jemallocSize((o.value as Intset).blobBytes);
      const d = o.value as Dict<null>;
      return ROBJ_SIZE + DICT_ALLOC + dictTablesAlloc(d) + elementsAlloc(d, d.size, () => setEntriesAlloc(d));
    }
    case 'zset': {
      if (o.encoding === 'listpack') return ROBJ_SIZE + jemallocSize((o.value as Listpack).bytes);
      const zs = o.value as ZsetSkiplist;
      return ROBJ_SIZE + ZSET_ALLOC + DICT_ALLOC + dictTablesAlloc(zs.dict) + ZSKIPLIST_ALLOC + ZSKIPLIST_HEADER_ALLOC +
        elementsAlloc(zs, zs.length, () => skiplistEntriesAlloc(zs));
    }
  }
}

/** valueAlloc without the amortizing: always walks (tests, docs/memory.md's comparisons). */
export function valueAllocExact(o: RedisObject): number {
  switch (o.type) {
    case 'list': return ROBJ_SIZE + QUICKLIST_ALLOC + quicklistNodesAlloc(o.value as Quicklist);
    case 'hash':
      if (o.encoding === 'hashtable') {
        const d = o.value as Dict<string>;
        return ROBJ_SIZE + DICT_ALLOC + dictTablesAlloc(d) + hashEntriesAlloc(d);
      }
      break;
    case 'set':
      if (o.encoding === 'hashtable') {
        const d = o.value as Dict<null>;
        return ROBJ_SIZE + DICT_ALLOC + dictTablesAlloc(d) + setEntriesAlloc(d);
      }
      break;
    case 'zset':
      if (o.encoding === 'skiplist') {
        const zs = o.value as ZsetSkiplist;
        return ROBJ_SIZE + ZSET_ALLOC + DICT_ALLOC + dictTablesAlloc(zs.dict) + ZSKIPLIST_ALLOC +
          ZSKIPLIST_HEADER_ALLOC + skiplistEntriesAlloc(zs);
      }
      break;
    default:
      break;
  }
  return valueAlloc(o);
}

/**
 * The bytes a value is counted with from now on: measured, and remembered on the object (shared
 * integers are never written to: they always count 0).
 */
export function accountValue(o: RedisObject): number {
  if (o.shared) return 0;
  const bytes = valueAlloc(o);
  o.mem = bytes;
  return bytes;
}

/** The bytes a value is currently counted with (0 for one never counted, and for shared integers). */
export function countedValue(o: RedisObject): number {
  return o.shared ? 0 : o.mem ?? 0;
}

// --- MEMORY USAGE (objectComputeSize) ------------------------------------------------------------

/** C's size_t += double: the sum in doubles, truncated. */
function addAverage(asize: number, elesize: number, samples: number, count: number): number {
  return Math.floor(asize + (elesize / samples) * count);
}

/**
 * objectComputeSize: Redis's estimate of a value's size, with C struct sizes for the fixed parts
 * and, for aggregates made of many allocations, the average of the first `samples` elements (in
 * the encoding's iteration order) times the element count.
 */
export function objectComputeSize(o: RedisObject, sampleSize: number): number {
  switch (o.type) {
    case 'string':
      return stringObjectMemory(o as StringObject);
    case 'list': {
      const ql = o.value as Quicklist;
      let asize = ROBJ_SIZE + QUICKLIST_SIZE;
      let elesize = 0;
      let samples = 0;
      let node = ql.head;
      // do { } while: the first node is always sampled.
      do {
        if (!node) break;
        elesize += QUICKLIST_NODE_SIZE + jemallocSize(node.payloadBytes);
        samples++;
        node = node.next;
      } while (node && samples < sampleSize);
      if (samples) asize = addAverage(asize, elesize, samples, ql.len);
      return asize;
    }
    case 'set': {
      if (o.encoding === 'intset') return ROBJ_SIZE + jemallocSize((o.value as Intset).blobBytes);
      const d = o.value as Dict<null>;
      const asize = ROBJ_SIZE + DICT_SIZE + 8 * d.slots;
      let elesize = 0;
      let samples = 0;
      sampleEntries(d, sampleSize, (k) => { elesize += DICT_ENTRY_SIZE + sdsAllocSize(k.length); samples++; });
      return samples ? addAverage(asize, elesize, samples, d.size) : asize;
    }
    case 'zset': {
      if (o.encoding === 'listpack') return ROBJ_SIZE + jemallocSize((o.value as Listpack).bytes);
      const zs = o.value as ZsetSkiplist;
      const asize = ROBJ_SIZE + ZSET_SIZE + ZSKIPLIST_SIZE + DICT_SIZE + 8 * zs.dict.slots + ZSKIPLIST_HEADER_ALLOC;
      let elesize = 0;
      let samples = 0;
      for (let n = zs.zsl.header.forward[0]; n && samples < sampleSize; n = n.forward[0]) {
        elesize += sdsAllocSize(n.member.length);
        elesize += DICT_ENTRY_SIZE + jemallocSize(ZSKIPLIST_NODE_SIZE + n.forward.length * ZSKIPLIST_LEVEL_SIZE);
        samples++;
      }
      return samples ? addAverage(asize, elesize, samples, zs.dict.size) : asize;
    }
    case 'hash': {
      if (o.encoding === 'listpack') return ROBJ_SIZE + jemallocSize((o.value as Listpack).bytes);
      const d = o.value as Dict<string>;
      const asize = ROBJ_SIZE + DICT_SIZE + 8 * d.slots;
      let elesize = 0;
      let samples = 0;
      sampleEntries(d, sampleSize, (k, v) => {
        elesize += sdsAllocSize(k.length) + sdsAllocSize(v.length) + DICT_ENTRY_SIZE;
        samples++;
      });
      return samples ? addAverage(asize, elesize, samples, d.size) : asize;
    }
  }
}

/** The first `limit` entries in dictNext's order (table 0's buckets, then table 1's). */
function sampleEntries<V>(d: Dict<V>, limit: number, f: (key: string, value: V) => void): void {
  let n = 0;
  for (const t of d.tables) {
    if (!t) continue;
    for (let i = 0; i < t.length; i++) {
      for (let e = t[i]; e; e = e.next) {
        if (n++ >= limit) return;
        f(e.key, e.value);
      }
    }
  }
}

/** MEMORY USAGE: the value's estimate plus the key's sds and its dictEntry (no cluster metadata). */
export function memoryUsage(key: string, o: RedisObject, samples: number): number {
  return objectComputeSize(o, samples) + sdsAllocSize(key.length) + DICT_ENTRY_SIZE;
}

// --- the whole server ----------------------------------------------------------------------------

/** jemalloc's dirty pages are purged over dirty_decay_ms (10 s by default). */
const DIRTY_DECAY_MS = 10000;
/**
 * Calibration of the allocator figures on an idle Redis 7.0.15 (jemalloc 5.3.0): what jemalloc
 * has allocated beyond zmalloc's count (its own metadata and thread caches), the resident pages
 * beyond the active ones, and the process's RSS beyond the allocator's (binary, libraries, stack).
 */
const ALLOCATOR_EXTRA_BYTES = 776256;
const ALLOCATOR_BASE_FRAG_BYTES = 135968;
const RESIDENT_EXTRA_BYTES = 2670592;
const RSS_EXTRA_BYTES = 2273280;
const PAGE_SIZE = 4096;

/** What serverCron samples every 100 ms (cron_malloc_stats) in the model. */
export interface MallocStats {
  zmallocUsed: number;
  processRss: number;
  allocatorAllocated: number;
  allocatorActive: number;
  allocatorResident: number;
}

/** The per-database overheads getMemoryOverheadData reports (with sizeof, not allocation sizes). */
export interface DbOverhead {
  db: number;
  keys: number;
  overheadMain: number;
  overheadExpires: number;
}

/** getMemoryOverheadData's result (MEMORY STATS, INFO memory, MEMORY DOCTOR). */
export interface MemoryOverhead {
  totalAllocated: number;
  startupAllocated: number;
  peakAllocated: number;
  clientsNormal: number;
  dbs: DbOverhead[];
  overheadTotal: number;
  totalKeys: number;
  /** used - overhead; may be negative (Redis's size_t then wraps; see info.ts). */
  dataset: number;
  datasetPerc: number;
  peakPerc: number;
  bytesPerKey: number;
  totalFrag: number;
  totalFragBytes: number;
  allocatorFrag: number;
  allocatorFragBytes: number;
  allocatorRss: number;
  allocatorRssBytes: number;
  rssExtra: number;
  rssExtraBytes: number;
}

/** C's float division of two byte counts ((float)a / b, or with *100 first). */
function floatRatio(a: number, b: number, times100 = false): number {
  const fa = Math.fround(a);
  return Math.fround((times100 ? Math.fround(fa * 100) : fa) / Math.fround(b));
}

/** The server's memory figures: used_memory, the peak, and the modelled allocator and RSS. */
export class MemoryModel {
  /** stat_peak_memory */
  peak = 0;
  /**
   * Bytes freed that jemalloc still holds as dirty pages (active, not yet returned to the OS):
   * grows with every drop of used_memory, decays over DIRTY_DECAY_MS, MEMORY PURGE clears it.
   */
  dirtyBytes = 0;
  /** used_memory at the last observation (for the dirty-page model). */
  private lastUsed = 0;
  private lastDecayAt: number;
  /** Keys signalled as modified since the last flush (signalModifiedKey), as db/key pairs. */
  private touchedDbs: Db[] = [];
  private touchedKeys: string[] = [];
  /** The last cron sample (cron_malloc_stats). */
  readonly mallocStats: MallocStats = {
    zmallocUsed: 0, processRss: 0, allocatorAllocated: 0, allocatorActive: 0, allocatorResident: 0,
  };

  constructor(private readonly server: RedisServer) {
    this.lastDecayAt = server.clock.now();
    this.peak = this.lastUsed = this.usedMemory();
    this.sampleMallocStats();
  }

  /** used_memory_startup */
  get startupBytes(): number {
    return STARTUP_BYTES_16_DBS + (this.server.dbs?.length ?? 16) * STARTUP_BYTES_PER_DB - 16 * STARTUP_BYTES_PER_DB;
  }

  /** mem_clients_normal as the model counts it (every connected client). */
  get clientsBytes(): number {
    return this.server.clients.size * CLIENT_BYTES;
  }

  /** The bytes one database holds: its keys and values, its bucket arrays, its expires entries. */
  dbBytes(db: Db): number {
    return db.keyBytes + 8 * (db.dict.slots + db.expires.slots) + DICT_ENTRY_ALLOC * db.expires.size;
  }

  /**
   * signalModifiedKey: the key's value may change in this command (Redis sometimes signals before
   * the change), so it is measured again when the command is over, or when used_memory is read.
   */
  keyTouched(db: Db, key: string): void {
    const n = this.touchedKeys.length;
    if (n > 0 && this.touchedKeys[n - 1] === key && this.touchedDbs[n - 1] === db) return;
    this.touchedDbs.push(db);
    this.touchedKeys.push(key);
  }

  /** Measures again every key signalled since the last time. */
  private flushTouched(): void {
    const dbs = this.touchedDbs;
    if (dbs.length === 0) return;
    const keys = this.touchedKeys;
    for (let i = 0; i < dbs.length; i++) dbs[i].remeasure(keys[i]);
    dbs.length = 0;
    keys.length = 0;
  }

  /** zmalloc_used_memory() */
  usedMemory(): number {
    this.flushTouched();
    const server = this.server;
    let used = this.startupBytes + this.clientsBytes + server.lazyfree.pendingBytes;
    // The constructor runs before the dbs exist.
    const dbs = server.dbs;
    if (!dbs) return used;
    for (let i = 0; i < dbs.length; i++) {
      const db = dbs[i];
      // Most databases are empty and never had a table: skip them cheaply (this runs per command).
      if (db.keyBytes === 0 && db.dict.tables[0] === null && db.expires.tables[0] === null) continue;
      used += this.dbBytes(db);
    }
    return used;
  }

  /**
   * Records the peak (after each command, in beforeSleep and cron, and when INFO reads it), and
   * feeds the dirty-page model: memory given back stays with jemalloc as dirty pages, which the
   * next allocations reuse first.
   */
  updatePeak(): number {
    const used = this.usedMemory();
    if (used > this.peak) this.peak = used;
    if (used < this.lastUsed) this.dirtyBytes += this.lastUsed - used;
    else this.dirtyBytes = Math.max(0, this.dirtyBytes - (used - this.lastUsed));
    this.lastUsed = used;
    return used;
  }

  /** cronUpdateMemoryStats: the peak every run; the allocator figures every 100 ms. */
  cron(): void {
    const used = this.updatePeak();
    const now = this.server.clock.now();
    const elapsed = now - this.lastDecayAt;
    this.lastDecayAt = now;
    if (elapsed > 0) this.dirtyBytes = Math.floor(this.dirtyBytes * Math.max(0, 1 - elapsed / DIRTY_DECAY_MS));
    if (this.server.runWithPeriod(100)) this.sampleMallocStats(used);
  }

  /** MEMORY PURGE: jemalloc returns every dirty page at once. */
  purge(): void {
    this.dirtyBytes = 0;
    this.sampleMallocStats();
  }

  private sampleMallocStats(used = this.usedMemory()): void {
    const s = this.mallocStats;
    s.zmallocUsed = used;
    s.allocatorAllocated = used + ALLOCATOR_EXTRA_BYTES;
    s.allocatorActive = Math.ceil((s.allocatorAllocated + ALLOCATOR_BASE_FRAG_BYTES + this.dirtyBytes) / PAGE_SIZE) * PAGE_SIZE;
    s.allocatorResident = s.allocatorActive + RESIDENT_EXTRA_BYTES;
    s.processRss = s.allocatorResident + RSS_EXTRA_BYTES;
  }

  /** getMemoryOverheadData */
  overhead(): MemoryOverhead {
    const server = this.server;
    const used = this.updatePeak();
    const startup = this.startupBytes;
    // Redis samples each client's memory in clientsCron (about once a second); the model's
    // figure is always current.
    const clientsNormal = this.clientsBytes;
    let total = startup + clientsNormal;
    let totalKeys = 0;
    const dbs: DbOverhead[] = [];
    for (const db of server.dbs) {
      const keys = db.dict.size;
      if (keys === 0) continue;
      totalKeys += keys;
      const overheadMain = keys * DICT_ENTRY_SIZE + db.dict.slots * 8 + keys * ROBJ_SIZE;
      const overheadExpires = db.expires.size * DICT_ENTRY_SIZE + db.expires.slots * 8;
      total += overheadMain + overheadExpires;
      dbs.push({ db: db.id, keys, overheadMain, overheadExpires });
    }
    const s = this.mallocStats;
    const netUsage = used > startup ? used - startup : 1;
    return {
      totalAllocated: used,
      startupAllocated: startup,
      peakAllocated: this.peak,
      clientsNormal,
      dbs,
      overheadTotal: total,
      totalKeys,
      dataset: used - total,
      datasetPerc: floatRatio(used - total, netUsage, true),
      peakPerc: floatRatio(used, this.peak, true),
      bytesPerKey: totalKeys ? Math.floor(netUsage / totalKeys) : 0,
      totalFrag: floatRatio(s.processRss, s.zmallocUsed),
      totalFragBytes: s.processRss - s.zmallocUsed,
      allocatorFrag: floatRatio(s.allocatorActive, s.allocatorAllocated),
      allocatorFragBytes: s.allocatorActive - s.allocatorAllocated,
      allocatorRss: floatRatio(s.allocatorResident, s.allocatorActive),
      allocatorRssBytes: s.allocatorResident - s.allocatorActive,
      rssExtra: floatRatio(s.processRss, s.allocatorResident),
      rssExtraBytes: s.processRss - s.allocatorResident,
    };
  }
}
