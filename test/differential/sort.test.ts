// SORT and SORT_RO against real Redis 7.0.15: every option and error, numeric parsing edge cases,
// ALPHA byte order, BY/GET patterns, STORE with its events, sorted-set and set special cases, big
// inputs (including the partial quicksort used by BY + LIMIT), then a seeded random stream.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { SeededRandom } from '../../src/engine/sim/random.ts';
import { expectSameSideEffects } from './sideEffects.ts';
import {
  DifferentialPair, checkAllBytes, checkRandomStream, checkUnordered, uniqueKeys, wire, type ClientPair, type Command,
} from './harness.ts';

let pair: DifferentialPair;

beforeAll(async () => { pair = await DifferentialPair.start(); });
afterAll(async () => { await pair?.stop(); });

const keys = uniqueKeys('sort:');

/** Runs commands (byte strings allowed) on both sides, pipelined, comparing every reply. */
const run = (commands: Command[]) => checkAllBytes(pair.main, commands);

/**
 * SORT leaves errno set after an over/underflowing weight and Redis does not clear it before the
 * next strtod(): accepting a connection does. Tests that make ERANGE happen end with this.
 */
async function resetErrno(): Promise<void> {
  const p = await pair.connect();
  await p.check('PING');
  p.close();
}

describe('syntax and errors', () => {
  it('rejects bad options, incomplete LIMIT/BY/GET/STORE and STORE in SORT_RO', async () => {
    const [l, s, h] = keys('l', 's', 'h');
    await run([
      ['RPUSH', l, '3', '1', '2'], ['SET', s, 'x'], ['HSET', h, 'f', 'v'],
      ['SORT'], ['SORT_RO'], ['SORT', l, 'FOO'], ['SORT', l, 'LIMIT'], ['SORT', l, 'LIMIT', '1'],
      ['SORT', l, 'LIMIT', 'a', 'b'], ['SORT', l, 'LIMIT', '1', 'b'], ['SORT', l, 'LIMIT', '1.5', '2'],
      ['SORT', l, 'LIMIT', '0', '99999999999999999999'], ['SORT', l, 'LIMIT', '9223372036854775808', '1'],
      ['SORT', l, 'LIMIT', ' 1', '1'], ['SORT', l, 'LIMIT', '01', '1'], ['SORT', l, 'LIMIT', '-0', '1'],
      ['SORT', l, 'BY'], ['SORT', l, 'GET'], ['SORT', l, 'STORE'], ['SORT', l, 'ASC', 'STORE'],
      ['SORT_RO', l, 'STORE', 'dst'], ['SORT_RO', l, 'store', 'dst'], ['SORT_RO', l, 'ALPHA', 'BY', 'x', 'STORE', 'd'],
      ['SORT', l, 'ALPHA', 'DESC', 'bogus'], ['SORT', l, 'LIMIT', '0', '1', '2'],
      // Option errors come before the key's type is looked at.
      ['SORT', s, 'FOO'], ['SORT', s, 'LIMIT', 'x', '1'], ['SORT', s], ['SORT_RO', s], ['SORT', h], ['SORT', h, 'ALPHA'],
      ['SORT', s, 'STORE', l], ['LRANGE', l, '0', '-1'],
      // strcasecmp stops at a NUL byte.
      ['SORT', l, 'desc\x00junk'], ['SORT', l, 'limit\x00', '0', '1'], ['SORT', l, 'DeSc'], ['sort', l, 'alpha', 'Desc'],
      ['SORT', l, 'limit', '-5', '-5'],
    ]);
  });

  it('sorts a missing key as an empty list', async () => {
    const [m, d, d2] = keys('missing', 'dst', 'dst2');
    await run([
      ['SORT', m], ['SORT_RO', m], ['SORT', m, 'ALPHA', 'DESC', 'LIMIT', '0', '10'], ['SORT', m, 'BY', 'nosort'],
      ['SORT', m, 'GET', '#', 'GET', 'x*'], ['SET', d, 'v'], ['SORT', m, 'STORE', d], ['EXISTS', d],
      ['SORT', m, 'STORE', d2], ['EXISTS', d2], ['SORT', m, 'BY', 'w*', 'LIMIT', '1', '1'],
    ]);
  });
});

describe('numeric sort', () => {
  it('sorts lists, sets and sorted sets by value, ASC and DESC', async () => {
    const [l, s, hs, z] = keys('l', 's', 'hs', 'z');
    await run([
      ['RPUSH', l, '10', '2', '-3', '2', '1.5', '0', '-0', '100', '007', '3e2', '-1.25'],
      ['SORT', l], ['SORT', l, 'DESC'], ['SORT', l, 'ASC'], ['SORT', l, 'DESC', 'ASC'], ['SORT', l, 'ASC', 'DESC'],
      ['SORT_RO', l], ['SORT_RO', l, 'DESC'],
      ['SADD', s, '5', '3', '-7', '12', '0'], ['OBJECT', 'ENCODING', s], ['SORT', s], ['SORT', s, 'DESC'],
      ['SADD', hs, '5', '3.5', '-7', '12', '0', '1e1', '10'], ['OBJECT', 'ENCODING', hs], ['SORT', hs], ['SORT', hs, 'DESC'],
      ['ZADD', z, '1', '30', '2', '4', '3', '-1', '4', '2.5'], ['SORT', z], ['SORT', z, 'DESC'],
    ]);
  });

  it('breaks ties between equal weights by the elements, bytewise', async () => {
    const [l] = keys('l');
    await run([
      ['RPUSH', l, '1.0', '1', '01', '1e0', '+1', ' 1', '0x1', '1.', '10e-1', '-0', '0', '0.0', '-0.0'],
      ['SORT', l], ['SORT', l, 'DESC'], ['SORT', l, 'LIMIT', '2', '5'], ['SORT', l, 'DESC', 'LIMIT', '0', '3'],
    ]);
  });

  it('parses weights like strtod: spaces, hex, inf, empty, NUL, junk', async () => {
    const ok = ['  1', '\t\n\v\f\r2', '0x10', '0X1P3', '0x.8', '0x1.8p1', '+.5e+1', '5.', '.5', 'inf', '-inf', '+INF',
      'Infinity', '-infinity', '1e308', '-1e308', '1.7976931348623157e308', '', '1\x00abc', '0e-400', '0x0p-2000',
      '2.2250738585072014e-308', '0x1p-1074', '0x1p-1022', '9223372036854775807', '9223372036854775808',
      '-9223372036854775809', '123456789012345678901234567890', '0.000001', '1e-300', '4.5e15', '9007199254740993',
      '1e0000000000000000000000000000005', '0x1P+3', '0x10p-4', '-0x.1p4', '00000.5e-0',
      // Just under the smallest normal double, rounding up to it: not tiny after rounding, so no ERANGE.
      '0x7fffffffffffffp-1077', '0x7ffffffffffffep-1077',
      '2.2250738585072013213320269871765860421481168719346602849208520900966088816157078832698447502364170374'];
    const bad = ['1abc', '1 ', ' ', '.', '-', '+', '0x', '0x.', '1e', '1e+', '0x1p', 'nan', '-nan', 'NaN(123)', 'infin',
      'inf ', 'abc', '1,5', '1_000', '\x001', '0b1', '\xa01'];
    const cmds: Command[] = [];
    for (const v of [...ok, ...bad]) {
      const [l, s, w, by] = keys('l', 's', 'w', 'by');
      cmds.push(['RPUSH', l, v, '3', '-1'], ['SORT', l], ['SORT', l, 'DESC'], ['SADD', s, v, '7'], ['SORT', s]);
      // The same text as a weight: a string value and a hash field.
      cmds.push(['RPUSH', by, 'a', 'b', 'c'], ['SET', `${w}a`, v], ['SET', `${w}b`, '2'], ['HSET', `${w}h:c`, 'f', v],
        ['SORT', by, 'BY', `${w}*`], ['SORT', by, 'BY', `${w}h:*->f`], ['SORT', by, 'BY', `${w}*`, 'DESC', 'GET', '#', 'GET', `${w}*`]);
    }
    await run(cmds);
  });

  it('refuses out-of-range weights, and the errno they leave sticks until a new connection', async () => {
    const [l, good, ints, by] = keys('l', 'good', 'ints', 'by');
    await run([['RPUSH', good, '1.5', '0.5', '2.5'], ['RPUSH', ints, '3', '1', '2'], ['SORT', good]]);
    for (const v of ['1e400', '-1e400', '1.7976931348623159e308', '0x1.fffffffffffff8p1023', '1e-310', '-1e-310',
      '4.9e-324', '1e-400', '2.2250738585072011e-308', '0x1.8p-1074', '0x1p-1080', '1e-99999999',
      '0.' + '0'.repeat(330) + '1', '1' + '0'.repeat(400), '0x7ffffffffffffdp-1077',
      '2.2250738585072011978156155268649499980059186548793171936559014365154177']) {
      await run([
        ['DEL', l], ['RPUSH', l, v, '1'], ['SORT', l], ['SORT', l, 'ALPHA'],
        // errno is still ERANGE: strings fail, int-encoded list elements do not look at it.
        ['SORT', good], ['SORT', ints], ['SORT', good, 'ALPHA'],
      ]);
      await resetErrno();
      await run([['SORT', good], ['SORT', ints]]);
    }
    // Through BY: an int-encoded string key and a listpack hash integer skip strtod.
    await run([
      ['RPUSH', by, 'a', 'b'], ['SET', 'sortw:a', '1e999'], ['SET', 'sortw:b', '5'], ['SORT', by, 'BY', 'sortw:*'],
      ['SET', 'sortw:a', '7'], ['SORT', by, 'BY', 'sortw:*'], ['SET', 'sortw:a', '7.5'], ['SORT', by, 'BY', 'sortw:*'],
      ['HSET', 'sorth:a', 'f', '1'], ['HSET', 'sorth:b', 'f', '2'], ['SORT', by, 'BY', 'sorth:*->f'],
      ['HSET', 'sorth:b', 'f', '2.5'], ['SORT', by, 'BY', 'sorth:*->f'],
    ]);
    await resetErrno();
    await run([['SORT', by, 'BY', 'sortw:*'], ['SORT', by, 'BY', 'sorth:*->f'], ['DEL', 'sortw:a', 'sortw:b', 'sorth:a', 'sorth:b']]);
  });

  it('replies the error rather than storing when a weight is not a number', async () => {
    const [l, d] = keys('l', 'd');
    await run([
      ['RPUSH', l, '1', 'x', '2'], ['SET', d, 'keep'], ['SORT', l, 'STORE', d], ['GET', d],
      ['SORT', l, 'LIMIT', '0', '1'], ['SORT', l, 'BY', 'nosort'], ['SORT', l, 'ALPHA', 'STORE', d], ['LRANGE', d, '0', '-1'],
    ]);
  });
});

describe('ALPHA', () => {
  const values = ['b', 'a', '\xc3\xa9', '\xff', '\x80', 'A', 'Z', '\xc3', 'e', 'z', '_', '1', 'a\x00b', 'a\x00a', 'a',
    '\xe2\x82\xac', '\xed\xa0\x80', '', 'ab', 'a\x00', '\x00', '\x00\x00', 'B', '10', '9'];

  it('orders bytes like strcmp: C strings end at NUL and ties keep the list order', async () => {
    const [l, d] = keys('l', 'd');
    await run([
      ['RPUSH', l, ...values], ['SORT', l, 'ALPHA'], ['SORT', l, 'ALPHA', 'DESC'], ['SORT', l, 'ALPHA', 'LIMIT', '3', '10'],
      ['SORT_RO', l, 'ALPHA', 'DESC', 'LIMIT', '0', '5'],
      // With STORE the comparison is memcmp on the whole string.
      ['SORT', l, 'ALPHA', 'STORE', d], ['LRANGE', d, '0', '-1'], ['SORT', l, 'ALPHA', 'DESC', 'STORE', d], ['LRANGE', d, '0', '-1'],
    ]);
  });

  it('sorts sets and sorted sets by bytes', async () => {
    const [s, z, i] = keys('s', 'z', 'i');
    // Members equal as C strings would tie, and ties keep the hash table's order.
    const distinct = values.filter((v) => !v.includes('\x00'));
    await run([
      ['SADD', s, ...distinct], ['SORT', s, 'ALPHA'], ['SORT', s, 'ALPHA', 'DESC', 'LIMIT', '2', '4'],
      ['ZADD', z, ...distinct.flatMap((v, n) => [String(n % 4), v])], ['SORT', z, 'ALPHA'], ['SORT', z, 'ALPHA', 'DESC'],
      ['SADD', i, '10', '9', '-1', '100', '-20'], ['SORT', i, 'ALPHA'], ['SORT', i, 'ALPHA', 'DESC'],
    ]);
  });
});

describe('LIMIT', () => {
  const limits: [string, string][] = [['0', '0'], ['0', '1'], ['0', '-1'], ['0', '-100'], ['1', '3'], ['3', '100'], ['9', '1'],
    ['10', '1'], ['11', '5'], ['-1', '2'], ['-5', '-1'], ['5', '0'], ['2', '-2'], ['100', '-1'],
    ['9223372036854775807', '9223372036854775807'], ['-9223372036854775808', '9223372036854775807'],
    ['0', '-9223372036854775808'], ['4', '9223372036854775807'], ['9', '-1'], ['8', '2']];

  it('clamps every offset and count, for every type and every way of loading', async () => {
    const [l, s, z, hs] = keys('l', 's', 'z', 'hs');
    const cmds: Command[] = [
      ['RPUSH', l, '5', '3', '9', '1', '7', '2', '8', '4', '6', '0'], ['SADD', s, '5', '3', '9', '1', '7', '2', '8', '4', '6', '0'],
      ['ZADD', z, '1', 'e', '2', 'c', '3', 'i', '4', 'a', '5', 'g', '6', 'b', '7', 'h', '8', 'd', '9', 'f', '10', 'j'],
      ['SADD', hs, 'e', 'c', 'i', 'a', 'g', 'b', 'h', 'd', 'f', 'j'],
    ];
    for (const [off, cnt] of limits) {
      const lim = ['LIMIT', off, cnt];
      cmds.push(
        ['SORT', l, ...lim], ['SORT', l, 'DESC', ...lim], ['SORT', l, 'BY', 'nosort', ...lim], ['SORT', l, 'BY', 'nosort', 'DESC', ...lim],
        ['SORT', l, 'ALPHA', ...lim], ['SORT', s, ...lim], ['SORT', s, 'DESC', ...lim], ['SORT', z, 'ALPHA', ...lim],
        ['SORT', z, 'BY', 'nosort', ...lim], ['SORT', z, 'BY', 'nosort', 'DESC', ...lim], ['SORT', hs, 'ALPHA', 'DESC', ...lim],
        ['SORT', l, 'BY', 'sortlw:*', ...lim], ['SORT', l, 'BY', 'sortlw:*', 'GET', '#', ...lim],
        ['SORT', l, 'BY', 'nosort', 'STORE', 'sort:limdst', ...lim], ['LRANGE', 'sort:limdst', '0', '-1'],
        ['SORT', hs, 'BY', 'nosort', 'STORE', 'sort:limdst', ...lim], ['LRANGE', 'sort:limdst', '0', '-1'],
      );
    }
    for (let i = 0; i < 10; i++) cmds.splice(4, 0, ['SET', `sortlw:${i}`, String((i * 7) % 10)]);
    await run(cmds);
  });
});

describe('BY', () => {
  it('sorts by string keys and hash fields, missing weights counting as 0 (or first with ALPHA)', async () => {
    const [l] = keys('l');
    const w = (e: string) => `sortby:w:${e}`;
    const h = (e: string) => `sortby:h:${e}`;
    const els = ['a', 'b', 'c', 'd', 'e', 'f', 'g', '1', '2'];
    const cmds: Command[] = [['RPUSH', l, ...els]];
    els.forEach((e, i) => {
      if (i % 4 !== 3) cmds.push(['SET', w(e), String((i * 5) % 7 - 2)]);
      if (i % 3 !== 2) cmds.push(['HSET', h(e), 'n', String(10 - i), 's', ['x', 'y', 'x', 'z'][i % 4], 'x\x00y', String(i)]);
    });
    cmds.push(['SET', w('c'), '2.5'], ['LPUSH', w('zz'), 'x'], ['RPUSH', l, 'zz'], ['SET', h('zz'), 'str']);
    for (const extra of [[], ['DESC'], ['ALPHA'], ['ALPHA', 'DESC'], ['LIMIT', '2', '4'], ['ALPHA', 'LIMIT', '1', '5'],
      ['ALPHA', 'DESC', 'LIMIT', '0', '3']]) {
      cmds.push(
        ['SORT', l, 'BY', 'sortby:w:*', ...extra], ['SORT', l, 'BY', 'sortby:h:*->n', ...extra],
        ['SORT', l, 'BY', 'sortby:h:*->s', ...extra], ['SORT', l, 'BY', 'sortby:h:*->missing', ...extra],
        ['SORT', l, 'BY', 'sortby:h:*->x\x00y', ...extra], ['SORT', l, 'BY', 'sortby:nokey:*', ...extra],
        ['SORT', l, 'BY', 'sortby:w:*', 'GET', '#', 'GET', 'sortby:w:*', ...extra],
        ['SORT', l, 'BY', 'sortby:w:*', 'STORE', 'sort:bydst', ...extra], ['LRANGE', 'sort:bydst', '0', '-1'],
      );
    }
    await run(cmds);
  });

  it('treats a pattern without * as "do not sort", even when a real BY follows', async () => {
    const [l, z] = keys('l', 'z');
    await run([
      ['RPUSH', l, '3', '1', '2', 'x'], ['ZADD', z, '3', 'a', '1', 'b', '2', 'c'],
      ['SORT', l, 'BY', 'nosort'], ['SORT', l, 'BY', 'nosort', 'DESC'], ['SORT', l, 'BY', 'constant', 'ALPHA'],
      ['SORT', l, 'BY', '#'], ['SORT', l, 'BY', ''], ['SORT', l, 'BY', 'x\x00*'], ['SORT', l, 'BY', 'nosort', 'BY', 'w*'],
      ['SORT', l, 'BY', 'w*', 'BY', 'nosort', 'ALPHA'], ['SORT', l, 'BY', 'nosort', 'LIMIT', '1', '2', 'DESC'],
      ['SORT', z, 'BY', 'nosort'], ['SORT', z, 'BY', 'nosort', 'DESC'], ['SORT', z, 'BY', 'nosort', 'DESC', 'LIMIT', '1', '1'],
      ['SORT', z, 'BY', 'nosort', 'LIMIT', '1', '5'], ['SORT_RO', z, 'BY', 'nosort', 'GET', '#'],
    ]);
  });

  it('splits "key*->field" at the first -> after the *; a trailing -> is part of a key name', async () => {
    const [l] = keys('l');
    await run([
      ['RPUSH', l, 'a', 'b'], ['HSET', 'sortar-a', '>f', '2', 'f', '9'], ['HSET', 'sortar-b', '>f', '1', 'f', '0'],
      ['SET', 'sortara->', '5'], ['SET', 'sortarb->', '3'], ['HSET', 'sortar->a', 'f', '1'], ['HSET', 'sortar->b', 'f', '2'],
      ['HSET', 'sortx:a', 'y->z', '3'], ['HSET', 'sortx:b', 'y->z', '1'], ['HSET', 'sortx:a->y', 'z', '1'], ['HSET', 'sortx:b->y', 'z', '9'],
      ['SORT', l, 'BY', 'sortar*->'], ['SORT', l, 'BY', 'sortar-*->f'], ['SORT', l, 'BY', 'sortar->*->f'],
      ['SORT', l, 'BY', 'sortx:*->y->z'], ['SORT', l, 'BY', 'sortx:*->y->z', 'GET', 'sortx:*->y->z', 'GET', 'sortar->*->f'],
      ['SORT', l, 'BY', 'sortar*->\x00f'], ['SORT', l, 'GET', 'sortar*->', 'GET', 'sortar*->\x00f', 'GET', '*->f'],
      ['SORT', l, 'BY', 'sort**'], ['SORT', l, 'GET', '*'], ['SORT', l, 'GET', 'sortar->*->f', 'GET', 'sortar->*->'],
      ['DEL', 'sortar-a', 'sortar-b', 'sortara->', 'sortarb->', 'sortar->a', 'sortar->b', 'sortx:a', 'sortx:b', 'sortx:a->y', 'sortx:b->y'],
    ]);
  });

  it('ignores weights of the wrong type', async () => {
    const [l] = keys('l');
    await run([
      ['RPUSH', l, 'a', 'b', 'c'], ['SET', 'sortwt:a', '3'], ['RPUSH', 'sortwt:b', '1'], ['HSET', 'sortwt:c', 'f', '1'],
      ['SORT', l, 'BY', 'sortwt:*'], ['SORT', l, 'BY', 'sortwt:*->f'], ['SORT', l, 'BY', 'sortwt:*', 'ALPHA', 'DESC'],
      ['SORT', l, 'GET', 'sortwt:*', 'GET', 'sortwt:*->f'], ['DEL', 'sortwt:a', 'sortwt:b', 'sortwt:c'],
    ]);
  });

  it('sorts sets and sorted sets by weights (ties broken by element)', async () => {
    const [s, hs, z] = keys('s', 'hs', 'z');
    const cmds: Command[] = [['SADD', s, '1', '2', '3', '4', '5', '6'], ['SADD', hs, 'p', 'q', 'r', 's', 't', 'u'],
      ['ZADD', z, '1', 'p', '2', 'q', '3', 'r', '4', 's', '5', 't', '6', 'u']];
    for (const e of ['1', '2', '3', '4', 'p', 'q', 'r', 's']) cmds.push(['SET', `sortsw:${e}`, String(e.charCodeAt(0) % 3)]);
    for (const k of [s, hs, z]) {
      for (const extra of [[], ['DESC'], ['LIMIT', '1', '3'], ['DESC', 'LIMIT', '2', '2'], ['GET', '#', 'GET', 'sortsw:*']]) {
        cmds.push(['SORT', k, 'BY', 'sortsw:*', ...extra]);
      }
    }
    await run(cmds);
  });
});

describe('GET', () => {
  it('returns elements, string values, hash fields and nil for anything missing', async () => {
    const [l] = keys('l');
    await run([
      ['RPUSH', l, '3', '1', '2', 'x'], ['SET', 'sortg:1', 'one'], ['SET', 'sortg:3', '33'], ['HSET', 'sortgh:2', 'f', 'two', 'n', '22'],
      ['RPUSH', 'sortg:2', 'list'], ['SET', 'sortgh:3', 'str'],
      ['SORT', l, 'ALPHA', 'GET', '#'], ['SORT', l, 'ALPHA', 'GET', 'sortg:*'], ['SORT', l, 'ALPHA', 'GET', 'sortgh:*->f'],
      ['SORT', l, 'ALPHA', 'GET', 'sortgh:*->n', 'GET', '#', 'GET', 'sortg:*', 'GET', 'nostar', 'GET', 'sortgh:*->missing'],
      ['SORT', l, 'ALPHA', 'GET', '#\x00x'], ['SORT', l, 'ALPHA', 'GET', '##'], ['SORT', l, 'ALPHA', 'GET', ''],
      ['SORT', l, 'ALPHA', 'DESC', 'LIMIT', '1', '2', 'GET', '#', 'GET', 'sortg:*'],
      ['SORT', l, 'BY', 'nosort', 'GET', 'sortg:*', 'GET', 'sortg:*'],
      ['DEL', 'sortg:1', 'sortg:2', 'sortg:3', 'sortgh:2', 'sortgh:3'],
    ]);
  });

  it('replies RESP3 nulls for missing values', async () => {
    const [l] = keys('l');
    await pair.both('HELLO', '3');
    try {
      await run([['RPUSH', l, 'b', 'a'], ['SET', 'sortr3:a', 'A'], ['SORT', l, 'ALPHA', 'GET', 'sortr3:*', 'GET', '#'],
        ['SORT', l, 'ALPHA'], ['SORT', l, 'ALPHA', 'STORE', 'sortr3:d'], ['DEL', 'sortr3:a', 'sortr3:d']]);
    } finally {
      await pair.both('HELLO', '2');
    }
  });
});

describe('STORE', () => {
  it('stores a quicklist, replaces any type, drops the TTL and deletes the key for an empty result', async () => {
    const [l, d, m] = keys('l', 'd', 'm');
    await run([
      ['RPUSH', l, '3', '1', '2'], ['SORT', l, 'STORE', d], ['LRANGE', d, '0', '-1'], ['OBJECT', 'ENCODING', d], ['TYPE', d],
      ['SET', d, 'x', 'EX', '100'], ['SORT', l, 'DESC', 'STORE', d], ['TTL', d], ['LRANGE', d, '0', '-1'],
      ['HSET', d, 'f', 'v'], ['SORT', l, 'STORE', d, 'LIMIT', '1', '1'], ['LRANGE', d, '0', '-1'],
      ['SORT', l, 'LIMIT', '5', '1', 'STORE', d], ['EXISTS', d], ['SORT', l, 'LIMIT', '0', '0', 'STORE', d], ['EXISTS', d],
      ['SORT', m, 'STORE', d], ['EXISTS', d],
      // GET values are stored, a missing one as an empty string.
      ['SET', 'sortst:1', 'one'], ['SORT', l, 'GET', '#', 'GET', 'sortst:*', 'STORE', d], ['LRANGE', d, '0', '-1'], ['LLEN', d],
      // Storing into the sorted key itself.
      ['SORT', l, 'DESC', 'STORE', l], ['LRANGE', l, '0', '-1'], ['SORT', l, 'STORE', 'sortst:1'], ['LRANGE', 'sortst:1', '0', '-1'],
      ['DEL', 'sortst:1'],
    ]);
  });

  it('sorts a set by bytes when BY has no * and STORE is given', async () => {
    const [s, i, d] = keys('s', 'i', 'd');
    await run([
      ['SADD', s, 'b', '10', 'a', '9', 'c', '\xff', ''], ['SORT', s, 'BY', 'nosort', 'STORE', d], ['LRANGE', d, '0', '-1'],
      ['SORT', s, 'BY', 'nosort', 'DESC', 'LIMIT', '1', '3', 'STORE', d], ['LRANGE', d, '0', '-1'],
      ['SORT', s, 'BY', 'nosort', 'GET', '#', 'GET', 'x*', 'STORE', d], ['LRANGE', d, '0', '-1'],
      ['SADD', i, '10', '9', '-1', '100'], ['SORT', i, 'BY', 'nosort', 'STORE', d], ['LRANGE', d, '0', '-1'],
      ['SORT', i, 'BY', 'nosort'], ['SORT', i, 'BY', 'nosort', 'DESC', 'LIMIT', '1', '2'],
    ]);
    // Without STORE a hashtable set comes out in its own (hash) order.
    await checkUnordered(pair.main, 'SORT', s, 'BY', 'nosort');
  });

  it('keeps big results and long elements intact', async () => {
    const [l, d] = keys('l', 'd');
    const values = Array.from({ length: 3000 }, (_, i) => (i % 50 === 0 ? 'v'.repeat(9000 + i) : String((i * 7919) % 3001)));
    await run([['RPUSH', l, ...values], ['SORT', l, 'ALPHA', 'STORE', d], ['LLEN', d], ['LRANGE', d, '0', '-1'],
      ['SORT', l, 'ALPHA', 'DESC', 'LIMIT', '10', '2000'], ['SORT', l, 'BY', 'nosort', 'DESC', 'LIMIT', '2990', '20']]);
  });
});

// DEBUG OBJECT shows a list's node count and sizes: the STORE destination is created without the
// list settings (fill -2, no compression), and sorting a compressed list leaves it as it was.
describe('DEBUG OBJECT of stored lists', () => {
  let dbg: DifferentialPair;
  beforeAll(async () => { dbg = await DifferentialPair.start({ 'enable-debug-command': 'yes' }); });
  afterAll(async () => { await dbg?.stop(); });

  /** The reply without what differs by nature: the address and the LRU clock. */
  const normalize = (_c: Command, reply: Buffer) =>
    reply.toString('latin1').replace(/Value at:0x[0-9a-f]+/, 'Value at:?').replace(/lru:\d+ lru_seconds_idle:\d+/, 'lru:?');

  it('ignores list-max-listpack-size and list-compress-depth for the destination', async () => {
    const vals = Array.from({ length: 300 }, (_, i) => `value-${(i * 37) % 300}-`.repeat(5));
    await dbg.main.checkAll([['CONFIG', 'SET', 'list-max-listpack-size', '4'], ['CONFIG', 'SET', 'list-compress-depth', '1']]);
    const cmds: Command[] = [['RPUSH', 'src', ...vals], ['DEBUG', 'OBJECT', 'src'],
      ['SORT', 'src', 'ALPHA', 'STORE', 'dst'], ['DEBUG', 'OBJECT', 'dst'], ['DEBUG', 'OBJECT', 'src'],
      ['SORT', 'src', 'BY', 'nosort', 'DESC', 'LIMIT', '100', '50'], ['DEBUG', 'OBJECT', 'src'],
      ['SORT', 'src', 'ALPHA', 'GET', '#', 'GET', 'nostar', 'STORE', 'dst'], ['DEBUG', 'OBJECT', 'dst'],
      ['SORT', 'src', 'BY', 'nosort', 'LIMIT', '10', '1', 'STORE', 'dst'], ['DEBUG', 'OBJECT', 'dst'],
      ['SORT', 'src', 'ALPHA', 'STORE', 'src'], ['DEBUG', 'OBJECT', 'src']];
    await checkRandomStream(dbg.main, cmds, { normalize });
  });
});

describe('sorted sets', () => {
  it('converts a listpack sorted set to a skiplist, even for SORT_RO and errors', async () => {
    const [z, z2, z3] = keys('z', 'z2', 'z3');
    await run([
      ['ZADD', z, '1', 'a', '2', 'b'], ['OBJECT', 'ENCODING', z], ['SORT', z, 'ALPHA'], ['OBJECT', 'ENCODING', z],
      ['ZADD', z2, '1', 'a'], ['SORT_RO', z2, 'BY', 'nosort'], ['OBJECT', 'ENCODING', z2],
      ['ZADD', z3, '1', 'a'], ['SORT', z3], ['OBJECT', 'ENCODING', z3], ['ZRANGE', z3, '0', '-1', 'WITHSCORES'],
    ]);
  });

  it('takes a BY nosort range straight from the skiplist, ASC or DESC', async () => {
    const [z] = keys('z');
    const cmds: Command[] = [['ZADD', z, ...Array.from({ length: 200 }, (_, i) => [String(i % 37), `m${i}`]).flat()]];
    for (const off of ['0', '1', '50', '198', '199', '200', '-3']) {
      for (const cnt of ['1', '10', '-1', '0', '500']) {
        cmds.push(['SORT', z, 'BY', 'nosort', 'LIMIT', off, cnt], ['SORT', z, 'BY', 'nosort', 'DESC', 'LIMIT', off, cnt, 'GET', '#']);
      }
    }
    await run(cmds);
  });
});

describe('side effects', () => {
  it('fires sortstore/del, counts lookups of BY and GET keys, and adds the stored count to dirty', async () => {
    const script: Command[] = [
      ['RPUSH', 'se:l', 'b', 'a', 'c'], ['SET', 'se:w:a', '2'], ['SET', 'se:w:b', '1'],
      ['SORT', 'se:l', 'STORE', 'se:d'], ['SORT', 'se:l', 'ALPHA', 'STORE', 'se:d'], ['SORT', 'se:l', 'LIMIT', '0', '0', 'STORE', 'se:d'],
      ['SORT', 'se:l', 'LIMIT', '0', '0', 'STORE', 'se:d'], ['SORT', 'se:none', 'STORE', 'se:d'],
      ['SORT', 'se:l', 'BY', 'se:w:*', 'GET', '#', 'GET', 'se:w:*', 'GET', 'se:w:*->f', 'STORE', 'se:d'],
      ['SORT', 'se:l', 'BY', 'se:w:*', 'GET', 'se:w:*', 'LIMIT', '1', '1'], ['SORT', 'se:l', 'BY', 'nosort', 'GET', 'nostar'],
      ['SORT_RO', 'se:l', 'BY', 'se:w:*', 'ALPHA'], ['SORT', 'se:l', 'STORE', 'se:l'], ['SORT', 'se:l', 'x'],
      ['SORT', 'se:w:a'], ['SORT', 'se:l', 'STORE', 'se:w:a'], ['TYPE', 'se:w:a'], ['SORT', 'se:l', 'BY', 'x*', 'STORE', 'se:d'],
      ['ZADD', 'se:z', '1', 'x'], ['SORT', 'se:z', 'BY', 'nosort', 'STORE', 'se:d'],
    ];
    await expectSameSideEffects(pair, script, { marker: 'se:marker' });
  });

  it('signals the destination to WATCH, and not when nothing is deleted', async () => {
    const other = await pair.connect();
    const [l, d, e] = keys('l', 'd', 'e');
    await run([['RPUSH', l, '1']]);
    for (const cmd of [['SORT', l, 'STORE', d], ['SORT', l, 'LIMIT', '0', '0', 'STORE', d], ['SORT', l, 'LIMIT', '0', '0', 'STORE', e],
      ['SORT', l, 'GET', '#']]) {
      await run([['WATCH', d, e], ['MULTI'], ['PING']]);
      await other.check(...cmd);
      await run([['EXEC']]);
    }
    other.close();
  });
});

describe('big inputs', () => {
  it('sorts thousands of elements numerically and by bytes, with ties and partial sorts', async () => {
    const rng = new SeededRandom(42);
    const [l, s, z] = keys('l', 's', 'z');
    const nums = Array.from({ length: 5000 }, () => String(rng.below(300) - 150) + (rng.below(3) === 0 ? '.5' : ''));
    const cmds: Command[] = [['RPUSH', l, ...nums], ['SADD', s, ...nums], ['ZADD', z, ...nums.flatMap((n, i) => [String(i % 10), `e${n}`])]];
    // Few distinct weights, some missing: many ties for the partial quicksort to order.
    for (let i = -150; i < 150; i += 1) if (i % 7 !== 0) cmds.push(['SET', `sortbig:${i}`, String(Math.abs(i) % 5)]);
    for (const k of [l, s]) {
      cmds.push(['SORT', k], ['SORT', k, 'DESC'], ['SORT', k, 'ALPHA'], ['SORT', k, 'LIMIT', '100', '50'],
        ['SORT', k, 'ALPHA', 'DESC', 'LIMIT', '4000', '2000']);
    }
    cmds.push(['SORT', z, 'ALPHA'], ['SORT', z, 'BY', 'nosort', 'DESC', 'LIMIT', '1000', '20'], ['SORT', l, 'BY', 'nosort', 'LIMIT', '2500', '10']);
    // List elements keep their order among ties (stable merge sort vs the partial quicksort).
    for (const lim of [['0', '-1'], ['0', '100'], ['10', '30'], ['2500', '5'], ['4990', '100'], ['1', '4998'], ['0', '4999']]) {
      cmds.push(['SORT', l, 'BY', 'sortbig:*', 'LIMIT', ...lim], ['SORT', l, 'BY', 'sortbig:*', 'ALPHA', 'LIMIT', ...lim],
        ['SORT', l, 'BY', 'sortbig:*', 'ALPHA', 'DESC', 'LIMIT', ...lim, 'GET', '#', 'GET', 'sortbig:*']);
    }
    cmds.push(['SORT', l, 'BY', 'sortbig:*', 'ALPHA'], ['SORT', l, 'BY', 'sortbig:*', 'ALPHA', 'DESC']);
    await run(cmds);
  });

  it('partial-sorts small inputs of every size the quicksort distinguishes', async () => {
    const rng = new SeededRandom(7);
    const cmds: Command[] = [];
    for (const n of [1, 2, 5, 6, 7, 8, 9, 20, 40, 41, 42, 60, 100, 250]) {
      const [l] = keys('l');
      cmds.push(['RPUSH', l, ...Array.from({ length: n }, (_, i) => `${i}`)]);
      for (let i = 0; i < n; i++) if (rng.below(4) !== 0) cmds.push(['SET', `sortpq:${n}:${i}`, ['a', 'b', 'c'][rng.below(3)]]);
      for (let t = 0; t < 6; t++) {
        const off = String(rng.below(n + 2));
        const cnt = String(rng.below(n + 2) - 1);
        cmds.push(['SORT', l, 'BY', `sortpq:${n}:*`, 'ALPHA', 'LIMIT', off, cnt], ['SORT', l, 'BY', `sortpq:${n}:*`, 'ALPHA', 'DESC', 'LIMIT', off, cnt]);
      }
    }
    await run(cmds);
  });
});

// --- the random stream -----------------------------------------------------------------------------

const ELEMENTS = ['1', '2', '3', '10', '-5', '0', '1.5', '2.50', '007', '+4', ' 6', 'a', 'b', 'ab', 'B', '', '\xff', 'a\x00b',
  'a\x00c', 'inf', '-inf', '0x1f', '1e2', '9223372036854775807', 'x'.repeat(50)];
/** Set and sorted-set members: no two may be equal as C strings, since ALPHA ties keep hash order. */
const SET_ELEMENTS = ELEMENTS.filter((e) => !e.includes('\x00'));
const INT_ELEMENTS = ['1', '2', '3', '10', '-5', '0', '42', '100', '-100', '7'];
const WEIGHTS = ['1', '2', '3', '0', '-1', '1.5', '10', '2', '2', 'abc', '', ' 4', 'inf', '-inf', '0x10', '1e3', 'a', 'b', 'a\x00z'];
const LISTS = ['rl1', 'rl2', 'rl3'];
const SETS = ['rs1', 'rs2'];
const ZSETS = ['rz1', 'rz2'];
const BY_PATTERNS = ['rw:*', 'rh:*->f', 'rh:*->g', 'nosort', 'rw:*x', 'rh:*->', '#', 'rh:*'];
const GET_PATTERNS = ['#', 'rw:*', 'rh:*->f', 'rh:*->g', 'nostar', 'rl*', 'rh:*'];
const LIMITS = ['0', '1', '2', '3', '5', '-1', '-2', '100', '9223372036854775807', '-9223372036854775808'];
const DESTS = ['rd1', 'rd2', 'rl1', 'rs1', 'rw:a'];

function randomCommand(rng: SeededRandom): Command {
  const pick = <T>(xs: readonly T[]): T => xs[rng.below(xs.length)];
  const several = <T>(xs: readonly T[], max: number) => Array.from({ length: 1 + rng.below(max) }, () => pick(xs));
  const r = rng.below(100);
  if (r < 12) return [pick(['RPUSH', 'LPUSH']), pick(LISTS), ...several(ELEMENTS, 4)];
  if (r < 17) return ['SADD', pick(SETS), ...several(rng.below(3) === 0 ? INT_ELEMENTS : SET_ELEMENTS, 4)];
  if (r < 22) return ['ZADD', pick(ZSETS), ...several(SET_ELEMENTS, 3).flatMap((e) => [String(rng.below(5)), e])];
  if (r < 30) return ['SET', `rw:${pick(ELEMENTS)}`, pick(WEIGHTS)];
  if (r < 36) return ['HSET', `rh:${pick(ELEMENTS)}`, pick(['f', 'g']), pick(WEIGHTS)];
  if (r < 38) return ['DEL', pick([...LISTS, ...SETS, ...ZSETS, ...DESTS, `rw:${pick(ELEMENTS)}`])];
  if (r < 40) return [pick(['LPOP', 'RPOP']), pick(LISTS)];
  if (r < 42) return ['SREM', pick(SETS), pick(ELEMENTS)];

  const key = rng.below(20) === 0 ? pick(['rw:a', 'rh:a', 'missing']) : pick([...LISTS, ...LISTS, ...SETS, ...ZSETS]);
  // Sets and sorted sets load in hash order: only ask for orders that do not depend on it.
  const unordered = SETS.includes(key) || ZSETS.includes(key);
  const store = rng.below(4) === 0;
  const cmd: Command = [store || rng.below(2) ? 'SORT' : 'SORT_RO', key];
  const options: Command[] = [];
  let alpha = rng.below(2) === 0;
  let by: string | null = null;
  if (rng.below(2) === 0) {
    by = pick(BY_PATTERNS);
    if (unordered && (by === 'nosort' || by === '#' || (by !== 'nosort' && alpha))) {
      if (!store || alpha) by = 'rw:*';
      if (alpha && by === 'rw:*') alpha = false;
    }
    options.push(['BY', by]);
  }
  if (alpha) options.push(['ALPHA']);
  if (rng.below(2) === 0) options.push([pick(['ASC', 'DESC', 'asc', 'desc'])]);
  if (rng.below(2) === 0) options.push(['LIMIT', pick(LIMITS), pick(LIMITS)]);
  for (let g = rng.below(4) === 0 ? rng.below(4) : 0; g > 0; g--) options.push(['GET', pick(GET_PATTERNS)]);
  if (store) options.push(['STORE', pick(DESTS)]);
  if (rng.below(40) === 0) options.push([pick(['BY', 'LIMIT', 'GET', 'STORE', 'bogus'])]);
  // Options may come in any order.
  for (let i = options.length - 1; i > 0; i--) {
    const j = rng.below(i + 1);
    [options[i], options[j]] = [options[j], options[i]];
  }
  return [...cmd, ...options.flat()];
}

async function randomStream(p: ClientPair, seed: number, n: number): Promise<void> {
  await p.check('FLUSHALL');
  const rng = new SeededRandom(seed);
  const cmds: Command[] = [];
  for (let i = 0; i < n; i++) {
    const c = randomCommand(rng);
    cmds.push(c);
    const dest = c.indexOf('STORE');
    if (c[0] === 'SORT' && dest > 0 && dest + 1 < c.length) cmds.push(['LRANGE', c[dest + 1], '0', '-1']);
  }
  for (const k of [...LISTS, ...DESTS]) cmds.push(['TYPE', k], ['LRANGE', k, '0', '-1']);
  await checkRandomStream(p, cmds.map(wire));
}

describe('random streams', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`seed ${seed}: 2500 commands`, async () => { await randomStream(pair.main, seed, 2500); });
  }

  it('seed 7 in RESP3', async () => {
    // (HELLO's reply has the client id, which differs between the two servers.)
    await pair.both('HELLO', '3');
    try {
      await randomStream(pair.main, 7, 1500);
    } finally {
      await pair.both('HELLO', '2');
    }
  });
});

it('queues SORT in MULTI like Redis, errors included', async () => {
  const [l] = keys('l');
  await run([['RPUSH', l, 'x', '1'], ['MULTI'], ['SORT', l], ['SORT', l, 'ALPHA'], ['SORT', l, 'LIMIT', 'x', '1'], ['SORT_RO', l, 'STORE', 'd'], ['EXEC']]);
});
