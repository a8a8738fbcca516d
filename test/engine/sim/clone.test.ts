// Exact copies of worlds (src/engine/sim/clone.ts): a copy has the same full-state digest as its
// original, and stays equal to it when both get the same inputs (commands, time, cron ticks,
// expiries, evictions, blocked clients, transactions, pub/sub, rehashing, a busy server): same
// digests, same replies, same trace events. And what cannot be copied makes the copy throw.
import { describe, expect, it } from 'vitest';
import type { Client, ClientConnection } from '../../../src/engine/server/client.ts';
import type { RedisServer } from '../../../src/engine/server/redisServer.ts';
import { CloneError, cloneWorld } from '../../../src/engine/sim/clone.ts';
import { World } from '../../../src/engine/sim/world.ts';
import type { TraceEvent } from '../../../src/engine/trace/events.ts';
import { commandFrame } from '../../support/engineHarness.ts';
import { worldDigest } from '../../support/worldDigest.ts';

const START = 1_700_000_000_000;

/** A client program's end of a connection, as data: what it received, whether it was closed. */
class Recorder implements ClientConnection {
  out = '';
  closed = false;
  constructor(readonly peer: string) {}
  write(data: string): void { this.out += data; }
  close(): void { this.closed = true; }
}

/** The replies each client received so far (and takes them). */
function takeOutput(clients: Client[]): string[] {
  return clients.map((c) => {
    const r = c.connection as Recorder;
    const out = r.out + (r.closed ? '<closed>' : '');
    r.out = '';
    return out;
  });
}

interface Setup { world: World; server: RedisServer; clients: Client[] }

function makeWorld(): Setup {
  const world = new World({ seed: 9, startTime: START });
  const server = world.addServer('main', {
    config: {
      'enable-debug-command': 'yes', 'zset-max-listpack-entries': '16', 'set-max-intset-entries': '16',
      'hash-max-listpack-entries': '16', 'slowlog-log-slower-than': '0', 'latency-monitor-threshold': '1',
      'notify-keyspace-events': 'KEA', hz: '20',
    },
  });
  const clients = [0, 1, 2, 3, 4].map((i) => server.connect(new Recorder(`127.0.0.1:${50000 + i}`)));
  return { world, server, clients };
}

function feed(c: Client, ...argv: string[]): void {
  c.feed(commandFrame(argv));
}

/**
 * Brings a world into a state with something of everything: keys with TTLs, big and small
 * aggregates in every encoding, a dict in the middle of a rehash, a blocked client, an open
 * MULTI with queued commands, subscribers, a client tracking keys, an HLL, shared integers.
 */
function populate({ world, server, clients: [a, b, c, d, e] }: Setup): void {
  feed(a, 'DEBUG', 'POPULATE', '700', 'key', '20');
  for (let i = 0; i < 200; i++) feed(a, 'SET', `ttl:${i}`, String(i), 'PX', String(50 + i * 7));
  for (let i = 0; i < 300; i++) feed(a, 'SADD', 'bigset', `m${i}`);
  for (let i = 0; i < 10; i++) feed(a, 'SADD', 'intset', String(i * 3));
  for (let i = 0; i < 200; i++) feed(a, 'ZADD', 'zbig', String((i * 37) % 101), `z${i}`);
  feed(a, 'ZADD', 'zsmall', '1', 'a', '2', 'b');
  for (let i = 0; i < 100; i++) feed(a, 'HSET', 'hbig', `f${i}`, `v${i}`);
  feed(a, 'HSET', 'hsmall', 'f', 'v');
  for (let i = 0; i < 300; i++) feed(a, 'RPUSH', 'list', `element-${i}`.repeat(1 + (i % 5)));
  feed(a, 'PFADD', 'hll', ...Array.from({ length: 50 }, (_, i) => `u${i}`));
  feed(a, 'DEBUG', 'OBJECT', 'list');
  feed(a, 'SET', 'counter', '7');
  feed(b, 'BLPOP', 'waiting', '0');
  feed(c, 'MULTI');
  feed(c, 'INCR', 'counter');
  feed(c, 'SPOP', 'bigset');
  feed(d, 'SUBSCRIBE', 'news');
  feed(d, 'PSUBSCRIBE', '__keyspace@0__:*');
  feed(e, 'CLIENT', 'TRACKING', 'on');
  feed(e, 'GET', 'counter');
  feed(e, 'WATCH', 'counter');
  world.advance(120);
  // Past 1024 keys: the main dict starts growing to 2048 buckets, rehashed a step per operation.
  // (Commands take thread time: a burst of them keeps the server busy for a moment, its input waits.)
  for (let i = 0; server.dbs[0].dict.size < 1040 && i < 2000; i++) {
    feed(a, 'SET', `fill:${i}`, 'x');
    while (server.isBusy) world.advance(1);
  }
  for (let i = 300; i < 340; i++) feed(a, 'SADD', 'bigset', `m${i}`);
}

/** The same steps applied to a world and its copy. */
type Step = (s: Setup) => void;

const STEPS: Step[] = [
  ({ clients: [a] }) => feed(a, 'SET', 'counter', '8'), // invalidates e's tracked key, touches c's and e's WATCH
  ({ clients: [a] }) => feed(a, 'RPUSH', 'waiting', 'x', 'y'), // serves b
  ({ clients: [, , c] }) => feed(c, 'EXEC'),
  ({ clients: [a] }) => feed(a, 'PUBLISH', 'news', 'hello'),
  ({ world }) => world.advance(700), // expiries (lazy and active), cron rehashing
  ({ clients: [a] }) => feed(a, 'SRANDMEMBER', 'bigset', '-5'),
  ({ clients: [a] }) => feed(a, 'RANDOMKEY'),
  ({ clients: [a] }) => feed(a, 'ZADD', 'zbig', '5', 'new'),
  ({ clients: [a] }) => feed(a, 'PFADD', 'hll', 'v1', 'v2', 'v3'),
  ({ clients: [a] }) => feed(a, 'SCAN', '0', 'COUNT', '50'),
  ({ clients: [a] }) => feed(a, 'DEBUG', 'OBJECT', 'list'),
  ({ clients: [a] }) => feed(a, 'DEBUG', 'OBJECT', 'zbig'),
  // A busy server: another client's input waits until it wakes.
  ({ clients: [a] }) => feed(a, 'DEBUG', 'SLEEP', '0.3'),
  ({ clients: [, b] }) => feed(b, 'GET', 'counter'),
  ({ world }) => world.advance(400),
  // Random evictions, once memory is short.
  ({ clients: [a] }) => feed(a, 'CONFIG', 'SET', 'maxmemory-policy', 'allkeys-random'),
  ({ server, clients: [a] }) => feed(a, 'CONFIG', 'SET', 'maxmemory', String(server.memory.usedMemory() - 60_000)),
  ({ clients: [a] }) => feed(a, 'SET', 'after-evictions', 'x'),
  ({ world }) => world.advance(300),
  ({ clients: [a] }) => feed(a, 'INFO', 'ALL'),
  ({ clients: [a] }) => feed(a, 'CLIENT', 'LIST'),
  ({ clients: [a] }) => feed(a, 'SLOWLOG', 'GET', '3'),
  ({ clients: [a] }) => feed(a, 'LATENCY', 'LATEST'),
  ({ clients: [, , , d] }) => feed(d, 'UNSUBSCRIBE'),
  ({ clients: [, , , , e] }) => feed(e, 'QUIT'),
];

/** Commands on a fresh connection whose replies show randomness, iteration order and stats. */
function probe(server: RedisServer): string {
  const r = new Recorder('127.0.0.1:60000');
  const c = server.connect(r);
  for (const argv of [
    ['RANDOMKEY'], ['SCAN', '0', 'COUNT', '1000'], ['SPOP', 'bigset', '3'], ['SRANDMEMBER', 'bigset', '-4'],
    ['ZRANGE', 'zbig', '0', '-1', 'WITHSCORES'], ['CLIENT', 'LIST'], ['INFO', 'ALL'], ['DEBUG', 'OBJECT', 'list'],
    ['DEBUG', 'OBJECT', 'counter'], ['OBJECT', 'FREQ', 'counter'], ['PFCOUNT', 'hll'], ['DBSIZE'],
  ]) c.feed(commandFrame(argv));
  return r.out.replace(/^used_cpu_\w+:.*$/gm, '');
}

/** A copy of a setup: its world, and its server and clients, found through the copy's memo. */
function copySetup(s: Setup): Setup {
  const copy = cloneWorld(s.world);
  return { world: copy.world, server: copy.copyOf(s.server), clients: s.clients.map((c) => copy.copyOf(c)) };
}

function traceInto(server: RedisServer): TraceEvent[] {
  const events: TraceEvent[] = [];
  server.trace = { emit: (e) => events.push(e) };
  return events;
}

// (Identity is checked with ===: toBe/not.toBe on two big cyclic graphs compares them deeply
// for its failure message, which takes forever.)
describe('cloneWorld', () => {
  it('copies a world exactly: same digest, then the same replies, events and state under the same inputs', () => {
    const original = makeWorld();
    populate(original);
    takeOutput(original.clients);
    // What the copy is meant to catch in flight.
    const db0 = original.server.dbs[0];
    expect(db0.dict.isRehashing || db0.expires.isRehashing).toBe(true);
    expect(original.clients[1].blocked).not.toBeNull();
    expect(original.clients[2].tx.multi).not.toBeNull();
    expect(original.server.pubsub.channels.size + original.clients[3].pubsubPatterns.size).toBeGreaterThan(1);

    const copy = copySetup(original);
    expect(copy.world === original.world).toBe(false);
    expect(copy.server === original.server).toBe(false);
    expect(copy.server.dbs[0].dict === db0.dict).toBe(false);
    expect(copy.clients[1] === original.clients[1]).toBe(false);
    expect(copy.clients[1].server === copy.server).toBe(true);
    expect(worldDigest(copy.world)).toEqual(worldDigest(original.world));

    const eventsA = traceInto(original.server);
    const eventsB = traceInto(copy.server);
    let busySeen = false;
    STEPS.forEach((step, i) => {
      step(original);
      step(copy);
      busySeen ||= original.server.isBusy;
      expect(takeOutput(copy.clients), `replies after step ${i}`).toEqual(takeOutput(original.clients));
      expect(worldDigest(copy.world), `digest after step ${i}`).toEqual(worldDigest(original.world));
    });
    expect(busySeen).toBe(true);
    expect(original.server.stats.expiredKeys).toBeGreaterThan(50);
    expect(original.server.evictions).toBeDefined();
    expect(original.server.stats.totalCommandsProcessed).toBeGreaterThan(1000);
    expect(eventsA.some((e) => e.kind === 'evict')).toBe(true);
    expect(eventsA.some((e) => e.kind === 'dict-rehash')).toBe(true);
    expect(eventsA.length).toBeGreaterThan(100);
    expect(eventsB).toEqual(eventsA);
    expect(probe(copy.server)).toEqual(probe(original.server));
  });

  it('leaves the original untouched, and a copy of a copy is the same world again', () => {
    const s = makeWorld();
    populate(s);
    const before = worldDigest(s.world);
    const first = copySetup(s);
    const second = copySetup(first);
    expect(worldDigest(s.world)).toEqual(before);
    for (const step of STEPS.slice(0, 8)) step(first); // running the first copy changes neither
    expect(worldDigest(s.world)).toEqual(before);
    expect(worldDigest(second.world)).toEqual(before);
    expect(probe(second.server)).toEqual(probe(s.server));
  });

  it('shares what is not the world\'s: the command table, strings; copies the rest', () => {
    const s = makeWorld();
    feed(s.clients[0], 'SET', 'k', 'v');
    const copy = copySetup(s);
    expect(copy.server.commands === s.server.commands).toBe(true);
    expect(copy.clients[0].lastCmd === s.clients[0].lastCmd).toBe(true);
    expect(copy.server.config === s.server.config).toBe(false);
    expect(copy.server.random === s.server.random).toBe(false);
    expect(copy.server.clock === copy.world.clock).toBe(true);
    expect(copy.world.scheduler === s.world.scheduler).toBe(false);
  });

  it('nulls the host\'s hooks in the copy and wires the busy hook to the copy\'s world', () => {
    const s = makeWorld();
    s.server.trace = { emit: () => {} };
    const copy = copySetup(s);
    expect(copy.server.trace).toBeNull();
    expect(s.server.trace).not.toBeNull();
    // DEBUG SLEEP on the copy schedules its wake-up in the copy's scheduler, not the original's.
    const pending = s.world.scheduler.pending;
    feed(copy.clients[0], 'DEBUG', 'SLEEP', '0.2');
    expect(copy.server.isBusy).toBe(true);
    expect(s.world.scheduler.pending).toBe(pending);
    copy.world.advance(250);
    expect(copy.server.isBusy).toBe(false);
    expect((copy.clients[0].connection as Recorder).out).toBe('+OK\r\n');
  });
});

describe('cloneWorld refuses what it cannot copy', () => {
  it('throws on a closure in the world, naming where it is', () => {
    const s = makeWorld();
    s.server.connect({ peer: '127.0.0.1:1', write: () => {}, close: () => {} });
    expect(() => cloneWorld(s.world)).toThrow(CloneError);
    expect(() => cloneWorld(s.world)).toThrow(/a function \(write\) at world\.servers\.get\("main"\)\.clients\.get\(\d+\)\.connection\.write/);
  });

  it('throws on a WeakMap in the world (its entries cannot be listed)', () => {
    const s = makeWorld();
    (s.clients[0] as unknown as { cache: unknown }).cache = new WeakMap();
    expect(() => cloneWorld(s.world)).toThrow(/a WeakMap object at world\..*\.cache/);
  });

  it('copies a class instance with a method (not a closure) and keeps what it is told to keep', () => {
    class Host { writes = 0 }
    const host = new Host();
    class ToHost implements ClientConnection {
      constructor(readonly host: Host) {}
      write(): void { this.host.writes++; }
      close(): void {}
    }
    const s = makeWorld();
    const c = s.server.connect(new ToHost(host));
    const copy = cloneWorld(s.world, { keep: [host] });
    const cc = copy.copyOf(c);
    expect(cc.connection === c.connection).toBe(false);
    expect((cc.connection as ToHost).host === host).toBe(true);
    cc.feed(commandFrame(['PING']));
    expect(host.writes).toBe(1);
  });
});
