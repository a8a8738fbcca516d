// Pub/Sub against real Redis 7.0: the frames of SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE
// and PUBLISH in RESP2 and RESP3, the subscribed context of a RESP2 connection, PUBSUB's
// introspection, several publishers and subscribers at once, and transactions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allCommands } from '../../src/engine/commands/index.ts';
import { encodeCommand, type RespClient } from '../support/respClient.ts';
import { DifferentialPair, show, wire, type ClientPair, type Command } from './harness.ts';

let pair: DifferentialPair;
beforeAll(async () => { pair = await DifferentialPair.start(); });
afterAll(async () => { await pair?.stop(); });

const has = (name: string) => name in allCommands;

/** The next `count` frames one side received, as text. */
async function read(client: RespClient, count: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push((await client.next()).toString('latin1'));
  return out;
}

/** The next `count` frames on both sides must be identical. Returns the real ones. */
async function expectReceived(p: ClientPair, count: number): Promise<string[]> {
  const [real, engine] = await Promise.all([read(p.real, count), read(p.engine, count)]);
  expect(engine).toEqual(real);
  return real;
}

/**
 * Like expectReceived for the frames of one PUBLISH to a client matching it several ways: the
 * "message" frame comes first, then one "pmessage" per pattern in the order of the server's
 * pattern table, which Redis keeps in hash order (random per process). Compared as a multiset,
 * with the "message" frame first on both sides.
 */
async function expectReceivedAnyPatternOrder(p: ClientPair, count: number): Promise<string[]> {
  const [real, engine] = await Promise.all([read(p.real, count), read(p.engine, count)]);
  expect([...engine].sort()).toEqual([...real].sort());
  const kinds = (frames: string[]) => frames.map((f) => f.split('\r\n')[2]);
  expect(kinds(engine)).toEqual(kinds(real));
  return real;
}

/** Sends cmd on both sides; the `count` frames that follow must be identical. */
async function expectFrames(p: ClientPair, count: number, ...cmd: Command): Promise<string[]> {
  const bytes = encodeCommand(wire(cmd));
  p.real.sendRaw(bytes);
  p.engine.sendRaw(bytes);
  return expectReceived(p, count);
}

/**
 * Nothing else is waiting on either side: a PING's answer is the very next frame. (In RESP2
 * subscribed mode that is ["pong", ""].)
 */
async function expectIdle(p: ClientPair): Promise<void> {
  const [r, e] = await p.both('PING');
  expect(show(e)).toBe(show(r));
  expect(['+PONG\r\n', '*2\r\n$4\r\npong\r\n$0\r\n\r\n']).toContain(r.toString('latin1'));
}

/** A fresh connection to each side, optionally in RESP3. */
async function client(protocol: 2 | 3 = 2): Promise<ClientPair> {
  const p = await pair.connect();
  // HELLO's reply carries the connection id, which differs between the servers.
  if (protocol === 3) await p.both('HELLO', '3');
  return p;
}

let n = 0;
/** Fresh channel names for one test. */
function names(...xs: string[]): string[] {
  n++;
  return xs.map((x) => `c${n}:${x}`);
}

describe('subscribing and unsubscribing', () => {
  for (const protocol of [2, 3] as const) {
    it(`frames and counts, duplicates, and unsubscribing from what was never subscribed (RESP${protocol})`, async () => {
      const s = await client(protocol);
      const [a, b, c] = names('a', 'b', 'c');
      await expectFrames(s, 3, 'SUBSCRIBE', a, b, a);
      await expectFrames(s, 2, 'PSUBSCRIBE', `${a}*`, `${a}*`);
      await expectFrames(s, 1, 'SUBSCRIBE', c);
      await expectFrames(s, 2, 'UNSUBSCRIBE', b, 'never');
      await expectFrames(s, 2, 'PUNSUBSCRIBE', 'never*', `${a}*`);
      await expectFrames(s, 1, 'PUNSUBSCRIBE');
      await expectFrames(s, 2, 'UNSUBSCRIBE', a, c);
      // Subscribed to nothing: one frame with a null name, for each kind.
      await expectFrames(s, 1, 'UNSUBSCRIBE');
      await expectFrames(s, 1, 'PUNSUBSCRIBE');
      await expectFrames(s, 1, 'UNSUBSCRIBE', a);
      await expectIdle(s);
      s.close();
    });
  }

  it('a bare UNSUBSCRIBE answers for every channel (Redis walks them in hash order)', async () => {
    const s = await client();
    const chans = names('a', 'b', 'c', 'd');
    await expectFrames(s, 4, 'SUBSCRIBE', ...chans);
    await expectFrames(s, 1, 'PSUBSCRIBE', 'p*');
    s.real.sendRaw(encodeCommand(['UNSUBSCRIBE']));
    s.engine.sendRaw(encodeCommand(['UNSUBSCRIBE']));
    const [real, engine] = await Promise.all([read(s.real, 4), read(s.engine, 4)]);
    // The counts go down the same way; the channels come in an order of each server's own.
    const counts = (frames: string[]) => frames.map((f) => f.split('\r\n')[5]);
    const channels = (frames: string[]) => frames.map((f) => f.split('\r\n')[4]).sort();
    expect(counts(engine)).toEqual(counts(real));
    expect(counts(real)).toEqual([':4', ':3', ':2', ':1']);
    expect(channels(engine)).toEqual(channels(real));
    expect(channels(real)).toEqual([...chans].sort());
    await expectFrames(s, 1, 'PUNSUBSCRIBE');
    s.close();
  });

  it('binary and empty channel names and patterns', async () => {
    const s = await client();
    await expectFrames(s, 3, 'SUBSCRIBE', '', '\x00\xff\r\n', 'caf\xc3\xa9');
    await expectFrames(s, 2, 'PSUBSCRIBE', '\x00*', '');
    const p = pair.main;
    await p.check('PUBLISH', '', '');
    await expectReceived(s, 2);
    await p.check('PUBLISH', wire(['\x00\xff\r\n'])[0], wire(['\xff\x00'])[0]);
    await expectReceived(s, 2);
    await expectIdle(s);
    s.close();
  });
});

describe('the subscribed context of a RESP2 connection', () => {
  it('allows only (P)SUBSCRIBE, (P)UNSUBSCRIBE, PING, QUIT and RESET', async () => {
    const s = await client();
    const [a] = names('a');
    await expectFrames(s, 1, 'SUBSCRIBE', a);
    for (const cmd of [['GET', 'k'], ['SET', 'k', 'v'], ['PUBLISH', a, 'x'], ['PUBSUB', 'NUMPAT'], ['CONFIG', 'GET', 'x'],
      ['MULTI'], ['EXEC'], ['HELLO', '3'], ['SELECT', '1'], ['ECHO', 'x'], ['NOSUCH', 'x'], ['GET'], ['PUBSUB', 'NOPE'],
      ['PING', 'a', 'b'], ['PING'], ['PING', 'hello'], ['PING', ''], ['ping', 'lower'], ['DBSIZE'], ['WATCH', 'k']]) {
      await expectFrames(s, 1, ...cmd);
    }
    // Out of it again once nothing is subscribed.
    await expectFrames(s, 1, 'UNSUBSCRIBE');
    await s.check('GET', 'k');
    await s.check('PING');
    s.close();
  });

  it('RESET leaves subscribed mode without frames; QUIT closes', async () => {
    const s = await client();
    const [a] = names('a');
    await expectFrames(s, 2, 'SUBSCRIBE', a, `${a}2`);
    await expectFrames(s, 1, 'PSUBSCRIBE', `${a}*`);
    await s.check('RESET');
    await s.check('GET', 'k');
    await pair.main.check('PUBLISH', a, 'gone');
    await pair.main.check('PUBSUB', 'NUMSUB', a);
    await expectFrames(s, 1, 'SUBSCRIBE', a);
    await s.check('QUIT');
    // Once the connection is gone, it is no subscriber any more.
    await Promise.all([s.real.next().catch(() => null), s.engine.next().catch(() => null)]);
    expect(s.real.isClosed && s.engine.isClosed).toBe(true);
    await pair.main.check('PUBSUB', 'NUMSUB', a);
    await pair.main.check('PUBLISH', a, 'nobody');
  });

  it('a RESP3 connection has no such context, and HELLO 2 brings it back', async () => {
    const s = await client(3);
    const [a] = names('a');
    await expectFrames(s, 1, 'SUBSCRIBE', a);
    await s.check('SET', `${a}:k`, 'v');
    await s.check('GET', `${a}:k`);
    await s.check('PING');
    await s.check('PING', 'x');
    await s.check('PUBSUB', 'NUMSUB', a);
    await s.compare(['HELLO', '2'], (r, e) => expect(e.subarray(0, 9).toString()).toBe(r.subarray(0, 9).toString()));
    await s.check('GET', `${a}:k`);
    await s.check('PING');
    s.close();
  });
});

describe('publishing', () => {
  it('PUBLISH counts channel and pattern receivers; a client matching twice gets both frames', async () => {
    const [news, other] = names('news', 'other');
    const s1 = await client();
    const s2 = await client(3);
    await expectFrames(s1, 1, 'SUBSCRIBE', news);
    await expectFrames(s1, 1, 'PSUBSCRIBE', `${news.slice(0, -2)}*`);
    await expectFrames(s2, 2, 'PSUBSCRIBE', `${news.slice(0, -4)}n?ws`, `${news.slice(0, -4)}[mn]ews`);
    await expectFrames(s2, 1, 'SUBSCRIBE', news);
    await pair.main.check('PUBLISH', news, 'hello');
    await expectReceived(s1, 2);
    await expectReceivedAnyPatternOrder(s2, 3);
    await pair.main.check('PUBLISH', other, 'nobody');
    await pair.main.check('PUBLISH', news.slice(0, -2) + 'zz', 'pattern only');
    await expectReceived(s1, 1);
    await expectIdle(s1);
    await expectIdle(s2);
    s1.close();
    s2.close();
  });

  it('glob patterns match channels with stringmatchlen\'s rules', async () => {
    const s = await client();
    const patterns = ['h?llo', 'h*llo', 'h[ae]llo', 'h[^e]llo', 'h[a-b]llo', 'h\\*llo', '*', '[', 'a[', '\\', 'h[z-a]llo',
      '*[]*', 'H*', 'hello*', '**o', '[a-]x'];
    await expectFrames(s, patterns.length, 'PSUBSCRIBE', ...patterns);
    for (const channel of ['hello', 'hallo', 'hllo', 'heeeello', 'h*llo', 'HELLO', '[', 'a', '\\', 'hxllo', 'h-llo', '-x', 'x']) {
      const r = await pair.main.check('PUBLISH', channel, 'm');
      await expectReceivedAnyPatternOrder(s, Number(r.slice(1, -2)));
    }
    await expectIdle(s);
    s.close();
  });

  it('messages keep their order across several publishers and subscribers', async () => {
    const [a, b] = names('a', 'b');
    const subs = [await client(), await client(3), await client()];
    await expectFrames(subs[0], 2, 'SUBSCRIBE', a, b);
    await expectFrames(subs[1], 1, 'SUBSCRIBE', a);
    await expectFrames(subs[1], 1, 'PSUBSCRIBE', `${a.slice(0, -1)}*`);
    await expectFrames(subs[2], 1, 'PSUBSCRIBE', `${a.slice(0, -1)}?`);
    const pubs = [pair.main, await client(), await client(3)];
    const expected = [0, 0, 0];
    for (let i = 0; i < 30; i++) {
      const p = pubs[i % 3];
      const ch = i % 4 === 3 ? b : a;
      await p.check('PUBLISH', ch, `msg-${i}`);
      expected[0]++;
      if (ch === a) expected[1] += 2;
      else expected[1]++;
      expected[2]++;
    }
    // Pipelined publishers too: a batch from each, one after the other.
    for (const [j, p] of pubs.entries()) {
      await p.checkAll([['PUBLISH', a, `batch-${j}-1`], ['PUBLISH', b, `batch-${j}-2`], ['PUBLISH', a, `batch-${j}-3`]]);
      expected[0] += 3; expected[1] += 5; expected[2] += 3;
    }
    for (let k = 0; k < subs.length; k++) {
      await expectReceived(subs[k], expected[k]);
      await expectIdle(subs[k]);
    }
    for (const p of [...subs, ...pubs.slice(1)]) p.close();
  });

  it('unsubscribing in the middle of a stream', async () => {
    const [a, b] = names('a', 'b');
    const s = await client();
    await expectFrames(s, 2, 'SUBSCRIBE', a, b);
    await pair.main.checkAll([['PUBLISH', a, '1'], ['PUBLISH', b, '2']]);
    await expectFrames(s, 3, 'UNSUBSCRIBE', a); // the two messages, then the confirmation
    await pair.main.checkAll([['PUBLISH', a, '3'], ['PUBLISH', b, '4']]);
    await expectReceived(s, 1);
    await expectFrames(s, 1, 'PSUBSCRIBE', `${a.slice(0, -1)}*`);
    await pair.main.checkAll([['PUBLISH', a, '5'], ['PUBLISH', b, '6']]);
    await expectReceived(s, 3);
    await expectFrames(s, 1, 'UNSUBSCRIBE', b);
    await pair.main.checkAll([['PUBLISH', b, '7']]);
    await expectReceived(s, 1);
    await expectFrames(s, 1, 'PUNSUBSCRIBE');
    await pair.main.checkAll([['PUBLISH', a, '8'], ['PUBLISH', b, '9']]);
    await s.check('PING');
    s.close();
  });

  it('a RESP3 client gets pushes between its own replies, to itself too', async () => {
    const [a] = names('a');
    const s = await client(3);
    await expectFrames(s, 1, 'SUBSCRIBE', a);
    // Its own PUBLISH: the push comes before the reply.
    await expectFrames(s, 2, 'PUBLISH', a, 'to myself');
    await pair.main.check('PUBLISH', a, 'from main');
    await expectFrames(s, 2, 'SET', `${a}:k`, 'v');
    await s.checkAll([['GET', `${a}:k`], ['INCR', `${a}:n`]]);
    await expectFrames(s, 2, 'PSUBSCRIBE', a, `${a}*`);
    s.real.sendRaw(encodeCommand(['PUBLISH', a, 'three times']));
    s.engine.sendRaw(encodeCommand(['PUBLISH', a, 'three times']));
    await expectReceivedAnyPatternOrder(s, 3);
    await expectReceived(s, 1); // PUBLISH's reply, after the pushes
    await expectFrames(s, 2, 'PUNSUBSCRIBE');
    await expectFrames(s, 1, 'UNSUBSCRIBE');
    await s.check('PING');
    s.close();
  });

  it('a blocked RESP3 subscriber still gets its pushes, then its reply', async (ctx) => {
    if (!has('blpop')) ctx.skip();
    const [a, l] = names('a', 'list');
    const s = await client(3);
    await expectFrames(s, 1, 'SUBSCRIBE', a);
    // PING first in the same write: its answer means the BLPOP behind it was read and blocked.
    const bytes = Buffer.concat([encodeCommand(['PING']), encodeCommand(['BLPOP', l, '0'])]);
    s.real.sendRaw(bytes);
    s.engine.sendRaw(bytes);
    await expectReceived(s, 1);
    await pair.main.check('PUBLISH', a, 'while blocked');
    await expectReceived(s, 1);
    await pair.main.check('RPUSH', l, 'x');
    await expectReceived(s, 1);
    await expectIdle(s);
    s.close();
  });

  it('PUBLISH inside MULTI/EXEC, and SUBSCRIBE inside a transaction', async () => {
    const [a] = names('a');
    const s = await client();
    const s3 = await client(3);
    await expectFrames(s, 1, 'SUBSCRIBE', a);
    await expectFrames(s3, 1, 'SUBSCRIBE', a);
    await pair.main.checkAll([['MULTI'], ['PUBLISH', a, 'one'], ['SET', `${a}:k`, 'v'], ['PUBLISH', a, 'two'], ['EXEC']]);
    await expectReceived(s, 2);
    await expectReceived(s3, 2);
    // A RESP3 subscriber's own transaction: its pushes and EXEC's array interleave as in Redis.
    await s3.checkAll([['MULTI'], ['PUBLISH', a, 'mine'], ['GET', `${a}:k`]]);
    await expectFrames(s3, 2, 'EXEC');
    await expectReceived(s, 1);
    // SUBSCRIBE may be queued: EXEC's reply then holds the subscription frames.
    const t = await client();
    await t.checkAll([['MULTI'], ['SUBSCRIBE', a, `${a}2`], ['PSUBSCRIBE', `${a}*`], ['PING']]);
    // EXEC's *3 holds three frames, the two subscribe frames and the psubscribe frame; PING's
    // reply follows outside it, as Redis writes it.
    await expectFrames(t, 2, 'EXEC');
    await pair.main.check('PUBLISH', a, 'after');
    await expectReceived(t, 2);
    await expectIdle(t);
    for (const p of [s, s3, t]) p.close();
  });
});

describe('PUBSUB introspection', () => {
  it('CHANNELS, NUMSUB, NUMPAT follow subscriptions and disconnections', async () => {
    const [a, b] = names('a', 'b');
    const pfx = a.slice(0, -1);
    await pair.main.check('PUBSUB', 'CHANNELS', `${pfx}*`);
    const s1 = await client();
    const s2 = await client(3);
    await expectFrames(s1, 2, 'SUBSCRIBE', a, b);
    await expectFrames(s2, 1, 'SUBSCRIBE', a);
    await expectFrames(s1, 2, 'PSUBSCRIBE', `${pfx}*`, 'x*');
    await expectFrames(s2, 2, 'PSUBSCRIBE', `${pfx}*`, 'y?');
    const p = pair.main;
    await p.check('PUBSUB', 'CHANNELS', a);
    await p.check('PUBSUB', 'CHANNELS', `${pfx}[a]`);
    await p.check('PUBSUB', 'CHANNELS', 'no-such-*');
    await p.check('PUBSUB', 'NUMSUB', a, b, 'none', a);
    await p.check('PUBSUB', 'NUMSUB');
    await p.check('PUBSUB', 'NUMPAT');
    // Two channels: Redis lists them in hash order.
    const [r, e] = await p.both('PUBSUB', 'CHANNELS', `${pfx}*`);
    const sorted = (x: Buffer) => x.toString('latin1').split('\r\n').slice(1).sort().join('|');
    expect(sorted(e)).toBe(sorted(r));
    expect(r.toString('latin1').startsWith('*2\r\n')).toBe(true);
    s1.close();
    // The disconnection is processed before the next command from another client arrives? Not
    // necessarily: wait until both servers have dropped s1.
    for (const side of ['real', 'engine'] as const) {
      for (;;) {
        const reply = (await p[side].call('PUBSUB', 'NUMSUB', b)).toString('latin1');
        if (reply.endsWith(':0\r\n')) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
    await p.check('PUBSUB', 'NUMSUB', a, b);
    await p.check('PUBSUB', 'NUMPAT');
    await p.check('PUBSUB', 'CHANNELS', `${pfx}*`);
    s2.close();
  });

  it('HELP, argument errors, and shard channels (none without SSUBSCRIBE)', async () => {
    const p = pair.main;
    await p.checkAll([
      ['PUBSUB', 'HELP'], ['pubsub', 'help'], ['PUBSUB', 'HELP', 'x'], ['PUBSUB'], ['PUBSUB', 'NOPE'], ['PUBSUB', 'CHANNELS', 'a', 'b'],
      ['PUBSUB', 'NUMPAT', 'x'], ['PUBSUB', 'SHARDCHANNELS'], ['PUBSUB', 'SHARDCHANNELS', '*'], ['PUBSUB', 'SHARDCHANNELS', 'a', 'b'],
      ['PUBSUB', 'SHARDNUMSUB'], ['PUBSUB', 'SHARDNUMSUB', 'a', 'b'], ['PUBLISH', 'x'], ['PUBLISH', 'x', 'y', 'z'],
      ['SUBSCRIBE'], ['PSUBSCRIBE'], ['PUBSUB', 'channels', 'a', 'b'],
    ]);
  });

  it('RESP3 shapes', async () => {
    const s = await client(3);
    await s.checkAll([['PUBSUB', 'NUMSUB', 'a'], ['PUBSUB', 'CHANNELS', 'zz-none*'], ['PUBSUB', 'NUMPAT'], ['PUBSUB', 'HELP'],
      ['UNSUBSCRIBE'], ['PUNSUBSCRIBE']]);
    s.close();
  });
});

describe('pushes to a client whose replies are off', () => {
  it('CLIENT REPLY OFF drops replies but not pub/sub frames', async (ctx) => {
    if (!has('client|reply')) ctx.skip();
    const [a] = names('a');
    const s = await client();
    s.real.sendRaw(encodeCommand(['CLIENT', 'REPLY', 'OFF']));
    s.engine.sendRaw(encodeCommand(['CLIENT', 'REPLY', 'OFF']));
    await expectFrames(s, 1, 'SUBSCRIBE', a);
    await pair.main.check('PUBLISH', a, 'still here');
    await expectReceived(s, 1);
    await expectFrames(s, 1, 'UNSUBSCRIBE');
    s.real.sendRaw(encodeCommand(['CLIENT', 'REPLY', 'ON']));
    s.engine.sendRaw(encodeCommand(['CLIENT', 'REPLY', 'ON']));
    await expectReceived(s, 1);
    s.close();
  });
});
