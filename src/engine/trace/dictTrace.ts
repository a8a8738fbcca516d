// Trace events of the dicts' tables: every table allocation (why it grew or shrank) and every
// rehash step (which buckets of ht[0] moved where in ht[1], and who asked: an operation's
// _dictRehashStep or the cron's incrementallyRehash). The dict reports to the server's
// DictTracer through its ResizePolicy's observer (ds/ stays free of the server); the tracer names
// the dict (a db's keyspace or expires, or the hash/set/zset key whose value it is) and emits.
// It only reads: reports are built only while a sink listens (`server.trace`).
import type { Dict, DictObserver, DictRehashReport, DictResizeReport } from '../ds/dict.ts';
import type { ZsetSkiplist } from '../commands/zset.ts';
import { getKeysFromCommand } from '../server/keySpecs.ts';
import type { RedisObject } from '../server/object.ts';
import type { RedisServer } from '../server/redisServer.ts';

/** Which dict a snapshot or an event is about. */
export type DictTarget =
  | { kind: 'keyspace'; db: number }
  | { kind: 'expires'; db: number }
  | { kind: 'key'; db: number; key: string };

/** A rehash event lists at most this many moved buckets (cron batches move up to 100 per call). */
export const TRACED_BUCKETS = 32;
/** ... and at most this many destination indexes per bucket (its entry count stays exact). */
export const TRACED_CHAIN = 16;

/**
 * A table was allocated (dictExpand). `reason`: 'init' the first table of an empty dict; 'grow'
 * used >= size (load factor 1) on an insert (_dictExpandIfNeeded); 'forced-grow' used/size > 5
 * while resizing is discouraged (a child process: we never have one); 'shrink' fill under 10%
 * (htNeedsResize, then dictResize: from the cron's tryResizeHashTables for a db, after a delete for
 * a key's value); 'fit' dictResize that grows; 'expand' a caller presizing (DEBUG POPULATE, RDB
 * load, a listpack/intset conversion, COPY).
 */
export interface DictResizeTraceEvent {
  kind: 'dict-resize';
  at: number;
  /** null: a dict we could not name (a value being built for a key not yet stored). */
  dict: DictTarget | null;
  reason: 'init' | 'grow' | 'forced-grow' | 'shrink' | 'fit' | 'expand';
  /** The Redis function that decided it. */
  fn: string;
  /** Size asked for, old table-0 size (0: none), new size. */
  asked: number;
  from: number;
  to: number;
  /** Entries in table 0 then (used/from is the load factor that decided a grow). */
  used: number;
  /** The new table is ht[1]: rehashing starts (rehashidx = 0). */
  rehash: boolean;
}

/** Rehash work (dictRehash): buckets of ht[0] moved to ht[1]. */
export interface DictRehashTraceEvent {
  kind: 'dict-rehash';
  at: number;
  dict: DictTarget | null;
  /** What asked: an operation's _dictRehashStep (find/add/delete/random/sample), or 'cron'. */
  trigger: 'find' | 'add' | 'delete' | 'random' | 'sample' | 'cron' | 'rehash';
  /** _dictRehashStep (one bucket per operation) or incrementallyRehash (dictRehash(100) batches). */
  fn: '_dictRehashStep' | 'incrementallyRehash' | 'dictRehash';
  /** Buckets asked for (n). */
  n: number;
  /** rehashidx before and after (-1: finished). */
  from: number;
  next: number;
  size0: number;
  size1: number;
  /** The first TRACED_BUCKETS buckets moved, in order, with where their entries went. */
  buckets: { index: number; entries: number; to: number[] }[];
  /** All buckets moved and entries moved by this call. */
  bucketCount: number;
  moved: number;
  emptyVisited: number;
  /** The last bucket moved: ht[1] became ht[0] and rehashidx is -1 again. */
  finished: boolean;
}

/** The dict a value in hashtable (or skiplist) encoding keeps its elements in, else null. */
export function valueDict(o: RedisObject): Dict<unknown> | null {
  if ((o.type === 'hash' || o.type === 'set') && o.encoding === 'hashtable') return o.value as Dict<unknown>;
  if (o.type === 'zset' && o.encoding === 'skiplist') return (o.value as ZsetSkiplist).dict as Dict<unknown>;
  return null;
}

/** Redis's function that shrinks a key's dict after a delete, by type. */
const SHRINK_AFTER_DELETE: Record<string, string> = { hash: 'hashTypeDelete', set: 'setTypeRemove', zset: 'zsetDel' };

export class DictTracer implements DictObserver {
  constructor(private readonly server: RedisServer) {}

  get active(): boolean { return this.server.trace !== null; }

  /** Names a dict: a db's keyspace or expires, else the value of a key the running command names. */
  resolve(dict: Dict<unknown>): { target: DictTarget; type: string | null } | null {
    for (const db of this.server.dbs) {
      if (db.dict === dict) return { target: { kind: 'keyspace', db: db.id }, type: null };
      if (db.expires === dict) return { target: { kind: 'expires', db: db.id }, type: null };
    }
    const c = this.server.tracking.currentClient;
    if (!c || !c.cmd) return null;
    const refs = getKeysFromCommand(c.cmd, c.argv);
    for (const r of refs) {
      const key = c.argv[r.pos];
      const o = c.db.dict.peek(key);
      if (o && valueDict(o) === dict) return { target: { kind: 'key', db: c.db.id, key }, type: o.type };
    }
    // A value being converted or created (the dict is not stored yet): the command's only key.
    if (refs.length === 1) {
      const key = c.argv[refs[0].pos];
      return { target: { kind: 'key', db: c.db.id, key }, type: c.db.dict.peek(key)?.type ?? null };
    }
    return null;
  }

  resized(dict: Dict<unknown>, r: DictResizeReport): void {
    const sink = this.server.trace;
    if (!sink) return;
    const named = this.resolve(dict);
    let reason: DictResizeTraceEvent['reason'];
    let fn: string;
    switch (r.cause) {
      case 'init': reason = 'init'; fn = '_dictExpandIfNeeded'; break;
      case 'grow': reason = 'grow'; fn = '_dictExpandIfNeeded'; break;
      case 'forced-grow': reason = 'forced-grow'; fn = '_dictExpandIfNeeded'; break;
      case 'resize':
        reason = r.to < r.from ? 'shrink' : 'fit';
        fn = named?.target.kind === 'key' ? SHRINK_AFTER_DELETE[named.type ?? ''] ?? 'dictResize'
          : named ? 'tryResizeHashTables' : 'dictResize';
        break;
      default: reason = 'expand'; fn = 'dictExpand';
    }
    sink.emit({
      kind: 'dict-resize', at: this.server.clock.now(), dict: named?.target ?? null, reason, fn,
      asked: r.asked, from: r.from, to: r.to, used: r.used, rehash: r.rehash,
    });
  }

  rehashed(dict: Dict<unknown>, r: DictRehashReport): void {
    const sink = this.server.trace;
    if (!sink) return;
    let moved = 0;
    for (const b of r.buckets) moved += b.to.length;
    const fn = r.cause === 'cron' ? 'incrementallyRehash' : r.cause === 'rehash' ? 'dictRehash' : '_dictRehashStep';
    sink.emit({
      kind: 'dict-rehash', at: this.server.clock.now(), dict: this.resolve(dict)?.target ?? null, trigger: r.cause, fn,
      n: r.n, from: r.from, next: r.next, size0: r.size0, size1: r.size1,
      buckets: r.buckets.slice(0, TRACED_BUCKETS).map((b) => ({ index: b.index, entries: b.to.length, to: b.to.slice(0, TRACED_CHAIN) })),
      bucketCount: r.buckets.length, moved, emptyVisited: r.emptyVisited, finished: r.finished,
    });
  }
}

/** Whether an event is about the dict `target` names. */
export function sameDict(a: DictTarget | null, b: DictTarget): boolean {
  if (!a || a.kind !== b.kind || a.db !== b.db) return false;
  return a.kind !== 'key' || a.key === (b as { key: string }).key;
}
