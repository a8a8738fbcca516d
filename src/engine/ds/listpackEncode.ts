// The exact bytes of a listpack as Redis 7.0 lays it out in memory (listpack.c). The simulator keeps
// listpacks as arrays of entries; the bytes are needed only where Redis looks at them as a blob,
// such as LZF compression of quicklist nodes.
import { LP_HDR_SIZE, lpBacklenSize, lpIsIntegerEntry, type Listpack } from './listpack.ts';

const LP_ENCODING_6BIT_STR = 0x80;
const LP_ENCODING_13BIT_INT = 0xc0;
const LP_ENCODING_12BIT_STR = 0xe0;
const LP_ENCODING_16BIT_INT = 0xf1;
const LP_ENCODING_24BIT_INT = 0xf2;
const LP_ENCODING_32BIT_INT = 0xf3;
const LP_ENCODING_64BIT_INT = 0xf4;
const LP_ENCODING_32BIT_STR = 0xf0;
const LP_EOF = 0xff;
const LP_HDR_NUMELE_UNKNOWN = 65535;

/** Writes one entry (encoding, payload, back-length) at `pos`; returns the position after it. */
function writeEntry(out: Uint8Array, pos: number, s: string): number {
  const start = pos;
  if (lpIsIntegerEntry(s)) {
    const v = BigInt(s);
    if (v >= 0n && v <= 127n) {
      out[pos++] = Number(v);
    } else if (v >= -4096n && v <= 4095n) {
      const u = Number(v < 0n ? (1n << 13n) + v : v);
      out[pos++] = (u >> 8) | LP_ENCODING_13BIT_INT;
      out[pos++] = u & 0xff;
    } else {
      let width: number;
      let tag: number;
      if (v >= -32768n && v <= 32767n) { width = 2; tag = LP_ENCODING_16BIT_INT; }
      else if (v >= -8388608n && v <= 8388607n) { width = 3; tag = LP_ENCODING_24BIT_INT; }
      else if (v >= -2147483648n && v <= 2147483647n) { width = 4; tag = LP_ENCODING_32BIT_INT; }
      else { width = 8; tag = LP_ENCODING_64BIT_INT; }
      // Two's complement in `width` bytes, little endian.
      let u = v < 0n ? (1n << BigInt(8 * width)) + v : v;
      out[pos++] = tag;
      for (let i = 0; i < width; i++) { out[pos++] = Number(u & 0xffn); u >>= 8n; }
    }
  } else {
    const n = s.length;
    if (n < 64) {
      out[pos++] = n | LP_ENCODING_6BIT_STR;
    } else if (n < 4096) {
      out[pos++] = (n >> 8) | LP_ENCODING_12BIT_STR;
      out[pos++] = n & 0xff;
    } else {
      out[pos++] = LP_ENCODING_32BIT_STR;
      out[pos++] = n & 0xff;
      out[pos++] = (n >>> 8) & 0xff;
      out[pos++] = (n >>> 16) & 0xff;
      out[pos++] = (n >>> 24) & 0xff;
    }
    for (let i = 0; i < n; i++) out[pos++] = s.charCodeAt(i);
  }
  // Back-length: the entry's length in 7-bit groups, most significant first, every byte but the
  // first flagged with the high bit, so it can be read backwards from the next entry.
  const len = pos - start;
  const groups = lpBacklenSize(len);
  for (let g = groups - 1; g >= 0; g--) {
    const bits = Math.floor(len / 2 ** (7 * g)) & 127;
    out[pos++] = g === groups - 1 ? bits : bits | 128;
  }
  return pos;
}

/** The listpack's bytes exactly as Redis stores them. */
export function listpackToBytes(lp: Listpack): Uint8Array {
  const total = lp.bytes;
  const out = new Uint8Array(total);
  out[0] = total & 0xff;
  out[1] = (total >>> 8) & 0xff;
  out[2] = (total >>> 16) & 0xff;
  out[3] = (total >>> 24) & 0xff;
  const numele = lp.length < LP_HDR_NUMELE_UNKNOWN ? lp.length : LP_HDR_NUMELE_UNKNOWN;
  out[4] = numele & 0xff;
  out[5] = (numele >>> 8) & 0xff;
  let pos = LP_HDR_SIZE;
  for (const s of lp.entries) pos = writeEntry(out, pos, s);
  out[pos++] = LP_EOF;
  if (pos !== total) throw new Error(`listpack size mismatch: wrote ${pos}, expected ${total}`);
  return out;
}
