// zustand's persist middleware on an IndexedDB store (src/ui/storage/db.ts): the state is kept as a
// structured record ({ state, version }), and hydration is asynchronous, so a component that must
// not start with the defaults waits for `persist.hasHydrated()`.
import type { PersistStorage, StorageValue } from 'zustand/middleware';
import { deleteRecord, readRecord, writeRecord, type StoreName } from '../storage/db.ts';

/** localStorage if the page has one (not in Node, not when storage is blocked). */
export function webStorage(): { getItem(key: string): string | null; setItem(key: string, value: string): void; removeItem(key: string): void } | null {
  try {
    return (globalThis as { localStorage?: ReturnType<typeof webStorage> }).localStorage ?? null;
  } catch {
    return null; // a blocked storage throws on access
  }
}

/**
 * A persist storage writing to `store`. `legacyKey`: where an older version kept the same state in
 * localStorage (as zustand's JSON storage wrote it); read once when IndexedDB has nothing yet,
 * copied over, and removed from localStorage once the copy is stored.
 */
export function idbPersistStorage<S>(store: StoreName, legacyKey?: string): PersistStorage<S, Promise<void>> {
  return {
    async getItem(name) {
      const saved = await readRecord<StorageValue<S>>(store, name);
      if (saved !== undefined) return saved;
      if (legacyKey === undefined) return null;
      const local = webStorage();
      let legacy: StorageValue<S> | null = null;
      try {
        const parsed: unknown = JSON.parse(local?.getItem(legacyKey) ?? 'null');
        if (parsed !== null && typeof parsed === 'object' && 'state' in parsed) legacy = parsed as StorageValue<S>;
      } catch {
        legacy = null; // unreadable: as if there were nothing to migrate
      }
      if (legacy === null) return null;
      if (await writeRecord(store, name, legacy)) local?.removeItem(legacyKey);
      return legacy;
    },
    async setItem(name, value) {
      await writeRecord(store, name, value);
    },
    removeItem: (name) => deleteRecord(store, name),
  };
}
