// Lazy freeing (lazyfree.c, Redis 7.0): UNLINK, FLUSHALL/FLUSHDB ASYNC and the lazyfree-lazy-*
// settings hand big values (and whole databases) to a background thread instead of freeing them
// in the command. The main thread only unlinks the key; the value's memory stays counted in
// used_memory until the thread gets to it.
//
// The engine has no threads: the "thread" is a FIFO of jobs that advances with the engine clock at
// a modelled speed (LAZYFREE_EFFORT_PER_MS allocations per millisecond), caught up in beforeSleep
// and serverCron, so lazyfree_pending_objects and lazyfreed_objects move as in Redis while
// staying deterministic. Memory is given back progressively as a job advances; the pending and
// freed object counts change when a job completes, as Redis's atomic counters do.
import type { Dict } from '../ds/dict.ts';
import type { Quicklist } from '../ds/quicklist.ts';
import type { ZsetSkiplist } from '../commands/zset.ts';
import type { RedisObject } from './object.ts';
import type { RedisServer } from './redisServer.ts';

/** Values needing more allocations than this to free are freed in the background (LAZYFREE_THRESHOLD). */
export const LAZYFREE_THRESHOLD = 64;
/**
 * The background thread's modelled speed: allocations it frees per millisecond of engine time
 * (about 100 ns each, so a 1M-member set is gone in about 100 ms, as on a current x86 core).
 */
export const LAZYFREE_EFFORT_PER_MS = 10000;

/**
 * lazyfreeGetFreeEffort: a number proportional to the allocations freeing the value takes: list
 * nodes, hashtable or skiplist elements; 1 for anything that is a single allocation.
 */
export function lazyfreeGetFreeEffort(o: RedisObject): number {
  if (o.type === 'list') return (o.value as Quicklist).len;
  if ((o.type === 'set' || o.type === 'hash') && o.encoding === 'hashtable') return (o.value as Dict<unknown>).size;
  if (o.type === 'zset' && o.encoding === 'skiplist') return (o.value as ZsetSkiplist).zsl.length;
  return 1;
}

/** One job of the lazy-free thread. */
export interface LazyFreeJob {
  kind: 'object' | 'database';
  /** What lazyfree_pending_objects counts for it: 1 for a value, the key count for a database. */
  objects: number;
  /** Allocations to free in all, and already freed. */
  effort: number;
  done: number;
  /** Bytes used_memory counted for it when queued, and already given back. */
  bytes: number;
  freedBytes: number;
}

/** The lazy-free "thread": its queue, its INFO counters, and the memory it still holds. */
export class LazyFree {
  private jobs: LazyFreeJob[] = [];
  /** lazyfree_pending_objects */
  pendingObjects = 0;
  /** lazyfreed_objects (reset by CONFIG RESETSTAT) */
  freedObjects = 0;
  /** Bytes of queued values not given back yet: still part of used_memory. */
  pendingBytes = 0;
  /** Engine time up to which the thread has worked. */
  private workedUntil: number;

  constructor(private readonly server: RedisServer) {
    this.workedUntil = server.clock.now();
  }

  /** Jobs queued and not finished (bioPendingJobsOfType(BIO_LAZY_FREE)). */
  get pendingJobs(): number {
    return this.jobs.length;
  }

  /** The queue, oldest first (read only: for panels). */
  get queue(): readonly LazyFreeJob[] {
    return this.jobs;
  }

  /**
   * freeObjAsync when `async`, else decrRefCount: a value the keyspace let go of, counted with
   * `bytes`. Freeing synchronously costs the command one unit of work per allocation beyond the
   * first (a single allocation is part of any command's base cost); a big value freed
   * asynchronously costs it nothing more and goes to the thread.
   */
  freeObject(o: RedisObject, bytes: number, async: boolean): void {
    const effort = lazyfreeGetFreeEffort(o);
    if (async && effort > LAZYFREE_THRESHOLD && !o.shared) {
      this.enqueue({ kind: 'object', objects: 1, effort, done: 0, bytes, freedBytes: 0 });
      return;
    }
    if (effort > 1) this.server.chargeWork(effort);
  }

  /**
   * emptyDbAsync: a database's tables go to the thread whole (`keys` objects, `bytes` of memory);
   * the command only pays for swapping in fresh tables.
   */
  freeDatabase(keys: number, bytes: number): void {
    if (keys === 0 && bytes === 0) return;
    this.enqueue({ kind: 'database', objects: keys, effort: Math.max(1, keys), done: 0, bytes, freedBytes: 0 });
  }

  private enqueue(job: LazyFreeJob): void {
    // An idle thread starts now: it does not bank the time it spent waiting.
    if (this.jobs.length === 0) this.workedUntil = this.server.clock.now();
    if (this.server.trace) this.traceJob(job);
    this.jobs.push(job);
    this.pendingObjects += job.objects;
    this.pendingBytes += job.bytes;
  }

  /**
   * Reports a job queued now, with when the thread will start and finish it at its speed after the
   * work queued before it (eviction's waits for the thread, workFor, may make it sooner).
   */
  private traceJob(job: LazyFreeJob): void {
    let ahead = 0;
    for (const j of this.jobs) ahead += j.effort - j.done;
    const usPerEffort = 1000 / LAZYFREE_EFFORT_PER_MS;
    // Not before the command that queues it started (the thread's time, finer than the clock's ms).
    const startUs = Math.max(this.server.threadFreeUs, Math.floor(Math.max(this.server.clock.now(), this.workedUntil + ahead / LAZYFREE_EFFORT_PER_MS) * 1000));
    const c = this.server.tracking.currentClient;
    this.server.trace!.emit({
      kind: 'lazyfree', at: this.server.clock.now(), job: job.kind, effort: job.effort, objects: job.objects,
      startUs, endUs: startUs + Math.ceil(job.effort * usPerEffort), command: c?.cmd?.fullName ?? null, client: c?.id ?? null,
    });
  }

  /** Lets the thread run up to the engine clock's current time (beforeSleep, serverCron). */
  catchUp(): void {
    const now = this.server.clock.now();
    if (this.jobs.length === 0) {
      this.workedUntil = now;
      return;
    }
    const elapsed = now - this.workedUntil;
    if (elapsed <= 0) return;
    this.workedUntil = now;
    this.work(Math.floor(elapsed * LAZYFREE_EFFORT_PER_MS));
  }

  /** Frees up to `budget` allocations, oldest job first. Returns the budget left over. */
  work(budget: number): number {
    while (budget > 0 && this.jobs.length > 0) {
      const job = this.jobs[0];
      const step = Math.min(budget, job.effort - job.done);
      budget -= step;
      job.done += step;
      // Memory comes back in proportion to the allocations freed.
      const freedBytes = job.done === job.effort ? job.bytes : Math.floor((job.bytes * job.done) / job.effort);
      this.pendingBytes -= freedBytes - job.freedBytes;
      job.freedBytes = freedBytes;
      if (job.done === job.effort) {
        this.jobs.shift();
        this.pendingObjects -= job.objects;
        this.freedObjects += job.objects;
      }
    }
    return budget;
  }

  /** Runs the thread for `us` microseconds (performEvictions waiting for it, modelled). */
  workFor(us: number): void {
    this.work(Math.floor((us * LAZYFREE_EFFORT_PER_MS) / 1000));
  }

  /** lazyfreeResetStats (CONFIG RESETSTAT) */
  resetStats(): void {
    this.freedObjects = 0;
  }
}
