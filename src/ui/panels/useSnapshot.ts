// A panel's live snapshot: asks the worker a snapshot query, and asks again when the event stream
// says something relevant happened, paced by QueryPacer (one query in flight, the next waits at
// least as long as the last took), so a panel never floods the worker.
import { useEffect, useRef, useState } from 'react';
import type { SnapshotQuery, SnapshotResults } from '../../engine/trace/snapshots.ts';
import type { TraceEvent } from '../../engine/trace/events.ts';
import type { EventBatch } from '../engine/engineConnection.ts';
import { browserClock, QueryPacer } from '../engine/queryPacer.ts';

const PACING = { factor: 1, maxGapMs: 1000 };

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
 * re-reads at once (pass e.g. JSON of the query).
 */
export function useSnapshot<K extends SnapshotQuery['kind']>(
  engine: PanelEngine, query: (SnapshotQuery & { kind: K }) | null, key: string,
  relevant: (e: TraceEvent) => boolean,
): SnapshotState<SnapshotResults[K]> {
  const [state, setState] = useState<SnapshotState<SnapshotResults[K]>>({ result: null, error: null, events: [] });
  const latest = useRef({ query, relevant });
  latest.current = { query, relevant };

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
      unsubscribe();
    };
  }, [engine, key]);
  return state;
}
