// Time is injected into every server instance, so the engine never reads the wall clock itself.
// The browser world drives a virtual clock; server mode (src/node) passes a wall clock.

export interface Clock {
  /** Milliseconds since the Unix epoch, possibly fractional. */
  now(): number;
}

/** A clock that only moves when told to: the world's virtual time. */
export class VirtualClock implements Clock {
  constructor(private ms = Date.UTC(2024, 0, 1)) {}
  now(): number { return this.ms; }
  advance(ms: number): void { this.ms += ms; }
  set(ms: number): void { this.ms = ms; }
}
