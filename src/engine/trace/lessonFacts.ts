// The lesson-facts snapshot: what a lesson's objectives ask about the engine's state, read from it
// (src/lessons/evaluate.ts decides what to ask and judges the answers). Per key: whether it exists,
// TYPE, OBJECT ENCODING, the value (capped), the length command's count, PTTL, whether its dict is
// rehashing, and for named members their score, ZRANK and skiplist level (zset), value (hash) or
// presence (set). Per db: DBSIZE and whether the keyspace dict is rehashing. CONFIG GET values.
// Per lesson client: in MULTI, subscriptions, watching.
//
// Reading is all it does: keys are found with dict.peek and dicts walked table by table (no lazy
// expiry, no LRU/LFU touch, no hit/miss stats, no keymiss event, no rehash step, no safe-iterator
// pause); skiplists are walked by their links, never through their search methods.
//
// A key whose TTL has passed but that nothing has deleted yet is reported as absent, as any read
// command would report it (GET says nil, EXISTS 0, TYPE none) — but it is not deleted: the lesson's
// check must not change what happens next. DBSIZE counts it, as Redis's DBSIZE does.
import type { Dict, DictEntry } from '../ds/dict.ts';
import type { Intset } from '../ds/intset.ts';
import type { Listpack } from '../ds/listpack.ts';
import type { Quicklist } from '../ds/quicklist.ts';
import { listpackScoreValue, type ZsetSkiplist } from '../commands/zset.ts';
import type { Client } from '../server/client.ts';
import type { Encoding, RedisObject, RedisType } from '../server/object.ts';
import type { RedisServer } from '../server/redisServer.ts';
import { valueDict } from './dictTrace.ts';
import { valueLength } from './keyspace.ts';
import { findRankedNode } from './skiplist.ts';

export interface LessonFactsQuery {
  kind: 'lesson-facts';
  /** Keys (byte strings) to describe; `members`: elements to look up in them (zset, hash or set). */
  keys?: { db: number; key: string; members?: string[] }[];
  /** Databases whose DBSIZE and keyspace-dict rehashing are wanted. */
  dbs?: number[];
  /** Config parameters (CONFIG GET names). */
  config?: string[];
  /**
   * The lesson's clients, numbered 1..n, each named by its connection's peer address ("ip:port",
   * CLIENT LIST's addr=). In the worker, `connection` (the UI's connection id) may be given
   * instead: the host fills in `addr` before the query runs.
   */
  clients?: { n: number; addr?: string; connection?: string }[];
  /** Elements of a value given at most (clamped to 1..MAX_VALUE_ELEMENTS; default DEFAULT_VALUE_ELEMENTS). */
  valueLimit?: number;
}

/** A key's value, in its type's order: LRANGE order, ZRANGE order; sets and hashes in the encoding's order. */
export type KeyValue =
  | { type: 'string'; value: string }
  | { type: 'list'; items: string[] }
  | { type: 'set'; members: string[] }
  | { type: 'zset'; entries: [member: string, score: number][] }
  | { type: 'hash'; fields: [field: string, value: string][] };

/** What the key says of one element asked for. */
export interface MemberFacts {
  member: string;
  present: boolean;
  /** zset: ZSCORE. */
  score?: number;
  /** zset: ZRANK (0-based, lowest score first). */
  rank?: number;
  /** zset: the height of its skiplist node; null while the set is a listpack (no skiplist). */
  level?: number | null;
  /** hash: HGET. */
  value?: string;
}

export type KeyFacts =
  | { db: number; key: string; exists: false }
  | {
    db: number;
    key: string;
    exists: true;
    type: RedisType;
    encoding: Encoding;
    /** STRLEN, LLEN, SCARD, ZCARD, HLEN. */
    length: number;
    /** PTTL: ms left (at least 0); null: no TTL (PTTL -1). */
    pttl: number | null;
    value: KeyValue;
    /** The value holds only the first `valueLimit` elements (or, for a string, bytes). */
    truncated: boolean;
    /** The value's dict (hash/set hashtable, zset skiplist's dict) is rehashing; null: no dict. */
    rehashing: boolean | null;
    members: MemberFacts[];
  };

export interface DbFacts {
  db: number;
  /** DBSIZE (logically expired keys not yet deleted included, as Redis counts them). */
  size: number;
  /** The keyspace dict is in the middle of an incremental rehash. */
  rehashing: boolean;
}

export interface ClientFacts {
  n: number;
  /** No client of the world has that address (not connected yet, or gone). */
  connected: boolean;
  inMulti: boolean;
  /** Channels plus patterns (what SUBSCRIBE/PSUBSCRIBE's last count said). */
  subscriptions: number;
  /** WATCHes at least one key. */
  watching: boolean;
  /** The client's CLIENT ID, if connected. */
  id: number | null;
}

export interface LessonFacts {
  kind: 'lesson-facts';
  /** The server's virtual time the facts are read at (unix ms). */
  now: number;
  keys: KeyFacts[];
  dbs: DbFacts[];
  /** CONFIG GET's value; null: no such parameter. */
  config: { name: string; value: string | null }[];
  clients: ClientFacts[];
}

export const DEFAULT_VALUE_ELEMENTS = 1000;
export const MAX_VALUE_ELEMENTS = 100_000;
/** String values longer than this many bytes are cut (and flagged truncated). */
export const MAX_STRING_BYTES = 64 * 1024;

/** Every entry of a dict, both tables, in bucket order, without the safe iterator (no pause counter). */
function* walk<V>(dict: Dict<V>): Generator<DictEntry<V>> {
  for (const table of dict.tables) {
    if (!table) continue;
    for (let i = 0; i < table.length; i++) {
      for (let e = table[i]; e; e = e.next) yield e;
    }
  }
}

function checkDb(server: RedisServer, db: number): number {
  const index = Math.trunc(db);
  if (!(index >= 0 && index < server.dbs.length)) throw new RangeError(`DB index ${db} is out of range`);
  return index;
}

/** The value's first `limit` elements, and whether there were more. */
function readValue(o: RedisObject, limit: number): { value: KeyValue; truncated: boolean } {
  switch (o.type) {
    case 'string': {
      const s = o.value as string;
      return { value: { type: 'string', value: s.slice(0, MAX_STRING_BYTES) }, truncated: s.length > MAX_STRING_BYTES };
    }
    case 'list': {
      const items: string[] = [];
      outer: for (const node of (o.value as Quicklist).nodes()) {
        for (const item of node.entries) {
          if (items.length === limit) break outer;
          items.push(item);
        }
      }
      return { value: { type: 'list', items }, truncated: valueLength(o) > items.length };
    }
    case 'set': {
      const members: string[] = [];
      const source = o.encoding === 'intset' ? (o.value as Intset).strings() : keysOf(o.value as Dict<null>);
      for (const m of source) {
        if (members.length === limit) break;
        members.push(m);
      }
      return { value: { type: 'set', members }, truncated: valueLength(o) > members.length };
    }
    case 'zset': {
      const entries: [string, number][] = [];
      if (o.encoding === 'listpack') {
        const lp = o.value as Listpack;
        for (let i = 0; i < lp.length && entries.length < limit; i += 2) entries.push([lp.get(i), listpackScoreValue(lp.get(i + 1))]);
      } else {
        for (let x = (o.value as ZsetSkiplist).zsl.header.forward[0]; x && entries.length < limit; x = x.forward[0]) entries.push([x.member, x.score]);
      }
      return { value: { type: 'zset', entries }, truncated: valueLength(o) > entries.length };
    }
    case 'hash': {
      const fields: [string, string][] = [];
      if (o.encoding === 'listpack') {
        const lp = o.value as Listpack;
        for (let i = 0; i < lp.length && fields.length < limit; i += 2) fields.push([lp.get(i), lp.get(i + 1)]);
      } else {
        for (const e of walk(o.value as Dict<string>)) {
          if (fields.length === limit) break;
          fields.push([e.key, e.value]);
        }
      }
      return { value: { type: 'hash', fields }, truncated: valueLength(o) > fields.length };
    }
  }
}

function* keysOf(dict: Dict<null>): Generator<string> {
  for (const e of walk(dict)) yield e.key;
}

function memberFacts(o: RedisObject, member: string): MemberFacts {
  switch (o.type) {
    case 'zset': {
      if (o.encoding === 'listpack') {
        const lp = o.value as Listpack;
        for (let i = 0; i < lp.length; i += 2) {
          if (lp.get(i) === member) return { member, present: true, score: listpackScoreValue(lp.get(i + 1)), rank: i / 2, level: null };
        }
        return { member, present: false };
      }
      const zs = o.value as ZsetSkiplist;
      const score = zs.dict.peek(member);
      if (score === undefined) return { member, present: false };
      const found = findRankedNode(zs, member);
      return { member, present: true, score, rank: found ? found.rank - 1 : -1, level: found?.node.forward.length ?? null };
    }
    case 'hash': {
      if (o.encoding === 'listpack') {
        const lp = o.value as Listpack;
        for (let i = 0; i < lp.length; i += 2) if (lp.get(i) === member) return { member, present: true, value: lp.get(i + 1) };
        return { member, present: false };
      }
      const value = (o.value as Dict<string>).peek(member);
      return value === undefined ? { member, present: false } : { member, present: true, value };
    }
    case 'set': {
      if (o.encoding === 'intset') {
        for (const m of (o.value as Intset).strings()) if (m === member) return { member, present: true };
        return { member, present: false };
      }
      return { member, present: (o.value as Dict<null>).peek(member) !== undefined };
    }
    default:
      return { member, present: false };
  }
}

function keyFacts(server: RedisServer, now: number, q: { db: number; key: string; members?: string[] }, limit: number): KeyFacts {
  const dbIndex = checkDb(server, q.db);
  const db = server.dbs[dbIndex];
  const key = q.key;
  const o = db.dict.peek(key);
  const when = o !== undefined && db.expires.size > 0 ? db.expires.peek(key) : undefined;
  // keyIsExpired: Redis's clock has whole milliseconds; a key is expired once now passes its time.
  if (o === undefined || (when !== undefined && Math.floor(now) > Number(when))) return { db: dbIndex, key, exists: false };
  const { value, truncated } = readValue(o, limit);
  const dict = valueDict(o);
  return {
    db: dbIndex,
    key,
    exists: true,
    type: o.type,
    encoding: o.encoding,
    length: valueLength(o),
    pttl: when === undefined ? null : Math.max(0, Number(when) - Math.floor(now)),
    value,
    truncated,
    rehashing: dict ? dict.isRehashing : null,
    members: (q.members ?? []).map((m) => memberFacts(o, m)),
  };
}

function clientFacts(server: RedisServer, q: { n: number; addr?: string }): ClientFacts {
  let client: Client | undefined;
  if (q.addr !== undefined) {
    for (const c of server.clients.values()) {
      if (c.connection.peer === q.addr) { client = c; break; }
    }
  }
  if (!client) return { n: q.n, connected: false, inMulti: false, subscriptions: 0, watching: false, id: null };
  return {
    n: q.n,
    connected: true,
    inMulti: client.tx.multi !== null,
    subscriptions: client.pubsubChannels.size + client.pubsubPatterns.size,
    watching: client.tx.watched.length > 0,
    id: client.id,
  };
}

export function lessonFacts(server: RedisServer, query: LessonFactsQuery): LessonFacts {
  const now = server.clock.now();
  const raw = query.valueLimit;
  const limit = raw === undefined || !Number.isFinite(raw) ? DEFAULT_VALUE_ELEMENTS : Math.max(1, Math.min(MAX_VALUE_ELEMENTS, Math.trunc(raw)));
  return {
    kind: 'lesson-facts',
    now,
    keys: (query.keys ?? []).map((k) => keyFacts(server, now, k, limit)),
    dbs: (query.dbs ?? []).map((d) => {
      const db = server.dbs[checkDb(server, d)];
      return { db: db.id, size: db.size, rehashing: db.dict.isRehashing };
    }),
    config: (query.config ?? []).map((name) => {
      const entry = server.config.lookup(name);
      return { name, value: entry ? server.config.get(entry.spec.name) : null };
    }),
    clients: (query.clients ?? []).map((c) => clientFacts(server, c)),
  };
}
