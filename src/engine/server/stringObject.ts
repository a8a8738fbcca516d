// String objects as Redis builds them (the string half of object.c): which encoding a value gets
// (int, embstr, raw), the shared integers 0..9999, the SDS allocation behind a raw string, and the
// keyspace writes that keep LRU/LFU fields the way Redis does. Other families that create or copy
// string values (COPY, RESTORE, SORT ... STORE, DEBUG SDSLEN, MEMORY USAGE) use these too.
//
// A string object's value is always the byte string itself, even when the encoding is int (then it
// is the canonical decimal text), so readers never need to decode.
import {
  EMBSTR_SIZE_LIMIT,
  embstrSds,
  sdsNewLen,
  stringValueSize,
  trimIfNeeded,
  type SdsInfo,
} from '../ds/sds.ts';
import { isStrictInteger } from '../numbers.ts';
import { emitStringUnshare } from '../trace/conversions.ts';
import type { Client } from './client.ts';
import type { Db } from './db.ts';
import { LFU_INIT_VAL } from './lru.ts';
import { initialLru, type RedisObject } from './object.ts';
import type { RedisServer } from './redisServer.ts';
import { SideTable } from '../sideTable.ts';

export type StringObject = RedisObject<string>;

/** Integers 0..OBJ_SHARED_INTEGERS-1 are shared objects (OBJ_SHARED_INTEGERS). */
export const OBJ_SHARED_INTEGERS = 10000;
/** What OBJECT REFCOUNT reports for a shared object (OBJ_SHARED_REFCOUNT = INT_MAX). */
export const OBJ_SHARED_REFCOUNT = 2147483647;

/** OBJECT REFCOUNT of any object: shared integers report INT_MAX, everything else 1. */
export function objectRefcount(o: RedisObject): number {
  return o.shared ? OBJ_SHARED_REFCOUNT : 1;
}

/**
 * Shared integers are used unless maxmemory is set with an LRU or LFU policy, where every key
 * needs its own access-time field (MAXMEMORY_FLAG_NO_SHARED_INTEGERS).
 */
export function sharedIntegersAllowed(server: RedisServer): boolean {
  if (server.config.num('maxmemory') === 0) return true;
  const policy = server.config.get('maxmemory-policy');
  return !(policy.includes('lru') || policy.includes('lfu'));
}

function makeString(server: RedisServer, encoding: 'int' | 'embstr' | 'raw', value: string, sds?: SdsInfo): StringObject {
  const o: StringObject = { type: 'string', encoding, value, lru: initialLru(server) };
  if (sds) o.sds = sds;
  return o;
}

// One table of shared integers per server, created lazily. Redis creates them at startup, so
// their access time starts at the server's start time; keys holding the same shared integer also
// share that field (OBJECT IDLETIME shows it).
const sharedTables = new SideTable<RedisServer, StringObject[]>('stringObject.sharedIntegers');

export function sharedInteger(server: RedisServer, n: number): StringObject {
  let table = sharedTables.get(server);
  if (!table) sharedTables.set(server, (table = []));
  let o = table[n];
  if (!o) {
    const lru = server.usesLfu
      ? ((Math.floor(server.startedAt / 60000) & 65535) << 8) | LFU_INIT_VAL
      : Math.floor(server.startedAt / 1000) & ((1 << 24) - 1);
    o = { type: 'string', encoding: 'int', value: String(n), lru, shared: true };
    table[n] = o;
  }
  return o;
}

/** createStringObject: embstr up to 44 bytes, otherwise raw with an exact-size sds. */
export function createStringObject(server: RedisServer, value: string): StringObject {
  return value.length <= EMBSTR_SIZE_LIMIT
    ? makeString(server, 'embstr', value)
    : makeString(server, 'raw', value, sdsNewLen(value.length));
}

/** createRawStringObject: always raw (the copy APPEND/SETRANGE make before changing a value). */
export function createRawStringObject(server: RedisServer, value: string): StringObject {
  return makeString(server, 'raw', value, sdsNewLen(value.length));
}

/**
 * createStringObjectFromLongLong(ForValue): a shared integer when allowed and in 0..9999, else an
 * int-encoded object. forValue only matters under maxmemory with an LRU/LFU policy, where sharing
 * is off anyway, so both variants give the same result in Redis 7.0.
 */
export function createStringObjectFromLongLong(server: RedisServer, n: bigint | number): StringObject {
  // Safe integers stay numbers (cheaper than bigint on this path every SET/INCR takes); String()
  // spells them exactly as BigInt would.
  if (typeof n === 'number' && Number.isSafeInteger(n)) {
    if (n >= 0 && n < OBJ_SHARED_INTEGERS && sharedIntegersAllowed(server)) return sharedInteger(server, n);
    return makeString(server, 'int', String(n));
  }
  const v = typeof n === 'bigint' ? n : BigInt(n);
  if (v >= 0n && v < OBJ_SHARED_INTEGERS && sharedIntegersAllowed(server)) {
    return sharedInteger(server, Number(v));
  }
  return makeString(server, 'int', v.toString());
}

/**
 * tryObjectEncoding applied to a value that just arrived as a command argument (SET, MSET, APPEND
 * to a missing key ...): integers of up to 20 bytes in strict syntax become int (shared when
 * possible); other values up to 44 bytes are embstr; longer ones are raw, with spare room trimmed
 * when it exceeds 10% of the length.
 */
export function tryObjectEncoding(server: RedisServer, value: string): StringObject {
  if (value.length <= 20 && isStrictInteger(value)) {
    // Up to 15 characters the value is a safe integer: no bigint needed.
    return createStringObjectFromLongLong(server, value.length <= 15 ? Number(value) : BigInt(value));
  }
  if (value.length <= EMBSTR_SIZE_LIMIT) return makeString(server, 'embstr', value);
  return makeString(server, 'raw', value, trimIfNeeded(sdsNewLen(value.length)));
}

/** dupStringObject (COPY): same encoding; an int copy is never shared; a raw copy is exact-size. */
export function dupStringObject(server: RedisServer, o: StringObject): StringObject {
  if (o.encoding === 'raw') return createRawStringObject(server, o.value);
  return makeString(server, o.encoding as 'int' | 'embstr', o.value);
}

/** The sds DEBUG SDSLEN reports for a string value, or null for int ("Not an sds encoded string."). */
export function stringObjectSds(o: StringObject): SdsInfo | null {
  if (o.encoding === 'int') return null;
  if (o.encoding === 'embstr') return embstrSds(o.value.length);
  return o.sds ?? sdsNewLen(o.value.length);
}

/** objectComputeSize for a string value (MEMORY USAGE adds the key and the dict entry). */
export function stringObjectMemory(o: StringObject): number {
  return stringValueSize(o.encoding as 'int' | 'embstr' | 'raw', o.sds ?? null, o.value.length);
}

// ---------------------------------------------------------------------------------------------
// Keyspace writes with Redis's access-time rules: a new value keeps the LRU/LFU field it was made
// with (for a shared integer, the one it already has), and under LFU an overwrite inherits the
// old value's field (dbOverwrite).

/** dbAdd */
export function dbAddString(db: Db, key: string, o: StringObject): void {
  const lru = o.lru;
  db.add(key, o);
  o.lru = lru;
}

/** dbOverwrite */
export function dbOverwriteString(db: Db, key: string, o: StringObject): void {
  // One lookup, as dbOverwrite's dictFind (SET then does two in all, like Redis): the entry
  // gives the old value's LFU field and takes the new value in place.
  const entry = db.dict.findEntry(key);
  if (entry === null) {
    const lru = o.lru;
    db.overwrite(key, o); // callers know the key exists; kept total anyway
    o.lru = lru;
    return;
  }
  if (db.server.usesLfu) o.lru = entry.value.lru;
  db.replaceValue(entry, o);
}

/**
 * setKey with the key's existence already known (SETKEY_ALREADY_EXIST / SETKEY_DOESNT_EXIST):
 * add or overwrite, drop the TTL unless keepTtl, signal the change.
 */
export function setStringKey(c: Client, key: string, o: StringObject, found: boolean, keepTtl: boolean): void {
  if (found) dbOverwriteString(c.db, key, o);
  else dbAddString(c.db, key, o);
  if (!keepTtl) c.db.removeExpire(key);
  c.server.signalModifiedKey(c, c.db, key);
}

/**
 * dbUnshareStringValue: before changing a value in place, make sure it is a private raw string
 * (an embstr, int or shared object is replaced by a raw copy of its bytes).
 */
export function unshareStringValue(db: Db, key: string, o: StringObject): StringObject {
  if (o.shared || o.encoding !== 'raw') {
    if (db.server.trace) emitStringUnshare(db, key, o);
    const copy = createRawStringObject(db.server, o.value);
    dbOverwriteString(db, key, copy);
    return copy;
  }
  return o;
}
