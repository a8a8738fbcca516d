// Set commands against real Redis 7.0.15: scripted cases for every command, its errors and the
// intset/hashtable encodings at and across set-max-intset-entries, then seeded random streams.
// Replies are byte-identical except where Redis's order is a hashtable's (compared as sets) or the
// reply is random by nature (SRANDMEMBER, SPOP: compared by their properties).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DifferentialPair, checkAllBytes, checkUnordered, describeCommand, show, uniqueKeys, wire, type ClientPair,
} from './harness.ts';
import { SeededRandom } from '../../src/engine/sim/random.ts';
import { items, parseResp, text, texts, unordered, wireType } from '../support/respValue.ts';

let pair: DifferentialPair;
beforeAll(async () => { pair = await DifferentialPair.start(); });
afterAll(async () => { await pair?.stop(); });

const keys = uniqueKeys('s');

const INTS = ['0', '1', '-1', '2', '7', '100', '-100', '32767', '-32768', '32768', '-32769', '2147483647',
  '-2147483648', '2147483648', '-2147483649', '9223372036854775807', '-9223372036854775808', '12345678901'];
const NOT_INTS = ['01', '-0', '+1', ' 1', '1 ', '1.0', '9223372036854775808', '-9223372036854775809', '1e3', '0x10'];
const STRINGS = ['a', 'b', 'foo', '', 'x'.repeat(70), '\x00\xff', 'caf\xc3\xa9', '\r\n'];

describe('arity and wrong type', () => {
  it('rejects wrong argument counts', async () => {
    await checkAllBytes(pair.main, [
      ['SADD'], ['SADD', 'k'], ['SREM', 'k'], ['SCARD'], ['SCARD', 'a', 'b'], ['SISMEMBER', 'k'],
      ['SISMEMBER', 'k', 'a', 'b'], ['SMISMEMBER', 'k'], ['SMEMBERS'], ['SMEMBERS', 'a', 'b'], ['SPOP'],
      ['SRANDMEMBER'], ['SMOVE', 'a', 'b'], ['SMOVE', 'a', 'b', 'c', 'd'], ['SINTER'], ['SINTERCARD', '1'],
      ['SINTERSTORE', 'd'], ['SUNION'], ['SUNIONSTORE', 'd'], ['SDIFF'], ['SDIFFSTORE', 'd'], ['SSCAN', 'k'],
      ['sadd'], ['sPoP'],
    ]);
  });

  it('every command refuses a key of another type', async () => {
    const [str, s, d] = keys('str', 's', 'd');
    await checkAllBytes(pair.main, [
      ['SET', str, 'v'], ['SADD', s, 'a', '1'],
      ['SADD', str, 'a'], ['SREM', str, 'a'], ['SCARD', str], ['SISMEMBER', str, 'a'], ['SMISMEMBER', str, 'a'],
      ['SMEMBERS', str], ['SPOP', str], ['SPOP', str, '2'], ['SRANDMEMBER', str], ['SRANDMEMBER', str, '2'],
      ['SRANDMEMBER', str, '-2'], ['SMOVE', str, s, 'a'], ['SMOVE', s, str, 'a'], ['SINTER', s, str],
      ['SINTER', str, 'nokey'], ['SINTERCARD', '2', s, str], ['SINTERSTORE', d, s, str], ['SUNION', s, str],
      ['SUNIONSTORE', d, str], ['SDIFF', s, str], ['SDIFF', 'nokey', str], ['SDIFFSTORE', d, s, str],
      ['SSCAN', str, '0'], ['EXISTS', d], ['GET', str], ['SCARD', s], // (SMEMBERS of a hashtable set is in hash order)
      // Argument errors come before the type check where Redis parses first.
      ['SPOP', str, 'x'], ['SRANDMEMBER', str, 'x'], ['SSCAN', str, 'x'],
    ]);
  });
});

describe('add, remove, membership', () => {
  it('SADD/SREM/SCARD/SISMEMBER/SMISMEMBER with every member shape', async () => {
    const [k, m] = keys('k', 'm');
    const all = [...INTS, ...NOT_INTS, ...STRINGS];
    const cmds: (string | Buffer)[][] = [];
    for (const v of all) cmds.push(['SADD', k, v], ['SADD', k, v], ['SISMEMBER', k, v]);
    cmds.push(['SCARD', k], ['SMISMEMBER', k, ...all, 'nope'], ['SMISMEMBER', m, 'a', 'b'], ['SISMEMBER', m, 'a'],
      ['SCARD', m], ['SREM', m, 'a'], ['SREM', k, 'nope', 'a', 'a', '1'], ['SCARD', k]);
    for (const v of all) cmds.push(['SREM', k, v], ['SISMEMBER', k, v]);
    cmds.push(['EXISTS', k], ['SCARD', k], ['SADD', k, 'a', 'a', 'b', 'a'], ['SREM', k, 'a', 'b', 'c'], ['EXISTS', k]);
    await checkAllBytes(pair.main, cmds);
  });

  it('intset members compare exactly, including values beyond 2^53 and non-canonical forms', async () => {
    const [k] = keys('k');
    await checkAllBytes(pair.main, [
      ['SADD', k, '9007199254740993', '9007199254740992', '9223372036854775807'],
      ['OBJECT', 'ENCODING', k], ['SCARD', k], ['SMEMBERS', k],
      ['SISMEMBER', k, '9007199254740993'], ['SISMEMBER', k, '9007199254740994'],
      ['SISMEMBER', k, '09007199254740993'], ['SISMEMBER', k, '9223372036854775808'],
      ['SREM', k, '9007199254740993.0', '+9007199254740993'], ['SREM', k, '9007199254740993'], ['SMEMBERS', k],
    ]);
  });
});

describe('intset encoding', () => {
  it('stays sorted through upgrades 16 -> 32 -> 64 at both ends', async () => {
    const [k, j] = keys('k', 'j');
    await checkAllBytes(pair.main, [
      ['SADD', k, '5', '-3', '100'], ['SMEMBERS', k], ['OBJECT', 'ENCODING', k],
      ['SADD', k, '32767', '-32768'], ['SMEMBERS', k],
      ['SADD', k, '32768'], ['SMEMBERS', k], ['SADD', k, '-32769'], ['SMEMBERS', k],
      ['SADD', k, '2147483647', '-2147483648'], ['SMEMBERS', k],
      ['SADD', k, '-2147483649'], ['SMEMBERS', k], ['SADD', k, '2147483648'], ['SMEMBERS', k],
      ['SADD', k, '9223372036854775807', '-9223372036854775808'], ['SMEMBERS', k], ['OBJECT', 'ENCODING', k],
      ['SREM', k, '9223372036854775807', '-9223372036854775808', '2147483648', '-2147483649'], ['SMEMBERS', k],
      ['SADD', j, '-9223372036854775808'], ['SADD', j, '0'], ['SADD', j, '-1'], ['SMEMBERS', j],
      ['SRANDMEMBER', k, '100'], ['SRANDMEMBER', k, '11'], ['SSCAN', k, '0'], ['SSCAN', k, '0', 'MATCH', '*7*'],
      ['SSCAN', k, '0', 'COUNT', '1'], ['SSCAN', k, '5'],
    ]);
  });

  it('becomes a hashtable on the first non-integer and never goes back', async () => {
    const [k, l] = keys('k', 'l');
    const cmds: string[][] = [['SADD', k, '1', '2', '3'], ['OBJECT', 'ENCODING', k]];
    for (const v of NOT_INTS) cmds.push(['SADD', l, '1'], ['SADD', l, v], ['OBJECT', 'ENCODING', l], ['DEL', l]);
    cmds.push(['SADD', k, 'x'], ['OBJECT', 'ENCODING', k], ['SREM', k, 'x'], ['OBJECT', 'ENCODING', k], ['SCARD', k]);
    await checkAllBytes(pair.main, cmds);
    await checkUnordered(pair.main, 'SMEMBERS', k);
  });

  it('a new set is an intset only when its first member is an integer', async () => {
    const [a, b, c] = keys('a', 'b', 'c');
    await checkAllBytes(pair.main, [
      ['SADD', a, 'x', '1'], ['OBJECT', 'ENCODING', a], ['SREM', a, 'x'], ['OBJECT', 'ENCODING', a],
      ['SADD', b, '1', 'x'], ['OBJECT', 'ENCODING', b], ['SADD', c, '-0'], ['OBJECT', 'ENCODING', c],
    ]);
  });

  it('converts exactly past set-max-intset-entries (512 by default)', async () => {
    const [k] = keys('k');
    const first = Array.from({ length: 512 }, (_, i) => String(i * 3 - 700));
    await checkAllBytes(pair.main, [
      ['SADD', k, ...first], ['OBJECT', 'ENCODING', k], ['SCARD', k], ['SMEMBERS', k],
      ['SADD', k, '-700'], ['OBJECT', 'ENCODING', k], ['SADD', k, '100000'], ['OBJECT', 'ENCODING', k],
      ['SREM', k, '100000', '-700', '-697'], ['OBJECT', 'ENCODING', k], ['SCARD', k],
    ]);
  });
});

describe('SMOVE', () => {
  it('moves, creates, deletes and refuses like Redis', async () => {
    const [a, b, str, n, i] = keys('a', 'b', 'str', 'n', 'i');
    await checkAllBytes(pair.main, [
      ['SET', str, 'v'], ['SADD', a, '1', '2', 'x'],
      ['SMOVE', 'nokey', b, 'a'], ['SMOVE', 'nokey', str, 'a'], ['SMOVE', a, str, '1'], ['SMOVE', str, a, '1'],
      ['SMOVE', a, b, 'nope'], ['EXISTS', b], ['SMOVE', a, a, '1'], ['SMOVE', a, a, 'nope'],
      ['SMOVE', a, n, '1'], ['OBJECT', 'ENCODING', n], ['SMEMBERS', n],
      ['SMOVE', a, i, 'x'], ['OBJECT', 'ENCODING', i], ['SMEMBERS', i],
      ['SMOVE', a, n, '2'], ['EXISTS', a], ['SMEMBERS', n], ['SADD', a, '2'], ['SMOVE', a, n, '2'],
      ['EXISTS', a], ['SCARD', n], ['SMOVE', n, i, '1'], ['OBJECT', 'ENCODING', i], ['SCARD', i],
    ]);
  });
});

describe('SINTER / SUNION / SDIFF and *STORE', () => {
  it('intset results come back sorted, byte for byte', async () => {
    const [a, b, c] = keys('a', 'b', 'c');
    await checkAllBytes(pair.main, [
      ['SADD', a, '5', '1', '9', '-4', '300000', '7'], ['SADD', b, '9', '7', '1', '2', '8'], ['SADD', c, '1', '7', '100'],
      ['SINTER', a, b], ['SINTER', b, a], ['SINTER', a, b, c], ['SINTER', a], ['SINTER', a, a],
      ['SUNION', a, b], ['SUNION', a, b, c, 'nokey'], ['SUNION', 'nokey'], ['SDIFF', a, b], ['SDIFF', a, b, c],
      ['SDIFF', a, 'nokey'], ['SDIFF', 'nokey', a], ['SDIFF', a, a], ['SDIFF', a, c, a], ['SINTER', a, 'nokey'],
      ['SINTERCARD', '2', a, b], ['SINTERCARD', '3', a, b, c], ['SINTERCARD', '1', a], ['SINTERCARD', '2', a, 'nokey'],
      ['SINTERCARD', '2', a, b, 'LIMIT', '0'], ['SINTERCARD', '2', a, b, 'LIMIT', '1'], ['SINTERCARD', '2', a, b, 'limit', '2'],
      ['SINTERCARD', '2', a, b, 'LIMIT', '100'],
    ]);
  });

  it('mixed encodings: hashtable order compared as sets', async () => {
    const [a, b, c] = keys('a', 'b', 'c');
    await checkAllBytes(pair.main, [
      ['SADD', a, 'x', 'y', 'z', '1', '2', '3'], ['SADD', b, '1', '2', 'y', 'w'], ['SADD', c, '2', '3', '4'],
    ]);
    for (const cmd of [['SINTER', a, b], ['SINTER', b, a], ['SINTER', a, b, c], ['SINTER', c, a], ['SUNION', a, b],
      ['SUNION', c, a], ['SDIFF', a, b], ['SDIFF', a, c, b], ['SDIFF', b, c], ['SMEMBERS', a], ['SDIFF', a, 'nokey'],
      ['SUNION', a, a], ['SINTER', a, a]]) {
      await checkUnordered(pair.main, ...cmd);
    }
    // The intersection walks the smallest set: c (an intset) gives sorted output.
    await checkAllBytes(pair.main, [['SINTER', a, c], ['SINTER', c, b], ['SINTERCARD', '2', a, b], ['SINTERCARD', '3', a, b, c]]);
  });

  it('the DIFF algorithm choice does not change the answer', async () => {
    const [big, small, s2] = keys('big', 'small', 's2');
    const many = Array.from({ length: 200 }, (_, i) => 'm' + i);
    await checkAllBytes(pair.main, [['SADD', big, ...many], ['SADD', small, 'm1', 'm5', 'zz'], ['SADD', s2, ...many.slice(0, 150), 'q']]);
    for (const cmd of [['SDIFF', small, big], ['SDIFF', big, small], ['SDIFF', big, s2], ['SDIFF', s2, big, small],
      ['SDIFF', small, big, s2], ['SDIFF', big, small, s2, 'nokey']]) {
      await checkUnordered(pair.main, ...cmd);
    }
    const [i1, i2] = keys('i1', 'i2');
    const ints = Array.from({ length: 100 }, (_, i) => String(i));
    await checkAllBytes(pair.main, [['SADD', i1, ...ints], ['SADD', i2, '3', '5'], ['SDIFF', i2, i1], ['SDIFF', i1, i2],
      ['SDIFFSTORE', 'nokey2', i1, i2], ['OBJECT', 'ENCODING', 'nokey2'], ['SCARD', 'nokey2'], ['DEL', 'nokey2']]);
  });

  it('*STORE: result encoding, overwrite of any type, TTL removal, empty results delete', async () => {
    const [a, b, d, str, t] = keys('a', 'b', 'd', 'str', 't');
    await checkAllBytes(pair.main, [
      ['SADD', a, '1', '2', '3', 'x'], ['SADD', b, '2', '3', '4', 'x'], ['SET', str, 'v'], ['SET', t, 'v', 'EX', '1000'],
      ['SINTERSTORE', d, a, b], ['OBJECT', 'ENCODING', d], ['SCARD', d],
      ['SINTERSTORE', str, a, b], ['TYPE', str], ['SCARD', str],
      ['SINTERSTORE', t, a, b], ['TTL', t], ['TYPE', t],
      ['SADD', 'z1', '2', '3'], ['SINTERSTORE', d, a, 'z1'], ['OBJECT', 'ENCODING', d], ['SMEMBERS', d],
      ['SUNIONSTORE', d, 'z1', 'nokey'], ['OBJECT', 'ENCODING', d], ['SMEMBERS', d],
      ['SDIFFSTORE', d, a, b], ['OBJECT', 'ENCODING', d], ['SMEMBERS', d],
      ['SDIFFSTORE', d, a, a], ['EXISTS', d], ['SADD', d, 'q'],
      ['SINTERSTORE', d, a, 'nokey'], ['EXISTS', d], ['SADD', d, 'q'],
      ['SUNIONSTORE', d, 'nokey', 'nokey2'], ['EXISTS', d], ['SET', d, 'v'],
      ['SDIFFSTORE', d, 'nokey', a], ['EXISTS', d],
      ['SINTERSTORE', d, a, str], ['SUNIONSTORE', d, a, str], ['SDIFFSTORE', d, a, str], ['EXISTS', d],
      ['SINTERSTORE', a, a, b], ['OBJECT', 'ENCODING', a], ['SMEMBERS', 'z1'],
      ['SUNIONSTORE', a, a, 'z1'], ['SCARD', a], ['SDIFFSTORE', a, a, 'z1'], ['SCARD', a],
      ['DEL', 'z1'],
    ]);
    await checkUnordered(pair.main, 'SMEMBERS', a);
    await checkUnordered(pair.main, 'SMEMBERS', str);
  });

  it('SINTERCARD argument errors', async () => {
    const [a] = keys('a');
    await checkAllBytes(pair.main, [
      ['SADD', a, '1'],
      ['SINTERCARD', '0', a], ['SINTERCARD', '-1', a], ['SINTERCARD', 'abc', a], ['SINTERCARD', '2', a],
      ['SINTERCARD', '9223372036854775807', a], ['SINTERCARD', '9223372036854775808', a],
      ['SINTERCARD', '1', a, 'LIMIT'], ['SINTERCARD', '1', a, 'LIMIT', '-1'], ['SINTERCARD', '1', a, 'LIMIT', 'x'],
      ['SINTERCARD', '1', a, 'LIMIT', '1', 'LIMIT', '2'], ['SINTERCARD', '1', a, 'FOO', '1'], ['SINTERCARD', '1', a, 'x'],
      ['SINTERCARD', '1', a, 'LIMIT', '9223372036854775807'], ['SINTERCARD', '1', a, 'LIMIT', '9223372036854775808'],
      ['SINTERCARD', '1', 'LIMIT', '1'],
    ]);
  });
});

describe('SPOP and SRANDMEMBER', () => {
  it('argument errors and missing keys', async () => {
    const [a] = keys('a');
    await checkAllBytes(pair.main, [
      ['SADD', a, '1', '2'],
      ['SPOP', a, '-1'], ['SPOP', a, 'x'], ['SPOP', a, '1.5'], ['SPOP', a, '1', '2'], ['SPOP', a, '9223372036854775808'],
      ['SRANDMEMBER', a, 'x'], ['SRANDMEMBER', a, '1', '2'], ['SRANDMEMBER', a, '-9223372036854775808'],
      ['SRANDMEMBER', a, '9223372036854775808'], ['SRANDMEMBER', a, '0'], ['SPOP', a, '0'],
      ['SPOP', 'nokey'], ['SPOP', 'nokey', '0'], ['SPOP', 'nokey', '5'], ['SRANDMEMBER', 'nokey'],
      ['SRANDMEMBER', 'nokey', '5'], ['SRANDMEMBER', 'nokey', '-5'], ['SRANDMEMBER', 'nokey', '0'], ['SCARD', a],
    ]);
  });

  it('SPOP with a count at least the size returns everything, sorted for an intset', async () => {
    const [a, b] = keys('a', 'b');
    await checkAllBytes(pair.main, [
      ['SADD', a, '3', '1', '2', '-50000'], ['SPOP', a, '4'], ['EXISTS', a],
      ['SADD', a, '3', '1', '2'], ['SPOP', a, '9223372036854775807'], ['EXISTS', a],
      ['SADD', b, '7'], ['SPOP', b], ['EXISTS', b], ['SADD', b, 'x'], ['SPOP', b], ['SPOP', b],
    ]);
    const [c] = keys('c');
    await checkAllBytes(pair.main, [['SADD', c, 'x', 'y', 'z', '1']]);
    await checkUnordered(pair.main, 'SPOP', c, '10');
    await pair.check('EXISTS', c);
  });

  /** Checks a random pick reply on both sides against the set's known members. */
  async function checkPick(p: ClientPair, cmd: string[], members: string[], expectLen: number, distinct: boolean) {
    const [r, e] = await p.both(...wire(cmd));
    for (const [side, reply] of [['real', r], ['engine', e]] as const) {
      const v = parseResp(reply);
      const got = wireType(v) === '$' ? [text(v)] : texts(v);
      expect(got.length, `${side} ${cmd.join(' ')}`).toBe(expectLen);
      for (const m of got) expect(members, `${side} ${cmd.join(' ')}`).toContain(m);
      if (distinct) expect(new Set(got).size, `${side} ${cmd.join(' ')}`).toBe(got.length);
      expect(wireType(v), `${side} reply type`).toBe(wireType(parseResp(r)));
    }
  }

  it('SRANDMEMBER: every count case, both encodings, RESP2 and RESP3', async () => {
    for (const proto of ['2', '3']) {
      const c = await pair.connect();
      await c.both('HELLO', proto);
      for (const members of [
        Array.from({ length: 40 }, (_, i) => String(i * 7)), // intset
        Array.from({ length: 40 }, (_, i) => 'm' + i), // hashtable
        Array.from({ length: 600 }, (_, i) => String(i)), // hashtable of integers
      ]) {
        const [k] = keys('k');
        await c.checkAll([['SADD', k, ...members]]);
        const n = members.length;
        await checkPick(c, ['SRANDMEMBER', k], members, 1, true);
        for (const count of [1, 2, 5, Math.floor(n / 3), Math.floor(n / 3) + 1, n - 1]) {
          await checkPick(c, ['SRANDMEMBER', k, String(count)], members, count, true);
        }
        for (const count of [1, 3, n, 2 * n + 5]) {
          await checkPick(c, ['SRANDMEMBER', k, String(-count)], members, count, false);
        }
        // The whole set: exact for an intset (its order), as a set for a hashtable.
        if (n === 40 && members[1] === '7') await c.checkAll([['SRANDMEMBER', k, String(n)], ['SRANDMEMBER', k, '1000']]);
        else { await checkUnordered(c, 'SRANDMEMBER', k, String(n)); await checkUnordered(c, 'SRANDMEMBER', k, '1000'); }
        await c.checkAll([['SCARD', k], ['OBJECT', 'ENCODING', k]]);
      }
      c.close();
    }
  });

  it('SPOP: every count case removes exactly what it returns; RESP3 set replies', async () => {
    for (const proto of ['2', '3']) {
      const c = await pair.connect();
      await c.both('HELLO', proto);
      for (const [members, count] of [
        [Array.from({ length: 30 }, (_, i) => String(i)), 1], // one at a time
        [Array.from({ length: 30 }, (_, i) => String(i)), 4], // small count: case 2
        [Array.from({ length: 30 }, (_, i) => String(i)), 26], // rebuild: case 3
        [Array.from({ length: 30 }, (_, i) => 'm' + i), 3],
        [Array.from({ length: 30 }, (_, i) => 'm' + i), 29],
        [[...Array.from({ length: 700 }, (_, i) => String(i))], 650], // hashtable rebuilt as intset
        [[...Array.from({ length: 700 }, (_, i) => String(i)), 'x'], 690], // hashtable rebuilt, maybe intset
      ] as [string[], number][]) {
        const [k] = keys('k');
        await c.checkAll([['SADD', k, ...members]]);
        const [r, e] = await c.both('SPOP', k, String(count));
        const popped: Record<string, string[]> = {};
        for (const [side, reply] of [['real', r], ['engine', e]] as const) {
          const v = parseResp(reply);
          expect(wireType(v)).toBe(proto === '3' ? '~' : '*');
          const got = texts(v);
          expect(got.length).toBe(count);
          expect(new Set(got).size).toBe(count);
          for (const m of got) expect(members).toContain(m);
          popped[side] = got;
        }
        const [rm, em] = await c.both('SMEMBERS', k);
        const left = { real: texts(parseResp(rm)), engine: texts(parseResp(em)) };
        for (const side of ['real', 'engine'] as const) {
          expect([...left[side], ...popped[side]].sort()).toEqual([...members].sort());
        }
        // Few pops keep the set (and its encoding); many pops rebuild it from the members left,
        // as an intset when they allow it. Checked on both sides against that rule.
        const isInt = (m: string) => CANONICAL_INT.test(m);
        const startedIntset = members.length <= 512 && members.every(isInt);
        const rebuilt = (members.length - count) * 5 <= count;
        const [rEnc, eEnc] = await c.both('OBJECT', 'ENCODING', k);
        for (const [side, enc] of [['real', rEnc], ['engine', eEnc]] as const) {
          const leftover = left[side];
          const expected = rebuilt
            ? (leftover.every(isInt) && leftover.length <= 512 ? 'intset' : 'hashtable')
            : (startedIntset ? 'intset' : 'hashtable');
          expect(parseResp(enc), `${side} encoding after SPOP ${count} of ${members.length}`).toEqual({ t: 'bulk', v: expected });
        }
        await c.both('DEL', k);
      }
      c.close();
    }
  });
});

describe('SSCAN', () => {
  it('compact sets come back whole with cursor 0; errors match', async () => {
    const [i, h] = keys('i', 'h');
    await checkAllBytes(pair.main, [
      ['SADD', i, ...INTS],
      ['SSCAN', i, '0'], ['SSCAN', i, '0', 'COUNT', '2'], ['SSCAN', i, '0', 'MATCH', '-*'], ['SSCAN', i, '0', 'MATCH', '*7', 'COUNT', '1000'],
      ['SSCAN', i, '18446744073709551615'], ['SSCAN', i, '-1'], ['SSCAN', i, '18446744073709551616'], ['SSCAN', i, 'x'],
      ['SSCAN', i, '0', 'COUNT', '0'], ['SSCAN', i, '0', 'COUNT', '-1'], ['SSCAN', i, '0', 'COUNT', 'x'],
      ['SSCAN', i, '0', 'MATCH'], ['SSCAN', i, '0', 'FOO', 'bar'], ['SSCAN', i, '0', 'TYPE', 'set'],
      ['SSCAN', 'nokey', '0'], ['SSCAN', 'nokey', 'x'],
      ['SADD', h, 'a'], ['SSCAN', h, '0'], ['SSCAN', h, '0', 'MATCH', 'b*'],
    ]);
  });

  it('a full iteration of a hashtable set returns every member', async () => {
    const [h] = keys('h');
    const members = Array.from({ length: 1000 }, (_, i) => 'member:' + i);
    await checkAllBytes(pair.main, [['SADD', h, ...members]]);
    for (const [client, label] of [[pair.main.real, 'real'], [pair.main.engine, 'engine']] as const) {
      const seen = new Set<string>();
      let cursor = '0';
      let calls = 0;
      do {
        const v = parseResp(await client.call('SSCAN', h, cursor, 'COUNT', '50'));
        const [cur, batch] = items(v);
        cursor = text(cur);
        for (const m of texts(batch)) seen.add(m);
        calls++;
      } while (cursor !== '0' && calls < 10000);
      expect(seen.size, label).toBe(1000);
    }
    await checkUnordered(pair.main, 'SSCAN', h, '0', 'COUNT', '100000');
    await checkUnordered(pair.main, 'SSCAN', h, '0', 'COUNT', '100000', 'MATCH', 'member:1?');
  });
});

describe('RESP3 shapes', () => {
  it('set replies are ~, arrays stay *', async () => {
    const c = await pair.connect();
    await c.both('HELLO', '3');
    const [a, b] = keys('a', 'b');
    await c.checkAll([
      ['SADD', a, '1', '2', '3'], ['SADD', b, '2', '3', '4'],
      ['SMEMBERS', a], ['SMEMBERS', 'nokey'], ['SINTER', a, b], ['SINTER', a, 'nokey'], ['SUNION', a, b],
      ['SUNION', 'nokey'], ['SDIFF', a, b], ['SDIFF', 'nokey'], ['SINTERCARD', '2', a, b], ['SMISMEMBER', a, '1', '9'],
      ['SRANDMEMBER', a, '10'], ['SRANDMEMBER', a, '0'], ['SRANDMEMBER', 'nokey', '1'], ['SRANDMEMBER', 'nokey'],
      ['SPOP', 'nokey'], ['SPOP', 'nokey', '1'], ['SPOP', a, '0'], ['SSCAN', a, '0'], ['SSCAN', 'nokey', '0'],
      ['SPOP', b, '3'],
    ]);
    c.close();
  });
});

describe('encodings across set-max-intset-entries', () => {
  it('follows CONFIG SET changes at and across the threshold', async () => {
    const [k, d, e] = keys('k', 'd', 'e');
    try {
      for (const limit of ['0', '1', '2', '3', '4', '16']) {
        const n = Number(limit);
        const cmds: string[][] = [['CONFIG', 'SET', 'set-max-intset-entries', limit], ['DEL', k, d, e]];
        for (let i = 1; i <= n + 1; i++) cmds.push(['SADD', k, String(i * 10)], ['OBJECT', 'ENCODING', k]);
        cmds.push(['SADD', d, '5', '6'], ['SINTERSTORE', e, k, k], ['OBJECT', 'ENCODING', e], ['SUNIONSTORE', e, d, 'nokey'],
          ['OBJECT', 'ENCODING', e], ['SDIFFSTORE', e, d, 'nokey'], ['OBJECT', 'ENCODING', e], ['SMOVE', d, 'mv', '5'],
          ['OBJECT', 'ENCODING', 'mv'], ['DEL', 'mv']);
        await checkAllBytes(pair.main, cmds);
      }
      await checkAllBytes(pair.main, [['CONFIG', 'SET', 'set-max-intset-entries', '1073741825'], ['SADD', k, '1'], ['OBJECT', 'ENCODING', k]]);
    } finally {
      await pair.both('CONFIG', 'SET', 'set-max-intset-entries', '512');
    }
  });
});

describe('small set-max-intset-entries (server started with 3)', () => {
  let small: DifferentialPair;
  beforeAll(async () => { small = await DifferentialPair.start({ 'set-max-intset-entries': '3' }); });
  afterAll(async () => { await small?.stop(); });

  it('converts at 4 members, *STORE and SMOVE pick by size', async () => {
    await checkAllBytes(small.main, [
      ['SADD', 'a', '1', '2', '3'], ['OBJECT', 'ENCODING', 'a'], ['SADD', 'a', '4'], ['OBJECT', 'ENCODING', 'a'],
      ['SREM', 'a', '4'], ['OBJECT', 'ENCODING', 'a'], ['SADD', 'b', '1', '2', '3', '4', '5'], ['OBJECT', 'ENCODING', 'b'],
      ['SINTERSTORE', 'c', 'a', 'b'], ['OBJECT', 'ENCODING', 'c'], ['SMEMBERS', 'c'],
      ['SUNIONSTORE', 'c', 'a', 'b'], ['OBJECT', 'ENCODING', 'c'],
      ['SDIFFSTORE', 'c', 'b', 'a'], ['OBJECT', 'ENCODING', 'c'], ['SMEMBERS', 'c'],
      ['SUNION', 'c', 'nokey'], ['SINTER', 'c', 'b'],
      ['SADD', 'd', '1', '2'], ['SMOVE', 'b', 'd', '5'], ['OBJECT', 'ENCODING', 'd'], ['SMOVE', 'b', 'd', '4'],
      ['OBJECT', 'ENCODING', 'd'],
    ]);
  });

  it('SPOP rebuild may return a hashtable set to intset', async () => {
    await checkAllBytes(small.main, [['SADD', 'p', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10'], ['OBJECT', 'ENCODING', 'p']]);
    await small.main.both('SPOP', 'p', '9');
    await checkAllBytes(small.main, [['OBJECT', 'ENCODING', 'p'], ['SCARD', 'p']]);
    await checkAllBytes(small.main, [['SADD', 'q', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10'], ['OBJECT', 'ENCODING', 'q']]);
    await small.main.both('SPOP', 'q', '7');
    await checkAllBytes(small.main, [['OBJECT', 'ENCODING', 'q'], ['SCARD', 'q']]);
  });

  it('random stream with the small threshold', async () => {
    await runSetStream(small.main, 1001, 3000, 3);
  });
});

// --- seeded random stream ---------------------------------------------------------------------

const STREAM_MEMBERS = [...INTS.slice(0, 12), ...INTS, '01', '-0', 'a', 'b', 'c', 'foo', '', '\x00\xff', 'x'.repeat(70),
  ...Array.from({ length: 20 }, (_, i) => String(i)), ...Array.from({ length: 10 }, (_, i) => 'm' + i)];
const SET_KEYS = ['s1', 's2', 's3', 's4'];

interface Judged { cmd: (string | Buffer)[]; judge: 'exact' | 'unordered' | 'sunion' | 'afterEncoding' | 'pick' | 'pickDistinct' }

function generateSetStream(seed: number, n: number): Judged[] {
  const rng = new SeededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[rng.below(xs.length)];
  const members = (max: number) => Array.from({ length: 1 + rng.below(max) }, () => pick(STREAM_MEMBERS));
  const anyKey = () => (rng.below(12) === 0 ? pick(['nokey', 'str', 'h']) : pick(SET_KEYS));
  const out: Judged[] = [
    { cmd: ['SET', 'str', 'v'], judge: 'exact' }, { cmd: ['HSET', 'h', 'f', 'v'], judge: 'exact' },
  ];
  const manyInts = () => Array.from({ length: 1 + rng.below(40) }, () => String(rng.below(60) - 10));
  while (out.length < n) {
    const r = rng.below(100);
    const k = anyKey();
    if (r < 22) out.push({ cmd: ['SADD', k, ...(rng.below(4) === 0 ? manyInts() : members(5))], judge: 'exact' });
    else if (r < 32) out.push({ cmd: ['SREM', k, ...members(4)], judge: 'exact' });
    else if (r < 37) out.push({ cmd: ['SISMEMBER', k, pick(STREAM_MEMBERS)], judge: 'exact' });
    else if (r < 40) out.push({ cmd: ['SMISMEMBER', k, ...members(4)], judge: 'exact' });
    else if (r < 43) out.push({ cmd: ['SCARD', k], judge: 'exact' });
    else if (r < 48) {
      out.push({ cmd: ['OBJECT', 'ENCODING', k], judge: 'exact' }, { cmd: ['SMEMBERS', k], judge: 'afterEncoding' });
    } else if (r < 53) out.push({ cmd: ['SINTER', k, ...Array.from({ length: rng.below(3) }, anyKey)], judge: 'unordered' });
    else if (r < 58) out.push({ cmd: ['SUNION', k, ...Array.from({ length: rng.below(3) }, anyKey)], judge: 'sunion' });
    else if (r < 62) out.push({ cmd: ['SDIFF', k, ...Array.from({ length: rng.below(3) }, anyKey)], judge: 'unordered' });
    else if (r < 65) {
      const ks = [k, ...Array.from({ length: rng.below(3) }, anyKey)];
      const cmd: string[] = ['SINTERCARD', String(ks.length), ...ks];
      if (rng.below(2)) cmd.push('LIMIT', String(rng.below(5)));
      out.push({ cmd, judge: 'exact' });
    } else if (r < 72) {
      const op = pick(['SINTERSTORE', 'SUNIONSTORE', 'SDIFFSTORE']);
      const dst = rng.below(4) === 0 ? pick(['str', 'dst', 'h']) : pick(SET_KEYS);
      out.push({ cmd: [op, dst, k, ...Array.from({ length: rng.below(3) }, anyKey)], judge: 'exact' });
      if (dst === 'str' || dst === 'h') out.push({ cmd: ['DEL', dst], judge: 'exact' }, { cmd: dst === 'str' ? ['SET', 'str', 'v'] : ['HSET', 'h', 'f', 'v'], judge: 'exact' });
    } else if (r < 78) out.push({ cmd: ['SMOVE', k, anyKey(), pick(STREAM_MEMBERS)], judge: 'exact' });
    else if (r < 84) {
      const count = pick([1, 2, 3, 5, 10, 40, 100, -1, -3, -20]);
      out.push({ cmd: ['SMEMBERS', k], judge: 'unordered' },
        { cmd: ['SRANDMEMBER', k, String(count)], judge: count > 0 ? 'pickDistinct' : 'pick' });
    } else if (r < 86) out.push({ cmd: ['SMEMBERS', k], judge: 'unordered' }, { cmd: ['SRANDMEMBER', k], judge: 'pick' });
    else if (r < 90) {
      // SPOP on a scratch key rebuilt each time, so both sides stay in step.
      out.push({ cmd: ['DEL', 'tmp'], judge: 'exact' }, { cmd: ['SADD', 'tmp', ...members(30)], judge: 'exact' },
        { cmd: ['SMEMBERS', 'tmp'], judge: 'unordered' },
        { cmd: rng.below(3) === 0 ? ['SPOP', 'tmp'] : ['SPOP', 'tmp', String(rng.below(35))], judge: 'pickDistinct' },
        { cmd: ['SCARD', 'tmp'], judge: 'exact' }, { cmd: ['DEL', 'tmp'], judge: 'exact' });
    } else if (r < 94) out.push({ cmd: ['SSCAN', k, '0', 'COUNT', '100000', ...(rng.below(2) ? ['MATCH', pick(['*1*', 'm*', '-*', '?'])] : [])], judge: 'unordered' });
    else if (r < 97) out.push({ cmd: ['OBJECT', 'ENCODING', k], judge: 'exact' });
    else if (r < 98) out.push({ cmd: ['DEL', pick(SET_KEYS)], judge: 'exact' });
    else out.push({ cmd: ['TYPE', k], judge: 'exact' });
  }
  return out;
}

const CANONICAL_INT = /^(0|-?[1-9]\d{0,18})$/;

async function runSetStream(p: ClientPair, seed: number, n: number, maxIntset: number): Promise<void> {
  const stream = generateSetStream(seed, n);
  let lastEncoding = '';
  let lastMembers: string[] = [];
  const batch = 200;
  for (let i = 0; i < stream.length; i += batch) {
    const chunk = stream.slice(i, i + batch);
    const cmds = chunk.map((j) => wire(j.cmd));
    const [rs, es] = await Promise.all([p.real.pipeline(cmds), p.engine.pipeline(cmds)]);
    for (let j = 0; j < chunk.length; j++) {
      const { cmd, judge } = chunk[j];
      const r = rs[j], e = es[j];
      const where = `#${i + j} ${describeCommand(cmds[j])} (after: ${stream.slice(Math.max(0, i + j - 4), i + j).map((x) => describeCommand(x.cmd)).join(' ; ')})`;
      const isError = r[0] === 0x2d || e[0] === 0x2d;
      let mode = judge;
      if (isError) mode = 'exact';
      if (mode === 'afterEncoding') mode = lastEncoding.includes('intset') ? 'exact' : 'unordered';
      if (mode === 'sunion') {
        const got = texts(parseResp(r));
        mode = got.length <= maxIntset && got.every((m) => CANONICAL_INT.test(m)) ? 'exact' : 'unordered';
      }
      if (mode === 'exact') {
        expect(show(e), where).toBe(show(r));
      } else if (mode === 'unordered') {
        expect(unordered(parseResp(e)), where).toBe(unordered(parseResp(r)));
      } else {
        // Random picks: same shape and size, members of the set seen just before.
        const rv = parseResp(r), ev = parseResp(e);
        const type = wireType(rv);
        expect(wireType(ev), where).toBe(type);
        if (type === '$' || type === '_') {
          if (rv.t === 'bulk') expect(lastMembers, where).toContain(text(ev));
          else expect(show(e), where).toBe(show(r));
        } else {
          const got = texts(ev);
          expect(got.length, where).toBe(texts(rv).length);
          for (const m of got) expect(lastMembers, where).toContain(m);
          if (mode === 'pickDistinct') expect(new Set(got).size, where).toBe(got.length);
        }
      }
      if (cmd[0] === 'OBJECT') lastEncoding = r.toString('latin1');
      if ((cmd[0] === 'SMEMBERS') && r[0] !== 0x2d) lastMembers = texts(parseResp(r));
    }
  }
}

describe('seeded random streams', () => {
  it('default thresholds, RESP2', async () => {
    await pair.main.both('DEL', ...SET_KEYS, 'str', 'h', 'dst', 'tmp');
    await runSetStream(pair.main, 42, 4000, 512);
  });

  it('default thresholds, RESP3', async () => {
    const c = await pair.connect();
    await c.both('HELLO', '3');
    await c.both('DEL', ...SET_KEYS, 'str', 'h', 'dst', 'tmp');
    await runSetStream(c, 7, 3000, 512);
    c.close();
  });
});
