// Set commands and the set type (Redis 7.0's t_set.c). A set is an intset while every member is a
// 64-bit integer and there are at most set-max-intset-entries of them, otherwise a hashtable (a
// dict whose values are unused). Redis 7.0 never turns a hashtable back into an intset in place;
// only commands that build a brand-new set (the *STORE family, SPOP's rebuild) may pick intset again.
import { Dict } from '../ds/dict.ts';
import { Intset, intsetValueOf } from '../ds/intset.ts';
import { getPositiveLongOrReply, isOption } from '../server/args.ts';
import type { Client } from '../server/client.ts';
import type { CommandImplementations } from '../server/commandTable.ts';
import { Db } from '../server/db.ts';
import { NOTIFY_GENERIC, NOTIFY_SET } from '../server/notify.ts';
import { createObject, type RedisObject } from '../server/object.ts';
import type { RedisServer } from '../server/redisServer.ts';
import { parseScanCursorOrReply, scanGeneric } from '../server/scan.ts';
import { SYNTAX_ERR } from '../server/shared.ts';
import { parseBigInteger } from '../numbers.ts';
import { getRandomCountOrReply, keepRandomEntries } from './randomPicks.ts';
import { replyRunaway } from './runawayReply.ts';
import type { ConversionReason } from '../trace/events.ts';
import { noteConversion, noteIntsetUpgrade } from '../trace/conversions.ts';

export type SetValue = Intset | Dict<null>;

/** SPOP with a count rebuilds the set when the part left is under 1/5 of the popped part. */
const SPOP_MOVE_STRATEGY_MUL = 5;
/** SRANDMEMBER copies the set and removes from it when count is over 1/3 of the set. */
const SRANDMEMBER_SUB_STRATEGY_MUL = 3;

// --- the set type -------------------------------------------------------------------------------

function newSetDict(server: RedisServer): Dict<null> {
  return new Dict<null>(server.hashSeed, server.resizePolicy);
}

export function createIntsetObject(): RedisObject<SetValue> {
  return createObject<SetValue>('set', 'intset', new Intset());
}

export function createSetObject(server: RedisServer): RedisObject<SetValue> {
  return createObject<SetValue>('set', 'hashtable', newSetDict(server));
}

/** setTypeCreate: an empty set able to hold `first`: an intset if it is an integer. */
export function setTypeCreate(server: RedisServer, first: string): RedisObject<SetValue> {
  return intsetValueOf(first) !== null ? createIntsetObject() : createSetObject(server);
}

/** set-max-intset-entries, capped at 2^30 as Redis caps it for intset's sake. */
function maxIntsetEntries(server: RedisServer): number {
  const n = server.config.num('set-max-intset-entries');
  return n >= 2 ** 30 ? 2 ** 30 : n;
}

export function setTypeSize(o: RedisObject): number {
  return o.encoding === 'intset' ? (o.value as Intset).length : (o.value as Dict<null>).size;
}

/**
 * setTypeConvert: intset -> hashtable, presized for every member. `reason` and `member` (the
 * non-integer) only feed the trace (trace/conversions.ts).
 */
export function setTypeConvert(server: RedisServer, o: RedisObject, reason: ConversionReason = 'load', member?: string): void {
  if (server.trace) noteConversion(server, o, 'setTypeConvert', 'hashtable', reason, member);
  const is = o.value as Intset;
  const d = newSetDict(server);
  d.expand(is.length);
  for (const s of is.strings()) d.add(s, null);
  o.encoding = 'hashtable';
  o.value = d;
}

/** setTypeAdd: true when the member was new. May convert the set to a hashtable. */
export function setTypeAdd(server: RedisServer, o: RedisObject, member: string): boolean {
  if (o.encoding === 'hashtable') return (o.value as Dict<null>).add(member, null);
  const v = intsetValueOf(member);
  if (v !== null) {
    const is = o.value as Intset;
    if (server.trace && is.wouldUpgrade(v)) noteIntsetUpgrade(server, o, member);
    if (!is.add(v)) return false;
    if (is.length > maxIntsetEntries(server)) setTypeConvert(server, o, 'entries');
    return true;
  }
  setTypeConvert(server, o, 'not-integer', member);
  (o.value as Dict<null>).add(member, null);
  return true;
}

/** setTypeRemove: a hashtable is shrunk when it becomes sparse, as Redis does after deletes. */
export function setTypeRemove(o: RedisObject, member: string): boolean {
  if (o.encoding === 'hashtable') {
    const d = o.value as Dict<null>;
    if (d.delete(member) === null) return false;
    if (d.needsShrink()) d.resize();
    return true;
  }
  const v = intsetValueOf(member);
  return v !== null && (o.value as Intset).remove(v);
}

export function setTypeIsMember(o: RedisObject, member: string): boolean {
  if (o.encoding === 'hashtable') return (o.value as Dict<null>).has(member);
  const v = intsetValueOf(member);
  return v !== null && (o.value as Intset).has(v);
}

/** Members in the encoding's own order: ascending for an intset, bucket order for a hashtable. */
export function setTypeMembers(o: RedisObject): Iterable<string> {
  return o.encoding === 'intset' ? (o.value as Intset).strings() : (o.value as Dict<null>).keys();
}

/** setTypeRandomElement: intsetRandom, or dictGetFairRandomKey for a hashtable. */
export function setTypeRandomElement(server: RedisServer, o: RedisObject): string {
  if (o.encoding === 'intset') {
    const is = o.value as Intset;
    return is.getString(is.randomIndex(server.random));
  }
  return (o.value as Dict<null>).fairRandomEntry(server.random)!.key;
}

/** setTypeDup (COPY): the same members in the same encoding. */
export function setTypeDup(server: RedisServer, o: RedisObject): RedisObject<SetValue> {
  if (o.encoding === 'intset') return createObject<SetValue>('set', 'intset', (o.value as Intset).clone());
  const dup = createSetObject(server);
  (dup.value as Dict<null>).expand(setTypeSize(o));
  for (const m of setTypeMembers(o)) setTypeAdd(server, dup, m);
  return dup;
}

// --- replies and small helpers ------------------------------------------------------------------

function replyEmptySet(c: Client): void { c.reply.set(0); }
function replyZero(c: Client): void { c.reply.integer(0); }
function replyNull(c: Client): void { c.reply.null(); }
function replyEmptyArray(c: Client): void { c.reply.emptyArray(); }
function replyEmptyScan(c: Client): void { c.reply.raw('*2\r\n$1\r\n0\r\n*0\r\n'); }

// --- commands -----------------------------------------------------------------------------------

function saddCommand(c: Client): void {
  const key = c.argv[1];
  let set = c.db.lookupKeyWrite(key);
  if (Db.checkType(c, set, 'set')) return;
  if (set === null) {
    set = setTypeCreate(c.server, c.argv[2]);
    c.db.add(key, set);
  }
  let added = 0;
  for (let j = 2; j < c.argv.length; j++) if (setTypeAdd(c.server, set, c.argv[j])) added++;
  if (added) {
    c.server.signalModifiedKey(c, c.db, key);
    c.server.notifyKeyspaceEvent(NOTIFY_SET, 'sadd', key, c.db.id);
  }
  c.server.dirty += added;
  c.reply.integer(added);
}

function sremCommand(c: Client): void {
  const key = c.argv[1];
  const set = c.db.lookupKeyWriteOrReply(c, key, replyZero);
  if (set === null || Db.checkType(c, set, 'set')) return;
  let deleted = 0;
  let keyRemoved = false;
  for (let j = 2; j < c.argv.length; j++) {
    if (setTypeRemove(set, c.argv[j])) {
      deleted++;
      if (setTypeSize(set) === 0) {
        c.db.delete(key);
        keyRemoved = true;
        break;
      }
    }
  }
  if (deleted) {
    c.server.signalModifiedKey(c, c.db, key);
    c.server.notifyKeyspaceEvent(NOTIFY_SET, 'srem', key, c.db.id);
    if (keyRemoved) c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'del', key, c.db.id);
    c.server.dirty += deleted;
  }
  c.reply.integer(deleted);
}

function smoveCommand(c: Client): void {
  const [, srcKey, dstKey, member] = c.argv;
  const src = c.db.lookupKeyWrite(srcKey);
  let dst = c.db.lookupKeyWrite(dstKey);
  if (src === null) { c.reply.integer(0); return; }
  if (Db.checkType(c, src, 'set') || Db.checkType(c, dst, 'set')) return;
  // Same key: nothing moves, but the answer still says whether the member is there.
  if (src === dst) { c.reply.integer(setTypeIsMember(src, member) ? 1 : 0); return; }
  if (!setTypeRemove(src, member)) { c.reply.integer(0); return; }
  c.server.notifyKeyspaceEvent(NOTIFY_SET, 'srem', srcKey, c.db.id);
  if (setTypeSize(src) === 0) {
    c.db.delete(srcKey);
    c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'del', srcKey, c.db.id);
  }
  if (dst === null) {
    dst = setTypeCreate(c.server, member);
    c.db.add(dstKey, dst);
  }
  c.server.signalModifiedKey(c, c.db, srcKey);
  c.server.dirty++;
  if (setTypeAdd(c.server, dst, member)) {
    c.server.dirty++;
    c.server.signalModifiedKey(c, c.db, dstKey);
    c.server.notifyKeyspaceEvent(NOTIFY_SET, 'sadd', dstKey, c.db.id);
  }
  c.reply.integer(1);
}

function sismemberCommand(c: Client): void {
  const set = c.db.lookupKeyReadOrReply(c, c.argv[1], replyZero);
  if (set === null || Db.checkType(c, set, 'set')) return;
  c.reply.integer(setTypeIsMember(set, c.argv[2]) ? 1 : 0);
}

function smismemberCommand(c: Client): void {
  // A missing key is an empty set: every answer is 0.
  const set = c.db.lookupKeyRead(c.argv[1]);
  if (set && Db.checkType(c, set, 'set')) return;
  c.reply.array(c.argv.length - 2);
  for (let j = 2; j < c.argv.length; j++) c.reply.integer(set && setTypeIsMember(set, c.argv[j]) ? 1 : 0);
}

function scardCommand(c: Client): void {
  const set = c.db.lookupKeyReadOrReply(c, c.argv[1], replyZero);
  if (set === null || Db.checkType(c, set, 'set')) return;
  c.reply.integer(setTypeSize(set));
}

function spopWithCountCommand(c: Client): void {
  const l = getPositiveLongOrReply(c, c.argv[2]);
  if (l === null) return;
  const key = c.argv[1];
  const set = c.db.lookupKeyWriteOrReply(c, key, replyEmptySet);
  if (set === null || Db.checkType(c, set, 'set')) return;
  if (l === 0) { replyEmptySet(c); return; }
  const size = setTypeSize(set);
  let count = l;

  c.server.notifyKeyspaceEvent(NOTIFY_SET, 'spop', key, c.db.id);
  c.server.dirty += count >= size ? size : count;

  // Everything is popped: reply with the whole set (as SUNION would) and drop the key.
  if (count >= size) {
    sunionDiffGeneric(c, [key], null, 'union');
    c.db.delete(key);
    c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'del', key, c.db.id);
    c.server.signalModifiedKey(c, c.db, key);
    return;
  }

  c.reply.set(count);
  let remaining = size - count;
  if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
    // Few members wanted: draw and remove them one at a time.
    while (count-- > 0) {
      const member = setTypeRandomElement(c.server, set);
      c.reply.bulk(member);
      if (set.encoding === 'intset') (set.value as Intset).remove(BigInt(member));
      else setTypeRemove(set, member);
    }
  } else {
    // Nearly everything wanted: draw the members that stay into a new set, reply with the rest.
    let newset: RedisObject<SetValue> | null = null;
    while (remaining-- > 0) {
      const member = setTypeRandomElement(c.server, set);
      if (newset === null) newset = setTypeCreate(c.server, member);
      setTypeAdd(c.server, newset, member);
      setTypeRemove(set, member);
    }
    for (const member of setTypeMembers(set)) c.reply.bulk(member);
    c.db.overwrite(key, newset!);
  }
  c.server.signalModifiedKey(c, c.db, key);
}

function spopCommand(c: Client): void {
  if (c.argv.length === 3) { spopWithCountCommand(c); return; }
  if (c.argv.length > 3) { c.reply.error(SYNTAX_ERR); return; }
  const key = c.argv[1];
  const set = c.db.lookupKeyWriteOrReply(c, key, replyNull);
  if (set === null || Db.checkType(c, set, 'set')) return;
  const member = setTypeRandomElement(c.server, set);
  if (set.encoding === 'intset') (set.value as Intset).remove(BigInt(member));
  else setTypeRemove(set, member);
  c.server.notifyKeyspaceEvent(NOTIFY_SET, 'spop', key, c.db.id);
  c.reply.bulk(member);
  if (setTypeSize(set) === 0) {
    c.db.delete(key);
    c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'del', key, c.db.id);
  }
  c.server.signalModifiedKey(c, c.db, key);
  c.server.dirty++;
}

function srandmemberWithCountCommand(c: Client): void {
  const l = getRandomCountOrReply(c, c.argv[2]);
  if (l === null) return;
  // A negative count allows repeats; a non-negative one asks for distinct members.
  const uniq = l >= 0n;
  let count = Number(uniq ? l : -l);
  const set = c.db.lookupKeyReadOrReply(c, c.argv[1], replyEmptyArray);
  if (set === null || Db.checkType(c, set, 'set')) return;
  const size = setTypeSize(set);
  if (count === 0) { c.reply.emptyArray(); return; }

  // Independent draws, in random order.
  if (!uniq || count === 1) {
    // The header is exact even for counts beyond 2^53.
    c.reply.raw(`*${uniq ? l : -l}\r\n`);
    while (count-- > 0) {
      c.reply.bulk(setTypeRandomElement(c.server, set));
      if (replyRunaway(c)) break;
    }
    return;
  }

  // At least the whole set: reply with all of it, in the encoding's order.
  if (count >= size) {
    c.reply.array(size);
    for (const m of setTypeMembers(set)) c.reply.bulk(m);
    return;
  }

  let picked: Dict<null>;
  if (count * SRANDMEMBER_SUB_STRATEGY_MUL > size) {
    // Close to the whole set: a copy with random members removed.
    picked = keepRandomEntries<null>(c.server, size, count, (into) => {
      for (const m of setTypeMembers(set)) into.add(m, null);
    });
  } else {
    // Much smaller than the set: draw until count distinct members are collected. Unlike
    // HRANDFIELD/ZRANDMEMBER (pickDistinct*), draws may come from an intset and the reply
    // follows the collecting dict's order, not the draw order.
    picked = new Dict<null>(c.server.hashSeed);
    picked.expand(count);
    let added = 0;
    while (added < count) if (picked.add(setTypeRandomElement(c.server, set), null)) added++;
  }
  c.reply.array(count);
  for (const m of picked.keys()) c.reply.bulk(m);
}

function srandmemberCommand(c: Client): void {
  if (c.argv.length === 3) { srandmemberWithCountCommand(c); return; }
  if (c.argv.length > 3) { c.reply.error(SYNTAX_ERR); return; }
  const set = c.db.lookupKeyReadOrReply(c, c.argv[1], replyNull);
  if (set === null || Db.checkType(c, set, 'set')) return;
  c.reply.bulk(setTypeRandomElement(c.server, set));
}

/**
 * sinterGenericCommand, behind SINTER, SMEMBERS, SINTERSTORE and SINTERCARD. The smallest set is
 * walked and each member tested against the others, so the reply follows that set's order.
 */
function sinterGeneric(c: Client, keys: string[], dstKey: string | null, cardinalityOnly: boolean, limit: number): void {
  const found: RedisObject[] = [];
  let empty = 0;
  for (const k of keys) {
    const o = c.db.lookupKeyRead(k);
    if (o === null) { empty++; continue; }
    if (Db.checkType(c, o, 'set')) return;
    found.push(o);
  }

  // Any missing key makes the intersection empty.
  if (empty > 0) {
    if (dstKey !== null) {
      c.db.deleteAndNotify(c, dstKey);
      c.reply.integer(0);
    } else if (cardinalityOnly) {
      c.reply.integer(0);
    } else {
      replyEmptySet(c);
    }
    return;
  }

  const sets = found.sort((a, b) => setTypeSize(a) - setTypeSize(b));
  const first = sets[0];
  // Each member of the smallest set is looked up in the others: O(N*M) (cost.ts).
  c.server.chargeWork(setTypeSize(first) * sets.length);
  const dstset = dstKey !== null ? createIntsetObject() : null;
  const out: string[] = [];
  let cardinality = 0;

  const firstIsIntset = first.encoding === 'intset';
  for (const member of setTypeMembers(first)) {
    let inAll = true;
    let asInt: bigint | undefined;
    for (let j = 1; j < sets.length; j++) {
      const other = sets[j];
      if (other === first) continue;
      if (firstIsIntset && other.encoding === 'intset') {
        asInt ??= BigInt(member);
        if (!(other.value as Intset).has(asInt)) { inAll = false; break; }
      } else if (!setTypeIsMember(other, member)) {
        inAll = false;
        break;
      }
    }
    if (!inAll) continue;
    if (cardinalityOnly) {
      cardinality++;
      if (limit && cardinality >= limit) break;
    } else if (dstset === null) {
      out.push(member);
    } else {
      setTypeAdd(c.server, dstset, member);
    }
  }

  if (cardinalityOnly) {
    c.reply.integer(cardinality);
  } else if (dstset !== null) {
    storeResult(c, dstKey!, dstset, 'sinterstore');
  } else {
    c.reply.set(out.length);
    for (const m of out) c.reply.bulk(m);
  }
}

/** The tail of every *STORE: set the key to a non-empty result, or delete it. */
function storeResult(c: Client, dstKey: string, dstset: RedisObject<SetValue>, event: string): void {
  const size = setTypeSize(dstset);
  if (size > 0) {
    c.db.setKey(c, dstKey, dstset);
    c.reply.integer(size);
    c.server.notifyKeyspaceEvent(NOTIFY_SET, event, dstKey, c.db.id);
    c.server.dirty++;
  } else {
    c.reply.integer(0);
    c.db.deleteAndNotify(c, dstKey);
  }
}

/**
 * sunionDiffGenericCommand. The result is built as a new set (an intset while possible), so its
 * reply order is that set's order: ascending for an intset result.
 */
function sunionDiffGeneric(c: Client, keys: string[], dstKey: string | null, op: 'union' | 'diff'): void {
  const sets: (RedisObject | null)[] = [];
  let sameset = false;
  for (let j = 0; j < keys.length; j++) {
    const o = c.db.lookupKeyRead(keys[j]);
    if (o === null) { sets.push(null); continue; }
    if (Db.checkType(c, o, 'set')) return;
    sets.push(o);
    if (j > 0 && sets[0] === o) sameset = true;
  }

  // Pick the diff algorithm: 1 tests each member of the first set against the others (N*M),
  // 2 copies the first set and removes every member of the others (sum of sizes).
  let diffAlgo = 1;
  if (op === 'diff' && sets[0] && !sameset) {
    let algoOneWork = 0;
    let algoTwoWork = 0;
    for (const s of sets) {
      if (s === null) continue;
      algoOneWork += setTypeSize(sets[0]);
      algoTwoWork += setTypeSize(s);
    }
    algoOneWork = Math.floor(algoOneWork / 2); // algorithm 1 gets an advantage
    diffAlgo = algoOneWork <= algoTwoWork ? 1 : 2;
    if (diffAlgo === 1 && sets.length > 1) {
      // Largest sets first, so members are ruled out sooner.
      const rest = sets.slice(1).sort((a, b) => (b ? setTypeSize(b) : 0) - (a ? setTypeSize(a) : 0));
      sets.splice(1, rest.length, ...rest);
    }
  }

  const dstset = createIntsetObject();
  let cardinality = 0;
  if (op === 'union') {
    for (const s of sets) {
      if (s === null) continue;
      for (const m of setTypeMembers(s)) if (setTypeAdd(c.server, dstset, m)) cardinality++;
    }
  } else if (sameset) {
    // A key repeated as the first one: the difference is empty.
  } else if (sets[0] && diffAlgo === 1) {
    for (const m of setTypeMembers(sets[0])) {
      let j = 1;
      for (; j < sets.length; j++) {
        const s = sets[j];
        if (s === null) continue;
        if (s === sets[0]) break;
        if (setTypeIsMember(s, m)) break;
      }
      if (j === sets.length) {
        setTypeAdd(c.server, dstset, m);
        cardinality++;
      }
    }
  } else if (sets[0] && diffAlgo === 2) {
    for (let j = 0; j < sets.length; j++) {
      const s = sets[j];
      if (s === null) continue;
      for (const m of setTypeMembers(s)) {
        if (j === 0) { if (setTypeAdd(c.server, dstset, m)) cardinality++; }
        else if (setTypeRemove(dstset, m)) cardinality--;
      }
      if (cardinality === 0) break;
    }
  }

  if (dstKey === null) {
    c.reply.set(cardinality);
    for (const m of setTypeMembers(dstset)) c.reply.bulk(m);
  } else {
    storeResult(c, dstKey, dstset, op === 'union' ? 'sunionstore' : 'sdiffstore');
  }
}

function sinterCommand(c: Client): void {
  sinterGeneric(c, c.argv.slice(1), null, false, 0);
}

function sintercardCommand(c: Client): void {
  const n = parseBigInteger(c.argv[1]);
  if (n === null || n < 1n) { c.reply.error('numkeys should be greater than 0'); return; }
  if (n > BigInt(c.argv.length - 2)) {
    c.reply.error("Number of keys can't be greater than number of args");
    return;
  }
  const numkeys = Number(n);
  let limit = 0;
  for (let j = 2 + numkeys; j < c.argv.length; j++) {
    const moreArgs = c.argv.length - 1 - j;
    if (isOption(c.argv[j], 'limit') && moreArgs) {
      j++;
      const l = getPositiveLongOrReply(c, c.argv[j], "LIMIT can't be negative");
      if (l === null) return;
      limit = l;
    } else {
      c.reply.error(SYNTAX_ERR);
      return;
    }
  }
  sinterGeneric(c, c.argv.slice(2, 2 + numkeys), null, true, limit);
}

function sinterstoreCommand(c: Client): void {
  sinterGeneric(c, c.argv.slice(2), c.argv[1], false, 0);
}

function sunionCommand(c: Client): void { sunionDiffGeneric(c, c.argv.slice(1), null, 'union'); }
function sunionstoreCommand(c: Client): void { sunionDiffGeneric(c, c.argv.slice(2), c.argv[1], 'union'); }
function sdiffCommand(c: Client): void { sunionDiffGeneric(c, c.argv.slice(1), null, 'diff'); }
function sdiffstoreCommand(c: Client): void { sunionDiffGeneric(c, c.argv.slice(2), c.argv[1], 'diff'); }

function sscanCommand(c: Client): void {
  const cursor = parseScanCursorOrReply(c, c.argv[2]);
  if (cursor === null) return;
  const set = c.db.lookupKeyReadOrReply(c, c.argv[1], replyEmptyScan);
  if (set === null || Db.checkType(c, set, 'set')) return;
  if (set.encoding === 'intset') scanGeneric(c, set, cursor, [...(set.value as Intset).strings()]);
  else scanGeneric(c, set, cursor, { dict: set.value as Dict<unknown>, width: 1 });
}

export const setCommands: CommandImplementations = {
  sadd: saddCommand,
  srem: sremCommand,
  smove: smoveCommand,
  sismember: sismemberCommand,
  smismember: smismemberCommand,
  scard: scardCommand,
  spop: spopCommand,
  srandmember: srandmemberCommand,
  sinter: sinterCommand,
  smembers: sinterCommand,
  sintercard: sintercardCommand,
  sinterstore: sinterstoreCommand,
  sunion: sunionCommand,
  sunionstore: sunionstoreCommand,
  sdiff: sdiffCommand,
  sdiffstore: sdiffstoreCommand,
  sscan: sscanCommand,
};
