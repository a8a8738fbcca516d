// The list of terminals: kept in IndexedDB (fake-indexeddb here), moved over once from the
// localStorage record of version 1 (which had no client numbers).
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTerminalsStore, LEGACY_TERMINALS_KEY, MAX_TERMINALS, TERMINALS_RECORD } from '../../../src/ui/state/terminals.ts';
import { deleteRecord, readRecord, writeRecord } from '../../../src/ui/storage/db.ts';
import { fakeLocalStorage } from '../../support/fakeLocalStorage.ts';

async function load() {
  const store = createTerminalsStore();
  expect(store.getState().hydrated).toBe(false);
  await vi.waitFor(() => expect(store.getState().hydrated).toBe(true));
  return store;
}

let local: ReturnType<typeof fakeLocalStorage>;

beforeEach(async () => {
  await deleteRecord('settings', TERMINALS_RECORD);
  local = fakeLocalStorage();
  vi.stubGlobal('localStorage', local);
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('terminals store', () => {
  it('starts with client 1, focused', async () => {
    const store = await load();
    expect(store.getState().terminals).toEqual([{ id: 't1', number: 1, name: 'client 1', wire: false }]);
    expect(store.getState().focusId).toBe('t1');
  });

  it('keeps the clients, their numbers and wire views across a reload; the first gets the focus', async () => {
    const store = await load();
    const { add, remove, toggleWire } = store.getState();
    add();
    add();
    expect(store.getState().focusId).toBe('t3');
    remove('t1');
    toggleWire('t3');
    await vi.waitFor(async () => expect(await readRecord('settings', TERMINALS_RECORD)).toMatchObject({ version: 2, state: { nextNumber: 4, terminals: [{ id: 't2' }, { id: 't3', wire: true }] } }));
    const reloaded = await load();
    expect(reloaded.getState().terminals).toEqual([
      { id: 't2', number: 2, name: 'client 2', wire: false },
      { id: 't3', number: 3, name: 'client 3', wire: true },
    ]);
    expect(reloaded.getState().focusId).toBe('t2');
    reloaded.getState().add();
    expect(reloaded.getState().terminals.at(-1)).toMatchObject({ id: 't4', name: 'client 4' });
  });

  it(`has at most ${MAX_TERMINALS} and at least one`, async () => {
    const store = await load();
    for (let i = 0; i < MAX_TERMINALS + 2; i++) store.getState().add();
    expect(store.getState().terminals).toHaveLength(MAX_TERMINALS);
    for (const t of store.getState().terminals) store.getState().remove(t.id);
    expect(store.getState().terminals).toHaveLength(1);
  });

  it("moves version 1's localStorage list over once, numbering its clients", async () => {
    local.setItem(LEGACY_TERMINALS_KEY, JSON.stringify({
      state: { terminals: [{ id: 't1', name: 'client 1', wire: false }, { id: 't5', name: 'client 5', wire: true }], nextNumber: 6 },
      version: 1,
    }));
    const store = await load();
    expect(store.getState().terminals).toEqual([
      { id: 't1', number: 1, name: 'client 1', wire: false },
      { id: 't5', number: 5, name: 'client 5', wire: true },
    ]);
    expect(store.getState().nextNumber).toBe(6);
    expect(local.items.has(LEGACY_TERMINALS_KEY)).toBe(false);
    await vi.waitFor(async () => expect(await readRecord('settings', TERMINALS_RECORD)).toMatchObject({ version: 2 }));
    expect((await load()).getState().terminals.map((t) => t.number)).toEqual([1, 5]);
  });

  it('ignores a damaged record: the page still has a client', async () => {
    await writeRecord('settings', TERMINALS_RECORD, { state: { terminals: [], nextNumber: 3 }, version: 2 });
    const store = await load();
    expect(store.getState().terminals.map((t) => t.id)).toEqual(['t1']);
  });
});
