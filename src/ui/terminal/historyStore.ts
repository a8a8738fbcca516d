// redis-cli's history file (~/.rediscli_history), kept in IndexedDB ('histories' store). Like the
// file it is one history for every client: each redis-cli loads it when it starts and writes its
// whole history back after each line, so the last one to write wins.
//
// CliHost reads and writes it synchronously, as redis-cli does its file, so the saved history is
// read once (`preload()`) before any terminal starts and kept in memory; every save updates that
// copy at once and is written to IndexedDB in order behind it. Other tabs of the app hear of each
// save, so a redis-cli started there later loads it, as it would load the file.
import { readRecord, writeRecord } from '../storage/db.ts';
import { webStorage } from '../state/persistInIdb.ts';
import type { HistoryStore } from './cliHost.ts';

/** The record's key in the 'histories' store. */
export const HISTORY_RECORD = 'redis-cli';
/** Where an older version kept the history in localStorage (moved to IndexedDB once). */
export const LEGACY_HISTORY_KEY = 'rediscope.cli-history';
const CHANNEL = 'rediscope.cli-history';

/** The part of BroadcastChannel used here (typed by hand: this module is also type-checked without the DOM). */
interface Channel {
  postMessage(data: unknown): void;
  onmessage: ((ev: { data: unknown }) => void) | null;
}

function historyLines(saved: unknown): string[] | null {
  return Array.isArray(saved) ? saved.filter((l): l is string => typeof l === 'string') : null;
}

function legacyHistory(): string[] | null {
  try {
    const saved = webStorage()?.getItem(LEGACY_HISTORY_KEY);
    return saved == null ? null : historyLines(JSON.parse(saved));
  } catch {
    return null; // unreadable: as a history file that cannot be parsed, start without it
  }
}

export class SavedHistory implements HistoryStore {
  private lines: string[] = [];
  private loading: Promise<void> | null = null;
  private loadedFlag = false;
  /** Saved before the load finished: the load must not overwrite it. */
  private savedEarly = false;
  private writes: Promise<unknown> = Promise.resolve();
  private channel: Channel | null = null;

  /** Reads the saved history (once; later calls wait for the same read). */
  preload(): Promise<void> {
    this.loading ??= this.read();
    return this.loading;
  }

  get loaded(): boolean {
    return this.loadedFlag;
  }

  private async read(): Promise<void> {
    let lines = historyLines(await readRecord<unknown>('histories', HISTORY_RECORD));
    if (lines === null) {
      // First start with IndexedDB: bring over the history localStorage had, then drop it there.
      lines = legacyHistory();
      if (lines !== null && await writeRecord('histories', HISTORY_RECORD, lines)) webStorage()?.removeItem(LEGACY_HISTORY_KEY);
    }
    if (!this.savedEarly) this.lines = lines ?? [];
    this.loadedFlag = true;
    this.listen();
  }

  load(): string[] {
    return [...this.lines];
  }

  save(lines: readonly string[]): void {
    const copy = [...lines];
    this.lines = copy;
    if (!this.loadedFlag) this.savedEarly = true;
    // IndexedDB may be unavailable or full: redis-cli ignores a history file it cannot write, too.
    this.writes = this.writes.then(() => writeRecord('histories', HISTORY_RECORD, copy));
    this.channel?.postMessage(copy);
  }

  /** Resolves when every save so far has reached IndexedDB (or failed to). */
  async flushed(): Promise<void> {
    await this.writes;
  }

  /** Other tabs' saves (a browser page only: Node's BroadcastChannel would keep a test process alive). */
  private listen(): void {
    const page = globalThis as unknown as { window?: unknown; BroadcastChannel?: new (name: string) => Channel };
    if (this.channel || page.window === undefined || page.BroadcastChannel === undefined) return;
    this.channel = new page.BroadcastChannel(CHANNEL);
    this.channel.onmessage = (ev) => {
      const lines = historyLines(ev.data);
      if (lines) this.lines = lines;
    };
  }
}

/** The page's one history, shared by every terminal. */
export const sharedHistory = new SavedHistory();
