// Glob matching (util.c stringmatchlen). KEYS/SCAN's case-sensitive rules are compared with real
// Redis in test/differential/generic.test.ts; this covers case folding (CONFIG GET, pub/sub use it)
// and patterns Redis handles by deep recursion.
import { describe, expect, it } from 'vitest';
import { globMatch } from '../../../src/engine/server/glob.ts';

describe('globMatch', () => {
  it('folds only A-Z when asked to', () => {
    expect(globMatch('HeLLo', 'hello', true)).toBe(true);
    expect(globMatch('HeLLo', 'hello')).toBe(false);
    expect(globMatch('h[A-Z]llo', 'hello', true)).toBe(true);
    expect(globMatch('h[A-Z]llo', 'hello')).toBe(false);
    expect(globMatch('[^a]', 'A', true)).toBe(false);
    expect(globMatch('[^a]', 'A')).toBe(true);
    expect(globMatch('\u00c9', '\u00e9', true)).toBe(false); // bytes above 127 never fold
    expect(globMatch('MAX*', 'maxmemory-policy', true)).toBe(true);
  });

  it('compares range bounds as signed chars, like Redis on x86', () => {
    // [a-\xff] is the range -1..97: byte 0xff and every byte up to 'a' (checked on real Redis).
    expect(globMatch('[a-\u00ff]', 'b')).toBe(false);
    expect(globMatch('[a-\u00ff]', '\u0080')).toBe(false);
    expect(globMatch('[a-\u00ff]', '\u00ff')).toBe(true);
    expect(globMatch('[a-\u00ff]', 'A')).toBe(true);
    expect(globMatch('[\u0080-\u00ff]', '\u00c0')).toBe(true);
    expect(globMatch('[\u0080-\u00ff]', 'a')).toBe(false);
  });

  it('handles Redis quirks: unterminated classes, trailing escapes, empty strings', () => {
    expect(globMatch('a[bc', 'ab')).toBe(true);
    expect(globMatch('a[bc', 'ac')).toBe(true);
    expect(globMatch('[^', 'x')).toBe(true);
    expect(globMatch('a\\', 'a\\')).toBe(true);
    expect(globMatch('*', '')).toBe(false); // only exact "*" short-cuts in KEYS/SCAN
    expect(globMatch('', '')).toBe(true);
    expect(globMatch('a*', 'a')).toBe(true);
    expect(globMatch('a*?', 'a')).toBe(false);
    // "a-]" is a range, so the class goes on ("b" is in it) and is never closed.
    expect(globMatch('[a-]b', ']')).toBe(true);
    expect(globMatch('[a-]b', 'b')).toBe(true);
    expect(globMatch('[a-]b', 'ab')).toBe(false);
  });

  it('copes with thousands of stars without recursion', () => {
    const pattern = '*a'.repeat(20000) + '*b';
    expect(globMatch(pattern, 'a'.repeat(30000))).toBe(false);
    expect(globMatch(pattern, 'a'.repeat(20000) + 'b')).toBe(true);
    expect(globMatch('*'.repeat(100000) + 'x', 'y'.repeat(1000) + 'x')).toBe(true);
  });
});
