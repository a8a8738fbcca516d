// Blocking commands (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, BZPOPMIN, BZPOPMAX, BZMPOP) and
// CLIENT UNBLOCK / PAUSE against real Redis 7.0.15, with several client pairs: who is served
// first, what each gets, timeouts (the replies, not the timing), MULTI, pipelined follow-ups,
// RESP3, WRONGTYPE. Every reply of every client must be byte-identical.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SeededRandom } from '../../src/engine/sim/random.ts';
import { encodeCommand, type RespClient } from '../support/respClient.ts';
import { DifferentialPair, checkRandomStream, show, uniqueKeys, type ClientPair, type Command } from './harness.ts';

let pair: DifferentialPair;
/** Clients that block; `pair.main` pushes and checks. */
let c1: ClientPair;
let c2: ClientPair;
let c3: ClientPair;

/** Each side's connection ids of c1..c3, to unblock them after a failed test. */
const clientIds: [string, string][] = [];

beforeAll(async () => {
  // A faster cron makes timeouts come sooner on both sides (Redis checks them between events).
  pair = await DifferentialPair.start({ hz: '100', 'enable-debug-command': 'yes' });
  c1 = await pair.connect();
  c2 = await pair.connect();
  c3 = await pair.connect();
  for (const p of [c1, c2, c3]) {
    const [r, e] = await p.both('CLIENT', 'ID');
    clientIds.push([r.toString().slice(1, -2), e.toString().slice(1, -2)]);
  }
});
afterAll(async () => { await pair?.stop(); });
/** CLIENT UNBLOCK c1, c2 or c3 (by index) on both sides; the replies must match. */
async function unblockClient(i: number, ...reason: string[]): Promise<void> {
  const [r, e] = await Promise.all([
    pair.main.real.call('CLIENT', 'UNBLOCK', clientIds[i][0], ...reason),
    pair.main.engine.call('CLIENT', 'UNBLOCK', clientIds[i][1], ...reason),
  ]);
  expect(show(e), 'CLIENT UNBLOCK').toBe(show(r));
}

// A failed test may leave clients blocked or paused: free them so the next test starts clean.
afterEach(async () => {
  await pair.main.both('CLIENT', 'UNPAUSE');
  for (const [real, engine] of clientIds) {
    await Promise.all([pair.main.real.call('CLIENT', 'UNBLOCK', real), pair.main.engine.call('CLIENT', 'UNBLOCK', engine)]);
  }
});
beforeEach(async () => {
  for (const p of [pair.main, c1, c2, c3]) await p.both('RESET');
  await pair.reset();
});

const keys = uniqueKeys('b');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A reply not yet arrived on both sides. */
type Pending = Promise<[Buffer, Buffer]>;
/** A blocked command's replies, wrapped: an async function cannot return a pending promise as is. */
interface Blocked { replies: Pending }

/** Sends a (blocking) command on both sides without waiting for the replies. */
function send(p: ClientPair, ...cmd: Command): Pending {
  return Promise.all([p.real.call(...cmd), p.engine.call(...cmd)]);
}

/** Both replies of a pending command must be identical; returns the reply. */
async function same(pending: Pending | Blocked, what = 'blocked command'): Promise<string> {
  const [r, e] = await ('replies' in pending ? pending.replies : pending);
  expect(show(e), what).toBe(show(r));
  return r.toString('latin1');
}

async function blockedClients(side: RespClient): Promise<number> {
  const info = (await side.call('INFO', 'clients')).toString('latin1');
  return Number(/blocked_clients:(\d+)/.exec(info)![1]);
}

/** Waits until each side counts n blocked clients (so what was sent is waiting, in order). */
async function waitBlocked(n: number): Promise<void> {
  for (const side of [pair.main.real, pair.main.engine]) {
    for (let i = 0; (await blockedClients(side)) !== n; i++) {
      if (i > 400) throw new Error(`blocked_clients never reached ${n}`);
      await sleep(5);
    }
  }
}

/** Sends a blocking command and waits until it blocks on both sides (the count goes to n). */
async function block(p: ClientPair, n: number, ...cmd: Command): Promise<Blocked> {
  const replies = send(p, ...cmd);
  await waitBlocked(n);
  return { replies };
}

describe('served in the order they blocked', () => {
  it('three clients on one list: each push serves the next ones, one element each', async () => {
    const [k] = keys('k');
    const p1 = await block(c1, 1, 'BLPOP', k, '0');
    const p2 = await block(c2, 2, 'BRPOP', k, '0');
    const p3 = await block(c3, 3, 'BLPOP', k, '0');
    await pair.check('RPUSH', k, 'a');
    await same(p1);
    await waitBlocked(2);
    await pair.check('RPUSH', k, 'b', 'c', 'd', 'e');
    await same(p2);
    await same(p3);
    await waitBlocked(0);
    await pair.checkAll([['LRANGE', k, '0', '-1'], ['INFO', 'keyspace']]);
  });

  it('pushes of 1..n elements to three waiting clients of every kind', async () => {
    for (let n = 1; n <= 4; n++) {
      const [k] = keys('k');
      const kinds: Command[] = [['BLPOP', k, '0'], ['BRPOP', k, '0'], ['BLMPOP', '0', '1', k, 'LEFT', 'COUNT', '2']];
      const waiting: Blocked[] = [];
      for (let i = 0; i < 3; i++) waiting.push(await block([c1, c2, c3][i], i + 1, ...kinds[(i + n) % 3]));
      // The first clients in line are served at once, one pop each; the others keep waiting.
      await pair.check('LPUSH', k, ...Array.from({ length: n }, (_, i) => `e${i}`));
      await pair.check('LRANGE', k, '0', '-1');
      expect(await blockedClients(pair.main.engine)).toBe(await blockedClients(pair.main.real));
      await pair.checkAll([['DEL', k], ['RPUSH', k, ...Array.from({ length: 6 }, (_, i) => `f${i}`)]]);
      for (const w of waiting) await same(w);
      await waitBlocked(0);
      await pair.check('LRANGE', k, '0', '-1');
    }
  });

  it('BLMPOP takes up to COUNT elements; BZMPOP too, from the right end', async () => {
    const [k, z] = keys('k', 'z');
    const p1 = await block(c1, 1, 'BLMPOP', '0', '2', k, 'other', 'LEFT', 'COUNT', '1');
    const p2 = await block(c2, 2, 'BLMPOP', '0', '1', k, 'RIGHT', 'COUNT', '10');
    const p3 = await block(c3, 3, 'BLMPOP', '0', '1', k, 'LEFT', 'COUNT', '10');
    await pair.checkAll([['MULTI'], ['LPUSH', k, 'a', 'b', 'c', 'd', 'e'], ['EXEC']]);
    await same(p1);
    await same(p2);
    await waitBlocked(1);
    await pair.check('LPUSH', k, '1', '2', '3');
    await same(p3);
    const z1 = await block(c1, 1, 'BZMPOP', '0', '1', z, 'MAX', 'COUNT', '2');
    const z2 = await block(c2, 2, 'BZMPOP', '0', '1', z, 'MIN');
    const z3 = await block(c3, 3, 'BZPOPMAX', z, '0');
    await pair.check('ZADD', z, '1', 'a', '2', 'b', '3', 'c', '4.5', 'd', '-inf', 'e');
    for (const p of [z1, z2, z3]) await same(p);
    await pair.checkAll([['ZRANGE', z, '0', '-1', 'WITHSCORES'], ['EXISTS', k]]);
  });

  it('the same key given twice counts once', async () => {
    const [k1, k2] = keys('k1', 'k2');
    const p = await block(c1, 1, 'BLPOP', k1, k2, k2, k1, '0');
    await pair.check('LPUSH', k1, 'a');
    await same(p);
    const q = await block(c1, 1, 'BLPOP', k1, k2, k2, k1, '0');
    await pair.check('LPUSH', k2, 'b');
    await same(q);
    // Data already there.
    await pair.checkAll([['LPUSH', k1, 'a'], ['LPUSH', k2, 'b'], ['BLPOP', k1, k2, k2, k1, '0'],
      ['BLPOP', k1, k2, k2, k1, '0']]);
  });
});

describe('clients blocked on several keys', () => {
  it('served by the first key that gets data, then no longer waiting on the others', async () => {
    const [a, b, c] = keys('a', 'b', 'c');
    const p1 = await block(c1, 1, 'BLPOP', a, b, '0');
    const p2 = await block(c2, 2, 'BLPOP', b, a, '0');
    const p3 = await block(c3, 3, 'BRPOP', c, b, '0');
    await pair.check('RPUSH', b, 'x');
    await same(p1);
    // In one transaction: a is created first, so c2 is served from a; c3 then from b.
    await pair.checkAll([['MULTI'], ['RPUSH', a, 'y'], ['RPUSH', b, 'z1', 'z2'], ['EXEC']]);
    await same(p2);
    await same(p3);
    await pair.checkAll([['LRANGE', a, '0', '-1'], ['LRANGE', b, '0', '-1'], ['LRANGE', c, '0', '-1']]);
  });

  it('list and sorted set waiters on the same key: only the right type is served', async () => {
    const [k] = keys('k');
    const pz = await block(c1, 1, 'BZPOPMIN', k, '0');
    const pl = await block(c2, 2, 'BLPOP', k, '0');
    await pair.check('RPUSH', k, 'v1', 'v2');
    await same(pl);
    await waitBlocked(1);
    await pair.checkAll([['LRANGE', k, '0', '-1'], ['DEL', k], ['ZADD', k, '7', 'm']]);
    await same(pz);
  });

  it('a key the receiver already emptied is not served again; the rest keep waiting', async () => {
    const [k, other] = keys('k', 'other');
    const p1 = await block(c1, 1, 'BLPOP', k, '0');
    const p2 = await block(c2, 2, 'BLPOP', k, other, '0');
    await pair.check('RPUSH', k, 'only');
    await same(p1);
    await waitBlocked(1);
    await pair.check('RPUSH', other, 'x');
    await same(p2);
  });
});

describe('BLMOVE and BRPOPLPUSH', () => {
  it('a chain of moves: each push wakes the next client', async () => {
    const [l1, l2, l3] = keys('l1', 'l2', 'l3');
    const p1 = await block(c1, 1, 'BLMOVE', l1, l2, 'RIGHT', 'LEFT', '0');
    const p2 = await block(c2, 2, 'BLMOVE', l2, l3, 'LEFT', 'RIGHT', '0');
    const p3 = await block(c3, 3, 'BLPOP', l3, '0');
    await pair.check('RPUSH', l1, 'foo');
    for (const p of [p1, p2, p3]) await same(p);
    await pair.checkAll([['EXISTS', l1, l2, l3], ['INFO', 'keyspace']]);
  });

  it('circular and self-referential BRPOPLPUSH', async () => {
    const [l1, l2, s] = keys('l1', 'l2', 's');
    const p1 = await block(c1, 1, 'BRPOPLPUSH', l1, l2, '0');
    const p2 = await block(c2, 2, 'BRPOPLPUSH', l2, l1, '0');
    await pair.check('RPUSH', l1, 'foo');
    await same(p1);
    await same(p2);
    await pair.checkAll([['LRANGE', l1, '0', '-1'], ['LRANGE', l2, '0', '-1']]);
    const p3 = await block(c3, 1, 'BRPOPLPUSH', s, s, '0');
    await pair.check('RPUSH', s, 'a', 'b');
    await same(p3);
    await pair.check('LRANGE', s, '0', '-1');
  });

  it('every pair of ends, with a client waiting on the destination', async () => {
    for (const from of ['LEFT', 'RIGHT']) {
      for (const to of ['LEFT', 'RIGHT']) {
        const [src, dst] = keys('src', 'dst');
        const p2 = await block(c2, 1, 'BLPOP', dst, '0');
        const p1 = await block(c1, 2, 'BLMOVE', src, dst, from, to, '0');
        await pair.check('RPUSH', src, 'a', 'b', 'c');
        await same(p1);
        await same(p2);
        await pair.checkAll([['LRANGE', src, '0', '-1'], ['EXISTS', dst]]);
        // The destination already exists: the moved element joins it at the right end.
        await pair.checkAll([['RPUSH', dst, 'x', 'y'], ['DEL', src]]);
        const p3 = await block(c3, 1, 'BLMOVE', src, dst, from, to, '0');
        await pair.check('LPUSH', src, 'n1', 'n2');
        await same(p3);
        await pair.checkAll([['LRANGE', src, '0', '-1'], ['LRANGE', dst, '0', '-1']]);
      }
    }
  });

  it('a destination of another type: WRONGTYPE for that client, the element stays for the next', async () => {
    const [src, bad, good] = keys('src', 'bad', 'good');
    await pair.check('SET', bad, 'nolist');
    const p1 = await block(c1, 1, 'BRPOPLPUSH', src, bad, '0');
    const p2 = await block(c2, 2, 'BLMOVE', src, good, 'LEFT', 'LEFT', '0');
    await pair.check('RPUSH', src, 'a', 'b', 'c');
    await same(p1);
    await same(p2);
    await pair.checkAll([['LRANGE', src, '0', '-1'], ['LRANGE', good, '0', '-1'], ['GET', bad]]);
    // Without a second client the element stays where it is.
    await pair.check('DEL', good);
    const p3 = await block(c3, 1, 'BRPOPLPUSH', good, bad, '0');
    await pair.check('RPUSH', good, 'v');
    await same(p3);
    await pair.check('LRANGE', good, '0', '-1');
  });

  it('a WATCHed destination is touched by the push of a served BRPOPLPUSH', async () => {
    const [src, dst, other] = keys('src', 'dst', 'other');
    await pair.check('SET', other, 'v');
    const p = await block(c1, 1, 'BRPOPLPUSH', src, dst, '0');
    await c2.checkAll([['WATCH', dst], ['MULTI'], ['GET', other]]);
    await pair.check('LPUSH', src, 'e');
    await same(p);
    await c2.check('EXEC');
  });
});

describe('timeouts', () => {
  it('every command times out with the null reply of its protocol', async () => {
    for (const proto of ['2', '3']) {
      const [k, z, d] = keys('k', 'z', 'd');
      for (const p of [c1, c2, c3]) await p.both('HELLO', proto);
      const cmds: Command[] = [
        ['BLPOP', k, '0.05'], ['BRPOP', k, z, '0.02'], ['BLMOVE', k, d, 'LEFT', 'RIGHT', '0.01'],
        ['BRPOPLPUSH', k, d, '0.03'], ['BLMPOP', '0.02', '2', k, d, 'RIGHT', 'COUNT', '3'],
        ['BZPOPMIN', z, '0.01'], ['BZPOPMAX', z, k, '0.04'], ['BZMPOP', '0.05', '1', z, 'MIN', 'COUNT', '2'],
        // Tiny timeouts still round up to a millisecond: they expire, they do not block forever.
        ['BLPOP', k, '0.0000001'], ['BLPOP', k, '1e-400'], ['BZPOPMIN', z, '0x1p-20'],
      ];
      for (let i = 0; i < cmds.length; i += 3) {
        const group = cmds.slice(i, i + 3);
        const replies = group.map((cmd, j) => send([c1, c2, c3][j], ...cmd));
        for (const r of replies) await same(r, `timeout in RESP${proto}`);
      }
      await pair.checkAll([['EXISTS', k, z, d]]);
    }
  });

  it('clients with different timeouts: the short one times out, the long one is served', async () => {
    const [k] = keys('k');
    const short = await block(c1, 1, 'BLPOP', k, '0.05');
    const forever = await block(c2, 2, 'BLPOP', k, '0');
    const long = await block(c3, 3, 'BLPOP', k, '100');
    await same(short);
    await waitBlocked(2);
    await pair.check('RPUSH', k, 'a', 'b', 'c');
    await same(forever);
    await same(long);
    await pair.check('LRANGE', k, '0', '-1');
  });

  it('timeout arguments: errors, negative values, rounding', async () => {
    const [k] = keys('k');
    const bad = ['abc', '', ' 1', '1 ', '1e', 'nan', '-1', '-0.0011', '-inf', 'inf', '1e30', '9.3e15', '1\x00', '0x'];
    const cmds: Command[] = [];
    for (const t of bad) {
      cmds.push(['BLPOP', k, t], ['BRPOP', k, t], ['BZPOPMIN', k, t], ['BZPOPMAX', k, t],
        ['BLMOVE', k, k, 'LEFT', 'LEFT', t], ['BRPOPLPUSH', k, k, t],
        ['BLMPOP', t, '1', k, 'LEFT'], ['BZMPOP', t, '1', k, 'MAX']);
    }
    await pair.checkAll(cmds);
    // Values that round to 0 ms block forever, like 0: a push ends them.
    // (-0.001 is a little above -0.001 in long double: times 1000, rounded up, it is 0.)
    for (const t of ['-0.001', '-0.0001', '-0', '0.0', '+0e5']) {
      const p = await block(c1, 1, 'BLPOP', k, t);
      await pair.check('RPUSH', k, t);
      await same(p);
    }
  });

  it('argument errors of BLMPOP/BZMPOP come before the timeout is read', async () => {
    const [k] = keys('k');
    await pair.check('SET', k, 'str');
    const cmds: Command[] = [];
    for (const [cmd, end] of [['BLMPOP', 'LEFT'], ['BZMPOP', 'MIN']]) {
      cmds.push(
        [cmd, 'x', '0', k, end], [cmd, 'x', '1', k], [cmd, 'x', 'a', k, end], [cmd, 'x', '-1', k, end],
        [cmd, 'x', '2', k, end], [cmd, 'x', '1', k, 'MIDDLE'], [cmd, 'x', '1', k, end, 'COUNT', '0'],
        [cmd, 'x', '1', k, end, 'COUNT'], [cmd, 'x', '1', k, end, 'COUNT', '1', 'COUNT', '2'],
        [cmd, 'x', '1', k, end, 'junk'], [cmd, 'x', '1', k, end],
        [cmd, '-1', '1', k, end], [cmd, '0', '1', k, end], [cmd, '0', '1', k, end, 'count', '5'],
        [cmd, '0', '1', k, end.toLowerCase(), 'COUNT', '9223372036854775807'],
        [cmd, '0'], [cmd, '0', '1'],
      );
    }
    cmds.push(['BLMOVE', k, k, 'UP', 'LEFT', 'x'], ['BLMOVE', k, k, 'LEFT', 'DOWN', 'x'],
      ['BLMOVE', k, k, 'LEFT', 'LEFT', 'x'], ['BLMOVE', k, k, 'LEFT', 'LEFT', '0'], ['BRPOPLPUSH', k, k, 'x'],
      ['BLPOP', k], ['BZPOPMIN', k], ['BLMOVE', k, k, 'LEFT', 'LEFT'], ['BRPOPLPUSH', k, k]);
    await pair.checkAll(cmds);
  });
});

describe('what a blocked client does meanwhile', () => {
  it('its pipelined commands wait, then run in order once it is served', async () => {
    const [k, s] = keys('k', 's');
    await pair.check('SET', s, 'before');
    const pipeline = Promise.all([
      c1.real.pipeline([['BLPOP', k, '0'], ['PING'], ['LLEN', k], ['GET', s], ['BLPOP', k, '0'], ['ECHO', 'end']]),
      c1.engine.pipeline([['BLPOP', k, '0'], ['PING'], ['LLEN', k], ['GET', s], ['BLPOP', k, '0'], ['ECHO', 'end']]),
    ]);
    await waitBlocked(1);
    // Nothing ran after the BLPOP: the SET below is what GET will see.
    await pair.checkAll([['SET', s, 'after'], ['RPUSH', k, 'a', 'b']]);
    const [rs, es] = await pipeline;
    for (let i = 0; i < rs.length; i++) expect(show(es[i]), `pipelined reply #${i}`).toBe(show(rs[i]));
  });

  it('a timed-out client runs its pipelined commands too', async () => {
    const [k] = keys('k');
    const cmds: Command[] = [['BRPOP', k, '0.02'], ['PING', 'next'], ['BZPOPMIN', k, '0.01'], ['RPUSH', k, 'x'],
      ['BLPOP', k, '0.01']];
    const [rs, es] = await Promise.all([c2.real.pipeline(cmds), c2.engine.pipeline(cmds)]);
    for (let i = 0; i < rs.length; i++) expect(show(es[i]), `pipelined reply #${i}`).toBe(show(rs[i]));
  });

  it('a client that disconnects while blocked is forgotten; the element goes to the next', async () => {
    const [k] = keys('k');
    const extra = await pair.connect();
    const gone = send(extra, 'BLPOP', k, '0');
    await waitBlocked(1);
    const p = await block(c1, 2, 'BLPOP', k, '0');
    extra.close();
    await Promise.allSettled([gone]);
    await waitBlocked(1);
    await pair.check('RPUSH', k, 'x');
    await same(p);
    await waitBlocked(0);
  });
});

describe('side effects of serving', () => {
  /** Reads messages until the sentinel message arrives; returns them all as text. */
  async function drain(client: RespClient): Promise<string[]> {
    const out: string[] = [];
    for (;;) {
      const m = (await client.next()).toString('latin1');
      if (m.includes('sentinel-end')) return out;
      out.push(m);
    }
  }

  it('serving fires the same keyspace events in the same order', async () => {
    const sub = await pair.connect();
    await pair.check('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
    await sub.check('PSUBSCRIBE', '__key*__:*');
    await sub.check('SUBSCRIBE', 'sentinel');
    const [k, d, z, bad] = keys('k', 'd', 'z', 'bad');
    await pair.check('SET', bad, 'x');
    const waiting = [
      await block(c1, 1, 'BLMOVE', k, d, 'RIGHT', 'LEFT', '0'),
      await block(c2, 2, 'BLPOP', d, '0'),
      await block(c3, 3, 'BZMPOP', '0', '1', z, 'MIN', 'COUNT', '2'),
    ];
    await pair.checkAll([['RPUSH', k, 'a', 'b'], ['ZADD', z, '1', 'm', '2', 'n']]);
    for (const w of waiting) await same(w);
    const more = [await block(c1, 1, 'BRPOPLPUSH', d, bad, '0'), await block(c2, 2, 'BLMPOP', '0', '1', d, 'LEFT', 'COUNT', '5')];
    await pair.checkAll([['LPUSH', d, '1', '2'], ['PUBLISH', 'sentinel', 'sentinel-end']]);
    for (const w of more) await same(w);
    const [real, engine] = await Promise.all([drain(sub.real), drain(sub.engine)]);
    expect(engine).toEqual(real);
    expect(real.length).toBeGreaterThan(10);
    await pair.check('CONFIG', 'SET', 'notify-keyspace-events', '');
    sub.close();
  });

  it('a served BLPOP adds no change to save, a served BLMPOP does (as in Redis)', async () => {
    const [k] = keys('k');
    const changes = (info: Buffer) => /rdb_changes_since_last_save:(\d+)/.exec(info.toString())?.[1];
    const counted = async () => {
      const [r, e] = await pair.both('INFO', 'persistence');
      return [changes(r), changes(e)];
    };
    const p = await block(c1, 1, 'BLPOP', k, '0');
    const before = await counted();
    await pair.check('RPUSH', k, 'x');
    await same(p);
    const after = await counted();
    expect(after[1]).toBeDefined();
    expect(Number(after[1]) - Number(before[1])).toBe(Number(after[0]) - Number(before[0]));
    const q = await block(c2, 1, 'BLMPOP', '0', '1', k, 'LEFT', 'COUNT', '3');
    await pair.check('RPUSH', k, 'x', 'y');
    await same(q);
    const last = await counted();
    expect(Number(last[1]) - Number(after[1])).toBe(Number(last[0]) - Number(after[0]));
  });
});

describe('muted replies', () => {
  /** Sends the commands in one write; returns the replies that come back (expected: `count`). */
  async function sendMuted(p: ClientPair, commands: Command[], count: number): Promise<void> {
    const raw = Buffer.concat(commands.map(encodeCommand));
    p.real.sendRaw(raw);
    p.engine.sendRaw(raw);
    for (let i = 0; i < count; i++) {
      const [r, e] = await Promise.all([p.real.next(), p.engine.next()]);
      expect(show(e), `reply #${i}`).toBe(show(r));
    }
  }

  it('CLIENT REPLY SKIP and OFF drop the reply of a blocked command, whenever it comes', async () => {
    const [k] = keys('k');
    const served = sendMuted(c1, [['CLIENT', 'REPLY', 'SKIP'], ['BLPOP', k, '0'], ['ECHO', 'after']], 1);
    await waitBlocked(1);
    await pair.check('RPUSH', k, 'x', 'y');
    await served;
    await sendMuted(c2, [['CLIENT', 'REPLY', 'OFF'], ['BLPOP', k, '0'], ['BZPOPMIN', k, '0.01'],
      ['CLIENT', 'REPLY', 'ON'], ['LLEN', k]], 2);
  });
});

describe('transactions', () => {
  it('inside MULTI/EXEC the blocking commands act as timed out at once', async () => {
    const [k, z, d] = keys('k', 'z', 'd');
    await pair.checkAll([
      ['RPUSH', k, 'foo', 'bar'], ['ZADD', z, '1', 'a'],
      ['MULTI'], ['BLPOP', k, '0'], ['BRPOP', k, '0'], ['BLPOP', k, '0'], ['BLMOVE', k, d, 'LEFT', 'LEFT', '0'],
      ['BRPOPLPUSH', k, d, '0'], ['BLMPOP', '0', '1', k, 'LEFT'], ['BZPOPMIN', z, '0'], ['BZPOPMAX', z, '0'],
      ['BZMPOP', '0', '1', z, 'MIN'], ['BLPOP', k, '-1'], ['EXEC'],
    ]);
    await pair.checkAll([
      ['RPUSH', k, 'a', 'b', 'c'], ['MULTI'], ['BRPOPLPUSH', k, d, '0'], ['BRPOPLPUSH', k, d, '0'],
      ['BRPOPLPUSH', k, d, '0'], ['BRPOPLPUSH', k, d, '0'], ['LRANGE', k, '0', '-1'], ['LRANGE', d, '0', '-1'], ['EXEC'],
    ]);
  });

  it('pushes inside MULTI serve the waiting clients after EXEC, with the final contents', async () => {
    const [k] = keys('k');
    const p = await block(c1, 1, 'BLPOP', k, '0');
    await pair.checkAll([['MULTI'], ['LPUSH', k, 'a'], ['LPUSH', k, 'b'], ['LPUSH', k, 'c'], ['EXEC']]);
    await same(p);
    await pair.check('LRANGE', k, '0', '-1');
  });

  it('LPUSH + DEL, or LPUSH + DEL + SET, in one transaction wake nobody', async () => {
    const [k] = keys('k');
    const p = await block(c1, 1, 'BLPOP', k, '0');
    await pair.checkAll([['MULTI'], ['LPUSH', k, 'a'], ['DEL', k], ['EXEC']]);
    await pair.checkAll([['MULTI'], ['LPUSH', k, 'a'], ['DEL', k], ['SET', k, 'foo'], ['EXEC']]);
    await waitBlocked(1);
    await pair.checkAll([['GET', k], ['DEL', k], ['LPUSH', k, 'b']]);
    await same(p);
  });

  it('a key replaced by another type: list waiters stay blocked, no WRONGTYPE', async () => {
    const [k] = keys('k');
    const p = await block(c1, 1, 'BLMPOP', '0', '1', k, 'LEFT', 'COUNT', '3');
    const q = await block(c2, 2, 'BZPOPMIN', k, '0');
    await pair.checkAll([['MULTI'], ['RPUSH', k, 'a'], ['DEL', k], ['HSET', k, 'f', 'v'], ['EXEC']]);
    await pair.checkAll([['MULTI'], ['DEL', k], ['ZADD', k, '1', 'a'], ['EXEC']]);
    await same(q);
    await waitBlocked(1);
    await pair.checkAll([['MULTI'], ['DEL', k], ['SADD', k, 'a'], ['DEL', k], ['RPUSH', k, 'x', 'y'], ['EXEC']]);
    await same(p);
  });

  it('a source of another type fails at once', async () => {
    const [s, k] = keys('s', 'k');
    await pair.checkAll([
      ['SET', s, 'text'], ['BLPOP', k, s, '0'], ['BRPOP', s, '1'], ['BLMOVE', s, k, 'LEFT', 'LEFT', '0'],
      ['BRPOPLPUSH', s, k, '0'], ['BLMPOP', '0', '2', k, s, 'LEFT'], ['BZPOPMIN', k, s, '0'],
      ['BZMPOP', '0', '2', k, s, 'MAX'],
    ]);
  });

  it('SWAPDB brings a waited-for key into the blocked client\'s database', async () => {
    const [k] = keys('k');
    await pair.checkAll([['SELECT', '1'], ['RPUSH', k, 'hello'], ['SELECT', '0']]);
    await c1.both('SELECT', '9');
    const p = await block(c1, 1, 'BRPOP', k, '5');
    await pair.check('SWAPDB', '1', '9');
    await same(p);
    await pair.checkAll([['SELECT', '9'], ['EXISTS', k], ['SELECT', '0']]);
  });

  it('a key that expired while the transaction slept serves nobody', async () => {
    const [k] = keys('k');
    const p = await block(c1, 1, 'BRPOP', k, '0');
    await pair.checkAll([['MULTI'], ['RPUSH', k, 'hello'], ['PEXPIRE', k, '100'], ['DEBUG', 'SLEEP', '0.2'], ['EXEC']]);
    await pair.check('EXISTS', k);
    await waitBlocked(1);
    await unblockClient(0);
    await same(p);
  });

  it('SWAPDB with a waited-for key that has expired meanwhile serves nobody', async () => {
    const [k] = keys('k');
    await pair.checkAll([['DEBUG', 'SET-ACTIVE-EXPIRE', '0'], ['SELECT', '1'], ['RPUSH', k, 'hello'], ['PEXPIRE', k, '50'],
      ['SELECT', '0']]);
    await c1.both('SELECT', '9');
    const p = await block(c1, 1, 'BRPOP', k, '0');
    await sleep(80);
    await pair.check('SWAPDB', '1', '9');
    await waitBlocked(1);
    await unblockClient(0);
    await same(p);
    await pair.checkAll([['DEBUG', 'SET-ACTIVE-EXPIRE', '1'], ['SELECT', '9'], ['EXISTS', k], ['SELECT', '0']]);
  });

  it('RENAME and MOVE into a waited-for key serve it', async () => {
    const [k, src] = keys('k', 'src');
    const p = await block(c1, 1, 'BLPOP', k, '0');
    await pair.checkAll([['RPUSH', src, 'a', 'b', 'c'], ['RENAME', src, k]]);
    await same(p);
    await c2.both('SELECT', '3');
    const q = await block(c2, 1, 'BZPOPMAX', k, '0');
    await pair.checkAll([['LRANGE', k, '0', '-1'], ['DEL', k], ['ZADD', k, '1', 'x', '2', 'y'], ['MOVE', k, '3']]);
    await same(q);
    await pair.checkAll([['SELECT', '3'], ['ZRANGE', k, '0', '-1'], ['SELECT', '0']]);
  });
});

describe('RESP3 and binary data', () => {
  it('served replies in RESP3: arrays, nested pairs, doubles', async () => {
    const [k, z] = keys('k', 'z');
    for (const p of [c1, c2, c3]) await p.both('HELLO', '3');
    const p1 = await block(c1, 1, 'BZPOPMIN', z, '0');
    const p2 = await block(c2, 2, 'BZMPOP', '0', '1', z, 'MAX', 'COUNT', '5');
    const p3 = await block(c3, 3, 'BLMPOP', '0', '1', k, 'RIGHT', 'COUNT', '2');
    await pair.checkAll([['ZADD', z, '1.5', 'a', '2', 'b', '-3e100', 'c'], ['RPUSH', k, '1', '2', '3']]);
    for (const p of [p1, p2, p3]) await same(p);
    // And not blocking, in RESP3.
    await pair.checkAll([['ZADD', z, '0.1', 'x', '0.25', 'w'], ['RPUSH', k, 'y', 'v']]);
    await c1.checkAll([['BZPOPMAX', z, '0'], ['BLPOP', k, '0'], ['BZMPOP', '0', '1', z, 'MIN'], ['BLMPOP', '0', '1', k, 'LEFT']]);
  });

  it('binary keys and values', async () => {
    const key = Buffer.from('k\x00\xff\r\nkey', 'latin1');
    const value = Buffer.from('\x00\x01\xfe\xff\r\n', 'latin1');
    const p = await block(c1, 1, 'BLPOP', 'other', key, '0');
    await pair.check('RPUSH', key, value, Buffer.alloc(70000, 0xab));
    await same(p);
    await pair.check('DEL', key);
    const q = await block(c2, 1, 'BLMOVE', key, Buffer.from('dst\xff', 'latin1'), 'RIGHT', 'LEFT', '0');
    await pair.check('RPUSH', key, Buffer.alloc(70000, 0xcd));
    await same(q);
    await pair.check('LRANGE', Buffer.from('dst\xff', 'latin1'), '0', '-1');
  });
});

describe('CLIENT UNBLOCK and CLIENT PAUSE', () => {
  /** Each side's id of a client pair's connections. */
  async function ids(p: ClientPair): Promise<[string, string]> {
    const [r, e] = await p.both('CLIENT', 'ID');
    return [r.toString().slice(1, -2), e.toString().slice(1, -2)];
  }

  /** CLIENT UNBLOCK (with each side's id) from the main pair; the replies must match. */
  async function unblock(target: [string, string], ...reason: string[]): Promise<void> {
    const [r, e] = await Promise.all([
      pair.main.real.call('CLIENT', 'UNBLOCK', target[0], ...reason),
      pair.main.engine.call('CLIENT', 'UNBLOCK', target[1], ...reason),
    ]);
    expect(show(e), 'CLIENT UNBLOCK').toBe(show(r));
  }

  it('unblocks as a timeout or with an error; the stats count a failed call', async () => {
    const [k] = keys('k');
    await pair.check('CONFIG', 'RESETSTAT');
    const id1 = await ids(c1);
    const id2 = await ids(c2);
    const p1 = await block(c1, 1, 'BLPOP', k, '0');
    const p2 = await block(c2, 2, 'BZMPOP', '0', '1', k, 'MIN');
    await unblock(id1);
    await same(p1);
    await unblock(id2, 'ERROR');
    await same(p2);
    await unblock(id1, 'TIMEOUT');
    await c2.both('HELLO', '3');
    const p3 = await block(c2, 1, 'BRPOPLPUSH', k, 'x', '0');
    await unblock(id2, 'timeout');
    await same(p3);
    await pair.checkAll([
      ['CLIENT', 'UNBLOCK', 'abc'], ['CLIENT', 'UNBLOCK', '1', 'maybe'], ['CLIENT', 'UNBLOCK', '1', 'error', 'x'],
      ['CLIENT', 'UNBLOCK', '999999'], ['INFO', 'errorstats'],
    ]);
    const failed = (info: Buffer) => info.toString().split('\r\n').filter((l) => /cmdstat_b/.test(l))
      .map((l) => l.replace(/usec=\d+,usec_per_call=[\d.]+,/, '')).sort();
    await pair.compare(['INFO', 'commandstats'], (r, eng) => expect(failed(eng)).toEqual(failed(r)));
  });

  it('PAUSE WRITE holds writes (and what follows them), reads go on; UNPAUSE runs them in order', async () => {
    const [k, s] = keys('k', 's');
    await pair.checkAll([['SET', s, 'v0'], ['CLIENT', 'PAUSE', '100000', 'WRITE']]);
    const w1 = send(c1, 'SET', s, 'v1');
    const pipeline = Promise.all([
      c2.real.pipeline([['RPUSH', k, 'a'], ['GET', s], ['LLEN', k]]),
      c2.engine.pipeline([['RPUSH', k, 'a'], ['GET', s], ['LLEN', k]]),
    ]);
    await waitBlocked(2);
    await c3.checkAll([['GET', s], ['LLEN', k], ['PING']]);
    // PUBLISH may replicate (CMD_MAY_REPLICATE): held as well.
    const published = send(c3, 'PUBLISH', 'channel', 'm');
    await waitBlocked(3);
    await pair.check('CLIENT', 'UNPAUSE');
    await same(w1);
    await same(published);
    const [rs, es] = await pipeline;
    for (let i = 0; i < rs.length; i++) expect(show(es[i]), `pipelined reply #${i}`).toBe(show(rs[i]));
    await pair.checkAll([['GET', s], ['LRANGE', k, '0', '-1']]);
  });

  it('while paused, expired keys are not deleted, only reported missing', async () => {
    const [k] = keys('k');
    await pair.checkAll([['SET', k, 'v', 'PX', '20'], ['CLIENT', 'PAUSE', '100000', 'WRITE']]);
    await sleep(60);
    await pair.checkAll([['GET', k], ['EXISTS', k], ['DBSIZE'], ['TTL', k]]);
    await sleep(30);
    await pair.checkAll([['DBSIZE'], ['CLIENT', 'UNPAUSE'], ['GET', k], ['DBSIZE']]);
  });

  it('a pause ends by itself; its arguments are checked', async () => {
    const [s] = keys('s');
    await pair.checkAll([
      ['CLIENT', 'PAUSE'], ['CLIENT', 'PAUSE', 'x'], ['CLIENT', 'PAUSE', '-1'], ['CLIENT', 'PAUSE', '1.5'],
      ['CLIENT', 'PAUSE', '10', 'some'], ['CLIENT', 'PAUSE', 'x', 'some'], ['CLIENT', 'PAUSE', '10', 'ALL', 'x'],
      ['CLIENT', 'UNPAUSE', 'x'], ['CLIENT', 'PAUSE', '0'], ['SET', s, 'not held'],
    ]);
    await pair.check('CLIENT', 'PAUSE', '50', 'all');
    await same(send(c1, 'GET', s), 'command held by a pause that ends by itself');
    await same(send(c2, 'SET', s, 'later'), 'write held by a pause that ends by itself');
    await pair.check('GET', s);
  });

  it('PAUSE WRITE holds an EXEC only if its transaction writes', async () => {
    const [k] = keys('k');
    await c1.checkAll([['MULTI'], ['GET', k]]);
    await c2.checkAll([['MULTI'], ['INCR', k]]);
    await pair.check('CLIENT', 'PAUSE', '100000', 'WRITE');
    const read = send(c1, 'EXEC');
    await same(read, 'a read-only EXEC under PAUSE WRITE');
    const write = send(c2, 'EXEC');
    await waitBlocked(1);
    await pair.check('CLIENT', 'UNPAUSE');
    await same(write, 'a writing EXEC held by PAUSE WRITE');
  });
});

describe('random streams', () => {
  /** One client alone: a command that blocks can only time out, which keeps the stream comparable. */
  function randomCommand(rng: SeededRandom): Command {
    const key = () => ['l1', 'l2', 'z1', 'z2', 's'][rng.below(5)];
    const timeout = () => ['0.01', '0.001', '0.02'][rng.below(3)];
    const end = () => (rng.below(2) ? 'LEFT' : 'RIGHT');
    const value = () => String(rng.below(20));
    switch (rng.below(14)) {
      case 0: return ['RPUSH', key(), ...Array.from({ length: 1 + rng.below(4) }, value)];
      case 1: return ['LPUSH', key(), value()];
      case 2: return ['ZADD', key(), String(rng.below(10) - 5), value(), '1.5', value()];
      case 3: return ['BLPOP', key(), key(), timeout()];
      case 4: return ['BRPOP', key(), timeout()];
      case 5: return ['BLMOVE', key(), key(), end(), end(), timeout()];
      case 6: return ['BRPOPLPUSH', key(), key(), timeout()];
      case 7: return ['BLMPOP', timeout(), '2', key(), key(), end(), 'COUNT', String(1 + rng.below(3))];
      case 8: return ['BZPOPMIN', key(), key(), timeout()];
      case 9: return ['BZPOPMAX', key(), timeout()];
      case 10: return ['BZMPOP', timeout(), '1', key(), rng.below(2) ? 'MIN' : 'MAX', 'COUNT', String(1 + rng.below(3))];
      case 11: return rng.below(3) ? ['LRANGE', key(), '0', '-1'] : ['ZRANGE', key(), '0', '-1', 'WITHSCORES'];
      case 12: return rng.below(4) ? ['EXISTS', key()] : ['SET', 's', 'str'];
      default: return ['DEL', key()];
    }
  }

  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: pops, moves and timeouts of one client`, async () => {
      if (seed === 3) await pair.main.both('HELLO', '3');
      const rng = new SeededRandom(seed * 104729);
      const commands = Array.from({ length: 250 }, () => randomCommand(rng));
      await checkRandomStream(pair.main, commands, { batch: 50 });
    });
  }
});
