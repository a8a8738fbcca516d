// The worker's world, kept: restored from IndexedDB when the worker starts, saved after changes,
// reset, exported and imported as a file. Wraps the EngineHost (which knows nothing of saving)
// and, like it, has no worker globals: timers and storage come in through options, so a unit
// test drives it with fake timers and fake-indexeddb.
//
// Save policy. A save is a snapshot of the whole world (snapshotWorld: every key serialised into
// RDB bytes) taken synchronously between two messages, so never in the middle of a command or a
// MULTI/EXEC, followed by an IndexedDB write that runs off the worker's thread. The snapshot
// blocks the engine while it runs. Measured in Chromium on the development machine (two busy
// cores): a learner's few keys take ~1 ms to snapshot and ~2 ms to write; DEBUG POPULATE 1000000
// (1M keys, a 25 MB RDB) takes 0.7 to 2.5 s to snapshot, 0.2 to 0.4 s more to write (IndexedDB's
// structured clone, ~30 ms of it on the engine's thread), and 1.6 s to load on the next start.
// So the pace follows what the last save cost (`cost`, the time it held the engine):
// - a save starts once the world has been quiet for max(1 s, 2 x cost) after a change,
// - under continuous writes, no later than max(5 s, 10 x cost) after the first unsaved change,
// - and never sooner than 10 x cost after the previous save ended, so saving takes at most a
//   tenth of the engine's time however busy the learner keeps it.
// A small world is thus saved about a second after the last command; a million keys at most every
// 10 to 20 s while being written, and a few seconds after the writes stop. When the page is hidden or
// closed the UI asks for a save at once ('world-save'), whatever the pace.
//
// What counts as a change: a server's `dirty` counter moved (every write command bumps it, as in
// Redis), its config changed (CONFIG SET does not touch `dirty`), or the number of keys in one of
// its databases did (DEBUG POPULATE adds a million keys without touching `dirty`, as in Redis;
// evictions and expiries do not touch it either), or the world's network latency did.
import { decodeWorldFile, encodeWorldFile, restoreWorld, snapshotWorld, WorldFileError, type WorldSnapshot } from '../engine/persist/worldFile.ts';
import type { World } from '../engine/sim/world.ts';
import { buildLessonWorld } from '../lessons/world.ts';
import { createWorld, describe, EngineHost, MAIN_SERVER, mainServer, type Post } from './engineHost.ts';
import { PROTOCOL_VERSION, versioned, type ToWorker, type WorldStatus } from './protocol.ts';
import { isSavedWorldRecord, type SavedWorldRecord, type WorldStore } from './worldStore.ts';

/** Wall-clock time and timers (the worker's own; a test's fake ones). */
export interface WallClock {
  /** Unix ms (Date.now): when saves happened, scheduling. */
  now(): number;
  /** A monotonic ms clock (performance.now) to measure how long a save held the engine. */
  monotonic(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface SavePolicy {
  /** Quiet time after a change before saving (at least). */
  quietMs: number;
  /** Under continuous writes, the longest an unsaved change waits (at least). */
  maxDelayMs: number;
  /** The share of the engine's time saving may take: the gap after a save is its cost / share. */
  busyShare: number;
  /** After a failed save, how long before trying again. */
  retryMs: number;
}

export const DEFAULT_SAVE_POLICY: SavePolicy = { quietMs: 1000, maxDelayMs: 5000, busyShare: 0.1, retryMs: 30_000 };

export interface RuntimeOptions {
  post: Post;
  store: WorldStore;
  clock: WallClock;
  /** A seed for a new world (nothing saved, a reset). */
  newSeed(): number;
  /** As EngineHostOptions.defer. */
  defer?: (fn: () => void) => void;
  policy?: Partial<SavePolicy>;
  /** Told how long each save took (the worker logs it to the devtools console). */
  onSaved?: (timing: SaveTiming) => void;
}

export interface SaveTiming {
  /** How long the snapshot held the engine, ms. */
  snapshotMs: number;
  /** How long the IndexedDB write took after that (mostly off the engine's thread), ms. */
  writeMs: number;
  /** RDB bytes of all servers. */
  bytes: number;
}

type WorldRequest = Extract<ToWorker, { type: 'world-save' | 'world-reset' | 'world-export' | 'world-import' | 'world-lesson' }>;

function isWorldRequest(msg: ToWorker): msg is WorldRequest {
  return msg.type === 'world-save' || msg.type === 'world-reset' || msg.type === 'world-export' || msg.type === 'world-import' ||
    msg.type === 'world-lesson';
}

/** Why the World menu's reset and import wait while a lesson's world runs: the sandbox is kept aside. */
export const LESSON_RUNNING = 'a lesson is open: go back to the sandbox first (the lessons sidebar, or :lesson sandbox in a terminal), then replace the world';

/** What a refusal says to a learner: a WorldFileError's message as it is, anything else with its kind. */
function reason(e: unknown): string {
  if (e instanceof WorldFileError) return e.message;
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

const EMPTY_STATUS: WorldStatus = { origin: 'empty', restoredFrom: null, lastSavedAt: null, unsaved: false, saveError: null, loadError: null, lesson: null };

/** The saved world, if there is one that loads; an unreadable one is moved aside and reported. */
export async function loadSavedWorld(store: WorldStore, now: number): Promise<{ world: World | null; status: WorldStatus; rebuild?: () => World }> {
  const raw = await store.read();
  if (raw === undefined) return { world: null, status: EMPTY_STATUS };
  try {
    if (!isSavedWorldRecord(raw)) throw new Error('the stored record is not a saved Rediscope world');
    const world = restoreWorld(raw.snapshot);
    mainServer(world); // a world without a server cannot be run: refuse it here, not later
    // The same save restored again is the same world: the base time control rewinds to.
    const rebuild = () => restoreWorld(raw.snapshot);
    return {
      world, rebuild,
      status: { ...EMPTY_STATUS, origin: 'restored', restoredFrom: raw.savedAt, lastSavedAt: raw.savedAt, lesson: raw.lesson ?? null },
    };
  } catch (e) {
    // Never lost silently: it stays in the store under another key (or, failing that, where it is).
    const keptAs = await store.keepBroken(raw, now);
    return { world: null, status: { ...EMPTY_STATUS, loadError: { message: reason(e), keptAs } } };
  }
}

/** Loads the saved world (if any) and starts the engine on it; call announce() once listening. */
export async function startRuntime(options: RuntimeOptions): Promise<EngineRuntime> {
  const { world, status, rebuild } = await loadSavedWorld(options.store, options.clock.now());
  const host = new EngineHost(options.post, {
    seed: options.newSeed(), startTime: options.clock.now(), defer: options.defer, world: world ?? undefined, rebuild,
  });
  return new EngineRuntime(host, options, status);
}

export class EngineRuntime {
  private status: WorldStatus;
  private readonly policy: SavePolicy;
  /** The world's change marks (dirty counters, config generations, key counts) as last seen, and as last saved. */
  private seenMark: string;
  private savedMark: string;
  private firstUnsavedAt = 0;
  private lastChangeAt = 0;
  private lastSaveEndAt = -Infinity;
  private retryAt = -Infinity;
  /** How long the last save held the engine (ms): sets the pace of the next ones. */
  private cost = 0;
  private timer: unknown = null;
  private timerDue = 0;
  private saving: Promise<void> | null = null;
  /** World requests being answered (settled() waits for them too). */
  private readonly requests = new Set<Promise<void>>();
  private disposed = false;

  constructor(readonly host: EngineHost, private readonly options: RuntimeOptions, status: WorldStatus) {
    this.status = status;
    this.policy = { ...DEFAULT_SAVE_POLICY, ...options.policy };
    this.seenMark = this.savedMark = this.mark();
  }

  get worldStatus(): WorldStatus { return this.status; }

  /** Tells the UI where the world came from, then that the engine is ready. */
  announce(): void {
    this.postStatus();
    this.host.announce();
  }

  handle(msg: ToWorker): void {
    if (msg?.v === PROTOCOL_VERSION && isWorldRequest(msg)) {
      const answer = this.request(msg).finally(() => this.requests.delete(answer));
      this.requests.add(answer);
      return;
    }
    this.host.handle(msg);
    this.noteActivity();
  }

  advance(ms: number): void {
    this.host.advance(ms);
    this.noteActivity();
  }

  /** Stops the timers (a test's end). */
  dispose(): void {
    this.disposed = true;
    this.clearTimer();
  }

  /** Waits for the world requests and the save under way, if any (and any that follows at once). */
  async settled(): Promise<void> {
    while (this.saving || this.requests.size > 0) {
      await Promise.all([this.saving, ...this.requests]);
    }
  }

  /** Waits for the save under way, if any (and any that follows it at once). */
  private async saved(): Promise<void> {
    while (this.saving) await this.saving;
  }

  private mark(): string {
    // A rewind changes the world as a whole; the network latency is saved with it.
    let m = `${this.host.rewinds} ${this.host.world.latencyMs} `;
    for (const server of this.host.world.servers.values()) {
      m += `${server.dirty}/${server.config.generation}`;
      for (const db of server.dbs) m += `/${db.size}`;
      m += ' ';
    }
    return m;
  }

  private postStatus(): void {
    this.options.post(versioned({ type: 'world-status', status: this.status }), []);
  }

  private setStatus(change: Partial<WorldStatus>): void {
    this.status = { ...this.status, ...change };
    this.postStatus();
  }

  /** After anything that may have changed the world: notes a change and plans the save. */
  private noteActivity(): void {
    const mark = this.mark();
    if (mark === this.seenMark) return;
    this.seenMark = mark;
    const now = this.options.clock.now();
    this.lastChangeAt = now;
    if (!this.status.unsaved) {
      this.firstUnsavedAt = now;
      this.setStatus({ unsaved: true });
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.disposed || this.saving || !this.status.unsaved) return;
    const { quietMs, maxDelayMs, busyShare } = this.policy;
    const gap = this.cost / busyShare;
    let due = Math.min(this.lastChangeAt + Math.max(quietMs, 2 * this.cost), this.firstUnsavedAt + Math.max(maxDelayMs, gap));
    due = Math.max(due, this.lastSaveEndAt + gap, this.retryAt);
    if (this.timer !== null && this.timerDue === due) return;
    this.clearTimer();
    this.timerDue = due;
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = null;
      void this.save(false);
    }, Math.max(0, due - this.options.clock.now()));
  }

  private clearTimer(): void {
    if (this.timer !== null) this.options.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  /** Saves the world if it changed since the last save (or anyway, `force`); one save at a time. */
  private save(force: boolean): Promise<void> {
    if (this.saving) return this.saving.then(() => this.save(force));
    if (this.disposed || (!force && this.mark() === this.savedMark)) return Promise.resolve();
    this.clearTimer();
    // Set before anything is awaited, so settled() sees it at once.
    const run = this.write().finally(() => {
      this.saving = null;
      this.schedule(); // changes made while it was being written
    });
    this.saving = run;
    return run;
  }

  private async write(): Promise<void> {
    const { clock, store } = this.options;
    const world = this.host.world;
    const mark = this.mark();
    const savedAt = clock.now();
    const started = clock.monotonic();
    let record: SavedWorldRecord;
    try {
      record = { format: 'rediscope-saved-world', savedAt, snapshot: snapshotWorld(world) };
      if (this.status.lesson !== null) record.lesson = this.status.lesson;
    } catch (e) {
      this.failed(`the world could not be saved: ${describe(e)}`);
      return;
    }
    const snapshotMs = clock.monotonic() - started;
    const ok = await store.write(record).catch(() => false);
    const writeMs = clock.monotonic() - started - snapshotMs;
    this.options.onSaved?.({ snapshotMs, writeMs, bytes: record.snapshot.servers.reduce((n, s) => n + s.rdb.length, 0) });
    this.cost = snapshotMs;
    this.lastSaveEndAt = clock.now();
    if (world !== this.host.world) return; // replaced meanwhile: whoever replaced it saves the new one
    if (!ok) {
      this.failed('the browser did not store it (IndexedDB is unavailable, or the storage is full)');
      return;
    }
    this.savedMark = mark;
    this.retryAt = -Infinity;
    this.setStatus({ lastSavedAt: savedAt, saveError: null, unsaved: this.mark() !== mark });
    if (this.status.unsaved) this.firstUnsavedAt = savedAt;
  }

  private failed(message: string): void {
    this.retryAt = this.options.clock.now() + this.policy.retryMs;
    this.setStatus({ saveError: message, unsaved: true });
  }

  private reply(id: number, error: string | null, bytes?: Uint8Array): void {
    const transfer = bytes ? [bytes.buffer as ArrayBuffer] : [];
    this.options.post(versioned({ type: 'world-done', id, error, ...(bytes ? { bytes } : {}) }), transfer);
  }

  private async request(msg: WorldRequest): Promise<void> {
    try {
      switch (msg.type) {
        case 'world-save':
          await this.save(false);
          this.reply(msg.id, this.status.saveError);
          return;
        case 'world-export':
          this.reply(msg.id, null, this.exportBytes(msg.format));
          return;
        case 'world-lesson':
          await this.lesson(msg);
          return;
        case 'world-reset': {
          if (this.status.lesson !== null) {
            this.reply(msg.id, LESSON_RUNNING);
            return;
          }
          const seed = this.options.newSeed();
          const startTime = this.options.clock.now();
          await this.replace(createWorld(seed, startTime), 'reset', () => createWorld(seed, startTime));
          this.reply(msg.id, null);
          return;
        }
        case 'world-import': {
          if (this.status.lesson !== null) {
            this.reply(msg.id, LESSON_RUNNING);
            return;
          }
          // Everything that can refuse the file runs before the running world is touched.
          let world: World;
          let snapshot: WorldSnapshot;
          try {
            snapshot = decodeWorldFile(msg.bytes);
            world = restoreWorld(snapshot);
            mainServer(world);
          } catch (e) {
            this.reply(msg.id, reason(e));
            return;
          }
          await this.replace(world, 'imported', () => restoreWorld(snapshot));
          this.reply(msg.id, null);
          return;
        }
      }
    } catch (e) {
      this.reply(msg.id, describe(e));
    }
  }

  /** The world as a file: a world file, or the main server's dump.rdb (a copy: its buffer is handed over). */
  private exportBytes(format: 'world' | 'rdb'): Uint8Array {
    const snapshot: WorldSnapshot = snapshotWorld(this.host.world);
    if (format === 'world') return encodeWorldFile(snapshot).slice();
    const main = snapshot.servers.find((s) => s.name === MAIN_SERVER) ?? snapshot.servers[0];
    if (!main) throw new Error('the world has no server');
    return main.rdb.slice();
  }

  /**
   * A lesson's starting world (the sandbox kept aside first, if it is the one running), or the
   * sandbox back. The order keeps the sandbox safe whenever the page dies: it is stored before the
   * lesson's world replaces it, and forgotten only once it is the saved current world again.
   */
  private async lesson(msg: Extract<WorldRequest, { type: 'world-lesson' }>): Promise<void> {
    const keeper = this.options.store.sandbox;
    if (!keeper) {
      this.reply(msg.id, 'lessons need a place to keep the sandbox world, and this storage has none');
      return;
    }
    if (msg.lesson) {
      const { id, setup } = msg.lesson;
      let world: World;
      try {
        world = buildLessonWorld(setup);
        mainServer(world);
      } catch (e) {
        this.reply(msg.id, `the lesson's world could not be built: ${reason(e)}`);
        return;
      }
      if (this.status.lesson === null) {
        await this.saved();
        let record: SavedWorldRecord;
        try {
          record = { format: 'rediscope-saved-world', savedAt: this.options.clock.now(), snapshot: snapshotWorld(this.host.world) };
        } catch (e) {
          this.reply(msg.id, `the sandbox world could not be kept: ${describe(e)}`);
          return;
        }
        if (!(await keeper.write(record).catch(() => false))) {
          this.reply(msg.id, 'the sandbox world could not be kept (IndexedDB is unavailable, or the storage is full), so it stays');
          return;
        }
      }
      await this.replace(world, 'lesson', () => buildLessonWorld(setup), id);
      this.reply(msg.id, null);
      return;
    }
    if (this.status.lesson === null) {
      this.reply(msg.id, null);
      return;
    }
    const raw = await keeper.read().catch(() => undefined);
    let world: World;
    let rebuild: () => World;
    let loadError: WorldStatus['loadError'] = null;
    try {
      if (!isSavedWorldRecord(raw)) throw new Error(raw === undefined ? 'no sandbox world was kept' : 'the kept record is not a saved Rediscope world');
      const snapshot = raw.snapshot;
      world = restoreWorld(snapshot);
      mainServer(world);
      rebuild = () => restoreWorld(snapshot);
    } catch (e) {
      // Nothing to bring back (or nothing readable, which stays where it is): a fresh world.
      if (raw !== undefined) loadError = { message: reason(e), keptAs: null };
      const seed = this.options.newSeed();
      const startTime = this.options.clock.now();
      world = createWorld(seed, startTime);
      rebuild = () => createWorld(seed, startTime);
    }
    await this.replace(world, 'sandbox', rebuild, null);
    if (loadError) this.setStatus({ loadError });
    else if (this.status.saveError === null && !this.status.unsaved) await keeper.drop().catch(() => {});
    this.reply(msg.id, null);
  }

  /** Runs another world (its clients are closed), and saves it at once. */
  private async replace(world: World, origin: WorldStatus['origin'], rebuild: () => World, lesson: string | null = null): Promise<void> {
    await this.saved();
    this.clearTimer();
    this.host.replaceWorld(world, rebuild);
    this.seenMark = this.mark();
    this.savedMark = '';
    this.firstUnsavedAt = this.lastChangeAt = this.options.clock.now();
    this.setStatus({ origin, restoredFrom: null, lastSavedAt: null, unsaved: true, saveError: null, lesson });
    await this.save(true);
  }
}
