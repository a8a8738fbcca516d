// MULTI/EXEC/DISCARD/WATCH/UNWATCH against real Redis 7.0.15, with several clients interleaving:
// every reply of every client must be byte-identical.
import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import { DifferentialPair, uniqueKeys, type ClientPair } from './harness.ts';

let pair: DifferentialPair;
let other: ClientPair;
let third: ClientPair;

beforeAll(async () => {
  pair = await DifferentialPair.start({ 'enable-debug-command': 'yes' });
  other = await pair.connect();
  third = await pair.connect();
});
afterAll(async () => { await pair?.stop(); });
beforeEach(async () => {
  for (const p of [pair.main, other, third]) await p.both('RESET');
  await pair.reset();
});

const keys = uniqueKeys('tx');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('MULTI, EXEC and DISCARD', () => {
  it('queues commands and runs them at EXEC, replies in order', async () => {
    const [k, l] = keys('k', 'l');
    await pair.checkAll([
      ['MULTI'], ['SET', k, '1'], ['INCR', k], ['RPUSH', l, 'a', 'b'], ['LRANGE', l, '0', '-1'], ['GET', k],
      ['PING'], ['ECHO', 'x'], ['EXEC'], ['GET', k],
    ]);
  });

  it('an empty transaction, and the errors outside one', async () => {
    await pair.checkAll([
      ['MULTI'], ['EXEC'], ['EXEC'], ['DISCARD'], ['MULTI'], ['DISCARD'], ['DISCARD'],
      ['EXEC', 'extra'], ['DISCARD', 'extra'], ['MULTI', 'extra'], ['WATCH'], ['UNWATCH', 'extra'],
    ]);
  });

  it('runtime errors inside EXEC do not roll back the other commands', async () => {
    const [k, s] = keys('k', 's');
    await pair.checkAll([
      ['SET', s, 'text'], ['MULTI'], ['SET', k, 'v'], ['INCR', s], ['LPUSH', s, 'x'], ['APPEND', k, '2'],
      ['HSET', k, 'f', 'v'], ['EXEC'], ['GET', k], ['GET', s],
    ]);
  });

  it('a refused command (unknown, wrong arity) aborts EXEC with EXECABORT, nothing runs', async () => {
    const [k] = keys('k');
    await pair.checkAll([
      ['MULTI'], ['SET', k, '1'], ['NOSUCHCOMMAND', 'a'], ['INCR', k], ['EXEC'], ['EXISTS', k],
      ['MULTI'], ['SET', k, '1'], ['GET'], ['EXEC'], ['EXISTS', k],
      ['MULTI'], ['CONFIG', 'NOSUCH'], ['EXEC'],
      // An error from a command that runs at once (MULTI nested, WATCH inside MULTI) does not abort.
      ['MULTI'], ['SET', k, '2'], ['MULTI'], ['WATCH', k], ['EXEC'], ['GET', k],
    ]);
  });

  it('DISCARD drops the queue; RESET leaves MULTI', async () => {
    const [k] = keys('k');
    await pair.checkAll([
      ['MULTI'], ['SET', k, '1'], ['DISCARD'], ['EXISTS', k], ['EXEC'],
      ['MULTI'], ['SET', k, '1'], ['RESET'], ['EXEC'], ['EXISTS', k],
    ]);
  });

  it('SELECT inside a transaction and the database afterwards', async () => {
    const [k] = keys('k');
    await pair.checkAll([
      ['MULTI'], ['SELECT', '3'], ['SET', k, 'in3'], ['SELECT', '4'], ['EXEC'], ['GET', k], ['SELECT', '3'], ['GET', k],
      ['SELECT', '0'],
    ]);
  });

  it('RESP3 replies inside EXEC, and the null reply of a failed EXEC', async () => {
    const [k, z, h] = keys('k', 'z', 'h');
    await pair.both('HELLO', '3'); // the reply carries the connection id, which differs
    await pair.checkAll([
      ['MULTI'], ['ZADD', z, '1.5', 'a'], ['ZSCORE', z, 'a'], ['HSET', h, 'f', 'v'], ['HGETALL', h],
      ['GET', k], ['EXISTS', k], ['EXEC'],
      ['WATCH', k], ['SET', k, '1'], ['MULTI'], ['GET', k], ['EXEC'],
    ]);
  });

  it('a long queue', async () => {
    const [k] = keys('k');
    const cmds = [['MULTI'], ...Array.from({ length: 500 }, (_, i) => ['RPUSH', k, `e${i}`]), ['EXEC'], ['LLEN', k]];
    await pair.checkAll(cmds);
  });
});

describe('WATCH', () => {
  it('another client writing a watched key makes EXEC fail', async () => {
    const [k] = keys('k');
    await pair.check('SET', k, '1');
    await pair.check('WATCH', k);
    await other.check('INCR', k);
    await pair.checkAll([['MULTI'], ['INCR', k], ['EXEC'], ['GET', k]]);
  });

  it('the same value written again still counts as a change; so does the watcher itself', async () => {
    const [k, j] = keys('k', 'j');
    await pair.check('SET', k, 'same');
    await pair.check('WATCH', k);
    await other.check('SET', k, 'same');
    await pair.checkAll([['MULTI'], ['GET', k], ['EXEC']]);
    await pair.checkAll([['WATCH', j], ['SET', j, 'mine'], ['MULTI'], ['GET', j], ['EXEC']]);
  });

  it('a missing key that gets created, and a read that changes nothing', async () => {
    const [k, r] = keys('k', 'r');
    await pair.checkAll([['SET', r, 'x'], ['WATCH', k, r]]);
    await other.checkAll([['GET', r], ['EXISTS', k], ['LRANGE', k, '0', '-1']]);
    await pair.checkAll([['MULTI'], ['PING'], ['EXEC']]);
    await pair.check('WATCH', k);
    await other.check('LPUSH', k, 'new');
    await pair.checkAll([['MULTI'], ['PING'], ['EXEC']]);
  });

  it('a failed write (WRONGTYPE, no-op DEL) does not touch the key', async () => {
    const [k, m] = keys('k', 'm');
    await pair.checkAll([['SET', k, 'str'], ['WATCH', k, m]]);
    await other.checkAll([['LPUSH', k, 'x'], ['DEL', m], ['SREM', m, 'a'], ['EXPIRE', m, '10']]);
    await pair.checkAll([['MULTI'], ['GET', k], ['EXEC']]);
  });

  it('two clients racing a check-and-set counter: the first EXEC wins, the second fails', async () => {
    const [counter] = keys('counter');
    await pair.check('SET', counter, '10');
    await pair.check('WATCH', counter);
    await other.check('WATCH', counter);
    await pair.check('GET', counter);
    await other.check('GET', counter);
    await pair.checkAll([['MULTI'], ['SET', counter, '11']]);
    await other.checkAll([['MULTI'], ['SET', counter, '11']]);
    await pair.check('EXEC');
    await other.check('EXEC');
    await third.check('GET', counter);
  });

  it('a transaction writing a key invalidates other clients watching it', async () => {
    const [k] = keys('k');
    await other.check('WATCH', k);
    await pair.checkAll([['MULTI'], ['SET', k, 'v'], ['EXEC']]);
    await other.checkAll([['MULTI'], ['GET', k], ['EXEC']]);
  });

  it('UNWATCH, DISCARD and a finished EXEC forget the watched keys', async () => {
    const [k] = keys('k');
    await pair.checkAll([['WATCH', k], ['UNWATCH']]);
    await other.check('SET', k, '1');
    await pair.checkAll([['MULTI'], ['GET', k], ['EXEC']]);
    await pair.checkAll([['WATCH', k], ['MULTI'], ['DISCARD']]);
    await other.check('SET', k, '2');
    await pair.checkAll([['MULTI'], ['GET', k], ['EXEC']]);
    await pair.checkAll([['WATCH', k], ['MULTI'], ['EXEC']]);
    await other.check('SET', k, '3');
    await pair.checkAll([['MULTI'], ['GET', k], ['EXEC']]);
  });

  it('watches are per database', async () => {
    const [k] = keys('k');
    await pair.check('WATCH', k);
    await other.checkAll([['SELECT', '1'], ['SET', k, 'db1'], ['SELECT', '0']]);
    await pair.checkAll([['MULTI'], ['GET', k], ['EXEC']]);
    await pair.checkAll([['SELECT', '2'], ['WATCH', k], ['SELECT', '0']]);
    await other.checkAll([['SELECT', '2'], ['SET', k, 'db2'], ['SELECT', '0']]);
    await pair.checkAll([['MULTI'], ['GET', k], ['EXEC']]);
  });

  it('writes of every family touch the key: list, hash, set, zset, expire, rename, move, copy', async () => {
    const [k, dst] = keys('k', 'dst');
    const writes: string[][] = [
      ['RPUSH', k, 'a'], ['HSET', k, 'f', 'v'], ['SADD', k, 'm'], ['ZADD', k, '1', 'm'], ['EXPIRE', k, '100'],
      ['PERSIST', k], ['RENAME', k, dst], ['MOVE', k, '5'], ['COPY', k, dst, 'REPLACE'], ['DEL', k], ['UNLINK', k],
      ['SETRANGE', k, '0', 'x'], ['APPEND', k, 'x'], ['INCRBYFLOAT', k, '1'], ['GETDEL', k], ['GETEX', k, 'EX', '5'],
    ];
    for (const w of writes) {
      const needsString = ['EXPIRE', 'PERSIST', 'RENAME', 'MOVE', 'COPY', 'DEL', 'UNLINK', 'GETDEL', 'GETEX'].includes(w[0]);
      await pair.checkAll([['FLUSHALL'], ...(needsString ? [['SET', k, '1']] : []), ['EXPIRE', k, '1000'], ['WATCH', k]]);
      if (w[0] === 'PERSIST') await pair.check('UNWATCH');
      if (w[0] === 'PERSIST') await pair.check('WATCH', k);
      await other.check(...w);
      await pair.checkAll([['MULTI'], ['PING'], ['EXEC']]);
    }
  });

  it('FLUSHDB and FLUSHALL touch watched keys that exist, not missing ones', async () => {
    const [k, m] = keys('k', 'm');
    await pair.checkAll([['SET', k, '1'], ['WATCH', k]]);
    await other.check('FLUSHDB');
    await pair.checkAll([['MULTI'], ['PING'], ['EXEC']]);
    await pair.check('WATCH', m);
    await other.check('FLUSHALL');
    await pair.checkAll([['MULTI'], ['PING'], ['EXEC']]);
    await pair.checkAll([['SET', k, '1'], ['WATCH', k]]);
    await other.checkAll([['SELECT', '9'], ['FLUSHDB'], ['SELECT', '0']]);
    await pair.checkAll([['MULTI'], ['PING'], ['EXEC']]);
    await pair.checkAll([['SET', k, '1'], ['WATCH', k]]);
    await other.check('FLUSHALL', 'ASYNC');
    await pair.checkAll([['MULTI'], ['PING'], ['EXEC']]);
  });

  it('SWAPDB touches watched keys present in either database', async () => {
    const [k, j] = keys('k', 'j');
    await other.checkAll([['SELECT', '1'], ['SET', k, 'in1'], ['SELECT', '0']]);
    await pair.check('WATCH', k);
    await other.check('SWAPDB', '0', '1');
    await pair.checkAll([['MULTI'], ['GET', k], ['EXEC']]);
    // Neither database has j: no change.
    await pair.check('WATCH', j);
    await other.check('SWAPDB', '0', '1');
    await pair.checkAll([['MULTI'], ['GET', j], ['EXEC']]);
  });

  it('a watched key that expires before EXEC makes it fail', async () => {
    const [k] = keys('k');
    await pair.checkAll([['SET', k, 'v', 'PX', '60'], ['WATCH', k]]);
    await sleep(150);
    await pair.checkAll([['MULTI'], ['PING'], ['EXEC']]);
  });

  it('a key already expired when WATCHed: its deletion is no change, a new value is', async () => {
    const [k, j] = keys('k', 'j');
    await pair.check('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    try {
      await pair.checkAll([['SET', k, 'v', 'PX', '10'], ['SET', j, 'v', 'PX', '10']]);
      await sleep(60);
      await pair.check('WATCH', k, j);
      // Lazy expiry deletes k: logically nothing changed.
      await other.check('GET', k);
      await pair.checkAll([['MULTI'], ['PING'], ['EXEC']]);
      await pair.check('WATCH', k);
      await other.check('SET', k, 'new');
      await pair.checkAll([['MULTI'], ['PING'], ['EXEC']]);
    } finally {
      await pair.check('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
    }
  });

  it('WATCH of many keys, repeated keys, and WATCH after a failed WATCH', async () => {
    const ks = keys('a', 'b', 'c', 'd');
    await pair.checkAll([['WATCH', ...ks, ks[0], ks[0]], ['WATCH', ks[1]]]);
    await other.check('SET', ks[3], 'x');
    await pair.checkAll([['MULTI'], ['PING'], ['EXEC'], ['MULTI'], ['PING'], ['EXEC']]);
  });
});

describe('several clients interleaving', () => {
  it('commands of other clients run between MULTI and EXEC, not inside the transaction', async () => {
    const [l] = keys('l');
    await pair.checkAll([['MULTI'], ['RPUSH', l, 'tx1']]);
    await other.check('RPUSH', l, 'other');
    await pair.check('RPUSH', l, 'tx2');
    await third.check('LRANGE', l, '0', '-1');
    await pair.checkAll([['EXEC'], ['LRANGE', l, '0', '-1']]);
  });

  it('three watchers: one write invalidates all of them', async () => {
    const [k] = keys('k');
    for (const p of [pair.main, other, third]) await p.check('WATCH', k);
    await pair.check('SET', k, 'x');
    for (const p of [pair.main, other, third]) await p.checkAll([['MULTI'], ['PING'], ['EXEC']]);
  });
});
