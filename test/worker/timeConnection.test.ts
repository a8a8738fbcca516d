// Time control from the UI's side (EngineWorker: onTime, setPlaying, step, seek) against a stand-in
// Worker running the worker's own runtime, and what the autosave makes of a rewind.
import { afterEach, describe, expect, it } from 'vitest';
import { restoreWorld } from '../../src/engine/persist/worldFile.ts';
import { EngineWorker } from '../../src/ui/engine/engineConnection.ts';
import type { TimeStatus } from '../../src/worker/protocol.ts';
import { engineReady, MemoryStore, runtimeEngine, type RuntimeWorker } from '../support/runtimeWorker.ts';

let engine: EngineWorker | null = null;
afterEach(() => { engine?.dispose(); engine = null; });

function start(store = new MemoryStore()) {
  const workers: RuntimeWorker[] = [];
  const e = runtimeEngine(store, workers);
  engine = e;
  const times: (TimeStatus | null)[] = [];
  const off = e.onTime((t) => times.push(t));
  const ready = () => engineReady(e);
  /** Resolves with the first status (from now on) that satisfies `ok`. */
  const until = (ok: (t: TimeStatus) => boolean) => new Promise<TimeStatus>((resolve) => {
    if (e.time && ok(e.time)) return resolve(e.time);
    const stop = e.onTime((t) => { if (t && ok(t)) { stop(); resolve(t); } });
  });
  /** Lets queued messages run. */
  const settle = async () => { for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 0)); };
  return { e, store, times, off, ready, until, settle, workers };
}

describe('EngineWorker: time control', () => {
  it('watching gives the status; paused, a command waits until play', async () => {
    const { e, ready, until, settle } = start();
    await ready();
    expect((await until(() => true)).playing).toBe(true);
    e.setPlaying(false);
    await until((t) => !t.playing);
    let reply: unknown = null;
    const call = e.call(['SET', 'k', 'v']).then((r) => { reply = r; });
    await settle();
    expect(reply).toBeNull();
    expect((await until((t) => t.waiting > 0)).waiting).toBe(2); // its connect, then the command
    e.setPlaying(true);
    await call;
    expect(reply).toEqual({ kind: 'status', text: 'OK' });
    expect(await until((t) => t.playing && t.waiting === 0 && t.commandCount >= 1)).toBeTruthy();
  });

  it('step and seek: one command at a time, then back to before it', async () => {
    const { e, ready, until, settle } = start();
    await ready();
    await e.call(['SET', 'k', '1']);
    e.setPlaying(false);
    const pending = e.call(['INCR', 'k']);
    await settle();
    e.step('command');
    expect(await pending).toEqual({ kind: 'integer', value: 2n });
    const after = await until((t) => t.commandCount === 2 && !t.playing);
    e.seek({ command: 1 }); // before INCR
    await until((t) => t.position < after.position);
    e.setPlaying(true);
    expect(await e.call(['GET', 'k'])).toEqual({ kind: 'bulk', text: '1' });
    const forked = await until((t) => t.forks.length === 1);
    expect(forked.forks[0].index).toBeLessThan(after.position);
  });

  it('a rewind counts as a change: the next save keeps the rewound world', async () => {
    const { e, ready, until, store } = start();
    await ready();
    await e.call(['SET', 'k', 'v']);
    await e.saveWorld();
    e.seek({ index: 0 });
    await until((t) => t.position === 0);
    await e.saveWorld();
    const world = restoreWorld(store.record!.snapshot);
    expect(world.servers.get('main')!.dbs[0].dict.size).toBe(0);
  });

  it('a restarted worker has a new history: the status goes null, then the new one comes', async () => {
    const { e, ready, until, times } = start();
    await ready();
    await e.call(['SET', 'k', 'v']);
    await until((t) => t.commandCount === 1);
    e.crash();
    await new Promise<void>((resolve) => {
      const stop = e.subscribe((s) => { if (s.state === 'restarting') { stop(); resolve(); } });
    });
    expect(times.at(-1)).toBeNull();
    await ready();
    expect(await until((t) => t.commandCount === 0)).toMatchObject({ position: expect.any(Number), forks: [] });
  });
});
