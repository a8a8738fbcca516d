import { describe, expect, it } from 'vitest';
import {
  HLL_DENSE_SIZE,
  HLL_HDR_SIZE,
  HLL_OVERFLOW_CARD,
  HLL_REGISTERS,
  HyperLogLog,
  denseGet,
  denseSetRegister,
  hllEstimate,
  hllPattern,
  murmurHash64A,
  rawRegisterHistogram,
} from '../../../src/engine/ds/hyperloglog.ts';
import { sdsAvail, sdsNewLen } from '../../../src/engine/ds/sds.ts';
import { SeededRandom } from '../../../src/engine/sim/random.ts';

const MASK64 = (1n << 64n) - 1n;
const M = 0xc6a4a7935bd1e995n;

/** MurmurHash64A written plainly with BigInt, to check the 32-bit-halves version against. */
function murmurReference(key: string, seed: bigint): bigint {
  const len = key.length;
  let h = (seed ^ (BigInt(len) * M)) & MASK64;
  const whole = len - (len & 7);
  for (let i = 0; i < whole; i += 8) {
    let k = 0n;
    for (let j = 7; j >= 0; j--) k = (k << 8n) | BigInt(key.charCodeAt(i + j));
    k = (k * M) & MASK64;
    k ^= k >> 47n;
    k = (k * M) & MASK64;
    h ^= k;
    h = (h * M) & MASK64;
  }
  const rest = len & 7;
  if (rest) {
    for (let j = rest - 1; j >= 0; j--) h ^= BigInt(key.charCodeAt(whole + j)) << BigInt(8 * j);
    h = (h * M) & MASK64;
  }
  h ^= h >> 47n;
  h = (h * M) & MASK64;
  h ^= h >> 47n;
  return h;
}

const asBig = ([hi, lo]: [number, number]) => (BigInt(hi) << 32n) | BigInt(lo);

function randomBytes(rnd: SeededRandom, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(rnd.below(256));
  return s;
}

/** Sparse HLL after raising the given registers, in order. */
function sparseWith(sets: [number, number][], maxBytes = 3000): HyperLogLog {
  const h = HyperLogLog.createEmpty();
  for (const [i, v] of sets) h.setRegister(i, v, maxBytes);
  return h;
}

/** A value with the HLL header and the given sparse code bytes. */
function sparseValue(code: number[]): string {
  return 'HYLL\x01\0\0\0' + '\0'.repeat(8) + code.map((b) => String.fromCharCode(b)).join('');
}

describe('MurmurHash64A', () => {
  it('matches values computed by Redis 7.0.15\'s C function (seed 0xadc83b19)', () => {
    const vectors: [string, bigint][] = [
      ['', 0xd8dfea6585bc9732n], ['a', 0x53d2470a9b43b1a7n], ['ab', 0x0eaed676437142cfn],
      ['abc', 0x77ec90aeb374e502n], ['abcd', 0xb079ee3d44202b3en], ['abcde', 0x52a7daa2324a0e8en],
      ['abcdef', 0x3a4f3a74f538b54fn], ['abcdefg', 0x22fe613bb08c9602n], ['abcdefgh', 0xf3a65df559914567n],
      ['abcdefghi', 0x834fba4d9152daf7n], ['hello world, this is redis', 0x13ea3d21686b0718n],
      ['\xff\x00\x80\x7f\x01\xfe\xfd\xfc\xfb', 0xe9b3f2cc9aba171dn],
    ];
    for (const [key, expected] of vectors) expect(asBig(murmurHash64A(key)), JSON.stringify(key)).toBe(expected);
    expect(asBig(murmurHash64A('abc', 0))).toBe(0x9cc9c33498a95efbn);
  });

  it('agrees with a BigInt implementation on random binary keys of every tail length', () => {
    const rnd = new SeededRandom(7);
    for (let n = 0; n < 2000; n++) {
      const key = randomBytes(rnd, n % 70);
      expect(asBig(murmurHash64A(key)), JSON.stringify(key)).toBe(murmurReference(key, 0xadc83b19n));
    }
  });
});

describe('hllPatLen', () => {
  it('takes the register from the low 14 bits and counts the run above them, 1..51', () => {
    const rnd = new SeededRandom(3);
    for (let n = 0; n < 3000; n++) {
      const key = randomBytes(rnd, 1 + (n % 20));
      const h = murmurReference(key, 0xadc83b19n);
      let rest = (h >> 14n) | (1n << 50n);
      let count = 1;
      while ((rest & 1n) === 0n) { count++; rest >>= 1n; }
      expect(hllPattern(key)).toEqual({ register: Number(h & 16383n), count });
    }
  });
});

describe('long runs', () => {
  it('reach 33 for elements found by brute force (8-byte little-endian integers)', () => {
    const le = (n: bigint) => Array.from({ length: 8 }, (_, i) => String.fromCharCode(Number((n >> BigInt(8 * i)) & 255n))).join('');
    expect(hllPattern(le(3130853818n))).toEqual({ register: 3655, count: 33 });
    expect(hllPattern(le(7555790606n))).toEqual({ register: 4539, count: 33 });
    expect(hllPattern(le(9524120947n))).toEqual({ register: 13807, count: 33 });
  });
});

describe('dense registers', () => {
  it('packs 6-bit registers without disturbing neighbours', () => {
    const rnd = new SeededRandom(11);
    const buf = new Uint8Array(HLL_DENSE_SIZE + 1);
    const expected = new Uint8Array(HLL_REGISTERS);
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < HLL_REGISTERS; i++) {
        const v = rnd.below(64);
        expected[i] = v;
        denseSetRegister(buf, HLL_HDR_SIZE, i, v);
      }
      const read = Uint8Array.from({ length: HLL_REGISTERS }, (_, i) => denseGet(buf, HLL_HDR_SIZE, i));
      expect(read).toEqual(expected);
      expect(buf[HLL_DENSE_SIZE]).toBe(0); // the terminator is never written
    }
  });

  it('lays out register 0 in the low bits of byte 0 and register 1 across bytes 0 and 1', () => {
    const buf = new Uint8Array(HLL_DENSE_SIZE + 1);
    denseSetRegister(buf, HLL_HDR_SIZE, 0, 0b111111);
    expect(buf[HLL_HDR_SIZE]).toBe(0b00111111);
    denseSetRegister(buf, HLL_HDR_SIZE, 1, 0b101101);
    expect([buf[HLL_HDR_SIZE], buf[HLL_HDR_SIZE + 1]]).toEqual([0b01111111, 0b1011]);
  });
});

describe('createHLLObject', () => {
  it('is a sparse HLL of one XZERO with a valid zero cache, in an 18-byte sds5', () => {
    const h = HyperLogLog.createEmpty();
    expect(h.toString()).toBe('HYLL\x01\0\0\0\0\0\0\0\0\0\0\0\x7f\xff');
    expect(h.encoding).toBe('sparse');
    expect(h.cachedCardinality()).toBe(0n);
    expect(h.decode()).toBe('Z:16384');
    expect(h.count()).toBe(0);
    expect(h.sds).toEqual(sdsNewLen(18));
  });
});

describe('sparse updates', () => {
  it('splits XZERO into [ZERO|XZERO] VAL [ZERO|XZERO] and invalidates the cache', () => {
    expect(sparseWith([[0, 3]]).decode()).toBe('v:3,1 Z:16383');
    expect(sparseWith([[16383, 3]]).decode()).toBe('Z:16383 v:3,1');
    expect(sparseWith([[50, 2]]).decode()).toBe('z:50 v:2,1 Z:16333');
    expect(sparseWith([[64, 2]]).decode()).toBe('z:64 v:2,1 Z:16319');
    expect(sparseWith([[65, 2]]).decode()).toBe('Z:65 v:2,1 Z:16318');
    const h = sparseWith([[100, 7]]);
    expect(h.decode()).toBe('Z:100 v:7,1 Z:16283');
    expect(h.cacheValid).toBe(false);
  });

  it('replaces a one-register ZERO or VAL in place, splits longer ones', () => {
    expect(sparseWith([[1, 2], [0, 4]]).decode()).toBe('v:4,1 v:2,1 Z:16382');
    expect(sparseWith([[2, 2], [0, 3], [1, 5]]).decode()).toBe('v:3,1 v:5,1 v:2,1 Z:16381');
    // VAL of 4 registers split in the middle keeps the value on both sides.
    const h = sparseWith([[10, 2], [11, 2], [12, 2], [13, 2]]);
    expect(h.decode()).toBe('z:10 v:2,4 Z:16370');
    h.setRegister(11, 5, 3000);
    expect(h.decode()).toBe('z:10 v:2,1 v:5,1 v:2,2 Z:16370');
  });

  it('merges neighbouring equal VALs up to 4 registers', () => {
    expect(sparseWith([[10, 2], [11, 2]]).decode()).toBe('z:10 v:2,2 Z:16372');
    expect(sparseWith([[10, 2], [12, 2], [11, 2]]).decode()).toBe('z:10 v:2,3 Z:16371');
    expect(sparseWith([[0, 1], [1, 1], [2, 1], [3, 1], [4, 1]]).decode()).toBe('v:1,4 v:1,1 Z:16379');
  });

  it('reports 0 when the register is already as high', () => {
    const h = sparseWith([[5, 4]]);
    expect(h.setRegister(5, 4, 3000)).toBe(0);
    expect(h.setRegister(5, 2, 3000)).toBe(0);
    expect(h.setRegister(5, 6, 3000)).toBe(1);
    expect(h.getRegister(5)).toBe(6);
  });

  it('becomes dense for a value above 32, keeping the registers and header', () => {
    const h = sparseWith([[7, 9], [9000, 32]]);
    expect(h.encoding).toBe('sparse');
    expect(h.setRegister(20, 33, 3000)).toBe(1);
    expect(h.encoding).toBe('dense');
    expect(h.byteLength).toBe(HLL_DENSE_SIZE);
    expect([h.getRegister(7), h.getRegister(9000), h.getRegister(20), h.getRegister(21)]).toEqual([9, 32, 33, 0]);
    expect(h.sds).toEqual(sdsNewLen(HLL_DENSE_SIZE));
  });

  it('becomes dense when growing would pass hll-sparse-max-bytes, not before', () => {
    const h = HyperLogLog.createEmpty();
    expect(h.setRegister(1000, 1, 21)).toBe(1); // 18 -> 21 bytes: allowed
    expect(h.encoding).toBe('sparse');
    expect(h.byteLength).toBe(21);
    expect(h.setRegister(1000, 2, 21)).toBe(1); // in place
    expect(h.encoding).toBe('sparse');
    expect(h.setRegister(5000, 1, 21)).toBe(1); // would be 24 bytes
    expect(h.encoding).toBe('dense');
    expect([h.getRegister(1000), h.getRegister(5000)]).toEqual([2, 1]);
  });

  it('grows its allocation like sdsMakeRoomFor(3) before every sparse update', () => {
    const h = HyperLogLog.createEmpty();
    h.setRegister(3, 3, 3000);
    // sds5 of 18 -> greedy room for (18+3)*2 bytes in an sds8 (jemalloc class 48); z:3 v:3,1 Z:16380.
    expect({ len: h.sds.len, avail: sdsAvail(h.sds), zmalloc: h.sds.zmalloc }).toEqual({ len: 20, avail: 24, zmalloc: 48 });
    expect(h.setRegister(3, 1, 3000)).toBe(0);
    expect(h.sds.len).toBe(20);
  });
});

describe('corrupted sparse codes', () => {
  it('are found when used: set, count, merge, convert', () => {
    // Covers only 16383 registers.
    const short = HyperLogLog.fromString(sparseValue([0x7f, 0xfe]), sdsNewLen(18));
    expect(HyperLogLog.isValidFormat(short.toString())).toBe(true);
    expect(short.setRegister(16383, 1, 3000)).toBe(-1);
    expect(short.setRegister(0, 1, 3000)).toBe(1); // registers it does cover still work
    expect(short.count()).toBeNull();
    expect(short.mergeInto(new Uint8Array(HLL_REGISTERS))).toBe(false);
    expect(short.toDense()).toBe(false);
    expect(short.encoding).toBe('sparse');
    expect(short.registers()).toBeNull();
    expect(short.setRegister(0, 40, 3000)).toBe(-1); // promotion fails too
    // Covers too many.
    const long = HyperLogLog.fromString(sparseValue([0x7f, 0xff, 0x00]), sdsNewLen(19));
    expect(long.count()).toBeNull();
    expect(long.toDense()).toBe(false);
    // A VAL past the end: corrupted for every walk (the CVE-2025-32023 checks; see walkSparse).
    const valPastEnd = HyperLogLog.fromString(sparseValue([0x7f, 0xff, 0x80]), sdsNewLen(19));
    expect(valPastEnd.count()).toBeNull();
    expect(valPastEnd.toDense()).toBe(false);
    expect(valPastEnd.mergeInto(new Uint8Array(HLL_REGISTERS))).toBe(false);
    // Many XZEROs whose total would overflow a C int are just as corrupted.
    const huge = HyperLogLog.fromString(sparseValue(Array.from({ length: 2 * 132000 }, (_, i) => (i % 2 ? 0xff : 0x7f)).concat([0xff])), sdsNewLen(16 + 264001));
    expect(huge.count()).toBeNull();
    expect(huge.toDense()).toBe(false);
    // No code at all.
    expect(HyperLogLog.fromString(sparseValue([]), sdsNewLen(16)).setRegister(0, 1, 3000)).toBe(-1);
  });

  it('read a cut-off XZERO\'s missing byte as the terminator', () => {
    // 0x40 alone: XZERO of ((0 << 8) | NUL) + 1 = 1 register.
    const h = HyperLogLog.fromString(sparseValue([0x7f, 0xfe, 0x40]), sdsNewLen(19));
    expect(h.decode()).toBe('Z:16383 Z:1');
    expect(h.count()).toBe(0);
  });
});

describe('format check (isHLLObjectOrReply)', () => {
  it('wants the magic, a known encoding and the exact dense size', () => {
    const empty = HyperLogLog.createEmpty().toString();
    expect(HyperLogLog.isValidFormat(empty)).toBe(true);
    expect(HyperLogLog.isValidFormat(empty.slice(0, 16))).toBe(true);
    expect(HyperLogLog.isValidFormat(empty.slice(0, 15))).toBe(false);
    expect(HyperLogLog.isValidFormat('HYLX' + empty.slice(4))).toBe(false);
    expect(HyperLogLog.isValidFormat('HYLL\x02' + empty.slice(5))).toBe(false);
    expect(HyperLogLog.isValidFormat('HYLL\x00' + empty.slice(5))).toBe(false);
    const dense = 'HYLL\x00\x07\x07\x07' + '\0'.repeat(HLL_DENSE_SIZE - 8);
    expect(HyperLogLog.isValidFormat(dense)).toBe(true); // unused bytes are not checked
    expect(HyperLogLog.isValidFormat(dense + '\0')).toBe(false);
  });
});

describe('estimates', () => {
  it('give 0 for no elements and agree between sparse and dense', () => {
    const sparse = HyperLogLog.createEmpty();
    const dense = HyperLogLog.createEmpty();
    dense.toDense();
    expect(dense.count()).toBe(0);
    for (let i = 0; i < 2000; i++) {
      const el = `element:${i}`;
      sparse.add(el, 1e9);
      dense.add(el, 1e9);
      if (i % 100 === 0) expect(sparse.count()).toBe(dense.count());
    }
    expect(sparse.encoding).toBe('sparse');
    expect(Math.abs(dense.count()! - 2000)).toBeLessThan(2000 * 0.05);
  });

  it('stay within a few standard errors up to 100k elements', () => {
    const h = HyperLogLog.createEmpty();
    for (let i = 1; i <= 100_000; i++) {
      h.add(`e${i}`, 3000);
      if (i === 10 || i === 1000 || i === 100_000) {
        expect(Math.abs(h.count()! - i), String(i)).toBeLessThanOrEqual(Math.ceil((1.04 / 128) * 6 * i));
      }
    }
    expect(h.encoding).toBe('dense');
  });

  it('report 2^63 when the estimate overflows a long long, like llroundl', () => {
    const histo = new Array<number>(64).fill(0);
    histo[60] = HLL_REGISTERS; // registers beyond 51 count for nothing: z = 0
    expect(hllEstimate(histo)).toBe(HLL_OVERFLOW_CARD);
    histo[60] = HLL_REGISTERS - 1;
    histo[50] = 1;
    expect(hllEstimate(histo)).toBe(HLL_OVERFLOW_CARD);
  });

  it('use the raw histogram for plain register arrays', () => {
    const regs = new Uint8Array(HLL_REGISTERS);
    regs[5] = 3;
    regs[6] = 63;
    const histo = rawRegisterHistogram(regs);
    expect([histo[0], histo[3], histo[63]]).toEqual([HLL_REGISTERS - 2, 1, 1]);
  });
});

describe('snapshot', () => {
  it('patches the previous string exactly like a full rebuild, sparse and dense', () => {
    const h = HyperLogLog.createEmpty();
    let value = h.toString();
    const rnd = new SeededRandom(5);
    for (let i = 0; i < 4000; i++) {
      h.add(`s${rnd.below(100000)}`, 3000);
      if (i % 7 === 0) h.invalidateCache();
      if (i % 11 === 0) h.setCachedCardinality(BigInt(i));
      if (i % 3 === 0) {
        value = h.snapshot(value);
        expect(value).toBe(h.toString());
      }
    }
    expect(h.encoding).toBe('dense');
    expect(h.snapshot(value)).toBe(value); // nothing changed since
  });
});

describe('cache and inspection', () => {
  it('keeps the cardinality little-endian with the top bit as the invalid flag', () => {
    const h = HyperLogLog.createEmpty();
    h.setCachedCardinality(0x0102030405n);
    expect(h.toString().slice(8, 16)).toBe('\x05\x04\x03\x02\x01\0\0\0');
    expect(h.cachedCardinality()).toBe(0x0102030405n);
    h.invalidateCache();
    expect(h.toString().charCodeAt(15)).toBe(0x80);
    expect(h.cachedCardinality()).toBeNull();
    h.setCachedCardinality(1n << 63n); // reads back as invalid, as in Redis
    expect(h.cachedCardinality()).toBeNull();
  });

  it('shows encoding, registers and opcodes', () => {
    const h = sparseWith([[2, 5], [100, 1]]);
    const view = h.inspect();
    expect(view.encoding).toBe('sparse');
    expect(view.bytes).toBe(h.byteLength);
    expect(view.cachedCardinality).toBeNull();
    expect(view.opcodes).toEqual([
      { kind: 'zero', offset: 16, first: 0, length: 2, value: 0 },
      { kind: 'val', offset: 17, first: 2, length: 1, value: 5 },
      { kind: 'xzero', offset: 18, first: 3, length: 97, value: 0 },
      { kind: 'val', offset: 20, first: 100, length: 1, value: 1 },
      { kind: 'xzero', offset: 21, first: 101, length: 16283, value: 0 },
    ]);
    expect([view.registers![2], view.registers![100], view.registers![3]]).toEqual([5, 1, 0]);
    h.toDense();
    const dense = h.inspect();
    expect(dense.encoding).toBe('dense');
    expect(dense.opcodes).toBeNull();
    expect([dense.registers![2], dense.registers![100]]).toEqual([5, 1]);
  });
});
