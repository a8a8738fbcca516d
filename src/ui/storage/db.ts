// The app's IndexedDB database: what survives a reload. Small key-value stores, one per kind of
// state, so each part of the app reads and writes its own records without knowing the others.
// If IndexedDB is unavailable (private mode, blocked storage), reads find nothing and writes are
// dropped: the app still works, it just forgets on reload.
import { openDB, type IDBPDatabase } from 'idb';

export const DB_NAME = 'rediscope';
const DB_VERSION = 1;

/** settings: UI settings; histories: redis-cli history; worlds: saved worlds (the engine's state). */
export const STORES = ['settings', 'histories', 'worlds'] as const;
export type StoreName = typeof STORES[number];

let database: Promise<IDBPDatabase | null> | null = null;

function open(): Promise<IDBPDatabase | null> {
  database ??= openDB(DB_NAME, DB_VERSION, {
    upgrade(db) {
      for (const name of STORES) if (!db.objectStoreNames.contains(name)) db.createObjectStore(name);
    },
  }).catch(() => null);
  return database;
}

export async function readRecord<T>(store: StoreName, key: string): Promise<T | undefined> {
  const db = await open();
  try {
    return db ? ((await db.get(store, key)) as T | undefined) : undefined;
  } catch {
    return undefined;
  }
}

/** Resolves false when the record could not be stored (no IndexedDB, quota exceeded). */
export async function writeRecord(store: StoreName, key: string, value: unknown): Promise<boolean> {
  const db = await open();
  if (!db) return false;
  try {
    await db.put(store, value, key);
    return true;
  } catch {
    return false;
  }
}

export async function deleteRecord(store: StoreName, key: string): Promise<void> {
  const db = await open();
  try {
    await db?.delete(store, key);
  } catch {
    // nothing to do: a record we cannot delete will be overwritten by the next save
  }
}
