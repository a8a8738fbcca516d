// Where the world is saved between visits: the 'worlds' store of the app's IndexedDB database
// (src/ui/storage/db.ts, which needs no DOM, so the worker uses it directly). One record, 'current',
// holds the last saved world; a record that can no longer be loaded is moved aside rather than lost.
import type { WorldSnapshot } from '../engine/persist/worldFile.ts';
import { deleteRecord, readRecord, writeRecord } from '../ui/storage/db.ts';

/** The key of the saved world. */
export const CURRENT_WORLD = 'current';
/** Prefix of the keys unreadable saves are kept under (followed by when they were moved aside). */
export const BROKEN_WORLD_PREFIX = 'current.broken.';
/** The key the learner's own world (the sandbox) is kept under while a lesson's world runs. */
export const SANDBOX_WORLD = 'sandbox';

/** What is stored: the engine's snapshot (kept as a structured clone, RDB bytes and all) and when. */
export interface SavedWorldRecord {
  format: 'rediscope-saved-world';
  /** Wall-clock ms at which the snapshot was taken (the world's own clock may differ). */
  savedAt: number;
  snapshot: WorldSnapshot;
  /** The lesson whose world this is (absent: the learner's own world). */
  lesson?: string;
}

/** The storage the world keeper needs; IndexedDB in the app, anything alike in a test. */
export interface WorldStore {
  /** The saved record, exactly as stored (it may be anything: an older format, damage), or undefined. */
  read(): Promise<unknown>;
  /** Resolves false when it could not be stored (no IndexedDB, quota exceeded). */
  write(record: SavedWorldRecord): Promise<boolean>;
  /**
   * Moves an unreadable record aside so a new save cannot overwrite it; resolves with the key it
   * is kept under, or null if it could not be copied (then it stays where it is).
   */
  keepBroken(record: unknown, at: number): Promise<string | null>;
  /**
   * Where the sandbox is kept while a lesson runs (absent: lessons cannot be opened). `write`
   * resolves false when it could not be stored; `drop` forgets it once it is running again.
   */
  sandbox?: {
    read(): Promise<unknown>;
    write(record: SavedWorldRecord): Promise<boolean>;
    drop(): Promise<void>;
  };
}

export function isSavedWorldRecord(x: unknown): x is SavedWorldRecord {
  const r = x as Partial<SavedWorldRecord> | null;
  return typeof r === 'object' && r !== null && r.format === 'rediscope-saved-world' &&
    typeof r.savedAt === 'number' && typeof r.snapshot === 'object' && r.snapshot !== null;
}

/** The store in the app's IndexedDB database. */
export const indexedDbWorldStore: WorldStore = {
  read: () => readRecord<unknown>('worlds', CURRENT_WORLD),
  write: (record) => writeRecord('worlds', CURRENT_WORLD, record),
  async keepBroken(record, at) {
    const key = `${BROKEN_WORLD_PREFIX}${new Date(at).toISOString()}`;
    if (!(await writeRecord('worlds', key, record))) return null;
    await deleteRecord('worlds', CURRENT_WORLD);
    return key;
  },
  sandbox: {
    read: () => readRecord<unknown>('worlds', SANDBOX_WORLD),
    write: (record) => writeRecord('worlds', SANDBOX_WORLD, record),
    drop: () => deleteRecord('worlds', SANDBOX_WORLD),
  },
};
