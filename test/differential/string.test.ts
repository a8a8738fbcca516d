// String commands against a real redis-server 7.0: scripted cases for every command and error
// path, encodings across the int/embstr/raw boundaries, and a seeded random stream.
import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import { SeededRandom } from '../../src/engine/sim/random.ts';
import { DifferentialPair, checkRandomStream, type Command } from './harness.ts';

let pair: DifferentialPair;
beforeAll(async () => { pair = await DifferentialPair.start(); });
afterAll(async () => { await pair?.stop(); });
beforeEach(async () => { await pair.reset(); });

const bin = (...bytes: number[]) => Buffer.from(bytes);
const latin1 = (s: string) => Buffer.from(s, 'latin1');
const check = (...cmd: Command) => pair.check(...cmd);

const all = (cmds: Command[]) => pair.checkAll(cmds);

describe('GET / SET', () => {
  it('sets and gets, binary safe', async () => {
    await all([
      ['GET', 'nokey'],
      ['SET', 'k', 'v'], ['GET', 'k'],
      ['SET', 'k', ''], ['GET', 'k'], ['STRLEN', 'k'],
      ['SET', 'bin', bin(0, 1, 2, 0, 255, 254, 13, 10)], ['GET', 'bin'], ['STRLEN', 'bin'],
      ['SET', bin(0, 255), bin(128)], ['GET', bin(0, 255)],
      ['SET', 'k', 'a', 'b'], ['SET', 'k'], ['GET'], ['GET', 'a', 'b'],
    ]);
  });

  it('honours NX and XX', async () => {
    await all([
      ['SET', 'k', '1', 'NX'], ['SET', 'k', '2', 'NX'], ['GET', 'k'],
      ['SET', 'k', '3', 'XX'], ['GET', 'k'], ['SET', 'other', '1', 'XX'], ['GET', 'other'],
      ['SET', 'k', '1', 'NX', 'XX'], ['SET', 'k', '1', 'XX', 'NX'], ['SET', 'k', '1', 'nx', 'nx'],
      ['SET', 'k', '1', 'xx', 'xX'], ['SET', 'k', 'v', 'NXX'], ['SET', 'k', 'v', 'N'],
      // options are compared as C strings: a NUL byte ends them
      ['SET', 'k', 'v', latin1('XX\0abc')], ['SET', 'k', 'w', latin1('KEEPTTL\0x')], ['GET', 'k'],
      ['SET', 'k', 'v', latin1('EX\0'), '10'], ['TTL', 'k'], ['SET', 'k', 'v', latin1('G\0')],
      ['GETEX', 'k', latin1('PERSIST\0zz')], ['TTL', 'k'], ['LCS', 'k', 'k', latin1('LEN\0')],
    ]);
  });

  it('returns the old value with GET, also with NX/XX', async () => {
    await all([
      ['SET', 'k', 'old', 'GET'], ['SET', 'k', 'new', 'GET'], ['GET', 'k'],
      ['SET', 'k', 'x', 'NX', 'GET'], ['GET', 'k'],
      ['SET', 'n', 'x', 'NX', 'GET'], ['GET', 'n'],
      ['SET', 'm', 'x', 'XX', 'GET'], ['GET', 'm'],
      ['SET', 'k', 'y', 'XX', 'GET'], ['GET', 'k'],
      ['SET', 'k', 'z', 'GET', 'GET', 'get'],
      ['HSET', 'h', 'f', 'v'], ['SET', 'h', 'v', 'GET'], ['TYPE', 'h'],
      ['SET', 'h', 'v', 'GET', 'NX'], ['SET', 'h', 'v'], ['TYPE', 'h'],
    ]);
  });

  it('sets expiries and validates them', async () => {
    const future = String(Math.floor(Date.now() / 1000) + 1000);
    const futureMs = String(Date.now() + 1000000);
    await all([
      ['SET', 'k', 'v', 'EX', '100'], ['TTL', 'k'],
      ['SET', 'k', 'v', 'PX', '100000'], ['TTL', 'k'],
      ['SET', 'k', 'v', 'EXAT', future], ['TTL', 'k'],
      ['SET', 'k', 'v', 'PXAT', futureMs], ['TTL', 'k'],
      ['SET', 'k', 'v2', 'KEEPTTL'], ['TTL', 'k'], ['GET', 'k'],
      ['SET', 'k', 'v3'], ['TTL', 'k'],
      ['SET', 'k', 'v', 'ex', '100', 'GET'], ['SET', 'k', 'w', 'GET', 'keepttl'], ['TTL', 'k'],
      ['SET', 'k', 'v', 'EX', '0'], ['SET', 'k', 'v', 'EX', '-1'], ['SET', 'k', 'v', 'PX', '0'],
      ['SET', 'k', 'v', 'EXAT', '0'], ['SET', 'k', 'v', 'PXAT', '-5'],
      ['SET', 'k', 'v', 'EX', 'abc'], ['SET', 'k', 'v', 'EX', '1.5'], ['SET', 'k', 'v', 'EX', ''],
      ['SET', 'k', 'v', 'EX', '9223372036854775807'], ['SET', 'k', 'v', 'EX', '9223372036854775'],
      ['SET', 'k', 'v', 'EX', '9223372036854774'], ['SET', 'k', 'v', 'EX', '9223372036854776'],
      ['SET', 'k', 'v', 'PX', '9223372036854775807'], ['SET', 'k', 'v', 'PX', '9223372036854775808'],
      ['SET', 'k', 'v', 'EXAT', '9223372036854775'], ['SET', 'k', 'v', 'EXAT', '9223372036854776'],
      ['SET', 'k', 'v', 'EX'], ['SET', 'k', 'v', 'PX'], ['SET', 'k', 'v', 'EX', '10', 'PX', '10'],
      ['SET', 'k', 'v', 'EX', '10', 'EX', '10'], ['SET', 'k', 'v', 'EX', '10', 'KEEPTTL'],
      ['SET', 'k', 'v', 'KEEPTTL', 'EX', '10'], ['SET', 'k', 'v', 'PXAT', '10', 'EXAT', '10'],
      ['SET', 'k', 'v', 'PERSIST'], ['SET', 'k', 'v', 'KEEPTTL', 'KEEPTTL'], ['GET', 'k'],
      // a syntax error wins over a bad expire, and a bad expire over WRONGTYPE
      ['HSET', 'h', 'f', 'v'], ['SET', 'h', 'v', 'EX', 'x', 'GET'], ['SET', 'h', 'v', 'EX', '10', 'GET'],
      ['SET', 'h', 'v', 'EX', 'x', 'BAD'],
    ]);
  });

  it('expires a key set with a past absolute time', async () => {
    await all([
      ['SET', 'k', 'v', 'EXAT', '1'], ['GET', 'k'], ['EXISTS', 'k'],
      ['SET', 'k', 'v', 'PXAT', '1000'], ['GET', 'k'],
    ]);
  });

  it('SETNX, SETEX, PSETEX, GETSET', async () => {
    await all([
      ['SETNX', 'k', 'a'], ['SETNX', 'k', 'b'], ['GET', 'k'],
      ['SETEX', 'e', '100', 'v'], ['TTL', 'e'], ['GET', 'e'],
      ['SETEX', 'e', '0', 'v'], ['SETEX', 'e', '-10', 'v'], ['SETEX', 'e', 'x', 'v'],
      ['SETEX', 'e', '9223372036854775807', 'v'], ['TTL', 'e'],
      ['PSETEX', 'p', '100000', 'v'], ['TTL', 'p'], ['PSETEX', 'p', '0', 'v'], ['PSETEX', 'p', 'x', 'v'],
      ['PSETEX', 'p', '9223372036854775807', 'v'],
      ['GETSET', 'e', 'new'], ['TTL', 'e'], ['GETSET', 'missing', 'v'], ['GET', 'missing'],
      ['HSET', 'h', 'f', 'v'], ['GETSET', 'h', 'v'], ['SETNX', 'h', 'v'], ['SETEX', 'h', '10', 'v'], ['TYPE', 'h'],
      ['SETNX', 'k'], ['SETEX', 'k', '10'], ['GETSET', 'k'],
    ]);
  });
});

describe('GETDEL / GETEX / MGET / MSET', () => {
  it('GETDEL', async () => {
    await all([
      ['SET', 'k', 'v'], ['GETDEL', 'k'], ['GETDEL', 'k'], ['EXISTS', 'k'],
      ['HSET', 'h', 'f', 'v'], ['GETDEL', 'h'], ['EXISTS', 'h'],
    ]);
  });

  it('GETEX with every option', async () => {
    const future = String(Math.floor(Date.now() / 1000) + 1000);
    await all([
      ['GETEX', 'missing'], ['GETEX', 'missing', 'EX', 'abc'], ['GETEX', 'missing', 'BAD'],
      ['SET', 'k', 'v'], ['GETEX', 'k'], ['TTL', 'k'],
      ['GETEX', 'k', 'EX', '100'], ['TTL', 'k'], ['GETEX', 'k', 'PERSIST'], ['TTL', 'k'],
      ['GETEX', 'k', 'PX', '100000'], ['TTL', 'k'], ['GETEX', 'k', 'EXAT', future], ['TTL', 'k'],
      ['GETEX', 'k', 'PXAT', String(Date.now() + 200000)], ['TTL', 'k'],
      ['GETEX', 'k', 'EX', '0'], ['GETEX', 'k', 'EX', '-1'], ['GETEX', 'k', 'EX', 'x'],
      ['GETEX', 'k', 'EX', '9223372036854775807'], ['GETEX', 'k', 'PX', '9223372036854775807'],
      ['GETEX', 'k', 'EX', '10', 'PX', '10'], ['GETEX', 'k', 'PERSIST', 'EX', '10'],
      ['GETEX', 'k', 'EX', '10', 'PERSIST'], ['GETEX', 'k', 'KEEPTTL'], ['GETEX', 'k', 'NX'], ['GETEX', 'k', 'GET'],
      ['GETEX', 'k', 'EX'], ['GETEX', 'k', 'PERSIST', 'PERSIST'], ['TTL', 'k'],
      ['GETEX', 'k', 'EXAT', '1'], ['EXISTS', 'k'],
      ['SET', 'k', 'v'], ['GETEX', 'k', 'PXAT', '1'], ['EXISTS', 'k'],
      ['HSET', 'h', 'f', 'v'], ['GETEX', 'h'], ['GETEX', 'h', 'EX', 'x'], ['GETEX', 'h', 'BAD'],
    ]);
  });

  it('MGET skips non-strings', async () => {
    await all([
      ['MSET', 'a', '1', 'b', '2'], ['HSET', 'h', 'f', 'v'],
      ['MGET', 'a', 'b', 'c', 'h', 'a'], ['MGET', 'nothing'],
    ]);
  });

  it('MSET and MSETNX', async () => {
    await all([
      ['MSET', 'a', '1', 'b'], ['MSET', 'a'], ['MSETNX', 'a', '1', 'b'],
      ['SET', 'x', 'v', 'EX', '100'], ['MSET', 'x', '1', 'x', '2', 'y', '3'], ['MGET', 'x', 'y'], ['TTL', 'x'],
      ['MSETNX', 'p', '1', 'q', '2'], ['MSETNX', 'q', '3', 'r', '4'], ['MGET', 'p', 'q', 'r'],
      ['HSET', 'h', 'f', 'v'], ['MSET', 'h', 'str'], ['TYPE', 'h'], ['MSETNX', 'h', 'v', 'z', 'v'],
      ['MSETNX', 'dup', '1', 'dup', '2'], ['GET', 'dup'],
    ]);
  });
});

describe('APPEND / STRLEN / SETRANGE / GETRANGE', () => {
  it('APPEND', async () => {
    await all([
      ['APPEND', 'k', 'hello'], ['APPEND', 'k', ' world'], ['GET', 'k'], ['APPEND', 'k', ''],
      ['APPEND', 'e', ''], ['EXISTS', 'e'], ['GET', 'e'],
      ['APPEND', 'b', bin(0, 255)], ['APPEND', 'b', bin(0)], ['GET', 'b'], ['STRLEN', 'b'],
      ['SET', 'n', '10'], ['APPEND', 'n', '5'], ['GET', 'n'], ['INCR', 'n'],
      ['SET', 'x', 'v', 'EX', '100'], ['APPEND', 'x', 'w'], ['TTL', 'x'],
      ['HSET', 'h', 'f', 'v'], ['APPEND', 'h', 'x'], ['STRLEN', 'h'], ['STRLEN', 'missing'],
    ]);
  });

  it('SETRANGE pads with zero bytes and checks offsets', async () => {
    await all([
      ['SETRANGE', 'k', '0', ''], ['EXISTS', 'k'],
      ['SETRANGE', 'k', '5', 'ab'], ['GET', 'k'], ['SETRANGE', 'k', '0', 'X'], ['GET', 'k'],
      ['SETRANGE', 'k', '2', 'middle-overflowing'], ['GET', 'k'], ['SETRANGE', 'k', '1', ''],
      ['SETRANGE', 'k', '-1', 'x'], ['SETRANGE', 'k', 'x', 'x'], ['SETRANGE', 'k', '1.5', 'x'],
      ['SETRANGE', 'missing', '-1', ''], ['SETRANGE', 'missing', 'abc', ''],
      ['SETRANGE', 'k', '536870912', ''], ['SETRANGE', 'k', '9223372036854775807', 'x'],
      ['SETRANGE', 'k', '536870912', 'x'], ['SETRANGE', 'new', '536870912', 'x'], ['EXISTS', 'new'],
      ['SETRANGE', 'k', '536870900', bin(...new Array(40).fill(65))],
      ['SET', 'n', '1234'], ['SETRANGE', 'n', '1', 'x'], ['GET', 'n'],
      ['SET', 'x', 'v', 'EX', '100'], ['SETRANGE', 'x', '3', 'w'], ['TTL', 'x'], ['GET', 'x'],
      ['HSET', 'h', 'f', 'v'], ['SETRANGE', 'h', '0', 'x'], ['SETRANGE', 'h', '0', ''], ['SETRANGE', 'h', '-1', 'x'],
    ]);
  });

  it('GETRANGE and SUBSTR over every index shape', async () => {
    await check('SET', 'k', 'Hello, World');
    await check('SET', 'n', '-12345');
    await check('SET', 'e', '');
    const idx = ['0', '1', '-1', '-2', '5', '11', '12', '100', '-100', '-12', '-13', '9223372036854775807',
      '-9223372036854775808'];
    const cmds: Command[] = [];
    for (const key of ['k', 'n', 'e', 'missing']) {
      for (const s of idx) for (const e of idx) cmds.push(['GETRANGE', key, s, e]);
      cmds.push(['SUBSTR', key, '0', '-1']);
    }
    cmds.push(['GETRANGE', 'k', 'x', '1'], ['GETRANGE', 'k', '1', 'x'], ['GETRANGE', 'missing', 'x', '1'],
      ['GETRANGE', 'k', '9223372036854775808', '1'], ['HSET', 'h', 'f', 'v'], ['GETRANGE', 'h', '0', '1'],
      ['GETRANGE', 'h', 'x', '1']);
    await all(cmds);
  });
});

describe('counters', () => {
  it('INCR / DECR / INCRBY / DECRBY with exact 64-bit limits', async () => {
    await all([
      ['INCR', 'c'], ['INCR', 'c'], ['DECR', 'c'], ['DECR', 'c'], ['DECR', 'c'], ['GET', 'c'],
      ['INCRBY', 'c', '100'], ['DECRBY', 'c', '50'], ['INCRBY', 'c', '-1000'], ['DECRBY', 'c', '-7'],
      ['SET', 'm', '9223372036854775806'], ['INCR', 'm'], ['INCR', 'm'], ['GET', 'm'],
      ['SET', 'm', '-9223372036854775807'], ['DECR', 'm'], ['DECR', 'm'], ['INCRBY', 'm', '-1'],
      ['INCRBY', 'm', '9223372036854775807'], ['INCRBY', 'm', '1'], ['GET', 'm'],
      ['SET', 'z', '0'], ['DECRBY', 'z', '-9223372036854775808'], ['DECRBY', 'z', '9223372036854775807'],
      ['DECRBY', 'z', '1'], ['DECRBY', 'z', '1'], ['GET', 'z'],
      ['INCRBY', 'z', '9223372036854775808'], ['INCRBY', 'z', 'x'], ['INCRBY', 'z', ''], ['INCRBY', 'z', '1.0'],
      ['INCRBY', 'z', ' 1'], ['INCRBY', 'z', '+1'], ['INCRBY', 'z', '01'], ['INCRBY', 'z', '-0'],
      ['SET', 's', 'abc'], ['INCR', 's'], ['SET', 's', '1.5'], ['INCR', 's'], ['SET', 's', ' 1'], ['INCR', 's'],
      ['SET', 's', '1 '], ['INCR', 's'], ['SET', 's', '007'], ['INCR', 's'], ['SET', 's', '9223372036854775808'],
      ['INCR', 's'], ['SET', 's', ''], ['INCR', 's'], ['SET', 's', '-0'], ['DECR', 's'],
      ['SET', 's', '18446744073709551616'], ['INCR', 's'],
      ['SET', 'x', '5', 'EX', '100'], ['INCR', 'x'], ['TTL', 'x'], ['INCRBY', 'x', '100000'], ['TTL', 'x'],
      ['HSET', 'h', 'f', 'v'], ['INCR', 'h'], ['DECR', 'h'], ['INCRBY', 'h', '1'], ['INCRBY', 'h', 'x'],
      ['DECRBY', 'h', '1'],
    ]);
  });

  it('INCRBYFLOAT in extended precision', async () => {
    await all([
      ['INCRBYFLOAT', 'f', '0.1'], ['INCRBYFLOAT', 'f', '0.2'], ['GET', 'f'],
      ['INCRBYFLOAT', 'f', '-0.3'], ['INCRBYFLOAT', 'f', '1e3'], ['INCRBYFLOAT', 'f', '-1000'],
      ['INCRBYFLOAT', 'g', '1.5e308'], ['INCRBYFLOAT', 'g', '1.5e308'], ['STRLEN', 'g'],
      ['INCRBYFLOAT', 'g', '1e4932'], ['INCRBYFLOAT', 'g', 'inf'], ['INCRBYFLOAT', 'g', '-inf'],
      ['INCRBYFLOAT', 'g', 'nan'], ['INCRBYFLOAT', 'g', 'abc'], ['INCRBYFLOAT', 'g', ''], ['INCRBYFLOAT', 'g', ' 1'],
      ['INCRBYFLOAT', 'g', '1 '], ['INCRBYFLOAT', 'g', '0x10'], ['INCRBYFLOAT', 'g', '1e5000'], ['GET', 'g'],
      ['INCRBYFLOAT', 'h1', '0.000003814697265625'], ['INCRBYFLOAT', 'h2', '-0.000000000000000001'],
      ['INCRBYFLOAT', 'h3', '3.0e3'], ['INCRBYFLOAT', 'h4', '5.0'], ['INCRBYFLOAT', 'h5', '1e-4950'],
      ['INCRBYFLOAT', 'h6', '1e-5000'], ['INCRBYFLOAT', 'h7', '18446744073709551615'],
      ['INCRBYFLOAT', 'h8', '.5'], ['INCRBYFLOAT', 'h9', '5.'], ['INCRBYFLOAT', 'h10', '+7'],
      ['SET', 'i', '10'], ['INCRBYFLOAT', 'i', '0.5'], ['INCRBYFLOAT', 'i', '-0.5'], ['GET', 'i'],
      ['SET', 'i', '9223372036854775807'], ['INCRBYFLOAT', 'i', '1'],
      ['SET', 'j', 'inf'], ['INCRBYFLOAT', 'j', '1'], ['SET', 'j', 'abc'], ['INCRBYFLOAT', 'j', '1'],
      ['SET', 'j', ' 5'], ['INCRBYFLOAT', 'j', '1'], ['SET', 'j', '1e10'], ['INCRBYFLOAT', 'j', '1'],
      ['SET', 'x', '1', 'EX', '100'], ['INCRBYFLOAT', 'x', '1.25'], ['TTL', 'x'],
      ['HSET', 'h', 'f', 'v'], ['INCRBYFLOAT', 'h', '1'], ['INCRBYFLOAT', 'h', 'abc'],
    ]);
  });
});

describe('LCS', () => {
  it('matches strings, lengths and ranges', async () => {
    await all([
      ['MSET', 'key1', 'ohmytext', 'key2', 'mynewtext'],
      ['LCS', 'key1', 'key2'], ['LCS', 'key1', 'key2', 'LEN'], ['LCS', 'key1', 'key2', 'IDX'],
      ['LCS', 'key1', 'key2', 'IDX', 'MINMATCHLEN', '4'], ['LCS', 'key1', 'key2', 'IDX', 'MINMATCHLEN', '4', 'WITHMATCHLEN'],
      ['LCS', 'key1', 'key2', 'IDX', 'WITHMATCHLEN'], ['LCS', 'key1', 'key2', 'WITHMATCHLEN'],
      ['LCS', 'key1', 'key2', 'MINMATCHLEN', '-5', 'IDX'], ['LCS', 'key1', 'key2', 'MINMATCHLEN', 'x'],
      ['LCS', 'key1', 'key2', 'MINMATCHLEN'], ['LCS', 'key1', 'key2', 'LEN', 'IDX'], ['LCS', 'key1', 'key2', 'BAD'],
      ['LCS', 'key1', 'missing'], ['LCS', 'missing', 'key1', 'IDX'], ['LCS', 'missing', 'other', 'LEN'],
      ['LCS', 'key1', 'key1', 'IDX', 'WITHMATCHLEN'],
      ['SET', 'n1', '1234567'], ['SET', 'n2', '2345'], ['LCS', 'n1', 'n2', 'IDX', 'WITHMATCHLEN'],
      ['SET', 'b1', bin(0, 1, 2, 255, 0)], ['SET', 'b2', bin(1, 0, 255, 0)], ['LCS', 'b1', 'b2'], ['LCS', 'b1', 'b2', 'IDX'],
      ['HSET', 'h', 'f', 'v'], ['LCS', 'h', 'key1'], ['LCS', 'key1', 'h'], ['LCS', 'h', 'key1', 'BAD'],
    ]);
  });

  it('agrees on random strings over a small alphabet', async () => {
    const rnd = new SeededRandom(7);
    const str = (n: number) => Array.from({ length: n }, () => 'abcd'[rnd.below(4)]).join('');
    const cmds: Command[] = [];
    for (let t = 0; t < 60; t++) {
      cmds.push(['MSET', 'a', str(rnd.below(40)), 'b', str(rnd.below(40))]);
      cmds.push(['LCS', 'a', 'b'], ['LCS', 'a', 'b', 'LEN'], ['LCS', 'a', 'b', 'IDX', 'WITHMATCHLEN'],
        ['LCS', 'a', 'b', 'IDX', 'MINMATCHLEN', String(rnd.below(4))]);
    }
    await all(cmds);
  });

  it('refuses tables larger than proto-max-bulk-len', async () => {
    await check('SET', 'big1', 'x'.repeat(12000));
    await check('SET', 'big2', 'y'.repeat(12000));
    await check('LCS', 'big1', 'big2', 'LEN');
  });
});

describe('encodings', () => {
  it('picks int, embstr and raw like tryObjectEncoding', async () => {
    const values = ['0', '1', '9999', '10000', '-1', '123', '-0', '01', ' 1', '1 ', '+1', '1.0', '1e3',
      '9223372036854775807', '9223372036854775808', '-9223372036854775808', '-9223372036854775809',
      '12345678901234567890', '123456789012345678901', '', 'a', 'x'.repeat(44), 'x'.repeat(45), 'x'.repeat(1000)];
    for (const v of values) {
      await all([['SET', 'k', v], ['OBJECT', 'ENCODING', 'k'], ['OBJECT', 'REFCOUNT', 'k'], ['GET', 'k']]);
    }
  });

  it('changes encoding as commands rewrite values', async () => {
    await all([
      ['SET', 'k', '5'], ['APPEND', 'k', '5'], ['OBJECT', 'ENCODING', 'k'], ['INCR', 'k'], ['OBJECT', 'ENCODING', 'k'],
      ['OBJECT', 'REFCOUNT', 'k'], ['INCRBY', 'k', '10000'], ['OBJECT', 'REFCOUNT', 'k'], ['INCRBY', 'k', '-10056'],
      ['OBJECT', 'REFCOUNT', 'k'], ['OBJECT', 'ENCODING', 'k'],
      ['SET', 'e', 'abc'], ['SETRANGE', 'e', '0', 'x'], ['OBJECT', 'ENCODING', 'e'],
      ['SETRANGE', 'new', '3', 'x'], ['OBJECT', 'ENCODING', 'new'],
      ['APPEND', 'ap', '12'], ['OBJECT', 'ENCODING', 'ap'], ['APPEND', 'ap', 'x'], ['OBJECT', 'ENCODING', 'ap'],
      ['APPEND', 'ap2', 'x'.repeat(50)], ['OBJECT', 'ENCODING', 'ap2'],
      ['INCRBYFLOAT', 'f', '1'], ['OBJECT', 'ENCODING', 'f'], ['INCRBYFLOAT', 'f', '1e50'], ['OBJECT', 'ENCODING', 'f'],
      ['INCR', 'f'], ['SET', 'f2', '3'], ['INCRBYFLOAT', 'f2', '2'], ['OBJECT', 'ENCODING', 'f2'], ['INCR', 'f2'],
      ['OBJECT', 'ENCODING', 'f2'], ['OBJECT', 'REFCOUNT', 'f2'],
      ['MSET', 'm1', '7', 'm2', 'x'.repeat(45), 'm3', 'abc'], ['OBJECT', 'ENCODING', 'm1'], ['OBJECT', 'ENCODING', 'm2'],
      ['OBJECT', 'ENCODING', 'm3'], ['GETSET', 'm3', '8'], ['OBJECT', 'ENCODING', 'm3'],
      ['SETEX', 's', '100', '12'], ['OBJECT', 'ENCODING', 's'], ['SETNX', 'sn', 'x'.repeat(45)], ['OBJECT', 'ENCODING', 'sn'],
      ['INCR', 'ni'], ['OBJECT', 'ENCODING', 'ni'], ['OBJECT', 'REFCOUNT', 'ni'],
      ['SET', 'big', '-123456'], ['INCR', 'big'], ['OBJECT', 'ENCODING', 'big'], ['OBJECT', 'REFCOUNT', 'big'],
    ]);
  });

  it('reports memory usage like Redis', async () => {
    const cmds: Command[] = [];
    for (const v of ['5', '12345', '-1', 'hello', 'x'.repeat(44), 'x'.repeat(45), 'x'.repeat(50), 'x'.repeat(300), 'x'.repeat(5000)]) {
      cmds.push(['SET', 'k', v], ['MEMORY', 'USAGE', 'k']);
    }
    cmds.push(['SET', 'a', 'x'.repeat(50)], ['APPEND', 'a', 'y'], ['MEMORY', 'USAGE', 'a'],
      ['APPEND', 'a', 'z'.repeat(100)], ['MEMORY', 'USAGE', 'a'], ['SETRANGE', 'r', '100', 'x'], ['MEMORY', 'USAGE', 'r'],
      ['SETRANGE', 'r', '1000', 'x'], ['MEMORY', 'USAGE', 'r'], ['SET', 'e', 'abc'], ['APPEND', 'e', 'd'],
      ['MEMORY', 'USAGE', 'e']);
    await all(cmds);
  });
});

describe('RESP3', () => {
  it('replies nulls and the LCS IDX map in RESP3', async () => {
    const c = await pair.connect();
    await c.both('HELLO', '3');
    for (const cmd of [
      ['GET', 'missing'], ['SET', 'k', 'v', 'GET'], ['SET', 'k', 'w', 'GET'], ['SET', 'k', 'x', 'NX'],
      ['GETDEL', 'nothing'], ['GETEX', 'nothing'], ['MGET', 'k', 'nothing'], ['GETRANGE', 'nothing', '0', '1'],
      ['MSET', 'a', 'ohmytext', 'b', 'mynewtext'], ['LCS', 'a', 'b', 'IDX', 'WITHMATCHLEN'], ['LCS', 'a', 'b', 'LEN'],
      ['INCRBYFLOAT', 'f', '1.5'], ['INCR', 'i'],
    ] as Command[]) await c.check(...cmd);
    c.close();
  });
});

describe('big values', () => {
  it('sizes large arguments like Redis', async () => {
    const cmds: Command[] = [];
    for (const n of [32768, 40000, 100000]) {
      cmds.push(['SET', 'k', 'x'.repeat(n)], ['MEMORY', 'USAGE', 'k'], ['STRLEN', 'k'], ['APPEND', 'k', 'y'],
        ['MEMORY', 'USAGE', 'k'], ['GETRANGE', 'k', '-3', '-1']);
    }
    cmds.push(['SETRANGE', 'r', '1048576', 'x'], ['MEMORY', 'USAGE', 'r'], ['APPEND', 'r', 'y'], ['MEMORY', 'USAGE', 'r'],
      ['STRLEN', 'r'], ['GETRANGE', 'r', '1048570', '-1']);
    await all(cmds);
  });
});

describe('without shared integers (maxmemory with an LRU policy)', () => {
  let lru: DifferentialPair;
  beforeAll(async () => { lru = await DifferentialPair.start({ maxmemory: '100mb', 'maxmemory-policy': 'allkeys-lru' }); });
  afterAll(async () => { await lru?.stop(); });

  it('gives every integer value its own object', async () => {
    await lru.checkAll([
      ['SET', 'k', '5'], ['OBJECT', 'ENCODING', 'k'], ['OBJECT', 'REFCOUNT', 'k'],
      ['INCR', 'k'], ['OBJECT', 'REFCOUNT', 'k'], ['INCRBY', 'k', '20000'], ['OBJECT', 'REFCOUNT', 'k'],
      ['MSET', 'a', '0', 'b', '9999'], ['OBJECT', 'REFCOUNT', 'a'], ['OBJECT', 'REFCOUNT', 'b'],
      ['APPEND', 'c', '42'], ['OBJECT', 'ENCODING', 'c'], ['OBJECT', 'REFCOUNT', 'c'], ['MEMORY', 'USAGE', 'c'],
      ['INCR', 'new'], ['OBJECT', 'REFCOUNT', 'new'], ['OBJECT', 'ENCODING', 'new'],
    ]);
  });
});

describe('sds allocation as DEBUG SDSLEN shows it', () => {
  let dbg: DifferentialPair;
  beforeAll(async () => { dbg = await DifferentialPair.start({ 'enable-debug-command': 'yes' }); });
  afterAll(async () => { await dbg?.stop(); });

  it('tracks len, spare room and allocation through in-place edits', async () => {
    const rnd = new SeededRandom(99);
    const pick = <T>(xs: readonly T[]): T => xs[rnd.below(xs.length)];
    const value = () => pick(['5', '12345', 'abc', '', 'x'.repeat(44), 'x'.repeat(45), '1.5', 'y'.repeat(rnd.below(3000))]);
    const cmds: Command[] = [];
    for (let i = 0; i < 1500; i++) {
      const k = 'k' + rnd.below(4);
      cmds.push(pick<() => Command>([
        () => ['SET', k, value()], () => ['APPEND', k, value()], () => ['SETRANGE', k, String(rnd.below(5000)), value()],
        () => ['SETRANGE', k, '0', value()], () => ['INCRBYFLOAT', k, '1.5'], () => ['INCR', k],
        () => ['GETSET', k, value()], () => ['MSET', k, value()],
      ])());
      cmds.push(['DEBUG', 'SDSLEN', k], ['MEMORY', 'USAGE', k]);
    }
    await checkRandomStream(dbg.main, cmds);
  });
});

describe('random stream', () => {
  it('agrees on thousands of random string commands', async () => {
    const rnd = new SeededRandom(20240601);
    const pick = <T>(xs: readonly T[]): T => xs[rnd.below(xs.length)];
    const keys = ['s0', 's1', 's2', 's3', 's4', 's5', 'h', 'set'];
    const ints = ['0', '1', '-1', '9999', '10000', '42', '-10000', '9223372036854775807', '-9223372036854775808',
      '9223372036854775808', '100', '007', '-0', '+5', ' 3', '3 ', '1e2'];
    const floats = ['0.1', '-0.25', '1e10', '3.5', '1.5e-7', 'inf', 'nan', '0x1p-2', 'abc', '', '1e400', '-1e-300', '2.0'];
    const value = (): string | Buffer => {
      switch (rnd.below(7)) {
        case 0: return pick(ints);
        case 1: return pick(floats);
        case 2: return 'x'.repeat(pick([0, 1, 20, 43, 44, 45, 46, 100, 300]));
        case 3: return bin(...Array.from({ length: rnd.below(12) }, () => pick([0, 255, 128, 13, 10, 65, 48])));
        case 4: return String(rnd.below(30000) - 15000);
        case 5: return latin1('v' + rnd.below(1000));
        default: return pick(['hello', 'world', 'ab', 'b', '']);
      }
    };
    const idx = () => pick(['0', '1', '-1', '3', '-5', '10', '44', '45', '100', 'x']);
    const offset = () => pick(['0', '1', '5', '43', '44', '45', '50', '200', '-1', 'x']);
    const gen = (): Command => {
      const k = pick(keys);
      switch (rnd.below(30)) {
        case 0: return ['GET', k];
        case 1: return ['SET', k, value()];
        case 2: return ['SET', k, value(), ...pick([['NX'], ['XX'], ['GET'], ['NX', 'GET'], ['XX', 'GET'], ['KEEPTTL'], ['EX', '100'], ['PX', 'x'], ['EX', '0'], ['KEEPTTL', 'EX', '5']])];
        case 3: return ['SETNX', k, value()];
        case 4: return ['SETEX', k, pick(['100', '0', 'x']), value()];
        case 5: return ['GETSET', k, value()];
        case 6: return ['GETDEL', k];
        case 7: return ['GETEX', k, ...pick([[], ['PERSIST'], ['EX', '100'], ['PX', '0'], ['BAD']])];
        case 8: return ['MGET', k, pick(keys), pick(keys)];
        case 9: return ['MSET', k, value(), pick(keys), value()];
        case 10: return ['MSETNX', k, value(), pick(keys), value()];
        case 11: return ['APPEND', k, value()];
        case 12: return ['STRLEN', k];
        case 13: return ['SETRANGE', k, offset(), value()];
        case 14: return ['GETRANGE', k, idx(), idx()];
        case 15: return ['INCR', k];
        case 16: return ['DECR', k];
        case 17: return ['INCRBY', k, pick(ints)];
        case 18: return ['DECRBY', k, pick(ints)];
        case 19: return ['INCRBYFLOAT', k, pick([...floats, ...ints])];
        case 20: return ['LCS', k, pick(keys), ...pick([[], ['LEN'], ['IDX'], ['IDX', 'WITHMATCHLEN', 'MINMATCHLEN', '2']])];
        case 21: case 22: return ['OBJECT', 'ENCODING', k];
        case 23: return ['OBJECT', 'REFCOUNT', k];
        case 24: return ['TTL', k];
        case 25: return ['SUBSTR', k, idx(), idx()];
        case 26: return ['HSET', 'h', 'f', 'v'];
        case 27: return ['SADD', 'set', 'm'];
        case 28: return ['MEMORY', 'USAGE', pick(keys.slice(0, 6))];
        default: return ['DEL', k];
      }
    };
    const commands = Array.from({ length: 15000 }, gen);
    await checkRandomStream(pair.main, commands);
  });
});
