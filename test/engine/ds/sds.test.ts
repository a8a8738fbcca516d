import { describe, expect, it } from 'vitest';
import {
  EMBSTR_SIZE_LIMIT,
  embstrObjectSize,
  embstrSds,
  jemallocSize,
  keySdsSize,
  sdsAvail,
  sdsCatLen,
  sdsGrowZero,
  sdsHeaderSize,
  sdsNewLen,
  sdsRemoveFreeSpace,
  sdsTypeFor,
  stringValueSize,
  trimIfNeeded,
  type SdsInfo,
} from '../../../src/engine/ds/sds.ts';

// Numbers below were read from redis-server 7.0.15 (jemalloc 5.3.0) with DEBUG SDSLEN
// (val_sds_len / val_sds_avail / val_zmalloc) and MEMORY USAGE.
const observed = (s: SdsInfo) => ({ len: s.len, avail: sdsAvail(s), zmalloc: s.zmalloc });

/** The value of SET with an argument too long for embstr: exact sds, trimmed when >10% is spare. */
const setRaw = (len: number) => trimIfNeeded(sdsNewLen(len));

describe('jemalloc size classes', () => {
  it('rounds requests up to the x86-64 classes', () => {
    const cases: [number, number][] = [[1, 8], [8, 8], [9, 16], [17, 32], [25, 32], [33, 48], [49, 64], [106, 112],
      [129, 160], [160, 160], [161, 192], [257, 320], [1025, 1280], [14337, 16384], [32774, 40960], [40008, 40960],
      [50008, 57344], [65546, 81920], [1000010, 1048576], [2148587, 2621440], [4000010, 4194304]];
    for (const [req, size] of cases) expect(jemallocSize(req), String(req)).toBe(size);
  });
});

describe('sds headers', () => {
  it('picks the smallest header that holds the length', () => {
    expect([0, 31, 32, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32].map(sdsTypeFor)).toEqual([5, 5, 8, 8, 16, 16, 32, 32, 64]);
    expect([5, 8, 16, 32, 64].map((t) => sdsHeaderSize(t as 5))).toEqual([1, 3, 5, 9, 17]);
  });

  it('never creates an empty sds5', () => {
    expect(sdsNewLen(0)).toEqual({ type: 8, len: 0, alloc: 4, zmalloc: 8 });
    expect(sdsNewLen(1)).toEqual({ type: 5, len: 1, alloc: 1, zmalloc: 8 });
  });
});

describe('string values as DEBUG SDSLEN reports them', () => {
  it('SET of a raw string trims spare capacity above 10% but keeps the block', () => {
    expect(observed(setRaw(45))).toEqual({ len: 45, avail: 0, zmalloc: 64 });
    expect(observed(setRaw(50))).toEqual({ len: 50, avail: 0, zmalloc: 64 });
    expect(observed(setRaw(32768))).toEqual({ len: 32768, avail: 0, zmalloc: 40960 });
    expect(observed(setRaw(40000))).toEqual({ len: 40000, avail: 954, zmalloc: 40960 });
    expect(observed(setRaw(50000))).toEqual({ len: 50000, avail: 0, zmalloc: 57344 });
    expect(observed(setRaw(1000000))).toEqual({ len: 1000000, avail: 48566, zmalloc: 1048576 });
  });

  it('APPEND grows greedily: double below 1MB', () => {
    expect(observed(sdsCatLen(setRaw(50), 1))).toEqual({ len: 51, avail: 57, zmalloc: 112 });
    // An embstr "hello" is first copied to a raw sds5, which cannot keep spare room.
    expect(observed(sdsCatLen(sdsNewLen(5), 1))).toEqual({ len: 6, avail: 6, zmalloc: 16 });
  });

  it('APPEND past 1MB adds 1MB of room', () => {
    expect(observed(sdsCatLen(sdsNewLen(1), 1100000))).toEqual({ len: 1100001, avail: 1521429, zmalloc: 2621440 });
  });

  it('SETRANGE creates an exact sds, then grows with zeros greedily', () => {
    expect(observed(sdsNewLen(7))).toEqual({ len: 7, avail: 0, zmalloc: 16 });
    const e = sdsNewLen(65536);
    expect(observed(e)).toEqual({ len: 65536, avail: 16374, zmalloc: 81920 });
    expect(observed(sdsGrowZero(e, 65537))).toEqual({ len: 65537, avail: 16373, zmalloc: 81920 });
    const k = sdsCatLen(sdsNewLen(1), 1100000);
    expect(observed(sdsGrowZero(k, 3000001))).toEqual({ len: 3000001, avail: 1194293, zmalloc: 4194304 });
    expect(sdsGrowZero(k, 10)).toBe(k); // never shrinks
  });

  it('embstr shares one block with the object', () => {
    expect(observed(embstrSds(5))).toEqual({ len: 5, avail: 0, zmalloc: 16 });
    expect(observed(embstrSds(EMBSTR_SIZE_LIMIT))).toEqual({ len: 44, avail: 0, zmalloc: 48 });
    expect(embstrObjectSize(0)).toBe(32);
  });

  it('removing free space records alloc = len', () => {
    const s = sdsRemoveFreeSpace(sdsCatLen(setRaw(50), 1));
    expect(observed(s)).toEqual({ len: 51, avail: 0, zmalloc: 64 });
  });
});

describe('MEMORY USAGE of string keys', () => {
  // usage = value + key sds + dictEntry (24)
  const usage = (keyLen: number, value: number) => value + keySdsSize(keyLen) + 24;
  it('matches Redis for each encoding', () => {
    expect(usage(1, stringValueSize('int', null, 1))).toBe(48);
    expect(usage(1, stringValueSize('embstr', null, 5))).toBe(64);
    expect(usage(2, stringValueSize('embstr', null, 44))).toBe(96);
    expect(usage(2, stringValueSize('raw', setRaw(45), 45))).toBe(112);
    expect(usage(1, stringValueSize('raw', sdsCatLen(setRaw(50), 1), 51))).toBe(160);
  });
});
