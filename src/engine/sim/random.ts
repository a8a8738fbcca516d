// A seeded PRNG (sfc32) so that the same seed and inputs give the same skiplist levels, random keys
// and sampled keys: the engine never calls Math.random.

export interface Random {
  /** Uniform 32-bit unsigned integer. */
  nextU32(): number;
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  below(n: number): number;
}

export class SeededRandom implements Random {
  private a: number; private b: number; private c: number; private d: number;

  constructor(seed: number) {
    this.a = 0x9e3779b9; this.b = 0x243f6a88; this.c = 0xb7e15162; this.d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.nextU32();
  }

  nextU32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  next(): number { return this.nextU32() / 4294967296; }

  below(n: number): number {
    if (n <= 4294967296) return Math.floor(this.next() * n);
    // Wide ranges (e.g. 64-bit cursors): combine two draws.
    return Math.floor((this.nextU32() * 4294967296 + this.nextU32()) % n);
  }

  /** The internal state, for checkpoints. */
  state(): [number, number, number, number] { return [this.a, this.b, this.c, this.d]; }
  restore(s: [number, number, number, number]): void { [this.a, this.b, this.c, this.d] = s; }
}
