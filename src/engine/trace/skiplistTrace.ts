// Trace events from a sorted set's skiplist (t_zset.c's zslInsert, zslDelete, zslUpdateScore, the
// rank and range searches), for the skiplist panel. The listpack -> skiplist conversion is the
// encoding event every conversion is (trace/conversions.ts): the skiplist panel reads that one too.
//
// The skiplist (ds/skiplist.ts) knows nothing of servers or keys: while a zset command works on a
// key and someone listens (`server.trace`), the command attaches a ZsetTracer as the skiplist's
// observer, and the tracer turns what the skiplist reports (the nodes a search stood on, the level
// it rolled, the update vector in front of an unlinked node) into plain events naming the db and
// key. Nothing here changes the skiplist; without a listener nothing here runs.
import type { SearchStep, SkiplistNode, SkiplistObserver, SkiplistOp } from '../ds/skiplist.ts';
import type { ZsetSkiplist } from '../commands/zset.ts';
import type { RedisObject } from '../server/object.ts';
import type { TraceSink } from './events.ts';

/** Members in events (and snapshots) are cut to this many bytes; `memberLength` has the real length. */
export const TRACED_MEMBER_BYTES = 128;

/** A node as an event names it. The header is `member: null` with rank 0. */
export interface ZslNodeRef {
  /** The member's first TRACED_MEMBER_BYTES bytes (a byte string); null for the header. */
  member: string | null;
  memberLength: number;
  score: number;
  /** Its 1-based rank (level-0 distance from the header) when the event happened; 0: the header. */
  rank: number;
}

/** One position of a search: standing on a node at a level, with the spans summed so far (= its rank). */
export interface ZslStep extends ZslNodeRef {
  level: number;
}

/** update[level] of zslInsert / zslDelete: the last node before the target at that level. */
export interface ZslUpdateEntry extends ZslNodeRef {
  level: number;
  /** zslDelete only: this level's link pointed at the removed node and now jumps over it. */
  relinked?: boolean;
}

interface ZslEventBase {
  at: number;
  db: number;
  key: string;
}

/** zslInsert: a new node went in. */
export interface ZslInsertTraceEvent extends ZslEventBase {
  kind: 'zslInsert';
  member: string;
  memberLength: number;
  score: number;
  /** The level zslRandomLevel rolled: the new node's height. */
  level: number;
  /** The list's level before the insert (levels from here up start at the header, rank 0). */
  listLevel: number;
  /** The new node's rank. */
  rank: number;
  /** update[i] and rank[i] for every level the insert touched (index = level). */
  update: ZslUpdateEntry[];
  /** The descent that found the place, top level first. */
  path: ZslStep[];
  /** 'add': a new member; 'updateScore': zslUpdateScore re-inserting a member whose score moved it. */
  cause: 'add' | 'updateScore';
}

export type ZslDeleteCause = 'delete' | 'updateScore' | 'deleteRangeByScore' | 'deleteRangeByLex' | 'deleteRangeByRank';

/** zslDeleteNode: a node was unlinked (ZREM, a score update that moves it, ZREMRANGEBY*, ZPOP*). */
export interface ZslDeleteTraceEvent extends ZslEventBase {
  kind: 'zslDelete';
  member: string;
  memberLength: number;
  score: number;
  /** The removed node's height. */
  level: number;
  /** The list's level when it was unlinked (it may drop afterwards). */
  listLevel: number;
  /** Its rank before it went. */
  rank: number;
  /** update[i] for every level of the list; `relinked` where the link now skips the node (span - 1 elsewhere). */
  update: ZslUpdateEntry[];
  /** The descent that found it (shared by every node of a range deletion). */
  path: ZslStep[];
  cause: ZslDeleteCause;
}

/** zslUpdateScore kept the node where it was and only changed its score. */
export interface ZslUpdateScoreTraceEvent extends ZslEventBase {
  kind: 'zslUpdateScore';
  member: string;
  memberLength: number;
  oldScore: number;
  score: number;
  rank: number;
  path: ZslStep[];
}

export type ZslSearchOp = Exclude<SkiplistOp, 'insert' | ZslDeleteCause>;

/** A search that only reads: zslGetRank (ZRANK), zslGetElementByRank (ZRANGE by index), the range searches. */
export interface ZslSearchTraceEvent extends ZslEventBase {
  kind: 'zslSearch';
  op: ZslSearchOp;
  /** Top level first; each step's rank is the sum of the spans crossed to reach it. */
  path: ZslStep[];
  /**
   * Where it ended: the node found (getRank, getByRank), the first node not below the range
   * (first*InRange: the range check against max comes after), the last node not above it (last*).
   * Null when it ended at the header or past the end.
   */
  landed: ZslNodeRef | null;
}

export type SkiplistTraceEvent =
  | ZslInsertTraceEvent | ZslDeleteTraceEvent | ZslUpdateScoreTraceEvent | ZslSearchTraceEvent;

/** The trace kinds of this module, in a fixed order. */
export const SKIPLIST_TRACE_KINDS = ['zslInsert', 'zslDelete', 'zslUpdateScore', 'zslSearch'] as const;

/** What the tracer needs of a server. */
export interface TracedServer {
  trace: TraceSink | null;
  clock: { now(): number };
}

export function previewMember(member: string): string {
  return member.length > TRACED_MEMBER_BYTES ? member.slice(0, TRACED_MEMBER_BYTES) : member;
}

/** A search step as plain data: rank 0 is the header (every real node is at least 1 away). */
function plainStep(s: SearchStep): ZslStep {
  const header = s.rank === 0;
  return {
    member: header ? null : previewMember(s.node.member),
    memberLength: header ? 0 : s.node.member.length,
    score: header ? 0 : s.node.score,
    rank: s.rank,
    level: s.level,
  };
}

function nodeRef(node: SkiplistNode, rank: number): ZslNodeRef {
  return rank === 0
    ? { member: null, memberLength: 0, score: 0, rank: 0 }
    : { member: previewMember(node.member), memberLength: node.member.length, score: node.score, rank };
}

/** The last step on each level: update[i] with its rank[i], from a descent's path. */
function lastPerLevel(path: readonly SearchStep[]): Map<number, SearchStep> {
  const last = new Map<number, SearchStep>();
  for (const s of path) last.set(s.level, s);
  return last;
}

const DELETE_CAUSES: ReadonlySet<SkiplistOp> = new Set<ZslDeleteCause>(['delete', 'updateScore', 'deleteRangeByScore', 'deleteRangeByLex', 'deleteRangeByRank']);

/** The tracers attached right now, by the zset object they watch. */
const attached = new WeakMap<RedisObject, ZsetTracer>();

/** Observes one zset's skiplist for the length of a command. */
export class ZsetTracer implements SkiplistObserver {
  /** The descent of an insert or deletion, kept until the node is linked or unlinked. */
  private pending: { op: SkiplistOp; path: readonly SearchStep[]; steps: ZslStep[] } | null = null;
  /** The member zslUpdateScore just unlinked: its next insert is the re-insertion. */
  private reinserting: string | null = null;
  private watched: ZsetSkiplist | null = null;
  private previous: SkiplistObserver | null = null;

  constructor(private readonly sink: TraceSink, private readonly server: TracedServer, readonly db: number, readonly key: string, readonly object: RedisObject) {}

  private base(): ZslEventBase {
    return { at: this.server.clock.now(), db: this.db, key: this.key };
  }

  /** Watches the object's skiplist (if it has one yet). */
  watch(): void {
    if (this.object.encoding !== 'skiplist') return;
    const zs = this.object.value as ZsetSkiplist;
    if (this.watched === zs) return;
    this.unwatch();
    this.watched = zs;
    this.previous = zs.zsl.observer;
    zs.zsl.observer = this;
  }

  private unwatch(): void {
    if (this.watched) this.watched.zsl.observer = this.previous;
    this.watched = null;
    this.previous = null;
  }

  detach(): void {
    this.unwatch();
    if (attached.get(this.object) === this) attached.delete(this.object);
  }

  searched(op: SkiplistOp, path: readonly SearchStep[]): void {
    const steps = path.map(plainStep);
    if (op === 'insert' || DELETE_CAUSES.has(op)) {
      this.pending = { op, path, steps };
      return;
    }
    const last = path[path.length - 1];
    let landed: ZslNodeRef | null = null;
    if (op === 'firstInRange' || op === 'firstInLexRange') {
      const next = last.node.forward[0];
      if (next) landed = nodeRef(next, last.rank + 1);
    } else if (last.rank > 0) {
      landed = nodeRef(last.node, last.rank);
    }
    this.emit({ kind: 'zslSearch', ...this.base(), op: op as ZslSearchOp, path: steps, landed });
  }

  levelRolled(level: number, node: SkiplistNode): void {
    const pending = this.pending;
    if (!pending || pending.op !== 'insert') return;
    this.pending = null;
    const last = lastPerLevel(pending.path);
    const listLevel = pending.path[0].level + 1;
    const update: ZslUpdateEntry[] = [];
    for (let i = 0; i < Math.max(level, listLevel); i++) {
      const s = last.get(i);
      update.push(s ? { ...nodeRef(s.node, s.rank), level: i } : { ...nodeRef(node, 0), level: i });
    }
    const cause = this.reinserting === node.member ? 'updateScore' : 'add';
    this.reinserting = null;
    this.emit({
      kind: 'zslInsert', ...this.base(), member: previewMember(node.member), memberLength: node.member.length,
      score: node.score, level, listLevel, rank: update[0].rank + 1, update, path: pending.steps, cause,
    });
  }

  unlinked(node: SkiplistNode, update: readonly SkiplistNode[], level: number): void {
    const pending = this.pending;
    if (!pending || !DELETE_CAUSES.has(pending.op)) return;
    const last = lastPerLevel(pending.path);
    const entries: ZslUpdateEntry[] = [];
    for (let i = 0; i < level; i++) {
      const prev = update[i];
      const s = last.get(i);
      // The descent's last step on a level is update[i]; its rank comes from the path.
      const rank = s && s.node === prev ? s.rank : -1;
      entries.push({ ...nodeRef(prev, rank), level: i, relinked: prev.forward[i] === node });
    }
    const cause = pending.op as ZslDeleteCause;
    // A range deletion unlinks a run after one descent: keep it for the next node.
    if (cause === 'delete' || cause === 'updateScore') this.pending = null;
    if (cause === 'updateScore') this.reinserting = node.member;
    this.emit({
      kind: 'zslDelete', ...this.base(), member: previewMember(node.member), memberLength: node.member.length,
      score: node.score, level: node.forward.length, listLevel: level, rank: entries[0].rank + 1, update: entries,
      path: pending.steps, cause,
    });
  }

  updatedInPlace(node: SkiplistNode, oldScore: number): void {
    const pending = this.pending;
    if (!pending || pending.op !== 'updateScore') return;
    this.pending = null;
    const last = pending.path[pending.path.length - 1];
    this.emit({
      kind: 'zslUpdateScore', ...this.base(), member: previewMember(node.member), memberLength: node.member.length,
      oldScore, score: node.score, rank: last.rank + 1, path: pending.steps,
    });
  }

  private emit(event: SkiplistTraceEvent): void {
    this.sink.emit(event);
  }
}

/**
 * Attaches a tracer to a zset for the length of a command; call only while `server.trace` is set,
 * and `detach()` it when the command is done with the key.
 */
export function traceZset(server: TracedServer, db: number, key: string, o: RedisObject): ZsetTracer {
  const tracer = new ZsetTracer(server.trace!, server, db, key, o);
  attached.get(o)?.detach();
  attached.set(o, tracer);
  tracer.watch();
  return tracer;
}

/**
 * zsetConvert made a skiplist of `o`: a command tracing it watches the new skiplist from now on
 * (call only while `server.trace` is set).
 */
export function retraceZset(o: RedisObject): void {
  attached.get(o)?.watch();
}
