// A timeline's checkpoints: exact copies of its world (clone.ts) at some points of its history, so
// a rewind copies the nearest checkpoint at or before its target and replays only the inputs after
// it, instead of rebuilding the base and replaying everything before the target.
//
// When to take one is decided on deterministic quantities only (never the wall clock), so the same
// history always gets the same checkpoints: the replay work since the last checkpoint (workDone:
// commands run, their modelled microseconds, cron runs), the size of the world (the memory model's
// key bytes, before copying; the objects copied, after: a copy costs about one work unit per
// object).
// - A checkpoint is taken after an input that is not idle time (an advance at the end of the
//   history grows while time passes, so a point after one may move), once the work since the last
//   checkpoint reaches `interval`, or `perObject` per object the last copy held if that is more
//   (a big world is copied less often: copying costs about as much as replaying that much).
// - A world whose data is above `maxWorldBytes` is not copied at all (rewinds replay from an
//   earlier checkpoint or the base).
// - At most `max` checkpoints holding at most `maxObjects` objects together: past either, the
//   checkpoint whose removal leaves the smallest gap of work between its neighbours goes (the
//   newest stays), so the ones left stay spread evenly over the history's replay cost.
// - A stored checkpoint is never run: restoring copies it, so it can be restored any number of
//   times. A fork drops the checkpoints after the fork point.
import { cloneWorld } from './clone.ts';
import type { World } from './world.ts';

export interface CheckpointPolicy {
  /** Replay work between two checkpoints, at least (see workDone). */
  interval: number;
  /** ... and at least this much work per object the last checkpoint's copy held. */
  perObject: number;
  /** Checkpoints kept (the base, rebuilt rather than stored, is not one of them). */
  max: number;
  /** Objects the checkpoints hold together, at most (about 100 bytes of memory each). */
  maxObjects: number;
  /** A world holding more data than this (the memory model's key bytes, all dbs) is not copied. */
  maxWorldBytes: number;
}

/**
 * About 30-40 ms of replay between checkpoints (docs/benchmarks.md, rewinding): shorter replays are
 * cheap, and the engine runs somewhat slower once it has run a copied world (V8 sees two shapes of
 * each class), so copies are kept for where they pay off. Copying costs at most about half the
 * work between two checkpoints; at most 64 checkpoints holding 2 million objects (about 250 MB at
 * most); worlds up to 32 MB of data (a copy of 100,000 keys takes about a quarter of a second).
 */
export const DEFAULT_CHECKPOINT_POLICY: Readonly<CheckpointPolicy> = Object.freeze({
  interval: 25_000,
  perObject: 2,
  max: 64,
  maxObjects: 2_000_000,
  maxWorldBytes: 32 * 1024 * 1024,
});

/** The world before input `position` of the history, with what the timeline knew there. */
export interface Checkpoint<C> {
  readonly position: number;
  /** The world's time there. */
  readonly time: number;
  /** Client feeds before the position. */
  readonly commandsBefore: number;
  /** Replay work from the base to the position. */
  readonly work: number;
  /** Objects the copy holds. */
  readonly objects: number;
  /** Never run: restore() copies it. */
  readonly world: World;
  /** The timeline's clients there (by id), pointing into `world`. */
  readonly clients: ReadonlyMap<string, C>;
}

/**
 * A deterministic measure of the work a world has done so far, in units of about what replaying a
 * serverCron run costs (one to two microseconds, docs/benchmarks.md): a command counts 1 plus its
 * modelled microseconds (cost.ts: what it touched), a cron run 1. It can go down (CONFIG
 * RESETSTAT): callers add only increases.
 */
export function workDone(world: World): number {
  let n = 0;
  for (const server of world.servers.values()) {
    n += server.stats.totalCommandsProcessed + server.cronLoops;
    for (const s of server.stats.commandCalls.values()) n += s.usec;
  }
  return n;
}

/** The data a world holds, as the memory model counts it (keys and values of every db). */
export function worldDataBytes(world: World): number {
  let n = 0;
  for (const server of world.servers.values()) for (const db of server.dbs) n += db.keyBytes;
  return n;
}

/** The checkpoints of one timeline, by position (oldest first). `C`: what the timeline keeps per client. */
export class Checkpoints<C> {
  private list: Checkpoint<C>[] = [];
  private objectsHeld = 0;
  /** Copies made to store or restore (for the bench and the tests). */
  copies = 0;

  /** `keep`: objects outside the world its parts point at (the timeline its connections report to). */
  constructor(readonly policy: Readonly<CheckpointPolicy>, private readonly keep: readonly object[]) {}

  /** The stored checkpoints, oldest first (read only). */
  get all(): readonly Checkpoint<C>[] { return this.list; }
  /** Input positions a rewind restores without replaying: 0 (the base), then the checkpoints'. */
  get positions(): number[] { return [0, ...this.list.map((c) => c.position)]; }
  /** Objects the checkpoints hold together. */
  get objects(): number { return this.objectsHeld; }

  private get last(): Checkpoint<C> | null { return this.list.length ? this.list[this.list.length - 1] : null; }

  /**
   * Whether to take a checkpoint at `position`, reached by applying an input of kind `kind` with
   * `work` done since the base (see the header).
   */
  due(position: number, work: number, kind: string, world: World): boolean {
    const p = this.policy;
    if (p.max <= 0 || kind === 'advance') return false;
    const last = this.last;
    if (last && position <= last.position) return false;
    const since = work - (last?.work ?? 0);
    if (since < Math.max(p.interval, p.perObject * (last?.objects ?? 0))) return false;
    return worldDataBytes(world) <= p.maxWorldBytes;
  }

  /** Stores a copy of `world` (standing at `position`) and of the timeline's `clients` into it. */
  take(world: World, clients: ReadonlyMap<string, C>, at: { position: number; commandsBefore: number; work: number }): void {
    const copy = cloneWorld(world, { keep: this.keep });
    const copiedClients = copy.copyOf(clients);
    this.copies++;
    const checkpoint: Checkpoint<C> = {
      position: at.position, time: world.now, commandsBefore: at.commandsBefore, work: at.work,
      objects: copy.objects, world: copy.world, clients: copiedClients,
    };
    this.list.push(checkpoint);
    this.objectsHeld += checkpoint.objects;
    this.thin();
  }

  /** Drops checkpoints until within `max` and `maxObjects` (see the header). */
  private thin(): void {
    const p = this.policy;
    while (this.list.length > 1 && (this.list.length > p.max || this.objectsHeld > p.maxObjects)) {
      // The gap of work left by removing checkpoint i: from its predecessor (or the base) to its successor.
      let best = 0, bestGap = Infinity;
      for (let i = 0; i < this.list.length - 1; i++) {
        const gap = this.list[i + 1].work - (i > 0 ? this.list[i - 1].work : 0);
        if (gap < bestGap) { best = i; bestGap = gap; }
      }
      this.objectsHeld -= this.list[best].objects;
      this.list.splice(best, 1);
    }
    if (this.list.length > p.max || this.objectsHeld > p.maxObjects) {
      // The newest alone is too much: none.
      this.objectsHeld = 0;
      this.list = [];
    }
  }

  /** The latest checkpoint at or before input `index` (null: the base). */
  atOrBefore(index: number): Checkpoint<C> | null {
    let found: Checkpoint<C> | null = null;
    for (const c of this.list) {
      if (c.position > index) break;
      found = c;
    }
    return found;
  }

  /**
   * The latest checkpoint a replay towards virtual time `time` passes through (null: the base).
   * Replaying to a time stops before the inputs at exactly that time, so a checkpoint counts only
   * if its world's time is earlier.
   */
  before(time: number): Checkpoint<C> | null {
    let found: Checkpoint<C> | null = null;
    for (const c of this.list) {
      if (c.time >= time) break;
      found = c;
    }
    return found;
  }

  /** A fresh copy of a checkpoint's world, and its clients mapped into it. The checkpoint stays as it was. */
  restore(checkpoint: Checkpoint<C>): { world: World; clients: Map<string, C> } {
    const copy = cloneWorld(checkpoint.world, { keep: this.keep });
    this.copies++;
    return { world: copy.world, clients: copy.copyOf(checkpoint.clients) as Map<string, C> };
  }

  /** A fork at `position`: what came after it is gone. */
  dropAfter(position: number): void {
    while (this.list.length && this.last!.position > position) this.objectsHeld -= this.list.pop()!.objects;
  }

  clear(): void {
    this.list = [];
    this.objectsHeld = 0;
  }
}
