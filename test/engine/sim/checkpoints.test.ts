// Timeline checkpoints (src/engine/sim/checkpoints.ts): a rewind that starts from a copy of the
// nearest checkpoint gives exactly what a rewind that replays everything from the base gives: the
// same full-state digest, and the same replies and trace events when both play on from there.
import { describe, expect, it } from 'vitest';
import { Timeline, type TimelineSink, type TimelineTarget } from '../../../src/engine/sim/timeline.ts';
import { cloneWorld } from '../../../src/engine/sim/clone.ts';
import { SeededRandom } from '../../../src/engine/sim/random.ts';
import { World } from '../../../src/engine/sim/world.ts';
import type { TraceEvent } from '../../../src/engine/trace/events.ts';
import { commandFrame } from '../../support/engineHarness.ts';
import { worldDigest } from '../../support/worldDigest.ts';

const START = 1_700_000_000_000;

function build(): World {
  const world = new World({ seed: 3, startTime: START });
  world.addServer('main', {
    config: {
      'enable-debug-command': 'yes', 'zset-max-listpack-entries': '16', 'slowlog-log-slower-than': '0',
      'notify-keyspace-events': 'KEA', 'maxmemory-policy': 'allkeys-random',
    },
  });
  return world;
}

/** Small checkpoint intervals, so a short session gets many (and they get thinned out). */
const OFTEN = { interval: 400, perObject: 0, max: 12 };

type Action =
  | { do: 'connect' | 'disconnect'; client: string }
  | { do: 'cmd'; client: string; argv: string[] }
  | { do: 'advance'; ms: number }
  | { do: 'event' };

/** A seeded session: random writes and reads, TTLs, blocking pops, MULTI/EXEC, pub/sub, DEBUG SLEEP, evictions, idle time. */
function session(seed: number, commands: number): Action[] {
  const r = new SeededRandom(seed);
  const key = () => `k${r.below(60)}`;
  const member = () => `m${r.below(400)}`;
  const makers: (() => string[][])[] = [
    () => [['SET', key(), member(), 'PX', String(1 + r.below(2000))]],
    () => [['SET', key(), member()]],
    () => [['SADD', `s${r.below(4)}`, member(), member(), member(), member()]],
    () => [['SPOP', `s${r.below(4)}`]],
    () => [['SRANDMEMBER', `s${r.below(4)}`, String(r.below(9) - 4)]],
    () => [['ZADD', `z${r.below(3)}`, String(r.below(1000)), member()]],
    () => [['HSET', `h${r.below(4)}`, member(), member()]],
    () => [['RPUSH', `l${r.below(4)}`, member()]],
    () => [['BLPOP', `l${r.below(4)}`, '0.3']],
    () => [['RANDOMKEY']],
    () => [['SCAN', String(r.below(64)), 'COUNT', '7']],
    () => [['INCR', 'counter']],
    () => [['PUBLISH', 'news', member()]],
    () => [['DEBUG', 'POPULATE', String(r.below(300)), `p${r.below(3)}`]],
    () => [['MULTI'], ['INCR', 'counter'], ['SPOP', `s${r.below(4)}`], ['EXEC']],
    () => [['DEBUG', 'SLEEP', '0.05']],
    () => [['CONFIG', 'SET', 'maxmemory', r.below(3) ? '0' : '1500000']],
  ];
  const out: Action[] = ['a', 'b', 'c'].map((client) => ({ do: 'connect', client }));
  out.push({ do: 'cmd', client: 'c', argv: ['SUBSCRIBE', 'news'] });
  for (let i = 0; i < commands; i++) {
    const client = r.below(2) ? 'a' : 'b';
    for (const argv of makers[r.below(makers.length)]()) out.push({ do: 'cmd', client, argv });
    const roll = r.below(10);
    if (roll < 6) out.push({ do: 'advance', ms: 1 + r.below(300) });
    else if (roll === 6) out.push({ do: 'event' });
    else if (roll === 7 && i % 9 === 0) out.push({ do: 'disconnect', client: 'b' }, { do: 'connect', client: 'b' });
  }
  return out;
}

function apply(t: Timeline, a: Action, i: number): void {
  switch (a.do) {
    case 'connect': t.connect(a.client, 'main', `127.0.0.1:${50000 + i}`, '127.0.0.1:6379'); break;
    case 'disconnect': t.disconnect(a.client); break;
    case 'cmd': t.feed(a.client, commandFrame(a.argv)); break;
    case 'advance': t.advance(a.ms); break;
    case 'event': t.stepEvent(); break;
  }
}

/** Replies and trace events from here on. */
function listen(t: Timeline): { out: Record<string, string>; events: TraceEvent[] } {
  const seen = { out: {} as Record<string, string>, events: [] as TraceEvent[] };
  const sink: TimelineSink = {
    write: (id, d) => { seen.out[id] = (seen.out[id] ?? '') + d; },
    closed: (id) => { seen.out[id] = (seen.out[id] ?? '') + '<closed>'; },
  };
  t.sink = sink;
  t.world.servers.get('main')!.trace = { emit: (e) => seen.events.push(e) };
  return seen;
}

/** Plays on from where the world stands: a few commands of the history, then some time. */
function playOn(t: Timeline): { out: Record<string, string>; events: TraceEvent[]; digest: unknown } {
  const seen = listen(t);
  for (let i = 0; i < 4; i++) t.stepCommand();
  t.play(700);
  t.sink = null;
  t.world.servers.get('main')!.trace = null;
  return { ...seen, digest: worldDigest(t.world) };
}

/** A digest of a checkpoint's stored world, read from a copy (so reading it cannot change it). */
function storedDigest(t: Timeline, k: number): unknown {
  return worldDigest(cloneWorld(t.checkpoints.all[k].world, { keep: [t] }).world);
}

describe('Timeline checkpoints', () => {
  const actions = session(17, 500);

  it('a rewind from a checkpoint gives the same world, replies and events as one from the base', () => {
    const t = new Timeline(build, undefined, { checkpoints: OFTEN });
    const digests = new Map<number, unknown>();
    actions.forEach((a, i) => {
      apply(t, a, i);
      if (i % 40 === 0) digests.set(t.position, worldDigest(t.world));
    });
    const end = worldDigest(t.world);
    const plain = new Timeline(build, undefined, { checkpoints: false });
    actions.forEach((a, i) => apply(plain, a, i));
    expect(plain.checkpoints.all.length).toBe(0);
    expect(worldDigest(plain.world)).toEqual(end);

    const positions = t.checkpoints.positions;
    expect(positions.length).toBeGreaterThan(6);
    expect(positions.length).toBeLessThanOrEqual(OFTEN.max + 1);
    // Thinned out: more were taken than kept, and the ones kept are spread over the history.
    expect(t.checkpoints.copies).toBeGreaterThan(OFTEN.max);
    expect(positions[1]).toBeLessThan(t.length / 3);
    expect(positions.at(-1)!).toBeGreaterThan((t.length * 2) / 3);
    expect(digests.size).toBeGreaterThan(15);

    let fromCheckpoint = 0;
    const points = [...digests.keys()];
    [...points.slice().reverse(), ...points].forEach((index, n) => {
      const copiesBefore = t.checkpoints.copies;
      t.seek({ index });
      plain.seek({ index });
      if (t.checkpoints.copies > copiesBefore) fromCheckpoint++;
      expect(t.position).toBe(index);
      expect(t.status()).toMatchObject({ ...plain.status(), checkpoints: t.checkpoints.positions });
      expect(worldDigest(t.world), `digest at ${index}`).toEqual(digests.get(index));
      if (n % 2 === 0) expect(playOn(t), `playing on from ${index}`).toEqual(playOn(plain));
    });
    expect(fromCheckpoint).toBeGreaterThan(points.length);
  });

  it('rewinds to virtual times (also inside idle time) the same way', () => {
    const t = new Timeline(build, undefined, { checkpoints: OFTEN });
    const plain = new Timeline(build, undefined, { checkpoints: false });
    actions.forEach((a, i) => { apply(t, a, i); apply(plain, a, i); });
    const span = t.world.now - t.startTime;
    for (const f of [0.9, 0.13, 0.5, 0.77, 0.31, 0.02]) {
      const target: TimelineTarget = { time: t.startTime + Math.floor(span * f) + 0.5 };
      t.seek(target);
      plain.seek(target);
      expect(t.status()).toMatchObject({ ...plain.status(), checkpoints: t.checkpoints.positions });
      expect(worldDigest(t.world)).toEqual(worldDigest(plain.world));
      expect(playOn(t)).toEqual(playOn(plain));
    }
  });

  it('restoring copies a checkpoint: seeking from it twice gives the same world, and it stays as it was', () => {
    const t = new Timeline(build, undefined, { checkpoints: OFTEN });
    actions.forEach((a, i) => apply(t, a, i));
    const k = 3;
    const cp = t.checkpoints.all[k];
    const stored = storedDigest(t, k);
    t.seek({ index: cp.position });
    const first = worldDigest(t.world);
    const firstRun = playOn(t); // runs the restored world on: it must not be the checkpoint's
    t.seek({ index: t.length });
    t.seek({ index: cp.position });
    expect(worldDigest(t.world)).toEqual(first);
    expect(playOn(t)).toEqual(firstRun);
    expect(t.checkpoints.all[k] === cp).toBe(true); // (=== : a failing toBe would compare two worlds deeply)
    expect(storedDigest(t, k)).toEqual(stored);
    expect(t.world === cp.world).toBe(false);
  });

  it('a fork drops the checkpoints after its point, and the new branch rewinds exactly too', () => {
    const t = new Timeline(build, undefined, { checkpoints: OFTEN });
    actions.forEach((a, i) => apply(t, a, i));
    const cut = Math.floor(t.length / 2);
    t.seek({ index: cut });
    const before = [...t.checkpoints.all];
    expect(before.at(-1)!.position).toBeGreaterThan(cut);
    // Acting in the past: the clients of the past hang up, a new one acts.
    t.connect('z', 'main', '127.0.0.1:59999', '127.0.0.1:6379');
    expect(t.forks.at(-1)!.index).toBe(cut);
    // The ones up to the fork stay; the ones after it are gone (new ones may follow on the new branch).
    const kept = t.checkpoints.all.filter((c) => before.includes(c));
    expect(kept.map((c) => c.position)).toEqual(before.filter((c) => c.position <= cut).map((c) => c.position));
    expect(t.checkpoints.all.filter((c) => !before.includes(c)).every((c) => c.position > cut)).toBe(true);
    // The new branch: another session's commands, all from z.
    session(99, 200).forEach((a, i) => {
      if (a.do === 'cmd' && a.client !== 'c') apply(t, { ...a, client: 'z' }, i);
      else if (a.do === 'advance' || a.do === 'event') apply(t, a, i);
    });
    const live = worldDigest(t.world);
    expect(t.checkpoints.positions.at(-1)!).toBeGreaterThan(cut);
    // Each point against a timeline without checkpoints that lived the same inputs.
    for (const index of [t.length - 5, cut + 3, cut - 7, 10]) {
      t.seek({ index });
      const replayed = new Timeline(build, undefined, { checkpoints: false });
      replayHistory(replayed, t, index);
      expect(worldDigest(t.world), `at ${index}`).toEqual(worldDigest(replayed.world));
    }
    t.seek({ index: t.length });
    expect(worldDigest(t.world)).toEqual(live);
  });

  it('copies what is on the network: with a latency, rewinds from checkpoints agree too', () => {
    const withLatency = (t: Timeline) => {
      apply(t, actions[0], 0);
      t.setLatency(3); // requests and replies in flight (scheduled 'deliver' events) at most points
      actions.slice(1, 400).forEach((a, i) => apply(t, a, i + 1));
    };
    const t = new Timeline(build, undefined, { checkpoints: OFTEN });
    const plain = new Timeline(build, undefined, { checkpoints: false });
    withLatency(t);
    withLatency(plain);
    expect(t.checkpoints.all.length).toBeGreaterThan(3);
    expect(t.checkpoints.all.some((c) => c.world.inFlight.requests + c.world.inFlight.replies > 0)).toBe(true);
    for (const index of [t.length - 3, Math.floor(t.length / 2) + 1, 17]) {
      t.seek({ index });
      plain.seek({ index });
      expect(worldDigest(t.world)).toEqual(worldDigest(plain.world));
      expect(playOn(t)).toEqual(playOn(plain));
    }
  });

  it('takes no checkpoint of a world too big to copy cheaply', () => {
    const t = new Timeline(build, undefined, { checkpoints: { ...OFTEN, maxWorldBytes: 200_000 } });
    t.connect('a', 'main', '127.0.0.1:50000', '127.0.0.1:6379');
    for (let i = 0; i < 300; i++) {
      t.feed('a', commandFrame(['SET', `small:${i}`, 'x']));
      t.advance(10);
    }
    const small = t.checkpoints.positions.length;
    expect(small).toBeGreaterThan(1);
    t.feed('a', commandFrame(['DEBUG', 'POPULATE', '5000', 'big', '64']));
    for (let i = 0; i < 300; i++) {
      t.feed('a', commandFrame(['GET', `big:${i}`]));
      t.advance(10);
    }
    expect(t.checkpoints.positions.length).toBe(small);
  });
});

/** Feeds `source`'s first `n` inputs to `target` as live input. */
function replayHistory(target: Timeline, source: Timeline, n: number): void {
  for (const i of source.history.slice(0, n)) {
    switch (i.kind) {
      case 'connect': target.connect(i.client, i.server, i.peer, i.local); break;
      case 'feed': target.feed(i.client, i.bytes); break;
      case 'disconnect': target.disconnect(i.client); break;
      case 'advance': target.advance(i.ms); break;
      case 'event': target.stepEvent(); break;
      default: throw new Error(`input kind ${i.kind} not handled here`);
    }
  }
}
