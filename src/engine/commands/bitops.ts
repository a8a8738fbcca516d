// Bitmap commands (bitops.c): SETBIT/GETBIT, BITCOUNT, BITPOS, BITOP and BITFIELD(_RO). A bitmap
// is an ordinary string value; bit 0 is the most significant bit of the first byte. Writes grow
// the string with zero bytes as needed (greedy sds growth) and leave it raw-encoded, as Redis does;
// reads of an int-encoded value see its decimal text.
import { sdsGrowZero, sdsNewLen } from '../ds/sds.ts';
import { bytesToBinary } from '../bytes.ts';
import { parseBigInteger, parseInteger } from '../numbers.ts';
import { getBigIntOrReply, getLongLongOrReply, isOption } from '../server/args.ts';
import type { Client } from '../server/client.ts';
import type { CommandImplementations } from '../server/commandTable.ts';
import { Db } from '../server/db.ts';
import { NOTIFY_STRING } from '../server/notify.ts';
import { SYNTAX_ERR } from '../server/shared.ts';
import {
  createRawStringObject,
  dbAddString,
  setStringKey,
  unshareStringValue,
  type StringObject,
} from '../server/stringObject.ts';
import { MAX_ENGINE_STRING } from './string.ts';

const BIT_OFFSET_ERR = 'bit offset is not an integer or out of range';
const BIT_VALUE_ERR = 'bit is not an integer or out of range';
const BITFIELD_TYPE_ERR =
  'Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.';

/** Set bits in each byte value. */
const BITS_IN_BYTE = Uint8Array.from({ length: 256 }, (_, b) => {
  let n = 0;
  for (let v = b; v; v >>= 1) n += v & 1;
  return n;
});

/** Set bits in bytes [from, to) of a byte string (redisPopcount). */
function popcount(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n += BITS_IN_BYTE[s.charCodeAt(i)];
  return n;
}

/**
 * redisBitpos over `count` bytes of s from `from`: the position (relative to `from`) of the first
 * bit equal to `bit`. When there is none: -1 looking for a 1, count*8 looking for a 0 (the string
 * reads as zero-padded on the right).
 */
function firstBit(s: string, from: number, count: number, bit: 0 | 1): number {
  const skip = bit ? 0 : 0xff;
  for (let i = 0; i < count; i++) {
    const b = s.charCodeAt(from + i);
    if (b !== skip) return i * 8 + firstBitInByte(b, bit);
  }
  return bit ? -1 : count * 8;
}

/** firstBit for a single byte value: 0..7, or -1 / 8 when the byte has no such bit. */
function firstBitInByte(b: number, bit: 0 | 1): number {
  for (let k = 0; k < 8; k++) {
    if (((b >> (7 - k)) & 1) === bit) return k;
  }
  return bit ? -1 : 8;
}

/** The byte string s with byte i replaced. */
function withByte(s: string, i: number, byte: number): string {
  return s.slice(0, i) + String.fromCharCode(byte) + s.slice(i + 1);
}

/**
 * getBitOffsetFromArgument: a bit offset, refused when negative or when its byte lies at or beyond
 * proto-max-bulk-len. With fieldBits > 0 (BITFIELD) "#n" means n * fieldBits; that product wraps
 * around 64 bits as in C, so a huge #n can land on a small valid offset.
 */
function getBitOffsetOrReply(c: Client, arg: string, fieldBits = 0): number | null {
  const useHash = fieldBits > 0 && arg.charCodeAt(0) === 35; // '#'
  let v = parseBigInteger(useHash ? arg.slice(1) : arg);
  if (v !== null && useHash) v = BigInt.asIntN(64, v * BigInt(fieldBits));
  const limit = BigInt(c.server.config.num('proto-max-bulk-len'));
  if (v === null || v < 0n || v >> 3n >= limit) {
    c.reply.error(BIT_OFFSET_ERR);
    return null;
  }
  return Number(v);
}

interface BitfieldType {
  signed: boolean;
  bits: number;
}

/**
 * getBitfieldTypeFromArgument: "i1".."i64" or "u1".."u63" (u64 values would not fit a RESP
 * integer). The prefix is case-sensitive; the width is read as a C string (up to a NUL byte).
 */
function getBitfieldTypeOrReply(c: Client, arg: string): BitfieldType | null {
  const sign = arg.charAt(0);
  if (sign === 'i' || sign === 'u') {
    const nul = arg.indexOf('\0', 1);
    const bits = parseInteger(nul < 0 ? arg.slice(1) : arg.slice(1, nul));
    if (bits !== null && bits >= 1 && bits <= (sign === 'i' ? 64 : 63)) return { signed: sign === 'i', bits };
  }
  c.reply.error(BITFIELD_TYPE_ERR);
  return null;
}

/**
 * lookupStringForBitCommand: the string at argv[1] made writable (raw, unshared) and zero-padded
 * so that bit maxBit exists, created if missing. `grown` tells whether it was created or
 * lengthened (that alone counts as a change). Null after replying with an error.
 */
function lookupStringForBit(c: Client, maxBit: number): { o: StringObject; grown: boolean } | null {
  const key = c.argv[1];
  const found = c.db.lookupKeyWrite(key) as StringObject | null;
  if (Db.checkType(c, found, 'string')) return null;
  const needed = Math.floor(maxBit / 8) + 1;
  if (needed > MAX_ENGINE_STRING) {
    // Redis would allocate up to 512MB here; a JS string cannot be that long.
    c.reply.error(BIT_OFFSET_ERR);
    return null;
  }
  if (found === null) {
    // createObject(sdsnewlen(NULL, n)): raw even when short, exact size.
    const o = createRawStringObject(c.server, '\0'.repeat(needed));
    dbAddString(c.db, key, o);
    return { o, grown: true };
  }
  const o = unshareStringValue(c.db, key, found);
  const oldLen = o.value.length;
  if (needed <= oldLen) return { o, grown: false };
  o.sds = sdsGrowZero(o.sds ?? sdsNewLen(oldLen), needed);
  o.value += '\0'.repeat(needed - oldLen);
  return { o, grown: true };
}

/** SETBIT key offset value: replies the bit's previous value. */
function setbitCommand(c: Client): void {
  const offset = getBitOffsetOrReply(c, c.argv[2]);
  if (offset === null) return;
  const on = getLongLongOrReply(c, c.argv[3], BIT_VALUE_ERR);
  if (on === null) return;
  if (on !== 0 && on !== 1) {
    c.reply.error(BIT_VALUE_ERR);
    return;
  }
  const target = lookupStringForBit(c, offset);
  if (target === null) return;
  const { o, grown } = target;

  const byte = Math.floor(offset / 8);
  const mask = 0x80 >> (offset % 8);
  const old = o.value.charCodeAt(byte);
  const was = (old & mask) !== 0;
  if (grown || was !== (on === 1)) {
    o.value = withByte(o.value, byte, on ? old | mask : old & ~mask);
    c.server.signalModifiedKey(c, c.db, c.argv[1]);
    c.server.notifyKeyspaceEvent(NOTIFY_STRING, 'setbit', c.argv[1], c.db.id);
    c.server.dirty++;
  }
  c.reply.integer(was ? 1 : 0);
}

/** GETBIT key offset: bits past the end read as 0. */
function getbitCommand(c: Client): void {
  const offset = getBitOffsetOrReply(c, c.argv[2]);
  if (offset === null) return;
  const o = c.db.lookupKeyReadOrReply(c, c.argv[1], (cl) => cl.reply.integer(0));
  if (!o || Db.checkType(c, o, 'string')) return;
  const s = o.value as string;
  const byte = Math.floor(offset / 8);
  const set = byte < s.length && (s.charCodeAt(byte) & (0x80 >> (offset % 8))) !== 0;
  c.reply.integer(set ? 1 : 0);
}

/** BITOP AND|OR|XOR|NOT destkey key [key ...]: replies the result's length in bytes. */
function bitopCommand(c: Client): void {
  const opName = c.argv[1];
  const op = (['and', 'or', 'xor', 'not'] as const).find((name) => isOption(opName, name));
  if (op === undefined) {
    c.reply.error(SYNTAX_ERR);
    return;
  }
  if (op === 'not' && c.argv.length !== 4) {
    c.reply.error('BITOP NOT must be called with a single source key.');
    return;
  }

  // Missing keys are empty strings; every source reads as zero-padded to the longest.
  const sources: string[] = [];
  let maxLen = 0;
  for (let j = 3; j < c.argv.length; j++) {
    const o = c.db.lookupKeyRead(c.argv[j]);
    if (Db.checkType(c, o, 'string')) return;
    const s = o === null ? '' : (o.value as string);
    sources.push(s);
    if (s.length > maxLen) maxLen = s.length;
  }

  const dest = c.argv[2];
  if (maxLen === 0) {
    // An empty result deletes the destination (dbDelete: no lookup, so no lazy expiry first).
    c.db.deleteAndNotify(c, dest);
    c.reply.integer(0);
    return;
  }

  const res = new Uint8Array(maxLen);
  const first = sources[0];
  for (let i = 0; i < maxLen; i++) {
    let out = i < first.length ? first.charCodeAt(i) : 0;
    if (op === 'not') out = ~out & 0xff;
    for (let k = 1; k < sources.length; k++) {
      const s = sources[k];
      const b = i < s.length ? s.charCodeAt(i) : 0;
      if (op === 'and') {
        out &= b;
        if (out === 0) break;
      } else if (op === 'or') {
        out |= b;
        if (out === 0xff) break;
      } else {
        out ^= b;
      }
    }
    res[i] = out;
  }
  // createObject(sdsnewlen(NULL, maxlen)) stored with setKey: raw, exact size, TTL dropped.
  const o = createRawStringObject(c.server, bytesToBinary(res));
  const found = c.db.lookupKeyWrite(dest) !== null;
  setStringKey(c, dest, o, found, false);
  c.server.notifyKeyspaceEvent(NOTIFY_STRING, 'set', dest, c.db.id);
  c.server.dirty++;
  c.reply.integer(maxLen);
}

/**
 * A start/end range of BITCOUNT and BITPOS, resolved as Redis does: negative indexes count from
 * the end, then both are clamped into the string. In BIT mode they are bit indexes, turned into
 * byte indexes plus masks of the bits outside the range in the first and last byte.
 */
interface ByteRange {
  start: number;
  end: number;
  /** Bits of byte `start` before the range (BIT mode), else 0. */
  firstMask: number;
  /** Bits of byte `end` after the range (BIT mode), else 0. */
  lastMask: number;
}

function resolveRange(start: bigint, end: bigint, strlen: number, isBit: boolean): ByteRange {
  const total = BigInt(isBit ? strlen * 8 : strlen);
  if (start < 0n) start += total;
  if (end < 0n) end += total;
  if (start < 0n) start = 0n;
  if (end < 0n) end = 0n;
  if (end >= total) end = total - 1n;
  let firstMask = 0;
  let lastMask = 0;
  if (isBit && start <= end) {
    firstMask = ~((1 << (8 - Number(start & 7n))) - 1) & 0xff;
    lastMask = (1 << (7 - Number(end & 7n))) - 1;
    start >>= 3n;
    end >>= 3n;
  }
  return { start: Number(start), end: Number(end), firstMask, lastMask };
}

/** Parses BIT|BYTE (compared as a C string); null after a syntax error. */
function parseRangeUnit(c: Client, arg: string): boolean | null {
  if (isOption(arg, 'bit')) return true;
  if (isOption(arg, 'byte')) return false;
  c.reply.error(SYNTAX_ERR);
  return null;
}

/** BITCOUNT key [start end [BYTE|BIT]] */
function bitcountCommand(c: Client): void {
  const o = c.db.lookupKeyReadOrReply(c, c.argv[1], (cl) => cl.reply.integer(0));
  if (!o || Db.checkType(c, o, 'string')) return;
  const s = o.value as string;
  const argc = c.argv.length;

  let range: ByteRange;
  if (argc === 4 || argc === 5) {
    const start = getBigIntOrReply(c, c.argv[2]);
    if (start === null) return;
    const end = getBigIntOrReply(c, c.argv[3]);
    if (end === null) return;
    // Checked before the unit is even parsed.
    if (start < 0n && end < 0n && start > end) {
      c.reply.integer(0);
      return;
    }
    let isBit = false;
    if (argc === 5) {
      const unit = parseRangeUnit(c, c.argv[4]);
      if (unit === null) return;
      isBit = unit;
    }
    range = resolveRange(start, end, s.length, isBit);
  } else if (argc === 2) {
    range = { start: 0, end: s.length - 1, firstMask: 0, lastMask: 0 };
  } else {
    c.reply.error(SYNTAX_ERR);
    return;
  }

  const { start, end, firstMask, lastMask } = range;
  if (start > end) {
    c.reply.integer(0);
    return;
  }
  let count = popcount(s, start, end + 1);
  // Take away the bits of the edge bytes that lie outside a BIT range.
  if (firstMask) count -= BITS_IN_BYTE[s.charCodeAt(start) & firstMask];
  if (lastMask) count -= BITS_IN_BYTE[s.charCodeAt(end) & lastMask];
  c.reply.integer(count);
}

/** BITPOS key bit [start [end [BYTE|BIT]]] */
function bitposCommand(c: Client): void {
  const bitArg = getLongLongOrReply(c, c.argv[2]);
  if (bitArg === null) return;
  if (bitArg !== 0 && bitArg !== 1) {
    c.reply.error('The bit argument must be 1 or 0.');
    return;
  }
  const bit = bitArg as 0 | 1;
  // A missing key is an endless run of zeros.
  const o = c.db.lookupKeyRead(c.argv[1]);
  if (o === null) {
    c.reply.integer(bit ? -1 : 0);
    return;
  }
  if (Db.checkType(c, o, 'string')) return;
  const s = o.value as string;
  const argc = c.argv.length;

  let range: ByteRange;
  let endGiven = false;
  if (argc >= 4 && argc <= 6) {
    const start = getBigIntOrReply(c, c.argv[3]);
    if (start === null) return;
    // The unit is parsed before the end.
    let isBit = false;
    if (argc === 6) {
      const unit = parseRangeUnit(c, c.argv[5]);
      if (unit === null) return;
      isBit = unit;
    }
    let end = BigInt(s.length) - 1n;
    if (argc >= 5) {
      const e = getBigIntOrReply(c, c.argv[4]);
      if (e === null) return;
      end = e;
      endGiven = true;
    }
    range = resolveRange(start, end, s.length, isBit);
  } else if (argc === 3) {
    range = { start: 0, end: s.length - 1, firstMask: 0, lastMask: 0 };
  } else {
    c.reply.error(SYNTAX_ERR);
    return;
  }

  if (range.start > range.end) {
    // An empty range holds neither a 0 nor a 1.
    c.reply.integer(-1);
    return;
  }
  const found = searchRange(s, range, bit);
  // With an explicit end the string is not zero-padded: a 0 just past the range does not count.
  if (endGiven && bit === 0 && found.pos === found.bytes * 8) {
    c.reply.integer(-1);
    return;
  }
  c.reply.integer(found.pos === -1 ? -1 : found.pos + found.start * 8);
}

/**
 * The scan of bitposCommand over a non-empty byte range, in its three steps: the masked first
 * byte, the whole bytes, the masked last byte. Returns the position found (relative to the byte
 * `start` where the last step began, with firstBit's not-found values) and the bytes that step
 * covered, which the caller needs for its final checks.
 */
function searchRange(s: string, range: ByteRange, bit: 0 | 1): { pos: number; start: number; bytes: number } {
  let { start } = range;
  const { end, firstMask, lastMask } = range;
  let bytes = end - start + 1;
  let pos: number;
  if (firstMask) {
    let b = bit ? s.charCodeAt(start) & ~firstMask : s.charCodeAt(start) | firstMask;
    if (lastMask && bytes === 1) b = bit ? b & ~lastMask : b | lastMask;
    pos = firstBitInByte(b & 0xff, bit);
    if (bytes === 1 || (pos !== -1 && pos !== 8)) return { pos, start, bytes };
    start++;
    bytes--;
  }
  // The last byte is scanned separately when part of it lies outside the range.
  const whole = bytes - (lastMask ? 1 : 0);
  if (whole > 0) {
    pos = firstBit(s, start, whole, bit);
    if (bytes === whole || (pos !== -1 && pos !== whole * 8)) return { pos, start, bytes };
    start += whole;
    bytes -= whole;
  }
  const b = bit ? s.charCodeAt(end) & ~lastMask : s.charCodeAt(end) | lastMask;
  pos = firstBitInByte(b & 0xff, bit);
  return { pos, start, bytes };
}

// --- BITFIELD ----------------------------------------------------------------------------------

type Overflow = 'wrap' | 'sat' | 'fail';
type FieldOp = 'get' | 'set' | 'incrby';

interface BitfieldOp {
  op: FieldOp;
  offset: number;
  /** SET value or INCRBY increment (a C long long). */
  value: bigint;
  overflow: Overflow;
  signed: boolean;
  bits: number;
}

/** The bits [offset, offset+bits) of s as an unsigned number; bits past the end read as 0. */
function getUnsignedField(s: string, offset: number, bits: number): bigint {
  let v = 0n;
  for (let j = 0; j < bits; j++) {
    const pos = offset + j;
    const byte = Math.floor(pos / 8);
    const b = byte < s.length ? (s.charCodeAt(byte) >> (7 - (pos % 8))) & 1 : 0;
    v = (v << 1n) | BigInt(b);
  }
  return v;
}

/** s with bits [offset, offset+bits) set to the low bits of value (s must be long enough). */
function setField(s: string, offset: number, bits: number, value: bigint): string {
  const first = Math.floor(offset / 8);
  const last = Math.floor((offset + bits - 1) / 8);
  const bytes = new Uint8Array(last - first + 1);
  for (let i = 0; i < bytes.length; i++) bytes[i] = s.charCodeAt(first + i);
  for (let j = 0; j < bits; j++) {
    const rel = offset - first * 8 + j;
    const mask = 0x80 >> (rel % 8);
    const i = Math.floor(rel / 8);
    if ((value >> BigInt(bits - 1 - j)) & 1n) bytes[i] |= mask;
    else bytes[i] &= ~mask;
  }
  return s.slice(0, first) + bytesToBinary(bytes) + s.slice(last + 1);
}

const u64 = (v: bigint) => BigInt.asUintN(64, v);
const i64 = (v: bigint) => BigInt.asIntN(64, v);

/**
 * Whether value + incr overflows (1) or underflows (-1) a field, and the value to store then
 * (wrapped or saturated; null under FAIL). The checks are Redis's, with C's 64-bit wrap-around
 * kept: a signed SET of a value at most the field's maximum above INT64_MIN makes `max - value`
 * wrap negative, so Redis reports an overflow, not an underflow, and SAT stores the maximum
 * (SET i8 -9223372036854775808 stores 127).
 */
interface OverflowCheck {
  overflow: -1 | 0 | 1;
  limit: bigint | null;
}

/** checkUnsignedBitfieldOverflow (value as uint64, incr as int64). */
function checkUnsignedOverflow(value: bigint, incr: bigint, bits: number, mode: Overflow): OverflowCheck {
  const max = (1n << BigInt(bits)) - 1n;
  const maxIncr = i64(max - value);
  const minIncr = i64(-value);
  const wrapped = () => u64(value + incr) & max;
  if (value > max || (incr > 0n && incr > maxIncr)) {
    return { overflow: 1, limit: mode === 'wrap' ? wrapped() : mode === 'sat' ? max : null };
  }
  if (incr < 0n && incr < minIncr) {
    return { overflow: -1, limit: mode === 'wrap' ? wrapped() : mode === 'sat' ? 0n : null };
  }
  return { overflow: 0, limit: null };
}

/** checkSignedBitfieldOverflow (value and incr as int64). */
function checkSignedOverflow(value: bigint, incr: bigint, bits: number, mode: Overflow): OverflowCheck {
  const max = (1n << BigInt(bits - 1)) - 1n;
  const min = -max - 1n;
  const maxIncr = i64(max - value);
  const minIncr = i64(min - value);
  // The sum wraps in 64 bits, then is sign-extended from the field's top bit.
  const wrapped = () => BigInt.asIntN(bits, value + incr);
  const full = bits === 64;
  if (value > max || (!full && incr > maxIncr) || (value >= 0n && incr > 0n && incr > maxIncr)) {
    return { overflow: 1, limit: mode === 'wrap' ? wrapped() : mode === 'sat' ? max : null };
  }
  if (value < min || (!full && incr < minIncr) || (value < 0n && incr < 0n && incr < minIncr)) {
    return { overflow: -1, limit: mode === 'wrap' ? wrapped() : mode === 'sat' ? min : null };
  }
  return { overflow: 0, limit: null };
}

/**
 * A SET or INCRBY on a field holding oldVal: the value to store (wrapped or saturated on overflow)
 * and the reply (SET: the old value, INCRBY: the new one); null when OVERFLOW FAIL refuses it.
 */
function fieldWrite(op: BitfieldOp, oldVal: bigint): { newVal: bigint; reply: bigint } | null {
  const incrby = op.op === 'incrby';
  let newVal: bigint;
  let check: OverflowCheck;
  if (op.signed) {
    newVal = incrby ? oldVal + op.value : op.value;
    check = incrby
      ? checkSignedOverflow(oldVal, op.value, op.bits, op.overflow)
      : checkSignedOverflow(op.value, 0n, op.bits, op.overflow);
  } else {
    // Unsigned arithmetic is on uint64: a negative SET value is a huge one.
    const base = incrby ? oldVal : u64(op.value);
    const incr = incrby ? op.value : 0n;
    newVal = u64(base + incr);
    check = checkUnsignedOverflow(base, incr, op.bits, op.overflow);
  }
  if (check.overflow) {
    if (check.limit === null) return null;
    newVal = check.limit;
  }
  return { newVal, reply: incrby ? newVal : oldVal };
}

/**
 * Parses the BITFIELD subcommands (OVERFLOW applies to the operations after it). Null after
 * replying with the first error met, before anything is looked up.
 */
function parseBitfieldOps(c: Client): BitfieldOp[] | null {
  const argv = c.argv;
  const ops: BitfieldOp[] = [];
  let overflow: Overflow = 'wrap';
  for (let j = 2; j < argv.length; j++) {
    const remaining = argv.length - j - 1;
    const sub = argv[j];
    let op: FieldOp;
    if (isOption(sub, 'get') && remaining >= 2) op = 'get';
    else if (isOption(sub, 'set') && remaining >= 3) op = 'set';
    else if (isOption(sub, 'incrby') && remaining >= 3) op = 'incrby';
    else if (isOption(sub, 'overflow') && remaining >= 1) {
      const mode = argv[++j];
      if (isOption(mode, 'wrap')) overflow = 'wrap';
      else if (isOption(mode, 'sat')) overflow = 'sat';
      else if (isOption(mode, 'fail')) overflow = 'fail';
      else {
        c.reply.error('Invalid OVERFLOW type specified');
        return null;
      }
      continue;
    } else {
      c.reply.error(SYNTAX_ERR);
      return null;
    }

    const type = getBitfieldTypeOrReply(c, argv[j + 1]);
    if (type === null) return null;
    const offset = getBitOffsetOrReply(c, argv[j + 2], type.bits);
    if (offset === null) return null;
    let value = 0n;
    if (op !== 'get') {
      const v = getBigIntOrReply(c, argv[j + 3]);
      if (v === null) return null;
      value = v;
    }
    ops.push({ op, offset, value, overflow, signed: type.signed, bits: type.bits });
    j += op === 'get' ? 2 : 3;
  }
  return ops;
}

/** bitfieldGeneric: BITFIELD, and BITFIELD_RO (readOnly: only GET is allowed). */
function bitfieldGeneric(c: Client, readOnly: boolean): void {
  const ops = parseBitfieldOps(c);
  if (ops === null) return;

  let o: StringObject | null;
  let grown = false;
  let highestWrite = -1;
  for (const op of ops) {
    if (op.op !== 'get') highestWrite = Math.max(highestWrite, op.offset + op.bits - 1);
  }
  if (highestWrite < 0) {
    // Only GETs: a read lookup; a missing key reads as zeros.
    o = c.db.lookupKeyRead(c.argv[1]) as StringObject | null;
    if (Db.checkType(c, o, 'string')) return;
  } else {
    if (readOnly) {
      c.reply.error('BITFIELD_RO only supports the GET subcommand');
      return;
    }
    // Room for the farthest bit any write reaches, made once before the operations run.
    const target = lookupStringForBit(c, highestWrite);
    if (target === null) return;
    o = target.o;
    grown = target.grown;
  }

  c.reply.array(ops.length);
  let changes = 0;
  for (const op of ops) {
    const s = o === null ? '' : o.value;
    const raw = getUnsignedField(s, op.offset, op.bits);
    const current = op.signed ? BigInt.asIntN(op.bits, raw) : raw;
    if (op.op === 'get') {
      c.reply.integer(current);
      continue;
    }
    const write = fieldWrite(op, current);
    if (write === null) {
      // OVERFLOW FAIL: nothing is written and the reply is a null.
      c.reply.null();
      continue;
    }
    c.reply.integer(write.reply);
    o!.value = setField(s, op.offset, op.bits, write.newVal);
    if (grown || current !== write.newVal) changes++;
  }

  if (changes) {
    c.server.signalModifiedKey(c, c.db, c.argv[1]);
    c.server.notifyKeyspaceEvent(NOTIFY_STRING, 'setbit', c.argv[1], c.db.id);
    c.server.dirty += changes;
  }
}

export const bitopsCommands: CommandImplementations = {
  setbit: setbitCommand,
  getbit: getbitCommand,
  bitop: bitopCommand,
  bitcount: bitcountCommand,
  bitpos: bitposCommand,
  bitfield: (c) => bitfieldGeneric(c, false),
  bitfield_ro: (c) => bitfieldGeneric(c, true),
};
