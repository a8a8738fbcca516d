// HyperLogLog commands (hyperloglog.c): PFADD, PFCOUNT, PFMERGE and the PFDEBUG / PFSELFTEST
// internals. An HLL is a plain string value (see ds/hyperloglog.ts for its bytes), so every
// command first checks that the string really is one, and edits it in place like APPEND does.
import {
  HLL_DENSE,
  HLL_DENSE_SIZE,
  HLL_HDR_SIZE,
  HLL_OVERFLOW_CARD,
  HLL_REGISTER_MAX,
  HLL_REGISTERS,
  HLL_SPARSE,
  HyperLogLog,
  denseGet,
  denseSetRegister,
  hllEstimate,
  hllPattern,
  rawRegisterHistogram,
} from '../ds/hyperloglog.ts';
import { sdsNewLen } from '../ds/sds.ts';
import type { Client } from '../server/client.ts';
import type { CommandImplementations } from '../server/commandTable.ts';
import { Db } from '../server/db.ts';
import { NOTIFY_STRING } from '../server/notify.ts';
import type { RedisServer } from '../server/redisServer.ts';
import {
  createRawStringObject,
  dbAddString,
  unshareStringValue,
  type StringObject,
} from '../server/stringObject.ts';
import { SideTable } from '../sideTable.ts';

const INVALID_HLL_ERR = '-INVALIDOBJ Corrupted HLL object detected';
const NOT_HLL_ERR = '-WRONGTYPE Key is not a valid HyperLogLog string value.';

// ---------------------------------------------------------------------------------------------
// Between commands an HLL is only its string value. Decoding 12 KB of dense registers on every
// PFADD would dominate, so the decoded form is kept per object and reused while the object still
// holds exactly the string it was decoded from (any other write replaces the string).

interface Decoded { value: string; hll: HyperLogLog }
const decodedHlls = new SideTable<StringObject, Decoded>('hyperloglog.decoded');

/** The HLL behind a string object that passed isHllObjectOrReply. */
function hllOf(o: StringObject): HyperLogLog {
  const sds = o.sds ?? sdsNewLen(o.value.length);
  const hit = decodedHlls.get(o);
  if (hit !== undefined && hit.value === o.value) {
    hit.hll.sds = sds;
    return hit.hll;
  }
  const hll = HyperLogLog.fromString(o.value, sds);
  decodedHlls.set(o, { value: o.value, hll });
  return hll;
}

/** Writes an HLL's bytes (if they changed) and allocation back into its string object. */
function storeHll(o: StringObject, hll: HyperLogLog): void {
  o.value = hll.snapshot(o.value);
  o.sds = hll.sds;
  decodedHlls.set(o, { value: o.value, hll });
}

/** createHLLObject: a raw string holding an empty sparse HLL. */
function createHllObject(server: RedisServer): StringObject {
  const hll = HyperLogLog.createEmpty();
  const o = createRawStringObject(server, hll.toString());
  o.sds = hll.sds;
  decodedHlls.set(o, { value: o.value, hll });
  return o;
}

/**
 * isHLLObjectOrReply: the key holds a string (else the usual WRONGTYPE) that looks like an HLL
 * (else Redis's own WRONGTYPE text). An int-encoded string never is one.
 */
function isHllObjectOrReply(c: Client, o: StringObject): boolean {
  if (Db.checkType(c, o, 'string')) return false;
  if (o.encoding === 'int' || !HyperLogLog.isValidFormat(o.value)) {
    c.reply.error(NOT_HLL_ERR);
    return false;
  }
  return true;
}

function sparseMaxBytes(c: Client): number {
  return c.server.config.num('hll-sparse-max-bytes');
}

/** hllCount's uint64 as PFCOUNT's reply (addReplyLongLong): 2^63 shows as LLONG_MIN. */
function replyCardinality(c: Client, card: number): void {
  if (card >= HLL_OVERFLOW_CARD) c.reply.integer(-(2n ** 63n));
  // Above 2^53 a number prints rounded ("...028000"); its exact integer value is wanted.
  else c.reply.integer(Number.isSafeInteger(card) ? card : BigInt(card));
}

// ---------------------------------------------------------------------------------------------

/** PFADD key [element ...]: 1 if the key was created or any register changed, else 0. */
function pfaddCommand(c: Client): void {
  const key = c.argv[1];
  let o = c.db.lookupKeyWrite(key) as StringObject | null;
  let updated = 0;
  if (o === null) {
    o = createHllObject(c.server);
    dbAddString(c.db, key, o);
    updated++;
  } else {
    if (!isHllObjectOrReply(c, o)) return;
    o = unshareStringValue(c.db, key, o);
  }
  const hll = hllOf(o);
  const maxBytes = sparseMaxBytes(c);
  for (let j = 2; j < c.argv.length; j++) {
    const r = hll.add(c.argv[j], maxBytes);
    if (r === 1) {
      updated++;
    } else if (r === -1) {
      // Registers changed before the corrupted part stay changed, as in Redis.
      storeHll(o, hll);
      c.reply.error(INVALID_HLL_ERR);
      return;
    }
  }
  if (updated) {
    c.server.signalModifiedKey(c, c.db, key);
    c.server.notifyKeyspaceEvent(NOTIFY_STRING, 'pfadd', key, c.db.id);
    c.server.dirty += updated;
    hll.invalidateCache();
  }
  storeHll(o, hll);
  c.reply.integer(updated ? 1 : 0);
}

/**
 * PFCOUNT key [key ...]. One key: the cached cardinality, or a fresh estimate that is then
 * cached in the value (a write, though the command is flagged read-only). Several keys: the
 * estimate of their union, computed in a temporary and stored nowhere.
 */
function pfcountCommand(c: Client): void {
  if (c.argv.length > 2) {
    const max = new Uint8Array(HLL_REGISTERS);
    for (let j = 1; j < c.argv.length; j++) {
      const o = c.db.lookupKeyRead(c.argv[j]) as StringObject | null;
      if (o === null) continue; // a missing key counts as an empty HLL
      if (!isHllObjectOrReply(c, o)) return;
      if (!hllOf(o).mergeInto(max)) {
        c.reply.error(INVALID_HLL_ERR);
        return;
      }
    }
    replyCardinality(c, hllEstimate(rawRegisterHistogram(max)));
    return;
  }

  const key = c.argv[1];
  let o = c.db.lookupKeyRead(key) as StringObject | null;
  if (o === null) {
    c.reply.integer(0);
    return;
  }
  if (!isHllObjectOrReply(c, o)) return;
  o = unshareStringValue(c.db, key, o);
  const hll = hllOf(o);
  const cached = hll.cachedCardinality();
  if (cached !== null) {
    c.reply.integer(cached);
    return;
  }
  const card = hll.count();
  if (card === null) {
    c.reply.error(INVALID_HLL_ERR);
    return;
  }
  hll.setCachedCardinality(BigInt(card));
  storeHll(o, hll);
  c.server.signalModifiedKey(c, c.db, key);
  c.server.dirty++;
  replyCardinality(c, card);
}

/**
 * PFMERGE destkey [sourcekey ...]: destkey := union of itself and the sources. The result is
 * dense if any input was dense; otherwise it stays sparse (until it outgrows the sparse limit).
 */
function pfmergeCommand(c: Client): void {
  const max = new Uint8Array(HLL_REGISTERS);
  let useDense = false;
  // The destination is read as an input too (j starts at 1).
  for (let j = 1; j < c.argv.length; j++) {
    const o = c.db.lookupKeyRead(c.argv[j]) as StringObject | null;
    if (o === null) continue;
    if (!isHllObjectOrReply(c, o)) return;
    const hll = hllOf(o);
    if (hll.encodingByte === HLL_DENSE) useDense = true;
    if (!hll.mergeInto(max)) {
      c.reply.error(INVALID_HLL_ERR);
      return;
    }
  }

  const key = c.argv[1];
  let o = c.db.lookupKeyWrite(key) as StringObject | null;
  if (o === null) {
    o = createHllObject(c.server);
    dbAddString(c.db, key, o);
  } else {
    // Already checked as an input above.
    o = unshareStringValue(c.db, key, o);
  }
  const hll = hllOf(o);
  if (useDense && !hll.toDense()) {
    c.reply.error(INVALID_HLL_ERR);
    return;
  }
  const maxBytes = sparseMaxBytes(c);
  for (let j = 0; j < HLL_REGISTERS; j++) {
    if (max[j] !== 0) hll.setRegister(j, max[j], maxBytes);
  }
  hll.invalidateCache();
  storeHll(o, hll);

  c.server.signalModifiedKey(c, c.db, key);
  // Redis reports a merge as "pfadd": in effect it adds many elements at once.
  c.server.notifyKeyspaceEvent(NOTIFY_STRING, 'pfadd', key, c.db.id);
  c.server.dirty++;
  c.reply.ok();
}

// ---------------------------------------------------------------------------------------------

/** The argument as C's %s and strcasecmp see it: up to the first NUL byte. */
function cString(s: string): string {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

/**
 * PFDEBUG GETREG|DECODE|ENCODING|TODENSE key. The key is looked up (and unshared) before the
 * subcommand is even read, so an unknown subcommand on a missing key reports the key.
 */
function pfdebugCommand(c: Client): void {
  const sub = cString(c.argv[1]);
  const key = c.argv[2];
  let o = c.db.lookupKeyWrite(key) as StringObject | null;
  if (o === null) {
    c.reply.error('The specified key does not exist');
    return;
  }
  if (!isHllObjectOrReply(c, o)) return;
  o = unshareStringValue(c.db, key, o);
  const hll = hllOf(o);

  switch (sub.toLowerCase()) {
    case 'getreg': {
      // Converting to dense is kept: GETREG leaves a sparse HLL dense.
      if (hll.encodingByte === HLL_SPARSE) {
        if (!hll.toDense()) {
          c.reply.error(INVALID_HLL_ERR);
          return;
        }
        storeHll(o, hll);
        c.server.dirty++;
      }
      const regs = hll.registers()!;
      c.reply.array(HLL_REGISTERS);
      for (let j = 0; j < HLL_REGISTERS; j++) c.reply.integer(regs[j]);
      break;
    }
    case 'decode':
      if (hll.encodingByte !== HLL_SPARSE) {
        c.reply.error('HLL encoding is not sparse');
        return;
      }
      c.reply.bulk(hll.decode());
      break;
    case 'encoding':
      c.reply.status(hll.encoding);
      break;
    case 'todense': {
      let converted = false;
      if (hll.encodingByte === HLL_SPARSE) {
        if (!hll.toDense()) {
          c.reply.error(INVALID_HLL_ERR);
          return;
        }
        storeHll(o, hll);
        converted = true;
        c.server.dirty++;
      }
      c.reply.integer(converted ? 1 : 0);
      break;
    }
    default:
      c.reply.error(`Unknown PFDEBUG subcommand '${sub}'`);
  }
}

/** PFSELFTEST: rounds of the register check (HLL_TEST_CYCLES), elements of the estimate check. */
const SELFTEST_CYCLES = 1000;
const SELFTEST_ELEMENTS = 10_000_000;

/**
 * PFSELFTEST: Redis's own self-check, run on this implementation. 1) registers written at random
 * to a dense array read back unchanged; 2) adding 10 million distinct elements to a dense and a
 * sparse HLL side by side, at 1, 10, 100 ... elements: a small sparse HLL is still sparse, both
 * estimate the same, and the error stays within 6 standard errors (exactly 1 at 10 elements).
 */
function pfselftestCommand(c: Client): void {
  // Local copies: imported bindings cost a lookup per use in some module loaders, and the loops
  // below run tens of millions of times.
  const registers = HLL_REGISTERS;
  const at = HLL_HDR_SIZE;
  const getRegister = denseGet;
  const setRegister = denseSetRegister;
  const random = c.server.random;
  const dense = new Uint8Array(HLL_DENSE_SIZE + 1);
  const expected = new Uint8Array(HLL_REGISTERS);
  for (let cycle = 0; cycle < SELFTEST_CYCLES; cycle++) {
    for (let i = 0; i < registers; i++) {
      const r = random.nextU32() & HLL_REGISTER_MAX;
      expected[i] = r;
      setRegister(dense, at, i, r);
    }
    for (let i = 0; i < registers; i++) {
      const v = getRegister(dense, at, i);
      if (v !== expected[i]) {
        c.reply.error(`TESTFAILED Register ${i} should be ${expected[i]} but is ${v}`);
        return;
      }
    }
  }

  const maxBytes = sparseMaxBytes(c);
  const denseHll = HyperLogLog.createEmpty();
  denseHll.toDense();
  const sparseHll = HyperLogLog.createEmpty();
  const relerr = 1.04 / Math.sqrt(HLL_REGISTERS);
  const seedLo = random.nextU32();
  const seedHi = random.nextU32();
  // Element j is the 8 little-endian bytes of j ^ seed; j < 2^32 leaves the high word alone.
  const high = String.fromCharCode(seedHi & 0xff, (seedHi >>> 8) & 0xff, (seedHi >>> 16) & 0xff, seedHi >>> 24);
  const pattern = hllPattern;
  let checkpoint = 1;
  for (let j = 1; j <= SELFTEST_ELEMENTS; j++) {
    const lo = (j ^ seedLo) >>> 0;
    const ele = String.fromCharCode(lo & 0xff, (lo >>> 8) & 0xff, (lo >>> 16) & 0xff, lo >>> 24) + high;
    // Hashed once for both (hllAdd = hllPatLen + set): the 20 million hashes would dominate.
    const { register, count } = pattern(ele);
    denseHll.setRegister(register, count, maxBytes);
    sparseHll.setRegister(register, count, maxBytes);
    if (j !== checkpoint) continue;

    if (j < Math.floor(maxBytes / 2) && sparseHll.encodingByte !== HLL_SPARSE) {
      c.reply.error('TESTFAILED sparse encoding not used');
      return;
    }
    const card = denseHll.count()!;
    if (card !== sparseHll.count()) {
      c.reply.error('TESTFAILED dense/sparse disagree');
      return;
    }
    const maxerr = j === 10 ? 1 : Math.ceil(relerr * 6 * checkpoint);
    const abserr = Math.abs(checkpoint - card);
    if (abserr > maxerr) {
      c.reply.error(`TESTFAILED Too big error. card:${checkpoint} abserr:${abserr}`);
      return;
    }
    checkpoint *= 10;
  }
  c.reply.ok();
}

export const hyperloglogCommands: CommandImplementations = {
  pfadd: pfaddCommand,
  pfcount: pfcountCommand,
  pfmerge: pfmergeCommand,
  pfdebug: pfdebugCommand,
  pfselftest: pfselftestCommand,
};
