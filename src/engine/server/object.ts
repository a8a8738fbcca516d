// Redis objects (robj): a type, the encoding that currently represents it, the value in that
// encoding, and the LRU/LFU field used by OBJECT IDLETIME/FREQ and eviction.

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
  /** Strings only: the modelled SDS allocation of a raw string (see ds/sds.ts). */
  alloc?: number;
}

export function createObject<V>(type: RedisType, encoding: Encoding, value: V): RedisObject<V> {
  return { type, encoding, value, lru: 0 };
}
