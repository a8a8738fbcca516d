// The UI's side of the world (EngineWorker's world status and requests) against a stand-in Worker
// that runs the worker's own runtime (startRuntime: load the save, then announce), over a store in
// memory: a crash brings the last save back, requests answer or fail with the reason.
import { afterEach, describe, expect, it } from 'vitest';
import { binaryToBytes } from '../../src/engine/bytes.ts';
import { EngineWorker } from '../../src/ui/engine/engineConnection.ts';
import { engineReady, MemoryStore, runtimeEngine } from '../support/runtimeWorker.ts';

let engine: EngineWorker | null = null;
afterEach(() => { engine?.dispose(); engine = null; });

function start(store = new MemoryStore()) {
  const e = runtimeEngine(store);
  engine = e;
  const worlds: (string | null)[] = [];
  e.onWorld((w) => worlds.push(w ? w.origin : null));
  const ready = () => engineReady(e);
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
