// Pacing of a panel's snapshot queries: one in flight at a time, and the next one waits at least
// `factor` times as long as the last took (at most `maxGapMs`), so a panel over a huge keyspace
// (a query that walks a million keys) never keeps the worker busy with queries. Every panel's
// watcher asks through one of these; the clock is injectable so tests need no real timers.

/** Wall-clock time and timers: the browser's by default, a test's own otherwise. */
export interface WatcherClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const browserClock: WatcherClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface PacerOptions {
  /** The gap after a query, as a multiple of its duration. */
  factor: number;
  /** The gap never exceeds this (ms): a query that waited behind a long command took long too. */
  maxGapMs: number;
  /**
   * Nor is it shorter than this (ms; default 0): a panel that redraws on each answer then redraws
   * at most about 1000/minGapMs times a second while events stream in, however fast they come.
   */
  minGapMs?: number;
}

export const DEFAULT_PACING: PacerOptions = { factor: 2, maxGapMs: 1000 };

export class QueryPacer {
  private running = false;
  private wanted = false;
  private inFlight = false;
  private gapTimer: unknown = null;
  /** Identifies the gap timer waited on (a test clock may fire it before setTimeout returns). */
  private gapToken: object | null = null;
  private lastStart = -Infinity;
  private lastDuration = 0;

  /**
   * `task` runs one query and uses its answer; it resolves true when the answer was already stale
   * (the panel moved on meanwhile) and another query is wanted.
   */
  constructor(
    private readonly task: () => Promise<boolean>,
    private readonly clock: WatcherClock = browserClock,
    private readonly options: PacerOptions = DEFAULT_PACING,
  ) {}

  get isRunning(): boolean { return this.running; }

  start(): void { this.running = true; }

  stop(): void {
    this.running = false;
    if (this.gapTimer !== null) this.clock.clearTimeout(this.gapTimer);
    this.gapTimer = null;
    this.gapToken = null;
    this.wanted = false;
  }

  /** A query is wanted: it runs now, or once the one in flight and the pacing gap are over. */
  request(): void {
    this.wanted = true;
    this.pump();
  }

  /** `waited`: the gap timer fired, so the gap is over whatever the clock says. */
  private pump(waited = false): void {
    if (!this.running || !this.wanted || this.inFlight || this.gapToken !== null) return;
    const gap = Math.max(this.options.minGapMs ?? 0, Math.min(this.options.maxGapMs, this.lastDuration * this.options.factor));
    const wait = this.lastStart + this.lastDuration + gap - this.clock.now();
    if (wait > 0 && !waited) {
      const token = {};
      this.gapToken = token;
      const handle = this.clock.setTimeout(() => {
        if (this.gapToken !== token) return;
        this.gapToken = this.gapTimer = null;
        this.pump(true);
      }, wait);
      if (this.gapToken === token) this.gapTimer = handle;
      return;
    }
    void this.run();
  }

  private async run(): Promise<void> {
    this.wanted = false;
    this.inFlight = true;
    const started = this.lastStart = this.clock.now();
    let stale = false;
    try {
      stale = await this.task();
    } finally {
      this.inFlight = false;
      this.lastDuration = this.clock.now() - started;
    }
    if (stale) this.wanted = true;
    this.pump();
  }
}
