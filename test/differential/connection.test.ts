// Connection commands against real Redis 7.0: PING, ECHO, QUIT, HELLO (protocol switch, AUTH,
// SETNAME and their errors), RESET, and the RESP3 shapes of replies after HELLO 3.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DifferentialPair, show, type ClientPair, type Command } from './harness.ts';

let pair: DifferentialPair;
beforeAll(async () => { pair = await DifferentialPair.start(); });
afterAll(async () => { await pair?.stop(); });
beforeEach(async () => { await pair.reset(); });

/** Client ids differ between the two servers (the real one saw other connections first). */
function maskId(reply: Buffer): string {
  return show(reply).replace(/(id\\r\\n:)\d+/, '$1<id>');
}

async function checkMaskingId(c: ClientPair, ...cmd: Command): Promise<void> {
  const [r, e] = await c.both(...cmd);
  expect(maskId(e), `reply to ${cmd.join(' ')}`).toBe(maskId(r));
}

async function withClient(fn: (c: ClientPair) => Promise<void>): Promise<void> {
  const c = await pair.connect();
  try { await fn(c); } finally { c.close(); }
}

describe('PING and ECHO', () => {
  it('answers in every form and refuses extra arguments', async () => {
    await pair.checkAll([
      ['PING'], ['ping'], ['PiNg', 'hello'], ['PING', ''], ['PING', Buffer.from([0, 255, 13, 10])],
      ['PING', 'a', 'b'], ['PING', 'a', 'b', 'c'],
      ['ECHO', 'x'], ['ECHO', ''], ['ECHO', Buffer.alloc(1000, 7)], ['ECHO'], ['ECHO', 'a', 'b'],
    ]);
  });

  it('answers the same in RESP3', async () => {
    await withClient(async (c) => {
      await checkMaskingId(c, 'HELLO', '3');
      for (const cmd of [['PING'], ['PING', 'x'], ['ECHO', 'y'], ['PING', 'a', 'b']]) await c.check(...cmd);
    });
  });
});

describe('QUIT', () => {
  it('replies OK and closes the connection, whatever its arguments', async () => {
    for (const cmd of [['QUIT'], ['quit', 'extra', 'args']]) {
      const c = await pair.connect();
      await c.check(...cmd);
      await Promise.all([
        c.real.next().catch(() => null),
        c.engine.next().catch(() => null),
      ]);
      expect(c.engine.isClosed).toBe(true);
      expect(c.real.isClosed).toBe(true);
      c.close();
    }
  });

  it('stops at QUIT: pipelined commands after it are not run', async () => {
    const c = await pair.connect();
    c.real.sendRaw('*1\r\n$4\r\nQUIT\r\n*3\r\n$3\r\nSET\r\n$1\r\nq\r\n$1\r\n1\r\n');
    c.engine.sendRaw('*1\r\n$4\r\nQUIT\r\n*3\r\n$3\r\nSET\r\n$1\r\nq\r\n$1\r\n1\r\n');
    const [r, e] = await Promise.all([c.real.next(), c.engine.next()]);
    expect(show(e)).toBe(show(r));
    c.close();
    await pair.check('EXISTS', 'q');
  });
});

describe('HELLO', () => {
  it('describes the server in RESP2 and RESP3', async () => {
    await withClient(async (c) => {
      await checkMaskingId(c, 'HELLO');
      await checkMaskingId(c, 'HELLO', '2');
      await checkMaskingId(c, 'HELLO', '3');
      await checkMaskingId(c, 'HELLO');
      await checkMaskingId(c, 'hello', '2');
      await c.check('CONFIG', 'GET', 'hz');
    });
  });

  it('refuses bad protocol versions and stays in the current protocol', async () => {
    await withClient(async (c) => {
      for (const v of ['1', '4', '0', '-1', '-3', 'abc', '3.0', ' 3', '03', '99999999999999999999', '']) {
        await c.check('HELLO', v);
      }
      await c.check('CONFIG', 'GET', 'hz'); // still RESP2
      await checkMaskingId(c, 'HELLO', '3');
      await c.check('HELLO', '4');
      await c.check('CONFIG', 'GET', 'hz'); // still RESP3
    });
  });

  it('accepts AUTH for the default user (no password set) and SETNAME', async () => {
    await withClient(async (c) => {
      await checkMaskingId(c, 'HELLO', '3', 'AUTH', 'default', 'anything');
      await checkMaskingId(c, 'HELLO', '2', 'auth', 'default', '', 'setname', 'myname');
      await checkMaskingId(c, 'HELLO', '3', 'SETNAME', 'a', 'SETNAME', 'b');
      await checkMaskingId(c, 'HELLO', '2', 'SETNAME', '');
      await checkMaskingId(c, 'HELLO', '3', 'SETNAME', '!~');
    });
  });

  it('reports option errors with Redis\'s texts and does not switch protocol', async () => {
    await withClient(async (c) => {
      const failing: Command[] = [
        ['HELLO', '3', 'AUTH', 'bob', 'pw'],
        ['HELLO', '3', 'AUTH', 'default'],
        ['HELLO', '3', 'AUTH'],
        ['HELLO', '3', 'SETNAME'],
        ['HELLO', '3', 'SETNAME', 'has space'],
        ['HELLO', '3', 'SETNAME', 'new\nline'],
        ['HELLO', '3', 'SETNAME', Buffer.from([0x61, 0x80])],
        ['HELLO', '3', 'FOO'],
        ['HELLO', '3', 'SETNAME', 'ok', 'BAR'],
        ['HELLO', '3', 'SETNAME', 'ok', 'AUTH', 'nobody', 'x'],
        ['HELLO', 'AUTH', 'default', 'x'],
        ['HELLO', 'SETNAME', 'x'],
      ];
      for (const cmd of failing) await c.check(...cmd);
      await c.check('CONFIG', 'GET', 'hz'); // none of them switched to RESP3
      await c.check('COMMAND', 'INFO', 'ping');
    });
  });
});

describe('RESET', () => {
  it('returns to RESP2 and database 0', async () => {
    await withClient(async (c) => {
      await checkMaskingId(c, 'HELLO', '3', 'SETNAME', 'before');
      await c.check('SELECT', '3');
      await c.check('SET', 'in3', 'v');
      await c.check('CONFIG', 'GET', 'hz');
      await c.check('RESET');
      await c.check('CONFIG', 'GET', 'hz');
      await c.check('GET', 'in3');
      await c.check('SELECT', '3');
      await c.check('GET', 'in3');
      await c.check('reset');
      await c.check('RESET', 'extra');
      await c.check('DEL', 'in3');
    });
  });

  it('counts in the stats like any command', async () => {
    await withClient(async (c) => {
      await c.check('CONFIG', 'RESETSTAT');
      await c.check('RESET');
      await c.check('RESET', 'x');
      const [r, e] = await c.both('INFO', 'commandstats');
      const strip = (b: Buffer) => b.toString('latin1').replace(/usec=\d+,usec_per_call=[\d.]+,/g, '').split('\r\n').filter((l) => l.startsWith('cmdstat_reset')).join();
      expect(strip(e)).toBe(strip(r));
    });
  });
});

describe('RESP3 shapes after HELLO 3', () => {
  it('uses maps, sets, nulls, doubles, booleans and verbatim strings where Redis does', async () => {
    await withClient(async (c) => {
      await checkMaskingId(c, 'HELLO', '3');
      await c.checkAll([
        ['SET', 's', 'v'], ['HSET', 'h', 'f', 'v'], ['SADD', 'st', 'm'], ['RPUSH', 'l', 'a'],
        ['GET', 'missing'], ['GET', 's'], ['HGETALL', 'h'], ['HGETALL', 'missing'], ['SMEMBERS', 'st'],
        ['LPOP', 'missing'], ['LPOP', 'missing', '2'], ['HGET', 'h', 'nofield'], ['HMGET', 'h', 'f', 'x'],
        ['CONFIG', 'GET', 'hz'], ['CONFIG', 'GET', 'nosuch'], ['COMMAND', 'INFO', 'get', 'nosuch'],
        ['COMMAND', 'DOCS', 'nosuch'], ['COMMAND', 'GETKEYSANDFLAGS', 'set', 'k', 'v'],
        ['INCRBYFLOAT', 'f', '1.5'], ['HINCRBYFLOAT', 'h', 'n', '2.5'], ['EXISTS', 's'],
        ['ZADD', 'z', '1.5', 'a', '2', 'b'], ['ZSCORE', 'z', 'a'], ['ZSCORE', 'z', 'nope'], ['ZINCRBY', 'z', '0.25', 'b'],
        ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'], ['ZMSCORE', 'z', 'a', 'x'], ['ZPOPMIN', 'z'], ['ZRANDMEMBER', 'z', '1', 'WITHSCORES'],
        ['DEL', 's', 'h', 'st', 'l', 'f', 'z'],
      ]);
      const [r, e] = await c.both('INFO', 'keyspace');
      expect(e[0]).toBe('='.charCodeAt(0));
      expect(show(e)).toBe(show(r));
    });
  });
});
