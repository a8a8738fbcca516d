// Keyspace notifications against real Redis 7.0: with notify-keyspace-events set the same way on
// both servers, a subscriber to __key*__:* must receive the same frames in the same order for
// every write command family, lazy and active expiry, transactions and the class filters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allCommands } from '../../src/engine/commands/index.ts';
import { SeededRandom } from '../../src/engine/sim/random.ts';
import { encodeCommand } from '../support/respClient.ts';
import { DifferentialPair, describeCommand, show, wire, type ClientPair, type Command } from './harness.ts';
import type { RespClient } from '../support/respClient.ts';

let pair: DifferentialPair;
/** Subscribed to every keyspace and keyevent channel, and to the sentinel channel. */
let sub: ClientPair;

beforeAll(async () => {
  pair = await DifferentialPair.start({ 'enable-debug-command': 'yes' });
  sub = await pair.connect();
  await sub.check('PSUBSCRIBE', '__key*__:*');
  await sub.check('SUBSCRIBE', 'sentinel');
  // Expiry happens only when a test asks for it: lazily on access, or actively in its own test.
  await pair.checkAll([['DEBUG', 'SET-ACTIVE-EXPIRE', '0']]);
});
afterAll(async () => { await pair?.stop(); });

/** A command whose reply is random by nature (SPOP, RANDOMKEY): its events are still compared. */
interface Loose { loose: Command }
type Step = Command | Loose;

/** The frames a subscriber got until the sentinel message, as text. */
async function drain(client: RespClient): Promise<string[]> {
  const out: string[] = [];
  for (;;) {
    const frame = (await client.next()).toString('latin1');
    if (frame.includes('sentinel-end')) return out;
    out.push(frame);
  }
}

/** "channel payload" for each pmessage frame: readable expectations. */
function events(frames: string[]): string[] {
  return frames.map((f) => {
    const parts = f.split('\r\n');
    // *4 $7 pmessage $len pattern $len channel $len payload
    return `${parts[6]} ${parts[8]}`;
  });
}

/**
 * Runs the steps on both servers with notify-keyspace-events set to `flags` (replies compared
 * byte for byte, except loose ones), then compares what the subscriber received on each side.
 * Returns the real server's frames.
 */
async function expectSameEvents(flags: string, steps: Step[], main: ClientPair = pair.main): Promise<string[]> {
  await main.checkAll([['CONFIG', 'SET', 'notify-keyspace-events', flags]]);
  const commands = steps.map((s) => wire('loose' in s ? s.loose : s));
  const [rs, es] = await Promise.all([main.real.pipeline(commands), main.engine.pipeline(commands)]);
  await main.checkAll([['CONFIG', 'SET', 'notify-keyspace-events', ''], ['PUBLISH', 'sentinel', 'sentinel-end']]);
  // Drained before anything is asserted, so a failure leaves nothing behind for the next test.
  const [real, engine] = await Promise.all([drain(sub.real), drain(sub.engine)]);
  steps.forEach((s, i) => {
    if (!('loose' in s)) expect(show(es[i]), `reply #${i} to: ${describeCommand(commands[i])}`).toBe(show(rs[i]));
  });
  expect(events(engine)).toEqual(events(real));
  expect(engine).toEqual(real);
  return real;
}

const ALL = 'KEAmn';
const has = (name: string) => name in allCommands;
let n = 0;
/** Fresh key names for one test. */
function keys(...names: string[]): string[] {
  n++;
  return names.map((x) => `n${n}:${x}`);
}

describe('strings', () => {
  it('SET and its options, SETNX, SETEX, PSETEX, GETSET, MSET, MSETNX', async () => {
    const [a, b, c, l] = keys('a', 'b', 'c', 'list');
    const got = await expectSameEvents(ALL, [
      ['SET', a, '1'], ['SET', a, '2'], ['SET', a, '3', 'NX'], ['SET', b, '1', 'XX'], ['SET', b, '1', 'NX'],
      ['SET', a, '4', 'EX', '100'], ['SET', a, '5', 'KEEPTTL'], ['SET', a, '6', 'PX', '100000', 'GET'],
      ['SET', c, 'x', 'GET'], ['SET', c, 'y', 'NX', 'GET'], ['SET', c, 'z', 'XX', 'GET'],
      ['RPUSH', l, 'x'], ['SET', l, 'x', 'GET'], ['SET', a, '7', 'EX', '0'], ['SET', a, '7', 'EXAT', '99999999999'],
      ['SET', a, '8', 'PXAT', '99999999999999'],
      ['SETNX', a, 'x'], ['SETNX', `${a}:nx`, 'x'], ['SETEX', a, '100', 'v'], ['PSETEX', b, '100000', 'v'],
      ['SETEX', a, '0', 'v'], ['GETSET', a, 'w'], ['GETSET', `${a}:gs`, 'w'], ['GETSET', l, 'w'],
      ['MSET', a, '1', b, '2', c, '3'], ['MSET', a, '1', a, '2'], ['MSETNX', a, '1', `${a}:new`, '2'],
      ['MSETNX', `${a}:m1`, '1', `${a}:m2`, '2'],
    ]);
    expect(events(got).slice(0, 4)).toEqual([`__keyspace@0__:${a} new`, `__keyevent@0__:new ${a}`,
      `__keyspace@0__:${a} set`, `__keyevent@0__:set ${a}`]);
  });

  it('GETDEL, GETEX and its options', async () => {
    const [a, b, l] = keys('a', 'b', 'list');
    await expectSameEvents(ALL, [
      ['SET', a, 'v'], ['GETDEL', a], ['GETDEL', a], ['SET', a, 'v'], ['GETEX', a], ['GETEX', a, 'EX', '100'],
      ['GETEX', a, 'PX', '100000'], ['GETEX', a, 'PERSIST'], ['GETEX', a, 'PERSIST'], ['GETEX', b, 'EX', '5'],
      ['GETEX', a, 'EXAT', '99999999999'], ['GETEX', a, 'PXAT', '1'], ['EXISTS', a], ['SET', a, 'v'],
      ['GETEX', a, 'EXAT', '1'], ['GETEX', a, 'EX', '0'], ['GETEX', a, 'EX', 'x'], ['RPUSH', l, 'x'],
      ['GETEX', l, 'PERSIST'], ['GETDEL', l],
    ]);
  });

  it('APPEND, SETRANGE, INCR family, INCRBYFLOAT', async () => {
    const [a, b, f, l] = keys('a', 'b', 'f', 'list');
    await expectSameEvents(ALL, [
      ['APPEND', a, 'x'], ['APPEND', a, 'yz'], ['APPEND', a, ''], ['SETRANGE', b, '0', ''], ['SETRANGE', b, '3', 'x'],
      ['SETRANGE', b, '0', ''], ['SETRANGE', b, '1', 'yy'], ['SETRANGE', b, '-1', 'x'],
      ['INCR', 'n'], ['INCR', a], ['DECR', `${a}:d`], ['INCRBY', `${a}:d`, '10'], ['DECRBY', `${a}:d`, '3'],
      ['INCRBY', `${a}:d`, 'x'], ['SET', `${a}:max`, '9223372036854775807'], ['INCR', `${a}:max`],
      ['INCRBYFLOAT', f, '1.5'], ['INCRBYFLOAT', f, '2'], ['INCRBYFLOAT', a, '1'], ['INCRBYFLOAT', f, 'inf'],
      ['RPUSH', l, 'x'], ['APPEND', l, 'x'], ['INCR', l], ['SETRANGE', l, '0', 'x'], ['DEL', 'n'],
    ]);
  });

  it('reads fire keymiss on a missing key (m), and nothing else', async () => {
    const [a, m] = keys('a', 'missing');
    const got = await expectSameEvents(ALL, [
      ['SET', a, 'hello'], ['GET', a], ['GET', m], ['MGET', a, m, `${m}2`], ['STRLEN', m], ['GETRANGE', m, '0', '1'],
      ['SUBSTR', m, '0', '1'], ['LCS', a, m], ['GETBIT', m, '0'], ['BITCOUNT', m], ['BITPOS', m, '1'],
      ['EXISTS', m], ['TYPE', m], ['TTL', m], ['PTTL', m], ['EXPIRETIME', m], ['TOUCH', m, a], ['OBJECT', 'ENCODING', m],
      ['GETDEL', m], ['GETEX', m],
    ]);
    expect(events(got)).toContain(`__keyspace@0__:${m} keymiss`);
  });

  it('bit commands: SETBIT, BITFIELD, BITOP', async () => {
    const [a, b, d, l] = keys('a', 'b', 'dest', 'list');
    await expectSameEvents(ALL, [
      ['SETBIT', a, '7', '1'], ['SETBIT', a, '7', '1'], ['SETBIT', a, '7', '0'], ['SETBIT', b, '100', '0'],
      ['BITFIELD', a, 'SET', 'u8', '0', '255'], ['BITFIELD', a, 'GET', 'u8', '0'], ['BITFIELD', `${a}:m`, 'GET', 'u8', '0'],
      ['BITFIELD', a, 'INCRBY', 'u8', '0', '1', 'OVERFLOW', 'FAIL', 'INCRBY', 'u8', '8', '300'],
      ['BITFIELD', `${a}:bf`, 'INCRBY', 'u2', '0', '5', 'OVERFLOW', 'FAIL'],
      ['BITFIELD_RO', a, 'GET', 'u8', '0'], ['BITFIELD_RO', `${a}:m`, 'GET', 'u8', '0'],
      ['BITOP', 'AND', d, a, b], ['BITOP', 'OR', d, `${a}:m`, `${b}:m`], ['BITOP', 'NOT', d, a], ['BITOP', 'XOR', `${d}2`, `${a}:m`],
      ['RPUSH', l, 'x'], ['SETBIT', l, '0', '1'], ['BITOP', 'AND', d, l],
    ]);
  });
});

describe('lists', () => {
  it('pushes, pops, inserts, sets, trims, removes, moves', async () => {
    const [a, b, m, s] = keys('a', 'b', 'missing', 'str');
    await expectSameEvents(ALL, [
      ['RPUSH', a, '1', '2', '3', '4', '5'], ['LPUSH', a, '0'], ['LPUSHX', m, 'x'], ['RPUSHX', m, 'x'], ['RPUSHX', a, '6'],
      ['LPOP', a], ['RPOP', a, '2'], ['LPOP', a, '0'], ['LPOP', m], ['RPOP', m, '2'], ['LSET', a, '0', 'x'],
      ['LSET', a, '99', 'x'], ['LSET', m, '0', 'x'], ['LINSERT', a, 'BEFORE', 'x', 'y'], ['LINSERT', a, 'AFTER', 'no', 'y'],
      ['LINSERT', m, 'AFTER', 'x', 'y'], ['LREM', a, '0', 'no'], ['LREM', a, '1', 'y'], ['LREM', m, '0', 'x'],
      ['LTRIM', a, '0', '-1'], ['LTRIM', a, '1', '-1'], ['LTRIM', m, '0', '1'],
      ['LMOVE', a, b, 'LEFT', 'RIGHT'], ['LMOVE', b, b, 'LEFT', 'LEFT'], ['RPOPLPUSH', a, b], ['RPOPLPUSH', m, b],
      ['LMPOP', '2', m, a, 'RIGHT', 'COUNT', '10'], ['LMPOP', '1', m, 'LEFT'], ['LMOVE', b, a, 'RIGHT', 'LEFT'],
      ['LRANGE', m, '0', '-1'], ['LLEN', m], ['LINDEX', m, '0'], ['LPOS', m, 'x'],
      ['SET', s, 'v'], ['LPUSH', s, 'x'], ['LMOVE', b, s, 'LEFT', 'LEFT'], ['RPOPLPUSH', b, s],
      ['RPUSH', b, 'x'], ['LTRIM', b, '1', '0'], ['RPUSH', b, 'y'], ['LREM', b, '0', 'y'], ['RPUSH', b, 'z'], ['RPOP', b, '5'],
    ]);
  });
});

describe('hashes', () => {
  it('HSET, HSETNX, HMSET, HINCRBY, HINCRBYFLOAT, HDEL', async () => {
    const [h, m, s] = keys('h', 'missing', 'str');
    await expectSameEvents(ALL, [
      ['HSET', h, 'a', '1'], ['HSET', h, 'a', '1'], ['HSET', h, 'b', '2', 'c', '3'], ['HSETNX', h, 'a', 'x'],
      ['HSETNX', h, 'd', 'x'], ['HSETNX', `${h}:nx`, 'd', 'x'], ['HMSET', h, 'e', '5'], ['HINCRBY', h, 'a', '5'],
      ['HINCRBY', h, 'new', '-1'], ['HINCRBY', h, 'b', 'x'], ['HINCRBY', h, 'd', '1'], ['HINCRBYFLOAT', h, 'a', '0.5'],
      ['HINCRBYFLOAT', `${h}:f`, 'x', '1e3'], ['HINCRBYFLOAT', h, 'd', '1'], ['HDEL', h, 'zz'], ['HDEL', h, 'a', 'zz'],
      ['HDEL', m, 'a'], ['HDEL', h, 'b', 'c', 'd', 'e', 'new'], ['HGET', m, 'a'], ['HGETALL', m], ['HLEN', m],
      ['HMGET', m, 'a'], ['HEXISTS', m, 'a'], ['HKEYS', m], ['HVALS', m], ['HSTRLEN', m, 'a'], ['HRANDFIELD', m],
      ['HSCAN', m, '0'], ['SET', s, 'v'], ['HSET', s, 'a', '1'], ['HDEL', s, 'a'], ['HINCRBY', s, 'a', '1'],
    ]);
  });
});

describe('sets', () => {
  it('SADD, SREM, SMOVE, SPOP', async () => {
    const [a, b, m, s] = keys('a', 'b', 'missing', 'str');
    await expectSameEvents(ALL, [
      ['SADD', a, '1', '2', '3', 'x'], ['SADD', a, '1'], ['SREM', a, 'nope'], ['SREM', a, '1', 'nope'], ['SREM', m, 'x'],
      ['SMOVE', a, b, '2'], ['SMOVE', a, b, 'nope'], ['SMOVE', a, a, '3'], ['SMOVE', a, a, 'nope'], ['SMOVE', m, b, 'x'],
      ['SADD', b, 'x'], ['SMOVE', a, b, 'x'], ['SMOVE', a, b, '3'], ['SPOP', m], ['SPOP', m, '2'],
      // SPOP picks at random: only pops whose outcome is certain keep both sides alike.
      ['SADD', a, '1'], ['SPOP', a], ['SADD', a, '1'], ['SPOP', a, '0'], ['SPOP', a, '1'], ['SADD', a, '1', '2'],
      { loose: ['SPOP', a, '5'] }, ['SADD', a, '1', '2', '3', '4', '5'], { loose: ['SPOP', a, '5'] }, ['SCARD', a],
      ['SET', s, 'v'], ['SADD', s, 'x'], ['SMOVE', b, s, '2'], ['SMOVE', s, b, '2'], ['SPOP', s],
      ['SMEMBERS', m], ['SISMEMBER', m, 'x'], ['SMISMEMBER', m, 'x'], ['SCARD', m], { loose: ['SRANDMEMBER', m] },
      ['SSCAN', m, '0'], ['SINTERCARD', '1', m],
    ]);
  });

  it('SINTERSTORE, SUNIONSTORE, SDIFFSTORE, with empty results', async () => {
    const [a, b, d, m] = keys('a', 'b', 'dest', 'missing');
    await expectSameEvents(ALL, [
      ['SADD', a, '1', '2', '3'], ['SADD', b, '3', '4'], ['SINTERSTORE', d, a, b], ['SUNIONSTORE', d, a, b],
      ['SDIFFSTORE', d, a, b], ['SINTERSTORE', d, a, m], ['SINTERSTORE', d, a, m], ['SUNIONSTORE', d, m],
      ['SDIFFSTORE', d, a, a], ['SDIFFSTORE', d, m, a], ['SUNIONSTORE', d, a], ['SDIFFSTORE', d, a, a],
      ['SINTER', m, a], ['SUNION', m], ['SDIFF', m, a], ['SINTERSTORE', a, a, b], ['SUNIONSTORE', b, b, m],
    ]);
  });
});

describe('sorted sets', () => {
  it('ZADD and its flags, ZINCRBY, ZREM, ZREMRANGEBY*', async () => {
    const [z, m, s] = keys('z', 'missing', 'str');
    await expectSameEvents(ALL, [
      ['ZADD', z, '1', 'a', '2', 'b', '3', 'c'], ['ZADD', z, '1', 'a'], ['ZADD', z, '5', 'a'], ['ZADD', z, 'NX', '9', 'a'],
      ['ZADD', z, 'XX', '9', 'new'], ['ZADD', z, 'GT', '1', 'a'], ['ZADD', z, 'LT', '1', 'a'], ['ZADD', z, 'CH', '2', 'a'],
      ['ZADD', z, 'INCR', '1', 'a'], ['ZADD', z, 'NX', 'INCR', '1', 'a'], ['ZADD', z, 'XX', 'INCR', '1', 'zz'],
      ['ZADD', z, 'INCR', '0', 'a'], ['ZADD', `${z}:x`, 'XX', '1', 'a'], ['ZADD', z, 'nan', 'a'],
      ['ZINCRBY', z, '2', 'b'], ['ZINCRBY', z, '0', 'b'], ['ZINCRBY', `${z}:i`, '1', 'x'],
      ['ZREM', z, 'nope'], ['ZREM', z, 'a', 'nope'], ['ZREM', m, 'a'],
      ['ZADD', z, '10', 'd', '11', 'e', '12', 'f', '0', 'g'],
      ['ZREMRANGEBYSCORE', z, '100', '200'], ['ZREMRANGEBYSCORE', z, '10', '11'], ['ZREMRANGEBYRANK', z, '5', '9'],
      ['ZREMRANGEBYRANK', z, '0', '0'], ['ZREMRANGEBYLEX', z, '[z', '[zz'], ['ZREMRANGEBYLEX', m, '-', '+'],
      ['ZREMRANGEBYRANK', m, '0', '-1'], ['ZREMRANGEBYSCORE', z, '-inf', '+inf'],
      ['SET', s, 'v'], ['ZADD', s, '1', 'a'], ['ZREM', s, 'a'], ['ZINCRBY', s, '1', 'a'],
    ]);
  });

  it('ZPOPMIN, ZPOPMAX, ZMPOP, ZRANGESTORE, ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE', async () => {
    const [z, y, d, m] = keys('z', 'y', 'dest', 'missing');
    await expectSameEvents(ALL, [
      ['ZADD', z, '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e'], ['ZPOPMIN', z], ['ZPOPMAX', z, '2'],
      ['ZPOPMIN', z, '0'], ['ZPOPMIN', m], ['ZPOPMAX', m, '3'], ['ZMPOP', '2', m, z, 'MIN'], ['ZMPOP', '1', m, 'MAX'],
      ['ZMPOP', '1', z, 'MAX', 'COUNT', '10'], ['ZADD', z, '1', 'a', '2', 'b'], ['ZADD', y, '2', 'b', '3', 'c'],
      ['ZRANGESTORE', d, z, '0', '-1'], ['ZRANGESTORE', d, z, '5', '9'], ['ZRANGESTORE', d, z, '5', '9'],
      ['ZRANGESTORE', d, m, '0', '-1'], ['ZUNIONSTORE', d, '2', z, y], ['ZINTERSTORE', d, '2', z, y],
      ['ZDIFFSTORE', d, '2', z, y], ['ZINTERSTORE', d, '2', z, m], ['ZINTERSTORE', d, '2', z, m],
      ['ZUNIONSTORE', d, '1', m], ['ZDIFFSTORE', d, '1', m], ['ZDIFFSTORE', d, '2', z, z],
      ['ZUNIONSTORE', z, '2', z, y], ['ZRANGE', m, '0', '-1'], ['ZSCORE', m, 'a'], ['ZCARD', m], ['ZRANK', m, 'a'],
      ['ZCOUNT', m, '0', '1'], ['ZMSCORE', m, 'a'], ['ZRANDMEMBER', m], ['ZSCAN', m, '0'], ['ZUNION', '1', m],
      ['ZINTERCARD', '1', m], ['ZLEXCOUNT', m, '-', '+'], ['ZRANGEBYSCORE', m, '0', '1'], ['ZREVRANGE', m, '0', '1'],
    ]);
  });
});

describe('generic commands', () => {
  it('DEL, UNLINK, RENAME, RENAMENX, COPY, MOVE across databases', async () => {
    const [a, b, c, d] = keys('a', 'b', 'c', 'd');
    const got = await expectSameEvents(ALL, [
      ['SET', a, '1'], ['SET', b, '2'], ['DEL', a, b, c], ['DEL', a], ['SET', a, '1'], ['UNLINK', a, c], ['UNLINK', a],
      ['SET', a, '1'], ['RENAME', a, b], ['SET', a, 'x'], ['RENAME', a, b], ['RENAME', b, b], ['RENAME', c, d],
      ['SET', a, 'y'], ['RENAMENX', a, b], ['RENAMENX', a, c], ['RENAMENX', c, c], ['PEXPIRE', c, '100000'], ['RENAME', c, a],
      ['COPY', a, b], ['COPY', a, b, 'REPLACE'], ['COPY', a, d, 'DB', '1'], ['COPY', a, d, 'DB', '1'],
      ['COPY', c, d], ['COPY', a, a], ['MOVE', a, '1'], ['MOVE', b, '1'], ['MOVE', c, '1'], ['SET', c, 'z'],
      ['MOVE', c, '2'], ['SELECT', '1'], ['DEL', a, d], ['RENAME', b, c], ['SELECT', '2'], ['MOVE', c, '0'],
      ['SELECT', '0'], ['COPY', b, c, 'DB', '2'], ['SELECT', '2'], ['FLUSHDB'], ['SELECT', '0'],
    ]);
    const names = events(got);
    expect(names).toContain(`__keyevent@0__:rename_from ${a}`);
    expect(names).toContain(`__keyspace@1__:${a} move_to`);
    expect(names).toContain(`__keyevent@1__:copy_to ${d}`);
  });

  it('EXPIRE family and its flags, PERSIST, expiring in the past', async () => {
    const [a, b, m] = keys('a', 'b', 'missing');
    await expectSameEvents(ALL, [
      ['SET', a, '1'], ['EXPIRE', a, '100'], ['EXPIRE', a, '100', 'NX'], ['EXPIRE', a, '200', 'XX'], ['EXPIRE', a, '50', 'GT'],
      ['EXPIRE', a, '500', 'GT'], ['EXPIRE', a, '600', 'LT'], ['EXPIRE', a, '60', 'LT'], ['PEXPIRE', a, '100000'],
      ['EXPIREAT', a, '99999999999'], ['PEXPIREAT', a, '99999999999999'], ['PERSIST', a], ['PERSIST', a],
      ['EXPIRE', a, '100', 'XX'], ['EXPIRE', a, '100', 'GT'], ['EXPIRE', a, '100', 'LT'], ['EXPIRE', m, '100'], ['PERSIST', m],
      ['EXPIRE', a, '-1'], ['SET', a, '1'], ['PEXPIRE', a, '0'], ['SET', a, '1'], ['EXPIREAT', a, '1'], ['SET', a, '1'],
      ['PEXPIREAT', a, '1'], ['SET', b, '1'], ['EXPIRE', b, '-5', 'NX'], ['EXPIRE', b, 'x'], ['EXPIRE', b, '1', 'NX', 'XX'],
      ['SET', b, 'v', 'EX', '100'], ['EXPIRE', b, '-1', 'GT'], ['EXPIRE', b, '-1', 'LT'], ['EXPIRE', b, '9223372036854775807'],
    ]);
  });

  it('lazy expiry on reads and writes, and the commands that meet expired keys', async () => {
    const [a, b, c, d, e, l] = keys('a', 'b', 'c', 'd', 'e', 'list');
    // PXAT 1 is long past: each key is logically expired as soon as it is set.
    const expired = (k: string): Command => ['SET', k, 'v', 'PXAT', '1'];
    await expectSameEvents(ALL, [
      expired(a), ['GET', a], expired(a), ['SET', a, 'new'], expired(b), ['DEL', b], expired(b), ['EXISTS', b],
      expired(c), ['APPEND', c, 'x'], expired(c), ['TTL', c], expired(c), ['RENAME', c, d], expired(c), ['COPY', c, d],
      expired(c), ['MOVE', c, '1'], expired(d), ['SET', c, 'v'], ['RENAME', c, d], expired(e), ['INCR', e],
      ['RPUSH', l, 'x'], ['PEXPIREAT', l, '99999999999999'], ['EXPIRE', l, '-1'], expired(e), ['TYPE', e],
      expired(e), ['KEYS', e], ['GET', e], expired(e), ['TOUCH', e],
      expired(e), ['OBJECT', 'ENCODING', e], expired(e), ['PERSIST', e], expired(e), ['EXPIRE', e, '100'],
      expired(e), ['MSETNX', e, 'x'], expired(e), ['SETNX', e, 'y'], expired(e), ['GETDEL', e], expired(e), ['GETEX', e, 'PERSIST'],
    ]);
  });

  it('expired sources and destinations of every type, met by writes and reads', async () => {
    const [s, l, h, st, z, d, x] = keys('s', 'l', 'h', 'set', 'z', 'dest', 'x');
    // SET ... PXAT 1 leaves a key that is logically expired (active expiry is off).
    await expectSameEvents(ALL, [
      ['SET', s, 'v', 'PXAT', '1'], ['SET', s, 'w', 'GET'], ['SET', s, 'v', 'PXAT', '1'], ['GETSET', s, 'w'],
      ['SET', s, 'v', 'PXAT', '1'], ['SETRANGE', s, '1', 'x'], ['SET', s, 'v', 'PXAT', '1'], ['INCRBYFLOAT', s, '1'],
      ['SET', s, 'v', 'PXAT', '1'], ['MSET', s, '1'], ['SET', d, 'v', 'PXAT', '1'], ['COPY', s, d],
      ['SET', d, 'v', 'PXAT', '1'], ['COPY', s, d, 'REPLACE'], ['SELECT', '1'], ['SET', s, 'v', 'PXAT', '1'],
      ['SELECT', '0'], ['MOVE', s, '1'], ['SELECT', '1'], ['GET', s], ['DEL', s], ['SELECT', '0'],
      ['RPUSH', l, 'a', 'b'], ['SET', x, 'v', 'PXAT', '1'], ['LMOVE', l, x, 'LEFT', 'LEFT'],
      ['SET', x, 'v', 'PXAT', '1'], ['RPOPLPUSH', l, x], ['SET', l, 'v', 'PXAT', '1'], ['LPUSH', l, 'x'],
      ['SET', l, 'v', 'PXAT', '1'], ['LPUSHX', l, 'x'], ['SET', l, 'v', 'PXAT', '1'], ['LRANGE', l, '0', '-1'],
      ['HSET', h, 'f', 'v'], ['SET', h, 'v', 'PXAT', '1'], ['HSET', h, 'f', 'v'], ['SET', h, 'v', 'PXAT', '1'],
      ['HINCRBY', h, 'f', '1'], ['SET', h, 'v', 'PXAT', '1'], ['HDEL', h, 'f'], ['SET', h, 'v', 'PXAT', '1'], ['HGET', h, 'f'],
      ['SADD', st, 'a', 'b'], ['SET', x, 'v', 'PXAT', '1'], ['SMOVE', st, x, 'a'], ['SET', d, 'v', 'PXAT', '1'],
      ['SUNIONSTORE', d, st, x], ['SET', x, 'v', 'PXAT', '1'], ['SINTERSTORE', d, st, x],
      ['SET', d, 'v', 'PXAT', '1'], ['SDIFFSTORE', d, x, st], ['SET', st, 'v', 'PXAT', '1'], ['SADD', st, 'x'],
      ['ZADD', z, '1', 'a', '2', 'b'], ['SET', x, 'v', 'PXAT', '1'], ['ZUNIONSTORE', d, '2', z, x],
      ['SET', d, 'v', 'PXAT', '1'], ['ZRANGESTORE', d, z, '0', '-1'], ['SET', d, 'v', 'PXAT', '1'],
      ['ZINTERSTORE', d, '2', z, x], ['SET', z, 'v', 'PXAT', '1'], ['ZADD', z, '1', 'a'], ['SET', z, 'v', 'PXAT', '1'],
      ['ZINCRBY', z, '1', 'a'], ['SET', z, 'v', 'PXAT', '1'], ['ZPOPMIN', z], ['SET', z, 'v', 'PXAT', '1'],
      ['ZMPOP', '1', z, 'MIN'], ['SET', z, 'v', 'PXAT', '1'], ['LMPOP', '1', z, 'LEFT'],
    ]);
  });

  it('RANDOMKEY and SCAN delete the expired keys they meet', async () => {
    // In an otherwise empty database, so that one SCAN call sees every key.
    // One expired key at a time: which of two RANDOMKEY meets first is random.
    const [a, b] = keys('a', 'b');
    await expectSameEvents(ALL, [
      ['SELECT', '9'], ['FLUSHDB'], ['SET', a, 'v', 'PXAT', '1'], ['RANDOMKEY'], ['DBSIZE'], ['SET', b, 'v', 'PXAT', '1'],
      ['SCAN', '0'], ['DBSIZE'], ['SET', a, 'v', 'PXAT', '1'], ['KEYS', '*'], ['DBSIZE'], ['FLUSHDB'], ['SELECT', '0'],
    ]);
  });

  it('DEBUG POPULATE adds keys ("new" only); DEBUG OBJECT reads fire nothing', async () => {
    const [p, e] = keys('pop', 'e');
    await expectSameEvents(ALL, [
      ['SET', `${p}:1`, 'v', 'PXAT', '1'], ['SET', `${p}:2`, 'x'], ['DEBUG', 'POPULATE', '4', p], ['DEBUG', 'POPULATE', '2', p, '3'],
      { loose: ['DEBUG', 'OBJECT', `${p}:0`] }, ['DEBUG', 'OBJECT', e], ['DEBUG', 'SDSLEN', e],
    ]);
  });

  it('FLUSHDB, FLUSHALL and SWAPDB fire nothing', async () => {
    const [a, b] = keys('a', 'b');
    const got = await expectSameEvents(ALL, [
      ['SET', a, '1'], ['SELECT', '3'], ['SET', b, '1'], ['SWAPDB', '0', '3'], ['SWAPDB', '3', '3'], ['GET', b],
      ['FLUSHDB'], ['SELECT', '0'], ['GET', b], ['FLUSHALL'], ['SET', a, '2'], ['FLUSHALL', 'ASYNC'], ['FLUSHDB', 'SYNC'],
    ]);
    expect(events(got)).toEqual([
      `__keyspace@0__:${a} new`, `__keyevent@0__:new ${a}`, `__keyspace@0__:${a} set`, `__keyevent@0__:set ${a}`,
      `__keyspace@3__:${b} new`, `__keyevent@3__:new ${b}`, `__keyspace@3__:${b} set`, `__keyevent@3__:set ${b}`,
      `__keyspace@3__:${b} keymiss`, `__keyevent@3__:keymiss ${b}`,
      `__keyspace@0__:${a} new`, `__keyevent@0__:new ${a}`, `__keyspace@0__:${a} set`, `__keyevent@0__:set ${a}`,
    ]);
  });
});

describe('expiry by the active cycle', () => {
  it('fires "expired" in the key\'s database', async () => {
    const [a, b] = keys('a', 'b');
    await pair.checkAll([['FLUSHALL'], ['CONFIG', 'SET', 'notify-keyspace-events', 'KEA']]);
    await pair.checkAll([['SET', a, 'v', 'PX', '1'], ['SELECT', '5'], ['SET', b, 'v', 'PX', '1'], ['SELECT', '0'],
      ['DEBUG', 'SET-ACTIVE-EXPIRE', '1']]);
    // Wait until each side's cron removed both keys (DBSIZE does not expire anything itself).
    for (const side of [pair.main.real, pair.main.engine]) {
      for (;;) {
        const sizes = await side.pipeline([['DBSIZE'], ['SELECT', '5'], ['DBSIZE'], ['SELECT', '0']]);
        if (sizes[0].toString() === ':0\r\n' && sizes[2].toString() === ':0\r\n') break;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    await pair.checkAll([['DEBUG', 'SET-ACTIVE-EXPIRE', '0'], ['CONFIG', 'SET', 'notify-keyspace-events', ''],
      ['PUBLISH', 'sentinel', 'sentinel-end']]);
    const [real, engine] = await Promise.all([drain(sub.real), drain(sub.engine)]);
    // Both keys went in the same cycle or in two: the order between databases is the cycle's.
    expect(events(engine).sort()).toEqual(events(real).sort());
    expect(events(real).sort()).toEqual([
      `__keyspace@0__:${a} set`, `__keyevent@0__:set ${a}`, `__keyspace@0__:${a} expire`, `__keyevent@0__:expire ${a}`,
      `__keyspace@5__:${b} set`, `__keyevent@5__:set ${b}`, `__keyspace@5__:${b} expire`, `__keyevent@5__:expire ${b}`,
      `__keyspace@0__:${a} expired`, `__keyevent@0__:expired ${a}`, `__keyspace@5__:${b} expired`, `__keyevent@5__:expired ${b}`,
    ].sort());
  });
});

describe('transactions', () => {
  it('events of EXEC come as its commands run; a failed EXEC fires none', async () => {
    const [a, b, l] = keys('a', 'b', 'list');
    const other = await pair.connect();
    await expectSameEvents(ALL, [
      ['MULTI'], ['SET', a, '1'], ['INCR', a], ['LPUSH', l, 'x'], ['INCR', l], ['DEL', a, l], ['GET', b], ['EXEC'],
      ['MULTI'], ['SET', a, '1'], ['NOSUCHCOMMAND'], ['EXEC'], ['MULTI'], ['SET', a, '2'], ['DISCARD'],
      ['WATCH', b], ['MULTI'], ['SET', b, 'x'], ['PUBLISH', 'sentinel', 'in-exec'], ['EXPIRE', b, '-1'], ['EXEC'],
    ]);
    // WATCH, a write by another client, then EXEC: aborted, nothing fired for its commands.
    await pair.checkAll([['WATCH', a]]);
    await other.check('SET', a, 'other');
    await expectSameEvents(ALL, [['MULTI'], ['SET', a, 'mine'], ['EXEC'], ['GET', a]]);
    other.close();
  });
});

describe('families implemented in their own files', () => {
  /**
   * Sends `cmd` on a new connection of each side and resolves once both servers have blocked it:
   * a PING sent first in the same write is answered only after the whole write was processed.
   */
  async function block(cmd: Command): Promise<ClientPair> {
    const c = await pair.connect();
    const bytes = Buffer.concat([encodeCommand(['PING']), encodeCommand(wire(cmd))]);
    c.real.sendRaw(bytes);
    c.engine.sendRaw(bytes);
    const [r, e] = await Promise.all([c.real.next(), c.engine.next()]);
    expect([show(r), show(e)]).toEqual([show(Buffer.from('+PONG\r\n')), show(Buffer.from('+PONG\r\n'))]);
    return c;
  }

  it('blocked clients served by a write fire the events of their pops and moves', async (ctx) => {
    if (!has('blpop') || !has('bzpopmin')) ctx.skip();
    const [l, l2, d, z, m] = keys('l', 'l2', 'dest', 'z', 'm');
    const blocked = [await block(['BLPOP', l, '0']), await block(['BLMOVE', l2, d, 'RIGHT', 'LEFT', '0']),
      await block(['BZPOPMIN', z, '0']), await block(['BLMPOP', '0', '2', m, l, 'LEFT', 'COUNT', '5']),
      await block(['BRPOPLPUSH', l2, d, '0']), await block(['BZMPOP', '0', '1', z, 'MAX', 'COUNT', '2'])];
    const got = await expectSameEvents(ALL, [
      ['RPUSH', l, 'a'], ['RPUSH', l, 'b', 'c', 'd'], ['RPUSH', l2, 'x', 'y', 'z'], ['ZADD', z, '1', 'a', '2', 'b', '3', 'c'],
      ['MULTI'], ['ZADD', z, '5', 'e'], ['DEL', z], ['ZADD', z, '6', 'f'], ['EXEC'],
    ]);
    expect(events(got)).toContain(`__keyevent@0__:lpop ${l}`);
    expect(events(got)).toContain(`__keyevent@0__:lpush ${d}`);
    expect(events(got)).toContain(`__keyevent@0__:zpopmin ${z}`);
    for (const c of blocked) {
      const [r, e] = await Promise.all([c.real.next(), c.engine.next()]);
      expect(show(e)).toBe(show(r));
      c.close();
    }
  });

  it('SORT ... STORE', async (ctx) => {
    if (!has('sort')) ctx.skip();
    const [l, d, m] = keys('l', 'dest', 'missing');
    await expectSameEvents(ALL, [
      ['RPUSH', l, '3', '1', '2'], ['SORT', l, 'STORE', d], ['SORT', l, 'LIMIT', '5', '5', 'STORE', d], ['SORT', m, 'STORE', d],
      ['SORT', m, 'STORE', d], ['SORT', l], ['SORT', m], ['SORT_RO', m], ['SORT', l, 'BY', 'nosort', 'STORE', l],
    ]);
  });

  it('PFADD, PFMERGE, PFCOUNT', async (ctx) => {
    if (!has('pfadd')) ctx.skip();
    const [h, g, d, m] = keys('h', 'g', 'dest', 'missing');
    await expectSameEvents(ALL, [
      ['PFADD', h, 'a', 'b'], ['PFADD', h, 'a'], ['PFADD', h], ['PFADD', m], ['PFADD', g, 'c'], ['PFCOUNT', h], ['PFCOUNT', h, g],
      ['PFCOUNT', m], ['PFMERGE', d, h, g], ['PFMERGE', d], ['PFMERGE', `${d}2`, m], ['PFDEBUG', 'TODENSE', h],
      ['PFDEBUG', 'GETREG', g], ['SET', `${h}:s`, 'v'], ['PFADD', `${h}:s`, 'x'], ['PFCOUNT', `${h}:s`],
    ]);
  });
});

describe('class filters', () => {
  const sequence = (): Command[] => {
    const [s, l, h, st, z, e] = keys('s', 'l', 'h', 'set', 'z', 'e');
    return [
      ['SET', s, '1'], ['INCR', s], ['GET', `${s}:missing`], ['RPUSH', l, 'a'], ['LPOP', l], ['HSET', h, 'f', 'v'],
      ['HDEL', h, 'f'], ['SADD', st, 'm'], ['SPOP', st], ['ZADD', z, '1', 'm'], ['ZPOPMIN', z], ['SET', e, 'v', 'PXAT', '1'],
      ['GET', e], ['SET', s, '2', 'EX', '100'], ['PERSIST', s], ['RENAME', s, `${s}2`], ['DEL', `${s}2`],
    ];
  };
  for (const flags of ['K', 'E', 'KA', 'EA', 'Kg', 'E$', 'Kl', 'Eh', 'Ks', 'Ez', 'Kx', 'Ee', 'Km', 'Em', 'En', 'Kn',
    'g$lshzxe', 'KEg$lshzxe', 'KE$', 'KElz', 'KEA', 'KEAmn', 'AKE', 'Ktd', '', 'Egx']) {
    it(`notify-keyspace-events '${flags}'`, async () => {
      await pair.checkAll([['CONFIG', 'SET', 'notify-keyspace-events', flags], ['CONFIG', 'GET', 'notify-keyspace-events']]);
      const got = await expectSameEvents(flags, sequence());
      if (!flags.includes('K') && !flags.includes('E')) expect(got).toEqual([]);
    });
  }
});

describe('the setting itself', () => {
  it('refuses unknown class letters and keeps the previous value', async () => {
    await pair.checkAll([['CONFIG', 'SET', 'notify-keyspace-events', 'KEx'], ['CONFIG', 'SET', 'notify-keyspace-events', 'KEX'],
      ['CONFIG', 'SET', 'notify-keyspace-events', 'K E'], ['CONFIG', 'GET', 'notify-keyspace-events'],
      ['CONFIG', 'SET', 'notify-keyspace-events', 'lshzxegt$dnmKEA'], ['CONFIG', 'GET', 'notify-keyspace-events'],
      ['CONFIG', 'SET', 'notify-keyspace-events', '']]);
  });
});

describe('more than one subscriber and database', () => {
  it('a channel subscriber, a pattern subscriber and keys in several databases', async () => {
    const [a] = keys('a');
    const chan = await pair.connect();
    await chan.checkAll([['SUBSCRIBE', `__keyspace@0__:${a}`], ['SUBSCRIBE', '__keyevent@2__:set'],
      ['SUBSCRIBE', 'sentinel'], ['PSUBSCRIBE', '__keyspace@?__:*']]);
    await expectSameEvents(ALL, [['SET', a, '1'], ['SELECT', '2'], ['SET', a, '2'], ['DEL', a], ['SELECT', '0'], ['DEL', a]]);
    const [real, engine] = await Promise.all([drain(chan.real), drain(chan.engine)]);
    expect(engine).toEqual(real);
    expect(real.length).toBe(10);
    chan.close();
  });
});

// --- a seeded random stream over every family ------------------------------------------------

/**
 * TTLs in the stream never tie: ties make EXPIRE GT/LT depend on whether two commands ran in the
 * same millisecond, which differs between the two servers. Relative TTLs (SET PX, GETEX EX) and
 * absolute ones (EXPIREAT, from a time fixed when the stream is made) stay tens of seconds apart.
 */
const STREAM_BASE_SECONDS = Math.floor(Date.now() / 1000);

function randomCommand(r: SeededRandom, k: string[]): Step {
  const pick = <T,>(xs: readonly T[]): T => xs[r.below(xs.length)];
  const key = () => pick(k);
  const v = () => pick(['a', 'b', '1', '2', '10', '-3', '', 'x'.repeat(70)]);
  const num = () => String(r.below(7) - 2);
  switch (r.below(48)) {
    case 0: return ['SET', key(), v()];
    case 1: return ['SET', key(), v(), pick(['NX', 'XX', 'GET', 'KEEPTTL'])];
    case 2: return ['SET', key(), v(), 'PX', String(150000 + r.below(3) * 100000)];
    case 3: return ['SET', key(), v(), 'PXAT', '1'];
    case 4: return ['INCRBY', key(), num()];
    case 5: return ['APPEND', key(), v()];
    case 6: return ['GETDEL', key()];
    case 7: return ['GETEX', key(), ...pick([[], ['PERSIST'], ['EX', '130'], ['PXAT', '1']])];
    case 8: return ['SETRANGE', key(), String(r.below(5)), v()];
    case 9: return ['GET', key()];
    case 10: return ['MSET', key(), v(), key(), v()];
    case 11: return ['RPUSH', key(), v(), v()];
    case 12: return ['LPOP', key(), String(r.below(3))];
    case 13: return ['LMOVE', key(), key(), pick(['LEFT', 'RIGHT']), pick(['LEFT', 'RIGHT'])];
    case 14: return ['LREM', key(), num(), v()];
    case 15: return ['LTRIM', key(), num(), num()];
    case 16: return ['LSET', key(), num(), v()];
    case 17: return ['HSET', key(), v(), v()];
    case 18: return ['HDEL', key(), v(), v()];
    case 19: return ['HINCRBY', key(), v(), num()];
    case 20: return ['SADD', key(), v(), v()];
    case 21: return ['SREM', key(), v()];
    case 22: return ['SMOVE', key(), key(), v()];
    case 23: return ['SPOP', key(), '0'];
    case 24: return [pick(['SINTERSTORE', 'SUNIONSTORE', 'SDIFFSTORE']), key(), key(), key()];
    case 25: return ['ZADD', key(), ...pick([[], ['NX'], ['XX'], ['GT'], ['LT'], ['INCR']]), num(), v()];
    case 26: return ['ZREM', key(), v()];
    case 27: return ['ZINCRBY', key(), num(), v()];
    case 28: return [pick(['ZPOPMIN', 'ZPOPMAX']), key(), String(r.below(3))];
    case 29: return ['ZREMRANGEBYRANK', key(), num(), num()];
    case 30: return [pick(['ZUNIONSTORE', 'ZINTERSTORE', 'ZDIFFSTORE']), key(), '2', key(), key()];
    case 31: return ['ZRANGESTORE', key(), key(), num(), num()];
    case 32: return ['DEL', key(), key()];
    case 33: return ['UNLINK', key()];
    case 34: return ['RENAME', key(), key()];
    case 35: return ['RENAMENX', key(), key()];
    case 36: return ['COPY', key(), key(), ...pick([[], ['REPLACE'], ['DB', '1'], ['DB', '1', 'REPLACE']])];
    case 37: return ['MOVE', key(), '1'];
    case 38: return r.below(4) === 0 ? ['EXPIRE', key(), '-1']
      : ['EXPIREAT', key(), String(STREAM_BASE_SECONDS + pick([100, 200, 50])), ...pick([[], ['NX'], ['XX'], ['GT'], ['LT']])];
    case 39: return ['PERSIST', key()];
    case 40: return ['PEXPIREAT', key(), pick(['1', '99999999999999'])];
    case 41: return [pick(['EXISTS', 'TYPE', 'TTL', 'STRLEN', 'LLEN', 'SCARD', 'ZCARD', 'HLEN']), key()];
    case 42: return ['LMPOP', '2', key(), key(), pick(['LEFT', 'RIGHT']), 'COUNT', String(1 + r.below(3))];
    case 43: return ['ZMPOP', '2', key(), key(), pick(['MIN', 'MAX']), 'COUNT', String(1 + r.below(3))];
    case 44: return ['HINCRBYFLOAT', key(), v(), '1.5'];
    case 45: return ['INCRBYFLOAT', key(), '0.5'];
    case 46: return ['SETBIT', key(), String(r.below(16)), String(r.below(2))];
    default: return ['SWAPDB', '0', '1'];
  }
}

describe('seeded random streams', () => {
  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: 600 commands, every event compared`, async () => {
      await pair.checkAll([['FLUSHALL']]);
      const r = new SeededRandom(seed);
      const k = keys('a', 'b', 'c', 'd', 'e');
      const steps = Array.from({ length: 600 }, () => randomCommand(r, k));
      const got = await expectSameEvents(ALL, steps);
      expect(got.length).toBeGreaterThan(600);
    });
  }
});
