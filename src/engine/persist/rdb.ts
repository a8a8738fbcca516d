// RDB files in Redis 7.0's format (version 10, rdb.c): what SAVE writes and what a restarting
// server loads. saveRdb writes the keyspaces exactly as rdbSaveRio does (aux fields, SELECTDB,
// RESIZEDB, expire times, LRU/LFU hints, each value in the encoding 7.0 writes for it, EOF and the
// CRC-64). loadRdb reads anything a 7.0 server writes, plus the older encodings it still loads
// (ziplists, plain lists/sets/zsets/hashes, text doubles), applying 7.0's load-time conversions.
//
// Loading happens in three steps so a bad file never leaves a server half loaded: parseRdb checks
// the whole file (structure and checksum) into plain data; the objects are then built with the
// server's settings (where duplicates are found); only then is the keyspace emptied and filled.
import { bytesToBinary } from '../bytes.ts';
import { createListObject } from '../commands/list.ts';
import { hashTypeConvert, type HashValue } from '../commands/hash.ts';
import { createIntsetObject, createSetObject, setTypeConvert, type SetValue } from '../commands/set.ts';
import { createZsetObject, zsetConvert, type ZsetSkiplist, type ZsetValue } from '../commands/zset.ts';
import type { Dict } from '../ds/dict.ts';
import { Intset, intsetValueOf, type IntsetWidth } from '../ds/intset.ts';
import { Listpack } from '../ds/listpack.ts';
import { listpackToBytes } from '../ds/listpackEncode.ts';
import type { Quicklist } from '../ds/quicklist.ts';
import { toExpireTime, type ExpireTime } from '../server/db.ts';
import { LRU_CLOCK_MAX } from '../server/lru.ts';
import { createObject, initialLru, type RedisObject } from '../server/object.ts';
import type { RedisServer } from '../server/redisServer.ts';
import { tryObjectEncoding } from '../server/stringObject.ts';
import { REDIS_VERSION } from '../server/version.ts';
import { decodeIntset, decodeListpack, decodeZiplist } from './blobs.ts';
import { Crc64 } from './crc64.ts';
import { lzfCompress, lzfDecompress } from '../ds/lzf.ts';
import { SideTable } from '../sideTable.ts';

export const RDB_VERSION = 10;

// Value types (rdb.h).
const RDB_TYPE_STRING = 0;
const RDB_TYPE_LIST = 1;
const RDB_TYPE_SET = 2;
const RDB_TYPE_ZSET = 3;
const RDB_TYPE_HASH = 4;
const RDB_TYPE_ZSET_2 = 5;
const RDB_TYPE_MODULE = 6;
const RDB_TYPE_MODULE_2 = 7;
const RDB_TYPE_HASH_ZIPMAP = 9;
const RDB_TYPE_LIST_ZIPLIST = 10;
const RDB_TYPE_SET_INTSET = 11;
const RDB_TYPE_ZSET_ZIPLIST = 12;
const RDB_TYPE_HASH_ZIPLIST = 13;
const RDB_TYPE_LIST_QUICKLIST = 14;
const RDB_TYPE_STREAM_LISTPACKS = 15;
const RDB_TYPE_HASH_LISTPACK = 16;
const RDB_TYPE_ZSET_LISTPACK = 17;
const RDB_TYPE_LIST_QUICKLIST_2 = 18;
const RDB_TYPE_STREAM_LISTPACKS_2 = 19;

// Opcodes.
const RDB_OPCODE_FUNCTION2 = 245;
const RDB_OPCODE_FUNCTION = 246;
const RDB_OPCODE_MODULE_AUX = 247;
const RDB_OPCODE_IDLE = 248;
const RDB_OPCODE_FREQ = 249;
const RDB_OPCODE_AUX = 250;
const RDB_OPCODE_RESIZEDB = 251;
const RDB_OPCODE_EXPIRETIME_MS = 252;
const RDB_OPCODE_EXPIRETIME = 253;
const RDB_OPCODE_SELECTDB = 254;
const RDB_OPCODE_EOF = 255;

// Length encodings: the top two bits of the first byte.
const RDB_6BITLEN = 0;
const RDB_14BITLEN = 1;
const RDB_32BITLEN = 0x80;
const RDB_64BITLEN = 0x81;
const RDB_ENCVAL = 3;
const RDB_ENC_INT8 = 0;
const RDB_ENC_INT16 = 1;
const RDB_ENC_INT32 = 2;
const RDB_ENC_LZF = 3;

/** Quicklist node containers, as RDB_TYPE_LIST_QUICKLIST_2 stores them. */
const QUICKLIST_NODE_CONTAINER_PLAIN = 1;
const QUICKLIST_NODE_CONTAINER_PACKED = 2;

/** LISTPACK_MAX_SAFETY_SIZE (lpSafeToAdd). */
const LISTPACK_MAX_SAFETY_SIZE = 2 ** 30;
/** DICT_HT_INITIAL_SIZE: loaders presize dicts only above this. */
const DICT_HT_INITIAL_SIZE = 4;

const TWO_32 = 2 ** 32;

/** A file Rediscope cannot load: corrupt, truncated, or holding what the engine does not have. */
export class RdbError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RdbError';
  }
}

// =================================================================================================
// Persistence state per server: the "disk" (dump.rdb) and INFO persistence's counters.

export interface PersistenceState {
  /** The last RDB this server saved (or started from): what DEBUG RELOAD NOSAVE loads. */
  file: Uint8Array | null;
  /** rdb_saves */
  saves: number;
  /** rdb_last_load_keys_loaded / rdb_last_load_keys_expired */
  keysLoaded: number;
  keysExpired: number;
}

const persistence = new SideTable<RedisServer, PersistenceState>('rdb.persistence');

export function persistenceState(server: RedisServer): PersistenceState {
  let s = persistence.get(server);
  if (!s) persistence.set(server, (s = { file: null, saves: 0, keysLoaded: 0, keysExpired: 0 }));
  return s;
}

// =================================================================================================
// Writing

/** An output buffer that grows as needed. */
class RdbWriter {
  buf = new Uint8Array(1 << 16);
  pos = 0;
  private view = new DataView(this.buf.buffer);
  /** Scratch for a string being compressed. */
  private scratch = new Uint8Array(256);

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const bigger = new Uint8Array(size);
    bigger.set(this.buf.subarray(0, this.pos));
    this.buf = bigger;
    this.view = new DataView(bigger.buffer);
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  bytes(data: Uint8Array): void {
    this.ensure(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
  }

  /** A byte string's bytes. */
  binary(s: string): void {
    const n = s.length;
    this.ensure(n);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) buf[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  /** rdbSaveLen */
  len(n: number): void {
    if (n < 1 << 6) {
      this.byte((RDB_6BITLEN << 6) | n);
    } else if (n < 1 << 14) {
      this.ensure(2);
      this.buf[this.pos++] = (RDB_14BITLEN << 6) | (n >> 8);
      this.buf[this.pos++] = n & 0xff;
    } else if (n < TWO_32) {
      this.ensure(5);
      this.buf[this.pos++] = RDB_32BITLEN;
      this.view.setUint32(this.pos, n, false);
      this.pos += 4;
    } else {
      this.ensure(9);
      this.buf[this.pos++] = RDB_64BITLEN;
      this.view.setUint32(this.pos, Math.floor(n / TWO_32), false);
      this.view.setUint32(this.pos + 4, n % TWO_32, false);
      this.pos += 8;
    }
  }

  /** rdbEncodeInteger: false when the value needs more than 32 bits. */
  private encodedInteger(v: number): boolean {
    if (v >= -128 && v <= 127) {
      this.ensure(2);
      this.buf[this.pos++] = (RDB_ENCVAL << 6) | RDB_ENC_INT8;
      this.buf[this.pos++] = v & 0xff;
    } else if (v >= -32768 && v <= 32767) {
      this.ensure(3);
      this.buf[this.pos++] = (RDB_ENCVAL << 6) | RDB_ENC_INT16;
      this.view.setInt16(this.pos, v, true);
      this.pos += 2;
    } else if (v >= -2147483648 && v <= 2147483647) {
      this.ensure(5);
      this.buf[this.pos++] = (RDB_ENCVAL << 6) | RDB_ENC_INT32;
      this.view.setInt32(this.pos, v, true);
      this.pos += 4;
    } else {
      return false;
    }
    return true;
  }

  /** rdbSaveLongLongAsStringObject: an int-encoded string value (its canonical decimal text). */
  longLongAsString(text: string): void {
    const v = Number(text);
    if (text.length <= 11 && this.encodedInteger(v)) return;
    this.len(text.length);
    this.binary(text);
  }

  /** rdbSaveLzfBlob */
  private lzfBlob(compressed: Uint8Array, originalLength: number): void {
    this.byte((RDB_ENCVAL << 6) | RDB_ENC_LZF);
    this.len(compressed.length);
    this.len(originalLength);
    this.bytes(compressed);
  }

  /** rdbSaveRawString for a byte string: as a small integer, LZF-compressed, or verbatim. */
  rawString(s: string, compression: boolean): void {
    const n = s.length;
    if (n <= 11 && this.smallInteger(s)) return;
    if (compression && n > 20) {
      if (this.scratch.length < n) this.scratch = new Uint8Array(Math.max(n, this.scratch.length * 2));
      for (let i = 0; i < n; i++) this.scratch[i] = s.charCodeAt(i);
      if (this.compressed(this.scratch, n)) return;
    }
    this.len(n);
    this.binary(s);
  }

  /** rdbSaveRawString for an in-memory blob (listpack, intset). */
  rawBlob(data: Uint8Array, compression: boolean): void {
    const n = data.length;
    if (n <= 11 && this.smallInteger(bytesToBinary(data))) return;
    if (compression && n > 20 && this.compressed(data, n)) return;
    this.len(n);
    this.bytes(data);
  }

  /** rdbTryIntegerEncoding: a short string that is a canonical integer is saved as one. */
  private smallInteger(s: string): boolean {
    const v = smallStrictInteger(s);
    return v !== null && this.encodedInteger(v);
  }

  /** rdbSaveLzfStringObject for the first n bytes of src, if LZF saves at least 4 bytes. */
  private compressed(src: Uint8Array, n: number): boolean {
    const out = lzfCompress(src, n - 4, 0, n);
    if (out) this.lzfBlob(out, n);
    return out !== null;
  }

  /** A quicklist node held compressed is saved as it is held: its LZF data. */
  lzfNode(data: Uint8Array, compression: boolean): void {
    const compressed = lzfCompress(data, data.length);
    if (compressed) this.lzfBlob(compressed, data.length);
    else this.rawBlob(data, compression);
  }

  /** rdbSaveMillisecondTime: int64, little-endian. */
  millis(t: ExpireTime): void {
    this.ensure(8);
    if (typeof t === 'bigint') {
      this.view.setBigInt64(this.pos, t, true);
    } else {
      const hi = Math.floor(t / TWO_32);
      this.view.setUint32(this.pos, t - hi * TWO_32, true);
      this.view.setInt32(this.pos + 4, hi, true);
    }
    this.pos += 8;
  }

  /** rdbSaveBinaryDoubleValue */
  binaryDouble(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  /** rdbSaveAuxField */
  aux(key: string, value: string, compression: boolean): void {
    this.byte(RDB_OPCODE_AUX);
    this.rawString(key, compression);
    this.rawString(value, compression);
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

/** string2ll for strings of up to 11 bytes (so the value is an exact double), else null. */
function smallStrictInteger(s: string): number | null {
  const n = s.length;
  if (n === 0) return null;
  let i = 0;
  const neg = s.charCodeAt(0) === 45;
  if (neg) {
    if (n === 1) return null;
    i = 1;
  }
  const first = s.charCodeAt(i);
  if (first === 48) return n === 1 ? 0 : null; // "0" only: no "-0", no leading zeros
  let v = 0;
  for (; i < n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return null;
    v = v * 10 + d;
  }
  return neg ? -v : v;
}

/** Which access-time hint rdbSaveKeyValuePair writes: by maxmemory-policy (MAXMEMORY_FLAG_LRU/LFU). */
function accessHint(server: RedisServer): 'lru' | 'lfu' | null {
  const policy = server.config.get('maxmemory-policy');
  if (policy.endsWith('-lru')) return 'lru';
  if (policy.endsWith('-lfu')) return 'lfu';
  return null;
}

/** rdbSaveObject: the value, in the form 7.0 writes for its encoding. */
function writeValue(w: RdbWriter, o: RedisObject, compression: boolean): void {
  switch (o.type) {
    case 'string':
      if (o.encoding === 'int') w.longLongAsString(o.value as string);
      else w.rawString(o.value as string, compression);
      return;
    case 'list': {
      const ql = o.value as Quicklist;
      w.len(ql.len);
      for (let node = ql.head; node; node = node.next) {
        w.len(node.isPlain ? QUICKLIST_NODE_CONTAINER_PLAIN : QUICKLIST_NODE_CONTAINER_PACKED);
        if (node.compressed) {
          const data = node.isPlain ? binaryBytes(node.plainValue) : listpackToBytes(node.lp);
          w.lzfNode(data, compression);
        } else if (node.isPlain) {
          w.rawString(node.plainValue, compression);
        } else {
          w.rawBlob(listpackToBytes(node.lp), compression);
        }
      }
      return;
    }
    case 'set':
      if (o.encoding === 'intset') {
        w.rawBlob((o.value as Intset).toBytes(), compression);
      } else {
        const d = o.value as Dict<null>;
        w.len(d.size);
        for (const e of d.entries()) w.rawString(e.key, compression);
      }
      return;
    case 'zset':
      if (o.encoding === 'listpack') {
        w.rawBlob(listpackToBytes(o.value as Listpack), compression);
      } else {
        const zsl = (o.value as ZsetSkiplist).zsl;
        w.len(zsl.length);
        // From the highest score down, so loading inserts each node at the skiplist's head.
        for (let n = zsl.tail; n; n = n.backward) {
          w.rawString(n.member, compression);
          w.binaryDouble(n.score);
        }
      }
      return;
    case 'hash':
      if (o.encoding === 'listpack') {
        w.rawBlob(listpackToBytes(o.value as Listpack), compression);
      } else {
        const d = o.value as Dict<string>;
        w.len(d.size);
        for (const e of d.entries()) {
          w.rawString(e.key, compression);
          w.rawString(e.value, compression);
        }
      }
      return;
  }
}

function binaryBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** rdbSaveObjectType */
function rdbTypeOf(o: RedisObject): number {
  switch (o.type) {
    case 'string': return RDB_TYPE_STRING;
    case 'list': return RDB_TYPE_LIST_QUICKLIST_2;
    case 'set': return o.encoding === 'intset' ? RDB_TYPE_SET_INTSET : RDB_TYPE_SET;
    case 'zset': return o.encoding === 'listpack' ? RDB_TYPE_ZSET_LISTPACK : RDB_TYPE_ZSET_2;
    case 'hash': return o.encoding === 'listpack' ? RDB_TYPE_HASH_LISTPACK : RDB_TYPE_HASH;
  }
}

/**
 * rdbSaveRio: the server's keyspaces as an RDB file, as SAVE writes it (no replication info, no
 * functions or modules: the engine has none). Changes nothing but the server's cached time.
 */
export function saveRdb(server: RedisServer): Uint8Array {
  server.updateCachedTime();
  const compression = server.config.bool('rdbcompression');
  const hint = accessHint(server);
  const w = new RdbWriter();
  w.binary(`REDIS${String(RDB_VERSION).padStart(4, '0')}`);
  // rdbSaveInfoAuxFields
  w.aux('redis-ver', REDIS_VERSION, compression);
  w.aux('redis-bits', '64', compression);
  w.aux('ctime', String(Math.floor(server.clock.now() / 1000)), compression);
  w.aux('used-mem', String(server.memory.usedMemory()), compression);
  w.aux('aof-base', '0', compression);
  for (const db of server.dbs) {
    if (db.dict.size === 0) continue;
    w.byte(RDB_OPCODE_SELECTDB);
    w.len(db.id);
    w.byte(RDB_OPCODE_RESIZEDB);
    w.len(db.dict.size);
    w.len(db.expires.size);
    const hasExpires = db.expires.size > 0;
    for (const e of db.dict.entries()) {
      const o = e.value;
      // rdbSaveKeyValuePair
      if (hasExpires) {
        const when = db.expires.get(e.key);
        if (when !== undefined) {
          w.byte(RDB_OPCODE_EXPIRETIME_MS);
          w.millis(when);
        }
      }
      if (hint === 'lru') {
        w.byte(RDB_OPCODE_IDLE);
        w.len(Math.floor(server.objectIdleMs(o) / 1000));
      } else if (hint === 'lfu') {
        w.byte(RDB_OPCODE_FREQ);
        w.byte(server.lfuDecrAndReturn(o));
      }
      w.byte(rdbTypeOf(o));
      w.rawString(e.key, compression);
      writeValue(w, o, compression);
    }
  }
  w.byte(RDB_OPCODE_EOF);
  const crc = new Crc64();
  crc.update(w.buf, 0, w.pos);
  w.bytes(crc.toBytesLE());
  return w.result();
}

// =================================================================================================
// Parsing

/** A list saved as quicklist nodes: PLAIN nodes hold one element, PACKED ones a listpack's entries. */
export type RdbListNode = { plain: true; value: string } | { plain: false; entries: string[] };

/** A value as read from the file, before any object is built: a string value is the string itself. */
export type RdbValue =
  | string
  /** QUICKLIST / QUICKLIST_2: the node layout is kept. */
  | { kind: 'list-nodes'; nodes: RdbListNode[] }
  /** LIST / LIST_ZIPLIST: elements pushed one by one. */
  | { kind: 'list-elements'; elements: string[] }
  | { kind: 'set'; members: string[] }
  | { kind: 'intset'; width: IntsetWidth; values: bigint[] }
  /** ZSET / ZSET_2 (and zipped zsets, as pairs). */
  | { kind: 'zset'; members: string[]; scores: number[] }
  | { kind: 'zset-listpack'; entries: string[] }
  /** HASH: field, value, field, value ... */
  | { kind: 'hash'; pairs: string[] }
  | { kind: 'hash-listpack'; entries: string[] };

export interface RdbKey {
  kind: 'key';
  db: number;
  key: string;
  /** The RDB value type it was saved with. */
  rdbType: number;
  /** Absolute unix ms, or null. */
  expire: ExpireTime | null;
  /** RDB_OPCODE_IDLE's seconds, or -1. */
  lruIdle: number;
  /** RDB_OPCODE_FREQ's counter, or -1. */
  lfuFreq: number;
  /** null for an empty aggregate, which loading skips (as Redis does). */
  value: RdbValue | null;
  /** Set by loadRdb once the object is built. */
  object?: RedisObject;
}

/** RESIZEDB: the loader presizes the db's tables. */
export interface RdbResize {
  kind: 'resize';
  db: number;
  size: number;
  expires: number;
}

export interface ParsedRdb {
  version: number;
  /** AUX fields in file order (redis-ver, ctime, used-mem ...). */
  aux: Map<string, string>;
  items: (RdbKey | RdbResize)[];
  /** Number of keys in the file. */
  keys: number;
}

const TYPE_NAMES: Record<number, string> = {
  [RDB_TYPE_MODULE]: 'module', [RDB_TYPE_MODULE_2]: 'module',
  [RDB_TYPE_STREAM_LISTPACKS]: 'stream', [RDB_TYPE_STREAM_LISTPACKS_2]: 'stream',
  [RDB_TYPE_HASH_ZIPMAP]: 'zipmap hash, Redis 2.4 and older',
};

class RdbReader {
  pos = 0;
  private readonly view: DataView;
  /** Set by len() when the length byte announced a special string encoding. */
  encoded = false;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  eof(): never {
    throw new RdbError(`Unexpected EOF reading RDB file: the file is truncated (${this.bytes.length} bytes)`);
  }

  corrupt(what: string, at = this.pos): never {
    throw new RdbError(`Corrupt RDB file: ${what} (at byte ${at})`);
  }

  need(n: number): void {
    if (this.pos + n > this.bytes.length) this.eof();
  }

  byte(): number {
    if (this.pos >= this.bytes.length) this.eof();
    return this.bytes[this.pos++];
  }

  /** rdbLoadLen: a length, or (with `encoded` set) a special string encoding number. */
  len(): number {
    const first = this.byte();
    const type = first >> 6;
    this.encoded = false;
    if (type === RDB_ENCVAL) {
      this.encoded = true;
      return first & 0x3f;
    }
    if (type === RDB_6BITLEN) return first & 0x3f;
    if (type === RDB_14BITLEN) return ((first & 0x3f) << 8) | this.byte();
    if (first === RDB_32BITLEN) {
      this.need(4);
      const v = this.view.getUint32(this.pos, false);
      this.pos += 4;
      return v;
    }
    if (first === RDB_64BITLEN) {
      this.need(8);
      const hi = this.view.getUint32(this.pos, false);
      const lo = this.view.getUint32(this.pos + 4, false);
      this.pos += 8;
      if (hi >= 2 ** 21) this.corrupt('length beyond 2^53');
      return hi * TWO_32 + lo;
    }
    return this.corrupt(`Unknown length encoding ${type} in rdbLoadLen()`, this.pos - 1);
  }

  /** A plain length (a count), where a string encoding makes no sense. */
  count(): number {
    const n = this.len();
    if (this.encoded) this.corrupt('unexpected string encoding where a length was expected', this.pos - 1);
    return n;
  }

  /** rdbGenericLoadStringObject as bytes (RDB_LOAD_PLAIN): integers as their decimal text. */
  blob(): Uint8Array {
    const n = this.len();
    if (this.encoded) {
      switch (n) {
        case RDB_ENC_INT8:
        case RDB_ENC_INT16:
        case RDB_ENC_INT32:
          return binaryBytes(this.integer(n));
        case RDB_ENC_LZF:
          return this.lzf();
        default:
          return this.corrupt(`Unknown RDB string encoding type ${n}`, this.pos - 1);
      }
    }
    this.need(n);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** rdbGenericLoadStringObject as a byte string. */
  string(): string {
    const n = this.len();
    if (this.encoded) {
      switch (n) {
        case RDB_ENC_INT8:
        case RDB_ENC_INT16:
        case RDB_ENC_INT32:
          return this.integer(n);
        case RDB_ENC_LZF:
          return bytesToBinary(this.lzf());
        default:
          return this.corrupt(`Unknown RDB string encoding type ${n}`, this.pos - 1);
      }
    }
    this.need(n);
    const s = bytesToBinary(this.bytes, this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  /** rdbLoadIntegerObject: the value's decimal text. */
  private integer(enc: number): string {
    let v: number;
    if (enc === RDB_ENC_INT8) {
      this.need(1);
      v = this.view.getInt8(this.pos);
      this.pos += 1;
    } else if (enc === RDB_ENC_INT16) {
      this.need(2);
      v = this.view.getInt16(this.pos, true);
      this.pos += 2;
    } else {
      this.need(4);
      v = this.view.getInt32(this.pos, true);
      this.pos += 4;
    }
    return String(v);
  }

  /** rdbLoadLzfStringObject */
  private lzf(): Uint8Array {
    const at = this.pos;
    const clen = this.count();
    const len = this.count();
    this.need(clen);
    const out = lzfDecompress(this.bytes.subarray(this.pos, this.pos + clen), len);
    if (!out) this.corrupt('Invalid LZF compressed string', at);
    this.pos += clen;
    return out;
  }

  /** rdbLoadMillisecondTime: int64, little-endian. */
  millis(): ExpireTime {
    this.need(8);
    const lo = this.view.getUint32(this.pos, true);
    const hi = this.view.getInt32(this.pos + 4, true);
    let t: ExpireTime;
    if (hi >= -(2 ** 20) && hi < 2 ** 20) t = hi * TWO_32 + lo;
    else t = toExpireTime(this.view.getBigInt64(this.pos, true));
    this.pos += 8;
    return t;
  }

  /** rdbLoadBinaryDoubleValue */
  binaryDouble(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** rdbLoadDoubleValue: the old text form (253 nan, 254 +inf, 255 -inf, else length + text). */
  textDouble(): number {
    const len = this.byte();
    if (len === 255) return -Infinity;
    if (len === 254) return Infinity;
    if (len === 253) return NaN;
    this.need(len);
    const text = bytesToBinary(this.bytes, this.pos, this.pos + len).trim();
    this.pos += len;
    const lower = text.toLowerCase();
    let v = Number(text);
    if (Number.isNaN(v)) {
      if (/^[+]?inf(inity)?$/.test(lower)) v = Infinity;
      else if (/^-inf(inity)?$/.test(lower)) v = -Infinity;
      else if (!/^[+-]?nan/.test(lower)) this.corrupt(`bad double value '${text}'`);
    }
    return v;
  }
}

/** Parses and checks a whole RDB file (structure, encodings, checksum) without loading it. */
export function parseRdb(bytes: Uint8Array): ParsedRdb {
  const r = new RdbReader(bytes);
  if (bytes.length < 5 || bytesToBinary(bytes, 0, 5) !== 'REDIS') throw new RdbError('Wrong signature trying to load DB from file');
  if (bytes.length < 9) r.eof();
  const verText = bytesToBinary(bytes, 5, 9);
  const version = /^\d{4}$/.test(verText) ? Number(verText) : NaN;
  if (!(version >= 1 && version <= RDB_VERSION)) {
    throw new RdbError(`Can't handle RDB format version ${Number(/^\d*/.exec(verText)![0] || 0)}`);
  }
  r.pos = 9;
  const aux = new Map<string, string>();
  const items: (RdbKey | RdbResize)[] = [];
  let keys = 0;
  let db = 0;
  let expire: ExpireTime | null = null;
  let lruIdle = -1;
  let lfuFreq = -1;
  for (;;) {
    const at = r.pos;
    const type = r.byte();
    if (type === RDB_OPCODE_EXPIRETIME) {
      r.need(4);
      expire = new DataView(bytes.buffer, bytes.byteOffset + r.pos, 4).getInt32(0, true) * 1000;
      r.pos += 4;
      continue;
    }
    if (type === RDB_OPCODE_EXPIRETIME_MS) { expire = r.millis(); continue; }
    if (type === RDB_OPCODE_FREQ) { lfuFreq = r.byte(); continue; }
    if (type === RDB_OPCODE_IDLE) { lruIdle = r.count(); continue; }
    if (type === RDB_OPCODE_EOF) break;
    if (type === RDB_OPCODE_SELECTDB) { db = r.count(); continue; }
    if (type === RDB_OPCODE_RESIZEDB) {
      const size = r.count();
      const expires = r.count();
      items.push({ kind: 'resize', db, size, expires });
      continue;
    }
    if (type === RDB_OPCODE_AUX) {
      const key = r.string();
      aux.set(key, r.string());
      continue;
    }
    if (type === RDB_OPCODE_MODULE_AUX) {
      throw new RdbError('RDB module data (opcode 247) is not supported by Rediscope');
    }
    if (type === RDB_OPCODE_FUNCTION || type === RDB_OPCODE_FUNCTION2) {
      throw new RdbError('RDB function libraries (FUNCTION LOAD) are not supported by Rediscope');
    }
    if (TYPE_NAMES[type] !== undefined) {
      throw new RdbError(`RDB type ${type} (${TYPE_NAMES[type]}) is not supported by Rediscope`);
    }
    if (!isLoadableType(type)) r.corrupt(`Unknown RDB type ${type}`, at);
    const key = r.string();
    const value = readValue(r, type);
    items.push({ kind: 'key', db, key, rdbType: type, expire, lruIdle, lfuFreq, value });
    keys++;
    expire = null;
    lruIdle = -1;
    lfuFreq = -1;
  }
  if (version >= 5) {
    const end = r.pos;
    r.need(8);
    const stored = new DataView(bytes.buffer, bytes.byteOffset + end, 8);
    const lo = stored.getUint32(0, true);
    const hi = stored.getUint32(4, true);
    if (lo !== 0 || hi !== 0) {
      const crc = new Crc64();
      crc.update(bytes, 0, end);
      if (crc.lo !== lo || crc.hi !== hi) {
        const got = ((BigInt(hi) << 32n) | BigInt(lo)).toString(16);
        throw new RdbError(`Wrong RDB checksum expected: (${crc.value.toString(16)}) but got (${got}): the file is corrupt`);
      }
    }
  }
  return { version, aux, items, keys };
}

function isLoadableType(t: number): boolean {
  return (t >= RDB_TYPE_STRING && t <= RDB_TYPE_ZSET_2) ||
    (t >= RDB_TYPE_LIST_ZIPLIST && t <= RDB_TYPE_LIST_QUICKLIST) ||
    (t >= RDB_TYPE_HASH_LISTPACK && t <= RDB_TYPE_LIST_QUICKLIST_2);
}

/** rdbLoadObject's reading half: the value as data, or null for an empty aggregate. */
function readValue(r: RdbReader, type: number): RdbValue | null {
  switch (type) {
    case RDB_TYPE_STRING:
      return r.string();
    case RDB_TYPE_LIST: {
      const n = r.count();
      const elements: string[] = [];
      for (let i = 0; i < n; i++) elements.push(r.string());
      return n === 0 ? null : { kind: 'list-elements', elements };
    }
    case RDB_TYPE_SET: {
      const n = r.count();
      const members: string[] = [];
      for (let i = 0; i < n; i++) members.push(r.string());
      return n === 0 ? null : { kind: 'set', members };
    }
    case RDB_TYPE_ZSET:
    case RDB_TYPE_ZSET_2: {
      const n = r.count();
      const members: string[] = [];
      const scores: number[] = [];
      for (let i = 0; i < n; i++) {
        members.push(r.string());
        const at = r.pos;
        const score = type === RDB_TYPE_ZSET_2 ? r.binaryDouble() : r.textDouble();
        if (Number.isNaN(score)) r.corrupt('Zset with NAN score detected', at);
        scores.push(score);
      }
      return n === 0 ? null : { kind: 'zset', members, scores };
    }
    case RDB_TYPE_HASH: {
      const n = r.count();
      const pairs: string[] = [];
      for (let i = 0; i < n; i++) {
        pairs.push(r.string());
        pairs.push(r.string());
      }
      return n === 0 ? null : { kind: 'hash', pairs };
    }
    case RDB_TYPE_LIST_QUICKLIST:
    case RDB_TYPE_LIST_QUICKLIST_2: {
      const n = r.count();
      const nodes: RdbListNode[] = [];
      for (let i = 0; i < n; i++) {
        let container = QUICKLIST_NODE_CONTAINER_PACKED;
        if (type === RDB_TYPE_LIST_QUICKLIST_2) {
          const at = r.pos;
          container = r.count();
          if (container !== QUICKLIST_NODE_CONTAINER_PACKED && container !== QUICKLIST_NODE_CONTAINER_PLAIN) {
            r.corrupt('Quicklist integrity check failed.', at);
          }
        }
        const at = r.pos;
        const data = r.blob();
        if (data.length === 0) r.corrupt('empty quicklist node', at);
        if (container === QUICKLIST_NODE_CONTAINER_PLAIN) {
          nodes.push({ plain: true, value: bytesToBinary(data) });
          continue;
        }
        const entries = type === RDB_TYPE_LIST_QUICKLIST_2 ? decodeListpack(data) : decodeZiplist(data);
        if (!entries) r.corrupt(type === RDB_TYPE_LIST_QUICKLIST_2 ? 'Listpack integrity check failed.' : 'Ziplist integrity check failed.', at);
        // Empty nodes are skipped; a list left with none is an empty key.
        if (entries.length > 0) nodes.push({ plain: false, entries });
      }
      return nodes.length === 0 ? null : { kind: 'list-nodes', nodes };
    }
    case RDB_TYPE_LIST_ZIPLIST: {
      const at = r.pos;
      const entries = decodeZiplist(r.blob());
      if (!entries) r.corrupt('List ziplist integrity check failed.', at);
      return entries.length === 0 ? null : { kind: 'list-elements', elements: entries };
    }
    case RDB_TYPE_SET_INTSET: {
      const at = r.pos;
      const is = decodeIntset(r.blob());
      if (!is) r.corrupt('Intset integrity check failed.', at);
      return is.values.length === 0 ? null : { kind: 'intset', ...is };
    }
    case RDB_TYPE_ZSET_ZIPLIST:
    case RDB_TYPE_ZSET_LISTPACK: {
      const at = r.pos;
      const data = r.blob();
      const entries = type === RDB_TYPE_ZSET_LISTPACK ? decodeListpack(data) : decodeZiplist(data);
      if (!entries || entries.length % 2 !== 0 || !pairsHaveDistinctNames(entries)) {
        r.corrupt(type === RDB_TYPE_ZSET_LISTPACK ? 'Zset listpack integrity check failed.' : 'Zset ziplist integrity check failed.', at);
      }
      return entries.length === 0 ? null : { kind: 'zset-listpack', entries };
    }
    case RDB_TYPE_HASH_ZIPLIST:
    case RDB_TYPE_HASH_LISTPACK: {
      const at = r.pos;
      const data = r.blob();
      const entries = type === RDB_TYPE_HASH_LISTPACK ? decodeListpack(data) : decodeZiplist(data);
      if (!entries || entries.length % 2 !== 0 || !pairsHaveDistinctNames(entries)) {
        r.corrupt(type === RDB_TYPE_HASH_LISTPACK ? 'Hash listpack integrity check failed.' : 'Hash ziplist integrity check failed.', at);
      }
      return entries.length === 0 ? null : { kind: 'hash-listpack', entries };
    }
    default:
      return r.corrupt(`Unknown RDB encoding type ${type}`);
  }
}

/** No field (or member) appears twice among the even entries (lpPairsValidateIntegrityAndDups). */
function pairsHaveDistinctNames(entries: string[]): boolean {
  if (entries.length <= 2) return true;
  const seen = new Set<string>();
  for (let i = 0; i < entries.length; i += 2) {
    if (seen.has(entries[i])) return false;
    seen.add(entries[i]);
  }
  return true;
}

// =================================================================================================
// Loading

/** rdbLoadObject's building half: the object as 7.0 builds it with this server's settings. */
function buildObject(server: RedisServer, v: RdbValue, key: string): RedisObject {
  if (typeof v === 'string') return tryObjectEncoding(server, v);
  const config = server.config;
  switch (v.kind) {
    case 'list-nodes': {
      const o = createListObject(server);
      const ql = o.value;
      for (const node of v.nodes) {
        if (node.plain) ql.appendPlainNode(node.value);
        else ql.appendListpackNode(Listpack.from(node.entries));
      }
      return fresh(server, o);
    }
    case 'list-elements': {
      const o = createListObject(server);
      for (const e of v.elements) o.value.pushTail(e);
      return fresh(server, o);
    }
    case 'set': {
      const n = v.members.length;
      const maxEntries = Math.min(config.num('set-max-intset-entries'), 2 ** 30);
      let o: RedisObject<SetValue>;
      if (n > maxEntries) {
        o = createSetObject(server);
        if (n > DICT_HT_INITIAL_SIZE) (o.value as Dict<null>).expand(n);
      } else {
        o = createIntsetObject();
      }
      for (const m of v.members) {
        if (o.encoding === 'intset') {
          const iv = intsetValueOf(m);
          if (iv !== null) {
            if (!(o.value as Intset).add(iv)) duplicate('Duplicate set members detected', key);
            continue;
          }
          setTypeConvert(server, o);
          (o.value as Dict<null>).expand(n);
        }
        if (!(o.value as Dict<null>).add(m, null)) duplicate('Duplicate set members detected', key);
      }
      return fresh(server, o);
    }
    case 'intset': {
      const o = createObject<SetValue>('set', 'intset', Intset.withWidth(v.width, v.values));
      if (v.values.length > config.num('set-max-intset-entries')) setTypeConvert(server, o);
      return fresh(server, o);
    }
    case 'zset': {
      const n = v.members.length;
      const o = createZsetObject(server);
      const zs = o.value as ZsetSkiplist;
      if (n > DICT_HT_INITIAL_SIZE) zs.dict.expand(n);
      let maxLen = 0;
      let totalLen = 0;
      for (let i = 0; i < n; i++) {
        const m = v.members[i];
        if (m.length > maxLen) maxLen = m.length;
        totalLen += m.length;
        if (zs.dict.has(m)) duplicate('Duplicate zset fields detected', key);
        zs.insert(v.scores[i], m);
      }
      // Converted after loading: the saved order is not the sorted one.
      if (n <= config.num('zset-max-listpack-entries') && maxLen <= config.num('zset-max-listpack-value') &&
          totalLen <= LISTPACK_MAX_SAFETY_SIZE) {
        zsetConvert(server, o, 'listpack');
      }
      return fresh(server, o);
    }
    case 'zset-listpack': {
      const o = createObject<ZsetValue>('zset', 'listpack', Listpack.from(v.entries));
      if (v.entries.length / 2 > config.num('zset-max-listpack-entries')) zsetConvert(server, o, 'skiplist');
      return fresh(server, o);
    }
    case 'hash': {
      const o = createObject<HashValue>('hash', 'listpack', new Listpack());
      let remaining = v.pairs.length / 2;
      const maxValue = config.num('hash-max-listpack-value');
      if (remaining > config.num('hash-max-listpack-entries')) hashTypeConvert(server, o);
      let i = 0;
      let fields: Set<string> | null = null;
      while (o.encoding === 'listpack' && remaining > 0) {
        remaining--;
        const field = v.pairs[i++];
        const value = v.pairs[i++];
        const lp = o.value as Listpack;
        if (field.length > maxValue || value.length > maxValue || lp.bytes + field.length + value.length > LISTPACK_MAX_SAFETY_SIZE) {
          hashTypeConvert(server, o);
          if (!(o.value as Dict<string>).add(field, value)) duplicate('Duplicate hash fields detected', key);
          break;
        }
        fields ??= new Set();
        if (fields.has(field)) duplicate('Duplicate hash fields detected', key);
        fields.add(field);
        lp.push(field);
        lp.push(value);
      }
      if (o.encoding === 'hashtable') {
        const d = o.value as Dict<string>;
        if (remaining > DICT_HT_INITIAL_SIZE) d.expand(remaining);
        while (remaining-- > 0) {
          const field = v.pairs[i++];
          if (!d.add(field, v.pairs[i++])) duplicate('Duplicate hash fields detected', key);
        }
      }
      return fresh(server, o);
    }
    case 'hash-listpack': {
      const o = createObject<HashValue>('hash', 'listpack', Listpack.from(v.entries));
      if (v.entries.length / 2 > config.num('hash-max-listpack-entries')) hashTypeConvert(server, o);
      return fresh(server, o);
    }
  }
}

/** createObject's access time (the object helpers here leave it 0). */
function fresh<T extends RedisObject>(server: RedisServer, o: T): T {
  o.lru = initialLru(server);
  return o;
}

function duplicate(what: string, key: string): never {
  throw new RdbError(`Corrupt RDB file: ${what} (key '${printable(key)}')`);
}

function printable(s: string): string {
  const shown = s.length > 64 ? `${s.slice(0, 64)}...` : s;
  return shown.replace(/[^\x20-\x7e]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export interface LoadOptions {
  /** Empty the databases first (default); DEBUG RELOAD NOFLUSH keeps them. */
  flush?: boolean;
  /** RDBFLAGS_ALLOW_DUP (DEBUG RELOAD MERGE): a key already present is replaced. */
  allowDuplicates?: boolean;
}

/**
 * rdbLoad: empties the server's databases and loads the file into them, as a restarting server
 * does: keys already expired are skipped (a master's rule), access times come from the IDLE/FREQ
 * hints, encodings follow this server's settings. On a bad file throws RdbError and changes
 * nothing.
 */
export function loadRdb(server: RedisServer, bytes: Uint8Array, options: LoadOptions = {}): void {
  const flush = options.flush ?? true;
  const allowDup = options.allowDuplicates ?? false;
  const parsed = parseRdb(bytes);
  server.updateCachedTime();
  const now = Math.floor(server.mstime);

  // Build every object before touching the keyspace.
  const prepared: (RdbKey | RdbResize)[] = [];
  const seen = allowDup ? null : server.dbs.map(() => new Set<string>());
  let expired = 0;
  for (const item of parsed.items) {
    if (item.db >= server.dbs.length) {
      throw new RdbError(`Data file was created with a Redis server configured to handle more than ${server.dbs.length} databases`);
    }
    if (item.kind === 'resize') { prepared.push(item); continue; }
    if (item.value === null) continue; // an empty key, skipped as Redis does
    if (item.expire !== null && item.expire < now) { expired++; continue; }
    if (seen) {
      if (seen[item.db].has(item.key) || (!flush && server.dbs[item.db].dict.has(item.key))) {
        throw new RdbError(`RDB has duplicated key '${printable(item.key)}' in DB ${item.db}`);
      }
      seen[item.db].add(item.key);
    }
    item.object = buildObject(server, item.value, item.key);
    item.value = null; // the data is in the object now: let it go
    prepared.push(item);
  }

  if (flush) emptyAllDatabases(server);
  const lfu = server.usesLfu;
  const lruClock = server.lruClock();
  const minutes = server.lfuTimeInMinutes();
  let loaded = 0;
  for (const p of prepared) {
    const db = server.dbs[p.db];
    if (p.kind === 'resize') {
      // RESIZEDB: presize the tables for what follows.
      db.dict.expand(p.size);
      db.expires.expand(p.expires);
      continue;
    }
    const key = p.key;
    const o = p.object!;
    if (!db.addRdbLoad(key, o)) {
      db.delete(key, 'sync'); // MERGE: the file's key wins (dbSyncDelete)
      db.addRdbLoad(key, o);
    }
    loaded++;
    if (p.expire !== null) db.setExpire(key, p.expire);
    // objectSetLRUOrLFU
    if (lfu) {
      if (p.lfuFreq >= 0) o.lru = (minutes << 8) | p.lfuFreq;
    } else if (p.lruIdle >= 0) {
      let abs = lruClock - p.lruIdle;
      if (abs < 0) abs += LRU_CLOCK_MAX;
      o.lru = abs;
    }
  }
  const state = persistenceState(server);
  state.keysLoaded = loaded;
  state.keysExpired = expired;
}

/** emptyData(-1): WATCHed keys and tracking clients learn of the flush, then every db is emptied. */
export function emptyAllDatabases(server: RedisServer): void {
  for (const db of server.dbs) server.touchAllWatchedKeysInDb(db, null);
  server.tracking.invalidateKeysOnFlush();
  for (const db of server.dbs) db.empty();
}

/** rdbSave to the server's "disk": what SAVE does besides writing (dirty, lastsave, rdb_saves). */
export function saveRdbToDisk(server: RedisServer): Uint8Array {
  const bytes = saveRdb(server);
  const state = persistenceState(server);
  state.file = bytes;
  state.saves++;
  server.dirty = 0;
  server.lastSave = Math.floor(server.clock.now() / 1000);
  return bytes;
}
