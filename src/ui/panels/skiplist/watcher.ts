// The skiplist panel's live state without a page: the focused key's snapshot, re-read when the event
// stream says the key changed (one query at a time, paced by how long the last one took and at least
// MIN_REDRAW_MS apart), and the latest skiplist operation on it (zslInsert, zslDelete, a search ...),
// shown with the snapshot read after it, which also moves the window of drawn nodes to where it
// happened unless the learner scrolled since.
import type { EncodingTraceEvent, TraceEvent } from '../../../engine/trace/events.ts';
import type { SkiplistQuery, SkiplistResult } from '../../../engine/trace/skiplist.ts';
import {
  SKIPLIST_TRACE_KINDS, type SkiplistTraceEvent, type ZslDeleteTraceEvent, type ZslInsertTraceEvent, type ZslSearchTraceEvent,
  type ZslUpdateScoreTraceEvent,
} from '../../../engine/trace/skiplistTrace.ts';
import type { EventBatch } from '../../engine/engineConnection.ts';
import { PacedWatcher } from '../../engine/pacedWatcher.ts';
import { browserClock, type WatcherClock } from '../../engine/queryPacer.ts';
import type { FocusedKey } from '../../state/panels.ts';

/** What the watcher needs of the engine (EngineWorker has it). */
export interface SkiplistEngine {
  query(query: SkiplistQuery): Promise<SkiplistResult>;
  onEvents(fn: (batch: EventBatch) => void): () => void;
}

/** The latest thing done to the key's skiplist, as the panel explains it. */
export type SkiplistOp =
  /** zslInsert; `removed` is the zslDelete before it when zslUpdateScore moved the member. */
  | { type: 'insert'; event: ZslInsertTraceEvent; removed: ZslDeleteTraceEvent | null }
  | { type: 'delete'; event: ZslDeleteTraceEvent; count: number }
  | { type: 'updateInPlace'; event: ZslUpdateScoreTraceEvent }
  | { type: 'search'; event: ZslSearchTraceEvent }
  /** ZSCORE / ZMSCORE: a dict lookup, no skiplist walk. */
  | { type: 'lookup' };

export interface LatestOp {
  op: SkiplistOp;
  /** The command that did it ('zadd', 'zrank' ...), once its command event came; null before. */
  command: string | null;
  /** The listpack -> skiplist conversion (zsetConvert's encoding event) the same command did first, if any. */
  convert: EncodingTraceEvent | null;
  /** Skiplist operations on the key in the same batch (the op is the last of them). */
  batchOps: number;
  /** Increases with every new op (restarts the step animation). */
  seq: number;
}

export const WINDOW_SIZES = [16, 32, 64, 128, 256] as const;
export const DEFAULT_WINDOW = 64;
/** Pacing: the next query waits at least as long as the last one took (at most a second). */
/**
 * Pacing: the next query waits at least as long as the last one took (at most a second), and at
 * least MIN_REDRAW_MS: while operations stream in (a pasted script, a pipeline) the diagram is
 * redrawn about ten times a second, not at every frame, so the page stays fluid (bench-frames.ts).
 */
export const MIN_REDRAW_MS = 100;
const PACING = { factor: 1, maxGapMs: 1000, minGapMs: MIN_REDRAW_MS };

export interface SkiplistView {
  focus: FocusedKey | null;
  result: SkiplistResult | null;
  error: string | null;
  latest: LatestOp | null;
  /** The rank the window is centred on (null: from the start). */
  windowRank: number | null;
  /** Nodes drawn. */
  limit: number;
  /** The window follows each new operation (false once the learner scrolls). */
  following: boolean;
}

const DICT_LOOKUPS = new Set(['zscore', 'zmscore']);

const SKIPLIST_KINDS: ReadonlySet<string> = new Set(SKIPLIST_TRACE_KINDS);

function isSkiplistEvent(e: TraceEvent): e is SkiplistTraceEvent {
  return SKIPLIST_KINDS.has(e.kind);
}

/** The rank an op happened at: where the window goes. */
export function opRank(op: SkiplistOp): number | null {
  switch (op.type) {
    case 'insert': return op.event.rank;
    case 'delete': return op.event.rank;
    case 'updateInPlace': return op.event.rank;
    case 'search': return op.event.landed?.rank ?? (op.event.path.at(-1)?.rank || null);
    case 'lookup': return null;
  }
}

export class SkiplistWatcher extends PacedWatcher<SkiplistView, SkiplistEngine> {
  private seq = 0;
  /** Ops seen since the last command event for the key (they belong to that command). */
  private open: { op: SkiplistOp | null; convert: EncodingTraceEvent | null } = { op: null, convert: null };
  /** The latest op, held until the snapshot read after it arrives: op and nodes are drawn in one render. */
  private pendingLatest: LatestOp | null = null;

  constructor(engine: SkiplistEngine, clock: WatcherClock = browserClock) {
    super(engine, { focus: null, result: null, error: null, latest: null, windowRank: null, limit: DEFAULT_WINDOW, following: true }, clock, PACING);
  }

  /** Looks at another key (or none). */
  show(focus: FocusedKey | null): void {
    const now = this.viewValue.focus;
    if (now === focus || (now && focus && now.db === focus.db && now.key === focus.key)) return;
    this.open = { op: null, convert: null };
    this.pendingLatest = null;
    this.update({ focus, result: null, error: null, latest: null, windowRank: null, following: true });
    this.refresh();
  }

  /** The learner moves the window: it stays there until the next operation on the key. */
  scrollTo(rank: number | null): void {
    this.update({ windowRank: rank, following: false });
    this.refresh();
  }

  /** Back to following: the window goes to the latest operation (or the start). */
  follow(): void {
    const op = this.viewValue.latest?.op;
    this.update({ following: true, windowRank: op ? opRank(op) : null });
    this.refresh();
  }

  setLimit(limit: number): void {
    if (limit === this.viewValue.limit) return;
    this.update({ limit });
    this.refresh();
  }

  /** The query for what is shown now. */
  currentQuery(): SkiplistQuery | null {
    const { focus, limit, windowRank } = this.viewValue;
    return focus ? { kind: 'skiplist', db: focus.db, key: focus.key, limit, focusRank: windowRank } : null;
  }

  protected onEvents(batch: EventBatch): void {
    const focus = this.viewValue.focus;
    if (!focus) return;
    let touched = batch.resync || Object.keys(batch.dropped).length > 0;
    let latest: LatestOp | null = null;
    let batchOps = 0;
    for (const e of batch.events) {
      if (isSkiplistEvent(e)) {
        if (e.db !== focus.db || e.key !== focus.key) continue;
        touched = true;
        const open = this.open;
        batchOps++;
        switch (e.kind) {
          case 'zslInsert': {
            const prev = open.op;
            const removed = e.cause === 'updateScore' && prev?.type === 'delete' && prev.event.cause === 'updateScore' ? prev.event : null;
            open.op = { type: 'insert', event: e, removed };
            break;
          }
          case 'zslDelete': {
            const prev = open.op;
            const count = prev?.type === 'delete' && prev.event.cause === e.cause && e.cause !== 'delete' && e.cause !== 'updateScore' ? prev.count + 1 : 1;
            open.op = { type: 'delete', event: e, count };
            break;
          }
          case 'zslUpdateScore': open.op = { type: 'updateInPlace', event: e }; break;
          case 'zslSearch': open.op = { type: 'search', event: e }; break;
        }
        if (open.op) latest = { op: open.op, command: null, convert: open.convert, batchOps, seq: 0 };
      } else if (e.kind === 'encoding') {
        if (e.db !== focus.db || e.key !== focus.key) continue;
        touched = true;
        if (e.type === 'zset' && e.to === 'skiplist') this.open.convert = e;
      } else if (e.kind === 'keyspace') {
        if (e.db === focus.db && e.key === focus.key && e.event !== 'keymiss') touched = true;
      } else if (e.kind === 'command') {
        if (e.db !== focus.db || !e.keys.includes(focus.key)) continue;
        touched = true;
        if (this.open.op) {
          latest = { op: this.open.op, command: e.name, convert: this.open.convert, batchOps, seq: 0 };
        } else if (DICT_LOOKUPS.has(e.name) && !e.failed) {
          latest = { op: { type: 'lookup' }, command: e.name, convert: null, batchOps, seq: 0 };
        }
        this.open = { op: null, convert: null };
      }
    }
    if (latest) {
      latest.seq = ++this.seq;
      latest.batchOps = batchOps;
      const rank = opRank(latest.op);
      this.pendingLatest = latest;
      // The next read centres its window there; the view shows it with that read's answer.
      this.viewValue = { ...this.viewValue, following: true, windowRank: rank ?? this.viewValue.windowRank };
    }
    if (touched) this.refresh();
  }

  /** One snapshot of the focused key; true when the answer is to a question no longer asked. */
  protected async query(): Promise<boolean> {
    const q = this.currentQuery();
    if (!q) return false;
    let result: SkiplistResult | null = null;
    let error: string | null = null;
    try {
      result = await this.engine.query(q);
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    if (!this.running) return false;
    const now = this.currentQuery();
    // An answer to a question no longer asked (another key, window or size) is of no use.
    if (!now || now.db !== q.db || now.key !== q.key || now.limit !== q.limit || now.focusRank !== q.focusRank) return true;
    const latest = this.pendingLatest ? { latest: this.pendingLatest } : {};
    this.pendingLatest = null;
    if (result) this.update({ result, error: null, ...latest });
    else this.update({ result: null, error, ...latest });
    return false;
  }
}
