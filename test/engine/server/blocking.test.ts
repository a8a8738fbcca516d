// Blocking commands inside the engine, on a virtual clock: when timeouts fire (the differential
// suite can compare replies but not moments), the bookkeeping behind INFO's blocked_clients and
// clients_in_timeout_table, disconnects, muted replies, CLIENT UNBLOCK of a paused client, and a
// World that answers a timed-out BLPOP at its next cron.
import { describe, expect, it } from 'vitest';
import { commandFrame, EngineHarness } from '../../support/engineHarness.ts';
import type { Client } from '../../../src/engine/server/client.ts';
import type { RedisServer } from '../../../src/engine/server/redisServer.ts';
import { World } from '../../../src/engine/sim/world.ts';

/** A connection that keeps everything it was sent. */
interface Conn {
  client: Client;
  /** Sends commands (pipelined in one feed); returns what arrived for this connection meanwhile. */
  send(...argv: string[]): string;
  pipeline(...commands: string[][]): string;
  /** What arrived since the last send/take. */
  take(): string;
}

function connect(server: RedisServer): Conn {
  let out = '';
  const client = server.connect({ write: (d) => { out += d; }, close: () => {} });
  const take = () => { const s = out; out = ''; return s; };
  const pipeline = (...commands: string[][]) => {
    out = '';
    const frames = commands.map((c) => commandFrame(c));
    const all = new Uint8Array(frames.reduce((n, f) => n + f.length, 0));
    let at = 0;
    for (const f of frames) { all.set(f, at); at += f.length; }
    client.feed(all);
    return take();
  };
  return { client, send: (...argv) => pipeline(argv), pipeline, take };
}

const bulk = (s: string) => `$${s.length}\r\n${s}\r\n`;
const pair = (k: string, v: string) => `*2\r\n${bulk(k)}${bulk(v)}`;

function setup() {
  const h = new EngineHarness();
  return { h, server: h.server, clock: h.clock, a: connect(h.server), b: connect(h.server), c: connect(h.server) };
}

/** Moves the clock and runs the cron, as the host does every 1000/hz ms. */
function tick(h: EngineHarness, ms: number): void {
  h.clock.advance(ms);
  h.server.cron();
}

describe('waiting and being served', () => {
  it('serves clients in the order they blocked, one element each, and forgets them', () => {
    const { server, a, b, c } = setup();
    expect(b.send('BLPOP', 'k', 'other', '0')).toBe('');
    expect(c.send('BRPOP', 'k', '0')).toBe('');
    expect(server.blocking.blockedClients).toBe(2);
    expect(b.client.blocked?.keys).toEqual(['k', 'other']);
    expect(a.send('RPUSH', 'k', 'x')).toBe(':1\r\n');
    expect(b.take()).toBe(pair('k', 'x'));
    expect(c.take()).toBe('');
    expect(server.blocking.blockedClients).toBe(1);
    expect(a.send('RPUSH', 'other', 'y')).toBe(':1\r\n');
    expect(c.take()).toBe(''); // c waits on k only
    expect(a.send('RPUSH', 'k', 'p', 'q')).toBe(':2\r\n');
    expect(c.take()).toBe(pair('k', 'q'));
    expect(server.blocking.blockedClients).toBe(0);
    expect(a.send('LRANGE', 'k', '0', '-1')).toBe(`*1\r\n${bulk('p')}`);
  });

  it('a key given twice is waited on once', () => {
    const { server, a, b } = setup();
    b.send('BLPOP', 'k', 'k', 'j', 'k', '0');
    expect(b.client.blocked?.keys).toEqual(['k', 'j']);
    a.send('RPUSH', 'k', '1', '2');
    expect(b.take()).toBe(pair('k', '1'));
    expect(a.send('LLEN', 'k')).toBe(':1\r\n');
    expect(server.blocking.blockedClients).toBe(0);
  });

  it('the pipelined commands of a served client run right after, in the same round', () => {
    const { a, b } = setup();
    expect(b.pipeline(['BLPOP', 'k', '0'], ['LLEN', 'k'], ['PING'])).toBe('');
    expect(a.send('RPUSH', 'k', 'x', 'y')).toBe(':2\r\n');
    expect(b.take()).toBe(pair('k', 'x') + ':1\r\n+PONG\r\n');
  });

  it('a client that disconnects stops waiting; the element is left for others', () => {
    const { server, a, b, c } = setup();
    b.send('BLPOP', 'k', '5');
    c.send('BLPOP', 'k', '0');
    expect(server.blocking.clientsInTimeoutTable).toBe(1);
    server.disconnect(b.client);
    expect(server.blocking.blockedClients).toBe(1);
    expect(server.blocking.clientsInTimeoutTable).toBe(0);
    a.send('RPUSH', 'k', 'x');
    expect(c.take()).toBe(pair('k', 'x'));
    expect(b.take()).toBe('');
  });

  it('CLIENT REPLY SKIP drops the served reply, not the next one', () => {
    const { a, b } = setup();
    expect(b.pipeline(['CLIENT', 'REPLY', 'SKIP'], ['BLPOP', 'k', '0'], ['ECHO', 'next'])).toBe('');
    a.send('RPUSH', 'k', 'x');
    expect(b.take()).toBe(bulk('next'));
    expect(a.send('EXISTS', 'k')).toBe(':0\r\n');
  });

  it('inside EXEC nothing blocks; pushes of the transaction are served after it', () => {
    const { server, a, b } = setup();
    b.send('BZPOPMIN', 'z', '0');
    expect(a.pipeline(['MULTI'], ['ZADD', 'z', '1', 'm', '2', 'n'], ['BLPOP', 'nothing', '0'], ['EXEC']))
      .toBe('+OK\r\n+QUEUED\r\n+QUEUED\r\n*2\r\n:2\r\n*-1\r\n');
    expect(b.take()).toBe(`*3\r\n${bulk('z')}${bulk('m')}${bulk('1')}`);
    expect(server.blocking.blockedClients).toBe(0);
  });
});

describe('timeouts on the engine clock', () => {
  it('a timeout is kept in whole milliseconds, rounded up', () => {
    const { clock, server, b } = setup();
    const now = Math.floor(clock.now());
    const cases: [string, number][] = [['0.1', 100], ['0.0015', 2], ['0.001', 1], ['1e-400', 1], ['2', 2000]];
    for (const [arg, ms] of cases) {
      b.send('BLPOP', 'k', arg);
      expect(b.client.blocked?.timeout, arg).toBe(now + ms);
      server.blocking.unblockClient(b.client);
    }
    // Rounded up to 0 (and 0 itself): no timeout at all.
    for (const arg of ['0', '-0.001', '-0.0001', '-0']) {
      b.send('BLPOP', 'k', arg);
      expect(b.client.blocked?.timeout, arg).toBe(0);
      server.blocking.unblockClient(b.client);
    }
    expect(server.blocking.clientsInTimeoutTable).toBe(0);
  });

  it('fires once the clock is past the timeout, at the next beforeSleep', () => {
    const { h, clock, server, b, c } = setup();
    const now = Math.floor(clock.now());
    b.send('BLPOP', 'k', '0.25');
    c.send('BZPOPMAX', 'k', '0.1');
    expect(server.blocking.clientsInTimeoutTable).toBe(2);
    clock.set(now + 100);
    server.beforeSleep();
    expect(c.take()).toBe(''); // due at now + 100: only later than that
    clock.set(now + 101);
    server.beforeSleep();
    expect(c.take()).toBe('*-1\r\n');
    tick(h, 100);
    expect(b.take()).toBe('');
    tick(h, 100);
    expect(b.take()).toBe('*-1\r\n');
    expect(server.blocking.blockedClients).toBe(0);
    expect(server.blocking.clientsInTimeoutTable).toBe(0);
  });

  it('the earliest timeout fires first; a served client leaves the timeout table', () => {
    const { clock, server, a, b, c } = setup();
    const now = Math.floor(clock.now());
    b.send('BLPOP', 'k', '0.3');
    c.send('BLPOP', 'k', '0.2');
    a.send('BLPOP', 'j', '0.1');
    expect(server.blocking.clientsInTimeoutTable).toBe(3);
    // b blocked first on k, so b is served, though c would time out sooner.
    expect(connect(server).send('RPUSH', 'k', 'x')).toBe(':1\r\n');
    expect(b.take()).toBe(pair('k', 'x'));
    expect(server.blocking.clientsInTimeoutTable).toBe(2);
    clock.set(now + 250);
    server.beforeSleep();
    expect(a.take()).toBe('*-1\r\n');
    expect(c.take()).toBe('*-1\r\n');
    expect(server.blocking.clientsInTimeoutTable).toBe(0);
  });

  it('a World answers a timed-out BLPOP at the first cron after its timeout', () => {
    const world = new World({ seed: 3 });
    const server = world.addServer('main');
    const b = connect(server);
    b.send('BLPOP', 'k', '0.25');
    world.advance(240);
    expect(b.take()).toBe('');
    world.advance(100 - 40 + 1); // the cron at 300 ms is the first after 250
    expect(b.take()).toBe('*-1\r\n');
  });
});

describe('CLIENT UNBLOCK and CLIENT PAUSE', () => {
  it('CLIENT UNBLOCK replies as a timeout or with an error, and counts the error', () => {
    const { server, a, b } = setup();
    b.send('BLMOVE', 'src', 'dst', 'LEFT', 'RIGHT', '0');
    expect(a.send('CLIENT', 'UNBLOCK', String(b.client.id))).toBe(':1\r\n');
    expect(b.take()).toBe('*-1\r\n');
    b.send('BLMPOP', '0', '1', 'src', 'LEFT');
    expect(a.send('CLIENT', 'UNBLOCK', String(b.client.id), 'ERROR')).toBe(':1\r\n');
    expect(b.take()).toBe('-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n');
    expect(server.stats.errorReplies.get('UNBLOCKED')).toBe(1);
    expect(server.stats.commandCalls.get('blmpop')?.failed).toBe(1);
    expect(a.send('CLIENT', 'UNBLOCK', String(b.client.id))).toBe(':0\r\n');
  });

  it('a client held by CLIENT PAUSE cannot be unblocked (Redis 7.0 would crash)', () => {
    const { server, a, b } = setup();
    a.send('CLIENT', 'PAUSE', '10000', 'WRITE');
    expect(b.send('SET', 'k', 'v')).toBe('');
    expect(b.client.blocked?.type).toBe('postpone');
    expect(a.send('CLIENT', 'UNBLOCK', String(b.client.id))).toBe(':0\r\n');
    expect(b.take()).toBe('');
    expect(a.send('CLIENT', 'UNPAUSE')).toBe('+OK\r\n');
    expect(b.take()).toBe('+OK\r\n');
    expect(server.blocking.blockedClients).toBe(0);
  });

  it('a pause ends at the first cron after its end time; held commands then run in order', () => {
    const { h, clock, server, a, b, c } = setup();
    const now = Math.floor(clock.now());
    expect(a.send('CLIENT', 'PAUSE', '150')).toBe('+OK\r\n');
    expect(server.blocking.pauseEndTime).toBe(now + 150);
    expect(b.pipeline(['INCR', 'n'], ['GET', 'n'])).toBe('');
    expect(c.send('INCR', 'n')).toBe('');
    expect(server.blocking.blockedClients).toBe(2);
    tick(h, 100);
    tick(h, 50); // at the end time: still paused
    expect(b.take() + c.take()).toBe('');
    tick(h, 50);
    expect(b.take()).toBe(':1\r\n$1\r\n1\r\n');
    expect(c.take()).toBe(':2\r\n');
    expect(server.blocking.paused).toBe(false);
  });

  it('while paused, expired keys only look expired: nothing is deleted', () => {
    const { clock, server, a } = setup();
    a.pipeline(['SET', 'k', 'v', 'PX', '10'], ['CLIENT', 'PAUSE', '100000', 'WRITE']);
    clock.advance(50);
    expect(a.send('GET', 'k')).toBe('$-1\r\n');
    expect(server.dbs[0].size).toBe(1);
    server.cron();
    expect(server.dbs[0].size).toBe(1);
    a.send('CLIENT', 'UNPAUSE');
    expect(a.send('GET', 'k')).toBe('$-1\r\n');
    expect(server.dbs[0].size).toBe(0);
  });

  it('PAUSE WRITE holds PUBLISH and PFCOUNT (they may replicate), not reads', () => {
    const { a, b } = setup();
    a.send('CLIENT', 'PAUSE', '100000', 'WRITE');
    expect(b.send('GET', 'x')).toBe('$-1\r\n');
    expect(b.send('PUBLISH', 'ch', 'm')).toBe('');
    expect(b.client.blocked?.type).toBe('postpone');
    a.send('CLIENT', 'UNPAUSE');
    expect(b.take()).toBe(':0\r\n');
  });
});
