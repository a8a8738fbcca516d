// The encoding snapshot describes the real structures byte for byte (checked against facts read
// from redis-server 7.0.15 with DEBUG LISTPACK, DEBUG SDSLEN, DEBUG OBJECT and MEMORY USAGE, and
// against the listpack's own serialized bytes), reading it changes nothing, and the encoding trace
// events fire exactly when a key's OBJECT ENCODING (or an intset's width) changes.
import { describe, expect, it } from 'vitest';
import { EngineHarness } from '../../support/engineHarness.ts';
import { text, type RespValue } from '../../support/respValue.ts';
import { Listpack } from '../../../src/engine/ds/listpack.ts';
import { listpackToBytes } from '../../../src/engine/ds/listpackEncode.ts';
import type { Intset } from '../../../src/engine/ds/intset.ts';
import type { Quicklist } from '../../../src/engine/ds/quicklist.ts';
import { jemallocSize } from '../../../src/engine/ds/sds.ts';
import {
  encodingSnapshot, listpackView, type EncodingSnapshot, type IntsetDetail, type ListpackDetail, type QuicklistDetail,
  type StringDetail, type SummaryDetail,
} from '../../../src/engine/trace/encoding.ts';
import type { EncodingTraceEvent } from '../../../src/engine/trace/events.ts';
import { TraceRecorder } from '../../../src/engine/trace/recorder.ts';
import { runSnapshotQuery } from '../../../src/engine/trace/snapshots.ts';
import { SeededRandom } from '../../../src/engine/sim/random.ts';
import { setServerPackedThreshold } from '../../../src/engine/commands/list.ts';

const int = (v: RespValue): number => {
  if (v.t !== 'int') throw new Error(`not an integer: ${JSON.stringify(v)}`);
  return Number(v.v);
};

function snap(h: EngineHarness, key: string, extra: { limit?: number; node?: number } = {}): EncodingSnapshot {
  return encodingSnapshot(h.server, { kind: 'encoding', db: 0, key, ...extra });
}

function debugHarness(config: Record<string, string> = {}): EngineHarness {
  return new EngineHarness({ config: { 'enable-debug-command': 'yes', ...config } });
}

/**
 * Reads a listpack's bytes the way listpack.c does (lpCurrentEncodedSizeUnsafe, lpDecodeBacklen),
 * independently of the snapshot: each entry's offset, encoding-byte count, data bytes, back-length.
 */
function parseListpack(bytes: Uint8Array): { total: number; count: number; entries: { offset: number; enc: number; data: number; backlen: number }[] } {
  const total = bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (bytes[3] * 2 ** 24);
  const count = bytes[4] | (bytes[5] << 8);
  const entries = [];
  let p = 6;
  while (bytes[p] !== 0xff) {
    const b = bytes[p];
    let enc: number;
    let data: number;
    if ((b & 0x80) === 0) { enc = 1; data = 0; } // 7-bit uint
    else if ((b & 0xc0) === 0x80) { enc = 1; data = b & 0x3f; } // 6-bit string
    else if ((b & 0xe0) === 0xc0) { enc = 1; data = 1; } // 13-bit int
    else if ((b & 0xf0) === 0xe0) { enc = 2; data = ((b & 0x0f) << 8) | bytes[p + 1]; } // 12-bit string
    else if (b === 0xf1) { enc = 1; data = 2; }
    else if (b === 0xf2) { enc = 1; data = 3; }
    else if (b === 0xf3) { enc = 1; data = 4; }
    else if (b === 0xf4) { enc = 1; data = 8; }
    else if (b === 0xf0) { enc = 5; data = bytes[p + 1] | (bytes[p + 2] << 8) | (bytes[p + 3] << 16) | (bytes[p + 4] * 2 ** 24); }
    else throw new Error(`bad encoding byte ${b} at ${p}`);
    const len = enc + data;
    // The back-length's size (lpEncodeBacklen), then its value read backwards from its last byte
    // as lpDecodeBacklen does: 7 bits a byte, the high bit set while more bytes precede.
    const backlen = len <= 127 ? 1 : len < 16383 ? 2 : len < 2097151 ? 3 : len < 268435455 ? 4 : 5;
    let q = p + len + backlen - 1;
    let decoded = 0;
    let shift = 0;
    let read = 0;
    for (;;) {
      const byte = bytes[q--];
      read++;
      decoded += (byte & 0x7f) * 2 ** shift;
      if (!(byte & 0x80)) break;
      shift += 7;
    }
    expect([decoded, read]).toEqual([len, backlen]);
    entries.push({ offset: p, enc, data, backlen });
    p += len + backlen;
  }
  expect(p + 1).toBe(total);
  return { total, count, entries };
}

describe('listpack bytes', () => {
  it('match DEBUG LISTPACK of redis-server 7.0.15 for a hash and a sorted set', () => {
    const h = new EngineHarness();
    h.raw('HSET', 'h', 'f1', 'v1', 'f2', 'hello', 'num', '12345', 'neg', '-5', 'big', '9999999999', 'mid', 'y'.repeat(63));
    const s = snap(h, 'h');
    expect([s.type, s.encoding, s.length]).toEqual(['hash', 'listpack', 6]);
    const lp = (s.detail as ListpackDetail).listpack;
    // {total bytes 128} {num entries 12}; offsets, hdr+entrylen+backlen, hdrlen and payload per entry.
    expect([lp.totalBytes, lp.count, lp.countField, lp.headerBytes, lp.endBytes]).toEqual([128, 12, 12, 6, 1]);
    expect(lp.entries.map((e) => e.offset)).toEqual([6, 10, 14, 18, 25, 30, 34, 39, 42, 47, 57, 62]);
    expect(lp.entries.map((e) => e.size)).toEqual([4, 4, 4, 7, 5, 4, 5, 3, 5, 10, 5, 65]);
    expect(lp.entries.map((e) => e.dataBytes)).toEqual([2, 2, 2, 5, 3, 2, 3, 1, 3, 8, 3, 63]);
    expect(lp.entries.every((e) => e.encodingBytes === 1 && e.backlenBytes === 1)).toBe(true);
    expect(lp.entries.map((e) => e.encoding)).toEqual([
      'LP_ENCODING_6BIT_STR', 'LP_ENCODING_6BIT_STR', 'LP_ENCODING_6BIT_STR', 'LP_ENCODING_6BIT_STR',
      'LP_ENCODING_6BIT_STR', 'LP_ENCODING_16BIT_INT', 'LP_ENCODING_6BIT_STR', 'LP_ENCODING_13BIT_INT',
      'LP_ENCODING_6BIT_STR', 'LP_ENCODING_64BIT_INT', 'LP_ENCODING_6BIT_STR', 'LP_ENCODING_6BIT_STR',
    ]);
    expect(lp.entries[5]).toMatchObject({ value: '12345', kind: 'int', length: 5 });
    expect(lp.entries[11]).toMatchObject({ value: 'y'.repeat(48), length: 63, kind: 'str' });
    expect(lp.hidden).toBeNull();

    h.raw('ZADD', 'z', '1', 'a', '2.5', 'b', '-3', 'c');
    const z = (snap(h, 'z').detail as ListpackDetail).listpack;
    // {total bytes 26} {num entries 6}: c, -3, a, 1, b, "2.5" (members and scores, lowest first).
    expect(z.totalBytes).toBe(26);
    expect(z.entries.map((e) => [e.value, e.offset, e.size, e.dataBytes])).toEqual([
      ['c', 6, 3, 1], ['-3', 9, 3, 1], ['a', 12, 3, 1], ['1', 15, 2, 0], ['b', 17, 3, 1], ['2.5', 20, 5, 3],
    ]);
    expect(z.entries[3].encoding).toBe('LP_ENCODING_7BIT_UINT');
  });

  it('agree with the listpack\'s own serialized bytes for every encoding', () => {
    const values = [
      '0', '127', '128', '-1', '-4096', '4095', '4096', '-32768', '32767', '32768', '-8388608', '8388607', '8388608',
      '-2147483648', '2147483647', '2147483648', '9223372036854775807', '-9223372036854775808',
      '', 'a', '01', '-0', '+1', '1.5', 'x'.repeat(63), 'x'.repeat(64), 'x'.repeat(127), 'x'.repeat(4095), 'x'.repeat(4096),
      'y'.repeat(20000), '99999999999999999999',
    ];
    const lp = Listpack.from(values);
    const view = listpackView(lp, 1000);
    const parsed = parseListpack(listpackToBytes(lp));
    expect(view.totalBytes).toBe(parsed.total);
    expect(view.count).toBe(parsed.count);
    expect(view.entries.map((e) => ({ offset: e.offset, enc: e.encodingBytes, data: e.dataBytes, backlen: e.backlenBytes })))
      .toEqual(parsed.entries);
    expect(view.entries.filter((e) => e.kind === 'int').map((e) => e.value)).toEqual(values.slice(0, 18));
  });

  it('lists the first and last entries of a big listpack (pairs kept whole) and accounts for the rest', () => {
    const h = new EngineHarness({ config: { 'hash-max-listpack-entries': '1000' } });
    h.raw('HSET', 'big', ...Array.from({ length: 500 }, (_, i) => [`field:${i}`, String(i * 1000)]).flat());
    const s = snap(h, 'big', { limit: 10 });
    const lp = (s.detail as ListpackDetail).listpack;
    expect(lp.count).toBe(1000);
    expect(lp.entries.map((e) => e.index)).toEqual([0, 1, 2, 3, 996, 997, 998, 999]);
    expect(lp.hidden).toMatchObject({ from: 4, count: 992 });
    const shown = lp.entries.reduce((n, e) => n + e.size, 0);
    expect(lp.headerBytes + shown + lp.hidden!.bytes + lp.endBytes).toBe(lp.totalBytes);
    expect(lp.totalBytes).toBe((h.object('big')!.value as Listpack).bytes);
    // The tail's offsets count the hidden entries' bytes.
    const last = lp.entries.at(-1)!;
    expect(last.offset + last.size + 1).toBe(lp.totalBytes);
  });
});

describe('intset', () => {
  it('widths and bytes follow the values, as MEMORY USAGE on redis-server 7.0.15 shows (64, 80, 96 bytes)', () => {
    const h = new EngineHarness();
    const usage = () => int(h.run('MEMORY', 'USAGE', 'st'));
    h.raw('SADD', 'st', '1', '2', '3');
    let d = snap(h, 'st').detail as IntsetDetail;
    expect([d.width, d.encodingName, d.count, d.bytes, d.headerBytes]).toEqual([2, 'INTSET_ENC_INT16', 3, 14, 8]);
    expect(d.values.map((v) => v.value)).toEqual(['1', '2', '3']);
    expect(d.range).toEqual({ min: '-32768', max: '32767' });
    expect(d.nextWidth).toBe(4);
    expect(usage()).toBe(64);
    // MEMORY USAGE = the same overhead + the blob's allocation: the width is what Redis chose.
    const overhead = 64 - jemallocSize(d.bytes);
    h.raw('SADD', 'st', '100000');
    d = snap(h, 'st').detail as IntsetDetail;
    expect([d.width, d.bytes, d.nextWidth]).toEqual([4, 24, 8]);
    expect(usage()).toBe(80);
    expect(overhead + jemallocSize(d.bytes)).toBe(80);
    h.raw('SADD', 'st', '5000000000');
    d = snap(h, 'st').detail as IntsetDetail;
    expect([d.width, d.bytes, d.nextWidth]).toEqual([8, 48, null]);
    expect(usage()).toBe(96);
    expect(overhead + jemallocSize(d.bytes)).toBe(96);
    // The width never shrinks.
    h.raw('SREM', 'st', '5000000000', '100000');
    d = snap(h, 'st').detail as IntsetDetail;
    expect([d.width, d.count, d.bytes]).toEqual([8, 3, 32]);
    expect(d.values.map((v) => v.value)).toEqual(['1', '2', '3']);
  });

  it('lists the smallest and largest values of a big intset', () => {
    const h = new EngineHarness();
    h.raw('SADD', 'n', ...Array.from({ length: 300 }, (_, i) => String(i * 7 - 1000)));
    const d = snap(h, 'n', { limit: 6 }).detail as IntsetDetail;
    expect(d.values).toEqual([
      { index: 0, value: '-1000' }, { index: 1, value: '-993' }, { index: 2, value: '-986' },
      { index: 297, value: '1079' }, { index: 298, value: '1086' }, { index: 299, value: '1093' },
    ]);
    expect(d.hidden).toEqual({ from: 3, count: 294, bytes: 588 });
    const is = h.object('n')!.value as Intset;
    expect(d.bytes).toBe(is.blobBytes);
  });
});

describe('quicklist', () => {
  it('nodes, sizes and compression match DEBUG OBJECT (3000 elements, depth 1: 6 nodes, 40935 bytes in redis-server 7.0.15)', () => {
    const h = debugHarness({ 'list-compress-depth': '1' });
    h.raw('RPUSH', 'l2', ...Array.from({ length: 3000 }, (_, i) => `element-${i + 1}`));
    const s = snap(h, 'l2', { node: 2 });
    const q = s.detail as QuicklistDetail;
    expect([q.nodeCount, q.count, q.uncompressedBytes, q.fill, q.compressDepth]).toEqual([6, 3000, 40935, -2, 1]);
    expect(q.nodeLimit).toEqual({ kind: 'bytes', bytes: 8192 });
    const debug = text(h.run('DEBUG', 'OBJECT', 'l2'));
    expect(debug).toContain(`ql_nodes:${q.nodeCount} `);
    expect(debug).toContain(`ql_uncompressed_size:${q.uncompressedBytes}`);
    expect(q.nodes.reduce((n, x) => n + x.count, 0)).toBe(int(h.run('LLEN', 'l2')));
    // Both ends stay raw (within the depth); the four interior nodes are LZF-compressed.
    expect(q.nodes.map((n) => n.compressed)).toEqual([false, true, true, true, true, false]);
    expect(q.nodes.map((n) => n.inDepth)).toEqual([true, false, false, false, false, true]);
    expect(q.compressedNodes).toBe(4);
    const ql = h.object('l2')!.value as Quicklist;
    const real = [...ql.nodes()];
    expect(q.nodes.map((n) => [n.id, n.bytes, n.compressedBytes])).toEqual(real.map((n) => [n.id, n.sz, n.compressed ? n.compressedSize : null]));
    expect(q.storedBytes).toBe(real.reduce((n, x) => n + (x.compressed ? x.compressedSize : x.sz), 0));
    expect(q.storedBytes).toBeLessThan(q.uncompressedBytes);
    // The detailed node is the third one, read without decompressing it.
    expect(q.detail!.index).toBe(2);
    expect(q.detail!.listpack!.totalBytes).toBe(real[2].sz);
    expect(real[2].compressed).toBe(true);
    expect(q.nodes[0].first).toBe('element-1');
    expect(q.nodes[5].last).toBe('element-3000');
    const tail = s.thresholds.find((t) => t.id === 'node-size')!;
    expect(tail).toMatchObject({ config: 'list-max-listpack-size', limit: 8192, current: real[5].sz, passed: false });
    expect(s.thresholds.find((t) => t.id === 'compress')).toMatchObject({ limit: 2, current: 6, passed: true });
  });

  it('a count fill (list-max-listpack-size 3) splits every 3 elements; PLAIN nodes for big elements', () => {
    const h = debugHarness({ 'list-max-listpack-size': '3' });
    h.raw('RPUSH', 'l', 'a', 'b', 'c', 'd', 'e');
    let q = snap(h, 'l').detail as QuicklistDetail;
    expect(q.nodes.map((n) => n.count)).toEqual([3, 2]);
    expect(q.nodeLimit).toEqual({ kind: 'count', count: 3, safetyBytes: 8192 });
    // What DEBUG QUICKLIST-PACKED-THRESHOLD 100 sets (that DEBUG subcommand is not wired up).
    setServerPackedThreshold(h.server, 100);
    h.raw('RPUSH', 'l', 'z'.repeat(150));
    q = snap(h, 'l').detail as QuicklistDetail;
    expect(q.nodes.map((n) => [n.container, n.count, n.bytes])).toEqual([['packed', 3, q.nodes[0].bytes], ['packed', 2, q.nodes[1].bytes], ['plain', 1, 150]]);
    expect(snap(h, 'l', { node: 2 }).detail).toMatchObject({ detail: { index: 2, listpack: null } });
  });
});

describe('strings', () => {
  function sdslen(h: EngineHarness, key: string): Record<string, number> {
    const out: Record<string, number> = {};
    for (const m of text(h.run('DEBUG', 'SDSLEN', key)).matchAll(/(\w+): ?(\d+)/g)) out[m[1]] = Number(m[2]);
    return out;
  }

  it('int, embstr and raw with the SDS DEBUG SDSLEN reports (values read from redis-server 7.0.15)', () => {
    const h = debugHarness();
    h.raw('SET', 'k', '123');
    let d = snap(h, 'k').detail as StringDetail;
    expect([d.encoding, d.shared, d.refcount, d.sds, d.embstrBlock]).toEqual(['int', true, 2147483647, null, null]);
    expect(int(h.run('OBJECT', 'REFCOUNT', 'k'))).toBe(2147483647);
    h.raw('SET', 'k', '123456');
    d = snap(h, 'k').detail as StringDetail;
    expect([d.encoding, d.shared, d.refcount]).toEqual(['int', false, 1]);

    const cases: [string, string, object][] = [
      ['hello', 'embstr', { type: 8, len: 5, alloc: 5, avail: 0, zmalloc: 16, headerBytes: 3 }],
      ['z'.repeat(44), 'embstr', { type: 8, len: 44, alloc: 44, avail: 0, zmalloc: 48 }],
      ['z'.repeat(50), 'raw', { type: 8, len: 50, alloc: 50, avail: 0, zmalloc: 64 }],
    ];
    for (const [value, encoding, sds] of cases) {
      h.raw('SET', 'k', value);
      d = snap(h, 'k').detail as StringDetail;
      expect([d.encoding, d.length], value).toEqual([encoding, value.length]);
      expect(d.sds).toMatchObject(sds);
      const real = sdslen(h, 'k');
      expect([d.sds!.len, d.sds!.avail, d.sds!.zmalloc]).toEqual([real.val_sds_len, real.val_sds_avail, real.val_zmalloc]);
      expect(text(h.run('OBJECT', 'ENCODING', 'k'))).toBe(encoding);
    }
    expect(snap(h, 'k').thresholds.find((t) => t.id === 'embstr')).toMatchObject({ limit: 44, current: 50, passed: true, to: 'raw' });

    // SET abc + APPEND defg: raw with greedy room (len 7, avail 21, zmalloc 32); 123 + APPEND 4: len 4, avail 8, zmalloc 16.
    h.raw('SET', 's3', 'abc');
    h.raw('APPEND', 's3', 'defg');
    d = snap(h, 's3').detail as StringDetail;
    expect([d.encoding, d.sds!.type, d.sds!.len, d.sds!.avail, d.sds!.zmalloc]).toEqual(['raw', 8, 7, 21, 32]);
    h.raw('SET', 's5', '123');
    h.raw('APPEND', 's5', '4');
    d = snap(h, 's5').detail as StringDetail;
    expect([d.encoding, d.sds!.len, d.sds!.avail, d.sds!.zmalloc]).toEqual(['raw', 4, 8, 16]);
    // A long string gets a wider header: sdshdr16 past 255 bytes.
    h.raw('SET', 'long', 'q'.repeat(300));
    expect((snap(h, 'long').detail as StringDetail).sds).toMatchObject({ type: 16, headerBytes: 5, len: 300 });
  });
});

describe('thresholds and summaries', () => {
  it('follow the live CONFIG and say which limit a converted key passed', () => {
    const h = new EngineHarness();
    // Redis 7.0's compiled-in default is 512 (the sample redis.conf sets 128).
    h.raw('HSET', 'h', ...Array.from({ length: 512 }, (_, i) => [`f${i}`, 'v']).flat());
    let s = snap(h, 'h');
    expect(s.thresholds).toEqual([
      { id: 'entries', config: 'hash-max-listpack-entries', constant: null, limit: 512, current: 512, passed: false, to: 'hashtable' },
      { id: 'value', config: 'hash-max-listpack-value', constant: null, limit: 64, current: 4, passed: false, to: 'hashtable' },
    ]);
    h.raw('CONFIG', 'SET', 'hash-max-listpack-value', '3');
    expect(snap(h, 'h').thresholds[1]).toMatchObject({ limit: 3, current: 4, passed: true });
    h.raw('HSET', 'h', 'f999', 'v');
    s = snap(h, 'h');
    expect([s.encoding, s.oneWay]).toEqual(['hashtable', true]);
    expect(s.detail).toEqual({ form: 'summary', panel: 'dict', count: 513 } satisfies SummaryDetail);
    expect(s.thresholds[0]).toMatchObject({ current: 513, passed: true });

    h.raw('ZADD', 'z', '1', 'm'.repeat(65));
    s = snap(h, 'z');
    expect([s.encoding, s.oneWay]).toEqual(['skiplist', false]);
    expect(s.detail).toEqual({ form: 'summary', panel: 'skiplist', count: 1 });
    expect(s.thresholds[1]).toMatchObject({ config: 'zset-max-listpack-value', limit: 64, current: 65, passed: true, to: 'skiplist' });

    h.raw('SADD', 's', 'a');
    expect(snap(h, 's').thresholds).toEqual([
      { id: 'entries', config: 'set-max-intset-entries', constant: null, limit: 512, current: 1, passed: false, to: 'hashtable' },
    ]);
  });

  it('a missing key, a bad db', () => {
    const h = new EngineHarness();
    expect(snap(h, 'nope')).toMatchObject({ exists: false, type: null, encoding: null, detail: null, thresholds: [] });
    expect(runSnapshotQuery(h.server, { kind: 'encoding', db: 99, key: 'x' })).toEqual({ kind: 'error', message: 'DB index is out of range' });
  });
});

describe('reading changes nothing', () => {
  it('no LRU/LFU touch, no lazy expiry, no stats, no events, no decompression, no rehash', () => {
    const h = debugHarness({ 'maxmemory-policy': 'allkeys-lfu', 'list-compress-depth': '1' });
    h.raw('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    h.raw('RPUSH', 'l', ...Array.from({ length: 3000 }, (_, i) => `element-${i}`));
    h.raw('HSET', 'h', ...Array.from({ length: 300 }, (_, i) => [`f${i}`, `v${i}`]).flat());
    h.raw('SET', 'gone', 'v', 'PX', '10');
    h.clock.advance(60_000);
    const db = h.server.dbs[0];
    const lru = new Map([...db.dict.entries()].map((e) => [e.key, e.value.lru]));
    const ql = h.object('l')!.value as Quicklist;
    const compression = () => [...ql.nodes()].map((n) => [n.compressed, n.compressedSize, n.recompress]);
    const before = compression();
    const hashDict = h.object('h')!.value as { rehashIndex: number };
    const rehashIndex = hashDict.rehashIndex;
    const stats = { ...h.server.stats, commandCalls: undefined, errorReplies: undefined };
    const sink = new TraceRecorder();
    h.server.trace = sink;

    for (const key of ['l', 'h', 'gone', 'missing']) snap(h, key, { node: 1 });
    expect(snap(h, 'gone').ttl).toBe(10 - 60_000);

    expect(sink.isEmpty).toBe(true);
    expect(compression()).toEqual(before);
    expect(hashDict.rehashIndex).toBe(rehashIndex);
    expect({ ...h.server.stats, commandCalls: undefined, errorReplies: undefined }).toEqual(stats);
    expect(new Map([...db.dict.entries()].map((e) => [e.key, e.value.lru]))).toEqual(lru);
    expect(db.dict.peek('gone')).toBeDefined();
    // The same reads through commands do change those: the checks above can fail.
    h.raw('LINDEX', 'l', '1500');
    h.raw('EXISTS', 'gone');
    expect(db.dict.peek('gone')).toBeUndefined();
    expect(sink.isEmpty).toBe(false);
  });
});

// --- conversion events ---------------------------------------------------------------------------

function encodingEvents(sink: TraceRecorder): EncodingTraceEvent[] {
  return sink.take().events.filter((e): e is EncodingTraceEvent => e.kind === 'encoding');
}

/** OBJECT ENCODING, and an intset's width, read without side effects. */
function stateOf(h: EngineHarness, key: string): { encoding: string | null; width: number | null } {
  const o = h.server.dbs[0].dict.peek(key);
  if (!o) return { encoding: null, width: null };
  return { encoding: o.encoding, width: o.encoding === 'intset' ? (o.value as Intset).width : null };
}

describe('conversion events', () => {
  it('hash: exactly at the 129th field (hash-max-listpack-entries 128), and for a value over 64 bytes', () => {
    const h = new EngineHarness({ config: { 'hash-max-listpack-entries': '128' } });
    const sink = new TraceRecorder();
    h.server.trace = sink;
    for (let i = 1; i <= 128; i++) {
      h.raw('HSET', 'h', `f${i}`, 'v');
      expect(encodingEvents(sink), `field ${i}`).toEqual([]);
    }
    expect(h.encoding('h')).toBe('listpack');
    // hashTypeSet appends the 129th pair, then converts: the event gives that listpack's size.
    const full = (h.object('h')!.value as Listpack).clone();
    full.push('f129');
    full.push('v');
    h.raw('HSET', 'h', 'f129', 'v');
    expect(h.encoding('h')).toBe('hashtable');
    const [e, ...rest] = encodingEvents(sink);
    expect(rest).toEqual([]);
    expect(e).toEqual({
      kind: 'encoding', at: h.clock.now(), db: 0, key: 'h', type: 'hash', fn: 'hashTypeConvert', from: 'listpack', to: 'hashtable',
      reason: 'entries', config: 'hash-max-listpack-entries', limit: 128, actual: 129, element: null, elements: 129, bytes: full.bytes,
    });
    // Already a hashtable: nothing more.
    h.raw('HSET', 'h', 'long', 'x'.repeat(100));
    expect(encodingEvents(sink)).toEqual([]);

    h.raw('HSET', 'h2', 'a', '1');
    h.raw('HSET', 'h2', 'b', 'x'.repeat(65));
    expect(encodingEvents(sink)).toMatchObject([{
      key: 'h2', from: 'listpack', to: 'hashtable', reason: 'value', config: 'hash-max-listpack-value', limit: 64, actual: 65,
      element: 'x'.repeat(64),
    }]);
    // HINCRBYFLOAT reaches hashTypeSet without hashTypeTryConversion.
    h.raw('CONFIG', 'SET', 'hash-max-listpack-value', '5');
    h.raw('HSET', 'h3', 'n', '1');
    h.raw('HINCRBYFLOAT', 'h3', 'n', '0.123456');
    expect(encodingEvents(sink)).toMatchObject([{ key: 'h3', reason: 'value', limit: 5, actual: 8, element: '1.123456' }]);
  });

  it('set: intset width upgrades 16 -> 32 -> 64, then a non-integer converts it', () => {
    const h = new EngineHarness();
    const sink = new TraceRecorder();
    h.server.trace = sink;
    h.raw('SADD', 's', '1', '2', '3');
    expect(encodingEvents(sink)).toEqual([]);
    h.raw('SADD', 's', '100000');
    expect(encodingEvents(sink)).toMatchObject([{ key: 's', type: 'set', fn: 'intsetUpgradeAndAdd', from: 'int16', to: 'int32', reason: 'width', element: '100000' }]);
    h.raw('SADD', 's', '-5000000000');
    expect(encodingEvents(sink)).toMatchObject([{ from: 'int32', to: 'int64', element: '-5000000000' }]);
    h.raw('SADD', 's', '7');
    expect(encodingEvents(sink)).toEqual([]);
    h.raw('SADD', 's', 'abc');
    expect(encodingEvents(sink)).toMatchObject([{ fn: 'setTypeConvert', from: 'intset', to: 'hashtable', reason: 'not-integer', element: 'abc', config: null, actual: null }]);
    // A set that starts as an upgrade straight to 64 bits in one SADD, then passes set-max-intset-entries.
    h.raw('CONFIG', 'SET', 'set-max-intset-entries', '4');
    h.raw('SADD', 't', '1', '9000000000', '2', '3', '4');
    expect(encodingEvents(sink)).toMatchObject([
      { key: 't', from: 'int16', to: 'int64', reason: 'width' },
      { key: 't', from: 'intset', to: 'hashtable', reason: 'entries', config: 'set-max-intset-entries', limit: 4, actual: 5 },
    ]);
  });

  it('zset: listpack -> skiplist when it grows, skiplist -> listpack for a small *STORE result, SORT', () => {
    const h = new EngineHarness({ config: { 'zset-max-listpack-entries': '4' } });
    const sink = new TraceRecorder();
    h.server.trace = sink;
    h.raw('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd');
    expect(encodingEvents(sink)).toEqual([]);
    h.raw('ZADD', 'z', '5', 'e');
    expect(encodingEvents(sink)).toMatchObject([{ key: 'z', fn: 'zsetConvert', from: 'listpack', to: 'skiplist', reason: 'entries', limit: 4, actual: 4 }]);
    h.raw('ZADD', 'y', '1', 'a');
    h.raw('ZADD', 'y', '2', 'm'.repeat(70));
    expect(encodingEvents(sink)).toMatchObject([{ key: 'y', reason: 'value', config: 'zset-max-listpack-value', limit: 64, actual: 70 }]);
    // A new key whose first member is too long starts as a skiplist: no conversion.
    h.raw('ZADD', 'w', '1', 'm'.repeat(70));
    expect(h.encoding('w')).toBe('skiplist');
    expect(encodingEvents(sink)).toEqual([]);
    // ZUNIONSTORE builds a skiplist and converts it back when the result is small.
    h.raw('ZUNIONSTORE', 'small', '1', 'x-missing');
    h.raw('ZADD', 'two', '1', 'a', '2', 'b');
    h.raw('ZUNIONSTORE', 'small', '1', 'two');
    expect(h.encoding('small')).toBe('listpack');
    expect(encodingEvents(sink)).toMatchObject([{ key: 'small', from: 'skiplist', to: 'listpack', reason: 'small' }]);
    // SORT converts a listpack sorted set to a skiplist in place.
    h.raw('SORT', 'two');
    expect(h.encoding('two')).toBe('skiplist');
    expect(encodingEvents(sink)).toMatchObject([{ key: 'two', from: 'listpack', to: 'skiplist', reason: 'sort' }]);
  });

  it('string: written in place, an int or embstr becomes raw (dbUnshareStringValue)', () => {
    const h = new EngineHarness();
    const sink = new TraceRecorder();
    h.server.trace = sink;
    h.raw('SET', 'k', 'abc');
    h.raw('APPEND', 'k', 'd');
    expect(encodingEvents(sink)).toMatchObject([{ key: 'k', type: 'string', fn: 'dbUnshareStringValue', from: 'embstr', to: 'raw', reason: 'write' }]);
    h.raw('APPEND', 'k', 'e');
    expect(encodingEvents(sink)).toEqual([]);
    h.raw('SET', 'n', '5');
    h.raw('SETRANGE', 'n', '1', 'x');
    expect(encodingEvents(sink)).toMatchObject([{ key: 'n', from: 'int', to: 'raw' }]);
    expect(h.encoding('n')).toBe('raw');
  });

  it('a temporary set that never gets stored names no key (SINTER), a stored one names its key (SUNIONSTORE)', () => {
    const h = new EngineHarness({ config: { 'set-max-intset-entries': '3' } });
    h.raw('SADD', 'a', '1', '2', '3');
    h.raw('SADD', 'b', '4', '5', '6');
    const sink = new TraceRecorder();
    h.server.trace = sink;
    h.raw('SUNION', 'a', 'b');
    expect(encodingEvents(sink)).toEqual([]);
    h.raw('SUNIONSTORE', 'dst', 'a', 'b');
    expect(h.encoding('dst')).toBe('hashtable');
    expect(encodingEvents(sink)).toMatchObject([{ key: 'dst', from: 'intset', to: 'hashtable', reason: 'entries', limit: 3, actual: 4 }]);
  });

  it('fire exactly when OBJECT ENCODING (or the intset width) changes in a seeded random stream of writes', () => {
    const h = new EngineHarness({
      config: {
        'hash-max-listpack-entries': '6', 'hash-max-listpack-value': '12', 'set-max-intset-entries': '6',
        'zset-max-listpack-entries': '6', 'zset-max-listpack-value': '12',
      },
    });
    const sink = new TraceRecorder();
    h.server.trace = sink;
    const rnd = new SeededRandom(5);
    const keys = ['h', 's', 'z', 'k'];
    const member = () => {
      const r = rnd.below(10);
      if (r < 4) return String(rnd.below(20));
      if (r === 4) return String(rnd.below(2) ? 70000 + rnd.below(9) : -(2 ** 40) - rnd.below(9));
      if (r === 5) return 'long-' + 'x'.repeat(rnd.below(12));
      return `m${rnd.below(10)}`;
    };
    // Sets get mostly integers (some wide ones) so that they live long enough as intsets to widen.
    const setMember = () => {
      const r = rnd.below(20);
      if (r === 0) return `m${rnd.below(10)}`;
      if (r === 1) return String(40000 + rnd.below(9));
      if (r === 2) return String(-(2 ** 40) - rnd.below(9));
      return String(rnd.below(9));
    };
    let conversions = 0;
    let upgrades = 0;
    for (let i = 0; i < 3000; i++) {
      const key = keys[rnd.below(keys.length)];
      let argv: string[];
      switch (key) {
        case 'h': argv = rnd.below(4) === 0 ? ['HDEL', key, member()] : ['HSET', key, member(), member()]; break;
        case 's': argv = rnd.below(4) === 0 ? ['SREM', key, setMember()] : ['SADD', key, setMember(), setMember()]; break;
        case 'z': argv = rnd.below(4) === 0 ? ['ZREM', key, member()] : ['ZADD', key, String(rnd.below(100)), member()]; break;
        default: argv = rnd.below(3) === 0 ? ['SET', key, member()] : ['APPEND', key, 'x']; break;
      }
      if (rnd.below(key === 's' ? 12 : 50) === 0) argv = ['DEL', key];
      const before = stateOf(h, key);
      h.raw(...argv);
      const after = stateOf(h, key);
      const events = encodingEvents(sink);
      expect(events.every((e) => e.key === key), argv.join(' ')).toBe(true);
      const converts = events.filter((e) => e.reason !== 'width');
      const widths = events.filter((e) => e.reason === 'width');
      const replaced = argv[0] === 'SET' || argv[0] === 'DEL' || before.encoding === null || after.encoding === null;
      if (!replaced) {
        // In place: one event exactly when the encoding changed, from the old to the new.
        if (before.encoding !== after.encoding) {
          expect(converts.map((e) => [e.from, e.to]), argv.join(' ')).toEqual([[before.encoding, after.encoding]]);
          conversions++;
        } else expect(converts, argv.join(' ')).toEqual([]);
        if (before.width !== null && after.width !== null && before.width !== after.width) {
          expect(widths.map((e) => [e.from, e.to]), argv.join(' ')).toEqual([[`int${before.width * 8}`, `int${after.width * 8}`]]);
          upgrades++;
        } else if (after.width !== null) expect(widths, argv.join(' ')).toEqual([]);
      } else if (after.encoding !== null && converts.length > 0) {
        // A new value converted while being built: it ends in the encoding the key has.
        expect(converts.at(-1)!.to, argv.join(' ')).toBe(after.encoding);
      }
    }
    // The stream really exercised both kinds.
    expect(conversions).toBeGreaterThan(20);
    expect(upgrades).toBeGreaterThan(5);
  });

  it('cost nothing when nobody listens: no pending conversions are kept', () => {
    const h = new EngineHarness();
    h.raw('HSET', 'h', 'f', 'x'.repeat(100));
    const sink = new TraceRecorder();
    h.server.trace = sink;
    // A command naming the key would report a conversion noted while nobody listened.
    h.raw('HGET', 'h', 'f');
    expect(encodingEvents(sink)).toEqual([]);
    expect(h.encoding('h')).toBe('hashtable');
  });
});
