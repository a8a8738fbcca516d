import { describe, expect, it } from 'vitest';
import { setServerPackedThreshold } from '../../../src/engine/commands/list.ts';
import { decodeIntset, decodeListpack } from '../../../src/engine/persist/blobs.ts';
import { loadRdb, parseRdb, saveRdb } from '../../../src/engine/persist/rdb.ts';
import { keyEntryAlloc, valueAlloc } from '../../../src/engine/server/memory.ts';
import { EngineHarness } from '../../support/engineHarness.ts';
import type { RespValue } from '../../support/respValue.ts';
import { describeKeyspace, RdbBuilder, ziplist } from './rdbSupport.ts';

const DEBUG = { 'enable-debug-command': 'yes' };

function harness(config: Record<string, string> = {}, at?: number): EngineHarness {
  const h = new EngineHarness({ config: { ...DEBUG, ...config } });
  if (at !== undefined) h.clock.set(at);
  return h;
}

/** Saves h's keyspace and loads it into a new server (same settings and time unless given). */
function reloadInto(h: EngineHarness, config: Record<string, string> = {}, at = h.clock.now()): EngineHarness {
  const bytes = saveRdb(h.server);
  const target = harness(config, at);
  loadRdb(target.server, bytes);
  return target;
}

function infoField(h: EngineHarness, section: string, field: string): string {
  const text = String((h.run('INFO', section) as { v: string }).v);
  return new RegExp(`${field}:([^\\r]*)`).exec(text)?.[1] ?? '';
}

const int = (v: RespValue) => Number((v as { v: bigint }).v);
const bin = (n: number, seed: number) => Array.from({ length: n }, (_, i) => String.fromCharCode((i * 131 + seed * 17) & 255)).join('');

/** Data of every type in every encoding, across a few databases, some with TTLs. */
function buildVariedDataset(h: EngineHarness): void {
  h.run('SET', 'str:int', '12345');
  h.run('SET', 'str:shared', '42');
  h.run('SET', 'str:neg', '-9000000000');
  h.run('SET', 'str:big', '12345678901234567890'); // beyond int64: a plain string
  h.run('SET', 'str:emb', 'hello world');
  h.run('SET', 'str:raw', 'r'.repeat(300));
  h.run('SET', 'str:bin', bin(200, 1));
  h.run('SET', 'str:incompressible', bin(64, 3));
  h.run('SET', 'str:empty', '');
  h.run('APPEND', 'str:appended', 'abc');
  h.run('RPUSH', 'list:small', 'a', '1', '-2', '100000', '9999999999', bin(30, 2));
  h.run('RPUSH', 'list:big', ...Array.from({ length: 500 }, (_, i) => `item-${i}`));
  h.run('SADD', 'set:int16', '1', '2', '3', '-5');
  h.run('SADD', 'set:int32', '1', '100000');
  h.run('SADD', 'set:int64', '1', '10000000000');
  h.run('SADD', 'set:ht', 'a', 'b', bin(10, 4));
  h.run('SADD', 'set:bigints', ...Array.from({ length: 600 }, (_, i) => String(i * 3)));
  h.run('HSET', 'hash:lp', 'f1', 'v1', 'f2', '22', bin(5, 5), bin(7, 6));
  h.run('HSET', 'hash:ht', 'f', 'x'.repeat(100), 'g', 'y');
  h.run('HSET', 'hash:many', ...Array.from({ length: 1200 }, (_, i) => `k${i >> 1}${i & 1 ? 'v' : ''}`));
  h.run('ZADD', 'zset:lp', '1', 'a', '2.5', 'b', '-inf', 'c', 'inf', 'd', '1e300', 'e', '-0', 'f');
  h.run('ZADD', 'zset:sl', '1', 'a', '2.5', 'b', '3', 'x'.repeat(100), '-1.25e-7', 'tiny');
  h.run('ZADD', 'zset:many', ...Array.from({ length: 300 }, (_, i) => [String(i / 7), `m${i}`]).flat());
  h.run('PFADD', 'hll', 'a', 'b', 'c');
  h.run('SET', 'ttl:ms', 'v', 'PX', '123456');
  h.run('HSET', 'ttl:hash', 'f', 'v');
  h.run('PEXPIREAT', 'ttl:hash', '9007199254740993'); // beyond 2^53: exact as a bigint
  h.run('SELECT', '5');
  h.run('SET', 'db5:key', 'five');
  h.run('SELECT', '15');
  h.run('LPUSH', 'db15:list', 'x');
  h.run('SELECT', '0');
}

describe('saveRdb / loadRdb round trips', () => {
  it('keep every type, encoding, value and TTL', () => {
    const h = harness();
    buildVariedDataset(h);
    const before = describeKeyspace(h.server);
    const h2 = reloadInto(h);
    // A small HyperLogLog is a raw string in memory; like any loaded string of up to 44 bytes it
    // comes back embstr (tryObjectEncoding), as in Redis.
    expect(before['0:hll']).toMatchObject({ encoding: 'raw' });
    before['0:hll'] = { ...(before['0:hll'] as object), encoding: 'embstr' };
    expect(describeKeyspace(h2.server)).toEqual(before);
    expect(h2.run('PEXPIRETIME', 'ttl:hash')).toEqual({ t: 'int', v: 9007199254740993n });
    expect(h2.run('PTTL', 'ttl:ms')).toEqual({ t: 'int', v: 123456n });
    expect(h2.run('OBJECT', 'ENCODING', 'set:int64')).toEqual({ t: 'bulk', v: 'intset' });
    expect(h2.run('OBJECT', 'REFCOUNT', 'str:shared')).toEqual({ t: 'int', v: 2147483647n });
    expect(h2.run('PFCOUNT', 'hll')).toEqual({ t: 'int', v: 3n });
    expect(h2.run('DBSIZE')).toEqual(h.run('DBSIZE'));
    expect(infoField(h2, 'keyspace', 'db0')).toBe(infoField(h, 'keyspace', 'db0'));
    expect(infoField(h2, 'keyspace', 'db15')).toBe('keys=1,expires=0,avg_ttl=0');
  });

  it('keep a list\'s node layout, compressed nodes and PLAIN nodes', () => {
    const h = harness({ 'list-compress-depth': '1', 'list-max-listpack-size': '5' });
    setServerPackedThreshold(h.server, 100);
    h.run('RPUSH', 'l', ...Array.from({ length: 40 }, (_, i) => `element-${i}-${'z'.repeat(i % 7)}`));
    h.run('RPUSH', 'l', 'p'.repeat(150), 'after-plain');
    h.run('LINSERT', 'l', 'BEFORE', 'element-3-zzz', 'inserted');
    h.run('LPUSH', 'l', '12'); // a plain-looking short element at the head
    const before = describeKeyspace(h.server);
    expect(JSON.stringify(before)).toContain('"compressed":true');
    expect(JSON.stringify(before)).toContain('"container":"plain"');
    const h2 = harness({ 'list-compress-depth': '1', 'list-max-listpack-size': '5' });
    loadRdb(h2.server, saveRdb(h.server));
    expect(describeKeyspace(h2.server)).toEqual(before);
  });

  it('use all 16 databases', () => {
    const h = harness();
    for (let db = 0; db < 16; db++) {
      h.run('SELECT', String(db));
      h.run('SET', `k${db}`, `v${db}`);
      h.run('SET', 'shared-name', String(db));
    }
    const h2 = reloadInto(h);
    expect(describeKeyspace(h2.server)).toEqual(describeKeyspace(h.server));
    for (let db = 0; db < 16; db++) expect(h2.server.dbs[db].size).toBe(2);
  });

  it('skip keys that expired before the load, and count them', () => {
    const h = harness();
    h.run('SET', 'gone', 'v', 'PX', '1000');
    h.run('SET', 'stays', 'v', 'PX', '100000');
    h.run('SET', 'plain', 'v');
    const h2 = reloadInto(h, {}, h.clock.now() + 5000);
    expect(Object.keys(describeKeyspace(h2.server)).sort()).toEqual(['0:plain', '0:stays']);
    expect(h2.run('PTTL', 'stays')).toEqual({ t: 'int', v: 95000n });
    expect(infoField(h2, 'persistence', 'rdb_last_load_keys_expired')).toBe('1');
    expect(infoField(h2, 'persistence', 'rdb_last_load_keys_loaded')).toBe('2');
  });

  it('keep LRU idle times under an LRU policy', () => {
    const h = harness({ 'maxmemory-policy': 'allkeys-lru' });
    h.run('SET', 'old', 'v');
    h.clock.advance(90_000);
    h.run('SET', 'new', 'v');
    h.clock.advance(10_000);
    const bytes = saveRdb(h.server);
    expect(parseRdb(bytes).items.filter((i) => i.kind === 'key').map((i) => i.kind === 'key' && i.lruIdle).sort()).toEqual([10, 100]);
    const h2 = harness({ 'maxmemory-policy': 'allkeys-lru' }, h.clock.now());
    loadRdb(h2.server, bytes);
    expect(h2.run('OBJECT', 'IDLETIME', 'old')).toEqual({ t: 'int', v: 100n });
    expect(h2.run('OBJECT', 'IDLETIME', 'new')).toEqual({ t: 'int', v: 10n });
  });

  it('keep LFU counters under an LFU policy', () => {
    const h = harness({ 'maxmemory-policy': 'allkeys-lfu', 'lfu-log-factor': '0' });
    h.run('SET', 'hot', 'v');
    h.run('SET', 'cold', 'v');
    for (let i = 0; i < 20; i++) h.run('GET', 'hot');
    const hot = h.run('OBJECT', 'FREQ', 'hot');
    expect(int(hot)).toBeGreaterThan(20);
    const h2 = reloadInto(h, { 'maxmemory-policy': 'allkeys-lfu' });
    expect(h2.run('OBJECT', 'FREQ', 'hot')).toEqual(hot);
    expect(h2.run('OBJECT', 'FREQ', 'cold')).toEqual({ t: 'int', v: 5n });
  });

  it('write no LRU/LFU hints under other policies', () => {
    const h = harness();
    h.run('SET', 'k', 'v');
    const key = parseRdb(saveRdb(h.server)).items.find((i) => i.kind === 'key');
    expect(key).toMatchObject({ lruIdle: -1, lfuFreq: -1 });
  });

  it('write what SAVE writes around the data: magic, aux fields, RESIZEDB, EOF, checksum', () => {
    const h = harness();
    h.clock.set(Date.UTC(2025, 5, 1, 12, 0, 0));
    h.run('SET', 'k', 'v', 'PX', '5000');
    const bytes = saveRdb(h.server);
    const parsed = parseRdb(bytes);
    expect(String.fromCharCode(...bytes.subarray(0, 9))).toBe('REDIS0010');
    expect([...parsed.aux.keys()]).toEqual(['redis-ver', 'redis-bits', 'ctime', 'used-mem', 'aof-base']);
    expect(parsed.aux.get('redis-ver')).toBe('7.0.15');
    expect(parsed.aux.get('ctime')).toBe(String(Date.UTC(2025, 5, 1, 12, 0, 0) / 1000));
    expect(parsed.aux.get('used-mem')).toBe(infoField(h, 'memory', 'used_memory'));
    expect(parsed.items[0]).toEqual({ kind: 'resize', db: 0, size: 1, expires: 1 });
    expect(bytes[bytes.length - 9]).toBe(0xff);
  });
});

describe('load-time conversions (7.0 rules, this server\'s settings)', () => {
  it('convert small encodings that exceed the loading server\'s limits', () => {
    const h = harness();
    h.run('HSET', 'h', 'a', '1', 'b', '2', 'c', '3');
    h.run('SADD', 's', '1', '2', '3');
    h.run('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c');
    const h2 = reloadInto(h, { 'hash-max-listpack-entries': '2', 'set-max-intset-entries': '2', 'zset-max-listpack-entries': '2' });
    expect(h2.run('OBJECT', 'ENCODING', 'h')).toEqual({ t: 'bulk', v: 'hashtable' });
    expect(h2.run('OBJECT', 'ENCODING', 's')).toEqual({ t: 'bulk', v: 'hashtable' });
    expect(h2.run('OBJECT', 'ENCODING', 'z')).toEqual({ t: 'bulk', v: 'skiplist' });
    expect(h2.run('ZRANGE', 'z', '0', '-1', 'WITHSCORES')).toEqual(h.run('ZRANGE', 'z', '0', '-1', 'WITHSCORES'));
  });

  it('make big encodings compact when the loading server allows it', () => {
    const h = harness({ 'hash-max-listpack-entries': '2', 'set-max-intset-entries': '2', 'zset-max-listpack-entries': '2' });
    h.run('HSET', 'h', 'a', '1', 'b', '2', 'c', '3');
    h.run('SADD', 's', '1', '2', '3');
    h.run('SADD', 'mixed', '1', '2', 'x');
    h.run('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c');
    h.run('ZADD', 'zlong', '1', 'a', '2', 'b', '3', 'x'.repeat(80));
    h.run('HSET', 'hlong', 'a', '1', 'b', '2', 'c', 'x'.repeat(80));
    const h2 = reloadInto(h);
    expect(h2.run('OBJECT', 'ENCODING', 'h')).toEqual({ t: 'bulk', v: 'listpack' });
    expect(h2.run('OBJECT', 'ENCODING', 's')).toEqual({ t: 'bulk', v: 'intset' });
    expect(h2.run('OBJECT', 'ENCODING', 'mixed')).toEqual({ t: 'bulk', v: 'hashtable' });
    expect(h2.run('OBJECT', 'ENCODING', 'z')).toEqual({ t: 'bulk', v: 'listpack' });
    // A member or value longer than the *-max-listpack-value keeps the big encoding.
    expect(h2.run('OBJECT', 'ENCODING', 'zlong')).toEqual({ t: 'bulk', v: 'skiplist' });
    expect(h2.run('OBJECT', 'ENCODING', 'hlong')).toEqual({ t: 'bulk', v: 'hashtable' });
    expect(describeKeyspace(h2.server)['0:hlong']).toEqual(describeKeyspace(h.server)['0:hlong']);
    expect(h2.run('ZRANGE', 'z', '0', '-1', 'WITHSCORES')).toEqual(h.run('ZRANGE', 'z', '0', '-1', 'WITHSCORES'));
  });

  it('keep an intset\'s width even when its values would fit a narrower one', () => {
    const h = harness();
    h.run('SADD', 's', '1', '2', '10000000000');
    h.run('SREM', 's', '10000000000');
    const h2 = reloadInto(h);
    expect(describeKeyspace(h2.server)['0:s']).toMatchObject({ encoding: 'intset', width: 8, members: ['1', '2'] });
    expect(h2.run('MEMORY', 'USAGE', 's')).toEqual(h.run('MEMORY', 'USAGE', 's'));
  });

  it('apply the loading server\'s list settings to new nodes (compression) but keep the saved nodes', () => {
    const h = harness({ 'list-max-listpack-size': '4' });
    h.run('RPUSH', 'l', ...Array.from({ length: 20 }, (_, i) => `some-list-element-${i}`));
    const h2 = reloadInto(h, { 'list-compress-depth': '1' });
    const nodes = (describeKeyspace(h2.server)['0:l'] as { nodes: { compressed: boolean; entries: string[] }[] }).nodes;
    expect(nodes.map((n) => n.entries.length)).toEqual([4, 4, 4, 4, 4]);
    expect(nodes.map((n) => n.compressed)).toEqual([false, true, true, true, false]);
  });
});

describe('memory accounting after a load', () => {
  it('counts every loaded key and value, so deleting them all returns to zero', () => {
    const h = harness();
    buildVariedDataset(h);
    const h2 = reloadInto(h);
    for (const db of h2.server.dbs) {
      let sum = 0;
      for (const e of db.dict.entries()) sum += keyEntryAlloc(e.key) + valueAlloc(e.value);
      expect(db.keyBytes).toBe(sum);
      for (const key of [...db.dict.keys()]) db.delete(key, 'sync');
      expect(db.keyBytes).toBe(0);
    }
  });

  it('gives the same MEMORY USAGE as before for values built the same way', () => {
    const h = harness();
    buildVariedDataset(h);
    const h2 = reloadInto(h);
    for (const key of ['str:int', 'str:emb', 'str:raw', 'str:bin', 'list:small', 'list:big', 'set:int16', 'set:ht',
      'hash:lp', 'zset:lp', 'zset:sl']) {
      expect(h2.run('MEMORY', 'USAGE', key), key).toEqual(h.run('MEMORY', 'USAGE', key));
    }
  });
});

describe('corrupt and unsupported files', () => {
  function expectUntouched(load: (h: EngineHarness) => void, message: RegExp): void {
    const h = harness();
    h.run('SET', 'existing', 'data');
    h.run('SELECT', '3');
    h.run('RPUSH', 'other', 'x');
    const before = describeKeyspace(h.server);
    expect(() => load(h)).toThrow(message);
    expect(describeKeyspace(h.server)).toEqual(before);
  }

  const sample = () => {
    const h = harness();
    h.run('SET', 'a', 'hello');
    h.run('HSET', 'h', 'f', 'v');
    h.run('RPUSH', 'l', 'x', 'y');
    h.run('SET', 't', 'v', 'PX', '10000');
    return saveRdb(h.server);
  };

  it('refuse a file truncated anywhere, leaving the data as it was', () => {
    const bytes = sample();
    for (let n = 0; n < bytes.length; n++) {
      expectUntouched((h) => loadRdb(h.server, bytes.subarray(0, n)), n < 5 ? /Wrong signature/ : /Unexpected EOF|truncated/);
    }
  });

  it('refuse a wrong checksum, a wrong magic, an unknown version', () => {
    const bytes = sample();
    const flipped = bytes.slice();
    flipped[flipped.indexOf(0x68 /* 'h' of hello */, 100)] ^= 1;
    expectUntouched((h) => loadRdb(h.server, flipped), /Wrong RDB checksum/);
    const magic = bytes.slice();
    magic[0] = 0x58;
    expectUntouched((h) => loadRdb(h.server, magic), /Wrong signature trying to load DB from file/);
    const version = bytes.slice();
    version.set([0x30, 0x30, 0x31, 0x31], 5);
    expectUntouched((h) => loadRdb(h.server, version), /Can't handle RDB format version 11/);
  });

  it('accept a file saved without a checksum (all zeros)', () => {
    const h = harness();
    loadRdb(h.server, new RdbBuilder().key(0, 'k', (b) => b.str('v')).build(10, 'zero'));
    expect(h.run('GET', 'k')).toEqual({ t: 'bulk', v: 'v' });
  });

  it('name what Rediscope cannot load', () => {
    const stream = new RdbBuilder().key(15, 's', (b) => b.len(0)).build();
    expectUntouched((h) => loadRdb(h.server, stream), /RDB type 15 \(stream\) is not supported by Rediscope/);
    const stream2 = new RdbBuilder().key(19, 's', (b) => b.len(0)).build();
    expectUntouched((h) => loadRdb(h.server, stream2), /RDB type 19 \(stream\) is not supported/);
    const module = new RdbBuilder().key(7, 'm', (b) => b.len(0)).build();
    expectUntouched((h) => loadRdb(h.server, module), /RDB type 7 \(module\) is not supported/);
    const fn = new RdbBuilder().raw(245).str('#!lua name=lib\n').build();
    expectUntouched((h) => loadRdb(h.server, fn), /function libraries .* not supported/);
    const unknown = new RdbBuilder().key(40, 'x', () => {}).build();
    expectUntouched((h) => loadRdb(h.server, unknown), /Unknown RDB type 40/);
  });

  it('refuse duplicate keys, duplicate members and broken encodings', () => {
    const dupKey = new RdbBuilder().key(0, 'k', (b) => b.str('1')).key(0, 'k', (b) => b.str('2')).build();
    expectUntouched((h) => loadRdb(h.server, dupKey), /duplicated key 'k' in DB 0/);
    const dupMember = new RdbBuilder().key(2, 's', (b) => b.len(2).str('a').str('a')).build();
    expectUntouched((h) => loadRdb(h.server, dupMember), /Duplicate set members/);
    const dupField = new RdbBuilder().key(4, 'h', (b) => b.len(2).str('f').str('1').str('f').str('2')).build();
    expectUntouched((h) => loadRdb(h.server, dupField), /Duplicate hash fields/);
    const badListpack = new RdbBuilder().key(16, 'h', (b) => b.blob([7, 0, 0, 0, 0, 0, 0xfe])).build();
    expectUntouched((h) => loadRdb(h.server, badListpack), /Hash listpack integrity check failed/);
    const badIntset = new RdbBuilder().key(11, 's', (b) => b.blob([2, 0, 0, 0, 2, 0, 0, 0, 5, 0, 1, 0])).build();
    expectUntouched((h) => loadRdb(h.server, badIntset), /Intset integrity check failed/);
    const nanScore = new RdbBuilder().key(3, 'z', (b) => b.len(1).str('m').raw(253)).build();
    expectUntouched((h) => loadRdb(h.server, nanScore), /Zset with NAN score/);
    const badLzf = new RdbBuilder().key(0, 'k', (b) => b.raw(0xc3).len(3).len(50).raw(0x1f, 1, 2)).build();
    expectUntouched((h) => loadRdb(h.server, badLzf), /Invalid LZF compressed string/);
  });

  it('refuse a database number this server does not have', () => {
    const file = new RdbBuilder().selectDb(20).key(0, 'k', (b) => b.str('v')).build();
    expectUntouched((h) => loadRdb(h.server, file), /more than 16 databases/);
    const h = harness({ databases: '32' });
    loadRdb(h.server, file);
    h.run('SELECT', '20');
    expect(h.run('GET', 'k')).toEqual({ t: 'bulk', v: 'v' });
  });
});

describe('older encodings a 7.0 server still loads', () => {
  it('loads ziplists, plain lists/sets/hashes, text-double zsets and second-resolution expires', () => {
    const now = Date.UTC(2024, 0, 1);
    const file = new RdbBuilder()
      .aux('redis-ver', '5.0.0')
      .key(1, 'list', (b) => b.len(3).str('a').str('12').str('b'))
      .key(2, 'intset-like', (b) => b.len(3).str('3').str('1').str('2'))
      .key(2, 'strings', (b) => b.len(2).str('x').str('y'))
      .key(3, 'zset', (b) => b.len(3).str('a').raw(3, ...Array.from('1.5', (c) => c.charCodeAt(0))).str('b').raw(254).str('c').raw(255))
      .key(4, 'hash', (b) => b.len(2).str('f').str('1').str('g').str('2'))
      .key(10, 'zlist', (b) => b.blob(ziplist(['a', 5, -100, 40000, 5000000, 2 ** 40, 'x'.repeat(70)])))
      .key(12, 'zzset', (b) => b.blob(ziplist(['m1', 1, 'm2', '2.5'])))
      .key(13, 'zhash', (b) => b.blob(ziplist(['f1', 'v1', 'f2', 7])))
      .key(14, 'qlist', (b) => b.len(2).blob(ziplist(['n1', 'n2'])).blob(ziplist([3, 'n4'])))
      .raw(253, ...[0, 0, 0, 0].map((_, i) => (((now / 1000 + 60) >>> (8 * i)) & 0xff)))
      .key(0, 'expiring', (b) => b.str('v'))
      .build(9);
    const h = harness({}, now);
    loadRdb(h.server, file);
    expect(h.run('LRANGE', 'list', '0', '-1')).toEqual(h.run('LRANGE', 'list', '0', '-1'));
    const ks = describeKeyspace(h.server);
    expect(ks['0:list']).toMatchObject({ nodes: [{ entries: ['a', '12', 'b'] }] });
    expect(ks['0:intset-like']).toMatchObject({ encoding: 'intset', members: ['1', '2', '3'] });
    expect(ks['0:strings']).toMatchObject({ encoding: 'hashtable', members: ['x', 'y'] });
    expect(ks['0:zset']).toMatchObject({ encoding: 'listpack', entries: [['c', -Infinity], ['a', 1.5], ['b', Infinity]] });
    expect(ks['0:hash']).toMatchObject({ encoding: 'listpack', pairs: [['f', '1'], ['g', '2']] });
    expect(ks['0:zlist']).toMatchObject({ nodes: [{ entries: ['a', '5', '-100', '40000', '5000000', String(2 ** 40), 'x'.repeat(70)] }] });
    expect(ks['0:zzset']).toMatchObject({ encoding: 'listpack', entries: [['m1', 1], ['m2', 2.5]] });
    expect(ks['0:zhash']).toMatchObject({ encoding: 'listpack', pairs: [['f1', 'v1'], ['f2', '7']] });
    expect(ks['0:qlist']).toMatchObject({ nodes: [{ entries: ['n1', 'n2'] }, { entries: ['3', 'n4'] }] });
    expect(h.run('TTL', 'expiring')).toEqual({ t: 'int', v: 60n });
  });

  it('skips empty keys as Redis does', () => {
    const file = new RdbBuilder()
      .key(2, 'empty-set', (b) => b.len(0))
      .key(14, 'empty-quicklist', (b) => b.len(1).blob(ziplist([])))
      .key(0, 'k', (b) => b.str('v'))
      .build();
    const h = harness();
    loadRdb(h.server, file);
    expect(h.run('DBSIZE')).toEqual({ t: 'int', v: 1n });
  });
});

describe('compact encodings decoders', () => {
  it('decode a listpack with every entry encoding', () => {
    const h = harness({ 'list-max-listpack-size': '-5' });
    const values = ['7', '-1', '4000', '-4096', '30000', '8000000', '-2000000000', '9223372036854775807', '', 'abc',
      'y'.repeat(63), 'y'.repeat(64), 'z'.repeat(4095), 'w'.repeat(4096)];
    h.run('RPUSH', 'l', ...values);
    const bytes = saveRdb(h.server);
    const key = parseRdb(bytes).items.find((i) => i.kind === 'key');
    expect(key?.kind === 'key' && key.value).toEqual({ kind: 'list-nodes', nodes: [{ plain: false, entries: values }] });
    expect(decodeListpack(Uint8Array.of(7, 0, 0, 0, 1, 0, 0xff))).toBeNull(); // count says 1, holds none
    expect(decodeIntset(Uint8Array.of(3, 0, 0, 0, 0, 0, 0, 0))).toBeNull(); // width 3
  });
});

describe('DEBUG RELOAD', () => {
  it('saves and loads back, replying OK; rdb_saves, dirty and last-load counters follow', () => {
    const h = harness();
    buildVariedDataset(h);
    const before = describeKeyspace(h.server);
    expect(int(h.run('DBSIZE'))).toBeGreaterThan(20);
    expect(infoField(h, 'persistence', 'rdb_changes_since_last_save')).not.toBe('0');
    expect(h.run('DEBUG', 'RELOAD')).toEqual({ t: 'status', v: 'OK' });
    before['0:hll'] = { ...(before['0:hll'] as object), encoding: 'embstr' }; // see the first round trip
    expect(describeKeyspace(h.server)).toEqual(before);
    expect(infoField(h, 'persistence', 'rdb_saves')).toBe('1');
    expect(infoField(h, 'persistence', 'rdb_changes_since_last_save')).toBe('0');
    expect(infoField(h, 'persistence', 'rdb_last_load_keys_loaded')).toBe(String(Object.keys(before).length));
  });

  it('NOSAVE loads the last saved file; MERGE NOFLUSH adds it to the data', () => {
    const h = harness();
    h.run('SET', 'a', '1');
    h.run('DEBUG', 'RELOAD');
    h.run('SET', 'a', 'changed');
    h.run('SET', 'b', '2');
    expect(h.run('DEBUG', 'RELOAD', 'NOSAVE')).toEqual({ t: 'status', v: 'OK' });
    expect(h.run('MGET', 'a', 'b')).toEqual({ t: 'array', v: [{ t: 'bulk', v: '1' }, { t: 'null', wire: '$' }] });
    h.run('SET', 'a', 'changed');
    h.run('SET', 'b', '2');
    expect(h.run('DEBUG', 'RELOAD', 'NOSAVE', 'NOFLUSH', 'MERGE')).toEqual({ t: 'status', v: 'OK' });
    expect(h.run('MGET', 'a', 'b')).toEqual({ t: 'array', v: [{ t: 'bulk', v: '1' }, { t: 'bulk', v: '2' }] });
  });

  it('NOFLUSH without MERGE on a conflicting key fails (Redis would abort) and keeps the data', () => {
    const h = harness();
    h.run('SET', 'a', '1');
    h.run('DEBUG', 'RELOAD');
    h.run('SET', 'a', '2');
    expect(h.run('DEBUG', 'RELOAD', 'NOSAVE', 'NOFLUSH')).toEqual({ t: 'error', v: 'ERR Error trying to load the RDB dump' });
    expect(h.run('GET', 'a')).toEqual({ t: 'bulk', v: '2' });
  });

  it('with NOSAVE and no file yet empties the data and fails, as Redis does', () => {
    const h = harness();
    h.run('SET', 'a', '1');
    expect(h.run('DEBUG', 'RELOAD', 'NOSAVE')).toEqual({ t: 'error', v: 'ERR Error trying to load the RDB dump' });
    expect(h.run('DBSIZE')).toEqual({ t: 'int', v: 0n });
  });

  it('refuses unknown options', () => {
    const h = harness();
    h.run('SET', 'a', '1');
    expect(h.run('DEBUG', 'RELOAD', 'FAST')).toEqual({ t: 'error', v: 'ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.' });
    expect(infoField(h, 'persistence', 'rdb_saves')).toBe('0');
  });

  it('makes a WATCHing transaction fail', () => {
    const h = harness();
    h.run('SET', 'a', '1');
    h.run('WATCH', 'a');
    h.run('DEBUG', 'RELOAD');
    h.run('MULTI');
    h.run('GET', 'a');
    expect(h.run('EXEC')).toEqual({ t: 'null', wire: '*' });
  });
});
