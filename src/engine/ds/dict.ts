// Redis's dict (dict.c): chained hash table with two tables and incremental rehashing. While
// rehashidx >= 0, every lookup, insert and delete moves one bucket from table 0 to table 1, and the
// server cron moves more in bounded batches. SCAN walks buckets in reverse-binary order so it keeps
// its guarantees across a resize. This is the real keyspace, not a picture of one.
import type { Random } from '../sim/random.ts';

export const DICT_HT_INITIAL_SIZE = 4;
/** Grow even when resizing is discouraged (e.g. during a fork) once used/size exceeds this. */
export const DICT_FORCE_RESIZE_RATIO = 5;
/** htNeedsResize: shrink when fill drops under this percent. */
export const HASHTABLE_MIN_FILL = 10;
/** dictGetFairRandomKey samples this many entries. */
const GETFAIR_NUM_ENTRIES = 15;

export class DictEntry<V> {
  constructor(public key: string, public value: V, public next: DictEntry<V> | null) {}
}

type Table<V> = (DictEntry<V> | null)[];

/** How many chain lengths dictGetStats tells apart. */
export const DICT_STATS_VECTLEN = 50;

export interface DictTableStats {
  size: number;
  used: number;
  /** Buckets holding at least one entry. */
  slots: number;
  maxChain: number;
  totalChain: number;
  chains: number[];
}

/**
 * Shared by the dicts of one server: Redis turns resizing down while a child process exists. The
 * optional observer hears of every table allocation and rehash step (engine/trace/dictTrace.ts);
 * it is asked whether it listens once per rehash call or resize, never per lookup.
 */
export interface ResizePolicy { canResize: boolean; observer?: DictObserver | null }

/**
 * Why a table was allocated: the first table ('init'), growth at load factor 1 ('grow') or past
 * DICT_FORCE_RESIZE_RATIO while resizing is discouraged ('forced-grow'), dictResize ('resize':
 * fit the table to its entries, usually a shrink), or a caller presizing with dictExpand ('expand').
 */
export type DictResizeCause = 'init' | 'grow' | 'forced-grow' | 'resize' | 'expand';

/**
 * Who asked for rehash work: an operation's _dictRehashStep (find, add/replace, delete, random
 * pick, sampling), or an explicit dictRehash(n) ('cron' from incrementallyRehash, else 'rehash').
 */
export type DictRehashCause = 'find' | 'add' | 'delete' | 'random' | 'sample' | 'cron' | 'rehash';

/** One bucket of table 0 that a rehash moved: its index, and where each entry went in table 1. */
export interface DictMovedBucket {
  index: number;
  /** Table-1 bucket of each entry, in the order the chain was walked (its length = entries moved). */
  to: number[];
}

export interface DictRehashReport {
  cause: DictRehashCause;
  /** The number of buckets asked for (dictRehash's n). */
  n: number;
  /** rehashidx before the call, and after it (-1: the rehash finished). */
  from: number;
  next: number;
  /** Table sizes while it ran (table 1 becomes table 0 when it finishes). */
  size0: number;
  size1: number;
  buckets: DictMovedBucket[];
  /** Empty buckets skipped. */
  emptyVisited: number;
  finished: boolean;
}

export interface DictResizeReport {
  cause: DictResizeCause;
  /** The size asked for, the old table-0 size (0: none) and the new table's size. */
  asked: number;
  from: number;
  to: number;
  /** Entries at the time (table 0's, as dictExpand compares). */
  used: number;
  /** Whether the new table is table 1 (a rehash starts) rather than the first table. */
  rehash: boolean;
}

/** Hears what a dict's tables do (see ResizePolicy). Must not change the dict. */
export interface DictObserver {
  /** Whether reports are wanted now: when false the dict builds none. */
  readonly active: boolean;
  rehashed(dict: Dict<unknown>, report: DictRehashReport): void;
  resized(dict: Dict<unknown>, report: DictResizeReport): void;
}

const defaultPolicy: ResizePolicy = { canResize: true };

/** Seeded 32-bit hash of a byte string (FNV-1a with a murmur3 finalizer). */
export function hashBytes(key: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Reverses the bits of a 32-bit value (for the SCAN cursor). */
export function rev32(v: number): number {
  v = ((v >>> 1) & 0x55555555) | ((v & 0x55555555) << 1);
  v = ((v >>> 2) & 0x33333333) | ((v & 0x33333333) << 2);
  v = ((v >>> 4) & 0x0f0f0f0f) | ((v & 0x0f0f0f0f) << 4);
  v = ((v >>> 8) & 0x00ff00ff) | ((v & 0x00ff00ff) << 8);
  return ((v >>> 16) | (v << 16)) >>> 0;
}

function nextPowerOfTwo(size: number): number {
  let n = DICT_HT_INITIAL_SIZE;
  while (n < size) n *= 2;
  return n;
}

export class Dict<V> {
  /** ht_table[0] and ht_table[1]; table 1 exists only while rehashing. */
  readonly tables: [Table<V> | null, Table<V> | null] = [null, null];
  readonly used: [number, number] = [0, 0];
  /** Next bucket of table 0 to migrate, or -1 when not rehashing. */
  rehashIndex = -1;
  /** While > 0 (safe iteration, scan callbacks) no rehash steps run. */
  private pauseRehash = 0;

  constructor(
    private readonly seed: number,
    private readonly policy: ResizePolicy = defaultPolicy,
  ) {}

  get size(): number { return this.used[0] + this.used[1]; }
  get isRehashing(): boolean { return this.rehashIndex !== -1; }
  /** Total buckets over both tables (dictSlots). */
  get slots(): number { return (this.tables[0]?.length ?? 0) + (this.tables[1]?.length ?? 0); }

  hash(key: string): number { return hashBytes(key, this.seed); }

  // --- rehashing -------------------------------------------------------------------------------

  /**
   * dictRehash: migrates up to n non-empty buckets, visiting at most n*10 empty ones.
   * Returns true while more work remains. `cause` only labels the observer's report.
   */
  rehash(n: number, cause: DictRehashCause = 'rehash'): boolean {
    if (!this.isRehashing) return false;
    const observer = this.policy.observer;
    const moved: DictMovedBucket[] | null = observer != null && observer.active ? [] : null;
    const asked = n;
    const from = this.rehashIndex;
    let emptyVisits = n * 10;
    const t0 = this.tables[0]!;
    const t1 = this.tables[1]!;
    const mask1 = t1.length - 1;
    let more = true;
    rehashing: while (n-- > 0 && this.used[0] !== 0) {
      while (t0[this.rehashIndex] === null) {
        this.rehashIndex++;
        if (--emptyVisits === 0) break rehashing;
      }
      const to: number[] | null = moved && [];
      let e = t0[this.rehashIndex];
      while (e) {
        const next: DictEntry<V> | null = e.next;
        const idx = this.hash(e.key) & mask1;
        e.next = t1[idx];
        t1[idx] = e;
        this.used[0]--;
        this.used[1]++;
        if (to) to.push(idx);
        e = next;
      }
      if (moved) moved.push({ index: this.rehashIndex, to: to! });
      t0[this.rehashIndex] = null;
      this.rehashIndex++;
    }
    if (this.used[0] === 0) {
      this.tables[0] = t1;
      this.used[0] = this.used[1];
      this.tables[1] = null;
      this.used[1] = 0;
      this.rehashIndex = -1;
      more = false;
    }
    if (moved) {
      observer!.rehashed(this as Dict<unknown>, {
        cause, n: asked, from, next: this.rehashIndex, size0: t0.length, size1: t1.length, buckets: moved,
        emptyVisited: asked * 10 - emptyVisits, finished: !more,
      });
    }
    return more;
  }

  /** _dictRehashStep: the single bucket every operation migrates. */
  private rehashStep(cause: DictRehashCause): void {
    if (this.pauseRehash === 0) this.rehash(1, cause);
  }

  /** dictPauseRehashing's counter: while above 0 operations take no rehash step. */
  get rehashPaused(): number { return this.pauseRehash; }

  /**
   * dictExpand: allocates a table for at least `size` entries; starts rehashing if the dict has
   * entries. Returns false when refused (already rehashing, too small, or the same size).
   */
  expand(size: number, cause: DictResizeCause = 'expand'): boolean {
    if (this.isRehashing || this.used[0] > size) return false;
    const realSize = nextPowerOfTwo(size);
    if (this.tables[0] && realSize === this.tables[0].length) return false;
    const observer = this.policy.observer;
    if (observer != null && observer.active) {
      observer.resized(this as Dict<unknown>, {
        cause, asked: size, from: this.tables[0]?.length ?? 0, to: realSize, used: this.used[0], rehash: this.tables[0] !== null,
      });
    }
    const table: Table<V> = new Array(realSize).fill(null);
    if (this.tables[0] === null) {
      this.tables[0] = table;
      return true;
    }
    this.tables[1] = table;
    this.rehashIndex = 0;
    return true;
  }

  /** htNeedsResize: the table is mostly empty and worth shrinking. */
  needsShrink(): boolean {
    const size = this.slots;
    return size > DICT_HT_INITIAL_SIZE && Math.floor((this.size * 100) / size) < HASHTABLE_MIN_FILL;
  }

  /** dictResize: shrinks (or grows) the table to the smallest power of two holding every entry. */
  resize(): boolean {
    if (!this.policy.canResize || this.isRehashing) return false;
    return this.expand(Math.max(this.used[0], DICT_HT_INITIAL_SIZE), 'resize');
  }

  private expandIfNeeded(): void {
    if (this.isRehashing) return;
    const t0 = this.tables[0];
    if (t0 === null) { this.expand(DICT_HT_INITIAL_SIZE, 'init'); return; }
    if (this.used[0] >= t0.length &&
        (this.policy.canResize || Math.floor(this.used[0] / t0.length) > DICT_FORCE_RESIZE_RATIO)) {
      this.expand(this.used[0] + 1, this.policy.canResize ? 'grow' : 'forced-grow');
    }
  }

  // --- lookups and updates ---------------------------------------------------------------------

  /** dictFind */
  findEntry(key: string): DictEntry<V> | null {
    if (this.used[0] + this.used[1] === 0) return null;
    if (this.rehashIndex !== -1) this.rehashStep('find');
    return this.findInTables(key, this.hash(key));
  }

  get(key: string): V | undefined { return this.findEntry(key)?.value; }

  /** A lookup that takes no rehash step, for bookkeeping Redis does not do through dictFind. */
  peek(key: string): V | undefined { return this.findInTables(key, this.hash(key))?.value; }
  has(key: string): boolean { return this.findEntry(key) !== null; }

  /** dictAdd: inserts a new key at the head of its bucket; false if it already exists. */
  add(key: string, value: V): boolean {
    if (this.rehashIndex !== -1) this.rehashStep('add');
    // As in _dictKeyIndex, growth is checked before looking for the key.
    this.expandIfNeeded();
    const h = this.hash(key); // once per operation: hashing the key is the costly part
    if (this.findInTables(key, h)) return false;
    this.insertNew(key, value, h);
    return true;
  }

  /** dictReplace: adds or overwrites. Returns true when the key was new. */
  set(key: string, value: V): boolean {
    if (this.rehashIndex !== -1) this.rehashStep('add');
    this.expandIfNeeded();
    const h = this.hash(key);
    const e = this.findInTables(key, h);
    if (e) { e.value = value; return false; }
    this.insertNew(key, value, h);
    return true;
  }

  /** The lookup of a key whose hash is h, without a rehash step (table 1 is null unless rehashing). */
  private findInTables(key: string, h: number): DictEntry<V> | null {
    if (this.used[0] + this.used[1] === 0) return null;
    const t0 = this.tables[0];
    if (t0 !== null) {
      for (let e = t0[h & (t0.length - 1)]; e !== null; e = e.next) if (e.key === key) return e;
    }
    const t1 = this.tables[1];
    if (t1 !== null) {
      for (let e = t1[h & (t1.length - 1)]; e !== null; e = e.next) if (e.key === key) return e;
    }
    return null;
  }

  private insertNew(key: string, value: V, h: number): void {
    // While rehashing, new entries go straight to the new table.
    const t = this.isRehashing ? 1 : 0;
    const table = this.tables[t]!;
    const idx = h & (table.length - 1);
    table[idx] = new DictEntry(key, value, table[idx]);
    this.used[t]++;
  }

  /** dictDelete: removes the key and returns its entry, or null. */
  delete(key: string): DictEntry<V> | null {
    if (this.size === 0) return null;
    if (this.isRehashing) this.rehashStep('delete');
    const h = this.hash(key);
    for (let t = 0; t <= 1; t++) {
      const table = this.tables[t];
      if (table) {
        const idx = h & (table.length - 1);
        let prev: DictEntry<V> | null = null;
        let e = table[idx];
        while (e) {
          if (e.key === key) {
            if (prev) prev.next = e.next; else table[idx] = e.next;
            this.used[t]--;
            e.next = null;
            return e;
          }
          prev = e;
          e = e.next;
        }
      }
      if (!this.isRehashing) break;
    }
    return null;
  }

  /**
   * What dictGetStats counts in table `index` (DEBUG HTSTATS): its size, entries, non-empty buckets
   * and how many buckets have each chain length (`chains[n]`, n < DICT_STATS_VECTLEN; longer chains
   * count in the last one). Null when the table does not exist.
   */
  tableStats(index: 0 | 1): DictTableStats | null {
    const table = this.tables[index];
    if (!table) return null;
    const chains = new Array<number>(DICT_STATS_VECTLEN).fill(0);
    let slots = 0;
    let maxChain = 0;
    let totalChain = 0;
    for (const head of table) {
      let len = 0;
      for (let e = head; e; e = e.next) len++;
      chains[Math.min(len, DICT_STATS_VECTLEN - 1)]++;
      if (len === 0) continue;
      slots++;
      maxChain = Math.max(maxChain, len);
      totalChain += len;
    }
    return { size: table.length, used: this.used[index], slots, maxChain, totalChain, chains };
  }

  /** Empties the dict (dictEmpty). */
  clear(): void {
    this.tables[0] = this.tables[1] = null;
    this.used[0] = this.used[1] = 0;
    this.rehashIndex = -1;
    this.pauseRehash = 0;
  }

  /**
   * A copy holding the same entries (hashTypeDup / setTypeDup for COPY): a fresh dict presized
   * for every entry, filled in iteration order. Values are shared, so they must be immutable
   * (strings, numbers, null).
   */
  clone(): Dict<V> {
    const copy = new Dict<V>(this.seed, this.policy);
    copy.expand(this.size);
    for (const e of this.entries()) copy.add(e.key, e.value);
    return copy;
  }

  // --- iteration and sampling ------------------------------------------------------------------

  /** Safe iteration: rehashing pauses until the walk ends, so deleting the current key is fine. */
  *entries(): Generator<DictEntry<V>> {
    this.pauseRehash++;
    try {
      for (let t = 0; t <= 1; t++) {
        const table = this.tables[t];
        if (!table) continue;
        for (let i = 0; i < table.length; i++) {
          let e = table[i];
          while (e) {
            const next: DictEntry<V> | null = e.next;
            yield e;
            e = next;
          }
        }
      }
    } finally {
      this.pauseRehash--;
    }
  }

  *keys(): Generator<string> { for (const e of this.entries()) yield e.key; }

  /** dictGetRandomKey: a random non-empty bucket, then a random entry of its chain. */
  randomEntry(random: Random): DictEntry<V> | null {
    if (this.size === 0) return null;
    if (this.isRehashing) this.rehashStep('random');
    let head: DictEntry<V> | null = null;
    if (this.isRehashing) {
      const t0 = this.tables[0]!, t1 = this.tables[1]!;
      const s0 = t0.length;
      // Buckets of table 0 below rehashIndex are known to be empty.
      while (!head) {
        const h = this.rehashIndex + random.below(s0 + t1.length - this.rehashIndex);
        head = h >= s0 ? t1[h - s0] : t0[h];
      }
    } else {
      const t0 = this.tables[0]!;
      while (!head) head = t0[random.nextU32() & (t0.length - 1)];
    }
    let len = 0;
    for (let e: DictEntry<V> | null = head; e; e = e.next) len++;
    let pick = random.below(len);
    let e = head;
    while (pick-- > 0) e = e.next!;
    return e;
  }

  /**
   * dictGetSomeKeys: up to `count` entries from a random run of buckets; fast, not uniform.
   * Used by eviction, the active expire cycle and fair random picks.
   */
  sampleEntries(count: number, random: Random): DictEntry<V>[] {
    const out: DictEntry<V>[] = [];
    if (count > this.size) count = this.size;
    if (count === 0) return out;
    let maxSteps = count * 10;
    for (let j = 0; j < count && this.isRehashing; j++) this.rehashStep('sample');
    const tables = this.isRehashing ? 2 : 1;
    let maxMask = this.tables[0]!.length - 1;
    if (tables > 1 && this.tables[1]!.length - 1 > maxMask) maxMask = this.tables[1]!.length - 1;
    let i = random.nextU32() & maxMask;
    let emptyLen = 0;
    while (out.length < count && maxSteps--) {
      for (let j = 0; j < tables; j++) {
        const table = this.tables[j]!;
        // Buckets of table 0 below rehashIndex were already moved.
        if (tables === 2 && j === 0 && i < this.rehashIndex) {
          if (i >= this.tables[1]!.length) i = this.rehashIndex;
          else continue;
        }
        if (i >= table.length) continue;
        let e = table[i];
        if (!e) {
          emptyLen++;
          if (emptyLen >= 5 && emptyLen > count) {
            i = random.nextU32() & maxMask;
            emptyLen = 0;
          }
        } else {
          emptyLen = 0;
          while (e) {
            out.push(e);
            if (out.length === count) return out;
            e = e.next;
          }
        }
      }
      i = (i + 1) & maxMask;
    }
    return out;
  }

  /** dictGetFairRandomKey: samples a few buckets' entries and picks one, evening out chain bias. */
  fairRandomEntry(random: Random): DictEntry<V> | null {
    const sample = this.sampleEntries(GETFAIR_NUM_ENTRIES, random);
    if (sample.length === 0) return this.randomEntry(random);
    return sample[random.below(sample.length)];
  }

  /**
   * dictScan: visits the bucket(s) at `cursor` and returns the next cursor (0 when done). Every
   * element present for the whole scan is returned at least once, even across resizes.
   */
  scan(cursor: number, visit: (e: DictEntry<V>) => void): number {
    if (this.size === 0) return 0;
    let v = cursor >>> 0;
    this.pauseRehash++;
    try {
      const emit = (table: Table<V>, idx: number) => {
        for (let e = table[idx]; e; e = e.next) visit(e);
      };
      if (!this.isRehashing) {
        const t0 = this.tables[0]!;
        const m0 = t0.length - 1;
        emit(t0, v & m0);
        v = (v | ~m0) >>> 0;
        v = rev32((rev32(v) + 1) >>> 0);
      } else {
        let small = this.tables[0]!, large = this.tables[1]!;
        if (small.length > large.length) [small, large] = [large, small];
        const m0 = small.length - 1, m1 = large.length - 1;
        emit(small, v & m0);
        // Then every bucket of the larger table that expands the smaller one's bucket.
        do {
          emit(large, v & m1);
          v = (v | ~m1) >>> 0;
          v = rev32((rev32(v) + 1) >>> 0);
        } while (v & (m0 ^ m1));
      }
    } finally {
      this.pauseRehash--;
    }
    return v;
  }
}
