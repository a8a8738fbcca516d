// String commands (t_string.c): GET/SET and their variants, multi-key MGET/MSET, in-place edits
// (APPEND, SETRANGE), ranges, counters (INCR family, INCRBYFLOAT) and LCS.
import { sdsCatLen, sdsGrowZero, sdsNewLen } from '../ds/sds.ts';
import { incrByFloatText, LLONG_MAX, LLONG_MIN, parseBigInteger } from '../numbers.ts';
import { getBigIntOrReply, getLongLongOrReply, isOption } from '../server/args.ts';
import type { Client } from '../server/client.ts';
import type { CommandImplementations } from '../server/commandTable.ts';
import { Db } from '../server/db.ts';
import { NOTIFY_GENERIC, NOTIFY_STRING } from '../server/notify.ts';
import { NOT_FLOAT, NOT_INTEGER, SYNTAX_ERR } from '../server/shared.ts';
import {
  createStringObject,
  createStringObjectFromLongLong,
  createRawStringObject,
  dbAddString,
  dbOverwriteString,
  OBJ_SHARED_INTEGERS,
  setStringKey,
  tryObjectEncoding,
  unshareStringValue,
  type StringObject,
} from '../server/stringObject.ts';

// Option flags of SET and GETEX (OBJ_SET_NX ...).
const SET_NX = 1 << 0;
const SET_XX = 1 << 1;
const EX = 1 << 2;
const PX = 1 << 3;
const KEEPTTL = 1 << 4;
const SET_GET = 1 << 5;
const EXAT = 1 << 6;
const PXAT = 1 << 7;
const PERSIST = 1 << 8;
const ANY_EXPIRE = EX | PX | EXAT | PXAT;

type Unit = 'seconds' | 'milliseconds';

interface ExtendedArgs {
  flags: number;
  unit: Unit;
  /** The expire argument as given, if any. */
  expire: string | null;
}

/**
 * parseExtendedStringArgumentsOrReply: the options of SET (from argv[3]) and GETEX (from argv[2]).
 * An option that conflicts with an earlier one, or that lacks its argument, is a syntax error.
 */
function parseExtendedArgs(c: Client, forSet: boolean): ExtendedArgs | null {
  const out: ExtendedArgs = { flags: 0, unit: 'seconds', expire: null };
  const argv = c.argv;
  for (let j = forSet ? 3 : 2; j < argv.length; j++) {
    const opt = argv[j];
    const hasNext = j < argv.length - 1;
    const f = out.flags;
    if (forSet && isOption(opt, 'nx') && !(f & SET_XX)) {
      out.flags |= SET_NX;
    } else if (forSet && isOption(opt, 'xx') && !(f & SET_NX)) {
      out.flags |= SET_XX;
    } else if (forSet && isOption(opt, 'get')) {
      out.flags |= SET_GET;
    } else if (forSet && isOption(opt, 'keepttl') && !(f & (PERSIST | ANY_EXPIRE))) {
      out.flags |= KEEPTTL;
    } else if (!forSet && isOption(opt, 'persist') && !(f & (ANY_EXPIRE | KEEPTTL))) {
      out.flags |= PERSIST;
    } else if (isOption(opt, 'ex') && !(f & (KEEPTTL | PERSIST | EXAT | PX | PXAT)) && hasNext) {
      out.flags |= EX;
      out.expire = argv[++j];
    } else if (isOption(opt, 'px') && !(f & (KEEPTTL | PERSIST | EX | EXAT | PXAT)) && hasNext) {
      out.flags |= PX;
      out.unit = 'milliseconds';
      out.expire = argv[++j];
    } else if (isOption(opt, 'exat') && !(f & (KEEPTTL | PERSIST | EX | PX | PXAT)) && hasNext) {
      out.flags |= EXAT;
      out.expire = argv[++j];
    } else if (isOption(opt, 'pxat') && !(f & (KEEPTTL | PERSIST | EX | EXAT | PX)) && hasNext) {
      out.flags |= PXAT;
      out.unit = 'milliseconds';
      out.expire = argv[++j];
    } else {
      c.reply.error(SYNTAX_ERR);
      return null;
    }
  }
  return out;
}

/**
 * getExpireMillisecondsOrReply: the absolute expire time in ms. Zero or negative amounts, and
 * amounts whose conversion or addition to the current time would overflow 64 bits, are refused.
 */
function getExpireMsOrReply(c: Client, expire: string, flags: number, unit: Unit): number | null {
  let ms = getBigIntOrReply(c, expire);
  if (ms === null) return null;
  const invalid = () => {
    c.reply.error(`invalid expire time in '${c.cmd!.fullName}' command`);
    return null;
  };
  if (ms <= 0n || (unit === 'seconds' && ms > LLONG_MAX / 1000n)) return invalid();
  if (unit === 'seconds') ms *= 1000n;
  if (flags & (PX | EX)) ms += BigInt(c.server.mstime);
  // In C the sum wraps around to a negative number on overflow.
  if (ms > LLONG_MAX) return invalid();
  return Number(ms);
}

/** getGenericCommand: replies the value (or null); false when the key holds another type. */
function getGeneric(c: Client): boolean {
  const o = c.db.lookupKeyReadOrReply(c, c.argv[1], (cl) => cl.reply.null());
  if (!o) return true;
  if (Db.checkType(c, o, 'string')) return false;
  c.reply.bulk(o.value as string);
  return true;
}

/** setGenericCommand: SET and its older variants. okReply/abortReply default to +OK and null. */
function setGeneric(
  c: Client,
  flags: number,
  key: string,
  val: StringObject,
  expire: string | null,
  unit: Unit,
  okReply?: (c: Client) => void,
  abortReply?: (c: Client) => void,
): void {
  let when = 0;
  if (expire !== null) {
    const ms = getExpireMsOrReply(c, expire, flags, unit);
    if (ms === null) return;
    when = ms;
  }
  if (flags & SET_GET && !getGeneric(c)) return;

  const found = c.db.lookupKeyWrite(key) !== null;
  if ((flags & SET_NX && found) || (flags & SET_XX && !found)) {
    if (!(flags & SET_GET)) (abortReply ?? ((cl: Client) => cl.reply.null()))(c);
    return;
  }

  setStringKey(c, key, val, found, (flags & KEEPTTL) !== 0);
  c.server.dirty++;
  c.server.notifyKeyspaceEvent(NOTIFY_STRING, 'set', key, c.db.id);
  if (expire !== null) {
    c.db.setExpire(key, when);
    c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'expire', key, c.db.id);
  }
  if (!(flags & SET_GET)) (okReply ?? ((cl: Client) => cl.reply.ok()))(c);
}

const replyOne = (c: Client) => c.reply.integer(1);
const replyZero = (c: Client) => c.reply.integer(0);

function setCommand(c: Client): void {
  const args = parseExtendedArgs(c, true);
  if (!args) return;
  const val = tryObjectEncoding(c.server, c.argv[2]);
  setGeneric(c, args.flags, c.argv[1], val, args.expire, args.unit);
}

function setnxCommand(c: Client): void {
  setGeneric(c, SET_NX, c.argv[1], tryObjectEncoding(c.server, c.argv[2]), null, 'seconds', replyOne, replyZero);
}

function setexCommand(c: Client): void {
  setGeneric(c, EX, c.argv[1], tryObjectEncoding(c.server, c.argv[3]), c.argv[2], 'seconds');
}

function psetexCommand(c: Client): void {
  setGeneric(c, PX, c.argv[1], tryObjectEncoding(c.server, c.argv[3]), c.argv[2], 'milliseconds');
}

function getCommand(c: Client): void {
  getGeneric(c);
}

function getexCommand(c: Client): void {
  const args = parseExtendedArgs(c, false);
  if (!args) return;
  const key = c.argv[1];
  const o = c.db.lookupKeyReadOrReply(c, key, (cl) => cl.reply.null());
  if (!o) return;
  if (Db.checkType(c, o, 'string')) return;

  let when = 0;
  if (args.expire !== null) {
    const ms = getExpireMsOrReply(c, args.expire, args.flags, args.unit);
    if (ms === null) return;
    when = ms;
  }
  // Reply before the key can be deleted below.
  c.reply.bulk(o.value as string);

  if (args.flags & (PXAT | EXAT) && when <= c.server.mstime) {
    // An absolute time already in the past deletes the key.
    c.db.delete(key);
    c.server.signalModifiedKey(c, c.db, key);
    c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'del', key, c.db.id);
    c.server.dirty++;
  } else if (args.expire !== null) {
    c.db.setExpire(key, when);
    c.server.signalModifiedKey(c, c.db, key);
    c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'expire', key, c.db.id);
    c.server.dirty++;
  } else if (args.flags & PERSIST) {
    if (c.db.removeExpire(key)) {
      c.server.signalModifiedKey(c, c.db, key);
      c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'persist', key, c.db.id);
      c.server.dirty++;
    }
  }
}

function getdelCommand(c: Client): void {
  if (!getGeneric(c)) return;
  const key = c.argv[1];
  if (c.db.delete(key)) {
    c.server.signalModifiedKey(c, c.db, key);
    c.server.notifyKeyspaceEvent(NOTIFY_GENERIC, 'del', key, c.db.id);
    c.server.dirty++;
  }
}

function getsetCommand(c: Client): void {
  if (!getGeneric(c)) return;
  const key = c.argv[1];
  const val = tryObjectEncoding(c.server, c.argv[2]);
  // setKey without a hint looks the key up again.
  const found = c.db.lookupKeyWrite(key) !== null;
  setStringKey(c, key, val, found, false);
  c.server.notifyKeyspaceEvent(NOTIFY_STRING, 'set', key, c.db.id);
  c.server.dirty++;
}

/** checkStringLength: a result longer than proto-max-bulk-len is refused. */
function checkStringLength(c: Client, size: number, append: number): boolean {
  if (size + append > c.server.config.num('proto-max-bulk-len') || size + append > MAX_ENGINE_STRING) {
    c.reply.error('string exceeds maximum allowed size (proto-max-bulk-len)');
    return false;
  }
  return true;
}

/**
 * The longest byte string a JS engine can hold (V8: 2^29 - 24 characters). Redis's default
 * proto-max-bulk-len (512MB) is a few bytes more, so those last few bytes are refused here too.
 */
export const MAX_ENGINE_STRING = 2 ** 29 - 24;

function setrangeCommand(c: Client): void {
  const key = c.argv[1];
  const value = c.argv[3];
  const offset = getLongLongOrReply(c, c.argv[2]);
  if (offset === null) return;
  if (offset < 0) {
    c.reply.error('offset is out of range');
    return;
  }

  let o = c.db.lookupKeyWrite(key) as StringObject | null;
  if (o === null) {
    // Setting nothing on a missing key creates nothing.
    if (value.length === 0) {
      c.reply.integer(0);
      return;
    }
    if (!checkStringLength(c, offset, value.length)) return;
    // createObject(sdsnewlen(NULL, ...)): raw even when short, zero-filled, exact size.
    o = createRawStringObject(c.server, '\0'.repeat(offset) + value);
    dbAddString(c.db, key, o);
  } else {
    if (Db.checkType(c, o, 'string')) return;
    const olen = o.value.length;
    if (value.length === 0) {
      c.reply.integer(olen);
      return;
    }
    if (!checkStringLength(c, offset, value.length)) return;
    o = unshareStringValue(c.db, key, o);
    const end = offset + value.length;
    o.sds = sdsGrowZero(o.sds ?? sdsNewLen(olen), end);
    const cur = olen < offset ? o.value + '\0'.repeat(offset - olen) : o.value.slice(0, offset);
    o.value = cur + value + (end < olen ? o.value.slice(end) : '');
  }
  c.server.signalModifiedKey(c, c.db, key);
  c.server.notifyKeyspaceEvent(NOTIFY_STRING, 'setrange', key, c.db.id);
  c.server.dirty++;
  c.reply.integer(o.value.length);
}

function getrangeCommand(c: Client): void {
  const startArg = getLongLongOrReply(c, c.argv[2]);
  if (startArg === null) return;
  const endArg = getLongLongOrReply(c, c.argv[3]);
  if (endArg === null) return;
  const o = c.db.lookupKeyReadOrReply(c, c.argv[1], (cl) => cl.reply.bulk(''));
  if (!o || Db.checkType(c, o, 'string')) return;
  const str = o.value as string;
  const len = str.length;
  let start = startArg;
  let end = endArg;
  if (start < 0 && end < 0 && start > end) {
    c.reply.bulk('');
    return;
  }
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (start > end || len === 0) c.reply.bulk('');
  else c.reply.bulk(str.slice(start, end + 1));
}

function mgetCommand(c: Client): void {
  c.reply.array(c.argv.length - 1);
  for (let j = 1; j < c.argv.length; j++) {
    const o = c.db.lookupKeyRead(c.argv[j]);
    if (o === null || o.type !== 'string') c.reply.null();
    else c.reply.bulk(o.value as string);
  }
}

function msetGeneric(c: Client, nx: boolean): void {
  const argv = c.argv;
  if (argv.length % 2 === 0) {
    c.reply.error(`wrong number of arguments for '${c.cmd!.fullName}' command`);
    return;
  }
  // MSETNX sets nothing if any key exists.
  if (nx) {
    for (let j = 1; j < argv.length; j += 2) {
      if (c.db.lookupKeyWrite(argv[j]) !== null) {
        c.reply.integer(0);
        return;
      }
    }
  }
  for (let j = 1; j < argv.length; j += 2) {
    const val = tryObjectEncoding(c.server, argv[j + 1]);
    const found = c.db.lookupKeyWrite(argv[j]) !== null;
    setStringKey(c, argv[j], val, found, false);
    c.server.notifyKeyspaceEvent(NOTIFY_STRING, 'set', argv[j], c.db.id);
  }
  c.server.dirty += (argv.length - 1) / 2;
  if (nx) c.reply.integer(1);
  else c.reply.ok();
}

function appendCommand(c: Client): void {
  const key = c.argv[1];
  const append = c.argv[2];
  let o = c.db.lookupKeyWrite(key) as StringObject | null;
  let total: number;
  if (o === null) {
    // The argument itself becomes the value.
    const val = tryObjectEncoding(c.server, append);
    dbAddString(c.db, key, val);
    total = append.length;
  } else {
    if (Db.checkType(c, o, 'string')) return;
    if (!checkStringLength(c, o.value.length, append.length)) return;
    o = unshareStringValue(c.db, key, o);
    o.sds = sdsCatLen(o.sds ?? sdsNewLen(o.value.length), append.length);
    o.value += append;
    total = o.value.length;
  }
  c.server.signalModifiedKey(c, c.db, key);
  c.server.notifyKeyspaceEvent(NOTIFY_STRING, 'append', key, c.db.id);
  c.server.dirty++;
  c.reply.integer(total);
}

function strlenCommand(c: Client): void {
  const o = c.db.lookupKeyReadOrReply(c, c.argv[1], (cl) => cl.reply.integer(0));
  if (!o || Db.checkType(c, o, 'string')) return;
  c.reply.integer((o.value as string).length);
}

/** incrDecrCommand: exact 64-bit arithmetic with Redis's overflow check. */
function incrDecr(c: Client, incr: bigint): void {
  const key = c.argv[1];
  const o = c.db.lookupKeyWrite(key) as StringObject | null;
  if (Db.checkType(c, o, 'string')) return;
  const current = o === null ? 0n : parseBigInteger(o.value);
  if (current === null) {
    c.reply.error(NOT_INTEGER);
    return;
  }
  if ((incr < 0n && current < 0n && incr < LLONG_MIN - current) ||
      (incr > 0n && current > 0n && incr > LLONG_MAX - current)) {
    c.reply.error('increment or decrement would overflow');
    return;
  }
  const value = current + incr;
  if (o !== null && !o.shared && o.encoding === 'int' && (value < 0n || value >= OBJ_SHARED_INTEGERS)) {
    // A private int object is updated in place.
    o.value = value.toString();
  } else {
    const fresh = createStringObjectFromLongLong(c.server, value);
    if (o !== null) dbOverwriteString(c.db, key, fresh);
    else dbAddString(c.db, key, fresh);
  }
  c.server.signalModifiedKey(c, c.db, key);
  c.server.notifyKeyspaceEvent(NOTIFY_STRING, 'incrby', key, c.db.id);
  c.server.dirty++;
  c.reply.integer(value);
}

function incrbyCommand(c: Client): void {
  const incr = getBigIntOrReply(c, c.argv[2]);
  if (incr === null) return;
  incrDecr(c, incr);
}

function decrbyCommand(c: Client): void {
  const incr = getBigIntOrReply(c, c.argv[2]);
  if (incr === null) return;
  // Negating LLONG_MIN would overflow.
  if (incr === LLONG_MIN) {
    c.reply.error('decrement would overflow');
    return;
  }
  incrDecr(c, -incr);
}

function incrbyfloatCommand(c: Client): void {
  const key = c.argv[1];
  const o = c.db.lookupKeyWrite(key) as StringObject | null;
  if (Db.checkType(c, o, 'string')) return;
  const r = incrByFloatText(o === null ? null : o.value, c.argv[2]);
  if (!r.ok) {
    c.reply.error(r.error === 'nan-or-infinity' ? 'increment would produce NaN or Infinity' : NOT_FLOAT);
    return;
  }
  // createStringObjectFromLongDouble: embstr or raw, never int.
  const fresh = createStringObject(c.server, r.text);
  if (o !== null) dbOverwriteString(c.db, key, fresh);
  else dbAddString(c.db, key, fresh);
  c.server.signalModifiedKey(c, c.db, key);
  c.server.notifyKeyspaceEvent(NOTIFY_STRING, 'incrbyfloat', key, c.db.id);
  c.server.dirty++;
  c.reply.bulk(r.text);
}

/** LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN] */
function lcsCommand(c: Client): void {
  const oa = c.db.lookupKeyRead(c.argv[1]);
  const ob = c.db.lookupKeyRead(c.argv[2]);
  if ((oa && oa.type !== 'string') || (ob && ob.type !== 'string')) {
    c.reply.error('The specified keys must contain string values');
    return;
  }
  const a = oa ? (oa.value as string) : '';
  const b = ob ? (ob.value as string) : '';

  let getLen = false;
  let getIdx = false;
  let withMatchLen = false;
  let minMatchLen = 0;
  for (let j = 3; j < c.argv.length; j++) {
    const opt = c.argv[j];
    const moreArgs = c.argv.length - 1 - j;
    if (isOption(opt, 'idx')) {
      getIdx = true;
    } else if (isOption(opt, 'len')) {
      getLen = true;
    } else if (isOption(opt, 'withmatchlen')) {
      withMatchLen = true;
    } else if (isOption(opt, 'minmatchlen') && moreArgs > 0) {
      const v = getLongLongOrReply(c, c.argv[j + 1]);
      if (v === null) return;
      minMatchLen = Math.max(0, v);
      j++;
    } else {
      c.reply.error(SYNTAX_ERR);
      return;
    }
  }
  if (getLen && getIdx) {
    c.reply.error('If you want both the length and indexes, please just use IDX.');
    return;
  }

  const alen = a.length;
  const blen = b.length;
  // Redis refuses a DP table (of 32-bit cells) larger than proto-max-bulk-len.
  if ((alen + 1) * (blen + 1) * 4 > c.server.config.num('proto-max-bulk-len')) {
    c.reply.error('Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len');
    return;
  }

  // table[i*(blen+1)+j] = LCS length of a[0..i) and b[0..j). Cells fit in 16 bits: the size limit
  // above keeps the shorter string under 2^16.
  const width = blen + 1;
  const table = Math.min(alen, blen) < 65536 ? new Uint16Array((alen + 1) * width) : new Uint32Array((alen + 1) * width);
  for (let i = 1; i <= alen; i++) {
    const ai = a.charCodeAt(i - 1);
    const row = i * width;
    const prev = row - width;
    for (let j = 1; j <= blen; j++) {
      if (ai === b.charCodeAt(j - 1)) {
        table[row + j] = table[prev + j - 1] + 1;
      } else {
        const up = table[prev + j];
        const left = table[row + j - 1];
        table[row + j] = up > left ? up : left;
      }
    }
  }
  const total = table[alen * width + blen];

  const computeLcs = getIdx || !getLen;
  const result: number[] = computeLcs ? new Array<number>(total) : [];
  const ranges: [number, number, number, number, number][] = [];
  let idx = total;
  let i = alen;
  let j = blen;
  // A range is "unset" while aStart === alen.
  let aStart = alen;
  let aEnd = 0;
  let bStart = 0;
  let bEnd = 0;
  while (computeLcs && i > 0 && j > 0) {
    let emit = false;
    if (a.charCodeAt(i - 1) === b.charCodeAt(j - 1)) {
      result[idx - 1] = a.charCodeAt(i - 1);
      if (aStart === alen) {
        aStart = aEnd = i - 1;
        bStart = bEnd = j - 1;
      } else if (aStart === i && bStart === j) {
        // Still contiguous: extend the range backwards.
        aStart--;
        bStart--;
      } else {
        emit = true;
      }
      if (aStart === 0 || bStart === 0) emit = true;
      idx--; i--; j--;
    } else {
      if (table[(i - 1) * width + j] > table[i * width + j - 1]) i--;
      else j--;
      if (aStart !== alen) emit = true;
    }
    if (emit) {
      const matchLen = aEnd - aStart + 1;
      if (minMatchLen === 0 || matchLen >= minMatchLen) ranges.push([aStart, aEnd, bStart, bEnd, matchLen]);
      aStart = alen;
    }
  }

  if (getIdx) {
    c.reply.map(2);
    c.reply.bulk('matches');
    c.reply.array(ranges.length);
    for (const [as, ae, bs, be, len] of ranges) {
      c.reply.array(withMatchLen ? 3 : 2);
      c.reply.array(2);
      c.reply.integer(as);
      c.reply.integer(ae);
      c.reply.array(2);
      c.reply.integer(bs);
      c.reply.integer(be);
      if (withMatchLen) c.reply.integer(len);
    }
    c.reply.bulk('len');
    c.reply.integer(total);
  } else if (getLen) {
    c.reply.integer(total);
  } else {
    let s = '';
    for (let k = 0; k < result.length; k += 8192) s += String.fromCharCode(...result.slice(k, k + 8192));
    c.reply.bulk(s);
  }
}

export const stringCommands: CommandImplementations = {
  get: getCommand,
  set: setCommand,
  setnx: setnxCommand,
  setex: setexCommand,
  psetex: psetexCommand,
  getset: getsetCommand,
  getdel: getdelCommand,
  getex: getexCommand,
  mget: mgetCommand,
  mset: (c) => msetGeneric(c, false),
  msetnx: (c) => msetGeneric(c, true),
  append: appendCommand,
  strlen: strlenCommand,
  setrange: setrangeCommand,
  getrange: getrangeCommand,
  substr: getrangeCommand,
  incr: (c) => incrDecr(c, 1n),
  decr: (c) => incrDecr(c, -1n),
  incrby: incrbyCommand,
  decrby: decrbyCommand,
  incrbyfloat: incrbyfloatCommand,
  lcs: lcsCommand,
};
