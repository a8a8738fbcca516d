// The keyspace overview snapshot: a database's keys (the first `limit` in byte order, optionally
// those matching a glob) with what TYPE, OBJECT ENCODING, PTTL, MEMORY USAGE and the length
// commands would say of each, plus every database's key count.
//
// Reading is all it does: no lookupKey (so no lazy expiry, no LRU/LFU touch, no hit/miss stats, no
// keymiss event), no rehash step (the dicts' tables are walked directly, TTLs read with peek).
// A key whose TTL has passed but that nothing has deleted yet is reported with its negative TTL:
// lazy expiry, made visible.
import type { Dict } from '../ds/dict.ts';
import { hashTypeLength } from '../commands/hash.ts';
import { listTypeLength } from '../commands/list.ts';
import { setTypeSize } from '../commands/set.ts';
import { zsetLength } from '../commands/zset.ts';
import { globMatch } from '../server/glob.ts';
import { memoryUsage, OBJ_COMPUTE_SIZE_DEF_SAMPLES } from '../server/memory.ts';
import type { Encoding, RedisObject, RedisType } from '../server/object.ts';
import type { RedisServer } from '../server/redisServer.ts';

export interface KeyspaceQuery {
  kind: 'keyspace';
  db: number;
  /** At most this many keys are described (clamped to 1..MAX_KEYSPACE_LIMIT). */
  limit: number;
  /** Only keys matching this glob (KEYS/SCAN MATCH rules, on the key's bytes); null: all. */
  pattern?: string | null;
}

export interface KeyInfo {
  /** The key's bytes (a byte string). */
  key: string;
  type: RedisType;
  encoding: Encoding;
  /** PTTL: ms left at the snapshot's `now` (0 or less: expired, not yet deleted); null: no TTL. */
  ttl: number | null;
  /** Elements: STRLEN, LLEN, HLEN, SCARD, ZCARD. */
  length: number;
  /** MEMORY USAGE with its default sampling (bytes). */
  size: number;
}

export interface DbCount {
  db: number;
  keys: number;
  /** Keys with a TTL. */
  volatile: number;
}

export interface KeyspaceSnapshot {
  kind: 'keyspace';
  db: number;
  /** The server's virtual time the TTLs are measured from (unix ms). */
  now: number;
  /** Keys in the database. */
  total: number;
  /** Keys matching the pattern (all of them without one). */
  matched: number;
  /** The first `limit` matching keys, sorted by their bytes (as memcmp orders them). */
  keys: KeyInfo[];
  /** Every database, for a selector (db0 .. db15). */
  dbs: DbCount[];
}

export const MAX_KEYSPACE_LIMIT = 1000;

/** Whether `key` sorts before `other` (byte strings: < is memcmp order). */
function before(key: string, other: string): boolean {
  return key < other;
}

/**
 * The `limit` smallest keys of a dict that pass `keep`, sorted; and how many passed. One walk,
 * O(N log limit) comparisons in the usual case: keys come in hash order, so few enter the list.
 */
function firstKeys<V>(dict: Dict<V>, limit: number, keep: ((key: string) => boolean) | null): { keys: string[]; matched: number } {
  const top: string[] = [];
  let matched = 0;
  for (const table of dict.tables) {
    if (!table) continue;
    for (let i = 0; i < table.length; i++) {
      for (let e = table[i]; e; e = e.next) {
        const key = e.key;
        if (keep && !keep(key)) continue;
        matched++;
        if (top.length === limit && !before(key, top[limit - 1])) continue;
        // Binary search for its place; the largest falls off the end when full.
        let lo = 0;
        let hi = top.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (before(top[mid], key)) lo = mid + 1;
          else hi = mid;
        }
        top.splice(lo, 0, key);
        if (top.length > limit) top.pop();
      }
    }
  }
  return { keys: top, matched };
}

/** The element count of a value, as its family's length command reports it. */
export function valueLength(o: RedisObject): number {
  switch (o.type) {
    case 'string': return (o.value as string).length;
    case 'list': return listTypeLength(o);
    case 'hash': return hashTypeLength(o);
    case 'set': return setTypeSize(o);
    case 'zset': return zsetLength(o);
  }
}

export function keyspaceSnapshot(server: RedisServer, query: KeyspaceQuery): KeyspaceSnapshot {
  const dbIndex = Math.trunc(query.db);
  if (!(dbIndex >= 0 && dbIndex < server.dbs.length)) throw new RangeError(`DB index is out of range`);
  const limit = Math.max(1, Math.min(MAX_KEYSPACE_LIMIT, Math.trunc(query.limit) || 1));
  const db = server.dbs[dbIndex];
  const now = server.clock.now();
  const pattern = query.pattern ?? null;
  const keep = pattern === null || pattern === '*' ? null : (key: string) => globMatch(pattern, key);
  const { keys, matched } = firstKeys(db.dict, limit, keep);
  const hasExpires = db.expires.size > 0;
  const infos: KeyInfo[] = keys.map((key) => {
    const o = db.dict.peek(key)!;
    const when = hasExpires ? db.expires.peek(key) : undefined;
    return {
      key,
      type: o.type,
      encoding: o.encoding,
      ttl: when === undefined ? null : Number(when) - now,
      length: valueLength(o),
      size: memoryUsage(key, o, OBJ_COMPUTE_SIZE_DEF_SAMPLES),
    };
  });
  return {
    kind: 'keyspace',
    db: dbIndex,
    now,
    total: db.size,
    matched,
    keys: infos,
    dbs: server.dbs.map((d) => ({ db: d.id, keys: d.size, volatile: d.expires.size })),
  };
}
