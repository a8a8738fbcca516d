// One numbered database (redisDb / db.c): the keyspace dict, the expires dict, and the key-level
// operations every command goes through, so expiry, LRU/LFU touch, keyspace stats and "key was
// modified" signals happen in one place, as in Redis.
import { Dict } from '../ds/dict.ts';
import type { Client } from './client.ts';
import type { RedisObject } from './object.ts';
import type { RedisServer } from './redisServer.ts';
import { NOTIFY_EXPIRED } from './notify.ts';
import { WRONGTYPE } from './shared.ts';

/** lookupKey flags (LOOKUP_*). */
export const LOOKUP_NONE = 0;
/** Don't update the LRU/LFU of the key (OBJECT, TYPE, ...). */
export const LOOKUP_NOTOUCH = 1 << 0;
/** Don't delete an expired key found by the lookup. */
export const LOOKUP_NOEXPIRE = 1 << 2;
/** Don't count a keyspace hit or miss. */
export const LOOKUP_NOSTATS = 1 << 3;

export class Db {
  readonly dict: Dict<RedisObject>;
  /** Key -> absolute expire time in unix ms. */
  readonly expires: Dict<number>;
  /** Running average TTL of keys seen by the active expire cycle (for INFO keyspace avg_ttl). */
  avgTtl = 0;
  /** Where the active expire cycle resumes scanning this db's expires. */
  expiresCursor = 0;

  constructor(readonly server: RedisServer, readonly id: number) {
    this.dict = new Dict(server.hashSeed, server.resizePolicy);
    this.expires = new Dict(server.hashSeed, server.resizePolicy);
  }

  get size(): number { return this.dict.size; }

  // --- lookups ---------------------------------------------------------------------------------

  /** lookupKey: handles lazy expiry, the access time, and the hit/miss counters. */
  lookupKey(key: string, flags = LOOKUP_NONE): RedisObject | null {
    let o = this.dict.get(key) ?? null;
    if (o && this.expireIfNeeded(key, (flags & LOOKUP_NOEXPIRE) !== 0)) o = null;
    if (o) {
      if (!(flags & LOOKUP_NOTOUCH)) this.server.touchObject(o);
      if (!(flags & LOOKUP_NOSTATS)) this.server.stats.keyspaceHits++;
    } else if (!(flags & LOOKUP_NOSTATS)) {
      this.server.stats.keyspaceMisses++;
    }
    return o;
  }

  lookupKeyRead(key: string, flags = LOOKUP_NONE): RedisObject | null {
    return this.lookupKey(key, flags);
  }

  /** Writes don't count as keyspace hits or misses. */
  lookupKeyWrite(key: string, flags = LOOKUP_NONE): RedisObject | null {
    return this.lookupKey(key, flags | LOOKUP_NOSTATS);
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

  exists(key: string): boolean { return this.lookupKey(key, LOOKUP_NOTOUCH | LOOKUP_NOSTATS) !== null; }

  // --- writes ----------------------------------------------------------------------------------

  /** dbAdd: the key must not exist. */
  add(key: string, o: RedisObject): void {
    this.server.touchObject(o);
    this.dict.add(key, o);
  }

  /** dbOverwrite: the key must exist; its TTL is kept. */
  overwrite(key: string, o: RedisObject): void {
    this.server.touchObject(o);
    this.dict.set(key, o);
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

  /** dbDelete (synchronous). Returns whether the key existed. */
  delete(key: string): boolean {
    if (this.dict.size === 0) return false;
    this.expires.delete(key);
    return this.dict.delete(key) !== null;
  }

  /** Removes every key; returns how many there were. */
  empty(): number {
    const n = this.dict.size;
    this.dict.clear();
    this.expires.clear();
    this.avgTtl = 0;
    this.expiresCursor = 0;
    return n;
  }

  /** dbRandomKey: a random live key (expired ones met on the way are deleted), or null. */
  randomKey(): string | null {
    let tries = 0;
    for (;;) {
      const e = this.dict.fairRandomEntry(this.server.random);
      if (!e) return null;
      if (this.expires.size > 0 && this.expires.has(e.key)) {
        // Give up on deleting after many tries when all keys are volatile (as Redis does for
        // replicas); we are always a master here, so the expired key is just removed.
        if (++tries > 100 && this.dict.size === this.expires.size) return e.key;
        if (this.expireIfNeeded(e.key)) continue;
      }
      return e.key;
    }
  }

  // --- expiry ----------------------------------------------------------------------------------

  /** Absolute expire time in unix ms, or -1 for no TTL. */
  getExpire(key: string): number {
    return this.expires.get(key) ?? -1;
  }

  /** setExpire: the key must exist. */
  setExpire(key: string, whenMs: number): void {
    this.expires.set(key, whenMs);
  }

  /** removeExpire: returns whether a TTL was removed. */
  removeExpire(key: string): boolean {
    if (this.expires.size === 0) return false;
    return this.expires.delete(key) !== null;
  }

  keyIsExpired(key: string): boolean {
    if (this.expires.size === 0) return false;
    const when = this.expires.get(key);
    if (when === undefined) return false;
    return when < this.server.mstime;
  }

  /**
   * expireIfNeeded: lazily deletes the key when its time has passed. Returns true if the key is
   * (logically) expired. With keepExpired the key is reported expired but not deleted.
   */
  expireIfNeeded(key: string, keepExpired = false): boolean {
    if (!this.keyIsExpired(key)) return false;
    if (keepExpired) return true;
    this.deleteExpiredKey(key);
    return true;
  }

  /** deleteExpiredKeyAndPropagate: used by lazy expiry and the active expire cycle. */
  deleteExpiredKey(key: string): void {
    this.delete(key);
    this.server.stats.expiredKeys++;
    this.server.notifyKeyspaceEvent(NOTIFY_EXPIRED, 'expired', key, this.id);
    this.server.signalModifiedKey(null, this, key);
  }
}
