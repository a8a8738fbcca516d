// RDB files against a real redis-server 7.0.15: DEBUG RELOAD on both sides gives the same keyspace
// (values, encodings, expire times, MEMORY USAGE, LFU counters); a file we save is loaded by a real
// server into the same keyspace; a real server's SAVE output loads into ours the same way (also
// Redis's own test assets in older encodings); and for data whose order does not depend on hash
// seeds, our file is byte-identical to real Redis's apart from the ctime/used-mem values and the
// checksum that covers them.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setServerPackedThreshold } from '../../src/engine/commands/list.ts';
import { loadRdb, parseRdb, saveRdb } from '../../src/engine/persist/rdb.ts';
import { EngineHarness } from '../support/engineHarness.ts';
import { startRealRedis, type RealRedis } from '../support/realRedis.ts';
import { RespClient } from '../support/respClient.ts';
import { parseResp, type RespValue } from '../support/respValue.ts';
import { startRespServer, type RunningServer } from '../../src/node/respServer.ts';
import { ClientPair, type Command } from './harness.ts';

const bin = (s: string) => Buffer.from(s, 'latin1');
const DEBUG = { 'enable-debug-command': 'yes' };
/** A byte string of n pseudo-random bytes (incompressible). */
const noise = (n: number, seed: number) => {
  let x = seed;
  return Array.from({ length: n }, () => String.fromCharCode((x = (x * 1103515245 + 12345) & 0x7fffffff) >> 16 & 255)).join('');
};
const ALL_BYTES = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');
/** An absolute expire time far enough ahead (and the same on both sides). */
const FAR = String(Date.now() + 50_000_000);

/** One dataset, every type in every encoding, binary data, several databases, expire times. */
function dataset(): Command[] {
  const c: Command[] = [
    ['SET', 'str:int', '12345'], ['SET', 'str:shared', '7'], ['SET', 'str:neg', '-2147483649'],
    ['SET', 'str:int64', '9223372036854775807'], ['SET', 'str:big', '92233720368547758070'],
    ['SET', 'str:emb', 'hello world'], ['SET', 'str:raw', 'r'.repeat(300)], ['SET', bin('str:\x00\xff'), bin(ALL_BYTES)],
    ['SET', 'str:noise', bin(noise(64, 1))], ['SET', 'str:empty', ''], ['SET', 'str:lzf', 'abc'.repeat(400)],
    ['SET', 'str:21', 'a'.repeat(21)], ['SET', 'str:float', '3.14'], ['APPEND', 'str:appended', 'abc'],
    ['SETRANGE', 'str:setrange', '10', 'x'],
    ['RPUSH', 'list:small', 'a', '1', '-2', '100000', '9999999999', bin(noise(30, 2))],
    ['RPUSH', 'list:big', ...Array.from({ length: 1000 }, (_, i) => `item-${i}`)],
    ['RPUSH', 'list:huge-element', 'before', 'h'.repeat(10000), 'after'],
    ['RPUSH', 'list:binary', bin(ALL_BYTES), bin('\x00'), ''],
    ['SADD', 'set:int16', '1', '2', '3', '-5'], ['SADD', 'set:int32', '1', '100000'], ['SADD', 'set:int64', '1', '10000000000'],
    ['SADD', 'set:ht', ...Array.from({ length: 40 }, (_, i) => `member:${String(i).padStart(4, '0')}`)],
    ['SADD', 'set:manyints', ...Array.from({ length: 600 }, (_, i) => String(i * 3))],
    ['HSET', 'hash:lp', 'f1', 'v1', 'f2', '22', bin('\x00\x01'), bin('\xfe\xff')],
    ['HSET', 'hash:ht', ...Array.from({ length: 600 }, (_, i) => [`field:${String(i).padStart(4, '0')}`, `value:${String(i).padStart(4, '0')}`]).flat()],
    ['HSET', 'hash:long', 'f', 'x'.repeat(100)],
    ['ZADD', 'zset:lp', '1', 'a', '2.5', 'b', '-inf', 'c', 'inf', 'd', '1e300', 'e', '-0.000001', 'f'],
    ['ZADD', 'zset:sl', ...Array.from({ length: 200 }, (_, i) => [String(i / 7), `m:${String(i).padStart(4, '0')}`]).flat()],
    ['ZADD', 'zset:long', '1', 'a', '2', 'z'.repeat(100)],
    ['PFADD', 'hll:sparse', 'a', 'b', 'c'],
    ['PFADD', 'hll:dense', ...Array.from({ length: 3000 }, (_, i) => `e${i}`)],
    ['SET', 'ttl:str', 'v'], ['PEXPIREAT', 'ttl:str', FAR],
    ['RPUSH', 'ttl:list', 'x'], ['PEXPIREAT', 'ttl:list', FAR],
    ['SET', 'ttl:far', 'v'], ['PEXPIREAT', 'ttl:far', '9007199254740993'],
    ['SELECT', '1'], ['SET', 'db1', 'one'], ['HSET', 'db1:h', 'a', 'b'],
    ['SELECT', '7'], ['SADD', 'db7', 'x', 'y'], ['SET', 'ttl:db7', 'v'], ['PEXPIREAT', 'ttl:db7', FAR],
    ['SELECT', '15'], ['ZADD', 'db15', '1', 'one'],
    ['SELECT', '0'],
  ];
  return c;
}

/** Lists with compressed nodes, made under list-compress-depth 1 and a small fill. */
const COMPRESSED_LISTS: Command[] = [
  ['CONFIG', 'SET', 'list-compress-depth', '1'], ['CONFIG', 'SET', 'list-max-listpack-size', '16'],
  ['RPUSH', 'list:compressed', ...Array.from({ length: 200 }, (_, i) => `compressible-element-${i % 10}-${'q'.repeat(i % 5)}`)],
  ['CONFIG', 'SET', 'list-compress-depth', '0'], ['CONFIG', 'SET', 'list-max-listpack-size', '-2'],
];

type Call = (...args: string[]) => Promise<string>;

const callReal = (c: RespClient): Call => async (...args) => (await c.call(...args.map(bin))).toString('latin1');
const callHarness = (h: EngineHarness): Call => async (...args) => h.raw(...args);

function strings(v: RespValue): string[] {
  if (v.t !== 'array') throw new Error(`not an array: ${JSON.stringify(v)}`);
  return v.v.map((x) => (x as { v: string }).v);
}

/** Every key of every database, read with commands: type, encoding, value, absolute expire time. */
async function keyspace(call: Call): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (let db = 0; db < 16; db++) {
    await call('SELECT', String(db));
    const keys = strings(parseResp(await call('KEYS', '*'))).sort();
    for (const k of keys) {
      const type = (parseResp(await call('TYPE', k)) as { v: string }).v;
      const encoding = (parseResp(await call('OBJECT', 'ENCODING', k)) as { v: string }).v;
      let value: unknown;
      switch (type) {
        case 'string': value = (parseResp(await call('GET', k)) as { v: string }).v; break;
        case 'list': value = strings(parseResp(await call('LRANGE', k, '0', '-1'))); break;
        case 'set': value = strings(parseResp(await call('SMEMBERS', k))).sort(); break;
        case 'hash': {
          const flat = strings(parseResp(await call('HGETALL', k)));
          const pairs: string[][] = [];
          for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i], flat[i + 1]]);
          value = pairs.sort((a, b) => (a[0] < b[0] ? -1 : 1));
          break;
        }
        case 'zset': value = strings(parseResp(await call('ZRANGE', k, '0', '-1', 'WITHSCORES'))); break;
      }
      const expire = String((parseResp(await call('PEXPIRETIME', k)) as { v: bigint }).v);
      out[`${db}:${k}`] = { type, encoding, value, expire };
    }
  }
  await call('SELECT', '0');
  return out;
}

/** Runs commands on a real client, failing on any error reply. */
async function runReal(c: RespClient, commands: Command[]): Promise<void> {
  const replies = await c.pipeline(commands);
  replies.forEach((r, i) => expect(r.toString('latin1').startsWith('-'), `${commands[i].join(' ')}: ${r}`).toBe(false));
}

function runHarness(h: EngineHarness, commands: Command[]): void {
  for (const cmd of commands) {
    const r = h.raw(...cmd.map((a) => (typeof a === 'string' ? a : a.toString('latin1'))));
    expect(r.startsWith('-'), `${cmd.join(' ')}: ${r}`).toBe(false);
  }
}

const tmpDirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'rediscope-rdb-'));
  tmpDirs.push(d);
  return d;
}

/** A real redis-server started from this RDB file (as a restart loads its dump.rdb). */
async function realFromFile(bytes: Uint8Array): Promise<{ server: RealRedis; client: RespClient }> {
  const dir = tempDir();
  writeFileSync(join(dir, 'dump.rdb'), bytes);
  const server = await startRealRedis({ dir, dbfilename: 'dump.rdb' });
  return { server, client: await RespClient.connect(server.port) };
}

/**
 * A real server and ours side by side, as DifferentialPair makes them, except that the real one
 * saves into a private directory (dir is a protected config: it must be given at start).
 */
class Pair {
  private readonly extra: ClientPair[] = [];
  constructor(readonly real: RealRedis, readonly engine: RunningServer, readonly main: ClientPair) {}

  static async start(): Promise<Pair> {
    const [real, engine] = await Promise.all([
      startRealRedis({ ...DEBUG, dir: tempDir(), dbfilename: 'dump.rdb' }),
      startRespServer({ port: 0, config: DEBUG, seed: 1 }),
    ]);
    return new Pair(real, engine, new ClientPair(await RespClient.connect(real.port), await RespClient.connect(engine.port)));
  }

  async connect(): Promise<ClientPair> {
    const p = new ClientPair(await RespClient.connect(this.real.port), await RespClient.connect(this.engine.port));
    this.extra.push(p);
    return p;
  }

  check(...cmd: Command) { return this.main.check(...cmd); }
  checkAll(commands: Command[]) { return this.main.checkAll(commands); }
  async reset(): Promise<void> { await this.main.both('FLUSHALL'); }

  async stop(): Promise<void> {
    for (const p of [this.main, ...this.extra]) p.close();
    await Promise.all([this.real.stop(), this.engine.close()]);
  }
}

let pair: Pair;
/** A real server of our own (not in the pair), saving into its own directory. */
let saver: { server: RealRedis; client: RespClient; dir: string };

beforeAll(async () => {
  pair = await Pair.start();
  const dir = tempDir();
  const server = await startRealRedis({ ...DEBUG, dir, dbfilename: 'dump.rdb' });
  saver = { server, client: await RespClient.connect(server.port), dir };
});

afterAll(async () => {
  saver?.client.close();
  await saver?.server.stop();
  await pair?.stop();
  for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
});

describe('DEBUG RELOAD on both sides', () => {
  it('gives the same keyspace: values, encodings, expire times, DBSIZE, MEMORY USAGE', async () => {
    await pair.reset();
    await pair.checkAll([...COMPRESSED_LISTS, ...dataset()]);
    await pair.checkAll([['SET', 'gone', 'v', 'PX', '1']]);
    await new Promise((r) => setTimeout(r, 10)); // 'gone' has expired on both sides
    await pair.check('DEBUG', 'RELOAD');
    const [real, engine] = await Promise.all([
      keyspace(callReal(pair.main.real)), keyspace(callReal(pair.main.engine)),
    ]);
    expect(engine).toEqual(real);
    expect(Object.keys(real).length).toBeGreaterThan(40);
    expect(real).not.toHaveProperty('0:gone');
    for (const db of ['0', '1', '7', '15']) {
      await pair.check('SELECT', db);
      await pair.check('DBSIZE');
    }
    await pair.check('SELECT', '0');
    // MEMORY USAGE is exact for everything but skiplists (random node levels on both sides).
    for (const key of Object.keys(real)) {
      const [db, name] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
      if ((real[key] as { encoding: string }).encoding === 'skiplist') continue;
      await pair.check('SELECT', db);
      await pair.check('MEMORY', 'USAGE', bin(name));
    }
    await pair.check('SELECT', '0');
    await pair.check('OBJECT', 'ENCODING', 'hll:sparse');
    // The persistence counters DEBUG RELOAD moves.
    const persistence = async (c: RespClient) => {
      const text = (await c.call('INFO', 'persistence')).toString('latin1');
      return ['rdb_changes_since_last_save', 'rdb_last_load_keys_loaded'].map((f) => new RegExp(`${f}:(\\d+)`).exec(text)?.[1]);
    };
    expect(await persistence(pair.main.engine)).toEqual(await persistence(pair.main.real));
  });

  it('keeps LFU counters (OBJECT FREQ) and resets idle times as Redis does', async () => {
    await pair.reset();
    await pair.checkAll([['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu'], ['CONFIG', 'SET', 'lfu-log-factor', '0']]);
    await pair.checkAll([['SET', 'hot', 'v'], ['SET', 'cold', 'v'], ['RPUSH', 'l', 'a'],
      ...Array.from({ length: 30 }, (): Command => ['GET', 'hot']), ['LLEN', 'l']]);
    await pair.check('DEBUG', 'RELOAD');
    await pair.checkAll([['OBJECT', 'FREQ', 'hot'], ['OBJECT', 'FREQ', 'cold'], ['OBJECT', 'FREQ', 'l']]);
    await pair.checkAll([['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru'], ['SET', 'k', 'v']]);
    await pair.check('DEBUG', 'RELOAD');
    await pair.checkAll([['OBJECT', 'IDLETIME', 'k'], ['OBJECT', 'IDLETIME', 'hot']]);
    await pair.checkAll([['CONFIG', 'SET', 'maxmemory-policy', 'noeviction'], ['CONFIG', 'SET', 'lfu-log-factor', '10']]);
  });

  it('options: NOSAVE, MERGE, NOFLUSH, errors; WATCH sees the reload', async () => {
    await pair.reset();
    await pair.checkAll([
      ['SET', 'a', '1'], ['DEBUG', 'RELOAD'], ['SET', 'a', 'changed'], ['SET', 'b', '2'],
      ['DEBUG', 'RELOAD', 'NOSAVE'], ['MGET', 'a', 'b'],
      ['SET', 'a', 'changed'], ['SET', 'b', '2'],
      ['DEBUG', 'RELOAD', 'NOSAVE', 'NOFLUSH', 'MERGE'], ['MGET', 'a', 'b'],
      ['DEBUG', 'RELOAD', 'MERGE'], ['MGET', 'a', 'b'], ['DBSIZE'],
      ['DEBUG', 'RELOAD', 'FAST'], ['DEBUG', 'RELOAD', 'nosave', 'bad'], ['debug', 'reload', 'merge', 'nosave'],
    ]);
    const other = await pair.connect();
    await pair.checkAll([['WATCH', 'a'], ['GET', 'a']]);
    await other.check('DEBUG', 'RELOAD');
    await pair.checkAll([['MULTI'], ['SET', 'a', 'in-tx'], ['EXEC'], ['GET', 'a']]);
  });
});

/** Keys whose encoding DEBUG RELOAD changes: values that grew past a limit and shrank, strings written in place, lowered limits. */
const RELOAD_ENCODINGS: Command[] = [
  ['HSET', 'h:shrunk', ...Array.from({ length: 200 }, (_, i) => [`f${i}`, `v${i}`]).flat()],
  ['HDEL', 'h:shrunk', ...Array.from({ length: 198 }, (_, i) => `f${i + 2}`)],
  ['HSET', 'h:longval', 'f', 'x'.repeat(100)], ['HSET', 'h:longval', 'f', 'short'],
  ['HSET', 'h:stays', 'f', 'y'.repeat(100)],
  ['HSET', 'h:lowered', 'a', '1', 'b', '2', 'c', '3'],
  ['SADD', 's:ints', ...Array.from({ length: 600 }, (_, i) => String(i * 7))],
  ['SREM', 's:ints', ...Array.from({ length: 597 }, (_, i) => String((i + 3) * 7))],
  ['SADD', 's:mixed', '1', '2', '3', 'abc'], ['SREM', 's:mixed', 'abc'],
  ['SADD', 's:stays', '1', '2', 'abc'],
  ['SADD', 's:lowered', '1', '2', '3', '4'],
  ['ZADD', 'z:shrunk', ...Array.from({ length: 200 }, (_, i) => [String(i), `m${i}`]).flat()],
  ['ZREMRANGEBYRANK', 'z:shrunk', '2', '-1'],
  ['ZADD', 'z:longmember', '1', 'a', '2', 'm'.repeat(100)], ['ZREM', 'z:longmember', 'm'.repeat(100)],
  ['ZADD', 'z:lowered', '1', 'a', '2', 'b', '3', 'c'],
  // APPEND to a missing key stores its argument as SET would; to an existing one it makes a raw string.
  ['SET', 'str:appended', 'ab'], ['APPEND', 'str:appended', 'c'], ['SET', 'str:digits', '123'], ['APPEND', 'str:digits', '45'],
  ['SET', 'str:small', '4'], ['APPEND', 'str:small', '2'],
  ['SETRANGE', 'str:setrange', '0', 'hello'], ['SET', 'str:raw', 'r'.repeat(60)],
  ['RPUSH', 'list', 'a', 'b'],
];
const RELOAD_KEYS = ['h:shrunk', 'h:longval', 'h:stays', 'h:lowered', 's:ints', 's:mixed', 's:stays', 's:lowered', 'z:shrunk',
  'z:longmember', 'z:lowered', 'str:appended', 'str:digits', 'str:small', 'str:setrange', 'str:raw', 'list'];

describe('encodings across DEBUG RELOAD', () => {
  it('are re-chosen as redis-server 7.0.15 does: grown-then-shrunk values come back compact, lowered limits convert', async () => {
    await pair.reset();
    const limits = ['hash-max-listpack-entries', 'set-max-intset-entries', 'zset-max-listpack-entries'];
    const saved = await Promise.all(limits.map(async (name) => (parseResp(await pair.main.real.call('CONFIG', 'GET', name)) as { v: { v: string }[] }).v[1].v));
    await pair.checkAll([['CONFIG', 'SET', limits[0], '128'], ['CONFIG', 'SET', limits[1], '512'], ['CONFIG', 'SET', limits[2], '128']]);
    await pair.checkAll(RELOAD_ENCODINGS);
    const encodings = (): Command[] => RELOAD_KEYS.map((k): Command => ['OBJECT', 'ENCODING', k]);
    await pair.checkAll(encodings());
    // Limits lowered after the values were made (to what the shrunk values still fit): the reload applies them.
    await pair.checkAll([['CONFIG', 'SET', 'hash-max-listpack-entries', '2'], ['CONFIG', 'SET', 'set-max-intset-entries', '3'],
      ['CONFIG', 'SET', 'zset-max-listpack-entries', '2']]);
    await pair.checkAll(encodings());
    const realEncodings = async () => (await pair.main.real.pipeline(encodings())).map((r) => r.toString('latin1').split('\r\n')[1]);
    expect(await realEncodings()).toEqual([
      'hashtable', 'hashtable', 'hashtable', 'listpack', 'hashtable', 'hashtable', 'hashtable', 'intset',
      'skiplist', 'skiplist', 'listpack', 'raw', 'raw', 'raw', 'raw', 'raw', 'quicklist',
    ]);
    await pair.check('DEBUG', 'RELOAD');
    await pair.checkAll(encodings());
    expect(await realEncodings()).toEqual([
      'listpack', 'listpack', 'hashtable', 'hashtable', 'intset', 'intset', 'hashtable', 'hashtable',
      'listpack', 'listpack', 'skiplist', 'embstr', 'int', 'int', 'embstr', 'raw', 'quicklist',
    ]);
    await pair.checkAll([...RELOAD_KEYS.map((k): Command => ['DEBUG', 'SDSLEN', k]).slice(11, 16), ['HLEN', 'h:shrunk'], ['HMGET', 'h:shrunk', 'f0', 'f1', 'f2'],
      ['SMEMBERS', 's:ints'], // an intset again: in order on both servers (a hashtable's order follows the hash seed)
      ['ZRANGE', 'z:shrunk', '0', '-1', 'WITHSCORES'], ['GET', 'str:digits']]);
    await pair.checkAll(limits.map((name, i): Command => ['CONFIG', 'SET', name, saved[i]]));
  });
});

describe('files crossing over', () => {
  it('a file we save loads into a real redis-server as the same keyspace', async () => {
    const h = new EngineHarness({ config: DEBUG });
    runHarness(h, [...COMPRESSED_LISTS, ...dataset()]);
    setServerPackedThreshold(h.server, 1000); // PLAIN nodes too
    runHarness(h, [['RPUSH', 'list:plain', 'small', 'p'.repeat(2000), 'small2']]);
    const file = saveRdb(h.server);
    // Compared with the same file loaded by us: loading itself changes some encodings (a short raw
    // string comes back embstr), on both sides alike.
    const loaded = new EngineHarness({ config: DEBUG });
    loadRdb(loaded.server, file);
    const ours = await keyspace(callHarness(loaded));
    const real = await realFromFile(file);
    try {
      expect(await keyspace(callReal(real.client))).toEqual(ours);
    } finally {
      real.client.close();
      await real.server.stop();
    }
  });

  it('a real redis-server\'s SAVE output loads into ours as the same keyspace', async () => {
    const c = saver.client;
    await runReal(c, [['FLUSHALL'], ...COMPRESSED_LISTS, ...dataset(),
      ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '1000'], ['RPUSH', 'list:plain', 'small', 'p'.repeat(2000), 'small2'],
      ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '0']]);
    // DEBUG RELOAD: the real server saves and loads the file itself, to compare like with like.
    await runReal(c, [['DEBUG', 'RELOAD']]);
    const file = readFileSync(join(saver.dir, 'dump.rdb'));
    const h = new EngineHarness({ config: DEBUG });
    loadRdb(h.server, file);
    expect(await keyspace(callHarness(h))).toEqual(await keyspace(callReal(c)));
    // The PLAIN node came over as one.
    expect(JSON.stringify(parseRdb(file).items.find((i) => i.kind === 'key' && i.key === 'list:plain'))).toContain('"plain":true');
  });

  it('Redis\'s own test assets in older encodings load the same into both', async () => {
    const assets = '/work/redis-src/tests/assets';
    const files = ['encodings.rdb', 'hash-ziplist.rdb', 'list-quicklist.rdb', 'zset-ziplist.rdb'];
    if (!existsSync(assets)) return; // only where the Redis source tree is at hand
    for (const f of files) {
      const bytes = readFileSync(join(assets, f));
      const h = new EngineHarness({ config: DEBUG });
      loadRdb(h.server, bytes);
      const real = await realFromFile(bytes);
      try {
        expect(await keyspace(callHarness(h)), f).toEqual(await keyspace(callReal(real.client)));
      } finally {
        real.client.close();
        await real.server.stop();
      }
    }
  });

  it('a real Redis file with a hashtable loads with the same MEMORY USAGE', async () => {
    const c = saver.client;
    await runReal(c, [['FLUSHALL'], ...dataset()]);
    await runReal(c, [['SAVE']]);
    const real = await realFromFile(readFileSync(join(saver.dir, 'dump.rdb')));
    const h = new EngineHarness({ config: DEBUG });
    loadRdb(h.server, readFileSync(join(saver.dir, 'dump.rdb')));
    try {
      for (const key of ['str:raw', 'str:lzf', 'list:big', 'list:huge-element', 'set:ht', 'set:manyints', 'hash:ht', 'hash:lp', 'zset:lp', 'hll:dense']) {
        const r = (await real.client.call('MEMORY', 'USAGE', key)).toString('latin1');
        expect(h.raw('MEMORY', 'USAGE', key), key).toBe(r);
      }
    } finally {
      real.client.close();
      await real.server.stop();
    }
  });
});

/** The bytes after the aux fields (the data and EOF), without the checksum. */
function dataSection(file: Uint8Array): Uint8Array {
  let p = 9;
  const skipString = () => {
    const b = file[p++];
    const type = b >> 6;
    if (type === 3) { p += [1, 2, 4][b & 0x3f] ?? 0; return; } // int-encoded (no LZF in aux fields)
    const len = type === 0 ? b & 0x3f : type === 1 ? ((b & 0x3f) << 8) | file[p++] : (p += 4, new DataView(file.buffer, file.byteOffset + p - 4, 4).getUint32(0));
    p += len;
  };
  while (file[p] === 0xfa) { p++; skipString(); skipString(); }
  return file.subarray(p, file.length - 8);
}

describe('byte-identical files', () => {
  const cases: Record<string, Command[]> = {
    'int strings': [['SET', 'k', '12345'], ['SELECT', '1'], ['SET', 'k', '-9000000000'], ['SELECT', '2'], ['SET', 'k', '7']],
    'raw, binary, LZF strings': [['SET', 'k', 'r'.repeat(300)], ['SELECT', '1'], ['SET', bin('\x00\xff'), bin(ALL_BYTES)],
      ['SELECT', '2'], ['SET', 'k', bin(noise(100, 3))], ['SELECT', '3'], ['SET', 'k', 'abcdefghijklmnopqrstu']],
    'lists': [['RPUSH', 'k', 'a', '1', '-3', '100000', 'x'.repeat(70), bin(ALL_BYTES)],
      ['SELECT', '1'], ['RPUSH', 'k', ...Array.from({ length: 2000 }, (_, i) => `element-${i}`)]],
    'compressed list': COMPRESSED_LISTS,
    'intsets and sets': [['SADD', 'k', '1', '2', '300', '-70000'], ['SELECT', '1'], ['SADD', 'k', '1', '10000000000'],
      ['SELECT', '2'], ['SADD', 'k', 'only-member']],
    'hashes': [['HSET', 'k', 'f1', 'v1', 'f2', '2', 'f3', bin(ALL_BYTES.slice(0, 60))], ['SELECT', '1'], ['HSET', 'k', 'f', 'x'.repeat(100)]],
    'sorted sets': [['ZADD', 'k', '1', 'a', '2.5', 'b', '-inf', 'c', 'inf', 'd', '1e-300', 'e'],
      ['SELECT', '1'], ['ZADD', 'k', '1', 'a', '2.5', 'b', '3', 'x'.repeat(100), '-4', 'y']],
    'expire times': [['SET', 'k', 'v'], ['PEXPIREAT', 'k', '1900000000123'], ['SELECT', '1'], ['SET', 'k', 'v'],
      ['PEXPIREAT', 'k', '9007199254740993']],
    'LFU counters': [['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu'], ['CONFIG', 'SET', 'lfu-log-factor', '0'],
      ['SET', 'k', 'v'], ['GET', 'k'], ['GET', 'k'], ['SELECT', '1'], ['SET', 'k', 'v']],
    'rdbcompression no': [['CONFIG', 'SET', 'rdbcompression', 'no'], ['SET', 'k', 'a'.repeat(100)], ['SELECT', '1'], ['RPUSH', 'l', 'b'.repeat(100)]],
  };

  for (const [name, commands] of Object.entries(cases)) {
    it(`${name}: same bytes as SAVE`, async () => {
      const c = saver.client;
      await runReal(c, [['FLUSHALL'], ['SELECT', '0'], ['CONFIG', 'SET', 'maxmemory-policy', 'noeviction'],
        ['CONFIG', 'SET', 'rdbcompression', 'yes'], ...commands, ['SELECT', '0']]);
      await runReal(c, [['SAVE']]);
      const real = new Uint8Array(readFileSync(join(saver.dir, 'dump.rdb')));
      const h = new EngineHarness({ config: DEBUG });
      runHarness(h, commands);
      const ours = saveRdb(h.server);
      // Both files are well formed with valid checksums, and have the same aux fields.
      const [pr, po] = [parseRdb(real), parseRdb(ours)];
      expect([...po.aux.keys()]).toEqual([...pr.aux.keys()]);
      expect(po.aux.get('redis-ver')).toBe(pr.aux.get('redis-ver'));
      expect(Buffer.from(dataSection(ours)).toString('hex')).toBe(Buffer.from(dataSection(real)).toString('hex'));
    });
  }
});
