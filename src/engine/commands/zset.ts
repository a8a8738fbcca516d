// Sorted-set commands and the zset type (Redis 7.0's t_zset.c). A small sorted set is a listpack of
// member, score, member, score ... kept in (score, member) order; a score that is an integer in
// [-2^62, 2^62] is stored as a listpack integer, any other as its "%.17g" text. Past
// zset-max-listpack-entries members, or with a member longer than zset-max-listpack-value bytes, it
// becomes a skiplist (ordered by score, member) plus a dict (member -> score), and ZADD and friends
// never turn it back. Only commands that build a brand-new destination (*STORE) may pick listpack
// again, each with its own 7.0 rule.
import { Dict } from '../ds/dict.ts';
import { Listpack } from '../ds/listpack.ts';
import {
  LEX_MAX, LEX_MIN, Skiplist, lexGteMin, lexLteMax, lexRangeSpec, scoreGteMin, scoreLteMax, scoreRangeSpec,
  type LexBound, type LexRange, type RangeSpec, type ScoreRange, type SkiplistNode,
} from '../ds/skiplist.ts';
import { formatDouble } from '../numbers.ts';
import type { Random } from '../sim/random.ts';
import {
  getDoubleOrReply, getLongLongOrReply, getPositiveLongOrReply, isOption, parseMpopArgsOrReply,
} from '../server/args.ts';
import { getTimeoutOrReply, type ServeBlocked } from '../server/blocking.ts';
import type { Client } from '../server/client.ts';
import type { CommandImplementations } from '../server/commandTable.ts';
import { Db } from '../server/db.ts';
import type { ResizePolicy } from '../ds/dict.ts';
import { NOTIFY_GENERIC, NOTIFY_ZSET } from '../server/notify.ts';
import { createObject, type RedisObject } from '../server/object.ts';
import type { RedisServer } from '../server/redisServer.ts';
import { parseScanCursorOrReply, scanGeneric } from '../server/scan.ts';
import { SYNTAX_ERR, WRONGTYPE } from '../server/shared.ts';
import { setTypeIsMember, setTypeMembers, setTypeSize } from './set.ts';
import {
  keepRandomEntries, parseRandomPairsArgsOrReply, pickDistinctDictEntries, pickDistinctListpackPairs,
} from './randomPicks.ts';
import { replyRunaway } from './runawayReply.ts';
import type { ConversionReason } from '../trace/events.ts';
import { noteConversion, zsetGrowthReason } from '../trace/conversions.ts';
import { retraceZset, traceZset, type ZsetTracer } from '../trace/skiplistTrace.ts';

/** LISTPACK_MAX_SAFETY_SIZE: a listpack is never allowed to grow past 1 GB. */
const LISTPACK_MAX_SAFETY_SIZE = 2 ** 30;
/** ZRANDMEMBER copies the set and removes from it when count is over 1/3 of the set. */
const ZRANDMEMBER_SUB_STRATEGY_MUL = 3;
/** ZRANDMEMBER with a negative count draws listpack entries in batches of this many. */
const ZRANDMEMBER_RANDOM_SAMPLE_LIMIT = 1000;

// --- the skiplist encoding ----------------------------------------------------------------------

/** The "skiplist" encoding: the ordered skiplist plus a dict from member to score. */
export class ZsetSkiplist {
  readonly dict: Dict<number>;
  readonly zsl: Skiplist;

  constructor(readonly seed: number, readonly policy: ResizePolicy, readonly random: Random) {
    this.dict = new Dict<number>(seed, policy);
    this.zsl = new Skiplist(random);
  }

  get length(): number { return this.zsl.length; }

  /** Adds a member that is not present yet. */
  insert(score: number, member: string): SkiplistNode {
    const node = this.zsl.insert(score, member);
    this.dict.add(member, score);
    return node;
  }

  /** zsetRemoveFromSkiplist: dict first, then the skiplist; no shrinking. */
  remove(member: string): boolean {
    const e = this.dict.delete(member);
    if (e === null) return false;
    this.zsl.delete(e.value, member);
    return true;
  }

  /** Shrinks the dict when deletes left it sparse (htNeedsResize + dictResize). */
  shrinkIfNeeded(): void {
    if (this.dict.needsShrink()) this.dict.resize();
  }

  /** zsetDup: a presized dict, filled from the tail so every skiplist insert lands at the head. */
  clone(): ZsetSkiplist {
    const copy = new ZsetSkiplist(this.seed, this.policy, this.random);
    copy.dict.expand(this.dict.size);
    for (let n = this.zsl.tail; n; n = n.backward) copy.insert(n.score, n.member);
    return copy;
  }
}

export type ZsetValue = Listpack | ZsetSkiplist;

function newZsetSkiplist(server: RedisServer): ZsetSkiplist {
  return new ZsetSkiplist(server.hashSeed, server.resizePolicy, server.random);
}

/** createZsetObject: an empty skiplist-encoded zset. */
export function createZsetObject(server: RedisServer): RedisObject<ZsetValue> {
  return createObject<ZsetValue>('zset', 'skiplist', newZsetSkiplist(server));
}

/** createZsetListpackObject: an empty listpack-encoded zset. */
export function createZsetListpackObject(): RedisObject<ZsetValue> {
  return createObject<ZsetValue>('zset', 'listpack', new Listpack());
}

// --- scores inside a listpack -------------------------------------------------------------------

const TWO_62 = 2 ** 62;

/**
 * zzlInsertAt's score entry: an integer when double2ll accepts the score (which also turns -0 into
 * 0), otherwise d2string's "%.17g" text.
 */
export function listpackScoreText(score: number): string {
  if (Number.isInteger(score) && score >= -TWO_62 && score <= TWO_62) {
    return Number.isSafeInteger(score) ? String(score === 0 ? 0 : score) : BigInt(score).toString();
  }
  return formatDouble(score);
}

/** zzlGetScore: the score a listpack entry holds. */
export function listpackScoreValue(text: string): number {
  if (text === 'inf') return Infinity;
  if (text === '-inf') return -Infinity;
  return Number(text);
}

function lpScore(lp: Listpack, memberIndex: number): number {
  return listpackScoreValue(lp.get(memberIndex + 1));
}

/** zzlFind: index of the member's entry, or -1. */
function zzlFind(lp: Listpack, member: string): number {
  return lp.find(member, 0, 2);
}

/**
 * zzlInsert: before the first pair that sorts after (score, member). Redis walks there from the
 * head; the pairs are sorted, so a binary search finds the same place.
 */
function zzlInsert(lp: Listpack, member: string, score: number): void {
  let lo = 0;
  let hi = lp.length / 2;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const s = lpScore(lp, mid * 2);
    if (s > score || (s === score && lp.get(mid * 2) > member)) hi = mid;
    else lo = mid + 1;
  }
  zzlInsertAt(lp, lo * 2, member, score);
}

function zzlInsertAt(lp: Listpack, index: number, member: string, score: number): void {
  if (index >= lp.length) {
    lp.push(member);
    lp.push(listpackScoreText(score));
  } else {
    lp.insert(index, member, listpackScoreText(score));
  }
}

/** lpSafeToAdd: whether adding `add` bytes keeps the listpack under its safety size. */
function lpSafeToAdd(lp: Listpack | null, add: number): boolean {
  return (lp ? lp.bytes : 0) + add <= LISTPACK_MAX_SAFETY_SIZE;
}

/** A score or lex range (see RangeSpec) that also tests listpack entries, by the member's index. */
interface ZsetRange extends RangeSpec {
  entryGteMin(lp: Listpack, i: number): boolean;
  entryLteMax(lp: Listpack, i: number): boolean;
}

function zsetScoreRange(range: ScoreRange): ZsetRange {
  return {
    ...scoreRangeSpec(range),
    entryGteMin: (lp, i) => scoreGteMin(lpScore(lp, i), range),
    entryLteMax: (lp, i) => scoreLteMax(lpScore(lp, i), range),
  };
}

function zsetLexRange(range: LexRange): ZsetRange {
  return {
    ...lexRangeSpec(range),
    entryGteMin: (lp, i) => lexGteMin(lp.get(i), range),
    entryLteMax: (lp, i) => lexLteMax(lp.get(i), range),
  };
}

/** zzlIsInRange / zzlIsInLexRange: whether some member could be inside, judged from the ends. */
function zzlIsInRange(lp: Listpack, range: ZsetRange): boolean {
  if (range.empty || lp.length === 0) return false;
  return range.entryGteMin(lp, lp.length - 2) && range.entryLteMax(lp, 0);
}

/** zzlFirstInRange / zzlFirstInLexRange: index of the first member in range, or -1. */
function zzlFirstInRange(lp: Listpack, range: ZsetRange): number {
  if (!zzlIsInRange(lp, range)) return -1;
  for (let i = 0; i < lp.length; i += 2) {
    if (range.entryGteMin(lp, i)) return range.entryLteMax(lp, i) ? i : -1;
  }
  return -1;
}

function zzlLastInRange(lp: Listpack, range: ZsetRange): number {
  if (!zzlIsInRange(lp, range)) return -1;
  for (let i = lp.length - 2; i >= 0; i -= 2) {
    if (range.entryLteMax(lp, i)) return range.entryGteMin(lp, i) ? i : -1;
  }
  return -1;
}

// --- the common zset API ------------------------------------------------------------------------

export function zsetLength(o: RedisObject): number {
  return o.encoding === 'listpack' ? (o.value as Listpack).length / 2 : (o.value as ZsetSkiplist).length;
}

/**
 * zsetConvert: listpack <-> skiplist, keeping the order. `reason` and `member` (what passed a
 * limit) only feed the trace (trace/conversions.ts).
 */
export function zsetConvert(
  server: RedisServer, o: RedisObject, encoding: 'listpack' | 'skiplist', reason: ConversionReason = 'load', member?: string,
): void {
  if (o.encoding === encoding) return;
  if (server.trace) noteConversion(server, o, 'zsetConvert', encoding, reason, member);
  if (o.encoding === 'listpack') {
    const lp = o.value as Listpack;
    const zs = newZsetSkiplist(server);
    for (let i = 0; i < lp.length; i += 2) zs.insert(lpScore(lp, i), lp.get(i));
    o.encoding = 'skiplist';
    o.value = zs;
    if (server.trace) retraceZset(o);
  } else {
    const zs = o.value as ZsetSkiplist;
    const lp = new Listpack();
    for (const n of zs.zsl.nodes()) zzlInsertAt(lp, lp.length, n.member, n.score);
    o.encoding = 'listpack';
    o.value = lp;
  }
}

/**
 * zsetConvertToListpackIfNeeded: a skiplist destination built by a *STORE command goes back to a
 * listpack when it is small enough (members, longest member, total member bytes).
 */
export function zsetConvertToListpackIfNeeded(server: RedisServer, o: RedisObject, maxLength: number, totalLength: number): void {
  if (o.encoding === 'listpack') return;
  if ((o.value as ZsetSkiplist).length <= server.config.num('zset-max-listpack-entries') &&
      maxLength <= server.config.num('zset-max-listpack-value') &&
      lpSafeToAdd(null, totalLength)) {
    zsetConvert(server, o, 'listpack', 'small');
  }
}

/** zsetScore: the member's score, or null. */
export function zsetScore(o: RedisObject, member: string): number | null {
  if (o.encoding === 'listpack') {
    const lp = o.value as Listpack;
    const i = zzlFind(lp, member);
    return i < 0 ? null : lpScore(lp, i);
  }
  return (o.value as ZsetSkiplist).dict.get(member) ?? null;
}

/** Every (member, score) in order, lowest first. */
export function* zsetEntries(o: RedisObject): Generator<[string, number]> {
  if (o.encoding === 'listpack') {
    const lp = o.value as Listpack;
    for (let i = 0; i < lp.length; i += 2) yield [lp.get(i), lpScore(lp, i)];
  } else {
    for (const n of (o.value as ZsetSkiplist).zsl.nodes()) yield [n.member, n.score];
  }
}

export const ZADD_IN_INCR = 1;
export const ZADD_IN_NX = 2;
export const ZADD_IN_XX = 4;
export const ZADD_IN_GT = 8;
export const ZADD_IN_LT = 16;

export interface ZaddResult {
  /** False when the score (or the incremented score) is NaN. */
  ok: boolean;
  added: boolean;
  updated: boolean;
  /** Nothing done because of NX, XX, GT or LT. */
  nop: boolean;
  /** The member's score after the call (when something was done). */
  score: number;
}

/**
 * For a member that exists with score `current`: applies INCR, then GT/LT. Sets result.score and
 * returns true when the update goes ahead; otherwise marks result (NaN or nop) and returns false.
 */
function updateExistingScore(result: ZaddResult, current: number, score: number, incr: boolean, gt: boolean, lt: boolean): boolean {
  if (incr) {
    score += current;
    if (Number.isNaN(score)) { result.ok = false; return false; }
  }
  if ((lt && score >= current) || (gt && score <= current)) { result.nop = true; return false; }
  result.score = score;
  return true;
}

/** zsetAdd: add or update one member, converting a listpack to a skiplist when it outgrows it. */
export function zsetAdd(server: RedisServer, o: RedisObject, score: number, member: string, flags: number): ZaddResult {
  const incr = (flags & ZADD_IN_INCR) !== 0;
  const nx = (flags & ZADD_IN_NX) !== 0;
  const xx = (flags & ZADD_IN_XX) !== 0;
  const gt = (flags & ZADD_IN_GT) !== 0;
  const lt = (flags & ZADD_IN_LT) !== 0;
  const result: ZaddResult = { ok: true, added: false, updated: false, nop: false, score };
  if (Number.isNaN(score)) { result.ok = false; return result; }

  if (o.encoding === 'listpack') {
    const lp = o.value as Listpack;
    const i = zzlFind(lp, member);
    if (i >= 0) {
      if (nx) { result.nop = true; return result; }
      const current = lpScore(lp, i);
      if (!updateExistingScore(result, current, score, incr, gt, lt)) return result;
      score = result.score;
      if (score !== current) {
        lp.delete(i, 2);
        zzlInsert(lp, member, score);
        result.updated = true;
      }
      return result;
    }
    if (xx) { result.nop = true; return result; }
    // Check before inserting whether the new member would make the listpack too big.
    const maxEntries = server.config.num('zset-max-listpack-entries');
    const maxValue = server.config.num('zset-max-listpack-value');
    if (lp.length / 2 + 1 > maxEntries || member.length > maxValue || !lpSafeToAdd(lp, member.length)) {
      zsetConvert(server, o, 'skiplist', server.trace ? zsetGrowthReason(server, lp, member) : 'load', member);
    } else {
      zzlInsert(lp, member, score);
      result.added = true;
      return result;
    }
  }

  const zs = o.value as ZsetSkiplist;
  const e = zs.dict.findEntry(member);
  if (e !== null) {
    if (nx) { result.nop = true; return result; }
    const current = e.value;
    if (!updateExistingScore(result, current, score, incr, gt, lt)) return result;
    score = result.score;
    if (score !== current) {
      zs.zsl.updateScore(current, member, score);
      e.value = score;
      result.updated = true;
    }
    return result;
  }
  if (xx) { result.nop = true; return result; }
  zs.insert(score, member);
  result.added = true;
  return result;
}

/** zsetDel: removes a member; a skiplist's dict is shrunk when it becomes sparse. */
export function zsetDel(o: RedisObject, member: string): boolean {
  if (o.encoding === 'listpack') {
    const lp = o.value as Listpack;
    const i = zzlFind(lp, member);
    if (i < 0) return false;
    lp.delete(i, 2);
    return true;
  }
  const zs = o.value as ZsetSkiplist;
  if (!zs.remove(member)) return false;
  zs.shrinkIfNeeded();
  return true;
}

/** zsetRank: 0-based rank (from the top when reverse), or -1. */
export function zsetRank(o: RedisObject, member: string, reverse: boolean): number {
  const length = zsetLength(o);
  if (o.encoding === 'listpack') {
    const lp = o.value as Listpack;
    const i = zzlFind(lp, member);
    if (i < 0) return -1;
    const rank = i / 2 + 1;
    return reverse ? length - rank : rank - 1;
  }
  const zs = o.value as ZsetSkiplist;
  const score = zs.dict.get(member);
  if (score === undefined) return -1;
  const rank = zs.zsl.getRank(score, member);
  return reverse ? length - rank : rank - 1;
}

// --- range parsing ------------------------------------------------------------------------------

const DECIMAL_FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const HEX_FLOAT = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/;
const INF_NAN = /^([+-]?)(inf(?:inity)?|nan(?:\([0-9a-zA-Z_]*\))?)$/i;

/**
 * strtod that must consume its whole (C) string, as zslParseRange uses it: leading white space is
 * skipped, overflow gives an infinity and underflow zero (no ERANGE check), an empty string is 0.
 * Returns null for trailing garbage and NaN.
 */
export function strtodWhole(s: string): number | null {
  // C strings end at the first NUL byte.
  const nul = s.indexOf('\0');
  if (nul >= 0) s = s.slice(0, nul);
  if (s === '') return 0; // no conversion: eptr stays at the (empty) start
  const body = s.replace(/^[ \t\n\v\f\r]+/, '');
  if (DECIMAL_FLOAT.test(body)) return Number(body.endsWith('.') ? body.slice(0, -1) : body);
  const special = INF_NAN.exec(body);
  if (special) {
    if (special[2][0] === 'n' || special[2][0] === 'N') return null;
    return special[1] === '-' ? -Infinity : Infinity;
  }
  const hex = HEX_FLOAT.exec(body);
  if (hex && (hex[2] !== '' || (hex[3] ?? '') !== '')) {
    const frac = hex[3] ?? '';
    const mantissa = Number(BigInt('0x' + (hex[2] + frac || '0')));
    let exp = Number(hex[4] ?? 0) - 4 * frac.length;
    let v = mantissa;
    // Scale in steps so intermediate powers of two stay representable.
    while (exp > 0 && Number.isFinite(v) && v !== 0) { const k = Math.min(exp, 1000); v *= 2 ** k; exp -= k; }
    while (exp < 0 && v !== 0) { const k = Math.min(-exp, 1000); v /= 2 ** k; exp += k; }
    return hex[1] === '-' ? -v : v;
  }
  return null;
}

/** zslParseRange: "1.5", "(1.5", "-inf", "+inf"... */
function parseScoreRange(min: string, max: string): ScoreRange | null {
  const range: ScoreRange = { min: 0, max: 0, minex: false, maxex: false };
  const lo = parseScoreBound(min);
  const hi = parseScoreBound(max);
  if (lo === null || hi === null) return null;
  [range.min, range.minex] = lo;
  [range.max, range.maxex] = hi;
  return range;
}

function parseScoreBound(s: string): [number, boolean] | null {
  const exclusive = s.charCodeAt(0) === 40; // '('
  const v = strtodWhole(exclusive ? s.slice(1) : s);
  return v === null ? null : [v, exclusive];
}

/** zslParseLexRangeItem: "[a", "(a", "-", "+". */
function parseLexBound(s: string): [LexBound, boolean] | null {
  // Redis looks at the C string: "+" must be followed by the terminator (or an embedded NUL).
  const alone = s.length === 1 || s.charCodeAt(1) === 0;
  switch (s[0]) {
    case '+': return alone ? [LEX_MAX, true] : null;
    case '-': return alone ? [LEX_MIN, true] : null;
    case '(': return [s.slice(1), true];
    case '[': return [s.slice(1), false];
    default: return null;
  }
}

function parseLexRange(min: string, max: string): LexRange | null {
  const lo = parseLexBound(min);
  const hi = parseLexBound(max);
  if (lo === null || hi === null) return null;
  return { min: lo[0], minex: lo[1], max: hi[0], maxex: hi[1] };
}

const NOT_FLOAT_RANGE = 'min or max is not a float';
const NOT_LEX_RANGE = 'min or max not valid string range item';

// --- walking ranges -----------------------------------------------------------------------------

type Visit = (member: string, score: number) => void;

/** Members of 0-based ranks start..end (already clamped), from the top when reverse. */
function visitRankRange(o: RedisObject, start: number, end: number, reverse: boolean, visit: Visit): void {
  let count = end - start + 1;
  if (o.encoding === 'listpack') {
    const lp = o.value as Listpack;
    const n = lp.length;
    let i = reverse ? n - 2 - 2 * start : 2 * start;
    while (count-- > 0) {
      visit(lp.get(i), lpScore(lp, i));
      i += reverse ? -2 : 2;
    }
    return;
  }
  const zsl = (o.value as ZsetSkiplist).zsl;
  const length = zsl.length;
  let node: SkiplistNode | null;
  // The ends are reached directly; anything else through the spans.
  if (reverse) node = start > 0 ? zsl.getElementByRank(length - start) : zsl.tail;
  else node = start > 0 ? zsl.getElementByRank(start + 1) : zsl.first;
  while (count-- > 0 && node) {
    visit(node.member, node.score);
    node = reverse ? node.backward : node.forward[0];
  }
}

/**
 * The walk of genericZrangebyscoreCommand and genericZrangebylexCommand: from the first (or last)
 * member in range, skip `offset`, then emit up to `limit` (negative: no limit) while still in
 * range. A negative offset walks off the end, as in Redis, and yields nothing.
 */
function visitRange(o: RedisObject, range: ZsetRange, offset: number, limit: number, reverse: boolean, visit: Visit): number {
  let emitted = 0;
  if (offset < 0) return 0;
  if (o.encoding === 'listpack') {
    const lp = o.value as Listpack;
    let i = reverse ? zzlLastInRange(lp, range) : zzlFirstInRange(lp, range);
    if (i < 0) return 0;
    i += (reverse ? -2 : 2) * offset;
    while (i >= 0 && i < lp.length && limit-- !== 0) {
      if (reverse ? !range.entryGteMin(lp, i) : !range.entryLteMax(lp, i)) break;
      visit(lp.get(i), lpScore(lp, i));
      emitted++;
      i += reverse ? -2 : 2;
    }
    return emitted;
  }
  const zsl = (o.value as ZsetSkiplist).zsl;
  let node = reverse ? zsl.lastInRange(range) : zsl.firstInRange(range);
  while (node && offset-- > 0) node = reverse ? node.backward : node.forward[0];
  while (node && limit-- !== 0) {
    if (reverse ? !range.gteMin(node) : !range.lteMax(node)) break;
    visit(node.member, node.score);
    emitted++;
    node = reverse ? node.backward : node.forward[0];
  }
  return emitted;
}

/** Parses a score or lex range, replying that kind's error when it is malformed. */
function parseRangeOrReply(c: Client, type: 'score' | 'lex', min: string, max: string): ZsetRange | null {
  if (type === 'score') {
    const range = parseScoreRange(min, max);
    if (range) return zsetScoreRange(range);
    c.reply.error(NOT_FLOAT_RANGE);
  } else {
    const range = parseLexRange(min, max);
    if (range) return zsetLexRange(range);
    c.reply.error(NOT_LEX_RANGE);
  }
  return null;
}

// --- replies and small helpers ------------------------------------------------------------------

function replyZero(c: Client): void { c.reply.integer(0); }
function replyNull(c: Client): void { c.reply.null(); }
function replyEmptyArray(c: Client): void { c.reply.emptyArray(); }
function replyEmptyScan(c: Client): void { c.reply.raw('*2\r\n$1\r\n0\r\n*0\r\n'); }

/** One member (and score): a [member, score] array in RESP3 when scores are included. */
function replyMember(c: Client, member: string, score: number | null): void {
  if (score !== null && c.protocol === 3) c.reply.array(2);
  c.reply.bulk(member);
  if (score !== null) c.reply.double(score);
}

/** The array header for `count` members, doubled for flat RESP2 member/score pairs. */
function replyMembersHeader(c: Client, count: number | bigint, withScores: boolean): void {
  const pairs = withScores && c.protocol === 2;
  // Only ZRANDMEMBER's repeated picks can ask for more than 2^53 (a bigint); member counts are
  // numbers, and staying off bigint keeps ZRANGE's header cheap.
  if (typeof count === 'number') c.reply.array(pairs ? count * 2 : count);
  else c.reply.raw('*' + (pairs ? count * 2n : count) + '\r\n');
}

function commandName(c: Client): string {
  return c.cmd?.fullName ?? c.argv[0].toLowerCase();
}

/**
 * While someone listens (server.trace), the key's skiplist reports what the command does to it
 * (trace/skiplistTrace.ts) until the tracer is detached; otherwise null and nothing happens.
 */
function traceKey(c: Client, key: string, o: RedisObject): ZsetTracer | null {
  return c.server.trace ? traceZset(c.server, c.db.id, key, o) : null;
}

// --- ZADD / ZINCRBY -----------------------------------------------------------------------------

function zaddGeneric(c: Client, flags: number): void {
  const argv = c.argv;
  const key = argv[1];
  let ch = false;
  let scoreIdx = 2;
  for (; scoreIdx < argv.length; scoreIdx++) {
    const opt = argv[scoreIdx];
    if (isOption(opt, 'nx')) flags |= ZADD_IN_NX;
    else if (isOption(opt, 'xx')) flags |= ZADD_IN_XX;
    else if (isOption(opt, 'ch')) ch = true;
    else if (isOption(opt, 'incr')) flags |= ZADD_IN_INCR;
    else if (isOption(opt, 'gt')) flags |= ZADD_IN_GT;
    else if (isOption(opt, 'lt')) flags |= ZADD_IN_LT;
    else break;
  }
  const incr = (flags & ZADD_IN_INCR) !== 0;
  const nx = (flags & ZADD_IN_NX) !== 0;
  const xx = (flags & ZADD_IN_XX) !== 0;
  const gt = (flags & ZADD_IN_GT) !== 0;
  const lt = (flags & ZADD_IN_LT) !== 0;

  const rest = argv.length - scoreIdx;
  if (rest % 2 !== 0 || rest === 0) { c.reply.error(SYNTAX_ERR); return; }
  const elements = rest / 2;
  if (nx && xx) { c.reply.error('XX and NX options at the same time are not compatible'); return; }
  if ((gt && nx) || (lt && nx) || (gt && lt)) {
    c.reply.error('GT, LT, and/or NX options at the same time are not compatible');
    return;
  }
  if (incr && elements > 1) { c.reply.error('INCR option supports a single increment-element pair'); return; }

  // Every score is parsed before anything changes: the command runs fully or not at all.
  const scores: number[] = new Array(elements);
  for (let j = 0; j < elements; j++) {
    const s = getDoubleOrReply(c, argv[scoreIdx + j * 2]);
    if (s === null) return;
    scores[j] = s;
  }

  let o = c.db.lookupKeyWrite(key);
  if (Db.checkType(c, o, 'zset')) return;
  let added = 0;
  let updated = 0;
  let processed = 0;
  let score = 0;
  if (o === null) {
    if (xx) { replyZadd(c, incr, ch, processed, score, added, updated); return; }
    // The encoding is chosen from the first member only; zsetAdd converts later if needed.
    if (c.server.config.num('zset-max-listpack-entries') === 0 ||
        c.server.config.num('zset-max-listpack-value') < argv[scoreIdx + 1].length) {
      o = createZsetObject(c.server);
    } else {
      o = createZsetListpackObject();
    }
    c.db.add(key, o);
  }

  let failed = false;
  const tracer = traceKey(c, key, o);
  try {
    for (let j = 0; j < elements; j++) {
      const r = zsetAdd(c.server, o, scores[j], argv[scoreIdx + 1 + j * 2], flags);
      if (!r.ok) {
        c.reply.error('resulting score is not a number (NaN)');
        failed = true;
        break;
      }
      if (r.added) added++;
      if (r.updated) updated++;
      if (!r.nop) processed++;
      score = r.score;
    }
  } finally {
    tracer?.detach();
  }
  if (!failed) {
    c.server.dirty += added + updated;
    replyZadd(c, incr, ch, processed, score, added, updated);
  }
  if (added || updated) {
    c.server.signalModifiedKey(c, c.db, key);
    c.server.notifyKeyspaceEvent(NOTIFY_ZSET, incr ? 'zincr' : 'zadd', key, c.db.id);
  }
}

function replyZadd(c: Client, incr: boolean, ch: boolean, processed: number, score: number, added: number, updated: number): void {
  if (incr) {
    if (processed) c.reply.double(score);
    else c.reply.null();
  } else {
    c.reply.integer(ch ? added + updated : added);
  }
}

function zaddCommand(c: Client): void { zaddGeneric(c, 0); }
function zincrbyCommand(c: Client): void { zaddGeneric(c, ZADD_IN_INCR); }

// --- ZREM / ZREMRANGEBY* ------------------------------------------------------------------------

function zremCommand(c: Client): void {
  const key = c.argv[1];
  const o = c.db.lookupKeyWriteOrReply(c, key, replyZero);
  if (o === null || Db.checkType(c, o, 'zset')) return;
  let deleted = 0;
  let keyRemoved = false;
  const tracer = traceKey(c, key, o);
  try {
    for (let j = 2; j < c.argv.length; j++) {
      if (zsetDel(o, c.argv[j])) deleted++;
      if (zsetLength(o) === 0) {
        c.db.delete(key);
        keyRemoved = true;
        break;
      }
    }
  } finally {
    tracer?.detach();
  }
  if (deleted) {
    c.server.notifyKeyspaceEvent(NOTIFY_ZSET, 'zrem', key, c.db.id);
    if (keyRemoved) c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'del', key, c.db.id);
    c.server.signalModifiedKey(c, c.db, key);
    c.server.dirty += deleted;
  }
  c.reply.integer(deleted);
}

type RangeType = 'rank' | 'score' | 'lex';

function zremrangeGeneric(c: Client, type: RangeType): void {
  const key = c.argv[1];
  let start = 0;
  let end = 0;
  let range: ZsetRange | null = null;
  if (type === 'rank') {
    const s = getLongLongOrReply(c, c.argv[2]);
    if (s === null) return;
    const e = getLongLongOrReply(c, c.argv[3]);
    if (e === null) return;
    start = s;
    end = e;
  } else {
    range = parseRangeOrReply(c, type, c.argv[2], c.argv[3]);
    if (!range) return;
  }

  const o = c.db.lookupKeyWriteOrReply(c, key, replyZero);
  if (o === null || Db.checkType(c, o, 'zset')) return;

  if (type === 'rank') {
    const length = zsetLength(o);
    if (start < 0) start = length + start;
    if (end < 0) end = length + end;
    if (start < 0) start = 0;
    if (start > end || start >= length) { c.reply.integer(0); return; }
    if (end >= length) end = length - 1;
  }

  let deleted = 0;
  let keyRemoved = false;
  if (o.encoding === 'listpack') {
    const lp = o.value as Listpack;
    if (type === 'rank') {
      deleted = end - start + 1;
      lp.delete(2 * start, 2 * deleted);
    } else {
      const first = zzlFirstInRange(lp, range!);
      if (first >= 0) {
        let last = first;
        while (last < lp.length && range!.entryLteMax(lp, last)) last += 2;
        deleted = (last - first) / 2;
        lp.delete(first, last - first);
      }
    }
    if (lp.length === 0) {
      c.db.delete(key);
      keyRemoved = true;
    }
  } else {
    const zs = o.value as ZsetSkiplist;
    const dropFromDict = (n: SkiplistNode) => { zs.dict.delete(n.member); };
    const tracer = traceKey(c, key, o);
    try {
      if (type === 'rank') deleted = zs.zsl.deleteRangeByRank(start + 1, end + 1, dropFromDict);
      else deleted = zs.zsl.deleteInRange(range!, dropFromDict);
    } finally {
      tracer?.detach();
    }
    zs.shrinkIfNeeded();
    if (zs.dict.size === 0) {
      c.db.delete(key);
      keyRemoved = true;
    }
  }

  if (deleted) {
    const event = type === 'rank' ? 'zremrangebyrank' : type === 'score' ? 'zremrangebyscore' : 'zremrangebylex';
    c.server.signalModifiedKey(c, c.db, key);
    c.server.notifyKeyspaceEvent(NOTIFY_ZSET, event, key, c.db.id);
    if (keyRemoved) c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'del', key, c.db.id);
  }
  c.server.dirty += deleted;
  c.reply.integer(deleted);
}

function zremrangebyrankCommand(c: Client): void { zremrangeGeneric(c, 'rank'); }
function zremrangebyscoreCommand(c: Client): void { zremrangeGeneric(c, 'score'); }
function zremrangebylexCommand(c: Client): void { zremrangeGeneric(c, 'lex'); }

// --- ZRANGE and friends -------------------------------------------------------------------------

/** Where a range goes: to the client, or into a new zset for ZRANGESTORE (zrange_result_handler). */
interface RangeSink {
  begin(length: number): void;
  emit: Visit;
  finish(count: number): void;
}

function clientSink(c: Client, withScores: boolean): RangeSink {
  const members: string[] = [];
  const scores: number[] = [];
  return {
    begin() {},
    emit(member, score) { members.push(member); scores.push(score); },
    finish(count) {
      replyMembersHeader(c, count, withScores);
      for (let i = 0; i < members.length; i++) replyMember(c, members[i], withScores ? scores[i] : null);
    },
  };
}

function storeSink(c: Client, dstKey: string): RangeSink {
  let dst: RedisObject | null = null;
  return {
    // A rank range knows its length: more than the listpack limit starts as a skiplist. Score and
    // lex ranges (length -1) start as a listpack and convert while being filled if they must.
    begin(length) {
      dst = length > c.server.config.num('zset-max-listpack-entries')
        ? createZsetObject(c.server) : createZsetListpackObject();
    },
    emit(member, score) { zsetAdd(c.server, dst!, score, member, 0); },
    finish(count) {
      if (count) {
        c.db.setKey(c, dstKey, dst!);
        c.reply.integer(count);
        c.server.notifyKeyspaceEvent(NOTIFY_ZSET, 'zrangestore', dstKey, c.db.id);
        c.server.dirty++;
      } else {
        c.reply.integer(0);
        c.db.deleteAndNotify(c, dstKey);
      }
    },
  };
}

type Direction = 'auto' | 'forward' | 'reverse';

/**
 * zrangeGenericCommand: ZRANGE, ZRANGESTORE and the older Z[REV]RANGE[BYSCORE|BYLEX] forms.
 * `first` is the index of the source key; options follow min and max.
 */
function zrangeGeneric(c: Client, first: number, dstKey: string | null, type: RangeType | 'auto', direction: Direction): void {
  const argv = c.argv;
  const store = dstKey !== null;
  const key = argv[first];
  let minIdx = first + 1;
  let maxIdx = first + 2;
  let withScores = false;
  let offset = 0;
  let limit = -1;

  for (let j = first + 3; j < argv.length; j++) {
    const left = argv.length - j - 1;
    if (!store && isOption(argv[j], 'withscores')) {
      withScores = true;
    } else if (isOption(argv[j], 'limit') && left >= 2) {
      const o = getLongLongOrReply(c, argv[j + 1]);
      if (o === null) return;
      const l = getLongLongOrReply(c, argv[j + 2]);
      if (l === null) return;
      offset = o;
      limit = l;
      j += 2;
    } else if (direction === 'auto' && isOption(argv[j], 'rev')) {
      direction = 'reverse';
    } else if (type === 'auto' && isOption(argv[j], 'bylex')) {
      type = 'lex';
    } else if (type === 'auto' && isOption(argv[j], 'byscore')) {
      type = 'score';
    } else {
      c.reply.error(SYNTAX_ERR);
      return;
    }
  }
  if (direction === 'auto') direction = 'forward';
  if (type === 'auto') type = 'rank';
  const reverse = direction === 'reverse';

  if (limit !== -1 && type === 'rank') {
    c.reply.error('syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX');
    return;
  }
  if (withScores && type === 'lex') {
    c.reply.error('syntax error, WITHSCORES not supported in combination with BYLEX');
    return;
  }
  // Reversed score and lex ranges are written max first.
  if (reverse && type !== 'rank') [minIdx, maxIdx] = [maxIdx, minIdx];

  let start = 0;
  let end = 0;
  let range: ZsetRange | null = null;
  if (type === 'rank') {
    const s = getLongLongOrReply(c, argv[minIdx]);
    if (s === null) return;
    const e = getLongLongOrReply(c, argv[maxIdx]);
    if (e === null) return;
    start = s;
    end = e;
  } else {
    range = parseRangeOrReply(c, type, argv[minIdx], argv[maxIdx]);
    if (!range) return;
  }

  const emitScores = withScores || store;
  const sink = store ? storeSink(c, dstKey) : clientSink(c, emitScores);
  const o = c.db.lookupKeyRead(key);
  if (o === null) {
    if (store) { sink.begin(-1); sink.finish(0); } else c.reply.emptyArray();
    return;
  }
  if (Db.checkType(c, o, 'zset')) return;

  if (type === 'rank') {
    const length = zsetLength(o);
    if (start < 0) start = length + start;
    if (end < 0) end = length + end;
    if (start < 0) start = 0;
    if (start > end || start >= length) { sink.begin(0); sink.finish(0); return; }
    if (end >= length) end = length - 1;
    const count = end - start + 1;
    c.server.chargeWork(count);
    sink.begin(count);
    const tracer = traceKey(c, key, o);
    try {
      visitRankRange(o, start, end, reverse, sink.emit);
    } finally {
      tracer?.detach();
    }
    sink.finish(count);
  } else {
    sink.begin(-1);
    // Redis's score walk (not its lex walk) skips the search when the offset is past the end.
    if (type === 'score' && offset > 0 && offset >= zsetLength(o)) { sink.finish(0); return; }
    const tracer = traceKey(c, key, o);
    let visited: number;
    try {
      visited = visitRange(o, range!, offset, limit, reverse, sink.emit);
    } finally {
      tracer?.detach();
    }
    c.server.chargeWork(visited);
    sink.finish(visited);
  }
}

function zrangeCommand(c: Client): void { zrangeGeneric(c, 1, null, 'auto', 'auto'); }
function zrangestoreCommand(c: Client): void { zrangeGeneric(c, 2, c.argv[1], 'auto', 'auto'); }
function zrevrangeCommand(c: Client): void { zrangeGeneric(c, 1, null, 'rank', 'reverse'); }
function zrangebyscoreCommand(c: Client): void { zrangeGeneric(c, 1, null, 'score', 'forward'); }
function zrevrangebyscoreCommand(c: Client): void { zrangeGeneric(c, 1, null, 'score', 'reverse'); }
function zrangebylexCommand(c: Client): void { zrangeGeneric(c, 1, null, 'lex', 'forward'); }
function zrevrangebylexCommand(c: Client): void { zrangeGeneric(c, 1, null, 'lex', 'reverse'); }

// --- counting and lookups -----------------------------------------------------------------------

/** ZCOUNT and ZLEXCOUNT. */
function zcountGeneric(c: Client, type: 'score' | 'lex'): void {
  const range = parseRangeOrReply(c, type, c.argv[2], c.argv[3]);
  if (!range) return;
  const o = c.db.lookupKeyReadOrReply(c, c.argv[1], replyZero);
  if (o === null || Db.checkType(c, o, 'zset')) return;
  let count = 0;
  if (o.encoding === 'listpack') {
    const lp = o.value as Listpack;
    const first = zzlFirstInRange(lp, range);
    if (first >= 0) {
      for (let i = first; i < lp.length && range.entryLteMax(lp, i); i += 2) count++;
    }
  } else {
    // Two rank lookups instead of a walk.
    const zsl = (o.value as ZsetSkiplist).zsl;
    const tracer = traceKey(c, c.argv[1], o);
    try {
      const lo = zsl.firstInRange(range);
      if (lo) {
        count = zsl.length - (zsl.getRank(lo.score, lo.member) - 1);
        const hi = zsl.lastInRange(range);
        if (hi) count -= zsl.length - zsl.getRank(hi.score, hi.member);
      }
    } finally {
      tracer?.detach();
    }
  }
  c.reply.integer(count);
}

function zcountCommand(c: Client): void { zcountGeneric(c, 'score'); }
function zlexcountCommand(c: Client): void { zcountGeneric(c, 'lex'); }

function zcardCommand(c: Client): void {
  const o = c.db.lookupKeyReadOrReply(c, c.argv[1], replyZero);
  if (o === null || Db.checkType(c, o, 'zset')) return;
  c.reply.integer(zsetLength(o));
}

function zscoreCommand(c: Client): void {
  const o = c.db.lookupKeyReadOrReply(c, c.argv[1], replyNull);
  if (o === null || Db.checkType(c, o, 'zset')) return;
  const score = zsetScore(o, c.argv[2]);
  if (score === null) c.reply.null();
  else c.reply.double(score);
}

function zmscoreCommand(c: Client): void {
  // A missing key answers like an empty set.
  const o = c.db.lookupKeyRead(c.argv[1]);
  if (Db.checkType(c, o, 'zset')) return;
  c.reply.array(c.argv.length - 2);
  for (let j = 2; j < c.argv.length; j++) {
    const score = o ? zsetScore(o, c.argv[j]) : null;
    if (score === null) c.reply.null();
    else c.reply.double(score);
  }
}

function zrankGeneric(c: Client, reverse: boolean): void {
  const o = c.db.lookupKeyReadOrReply(c, c.argv[1], replyNull);
  if (o === null || Db.checkType(c, o, 'zset')) return;
  const tracer = traceKey(c, c.argv[1], o);
  let rank: number;
  try {
    rank = zsetRank(o, c.argv[2], reverse);
  } finally {
    tracer?.detach();
  }
  if (rank >= 0) c.reply.integer(rank);
  else c.reply.null();
}

function zrankCommand(c: Client): void { zrankGeneric(c, false); }
function zrevrankCommand(c: Client): void { zrankGeneric(c, true); }

function zscanCommand(c: Client): void {
  const cursor = parseScanCursorOrReply(c, c.argv[2]);
  if (cursor === null) return;
  const o = c.db.lookupKeyReadOrReply(c, c.argv[1], replyEmptyScan);
  if (o === null || Db.checkType(c, o, 'zset')) return;
  if (o.encoding === 'listpack') scanGeneric(c, o, cursor, [...(o.value as Listpack).entries]);
  else scanGeneric(c, o, cursor, { dict: (o.value as ZsetSkiplist).dict as Dict<unknown>, width: 2 });
}

// --- ZPOPMIN / ZPOPMAX / ZMPOP ------------------------------------------------------------------

/**
 * genericZpopCommand. `count` -1 is a plain single pop. `nested` replies [member, score] pairs;
 * `emitKey` prefixes the key (ZMPOP: [key, [[m, s] ...]]); `nilWhenEmpty` answers a missing key
 * with a null array instead of an empty one.
 */
function genericZpop(c: Client, keys: string[], max: boolean, emitKey: boolean, count: number, nested: boolean, nilWhenEmpty: boolean): void {
  let key = '';
  let o: RedisObject | null = null;
  for (const k of keys) {
    key = k;
    o = c.db.lookupKeyWrite(k);
    if (!o) continue;
    if (Db.checkType(c, o, 'zset')) return;
    break;
  }
  if (!o) {
    if (nilWhenEmpty) c.reply.nullArray();
    else c.reply.emptyArray();
    return;
  }
  if (count === 0) { c.reply.emptyArray(); return; }
  if (count === -1) count = 1;

  const length = zsetLength(o);
  let rangeLength = count > length ? length : count;
  if (!nested && !emitKey) {
    c.reply.array(rangeLength * 2);
  } else if (nested && !emitKey) {
    c.reply.array(rangeLength);
  } else if (!nested && emitKey) {
    c.reply.array(rangeLength * 2 + 1);
    c.reply.bulk(key);
  } else {
    c.reply.array(2);
    c.reply.bulk(key);
    c.reply.array(rangeLength);
  }

  let popped = 0;
  const tracer = traceKey(c, key, o);
  try {
    do {
      let member: string;
      let score: number;
      if (o.encoding === 'listpack') {
        const lp = o.value as Listpack;
        const i = max ? lp.length - 2 : 0;
        member = lp.get(i);
        score = lpScore(lp, i);
      } else {
        const zsl = (o.value as ZsetSkiplist).zsl;
        const node = max ? zsl.tail! : zsl.first!;
        member = node.member;
        score = node.score;
      }
      zsetDel(o, member);
      c.server.dirty++;
      if (popped === 0) {
        c.server.notifyKeyspaceEvent(NOTIFY_ZSET, max ? 'zpopmax' : 'zpopmin', key, c.db.id);
        c.server.signalModifiedKey(c, c.db, key);
      }
      if (nested) c.reply.array(2);
      c.reply.bulk(member);
      c.reply.double(score);
      popped++;
    } while (--rangeLength > 0);
  } finally {
    tracer?.detach();
  }

  if (zsetLength(o) === 0) {
    c.db.delete(key);
    c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'del', key, c.db.id);
  }
}

function zpopMinMax(c: Client, max: boolean): void {
  if (c.argv.length > 3) { c.reply.error(SYNTAX_ERR); return; }
  let count = -1;
  if (c.argv.length === 3) {
    const n = getPositiveLongOrReply(c, c.argv[2]);
    if (n === null) return;
    count = n;
  }
  // RESP2, or a plain pop: a flat [member, score]; RESP3 with a count: nested pairs.
  genericZpop(c, [c.argv[1]], max, false, count, c.protocol === 3 && count !== -1, false);
}

function zpopminCommand(c: Client): void { zpopMinMax(c, false); }
function zpopmaxCommand(c: Client): void { zpopMinMax(c, true); }

/** MIN or MAX of ZMPOP/BZMPOP: whether to pop the highest scores. */
function parseMinMaxOrReply(c: Client, arg: string): boolean | null {
  if (isOption(arg, 'min')) return false;
  if (isOption(arg, 'max')) return true;
  c.reply.error(SYNTAX_ERR);
  return null;
}

function zmpopCommand(c: Client): void {
  const args = parseMpopArgsOrReply(c, 1, parseMinMaxOrReply);
  if (!args) return;
  genericZpop(c, args.keys, args.where, true, args.count, true, true);
}

// --- BZPOPMIN / BZPOPMAX / BZMPOP ---------------------------------------------------------------

/**
 * blockingGenericZpopCommand: pops from the first non-empty sorted set among keys, as ZPOPMIN/MAX
 * would with the key first (BZPOP*: [key, member, score]; BZMPOP: [key, [[member, score] ...]]);
 * if none has members, blocks until one gets some.
 */
function blockingGenericZpop(c: Client, keys: readonly string[], max: boolean, timeoutArg: string, count: number, nested: boolean): void {
  const timeout = getTimeoutOrReply(c, timeoutArg, 'seconds');
  if (timeout === null) return;
  for (const key of keys) {
    const o = c.db.lookupKeyWrite(key);
    if (!o) continue;
    if (Db.checkType(c, o, 'zset')) return;
    if (zsetLength(o) === 0) continue;
    genericZpop(c, [key], max, true, count, nested, nested);
    return;
  }
  // Not allowed to block (inside MULTI/EXEC): as if the timeout passed at once.
  if (c.denyBlocking) {
    c.reply.nullArray();
    return;
  }
  c.server.blocking.blockForKeys(c, 'zset', keys, timeout, new ServeZpop(max, count, nested));
}

/** Finishes a BZPOPMIN/BZPOPMAX/BZMPOP for a client served from `key`. */
class ServeZpop implements ServeBlocked {
  constructor(readonly max: boolean, readonly count: number, readonly nested: boolean) {}

  serve(r: Client, key: string, o: RedisObject): boolean {
    genericZpop(r, [key], this.max, true, this.count, this.nested, this.nested);
    return zsetLength(o) === 0;
  }
}

/** BZPOPMIN key [key ...] timeout */
function bzpopminCommand(c: Client): void {
  blockingGenericZpop(c, c.argv.slice(1, -1), false, c.argv[c.argv.length - 1], -1, false);
}

/** BZPOPMAX key [key ...] timeout */
function bzpopmaxCommand(c: Client): void {
  blockingGenericZpop(c, c.argv.slice(1, -1), true, c.argv[c.argv.length - 1], -1, false);
}

/** BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]: the timeout is checked last. */
function bzmpopCommand(c: Client): void {
  const args = parseMpopArgsOrReply(c, 2, parseMinMaxOrReply);
  if (!args) return;
  blockingGenericZpop(c, args.keys, args.where, c.argv[1], args.count, true);
}

// --- ZRANDMEMBER --------------------------------------------------------------------------------

/** A uniformly chosen (member, score): lpRandomPair, or dictGetFairRandomKey. */
function zsetRandomElement(server: RedisServer, o: RedisObject): [string, number] {
  if (o.encoding === 'listpack') {
    const lp = o.value as Listpack;
    const i = server.random.below(lp.length / 2) * 2;
    return [lp.get(i), lpScore(lp, i)];
  }
  const e = (o.value as ZsetSkiplist).dict.fairRandomEntry(server.random)!;
  return [e.key, e.value];
}

function zrandmemberWithCount(c: Client, l: bigint, withScores: boolean): void {
  const o = c.db.lookupKeyReadOrReply(c, c.argv[1], replyEmptyArray);
  if (o === null || Db.checkType(c, o, 'zset')) return;
  const size = zsetLength(o);
  const uniq = l >= 0n;
  const bigCount = uniq ? l : -l;
  if (bigCount === 0n) { c.reply.emptyArray(); return; }
  const scoreOf = (s: number) => (withScores ? s : null);

  // CASE 1: repeats allowed (or a single pick): independent draws, in draw order.
  if (!uniq || bigCount === 1n) {
    replyMembersHeader(c, bigCount, withScores);
    let count = Number(bigCount);
    // A member drawn again is answered with the same bytes: encode each one once.
    const encoded = new Map<string, string>();
    const replyPick = (member: string, score: number) => {
      let bytes = encoded.get(member);
      if (bytes === undefined) {
        const saved = c.reply.out;
        c.reply.out = '';
        replyMember(c, member, scoreOf(score));
        bytes = c.reply.out;
        c.reply.out = saved;
        encoded.set(member, bytes);
      }
      c.reply.raw(bytes);
    };
    if (o.encoding === 'skiplist') {
      const d = (o.value as ZsetSkiplist).dict;
      while (count-- > 0) {
        const e = d.fairRandomEntry(c.server.random)!;
        replyPick(e.key, e.value);
        if (replyRunaway(c)) break;
      }
    } else {
      // lpRandomPairs, in batches: indexes are drawn first, the reply keeps the draw order.
      const lp = o.value as Listpack;
      const pairs = lp.length / 2;
      while (count > 0) {
        const batch = Math.min(count, ZRANDMEMBER_RANDOM_SAMPLE_LIMIT);
        count -= batch;
        for (let k = 0; k < batch; k++) {
          const i = c.server.random.below(pairs) * 2;
          replyPick(lp.get(i), lpScore(lp, i));
        }
        if (replyRunaway(c)) break;
      }
    }
    return;
  }

  const count = Number(bigCount);
  replyMembersHeader(c, count < size ? count : size, withScores);

  // CASE 2: at least the whole set: all of it, walked from the highest score down (zuiNext order).
  if (count >= size) {
    if (o.encoding === 'listpack') {
      const lp = o.value as Listpack;
      for (let i = lp.length - 2; i >= 0; i -= 2) replyMember(c, lp.get(i), scoreOf(lpScore(lp, i)));
    } else {
      for (let n = (o.value as ZsetSkiplist).zsl.tail; n; n = n.backward) replyMember(c, n.member, scoreOf(n.score));
    }
    return;
  }

  // CASE 3: close to the whole set: a copy (filled from the highest score down) with random
  // members removed, in the copy's order.
  if (count * ZRANDMEMBER_SUB_STRATEGY_MUL > size) {
    const picked = keepRandomEntries<number>(c.server, size, count, (into) => {
      if (o.encoding === 'listpack') {
        const lp = o.value as Listpack;
        for (let i = lp.length - 2; i >= 0; i -= 2) into.add(lp.get(i), lpScore(lp, i));
      } else {
        for (let n = (o.value as ZsetSkiplist).zsl.tail; n; n = n.backward) into.add(n.member, n.score);
      }
    });
    for (const e of picked.entries()) replyMember(c, e.key, scoreOf(e.value));
    return;
  }

  // CASE 4: much smaller than the set: distinct picks, replied as they come.
  if (o.encoding === 'listpack') {
    const lp = o.value as Listpack;
    pickDistinctListpackPairs(c.server, lp, count, (i) => replyMember(c, lp.get(i), scoreOf(lpScore(lp, i))));
  } else {
    pickDistinctDictEntries(c.server, (o.value as ZsetSkiplist).dict, count, (m, s) => replyMember(c, m, scoreOf(s)));
  }
}

function zrandmemberCommand(c: Client): void {
  if (c.argv.length >= 3) {
    const args = parseRandomPairsArgsOrReply(c, 'withscores');
    if (args) zrandmemberWithCount(c, args.count, args.withPairs);
    return;
  }
  const o = c.db.lookupKeyReadOrReply(c, c.argv[1], replyNull);
  if (o === null || Db.checkType(c, o, 'zset')) return;
  c.reply.bulk(zsetRandomElement(c.server, o)[0]);
}

// --- ZUNION / ZINTER / ZDIFF (and *STORE, ZINTERCARD) -------------------------------------------

type SetOp = 'union' | 'inter' | 'diff';
type Aggregate = 'sum' | 'min' | 'max';

/** One input of a set operation (zsetopsrc): a zset, a plain set (every score 1), or nothing. */
interface OpSource {
  subject: RedisObject | null;
  weight: number;
}

function sourceLength(src: OpSource): number {
  const o = src.subject;
  if (!o) return 0;
  return o.type === 'set' ? setTypeSize(o) : zsetLength(o);
}

/** zuiNext's order: a zset from its highest element down, a set in its encoding's order. */
function* sourceElements(src: OpSource): Generator<[string, number]> {
  const o = src.subject;
  if (!o) return;
  if (o.type === 'set') {
    for (const m of setTypeMembers(o)) yield [m, 1];
  } else if (o.encoding === 'listpack') {
    const lp = o.value as Listpack;
    for (let i = lp.length - 2; i >= 0; i -= 2) yield [lp.get(i), lpScore(lp, i)];
  } else {
    for (let n = (o.value as ZsetSkiplist).zsl.tail; n; n = n.backward) yield [n.member, n.score];
  }
}

/** zuiFind: the member's score in the source (1 for a set member), or null. */
function sourceFind(src: OpSource, member: string): number | null {
  const o = src.subject;
  if (!o) return null;
  if (o.type === 'set') return setTypeIsMember(o, member) ? 1 : null;
  return zsetScore(o, member);
}

function aggregate(target: number, value: number, how: Aggregate): number {
  if (how === 'sum') {
    const sum = target + value;
    // inf + -inf is NaN: Redis counts it as 0.
    return Number.isNaN(sum) ? 0 : sum;
  }
  if (how === 'min') return value < target ? value : target;
  return value > target ? value : target;
}

/** zsetChooseDiffAlgorithm: 0 when the first key repeats (empty result), else 1 or 2. */
function chooseDiffAlgorithm(src: OpSource[]): 0 | 1 | 2 {
  let algoOne = 0;
  let algoTwo = 0;
  for (let j = 0; j < src.length; j++) {
    if (j > 0 && src[0].subject === src[j].subject) return 0;
    algoOne += sourceLength(src[0]);
    algoTwo += sourceLength(src[j]);
  }
  algoOne = Math.floor(algoOne / 2);
  return algoOne <= algoTwo ? 1 : 2;
}

function zdiff(src: OpSource[], dst: ZsetSkiplist): void {
  if (sourceLength(src[0]) === 0) return;
  const algorithm = chooseDiffAlgorithm(src);
  if (algorithm === 1) {
    // Look every member of the first set up in the others (largest first: likelier to hit early).
    const others = src.slice(1).sort((a, b) => sourceLength(b) - sourceLength(a));
    for (const [member, score] of sourceElements(src[0])) {
      let exists = false;
      for (const other of others) {
        if (other.subject === src[0].subject || sourceFind(other, member) !== null) { exists = true; break; }
      }
      if (!exists) dst.insert(score, member);
    }
  } else if (algorithm === 2) {
    // Copy the first set, then remove every member of the others.
    let cardinality = 0;
    for (let j = 0; j < src.length; j++) {
      if (sourceLength(src[j]) === 0) continue;
      for (const [member, score] of sourceElements(src[j])) {
        if (j === 0) {
          dst.insert(score, member);
          cardinality++;
        } else if (dst.remove(member)) {
          cardinality--;
        }
        if (cardinality === 0) break;
      }
      if (cardinality === 0) break;
    }
    dst.shrinkIfNeeded();
  }
}

/**
 * zunionInterDiffGenericCommand. `dstKey` for the *STORE forms; `numkeysIndex` is where numkeys
 * is; `cardinalityOnly` for ZINTERCARD.
 */
function zunionInterDiffGeneric(c: Client, dstKey: string | null, numkeysIndex: number, op: SetOp, cardinalityOnly: boolean): void {
  const argv = c.argv;
  const setnum = getLongLongOrReply(c, argv[numkeysIndex]);
  if (setnum === null) return;
  if (setnum < 1) {
    c.reply.error(`at least 1 input key is needed for '${commandName(c)}' command`);
    return;
  }
  if (setnum > argv.length - (numkeysIndex + 1)) { c.reply.error(SYNTAX_ERR); return; }

  const src: OpSource[] = [];
  let j = numkeysIndex + 1;
  for (let i = 0; i < setnum; i++, j++) {
    const o = c.db.lookupKeyRead(argv[j]);
    if (o !== null && o.type !== 'zset' && o.type !== 'set') { c.reply.error(WRONGTYPE); return; }
    src.push({ subject: o, weight: 1 });
  }

  let how: Aggregate = 'sum';
  let withScores = false;
  let limit = 0;
  let remaining = argv.length - j;
  while (remaining > 0) {
    if (op !== 'diff' && !cardinalityOnly && remaining >= setnum + 1 && isOption(argv[j], 'weights')) {
      j++; remaining--;
      for (let i = 0; i < setnum; i++, j++, remaining--) {
        const w = getDoubleOrReply(c, argv[j], 'weight value is not a float');
        if (w === null) return;
        src[i].weight = w;
      }
    } else if (op !== 'diff' && !cardinalityOnly && remaining >= 2 && isOption(argv[j], 'aggregate')) {
      j++; remaining--;
      if (isOption(argv[j], 'sum')) how = 'sum';
      else if (isOption(argv[j], 'min')) how = 'min';
      else if (isOption(argv[j], 'max')) how = 'max';
      else { c.reply.error(SYNTAX_ERR); return; }
      j++; remaining--;
    } else if (remaining >= 1 && dstKey === null && !cardinalityOnly && isOption(argv[j], 'withscores')) {
      j++; remaining--;
      withScores = true;
    } else if (cardinalityOnly && remaining >= 2 && isOption(argv[j], 'limit')) {
      j++; remaining--;
      const l = getPositiveLongOrReply(c, argv[j], "LIMIT can't be negative");
      if (l === null) return;
      limit = l;
      j++; remaining--;
    } else {
      c.reply.error(SYNTAX_ERR);
      return;
    }
  }

  // Smallest input first (a stable sort, as glibc's qsort is here).
  if (op !== 'diff') src.sort((a, b) => sourceLength(a) - sourceLength(b));

  const dst = newZsetSkiplist(c.server);
  let maxLength = 0;
  let totalLength = 0;
  let cardinality = 0;
  const track = (member: string) => {
    totalLength += member.length;
    if (member.length > maxLength) maxLength = member.length;
  };

  if (op === 'inter') {
    if (sourceLength(src[0]) > 0) {
      for (const [member, elementScore] of sourceElements(src[0])) {
        let score = src[0].weight * elementScore;
        if (Number.isNaN(score)) score = 0;
        let k = 1;
        for (; k < src.length; k++) {
          if (src[k].subject === src[0].subject) {
            score = aggregate(score, elementScore * src[k].weight, how);
          } else {
            const found = sourceFind(src[k], member);
            if (found === null) break;
            score = aggregate(score, found * src[k].weight, how);
          }
        }
        if (k === src.length && cardinalityOnly) {
          cardinality++;
          if (limit && cardinality >= limit) break;
        } else if (k === src.length) {
          dst.insert(score, member);
          track(member);
        }
      }
    }
  } else if (op === 'union') {
    const accumulator = new Dict<number>(c.server.hashSeed);
    if (setnum) accumulator.expand(sourceLength(src[src.length - 1]));
    for (const s of src) {
      if (sourceLength(s) === 0) continue;
      for (const [member, elementScore] of sourceElements(s)) {
        let score = s.weight * elementScore;
        if (Number.isNaN(score)) score = 0;
        const existing = accumulator.findEntry(member);
        if (existing === null) {
          accumulator.add(member, score);
          track(member);
        } else {
          existing.value = aggregate(existing.value, score, how);
        }
      }
    }
    dst.dict.expand(accumulator.size);
    for (const e of accumulator.entries()) dst.insert(e.value, e.key);
  } else {
    zdiff(src, dst);
    if (dst.length > 0) {
      // The diff computes the longest member at the end (algorithm 2 cannot track it on the way).
      for (const n of dst.zsl.nodes()) track(n.member);
    }
  }

  if (dstKey !== null) {
    if (dst.length) {
      const dstObj = createObject<ZsetValue>('zset', 'skiplist', dst);
      zsetConvertToListpackIfNeeded(c.server, dstObj, maxLength, totalLength);
      c.db.setKey(c, dstKey, dstObj);
      c.reply.integer(zsetLength(dstObj));
      c.server.notifyKeyspaceEvent(NOTIFY_ZSET, op === 'union' ? 'zunionstore' : op === 'inter' ? 'zinterstore' : 'zdiffstore', dstKey, c.db.id);
      c.server.dirty++;
    } else {
      c.reply.integer(0);
      c.db.deleteAndNotify(c, dstKey);
    }
  } else if (cardinalityOnly) {
    c.reply.integer(cardinality);
  } else {
    replyMembersHeader(c, dst.length, withScores);
    for (const n of dst.zsl.nodes()) replyMember(c, n.member, withScores ? n.score : null);
  }
}

function zunionstoreCommand(c: Client): void { zunionInterDiffGeneric(c, c.argv[1], 2, 'union', false); }
function zinterstoreCommand(c: Client): void { zunionInterDiffGeneric(c, c.argv[1], 2, 'inter', false); }
function zdiffstoreCommand(c: Client): void { zunionInterDiffGeneric(c, c.argv[1], 2, 'diff', false); }
function zunionCommand(c: Client): void { zunionInterDiffGeneric(c, null, 1, 'union', false); }
function zinterCommand(c: Client): void { zunionInterDiffGeneric(c, null, 1, 'inter', false); }
function zintercardCommand(c: Client): void { zunionInterDiffGeneric(c, null, 1, 'inter', true); }
function zdiffCommand(c: Client): void { zunionInterDiffGeneric(c, null, 1, 'diff', false); }

export const zsetCommands: CommandImplementations = {
  zadd: zaddCommand,
  zincrby: zincrbyCommand,
  zrem: zremCommand,
  zremrangebyrank: zremrangebyrankCommand,
  zremrangebyscore: zremrangebyscoreCommand,
  zremrangebylex: zremrangebylexCommand,
  zcard: zcardCommand,
  zcount: zcountCommand,
  zlexcount: zlexcountCommand,
  zscore: zscoreCommand,
  zmscore: zmscoreCommand,
  zrank: zrankCommand,
  zrevrank: zrevrankCommand,
  zrange: zrangeCommand,
  zrangestore: zrangestoreCommand,
  zrevrange: zrevrangeCommand,
  zrangebyscore: zrangebyscoreCommand,
  zrevrangebyscore: zrevrangebyscoreCommand,
  zrangebylex: zrangebylexCommand,
  zrevrangebylex: zrevrangebylexCommand,
  zpopmin: zpopminCommand,
  zpopmax: zpopmaxCommand,
  zmpop: zmpopCommand,
  bzpopmin: bzpopminCommand,
  bzpopmax: bzpopmaxCommand,
  bzmpop: bzmpopCommand,
  zrandmember: zrandmemberCommand,
  zunion: zunionCommand,
  zinter: zinterCommand,
  zdiff: zdiffCommand,
  zunionstore: zunionstoreCommand,
  zinterstore: zinterstoreCommand,
  zdiffstore: zdiffstoreCommand,
  zintercard: zintercardCommand,
  zscan: zscanCommand,
};
