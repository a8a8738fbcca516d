// Time control through the worker protocol (EngineHost, without a Worker): pause and play, speed,
// steps, rewinds that close the UI's connections and resync panels, forks, and `time` messages.
import { describe, expect, it } from 'vitest';
import { bytesToBinary } from '../../src/engine/bytes.ts';
import { World } from '../../src/engine/sim/world.ts';
import { encodeCommand } from '../../src/ui/engine/engineConnection.ts';
import { createWorld, EngineHost } from '../../src/worker/engineHost.ts';
import { MAX_SPEED, MIN_SPEED, versioned, type FromWorker, type TimeStatus, type ToWorkerBody } from '../../src/worker/protocol.ts';

const T0 = 1_700_000_000_000;

function setup() {
  const out: FromWorker[] = [];
  const deferred: (() => void)[] = [];
  const host = new EngineHost((m) => out.push(m), { seed: 1, startTime: T0, defer: (fn) => deferred.push(fn) });
  const send = (body: ToWorkerBody) => host.handle(versioned(body));
  const cmd = (clientId: string, ...argv: string[]) => send({ type: 'send', clientId, bytes: encodeCommand(argv) });
  /** What arrived since the last call: data per client (text), `time` statuses, and the rest. */
  const take = () => {
    for (const fn of deferred.splice(0)) fn();
    const data: Record<string, string> = {};
    const times: TimeStatus[] = [];
    const other: FromWorker[] = [];
    for (const m of out.splice(0)) {
      if (m.type === 'data') data[m.clientId] = (data[m.clientId] ?? '') + bytesToBinary(m.bytes);
      else if (m.type === 'time') times.push(m.status);
      else other.push(m);
    }
    return { data, times, other };
  };
  const server = () => host.server;
  const key = (k: string) => server().dbs[0].dict.get(k);
  return { host, send, cmd, take, server, key };
}

describe('time control in the host', () => {
  it('sends `time` only while watched: on a change, and every few ticks while playing', () => {
    const { host, send, cmd, take } = setup();
    send({ type: 'connect', clientId: 'a' });
    host.advance(20);
    expect(take().times).toEqual([]);
    send({ type: 'time-watch', enabled: true });
    const [first] = take().times;
    expect(first).toMatchObject({
      playing: true, speed: 1, now: T0 + 20, startTime: T0, endTime: T0 + 20, position: 2, length: 2, into: 0,
      commandPosition: 0, commandCount: 0, waiting: 0, forks: [], checkpoints: [0], lastRewindMs: null,
    });
    cmd('a', 'SET', 'k', 'v');
    expect(take().times).toMatchObject([{ position: 3, length: 3, commandPosition: 1, commandCount: 1 }]);
    // The idle time after it is a new input; after that, idle ticks only move the clock: a status every 10th.
    host.advance(20);
    expect(take().times).toMatchObject([{ now: T0 + 40, position: 4, length: 4 }]);
    for (let i = 0; i < 9; i++) host.advance(20);
    expect(take().times).toEqual([]);
    host.advance(20);
    expect(take().times).toMatchObject([{ now: T0 + 240, position: 4, length: 4 }]);
    send({ type: 'time-watch', enabled: false });
    cmd('a', 'SET', 'k', 'w');
    expect(take().times).toEqual([]);
  });

  it('paused: the clock stands still and commands wait, in order, until play', () => {
    const { host, send, cmd, take, server } = setup();
    send({ type: 'time-watch', enabled: true });
    send({ type: 'connect', clientId: 'a' });
    send({ type: 'time-play', playing: false });
    take();
    const cron = server().cronLoops;
    host.advance(5000);
    expect(host.world.now).toBe(T0);
    expect(server().cronLoops).toBe(cron);
    // A new connection is accepted at once; its commands wait, as with a stopped server.
    send({ type: 'connect', clientId: 'b' });
    cmd('a', 'SET', 'k', '1');
    cmd('b', 'INCR', 'k');
    const paused = take();
    expect(paused.other).toMatchObject([{ type: 'connected', clientId: 'b', error: null }]);
    expect(paused.data).toEqual({});
    expect(paused.times.at(-1)).toMatchObject({ playing: false, waiting: 3 });
    send({ type: 'time-play', playing: true });
    const played = take();
    expect(played.data).toEqual({ a: '+OK\r\n', b: ':2\r\n' });
    expect(played.times.at(-1)).toMatchObject({ playing: true, waiting: 0, commandCount: 2 });
    host.advance(100);
    expect(host.world.now).toBe(T0 + 100);
  });

  it('speed scales virtual time (clamped to 0.1x..100x), fractions carry over', () => {
    const { host, send } = setup();
    send({ type: 'time-speed', speed: 10 });
    host.advance(100);
    expect(host.world.now).toBe(T0 + 1000);
    send({ type: 'time-speed', speed: 0.25 });
    for (let i = 0; i < 10; i++) host.advance(1);
    expect(host.world.now).toBe(T0 + 1002);
    send({ type: 'time-speed', speed: 1e6 });
    expect(host.timeStatus().speed).toBe(MAX_SPEED);
    send({ type: 'time-speed', speed: 0 });
    expect(host.timeStatus().speed).toBe(MIN_SPEED);
    send({ type: 'time-speed', speed: Number.NaN });
    expect(host.timeStatus().speed).toBe(MIN_SPEED);
  });

  it('steps one event (the next cron tick) or one waiting command, and stays paused', () => {
    const { host, send, cmd, take, server } = setup();
    send({ type: 'connect', clientId: 'a' });
    host.advance(30);
    take();
    send({ type: 'time-step', unit: 'event' });
    expect(host.timeStatus().playing).toBe(false);
    expect(host.world.now).toBe(T0 + 100); // hz 10: the tick at 100 ms
    expect(server().cronLoops).toBe(1);
    cmd('a', 'SET', 'x', '1');
    cmd('a', 'GET', 'x');
    expect(take().data).toEqual({});
    send({ type: 'time-step', unit: 'command' });
    expect(take().data).toEqual({ a: '+OK\r\n' });
    expect(host.timeStatus()).toMatchObject({ playing: false, waiting: 1 });
    send({ type: 'time-step', unit: 'command' });
    expect(take().data).toEqual({ a: '$1\r\n1\r\n' });
    expect(host.world.now).toBe(T0 + 100); // commands take no virtual time
  });

  it('rewind: connections closed, panels resynced, the past replays as it was; a new command forks', () => {
    const { host, send, cmd, take, key } = setup();
    send({ type: 'trace', enabled: true });
    send({ type: 'time-watch', enabled: true });
    send({ type: 'connect', clientId: 'a' });
    cmd('a', 'SET', 'k', 'before');
    host.advance(500);
    cmd('a', 'SET', 'k', 'after');
    host.advance(500);
    take();
    const length = host.timeStatus().length;
    // Back to before the second SET.
    send({ type: 'time-seek', target: { command: 1 } });
    const rewound = take();
    expect(rewound.times.at(-1)).toMatchObject({ playing: false });
    send({ type: 'time-play', playing: true });
    expect(rewound.other.filter((m) => m.type === 'closed')).toEqual([expect.objectContaining({ clientId: 'a' })]);
    expect(rewound.other.filter((m) => m.type === 'events')).toMatchObject([{ resync: true }]);
    expect(rewound.times.at(-1)).toMatchObject({ position: 3, length, commandPosition: 1, now: T0 + 500, endTime: T0 + 1000, forks: [] });
    expect(rewound.times.at(-1)!.lastRewindMs).toEqual(expect.any(Number));
    expect(key('k')!.value).toBe('before');
    // Bytes for the closed connection go nowhere and change nothing.
    cmd('a', 'SET', 'k', 'ghost');
    expect(take().data).toEqual({});
    expect(host.timeStatus().length).toBe(length);
    // A new connection acts in the past: the history is cut there.
    send({ type: 'connect', clientId: 'b' });
    cmd('b', 'GET', 'k');
    const forked = take();
    expect(forked.data).toEqual({ b: '$6\r\nbefore\r\n' });
    expect(forked.times.at(-1)).toMatchObject({ forks: [{ index: 3, time: T0 + 500 }], commandCount: 2, commandPosition: 2 });
    expect(host.timeStatus().length).toBe(host.timeStatus().position);
  });

  it('playing from the past replays the recorded history (no fork) and goes on live at its end', () => {
    const { host, send, cmd, take, key } = setup();
    send({ type: 'connect', clientId: 'a' });
    host.advance(400);
    cmd('a', 'SET', 'k', 'v');
    host.advance(100);
    send({ type: 'time-seek', target: { index: 0 } });
    expect(key('k')).toBeUndefined();
    expect(host.timeStatus().playing).toBe(false); // a rewind pauses there
    host.advance(1000);
    expect(key('k')).toBeUndefined();
    send({ type: 'time-play', playing: true });
    take();
    host.advance(399);
    expect(key('k')).toBeUndefined();
    host.advance(2);
    expect(key('k')).toBeDefined();
    expect(take().data).toEqual({}); // the past's client is nobody's now
    host.advance(1000);
    expect(host.timeStatus()).toMatchObject({ forks: [], now: T0 + 1401, endTime: T0 + 1401 });
    expect(host.timeStatus().position).toBe(host.timeStatus().length);
  });

  it('after a rewind (paused): a command typed there waits, then forks when played', () => {
    const { host, send, cmd, take } = setup();
    send({ type: 'connect', clientId: 'a' });
    cmd('a', 'SET', 'k', 'v');
    host.advance(100);
    take();
    send({ type: 'time-seek', target: { index: 1 } }); // before the SET (paused there)
    send({ type: 'connect', clientId: 'b' });
    cmd('b', 'GET', 'k');
    expect(take().data).toEqual({});
    expect(host.timeStatus()).toMatchObject({ waiting: 2, forks: [] });
    send({ type: 'time-play', playing: true });
    expect(take().data).toEqual({ b: '$-1\r\n' });
    expect(host.timeStatus().forks).toEqual([{ index: 1, time: T0 }]);
  });

  it('a reset starts a new history; a given rebuild is its base', () => {
    const { host, send, cmd, take, key } = setup();
    send({ type: 'connect', clientId: 'a' });
    cmd('a', 'SET', 'k', 'v');
    const world = createWorld(9, T0 + 5000);
    host.replaceWorld(world, () => createWorld(9, T0 + 5000));
    expect(host.world).toBe(world);
    expect(host.timeStatus()).toMatchObject({ position: 0, length: 0, startTime: T0 + 5000 });
    send({ type: 'connect', clientId: 'b' });
    cmd('b', 'SET', 'n', '1');
    send({ type: 'time-seek', target: { index: 0 } });
    expect(key('n')).toBeUndefined();
    expect(host.world).not.toBe(world); // rebuilt
    expect(host.world.now).toBe(T0 + 5000);
    take();
  });

  it('a world given without a rebuild runs as restored from its snapshot (so rewinds are exact)', () => {
    const world = new World({ seed: 3, startTime: T0 });
    world.addServer('main', { port: 6379 });
    const out: FromWorker[] = [];
    const host = new EngineHost((m) => out.push(m), { seed: 1, startTime: 0, world });
    host.handle(versioned({ type: 'connect', clientId: 'a' }));
    host.handle(versioned({ type: 'send', clientId: 'a', bytes: encodeCommand(['SET', 'k', 'v']) }));
    host.handle(versioned({ type: 'time-seek', target: { index: 0 } }));
    expect(host.server.dbs[0].dict.size).toBe(0);
    expect(host.world.now).toBe(T0);
  });
});
