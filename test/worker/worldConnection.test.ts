// The UI's side of the world (EngineWorker's world status and requests) against a stand-in Worker
// that runs the worker's own runtime (startRuntime: load the save, then announce), over a store in
// memory: a crash brings the last save back, requests answer or fail with the reason.
import { afterEach, describe, expect, it } from 'vitest';
import { binaryToBytes } from '../../src/engine/bytes.ts';
import { EngineWorker } from '../../src/ui/engine/engineConnection.ts';
import type { FromWorker, ToWorker } from '../../src/worker/protocol.ts';
import { startRuntime, type EngineRuntime, type WallClock } from '../../src/worker/worldKeeper.ts';
import type { SavedWorldRecord, WorldStore } from '../../src/worker/worldStore.ts';

/** Saves kept in memory; `hold` makes writes wait until released. */
class MemoryStore implements WorldStore {
  record: SavedWorldRecord | undefined;
  held: (() => void)[] | null = null;
  async read() { return this.record ? structuredClone(this.record) : undefined; }
  async write(record: SavedWorldRecord) {
    if (this.held) await new Promise<void>((r) => this.held!.push(r));
    this.record = structuredClone(record);
    return true;
  }
  async keepBroken() { return null; }
}

/** Timers that never fire: saves happen only when asked for. */
const stillClock: WallClock = { now: () => 1_700_000_000_000, monotonic: () => 0, setTimeout: () => 0, clearTimeout: () => {} };

/** A Worker running the worker's runtime; as in engine.worker.ts, messages wait until it has loaded. */
class RuntimeWorker {
  onmessage: ((e: { data: FromWorker }) => void) | null = null;
  onerror: ((e: { message: string; preventDefault(): void }) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  private terminated = false;
  private runtime: EngineRuntime | null = null;
  private readonly early: ToWorker[] = [];
  constructor(store: WorldStore) {
    void startRuntime({
      post: (m) => queueMicrotask(() => { if (!this.terminated) this.onmessage?.({ data: m }); }),
      store, clock: stillClock, newSeed: () => 1,
    }).then((r) => {
      this.runtime = r;
      r.announce();
      for (const m of this.early.splice(0)) this.handle(m);
    });
  }
  postMessage(m: ToWorker): void {
    queueMicrotask(() => { if (this.runtime) this.handle(m); else this.early.push(m); });
  }
  private handle(m: ToWorker): void {
    if (this.terminated) return;
    try { this.runtime!.handle(m); } catch (e) { this.onerror?.({ message: (e as Error).message, preventDefault() {} }); }
  }
  terminate(): void { this.terminated = true; this.runtime?.dispose(); }
}

let engine: EngineWorker | null = null;
afterEach(() => { engine?.dispose(); engine = null; });

function start(store = new MemoryStore()) {
  const e = new EngineWorker({ create: () => new RuntimeWorker(store), pingIntervalMs: 60_000, scheduleFrame: (fn) => fn() });
  engine = e;
  const worlds: (string | null)[] = [];
  e.onWorld((w) => worlds.push(w ? w.origin : null));
  const ready = () => new Promise<void>((resolve) => {
    if (e.status.state === 'ready') return resolve();
    const off = e.subscribe((s) => { if (s.state === 'ready') { off(); resolve(); } });
  });
  return { e, store, worlds, ready };
}

describe('EngineWorker and the world', () => {
  it('reports the world before ready; a crash brings back the last save, not what came after', async () => {
    const { e, store, worlds, ready } = start();
    await ready();
    expect(e.world).toMatchObject({ origin: 'empty', lastSavedAt: null, unsaved: false });
    expect(await e.call(['SET', 'k', 'saved'])).toEqual({ kind: 'status', text: 'OK' });
    expect(e.world!.unsaved).toBe(true);
    await e.saveWorld();
    expect(e.world).toMatchObject({ unsaved: false, lastSavedAt: 1_700_000_000_000 });
    expect(store.record).toBeDefined();
    await e.call(['SET', 'k', 'not saved']);
    const states: string[] = [];
    const restarted = new Promise<void>((resolve) => e.subscribe((s) => {
      states.push(s.state);
      if (s.restarts === 1 && s.state === 'ready') resolve();
    }));
    e.crash();
    await restarted;
    expect(states).toEqual(['restarting', 'ready']);
    expect(e.world).toMatchObject({ origin: 'restored', restoredFrom: 1_700_000_000_000 });
    // Between the two workers, no world: the fresh one reports its own before it is ready.
    expect(worlds.filter((w, i) => i === 0 || w !== worlds[i - 1])).toEqual(['empty', null, 'restored']);
    expect(await e.call(['GET', 'k'])).toEqual({ kind: 'bulk', text: 'saved' });
  });

  it('a request waiting when the worker dies fails with why', async () => {
    const { e, store, ready } = start();
    await ready();
    await e.call(['SET', 'k', 'v']);
    store.held = [];
    const saving = e.saveWorld();
    await new Promise((r) => setTimeout(r, 0));
    e.crash();
    await expect(saving).rejects.toThrow('the engine restarted');
  });

  it('export, import (refused with the reason, or done), reset', async () => {
    const { e, ready } = start();
    await ready();
    await e.call(['SET', 'k', 'v']);
    const file = await e.exportWorld('world');
    expect(JSON.parse(new TextDecoder().decode(file)).format).toBe('rediscope-world');
    await expect(e.importWorld(binaryToBytes('{}'))).rejects.toThrow(/^invalid world file: /);
    expect(await e.call(['GET', 'k'])).toEqual({ kind: 'bulk', text: 'v' });
    await e.resetWorld();
    expect(e.world!.origin).toBe('reset');
    expect(await e.call(['DBSIZE'])).toEqual({ kind: 'integer', value: 0n });
    await e.importWorld(file);
    expect(e.world!.origin).toBe('imported');
    expect(await e.call(['GET', 'k'])).toEqual({ kind: 'bulk', text: 'v' });
  });
});
