// List commands and the list type (Redis 7.0's t_list.c). In Redis 7.0 every list is a quicklist
// (OBJECT ENCODING says "quicklist" however small the list is); the object's value is our
// Quicklist, whose node layout (ds/quicklist.ts) the list panel reads straight from the object.
//
// The pop, range-reply and move paths are exported so the blocking commands (BLPOP, BRPOP,
// BLMOVE, BRPOPLPUSH, BLMPOP) can serve clients through exactly the same code.
import { DEFAULT_PACKED_THRESHOLD, Quicklist, setPackedThreshold, type ListEnd, type QuicklistSettings } from '../ds/quicklist.ts';
import { getLongLongOrReply, getPositiveLongOrReply, isOption, parseMpopArgsOrReply } from '../server/args.ts';
import { getTimeoutOrReply, type ServeBlocked } from '../server/blocking.ts';
import type { Client } from '../server/client.ts';
import type { CommandImplementations } from '../server/commandTable.ts';
import { Db } from '../server/db.ts';
import { NOTIFY_GENERIC, NOTIFY_LIST } from '../server/notify.ts';
import { createObject, type RedisObject } from '../server/object.ts';
import type { RedisServer } from '../server/redisServer.ts';
import { NO_SUCH_KEY, OUT_OF_RANGE, SYNTAX_ERR } from '../server/shared.ts';
import { QuicklistTracer } from '../trace/quicklistTrace.ts';
import { SideTable } from '../sideTable.ts';

export type { ListEnd } from '../ds/quicklist.ts';

// --- the list type ------------------------------------------------------------------------------

// The quicklist settings Redis keeps process-wide (the packed threshold), one per server, with the
// server's tracer as every list's observer (trace/quicklistTrace.ts: idle while nobody listens).
const serverQuicklistSettings = new SideTable<RedisServer, QuicklistSettings>('list.quicklistSettings');

export function quicklistSettingsOf(server: RedisServer): QuicklistSettings {
  let settings = serverQuicklistSettings.get(server);
  if (!settings) {
    settings = { packedThreshold: DEFAULT_PACKED_THRESHOLD, observer: new QuicklistTracer(server) };
    serverQuicklistSettings.set(server, settings);
  }
  return settings;
}

/**
 * DEBUG QUICKLIST-PACKED-THRESHOLD: elements of at least `sz` bytes get PLAIN nodes in every list
 * of the server from now on (0 restores 1 GB). False if sz is too large (Redis then replies
 * "argument must be a memory value bigger than 1 and smaller than 4gb").
 */
export function setServerPackedThreshold(server: RedisServer, sz: number): boolean {
  return setPackedThreshold(quicklistSettingsOf(server), sz);
}

/**
 * createQuicklistObject + quicklistSetOptions: a new empty list taking list-max-listpack-size and
 * list-compress-depth from the config now. Existing lists keep the options they were created with.
 */
export function createListObject(server: RedisServer): RedisObject<Quicklist> {
  const ql = new Quicklist(server.config.num('list-max-listpack-size'), server.config.num('list-compress-depth'),
    quicklistSettingsOf(server));
  return createObject<Quicklist>('list', 'quicklist', ql);
}

/**
 * A list built without applying the config (createQuicklistObject alone): fill -2, no
 * compression. Redis's SORT ... STORE creates its destination list this way.
 */
export function createDefaultListObject(server: RedisServer): RedisObject<Quicklist> {
  return createObject<Quicklist>('list', 'quicklist', new Quicklist(-2, 0, quicklistSettingsOf(server)));
}

export function listValue(o: RedisObject): Quicklist {
  return o.value as Quicklist;
}

export function listTypeLength(o: RedisObject): number {
  return listValue(o).count;
}

export function listTypePush(o: RedisObject, value: string, where: ListEnd): void {
  listValue(o).push(value, where);
}

/** listTypePop: the element removed from one end, or null if the list is empty. */
export function listTypePop(o: RedisObject, where: ListEnd): string | null {
  return listValue(o).pop(where);
}

/** getListPositionFromObjectOrReply: LEFT -> head, RIGHT -> tail. */
export function getListPositionOrReply(c: Client, arg: string): ListEnd | null {
  if (isOption(arg, 'right')) return 'tail';
  if (isOption(arg, 'left')) return 'head';
  c.reply.error(SYNTAX_ERR);
  return null;
}

/**
 * addListRangeReply: the elements from start to end (inclusive, negative from the tail) as an
 * array, walking backwards from end when reverse is set.
 */
export function addListRangeReply(c: Client, o: RedisObject, start: number, end: number, reverse: boolean): void {
  const ql = listValue(o);
  const llen = ql.count;
  if (start < 0) start = llen + start;
  if (end < 0) end = llen + end;
  if (start < 0) start = 0;
  // start >= 0 now, so this also covers end < 0.
  if (start > end || start >= llen) {
    c.reply.emptyArray();
    return;
  }
  if (end >= llen) end = llen - 1;
  let rangelen = end - start + 1;
  c.server.chargeWork(rangelen);
  c.reply.array(rangelen);
  const iter = ql.iteratorAtIndex(reverse ? 'backward' : 'forward', reverse ? end : start)!;
  while (rangelen-- > 0) {
    const entry = iter.next();
    if (!entry) throw new Error('list range ran past the end of the list');
    c.reply.bulk(entry.value);
  }
  iter.release();
}

/**
 * listElementsRemoved: the bookkeeping after popping `count` elements: the pop event, deleting
 * the key when the list became empty (with a "del" event), the modified-key signal and dirty.
 * Returns whether the key was deleted.
 */
export function listElementsRemoved(c: Client, key: string, where: ListEnd, o: RedisObject, count: number): boolean {
  const server = c.server;
  server.notifyKeyspaceEvent(NOTIFY_LIST, where === 'head' ? 'lpop' : 'rpop', key, c.db.id);
  let deleted = false;
  if (listTypeLength(o) === 0) {
    deleted = true;
    c.db.delete(key);
    server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'del', key, c.db.id);
  }
  server.signalModifiedKey(c, c.db, key);
  server.dirty += count;
  return deleted;
}

/**
 * listPopRangeAndReplyWithKey: pops up to count elements from one end and replies
 * [key, [elements...]] (LMPOP, BLMPOP). Returns whether the key was deleted.
 */
export function listPopRangeAndReplyWithKey(c: Client, o: RedisObject, key: string, where: ListEnd, count: number): boolean {
  const llen = listTypeLength(o);
  const rangelen = count > llen ? llen : count;
  const rangestart = where === 'head' ? 0 : -rangelen;
  const rangeend = where === 'head' ? rangelen - 1 : -1;
  c.reply.array(2);
  c.reply.bulk(key);
  addListRangeReply(c, o, rangestart, rangeend, where === 'tail');
  listValue(o).delRange(rangestart, rangelen);
  return listElementsRemoved(c, key, where, o, rangelen);
}

/**
 * BLPOP/BRPOP's reply when the list has elements: pops one and replies [key, element].
 * Returns whether the key was deleted.
 */
export function popAndReplyWithKey(c: Client, o: RedisObject, key: string, where: ListEnd): boolean {
  const value = listTypePop(o, where)!;
  c.reply.array(2);
  c.reply.bulk(key);
  c.reply.bulk(value);
  return listElementsRemoved(c, key, where, o, 1);
}

/**
 * The push half of LMOVE (lmoveHandlePush): creates the destination if needed, pushes the value
 * and replies it.
 */
export function lmoveHandlePush(c: Client, dstkey: string, dstobj: RedisObject | null, value: string, where: ListEnd): void {
  if (!dstobj) {
    dstobj = createListObject(c.server);
    c.db.add(dstkey, dstobj);
  }
  c.server.signalModifiedKey(c, c.db, dstkey);
  listTypePush(dstobj, value, where);
  c.server.notifyKeyspaceEvent(NOTIFY_LIST, where === 'head' ? 'lpush' : 'rpush', dstkey, c.db.id);
  c.reply.bulk(value);
}

/**
 * lmoveGenericCommand: pops from argv[1] and pushes to argv[2]. Replies null if the source does
 * not exist. Returns whether an element was moved (blocking variants block otherwise).
 */
export function lmoveGeneric(c: Client, wherefrom: ListEnd, whereto: ListEnd): boolean {
  const srckey = c.argv[1];
  const dstkey = c.argv[2];
  const sobj = c.db.lookupKeyWriteOrReply(c, srckey, (cl) => cl.reply.null());
  if (!sobj || Db.checkType(c, sobj, 'list')) return false;
  if (listTypeLength(sobj) === 0) {
    // Only possible with lists loaded from very old RDB files.
    c.reply.null();
    return false;
  }
  // The destination is looked up before popping, so moving within one list keeps it alive.
  const dobj = c.db.lookupKeyWrite(dstkey);
  if (Db.checkType(c, dobj, 'list')) return false;
  const value = listTypePop(sobj, wherefrom)!;
  lmoveHandlePush(c, dstkey, dobj, value, whereto);
  c.server.notifyKeyspaceEvent(NOTIFY_LIST, wherefrom === 'head' ? 'lpop' : 'rpop', srckey, c.db.id);
  if (listTypeLength(sobj) === 0) {
    c.db.delete(srckey);
    c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'del', srckey, c.db.id);
  }
  c.server.signalModifiedKey(c, c.db, srckey);
  c.server.dirty++;
  return true;
}

/**
 * mpopGenericCommand: pops from the first non-empty list among keys. Returns true if it replied
 * (with elements or an error), false if every list was missing or empty (no reply sent), so the
 * blocking variant can block instead of replying a null array.
 */
export function mpopFromFirstNonEmpty(c: Client, keys: readonly string[], where: ListEnd, count: number): boolean {
  for (const key of keys) {
    const o = c.db.lookupKeyWrite(key);
    if (!o) continue;
    if (Db.checkType(c, o, 'list')) return true;
    if (listTypeLength(o) === 0) continue;
    listPopRangeAndReplyWithKey(c, o, key, where, count);
    // Redis also rewrites the command as LPOP/RPOP key count for replication and the AOF; there
    // is no propagation in the engine yet.
    return true;
  }
  return false;
}

// --- commands -----------------------------------------------------------------------------------

/** LPUSH/RPUSH/LPUSHX/RPUSHX; xx: only push onto an existing list. */
function pushGeneric(c: Client, where: ListEnd, xx: boolean): void {
  const key = c.argv[1];
  let o = c.db.lookupKeyWrite(key);
  if (Db.checkType(c, o, 'list')) return;
  if (!o) {
    if (xx) {
      c.reply.integer(0);
      return;
    }
    o = createListObject(c.server);
    c.db.add(key, o);
  }
  for (let j = 2; j < c.argv.length; j++) {
    listTypePush(o, c.argv[j], where);
    c.server.dirty++;
  }
  c.reply.integer(listTypeLength(o));
  c.server.signalModifiedKey(c, c.db, key);
  c.server.notifyKeyspaceEvent(NOTIFY_LIST, where === 'head' ? 'lpush' : 'rpush', key, c.db.id);
}

/** LINSERT key BEFORE|AFTER pivot element */
function linsertCommand(c: Client): void {
  let after: boolean;
  if (isOption(c.argv[2], 'after')) after = true;
  else if (isOption(c.argv[2], 'before')) after = false;
  else { c.reply.error(SYNTAX_ERR); return; }

  const key = c.argv[1];
  const o = c.db.lookupKeyWriteOrReply(c, key, (cl) => cl.reply.integer(0));
  if (!o || Db.checkType(c, o, 'list')) return;

  const ql = listValue(o);
  const pivot = c.argv[3];
  let inserted = false;
  // Seek the pivot from head to tail.
  const iter = ql.iteratorAtIndex('forward', 0)!;
  for (let entry = iter.next(); entry; entry = iter.next()) {
    if (entry.value === pivot) {
      if (after) ql.insertAfter(iter, entry, c.argv[4]);
      else ql.insertBefore(iter, entry, c.argv[4]);
      inserted = true;
      break;
    }
  }
  iter.release();

  if (!inserted) {
    c.reply.integer(-1);
    return;
  }
  c.server.signalModifiedKey(c, c.db, key);
  c.server.notifyKeyspaceEvent(NOTIFY_LIST, 'linsert', key, c.db.id);
  c.server.dirty++;
  c.reply.integer(ql.count);
}

/** LLEN key */
function llenCommand(c: Client): void {
  const o = c.db.lookupKeyReadOrReply(c, c.argv[1], (cl) => cl.reply.integer(0));
  if (!o || Db.checkType(c, o, 'list')) return;
  c.reply.integer(listTypeLength(o));
}

/** LINDEX key index (the key is checked before the index is parsed). */
function lindexCommand(c: Client): void {
  const o = c.db.lookupKeyReadOrReply(c, c.argv[1], (cl) => cl.reply.null());
  if (!o || Db.checkType(c, o, 'list')) return;
  const index = getLongLongOrReply(c, c.argv[2]);
  if (index === null) return;
  c.reply.bulkOrNull(listValue(o).index(index));
}

/** LSET key index element */
function lsetCommand(c: Client): void {
  const key = c.argv[1];
  const o = c.db.lookupKeyWriteOrReply(c, key, (cl) => cl.reply.error(NO_SUCH_KEY));
  if (!o || Db.checkType(c, o, 'list')) return;
  const index = getLongLongOrReply(c, c.argv[2]);
  if (index === null) return;
  if (!listValue(o).replaceAtIndex(index, c.argv[3])) {
    c.reply.error(OUT_OF_RANGE);
    return;
  }
  c.reply.ok();
  c.server.signalModifiedKey(c, c.db, key);
  c.server.notifyKeyspaceEvent(NOTIFY_LIST, 'lset', key, c.db.id);
  c.server.dirty++;
}

/** LPOP/RPOP key [count] */
function popGeneric(c: Client, where: ListEnd): void {
  const hascount = c.argv.length === 3;
  let count = 0;
  if (c.argv.length > 3) {
    c.reply.error(`wrong number of arguments for '${c.cmd!.fullName}' command`);
    return;
  }
  if (hascount) {
    const n = getPositiveLongOrReply(c, c.argv[2]);
    if (n === null) return;
    count = n;
  }
  const key = c.argv[1];
  const o = c.db.lookupKeyWriteOrReply(c, key, (cl) => (hascount ? cl.reply.nullArray() : cl.reply.null()));
  if (!o || Db.checkType(c, o, 'list')) return;

  if (hascount && count === 0) {
    c.reply.emptyArray();
    return;
  }
  if (!hascount) {
    const value = listTypePop(o, where)!;
    c.reply.bulk(value);
    listElementsRemoved(c, key, where, o, 1);
  } else {
    const llen = listTypeLength(o);
    const rangelen = count > llen ? llen : count;
    const rangestart = where === 'head' ? 0 : -rangelen;
    const rangeend = where === 'head' ? rangelen - 1 : -1;
    addListRangeReply(c, o, rangestart, rangeend, where === 'tail');
    listValue(o).delRange(rangestart, rangelen);
    listElementsRemoved(c, key, where, o, rangelen);
  }
}

/** LRANGE key start stop */
function lrangeCommand(c: Client): void {
  const start = getLongLongOrReply(c, c.argv[2]);
  if (start === null) return;
  const end = getLongLongOrReply(c, c.argv[3]);
  if (end === null) return;
  const o = c.db.lookupKeyReadOrReply(c, c.argv[1], (cl) => cl.reply.emptyArray());
  if (!o || Db.checkType(c, o, 'list')) return;
  addListRangeReply(c, o, start, end, false);
}

/** LTRIM key start stop */
function ltrimCommand(c: Client): void {
  let start = getLongLongOrReply(c, c.argv[2]);
  if (start === null) return;
  let end = getLongLongOrReply(c, c.argv[3]);
  if (end === null) return;
  const key = c.argv[1];
  const o = c.db.lookupKeyWriteOrReply(c, key, (cl) => cl.reply.ok());
  if (!o || Db.checkType(c, o, 'list')) return;

  const ql = listValue(o);
  const llen = ql.count;
  if (start < 0) start = llen + start;
  if (end < 0) end = llen + end;
  if (start < 0) start = 0;
  let ltrim: number;
  let rtrim: number;
  if (start > end || start >= llen) {
    // Nothing of the range exists: everything goes.
    ltrim = llen;
    rtrim = 0;
  } else {
    if (end >= llen) end = llen - 1;
    ltrim = start;
    rtrim = llen - end - 1;
  }
  ql.delRange(0, ltrim);
  ql.delRange(-rtrim, rtrim);

  c.server.notifyKeyspaceEvent(NOTIFY_LIST, 'ltrim', key, c.db.id);
  if (ql.count === 0) {
    c.db.delete(key);
    c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'del', key, c.db.id);
  }
  c.server.signalModifiedKey(c, c.db, key);
  c.server.dirty += ltrim + rtrim;
  c.reply.ok();
}

/** LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len] */
function lposCommand(c: Client): void {
  const argv = c.argv;
  const ele = argv[2];
  let fromTail = false;
  let rank = 1;
  let count = -1; // -1: COUNT not given
  let maxlen = 0;
  let rankIsLongMin = false;

  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j];
    const moreargs = argv.length - 1 - j;
    if (isOption(opt, 'rank') && moreargs) {
      j++;
      const r = getLongLongOrReply(c, argv[j]);
      if (r === null) return;
      if (r === 0) {
        c.reply.error("RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list");
        return;
      }
      rank = r;
      // Compared as text: LONG_MIN's neighbours round to the same JS number.
      rankIsLongMin = argv[j] === '-9223372036854775808';
    } else if (isOption(opt, 'count') && moreargs) {
      j++;
      const n = getPositiveLongOrReply(c, argv[j], "COUNT can't be negative");
      if (n === null) return;
      count = n;
    } else if (isOption(opt, 'maxlen') && moreargs) {
      j++;
      const n = getPositiveLongOrReply(c, argv[j], "MAXLEN can't be negative");
      if (n === null) return;
      maxlen = n;
    } else {
      c.reply.error(SYNTAX_ERR);
      return;
    }
  }

  // A negative rank searches from the tail. Redis negates a C long, so RANK LONG_MIN stays
  // negative: every match then counts as "at or past the rank" and COUNT never stops the search.
  if (rank < 0) {
    fromTail = true;
    if (!rankIsLongMin) rank = -rank;
  }

  const o = c.db.lookupKeyRead(argv[1]);
  if (!o) {
    if (count !== -1) c.reply.emptyArray();
    else c.reply.null();
    return;
  }
  if (Db.checkType(c, o, 'list')) return;

  const ql = listValue(o);
  const llen = ql.count;
  const found: number[] = [];
  const iter = ql.iteratorAtIndex(fromTail ? 'backward' : 'forward', fromTail ? -1 : 0)!;
  let index = 0;
  let matches = 0;
  let matchindex = -1;
  for (let entry = iter.next(); entry && (maxlen === 0 || index < maxlen); entry = iter.next()) {
    if (entry.value === ele) {
      matches++;
      matchindex = fromTail ? llen - index - 1 : index;
      if (rankIsLongMin || matches >= rank) {
        if (count !== -1) {
          found.push(matchindex);
          if (!rankIsLongMin && count && matches - rank + 1 >= count) break;
        } else {
          break;
        }
      }
    }
    index++;
    matchindex = -1; // so that leaving the loop without a match is recognised
  }
  iter.release();

  if (count !== -1) {
    c.reply.array(found.length);
    for (const i of found) c.reply.integer(i);
  } else if (matchindex !== -1) {
    c.reply.integer(matchindex);
  } else {
    c.reply.null();
  }
}

/** LREM key count element */
function lremCommand(c: Client): void {
  let toremove = getLongLongOrReply(c, c.argv[2]);
  if (toremove === null) return;
  const key = c.argv[1];
  const obj = c.argv[3];
  const o = c.db.lookupKeyWriteOrReply(c, key, (cl) => cl.reply.integer(0));
  if (!o || Db.checkType(c, o, 'list')) return;

  const ql = listValue(o);
  let removed = 0;
  // A negative count removes from the tail towards the head.
  const iter = toremove < 0 ? ql.iteratorAtIndex('backward', -1)! : ql.iteratorAtIndex('forward', 0)!;
  if (toremove < 0) toremove = -toremove;
  for (let entry = iter.next(); entry; entry = iter.next()) {
    if (entry.value === obj) {
      ql.delEntry(iter, entry);
      c.server.dirty++;
      removed++;
      if (toremove && removed === toremove) break;
    }
  }
  iter.release();

  if (removed) {
    c.server.signalModifiedKey(c, c.db, key);
    c.server.notifyKeyspaceEvent(NOTIFY_LIST, 'lrem', key, c.db.id);
  }
  if (ql.count === 0) {
    c.db.delete(key);
    c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'del', key, c.db.id);
  }
  c.reply.integer(removed);
}

/** LMOVE source destination LEFT|RIGHT LEFT|RIGHT */
function lmoveCommand(c: Client): void {
  const wherefrom = getListPositionOrReply(c, c.argv[3]);
  if (wherefrom === null) return;
  const whereto = getListPositionOrReply(c, c.argv[4]);
  if (whereto === null) return;
  lmoveGeneric(c, wherefrom, whereto);
}

/** RPOPLPUSH source destination */
function rpoplpushCommand(c: Client): void {
  lmoveGeneric(c, 'tail', 'head');
}

/** LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count] */
function lmpopCommand(c: Client): void {
  const args = parseMpopArgsOrReply(c, 1, getListPositionOrReply);
  if (!args) return;
  if (!mpopFromFirstNonEmpty(c, args.keys, args.where, args.count)) c.reply.nullArray();
}

// --- blocking commands (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP) -------------------------------------

/** Deletes a list its last pop emptied, with the "del" event; returns whether it did. */
function deleteIfEmpty(c: Client, key: string, o: RedisObject): boolean {
  if (listTypeLength(o) !== 0) return false;
  c.db.delete(key);
  c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'del', key, c.db.id);
  return true;
}

/**
 * serveClientBlockedOnList for BLPOP/BRPOP: pops one element and replies [key, element]. Unlike a
 * pop that did not block, no modified-key signal or dirty count: the push that woke the client
 * already counted.
 */
function serveBlockedPop(c: Client, key: string, o: RedisObject, where: ListEnd): boolean {
  const value = listTypePop(o, where)!;
  c.reply.array(2);
  c.reply.bulk(key);
  c.reply.bulk(value);
  c.server.notifyKeyspaceEvent(NOTIFY_LIST, where === 'head' ? 'lpop' : 'rpop', key, c.db.id);
  return deleteIfEmpty(c, key, o);
}

/**
 * serveClientBlockedOnList for BLMOVE/BRPOPLPUSH: moves one element to dstkey and replies it, or
 * replies WRONGTYPE (moving nothing) if dstkey now holds something else than a list.
 */
function serveBlockedMove(c: Client, key: string, o: RedisObject, dstkey: string, wherefrom: ListEnd, whereto: ListEnd): boolean {
  const dstobj = c.db.lookupKeyWrite(dstkey);
  if (!(dstobj && Db.checkType(c, dstobj, 'list'))) {
    const value = listTypePop(o, wherefrom)!;
    lmoveHandlePush(c, dstkey, dstobj, value, whereto);
    c.server.notifyKeyspaceEvent(NOTIFY_LIST, wherefrom === 'tail' ? 'rpop' : 'lpop', key, c.db.id);
  }
  return deleteIfEmpty(c, key, o);
}

/**
 * blockingPopGenericCommand: pops from the first non-empty list among keys, like LPOP/RPOP (count
 * -1: reply [key, element]) or LMPOP (count given: [key, [elements]]); if all are empty, blocks.
 */
function blockingPopGeneric(c: Client, keys: readonly string[], where: ListEnd, timeoutArg: string, count: number): void {
  const timeout = getTimeoutOrReply(c, timeoutArg, 'seconds');
  if (timeout === null) return;
  for (const key of keys) {
    const o = c.db.lookupKeyWrite(key);
    if (!o) continue;
    if (Db.checkType(c, o, 'list')) return;
    if (listTypeLength(o) === 0) continue;
    if (count !== -1) listPopRangeAndReplyWithKey(c, o, key, where, count);
    else popAndReplyWithKey(c, o, key, where);
    return;
  }
  // Not allowed to block (inside MULTI/EXEC): as if the timeout passed at once.
  if (c.denyBlocking) {
    c.reply.nullArray();
    return;
  }
  c.server.blocking.blockForKeys(c, 'list', keys, timeout, new ServeListPop(where, count));
}

/** Finishes a BLPOP/BRPOP (count -1) or BLMPOP for a client served from `key`. */
class ServeListPop implements ServeBlocked {
  constructor(readonly where: ListEnd, readonly count: number) {}

  serve(r: Client, key: string, o: RedisObject): boolean {
    return this.count !== -1 ? listPopRangeAndReplyWithKey(r, o, key, this.where, this.count) : serveBlockedPop(r, key, o, this.where);
  }
}

/** BLPOP key [key ...] timeout */
function blpopCommand(c: Client): void {
  blockingPopGeneric(c, c.argv.slice(1, -1), 'head', c.argv[c.argv.length - 1], -1);
}

/** BRPOP key [key ...] timeout */
function brpopCommand(c: Client): void {
  blockingPopGeneric(c, c.argv.slice(1, -1), 'tail', c.argv[c.argv.length - 1], -1);
}

/** blmoveGenericCommand: LMOVE if the source has elements, else block on it. */
function blmoveGeneric(c: Client, wherefrom: ListEnd, whereto: ListEnd, timeout: number): void {
  const o = c.db.lookupKeyWrite(c.argv[1]);
  if (Db.checkType(c, o, 'list')) return;
  if (o) {
    lmoveGeneric(c, wherefrom, whereto);
    return;
  }
  if (c.denyBlocking) {
    // Unlike the other blocking commands, a plain null (the reply LMOVE gives).
    c.reply.null();
    return;
  }
  const dstkey = c.argv[2];
  c.server.blocking.blockForKeys(c, 'list', [c.argv[1]], timeout, new ServeListMove(dstkey, wherefrom, whereto));
}

/** Finishes a BLMOVE/BRPOPLPUSH for a client served from `key`. */
class ServeListMove implements ServeBlocked {
  constructor(readonly dstkey: string, readonly wherefrom: ListEnd, readonly whereto: ListEnd) {}

  serve(r: Client, key: string, src: RedisObject): boolean {
    return serveBlockedMove(r, key, src, this.dstkey, this.wherefrom, this.whereto);
  }
}

/** BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout */
function blmoveCommand(c: Client): void {
  const wherefrom = getListPositionOrReply(c, c.argv[3]);
  if (wherefrom === null) return;
  const whereto = getListPositionOrReply(c, c.argv[4]);
  if (whereto === null) return;
  const timeout = getTimeoutOrReply(c, c.argv[5], 'seconds');
  if (timeout === null) return;
  blmoveGeneric(c, wherefrom, whereto, timeout);
}

/** BRPOPLPUSH source destination timeout */
function brpoplpushCommand(c: Client): void {
  const timeout = getTimeoutOrReply(c, c.argv[3], 'seconds');
  if (timeout === null) return;
  blmoveGeneric(c, 'tail', 'head', timeout);
}

/** BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]: the timeout is checked last. */
function blmpopCommand(c: Client): void {
  const args = parseMpopArgsOrReply(c, 2, getListPositionOrReply);
  if (!args) return;
  blockingPopGeneric(c, args.keys, args.where, c.argv[1], args.count);
}

export const listCommands: CommandImplementations = {
  lpush: (c) => pushGeneric(c, 'head', false),
  rpush: (c) => pushGeneric(c, 'tail', false),
  lpushx: (c) => pushGeneric(c, 'head', true),
  rpushx: (c) => pushGeneric(c, 'tail', true),
  linsert: linsertCommand,
  llen: llenCommand,
  lindex: lindexCommand,
  lset: lsetCommand,
  lpop: (c) => popGeneric(c, 'head'),
  rpop: (c) => popGeneric(c, 'tail'),
  lrange: lrangeCommand,
  ltrim: ltrimCommand,
  lpos: lposCommand,
  lrem: lremCommand,
  lmove: lmoveCommand,
  rpoplpush: rpoplpushCommand,
  lmpop: lmpopCommand,
  blpop: blpopCommand,
  brpop: brpopCommand,
  blmove: blmoveCommand,
  brpoplpush: brpoplpushCommand,
  blmpop: blmpopCommand,
};
