// The main thread on the virtual clock: every top-level command occupies it for its modelled
// duration (cost.ts), one after another; the server is busy until floor(end / 1000) when that is a
// later millisecond than now, so a slow command (KEYS over 100k keys, DEL of a big set) makes other
// clients wait exactly that long, while sub-millisecond commands delay nothing.
import { describe, expect, it } from 'vitest';
import type { RedisServer } from '../../../src/engine/server/redisServer.ts';
import { World } from '../../../src/engine/sim/world.ts';
import type { CommandTraceEvent, LazyFreeTraceEvent, TraceEvent } from '../../../src/engine/trace/events.ts';
import { runSnapshotQuery } from '../../../src/engine/trace/snapshots.ts';
import { commandFrame } from '../../support/engineHarness.ts';

const START = Date.UTC(2024, 0, 1);

function world() {
  const w = new World({ seed: 3, startTime: START });
  const server = w.addServer('s', { config: { 'enable-debug-command': 'yes' } });
  const events: TraceEvent[] = [];
  server.trace = { emit: (e) => events.push(e) };
  const commands = () => events.filter((e): e is CommandTraceEvent => e.kind === 'command');
  return { w, server, events, commands };
}

/** A client whose replies are collected as text, with the virtual time each arrived. */
function connect(server: RedisServer, w: World) {
  const out: { at: number; data: string }[] = [];
  const client = server.connect({ write: (data) => out.push({ at: w.now, data }), close: () => {} });
  const send = (...argvs: string[][]) => {
    let bytes = '';
    for (const argv of argvs) bytes += String.fromCharCode(...commandFrame(argv));
    client.feed(Uint8Array.from(bytes, (ch) => ch.charCodeAt(0)));
  };
  return { client, out, send, text: () => out.map((o) => o.data).join('') };
}

/** A set of `n` members in hashtable encoding (lazyfreeGetFreeEffort = n). */
function bigSet(c: ReturnType<typeof connect>, key: string, n: number) {
  for (let i = 0; i < n; i += 1000) {
    const members: string[] = [];
    for (let j = i; j < Math.min(n, i + 1000); j++) members.push(`m${j}`);
    c.send(['SADD', key, ...members]);
  }
}

describe('thread time', () => {
  it('runs commands one after another on the thread: start = max(now, threadFreeUs), end = start + duration', () => {
    const { w, server, commands } = world();
    const a = connect(server, w);
    a.send(['SET', 'k', 'v'], ['GET', 'k'], ['INCR', 'n']);
    const [set, get, incr] = commands();
    expect(set.startUs).toBe(START * 1000);
    expect(set.arrivalUs).toBe(START * 1000);
    for (const e of [set, get, incr]) expect(e.endUs).toBe(e.startUs + e.durationUs);
    // Pipelined: each waits for the one before it (arrived with it, started when it ended).
    expect(get.startUs).toBe(set.endUs);
    expect(get.arrivalUs).toBe(START * 1000);
    expect(incr.startUs).toBe(get.endUs);
    expect(server.threadFreeUs).toBe(incr.endUs);
    // Within the current millisecond: not busy, the replies went out now.
    expect(server.busyUntil).toBe(0);
    expect(a.out.map((o) => o.at)).toEqual([START]);
    // Later, the thread is idle: the next command starts at now, not at threadFreeUs.
    w.advance(5);
    a.send(['PING']);
    const ping = commands()[3];
    expect(ping.startUs).toBe((START + 5) * 1000);
    expect(ping.arrivalUs).toBe(ping.startUs);
  });

  it('a backlog of pipelined commands crosses into the next millisecond: the replies wait for it', () => {
    const { w, server, commands } = world();
    const a = connect(server, w);
    const b = connect(server, w);
    const n = 1500;
    a.send(...Array.from({ length: n }, () => ['INCR', 'counter']));
    b.send(['GET', 'counter']);
    const events = commands();
    // Each INCR takes 1 µs: the 1000th ends at START+1 ms, so the server is busy until then.
    expect(events.every((e) => e.durationUs === 1)).toBe(true);
    expect(events.length).toBe(1000);
    expect(server.busyUntil).toBe(START + 1);
    expect(server.threadFreeUs).toBe(START * 1000 + 1000);
    expect(a.out).toEqual([]);
    expect(b.out).toEqual([]);
    w.advance(1);
    // At START+1 the first 1000 replies go out, the rest of a's pipeline and b's GET run.
    expect(a.out[0].at).toBe(START + 1);
    expect(a.text().split('\r\n').filter(Boolean).length).toBe(n);
    const all = commands();
    expect(all.length).toBe(n + 1);
    const get = all[all.length - 1];
    expect(get.client).toBe(b.client.id);
    expect(get.arrivalUs).toBe(START * 1000);
    expect(get.startUs).toBe(START * 1000 + n);
    expect(b.text()).toBe(`$4\r\n${n}\r\n`);
  });

  it('a slow KEYS makes another client\'s command wait exactly until floor(end / 1000)', () => {
    const { w, server, commands } = world();
    const a = connect(server, w);
    const b = connect(server, w);
    a.send(['DEBUG', 'POPULATE', '100000']);
    w.advance(10);
    a.out.length = 0;
    a.send(['KEYS', '*']);
    b.send(['SET', 'x', '1']);
    const keys = commands().find((e) => e.name === 'keys')!;
    // 100k keys visited at 100 ns each, plus the base and the reply: over 10 ms.
    expect(keys.durationUs).toBeGreaterThan(10_000);
    expect(keys.startUs).toBe((START + 10) * 1000);
    const until = Math.floor(keys.endUs / 1000);
    expect(server.busyUntil).toBe(until);
    expect(runSnapshotQuery(server, { kind: 'eventloop' })).toMatchObject({
      busy: true, busyUntil: until, threadFreeUs: keys.endUs, held: [b.client.id],
    });
    w.advance(until - w.now - 1);
    expect(a.out).toEqual([]);
    expect(b.out).toEqual([]);
    expect(commands().some((e) => e.name === 'set')).toBe(false);
    w.advance(1);
    expect(w.now).toBe(until);
    expect(a.out[0].at).toBe(until);
    expect(b.out).toEqual([{ at: until, data: '+OK\r\n' }]);
    const set = commands().find((e) => e.name === 'set')!;
    expect(set.arrivalUs).toBe((START + 10) * 1000);
    expect(set.startUs).toBe(keys.endUs);
    expect(server.busyUntil).toBe(0);
  });

  it('DEL of a big set blocks for its free effort; UNLINK hands it to the lazy-free thread', () => {
    const { w, server, commands, events } = world();
    const a = connect(server, w);
    bigSet(a, 'big1', 50_000);
    bigSet(a, 'big2', 50_000);
    w.advance(100);
    a.out.length = 0;
    a.send(['DEL', 'big1']);
    const del = commands().at(-1)!;
    expect(del.name).toBe('del');
    // 50k allocations freed by the command at 100 ns each: 5 ms.
    expect(del.durationUs).toBe(5001);
    expect(server.busyUntil).toBe(Math.floor(del.endUs / 1000));
    expect(a.out).toEqual([]);
    w.advance(5);
    expect(a.out).toEqual([{ at: START + 105, data: ':1\r\n' }]);
    w.advance(10);
    a.send(['UNLINK', 'big2']);
    const unlink = commands().at(-1)!;
    expect(unlink.name).toBe('unlink');
    expect(unlink.durationUs).toBe(1);
    expect(server.busyUntil).toBe(0);
    expect(a.out.at(-1)).toEqual({ at: START + 115, data: ':1\r\n' });
    const job = events.find((e): e is LazyFreeTraceEvent => e.kind === 'lazyfree')!;
    expect(job).toMatchObject({ job: 'object', effort: 50_000, objects: 1, command: 'unlink', client: a.client.id });
    expect(job.startUs).toBe((START + 115) * 1000);
    expect(job.endUs - job.startUs).toBe(5000); // 10 000 allocations per ms
    expect(server.lazyfree.pendingJobs).toBe(1);
  });

  it('EXEC occupies the thread once: its commands run inside it, one after another', () => {
    const { w, server, commands } = world();
    const a = connect(server, w);
    a.send(['MULTI'], ['DEBUG', 'SLEEP', '0.003'], ['DEBUG', 'SLEEP', '0.002'], ['EXEC']);
    const all = commands();
    const exec = all.find((e) => e.name === 'exec')!;
    const nested = all.filter((e) => e.nested);
    expect(nested.length).toBe(2);
    expect(nested[0].startUs).toBe(exec.startUs);
    expect(nested[1].startUs).toBe(nested[0].endUs);
    expect(nested[0].durationUs).toBe(3001);
    expect(nested[1].durationUs).toBe(2001);
    expect(exec.endUs).toBeGreaterThanOrEqual(nested[1].endUs);
    expect(server.threadFreeUs).toBe(exec.endUs);
    expect(server.busyUntil).toBe(Math.floor(exec.endUs / 1000));
    expect(server.busyUntil).toBe(START + 5);
    w.advance(5);
    expect(a.text()).toBe('+OK\r\n+QUEUED\r\n+QUEUED\r\n*2\r\n+OK\r\n+OK\r\n');
  });

  it('DEBUG SLEEP is thread time like any command: busy until its end, replies and others wait', () => {
    const { w, server, commands } = world();
    const a = connect(server, w);
    const b = connect(server, w);
    a.send(['DEBUG', 'SLEEP', '0.25']);
    b.send(['PING']);
    const sleep = commands()[0];
    expect(sleep.durationUs).toBe(250_001);
    expect(server.busyUntil).toBe(START + 250);
    w.advance(249);
    expect(a.out).toEqual([]);
    w.advance(1);
    expect(a.out).toEqual([{ at: START + 250, data: '+OK\r\n' }]);
    expect(b.out).toEqual([{ at: START + 250, data: '+PONG\r\n' }]);
    expect(commands()[1].startUs).toBe(sleep.endUs);
  });
});
