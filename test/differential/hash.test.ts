// Hash commands against real Redis 7.0.15: scripted cases for every command and its errors, the
// listpack/hashtable encodings at and across hash-max-listpack-entries/-value, HINCRBYFLOAT's long
// double arithmetic and formatting, then seeded random streams. Listpack replies must be
// byte-identical (insertion order); hashtable order is compared as a set of pairs; HRANDFIELD is
// checked by its properties.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DifferentialPair, checkAllBytes, checkUnordered, checkUnorderedPairs, describeCommand, show, uniqueKeys, wire,
  type ClientPair,
} from './harness.ts';
import { SeededRandom } from '../../src/engine/sim/random.ts';
import { items, parseResp, text, textPairs, texts, unordered, unorderedPairs, wireType } from '../support/respValue.ts';

let pair: DifferentialPair;
beforeAll(async () => { pair = await DifferentialPair.start(); });
afterAll(async () => { await pair?.stop(); });

const keys = uniqueKeys('h');

const INTS = ['0', '1', '-1', '127', '128', '-4096', '4095', '32767', '-32768', '8388607', '8388608', '2147483647',
  '-2147483648', '2147483648', '9223372036854775807', '-9223372036854775808', '9223372036854775808', '01', '-0', '+1', ' 1'];
const STRINGS = ['', 'a', 'hello', 'x'.repeat(63), 'y'.repeat(64), 'z'.repeat(65), 'w'.repeat(300), '\x00', '\r\n', '\x00\xff\x80', 'caf\xc3\xa9'];

describe('arity and wrong type', () => {
  it('rejects wrong argument counts, HSET/HMSET odd pairs included', async () => {
    await checkAllBytes(pair.main, [
      ['HSET'], ['HSET', 'k'], ['HSET', 'k', 'f'], ['HSET', 'k', 'f', 'v', 'g'], ['HMSET', 'k', 'f'],
      ['HMSET', 'k', 'f', 'v', 'g'], ['hset', 'k', 'a', 'b', 'c'], ['HSETNX', 'k', 'f'], ['HSETNX', 'k', 'f', 'v', 'x'],
      ['HGET', 'k'], ['HGET', 'k', 'f', 'g'], ['HMGET', 'k'], ['HDEL', 'k'], ['HLEN'], ['HLEN', 'a', 'b'],
      ['HSTRLEN', 'k'], ['HEXISTS', 'k'], ['HKEYS'], ['HVALS', 'a', 'b'], ['HGETALL'], ['HINCRBY', 'k', 'f'],
      ['HINCRBYFLOAT', 'k', 'f'], ['HRANDFIELD'], ['HSCAN', 'k'], ['EXISTS', 'k'],
    ]);
  });

  it('every command refuses a key of another type', async () => {
    const [str] = keys('str');
    await checkAllBytes(pair.main, [
      ['SET', str, 'v'],
      ['HSET', str, 'f', 'v'], ['HMSET', str, 'f', 'v'], ['HSETNX', str, 'f', 'v'], ['HGET', str, 'f'], ['HMGET', str, 'f'],
      ['HDEL', str, 'f'], ['HLEN', str], ['HSTRLEN', str, 'f'], ['HEXISTS', str, 'f'], ['HKEYS', str], ['HVALS', str],
      ['HGETALL', str], ['HINCRBY', str, 'f', '1'], ['HINCRBYFLOAT', str, 'f', '1'], ['HRANDFIELD', str],
      ['HRANDFIELD', str, '2'], ['HRANDFIELD', str, '-2', 'WITHVALUES'], ['HSCAN', str, '0'], ['GET', str],
      // Argument errors come first where Redis parses before the lookup.
      ['HINCRBY', str, 'f', 'x'], ['HINCRBYFLOAT', str, 'f', 'x'], ['HRANDFIELD', str, 'x'], ['HSCAN', str, 'x'],
      ['HRANDFIELD', str, '1', 'x'],
    ]);
  });
});

describe('basic reads and writes (listpack, exact order)', () => {
  it('HSET/HMSET/HSETNX/HGET/HMGET/HDEL/HLEN/HSTRLEN/HEXISTS', async () => {
    const [k, m] = keys('k', 'm');
    const cmds: (string | Buffer)[][] = [];
    // Fields and values short enough to keep the listpack (its order is part of the reply).
    for (const v of [...INTS, ...STRINGS.filter((x) => x.length <= 62)]) cmds.push(['HSET', k, 'f:' + v, v], ['HSTRLEN', k, 'f:' + v], ['HGET', k, 'f:' + v]);
    for (const f of [...INTS, ...STRINGS.slice(0, 5)]) cmds.push(['HSET', k, f, 'v'], ['HEXISTS', k, f]);
    cmds.push(
      ['HLEN', k], ['HGETALL', k], ['HKEYS', k], ['HVALS', k], ['OBJECT', 'ENCODING', k],
      ['HSET', k, 'a', '1', 'b', '2', 'a', '3'], ['HGET', k, 'a'], ['HMSET', k, 'c', '4', 'b', '5'], ['HMGET', k, 'a', 'b', 'c', 'nope'],
      ['HSETNX', k, 'a', 'x'], ['HSETNX', k, 'new', 'x'], ['HGET', k, 'new'], ['HMGET', m, 'a', 'b'], ['HGET', m, 'a'],
      ['HLEN', m], ['HSTRLEN', m, 'a'], ['HSTRLEN', k, 'nope'], ['HEXISTS', m, 'a'], ['HEXISTS', k, 'nope'], ['HKEYS', m],
      ['HVALS', m], ['HGETALL', m], ['HDEL', m, 'a'], ['HDEL', k, 'nope', 'a', 'a', 'b'], ['HGETALL', k],
      ['HSET', m, 'only', '1'], ['HDEL', m, 'only', 'x'], ['EXISTS', m], ['HSETNX', m, 'f', 'v'], ['HGETALL', m],
      ['HMSET', m, 'g', 'w'], ['HGETALL', m], ['HDEL', m, 'f', 'g'], ['EXISTS', m],
      ['HSET', k, 'a', '1', 'b', '2'], ['HDEL', k, 'a'], ['HSET', k, 'a', '9'], ['HKEYS', k], ['OBJECT', 'ENCODING', k],
      ['HSET', m, 'long', STRINGS[6]], ['HSTRLEN', m, 'long'], ['HGET', m, 'long'], ['OBJECT', 'ENCODING', m],
    );
    await checkAllBytes(pair.main, cmds);
    for (const v of STRINGS) await checkAllBytes(pair.main, [['HSET', m, 'f:' + v, v], ['HSTRLEN', m, 'f:' + v], ['HGET', m, 'f:' + v]]);
    await checkUnorderedPairs(pair.main, 'HGETALL', m);
  });

  it('RESP3: HGETALL is a map, HKEYS/HVALS arrays, nulls are _', async () => {
    const c = await pair.connect();
    await c.both('HELLO', '3');
    const [k] = keys('k');
    await c.checkAll([
      ['HSET', k, 'a', '1', 'b', 'x'], ['HGETALL', k], ['HGETALL', 'nokey'], ['HKEYS', k], ['HKEYS', 'nokey'],
      ['HVALS', k], ['HGET', k, 'zz'], ['HGET', 'nokey', 'a'], ['HMGET', k, 'a', 'zz'], ['HRANDFIELD', 'nokey'],
      ['HRANDFIELD', 'nokey', '2'], ['HRANDFIELD', k, '2'], ['HRANDFIELD', k, '5', 'WITHVALUES'],
      ['HRANDFIELD', k, '0', 'WITHVALUES'], ['HSCAN', k, '0'], ['HSCAN', 'nokey', '0'], ['HINCRBYFLOAT', k, 'f', '1.5'],
    ]);
    c.close();
  });
});

describe('encodings', () => {
  it('listpack -> hashtable past 512 entries by default, never back', async () => {
    const [k] = keys('k');
    const pairs = Array.from({ length: 512 }, (_, i) => ['f' + i, String(i)]).flat();
    await checkAllBytes(pair.main, [
      ['HSET', k, ...pairs], ['OBJECT', 'ENCODING', k], ['HLEN', k], ['HGETALL', k], ['HSET', k, 'f0', 'again'],
      ['OBJECT', 'ENCODING', k], ['HSET', k, 'extra', '1'], ['OBJECT', 'ENCODING', k], ['HDEL', k, 'extra', 'f1', 'f2'],
      ['OBJECT', 'ENCODING', k], ['HLEN', k],
    ]);
    await checkUnorderedPairs(pair.main, 'HGETALL', k);
  });

  it('a field or value over 64 bytes converts, from any writing command', async () => {
    const [a, b, c, d, e, f] = keys('a', 'b', 'c', 'd', 'e', 'f');
    const v64 = 'v'.repeat(64), v65 = 'v'.repeat(65);
    await checkAllBytes(pair.main, [
      ['HSET', a, 'f', v64], ['OBJECT', 'ENCODING', a], ['HSET', a, 'f', v65], ['OBJECT', 'ENCODING', a],
      ['HSET', b, v64, 'x'], ['OBJECT', 'ENCODING', b], ['HSET', b, v65, 'x'], ['OBJECT', 'ENCODING', b],
      ['HSET', c, 'f', 'x'], ['HSETNX', c, 'f', v65], ['OBJECT', 'ENCODING', c], ['HSETNX', c, 'g', v65], ['OBJECT', 'ENCODING', c],
      ['HMSET', d, 'f', 'x', 'g', v65], ['OBJECT', 'ENCODING', d], ['HSET', e, v65, '1'], ['HDEL', e, v65], ['EXISTS', e],
      ['HINCRBY', f, v65, '1'], ['OBJECT', 'ENCODING', f], ['DEL', f], ['HINCRBYFLOAT', f, v65, '1.5'], ['OBJECT', 'ENCODING', f],
    ]);
  });

  it('follows CONFIG SET at and across both thresholds', async () => {
    const [k, v, n] = keys('k', 'v', 'n');
    try {
      for (const limit of ['0', '1', '2', '5']) {
        const cmds: string[][] = [['CONFIG', 'SET', 'hash-max-listpack-entries', limit], ['DEL', k]];
        for (let i = 0; i <= Number(limit) + 1; i++) cmds.push(['HSET', k, 'f' + i, 'v'], ['OBJECT', 'ENCODING', k]);
        cmds.push(['HSETNX', 'nx' + limit, 'f', 'v'], ['OBJECT', 'ENCODING', 'nx' + limit], ['DEL', 'nx' + limit]);
        await checkAllBytes(pair.main, cmds);
      }
      await pair.both('CONFIG', 'SET', 'hash-max-listpack-entries', '512');
      for (const limit of ['0', '1', '3', '10']) {
        const L = Number(limit);
        await checkAllBytes(pair.main, [
          ['CONFIG', 'SET', 'hash-max-listpack-value', limit], ['DEL', v, n],
          ['HSET', v, 'f', 'x'.repeat(L)], ['OBJECT', 'ENCODING', v], ['HSET', v, 'f', 'x'.repeat(L + 1)], ['OBJECT', 'ENCODING', v],
          ['HSET', n, 'n', '9'], ['OBJECT', 'ENCODING', n], ['HINCRBY', n, 'n', '1'], ['OBJECT', 'ENCODING', n],
          ['HINCRBYFLOAT', n, 'n', '0.5'], ['OBJECT', 'ENCODING', n], ['HGET', n, 'n'],
        ]);
      }
      await checkAllBytes(pair.main, [['CONFIG', 'SET', 'hash-max-ziplist-entries', '3'], ['CONFIG', 'GET', 'hash-max-listpack-entries'],
        ['CONFIG', 'SET', 'hash-max-listpack-value', '64kb'], ['CONFIG', 'GET', 'hash-max-listpack-value']]);
    } finally {
      await pair.both('CONFIG', 'SET', 'hash-max-listpack-entries', '512');
      await pair.both('CONFIG', 'SET', 'hash-max-listpack-value', '64');
    }
  });
});

describe('HINCRBY', () => {
  it('integers, errors and overflow, exact beyond 2^53', async () => {
    const [k] = keys('k');
    await checkAllBytes(pair.main, [
      ['HINCRBY', k, 'n', '5'], ['HINCRBY', k, 'n', '-7'], ['HGET', k, 'n'], ['HINCRBY', k, 'n', '0'],
      ['HINCRBY', k, 'n', 'x'], ['HINCRBY', k, 'n', '1.5'], ['HINCRBY', k, 'n', ''], ['HINCRBY', k, 'n', ' 1'],
      ['HINCRBY', k, 'n', '9223372036854775808'], ['HINCRBY', k, 'n', '01'],
      ['HSET', k, 'big', '9007199254740992'], ['HINCRBY', k, 'big', '1'], ['HINCRBY', k, 'big', '1'],
      ['HSET', k, 'max', '9223372036854775806'], ['HINCRBY', k, 'max', '1'], ['HINCRBY', k, 'max', '1'], ['HGET', k, 'max'],
      ['HINCRBY', k, 'max', '-9223372036854775808'], ['HINCRBY', k, 'min', '-9223372036854775808'], ['HINCRBY', k, 'min', '-1'],
      ['HINCRBY', k, 'min', '9223372036854775807'], ['HGET', k, 'min'],
      ...['abc', '1.0', ' 1', '01', '', '1e3', '9223372036854775808'].flatMap((v) => [['HSET', k, 's', v], ['HINCRBY', k, 's', '1']]),
      ['HINCRBY', 'nokey:h', 'f', '3'], ['HGETALL', 'nokey:h'], ['DEL', 'nokey:h'],
    ]);
  });
});

describe('HINCRBYFLOAT', () => {
  const INCREMENTS = ['0.1', '0.2', '1.1', '2.2', '-3.3', '10.5', '1e-20', '3.0e3', '1E5', '.5', '5.', '-.5', '+1.5',
    '0x1p-3', '0X10', '1e308', '-1e308', '1.7976931348623157e308', '1e4000', '-1e4000', '4.9e-324', '1e-4940',
    '123456789012345678901234567890', '9007199254740993', '0.000003814697265625', '2.5e-17', '1.5e-17', '0.5e-17',
    '1', '-1', '0', '-0', '3', '1e20', '1e21', '12345.6789e-3'];

  it('matches Redis digit for digit (80-bit long double, "%.17Lf")', async () => {
    const [k] = keys('k');
    const cmds: string[][] = [];
    for (const a of INCREMENTS) {
      cmds.push(['HINCRBYFLOAT', k, 'x:' + a, a]);
      for (const b of ['0.1', '-0.3', '1e-10', '3', '1e4000', '-1e-4940']) cmds.push(['HINCRBYFLOAT', k, 'x:' + a, b]);
    }
    await checkAllBytes(pair.main, cmds);
  });

  it('accumulates like Redis over many steps', async () => {
    const [k] = keys('k');
    const rng = new SeededRandom(77);
    const cmds: string[][] = [];
    for (let i = 0; i < 300; i++) {
      const mant = (rng.below(2000000) - 1000000) / Math.pow(10, rng.below(8));
      const inc = rng.below(5) === 0 ? `${mant}e${rng.below(40) - 20}` : String(mant);
      cmds.push(['HINCRBYFLOAT', k, 'acc' + (i % 3), inc]);
    }
    cmds.push(['HGETALL', k]);
    await checkAllBytes(pair.main, cmds);
  });

  it('errors: not a float, NaN/Infinity, stored value not a float, overflow', async () => {
    const [k] = keys('k');
    await checkAllBytes(pair.main, [
      ...['x', '', ' 1', '1 ', '1e', 'nan', 'NaN', '-nan', 'inf', '-inf', 'Infinity', '+inf', '1e5000', '-1e5000',
        '1e-5000', '0x', '1..2', '1,5', '1e+', '0x1p', 'infinity1', '1'.repeat(5119), '1'.repeat(5120)].map((v) => ['HINCRBYFLOAT', k, 'f', v]),
      ['EXISTS', k],
      ...['abc', '', ' 1', '1e5000', 'nan', '0x1p3', '1.5', 'inf', '-inf', '1'.repeat(5120), '1'.repeat(400)]
        .flatMap((v) => [['HSET', k, 's', v], ['HINCRBYFLOAT', k, 's', '1']]),
      ['HSET', k, 'big', '1.1e4932'], ['HINCRBYFLOAT', k, 'big', '1e4932'], ['HINCRBYFLOAT', k, 'big', '-1e4932'],
      ['HINCRBYFLOAT', k, 'big', '0'], ['HSET', k, 'i', '9223372036854775807'], ['HINCRBYFLOAT', k, 'i', '1'],
      ['HINCRBYFLOAT', k, 'i', '0.5'],
    ]);
  });
});

describe('HRANDFIELD', () => {
  it('argument errors and edge counts', async () => {
    const [k] = keys('k');
    await checkAllBytes(pair.main, [
      ['HSET', k, 'a', '1', 'b', '2', 'c', '3'],
      ['HRANDFIELD', k, 'x'], ['HRANDFIELD', k, '1.5'], ['HRANDFIELD', k, '1', 'WITHVALUE'], ['HRANDFIELD', k, '1', 'WITHVALUES', 'x'],
      ['HRANDFIELD', k, '-9223372036854775808'], ['HRANDFIELD', k, '9223372036854775808'],
      ['HRANDFIELD', k, '4611686018427387904', 'WITHVALUES'], ['HRANDFIELD', k, '-4611686018427387904', 'WITHVALUES'],
      ['HRANDFIELD', k, '0'], ['HRANDFIELD', k, '0', 'withvalues'], ['HRANDFIELD', k, '3'], ['HRANDFIELD', k, '3', 'WITHVALUES'],
      ['HRANDFIELD', k, '9223372036854775807'], ['HRANDFIELD', k, '4611686018427387903', 'WithValues'],
      ['HRANDFIELD', 'nokey'], ['HRANDFIELD', 'nokey', '3'], ['HRANDFIELD', 'nokey', '-3', 'WITHVALUES'],
      ['HRANDFIELD', 'nokey', 'x'],
      // The option is compared as a C string: it ends at a NUL byte.
      ['HRANDFIELD', k, '3', 'WITHVALUES\0x'], ['HRANDFIELD', k, '3', 'WITHVALUE\0S'],
    ]);
  });

  /** Checks one HRANDFIELD reply against the hash's pairs in their HGETALL order. */
  function judgePick(reply: Buffer, proto: 2 | 3, count: number | null, withValues: boolean,
    order: [string, string][], listpack: boolean, where: string): void {
    const v = parseResp(reply);
    const value = new Map(order);
    if (count === null) {
      expect(value.has(text(v)), where).toBe(true);
      return;
    }
    let picks: [string, string | null][];
    if (withValues && proto === 3) picks = items(v).map((p) => texts(p) as [string, string]);
    else if (withValues) picks = textPairs(v);
    else picks = texts(v).map((f) => [f, null]);
    const size = order.length;
    expect(picks.length, where).toBe(count < 0 ? -count : Math.min(count, size));
    for (const [f, val] of picks) {
      expect(value.has(f), where).toBe(true);
      if (withValues) expect(val, where).toBe(value.get(f));
    }
    if (count > 0) {
      expect(new Set(picks.map((p) => p[0])).size, where).toBe(picks.length);
      const positions = picks.map((p) => order.findIndex((o) => o[0] === p[0]));
      if (count >= size && listpack) expect(positions, where).toEqual(order.map((_, i) => i));
      // The one-pass unique sampling keeps listpack order.
      else if (listpack && count > 1 && count * 3 <= size) expect(positions, where).toEqual([...positions].sort((a, b) => a - b));
    }
  }

  it('every count case, both encodings, RESP2 and RESP3, checked on both servers', async () => {
    for (const proto of [2, 3] as const) {
      const c = await pair.connect();
      await c.both('HELLO', String(proto));
      for (const n of [1, 2, 10, 40, 600]) {
        const [k] = keys('k');
        const pairs = Array.from({ length: n }, (_, i) => ['field' + i, i % 3 === 0 ? String(i) : 'val' + i]);
        await c.checkAll([['HSET', k, ...pairs.flat()], ['HLEN', k]]);
        const listpack = n <= 512;
        const order = texts(parseResp(await c.real.call('HKEYS', k))).map((f) => [f, pairs.find((p) => p[0] === f)![1]] as [string, string]);
        const counts = [null, 1, 2, 3, Math.floor(n / 3), Math.floor(n / 3) + 1, n - 1, n, n + 1, -1, -2, -n, -3 * n];
        for (const count of counts) {
          if (count === 0) continue;
          for (const withValues of count === null ? [false] : [false, true]) {
            const cmd = ['HRANDFIELD', k, ...(count === null ? [] : [String(count)]), ...(withValues ? ['WITHVALUES'] : [])];
            const [r, e] = await c.both(...cmd);
            const where = `RESP${proto} n=${n} ${cmd.join(' ')}`;
            expect(wireType(parseResp(e)), where).toBe(wireType(parseResp(r)));
            judgePick(r, proto, count, withValues, order, listpack, 'real ' + where);
            judgePick(e, proto, count, withValues, order, listpack, 'engine ' + where);
            // The whole of a listpack comes back in its order: byte-identical.
            if (listpack && count !== null && count >= n) expect(show(e), where).toBe(show(r));
          }
        }
      }
      c.close();
    }
  });
});

describe('HSCAN', () => {
  it('listpack hashes come back whole in order; errors match', async () => {
    const [k] = keys('k');
    await checkAllBytes(pair.main, [
      ['HSET', k, 'b', '1', 'a', '2', 'ab', '3', 'c', '44'],
      ['HSCAN', k, '0'], ['HSCAN', k, '0', 'COUNT', '1'], ['HSCAN', k, '0', 'MATCH', 'a*'], ['HSCAN', k, '0', 'MATCH', '4*'],
      ['HSCAN', k, '7'], ['HSCAN', k, 'x'], ['HSCAN', k, '-1'], ['HSCAN', k, '0', 'COUNT', '0'], ['HSCAN', k, '0', 'COUNT', 'x'],
      ['HSCAN', k, '0', 'MATCH'], ['HSCAN', k, '0', 'BOGUS', '1'], ['HSCAN', k, '0', 'TYPE', 'hash'], ['HSCAN', 'nokey', '0'],
    ]);
  });

  it('a full iteration of a hashtable hash returns every pair', async () => {
    const [k] = keys('k');
    const pairs = Array.from({ length: 800 }, (_, i) => ['f' + i, 'v' + i]).flat();
    await checkAllBytes(pair.main, [['HSET', k, ...pairs], ['OBJECT', 'ENCODING', k]]);
    for (const [client, label] of [[pair.main.real, 'real'], [pair.main.engine, 'engine']] as const) {
      const seen = new Map<string, string>();
      let cursor = '0';
      let calls = 0;
      do {
        const [cur, batch] = items(parseResp(await client.call('HSCAN', k, cursor, 'COUNT', '25')));
        cursor = text(cur);
        const flat = texts(batch);
        for (let i = 0; i < flat.length; i += 2) seen.set(flat[i], flat[i + 1]);
        calls++;
      } while (cursor !== '0' && calls < 10000);
      expect(seen.size, label).toBe(800);
      expect(seen.get('f123'), label).toBe('v123');
    }
    await checkUnorderedPairs(pair.main, 'HGETALL', k);
    await checkUnordered(pair.main, 'HKEYS', k);
    await checkUnordered(pair.main, 'HVALS', k);
  });
});

// --- seeded random stream ---------------------------------------------------------------------

const FIELDS = ['f0', 'f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7', '1', '2', '-5', '', 'x'.repeat(70), '\x00\xff', 'n', 'fl'];
const VALUES = ['0', '1', '-1', '42', '9223372036854775807', '-9223372036854775808', '1.5', '0.1', '-2.25', '1e3',
  'abc', '', 'v'.repeat(65), 'v'.repeat(64), ' 7', '007', '3.0', '\x00'];
const HASH_KEYS = ['h1', 'h2', 'h3', 'h4'];

type Judge = 'exact' | 'pairs' | 'unordered' | 'afterEncoding' | 'afterEncodingPairs' | 'pick';
interface Step { cmd: (string | Buffer)[]; judge: Judge; count?: number | null; withValues?: boolean }

function generateHashStream(seed: number, n: number): Step[] {
  const rng = new SeededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[rng.below(xs.length)];
  const anyKey = () => (rng.below(12) === 0 ? pick(['nokey', 'str', 'set']) : pick(HASH_KEYS));
  const out: Step[] = [{ cmd: ['SET', 'str', 'v'], judge: 'exact' }, { cmd: ['SADD', 'set', 'm'], judge: 'exact' }];
  const fieldList = (max: number) => Array.from({ length: 1 + rng.below(max) }, () => pick(FIELDS));
  const pairList = (max: number) => Array.from({ length: 1 + rng.below(max) }, () => [pick(FIELDS), pick(VALUES)]).flat();
  const manyPairs = () => Array.from({ length: 1 + rng.below(12) }, () => ['g' + rng.below(30), String(rng.below(100))]).flat();
  while (out.length < n) {
    const r = rng.below(100);
    const k = anyKey();
    if (r < 18) out.push({ cmd: [pick(['HSET', 'HSET', 'HMSET']), k, ...(rng.below(4) === 0 ? manyPairs() : pairList(3))], judge: 'exact' });
    else if (r < 22) out.push({ cmd: ['HSETNX', k, pick(FIELDS), pick(VALUES)], judge: 'exact' });
    else if (r < 28) out.push({ cmd: ['HGET', k, pick(FIELDS)], judge: 'exact' });
    else if (r < 31) out.push({ cmd: ['HMGET', k, ...fieldList(4)], judge: 'exact' });
    else if (r < 38) out.push({ cmd: ['HDEL', k, ...fieldList(3)], judge: 'exact' });
    else if (r < 41) out.push({ cmd: [pick(['HLEN', 'HSTRLEN', 'HEXISTS']), k, pick(FIELDS)].slice(0, 2 + Number(rng.below(2) === 0)), judge: 'exact' });
    else if (r < 49) {
      const which = pick(['HGETALL', 'HKEYS', 'HVALS']);
      out.push({ cmd: ['OBJECT', 'ENCODING', k], judge: 'exact' },
        { cmd: [which, k], judge: which === 'HGETALL' ? 'afterEncodingPairs' : 'afterEncoding' });
    } else if (r < 57) out.push({ cmd: ['HINCRBY', k, pick(FIELDS), pick(['1', '-1', '100', '9223372036854775807', '-9223372036854775808', 'x', '0'])], judge: 'exact' });
    else if (r < 66) out.push({ cmd: ['HINCRBYFLOAT', k, pick(FIELDS), pick(['0.1', '-0.2', '1.5', '1e3', '3', '-1e-5', '1e308', 'x', '5e-324', '1e4000'])], judge: 'exact' });
    else if (r < 78) {
      const count = pick([null, 1, 2, 3, 5, 8, 20, 100, -1, -4, -30]);
      const withValues = count !== null && rng.below(2) === 0;
      out.push({ cmd: ['OBJECT', 'ENCODING', k], judge: 'exact' }, { cmd: ['HGETALL', k], judge: 'afterEncodingPairs' },
        { cmd: ['HRANDFIELD', k, ...(count === null ? [] : [String(count)]), ...(withValues ? ['WITHVALUES'] : [])], judge: 'pick', count, withValues });
    } else if (r < 84) out.push({ cmd: ['HSCAN', k, '0', 'COUNT', '100000', ...(rng.below(2) ? ['MATCH', pick(['f*', '*1*', '?'])] : [])], judge: 'pairs' });
    else if (r < 92) out.push({ cmd: ['OBJECT', 'ENCODING', k], judge: 'exact' });
    else if (r < 94) out.push({ cmd: ['DEL', pick(HASH_KEYS)], judge: 'exact' });
    else if (r < 96) out.push({ cmd: ['TYPE', k], judge: 'exact' });
    else out.push({ cmd: ['HSTRLEN', k, pick(FIELDS)], judge: 'exact' });
  }
  return out;
}

async function runHashStream(p: ClientPair, seed: number, n: number, proto: 2 | 3): Promise<void> {
  const stream = generateHashStream(seed, n);
  let lastEncoding = '';
  let lastPairs: [string, string][] = [];
  const batch = 200;
  for (let i = 0; i < stream.length; i += batch) {
    const chunk = stream.slice(i, i + batch);
    const cmds = chunk.map((s) => wire(s.cmd));
    const [rs, es] = await Promise.all([p.real.pipeline(cmds), p.engine.pipeline(cmds)]);
    for (let j = 0; j < chunk.length; j++) {
      const step = chunk[j];
      const r = rs[j], e = es[j];
      const where = `#${i + j} ${describeCommand(cmds[j])} (after: ${stream.slice(Math.max(0, i + j - 4), i + j).map((x) => describeCommand(x.cmd)).join(' ; ')})`;
      let mode: Judge = step.judge;
      if (r[0] === 0x2d || e[0] === 0x2d) mode = 'exact';
      const compact = lastEncoding.includes('listpack');
      if (mode === 'afterEncoding') mode = compact ? 'exact' : 'unordered';
      if (mode === 'afterEncodingPairs') mode = compact ? 'exact' : 'pairs';
      if (mode === 'exact') expect(show(e), where).toBe(show(r));
      else if (mode === 'unordered') expect(unordered(parseResp(e)), where).toBe(unordered(parseResp(r)));
      else if (mode === 'pairs') expect(unorderedPairs(parseResp(e)), where).toBe(unorderedPairs(parseResp(r)));
      else {
        // HRANDFIELD: valid picks from the hash seen just before, with the listpack orderings.
        for (const [side, reply] of [['real', r], ['engine', e]] as const) {
          const v = parseResp(reply);
          const value = new Map(lastPairs);
          if (step.count === null) {
            if (v.t === 'bulk') expect(value.has(v.v), `${side} ${where}`).toBe(true);
            else expect(show(e), where).toBe(show(r));
            continue;
          }
          const count = step.count!;
          let picks: [string, string | null][];
          if (step.withValues && proto === 3) picks = items(v).map((x) => texts(x) as [string, string]);
          else if (step.withValues) picks = textPairs(v);
          else picks = texts(v).map((f) => [f, null]);
          const size = lastPairs.length;
          expect(picks.length, `${side} ${where}`).toBe(size === 0 ? 0 : count < 0 ? -count : Math.min(count, size));
          for (const [f, val] of picks) {
            expect(value.has(f), `${side} ${where}`).toBe(true);
            if (step.withValues) expect(val, `${side} ${where}`).toBe(value.get(f));
          }
          if (count > 0) {
            expect(new Set(picks.map((x) => x[0])).size, `${side} ${where}`).toBe(picks.length);
            const pos = picks.map((x) => lastPairs.findIndex((o) => o[0] === x[0]));
            if (compact && count >= size) expect(pos, `${side} ${where}`).toEqual(lastPairs.map((_, q) => q));
            else if (compact && count > 1 && count * 3 <= size) expect(pos, `${side} ${where}`).toEqual([...pos].sort((a, b) => a - b));
          }
        }
      }
      if (step.cmd[0] === 'OBJECT') lastEncoding = r.toString('latin1');
      // The hash's pairs in its listpack order, as HGETALL showed it.
      if (step.cmd[0] === 'HGETALL' && r[0] !== 0x2d) lastPairs = textPairs(parseResp(r));
    }
  }
}

describe('seeded random streams', () => {
  it('default thresholds, RESP2', async () => {
    await pair.main.both('DEL', ...HASH_KEYS, 'str', 'set');
    await runHashStream(pair.main, 42, 4000, 2);
  });

  it('default thresholds, RESP3', async () => {
    const c = await pair.connect();
    await c.both('HELLO', '3');
    await c.both('DEL', ...HASH_KEYS, 'str', 'set');
    await runHashStream(c, 9, 3000, 3);
    c.close();
  });
});

describe('small listpack thresholds (server started with entries 6, value 8)', () => {
  let small: DifferentialPair;
  beforeAll(async () => {
    small = await DifferentialPair.start({ 'hash-max-listpack-entries': '6', 'hash-max-listpack-value': '8' });
  });
  afterAll(async () => { await small?.stop(); });

  it('random stream crossing both thresholds often', async () => {
    await runHashStream(small.main, 1234, 4000, 2);
  });
});
