// Generic keyspace commands (Redis 7.0's db.c and expire.c, plus object.c's OBJECT): commands that
// work on keys whatever their type — deleting, renaming, moving and copying keys, databases,
// iteration, key introspection, and TTLs.
import type { Client } from '../server/client.ts';
import type { CommandImplementations } from '../server/commandTable.ts';
import { getBigIntOrReply, getIntOrReply, isOption } from '../server/args.ts';
import {
  type Db,
  type ExpireTime,
  LOOKUP_NONOTIFY,
  LOOKUP_NOTOUCH,
  expireTimeBig,
} from '../server/db.ts';
import { globMatch } from '../server/glob.ts';
import { NOTIFY_GENERIC } from '../server/notify.ts';
import { duplicateObject, type RedisObject } from '../server/object.ts';
import { parseScanCursorOrReply, scanGeneric } from '../server/scan.ts';
import { INVALID_DB_INDEX, NO_SUCH_KEY, SAME_OBJECT, SYNTAX_ERR } from '../server/shared.ts';
import { objectRefcount } from '../server/stringObject.ts';
import { LLONG_MAX, LLONG_MIN } from '../numbers.ts';

// --- helpers -----------------------------------------------------------------------------------

/** The server's cached time in whole milliseconds (Redis's mstime()). */
function nowMs(c: Client): number {
  return Math.floor(c.server.mstime);
}

/** ASCII-only uppercase, like C's toupper over each byte. */
function asciiUpper(s: string): string {
  return s.replace(/[a-z]+/g, (m) => m.toUpperCase());
}

/**
 * addReplyHelp: "<CMD> <subcommand> ...", the lines given, then HELP's own entry; every line a
 * status reply. Shared by the container commands' HELP subcommands.
 */
export function replyHelp(c: Client, lines: readonly string[]): void {
  c.reply.array(lines.length + 3);
  c.reply.status(`${asciiUpper(c.argv[0])} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`);
  for (const line of lines) c.reply.status(line);
  c.reply.status('HELP');
  c.reply.status('    Prints this help.');
}

/** selectDb's range check: the database with that index, or null. */
function dbByIndex(c: Client, id: number): Db | null {
  return id >= 0 && id < c.server.dbs.length ? c.server.dbs[id] : null;
}

/** getObjectTypeName */
function typeName(o: RedisObject | null): string {
  return o ? o.type : 'none';
}

// --- deleting and testing keys -----------------------------------------------------------------

/**
 * delGenericCommand: an expired key is expired first (and then not counted as deleted). UNLINK
 * (and DEL under lazyfree-lazy-user-del) leaves big values to the lazy-free thread.
 */
function delGeneric(c: Client, lazy: boolean): void {
  const db = c.db;
  let deleted = 0;
  for (let j = 1; j < c.argv.length; j++) {
    const key = c.argv[j];
    db.expireIfNeeded(key);
    if (db.delete(key, lazy ? 'async' : 'sync')) {
      c.server.signalModifiedKey(c, db, key);
      c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'del', key, db.id);
      c.server.dirty++;
      deleted++;
    }
  }
  c.reply.integer(deleted);
}

/** EXISTS key [key ...]: repeated keys count each time. */
function existsCommand(c: Client): void {
  let count = 0;
  for (let j = 1; j < c.argv.length; j++) {
    if (c.db.lookupKeyRead(c.argv[j], LOOKUP_NOTOUCH)) count++;
  }
  c.reply.integer(count);
}

/** TOUCH key [key ...]: a read lookup updates each key's access time. */
function touchCommand(c: Client): void {
  let touched = 0;
  for (let j = 1; j < c.argv.length; j++) {
    if (c.db.lookupKeyRead(c.argv[j])) touched++;
  }
  c.reply.integer(touched);
}

function typeCommand(c: Client): void {
  c.reply.status(typeName(c.db.lookupKeyRead(c.argv[1], LOOKUP_NOTOUCH)));
}

// --- renaming, moving, copying -----------------------------------------------------------------

/**
 * What RENAME and MOVE share once they decided to go ahead: the object (keeping its LRU/LFU) and
 * its expire, read by the caller before touching the destination, move to `toKey` in `to`; the
 * source key is deleted, both keys signalled, `<event>_from` and `<event>_to` fired.
 */
function relocateKey(
  c: Client, o: RedisObject, expire: ExpireTime,
  from: Db, fromKey: string, to: Db, toKey: string, event: 'rename' | 'move',
): void {
  to.addKeepingLru(toKey, o);
  if (expire !== -1) to.setExpire(toKey, expire);
  from.delete(fromKey, 'none'); // the value lives on under toKey
  c.server.signalModifiedKey(c, from, fromKey);
  c.server.signalModifiedKey(c, to, toKey);
  c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, `${event}_from`, fromKey, from.id);
  c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, `${event}_to`, toKey, to.id);
  c.server.dirty++;
}

function renameGeneric(c: Client, nx: boolean): void {
  const db = c.db;
  const src = c.argv[1];
  const dst = c.argv[2];
  const o = db.lookupKeyWriteOrReply(c, src, (cl) => cl.reply.error(NO_SUCH_KEY));
  if (!o) return;
  // Renaming a key to itself changes nothing, but the key still has to exist.
  if (src === dst) {
    if (nx) c.reply.integer(0); else c.reply.ok();
    return;
  }
  const expire = db.getExpireExact(src);
  if (db.lookupKeyWrite(dst) !== null) {
    if (nx) { c.reply.integer(0); return; }
    db.delete(dst);
  }
  relocateKey(c, o, expire, db, src, db, dst, 'rename');
  if (nx) c.reply.integer(1); else c.reply.ok();
}

function moveCommand(c: Client): void {
  const src = c.db;
  const key = c.argv[1];
  const dbid = getIntOrReply(c, c.argv[2]);
  if (dbid === null) return;
  const dst = dbByIndex(c, dbid);
  if (!dst) { c.reply.error(INVALID_DB_INDEX); return; }
  if (src === dst) { c.reply.error(SAME_OBJECT); return; }

  const o = src.lookupKeyWrite(key);
  if (!o) { c.reply.integer(0); return; }
  const expire = src.getExpireExact(key);
  if (dst.lookupKeyWrite(key) !== null) { c.reply.integer(0); return; }
  relocateKey(c, o, expire, src, key, dst, key, 'move');
  c.reply.integer(1);
}

/** COPY source destination [DB destination-db] [REPLACE] */
function copyCommand(c: Client): void {
  const src = c.db;
  let dst = c.db;
  let replace = false;
  for (let j = 3; j < c.argv.length; j++) {
    const additional = c.argv.length - j - 1;
    if (isOption(c.argv[j], 'replace')) {
      replace = true;
    } else if (isOption(c.argv[j], 'db') && additional >= 1) {
      const dbid = getIntOrReply(c, c.argv[j + 1]);
      if (dbid === null) return;
      const target = dbByIndex(c, dbid);
      if (!target) { c.reply.error(INVALID_DB_INDEX); return; }
      dst = target;
      j++;
    } else {
      c.reply.error(SYNTAX_ERR);
      return;
    }
  }
  const key = c.argv[1];
  const newkey = c.argv[2];
  if (src === dst && key === newkey) { c.reply.error(SAME_OBJECT); return; }

  const o = src.lookupKeyRead(key);
  if (!o) { c.reply.integer(0); return; }
  const expire = src.getExpireExact(key);
  let deleteFirst = false;
  if (dst.lookupKeyWrite(newkey) !== null) {
    if (!replace) { c.reply.integer(0); return; }
    deleteFirst = true;
  }
  const copy = duplicateObject(c.server, o);
  if (deleteFirst) dst.delete(newkey);
  dst.add(newkey, copy);
  if (expire !== -1) dst.setExpire(newkey, expire);
  c.server.signalModifiedKey(c, dst, newkey);
  c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'copy_to', newkey, dst.id);
  c.server.dirty++;
  c.reply.integer(1);
}

// --- databases ---------------------------------------------------------------------------------

function selectCommand(c: Client): void {
  const id = getIntOrReply(c, c.argv[1]);
  if (id === null) return;
  const db = dbByIndex(c, id);
  if (!db) { c.reply.error(INVALID_DB_INDEX); return; }
  c.db = db;
  c.reply.ok();
}

function swapdbCommand(c: Client): void {
  const id1 = getIntOrReply(c, c.argv[1], 'invalid first DB index');
  if (id1 === null) return;
  const id2 = getIntOrReply(c, c.argv[2], 'invalid second DB index');
  if (id2 === null) return;
  const db1 = dbByIndex(c, id1);
  const db2 = dbByIndex(c, id2);
  if (!db1 || !db2) { c.reply.error(INVALID_DB_INDEX); return; }
  if (db1 !== db2) {
    // Clients WATCHing keys in either database see them change.
    c.server.touchAllWatchedKeysInDb(db1, db2);
    c.server.touchAllWatchedKeysInDb(db2, db1);
    db1.swapWith(db2);
  }
  c.server.dirty++;
  c.reply.ok();
}

function dbsizeCommand(c: Client): void {
  c.reply.integer(c.db.dict.size);
}

/**
 * getFlushCommandFlags: SYNC, ASYNC, or nothing for lazyfree-lazy-user-flush's choice. Returns
 * whether to free asynchronously, or null after a syntax error.
 */
function parseFlushFlags(c: Client): boolean | null {
  if (c.argv.length === 1) return c.server.config.bool('lazyfree-lazy-user-flush');
  if (c.argv.length === 2 && isOption(c.argv[1], 'sync')) return false;
  if (c.argv.length === 2 && isOption(c.argv[1], 'async')) return true;
  c.reply.error(SYNTAX_ERR);
  return null;
}

/** emptyData: empties one database or all (-1), invalidating WATCHes first; returns keys removed. */
export function emptyData(c: Client, dbnum: number, async = false): number {
  const dbs = dbnum === -1 ? c.server.dbs : [c.server.dbs[dbnum]];
  for (const db of dbs) c.server.touchAllWatchedKeysInDb(db, null);
  c.server.tracking.invalidateKeysOnFlush();
  let removed = 0;
  for (const db of dbs) removed += db.empty(async);
  return removed;
}

function flushdbCommand(c: Client): void {
  const async = parseFlushFlags(c);
  if (async === null) return;
  c.server.dirty += emptyData(c, c.db.id, async);
  c.reply.ok();
}

function flushallCommand(c: Client): void {
  const async = parseFlushFlags(c);
  if (async === null) return;
  c.server.dirty += emptyData(c, -1, async);
  c.reply.ok();
}

// --- iteration ---------------------------------------------------------------------------------

function randomkeyCommand(c: Client): void {
  c.reply.bulkOrNull(c.db.randomKey());
}

/** KEYS pattern: a walk of the whole keyspace; expired keys are left out (but not deleted). */
function keysCommand(c: Client): void {
  const pattern = c.argv[1];
  const allKeys = pattern === '*';
  const out: string[] = [];
  // KEYS visits every key of the database (cost.ts).
  c.server.chargeWork(c.db.dict.size);
  for (const e of c.db.dict.entries()) {
    if ((allKeys || globMatch(pattern, e.key)) && !c.db.keyIsExpired(e.key)) out.push(e.key);
  }
  c.reply.bulks(out);
}

function scanCommand(c: Client): void {
  const cursor = parseScanCursorOrReply(c, c.argv[1]);
  if (cursor === null) return;
  scanGeneric(c, null, cursor, { dict: c.db.dict, width: 1 });
}

// --- OBJECT ------------------------------------------------------------------------------------

const OBJECT_HELP = [
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
];

const LFU_POLICY_ERR = 'An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.';
const NOT_LFU_POLICY_ERR = 'An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.';

/** objectCommandLookupOrReply: no access-time update, no keymiss event, null reply on a miss. */
function objectLookup(c: Client): RedisObject | null {
  const o = c.db.lookupKeyRead(c.argv[2], LOOKUP_NOTOUCH | LOOKUP_NONOTIFY);
  if (!o) c.reply.null();
  return o;
}

function objectEncodingCommand(c: Client): void {
  const o = objectLookup(c);
  if (o) c.reply.bulk(o.encoding);
}

function objectRefcountCommand(c: Client): void {
  const o = objectLookup(c);
  if (o) c.reply.integer(objectRefcount(o));
}

function objectIdletimeCommand(c: Client): void {
  const o = objectLookup(c);
  if (!o) return;
  if (c.server.usesLfu) { c.reply.error(LFU_POLICY_ERR); return; }
  c.reply.integer(Math.floor(c.server.objectIdleMs(o) / 1000));
}

function objectFreqCommand(c: Client): void {
  const o = objectLookup(c);
  if (!o) return;
  if (!c.server.usesLfu) { c.reply.error(NOT_LFU_POLICY_ERR); return; }
  // Decay first: the counter is only updated when the key is accessed.
  c.reply.integer(c.server.lfuDecrAndReturn(o));
}

function objectHelpCommand(c: Client): void {
  replyHelp(c, OBJECT_HELP);
}

// --- expiry ------------------------------------------------------------------------------------

const EXPIRE_NX = 1 << 0;
const EXPIRE_XX = 1 << 1;
const EXPIRE_GT = 1 << 2;
const EXPIRE_LT = 1 << 3;

/** parseExtendedExpireArgumentsOrReply: NX | XX | GT | LT after the time. */
function parseExpireFlags(c: Client): number | null {
  let flags = 0;
  for (let j = 3; j < c.argv.length; j++) {
    const opt = c.argv[j];
    if (isOption(opt, 'nx')) flags |= EXPIRE_NX;
    else if (isOption(opt, 'xx')) flags |= EXPIRE_XX;
    else if (isOption(opt, 'gt')) flags |= EXPIRE_GT;
    else if (isOption(opt, 'lt')) flags |= EXPIRE_LT;
    else {
      c.reply.error(`Unsupported option ${opt}`);
      return null;
    }
  }
  if ((flags & EXPIRE_NX) && (flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT))) {
    c.reply.error('NX and XX, GT or LT options at the same time are not compatible');
    return null;
  }
  if ((flags & EXPIRE_GT) && (flags & EXPIRE_LT)) {
    c.reply.error('GT and LT options at the same time are not compatible');
    return null;
  }
  return flags;
}

/**
 * expireGenericCommand: `relative` adds the current time; `seconds` scales by 1000. Times are
 * exact 64-bit values; overflow of either step is an error. A time already past deletes the key.
 */
function expireGeneric(c: Client, relative: boolean, seconds: boolean): void {
  const key = c.argv[1];
  const flags = parseExpireFlags(c);
  if (flags === null) return;
  let when = getBigIntOrReply(c, c.argv[2]);
  if (when === null) return;
  const invalid = () => c.reply.error(`invalid expire time in '${c.cmd!.fullName}' command`);
  if (seconds) {
    if (when > LLONG_MAX / 1000n || when < LLONG_MIN / 1000n) { invalid(); return; }
    when *= 1000n;
  }
  const now = nowMs(c);
  const basetime = relative ? BigInt(now) : 0n;
  if (when > LLONG_MAX - basetime) { invalid(); return; }
  when += basetime;

  const db = c.db;
  if (db.lookupKeyWrite(key) === null) { c.reply.integer(0); return; }

  if (flags) {
    const current: ExpireTime = db.getExpireExact(key);
    const hasTtl = current !== -1;
    if ((flags & EXPIRE_NX) && hasTtl) { c.reply.integer(0); return; }
    if ((flags & EXPIRE_XX) && !hasTtl) { c.reply.integer(0); return; }
    // No TTL counts as an infinite one: GT never passes, LT always does.
    if ((flags & EXPIRE_GT) && (!hasTtl || when <= expireTimeBig(current))) { c.reply.integer(0); return; }
    if ((flags & EXPIRE_LT) && hasTtl && when >= expireTimeBig(current)) { c.reply.integer(0); return; }
  }

  if (when <= BigInt(now)) {
    // Already expired: deleted at once, as a DEL (or UNLINK under lazyfree-lazy-expire).
    db.delete(key, c.server.config.bool('lazyfree-lazy-expire') ? 'async' : 'sync');
    c.server.dirty++;
    c.server.signalModifiedKey(c, db, key);
    c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'del', key, db.id);
    c.reply.integer(1);
    return;
  }
  db.setExpire(key, when);
  c.reply.integer(1);
  c.server.signalModifiedKey(c, db, key);
  c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'expire', key, db.id);
  c.server.dirty++;
}

/** ttlGenericCommand: -2 no key, -1 no TTL, else the remaining (or absolute) time. */
function ttlGeneric(c: Client, ms: boolean, absolute: boolean): void {
  const key = c.argv[1];
  if (c.db.lookupKeyRead(key, LOOKUP_NOTOUCH) === null) { c.reply.integer(-2); return; }
  const expire = c.db.getExpireExact(key);
  if (expire === -1) { c.reply.integer(-1); return; }
  let ttl = absolute ? expireTimeBig(expire) : expireTimeBig(expire) - BigInt(nowMs(c));
  if (ttl < 0n) ttl = 0n;
  // Seconds are rounded to the nearest.
  c.reply.integer(ms ? ttl : (ttl + 500n) / 1000n);
}

function persistCommand(c: Client): void {
  const key = c.argv[1];
  if (c.db.lookupKeyWrite(key) && c.db.removeExpire(key)) {
    c.server.signalModifiedKey(c, c.db, key);
    c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'persist', key, c.db.id);
    c.reply.integer(1);
    c.server.dirty++;
  } else {
    c.reply.integer(0);
  }
}

export const genericCommands: CommandImplementations = {
  del: (c) => delGeneric(c, c.server.config.bool('lazyfree-lazy-user-del')),
  unlink: (c) => delGeneric(c, true),
  exists: existsCommand,
  touch: touchCommand,
  type: typeCommand,
  rename: (c) => renameGeneric(c, false),
  renamenx: (c) => renameGeneric(c, true),
  move: moveCommand,
  copy: copyCommand,
  select: selectCommand,
  swapdb: swapdbCommand,
  dbsize: dbsizeCommand,
  flushdb: flushdbCommand,
  flushall: flushallCommand,
  randomkey: randomkeyCommand,
  keys: keysCommand,
  scan: scanCommand,
  'object|encoding': objectEncodingCommand,
  'object|refcount': objectRefcountCommand,
  'object|idletime': objectIdletimeCommand,
  'object|freq': objectFreqCommand,
  'object|help': objectHelpCommand,
  expire: (c) => expireGeneric(c, true, true),
  pexpire: (c) => expireGeneric(c, true, false),
  expireat: (c) => expireGeneric(c, false, true),
  pexpireat: (c) => expireGeneric(c, false, false),
  ttl: (c) => ttlGeneric(c, false, false),
  pttl: (c) => ttlGeneric(c, true, false),
  expiretime: (c) => ttlGeneric(c, false, true),
  pexpiretime: (c) => ttlGeneric(c, true, true),
  persist: persistCommand,
};
