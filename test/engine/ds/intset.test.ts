import { describe, expect, it } from 'vitest';
import { Intset, intsetValueOf, intsetWidthFor, INTSET_HEADER_SIZE } from '../../../src/engine/ds/intset.ts';
import { SeededRandom } from '../../../src/engine/sim/random.ts';

const I64_MIN = -9223372036854775808n;
const I64_MAX = 9223372036854775807n;

describe('intsetWidthFor', () => {
  it('picks the narrowest width at every boundary', () => {
    expect(intsetWidthFor(0n)).toBe(2);
    expect(intsetWidthFor(-32768n)).toBe(2);
    expect(intsetWidthFor(32767n)).toBe(2);
    expect(intsetWidthFor(-32769n)).toBe(4);
    expect(intsetWidthFor(32768n)).toBe(4);
    expect(intsetWidthFor(-2147483648n)).toBe(4);
    expect(intsetWidthFor(2147483647n)).toBe(4);
    expect(intsetWidthFor(-2147483649n)).toBe(8);
    expect(intsetWidthFor(2147483648n)).toBe(8);
    expect(intsetWidthFor(I64_MIN)).toBe(8);
    expect(intsetWidthFor(I64_MAX)).toBe(8);
  });
});

describe('intsetValueOf', () => {
  it('accepts exactly what string2ll accepts', () => {
    expect(intsetValueOf('0')).toBe(0n);
    expect(intsetValueOf('-1')).toBe(-1n);
    expect(intsetValueOf('9223372036854775807')).toBe(I64_MAX);
    expect(intsetValueOf('-9223372036854775808')).toBe(I64_MIN);
    for (const bad of ['', '-', '-0', '01', '+1', ' 1', '1 ', '1.0', '9223372036854775808', '-9223372036854775809', 'abc', '0x10']) {
      expect(intsetValueOf(bad), bad).toBeNull();
    }
  });
});

describe('Intset', () => {
  it('starts empty at 16-bit width with an 8-byte blob', () => {
    const is = new Intset();
    expect(is.length).toBe(0);
    expect(is.width).toBe(2);
    expect(is.blobBytes).toBe(INTSET_HEADER_SIZE);
    expect(is.has(0n)).toBe(false);
    expect(is.search(5n)).toEqual({ found: false, pos: 0 });
  });

  it('keeps values sorted and distinct', () => {
    const is = new Intset();
    expect(is.add(5n)).toBe(true);
    expect(is.add(1n)).toBe(true);
    expect(is.add(3n)).toBe(true);
    expect(is.add(3n)).toBe(false);
    expect(is.add(-7n)).toBe(true);
    expect(is.toArray()).toEqual([-7n, 1n, 3n, 5n]);
    expect([...is.strings()]).toEqual(['-7', '1', '3', '5']);
    expect(is.length).toBe(4);
    expect(is.blobBytes).toBe(8 + 4 * 2);
  });

  it('search reports the insert position when absent', () => {
    const is = Intset.from([10n, 20n, 30n]);
    expect(is.search(5n)).toEqual({ found: false, pos: 0 });
    expect(is.search(10n)).toEqual({ found: true, pos: 0 });
    expect(is.search(15n)).toEqual({ found: false, pos: 1 });
    expect(is.search(30n)).toEqual({ found: true, pos: 2 });
    expect(is.search(31n)).toEqual({ found: false, pos: 3 });
    // Wider than the encoding: cannot be present, position is an end.
    expect(is.search(1n << 40n)).toEqual({ found: false, pos: 3 });
    expect(is.search(-(1n << 40n))).toEqual({ found: false, pos: 0 });
  });

  it('16-bit boundaries stay at 16 bits', () => {
    const is = Intset.from([-32768n, 32767n, 0n]);
    expect(is.width).toBe(2);
    expect(is.toArray()).toEqual([-32768n, 0n, 32767n]);
    expect(is.blobBytes).toBe(8 + 3 * 2);
  });

  it('upgrades 16 -> 32 appending a positive value at the tail', () => {
    const is = Intset.from([1n, 2n, 3n]);
    expect(is.wouldUpgrade(32768n)).toBe(true);
    expect(is.add(32768n)).toBe(true);
    expect(is.width).toBe(4);
    expect(is.toArray()).toEqual([1n, 2n, 3n, 32768n]);
    expect(is.blobBytes).toBe(8 + 4 * 4);
  });

  it('upgrades 16 -> 32 prepending a negative value at the head', () => {
    const is = Intset.from([1n, 2n, 3n]);
    expect(is.add(-32769n)).toBe(true);
    expect(is.width).toBe(4);
    expect(is.toArray()).toEqual([-32769n, 1n, 2n, 3n]);
    expect(is.search(-32769n)).toEqual({ found: true, pos: 0 });
  });

  it('upgrades 32 -> 64 and 16 -> 64 directly', () => {
    const a = Intset.from([-5n, 70000n]);
    expect(a.width).toBe(4);
    a.add(2147483648n);
    expect(a.width).toBe(8);
    expect(a.toArray()).toEqual([-5n, 70000n, 2147483648n]);
    expect(a.blobBytes).toBe(8 + 3 * 8);

    const b = Intset.from([7n]);
    b.add(-2147483649n);
    expect(b.width).toBe(8);
    expect(b.toArray()).toEqual([-2147483649n, 7n]);
  });

  it('32-bit boundaries stay at 32 bits', () => {
    const is = Intset.from([-2147483648n, 2147483647n]);
    expect(is.width).toBe(4);
    is.add(-32769n);
    is.add(32768n);
    expect(is.width).toBe(4);
    expect(is.toArray()).toEqual([-2147483648n, -32769n, 32768n, 2147483647n]);
  });

  it('holds int64 min and max exactly', () => {
    const is = Intset.from([I64_MAX, 0n, I64_MIN, I64_MAX - 1n, I64_MIN + 1n]);
    expect(is.width).toBe(8);
    expect(is.toArray()).toEqual([I64_MIN, I64_MIN + 1n, 0n, I64_MAX - 1n, I64_MAX]);
    expect([...is.strings()]).toEqual(['-9223372036854775808', '-9223372036854775807', '0', '9223372036854775806', '9223372036854775807']);
    expect(is.has(I64_MAX)).toBe(true);
    expect(is.has(I64_MAX - 2n)).toBe(false);
    // Values beyond 2^53 that a double would merge stay distinct.
    const big = Intset.from([9007199254740993n, 9007199254740992n]);
    expect(big.length).toBe(2);
    expect(big.toArray()).toEqual([9007199254740992n, 9007199254740993n]);
  });

  it('refuses values outside int64', () => {
    expect(() => new Intset().add(I64_MAX + 1n)).toThrow(RangeError);
    expect(() => new Intset().add(I64_MIN - 1n)).toThrow(RangeError);
  });

  it('remove keeps order and never narrows the width', () => {
    const is = Intset.from([1n, 2n, 3n, 1n << 40n]);
    expect(is.width).toBe(8);
    expect(is.remove(1n << 40n)).toBe(true);
    expect(is.width).toBe(8);
    expect(is.blobBytes).toBe(8 + 3 * 8);
    expect(is.remove(2n)).toBe(true);
    expect(is.remove(2n)).toBe(false);
    expect(is.toArray()).toEqual([1n, 3n]);
    const narrow = Intset.from([1n]);
    expect(narrow.remove(1n << 40n)).toBe(false);
    expect(narrow.remove(-(1n << 20n))).toBe(false);
    expect(narrow.length).toBe(1);
  });

  it('removeAt removes by position', () => {
    const is = Intset.from([4n, 8n, 15n, 16n]);
    expect(is.removeAt(1)).toBe(8n);
    expect(is.toArray()).toEqual([4n, 15n, 16n]);
    expect(() => is.removeAt(3)).toThrow(RangeError);
  });

  it('agrees with a reference model over random operations', () => {
    const rng = new SeededRandom(42);
    const is = new Intset();
    const model = new Set<bigint>();
    const pick = (): bigint => {
      const r = rng.below(4);
      if (r === 0) return BigInt(rng.below(200) - 100);
      if (r === 1) return BigInt(rng.below(200000) - 100000);
      if (r === 2) return BigInt(rng.nextU32()) - 2147483648n + BigInt(rng.below(3) - 1);
      return (BigInt(rng.nextU32()) << 32n | BigInt(rng.nextU32())) - (1n << 63n);
    };
    for (let step = 0; step < 5000; step++) {
      const v = pick();
      if (rng.below(3) === 0) {
        expect(is.remove(v)).toBe(model.delete(v));
      } else {
        expect(is.add(v)).toBe(!model.has(v));
        model.add(v);
      }
      if (step % 250 === 0) {
        const sorted = [...model].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        expect(is.toArray()).toEqual(sorted);
      }
    }
    const sorted = [...model].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(is.toArray()).toEqual(sorted);
    for (const v of sorted) expect(is.has(v)).toBe(true);
    expect(is.blobBytes).toBe(8 + sorted.length * is.width);
  });

  it('random draws members through the injected PRNG, deterministically', () => {
    const is = Intset.from([10n, 20n, 30n, 40n]);
    const seen = new Set<bigint>();
    const a = new SeededRandom(7);
    const b = new SeededRandom(7);
    for (let i = 0; i < 200; i++) {
      const v = is.random(a);
      expect(is.has(v)).toBe(true);
      expect(is.random(b)).toBe(v);
      seen.add(v);
    }
    expect(seen.size).toBe(4);
    expect(() => new Intset().random(a)).toThrow(RangeError);
  });

  it('inspect and toBytes expose width, contents and the exact little-endian blob', () => {
    const is = Intset.from([-1n, 300n]);
    expect(is.inspect()).toEqual({ width: 2, encoding: 'int16', length: 2, blobBytes: 12, values: [-1n, 300n] });
    expect([...is.toBytes()]).toEqual([2, 0, 0, 0, 2, 0, 0, 0, 0xff, 0xff, 0x2c, 0x01]);
    is.add(1n << 32n);
    const view = is.inspect();
    expect(view.encoding).toBe('int64');
    expect(view.blobBytes).toBe(8 + 3 * 8);
    const bytes = is.toBytes();
    expect(bytes.length).toBe(32);
    expect(bytes[0]).toBe(8);
    expect(bytes[4]).toBe(3);
    expect(new DataView(bytes.buffer).getBigInt64(24, true)).toBe(1n << 32n);
  });

  it('clone is independent', () => {
    const a = Intset.from([1n, 2n]);
    const b = a.clone();
    b.add(70000n);
    b.remove(1n);
    expect(a.toArray()).toEqual([1n, 2n]);
    expect(a.width).toBe(2);
    expect(b.toArray()).toEqual([2n, 70000n]);
    expect(b.width).toBe(4);
  });
});
