// Starts the engine's module worker. Vite sees `new Worker(new URL(...))` and bundles the worker.
import type { WorkerLike } from './engineConnection.ts';

export function createEngineWorker(): WorkerLike {
  const worker = new Worker(new URL('../../worker/engine.worker.ts', import.meta.url), { type: 'module', name: 'rediscope-engine' });
  // A DOM Worker does all WorkerLike asks (its handlers take richer events).
  return worker as unknown as WorkerLike;
}
