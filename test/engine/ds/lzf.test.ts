import { describe, expect, it } from 'vitest';
import { lzfCompress, lzfDecompress } from '../../../src/engine/ds/lzf.ts';
import { SeededRandom } from '../../../src/engine/sim/random.ts';

function sample(rng: SeededRandom, n: number, alphabet: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    // Runs and repeats as well as noise, so back references of every length show up.
    if (i > 8 && rng.below(3) === 0) out[i] = out[i - 1 - rng.below(8)];
    else out[i] = rng.below(alphabet);
  }
  return out;
}

describe('LZF (ds/lzf.ts)', () => {
  it('round-trips, within the output room it was given', () => {
    const rng = new SeededRandom(42);
    let compressedSome = 0;
    for (let t = 0; t < 200; t++) {
      const n = 1 + rng.below(t < 150 ? 300 : 20000);
      const data = sample(rng, n, [2, 4, 26, 256][t % 4]);
      for (const outLen of [n, Math.max(1, n - 4)]) {
        const c = lzfCompress(data, outLen);
        if (c) {
          compressedSome++;
          expect(c.length).toBeLessThanOrEqual(outLen);
          expect(lzfDecompress(c, n)).toEqual(data);
        }
      }
    }
    expect(compressedSome).toBeGreaterThan(150);
  });

  it('compresses long runs into back references', () => {
    const data = new Uint8Array(1000).fill(97);
    const c = lzfCompress(data, 996)!;
    expect(c.length).toBeLessThan(20);
    expect(lzfDecompress(c, 1000)).toEqual(data);
  });

  it('can compress a slice of a buffer', () => {
    const data = Uint8Array.from('xxxxabcabcabcabcabcabcabcabcabcyyyy', (ch) => ch.charCodeAt(0));
    const c = lzfCompress(data, 27, 4, 31)!;
    expect(lzfDecompress(c, 27)).toEqual(data.subarray(4, 31));
  });

  it('reports malformed input and wrong lengths', () => {
    const data = Uint8Array.from('hello hello hello hello hello', (ch) => ch.charCodeAt(0));
    const c = lzfCompress(data, data.length)!;
    expect(lzfDecompress(c, data.length + 1)).toBeNull(); // shorter than announced
    expect(lzfDecompress(c, data.length - 1)).toBeNull(); // longer than announced
    expect(lzfDecompress(Uint8Array.of(5, 1, 2), 6)).toBeNull(); // literal run past the input
    expect(lzfDecompress(Uint8Array.of(0, 65, 0x20, 5), 4)).toBeNull(); // reference before the start
  });
});
