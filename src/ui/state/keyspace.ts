// The keyspace overview's state, apart from React so it can be tested without a page: which db and
// filter are chosen (a zustand store, so other parts of the app can point the panel at a key), and
// a watcher that keeps a snapshot of that db fresh as the engine's events come in.
//
// Refreshing: an event touching any db (or a burst the stream had to drop) asks for a new
// snapshot. Events already arrive at most once per animation frame; on top of that one query is
// in flight at a time, and the next waits at least twice as long as the last one took, so a huge
// keyspace (DEBUG POPULATE 1000000: a query walks every key) never keeps the worker busy with
// queries. While a TTL is shown, a slow periodic refresh picks up what time does.
import { create } from 'zustand';
import { reprBytes, utf8ToBinary } from '../../engine/bytes.ts';
import type { KeyspaceQuery, KeyspaceSnapshot } from '../../engine/trace/keyspace.ts';
import type { EventBatch } from '../engine/engineConnection.ts';
import { PacedWatcher } from '../engine/pacedWatcher.ts';
import { browserClock, type WatcherClock } from '../engine/queryPacer.ts';

/** Keys one snapshot describes at most; the rest are counted ("N more keys not shown"). */
export const KEYSPACE_LIMIT = 200;
/** How long a changed key's row stays highlighted (ms). */
export const FLASH_MS = 1200;
/** How often the snapshot is re-read while any key shown has a TTL (ms). */
export const TTL_REFRESH_MS = 2000;
/** Keys remembered as recently changed, at most (a burst only needs the ones in view). */
const MAX_FLASHES = 2000;
/** Commands that change keys without firing keyspace events (FLUSHALL, SWAPDB ...). */
const SILENT_WRITES = new Set(['flushdb', 'flushall', 'swapdb', 'debug']);

// --- the chosen db and filter ---------------------------------------------------------------------

export interface KeyspacePanelState {
  db: number;
  /** What the filter box holds (text, or a glob when it has * ? or [). */
  filter: string;
  setDb(db: number): void;
  setFilter(filter: string): void;
}

export const useKeyspacePanel = create<KeyspacePanelState>()((set) => ({
  db: 0,
  filter: '',
  setDb: (db) => set({ db }),
  setFilter: (filter) => set({ filter }),
}));

/** Escapes glob specials so text matches only itself. */
function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

/**
 * The filter box's text as a glob on the key's bytes (its UTF-8): used as written when it has a
 * glob special (* ? [), else as a substring. Null: no filter.
 */
export function filterToPattern(text: string): string | null {
  if (text === '') return null;
  const bytes = utf8ToBinary(text);
  return /[*?[]/.test(text) ? bytes : `*${escapeGlob(bytes)}*`;
}

// --- formatting -----------------------------------------------------------------------------------

/**
 * A key as the panel shows it: as is when it is plain printable ASCII, else quoted with escapes as
 * redis-cli prints it ("\xe4\xb8\xad", "a b").
 */
export function displayKey(key: string): string {
  return key !== '' && /^[\x21-\x7e]*$/.test(key) && !/["\\]/.test(key) ? key : reprBytes(key);
}

export interface TimeUnits { d: string; h: string; m: string; s: string }

/**
 * A TTL for display: tenths of a second under a minute ("9.5s"), then the two largest units
 * ("1m 05s", "2h 03m", "3d 04h"). `ms` must be positive.
 */
export function formatTtl(ms: number, u: TimeUnits): string {
  if (ms < 60_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)}${u.s}`;
  const s = Math.floor(ms / 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (s < 3600) return `${Math.floor(s / 60)}${u.m} ${pad(s % 60)}${u.s}`;
  if (s < 86400) return `${Math.floor(s / 3600)}${u.h} ${pad(Math.floor(s / 60) % 60)}${u.m}`;
  return `${Math.floor(s / 86400)}${u.d} ${pad(Math.floor(s / 3600) % 24)}${u.h}`;
}

/**
 * The engine's virtual time now, estimated from a snapshot: its `now`, plus the wall time since it
 * arrived (the world plays at 1x until time control exists).
 */
export function virtualNow(snapshot: KeyspaceSnapshot, receivedAt: number, wallNow: number): number {
  return snapshot.now + Math.max(0, wallNow - receivedAt);
}

/** A key's TTL at virtual time `now`: ms left (0 or less: expired, not deleted yet), or null. */
export function ttlAt(ttl: number | null, snapshot: KeyspaceSnapshot, now: number): number | null {
  return ttl === null ? null : ttl - (now - snapshot.now);
}

// --- the watcher ----------------------------------------------------------------------------------

/** What the watcher needs of the engine (EngineWorker has it). */
export interface KeyspaceEngine {
  query(query: KeyspaceQuery): Promise<KeyspaceSnapshot>;
  onEvents(fn: (batch: EventBatch) => void): () => void;
}

export interface KeyspaceView {
  db: number;
  pattern: string | null;
  /** The last snapshot of this db and pattern, or null before the first. */
  snapshot: KeyspaceSnapshot | null;
  /** Wall-clock time (WatcherClock.now) the snapshot arrived. */
  receivedAt: number;
  /** Why the last query failed, or null. */
  error: string | null;
  /** Keys changed recently, each with a number that grows with every change (to restart its flash). */
  flashes: ReadonlyMap<string, number>;
}

export class KeyspaceWatcher extends PacedWatcher<KeyspaceView, KeyspaceEngine> {
  private ttlTimer: unknown = null;
  private flashTimer: unknown = null;
  private flashSeq = 0;
  /** When each flashing key changed (wall clock). */
  private readonly flashedAt = new Map<string, number>();

  constructor(engine: KeyspaceEngine, clock: WatcherClock = browserClock, private readonly limit = KEYSPACE_LIMIT) {
    super(engine, { db: 0, pattern: null, snapshot: null, receivedAt: 0, error: null, flashes: new Map() }, clock);
  }

  override stop(): void {
    super.stop();
    for (const t of [this.ttlTimer, this.flashTimer]) if (t !== null) this.clock.clearTimeout(t);
    this.ttlTimer = this.flashTimer = null;
  }

  /** Shows another db and/or filter: read at once (what was shown is of the old choice). */
  show(db: number, pattern: string | null): void {
    if (db === this.viewValue.db && pattern === this.viewValue.pattern) return;
    this.flashedAt.clear();
    this.update({ db, pattern, snapshot: null, error: null, flashes: new Map() });
    this.refresh();
  }

  protected onEvents(batch: EventBatch): void {
    let touched = batch.resync || (batch.dropped.keyspace ?? 0) > 0;
    const db = this.viewValue.db;
    const now = this.clock.now();
    let flashed = false;
    for (const e of batch.events) {
      if (e.kind === 'keyspace') {
        if (e.event === 'keymiss') continue; // a read of a missing key changes nothing
        touched = true;
        if (e.db === db && this.flashedAt.size < MAX_FLASHES) {
          this.flashedAt.set(e.key, now);
          flashed = true;
        }
      } else if (e.kind === 'command' && SILENT_WRITES.has(e.name) && !e.failed) {
        touched = true;
      } else if (e.kind === 'encoding' && e.db === db) {
        touched = true; // the encoding column (DEBUG RELOAD re-encodes keys without keyspace events)
      }
    }
    if (flashed) this.publishFlashes(true);
    if (touched) this.refresh();
  }

  /** Rebuilds the flash map (new numbers for keys that changed now) and plans the next expiry. */
  private publishFlashes(renumber: boolean): void {
    const now = this.clock.now();
    const flashes = new Map<string, number>();
    let oldest = Infinity;
    for (const [key, at] of this.flashedAt) {
      if (now - at >= FLASH_MS) { this.flashedAt.delete(key); continue; }
      const previous = this.viewValue.flashes.get(key);
      flashes.set(key, renumber && at === now ? ++this.flashSeq : previous ?? ++this.flashSeq);
      oldest = Math.min(oldest, at);
    }
    this.update({ flashes });
    if (this.flashTimer !== null) this.clock.clearTimeout(this.flashTimer);
    this.flashTimer = null;
    if (oldest !== Infinity) {
      this.flashTimer = this.clock.setTimeout(() => { this.flashTimer = null; this.publishFlashes(false); }, oldest + FLASH_MS - now);
    }
  }

  /** One snapshot of the db and filter shown; true when the answer came for a choice no longer shown. */
  protected async query(): Promise<boolean> {
    const { db, pattern } = this.viewValue;
    let snapshot: KeyspaceSnapshot | null = null;
    let error: string | null = null;
    try {
      snapshot = await this.engine.query({ kind: 'keyspace', db, limit: this.limit, pattern });
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    const receivedAt = this.clock.now();
    if (!this.running) return false;
    // An answer for a db or filter no longer shown is of no use: ask again.
    if (db !== this.viewValue.db || pattern !== this.viewValue.pattern) return true;
    if (snapshot) {
      this.update({ snapshot, receivedAt, error: null });
      this.planTtlRefresh(snapshot);
    } else {
      this.update({ error });
    }
    return false;
  }

  /** While a TTL is shown, read again now and then: the countdown is an estimate between reads. */
  private planTtlRefresh(snapshot: KeyspaceSnapshot): void {
    if (this.ttlTimer !== null) this.clock.clearTimeout(this.ttlTimer);
    this.ttlTimer = null;
    if (!snapshot.keys.some((k) => k.ttl !== null)) return;
    this.ttlTimer = this.clock.setTimeout(() => { this.ttlTimer = null; this.refresh(); }, TTL_REFRESH_MS);
  }
}
