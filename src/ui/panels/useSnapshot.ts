// A panel's live snapshot: asks the worker a snapshot query, and asks again when the event stream
// says something relevant happened. One query is in flight at a time and the next one waits at
// least as long as the last took, so a panel never floods the worker (the keyspace overview has
// its own watcher with the same rules, state/keyspace.ts).
import { useEffect, useRef, useState } from 'react';
import type { SnapshotQuery, SnapshotResults } from '../../engine/trace/snapshots.ts';
import type { TraceEvent } from '../../engine/trace/events.ts';
import type { EventBatch } from '../engine/engineConnection.ts';

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
    let alive = true;
    let inFlight = false;
    let wanted = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let lastTook = 0;
    let pendingEvents: TraceEvent[] = [];
    const read = () => {
      const q = latest.current.query;
      if (!alive || !q) return;
      if (inFlight) { wanted = true; return; }
      inFlight = true;
      wanted = false;
      const events = pendingEvents;
      pendingEvents = [];
      const started = performance.now();
      engine.query<K>(q).then(
        (result) => { if (alive) setState({ result, error: null, events }); },
        (e: unknown) => { if (alive) setState((s) => ({ ...s, error: e instanceof Error ? e.message : String(e), events: [] })); },
      ).finally(() => {
        inFlight = false;
        lastTook = performance.now() - started;
        if (wanted && alive) timer = setTimeout(read, Math.min(1000, lastTook));
      });
    };
    setState({ result: null, error: null, events: [] });
    read();
    const unsubscribe = engine.onEvents((batch) => {
      const hits = batch.events.filter((e) => latest.current.relevant(e));
      if (hits.length === 0 && !batch.resync && Object.keys(batch.dropped).length === 0) return;
      pendingEvents.push(...hits);
      read();
    });
    return () => {
      alive = false;
      if (timer) clearTimeout(timer);
      unsubscribe();
    };
  }, [engine, key]);
  return state;
}
