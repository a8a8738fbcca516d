// Generic keyspace commands against real Redis 7.0: DEL/EXISTS/TYPE, RENAME/MOVE/COPY, databases,
// KEYS/SCAN/RANDOMKEY (random by nature: compared as sets and properties), OBJECT, and the
// EXPIRE family with its flags, overflow checks and lazy and active expiry.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { allCommands } from '../../src/engine/commands/index.ts';
import { SeededRandom } from '../../src/engine/sim/random.ts';
import { DifferentialPair, checkRandomStream, show, type ClientPair, type Command } from './harness.ts';


const has = (name: string) => name in allCommands;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Parses a RESP2 reply made of integers, bulks, nulls and (nested) arrays. */
function parse(buf: Buffer): unknown {
  const s = buf.toString('latin1');
  let pos = 0;
  const line = () => {
    const end = s.indexOf('\r\n', pos);
    const l = s.slice(pos, end);
    pos = end + 2;
    return l;
  };
  const value = (): unknown => {
    const l = line();
    const t = l[0];
    const rest = l.slice(1);
    if (t === ':') return Number(rest);
    if (t === '+') return rest;
    if (t === '-') return new Error(rest);
    if (t === '$') {
      const n = Number(rest);
      if (n < 0) return null;
      const v = s.slice(pos, pos + n);
      pos += n + 2;
      return v;
    }
    if (t === '*') {
      const n = Number(rest);
      if (n < 0) return null;
      return Array.from({ length: n }, () => value());
    }
    throw new Error(`unexpected reply ${JSON.stringify(l)}`);
  };
  return value();
}

const sorted = (a: unknown) => [...(a as string[])].sort();

let pair: DifferentialPair;
beforeAll(async () => { pair = await DifferentialPair.start(); });
afterAll(async () => { await pair?.stop(); });
beforeEach(async () => { await pair.reset(); });

/** Runs commands on both sides, checking each reply. */
async function run(...cmds: Command[]): Promise<void> {
  for (const c of cmds) await pair.check(...c);
}

/** Integer replies that depend on each server's clock: equal within `tolerance`. */
async function checkClose(cmd: Command, tolerance: number): Promise<void> {
  await pair.compare(cmd, (r, e) => {
    const a = parse(r), b = parse(e);
    expect(typeof b, `${cmd.join(' ')}: ${show(e)} vs ${show(r)}`).toBe(typeof a);
    if (typeof a === 'number' && typeof b === 'number') {
      expect(Math.abs(a - b), `${cmd.join(' ')}: engine ${b} real ${a}`).toBeLessThanOrEqual(tolerance);
    } else {
      expect(show(e)).toBe(show(r));
    }
  });
}

describe('DEL, UNLINK, EXISTS, TOUCH, TYPE', () => {
  it('deletes and counts existing keys only', async () => {
    await run(
      ['SET', 'a', '1'], ['SET', 'b', '2'], ['SET', 'c', '3'],
      ['DEL', 'a', 'nokey', 'a'], ['EXISTS', 'a'], ['DEL', 'b', 'c'], ['DBSIZE'],
      ['SET', 'a', '1'], ['UNLINK', 'a', 'a', 'x'], ['UNLINK', 'y'],
      ['DEL'], ['UNLINK'], ['EXISTS'], ['TOUCH'],
    );
  });

  it('EXISTS counts repeats, TOUCH counts existing keys', async () => {
    await run(
      ['SET', 'a', '1'], ['SET', 'b', 'x'],
      ['EXISTS', 'a', 'a', 'a', 'b', 'c'], ['EXISTS', 'c'], ['EXISTS', 'b'],
      ['TOUCH', 'a', 'b', 'c', 'a'], ['TOUCH', 'nokey'],
    );
  });

  it('TYPE reports every type and none', async () => {
    await run(['SET', 's', 'v'], ['TYPE', 's'], ['TYPE', 'nokey'], ['TYPE', 's', 'x'], ['TYPE']);
    if (has('rpush')) await run(['RPUSH', 'l', 'a'], ['TYPE', 'l']);
    if (has('sadd')) await run(['SADD', 'st', 'a'], ['TYPE', 'st']);
    if (has('hset')) await run(['HSET', 'h', 'f', 'v'], ['TYPE', 'h']);
    if (has('zadd')) await run(['ZADD', 'z', '1', 'a'], ['TYPE', 'z']);
  });

  it('handles binary and empty key names', async () => {
    const bin = Buffer.from([0, 1, 255, 13, 10, 42]);
    await run(
      ['SET', bin, 'v'], ['SET', '', 'empty'], ['EXISTS', bin, ''], ['TYPE', ''],
      ['RENAME', bin, ''], ['GET', ''], ['EXISTS', bin], ['DEL', '', bin],
    );
  });
});

describe('RENAME and RENAMENX', () => {
  it('renames, overwrites, and errors on a missing source', async () => {
    await run(
      ['RENAME', 'nokey', 'b'], ['RENAMENX', 'nokey', 'b'], ['RENAME', 'nokey', 'nokey'],
      ['RENAMENX', 'nokey', 'nokey'],
      ['SET', 'a', '1'], ['RENAME', 'a', 'b'], ['EXISTS', 'a'], ['GET', 'b'],
      ['SET', 'c', '3'], ['RENAME', 'b', 'c'], ['GET', 'c'], ['DBSIZE'],
      ['SET', 'd', '4'], ['RENAMENX', 'c', 'd'], ['GET', 'c'], ['GET', 'd'],
      ['RENAMENX', 'c', 'e'], ['GET', 'e'], ['EXISTS', 'c'],
      ['RENAME', 'e', 'e'], ['RENAMENX', 'e', 'e'], ['GET', 'e'],
      ['RENAME', 'a'], ['RENAME', 'a', 'b', 'c'],
    );
  });

  it('carries the TTL over and drops the destination TTL', async () => {
    await run(
      ['SET', 'a', '1'], ['PEXPIREAT', 'a', '4102444800000'],
      ['SET', 'b', '2'], ['PEXPIREAT', 'b', '4102444900000'],
      ['RENAME', 'a', 'x'], ['PEXPIRETIME', 'x'], ['PEXPIRETIME', 'a'],
      ['SET', 'p', 'persistent'], ['RENAME', 'p', 'b'], ['PEXPIRETIME', 'b'], ['TTL', 'b'],
      ['RENAME', 'x', 'x'], ['PEXPIRETIME', 'x'],
    );
  });

  it('keeps the value and encoding', async () => {
    await run(
      ['SET', 'n', '12345'], ['SET', 'big', 'x'.repeat(100)], ['SET', 'e', 'hello'],
      ['RENAME', 'n', 'n2'], ['OBJECT', 'ENCODING', 'n2'],
      ['RENAME', 'big', 'big2'], ['OBJECT', 'ENCODING', 'big2'],
      ['RENAME', 'e', 'e2'], ['OBJECT', 'ENCODING', 'e2'],
    );
    if (has('rpush')) await run(['RPUSH', 'l', 'a', 'b', 'c'], ['RENAME', 'l', 'l2'], ['LRANGE', 'l2', '0', '-1']);
  });
});

describe('databases: SELECT, MOVE, COPY, SWAPDB, DBSIZE, FLUSHDB, FLUSHALL', () => {
  it('SELECT checks the index', async () => {
    const c = await pair.connect();
    for (const arg of ['0', '15', '16', '-1', 'x', '1.5', '', '2147483648', '-2147483649', '99999999999999999999', ' 1', '01', '+1']) {
      await c.check('SELECT', arg);
    }
    await c.check('SELECT');
    await c.check('SELECT', '1', '2');
    await c.check('SELECT', '3');
    await c.check('SET', 'k', 'db3');
    await c.check('SELECT', '0');
    await c.check('GET', 'k');
    await c.check('SELECT', '3');
    await c.check('GET', 'k');
    c.close();
  });

  it('MOVE moves keys with their TTL, and refuses what Redis refuses', async () => {
    const c = await pair.connect();
    for (const cmd of [
      ['MOVE', 'k', 'x'], ['MOVE', 'k', '16'], ['MOVE', 'k', '-1'], ['MOVE', 'k', '0'], ['MOVE', 'k', '99999999999'],
      ['MOVE', 'nokey', '1'],
      ['SET', 'k', 'v'], ['PEXPIREAT', 'k', '4102444800000'], ['MOVE', 'k', '1'], ['EXISTS', 'k'],
      ['SELECT', '1'], ['GET', 'k'], ['PEXPIRETIME', 'k'], ['MOVE', 'k', '1'],
      ['SET', 'j', 'in1'], ['SELECT', '0'], ['SET', 'j', 'in0'], ['MOVE', 'j', '1'], ['GET', 'j'],
      ['SELECT', '1'], ['GET', 'j'], ['MOVE', 'k', '0'], ['SELECT', '0'], ['TTL', 'k'], ['DBSIZE'],
      ['MOVE', 'k'], ['MOVE', 'k', '1', '2'],
    ]) await c.check(...cmd);
    c.close();
  });

  it('COPY: options, errors, TTL, other databases', async () => {
    const c = await pair.connect();
    for (const cmd of [
      ['COPY', 'a', 'b'], ['SET', 'a', '1'], ['COPY', 'a', 'a'], ['COPY', 'a', 'a', 'DB', '0'],
      ['COPY', 'a', 'a', 'DB', '1'], ['SELECT', '1'], ['GET', 'a'], ['SELECT', '0'],
      ['COPY', 'a', 'b'], ['GET', 'b'], ['COPY', 'a', 'b'], ['SET', 'a', '2'], ['COPY', 'a', 'b', 'REPLACE'], ['GET', 'b'],
      ['COPY', 'a', 'b', 'replace', 'replace'], ['COPY', 'a', 'c', 'db'], ['COPY', 'a', 'c', 'DB', 'x'],
      ['COPY', 'a', 'c', 'DB', '16'], ['COPY', 'a', 'c', 'DB', '-1'], ['COPY', 'a', 'c', 'DB', '2147483648'],
      ['COPY', 'a', 'c', 'foo'], ['COPY', 'a', 'c', 'DB', '1', 'DB', '2'], ['SELECT', '2'], ['GET', 'c'], ['SELECT', '0'],
      ['COPY', 'nokey', 'c', 'DB', 'x'], ['COPY', 'nokey', 'c', 'REPLACE'], ['COPY', 'a'],
      ['PEXPIREAT', 'a', '4102444800000'], ['COPY', 'a', 'ttl'], ['PEXPIRETIME', 'ttl'],
      ['SET', 'plain', 'x'], ['COPY', 'plain', 'ttl', 'REPLACE'], ['PEXPIRETIME', 'ttl'],
      ['SET', 'n', '7'], ['COPY', 'n', 'n2'], ['OBJECT', 'ENCODING', 'n2'], ['OBJECT', 'REFCOUNT', 'n'],
      ['OBJECT', 'REFCOUNT', 'n2'], ['SET', 'big', 'y'.repeat(60)], ['COPY', 'big', 'big2'],
      ['OBJECT', 'ENCODING', 'big2'], ['SET', 'em', 'short'], ['COPY', 'em', 'em2'], ['OBJECT', 'ENCODING', 'em2'],
    ]) await c.check(...cmd);
    c.close();
  });

  it('COPY deep-copies every type and encoding', async () => {
    const cases: { need: string; build: Command[]; read: Command[]; change: Command }[] = [
      { need: 'rpush', build: [['RPUSH', 'src', 'a', 'b', '1', 'c']], read: [['LRANGE', 'dst', '0', '-1'], ['OBJECT', 'ENCODING', 'dst']], change: ['RPUSH', 'src', 'more'] },
      { need: 'sadd', build: [['SADD', 'src', '1', '2', '3']], read: [['SMEMBERS', 'dst'], ['OBJECT', 'ENCODING', 'dst']], change: ['SADD', 'src', '4'] },
      { need: 'sadd', build: [['SADD', 'src', 'a', 'b', 'c']], read: [['SCARD', 'dst'], ['SISMEMBER', 'dst', 'b'], ['OBJECT', 'ENCODING', 'dst']], change: ['SREM', 'src', 'b'] },
      { need: 'hset', build: [['HSET', 'src', 'f', 'v', 'g', 'w']], read: [['HGETALL', 'dst'], ['OBJECT', 'ENCODING', 'dst']], change: ['HSET', 'src', 'f', 'changed'] },
      { need: 'hset', build: [['HSET', 'src', 'f', 'x'.repeat(100)]], read: [['HGET', 'dst', 'f'], ['HLEN', 'dst'], ['OBJECT', 'ENCODING', 'dst']], change: ['HDEL', 'src', 'f'] },
      { need: 'zadd', build: [['ZADD', 'src', '1', 'a', '2', 'b']], read: [['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'], ['OBJECT', 'ENCODING', 'dst']], change: ['ZADD', 'src', '5', 'a'] },
      { need: 'zadd', build: [['ZADD', 'src', '1', 'x'.repeat(100), '2', 'b']], read: [['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'], ['OBJECT', 'ENCODING', 'dst']], change: ['ZREM', 'src', 'b'] },
    ];
    for (const t of cases) {
      if (!has(t.need)) continue;
      await pair.reset();
      await run(...t.build, ['COPY', 'src', 'dst'], ...t.read, t.change, ...t.read, ['COPY', 'dst', 'dst1', 'DB', '1']);
    }
    if (has('sadd')) {
      // Big sets (hashtable) and big lists (several quicklist nodes).
      await pair.reset();
      const members = Array.from({ length: 300 }, (_, i) => `m${i}`);
      await run(['SADD', 'src', ...members], ['COPY', 'src', 'dst'], ['SCARD', 'dst'], ['SREM', 'src', 'm1'], ['SISMEMBER', 'dst', 'm1']);
      await pair.compare(['SMEMBERS', 'dst'], (r, e) => expect(sorted(parse(e))).toEqual(sorted(parse(r))));
    }
    if (has('rpush')) {
      const items = Array.from({ length: 1000 }, (_, i) => `item-${i}`);
      await run(['RPUSH', 'bigl', ...items], ['COPY', 'bigl', 'bigl2'], ['LRANGE', 'bigl2', '0', '-1'], ['LPOP', 'bigl', '10'], ['LLEN', 'bigl2']);
    }
  });

  it('SWAPDB swaps data for every client', async () => {
    const c = await pair.connect();
    for (const cmd of [
      ['SWAPDB', '0', 'x'], ['SWAPDB', 'x', '0'], ['SWAPDB', 'x', 'y'], ['SWAPDB', '0', '16'], ['SWAPDB', '-1', '0'],
      ['SWAPDB', '0', '2147483648'], ['SWAPDB', '2147483648', '0'], ['SWAPDB', '0', '0'], ['SWAPDB', '0'],
      ['SET', 'a', 'in0'], ['PEXPIREAT', 'a', '4102444800000'], ['SELECT', '1'], ['SET', 'b', 'in1'],
      ['SWAPDB', '0', '1'], ['GET', 'a'], ['GET', 'b'], ['PEXPIRETIME', 'a'], ['DBSIZE'],
    ]) await c.check(...cmd);
    await run(['GET', 'a'], ['GET', 'b'], ['DBSIZE'], ['SWAPDB', '1', '0'], ['GET', 'a'], ['DBSIZE']);
    c.close();
  });

  it('FLUSHDB and FLUSHALL accept SYNC and ASYNC only', async () => {
    const c = await pair.connect();
    for (const cmd of [
      ['SET', 'a', '1'], ['SELECT', '5'], ['SET', 'b', '2'], ['FLUSHDB', 'x'], ['FLUSHDB', 'ASYNC', 'SYNC'],
      ['FLUSHDB', 'sync', 'x'], ['FLUSHALL', 'lazy'], ['FLUSHALL', 'async', 'async'], ['DBSIZE'],
      ['FLUSHDB', 'aSyNc'], ['DBSIZE'], ['SELECT', '0'], ['DBSIZE'], ['SET', 'c', '3'], ['FLUSHDB', 'SYNC'], ['DBSIZE'],
      ['SET', 'a', '1'], ['SELECT', '5'], ['SET', 'b', '1'], ['FLUSHALL'], ['DBSIZE'], ['SELECT', '0'], ['DBSIZE'],
      ['SET', 'a', '1'], ['FLUSHALL', 'SYNC'], ['DBSIZE'], ['SET', 'a', '1'], ['FLUSHALL', 'ASYNC'], ['DBSIZE'],
      ['FLUSHDB'], ['DBSIZE', 'x'],
    ]) await c.check(...cmd);
    c.close();
  });
});

describe('KEYS, SCAN, RANDOMKEY', () => {
  const keys = [
    'foo', 'fo', 'f', 'foobar', 'bar', 'baz', 'ba', 'hello', 'hallo', 'hxllo', 'hllo', 'heeeello',
    'a*b', 'a?b', 'a[b', 'a]b', 'a\\b', 'a-b', 'ab', 'aab', '', 'A', 'B', 'Z', 'z', '^', 'x^y',
    'user:1', 'user:2', 'user:10', 'user:abc', 'USER:1', '\u00e9t\u00e9', '\u00ff\u0080', 'x'.repeat(50),
  ];
  const patterns = [
    '*', '**', '***a', 'f*', '*o', 'f?o', 'fo?', '???', '?', '', 'h[ae]llo', 'h[^e]llo', 'h[a-b]llo',
    'h[b-a]llo', 'h*llo', 'h*l*o', '*l*l*', 'a\\*b', 'a\\?b', 'a[\\]]b', 'a[\\[]b', 'a\\\\b', 'a[-]b',
    'a[a-]b', 'a[', 'a[b', 'a[^', '[', '[]', '[]]', '[^]', '\\', 'a\\', 'user:[0-9]', 'user:[0-9]*',
    'user:?', '[A-Z]', '[a-z]', '[Z-a]', '[^a-z]', '*[', '*\\', 'x^y', '[\\^]', 'x[^^]y', '\u00e9*',
    '[\u0080-\u00ff]*', '[a-\u00ff]', '[\u00ff-a]', '*x*x*x*x*x*x*x*x*x*x*x*x*x*x*x*x*x*x*x*y',
    'hee*llo', '*?', '?*', '*?*', 'a*[b]', '[ab][ab]b',
  ];

  it('KEYS matches glob patterns exactly like Redis', async () => {
    await pair.checkAll(keys.map((k) => ['SET', Buffer.from(k, 'latin1'), 'v'] as Command));
    for (const p of patterns) {
      await pair.compare(['KEYS', Buffer.from(p, 'latin1')], (r, e) => {
        expect(sorted(parse(e)), `KEYS ${JSON.stringify(p)}`).toEqual(sorted(parse(r)));
      });
    }
    await run(['KEYS'], ['KEYS', 'a', 'b']);
  });

  it('KEYS agrees on seeded random patterns full of special characters', async () => {
    const rnd = new SeededRandom(99);
    const alphabet = ['a', 'b', 'A', '-', '^', ']', '[', '\\', '*', '?', '\u00ff', '\u0080', 'z'];
    const word = (max: number) => Array.from({ length: rnd.below(max + 1) }, () => alphabet[rnd.below(alphabet.length)]).join('');
    const names = new Set<string>();
    while (names.size < 150) names.add(word(6));
    await pair.checkAll([...names].map((k) => ['SET', Buffer.from(k, 'latin1'), 'v'] as Command));
    for (let i = 0; i < 400; i++) {
      const p = word(8);
      await pair.compare(['KEYS', Buffer.from(p, 'latin1')], (r, e) => {
        expect(sorted(parse(e)), `KEYS ${JSON.stringify(p)}`).toEqual(sorted(parse(r)));
      });
    }
  });

  it('SCAN MATCH uses the same rules and a full iteration returns every key', async () => {
    await pair.checkAll(keys.map((k) => ['SET', Buffer.from(k, 'latin1'), 'v'] as Command));
    for (const p of patterns) {
      const collected: string[][] = [[], []];
      for (const [side, client] of [[0, pair.main.real], [1, pair.main.engine]] as const) {
        let cursor = '0';
        do {
          const reply = parse(await client.call('SCAN', cursor, 'MATCH', Buffer.from(p, 'latin1'), 'COUNT', '3')) as [string, string[]];
          cursor = reply[0];
          collected[side].push(...reply[1]);
        } while (cursor !== '0');
      }
      expect(collected[1].sort(), `SCAN MATCH ${JSON.stringify(p)}`).toEqual(collected[0].sort());
    }
  });

  it('SCAN visits every key of a large keyspace once when nothing changes', async () => {
    const n = 2000;
    await pair.checkAll(Array.from({ length: n }, (_, i) => ['SET', `key:${i}`, String(i)] as Command));
    const seen = new Map<string, number>();
    let cursor = '0';
    let calls = 0;
    do {
      const reply = parse(await pair.main.engine.call('SCAN', cursor, 'COUNT', '50')) as [string, string[]];
      cursor = reply[0];
      for (const k of reply[1]) seen.set(k, (seen.get(k) ?? 0) + 1);
      calls++;
    } while (cursor !== '0');
    expect(seen.size).toBe(n);
    expect([...seen.values()].every((v) => v === 1)).toBe(true);
    expect(calls).toBeGreaterThan(10);
  });

  it('SCAN returns keys present throughout while the keyspace grows and shrinks', async () => {
    const stable = Array.from({ length: 300 }, (_, i) => `stable:${i}`);
    await pair.checkAll(stable.map((k) => ['SET', k, 'v'] as Command));
    const seen = new Set<string>();
    let cursor = '0';
    let step = 0;
    do {
      const reply = parse(await pair.main.engine.call('SCAN', cursor, 'COUNT', '20')) as [string, string[]];
      cursor = reply[0];
      for (const k of reply[1]) seen.add(k);
      // Grow hard, then shrink, between calls.
      if (step < 5) await pair.main.engine.pipeline(Array.from({ length: 400 }, (_, i) => ['SET', `tmp:${step}:${i}`, 'x']));
      else if (step < 10) await pair.main.engine.pipeline(Array.from({ length: 400 }, (_, i) => ['DEL', `tmp:${step - 5}:${i}`]));
      step++;
    } while (cursor !== '0');
    for (const k of stable) expect(seen.has(k), k).toBe(true);
  });

  it('SCAN options and errors', async () => {
    await run(['SET', 'a', '1'], ['SET', 'b', '2']);
    for (const cmd of [
      ['SCAN', 'x'], ['SCAN', '-'], ['SCAN', '+'], ['SCAN', ' 0'], ['SCAN', '0 '], ['SCAN', '0x1'], ['SCAN', '1.5'],
      ['SCAN', '18446744073709551616'], ['SCAN', '-18446744073709551616'], ['SCAN', '0', 'COUNT', '0'],
      ['SCAN', '0', 'COUNT', '-1'], ['SCAN', '0', 'COUNT', 'x'], ['SCAN', '0', 'COUNT'], ['SCAN', '0', 'MATCH'],
      ['SCAN', '0', 'TYPE'], ['SCAN', '0', 'foo', 'bar'], ['SCAN', '0', 'COUNT', '10', 'MATCH'],
      ['SCAN', '0', 'COUNT', '99999999999999999999'], ['SCAN', 'x', 'COUNT', '0'], ['SCAN', '0', 'COUNT', '0', 'COUNT', '5'],
      ['SCAN'],
    ]) await pair.check(...cmd);
    for (const cursor of ['', '0', '+0', '-0', '00', '18446744073709551615', '-1', '4294967296', '-18446744073709551615']) {
      await pair.compare(['SCAN', cursor, 'COUNT', '100'], (r, e) => {
        const a = parse(r) as [string, string[]], b = parse(e) as [string, string[]];
        expect(b[0] === '0', `cursor ${cursor}`).toBe(a[0] === '0');
        if (a[0] === '0' && (cursor === '' || /^[+-]?0+$/.test(cursor))) expect(sorted(b[1])).toEqual(sorted(a[1]));
      });
    }
  });

  it('SCAN TYPE filters by type name, case-insensitively', async () => {
    await run(['SET', 's1', 'v'], ['SET', 's2', 'v']);
    if (has('rpush')) await run(['RPUSH', 'l1', 'a']);
    if (has('sadd')) await run(['SADD', 'set1', 'a']);
    if (has('hset')) await run(['HSET', 'h1', 'f', 'v']);
    if (has('zadd')) await run(['ZADD', 'z1', '1', 'a']);
    for (const t of ['string', 'STRING', 'list', 'set', 'hash', 'zset', 'stream', 'none', 'foo', '']) {
      await pair.compare(['SCAN', '0', 'TYPE', t, 'COUNT', '1000'], (r, e) => {
        const a = parse(r) as [string, string[]], b = parse(e) as [string, string[]];
        expect(b[0]).toBe(a[0]);
        expect(sorted(b[1]), `TYPE ${t}`).toEqual(sorted(a[1]));
      });
    }
    await pair.compare(['SCAN', '0', 'TYPE', 'string', 'MATCH', 's1', 'COUNT', '1000'], (r, e) => {
      expect(sorted((parse(e) as [string, string[]])[1])).toEqual(sorted((parse(r) as [string, string[]])[1]));
    });
  });

  it('RANDOMKEY returns an existing key, or nil', async () => {
    await run(['RANDOMKEY'], ['SET', 'only', '1'], ['RANDOMKEY'], ['RANDOMKEY', 'x']);
    const names = Array.from({ length: 50 }, (_, i) => `k${i}`);
    await pair.checkAll(names.map((k) => ['SET', k, 'v'] as Command));
    for (let i = 0; i < 50; i++) {
      const k = parse(await pair.main.engine.call('RANDOMKEY')) as string;
      expect(k === 'only' || names.includes(k), k).toBe(true);
    }
    // Expired keys are never returned, and are deleted when met.
    await pair.reset();
    await pair.checkAll(names.map((k) => ['SET', k, 'v', 'PX', '1'] as Command));
    await run(['SET', 'live', 'v']);
    await sleep(20);
    await run(['RANDOMKEY'], ['RANDOMKEY']);
  });
});

describe('OBJECT', () => {
  it('ENCODING, REFCOUNT, IDLETIME, FREQ and HELP', async () => {
    for (const cmd of [
      ['SET', 'i', '123'], ['SET', 'bigi', '123456789012'], ['SET', 'neg', '-5'], ['SET', 'e', 'abc'],
      ['SET', 'r', 'x'.repeat(45)], ['SET', 'r44', 'x'.repeat(44)], ['SET', 'f', '1.5'], ['SET', 'sp', ' 1'],
      ['OBJECT', 'ENCODING', 'i'], ['OBJECT', 'ENCODING', 'bigi'], ['OBJECT', 'ENCODING', 'neg'],
      ['OBJECT', 'ENCODING', 'e'], ['OBJECT', 'ENCODING', 'r'], ['OBJECT', 'ENCODING', 'r44'],
      ['OBJECT', 'ENCODING', 'f'], ['OBJECT', 'ENCODING', 'sp'], ['OBJECT', 'ENCODING', 'nokey'],
      ['OBJECT', 'REFCOUNT', 'i'], ['OBJECT', 'REFCOUNT', 'bigi'], ['OBJECT', 'REFCOUNT', 'e'], ['OBJECT', 'REFCOUNT', 'nokey'],
      ['OBJECT', 'IDLETIME', 'nokey'], ['OBJECT', 'FREQ', 'e'], ['OBJECT', 'FREQ', 'nokey'],
      ['OBJECT', 'HELP'], ['object', 'help'], ['OBJECT', 'help', 'x'], ['OBJECT'], ['OBJECT', 'foo'], ['OBJECT', 'foo', 'k'],
      ['OBJECT', 'ENCODING'], ['OBJECT', 'ENCODING', 'a', 'b'], ['OBJECT', 'REFCOUNT'], ['OBJECT', 'FREQ'],
    ]) await pair.check(...cmd);
    // 'e' was set a few round trips ago: idle 0 seconds, or 1 if a second boundary of the LRU clock
    // (seconds resolution, on each server's own wall clock) fell in between.
    const [real, ours] = await pair.both('OBJECT', 'IDLETIME', 'e');
    expect([':0\r\n', ':1\r\n']).toContain(real.toString('latin1'));
    expect([':0\r\n', ':1\r\n']).toContain(ours.toString('latin1'));
    if (has('rpush')) await run(['RPUSH', 'l', 'a'], ['OBJECT', 'ENCODING', 'l']);
    if (has('sadd')) await run(['SADD', 'is', '1'], ['SADD', 'hs', 'a'], ['OBJECT', 'ENCODING', 'is'], ['OBJECT', 'ENCODING', 'hs']);
    if (has('hset')) await run(['HSET', 'h', 'f', 'v'], ['OBJECT', 'ENCODING', 'h']);
    if (has('zadd')) await run(['ZADD', 'z', '1', 'a'], ['OBJECT', 'ENCODING', 'z']);
  });

  it('answers in RESP3 too', async () => {
    if (!has('hello')) return;
    const c = await pair.connect();
    await c.both('HELLO', '3');
    for (const cmd of [
      ['OBJECT', 'ENCODING', 'nokey'], ['OBJECT', 'HELP'], ['RANDOMKEY'], ['KEYS', '*'], ['SCAN', '0'],
      ['SET', 'k', 'v'], ['OBJECT', 'ENCODING', 'k'], ['TTL', 'k'], ['TYPE', 'k'], ['KEYS', 'k'], ['SCAN', '0', 'MATCH', 'k'],
      ['COPY', 'k', 'k'], ['EXPIRE', 'k', '10', 'NX', 'XX'],
    ]) await c.check(...cmd);
    c.close();
  });
});

describe('OBJECT under an LFU policy', () => {
  let lfu: DifferentialPair;
  beforeAll(async () => { lfu = await DifferentialPair.start({ 'maxmemory-policy': 'allkeys-lfu' }); });
  afterAll(async () => { await lfu?.stop(); });

  it('FREQ starts at the initial counter, IDLETIME is refused', async () => {
    for (const cmd of [
      ['SET', 'a', 'hello'], ['OBJECT', 'FREQ', 'a'], ['OBJECT', 'IDLETIME', 'a'], ['OBJECT', 'IDLETIME', 'nokey'],
      ['SET', 'n', '5'], ['OBJECT', 'FREQ', 'n'], ['RENAME', 'a', 'b'], ['OBJECT', 'FREQ', 'b'],
      ['COPY', 'b', 'c'], ['OBJECT', 'FREQ', 'c'], ['SET', 'c', 'new'], ['MOVE', 'c', '1'],
      ['SELECT', '1'],
    ]) await lfu.check(...cmd);
    // SET and MOVE each touched c: 5 -> 6 for sure, then 6 -> 7 with probability 1/11 (LFULogIncr).
    await lfu.compare(['OBJECT', 'FREQ', 'c'], (real, engine) => {
      for (const reply of [real, engine]) expect([':6\r\n', ':7\r\n']).toContain(reply.toString());
    });
  });
});

describe('EXPIRE family', () => {
  it('option parsing and its errors', async () => {
    await run(['SET', 'k', 'v']);
    for (const cmd of [
      ['EXPIRE', 'k', '100', 'NX', 'XX'], ['EXPIRE', 'k', '100', 'nx', 'gt'], ['EXPIRE', 'k', '100', 'NX', 'LT'],
      ['EXPIRE', 'k', '100', 'GT', 'LT'], ['EXPIRE', 'k', '100', 'XX', 'GT', 'LT'], ['EXPIRE', 'k', '100', 'FOO'],
      ['EXPIRE', 'k', 'x', 'FOO'], ['EXPIRE', 'k', 'x', 'NX', 'XX'], ['EXPIRE', 'k', 'x'], ['EXPIRE', 'k', '1.5'],
      ['EXPIRE', 'k', ''], ['EXPIRE', 'k', ' 1'], ['PEXPIRE', 'k', '100', 'XX', 'bar'], ['EXPIREAT', 'k', '1', 'NX', 'NX', 'nx'],
      ['EXPIRE', 'nokey', '100', 'FOO'], ['EXPIRE', 'nokey', 'abc'], ['EXPIRE', 'nokey', '100'],
      ['EXPIRE', 'k'], ['PEXPIRE', 'k'], ['EXPIREAT'], ['PEXPIREAT', 'k'],
      ['TTL', 'k'], ['PTTL', 'k'], ['EXPIRETIME', 'k'], ['PEXPIRETIME', 'k'],
    ]) await pair.check(...cmd);
  });

  it('overflow checks for every variant', async () => {
    await run(['SET', 'k', 'v']);
    for (const cmd of [
      ['EXPIRE', 'k', '9223372036854775807'], ['EXPIRE', 'k', '9223372036854776'], ['EXPIRE', 'k', '-9223372036854776'],
      ['EXPIRE', 'k', '9223372036854775808'], ['EXPIRE', 'k', '-9223372036854775809'],
      ['PEXPIRE', 'k', '9223372036854775807'], ['PEXPIRE', 'k', '9223372036854775000'],
      ['EXPIREAT', 'k', '9223372036854776'], ['EXPIREAT', 'k', '-9223372036854776'],
      ['PEXPIREAT', 'k', '9223372036854775807'], ['PEXPIRETIME', 'k'], ['EXPIRETIME', 'k'],
      ['PEXPIREAT', 'k', '9223372036854775806'], ['PEXPIRETIME', 'k'], ['EXPIRETIME', 'k'],
      ['EXPIREAT', 'k', '9223372036854775'], ['PEXPIRETIME', 'k'], ['EXPIRETIME', 'k'],
      ['PEXPIREAT', 'k', '9007199254740993'], ['PEXPIRETIME', 'k'], ['EXPIRETIME', 'k'], ['TTL', 'k'],
      ['EXPIRE', 'k', '100', 'GT'], ['EXPIRE', 'k', '100', 'LT'], ['TTL', 'k'],
      ['PEXPIREAT', 'k', '9223372036854775807'], ['PEXPIREAT', 'k', '9223372036854775806', 'GT'],
      ['PEXPIREAT', 'k', '9223372036854775806', 'LT'], ['PEXPIRETIME', 'k'],
      ['PEXPIREAT', 'k', '-9223372036854775808'], ['EXISTS', 'k'],
      ['SET', 'k', 'v'], ['EXPIRE', 'k', '-9223372036854775'], ['EXISTS', 'k'],
      ['SET', 'k', 'v'], ['EXPIREAT', 'k', '-9223372036854775'], ['EXISTS', 'k'],
    ]) await pair.check(...cmd);
  });

  it('NX, XX, GT and LT', async () => {
    const far = '4102444800';
    for (const cmd of [
      ['SET', 'k', 'v'], ['EXPIREAT', 'k', far, 'XX'], ['TTL', 'k'], ['EXPIREAT', 'k', far, 'GT'], ['TTL', 'k'],
      ['EXPIREAT', 'k', far, 'LT'], ['EXPIRETIME', 'k'], ['EXPIREAT', 'k', far, 'NX'], ['EXPIREAT', 'k', '4102444801', 'NX'],
      ['EXPIRETIME', 'k'], ['EXPIREAT', 'k', '4102444900', 'XX'], ['EXPIRETIME', 'k'],
      ['EXPIREAT', 'k', '4102444800', 'GT'], ['EXPIREAT', 'k', '4102444900', 'GT'], ['EXPIREAT', 'k', '4102445000', 'GT'],
      ['EXPIRETIME', 'k'], ['EXPIREAT', 'k', '4102445000', 'LT'], ['EXPIREAT', 'k', '4102446000', 'LT'],
      ['EXPIREAT', 'k', '4102444000', 'LT'], ['EXPIRETIME', 'k'], ['EXPIREAT', 'k', '4102444500', 'XX', 'GT'],
      ['EXPIREAT', 'k', '4102444500', 'XX', 'LT'], ['EXPIRETIME', 'k'], ['PEXPIREAT', 'k', '4102443999999', 'lt'],
      ['PEXPIRETIME', 'k'], ['EXPIRETIME', 'k'], ['PERSIST', 'k'], ['EXPIREAT', 'k', far, 'LT'], ['EXPIRETIME', 'k'],
      ['PERSIST', 'k'], ['EXPIREAT', 'k', '1', 'GT'], ['EXISTS', 'k'], ['EXPIREAT', 'k', '1', 'LT'], ['EXISTS', 'k'],
      ['SET', 'k', 'v'], ['EXPIREAT', 'k', far], ['EXPIREAT', 'k', '1', 'GT'], ['EXPIREAT', 'k', '1', 'XX'], ['EXISTS', 'k'],
      ['EXPIRE', 'nokey', '10', 'NX'], ['EXPIRE', 'nokey', '10', 'XX'], ['EXPIRE', 'nokey', '-1', 'LT'],
    ]) await pair.check(...cmd);
  });

  it('a past or non-positive time deletes the key (as DEL)', async () => {
    for (const cmd of [
      ['SET', 'k', 'v'], ['EXPIRE', 'k', '0'], ['EXISTS', 'k'], ['SET', 'k', 'v'], ['EXPIRE', 'k', '-10'], ['EXISTS', 'k'],
      ['SET', 'k', 'v'], ['PEXPIRE', 'k', '0'], ['EXISTS', 'k'], ['SET', 'k', 'v'], ['PEXPIRE', 'k', '-1'], ['EXISTS', 'k'],
      ['SET', 'k', 'v'], ['EXPIREAT', 'k', '0'], ['EXISTS', 'k'], ['SET', 'k', 'v'], ['EXPIREAT', 'k', '1000000000'], ['EXISTS', 'k'],
      ['SET', 'k', 'v'], ['PEXPIREAT', 'k', '1'], ['EXISTS', 'k'], ['SET', 'k', 'v'], ['PEXPIREAT', 'k', '-5'], ['DBSIZE'],
      ['EXPIRE', 'k', '-10'], ['PEXPIRE', 'nokey', '0'],
    ]) await pair.check(...cmd);
  });

  it('TTL, PTTL, EXPIRETIME, PEXPIRETIME, PERSIST', async () => {
    for (const cmd of [
      ['TTL', 'nokey'], ['PTTL', 'nokey'], ['EXPIRETIME', 'nokey'], ['PEXPIRETIME', 'nokey'], ['PERSIST', 'nokey'],
      ['SET', 'k', 'v'], ['TTL', 'k'], ['PTTL', 'k'], ['EXPIRETIME', 'k'], ['PEXPIRETIME', 'k'], ['PERSIST', 'k'],
      ['EXPIRE', 'k', '100'], ['TTL', 'k'], ['PERSIST', 'k'], ['TTL', 'k'], ['PERSIST', 'k'],
      ['PEXPIREAT', 'k', '4102444800499'], ['EXPIRETIME', 'k'], ['PEXPIREAT', 'k', '4102444800500'], ['EXPIRETIME', 'k'],
      ['PEXPIREAT', 'k', '4102444800999'], ['EXPIRETIME', 'k'], ['PEXPIRETIME', 'k'],
      ['SET', 'k', 'v2'], ['TTL', 'k'], ['EXPIRE', 'k', '50'], ['SET', 'k', 'v3', 'KEEPTTL'], ['TTL', 'k'],
      ['TTL'], ['TTL', 'a', 'b'], ['PERSIST'], ['PERSIST', 'a', 'b'],
    ]) await pair.check(...cmd);
    await run(['SET', 'k', 'v'], ['EXPIRE', 'k', '100']);
    await checkClose(['PTTL', 'k'], 100);
    await run(['PEXPIRE', 'k', '123456']);
    await checkClose(['PTTL', 'k'], 100);
    await checkClose(['PEXPIRETIME', 'k'], 500);
    await checkClose(['EXPIRETIME', 'k'], 1);
    await run(['TTL', 'k']);
    await run(['PEXPIRE', 'k', '1700'], ['TTL', 'k'], ['PEXPIRE', 'k', '1499'], ['TTL', 'k'], ['PERSIST', 'k']);
  });

  it('keys expire lazily on access', async () => {
    await run(
      ['SET', 'a', '1'], ['PEXPIRE', 'a', '30'], ['SET', 'b', '2'], ['PEXPIRE', 'b', '30'],
      ['SET', 'c', '3'], ['PEXPIRE', 'c', '30'], ['SET', 'd', '4'], ['PEXPIRE', 'd', '30'], ['SET', 'keep', 'x'],
    );
    await sleep(60);
    await run(
      ['GET', 'a'], ['EXISTS', 'b'], ['TTL', 'c'], ['TYPE', 'd'], ['KEYS', '*'], ['DBSIZE'],
      ['DEL', 'a', 'b', 'c', 'd'], ['RENAME', 'a', 'z'], ['DBSIZE'],
    );
  });

  it('DEL of an expired key counts nothing; RENAME, MOVE and COPY see it gone', async () => {
    const c = await pair.connect();
    for (const cmd of [['SET', 'a', '1', 'PX', '20'], ['SET', 'b', '1', 'PX', '20'], ['SET', 'c', '1', 'PX', '20'], ['SET', 'd', 'x', 'PX', '20'], ['SET', 'x', 'live']]) {
      await c.check(...cmd);
    }
    await sleep(50);
    for (const cmd of [
      ['DEL', 'a'], ['RENAME', 'b', 'bb'], ['RENAMENX', 'x', 'c'], ['MOVE', 'd', '1'], ['COPY', 'x', 'd'],
      ['SELECT', '1'], ['DBSIZE'], ['SELECT', '0'], ['KEYS', '*'],
    ]) await c.check(...cmd);
    c.close();
  });

  it('keys expire without access (active expiry)', async () => {
    const n = 300;
    await pair.checkAll(Array.from({ length: n }, (_, i) => ['SET', `vol:${i}`, 'x', 'PX', String(50 + (i % 50))] as Command));
    await pair.checkAll(Array.from({ length: 20 }, (_, i) => ['SET', `keep:${i}`, 'y'] as Command));
    // Nothing reads the volatile keys: only the cron can remove them.
    await sleep(1500);
    await run(['DBSIZE']);
    expect(pair.engine.engine.stats.expiredKeys).toBeGreaterThanOrEqual(n);
    await run(['DBSIZE'], ['KEYS', 'vol:*']);
  });
});

describe('seeded random stream', () => {
  it('thousands of generic commands mixed with strings agree', async () => {
    const rnd = new SeededRandom(20240607);
    const pick = <T>(a: readonly T[]): T => a[rnd.below(a.length)];
    const keys = Array.from({ length: 12 }, (_, i) => `k${i}`);
    const key = () => pick(keys);
    // Relative TTLs are all different (and seconds apart), so GT/LT between two of them cannot
    // depend on whether both servers ran the commands within the same millisecond.
    let uniq = 0;
    const relSec = () => String(200 + 3 * uniq++);
    const relMs = () => String(1000000 + 3000 * uniq++);
    const far = () => String(4102444800 + rnd.below(100000));
    const farMs = () => String(4102444800000 + rnd.below(100000000));
    const gens: (() => Command)[] = [
      () => ['SET', key(), String(rnd.below(20000) - 100)],
      () => ['SET', key(), pick(['a', 'hello', 'x'.repeat(50), ''])],
      () => ['SET', key(), 'v', 'EX', relSec()],
      () => ['GET', key()],
      () => ['DEL', key(), key()],
      () => ['UNLINK', key()],
      () => ['EXISTS', key(), key(), key()],
      () => ['TOUCH', key(), key()],
      () => ['TYPE', key()],
      () => ['RENAME', key(), key()],
      () => ['RENAMENX', key(), key()],
      () => ['MOVE', key(), pick(['0', '1', '2', '16', 'x'])],
      () => ['COPY', key(), key(), ...pick([[], ['REPLACE'], ['DB', '1'], ['DB', '2', 'REPLACE'], ['DB', '0']])],
      () => ['SELECT', pick(['0', '0', '1', '2'])],
      () => ['SWAPDB', pick(['0', '1', '2']), pick(['0', '1', '2'])],
      () => ['DBSIZE'],
      () => ['EXPIRE', key(), pick([relSec(), relSec(), '0', '-1', 'x']), ...pick([[], ['NX'], ['XX'], ['GT'], ['LT'], ['NX', 'GT']])],
      () => ['PEXPIRE', key(), pick([relMs(), relMs(), '-5']), ...pick([[], ['XX'], ['GT'], ['LT']])],
      () => ['EXPIREAT', key(), pick([far(), far(), '1', '0']), ...pick([[], ['NX'], ['XX'], ['GT'], ['LT']])],
      () => ['PEXPIREAT', key(), pick([farMs(), '100']), ...pick([[], ['GT'], ['LT']])],
      () => ['TTL', key()],
      () => ['PTTL', key()],
      () => ['EXPIRETIME', key()],
      () => ['PEXPIRETIME', key()],
      () => ['PERSIST', key()],
      () => ['KEYS', pick(['*', 'k1*', 'k?', 'k[0-5]', 'nomatch'])],
      () => ['SCAN', '0', 'COUNT', '1000', ...pick([[], ['MATCH', 'k1*'], ['TYPE', 'string'], ['TYPE', 'list']])],
      () => ['RANDOMKEY'],
      () => ['OBJECT', 'ENCODING', key()],
      () => ['OBJECT', 'REFCOUNT', key()],
    ];
    const flush = (): Command => ['FLUSHDB'];
    gens.push(flush);
    if (has('rpush')) gens.push(() => ['RPUSH', key(), 'a', 'b'], () => ['LRANGE', key(), '0', '-1']);
    if (has('sadd')) gens.push(() => ['SADD', key(), String(rnd.below(5)), 'm']);
    if (has('hset')) gens.push(() => ['HSET', key(), 'f', 'v'], () => ['HGETALL', key()]);
    // FLUSHDB is rare, or the keyspace would mostly be empty.
    const commands: Command[] = [];
    for (let i = 0; i < 4000; i++) {
      let g = pick(gens);
      if (g === flush && rnd.below(10) !== 0) g = gens[0];
      commands.push(g());
    }
    commands.push(['SELECT', '0']);

    // TTL/PTTL of relative expires depend on each server's clock; RANDOMKEY picks at random;
    // KEYS and SCAN order differ by hash function. Normalize those to what must agree.
    const outcomes = new Map<string, number>();
    const normalize = (cmd: Command, reply: Buffer): string => {
      const name = String(cmd[0]);
      const v = parse(reply);
      const outcome = `${name} ${v instanceof Error ? 'error' : v === null || v === 0 || v === -2 || (Array.isArray(v) && v.length === 0) ? 'empty' : 'ok'}`;
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      if (name === 'TTL' || name === 'PTTL') return typeof v === 'number' && v > 0 ? 'positive' : show(reply);
      // Absolute times set with EXPIREAT/PEXPIREAT (year 2100+) must agree exactly.
      if (name === 'EXPIRETIME' && typeof v === 'number' && v > 0 && v < 4e9) return 'relative';
      if (name === 'PEXPIRETIME' && typeof v === 'number' && v > 0 && v < 4e12) return 'relative';
      if (name === 'RANDOMKEY') return v === null ? 'nil' : 'key';
      if (name === 'KEYS') return JSON.stringify(sorted(v));
      if (name === 'SCAN') { const [c, ks] = v as [string, string[]]; return JSON.stringify([c, sorted(ks)]); }
      return show(reply);
    };
    const c: ClientPair = await pair.connect();
    await checkRandomStream(c, commands, { normalize, batch: 100 });
    // The stream must really exercise the commands: successes and misses for the main ones.
    for (const name of ['RENAME', 'RENAMENX', 'MOVE', 'COPY', 'EXPIRE', 'PEXPIREAT', 'PERSIST', 'DEL', 'TTL', 'KEYS']) {
      expect(outcomes.get(`${name} ok`) ?? 0, `${name} successes`).toBeGreaterThan(5);
    }
    // Same keys with the same values and TTLs in every database touched.
    for (const db of ['0', '1', '2']) {
      await c.check('SELECT', db);
      await c.compare(['KEYS', '*'], (r, e) => expect(sorted(parse(e))).toEqual(sorted(parse(r))));
    }
    c.close();
  });
});
