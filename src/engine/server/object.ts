// Redis objects (robj): a type, the encoding that currently represents it, the value in that
// encoding, and the LRU/LFU field used by OBJECT IDLETIME/FREQ and eviction.
import type { SdsInfo } from '../ds/sds.ts';
import { LFU_INIT_VAL } from './lru.ts';
import type { RedisServer } from './redisServer.ts';
import { dupStringObject } from './stringObject.ts';

export type RedisType = 'string' | 'list' | 'hash' | 'set' | 'zset';

export type Encoding =
  | 'int' | 'embstr' | 'raw'           // strings
  | 'quicklist'                        // lists (Redis 7.0 always reports quicklist)
  | 'listpack'                         // small hashes and sorted sets
  | 'hashtable'                        // hashes and sets
  | 'intset'                           // integer-only sets
  | 'skiplist';                        // sorted sets

export interface RedisObject<V = unknown> {
  type: RedisType;
  encoding: Encoding;
  value: V;
  /** LRU clock (seconds resolution, 24 bits) or, under an LFU policy, (minutes << 8) | counter. */
  lru: number;
  /** Strings only: the modelled SDS allocation of a raw string (see ds/sds.ts, server/stringObject.ts). */
  sds?: SdsInfo;
  /** A shared object (the integers 0..9999): OBJECT REFCOUNT says 2147483647, never changed in place. */
  shared?: boolean;
  /** The bytes used_memory counts for this value while it is in a keyspace (server/memory.ts). */
  mem?: number;
}

export function createObject<V>(type: RedisType, encoding: Encoding, value: V): RedisObject<V> {
  return { type, encoding, value, lru: 0 };
}


/** The access-time field createObject gives a new object: the LRU clock, or under LFU the current
 * minutes with the initial counter (so a new key is not the first eviction candidate). */
export function initialLru(server: RedisServer): number {
  return server.usesLfu ? (server.lfuTimeInMinutes() << 8) | LFU_INIT_VAL : server.lruClock();
}

/** A value that can deep-copy itself (every ds class: Dict, Intset, Listpack, Quicklist, ...). */
interface Cloneable { clone(): unknown }

/**
 * A deep copy of any value for COPY (dupStringObject, listTypeDup, setTypeDup, hashTypeDup,
 * zsetDup): same type and encoding, nothing shared with the original, a fresh access time.
 */
export function duplicateObject(server: RedisServer, o: RedisObject): RedisObject {
  if (o.type === 'string') return dupStringObject(server, o as RedisObject<string>);
  const value = o.value as Partial<Cloneable> | null;
  if (!value || typeof value.clone !== 'function') {
    throw new Error(`duplicateObject: ${o.type}/${o.encoding} value has no clone()`);
  }
  const copy = createObject(o.type, o.encoding, value.clone());
  copy.lru = initialLru(server);
  return copy;
}
