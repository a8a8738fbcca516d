// Helpers for the RDB tests: a description of a whole keyspace to compare servers by, and a small
// writer of hand-made RDB files (for the older encodings Redis 7.0 no longer writes).
import { zsetEntries } from '../../../src/engine/commands/zset.ts';
import type { Dict } from '../../../src/engine/ds/dict.ts';
import type { Intset } from '../../../src/engine/ds/intset.ts';
import type { Listpack } from '../../../src/engine/ds/listpack.ts';
import type { Quicklist } from '../../../src/engine/ds/quicklist.ts';
import { Crc64 } from '../../../src/engine/persist/crc64.ts';
import type { RedisObject } from '../../../src/engine/server/object.ts';
import type { RedisServer } from '../../../src/engine/server/redisServer.ts';

/** Everything observable about one value: type, encoding, contents (lists with their node layout). */
export function describeObject(o: RedisObject): unknown {
  switch (o.type) {
    case 'string':
      return { type: 'string', encoding: o.encoding, value: o.value };
    case 'list': {
      const ql = o.value as Quicklist;
      return {
        type: 'list', encoding: o.encoding,
        nodes: ql.nodeViews().map((n) => ({ container: n.container, compressed: n.compressed, entries: n.entries })),
      };
    }
    case 'set': {
      const members = o.encoding === 'intset' ? [...(o.value as Intset).strings()] : [...(o.value as Dict<null>).keys()];
      const width = o.encoding === 'intset' ? (o.value as Intset).width : undefined;
      return { type: 'set', encoding: o.encoding, members: members.sort(), width };
    }
    case 'hash': {
      const pairs: string[][] = [];
      if (o.encoding === 'listpack') {
        const lp = o.value as Listpack;
        for (let i = 0; i < lp.length; i += 2) pairs.push([lp.get(i), lp.get(i + 1)]);
      } else {
        for (const e of (o.value as Dict<string>).entries()) pairs.push([e.key, e.value]);
        pairs.sort((a, b) => (a[0] < b[0] ? -1 : 1));
      }
      return { type: 'hash', encoding: o.encoding, pairs };
    }
    case 'zset':
      return { type: 'zset', encoding: o.encoding, entries: [...zsetEntries(o)] };
  }
}

/** Every key of every database with its value and expire time. */
export function describeKeyspace(server: RedisServer): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const db of server.dbs) {
    for (const e of db.dict.entries()) {
      const expire = db.getExpireExact(e.key);
      out[`${db.id}:${e.key}`] = { ...(describeObject(e.value) as object), expire: String(expire) };
    }
  }
  return out;
}

const bytesOf = (s: string) => Array.from(s, (ch) => ch.charCodeAt(0));

/** Builds RDB files byte by byte. */
export class RdbBuilder {
  readonly body: number[] = [];

  raw(...bytes: number[]): this { this.body.push(...bytes); return this; }

  /** rdbSaveLen */
  len(n: number): this {
    if (n < 64) return this.raw(n);
    if (n < 16384) return this.raw(0x40 | (n >> 8), n & 0xff);
    return this.raw(0x80, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
  }

  /** A verbatim length-prefixed string. */
  str(s: string): this { return this.len(s.length).raw(...bytesOf(s)); }

  blob(b: number[]): this { return this.len(b.length).raw(...b); }

  aux(k: string, v: string): this { return this.raw(0xfa).str(k).str(v); }

  selectDb(n: number): this { return this.raw(0xfe).len(n); }

  /** A key of the given RDB type; the value is written by `value`. */
  key(type: number, key: string, value: (b: this) => void): this {
    this.raw(type).str(key);
    value(this);
    return this;
  }

  /** The file: magic and version, the body, EOF, and the checksum (or 8 zero bytes). */
  build(version = 10, checksum: 'crc' | 'zero' | 'none' = 'crc'): Uint8Array {
    const head = bytesOf(`REDIS${String(version).padStart(4, '0')}`);
    const bytes = [...head, ...this.body, 0xff];
    if (checksum === 'none') return Uint8Array.from(bytes);
    const out = new Uint8Array(bytes.length + 8);
    out.set(bytes);
    if (checksum === 'crc') {
      const c = new Crc64();
      c.update(out, 0, bytes.length);
      out.set(c.toBytesLE(), bytes.length);
    }
    return out;
  }
}

/** A ziplist (Redis up to 6.2) holding these entries; numbers are stored as integers. */
export function ziplist(entries: (string | number | bigint)[]): number[] {
  const body: number[] = [];
  let prevlen = 0;
  for (const e of entries) {
    const entry: number[] = prevlen < 254 ? [prevlen] : [0xfe, prevlen & 0xff, (prevlen >> 8) & 0xff, (prevlen >> 16) & 0xff, prevlen >>> 24];
    if (typeof e === 'string') {
      const b = bytesOf(e);
      if (b.length < 64) entry.push(b.length);
      else entry.push(0x40 | (b.length >> 8), b.length & 0xff);
      entry.push(...b);
    } else {
      const v = BigInt(e);
      const le = (width: number) => {
        const out: number[] = [];
        let u = v < 0n ? (1n << BigInt(8 * width)) + v : v;
        for (let i = 0; i < width; i++) { out.push(Number(u & 0xffn)); u >>= 8n; }
        return out;
      };
      if (v >= 0n && v <= 12n) entry.push(0xf1 + Number(v));
      else if (v >= -128n && v <= 127n) entry.push(0xfe, ...le(1));
      else if (v >= -32768n && v <= 32767n) entry.push(0xc0, ...le(2));
      else if (v >= -8388608n && v <= 8388607n) entry.push(0xf0, ...le(3));
      else if (v >= -2147483648n && v <= 2147483647n) entry.push(0xd0, ...le(4));
      else entry.push(0xe0, ...le(8));
    }
    prevlen = entry.length;
    body.push(...entry);
  }
  const total = 10 + body.length + 1;
  const tail = 10 + body.length - (entries.length ? prevlen : 0);
  const u32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24];
  return [...u32(total), ...u32(entries.length ? tail : 10), entries.length & 0xff, entries.length >> 8, ...body, 0xff];
}
