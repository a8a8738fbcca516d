// SORT and SORT_RO (Redis 7.0's sort.c): sorting a list, set or sorted set numerically or by bytes,
// by its own elements or by weights found through a BY pattern, returning the elements or values
// found through GET patterns, or storing the result as a list.
//
// Reply order has to be Redis's to the byte, so the details follow sort.c closely:
// - a full sort is glibc's qsort, which is a stable merge sort: JS's stable Array.sort gives the
//   same order for the same comparator;
// - BY with a LIMIT that does not cover everything uses Redis's own partial quicksort (pqsort.c),
//   which is not stable: it is reproduced step by step (see partialQuickSort) so that elements
//   that compare equal come out in the same order;
// - ALPHA compares with strcoll() in the server's locale, which here is byte order (C / C.UTF-8)
//   and, being a C string function, stops at the first NUL byte;
// - numeric weights are parsed with strtod(), which also accepts leading white space, hex floats,
//   "inf" and an empty string, and reports over/underflow through errno (see strtodForSort).
import { getLongLongOrReply, isOption } from '../server/args.ts';
import type { Client } from '../server/client.ts';
import type { CommandImplementations } from '../server/commandTable.ts';
import type { Db } from '../server/db.ts';
import { NOTIFY_LIST } from '../server/notify.ts';
import type { RedisObject } from '../server/object.ts';
import type { RedisServer } from '../server/redisServer.ts';
import { SYNTAX_ERR, WRONGTYPE } from '../server/shared.ts';
import { lpIsIntegerEntry } from '../ds/listpack.ts';
import type { Quicklist } from '../ds/quicklist.ts';
import { hashTypeGet } from './hash.ts';
import { createDefaultListObject, listTypePush } from './list.ts';
import { setTypeMembers, setTypeSize } from './set.ts';
import { zsetConvert, zsetLength, type ZsetSkiplist } from './zset.ts';
import { SideTable } from '../sideTable.ts';

const SCORE_ERR = "One or more scores can't be converted into double";

// --- errno ---------------------------------------------------------------------------------------

/**
 * SORT checks `errno == ERANGE` after strtod() without clearing errno first, so an ERANGE left
 * by an earlier conversion (in this or an earlier SORT) makes every later non-integer weight
 * "can't be converted", until something else overwrites errno. We model the one reset that
 * happens in every Redis process: accepting a connection (the accept loop ends on EAGAIN).
 * Other commands that write errno (string2d/string2ld users such as ZADD or INCRBYFLOAT, SCAN's
 * cursor parsing) can call setStrtodErrno when they model it.
 */
const erangeSince = new SideTable<RedisServer, number>('sort.erangeSince');

/** Whether errno holds ERANGE now (as far as this model knows). */
function errnoIsErange(server: RedisServer): boolean {
  const at = erangeSince.get(server);
  if (at === undefined) return false;
  if (at !== server.stats.totalConnectionsReceived) {
    erangeSince.delete(server);
    return false;
  }
  return true;
}

/** Records what a conversion left in errno: ERANGE (true) or anything else (false). */
export function setStrtodErrno(server: RedisServer, erange: boolean): void {
  if (erange) erangeSince.set(server, server.stats.totalConnectionsReceived);
  else erangeSince.delete(server);
}

// --- strtod --------------------------------------------------------------------------------------

export interface StrtodResult {
  value: number;
  /** Whether the number took the whole C string (eptr[0] == '\0'). */
  complete: boolean;
  /** Whether strtod set errno to ERANGE (overflow, or a tiny inexact result). */
  erange: boolean;
}

const DBL_MIN = 2 ** -1022;
const C_SPACE = /^[ \t\n\v\f\r]*/;
const DECIMAL = /^(\d*)(?:\.(\d*))?/;
const EXPONENT_DEC = /^[eE][+-]?\d+/;
const HEX = /^0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?/;
const EXPONENT_BIN = /^[pP]([+-]?\d+)/;
const INFINITY = /^inf(?:inity)?/i;

/**
 * glibc strtod() in the C locale, as SORT calls it: the string is a C string (it ends at the
 * first NUL byte); returns the value, whether it consumed everything, and whether errno would
 * be ERANGE. NaN comes back as NaN (SORT refuses it).
 */
export function strtodForSort(s: string): StrtodResult {
  const str = cString(s);
  const none = { value: 0, complete: str.length === 0, erange: false };
  let i = C_SPACE.exec(str)![0].length;
  let negative = false;
  if (str[i] === '+' || str[i] === '-') { negative = str[i] === '-'; i++; }
  const rest = str.slice(i);
  const sign = negative ? -1 : 1;
  if (/^nan/i.test(rest)) return { value: NaN, complete: false, erange: false };
  const inf = INFINITY.exec(rest);
  if (inf) return { value: sign * Infinity, complete: inf[0].length === rest.length, erange: false };

  const hex = HEX.exec(rest);
  if (hex && (hex[1] !== '' || (hex[2] ?? '') !== '')) {
    let len = hex[0].length;
    const exp = EXPONENT_BIN.exec(rest.slice(len));
    if (exp) len += exp[0].length;
    const digits = hex[1] + (hex[2] ?? '');
    // Exponents far past the double range only matter by their sign once digits exist.
    const pexp = exp ? clampExponent(exp[1]) : 0;
    const mant = BigInt('0x' + digits);
    const r = mant === 0n ? { value: 0, erange: false } : roundBinary(mant, pexp - 4 * (hex[2] ?? '').length);
    return { value: sign * r.value, complete: len === rest.length, erange: r.erange };
  }

  const dec = DECIMAL.exec(rest)!;
  const intDigits = dec[1];
  const fracDigits = dec[2] ?? '';
  if (intDigits === '' && fracDigits === '') return none; // no conversion: eptr stays at the start
  let len = dec[0].length;
  const exp = EXPONENT_DEC.exec(rest.slice(len));
  if (exp) len += exp[0].length;
  const complete = len === rest.length;
  const token = rest.slice(0, len);
  // JS parses decimal text with correct rounding, like glibc; only results near or below the
  // smallest normal double need the exact check to tell whether strtod reported underflow.
  const v = Number(token.endsWith('.') ? token.slice(0, -1) : token);
  const allZero = !/[1-9]/.test(intDigits + fracDigits);
  if (allZero) return { value: sign * 0, complete, erange: false };
  if (v === Infinity) return { value: sign * Infinity, complete, erange: true };
  if (v > DBL_MIN) return { value: sign * v, complete, erange: false };
  const significant = (intDigits + fracDigits).replace(/^0+/, '');
  const exp10 = (exp ? clampExponent(exp[0].slice(1)) : 0) - fracDigits.length;
  // Under 10^-340 nothing is left after rounding: skip the big powers of ten.
  if (significant.length + exp10 < -340) return { value: sign * 0, complete, erange: true };
  // v <= DBL_MIN, so exp10 is negative here.
  const r = roundRational(BigInt(significant), 10n ** BigInt(-exp10));
  return { value: sign * r.value, complete, erange: r.erange };
}

/** A decimal exponent, saturated well past anything that can still give a finite nonzero double. */
function clampExponent(text: string): number {
  const n = Number(text);
  return Math.max(-1e7, Math.min(1e7, n));
}

/** mant * 2^exp2 rounded to a double (mant > 0), with strtod's ERANGE rule. */
function roundBinary(mant: bigint, exp2: number): { value: number; erange: boolean } {
  return exp2 >= 0 ? roundRational(mant << BigInt(Math.min(exp2, 1e5)), 1n)
    : roundRational(mant, 1n << BigInt(Math.min(-exp2, 1e5)));
}

function bitLength(n: bigint): number {
  return n.toString(2).length;
}

/** x * 2^e, exact when the product is a representable double (e >= -1074; 2^e alone may not be). */
function ldexp(x: number, e: number): number {
  return e < -1022 ? x * 2 ** -1022 * 2 ** (e + 1022) : x * 2 ** e;
}

/** num / den / 2^w rounded to an integer, halves to even; and whether anything was rounded off. */
function roundAt(num: bigint, den: bigint, w: number): { q: bigint; inexact: boolean } {
  const n = w < 0 ? num << BigInt(-w) : num;
  const d = w > 0 ? den << BigInt(w) : den;
  let q = n / d;
  const twice = (n - q * d) * 2n;
  if (twice > d || (twice === d && (q & 1n) === 1n)) q += 1n;
  return { q, inexact: twice !== 0n };
}

/**
 * num/den (both > 0) correctly rounded to a double. ERANGE as glibc sets it on x86-64: on
 * overflow, and when the result is inexact and tiny, tininess being judged after rounding to
 * 53 bits with an unbounded exponent.
 */
function roundRational(num: bigint, den: bigint): { value: number; erange: boolean } {
  // e = floor(log2(num/den))
  let e = bitLength(num) - bitLength(den);
  if (e >= 0 ? num < den << BigInt(e) : num << BigInt(-e) < den) e--;
  if (e > 1023) return { value: Infinity, erange: true };
  if (e < -1100) return { value: 0, erange: true };
  const w = Math.max(e - 52, -1074);
  const { q, inexact } = roundAt(num, den, w);
  const value = ldexp(Number(q), w);
  if (value === Infinity) return { value, erange: true };
  let tiny = e < -1022;
  if (e === -1023 && roundAt(num, den, e - 52).q === 1n << 53n) tiny = false;
  return { value, erange: inexact && tiny };
}

// --- patterns ------------------------------------------------------------------------------------

/** The C string view of an argument: what strchr/strstr/strcmp see. */
function cString(s: string): string {
  const nul = s.indexOf('\0');
  return nul >= 0 ? s.slice(0, nul) : s;
}

/** A value found through a pattern, with whether Redis holds it as an int-encoded object. */
interface Found {
  value: string;
  isInt: boolean;
}

const HASH_FIELD_ARROW = '->';

/**
 * lookupKeyByPattern: "#" gives the element itself; otherwise the first '*' is replaced by the
 * element and the key read (a string), or with "key*->field" the field of a hash. Null when the
 * pattern has no '*', or the key or field is missing or of another type.
 */
function lookupKeyByPattern(db: Db, pattern: string, subst: string, substIsInt: boolean): Found | null {
  const cpat = cString(pattern);
  if (cpat === '#') return { value: subst, isInt: substIsInt };
  const star = cpat.indexOf('*');
  if (star < 0) return null;
  const arrow = cpat.indexOf(HASH_FIELD_ARROW, star + 1);
  // "->" at the very end (or before a NUL) names no field: the whole pattern is a key name.
  const hasField = arrow >= 0 && arrow + 2 < cpat.length;
  const keyEnd = hasField ? arrow : pattern.length;
  const key = pattern.slice(0, star) + subst + pattern.slice(star + 1, keyEnd);
  const o = db.lookupKeyRead(key);
  if (!o) return null;
  if (hasField) {
    if (o.type !== 'hash') return null;
    const v = hashTypeGet(o, pattern.slice(arrow + 2));
    if (v === null) return null;
    // hashTypeGetValueObject: listpack integers come back int-encoded.
    return { value: v, isInt: o.encoding === 'listpack' && lpIsIntegerEntry(v) };
  }
  if (o.type !== 'string') return null;
  return { value: o.value as string, isInt: o.encoding === 'int' };
}

// --- comparing -----------------------------------------------------------------------------------

/** redisSortObject: an element, its numeric weight, and for ALPHA BY the string it sorts by. */
interface SortItem {
  ele: string;
  isInt: boolean;
  score: number;
  cmpobj: string | null;
}

/** compareStringObjects: memcmp, then the shorter first. */
function compareBinary(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** strcoll in a byte-order locale: strcmp, which stops at the first NUL byte. */
function compareCollate(a: string, b: string): number {
  return compareBinary(cString(a), cString(b));
}

interface SortFlags {
  desc: boolean;
  alpha: boolean;
  byPattern: boolean;
  store: boolean;
}

/** sortCompare: the comparator qsort and pqsort use. */
function sortComparator(f: SortFlags): (a: SortItem, b: SortItem) => number {
  let cmp: (a: SortItem, b: SortItem) => number;
  if (!f.alpha) {
    // Equal weights fall back to the elements, so the result is deterministic.
    cmp = (a, b) => (a.score > b.score ? 1 : a.score < b.score ? -1 : compareBinary(a.ele, b.ele));
  } else if (f.byPattern) {
    const strings = f.store ? compareBinary : compareCollate;
    cmp = (a, b) => {
      if (a.cmpobj === null || b.cmpobj === null) {
        // A missing weight sorts first.
        return a.cmpobj === b.cmpobj ? 0 : a.cmpobj === null ? -1 : 1;
      }
      return strings(a.cmpobj, b.cmpobj);
    };
  } else {
    const strings = f.store ? compareBinary : compareCollate;
    cmp = (a, b) => strings(a.ele, b.ele);
  }
  return f.desc ? (a, b) => -cmp(a, b) : cmp;
}

/**
 * pqsort (Bentley & McIlroy's quicksort as in pqsort.c) over v[base, base+n): partitions that
 * lie wholly outside [lrange, rrange] are left unsorted. Mirrors every comparison and swap,
 * since its order for elements that compare equal is what Redis replies.
 */
function partialQuickSort<T>(v: T[], base: number, n: number, cmp: (a: T, b: T) => number, lrange: number, rrange: number): void {
  const swap = (i: number, j: number) => { const t = v[i]; v[i] = v[j]; v[j] = t; };
  const vecswap = (i: number, j: number, k: number) => { for (let x = 0; x < k; x++) swap(i + x, j + x); };
  const med3 = (a: number, b: number, c: number) => (cmp(v[a], v[b]) < 0
    ? (cmp(v[b], v[c]) < 0 ? b : (cmp(v[a], v[c]) < 0 ? c : a))
    : (cmp(v[b], v[c]) > 0 ? b : (cmp(v[a], v[c]) < 0 ? a : c)));
  // Whether the partition [l, r] (inclusive) is all before or all after the wanted range.
  const outside = (l: number, r: number) => (lrange < l && rrange < l) || (lrange > r && rrange > r);

  let a = base;
  for (;;) {
    if (n < 7) {
      for (let pm = a + 1; pm < a + n; pm++) {
        for (let pl = pm; pl > a && cmp(v[pl - 1], v[pl]) > 0; pl--) swap(pl, pl - 1);
      }
      return;
    }
    let pm = a + Math.floor(n / 2);
    if (n > 7) {
      let pl = a;
      let pn = a + n - 1;
      if (n > 40) {
        const d = Math.floor(n / 8);
        pl = med3(pl, pl + d, pl + 2 * d);
        pm = med3(pm - d, pm, pm + d);
        pn = med3(pn - 2 * d, pn - d, pn);
      }
      pm = med3(pl, pm, pn);
    }
    swap(a, pm);
    let pa = a + 1;
    let pb = pa;
    let pc = a + n - 1;
    let pd = pc;
    for (;;) {
      let r: number;
      while (pb <= pc && (r = cmp(v[pb], v[a])) <= 0) {
        if (r === 0) { swap(pa, pb); pa++; }
        pb++;
      }
      while (pb <= pc && (r = cmp(v[pc], v[a])) >= 0) {
        if (r === 0) { swap(pc, pd); pd--; }
        pc--;
      }
      if (pb > pc) break;
      swap(pb, pc);
      pb++;
      pc--;
    }
    const pn = a + n;
    let r = Math.min(pa - a, pb - pa);
    vecswap(a, pb - r, r);
    r = Math.min(pd - pc, pn - pd - 1);
    vecswap(pb, pn - r, r);
    r = pb - pa;
    if (r > 1 && !outside(a, a + r - 1)) partialQuickSort(v, a, r, cmp, lrange, rrange);
    r = pd - pc;
    if (r <= 1) return;
    // The right part is handled by looping rather than recursing, as in C.
    a = pn - r;
    n = r;
    if (outside(a, a + r - 1)) return;
  }
}

// --- loading the elements ------------------------------------------------------------------------

function item(ele: string, isInt: boolean): SortItem {
  return { ele, isInt, score: 0, cmpobj: null };
}

/**
 * List elements from index `from` walking forward or backward, at most `limit` of them
 * (listTypeInitIterator + listTypeNext). Listpack integers are int-encoded objects in Redis.
 */
function loadList(ql: Quicklist, from: number, backward: boolean, limit: number, out: SortItem[]): void {
  const iter = ql.iteratorAtIndex(backward ? 'backward' : 'forward', from);
  if (!iter) return;
  while (out.length < limit) {
    const entry = iter.next();
    if (!entry) break;
    out.push(item(entry.value, !entry.node.isPlain && lpIsIntegerEntry(entry.value)));
  }
  iter.release();
}

// --- the command ---------------------------------------------------------------------------------

/** sortCommandGeneric */
function sortGeneric(c: Client, readonly: boolean): void {
  const argv = c.argv;
  const server = c.server;
  let desc = false;
  let alpha = false;
  let limitStart = 0;
  let limitCount = -1;
  let dontsort = false;
  let sortby: string | null = null;
  let storekey: string | null = null;
  const getPatterns: string[] = [];

  for (let j = 2; j < argv.length; j++) {
    const arg = argv[j];
    const leftargs = argv.length - j - 1;
    if (isOption(arg, 'asc')) {
      desc = false;
    } else if (isOption(arg, 'desc')) {
      desc = true;
    } else if (isOption(arg, 'alpha')) {
      alpha = true;
    } else if (isOption(arg, 'limit') && leftargs >= 2) {
      const start = getLongLongOrReply(c, argv[j + 1]);
      if (start === null) return;
      const count = getLongLongOrReply(c, argv[j + 2]);
      if (count === null) return;
      limitStart = start;
      limitCount = count;
      j += 2;
    } else if (!readonly && isOption(arg, 'store') && leftargs >= 1) {
      storekey = argv[++j];
    } else if (isOption(arg, 'by') && leftargs >= 1) {
      sortby = argv[++j];
      // A pattern without '*' names one constant key for every element: nothing to sort by.
      // (Cluster mode and key-restricted ACL users would be refused a real pattern here.)
      if (!cString(sortby).includes('*')) dontsort = true;
    } else if (isOption(arg, 'get') && leftargs >= 1) {
      getPatterns.push(argv[++j]);
    } else {
      c.reply.error(SYNTAX_ERR);
      return;
    }
  }

  const found = c.db.lookupKeyRead(argv[1]);
  if (found && found.type !== 'set' && found.type !== 'list' && found.type !== 'zset') {
    c.reply.error(WRONGTYPE);
    return;
  }
  // A missing key sorts like an empty list.
  const sortval: RedisObject = found ?? createDefaultListObject(server);

  // A set has no order of its own; with STORE (and in scripts) the result must be the same on
  // replicas and in the AOF, so it is sorted by bytes instead.
  if (dontsort && sortval.type === 'set' && storekey !== null) {
    dontsort = false;
    alpha = true;
    sortby = null;
  }

  // SORT works on the skiplist encoding, and leaves a listpack sorted set converted.
  if (sortval.type === 'zset') zsetConvert(server, sortval, 'skiplist', 'sort');

  let vectorlen = sortval.type === 'list' ? (sortval.value as Quicklist).count
    : sortval.type === 'set' ? setTypeSize(sortval) : zsetLength(sortval);

  // LIMIT sanity checks, clamping to the object's size.
  let start = Math.min(Math.max(limitStart, 0), vectorlen);
  const count = Math.min(Math.max(limitCount, -1), vectorlen);
  let end = count < 0 ? vectorlen - 1 : start + count - 1;
  if (start >= vectorlen) {
    start = vectorlen - 1;
    end = vectorlen - 2;
  }
  if (end >= vectorlen) end = vectorlen - 1;

  // Lists and sorted sets already have an order: without sorting only the range is loaded.
  if ((sortval.type === 'zset' || sortval.type === 'list') && dontsort && (start !== 0 || end !== vectorlen - 1)) {
    vectorlen = end - start + 1;
  }

  const vector: SortItem[] = [];
  if (sortval.type === 'list' && dontsort) {
    if (end >= start) {
      const ql = sortval.value as Quicklist;
      loadList(ql, desc ? ql.count - start - 1 : start, desc, vectorlen, vector);
      end -= start;
      start = 0;
    }
  } else if (sortval.type === 'list') {
    loadList(sortval.value as Quicklist, 0, false, vectorlen, vector);
  } else if (sortval.type === 'set') {
    for (const m of setTypeMembers(sortval)) vector.push(item(m, false));
  } else if (dontsort) {
    // A sorted set in its own order (reversed by DESC), from rank `start`.
    const zsl = (sortval.value as ZsetSkiplist).zsl;
    const zsetlen = zsl.length;
    let ln = desc ? (start > 0 ? zsl.getElementByRank(zsetlen - start) : zsl.tail)
      : (start > 0 ? zsl.getElementByRank(start + 1) : zsl.first);
    for (let n = 0; n < vectorlen; n++) {
      if (!ln) throw new Error('SORT: sorted set range ran past its end');
      vector.push(item(ln.member, false));
      ln = desc ? ln.backward : ln.forward[0];
    }
    end -= start;
    start = 0;
  } else {
    for (const m of (sortval.value as ZsetSkiplist).dict.keys()) vector.push(item(m, false));
  }
  if (vector.length !== vectorlen) throw new Error('SORT: loaded a different number of elements');

  let conversionError = false;
  if (!dontsort) {
    for (const it of vector) {
      let by: Found | null;
      if (sortby !== null) {
        by = lookupKeyByPattern(c.db, sortby, it.ele, it.isInt);
        if (!by) continue;
      } else {
        by = { value: it.ele, isInt: it.isInt };
      }
      if (alpha) {
        if (sortby !== null) it.cmpobj = by.value;
      } else if (by.isInt) {
        // An int-encoded object is used as is: no strtod, so errno is not looked at.
        it.score = Number(by.value);
      } else {
        const r = strtodForSort(by.value);
        it.score = r.value;
        if (r.erange) setStrtodErrno(server, true);
        if (!r.complete || errnoIsErange(server) || Number.isNaN(r.value)) conversionError = true;
      }
    }
    const compare = sortComparator({ desc, alpha, byPattern: sortby !== null, store: storekey !== null });
    // The cost model counts every comparison as a unit of work.
    let comparisons = 0;
    const cmp = (a: SortItem, b: SortItem) => { comparisons++; return compare(a, b); };
    if (sortby !== null && (start !== 0 || end !== vectorlen - 1)) {
      partialQuickSort(vector, 0, vector.length, cmp, start, end);
    } else {
      vector.sort(cmp);
    }
    server.chargeWork(comparisons + (sortby !== null ? vectorlen : 0));
  }
  // Loading the elements, and the GET lookups of the output range.
  server.chargeWork(vectorlen + Math.max(0, end - start + 1) * getPatterns.length);

  const rangeLen = end - start + 1;
  const outputlen = getPatterns.length ? getPatterns.length * rangeLen : rangeLen;
  if (conversionError) {
    c.reply.error(SCORE_ERR);
  } else if (storekey === null) {
    c.reply.array(outputlen);
    for (let j = start; j <= end; j++) {
      const it = vector[j];
      if (!getPatterns.length) c.reply.bulk(it.ele);
      for (const pattern of getPatterns) {
        const v = lookupKeyByPattern(c.db, pattern, it.ele, it.isInt);
        if (v) c.reply.bulk(v.value);
        else c.reply.null();
      }
    }
  } else {
    const sobj = createDefaultListObject(server);
    for (let j = start; j <= end; j++) {
      const it = vector[j];
      if (!getPatterns.length) {
        listTypePush(sobj, it.ele, 'tail');
        continue;
      }
      for (const pattern of getPatterns) {
        // A missing value is stored as an empty string.
        listTypePush(sobj, lookupKeyByPattern(c.db, pattern, it.ele, it.isInt)?.value ?? '', 'tail');
      }
    }
    if (outputlen) {
      c.db.setKey(c, storekey, sobj);
      server.notifyKeyspaceEvent(NOTIFY_LIST, 'sortstore', storekey, c.db.id);
      server.dirty += outputlen;
    } else {
      c.db.deleteAndNotify(c, storekey);
    }
    c.reply.integer(outputlen);
  }
}

export const sortCommands: CommandImplementations = {
  sort: (c) => sortGeneric(c, false),
  sort_ro: (c) => sortGeneric(c, true),
};
