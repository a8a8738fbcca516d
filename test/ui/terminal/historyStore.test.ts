// redis-cli's history in IndexedDB (fake-indexeddb here): read once before the terminals start,
// saved in order (the last save wins), moved over once from the localStorage of older versions.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HISTORY_RECORD, LEGACY_HISTORY_KEY, SavedHistory } from '../../../src/ui/terminal/historyStore.ts';
import { deleteRecord, readRecord, writeRecord } from '../../../src/ui/storage/db.ts';
import { CliHost } from '../../../src/ui/terminal/cliHost.ts';
import { KEYS } from '../../../src/ui/terminal/lineEditor.ts';
import { staticCommandHelp } from '../../../src/ui/terminal/staticCommandDocs.ts';
import { bytesToBinary } from '../../../src/engine/bytes.ts';
import { InProcessEngine } from '../../support/inProcessEngine.ts';
import { fakeLocalStorage } from '../../support/fakeLocalStorage.ts';

/** A page load: the history as the terminals will find it. */
async function load(): Promise<SavedHistory> {
  const h = new SavedHistory();
  await h.preload();
  return h;
}

let local: ReturnType<typeof fakeLocalStorage>;

beforeEach(async () => {
  await deleteRecord('histories', HISTORY_RECORD);
  local = fakeLocalStorage();
  vi.stubGlobal('localStorage', local);
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('saved redis-cli history', () => {
  it('is empty at first, and what is saved is there after a reload', async () => {
    const h = await load();
    expect(h.loaded).toBe(true);
    expect(h.load()).toEqual([]);
    h.save(['SET a 1', 'GET a']);
    expect(h.load()).toEqual(['SET a 1', 'GET a']);
    await h.flushed();
    expect(await readRecord('histories', HISTORY_RECORD)).toEqual(['SET a 1', 'GET a']);
    expect((await load()).load()).toEqual(['SET a 1', 'GET a']);
  });

  it('is not loaded before preload, and preload reads once', async () => {
    await writeRecord('histories', HISTORY_RECORD, ['PING']);
    const h = new SavedHistory();
    expect(h.loaded).toBe(false);
    const first = h.preload();
    expect(h.preload()).toBe(first);
    await first;
    expect(h.load()).toEqual(['PING']);
  });

  it('gives copies: a client changing its lines does not change the saved ones', async () => {
    const h = await load();
    const lines = ['ECHO x'];
    h.save(lines);
    lines.push('ECHO y');
    const loaded = h.load();
    loaded.push('ECHO z');
    expect(h.load()).toEqual(['ECHO x']);
  });

  it('writes saves in order: the last one wins, as with one history file', async () => {
    const h = await load();
    for (let i = 1; i <= 30; i++) h.save(Array.from({ length: i }, (_, j) => `INCR n${j}`));
    h.save(['ONLY this']);
    await h.flushed();
    expect(await readRecord('histories', HISTORY_RECORD)).toEqual(['ONLY this']);
    expect((await load()).load()).toEqual(['ONLY this']);
  });

  it('moves a localStorage history over once', async () => {
    local.setItem(LEGACY_HISTORY_KEY, JSON.stringify(['SET old 1', 42, 'GET old']));
    const h = await load();
    expect(h.load()).toEqual(['SET old 1', 'GET old']);
    expect(await readRecord('histories', HISTORY_RECORD)).toEqual(['SET old 1', 'GET old']);
    expect(local.items.has(LEGACY_HISTORY_KEY)).toBe(false);
    // Once IndexedDB has it, localStorage is not read again.
    h.save(['NEW']);
    await h.flushed();
    local.setItem(LEGACY_HISTORY_KEY, JSON.stringify(['STALE']));
    expect((await load()).load()).toEqual(['NEW']);
  });

  it('ignores a damaged localStorage history, and a damaged record', async () => {
    local.setItem(LEGACY_HISTORY_KEY, '["unterminated');
    expect((await load()).load()).toEqual([]);
    await writeRecord('histories', HISTORY_RECORD, { not: 'a list' });
    local.items.clear();
    expect((await load()).load()).toEqual([]);
  });

  it('keeps a save made before the read finished', async () => {
    await writeRecord('histories', HISTORY_RECORD, ['OLDER']);
    const h = new SavedHistory();
    const reading = h.preload();
    h.save(['NEWER']);
    await reading;
    expect(h.load()).toEqual(['NEWER']);
    await h.flushed();
    expect(await readRecord('histories', HISTORY_RECORD)).toEqual(['NEWER']);
  });

  it('is the history redis-cli finds after a reload: Up recalls the last command', async () => {
    const engine = new InProcessEngine();
    const start = (history: SavedHistory) => {
      let out = '';
      const host = new CliHost({
        connector: engine,
        surface: { write: (b) => { out += bytesToBinary(b); }, cols: 120 },
        history,
        fallbackHelp: () => staticCommandHelp(),
        loadFallbackHelp: async () => staticCommandHelp(),
      });
      host.start();
      return { host, out: () => out };
    };
    const before = await load();
    const first = start(before);
    await engine.settle();
    first.host.input('SET k v\r');
    await engine.settle();
    first.host.input('GET k\r');
    await engine.settle();
    first.host.dispose();
    await before.flushed();

    const second = start(await load());
    await engine.settle();
    second.host.input(KEYS.up);
    await engine.settle();
    expect(second.out()).toContain('GET k');
    expect(second.out()).not.toContain('SET k v');
  });
});
