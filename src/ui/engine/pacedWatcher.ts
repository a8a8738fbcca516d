// What every panel watcher shares: a view React reads with useSyncExternalStore, kept fresh by
// snapshot queries (paced by a QueryPacer) that the engine's event batches ask for. A watcher says
// which events concern its view (onEvents) and how to read and use a snapshot (query).
import type { EventBatch } from './engineConnection.ts';
import { browserClock, DEFAULT_PACING, QueryPacer, type PacerOptions, type WatcherClock } from './queryPacer.ts';

/** What a watcher needs of the engine for its events (EngineWorker has it). */
export interface EventSource {
  onEvents(fn: (batch: EventBatch) => void): () => void;
}

export abstract class PacedWatcher<View, Engine extends EventSource> {
  protected viewValue: View;
  private readonly listeners = new Set<() => void>();
  private unsubscribeEvents: (() => void) | null = null;
  private readonly pacer: QueryPacer;

  constructor(
    protected readonly engine: Engine,
    initial: View,
    protected readonly clock: WatcherClock = browserClock,
    pacing: PacerOptions = DEFAULT_PACING,
  ) {
    this.viewValue = initial;
    this.pacer = new QueryPacer(() => this.query(), clock, pacing);
  }

  get view(): View { return this.viewValue; }

  protected get running(): boolean { return this.pacer.isRunning; }

  /** For useSyncExternalStore: calls `fn` whenever the view changes. */
  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => { this.listeners.delete(fn); };
  };

  protected update(change: Partial<View>): void {
    this.viewValue = { ...this.viewValue, ...change };
    for (const fn of [...this.listeners]) fn();
  }

  start(): void {
    if (this.running) return;
    this.pacer.start();
    this.unsubscribeEvents = this.engine.onEvents((b) => this.onEvents(b));
    this.refresh();
  }

  stop(): void {
    this.pacer.stop();
    this.unsubscribeEvents?.();
    this.unsubscribeEvents = null;
  }

  /** Asks for a fresh snapshot (as soon as the pacing allows). */
  refresh(): void {
    this.pacer.request();
  }

  /** Looks at an event batch; calls refresh() when it touched what the view shows. */
  protected abstract onEvents(batch: EventBatch): void;

  /** Reads one snapshot and updates the view; resolves true when the answer was already stale. */
  protected abstract query(): Promise<boolean>;
}
