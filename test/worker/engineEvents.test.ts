// The UI's side of snapshot queries and the event stream (EngineWorker): queries resolve with the
// worker's answer, events reach subscribers batched per animation frame (a scheduler the test
// drives stands in for requestAnimationFrame), the stream is on only while someone listens, and a
// restarted worker gets it back with a resync.
import { afterEach, describe, expect, it } from 'vitest';
import { EngineWorker, MAX_EVENTS_PER_FRAME, encodeCommand, type EventBatch } from '../../src/ui/engine/engineConnection.ts';
import { EngineHost } from '../../src/worker/engineHost.ts';
import type { FromWorker, ToWorker } from '../../src/worker/protocol.ts';

/** A Worker whose messages go to an EngineHost (what it posts is delivered asynchronously). */
class FakeWorker {
  onmessage: ((e: { data: FromWorker }) => void) | null = null;
  onerror: ((e: { message: string; preventDefault(): void }) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  terminated = false;
  readonly received: ToWorker[] = [];
  readonly host: EngineHost;
  constructor() {
    this.host = new EngineHost((m) => this.deliver(m), { seed: 1, startTime: 0 });
    this.host.announce();
  }
  deliver(m: FromWorker): void {
    queueMicrotask(() => { if (!this.terminated) this.onmessage?.({ data: m }); });
  }
  postMessage(m: ToWorker): void {
    this.received.push(m);
    queueMicrotask(() => {
      if (this.terminated) return;
      try { this.host.handle(m); } catch (e) { this.onerror?.({ message: (e as Error).message, preventDefault() {} }); }
    });
  }
  terminate(): void { this.terminated = true; }
  traceMessages(): boolean[] {
    return this.received.flatMap((m) => (m.type === 'trace' ? [m.enabled] : []));
  }
}

const settle = async () => { for (let i = 0; i < 4; i++) await new Promise((r) => setTimeout(r, 0)); };

let engine: EngineWorker | null = null;
afterEach(() => { engine?.dispose(); engine = null; });

function start() {
  const made: FakeWorker[] = [];
  const frames: (() => void)[] = [];
  const e = new EngineWorker({
    create: () => { const w = new FakeWorker(); made.push(w); return w; },
    pingIntervalMs: 60_000,
    scheduleFrame: (fn) => { frames.push(fn); },
  });
  engine = e;
  /** Runs the animation frames asked for so far. */
  const frame = () => { for (const fn of frames.splice(0)) fn(); };
  return { e, made, frames, frame };
}

async function run(e: EngineWorker, ...argvs: string[][]) {
  const conn = e.connect({ data: () => {}, closed: () => {} });
  await conn.ready;
  for (const argv of argvs) conn.send(encodeCommand(argv));
  await settle();
  conn.close();
}

describe('EngineWorker: snapshot queries', () => {
  it('resolves with the worker\'s snapshot, and rejects an error result', async () => {
    const { e } = start();
    await settle();
    await run(e, ['SET', 'a', '1'], ['RPUSH', 'b', 'x']);
    const snap = await e.query({ kind: 'keyspace', db: 0, limit: 10 });
    expect(snap.keys.map((k) => [k.key, k.type])).toEqual([['a', 'string'], ['b', 'list']]);
    await expect(e.query({ kind: 'keyspace', db: 42, limit: 10 })).rejects.toThrow('DB index is out of range');
  });

  it('a query waiting when the worker dies is rejected', async () => {
    const { e, made } = start();
    await settle();
    made[0].postMessage = () => {}; // the query never arrives
    const pending = e.query({ kind: 'keyspace', db: 0, limit: 10 });
    e.restart('test');
    await expect(pending).rejects.toThrow('the engine restarted');
  });
});

describe('EngineWorker: the event stream', () => {
  it('turns the worker\'s stream on with the first subscriber and off after the last', async () => {
    const { e, made } = start();
    const off1 = e.onEvents(() => {});
    const off2 = e.onEvents(() => {});
    off1();
    await settle();
    expect(made[0].traceMessages()).toEqual([true]);
    off2();
    await settle();
    expect(made[0].traceMessages()).toEqual([true, false]);
    expect(made[0].host.server.trace).toBeNull();
  });

  it('delivers everything that arrived before a frame as one batch, in order', async () => {
    const { e, frame } = start();
    const batches: EventBatch[] = [];
    e.onEvents((b) => batches.push(b));
    await settle();
    frame(); // the world's first "ready" asks everyone to read afresh
    expect(batches).toEqual([{ events: [], dropped: {}, resync: true }]);
    batches.length = 0;
    await run(e, ['SET', 'a', '1']);
    await run(e, ['LPUSH', 'l', 'x']);
    expect(batches).toEqual([]); // nothing before the frame
    frame();
    expect(batches).toHaveLength(1);
    // The keyspace and command events (the internals' events, e.g. the keyspace dict's first
    // resize, are tested with their panels).
    const names = batches[0].events.flatMap((ev) => (ev.kind === 'keyspace' ? [`${ev.event}:${ev.key}`] : ev.kind === 'command' ? [ev.name] : []));
    expect(names).toEqual(['new:a', 'set:a', 'set', 'new:l', 'lpush:l', 'lpush']);
    expect(batches[0].resync).toBe(false);
    frame();
    expect(batches).toHaveLength(1); // an empty frame delivers nothing
  });

  it('a burst is bounded: the worker\'s dropped counts add up, and so do the ones over the frame\'s cap', async () => {
    const { e, frame } = start();
    const batches: EventBatch[] = [];
    e.onEvents((b) => batches.push(b));
    await settle();
    frame();
    batches.length = 0;
    // 30 populates of 1000 keys, no frame in between (a background tab): 30 messages of 1001 events.
    await run(e, ...Array.from({ length: 30 }, (_, i) => ['DEBUG', 'POPULATE', '1000', `p${i}`]));
    frame();
    expect(batches).toHaveLength(1);
    const b = batches[0];
    expect(b.events).toHaveLength(MAX_EVENTS_PER_FRAME);
    const dropped = Object.values(b.dropped).reduce((n, d) => n + (d ?? 0), 0);
    const sent = batches[0].events.length + dropped;
    // Every keyspace and command event was delivered or counted; so were the dict's resize and rehash events.
    const core = b.events.filter((ev) => ev.kind === 'keyspace' || ev.kind === 'command').length
      + (b.dropped.keyspace ?? 0) + (b.dropped.command ?? 0);
    expect(core).toBe(30 * 1001);
    expect(sent).toBeGreaterThan(core);
  });

  it('a restarted worker streams again, and subscribers are told to read afresh', async () => {
    const { e, made, frame } = start();
    const batches: EventBatch[] = [];
    e.onEvents((b) => batches.push(b));
    await settle();
    frame();
    batches.length = 0;
    e.crash();
    await settle();
    expect(made).toHaveLength(2);
    expect(made[1].traceMessages()).toEqual([true]);
    frame();
    expect(batches.some((b) => b.resync)).toBe(true);
    batches.length = 0;
    await run(e, ['SET', 'after', '1']);
    frame();
    expect(batches[0].events.some((ev) => ev.kind === 'keyspace' && ev.key === 'after')).toBe(true);
  });

  it('no subscriber: no stream, nothing kept', async () => {
    const { e, made, frames } = start();
    await settle();
    await run(e, ['SET', 'a', '1']);
    expect(made[0].traceMessages()).toEqual([]);
    expect(frames).toEqual([]);
  });
});
