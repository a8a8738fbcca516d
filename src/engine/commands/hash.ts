// Hash commands and the hash type (Redis 7.0's t_hash.c). A small hash is a listpack of
// field, value, field, value ... in insertion order; once it has more than hash-max-listpack-entries
// fields, or a field or value longer than hash-max-listpack-value bytes, it becomes a hashtable (a
// dict of field -> value) and never goes back.
import { Dict } from '../ds/dict.ts';
import { Listpack } from '../ds/listpack.ts';
import {
  LLONG_MAX, LLONG_MIN, addLongDouble, formatLongDoubleHuman, parseBigInteger, parseLongDouble,
} from '../numbers.ts';
import { getBigIntOrReply } from '../server/args.ts';
import type { Client } from '../server/client.ts';
import type { CommandImplementations } from '../server/commandTable.ts';
import { Db } from '../server/db.ts';
import { NOTIFY_GENERIC, NOTIFY_HASH } from '../server/notify.ts';
import { createObject, type RedisObject } from '../server/object.ts';
import type { RedisServer } from '../server/redisServer.ts';
import { parseScanCursorOrReply, scanGeneric } from '../server/scan.ts';
import { NOT_FLOAT } from '../server/shared.ts';
import {
  keepRandomEntries, parseRandomPairsArgsOrReply, pickDistinctDictEntries, pickDistinctListpackPairs,
} from './randomPicks.ts';
import { replyRunaway } from './runawayReply.ts';
import type { ConversionReason } from '../trace/events.ts';
import { noteConversion } from '../trace/conversions.ts';

export type HashValue = Listpack | Dict<string>;

/** LISTPACK_MAX_SAFETY_SIZE: a listpack is never allowed to grow past 1 GB. */
const LISTPACK_MAX_SAFETY_SIZE = 2 ** 30;
/** HRANDFIELD copies the hash and removes from it when count is over 1/3 of the hash. */
const HRANDFIELD_SUB_STRATEGY_MUL = 3;

// --- the hash type ------------------------------------------------------------------------------

function newHashDict(server: RedisServer): Dict<string> {
  return new Dict<string>(server.hashSeed, server.resizePolicy);
}

export function createHashObject(): RedisObject<HashValue> {
  return createObject<HashValue>('hash', 'listpack', new Listpack());
}

export function hashTypeLength(o: RedisObject): number {
  return o.encoding === 'listpack' ? (o.value as Listpack).length / 2 : (o.value as Dict<string>).size;
}

/** Position of the field in a listpack hash (an even index), or -1. */
function listpackFieldIndex(lp: Listpack, field: string): number {
  return lp.find(field, 0, 2);
}

export function hashTypeGet(o: RedisObject, field: string): string | null {
  if (o.encoding === 'listpack') {
    const lp = o.value as Listpack;
    const i = listpackFieldIndex(lp, field);
    return i < 0 ? null : lp.get(i + 1);
  }
  return (o.value as Dict<string>).get(field) ?? null;
}

export function hashTypeExists(o: RedisObject, field: string): boolean {
  return hashTypeGet(o, field) !== null;
}

/**
 * hashTypeConvert: listpack -> hashtable, presized, fields added in listpack order. `reason` and
 * `element` (what passed a limit) only feed the trace (trace/conversions.ts).
 */
export function hashTypeConvert(server: RedisServer, o: RedisObject, reason: ConversionReason = 'load', element?: string): void {
  if (server.trace) noteConversion(server, o, 'hashTypeConvert', 'hashtable', reason, element);
  const lp = o.value as Listpack;
  const d = newHashDict(server);
  d.expand(lp.length / 2);
  for (let i = 0; i < lp.length; i += 2) d.add(lp.get(i), lp.get(i + 1));
  o.encoding = 'hashtable';
  o.value = d;
}

/**
 * hashTypeTryConversion: before writing argv[start..end], convert when any of them is longer than
 * hash-max-listpack-value, or the listpack would pass its safety size.
 */
export function hashTypeTryConversion(server: RedisServer, o: RedisObject, argv: string[], start: number, end: number): void {
  if (o.encoding !== 'listpack') return;
  const maxValue = server.config.num('hash-max-listpack-value');
  let sum = 0;
  for (let i = start; i <= end; i++) {
    const len = argv[i].length;
    if (len > maxValue) { hashTypeConvert(server, o, 'value', argv[i]); return; }
    sum += len;
  }
  if ((o.value as Listpack).bytes + sum > LISTPACK_MAX_SAFETY_SIZE) hashTypeConvert(server, o, 'safety');
}

/** hashTypeSet: true when an existing field was updated, false when it was added. */
export function hashTypeSet(server: RedisServer, o: RedisObject, field: string, value: string): boolean {
  if (o.encoding === 'listpack') {
    // HINCRBY* reach here without hashTypeTryConversion.
    const maxValue = server.config.num('hash-max-listpack-value');
    if (field.length > maxValue || value.length > maxValue) hashTypeConvert(server, o, 'value', field.length > maxValue ? field : value);
  }
  if (o.encoding === 'listpack') {
    const lp = o.value as Listpack;
    const i = listpackFieldIndex(lp, field);
    let update = false;
    if (i >= 0) {
      lp.replace(i + 1, value);
      update = true;
    } else {
      lp.push(field);
      lp.push(value);
    }
    if (hashTypeLength(o) > server.config.num('hash-max-listpack-entries')) hashTypeConvert(server, o, 'entries');
    return update;
  }
  return !(o.value as Dict<string>).set(field, value);
}

/** hashTypeDelete: a hashtable is shrunk when it becomes sparse, as Redis does after deletes. */
export function hashTypeDelete(o: RedisObject, field: string): boolean {
  if (o.encoding === 'listpack') {
    const lp = o.value as Listpack;
    const i = listpackFieldIndex(lp, field);
    if (i < 0) return false;
    lp.delete(i, 2);
    return true;
  }
  const d = o.value as Dict<string>;
  if (d.delete(field) === null) return false;
  if (d.needsShrink()) d.resize();
  return true;
}

/** Field/value pairs in the encoding's order: insertion order for a listpack. */
export function* hashTypeEntries(o: RedisObject): Generator<[string, string]> {
  if (o.encoding === 'listpack') {
    const lp = o.value as Listpack;
    for (let i = 0; i < lp.length; i += 2) yield [lp.get(i), lp.get(i + 1)];
  } else {
    for (const e of (o.value as Dict<string>).entries()) yield [e.key, e.value];
  }
}

/** hashTypeDup (COPY): the same pairs in the same encoding. */
export function hashTypeDup(server: RedisServer, o: RedisObject): RedisObject<HashValue> {
  if (o.encoding === 'listpack') return createObject<HashValue>('hash', 'listpack', (o.value as Listpack).clone());
  const src = o.value as Dict<string>;
  const d = newHashDict(server);
  d.expand(src.size);
  for (const e of src.entries()) d.add(e.key, e.value);
  return createObject<HashValue>('hash', 'hashtable', d);
}

/** hashTypeLookupWriteOrCreate: the hash at key, created empty if missing; null after WRONGTYPE. */
function lookupWriteOrCreate(c: Client, key: string): RedisObject | null {
  let o = c.db.lookupKeyWrite(key);
  if (Db.checkType(c, o, 'hash')) return null;
  if (o === null) {
    o = createHashObject();
    c.db.add(key, o);
  }
  return o;
}

// --- replies and small helpers ------------------------------------------------------------------

function replyZero(c: Client): void { c.reply.integer(0); }
function replyNull(c: Client): void { c.reply.null(); }
function replyEmptyArray(c: Client): void { c.reply.emptyArray(); }
function replyEmptyMap(c: Client): void { c.reply.map(0); }
function replyEmptyScan(c: Client): void { c.reply.raw('*2\r\n$1\r\n0\r\n*0\r\n'); }

/** One picked field (and its value) in HRANDFIELD's shape: a pair array in RESP3. */
function replyPick(c: Client, field: string, value: string | null): void {
  if (value !== null && c.protocol === 3) c.reply.array(2);
  c.reply.bulk(field);
  if (value !== null) c.reply.bulk(value);
}

// --- commands -----------------------------------------------------------------------------------

function hsetnxCommand(c: Client): void {
  const key = c.argv[1];
  const o = lookupWriteOrCreate(c, key);
  if (o === null) return;
  if (hashTypeExists(o, c.argv[2])) { c.reply.integer(0); return; }
  hashTypeTryConversion(c.server, o, c.argv, 2, 3);
  hashTypeSet(c.server, o, c.argv[2], c.argv[3]);
  c.reply.integer(1);
  c.server.signalModifiedKey(c, c.db, key);
  c.server.notifyKeyspaceEvent(NOTIFY_HASH, 'hset', key, c.db.id);
  c.server.dirty++;
}

/** HSET and HMSET: the same work, a different reply. */
function hsetCommand(c: Client): void {
  const argv = c.argv;
  if (argv.length % 2 === 1) {
    c.reply.error(`wrong number of arguments for '${c.cmd?.fullName ?? argv[0].toLowerCase()}' command`);
    return;
  }
  const key = argv[1];
  const o = lookupWriteOrCreate(c, key);
  if (o === null) return;
  hashTypeTryConversion(c.server, o, argv, 2, argv.length - 1);
  let created = 0;
  for (let i = 2; i < argv.length; i += 2) if (!hashTypeSet(c.server, o, argv[i], argv[i + 1])) created++;
  if (argv[0][1] === 's' || argv[0][1] === 'S') c.reply.integer(created);
  else c.reply.ok();
  c.server.signalModifiedKey(c, c.db, key);
  c.server.notifyKeyspaceEvent(NOTIFY_HASH, 'hset', key, c.db.id);
  c.server.dirty += (argv.length - 2) / 2;
}

function hincrbyCommand(c: Client): void {
  const incr = getBigIntOrReply(c, c.argv[3]);
  if (incr === null) return;
  const key = c.argv[1];
  const o = lookupWriteOrCreate(c, key);
  if (o === null) return;
  const current = hashTypeGet(o, c.argv[2]);
  let value = 0n;
  if (current !== null) {
    const v = parseBigInteger(current);
    if (v === null) { c.reply.error('hash value is not an integer'); return; }
    value = v;
  }
  if ((incr < 0n && value < 0n && incr < LLONG_MIN - value) ||
      (incr > 0n && value > 0n && incr > LLONG_MAX - value)) {
    c.reply.error('increment or decrement would overflow');
    return;
  }
  value += incr;
  hashTypeSet(c.server, o, c.argv[2], value.toString());
  c.reply.integer(value);
  c.server.signalModifiedKey(c, c.db, key);
  c.server.notifyKeyspaceEvent(NOTIFY_HASH, 'hincrby', key, c.db.id);
  c.server.dirty++;
}

function hincrbyfloatCommand(c: Client): void {
  // Long double arithmetic and "%.17Lf" formatting, exactly as Redis on x86-64.
  const incr = parseLongDouble(c.argv[3]);
  if (incr === null) { c.reply.error(NOT_FLOAT); return; }
  if (incr.kind !== 'finite') { c.reply.error('value is NaN or Infinity'); return; }
  const key = c.argv[1];
  const o = lookupWriteOrCreate(c, key);
  if (o === null) return;
  const current = hashTypeGet(o, c.argv[2]);
  let value = parseLongDouble('0')!;
  if (current !== null) {
    const v = parseLongDouble(current);
    if (v === null) { c.reply.error('hash value is not a float'); return; }
    value = v;
  }
  const sum = addLongDouble(value, incr);
  if (sum.kind !== 'finite') { c.reply.error('increment would produce NaN or Infinity'); return; }
  const text = formatLongDoubleHuman(sum);
  hashTypeSet(c.server, o, c.argv[2], text);
  c.reply.bulk(text);
  c.server.signalModifiedKey(c, c.db, key);
  c.server.notifyKeyspaceEvent(NOTIFY_HASH, 'hincrbyfloat', key, c.db.id);
  c.server.dirty++;
}

function hgetCommand(c: Client): void {
  const o = c.db.lookupKeyReadOrReply(c, c.argv[1], replyNull);
  if (o === null || Db.checkType(c, o, 'hash')) return;
  c.reply.bulkOrNull(hashTypeGet(o, c.argv[2]));
}

function hmgetCommand(c: Client): void {
  // A missing key is an empty hash: every answer is null.
  const o = c.db.lookupKeyRead(c.argv[1]);
  if (Db.checkType(c, o, 'hash')) return;
  c.reply.array(c.argv.length - 2);
  for (let i = 2; i < c.argv.length; i++) c.reply.bulkOrNull(o ? hashTypeGet(o, c.argv[i]) : null);
}

function hdelCommand(c: Client): void {
  const key = c.argv[1];
  const o = c.db.lookupKeyWriteOrReply(c, key, replyZero);
  if (o === null || Db.checkType(c, o, 'hash')) return;
  let deleted = 0;
  let keyRemoved = false;
  for (let j = 2; j < c.argv.length; j++) {
    if (hashTypeDelete(o, c.argv[j])) {
      deleted++;
      if (hashTypeLength(o) === 0) {
        c.db.delete(key);
        keyRemoved = true;
        break;
      }
    }
  }
  if (deleted) {
    c.server.signalModifiedKey(c, c.db, key);
    c.server.notifyKeyspaceEvent(NOTIFY_HASH, 'hdel', key, c.db.id);
    if (keyRemoved) c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'del', key, c.db.id);
    c.server.dirty += deleted;
  }
  c.reply.integer(deleted);
}

function hlenCommand(c: Client): void {
  const o = c.db.lookupKeyReadOrReply(c, c.argv[1], replyZero);
  if (o === null || Db.checkType(c, o, 'hash')) return;
  c.reply.integer(hashTypeLength(o));
}

function hstrlenCommand(c: Client): void {
  const o = c.db.lookupKeyReadOrReply(c, c.argv[1], replyZero);
  if (o === null || Db.checkType(c, o, 'hash')) return;
  c.reply.integer(hashTypeGet(o, c.argv[2])?.length ?? 0);
}

function hexistsCommand(c: Client): void {
  const o = c.db.lookupKeyReadOrReply(c, c.argv[1], replyZero);
  if (o === null || Db.checkType(c, o, 'hash')) return;
  c.reply.integer(hashTypeExists(o, c.argv[2]) ? 1 : 0);
}

/** genericHgetallCommand: fields, values, or both (a map). */
function hgetallGeneric(c: Client, fields: boolean, values: boolean): void {
  const both = fields && values;
  const o = c.db.lookupKeyReadOrReply(c, c.argv[1], both ? replyEmptyMap : replyEmptyArray);
  if (o === null || Db.checkType(c, o, 'hash')) return;
  const length = hashTypeLength(o);
  c.server.chargeWork(length);
  if (both) c.reply.map(length);
  else c.reply.array(length);
  for (const [f, v] of hashTypeEntries(o)) {
    if (fields) c.reply.bulk(f);
    if (values) c.reply.bulk(v);
  }
}

function hkeysCommand(c: Client): void { hgetallGeneric(c, true, false); }
function hvalsCommand(c: Client): void { hgetallGeneric(c, false, true); }
function hgetallCommand(c: Client): void { hgetallGeneric(c, true, true); }

function hscanCommand(c: Client): void {
  const cursor = parseScanCursorOrReply(c, c.argv[2]);
  if (cursor === null) return;
  const o = c.db.lookupKeyReadOrReply(c, c.argv[1], replyEmptyScan);
  if (o === null || Db.checkType(c, o, 'hash')) return;
  if (o.encoding === 'listpack') scanGeneric(c, o, cursor, [...(o.value as Listpack).entries]);
  else scanGeneric(c, o, cursor, { dict: o.value as Dict<unknown>, width: 2 });
}

/** A uniformly chosen pair: lpRandomPair, or dictGetFairRandomKey for a hashtable. */
function randomPair(server: RedisServer, o: RedisObject): [string, string] {
  if (o.encoding === 'listpack') {
    const lp = o.value as Listpack;
    const i = server.random.below(lp.length / 2) * 2;
    return [lp.get(i), lp.get(i + 1)];
  }
  const e = (o.value as Dict<string>).fairRandomEntry(server.random)!;
  return [e.key, e.value];
}

function hrandfieldWithCount(c: Client, l: bigint, withValues: boolean): void {
  const o = c.db.lookupKeyReadOrReply(c, c.argv[1], replyEmptyArray);
  if (o === null || Db.checkType(c, o, 'hash')) return;
  const size = hashTypeLength(o);
  // A negative count allows repeats; a non-negative one asks for distinct fields.
  const uniq = l >= 0n;
  let count = Number(uniq ? l : -l);
  if (count === 0) { c.reply.emptyArray(); return; }
  const flatPairs = withValues && c.protocol === 2;

  // Independent draws, in random order.
  if (!uniq || count === 1) {
    // The header is exact even for counts beyond 2^53.
    const n = uniq ? l : -l;
    c.reply.raw(`*${flatPairs ? n * 2n : n}\r\n`);
    if (o.encoding === 'listpack') {
      // lpRandomPairs: indexes drawn first, then read off; the reply keeps the draw order.
      const lp = o.value as Listpack;
      const pairs = lp.length / 2;
      while (count-- > 0) {
        const i = c.server.random.below(pairs) * 2;
        replyPick(c, lp.get(i), withValues ? lp.get(i + 1) : null);
        if (replyRunaway(c)) break;
      }
    } else {
      const d = o.value as Dict<string>;
      while (count-- > 0) {
        const e = d.fairRandomEntry(c.server.random)!;
        replyPick(c, e.key, withValues ? e.value : null);
        if (replyRunaway(c)) break;
      }
    }
    return;
  }

  const replySize = count < size ? count : size;
  c.reply.array(flatPairs ? replySize * 2 : replySize);

  // At least the whole hash: all of it, in the encoding's order.
  if (count >= size) {
    for (const [f, v] of hashTypeEntries(o)) replyPick(c, f, withValues ? v : null);
    return;
  }

  // Close to the whole hash: a copy with random fields removed, in the copy's order.
  if (count * HRANDFIELD_SUB_STRATEGY_MUL > size) {
    const picked = keepRandomEntries<string>(c.server, size, count, (into) => {
      for (const [f, v] of hashTypeEntries(o)) into.add(f, v);
    });
    for (const e of picked.entries()) replyPick(c, e.key, withValues ? e.value : null);
    return;
  }

  // Much smaller than the hash: distinct picks, replied as they come.
  if (o.encoding === 'listpack') {
    const lp = o.value as Listpack;
    pickDistinctListpackPairs(c.server, lp, count, (i) => replyPick(c, lp.get(i), withValues ? lp.get(i + 1) : null));
  } else {
    pickDistinctDictEntries(c.server, o.value as Dict<string>, count, (f, v) => replyPick(c, f, withValues ? v : null));
  }
}

function hrandfieldCommand(c: Client): void {
  if (c.argv.length >= 3) {
    const args = parseRandomPairsArgsOrReply(c, 'withvalues');
    if (args) hrandfieldWithCount(c, args.count, args.withPairs);
    return;
  }
  const o = c.db.lookupKeyReadOrReply(c, c.argv[1], replyNull);
  if (o === null || Db.checkType(c, o, 'hash')) return;
  c.reply.bulk(randomPair(c.server, o)[0]);
}

export const hashCommands: CommandImplementations = {
  hset: hsetCommand,
  hmset: hsetCommand,
  hsetnx: hsetnxCommand,
  hget: hgetCommand,
  hmget: hmgetCommand,
  hdel: hdelCommand,
  hlen: hlenCommand,
  hstrlen: hstrlenCommand,
  hexists: hexistsCommand,
  hkeys: hkeysCommand,
  hvals: hvalsCommand,
  hgetall: hgetallCommand,
  hincrby: hincrbyCommand,
  hincrbyfloat: hincrbyfloatCommand,
  hrandfield: hrandfieldCommand,
  hscan: hscanCommand,
};
