// An intset as Redis 7.0 builds it (intset.c): a sorted array of distinct integers that all share one
// width — 2, 4 or 8 bytes — behind an 8-byte header (u32 encoding, u32 length). Adding a value that
// does not fit the current width rewrites every element at the wider width ("upgrade"); the new value
// is then necessarily below or above every existing one, so it goes to the head (negative) or tail.
// The width never shrinks, even when the wide values are removed again, exactly as in Redis.
//
// Values are exact 64-bit integers, passed as bigint. Storage is a typed array of the current width,
// so the in-memory picture matches Redis's and narrow sets are searched with plain numbers.
import type { Random } from '../sim/random.ts';
import { parseBigInteger } from '../numbers.ts';

export type IntsetWidth = 2 | 4 | 8;

/** sizeof(intset): the u32 encoding and u32 length fields. */
export const INTSET_HEADER_SIZE = 8;

const INT16_MIN = -32768n;
const INT16_MAX = 32767n;
const INT32_MIN = -2147483648n;
const INT32_MAX = 2147483647n;

type Storage = Int16Array | Int32Array | BigInt64Array;

/** The narrowest width that can hold v (Redis's _intsetValueEncoding). */
export function intsetWidthFor(v: bigint): IntsetWidth {
  if (v < INT32_MIN || v > INT32_MAX) return 8;
  if (v < INT16_MIN || v > INT16_MAX) return 4;
  return 2;
}

/**
 * The member a set would store in an intset, or null when the string is not a strict 64-bit integer
 * (Redis's string2ll: no spaces, no '+', no leading zeros, no "-0").
 */
export function intsetValueOf(member: string): bigint | null {
  return member.length <= 20 ? parseBigInteger(member) : null;
}

function allocate(width: IntsetWidth, capacity: number): Storage {
  if (width === 2) return new Int16Array(capacity);
  if (width === 4) return new Int32Array(capacity);
  return new BigInt64Array(capacity);
}

/** What an encoding panel needs to draw an intset. */
export interface IntsetView {
  width: IntsetWidth;
  /** Redis's name for the width: INTSET_ENC_INT16 / 32 / 64. */
  encoding: 'int16' | 'int32' | 'int64';
  length: number;
  /** intsetBlobLen: header + length * width. */
  blobBytes: number;
  values: bigint[];
}

export class Intset {
  private enc: IntsetWidth = 2;
  private len = 0;
  // Capacity grows geometrically for speed; the modelled size is always header + len * width.
  private data: Storage = new Int16Array(4);

  static from(values: Iterable<bigint>): Intset {
    const is = new Intset();
    for (const v of values) is.add(v);
    return is;
  }

  /**
   * An intset of the given width holding `values`, which must be ascending, distinct and fit the
   * width (RDB loading: a saved intset keeps its width, which may be wider than its values need).
   */
  static withWidth(width: IntsetWidth, values: ArrayLike<bigint>): Intset {
    const is = new Intset();
    is.enc = width;
    is.len = values.length;
    is.data = allocate(width, Math.max(4, values.length));
    for (let i = 0; i < values.length; i++) {
      if (width === 8) (is.data as BigInt64Array)[i] = values[i];
      else (is.data as Int16Array | Int32Array)[i] = Number(values[i]);
    }
    return is;
  }

  /** Bytes per element: 2, 4 or 8. */
  get width(): IntsetWidth { return this.enc; }
  get length(): number { return this.len; }
  /** intsetBlobLen: the exact bytes Redis allocates for this intset. */
  get blobBytes(): number { return INTSET_HEADER_SIZE + this.len * this.enc; }

  /** The element at position i (0 = smallest). */
  get(i: number): bigint {
    if (i < 0 || i >= this.len) throw new RangeError(`intset index ${i} out of range`);
    const d = this.data;
    return this.enc === 8 ? (d as BigInt64Array)[i] : BigInt((d as Int16Array | Int32Array)[i]);
  }

  /** The element at position i as a decimal byte string, the form set commands reply with. */
  getString(i: number): string {
    if (i < 0 || i >= this.len) throw new RangeError(`intset index ${i} out of range`);
    return String(this.data[i]);
  }

  /**
   * Binary search (intsetSearch). found: whether v is present; pos: its index, or where it would be
   * inserted. Like Redis, values beyond either end are answered without probing the middle.
   */
  search(v: bigint): { found: boolean; pos: number } {
    const n = this.len;
    if (n === 0) return { found: false, pos: 0 };
    if (this.enc === 8) return this.searchIn(this.data as BigInt64Array, v, n);
    if (intsetWidthFor(v) > this.enc) return { found: false, pos: v < 0n ? 0 : n };
    return this.searchIn(this.data as Int16Array | Int32Array, Number(v), n);
  }

  private searchIn<T extends number | bigint>(d: ArrayLike<T>, v: T, n: number): { found: boolean; pos: number } {
    if (v > d[n - 1]) return { found: false, pos: n };
    if (v < d[0]) return { found: false, pos: 0 };
    let lo = 0;
    let hi = n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const cur = d[mid];
      if (v > cur) lo = mid + 1;
      else if (v < cur) hi = mid - 1;
      else return { found: true, pos: mid };
    }
    return { found: false, pos: lo };
  }

  /** intsetFind. */
  has(v: bigint): boolean {
    return intsetWidthFor(v) <= this.enc && this.search(v).found;
  }

  /** intsetAdd: true when v was added, false when it was already there. */
  add(v: bigint): boolean {
    if (v < -0x8000000000000000n || v > 0x7fffffffffffffffn) throw new RangeError('intset value out of int64 range');
    const need = intsetWidthFor(v);
    if (need > this.enc) {
      this.upgradeAndAdd(v, need);
      return true;
    }
    const { found, pos } = this.search(v);
    if (found) return false;
    this.ensureCapacity(this.len + 1);
    const d = this.data;
    d.copyWithin(pos + 1, pos, this.len);
    if (this.enc === 8) (d as BigInt64Array)[pos] = v;
    else (d as Int16Array | Int32Array)[pos] = Number(v);
    this.len++;
    return true;
  }

  /** True when adding v would rewrite the set at a wider width. */
  wouldUpgrade(v: bigint): boolean {
    return intsetWidthFor(v) > this.enc;
  }

  private upgradeAndAdd(v: bigint, width: IntsetWidth): void {
    // A value wider than the current encoding lies outside the range of every stored value.
    const prepend = v < 0n ? 1 : 0;
    const old = this.data;
    const wider = allocate(width, Math.max(4, (this.len + 1) * 2));
    if (width === 8) {
      const w = wider as BigInt64Array;
      for (let i = 0; i < this.len; i++) w[i + prepend] = BigInt((old as Int16Array | Int32Array)[i]);
      w[prepend ? 0 : this.len] = v;
    } else {
      const w = wider as Int32Array;
      for (let i = 0; i < this.len; i++) w[i + prepend] = (old as Int16Array)[i];
      w[prepend ? 0 : this.len] = Number(v);
    }
    this.data = wider;
    this.enc = width;
    this.len++;
  }

  /** intsetRemove: true when v was there. The width is kept. */
  remove(v: bigint): boolean {
    if (intsetWidthFor(v) > this.enc) return false;
    const { found, pos } = this.search(v);
    if (!found) return false;
    this.data.copyWithin(pos, pos + 1, this.len);
    this.len--;
    return true;
  }

  /** Removes and returns the element at position i (SPOP picks by position). */
  removeAt(i: number): bigint {
    const v = this.get(i);
    this.data.copyWithin(i, i + 1, this.len);
    this.len--;
    return v;
  }

  /** intsetRandom: a uniformly chosen element. The set must not be empty. */
  random(rng: Random): bigint {
    if (this.len === 0) throw new RangeError('random member of an empty intset');
    return this.get(rng.below(this.len));
  }

  /** A uniformly chosen position. The set must not be empty. */
  randomIndex(rng: Random): number {
    if (this.len === 0) throw new RangeError('random member of an empty intset');
    return rng.below(this.len);
  }

  /** Ascending values. */
  *values(): IterableIterator<bigint> {
    for (let i = 0; i < this.len; i++) yield this.get(i);
  }

  /** Ascending values as decimal byte strings. */
  *strings(): IterableIterator<string> {
    for (let i = 0; i < this.len; i++) yield String(this.data[i]);
  }

  [Symbol.iterator](): IterableIterator<bigint> { return this.values(); }

  toArray(): bigint[] { return [...this.values()]; }

  /** Width, contents and size for an encoding panel. */
  inspect(): IntsetView {
    return {
      width: this.enc,
      encoding: this.enc === 2 ? 'int16' : this.enc === 4 ? 'int32' : 'int64',
      length: this.len,
      blobBytes: this.blobBytes,
      values: this.toArray(),
    };
  }

  /** The blob as Redis holds it in memory (little-endian): encoding, length, then the elements. */
  toBytes(): Uint8Array {
    const out = new Uint8Array(this.blobBytes);
    const view = new DataView(out.buffer);
    view.setUint32(0, this.enc, true);
    view.setUint32(4, this.len, true);
    for (let i = 0; i < this.len; i++) {
      const at = INTSET_HEADER_SIZE + i * this.enc;
      if (this.enc === 2) view.setInt16(at, (this.data as Int16Array)[i], true);
      else if (this.enc === 4) view.setInt32(at, (this.data as Int32Array)[i], true);
      else view.setBigInt64(at, (this.data as BigInt64Array)[i], true);
    }
    return out;
  }

  clone(): Intset {
    const is = new Intset();
    is.enc = this.enc;
    is.len = this.len;
    is.data = this.data.slice(0, Math.max(4, this.len)) as Storage;
    return is;
  }

  private ensureCapacity(n: number): void {
    if (n <= this.data.length) return;
    const bigger = allocate(this.enc, Math.max(n, this.data.length * 2));
    (bigger as Int16Array).set(this.data as Int16Array);
    this.data = bigger;
  }
}
