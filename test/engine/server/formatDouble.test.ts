import { describe, expect, it } from 'vitest';
import { formatDouble, formatG, parseDouble } from '../../../src/engine/numbers.ts';
import { SeededRandom } from '../../../src/engine/sim/random.ts';

describe('formatDouble ("%.17g" as Redis 7.0 replies)', () => {
  it.each([
    [1.5, '1.5'], [0.1, '0.10000000000000001'], [1, '1'], [-0, '-0'], [1e20, '1e+20'],
    [1e16, '10000000000000000'], [1e17, '1e+17'], [0.0001, '0.0001'], [0.00001, '1.0000000000000001e-05'],
    [Infinity, 'inf'], [-Infinity, '-inf'], [123456789.123, '123456789.123'],
  ])('%d -> %s', (d, text) => {
    expect(formatDouble(d)).toBe(text);
  });

  // formatDouble has fast paths; formatG(d, 17) is the general conversion they must agree with.
  it('gives the same strings as the general %.17g conversion', () => {
    const rnd = new SeededRandom(7);
    const bits = new DataView(new ArrayBuffer(8));
    const samples: number[] = [
      0, -0, 1e-4, -1e-4, 9.9999999999999991e-5, 1.0000000000000001e-4, 1e-5, 1e16, 1e17, -1e17,
      99999999999999984, 1e17 - 16, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 0.1, 0.5, 1.5, 123.25, 1e21, 1e-300,
      Number.MIN_VALUE, Number.MAX_VALUE, Number.EPSILON, 1125899906842624.25, 999999999999999.9,
      9999999999999998, 90071992547409920, 2 ** 56, 0.30000000000000004, 1 / 3, 2 / 3, 3.14159, 100, 12345.678,
    ];
    for (let i = 0; i < 20_000; i++) {
      // Random bit patterns cover every exponent; scaled integers and two-decimal values are
      // what scores usually look like.
      bits.setUint32(0, rnd.nextU32());
      bits.setUint32(4, rnd.nextU32());
      samples.push(bits.getFloat64(0));
      samples.push(rnd.below(1_000_000) / 100, -rnd.below(1_000_000) / 100);
      samples.push(rnd.nextU32() * rnd.nextU32(), rnd.next() * 10 ** (rnd.below(40) - 20));
      samples.push((rnd.nextU32() * 2 ** 21 + rnd.below(2 ** 21)) / 2 ** rnd.below(60));
    }
    for (const d of samples) {
      if (!Number.isFinite(d)) continue;
      const general = formatG(d, 17);
      if (formatDouble(d) !== general) expect([d, formatDouble(d)]).toEqual([d, general]);
      const negated = formatG(-d, 17);
      if (formatDouble(-d) !== negated) expect([-d, formatDouble(-d)]).toEqual([-d, negated]);
    }
  });

  // Exact halfway cases: C rounds them to even, JavaScript's toPrecision would round up.
  it.each([
    [1125899906842624.25, '1125899906842624.2'], [-1125899906842624.25, '-1125899906842624.2'],
    [562949953421312.125, '562949953421312.12'],
  ])('rounds the exact tie %d to even: %s', (d, text) => {
    expect(formatDouble(d)).toBe(text);
    expect(formatG(d, 17)).toBe(text);
  });

  it('matches %g at other precisions', () => {
    expect(formatG(3.14159, 3)).toBe('3.14');
    expect(formatG(1234567, 6)).toBe('1.23457e+06');
  });
});

describe('parseDouble (strtod with Redis checks)', () => {
  it.each([
    ['1.5', 1.5], ['-2', -2], ['.5', 0.5], ['5.', 5], ['1e3', 1000], ['inf', Infinity], ['-inf', -Infinity],
    ['+inf', Infinity], ['Infinity', Infinity], ['0x10', 16], ['0', 0], ['-0', -0],
  ])('accepts %j', (s, v) => {
    expect(parseDouble(s)).toBe(v);
  });

  it.each(['', ' 1', '1 ', 'abc', 'nan', '1e400', '1e-400', '--1', '1.2.3'])('refuses %j', (s) => {
    expect(parseDouble(s)).toBeNull();
  });
});
