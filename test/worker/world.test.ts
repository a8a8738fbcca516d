// The world kept across visits (src/worker/worldKeeper.ts, worldStore.ts): autosave to IndexedDB
// (fake-indexeddb here) on a wall clock the test moves, restore when the worker starts, an
// unreadable save kept aside, reset, export and import through the worker protocol.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { binaryToBytes, bytesToBinary } from '../../src/engine/bytes.ts';
import { snapshotWorld } from '../../src/engine/persist/worldFile.ts';
import { encodeCommand } from '../../src/ui/engine/engineConnection.ts';
import { readRecord, writeRecord } from '../../src/ui/storage/db.ts';
import { createWorld } from '../../src/worker/engineHost.ts';
import { versioned, type FromWorker, type ToWorkerBody, type WorldStatus } from '../../src/worker/protocol.ts';
import { startRuntime, type EngineRuntime, type SavePolicy, type WallClock } from '../../src/worker/worldKeeper.ts';
import { CURRENT_WORLD, indexedDbWorldStore, type SavedWorldRecord, type WorldStore } from '../../src/worker/worldStore.ts';
import { clearSavedWorlds } from '../support/runtimeWorker.ts';

const T0 = 1_700_000_000_000;

/** Wall-clock time and timers that move only when the test says. */
class FakeClock implements WallClock {
  t = T0;
  private mono = 0;
  /** How much the monotonic clock moves at each reading: what a save appears to cost. */
  monoStep = 0;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();
  private nextId = 1;
  now() { return this.t; }
  monotonic() { return (this.mono += this.monoStep); }
  setTimeout(fn: () => void, ms: number) {
    const id = this.nextId++;
    this.timers.set(id, { at: this.t + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown) { this.timers.delete(handle as number); }
  /** The next timer due by `until`, removed. */
  takeDue(until: number): { at: number; fn: () => void } | null {
    let best: [number, { at: number; fn: () => void }] | null = null;
    for (const entry of this.timers) if (entry[1].at <= until && (!best || entry[1].at < best[1].at)) best = entry;
    if (!best) return null;
    this.timers.delete(best[0]);
    return best[1];
  }
}

/** The IndexedDB store, with the time of every write it was asked for. */
function recordingStore(clock: FakeClock, base: WorldStore = indexedDbWorldStore) {
  const writes: number[] = [];
  const store: WorldStore = { ...base, write: (r) => { writes.push(clock.now()); return base.write(r); } };
  return { store, writes };
}

interface Setup {
  clock?: FakeClock;
  store?: WorldStore;
  policy?: Partial<SavePolicy>;
}

const running: EngineRuntime[] = [];

/** A worker's runtime, started as the worker starts it, driven through the protocol. */
async function start(setup: Setup = {}) {
  const clock = setup.clock ?? new FakeClock();
  const out: FromWorker[] = [];
  const runtime = await startRuntime({
    post: (m) => out.push(m), store: setup.store ?? indexedDbWorldStore, clock, newSeed: () => 7,
    defer: (fn) => fn(), policy: setup.policy,
  });
  running.push(runtime);
  runtime.announce();
  const connected = new Set<string>();
  let nextId = 1;

  /** Runs a command on a client (connected on first use); its reply bytes as text. */
  const cmd = (clientId: string, ...argv: string[]): string => {
    if (!connected.has(clientId)) {
      connected.add(clientId);
      runtime.handle(versioned({ type: 'connect', clientId }));
    }
    const before = out.length;
    runtime.handle(versioned({ type: 'send', clientId, bytes: encodeCommand(argv) }));
    return out.slice(before).filter((m) => m.type === 'data' && m.clientId === clientId)
      .map((m) => bytesToBinary((m as { bytes: Uint8Array }).bytes)).join('');
  };

  /** Sends a world request and waits for its answer. */
  const request = async (body: (id: number) => ToWorkerBody) => {
    const id = nextId++;
    runtime.handle(versioned(body(id)));
    await runtime.settled();
    const done = out.find((m) => m.type === 'world-done' && m.id === id);
    if (!done || done.type !== 'world-done') throw new Error('no answer');
    return done;
  };

  /** Moves wall-clock time (and the world's virtual time with it), firing timers and waiting for their saves. */
  const advance = async (ms: number) => {
    const until = clock.t + ms;
    for (let due = clock.takeDue(until); due; due = clock.takeDue(until)) {
      runtime.advance(due.at - clock.t);
      clock.t = due.at;
      due.fn();
      await runtime.settled();
    }
    runtime.advance(until - clock.t);
    clock.t = until;
  };

  const statuses = () => out.filter((m) => m.type === 'world-status').map((m) => (m as { status: WorldStatus }).status);
  const closed = () => out.filter((m) => m.type === 'closed').map((m) => (m as { clientId: string }).clientId);
  return { runtime, clock, out, cmd, request, advance, statuses, closed, status: () => runtime.worldStatus };
}

const saved = () => readRecord<SavedWorldRecord>('worlds', CURRENT_WORLD);

beforeEach(async () => {
  await clearSavedWorlds();
});

afterEach(() => {
  for (const r of running.splice(0)) r.dispose();
});

describe('autosave', () => {
  it('saves a second after the last change, not before; a new worker restores keys, TTLs and config', async () => {
    const clock = new FakeClock();
    const { store, writes } = recordingStore(clock);
    const a = await start({ clock, store });
    expect(a.statuses()).toEqual([{ origin: 'empty', restoredFrom: null, lastSavedAt: null, unsaved: false, saveError: null, loadError: null, lesson: null }]);
    expect(a.out.map((m) => m.type)).toEqual(['world-status', 'ready']);
    expect(a.cmd('c', 'SET', 'k', 'v', 'PX', '10000')).toBe('+OK\r\n');
    expect(a.cmd('c', 'HSET', 'h', 'f', '1')).toBe(':1\r\n');
    expect(a.cmd('c', 'CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru')).toBe('+OK\r\n');
    expect(a.status().unsaved).toBe(true);
    await a.advance(999);
    expect(writes).toEqual([]);
    expect(await saved()).toBeUndefined();
    await a.advance(1);
    expect(writes).toEqual([T0 + 1000]);
    expect(a.status()).toMatchObject({ unsaved: false, lastSavedAt: T0 + 1000, saveError: null });
    const record = await saved();
    expect(record).toMatchObject({ format: 'rediscope-saved-world', savedAt: T0 + 1000 });
    // Nothing changed since: no more saves, however long it stays quiet.
    await a.advance(60_000);
    expect(writes).toHaveLength(1);

    // A reload: the new worker starts from the save, its clock at the saved moment (PTTL 9000).
    const b = await start({ clock });
    expect(b.statuses()[0]).toEqual({ origin: 'restored', restoredFrom: T0 + 1000, lastSavedAt: T0 + 1000, unsaved: false, saveError: null, loadError: null, lesson: null });
    expect(b.cmd('c', 'GET', 'k')).toBe('$1\r\nv\r\n');
    expect(b.cmd('c', 'PTTL', 'k')).toBe(':9000\r\n');
    expect(b.cmd('c', 'HGET', 'h', 'f')).toBe('$1\r\n1\r\n');
    expect(b.cmd('c', 'CONFIG', 'GET', 'maxmemory-policy')).toBe('*2\r\n$16\r\nmaxmemory-policy\r\n$11\r\nallkeys-lru\r\n');
    // DEBUG is still the learner's.
    expect(b.cmd('c', 'DEBUG', 'SLEEP', '0')).toBe('+OK\r\n');
  });

  it('under continuous writes saves at most every 5 s; a config change alone is a change', async () => {
    const clock = new FakeClock();
    const { store, writes } = recordingStore(clock);
    const a = await start({ clock, store });
    for (let i = 0; i < 24; i++) {
      a.cmd('c', 'INCR', 'n');
      await a.advance(500);
    }
    // Writes from T0 to T0+11.5 s, one every 500 ms: saved 5 s after the first unsaved change.
    expect(writes).toEqual([T0 + 5000, T0 + 10_000]);
    await a.advance(1000);
    expect(writes).toEqual([T0 + 5000, T0 + 10_000, T0 + 12_500]);
    expect((await saved())!.savedAt).toBe(T0 + 12_500);
    a.cmd('c', 'CONFIG', 'SET', 'hz', '50');
    await a.advance(1000);
    expect(writes).toHaveLength(4);
    // Reads change nothing.
    a.cmd('c', 'GET', 'n');
    a.cmd('c', 'DBSIZE');
    await a.advance(10_000);
    expect(writes).toHaveLength(4);
  });

  it('a costly save slows the pace: quiet 2 x cost, and at most a tenth of the time spent saving', async () => {
    const clock = new FakeClock();
    const { store, writes } = recordingStore(clock);
    const a = await start({ clock, store });
    clock.monoStep = 2000; // every save now appears to hold the engine for 2 s
    a.cmd('c', 'SET', 'k', '1');
    await a.advance(1000);
    expect(writes).toEqual([T0 + 1000]);
    // Next change right away: quiet is now 4 s, and the next save waits 20 s after this one.
    for (let i = 0; i < 60; i++) {
      a.cmd('c', 'INCR', 'n');
      await a.advance(500);
    }
    expect(writes).toEqual([T0 + 1000, T0 + 21_000]);
    await a.advance(30_000);
    expect(writes).toEqual([T0 + 1000, T0 + 21_000, T0 + 41_000]);
  });

  it('DEBUG POPULATE, which leaves dirty alone as in Redis, is a change too', async () => {
    const clock = new FakeClock();
    const { store, writes } = recordingStore(clock);
    const a = await start({ clock, store });
    expect(a.cmd('c', 'DEBUG', 'POPULATE', '100')).toBe('+OK\r\n');
    expect(a.cmd('c', 'INFO', 'persistence')).toMatch(/rdb_changes_since_last_save:0\r\n/);
    await a.advance(1000);
    expect(writes).toEqual([T0 + 1000]);
    const b = await start({ clock });
    expect(b.cmd('c', 'DBSIZE')).toBe(':100\r\n');
  });

  it('a new network latency alone is a change, and comes back in the next worker', async () => {
    const clock = new FakeClock();
    const { store, writes } = recordingStore(clock);
    const a = await start({ clock, store });
    a.runtime.handle(versioned({ type: 'net-latency', ms: 40 }));
    await a.advance(1000);
    expect(writes).toEqual([T0 + 1000]);
    expect((await saved())?.snapshot.latencyMs).toBe(40);
    const again = recordingStore(clock);
    const b = await start({ clock, store: again.store });
    b.runtime.handle(versioned({ type: 'time-watch', enabled: true }));
    const times = b.out.filter((m) => m.type === 'time');
    expect(times.at(-1)).toMatchObject({ status: { latencyMs: 40 } });
    b.runtime.handle(versioned({ type: 'net-latency', ms: 40 }));
    await b.advance(5000);
    expect(again.writes).toEqual([]); // the latency it was restored with: nothing new to save
  });

  it('world-save saves at once when something changed, and answers', async () => {
    const clock = new FakeClock();
    const { store, writes } = recordingStore(clock);
    const a = await start({ clock, store });
    expect(await a.request((id) => ({ type: 'world-save', id }))).toMatchObject({ error: null });
    expect(writes).toEqual([]); // nothing to save
    a.cmd('c', 'SET', 'k', 'v');
    expect(await a.request((id) => ({ type: 'world-save', id }))).toMatchObject({ error: null });
    expect(writes).toEqual([T0]);
    expect(a.status().unsaved).toBe(false);
    await a.advance(10_000);
    expect(writes).toEqual([T0]);
  });

  it('a save the browser refuses is reported, and tried again later', async () => {
    const clock = new FakeClock();
    let accept = false;
    const { store, writes } = recordingStore(clock, { ...indexedDbWorldStore, write: async (r) => accept && indexedDbWorldStore.write(r) });
    const a = await start({ clock, store });
    a.cmd('c', 'SET', 'k', 'v');
    await a.advance(1000);
    expect(a.status()).toMatchObject({ unsaved: true, saveError: expect.stringMatching(/storage is full/) });
    const answer = await a.request((id) => ({ type: 'world-save', id }));
    expect(answer.error).toMatch(/did not store it/);
    accept = true;
    await a.advance(30_000);
    expect(writes.at(-1)).toBe(T0 + 31_000);
    expect(a.status()).toMatchObject({ unsaved: false, saveError: null, lastSavedAt: T0 + 31_000 });
    expect(await saved()).toBeDefined();
  });
});

describe('an unreadable save', () => {
  async function brokenStart(record: unknown) {
    await writeRecord('worlds', CURRENT_WORLD, record);
    const clock = new FakeClock();
    return start({ clock });
  }

  it('starts an empty world, says why, and keeps the record under another key', async () => {
    const record = { format: 'rediscope-saved-world', savedAt: T0 - 5000, snapshot: { format: 'rediscope-world', version: 1, seed: 1, savedAt: 5, servers: 'oops' } };
    const a = await brokenStart(record);
    const status = a.status();
    expect(status.origin).toBe('empty');
    expect(status.loadError!.message).toMatch(/^invalid world snapshot: servers: /);
    expect(status.loadError!.keptAs).toBe(`current.broken.${new Date(T0).toISOString()}`);
    expect(await readRecord('worlds', status.loadError!.keptAs!)).toEqual(record);
    expect(await saved()).toBeUndefined();
    expect(a.cmd('c', 'DBSIZE')).toBe(':0\r\n');
    // The next save does not touch the kept record.
    a.cmd('c', 'SET', 'k', 'v');
    await a.advance(1000);
    expect(await saved()).toBeDefined();
    expect(await readRecord('worlds', status.loadError!.keptAs!)).toEqual(record);
  });

  it('damaged RDB bytes, and a record of another kind, are refused alike', async () => {
    const world = createWorld(1, T0);
    const snapshot = snapshotWorld(world);
    snapshot.servers[0].rdb = binaryToBytes('REDIS0010\xfa\x05junk');
    const a = await brokenStart({ format: 'rediscope-saved-world', savedAt: T0, snapshot });
    expect(a.status().loadError!.message).toMatch(/^server 'main': /);
    const b = await brokenStart('hello');
    expect(b.status().loadError!.message).toBe('Error: the stored record is not a saved Rediscope world');
  });
});

describe('reset, export, import', () => {
  it('reset: every client closed, an empty world with the default config, saved', async () => {
    const a = await start();
    a.cmd('c1', 'SET', 'k', 'v');
    a.cmd('c1', 'CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru');
    a.cmd('c2', 'SUBSCRIBE', 'ch');
    expect(await a.request((id) => ({ type: 'world-reset', id }))).toMatchObject({ error: null });
    expect(a.closed().sort()).toEqual(['c1', 'c2']);
    expect(a.status()).toMatchObject({ origin: 'reset', unsaved: false, lastSavedAt: T0 });
    expect(a.cmd('c3', 'DBSIZE')).toBe(':0\r\n');
    expect(a.cmd('c3', 'CONFIG', 'GET', 'maxmemory-policy')).toBe('*2\r\n$16\r\nmaxmemory-policy\r\n$10\r\nnoeviction\r\n');
    expect(a.cmd('c3', 'PUBLISH', 'ch', 'x')).toBe(':0\r\n');
    const b = await start();
    expect(b.status().origin).toBe('restored');
    expect(b.cmd('c', 'DBSIZE')).toBe(':0\r\n');
  });

  it('export as a world file and as dump.rdb; importing either brings the keys back', async () => {
    const a = await start();
    a.cmd('c', 'SET', 'k', 'v');
    a.cmd('c', 'RPUSH', 'l', 'a', 'b');
    a.cmd('c', 'PEXPIRE', 'l', '60000');
    const file = (await a.request((id) => ({ type: 'world-export', id, format: 'world' }))).bytes!;
    expect(JSON.parse(new TextDecoder().decode(file))).toMatchObject({ format: 'rediscope-world', version: 1 });
    const rdb = (await a.request((id) => ({ type: 'world-export', id, format: 'rdb' }))).bytes!;
    expect(bytesToBinary(rdb.subarray(0, 9))).toBe('REDIS0010');

    const b = await start();
    b.cmd('c', 'SET', 'other', 'x');
    expect(await b.request((id) => ({ type: 'world-import', id, bytes: file }))).toMatchObject({ error: null });
    expect(b.closed()).toEqual(['c']);
    expect(b.status()).toMatchObject({ origin: 'imported', unsaved: false });
    expect(b.cmd('d', 'KEYS', '*').length).toBeGreaterThan(0);
    expect(b.cmd('d', 'EXISTS', 'other')).toBe(':0\r\n');
    expect(b.cmd('d', 'LRANGE', 'l', '0', '-1')).toBe('*2\r\n$1\r\na\r\n$1\r\nb\r\n');
    expect(b.cmd('d', 'PTTL', 'l')).toBe(':60000\r\n');

    expect(await b.request((id) => ({ type: 'world-import', id, bytes: rdb }))).toMatchObject({ error: null });
    expect(b.cmd('e', 'GET', 'k')).toBe('$1\r\nv\r\n');
    expect(b.cmd('e', 'DEBUG', 'SLEEP', '0')).toBe('+OK\r\n'); // a dump.rdb has no config: DEBUG allowed anyway
    // The imported world is the saved one now.
    const c = await start();
    expect(c.cmd('c', 'GET', 'k')).toBe('$1\r\nv\r\n');
  });

  it('a refused file changes nothing: the same keys, clients still connected, the save untouched', async () => {
    const a = await start();
    a.cmd('c', 'SET', 'k', 'v');
    await a.request((id) => ({ type: 'world-save', id }));
    const before = await saved();
    const garbage = [
      binaryToBytes('hello world'),
      binaryToBytes('{"format":"rediscope-world","version":1,"seed":1,"savedAt":0,"servers":[]}'),
      binaryToBytes('REDIS0010\xff'),
    ];
    const errors: (string | null)[] = [];
    for (const bytes of garbage) errors.push((await a.request((id) => ({ type: 'world-import', id, bytes }))).error);
    expect(errors[0]).toBe('not a Rediscope world file or an RDB file (neither JSON nor starting with "REDIS00")');
    expect(errors[1]).toBe('the world has no servers');
    expect(errors[2]).toEqual(expect.any(String));
    expect(a.closed()).toEqual([]);
    expect(a.cmd('c', 'GET', 'k')).toBe('$1\r\nv\r\n');
    expect(a.status()).toMatchObject({ origin: 'empty', unsaved: false });
    expect(await saved()).toEqual(before);
  });
});
