// A HyperLogLog exactly as Redis 7.0 keeps it (hyperloglog.c): an ordinary string value whose bytes
// are a 16-byte header followed by 16384 registers, so GET shows the very bytes Redis would store.
//
// Header: "HYLL", one encoding byte (0 = dense, 1 = sparse), three unused bytes, and an 8-byte
// little-endian cache of the last computed cardinality; the top bit of its last byte set means
// "cache invalid, recompute".
//
// Each element is hashed with MurmurHash64A (seed 0xadc83b19). The low 14 bits of the hash choose
// a register; the register remembers the longest "run of zeros then a one" (counting the one, so
// 1..51) seen in the remaining 50 bits. The cardinality is estimated from how many registers hold
// each value (Ertl's estimator, "New cardinality estimation algorithms for HyperLogLog sketches").
//
// Two encodings of the registers:
// - dense: 16384 registers of 6 bits packed little-endian-first into 12288 bytes;
// - sparse: a run-length code of opcodes, good while most registers are still zero:
//     ZERO  00xxxxxx            1..64 zero registers
//     XZERO 01xxxxxx yyyyyyyy   1..16384 zero registers (14-bit length)
//     VAL   1vvvvvll            1..4 registers of value 1..32
//   A sparse HLL becomes dense when a register needs a value above 32, or when growing the code
//   would pass hll-sparse-max-bytes. It never goes back.
//
// The bytes live in a Uint8Array that always keeps one zero byte after the content: Redis relies
// on the sds NUL terminator there (reading the last dense register, or the second byte of an
// XZERO cut off at the end of a corrupted value), so the same reads give the same answers here.
// The SdsInfo beside it models the allocation, so DEBUG SDSLEN sees Redis's growth pattern.
import { bytesToBinary } from '../bytes.ts';
import { sdsMakeRoomFor, sdsNewLen, type SdsInfo } from './sds.ts';

/** Register index bits (HLL_P). */
export const HLL_P = 14;
/** Hash bits left to count the zero run in (HLL_Q). */
export const HLL_Q = 64 - HLL_P;
export const HLL_REGISTERS = 1 << HLL_P;
export const HLL_BITS = 6;
export const HLL_REGISTER_MAX = (1 << HLL_BITS) - 1;
export const HLL_HDR_SIZE = 16;
/** Header plus 16384 six-bit registers. */
export const HLL_DENSE_SIZE = HLL_HDR_SIZE + Math.floor((HLL_REGISTERS * HLL_BITS + 7) / 8);
/** Encoding byte values. */
export const HLL_DENSE = 0;
export const HLL_SPARSE = 1;
const HLL_MAX_ENCODING = 1;

export const HLL_SPARSE_VAL_MAX_VALUE = 32;
export const HLL_SPARSE_VAL_MAX_LEN = 4;
export const HLL_SPARSE_ZERO_MAX_LEN = 64;
export const HLL_SPARSE_XZERO_MAX_LEN = 16384;

/** The seed Redis hashes elements with. */
export const HLL_HASH_SEED = 0xadc83b19;

/** 0.5 / ln(2): the estimator's constant for an infinite number of registers (HLL_ALPHA_INF). */
const HLL_ALPHA_INF = 0.72134752044448170368;

const MAGIC = [0x48, 0x59, 0x4c, 0x4c]; // "HYLL"

// ---------------------------------------------------------------------------------------------
// MurmurHash64A on 32-bit halves (JS numbers are exact only to 53 bits). The multiplier
// m = 0xc6a4a7935bd1e995 is split as M_HI:M_LO; results come back in hashHi/hashLo to avoid
// allocating a pair per element.

const M_HI = 0xc6a4a793;
const M_LO = 0x5bd1e995;
const M_LO_0 = M_LO & 0xffff;
const M_LO_1 = M_LO >>> 16;

let hashHi = 0;
let hashLo = 0;

/** (hi:lo) * m mod 2^64, into hashHi/hashLo. */
function mulM(hi: number, lo: number): void {
  // The full 64-bit product lo * M_LO from 16-bit pieces, then the cross terms' low halves.
  const a0 = lo & 0xffff;
  const a1 = lo >>> 16;
  const p00 = a0 * M_LO_0;
  const p01 = a0 * M_LO_1;
  const p10 = a1 * M_LO_0;
  const p11 = a1 * M_LO_1;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  hashLo = ((mid << 16) | (p00 & 0xffff)) >>> 0;
  const carry = p11 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
  hashHi = (carry + Math.imul(lo, M_HI) + Math.imul(hi, M_LO)) >>> 0;
}

/**
 * MurmurHash64A of a byte string (chars 0..255), as Redis computes it on any architecture (little
 * endian words). Returns the hash as [high 32 bits, low 32 bits].
 */
export function murmurHash64A(key: string, seed = HLL_HASH_SEED): [number, number] {
  murmurInto(key, seed);
  return [hashHi, hashLo];
}

function murmurInto(key: string, seed: number): void {
  const len = key.length;
  // h = seed ^ (len * m)
  mulM(0, len);
  let hi = hashHi;
  let lo = (hashLo ^ seed) >>> 0;
  const whole = len - (len & 7);
  let i = 0;
  for (; i < whole; i += 8) {
    const kLo = (key.charCodeAt(i) | (key.charCodeAt(i + 1) << 8) | (key.charCodeAt(i + 2) << 16) |
      (key.charCodeAt(i + 3) << 24)) >>> 0;
    const kHi = (key.charCodeAt(i + 4) | (key.charCodeAt(i + 5) << 8) | (key.charCodeAt(i + 6) << 16) |
      (key.charCodeAt(i + 7) << 24)) >>> 0;
    mulM(kHi, kLo); // k *= m
    const k1Hi = hashHi;
    const k1Lo = (hashLo ^ (hashHi >>> 15)) >>> 0; // k ^= k >> 47
    mulM(k1Hi, k1Lo); // k *= m
    mulM((hi ^ hashHi) >>> 0, (lo ^ hashLo) >>> 0); // h ^= k; h *= m
    hi = hashHi;
    lo = hashLo;
  }
  const rest = len & 7;
  if (rest > 0) {
    // The tail bytes go into h at their little-endian positions, then one multiply.
    for (let j = rest - 1; j >= 0; j--) {
      const b = key.charCodeAt(i + j);
      if (j >= 4) hi ^= b << (8 * (j - 4));
      else lo ^= b << (8 * j);
    }
    mulM(hi >>> 0, lo >>> 0);
    hi = hashHi;
    lo = hashLo;
  }
  lo = (lo ^ (hi >>> 15)) >>> 0; // h ^= h >> 47
  mulM(hi, lo);
  hashLo = (hashLo ^ (hashHi >>> 15)) >>> 0;
}

/** Where an element lands: its register and the length of its 0...01 pattern (hllPatLen). */
export interface HllPattern {
  register: number;
  count: number;
}

/** hllPatLen into two numbers: register index and run length 1..51. */
let patRegister = 0;
function patternLength(element: string): number {
  murmurInto(element, HLL_HASH_SEED);
  patRegister = hashLo & (HLL_REGISTERS - 1);
  // The 50 bits above the index, with bit 50 set so the run ends by 51 at the latest.
  const low = hashLo >>> HLL_P; // 18 bits
  if (low !== 0) return trailingZeros(low) + 1;
  if (hashHi !== 0) return 18 + trailingZeros(hashHi) + 1;
  return HLL_Q + 1;
}

function trailingZeros(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/** hllPatLen: the register an element updates and the value it offers. */
export function hllPattern(element: string): HllPattern {
  const count = patternLength(element);
  return { register: patRegister, count };
}

// ---------------------------------------------------------------------------------------------
// The estimator (hllCount's second half).

/** Ertl's sigma: for the share of registers still zero. */
function hllSigma(x: number): number {
  if (x === 1) return Infinity;
  let y = 1;
  let z = x;
  let zPrime: number;
  do {
    x *= x;
    zPrime = z;
    z += x * y;
    y += y;
  } while (zPrime !== z);
  return z;
}

/** Ertl's tau: for the share of registers below the maximum value (51). */
function hllTau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let y = 1;
  let z = 1 - x;
  let zPrime: number;
  do {
    x = Math.sqrt(x);
    zPrime = z;
    y *= 0.5;
    // pow(1 - x, 2) in the C source; compilers turn it into this exact product.
    z -= (1 - x) * (1 - x) * y;
  } while (zPrime !== z);
  return z / 3;
}

/** The value hllCount returns when the estimate does not fit a long long (llroundl overflow). */
export const HLL_OVERFLOW_CARD = 2 ** 63;

/**
 * The cardinality estimate from a register histogram (histogram[v] = registers holding v).
 * An integral double in [0, 2^63]; 2^63 stands for Redis's overflowed llroundl (only reachable
 * with hand-crafted registers), which PFCOUNT shows as -9223372036854775808.
 */
export function hllEstimate(histogram: ArrayLike<number>): number {
  const m = HLL_REGISTERS;
  let z = m * hllTau((m - histogram[HLL_Q + 1]) / m);
  for (let j = HLL_Q; j >= 1; j--) {
    z += histogram[j];
    z *= 0.5;
  }
  z += m * hllSigma(histogram[0] / m);
  const e = (HLL_ALPHA_INF * m * m) / z;
  // llroundl rounds half away from zero (Math.round rounds half up: the same for e >= 0).
  return e >= HLL_OVERFLOW_CARD ? HLL_OVERFLOW_CARD : Math.round(e);
}

/** hllRawRegHisto: histogram of a plain array of register values (the multi-key PFCOUNT path). */
export function rawRegisterHistogram(registers: Uint8Array): number[] {
  const histo = new Array<number>(64).fill(0);
  for (let i = 0; i < HLL_REGISTERS; i++) histo[registers[i]]++;
  return histo;
}

// ---------------------------------------------------------------------------------------------
// Sparse opcodes.

/** One sparse opcode, for DECODE and inspection panels. */
export interface SparseOpcode {
  kind: 'zero' | 'xzero' | 'val';
  /** Byte offset of the opcode in the value. */
  offset: number;
  /** First register it covers. */
  first: number;
  /** Registers covered. */
  length: number;
  /** Register value (0 for ZERO/XZERO). */
  value: number;
}

/** Everything a panel needs to draw an HLL. */
export interface HyperLogLogView {
  encoding: 'dense' | 'sparse';
  /** Size of the string value in bytes. */
  bytes: number;
  /** The cached cardinality, or null when the cache is marked invalid. */
  cachedCardinality: bigint | null;
  /** The 16384 register values; null when a corrupted sparse code does not cover them exactly. */
  registers: Uint8Array | null;
  /** The sparse code, opcode by opcode (null when dense). */
  opcodes: SparseOpcode[] | null;
}

/** Result of a register update: 1 changed, 0 no change needed, -1 corrupted value. */
export type HllSetResult = 1 | 0 | -1;

export class HyperLogLog {
  /**
   * Content in [0, len). buf[len] mirrors the sds terminator: 0, except right after one odd edit
   * of a corrupted code (an XZERO cut off at the end), where Redis also overwrites it.
   */
  private buf: Uint8Array;
  private len: number;
  /** The modelled allocation behind the value (DEBUG SDSLEN). */
  sds: SdsInfo;
  /**
   * Bytes changed since the last snapshot(), as [changedFrom, changedTo); empty when from > to.
   * Dense updates touch a byte or two, so the string value can be patched instead of rebuilt.
   */
  private changedFrom = Infinity;
  private changedTo = 0;

  private constructor(buf: Uint8Array, len: number, sds: SdsInfo) {
    this.buf = buf;
    this.len = len;
    this.sds = sds;
  }

  /** createHLLObject: an empty sparse HLL, one XZERO covering every register, cache = 0 (valid). */
  static createEmpty(): HyperLogLog {
    const xzeros = Math.ceil(HLL_REGISTERS / HLL_SPARSE_XZERO_MAX_LEN);
    const len = HLL_HDR_SIZE + xzeros * 2;
    const buf = new Uint8Array(len + 1);
    buf.set(MAGIC, 0);
    buf[4] = HLL_SPARSE;
    let p = HLL_HDR_SIZE;
    for (let left = HLL_REGISTERS; left > 0;) {
      const run = Math.min(left, HLL_SPARSE_XZERO_MAX_LEN);
      writeXZero(buf, p, run);
      p += 2;
      left -= run;
    }
    return new HyperLogLog(buf, len, sdsNewLen(len));
  }

  /** An HLL over a string value's bytes (which must pass isValidFormat for the commands). */
  static fromString(value: string, sds: SdsInfo): HyperLogLog {
    const len = value.length;
    const buf = new Uint8Array(len + 1);
    for (let i = 0; i < len; i++) buf[i] = value.charCodeAt(i);
    return new HyperLogLog(buf, len, sds);
  }

  /**
   * The checks isHLLObjectOrReply makes on a string: room for the header, the magic, a known
   * encoding, and for dense exactly the dense size. Unused header bytes and the sparse code are
   * not checked (a bad code is found when used: "Corrupted HLL object").
   */
  static isValidFormat(value: string): boolean {
    if (value.length < HLL_HDR_SIZE) return false;
    for (let i = 0; i < 4; i++) if (value.charCodeAt(i) !== MAGIC[i]) return false;
    const enc = value.charCodeAt(4);
    if (enc > HLL_MAX_ENCODING) return false;
    return !(enc === HLL_DENSE && value.length !== HLL_DENSE_SIZE);
  }

  /** The value as a byte string (what GET returns). */
  toString(): string {
    return bytesToBinary(this.buf, 0, this.len);
  }

  /**
   * The value as a byte string, given `previous`: the value at the last snapshot (or when this
   * HLL was created or read). Unchanged bytes are taken from it, so a PFADD that moves one dense
   * register does not rebuild 12 KB of string.
   */
  snapshot(previous: string): string {
    const from = this.changedFrom;
    const to = Math.min(this.changedTo, this.len);
    this.changedFrom = Infinity;
    this.changedTo = 0;
    if (from >= to && previous.length === this.len) return previous;
    if (previous.length !== this.len || to - from > 64) return this.toString();
    return previous.slice(0, from) + bytesToBinary(this.buf, from, to) + previous.slice(to);
  }

  private changed(from: number, to: number): void {
    if (from < this.changedFrom) this.changedFrom = from;
    if (to > this.changedTo) this.changedTo = to;
  }

  get byteLength(): number { return this.len; }

  /** The encoding byte of the header (HLL_DENSE or HLL_SPARSE for a valid value). */
  get encodingByte(): number { return this.buf[4]; }

  get encoding(): 'dense' | 'sparse' { return this.buf[4] === HLL_DENSE ? 'dense' : 'sparse'; }

  // --- the cached cardinality ------------------------------------------------------------------

  /** HLL_VALID_CACHE */
  get cacheValid(): boolean { return (this.buf[15] & 0x80) === 0; }

  /** The cached cardinality (8 bytes little endian), or null when marked invalid. */
  cachedCardinality(): bigint | null {
    if (!this.cacheValid) return null;
    const b = this.buf;
    const lo = (b[8] | (b[9] << 8) | (b[10] << 16) | (b[11] << 24)) >>> 0;
    const hi = (b[12] | (b[13] << 8) | (b[14] << 16) | (b[15] << 24)) >>> 0;
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** Stores a cardinality in the cache (a value >= 2^63 reads back as invalid, as in Redis). */
  setCachedCardinality(card: bigint): void {
    let v = card;
    for (let i = 8; i < 16; i++) {
      this.buf[i] = Number(v & 0xffn);
      v >>= 8n;
    }
    this.changed(8, 16);
  }

  /** HLL_INVALIDATE_CACHE */
  invalidateCache(): void {
    if (this.buf[15] & 0x80) return;
    this.buf[15] |= 0x80;
    this.changed(15, 16);
  }

  // --- adding ---------------------------------------------------------------------------------

  /**
   * hllAdd: hash the element and raise its register if the element's run is longer. A sparse HLL
   * may become dense on the way (see setRegister).
   */
  add(element: string, sparseMaxBytes: number): HllSetResult {
    const count = patternLength(element);
    return this.setRegister(patRegister, count, sparseMaxBytes);
  }

  /**
   * Raise register `index` to `count` if it is lower: hllDenseSet or hllSparseSet by encoding.
   * Returns 1 if it changed, 0 if not, -1 if the sparse code is corrupted.
   */
  setRegister(index: number, count: number, sparseMaxBytes: number): HllSetResult {
    const enc = this.buf[4];
    if (enc === HLL_DENSE) return this.denseSet(index, count);
    if (enc === HLL_SPARSE) return this.sparseSet(index, count, sparseMaxBytes);
    return -1;
  }

  /** One register's value (0..63), from either encoding; null when the sparse code is corrupted. */
  getRegister(index: number): number | null {
    if (this.buf[4] === HLL_DENSE) return denseGet(this.buf, HLL_HDR_SIZE, index);
    const regs = this.registers();
    return regs === null ? null : regs[index];
  }

  // --- dense ----------------------------------------------------------------------------------

  /** hllDenseSet */
  private denseSet(index: number, count: number): HllSetResult {
    if (count <= denseGet(this.buf, HLL_HDR_SIZE, index)) return 0;
    denseSetRegister(this.buf, HLL_HDR_SIZE, index, count);
    const byte = HLL_HDR_SIZE + ((index * HLL_BITS) >>> 3);
    this.changed(byte, byte + 2);
    return 1;
  }

  /**
   * hllSparseToDense: rewrite a sparse HLL as dense (header, cache included, copied over). False,
   * leaving the value as it was, when the sparse code does not cover exactly 16384 registers.
   */
  toDense(): boolean {
    if (this.buf[4] === HLL_DENSE) return true;
    const dense = new Uint8Array(HLL_DENSE_SIZE + 1);
    dense.set(this.buf.subarray(0, HLL_HDR_SIZE));
    dense[4] = HLL_DENSE;
    const valid = walkSparse(this.buf, this.len, (first, run, value) => {
      for (let i = first; i < first + run; i++) denseSetRegister(dense, HLL_HDR_SIZE, i, value);
    });
    if (!valid) return false;
    this.buf = dense;
    this.len = HLL_DENSE_SIZE;
    this.sds = sdsNewLen(HLL_DENSE_SIZE);
    this.changed(0, Infinity);
    return true;
  }

  // --- sparse ---------------------------------------------------------------------------------

  /**
   * hllSparseSet: find the opcode covering `index`; if the register must grow, rewrite that opcode
   * in place (split into up to three opcodes), then merge neighbouring equal VALs. Promotes to
   * dense when count > 32 or when the code would grow beyond sparseMaxBytes.
   */
  private sparseSet(index: number, count: number, sparseMaxBytes: number): HllSetResult {
    if (count > HLL_SPARSE_VAL_MAX_VALUE) return this.promote(index, count);

    // The worst split (XZERO -> XZERO VAL XZERO) needs 3 more bytes; Redis reserves them first,
    // whether or not they are used.
    this.makeRoomFor(3);
    const b = this.buf;
    const sparse = HLL_HDR_SIZE;
    let end = this.len;

    // Step 1: the opcode at p covers registers first .. first+span-1; prev is the one before it.
    let p = sparse;
    let first = 0;
    let prev = -1;
    let span = 0;
    while (p < end) {
      const op = b[p];
      let oplen = 1;
      if ((op & 0xc0) === 0) span = (op & 0x3f) + 1;
      else if (op & 0x80) span = (op & 3) + 1;
      else {
        span = xzeroLen(b, p);
        oplen = 2;
      }
      if (index <= first + span - 1) break;
      prev = p;
      p += oplen;
      first += span;
    }
    if (span === 0 || p >= end) return -1; // the code ends before the register: corrupted

    const op = b[p];
    const isXZero = (op & 0xc0) === 0x40;
    const isZero = (op & 0xc0) === 0;
    const isVal = !isXZero && !isZero;
    let next = isXZero ? p + 2 : p + 1;
    if (next >= end) next = -1;
    const runlen = isZero ? (op & 0x3f) + 1 : isXZero ? xzeroLen(b, p) : (op & 3) + 1;

    updated: {
      if (isVal) {
        // A: already as high: nothing to do. B: a VAL of one register: change it in place.
        if (((op >> 2) & 0x1f) + 1 >= count) return 0;
        if (runlen === 1) {
          b[p] = valOpcode(count, 1);
          break updated;
        }
      }
      // C: a ZERO of one register becomes a VAL of one register.
      if (isZero && runlen === 1) {
        b[p] = valOpcode(count, 1);
        break updated;
      }

      // D: split the opcode into [before] VAL(count,1) [after], each side keeping its kind.
      const seq: number[] = [];
      const last = first + span - 1;
      if (isZero || isXZero) {
        if (index !== first) pushZeroRun(seq, index - first);
        seq.push(valOpcode(count, 1));
        if (index !== last) pushZeroRun(seq, last - index);
      } else {
        const curval = ((op >> 2) & 0x1f) + 1;
        if (index !== first) seq.push(valOpcode(curval, index - first));
        seq.push(valOpcode(count, 1));
        if (index !== last) seq.push(valOpcode(curval, last - index));
      }

      // Step 3: put the new sequence in place of the old opcode, shifting the rest.
      const oldlen = isXZero ? 2 : 1;
      const deltalen = seq.length - oldlen;
      if (deltalen > 0 && this.len + deltalen > sparseMaxBytes) return this.promote(index, count);
      if (deltalen !== 0 && next >= 0) b.copyWithin(next + deltalen, next, end);
      this.incrLen(deltalen);
      for (let i = 0; i < seq.length; i++) b[p + i] = seq[i];
      end += deltalen;
    }

    // Step 4: merge adjacent VALs of equal value (up to 4 registers each), looking at no more
    // than five opcodes from the one before the change.
    p = prev >= 0 ? prev : sparse;
    let scanlen = 5;
    while (p < end && scanlen-- > 0) {
      const cur = b[p];
      if ((cur & 0xc0) === 0x40) {
        p += 2;
        continue;
      }
      if ((cur & 0xc0) === 0) {
        p++;
        continue;
      }
      if (p + 1 < end && (b[p + 1] & 0x80) !== 0) {
        const v1 = ((cur >> 2) & 0x1f) + 1;
        const v2 = ((b[p + 1] >> 2) & 0x1f) + 1;
        if (v1 === v2) {
          const len = (cur & 3) + 1 + (b[p + 1] & 3) + 1;
          if (len <= HLL_SPARSE_VAL_MAX_LEN) {
            b[p + 1] = valOpcode(v1, len);
            b.copyWithin(p, p + 1, end + 1);
            this.incrLen(-1);
            end--;
            // Stay on p: the merged VAL may merge with the next one too.
            continue;
          }
        }
      }
      p++;
    }

    this.buf[15] |= 0x80; // invalidate the cached cardinality
    this.changed(0, Infinity); // the code may have moved: no point tracking exact bytes
    return 1;
  }

  /** The promote: label of hllSparseSet: convert, then set the register in the dense form. */
  private promote(index: number, count: number): HllSetResult {
    if (!this.toDense()) return -1;
    return this.denseSet(index, count);
  }

  /** sdsMakeRoomFor (greedy) on the model, and real room in the buffer (plus the terminator). */
  private makeRoomFor(addlen: number): void {
    this.sds = sdsMakeRoomFor(this.sds, addlen);
    if (this.buf.length < this.len + addlen + 1) {
      const grown = new Uint8Array(Math.max(this.len + addlen + 1, this.buf.length * 2));
      grown.set(this.buf);
      this.buf = grown;
    }
  }

  /** sdsIncrLen: the length moves (within the reserved room) and the terminator follows it. */
  private incrLen(delta: number): void {
    if (delta === 0) return;
    this.len += delta;
    this.buf[this.len] = 0;
    const s = this.sds;
    this.sds = { ...s, len: this.len, alloc: s.type === 5 ? this.len : s.alloc };
  }

  // --- reading --------------------------------------------------------------------------------

  /**
   * Register histogram (hllDenseRegHisto / hllSparseRegHisto). `valid` is false when a sparse
   * code does not cover exactly 16384 registers.
   */
  histogram(): { histogram: number[]; valid: boolean } {
    const histo = new Array<number>(64).fill(0);
    const b = this.buf;
    if (b[4] === HLL_DENSE) {
      for (let i = 0; i < HLL_REGISTERS; i++) histo[denseGet(b, HLL_HDR_SIZE, i)]++;
      return { histogram: histo, valid: true };
    }
    const valid = walkSparse(b, this.len, (_first, run, value) => { histo[value] += run; });
    return { histogram: histo, valid };
  }

  /** hllCount: the estimate, or null for a corrupted sparse code. See hllEstimate for its range. */
  count(): number | null {
    const { histogram, valid } = this.histogram();
    return valid ? hllEstimate(histogram) : null;
  }

  /**
   * hllMerge: max[i] = max(max[i], register i). False for a corrupted sparse code (max may then
   * hold part of it, as in Redis, where the caller gives up anyway).
   */
  mergeInto(max: Uint8Array): boolean {
    const b = this.buf;
    if (b[4] === HLL_DENSE) {
      for (let i = 0; i < HLL_REGISTERS; i++) {
        const v = denseGet(b, HLL_HDR_SIZE, i);
        if (v > max[i]) max[i] = v;
      }
      return true;
    }
    return walkSparse(b, this.len, (first, run, value) => {
      for (let i = first; i < first + run; i++) if (value > max[i]) max[i] = value;
    });
  }

  /** All 16384 registers as plain numbers; null when a sparse code is corrupted. */
  registers(): Uint8Array | null {
    const regs = new Uint8Array(HLL_REGISTERS);
    if (this.buf[4] === HLL_DENSE) {
      for (let i = 0; i < HLL_REGISTERS; i++) regs[i] = denseGet(this.buf, HLL_HDR_SIZE, i);
      return regs;
    }
    const valid = walkSparse(this.buf, this.len, (first, run, value) => {
      if (value) regs.fill(value, first, first + run);
    });
    return valid ? regs : null;
  }

  /** The sparse code opcode by opcode (a cut-off XZERO reads its missing byte as 0, as Redis does). */
  sparseOpcodes(): SparseOpcode[] {
    const out: SparseOpcode[] = [];
    const b = this.buf;
    let p = HLL_HDR_SIZE;
    let first = 0;
    while (p < this.len) {
      const op = b[p];
      let o: SparseOpcode;
      if ((op & 0xc0) === 0) {
        o = { kind: 'zero', offset: p, first, length: (op & 0x3f) + 1, value: 0 };
        p++;
      } else if ((op & 0xc0) === 0x40) {
        o = { kind: 'xzero', offset: p, first, length: xzeroLen(b, p), value: 0 };
        p += 2;
      } else {
        o = { kind: 'val', offset: p, first, length: (op & 3) + 1, value: ((op >> 2) & 0x1f) + 1 };
        p++;
      }
      out.push(o);
      first += o.length;
    }
    return out;
  }

  /** PFDEBUG DECODE's text: "z:<len>", "Z:<len>", "v:<value>,<len>" separated by spaces. */
  decode(): string {
    return this.sparseOpcodes()
      .map((o) => (o.kind === 'zero' ? `z:${o.length}` : o.kind === 'xzero' ? `Z:${o.length}` : `v:${o.value},${o.length}`))
      .join(' ');
  }

  /** Encoding, size, cache, registers and opcodes for a panel. */
  inspect(): HyperLogLogView {
    const sparse = this.buf[4] !== HLL_DENSE;
    return {
      encoding: sparse ? 'sparse' : 'dense',
      bytes: this.len,
      cachedCardinality: this.cachedCardinality(),
      registers: this.registers(),
      opcodes: sparse ? this.sparseOpcodes() : null,
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Byte-level helpers.

/** HLL_DENSE_GET_REGISTER: register i of the 6-bit array starting at `at`. */
export function denseGet(b: Uint8Array, at: number, i: number): number {
  const bit = i * HLL_BITS;
  const byte = at + (bit >>> 3);
  const fb = bit & 7;
  // The byte after the last register is the sds terminator (0), so this read is always in range.
  return ((b[byte] >>> fb) | (b[byte + 1] << (8 - fb))) & HLL_REGISTER_MAX;
}

/** HLL_DENSE_SET_REGISTER: write a 6-bit value (the byte after it keeps its other bits). */
export function denseSetRegister(b: Uint8Array, at: number, i: number, v: number): void {
  const bit = i * HLL_BITS;
  const byte = at + (bit >>> 3);
  const fb = bit & 7;
  const fb8 = 8 - fb;
  b[byte] = (b[byte] & ~(HLL_REGISTER_MAX << fb)) | (v << fb);
  b[byte + 1] = (b[byte + 1] & ~(HLL_REGISTER_MAX >>> fb8)) | (v >>> fb8);
}

/**
 * Walks a sparse code from the header to `len`, calling onRun(first, length, value) for every
 * opcode (value 0 for ZERO/XZERO). True when the runs cover exactly the 16384 registers.
 *
 * Any opcode that would run past the last register stops the walk as corrupted. Redis 7.0.15 as
 * released only checked VAL opcodes here (and let ZERO runs overflow an int); the build Debian
 * ships carries the CVE-2025-32023 fix, which checks every opcode in hllSparseToDense,
 * hllSparseRegHisto and hllMerge. The real server being the reference, this follows the fix.
 */
function walkSparse(b: Uint8Array, len: number, onRun: (first: number, run: number, value: number) => void): boolean {
  let idx = 0;
  let p = HLL_HDR_SIZE;
  while (p < len) {
    const op = b[p];
    let run: number;
    let value = 0;
    if ((op & 0xc0) === 0) {
      run = (op & 0x3f) + 1;
      p++;
    } else if ((op & 0xc0) === 0x40) {
      run = xzeroLen(b, p);
      p += 2;
    } else {
      run = (op & 3) + 1;
      value = ((op >> 2) & 0x1f) + 1;
      p++;
    }
    if (idx + run > HLL_REGISTERS) return false;
    onRun(idx, run, value);
    idx += run;
  }
  return idx === HLL_REGISTERS;
}

function xzeroLen(b: Uint8Array, p: number): number {
  return (((b[p] & 0x3f) << 8) | b[p + 1]) + 1;
}

function writeXZero(b: Uint8Array, p: number, len: number): void {
  b[p] = ((len - 1) >> 8) | 0x40;
  b[p + 1] = (len - 1) & 0xff;
}

function valOpcode(value: number, len: number): number {
  return (((value - 1) << 2) | (len - 1) | 0x80) & 0xff;
}

/** A run of zero registers as one ZERO (up to 64) or one XZERO. */
function pushZeroRun(seq: number[], len: number): void {
  if (len > HLL_SPARSE_ZERO_MAX_LEN) seq.push(((len - 1) >> 8) | 0x40, (len - 1) & 0xff);
  else seq.push(len - 1);
}
