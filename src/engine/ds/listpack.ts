// A listpack as Redis 7.0 lays it out (listpack.c): a 6-byte header, entries, a 1-byte end marker.
// We keep the entries as byte strings and account for every entry's exact encoded size, because the
// sizes decide Redis's encoding conversions (quicklist node fill, *-max-listpack-value) and are what
// the encoding panel shows. An entry that looks like a 64-bit integer is stored as an integer there.
import { isStrictInteger } from '../numbers.ts';

export const LP_HDR_SIZE = 6;
export const LP_EOF_SIZE = 1;

/** Bytes of the entry's encoding byte(s) plus payload (without the back-length). */
export function lpEncodedSize(s: string): number {
  if (s.length <= 20 && isStrictInteger(s)) {
    const v = Number(s);
    if (v >= 0 && v <= 127) return 1; // 7-bit uint
    if (v >= -4096 && v <= 4095) return 2; // 13-bit int
    if (v >= -32768 && v <= 32767) return 3; // 16-bit int
    if (v >= -8388608 && v <= 8388607) return 4; // 24-bit int
    if (v >= -2147483648 && v <= 2147483647) return 5; // 32-bit int
    return 9; // 64-bit int
  }
  const n = s.length;
  if (n < 64) return 1 + n; // 6-bit length string
  if (n < 4096) return 2 + n; // 12-bit length string
  return 5 + n; // 32-bit length string
}

/** Bytes of the back-length that trails an entry of `len` encoded bytes. */
export function lpBacklenSize(len: number): number {
  if (len <= 127) return 1;
  if (len < 16383) return 2;
  if (len < 2097151) return 3;
  if (len < 268435455) return 4;
  return 5;
}

/** Total bytes one entry occupies in a listpack. */
export function lpEntrySize(s: string): number {
  const len = lpEncodedSize(s);
  return len + lpBacklenSize(len);
}

/** Whether the entry would be stored in integer form. */
export function lpIsIntegerEntry(s: string): boolean {
  return s.length <= 20 && isStrictInteger(s);
}

export class Listpack {
  private items: string[] = [];
  private totalBytes = LP_HDR_SIZE + LP_EOF_SIZE;

  static from(items: Iterable<string>): Listpack {
    const lp = new Listpack();
    for (const s of items) lp.push(s);
    return lp;
  }

  /** lpBytes: the whole listpack's size in bytes. */
  get bytes(): number { return this.totalBytes; }
  get length(): number { return this.items.length; }

  get(i: number): string { return this.items[i]; }
  /** The entries, read-only: callers must go through the methods to change them. */
  get entries(): readonly string[] { return this.items; }

  push(s: string): void {
    this.items.push(s);
    this.totalBytes += lpEntrySize(s);
  }

  unshift(s: string): void {
    this.items.unshift(s);
    this.totalBytes += lpEntrySize(s);
  }

  insert(i: number, ...entries: string[]): void {
    this.items.splice(i, 0, ...entries);
    for (const s of entries) this.totalBytes += lpEntrySize(s);
  }

  replace(i: number, s: string): void {
    this.totalBytes += lpEntrySize(s) - lpEntrySize(this.items[i]);
    this.items[i] = s;
  }

  /** Deletes `count` entries from index i and returns them. */
  delete(i: number, count = 1): string[] {
    const removed = this.items.splice(i, count);
    for (const s of removed) this.totalBytes -= lpEntrySize(s);
    return removed;
  }

  pop(): string | undefined {
    const s = this.items.pop();
    if (s !== undefined) this.totalBytes -= lpEntrySize(s);
    return s;
  }

  shift(): string | undefined {
    const s = this.items.shift();
    if (s !== undefined) this.totalBytes -= lpEntrySize(s);
    return s;
  }

  /** Index of the first entry equal to s at or after `from`, stepping by `step` (2 for pairs). */
  find(s: string, from = 0, step = 1): number {
    for (let i = from; i < this.items.length; i += step) if (this.items[i] === s) return i;
    return -1;
  }

  clone(): Listpack {
    const lp = new Listpack();
    lp.items = this.items.slice();
    lp.totalBytes = this.totalBytes;
    return lp;
  }
}
