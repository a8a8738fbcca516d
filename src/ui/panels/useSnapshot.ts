// A panel's live snapshot: asks the worker a snapshot query, and asks again when the event stream
// says something relevant happened, paced by QueryPacer (one query in flight, the next waits at
// least as long as the last took), so a panel never floods the worker.
import { useEffect, useRef, useState } from 'react';
import type { SnapshotQuery, SnapshotResults } from '../../engine/trace/snapshots.ts';
import type { TraceEvent } from '../../engine/trace/events.ts';
import type { EventBatch } from '../engine/engineConnection.ts';
import { browserClock, QueryPacer } from '../engine/queryPacer.ts';

/**
 * The next read waits at least as long as the last took (at most a second), and at least 100 ms: a
 * panel redraws about ten times a second at most while events stream in (a rehash the cron drives,
 * a pasted script), so the page keeps its frames (scripts/bench-frames.ts).
 */
const PACING = { factor: 1, maxGapMs: 1000, minGapMs: 100 };

/** What a panel needs of the engine (EngineWorker has it). */
export interface PanelEngine {
  query<K extends SnapshotQuery['kind']>(query: SnapshotQuery & { kind: K }): Promise<SnapshotResults[K]>;
  onEvents(fn: (batch: EventBatch) => void): () => void;
}

export interface SnapshotState<R> {
  result: R | null;
  error: string | null;
  /** The trace events since the previous snapshot that made it be read again (for animation). */
  events: readonly TraceEvent[];
}

/**
 * The latest answer to `query` (null: nothing to ask). `relevant` says whether an event should
 * cause a re-read; a resync or dropped events always do. `key` identifies the query: a new key
 * re-reads at once (pass e.g. JSON of the query). A change of `refresh` asks again too, keeping
 * the answer shown meanwhile (for changes no event reports, e.g. what the time status says).
 */
export function useSnapshot<K extends SnapshotQuery['kind']>(
  engine: PanelEngine, query: (SnapshotQuery & { kind: K }) | null, key: string,
  relevant: (e: TraceEvent) => boolean, refresh?: string,
): SnapshotState<SnapshotResults[K]> {
  const [state, setState] = useState<SnapshotState<SnapshotResults[K]>>({ result: null, error: null, events: [] });
  const latest = useRef({ query, relevant });
  latest.current = { query, relevant };
  const pacerRef = useRef<QueryPacer | null>(null);
  useEffect(() => { pacerRef.current?.request(); }, [refresh]);

  useEffect(() => {
    let pendingEvents: TraceEvent[] = [];
    const pacer = new QueryPacer(async () => {
      const q = latest.current.query;
      if (!q) return false;
      const events = pendingEvents;
      pendingEvents = [];
      try {
        const result = await engine.query<K>(q);
        if (pacer.isRunning) setState({ result, error: null, events });
      } catch (e) {
        if (pacer.isRunning) setState((s) => ({ ...s, error: e instanceof Error ? e.message : String(e), events: [] }));
      }
      return false;
    }, browserClock, PACING);
    setState({ result: null, error: null, events: [] });
    pacerRef.current = pacer;
    pacer.start();
    pacer.request();
    const unsubscribe = engine.onEvents((batch) => {
      const hits = batch.events.filter((e) => latest.current.relevant(e));
      if (hits.length === 0 && !batch.resync && Object.keys(batch.dropped).length === 0) return;
      pendingEvents.push(...hits);
      pacer.request();
    });
    return () => {
      pacer.stop();
      if (pacerRef.current === pacer) pacerRef.current = null;
      unsubscribe();
    };
  }, [engine, key]);
  return state;
}
