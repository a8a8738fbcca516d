// A trace sink that keeps events until someone takes them (the worker host, once per flush), with
// a budget per kind: a burst (DEBUG POPULATE 1000000 fires a million keyspace events) keeps the
// first `perKind` of each kind and only counts the rest, so memory and the messages built from it
// stay small, and a burst of one kind never crowds out another (the command that caused it).
import { TRACE_KINDS, type TraceEvent, type TraceKind, type TraceSink } from './events.ts';

export interface TraceBatch {
  /** In the order they happened (kinds interleaved). */
  events: TraceEvent[];
  /** Events of each kind that happened beyond the budget and were not kept. */
  dropped: Partial<Record<TraceKind, number>>;
}

export class TraceRecorder implements TraceSink {
  private events: TraceEvent[] = [];
  private readonly kept = new Map<TraceKind, number>();
  private dropped: Partial<Record<TraceKind, number>> = {};
  private droppedAny = false;

  constructor(readonly perKind = 1000) {}

  emit(event: TraceEvent): void {
    const n = this.kept.get(event.kind) ?? 0;
    if (n < this.perKind) {
      this.kept.set(event.kind, n + 1);
      this.events.push(event);
    } else {
      this.dropped[event.kind] = (this.dropped[event.kind] ?? 0) + 1;
      this.droppedAny = true;
    }
  }

  /** Whether anything happened since the last take(). */
  get isEmpty(): boolean {
    return this.events.length === 0 && !this.droppedAny;
  }

  /** What happened since the last take(); the budgets start afresh. */
  take(): TraceBatch {
    const batch = { events: this.events, dropped: this.dropped };
    this.events = [];
    this.dropped = {};
    this.droppedAny = false;
    this.kept.clear();
    return batch;
  }
}

/** The number of events a batch left out, over all kinds. */
export function droppedCount(dropped: Partial<Record<TraceKind, number>>): number {
  let n = 0;
  for (const k of TRACE_KINDS) n += dropped[k] ?? 0;
  return n;
}
