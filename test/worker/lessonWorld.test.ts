// Lesson worlds and the sandbox (worldKeeper's 'world-lesson'): a lesson's starting world replaces
// the learner's own, which is kept in IndexedDB (fake-indexeddb here) first and comes back when the
// lessons are left; a reload inside a lesson restores the lesson's world and says which lesson it
// is; rewinding stops at the lesson's start; reset and import wait while a lesson runs; and
// 'time-skip' lets virtual time pass at once.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bytesToBinary } from '../../src/engine/bytes.ts';
import { encodeCommand } from '../../src/ui/engine/engineConnection.ts';
import { readRecord } from '../../src/ui/storage/db.ts';
import { versioned, type FromWorker, type LessonSetup, type ToWorkerBody, type WorldStatus } from '../../src/worker/protocol.ts';
import { LESSON_RUNNING, startRuntime, type EngineRuntime, type WallClock } from '../../src/worker/worldKeeper.ts';
import { CURRENT_WORLD, indexedDbWorldStore, SANDBOX_WORLD, type SavedWorldRecord, type WorldStore } from '../../src/worker/worldStore.ts';
import { clearSavedWorlds } from '../support/runtimeWorker.ts';

const T0 = 1_700_000_000_000;

/** Wall-clock time that moves only when the test says; timers are never due (saves come from requests). */
const clock: WallClock = {
  now: () => T0,
  monotonic: () => 0,
  setTimeout: () => 0,
  clearTimeout: () => {},
};

const running: EngineRuntime[] = [];

async function start(store: WorldStore = indexedDbWorldStore) {
  const out: FromWorker[] = [];
  const runtime = await startRuntime({ post: (m) => out.push(m), store, clock, newSeed: () => 7, defer: (fn) => fn() });
  running.push(runtime);
  runtime.announce();
  let nextClient = 1;
  let nextId = 1;
  const send = (body: ToWorkerBody) => runtime.handle(versioned(body));

  /** Runs a command on a fresh connection; its reply bytes as text. */
  const cmd = (...argv: string[]): string => {
    const clientId = `t${nextClient++}`;
    send({ type: 'connect', clientId });
    const before = out.length;
    send({ type: 'send', clientId, bytes: encodeCommand(argv) });
    const reply = out.slice(before).filter((m) => m.type === 'data' && m.clientId === clientId)
      .map((m) => bytesToBinary((m as { bytes: Uint8Array }).bytes)).join('');
    send({ type: 'disconnect', clientId });
    return reply;
  };

  const request = async (body: (id: number) => ToWorkerBody) => {
    const id = nextId++;
    send(body(id));
    await runtime.settled();
    const done = out.find((m) => m.type === 'world-done' && m.id === id);
    if (!done || done.type !== 'world-done') throw new Error('no answer');
    return done.error;
  };
  const lesson = (id: string, setup: LessonSetup) => request((rid) => ({ type: 'world-lesson', id: rid, lesson: { id, setup } }));
  const sandbox = () => request((rid) => ({ type: 'world-lesson', id: rid, lesson: null }));
  return { runtime, out, send, cmd, request, lesson, sandbox, status: (): WorldStatus => runtime.worldStatus };
}

const SETUP: LessonSetup = { seed: 3, commands: ['SET visits 0', 'RPUSH queue a b'], config: { 'hash-max-listpack-entries': '4' } };

beforeEach(async () => {
  await clearSavedWorlds();
});

afterEach(() => {
  for (const r of running.splice(0)) r.dispose();
});

describe('lesson worlds', () => {
  it('keeps the sandbox aside, runs the lesson world, and brings the sandbox back when leaving', async () => {
    const w = await start();
    expect(w.cmd('SET', 'mine', 'precious')).toBe('+OK\r\n');
    w.send({ type: 'connect', clientId: 'term' });

    expect(await w.lesson('first-keys', SETUP)).toBeNull();
    expect(w.status()).toMatchObject({ origin: 'lesson', lesson: 'first-keys', unsaved: false });
    // Its terminal's connection went with the old world.
    expect(w.out.some((m) => m.type === 'closed' && m.clientId === 'term')).toBe(true);
    expect(w.cmd('GET', 'mine')).toBe('$-1\r\n');
    expect(w.cmd('GET', 'visits')).toBe('$1\r\n0\r\n');
    expect(w.cmd('CONFIG', 'GET', 'hash-max-listpack-entries')).toBe('*2\r\n$25\r\nhash-max-listpack-entries\r\n$1\r\n4\r\n');
    // The sandbox is stored, and the current save is the lesson's world, marked as such.
    const kept = await readRecord<SavedWorldRecord>('worlds', SANDBOX_WORLD);
    expect(kept?.format).toBe('rediscope-saved-world');
    expect(kept?.lesson).toBeUndefined();
    expect((await readRecord<SavedWorldRecord>('worlds', CURRENT_WORLD))?.lesson).toBe('first-keys');

    expect(w.cmd('SET', 'greeting', 'hello')).toBe('+OK\r\n');
    expect(await w.sandbox()).toBeNull();
    expect(w.status()).toMatchObject({ origin: 'sandbox', lesson: null, loadError: null });
    expect(w.cmd('GET', 'mine')).toBe('$8\r\nprecious\r\n');
    expect(w.cmd('EXISTS', 'greeting', 'visits')).toBe(':0\r\n');
    // Forgotten once the sandbox is the saved current world again.
    expect(await readRecord('worlds', SANDBOX_WORLD)).toBeUndefined();
    expect((await readRecord<SavedWorldRecord>('worlds', CURRENT_WORLD))?.lesson).toBeUndefined();
    // Leaving again is nothing to do.
    expect(await w.sandbox()).toBeNull();
    expect(w.cmd('GET', 'mine')).toBe('$8\r\nprecious\r\n');
  });

  it('from one lesson to another (or the same again) keeps the sandbox kept at the start', async () => {
    const w = await start();
    w.cmd('SET', 'mine', '1');
    await w.lesson('a', SETUP);
    w.cmd('SET', 'in-lesson-a', '1');
    await w.lesson('b', { commands: ['SET b 1'] });
    expect(w.status().lesson).toBe('b');
    expect(w.cmd('EXISTS', 'in-lesson-a', 'visits', 'b')).toBe(':1\r\n');
    await w.lesson('b', { commands: ['SET b 1'] }); // reset: the starting world again
    expect(w.cmd('EXISTS', 'b')).toBe(':1\r\n');
    await w.sandbox();
    expect(w.cmd('EXISTS', 'mine', 'in-lesson-a', 'b')).toBe(':1\r\n');
  });

  it('a reload inside a lesson comes back to the lesson and its world', async () => {
    const a = await start();
    a.cmd('SET', 'mine', '1');
    await a.lesson('first-keys', SETUP);
    a.cmd('INCR', 'visits');
    expect(await a.request((id) => ({ type: 'world-save', id }))).toBeNull();
    a.runtime.dispose();

    const b = await start();
    expect(b.status()).toMatchObject({ origin: 'restored', lesson: 'first-keys' });
    expect(b.cmd('GET', 'visits')).toBe('$1\r\n1\r\n');
    // Still able to leave, to the sandbox kept before the lesson.
    await b.sandbox();
    expect(b.cmd('GET', 'mine')).toBe('$1\r\n1\r\n');
  });

  it('rewinding goes back to the lesson start, never into the sandbox before it', async () => {
    const w = await start();
    w.cmd('SET', 'mine', '1');
    await w.lesson('first-keys', SETUP);
    w.cmd('INCR', 'visits');
    w.send({ type: 'time-seek', target: { index: 0 } });
    w.send({ type: 'time-play', playing: true });
    expect(w.cmd('GET', 'visits')).toBe('$1\r\n0\r\n');
    expect(w.cmd('EXISTS', 'mine')).toBe(':0\r\n');
  });

  it('reset and import wait while a lesson runs; the lesson world is untouched', async () => {
    const w = await start();
    await w.lesson('first-keys', SETUP);
    expect(await w.request((id) => ({ type: 'world-reset', id }))).toBe(LESSON_RUNNING);
    expect(await w.request((id) => ({ type: 'world-import', id, bytes: new Uint8Array([1, 2, 3]) }))).toBe(LESSON_RUNNING);
    expect(w.status().lesson).toBe('first-keys');
    expect(w.cmd('GET', 'visits')).toBe('$1\r\n0\r\n');
  });

  it('refuses, changing nothing, when the sandbox cannot be kept or the setup fails', async () => {
    const noKeeper: WorldStore = { ...indexedDbWorldStore, sandbox: undefined };
    const a = await start(noKeeper);
    a.cmd('SET', 'mine', '1');
    expect(await a.lesson('x', SETUP)).toMatch(/keep the sandbox/);
    a.runtime.dispose();

    const full: WorldStore = { ...indexedDbWorldStore, sandbox: { ...indexedDbWorldStore.sandbox!, write: async () => false } };
    const b = await start(full);
    b.cmd('SET', 'mine', '1');
    expect(await b.lesson('x', SETUP)).toMatch(/sandbox world could not be kept/);
    expect(b.status().lesson).toBeNull();
    expect(b.cmd('GET', 'mine')).toBe('$1\r\n1\r\n');

    expect(await b.lesson('x', { commands: ['NOSUCHCOMMAND'] })).toMatch(/could not be built.*NOSUCHCOMMAND/s);
    expect(b.status().lesson).toBeNull();
    expect(b.cmd('GET', 'mine')).toBe('$1\r\n1\r\n');
  });
});

describe('time-skip', () => {
  it('lets virtual time pass at once: a key with a TTL expires', async () => {
    const w = await start();
    w.cmd('SET', 'k', 'v', 'PX', '1000');
    w.send({ type: 'time-skip', ms: 999 });
    expect(w.cmd('EXISTS', 'k')).toBe(':1\r\n');
    w.send({ type: 'time-skip', ms: 2 });
    expect(w.cmd('EXISTS', 'k')).toBe(':0\r\n');
    // Nonsense is ignored.
    w.send({ type: 'time-skip', ms: Number.NaN });
    w.send({ type: 'time-skip', ms: -5 });
    expect(w.cmd('PING')).toBe('+PONG\r\n');
  });
});
