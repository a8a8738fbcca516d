// One numbered database (redisDb / db.c): the keyspace dict, the expires dict, and the key-level
// operations every command goes through, so expiry, LRU/LFU touch, keyspace stats and "key was
// modified" signals happen in one place, as in Redis.
import { Dict, type DictEntry } from '../ds/dict.ts';
import type { Client } from './client.ts';
import { accountValue, countedValue, keyEntryAlloc } from './memory.ts';
import type { WatchedKey } from './multi.ts';
import { initialLru, type RedisObject } from './object.ts';
import type { RedisServer } from './redisServer.ts';
import { expireLazyEvent } from '../trace/expiryEvents.ts';
import { NOTIFY_EXPIRED, NOTIFY_GENERIC, NOTIFY_KEY_MISS, NOTIFY_NEW } from './notify.ts';
import { WRONGTYPE } from './shared.ts';

/** lookupKey flags (LOOKUP_*), with Redis's values. */
export const LOOKUP_NONE = 0;
/** Don't update the LRU/LFU of the key (OBJECT, TYPE, ...). */
export const LOOKUP_NOTOUCH = 1 << 0;
/** Don't fire the "keymiss" keyspace event on a miss. */
export const LOOKUP_NONOTIFY = 1 << 1;
/** Don't count a keyspace hit or miss. */
export const LOOKUP_NOSTATS = 1 << 2;
/** A lookup for writing: no hit/miss stats, no keymiss event (lookupKeyWrite adds it). */
export const LOOKUP_WRITE = 1 << 3;
/** Don't delete an expired key found by the lookup. */
export const LOOKUP_NOEXPIRE = 1 << 4;

/**
 * An absolute expire time in unix ms. A plain number while it is a safe integer; beyond 2^53
 * (PEXPIREAT up to 2^63-1 is legal) a bigint, so PEXPIRETIME and friends stay exact. `<` and `>`
 * compare the two kinds correctly; use expireTimeBig() for arithmetic.
 */
export type ExpireTime = number | bigint;

/** Normalizes an expire time: a number when exact, else a bigint. */
export function toExpireTime(ms: number | bigint): ExpireTime {
  if (typeof ms === 'number') return ms;
  return ms >= -9007199254740991n && ms <= 9007199254740991n ? Number(ms) : ms;
}

export function expireTimeBig(ms: ExpireTime): bigint {
  return typeof ms === 'bigint' ? ms : BigInt(ms);
}

/**
 * How a delete frees the value (dbGenericDelete's `async`): now, in the background when it is big
 * (lazyfree.ts), as lazyfree-lazy-server-del says (dbDelete), or not at all because the value
 * lives on under another key (RENAME, MOVE).
 */
export type FreeMode = 'sync' | 'async' | 'server' | 'none';

export class Db {
  // Not readonly: SWAPDB swaps the tables of two databases (clients keep their Db).
  dict: Dict<RedisObject>;
  /** Key -> absolute expire time in unix ms. */
  expires: Dict<ExpireTime>;
  /** Running average TTL of keys seen by the active expire cycle (for INFO keyspace avg_ttl). */
  avgTtl = 0;
  /** Where the active expire cycle resumes scanning this db's expires. */
  expiresCursor = 0;
  /** WATCHed keys of this database and who watches them (db->watched_keys). Not swapped by SWAPDB. */
  readonly watchedKeys = new Map<string, WatchedKey[]>();
  /**
   * Bytes the memory model counts for this database's keys: each key's dictEntry and sds plus the
   * bytes its value is counted with (RedisObject.mem). Kept by every add, replace and delete below;
   * the bucket arrays and expires entries are added on top by MemoryModel.dbBytes.
   */
  keyBytes = 0;
  /**
   * The key last looked up, added or given a new value, and its object: lets the memory model
   * re-measure a signalled key without another lookup. Every change of what a key maps to goes
   * through the methods below, which keep it right.
   */
  private recentKey: string | null = null;
  private recentObject: RedisObject | null = null;

  constructor(readonly server: RedisServer, readonly id: number) {
    this.dict = new Dict(server.hashSeed, server.resizePolicy);
    this.expires = new Dict(server.hashSeed, server.resizePolicy);
  }

  get size(): number { return this.dict.size; }

  // --- lookups ---------------------------------------------------------------------------------

  /** lookupKey: handles lazy expiry, the access time, the hit/miss counters and "keymiss". */
  lookupKey(key: string, flags = LOOKUP_NONE): RedisObject | null {
    let o = this.dict.get(key) ?? null;
    if (o && this.expireIfNeeded(key, (flags & LOOKUP_NOEXPIRE) !== 0)) o = null;
    if (o) {
      this.recentKey = key;
      this.recentObject = o;
      if (!(flags & LOOKUP_NOTOUCH)) this.server.touchObject(o);
      if (!(flags & (LOOKUP_NOSTATS | LOOKUP_WRITE))) this.server.stats.keyspaceHits++;
    } else {
      if (!(flags & (LOOKUP_NONOTIFY | LOOKUP_WRITE))) {
        this.server.notifyKeyspaceEvent(NOTIFY_KEY_MISS, 'keymiss', key, this.id);
      }
      if (!(flags & (LOOKUP_NOSTATS | LOOKUP_WRITE))) this.server.stats.keyspaceMisses++;
    }
    return o;
  }

  lookupKeyRead(key: string, flags = LOOKUP_NONE): RedisObject | null {
    return this.lookupKey(key, flags & ~LOOKUP_WRITE);
  }

  /** Writes don't count as keyspace hits or misses and fire no keymiss. */
  lookupKeyWrite(key: string, flags = LOOKUP_NONE): RedisObject | null {
    return this.lookupKey(key, flags | LOOKUP_WRITE);
  }

  /** lookupKeyReadOrReply: on a miss, sends `missReply` (already encoded RESP, or a function). */
  lookupKeyReadOrReply(c: Client, key: string, onMiss: (c: Client) => void): RedisObject | null {
    const o = this.lookupKeyRead(key);
    if (!o) onMiss(c);
    return o;
  }

  lookupKeyWriteOrReply(c: Client, key: string, onMiss: (c: Client) => void): RedisObject | null {
    const o = this.lookupKeyWrite(key);
    if (!o) onMiss(c);
    return o;
  }

  /** True (after replying WRONGTYPE) when o exists and is not of the expected type. */
  static checkType(c: Client, o: RedisObject | null, type: RedisObject['type']): boolean {
    if (o && o.type !== type) {
      c.reply.error(WRONGTYPE);
      return true;
    }
    return false;
  }

  /** Whether the key exists (lazily expiring it), without touching it, stats or events. */
  exists(key: string): boolean {
    return this.lookupKey(key, LOOKUP_NOTOUCH | LOOKUP_NOSTATS | LOOKUP_NONOTIFY) !== null;
  }

  // --- writes ----------------------------------------------------------------------------------

  /**
   * dbAdd: the key must not exist. The object starts with a fresh access time, as createObject
   * gives a new object (callers build objects without one); fires "new".
   */
  add(key: string, o: RedisObject): void {
    o.lru = initialLru(this.server);
    accountValue(o); // a new value: measured now, counted below
    this.addKeepingLru(key, o);
  }

  /**
   * dbAdd of an object that already lived in a keyspace (RENAME, MOVE): its access time stays, and
   * so do the bytes it is counted with (its old key is deleted next, with FreeMode 'none').
   */
  addKeepingLru(key: string, o: RedisObject): void {
    this.dict.add(key, o);
    this.keyBytes += keyEntryAlloc(key) + countedValue(o);
    this.recentKey = key;
    this.recentObject = o;
    // Clients blocked on this key (BLPOP, BZPOPMIN ...) may be served now.
    this.server.blocking.signalKeyAsReady(this, key, o.type);
    this.server.notifyKeyspaceEvent(NOTIFY_NEW, 'new', key, this.id);
  }

  /**
   * dbAddRDBLoad: a key loaded from an RDB file keeps the access time the loader gives it, and
   * fires no event and wakes no blocked client. Returns false (nothing added) if the key exists.
   */
  addRdbLoad(key: string, o: RedisObject): boolean {
    if (!this.dict.add(key, o)) return false;
    this.keyBytes += keyEntryAlloc(key) + accountValue(o);
    return true;
  }

  /**
   * dbOverwrite: the key must exist; its TTL is kept. The new object has a fresh access time,
   * except under LFU where it inherits the old value's counter.
   */
  overwrite(key: string, o: RedisObject): void {
    const entry = this.dict.findEntry(key);
    o.lru = entry && this.server.usesLfu ? entry.value.lru : initialLru(this.server);
    if (entry) {
      this.replaceValue(entry, o);
    } else {
      this.dict.set(key, o);
      this.keyBytes += keyEntryAlloc(key) + accountValue(o);
      this.recentKey = key;
      this.recentObject = o;
    }
  }

  /**
   * dbSetValue's second half: the key's entry takes the new value and the old one is freed, in the
   * background when big and lazyfree-lazy-server-del says so.
   */
  replaceValue(entry: DictEntry<RedisObject>, o: RedisObject): void {
    const old = entry.value;
    entry.value = o;
    this.recentKey = entry.key;
    this.recentObject = o;
    if (old === o) return;
    const oldBytes = countedValue(old);
    this.keyBytes += accountValue(o) - oldBytes;
    this.server.lazyfree.freeObject(old, oldBytes, this.server.config.bool('lazyfree-lazy-server-del'));
  }

  /**
   * After a write command changed a key's value in place (signalModifiedKey, see memory.ts):
   * measure it again. A lookup without a rehash step: Redis does no dictFind here.
   */
  remeasure(key: string): void {
    const o = key === this.recentKey ? this.recentObject : this.dict.peek(key);
    if (!o || o.shared) return;
    const before = o.mem ?? 0;
    this.keyBytes += accountValue(o) - before;
  }

  /**
   * setKey: add or overwrite, removing any TTL unless keepTtl, and signal the change (WATCH).
   * Callers fire the keyspace event themselves, as Redis commands do.
   */
  setKey(c: Client | null, key: string, o: RedisObject, keepTtl = false): void {
    if (this.lookupKeyWrite(key) === null) this.add(key, o);
    else this.overwrite(key, o);
    if (!keepTtl) this.removeExpire(key);
    this.server.signalModifiedKey(c, this, key);
  }

  /**
   * dbGenericDelete: removes the key, its TTL and its value, freeing the value as `free` says (by
   * default as dbDelete does: lazyfree-lazy-server-del). Returns whether the key existed.
   */
  delete(key: string, free: FreeMode = 'server'): boolean {
    if (this.dict.size === 0) return false;
    this.expires.delete(key);
    const e = this.dict.delete(key);
    if (e === null) return false;
    if (key === this.recentKey) this.recentKey = this.recentObject = null;
    const valueBytes = countedValue(e.value);
    this.keyBytes -= keyEntryAlloc(key) + valueBytes;
    if (free !== 'none') {
      const async = free === 'async' || (free === 'server' && this.server.config.bool('lazyfree-lazy-server-del'));
      this.server.lazyfree.freeObject(e.value, valueBytes, async);
    }
    return true;
  }

  /**
   * Deletes a key as a write command does (e.g. a *STORE whose result is empty): signals the
   * change, fires "del" and counts it dirty. Returns whether the key existed.
   */
  deleteAndNotify(c: Client, key: string): boolean {
    if (!this.delete(key)) return false;
    this.server.signalModifiedKey(c, this, key);
    this.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'del', key, this.id);
    this.server.dirty++;
    return true;
  }

  /**
   * Removes every key; returns how many there were. With `async` (emptyDbAsync) the old tables go
   * to the lazy-free thread whole; otherwise the command frees them (one unit of work per key).
   */
  empty(async = false): number {
    const n = this.dict.size;
    if (async) this.server.lazyfree.freeDatabase(n, this.server.memory.dbBytes(this));
    else this.server.chargeWork(n);
    this.dict.clear();
    this.expires.clear();
    this.keyBytes = 0;
    this.recentKey = this.recentObject = null;
    this.avgTtl = 0;
    this.expiresCursor = 0;
    return n;
  }

  /** dbRandomKey: a random live key (expired ones met on the way are deleted), or null. */
  randomKey(): string | null {
    // (A replica, which may not delete expired keys, gives up after 100 tries when every key is
    // volatile; we are always a master for now, so each expired key found is simply removed.)
    for (;;) {
      const e = this.dict.fairRandomEntry(this.server.random);
      if (!e) return null;
      const key = e.key;
      if (this.expires.size > 0 && this.expires.has(key) && this.expireIfNeeded(key)) continue;
      return key;
    }
  }

  /** dbSwapDatabases: exchanges the data (not the clients, nor WATCHed keys) of two databases. */
  swapWith(other: Db): void {
    [this.dict, other.dict] = [other.dict, this.dict];
    [this.expires, other.expires] = [other.expires, this.expires];
    [this.avgTtl, other.avgTtl] = [other.avgTtl, this.avgTtl];
    [this.expiresCursor, other.expiresCursor] = [other.expiresCursor, this.expiresCursor];
    [this.keyBytes, other.keyBytes] = [other.keyBytes, this.keyBytes];
    this.recentKey = this.recentObject = other.recentKey = other.recentObject = null;
    // Clients stay blocked in their database; what they wait for may exist there now.
    this.server.blocking.scanDatabaseForReadyKeys(this);
    this.server.blocking.scanDatabaseForReadyKeys(other);
  }

  // --- expiry ----------------------------------------------------------------------------------

  /** Absolute expire time in unix ms, or -1 for no TTL (rounded beyond 2^53: see getExpireExact). */
  getExpire(key: string): number {
    if (this.expires.size === 0) return -1;
    const when = this.expires.get(key);
    return when === undefined ? -1 : Number(when);
  }

  /** Absolute expire time, exact, or -1 for no TTL. */
  getExpireExact(key: string): ExpireTime {
    if (this.expires.size === 0) return -1;
    return this.expires.get(key) ?? -1;
  }

  /** setExpire: the key must exist. */
  setExpire(key: string, whenMs: number | bigint): void {
    this.expires.set(key, toExpireTime(whenMs));
  }

  /** removeExpire: returns whether a TTL was removed. */
  removeExpire(key: string): boolean {
    // Redis first asserts the key is in the keyspace with a dictFind, which takes a rehash step of
    // the main dict (so a SET moves a bucket here too: the dict panel shows it).
    this.dict.findEntry(key);
    if (this.expires.size === 0) return false;
    return this.expires.delete(key) !== null;
  }

  keyIsExpired(key: string): boolean {
    if (this.expires.size === 0) return false;
    const when = this.expires.get(key);
    if (when === undefined) return false;
    // Redis's clock has whole milliseconds.
    return Math.floor(this.server.mstime) > when;
  }

  /**
   * expireIfNeeded: lazily deletes the key when its time has passed. Returns true if the key is
   * (logically) expired. With keepExpired the key is reported expired but not deleted.
   */
  expireIfNeeded(key: string, keepExpired = false): boolean {
    if (!this.keyIsExpired(key)) return false;
    if (keepExpired) return true;
    // While clients are paused (CLIENT PAUSE) the data stays as it is; the key only looks expired.
    if (this.server.blocking.checkPauseTimeoutAndReturnIfPaused()) return true;
    if (this.server.trace) this.server.trace.emit(expireLazyEvent(this.server, this, key));
    this.deleteExpiredKey(key);
    return true;
  }

  /** deleteExpiredKeyAndPropagate: used by lazy expiry and the active expire cycle. */
  deleteExpiredKey(key: string): void {
    this.delete(key, this.server.config.bool('lazyfree-lazy-expire') ? 'async' : 'sync');
    this.server.stats.expiredKeys++;
    this.server.notifyKeyspaceEvent(NOTIFY_EXPIRED, 'expired', key, this.id);
    this.server.signalModifiedKey(null, this, key);
  }
}
