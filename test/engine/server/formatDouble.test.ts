import { describe, expect, it } from 'vitest';
import { formatDouble, formatG, parseDouble } from '../../../src/engine/numbers.ts';

describe('formatDouble ("%.17g" as Redis 7.0 replies)', () => {
  it.each([
    [1.5, '1.5'], [0.1, '0.10000000000000001'], [1, '1'], [-0, '-0'], [1e20, '1e+20'],
    [1e16, '10000000000000000'], [1e17, '1e+17'], [0.0001, '0.0001'], [0.00001, '1.0000000000000001e-05'],
    [Infinity, 'inf'], [-Infinity, '-inf'], [123456789.123, '123456789.123'],
  ])('%d -> %s', (d, text) => {
    expect(formatDouble(d)).toBe(text);
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
