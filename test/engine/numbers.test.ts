import { describe, expect, it } from 'vitest';
import {
  addLongDouble,
  formatHumanDouble,
  formatLongDoubleHuman,
  incrByFloatText,
  longDoubleFromBigInt,
  longDoubleFromNumber,
  parseLongDouble,
} from '../../src/engine/numbers.ts';

// Expected texts were produced by glibc strtold + x87 addition + printf("%.17Lf") with Redis's
// trimming (the same steps redis-server 7.0 takes on x86-64), and spot-checked against redis-server.
const SUMS: [string, string, string][] = [
  ['0.1', '0.2', '0.3'],
  ['0.1', '0.7', '0.8'],
  ['1.1', '2.2', '3.3'],
  ['10.5', '-0.5', '10'],
  ['3.0e3', '-3000', '0'],
  ['5.0e3', '2.0e2', '5200'],
  ['10', '-11.5', '-1.5'],
  // printf rounds the exact binary value half-to-even at the 17th decimal
  ['0', '0.000003814697265625', '0.00000381469726562'],
  ['0', '0.000011444091796875', '0.00001144409179688'],
  ['0', '0.000000000000000015', '0.00000000000000002'],
  // "-0.00000000000000000" trims to "-0", which Redis turns into "0"
  ['0', '-0.000000000000000005', '0'],
  ['0', '1e-20', '0'],
  ['0', '-1e-20', '0'],
  ['-0', '-0', '0'],
  // 64-bit mantissa: every int64 is exact, 2^64-1 is not
  ['9223372036854775807', '1', '9223372036854775808'],
  ['18446744073709551615', '1', '18446744073709551616'],
  ['36893488147419103231', '0', '36893488147419103232'],
  ['1.5', '0x1p-1', '2'],
  ['0x10', '0.25', '16.25'],
  ['0X.8P1', '0', '1'],
  ['+.5', '.5', '1'],
  ['5.', '1', '6'],
  ['1e4000', '-1e4000', '0'],
  ['0xf.fffffffffffffffp16380', '-0xf.fffffffffffffffp16380', '0'],
  ['1e-4950', '0', '0'],
  ['0.3333333333333333333333333333', '0.6666666666666666666666666667', '1'],
  ['123456789.123456789123456789', '0.000000001', '123456789.12345679011923494'],
  ['-123.456', '123.456', '0'],
  ['3.14159265358979323846', '0', '3.14159265358979324'],
  ['2.718281828459045', '1e10', '10000000002.71828182879835367'],
  ['1e17', '0.5', '100000000000000000.5'],
  ['1e18', '0.5', '1000000000000000000.5'],
];

describe('incrByFloatText', () => {
  it.each(SUMS)('%s + %s = %s', (a, b, want) => {
    expect(incrByFloatText(a, b)).toEqual({ ok: true, text: want });
  });

  it('prints huge sums in full fixed notation', () => {
    const check = (a: string, b: string, len: number, head: string, tail: string) => {
      const r = incrByFloatText(a, b);
      if (!r.ok) throw new Error(r.error);
      expect(r.text.length).toBe(len);
      expect(r.text.startsWith(head)).toBe(true);
      expect(r.text.endsWith(tail)).toBe(true);
    };
    check('1e308', '1e308', 309, '1999999999999999999933717593116912913211', '56510092687857156096');
    check('1e4000', '1', 4000, '9999999999999999999965463873099623784932', '06648276349901340672');
    check('1.18973149535723176502e4932', '0', 4933, '1189731495357231765021263853030970205169', '19552086811989770240');
  });

  it('treats a missing value as 0', () => {
    expect(incrByFloatText(null, '2.5')).toEqual({ ok: true, text: '2.5' });
    expect(incrByFloatText(null, '-0')).toEqual({ ok: true, text: '0' });
  });

  it('refuses infinite and NaN results', () => {
    for (const [a, b] of [['inf', '1'], ['-inf', '-1'], ['inf', '-inf'], ['1', 'infinity'],
      ['0xf.fffffffffffffffp16380', '0xf.fffffffffffffffp16380']]) {
      expect(incrByFloatText(a, b)).toEqual({ ok: false, error: 'nan-or-infinity' });
    }
  });

  it('reports which operand is not a float, current first', () => {
    expect(incrByFloatText('abc', 'def')).toEqual({ ok: false, error: 'current-not-float' });
    expect(incrByFloatText('1', 'def')).toEqual({ ok: false, error: 'increment-not-float' });
    expect(incrByFloatText('nan', '1')).toEqual({ ok: false, error: 'current-not-float' });
  });
});

describe('parseLongDouble (string2ld)', () => {
  const valid = (s: string) => parseLongDouble(s) !== null;

  it('accepts strtold syntax over the whole string', () => {
    for (const s of ['0', '-0', '+0', '1', '1.', '.5', '-.5e1', '1e5', '1E+05', '1e-05', '00001', '0x1p3', '0X1.8P-1',
      '0x.8', 'inf', '-INF', 'Infinity', '+infinity', '1e0000000000000000000000000000001']) {
      expect(valid(s), s).toBe(true);
    }
  });

  it('refuses what Redis refuses', () => {
    for (const s of ['', ' 1', '\t1', '\n1', '1 ', '1\0', 'abc', '.', '-', '+', 'e5', '1e', '1e+', '.e1', '0x',
      '0x.', '0x.p1', '0x1p', '1..2', '1.2.3', 'infin', 'nan', '-nan', 'NaN(123)', '1,5', '١']) {
      expect(valid(s), JSON.stringify(s)).toBe(false);
    }
  });

  it('refuses strings of 5120 bytes or more', () => {
    expect(valid('1'.padEnd(5119, '0'))).toBe(false); // valid syntax but overflows
    expect(valid('0.'.padEnd(5119, '0') + '')).toBe(true);
    expect(valid('0.'.padEnd(5120, '0'))).toBe(false);
  });

  it('refuses overflow to infinity and underflow to zero, keeps subnormals', () => {
    expect(valid('1.18973149535723176505e4932')).toBe(true); // rounds down to the maximum
    expect(valid('1.189731495357231765085e4932')).toBe(false); // rounds up to infinity
    expect(valid('0x1p16383')).toBe(true);
    expect(valid('0x1p16384')).toBe(false);
    expect(valid('0x1p-16445')).toBe(true); // smallest subnormal
    expect(valid('0x1p-16446')).toBe(false); // exactly half of it: ties to even, zero
    expect(valid('0x1.0000001p-16446')).toBe(true);
    expect(valid('1.8225997659412373013e-4951')).toBe(true);
    expect(valid('1.822599765941237301e-4951')).toBe(false);
    expect(valid('1e-99999999999999999999')).toBe(false);
    expect(valid('1e99999999999999999999')).toBe(false);
    expect(valid('0e99999999999999999999')).toBe(true); // a literal zero is no range error
  });

  it('rounds to a 64-bit mantissa, ties to even', () => {
    const two63 = 2n ** 63n;
    const exact = (s: string) => {
      const v = parseLongDouble(s);
      if (v === null || v.kind !== 'finite') throw new Error(s);
      return v.mant * (v.neg ? -1n : 1n) * 2n ** BigInt(Math.max(0, v.exp));
    };
    expect(exact(String(2n ** 64n - 1n))).toBe(2n ** 64n - 1n); // 64 bits: exact
    expect(exact(String(2n ** 65n - 1n))).toBe(2n ** 65n); // 65 bits: rounds up
    expect(exact(String(2n ** 65n + 2n))).toBe(2n ** 65n); // exact tie, even stays
    expect(exact(String(2n ** 65n + 6n))).toBe(2n ** 65n + 8n); // exact tie, odd rounds up
    expect(exact(String(two63 + 1n))).toBe(two63 + 1n);
    expect(exact(String(two63 * 3n + 1n))).toBe(two63 * 3n); // 65 bits, a tie: even stays
  });
});

describe('long double helpers', () => {
  it('adds like the x87 FPU', () => {
    const one = longDoubleFromBigInt(1n);
    const tiny = parseLongDouble('0x1p-64')!;
    // 1 + 2^-64 is a tie between 1 and 1 + 2^-63: stays at the even 1
    expect(addLongDouble(one, tiny)).toEqual(one);
    const three = longDoubleFromBigInt(3n);
    const sum = addLongDouble(three, parseLongDouble('0x1p-62')!);
    expect(sum.kind === 'finite' && sum.mant).toBe((3n << 62n) + 1n); // fits in 64 bits
  });

  it('widens doubles exactly', () => {
    expect(formatLongDoubleHuman(longDoubleFromNumber(0.1))).toBe('0.10000000000000001');
    expect(formatHumanDouble(0.1)).toBe('0.10000000000000001');
    expect(formatHumanDouble(-0)).toBe('0');
    expect(formatHumanDouble(1e21)).toBe('1000000000000000000000');
    expect(formatHumanDouble(13.361389338970184)).toBe('13.36138933897018433');
    expect(formatHumanDouble(Infinity)).toBe('inf');
  });
});
