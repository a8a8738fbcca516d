// Pub/Sub inside the engine: the server's channel and pattern tables, the frames each client gets
// (RESP2 arrays, RESP3 pushes), the bookkeeping on RESET and disconnect, keyspace notifications and
// pushes that survive CLIENT REPLY OFF: the state the differential suite cannot see.
import { describe, expect, it } from 'vitest';
import { commandFrame, EngineHarness } from '../../support/engineHarness.ts';
import type { Client } from '../../../src/engine/server/client.ts';

/** A connection that keeps everything it was sent. */
interface Conn {
  client: Client;
  /** Sends one command; returns what arrived for this connection meanwhile. */
  send(...argv: string[]): string;
  /** What arrived since the last send/take. */
  take(): string;
}

function connect(h: EngineHarness): Conn {
  let out = '';
  const client = h.server.connect({ write: (d) => { out += d; }, close: () => {} });
  const take = () => { const s = out; out = ''; return s; };
  return {
    client,
    send: (...argv) => { out = ''; client.feed(commandFrame(argv)); return take(); },
    take,
  };
}

const bulk = (s: string) => `$${s.length}\r\n${s}\r\n`;
const frame = (head: string, ...parts: (string | number | null)[]) =>
  head + parts.length + '\r\n' + parts.map((p) => (p === null ? '$-1\r\n' : typeof p === 'number' ? `:${p}\r\n` : bulk(p))).join('');
const arr = (...parts: (string | number | null)[]) => frame('*', ...parts);

describe('subscriptions', () => {
  it('SUBSCRIBE confirms each channel with the running count, duplicates included', () => {
    const h = new EngineHarness();
    const a = connect(h);
    expect(a.send('SUBSCRIBE', 'x', 'y', 'x')).toBe(
      arr('subscribe', 'x', 1) + arr('subscribe', 'y', 2) + arr('subscribe', 'x', 2));
    expect([...h.server.pubsub.channels.keys()]).toEqual(['x', 'y']);
    expect(a.client.inPubSub).toBe(true);
    expect(a.send('PSUBSCRIBE', 'p*')).toBe(arr('psubscribe', 'p*', 3));
    expect(a.send('UNSUBSCRIBE', 'y', 'nope')).toBe(arr('unsubscribe', 'y', 2) + arr('unsubscribe', 'nope', 2));
    expect([...h.server.pubsub.channels.keys()]).toEqual(['x']);
    expect(a.send('UNSUBSCRIBE')).toBe(arr('unsubscribe', 'x', 1));
    expect(a.client.inPubSub).toBe(true);
    expect(a.send('PUNSUBSCRIBE')).toBe(arr('punsubscribe', 'p*', 0));
    expect(a.client.inPubSub).toBe(false);
    expect(h.server.pubsub.channels.size + h.server.pubsub.patterns.size).toBe(0);
  });

  it('a bare (P)UNSUBSCRIBE with nothing subscribed still gets one frame, with a null name', () => {
    const h = new EngineHarness();
    const a = connect(h);
    expect(a.send('UNSUBSCRIBE')).toBe(arr('unsubscribe', null, 0));
    expect(a.send('PUNSUBSCRIBE')).toBe(arr('punsubscribe', null, 0));
    a.send('HELLO', '3');
    expect(a.send('UNSUBSCRIBE')).toBe('>3\r\n$11\r\nunsubscribe\r\n_\r\n:0\r\n');
  });

  it('bare PUNSUBSCRIBE goes through the patterns in subscription order', () => {
    const h = new EngineHarness();
    const a = connect(h);
    a.send('PSUBSCRIBE', 'c', 'a', 'b');
    expect(a.send('PUNSUBSCRIBE')).toBe(arr('punsubscribe', 'c', 2) + arr('punsubscribe', 'a', 1) +
      arr('punsubscribe', 'b', 0));
  });

  it('RESET and disconnect drop every subscription without frames', () => {
    const h = new EngineHarness();
    const a = connect(h);
    const b = connect(h);
    a.send('SUBSCRIBE', 'x');
    a.send('PSUBSCRIBE', 'x*');
    b.send('SUBSCRIBE', 'x');
    expect(a.send('RESET')).toBe('+RESET\r\n');
    expect(a.client.inPubSub).toBe(false);
    expect([...h.server.pubsub.channels.get('x')!]).toEqual([b.client]);
    expect(h.server.pubsub.patterns.size).toBe(0);
    h.server.disconnect(b.client);
    expect(h.server.pubsub.channels.size).toBe(0);
    expect(h.run('PUBLISH', 'x', 'm')).toEqual({ t: 'int', v: 0n });
  });
});

describe('publishing', () => {
  it('channel subscribers in subscription order, then each matching pattern; the count includes both', () => {
    const h = new EngineHarness();
    const a = connect(h);
    const b = connect(h);
    b.send('SUBSCRIBE', 'news');
    a.send('SUBSCRIBE', 'news');
    a.send('PSUBSCRIBE', 'n*', 'x*', 'news');
    b.send('PSUBSCRIBE', 'n?ws');
    expect(h.raw('PUBLISH', 'news', 'hi')).toBe(':5\r\n');
    expect(a.take()).toBe(arr('message', 'news', 'hi') + arr('pmessage', 'n*', 'news', 'hi') +
      arr('pmessage', 'news', 'news', 'hi'));
    expect(b.take()).toBe(arr('message', 'news', 'hi') + arr('pmessage', 'n?ws', 'news', 'hi'));
    expect(h.raw('PUBLISH', 'nothing-here', 'x')).toBe(':1\r\n'); // n*
    expect(a.take()).toBe(arr('pmessage', 'n*', 'nothing-here', 'x'));
    expect(h.raw('PUBLISH', 'zzz', 'x')).toBe(':0\r\n');
  });

  it('RESP3 subscribers get push frames; binary channels and messages pass unchanged', () => {
    const h = new EngineHarness();
    const a = connect(h);
    a.send('HELLO', '3');
    expect(a.send('SUBSCRIBE', '\x00\xff')).toBe(frame('>', 'subscribe', '\x00\xff', 1));
    expect(a.send('PSUBSCRIBE', '\x00*')).toBe(frame('>', 'psubscribe', '\x00*', 2));
    h.run('PUBLISH', '\x00\xff', '\r\n\x80');
    expect(a.take()).toBe(frame('>', 'message', '\x00\xff', '\r\n\x80') + frame('>', 'pmessage', '\x00*', '\x00\xff', '\r\n\x80'));
    // RESP3 has no subscribed context: any command runs, its reply is not a push.
    expect(a.send('SET', 'k', 'v')).toBe('+OK\r\n');
    expect(a.send('PING')).toBe('+PONG\r\n');
  });

  it('a RESP2 subscriber may only run the pub/sub commands, PING, QUIT and RESET', () => {
    const h = new EngineHarness();
    const a = connect(h);
    a.send('SUBSCRIBE', 'x');
    expect(a.send('GET', 'k')).toBe("-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / " +
      'PING / QUIT / RESET are allowed in this context\r\n');
    expect(a.send('PING')).toBe(arr('pong', ''));
    expect(a.send('PING', 'hey')).toBe(arr('pong', 'hey'));
    a.send('UNSUBSCRIBE');
    expect(a.send('PING')).toBe('+PONG\r\n');
  });

  it('frames for a subscriber that asked to QUIT are not written', () => {
    const h = new EngineHarness();
    const a = connect(h);
    a.send('SUBSCRIBE', 'x');
    a.client.closeAfterReply = true;
    expect(h.raw('PUBLISH', 'x', 'm')).toBe(':1\r\n');
    expect(a.client.reply.pendingBytes).toBe(0);
  });
});

describe('CLIENT REPLY OFF and pushes', () => {
  it("keeps a muted client's own subscription frames and drops its other replies", () => {
    const h = new EngineHarness();
    const a = connect(h);
    a.client.replyOff = true;
    expect(a.send('SET', 'k', 'v')).toBe('');
    expect(a.send('SUBSCRIBE', 'x')).toBe(arr('subscribe', 'x', 1));
    expect(a.send('GET', 'k')).toBe('');
    h.run('PUBLISH', 'x', 'm');
    expect(a.take()).toBe(arr('message', 'x', 'm'));
  });
});

describe('keyspace notifications', () => {
  it('publishes nothing unless notify-keyspace-events enables the class and K or E', () => {
    const h = new EngineHarness();
    const a = connect(h);
    a.send('PSUBSCRIBE', '*');
    h.run('SET', 'k', 'v');
    expect(a.take()).toBe('');
    h.run('CONFIG', 'SET', 'notify-keyspace-events', 'g$');
    h.run('SET', 'k', 'v');
    expect(a.take()).toBe('');
    h.run('CONFIG', 'SET', 'notify-keyspace-events', 'Kl');
    h.run('SET', 'k', 'v');
    expect(a.take()).toBe('');
    h.run('CONFIG', 'SET', 'notify-keyspace-events', 'KE$');
    h.run('SET', 'k', 'v');
    expect(a.take()).toBe(arr('pmessage', '*', '__keyspace@0__:k', 'set') + arr('pmessage', '*', '__keyevent@0__:set', 'k'));
  });

  it('names the database the key lives in', () => {
    const h = new EngineHarness({ config: { 'notify-keyspace-events': 'Eg' } });
    const a = connect(h);
    a.send('SUBSCRIBE', '__keyevent@7__:del', '__keyevent@0__:del');
    a.take();
    h.run('SELECT', '7');
    h.run('SET', 'k', 'v');
    h.run('DEL', 'k');
    expect(a.take()).toBe(arr('message', '__keyevent@7__:del', 'k'));
  });

  it('a keyspace event to the client that caused it arrives before its reply', () => {
    const h = new EngineHarness({ config: { 'notify-keyspace-events': 'K$' } });
    h.run('HELLO', '3');
    h.run('SUBSCRIBE', '__keyspace@0__:k');
    expect(h.raw('SET', 'k', 'v')).toBe(frame('>', 'message', '__keyspace@0__:k', 'set') + '+OK\r\n');
  });
});
