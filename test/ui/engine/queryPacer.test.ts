// QueryPacer: one query in flight; the next waits the pacing gap (a multiple of the last query's
// duration, capped, and at least minGapMs); requests during a gap become one query; a test clock
// that fires its timers at once does not make it loop.
import { describe, expect, it } from 'vitest';
import { QueryPacer, type WatcherClock } from '../../../src/ui/engine/queryPacer.ts';

/** A clock moved by hand: timers fire when `advance` passes their time. */
class ManualClock implements WatcherClock {
  time = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  private next = 1;
  now(): number { return this.time; }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.timers.set(id, { at: this.time + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void { this.timers.delete(handle as number); }
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.time = due[1].at;
      due[1].fn();
    }
    this.time = end;
  }
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('QueryPacer', () => {
  it('waits at least minGapMs between queries, and requests during the gap become one query', async () => {
    const clock = new ManualClock();
    const starts: number[] = [];
    const pacer = new QueryPacer(async () => { starts.push(clock.now()); return false; }, clock, { factor: 1, maxGapMs: 1000, minGapMs: 100 });
    pacer.start();
    pacer.request();
    await settle();
    expect(starts).toEqual([0]); // the first runs at once
    for (let i = 0; i < 5; i++) { clock.advance(10); pacer.request(); await settle(); }
    expect(starts).toEqual([0]);
    clock.advance(49);
    await settle();
    expect(starts).toEqual([0]);
    clock.advance(1);
    await settle();
    expect(starts).toEqual([0, 100]);
    // Nothing asked since: nothing runs.
    clock.advance(500);
    await settle();
    expect(starts).toEqual([0, 100]);
    // Long after the last one, a request runs at once.
    pacer.request();
    await settle();
    expect(starts).toEqual([0, 100, 600]);
    pacer.stop();
  });

  it('a slow query spaces the next by its duration times the factor, capped at maxGapMs', async () => {
    const clock = new ManualClock();
    const starts: number[] = [];
    let finish: (() => void) | null = null;
    const pacer = new QueryPacer(async () => {
      starts.push(clock.now());
      await new Promise<void>((r) => { finish = r; });
      return false;
    }, clock, { factor: 2, maxGapMs: 1000, minGapMs: 50 });
    /** The query in flight ends after `ms`. */
    const take = async (ms: number) => { clock.advance(ms); finish!(); finish = null; await settle(); };
    pacer.start();
    pacer.request();
    await settle();
    pacer.request(); // while the first is in flight
    await take(300); // ends at 300: the next waits 2 x 300
    clock.advance(599);
    await settle();
    expect(starts).toEqual([0]);
    clock.advance(1);
    await settle();
    expect(starts).toEqual([0, 900]);
    pacer.request();
    await take(2000); // ends at 2900: the gap is capped at 1000
    clock.advance(999);
    await settle();
    expect(starts).toEqual([0, 900]);
    clock.advance(1);
    await settle();
    expect(starts).toEqual([0, 900, 3900]);
    pacer.stop();
  });

  it('a clock that fires timers at once runs the query after the gap instead of looping', async () => {
    const clock: WatcherClock = { now: () => 0, setTimeout: (fn) => { fn(); return 0; }, clearTimeout: () => {} };
    let runs = 0;
    const pacer = new QueryPacer(async () => { runs++; return false; }, clock, { factor: 1, maxGapMs: 1000, minGapMs: 100 });
    pacer.start();
    pacer.request();
    await settle();
    pacer.request();
    await settle();
    pacer.request();
    await settle();
    expect(runs).toBe(3);
    pacer.stop();
  });

  it('stop() cancels a query waiting for its gap', async () => {
    const clock = new ManualClock();
    let runs = 0;
    const pacer = new QueryPacer(async () => { runs++; return false; }, clock, { factor: 1, maxGapMs: 1000, minGapMs: 100 });
    pacer.start();
    pacer.request();
    await settle();
    pacer.request();
    pacer.stop();
    clock.advance(1000);
    await settle();
    expect(runs).toBe(1);
  });
});
