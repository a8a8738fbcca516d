// The compact encodings an RDB file stores as blobs, decoded to their entries: listpacks (what
// 7.0 writes for small hashes, sorted sets and quicklist nodes), ziplists (what Redis up to 6.2
// wrote instead) and intsets. Each decoder checks the whole structure and returns null when it is
// malformed, so a corrupt file is refused before anything is loaded from it.
import { bytesToBinary } from '../bytes.ts';
import type { IntsetWidth } from '../ds/intset.ts';
import { lpBacklenSize } from '../ds/listpack.ts';

/** A listpack's entries (integers as decimal text), or null when it is malformed. */
export function decodeListpack(b: Uint8Array): string[] | null {
  const n = b.length;
  if (n < 7) return null;
  const total = (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
  if (total !== n || b[n - 1] !== 0xff) return null;
  const numele = b[4] | (b[5] << 8);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const end = n - 1;
  const out: string[] = [];
  let p = 6;
  while (p < end) {
    const start = p;
    const c = b[p];
    let s: string;
    if (c < 0x80) {
      s = String(c);
      p += 1;
    } else if ((c & 0xc0) === 0x80) { // 6-bit length string
      const len = c & 0x3f;
      p += 1;
      if (p + len > end) return null;
      s = bytesToBinary(b, p, p + len);
      p += len;
    } else if ((c & 0xe0) === 0xc0) { // 13-bit signed integer
      if (p + 2 > end) return null;
      let v = ((c & 0x1f) << 8) | b[p + 1];
      if (v >= 4096) v -= 8192;
      s = String(v);
      p += 2;
    } else if ((c & 0xf0) === 0xe0) { // 12-bit length string
      if (p + 2 > end) return null;
      const len = ((c & 0x0f) << 8) | b[p + 1];
      p += 2;
      if (p + len > end) return null;
      s = bytesToBinary(b, p, p + len);
      p += len;
    } else if (c === 0xf0) { // 32-bit length string
      if (p + 5 > end) return null;
      const len = view.getUint32(p + 1, true);
      p += 5;
      if (p + len > end) return null;
      s = bytesToBinary(b, p, p + len);
      p += len;
    } else if (c === 0xf1) {
      if (p + 3 > end) return null;
      s = String(view.getInt16(p + 1, true));
      p += 3;
    } else if (c === 0xf2) {
      if (p + 4 > end) return null;
      let v = b[p + 1] | (b[p + 2] << 8) | (b[p + 3] << 16);
      if (v >= 1 << 23) v -= 1 << 24;
      s = String(v);
      p += 4;
    } else if (c === 0xf3) {
      if (p + 5 > end) return null;
      s = String(view.getInt32(p + 1, true));
      p += 5;
    } else if (c === 0xf4) {
      if (p + 9 > end) return null;
      s = view.getBigInt64(p + 1, true).toString();
      p += 9;
    } else {
      return null; // 0xf5..0xfe are unused; 0xff is the end marker, not an entry
    }
    // The back-length: the entry's length in 7-bit groups, checked so a shifted entry is caught.
    const encLen = p - start;
    const bl = lpBacklenSize(encLen);
    if (p + bl > end) return null;
    let back = 0;
    for (let i = 0; i < bl; i++) back = back * 128 + (b[p + i] & 127);
    if (back !== encLen) return null;
    p += bl;
    out.push(s);
  }
  if (numele !== 65535 && numele !== out.length) return null;
  return out;
}

/** A ziplist's entries (Redis up to 6.2), or null when it is malformed. */
export function decodeZiplist(b: Uint8Array): string[] | null {
  const n = b.length;
  if (n < 11) return null;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (view.getUint32(0, true) !== n || b[n - 1] !== 0xff) return null;
  const zllen = view.getUint16(8, true);
  const end = n - 1;
  const out: string[] = [];
  let p = 10;
  while (p < end) {
    // prevlen: one byte, or 0xfe and four more
    p += b[p] < 254 ? 1 : 5;
    if (p >= end) return null;
    const enc = b[p];
    let s: string;
    switch (enc >> 6) {
      case 0: {
        const len = enc & 0x3f;
        p += 1;
        if (p + len > end) return null;
        s = bytesToBinary(b, p, p + len);
        p += len;
        break;
      }
      case 1: {
        if (p + 2 > end) return null;
        const len = ((enc & 0x3f) << 8) | b[p + 1];
        p += 2;
        if (p + len > end) return null;
        s = bytesToBinary(b, p, p + len);
        p += len;
        break;
      }
      case 2: {
        if (enc !== 0x80 || p + 5 > end) return null;
        const len = view.getUint32(p + 1, false);
        p += 5;
        if (p + len > end) return null;
        s = bytesToBinary(b, p, p + len);
        p += len;
        break;
      }
      default: {
        let size: number;
        if (enc === 0xc0) size = 2;
        else if (enc === 0xd0) size = 4;
        else if (enc === 0xe0) size = 8;
        else if (enc === 0xf0) size = 3;
        else if (enc === 0xfe) size = 1;
        else if (enc >= 0xf1 && enc <= 0xfd) size = 0;
        else return null;
        if (p + 1 + size > end) return null;
        const q = p + 1;
        if (size === 0) s = String((enc & 0x0f) - 1);
        else if (size === 1) s = String(view.getInt8(q));
        else if (size === 2) s = String(view.getInt16(q, true));
        else if (size === 3) {
          let v = b[q] | (b[q + 1] << 8) | (b[q + 2] << 16);
          if (v >= 1 << 23) v -= 1 << 24;
          s = String(v);
        } else if (size === 4) s = String(view.getInt32(q, true));
        else s = view.getBigInt64(q, true).toString();
        p = q + size;
      }
    }
    out.push(s);
  }
  if (p !== end) return null;
  if (zllen !== 65535 && zllen !== out.length) return null;
  return out;
}

/** An intset blob's width and values, or null when malformed (bad width, size, or order). */
export function decodeIntset(b: Uint8Array): { width: IntsetWidth; values: bigint[] } | null {
  if (b.length < 8) return null;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const width = view.getUint32(0, true);
  if (width !== 2 && width !== 4 && width !== 8) return null;
  const count = view.getUint32(4, true);
  if (b.length !== 8 + count * width) return null;
  const values: bigint[] = [];
  for (let i = 0; i < count; i++) {
    const at = 8 + i * width;
    const v = width === 2 ? BigInt(view.getInt16(at, true))
      : width === 4 ? BigInt(view.getInt32(at, true))
        : view.getBigInt64(at, true);
    if (i > 0 && v <= values[i - 1]) return null;
    values.push(v);
  }
  return { width, values };
}
