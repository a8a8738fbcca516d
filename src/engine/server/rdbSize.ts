// How many bytes a value takes in an RDB file (rdb.c's rdbSaveObject, measured by
// rdbSavedObjectLen): DEBUG OBJECT's serializedlength, and later DUMP and persistence. Only sizes
// are computed, following the format's rules exactly: length prefixes of 1, 2, 5 or 9 bytes,
// short integer-looking strings stored as 8/16/32-bit integers, strings over 20 bytes LZF-compressed
// when that saves at least 4 bytes (rdbcompression yes), and compact encodings (listpack, intset)
// written as one blob of their in-memory bytes.
import { binaryToBytes } from '../bytes.ts';
import type { Dict } from '../ds/dict.ts';
import type { Intset } from '../ds/intset.ts';
import type { Listpack } from '../ds/listpack.ts';
import { listpackToBytes } from '../ds/listpackEncode.ts';
import { lzfCompressedLength } from '../ds/lzf.ts';
import type { Quicklist } from '../ds/quicklist.ts';
import type { SkiplistNode } from '../ds/skiplist.ts';
import type { RedisObject } from './object.ts';

/** rdbSaveLen: 6-bit, 14-bit, 32-bit or 64-bit length. */
export function rdbLenSize(len: number): number {
  if (len < 1 << 6) return 1;
  if (len < 1 << 14) return 2;
  if (len <= 0xffffffff) return 5;
  return 9;
}

/** rdbEncodeInteger: bytes for an integer that fits 8, 16 or 32 bits, else 0. */
function rdbIntegerSize(v: bigint): number {
  if (v >= -128n && v <= 127n) return 2;
  if (v >= -32768n && v <= 32767n) return 3;
  if (v >= -2147483648n && v <= 2147483647n) return 5;
  return 0;
}

/** string2ll over raw bytes: the strict integer syntax, in 64 bits. */
function strictInteger(bytes: Uint8Array): bigint | null {
  const n = bytes.length;
  if (n === 0 || n > 20) return null;
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(bytes[i]);
  if (!/^(0|-?[1-9][0-9]*)$/.test(s)) return null;
  const v = BigInt(s);
  return v >= -9223372036854775808n && v <= 9223372036854775807n ? v : null;
}

/** rdbSaveLzfBlob: the LZF marker, both lengths, the compressed bytes. */
function lzfBlobSize(compressed: number, original: number): number {
  return 1 + rdbLenSize(compressed) + rdbLenSize(original) + compressed;
}

/** rdbSaveRawString for a byte string or an in-memory blob. */
export function rdbRawStringSize(data: string | Uint8Array, compression: boolean): number {
  const bytes = typeof data === 'string' ? binaryToBytes(data) : data;
  const len = bytes.length;
  if (len <= 11) {
    const v = strictInteger(bytes);
    const size = v === null ? 0 : rdbIntegerSize(v);
    if (size > 0) return size;
  }
  // rdbSaveLzfStringObject: only worth it if the output fits in len - 4 bytes.
  if (compression && len > 20) {
    const compressed = lzfCompressedLength(bytes, len - 4);
    if (compressed > 0) return lzfBlobSize(compressed, len);
  }
  return rdbLenSize(len) + len;
}

/** rdbSaveLongLongAsStringObject: an int-encoded string value. */
function rdbIntValueSize(text: string): number {
  const size = rdbIntegerSize(BigInt(text));
  return size > 0 ? size : rdbLenSize(text.length) + text.length;
}

function quicklistSize(ql: Quicklist, compression: boolean): number {
  let size = rdbLenSize(ql.len);
  for (let node = ql.head; node; node = node.next) {
    size += 1; // the node's container type (PLAIN 1, PACKED 2) as a length
    if (node.compressed) {
      size += lzfBlobSize(node.compressedSize, node.sz); // saved as it is held, already compressed
    } else {
      size += rdbRawStringSize(node.isPlain ? node.plainValue : listpackToBytes(node.lp), compression);
    }
  }
  return size;
}

/** The zset skiplist encoding's parts that matter here. */
interface SkiplistZset { zsl: { tail: SkiplistNode | null; length: number } }

/** rdbSavedObjectLen: the bytes rdbSaveObject writes for the value (not its key or type byte). */
export function rdbObjectSize(o: RedisObject, compression: boolean): number {
  switch (o.type) {
    case 'string':
      if (o.encoding === 'int') return rdbIntValueSize(o.value as string);
      return rdbRawStringSize(o.value as string, compression);
    case 'list':
      return quicklistSize(o.value as Quicklist, compression);
    case 'set': {
      if (o.encoding === 'intset') return rdbRawStringSize((o.value as Intset).toBytes(), compression);
      const d = o.value as Dict<unknown>;
      let size = rdbLenSize(d.size);
      for (const member of d.keys()) size += rdbRawStringSize(member, compression);
      return size;
    }
    case 'hash': {
      if (o.encoding === 'listpack') return rdbRawStringSize(listpackToBytes(o.value as Listpack), compression);
      const d = o.value as Dict<string>;
      let size = rdbLenSize(d.size);
      for (const e of d.entries()) size += rdbRawStringSize(e.key, compression) + rdbRawStringSize(e.value, compression);
      return size;
    }
    case 'zset': {
      if (o.encoding === 'listpack') return rdbRawStringSize(listpackToBytes(o.value as Listpack), compression);
      const zsl = (o.value as SkiplistZset).zsl;
      let size = rdbLenSize(zsl.length);
      // Saved from the highest score down; each score as a binary double (8 bytes).
      for (let n = zsl.tail; n; n = n.backward) size += rdbRawStringSize(n.member, compression) + 8;
      return size;
    }
  }
}
