// The engine worker's status for the page: starting, ready, busy, restarted after a failure.
import { create } from 'zustand';
import type { EngineStatus, EngineWorker } from '../engine/engineConnection.ts';

export const useEngineStatus = create<EngineStatus>()(() => ({
  state: 'starting', redisVersion: null, restarts: 0, lastFailure: null,
}));

/** Mirrors the worker's status into the store; returns the unsubscribe function. */
export function trackEngine(engine: EngineWorker): () => void {
  useEngineStatus.setState(engine.status, true);
  return engine.subscribe((s) => useEngineStatus.setState(s, true));
}
