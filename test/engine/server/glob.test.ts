import { describe, expect, it } from 'vitest';
import { globMatch } from '../../../src/engine/server/glob.ts';

describe('globMatch (stringmatchlen rules)', () => {
  it.each([
    // Redis's matcher never matches an empty string (KEYS and SCAN special-case a lone "*").
    ['*', '', false], ['*', 'anything', true], ['h?llo', 'hello', true], ['h?llo', 'hllo', false],
    ['h*llo', 'heeeello', true], ['h[ae]llo', 'hallo', true], ['h[ae]llo', 'hillo', false],
    ['h[^e]llo', 'hallo', true], ['h[^e]llo', 'hello', false], ['h[a-b]llo', 'hbllo', true],
    ['h[b-a]llo', 'hallo', true], ['h\\*llo', 'h*llo', true], ['h\\*llo', 'hello', false],
    ['a[', 'a[', false], ['a[b', 'ab', true], ['*a*b*c', 'xaybzc', true], ['*a*b*c', 'xaybz', false],
    ['[\\]]', ']', true], ['abc', 'ABC', false],
  ])('%j matches %j: %s', (pattern, s, expected) => {
    expect(globMatch(pattern, s)).toBe(expected);
  });

  it('folds only ASCII letters when case-insensitive', () => {
    expect(globMatch('ABC', 'abc', true)).toBe(true);
    expect(globMatch('\xc0', '\xe0', true)).toBe(false);
  });
});
