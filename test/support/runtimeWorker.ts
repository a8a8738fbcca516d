// A stand-in for the browser's Worker that runs the worker's own runtime (startRuntime) in the test's
// thread, as engine.worker.ts does: messages wait until the saved world has loaded, errors thrown
// while handling a message reach onerror. With EngineWorker it tests the UI's side of the protocol.
import { openDB } from 'idb';
import { EngineWorker } from '../../src/ui/engine/engineConnection.ts';
import { DB_NAME, readRecord } from '../../src/ui/storage/db.ts';
import type { FromWorker, ToWorker } from '../../src/worker/protocol.ts';
import { startRuntime, type EngineRuntime, type WallClock } from '../../src/worker/worldKeeper.ts';
import { CURRENT_WORLD, type SavedWorldRecord, type WorldStore } from '../../src/worker/worldStore.ts';

/** Saves kept in memory; set `held` to an array to make writes wait until its functions are called. */
export class MemoryStore implements WorldStore {
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
export const stillClock: WallClock = { now: () => 1_700_000_000_000, monotonic: () => 0, setTimeout: () => 0, clearTimeout: () => {} };

export class RuntimeWorker {
  onmessage: ((e: { data: FromWorker }) => void) | null = null;
  onerror: ((e: { message: string; preventDefault(): void }) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  runtime: EngineRuntime | null = null;
  private terminated = false;
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

/** An EngineWorker whose workers are RuntimeWorkers over `store` (each new one is pushed to `workers`). */
export function runtimeEngine(store: WorldStore, workers: RuntimeWorker[] = []): EngineWorker {
  return new EngineWorker({
    create: () => { const w = new RuntimeWorker(store); workers.push(w); return w; },
    pingIntervalMs: 60_000, scheduleFrame: (fn) => fn(),
  });
}

/** Resolves once the engine is ready (at once if it is). */
export function engineReady(e: EngineWorker): Promise<void> {
  return new Promise<void>((resolve) => {
    if (e.status.state === 'ready') return resolve();
    const off = e.subscribe((s) => { if (s.state === 'ready') { off(); resolve(); } });
  });
}

/** Empties the saved worlds in (fake) IndexedDB, after letting the app's module create the database. */
export async function clearSavedWorlds(): Promise<void> {
  await readRecord('worlds', CURRENT_WORLD);
  const db = await openDB(DB_NAME);
  await db.clear('worlds');
  db.close();
}
