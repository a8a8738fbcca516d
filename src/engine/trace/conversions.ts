// Encoding conversions as trace events: one `encoding` event per conversion, which the encoding
// panel and the skiplist panel (listpack -> skiplist) both read. The functions that convert
// (hashTypeConvert, setTypeConvert, zsetConvert, the intset upgrade in setTypeAdd) see only the
// object, not its key. When the running command names a key that holds the object (a conversion
// in place: HSET, SADD, ZADD ...) the event is emitted at once, before what the command does next
// (zslInsert ...). Otherwise (a value being built for a key, e.g. SUNIONSTORE's destination) it is
// noted here, and when the command returns call() names the key: the one of the command's keys
// that holds the noted object in the client's db. A conversion of a temporary value that never
// gets stored (SINTER's intermediate sets) names no key and is dropped: no key's OBJECT ENCODING
// changed. A string being unshared knows its key and is emitted at once. DEBUG RELOAD names no
// key: it reports the keys whose encoding the reload changed (reloadConversions).
import { intsetWidthFor, type Intset } from '../ds/intset.ts';
import type { Listpack } from '../ds/listpack.ts';
import type { Client } from '../server/client.ts';
import type { Command } from '../server/commandTable.ts';
import type { Db } from '../server/db.ts';
import { getKeysFromCommand } from '../server/keySpecs.ts';
import type { RedisObject } from '../server/object.ts';
import type { RedisServer } from '../server/redisServer.ts';
import { ELEMENT_PREVIEW, type ConversionReason, type EncodingTraceEvent, type TraceSink } from './events.ts';
import { SideTable } from '../sideTable.ts';

type Noted = Omit<EncodingTraceEvent, 'db' | 'key'>;

interface Pending {
  o: RedisObject;
  event: Noted;
}

/** Conversions noted by the running command, per server (at most MAX_PENDING: older ones drop). */
const pendingByServer = new SideTable<RedisServer, Pending[]>('conversions.pending');
const MAX_PENDING = 64;

/** The CONFIG parameter whose limit a reason refers to, for each type. */
const LIMIT_CONFIG: Partial<Record<RedisObject['type'], Partial<Record<ConversionReason, string>>>> = {
  hash: { entries: 'hash-max-listpack-entries', value: 'hash-max-listpack-value' },
  set: { entries: 'set-max-intset-entries' },
  zset: { entries: 'zset-max-listpack-entries', value: 'zset-max-listpack-value' },
};

/** The number of elements of a hash, set or zset in its current encoding (read only). */
function elementCount(o: RedisObject): number {
  const v = o.value as { length?: number; size?: number };
  if (o.encoding === 'listpack') return (o.value as Listpack).length / 2;
  if (o.encoding === 'intset') return (o.value as Intset).length;
  return typeof v.length === 'number' ? v.length : v.size ?? 0;
}

/** The bytes of a value's compact form (listpack, intset), or null for any other encoding. */
function compactBytes(o: RedisObject): number | null {
  if (o.encoding === 'listpack') return (o.value as Listpack).bytes;
  if (o.encoding === 'intset') return (o.value as Intset).blobBytes;
  return null;
}

function preview(s: string | undefined): string | null {
  return s === undefined ? null : s.length > ELEMENT_PREVIEW ? s.slice(0, ELEMENT_PREVIEW) : s;
}

/**
 * Emits the event now if the running command names a key holding `o` (and nothing noted earlier
 * is still waiting, so events keep their order); otherwise notes it for flushConversions.
 */
function push(server: RedisServer, o: RedisObject, event: Noted): void {
  let list = pendingByServer.get(server);
  const sink = server.trace;
  if (sink && (!list || list.length === 0) && emitIfNamed(server, sink, o, event)) return;
  if (!list) pendingByServer.set(server, (list = []));
  if (list.length >= MAX_PENDING) list.shift();
  list.push({ o, event });
}

function emitIfNamed(server: RedisServer, sink: TraceSink, o: RedisObject, event: Noted): boolean {
  const c = server.tracking.currentClient;
  if (!c || !c.cmd) return false;
  const dict = c.db.dict;
  for (const ref of getKeysFromCommand(c.cmd, c.argv)) {
    const key = c.argv[ref.pos];
    if (dict.peek(key) === o) {
      sink.emit({ ...event, db: c.db.id, key });
      return true;
    }
  }
  return false;
}

/**
 * A hash, set or zset is about to change encoding from `from` to `to` (call before converting:
 * counts are read from the object as it is). `element` is what caused it, if one thing did.
 */
export function noteConversion(
  server: RedisServer, o: RedisObject, fn: string, to: string, reason: ConversionReason, element?: string,
): void {
  const config = LIMIT_CONFIG[o.type]?.[reason] ?? null;
  const elements = elementCount(o);
  const actual = reason === 'entries' ? elements : reason === 'value' && element !== undefined ? element.length : null;
  push(server, o, {
    kind: 'encoding', at: server.clock.now(), type: o.type as Noted['type'], fn, from: o.encoding, to, reason,
    config, limit: config === null ? null : server.config.num(config), actual, element: preview(element),
    elements, bytes: compactBytes(o),
  });
}

const WIDTH_NAME = { 2: 'int16', 4: 'int32', 8: 'int64' } as const;

/** setTypeAdd is about to add `member` to an intset too narrow for it (intsetUpgradeAndAdd). */
export function noteIntsetUpgrade(server: RedisServer, o: RedisObject, member: string): void {
  const is = o.value as Intset;
  push(server, o, {
    kind: 'encoding', at: server.clock.now(), type: 'set', fn: 'intsetUpgradeAndAdd',
    from: WIDTH_NAME[is.width], to: WIDTH_NAME[intsetWidthFor(BigInt(member))], reason: 'width',
    config: null, limit: null, actual: null, element: preview(member), elements: is.length, bytes: is.blobBytes,
  });
}

/**
 * Which of zsetAdd's three tests sent a listpack zset to the skiplist when `member` was added
 * (checked in zsetAdd's order: entries, member length, the listpack's safety size).
 */
export function zsetGrowthReason(server: RedisServer, lp: Listpack, member: string): ConversionReason {
  if (lp.length / 2 + 1 > server.config.num('zset-max-listpack-entries')) return 'entries';
  if (member.length > server.config.num('zset-max-listpack-value')) return 'value';
  return 'safety';
}

/**
 * dbUnshareStringValue is about to replace a shared, int or embstr string with a private raw copy
 * (APPEND, SETRANGE, SETBIT, PFADD ... write into it next). Emitted at once: the key is known.
 */
export function emitStringUnshare(db: Db, key: string, o: RedisObject): void {
  db.server.trace?.emit({
    kind: 'encoding', at: db.server.clock.now(), db: db.id, key, type: 'string', fn: 'dbUnshareStringValue',
    from: o.encoding, to: 'raw', reason: 'write', config: null, limit: null, actual: null, element: null,
    elements: null, bytes: null,
  });
}

/**
 * After a command ran (call()): emit its noted conversions with the key now holding each object,
 * and forget the rest.
 */
export function flushConversions(server: RedisServer, c: Client, cmd: Command, argv: readonly string[]): void {
  const list = pendingByServer.get(server);
  if (!list || list.length === 0) return;
  pendingByServer.delete(server);
  if (!server.trace) return;
  const refs = getKeysFromCommand(cmd, argv);
  const dict = c.db.dict;
  for (const { o, event } of list) {
    for (const ref of refs) {
      const key = argv[ref.pos];
      if (dict.peek(key) === o) {
        server.trace.emit({ ...event, db: c.db.id, key });
        break;
      }
    }
  }
}

/** A key's encoding as DEBUG RELOAD found it, to compare with what the load gives it. */
interface EncodingBefore {
  encoding: string;
  elements: number | null;
  bytes: number | null;
}

/** Each db's keys (of the types that can change encoding) with their encodings, before a reload. */
export type EncodingsBefore = Map<string, EncodingBefore>[];

const RELOAD_TYPES: ReadonlySet<string> = new Set(['string', 'hash', 'set', 'zset']);

/** The entries limit that decides a type's compact encoding, for a reload's event. */
const ENTRIES_CONFIG: Record<string, string> = {
  hash: 'hash-max-listpack-entries', set: 'set-max-intset-entries', zset: 'zset-max-listpack-entries',
};

/**
 * DEBUG RELOAD is about to flush and load: remembers every string, hash, set and zset key's
 * encoding (call only while a sink listens). Reads only.
 */
export function encodingsBeforeReload(server: RedisServer): EncodingsBefore {
  return server.dbs.map((db) => {
    const m = new Map<string, EncodingBefore>();
    for (const e of db.dict.entries()) {
      const o = e.value;
      if (!RELOAD_TYPES.has(o.type)) continue;
      m.set(e.key, { encoding: o.encoding, elements: o.type === 'string' ? null : elementCount(o), bytes: compactBytes(o) });
    }
    return m;
  });
}

/**
 * After DEBUG RELOAD loaded the file: an encoding event for every key it had before whose
 * encoding is not the same now (rdbLoadObject builds each value for this server's limits: a hash
 * that outgrew its listpack and shrank comes back as a listpack, a set of integers as an intset, a
 * raw string as embstr or int). The command names no key: the events do.
 */
export function emitReloadConversions(server: RedisServer, before: EncodingsBefore): void {
  const sink = server.trace;
  if (!sink) return;
  const at = server.clock.now();
  before.forEach((keys, dbId) => {
    const dict = server.dbs[dbId].dict;
    for (const [key, was] of keys) {
      const o = dict.peek(key);
      if (!o || o.encoding === was.encoding || !RELOAD_TYPES.has(o.type)) continue;
      const config = ENTRIES_CONFIG[o.type] ?? null;
      sink.emit({
        kind: 'encoding', at, db: dbId, key, type: o.type as EncodingTraceEvent['type'], fn: 'rdbLoadObject',
        from: was.encoding, to: o.encoding, reason: 'load', config, limit: config === null ? null : server.config.num(config),
        actual: o.type === 'string' ? null : elementCount(o), element: null, elements: was.elements, bytes: was.bytes,
      });
    }
  });
}
