// The world's network between clients and servers: with a one-way latency, a request reaches the
// server `latency` ms after it was sent and the reply comes back as late, so a round trip costs
// 2 x latency. A pipeline of N commands costs one round trip plus the service time; N round trips
// cost N x RTT. Latency is a recorded timeline input: a rewind replays it, with what was in flight.
import { describe, expect, it } from 'vitest';
import { Timeline } from '../../../src/engine/sim/timeline.ts';
import { World } from '../../../src/engine/sim/world.ts';
import type { NetTraceEvent, TraceEvent } from '../../../src/engine/trace/events.ts';
import { runSnapshotQuery } from '../../../src/engine/trace/snapshots.ts';
import { SeededRandom } from '../../../src/engine/sim/random.ts';
import { commandFrame } from '../../support/engineHarness.ts';
import { worldDigest } from '../../support/worldDigest.ts';

const START = 1_700_000_000_000;

function build(): () => World {
  return () => {
    const world = new World({ seed: 9, startTime: START });
    world.addServer('main', { config: { 'enable-debug-command': 'yes' } });
    return world;
  };
}

/** A timeline whose clients' output is kept with the virtual time it reached them. */
function recorded(trace = true) {
  const t = new Timeline(build());
  const got: Record<string, { at: number; data: string }[]> = {};
  const closed: Record<string, number> = {};
  t.sink = {
    write: (id, data) => { (got[id] ??= []).push({ at: t.world.now, data }); },
    closed: (id) => { closed[id] = t.world.now; },
  };
  const events: TraceEvent[] = [];
  if (trace) t.world.servers.get('main')!.trace = { emit: (e) => events.push(e) };
  t.connect('a', 'main', '127.0.0.1:50000', '127.0.0.1:6379');
  t.connect('b', 'main', '127.0.0.1:50001', '127.0.0.1:6379');
  const text = (id: string) => (got[id] ?? []).map((o) => o.data).join('');
  return { t, got, closed, events, text };
}

function frames(...argvs: string[][]): Uint8Array {
  const parts = argvs.map((a) => commandFrame(a));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

describe('network latency', () => {
  it('at 0 the world behaves as without a network: no events, replies in the same call', () => {
    const { t, got, events } = recorded();
    const pending = t.world.scheduler.pending;
    t.feed('a', frames(['PING']));
    expect(got.a).toEqual([{ at: START, data: '+PONG\r\n' }]);
    expect(t.world.scheduler.pending).toBe(pending);
    expect(events.some((e) => e.kind === 'net')).toBe(false);
  });

  it('a reply arrives 2 x latency after the request was sent, with send and deliver events', () => {
    const { t, got, events, text } = recorded();
    t.setLatency(10);
    t.feed('a', frames(['SET', 'k', 'v']));
    expect(got.a).toBeUndefined();
    expect(runSnapshotQuery(t.world.servers.get('main')!, { kind: 'eventloop' }, t.world)).toMatchObject({
      latencyMs: 10, inFlight: { requests: 1, replies: 0 },
    });
    t.advance(9);
    expect(t.world.servers.get('main')!.dbs[0].dict.size).toBe(0); // not there yet
    t.advance(1);
    expect(t.world.servers.get('main')!.dbs[0].dict.size).toBe(1);
    expect(got.a).toBeUndefined();
    t.advance(9);
    expect(got.a).toBeUndefined();
    t.advance(1);
    expect(got.a).toEqual([{ at: START + 20, data: '+OK\r\n' }]);
    expect(text('b')).toBe('');
    const net = events.filter((e): e is NetTraceEvent => e.kind === 'net');
    const id = net[0].client;
    expect(net.map((e) => [e.phase, e.dir, e.client, e.sentAt, e.arriveAt, e.at])).toEqual([
      ['send', 'request', id, START, START + 10, START],
      ['deliver', 'request', id, START, START + 10, START + 10],
      ['send', 'reply', id, START + 10, START + 20, START + 10],
      ['deliver', 'reply', id, START + 10, START + 20, START + 20],
    ]);
    expect(net[0].bytes).toBe(frames(['SET', 'k', 'v']).length);
    expect(net[2].bytes).toBe(5);
  });

  it('a pipeline of N costs one round trip (plus service); N round trips cost N x RTT', () => {
    const n = 10;
    const latency = 50;
    // One write with every command.
    const p = recorded();
    p.t.setLatency(latency);
    p.t.feed('a', frames(...Array.from({ length: n }, () => ['INCR', 'demo:counter'])));
    p.t.advance(2 * latency);
    expect(p.got.a.length).toBe(1);
    expect(p.got.a[0].at).toBe(START + 2 * latency);
    expect(p.text('a')).toBe(Array.from({ length: n }, (_, i) => `:${i + 1}\r\n`).join(''));
    // One command, wait for its reply, the next ...
    const r = recorded();
    r.t.setLatency(latency);
    const arrivals: number[] = [];
    for (let i = 0; i < n; i++) {
      r.t.feed('a', frames(['INCR', 'demo:counter']));
      const before = r.got.a?.length ?? 0;
      while ((r.got.a?.length ?? 0) === before) r.t.advance(1);
      arrivals.push(r.t.world.now - START);
    }
    expect(arrivals).toEqual(Array.from({ length: n }, (_, i) => (i + 1) * 2 * latency));
    expect(r.text('a')).toBe(p.text('a'));
  });

  it('keeps a client\'s bytes in order, and its hang-up after them; QUIT\'s reply arrives before the close', () => {
    const { t, got, closed, text } = recorded();
    t.setLatency(5);
    t.feed('a', frames(['SET', 'x', '1']));
    t.advance(2);
    t.feed('a', frames(['GET', 'x']));
    t.disconnect('a');
    t.feed('b', frames(['QUIT']));
    t.advance(20);
    const server = t.world.servers.get('main')!;
    // a's commands ran (at +5 and +7) and then the server saw it leave; the replies were still on
    // their way when it hung up (at +2): they found no one.
    expect(server.dbs[0].dict.size).toBe(1);
    expect(server.stats.keyspaceHits).toBe(1);
    expect(got.a).toBeUndefined();
    expect([...server.clients.values()].length).toBe(0);
    expect(text('b')).toBe('+OK\r\n');
    expect(got.b[0].at).toBe(START + 12);
    expect(closed.b).toBe(START + 12);
  });

  it('a slow command at a latency: the other client waits for the thread, then for the network', () => {
    const { t, got, events } = recorded();
    t.feed('a', frames(['DEBUG', 'POPULATE', '100000']));
    t.setLatency(3);
    t.feed('a', frames(['KEYS', '*']));
    t.feed('b', frames(['PING']));
    t.advance(40);
    const keys = events.find((e) => e.kind === 'command' && e.name === 'keys');
    const ping = events.find((e) => e.kind === 'command' && e.name === 'ping');
    if (keys?.kind !== 'command' || ping?.kind !== 'command') throw new Error('commands missing');
    expect(keys.startUs).toBe((START + 3) * 1000);
    expect(ping.arrivalUs).toBe((START + 3) * 1000);
    expect(ping.startUs).toBe(keys.endUs);
    const resumed = Math.floor(keys.endUs / 1000);
    expect(got.b).toEqual([{ at: resumed + 3, data: '+PONG\r\n' }]);
  });
});

describe('network latency on the timeline', () => {
  /** A seeded session mixing commands, latency changes and idle time. */
  function session(t: Timeline, seed: number, steps: number, onStep?: (i: number) => void) {
    const r = new SeededRandom(seed);
    const pick = () => (r.below(2) ? 'a' : 'b');
    for (let i = 0; i < steps; i++) {
      const roll = r.below(12);
      if (roll < 6) t.feed(pick(), frames(['INCR', `k${r.below(4)}`], ['SET', `s${r.below(9)}`, String(i), 'PX', String(1 + r.below(80))]));
      else if (roll < 7) t.feed(pick(), frames(['DEBUG', 'SLEEP', '0.00' + String(1 + r.below(9))]));
      else if (roll < 8) t.setLatency(r.below(4) * 7);
      else if (roll < 9) t.stepEvent();
      else t.advance(1 + r.below(30));
      onStep?.(i);
    }
  }

  it('rewinding replays the latency and the messages in flight: the same digest at every point', () => {
    const { t } = recorded(false);
    const at: { index: number; digest: unknown }[] = [];
    // (Not right after an advance: the next advance would lengthen that same input.)
    session(t, 4, 300, (i) => {
      if (i % 9 === 0 && t.history.at(-1)?.kind !== 'advance') at.push({ index: t.position, digest: worldDigest(t.world) });
    });
    expect(at.length).toBeGreaterThan(10);
    expect(at.some(({ digest }) => (digest as { pendingEvents: number }).pendingEvents > 1)).toBe(true);
    const final = worldDigest(t.world);
    expect(t.history.some((i) => i.kind === 'latency')).toBe(true);
    for (const { index, digest } of [...at].reverse()) {
      t.seek({ index });
      expect(worldDigest(t.world)).toEqual(digest);
    }
    t.seek({ index: t.length });
    expect(worldDigest(t.world)).toEqual(final);
  });

  it('a traced run is the same run: replies, digest', () => {
    const traced = recorded(true);
    const plain = recorded(false);
    session(traced.t, 8, 300);
    session(plain.t, 8, 300);
    expect(traced.events.some((e) => e.kind === 'net')).toBe(true);
    expect(traced.got).toEqual(plain.got);
    expect(worldDigest(traced.t.world)).toEqual(worldDigest(plain.t.world));
  });

  it('setting the same latency again records nothing', () => {
    const { t } = recorded(false);
    const length = t.length;
    t.setLatency(0);
    expect(t.length).toBe(length);
    t.setLatency(20);
    t.setLatency(20);
    expect(t.length).toBe(length + 1);
    expect(t.history.at(-1)).toEqual({ kind: 'latency', at: START, ms: 20 });
  });
});
