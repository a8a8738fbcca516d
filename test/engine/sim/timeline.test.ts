// Time control, engine side: a world's recorded inputs rebuild it exactly at any earlier point.
// "Exactly" is checked with a digest of the whole state (every key's type, encoding, LRU field,
// TTL and value in dict order, dict tables, INFO keyspace, PRNG state, clients, stats, memory
// model, scheduler), with the event log the engine emits, and with the replies of commands run
// afterwards (randomness, SCAN order, INFO and CLIENT LIST included).
import { describe, expect, it } from 'vitest';
import { bytesToBinary } from '../../../src/engine/bytes.ts';
import { restoreWorld, snapshotWorld } from '../../../src/engine/persist/worldFile.ts';
import { nextEventTime, Timeline, type TimelineInput } from '../../../src/engine/sim/timeline.ts';
import { SeededRandom } from '../../../src/engine/sim/random.ts';
import { World } from '../../../src/engine/sim/world.ts';
import type { TraceEvent } from '../../../src/engine/trace/events.ts';
import { runSnapshotQuery } from '../../../src/engine/trace/snapshots.ts';
import { commandFrame } from '../../support/engineHarness.ts';
import { worldDigest } from '../../support/worldDigest.ts';

const START = 1_700_000_000_000;

function build(seed = 5): () => World {
  return () => {
    const world = new World({ seed, startTime: START });
    // A small listpack limit so sorted sets become skiplists and their random levels count.
    world.addServer('main', { config: { 'enable-debug-command': 'yes', 'zset-max-listpack-entries': '16', 'slowlog-log-slower-than': '0' } });
    return world;
  };
}

/** One action of a scripted session. */
type Action =
  | { do: 'connect'; client: string }
  | { do: 'disconnect'; client: string }
  | { do: 'cmd'; client: string; argv: string[] }
  | { do: 'advance'; ms: number }
  | { do: 'event' };

/** A seeded session: three clients, random commands (random by nature, expiring, blocking, pub/sub), idle time. */
function session(seed: number, commands: number): Action[] {
  const r = new SeededRandom(seed);
  const key = () => `k${r.below(40)}`;
  const member = () => `m${r.below(300)}`;
  const makers: (() => string[])[] = [
    () => ['SET', key(), member(), 'PX', String(1 + r.below(3000))],
    () => ['SET', key(), member()],
    () => ['SADD', `s${r.below(5)}`, member(), member(), member()],
    () => ['SPOP', `s${r.below(5)}`],
    () => ['SRANDMEMBER', `s${r.below(5)}`, String(r.below(7) - 3)],
    () => ['ZADD', `z${r.below(3)}`, String(r.below(1000)), member()],
    () => ['HSET', `h${r.below(5)}`, member(), member()],
    () => ['RPUSH', `l${r.below(5)}`, member()],
    () => ['BLPOP', `l${r.below(5)}`, '0.2'],
    () => ['RANDOMKEY'],
    () => ['SCAN', String(r.below(64)), 'COUNT', '5'],
    () => ['DEL', key()],
    () => ['INCR', 'counter'],
    () => ['PUBLISH', 'news', member()],
    () => ['DEBUG', 'POPULATE', String(r.below(200)), 'pop'],
  ];
  const clients = ['a', 'b', 'c'];
  const out: Action[] = clients.map((client) => ({ do: 'connect', client }));
  out.push({ do: 'cmd', client: 'c', argv: ['SUBSCRIBE', 'news'] });
  let next = 0;
  for (let i = 0; i < commands; i++) {
    const client = r.below(2) ? 'a' : 'b';
    out.push({ do: 'cmd', client, argv: makers[r.below(makers.length)]() });
    const roll = r.below(10);
    if (roll < 6) out.push({ do: 'advance', ms: 1 + r.below(400) });
    else if (roll === 6) out.push({ do: 'event' });
    else if (roll === 7 && i % 7 === 0) {
      // b hangs up and a new client takes its place under b's name
      const fresh = `b${next++}`;
      out.push({ do: 'disconnect', client: 'b' }, { do: 'connect', client: fresh });
      clients[1] = fresh;
    }
  }
  return out;
}

/** Runs a session on a timeline, collecting each client's output and the engine's events. */
function drive(t: Timeline, actions: Action[], onStep?: (i: number) => void) {
  const out: Record<string, string> = {};
  const events: TraceEvent[] = [];
  t.sink = { write: (id, d) => { out[id] = (out[id] ?? '') + d; }, closed: () => {} };
  const traced = t.world.servers.get('main')!;
  traced.trace = { emit: (e) => events.push(e) };
  // Whatever client b is called now (it is replaced from time to time).
  const alias = new Map<string, string>();
  actions.forEach((a, i) => {
    switch (a.do) {
      case 'connect': t.connect(a.client, 'main', `127.0.0.1:${50000 + i}`, '127.0.0.1:6379'); break;
      case 'disconnect': t.disconnect(alias.get(a.client) ?? a.client); break;
      case 'cmd': t.feed(alias.get(a.client) ?? a.client, commandFrame(a.argv)); break;
      case 'advance': t.advance(a.ms); break;
      case 'event': t.stepEvent(); break;
    }
    if (a.do === 'connect' && /^b\d/.test(a.client)) alias.set('b', a.client);
    onStep?.(i);
  });
  return { out, events };
}

/** Commands run on a fresh client after the fact: their replies must agree too. */
function probe(world: World): string[] {
  const server = world.servers.get('main')!;
  let out = '';
  const c = server.connect({ peer: '127.0.0.1:60000', write: (d) => { out += d; }, close: () => {} });
  const replies: string[] = [];
  for (const argv of [
    ['RANDOMKEY'], ['SCAN', '0', 'COUNT', '1000'], ['SPOP', 's1', '2'], ['SRANDMEMBER', 's2', '-5'],
    ['KEYS', '*'], ['ZRANGE', 'z0', '0', '-1', 'WITHSCORES'], ['CLIENT', 'LIST'], ['INFO', 'ALL'],
    ['SLOWLOG', 'GET', '5'], ['OBJECT', 'FREQ', 'counter'], ['DBSIZE'],
  ]) {
    out = '';
    c.feed(commandFrame(argv));
    replies.push(out.replace(/^used_cpu_\w+:.*$/gm, ''));
  }
  world.advance(1500);
  out = '';
  c.feed(commandFrame(['INFO', 'STATS']));
  replies.push(out);
  return replies;
}

describe('Timeline: recording and replay', () => {
  it('records inputs with their virtual times; idle time between two inputs is one input', () => {
    const t = new Timeline(build());
    t.connect('a', 'main', '127.0.0.1:50000', '127.0.0.1:6379');
    t.advance(20);
    t.advance(20);
    t.advance(5);
    t.feed('a', commandFrame(['SET', 'k', 'v']));
    t.advance(7);
    const kinds = t.history.map((i) => [i.kind, i.at, i.kind === 'advance' ? i.ms : null]);
    expect(kinds).toEqual([
      ['connect', START, null], ['advance', START, 45], ['feed', START + 45, null], ['advance', START + 45, 7],
    ]);
    expect(t.status()).toMatchObject({ position: 4, length: 4, commandPosition: 1, commandCount: 1, startTime: START, now: START + 52, endTime: START + 52 });
  });

  it('same seed and same inputs: identical replies, event log and state', () => {
    const actions = session(11, 600);
    const a = new Timeline(build());
    const b = new Timeline(build());
    const ra = drive(a, actions);
    const rb = drive(b, actions);
    expect(ra.events.length).toBeGreaterThan(1000);
    expect(ra.events.some((e) => e.kind === 'keyspace' && e.event === 'expired')).toBe(true);
    expect(ra.out.c).toContain('message'); // the subscriber got PUBLISHed messages
    expect(rb.out).toEqual(ra.out);
    expect(rb.events).toEqual(ra.events);
    expect(worldDigest(b.world)).toEqual(worldDigest(a.world));
    expect(probe(b.world)).toEqual(probe(a.world));
  });

  it('another seed gives another world (the digest sees randomness)', () => {
    const actions = session(11, 300);
    const a = new Timeline(build(5));
    const b = new Timeline(build(6));
    drive(a, actions);
    drive(b, actions);
    expect(worldDigest(b.world)).not.toEqual(worldDigest(a.world));
  });
});

describe('Timeline: rewind', () => {
  it('rewinding to input k gives the state the original run had at k, and the same replies after', () => {
    const actions = session(23, 500);
    const t = new Timeline(build());
    const at = new Map<number, { index: number; digest: unknown }>();
    // Reads between inputs (a save, a panel's snapshot) change nothing a replay would miss.
    drive(t, actions, (i) => {
      if (i % 40 === 0) at.set(i, { index: t.position, digest: worldDigest(t.world) });
      if (i % 13 === 0) {
        snapshotWorld(t.world);
        runSnapshotQuery(t.world.servers.get('main')!, { kind: 'keyspace', db: 0, limit: 50 } as never);
      }
    });
    const final = worldDigest(t.world);
    const length = t.length;
    expect(at.size).toBeGreaterThan(10);
    // Backwards (each rebuilt from the base), then forwards (each replayed on from the last).
    const points = [...at.values()];
    for (const { index, digest } of [...points.slice().reverse(), ...points]) {
      t.seek({ index });
      expect(t.position).toBe(index);
      expect(worldDigest(t.world)).toEqual(digest);
    }
    // The replies after a rewind agree with a world that lived those inputs directly.
    const k = [...at.values()][7].index;
    t.seek({ index: k });
    const direct = new Timeline(build());
    replayInputs(direct, t.history.slice(0, k));
    expect(probe(t.world)).toEqual(probe(direct.world));
    // Back to the end: the original world again; nothing was lost. (The probe changed the world
    // behind the timeline's back: rebuilt from the start, not replayed on from there.)
    t.seek({ index: 0 });
    t.seek({ index: length });
    expect(t.length).toBe(length);
    expect(t.atEnd).toBe(true);
    expect(worldDigest(t.world)).toEqual(final);
  });

  it('rewinds to a virtual time, also in the middle of idle time, and plays on from there', () => {
    const t = new Timeline(build());
    t.connect('a', 'main', '127.0.0.1:50000', '127.0.0.1:6379');
    t.feed('a', commandFrame(['SET', 'x', '1']));
    t.advance(1000);
    t.feed('a', commandFrame(['SET', 'y', '2']));
    t.advance(1000);
    const reference = new Timeline(build());
    reference.connect('a', 'main', '127.0.0.1:50000', '127.0.0.1:6379');
    reference.feed('a', commandFrame(['SET', 'x', '1']));
    reference.advance(400);
    t.seek({ time: START + 400 });
    expect(t.world.now).toBe(START + 400);
    expect(t.status()).toMatchObject({ position: 2, into: 400, commandPosition: 1, endTime: START + 2000 });
    expect(worldDigest(t.world)).toEqual(worldDigest(reference.world));
    // Playing follows the history: y is set 600 ms later, then the clock goes on live.
    t.play(599);
    expect(t.world.servers.get('main')!.dbs[0].dict.get('y')).toBeUndefined();
    t.play(1);
    expect(t.world.servers.get('main')!.dbs[0].dict.get('y')).toBeUndefined(); // at exactly its time: next
    t.play(1);
    expect(t.world.servers.get('main')!.dbs[0].dict.get('y')).toBeDefined();
    t.play(2000);
    // Past the end of the history the time lived is recorded (added to its last idle stretch).
    expect(t.status()).toMatchObject({ position: 5, length: 5, now: START + 3001, endTime: START + 3001, forks: [] });
    expect(t.history[4]).toMatchObject({ kind: 'advance', ms: 2001 });
  });

  it('steps one command or one event through the past', () => {
    const t = new Timeline(build());
    t.connect('a', 'main', '127.0.0.1:50000', '127.0.0.1:6379');
    t.advance(250);
    t.feed('a', commandFrame(['SET', 'x', '1']));
    t.advance(250);
    t.feed('a', commandFrame(['SET', 'y', '2']));
    t.seek({ index: 0 });
    const server = () => t.world.servers.get('main')!;
    expect(server().cronLoops).toBe(0);
    // The next event is the first cron tick (hz 10), 100 ms in.
    expect(nextEventTime(t.world)).toBe(START + 100);
    expect(t.stepEvent()).toBe(true);
    expect(t.world.now).toBe(START + 100);
    expect(server().cronLoops).toBe(1);
    expect(t.stepCommand()).toBe(true);
    expect(t.world.now).toBe(START + 250);
    expect(server().cronLoops).toBe(2);
    expect(server().dbs[0].dict.get('x')).toBeDefined();
    expect(server().dbs[0].dict.get('y')).toBeUndefined();
    expect(t.stepCommand()).toBe(true);
    expect(server().dbs[0].dict.get('y')).toBeDefined();
    expect(t.atEnd).toBe(true);
    expect(t.stepCommand()).toBe(false);
    // At the end a step runs the next event alone, and is recorded.
    // (The tick at 500 ran at the end of the last advance: the next one is at 600.)
    expect(server().cronLoops).toBe(5);
    expect(t.stepEvent()).toBe(true);
    expect(t.history.at(-1)).toMatchObject({ kind: 'event', at: START + 500 });
    expect(t.world.now).toBe(START + 600);
    expect(server().cronLoops).toBe(6);
  });
});

describe('Timeline: fork', () => {
  it('a command in the past cuts the history there and records on; the clients of the past hang up', () => {
    const t = new Timeline(build());
    const out: Record<string, string> = {};
    t.sink = { write: (id, d) => { out[id] = (out[id] ?? '') + d; }, closed: () => {} };
    t.connect('a', 'main', '127.0.0.1:50000', '127.0.0.1:6379');
    t.advance(100);
    t.feed('a', commandFrame(['SET', 'k', 'old']));
    t.advance(100);
    t.feed('a', commandFrame(['SET', 'k', 'newer']));
    t.advance(100);
    const before = t.length;
    t.seek({ command: 0 }); // before SET k old
    expect(t.position).toBe(2);
    expect(t.world.servers.get('main')!.dbs[0].dict.get('k')).toBeUndefined();
    expect(t.has('a')).toBe(true); // a client of the past
    expect(t.length).toBe(before); // nothing is cut by looking
    // A new connection acts: the history after this point is gone, a is disconnected first.
    t.connect('z', 'main', '127.0.0.1:50100', '127.0.0.1:6379');
    out.z = '';
    t.feed('z', commandFrame(['GET', 'k']));
    expect(out.z).toBe('$-1\r\n');
    expect(t.has('a')).toBe(false);
    expect(t.forks).toEqual([{ index: 2, time: START + 100 }]);
    expect(t.history.slice(2).map((i) => i.kind)).toEqual(['disconnect', 'connect', 'feed']);
    expect(t.status()).toMatchObject({ position: 5, length: 5, commandPosition: 1, commandCount: 1 });
    // The new branch diverges, and replays exactly like any history.
    t.feed('z', commandFrame(['SET', 'k', 'fork']));
    t.advance(50);
    const live = worldDigest(t.world);
    t.seek({ index: 0 });
    t.seek({ index: t.length });
    expect(worldDigest(t.world)).toEqual(live);
    expect(bytesToBinary(saveValue(t.world, 'k'))).toContain('fork');
  });

  it('forking in the middle of idle time keeps the part already lived', () => {
    const t = new Timeline(build());
    t.connect('a', 'main', '127.0.0.1:50000', '127.0.0.1:6379');
    t.advance(1000);
    t.feed('a', commandFrame(['SET', 'x', '1']));
    t.seek({ time: START + 300 });
    t.connect('b', 'main', '127.0.0.1:50001', '127.0.0.1:6379');
    expect(t.history.map((i) => [i.kind, i.at])).toEqual([
      ['connect', START], ['advance', START], ['disconnect', START + 300], ['connect', START + 300],
    ]);
    expect(t.history[1]).toMatchObject({ ms: 300 });
    expect(t.forks).toEqual([{ index: 2, time: START + 300 }]);
  });
});

describe('Timeline: bases and checkpoints', () => {
  it('a restored save is a base: restoring the same snapshot twice gives the same world', () => {
    const first = new Timeline(build());
    drive(first, session(31, 200));
    const snapshot = snapshotWorld(first.world);
    const t = new Timeline(() => restoreWorld(snapshot));
    const actions = session(32, 200).filter((a) => a.do !== 'connect' || a.client !== 'c');
    drive(t, actions);
    const live = worldDigest(t.world);
    t.seek({ index: 0 });
    expect(worldDigest(t.world)).toEqual(worldDigest(restoreWorld(snapshot)));
    t.seek({ index: t.length });
    expect(worldDigest(t.world)).toEqual(live);
  });

  it('an RDB round trip is not an exact checkpoint (why checkpoints are copies of the world, clone.ts)', () => {
    const t = new Timeline(build());
    drive(t, session(41, 300));
    const copy = restoreWorld(snapshotWorld(t.world));
    const a = worldDigest(t.world) as { servers: { main: Record<string, unknown> } };
    const b = worldDigest(copy) as { servers: { main: Record<string, unknown> } };
    // Same keys and values, but not the same world: the PRNG, the dict layout, the stats differ,
    // and so would what randomness and iteration order give from here on.
    const sizes = (w: World) => w.servers.get('main')!.dbs.map((db) => [db.dict.size, db.expires.size]);
    expect(sizes(copy)).toEqual(sizes(t.world));
    expect(b.servers.main.keyspace).not.toEqual(a.servers.main.keyspace); // avg_ttl is not saved
    expect(b.servers.main.random).not.toEqual(a.servers.main.random);
    expect(b.servers.main.dbs).not.toEqual(a.servers.main.dbs);
    expect(probe(copy)).not.toEqual(probe(t.world));
  });
});

/** Applies recorded inputs to a fresh timeline as live input. */
function replayInputs(t: Timeline, inputs: readonly TimelineInput[]): void {
  for (const i of inputs) {
    switch (i.kind) {
      case 'connect': t.connect(i.client, i.server, i.peer, i.local); break;
      case 'feed': t.feed(i.client, i.bytes); break;
      case 'disconnect': t.disconnect(i.client); break;
      case 'advance': t.advance(i.ms); break;
      case 'event': t.stepEvent(); break;
    }
  }
}

/** The RDB bytes of the main server (values included), to look for a value. */
function saveValue(world: World, _key: string): Uint8Array {
  return snapshotWorld(world).servers[0].rdb;
}
