// The expiry panel's logic without a page: folding the engine's real trace events into what the
// panel shows (recent lazy expiries, the latest cycle in the shown db, evictions, fading marks),
// which steps of which Redis function an event plays, the TTL axis's window and ticks, and the
// words for why a victim was chosen.
import { describe, expect, it } from 'vitest';
import { EngineHarness } from '../../support/engineHarness.ts';
import type { TraceEvent, TraceSink } from '../../../src/engine/trace/events.ts';
import {
  autoWindow, axisTicks, cycleSteps, emptyActivity, evictSteps, formatBytes, formatMs, GHOST_MS, LAZY_STEPS, liveGhosts,
  memoryShare, RECENT_LAZY, reduceActivity, victimReason, WINDOWS_MS,
} from '../../../src/ui/panels/expiry/model.ts';

class Collector implements TraceSink {
  events: TraceEvent[] = [];
  emit(e: TraceEvent): void { this.events.push(e); }
  take(): TraceEvent[] { const e = this.events; this.events = []; return e; }
}

/** A harness whose trace goes to a collector, active expiry off (DEBUG SET-ACTIVE-EXPIRE 0). */
function traced(config: Record<string, string> = {}) {
  const h = new EngineHarness({ seed: 4, config: { 'enable-debug-command': 'yes', ...config } });
  const sink = new Collector();
  h.server.trace = sink;
  return { h, sink };
}

const units = { ms: 'ms', d: 'd', h: 'h', m: 'm', s: 's' };

describe('activity from the engine\'s events', () => {
  it('lazy expiries of the shown db, newest last, with a fading mark and the expireIfNeeded steps', () => {
    const { h, sink } = traced();
    h.raw('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    for (let i = 0; i < 20; i++) h.raw('SET', `k${i}`, 'v', 'PX', '100');
    h.raw('SELECT', '1');
    h.raw('SET', 'other', 'v', 'PX', '100');
    h.raw('SELECT', '0');
    h.clock.advance(500);
    sink.take();
    for (let i = 0; i < 20; i++) h.raw('GET', `k${i}`);
    h.raw('SELECT', '1');
    h.raw('GET', 'other');
    const events = sink.take();
    let a = emptyActivity(0);
    a = reduceActivity(a, events, 1000);
    expect(a.lazy.map((e) => e.key)).toEqual(Array.from({ length: RECENT_LAZY }, (_, i) => `k${20 - RECENT_LAZY + i}`));
    expect(a.lazy.every((e) => e.command === 'get' && e.db === 0)).toBe(true);
    expect(a.plays).toEqual({ expireIfNeeded: { fn: 'expireIfNeeded', steps: LAZY_STEPS, seq: 20 } });
    expect(a.ghosts.filter((g) => g.how === 'lazy')).toHaveLength(20);
    // db1's panel sees only its own.
    const b = reduceActivity(emptyActivity(1), events, 1000);
    expect(b.lazy.map((e) => e.key)).toEqual(['other']);
    // Marks fade: gone after GHOST_MS.
    expect(liveGhosts(a.ghosts, 1000 + GHOST_MS - 1)).toHaveLength(20);
    expect(liveGhosts(a.ghosts, 1000 + GHOST_MS)).toHaveLength(0);
    // Nothing relevant: the same object (no re-render).
    expect(reduceActivity(a, [], 2000)).toBe(a);
    h.raw('SET', 'x', 'y');
    expect(reduceActivity(a, sink.take(), 2000)).toBe(a);
  });

  it('a cycle that repeated and deleted keys plays sample, delete and repeat; its deleted keys fade at now', () => {
    const { h, sink } = traced();
    for (let i = 0; i < 400; i++) h.raw('SET', `due:${i}`, 'v', 'PX', '10');
    for (let i = 0; i < 100; i++) h.raw('SET', `later:${i}`, 'v', 'EX', '1000');
    h.clock.advance(100);
    sink.take();
    h.server.cron();
    const events = sink.take();
    const cycle = events.find((e) => e.kind === 'expire-cycle')!;
    if (cycle.kind !== 'expire-cycle') throw new Error('no cycle');
    const a = reduceActivity(emptyActivity(0), events, 0);
    expect(a.cycles).toHaveLength(1);
    const d = a.cycles[0].db;
    expect(d.db).toBe(0);
    expect(d.repeated).toBe(true);
    expect(d.expired).toBeGreaterThan(0);
    expect(a.plays.activeExpireCycle?.steps).toEqual(cycleSteps(d, cycle));
    expect(a.plays.activeExpireCycle?.steps).toEqual([0, 1, 2, 3]);
    const fading = a.ghosts.filter((g) => g.how === 'cycle');
    expect(fading.map((g) => g.key)).toEqual(d.expiredKeys);
    expect(fading.every((g) => g.expireAt === cycle.at)).toBe(true);
    // A db the cycle did not find volatile keys in is not concerned.
    expect(reduceActivity(emptyActivity(5), events, 0).cycles).toEqual([]);
  });

  it('evictions: every db\'s victims, the performEvictions steps (fewer for random policies)', () => {
    for (const [policy, steps] of [['allkeys-lru', [0, 1, 2, 3, 4]], ['allkeys-random', [0, 3, 4]]] as const) {
      const { h, sink } = traced({ 'maxmemory-policy': policy });
      for (let i = 0; i < 100; i++) h.raw('SET', `k${i}`, 'x'.repeat(100));
      const used = h.server.memory.usedMemory();
      h.raw('CONFIG', 'SET', 'maxmemory', String(used - 2000));
      for (let i = 0; i < 5; i++) h.raw('SET', `n${i}`, 'x'.repeat(100));
      const events = sink.take();
      const evicted = events.filter((e) => e.kind === 'keyspace' && e.event === 'evicted').map((e) => (e.kind === 'keyspace' ? e.key : ''));
      const a = reduceActivity(emptyActivity(3), events, 0);
      expect(a.evictions.map((e) => e.key)).toEqual(evicted.slice(-a.evictions.length));
      expect(a.evictions.length).toBeGreaterThan(0);
      expect(a.plays.performEvictions?.steps).toEqual(steps);
      expect(evictSteps(a.evictions[0])).toEqual(steps);
    }
  });
});

describe('the axis', () => {
  it('auto window: the smallest that holds the TTLs shown', () => {
    expect(autoWindow([])).toBe(5_000);
    expect(autoWindow([-500, 4_000])).toBe(5_000);
    expect(autoWindow([5_001])).toBe(10_000);
    expect(autoWindow([90_000, 10])).toBe(300_000);
    expect(autoWindow([1e12])).toBe(WINDOWS_MS[WINDOWS_MS.length - 1]);
  });

  it('ticks are round values from 0 to the window', () => {
    expect(axisTicks(10_000)).toEqual([0, 2_000, 4_000, 6_000, 8_000, 10_000]);
    expect(axisTicks(60_000)).toEqual([0, 15_000, 30_000, 45_000, 60_000]);
    expect(axisTicks(3_600_000)).toEqual([0, 900_000, 1_800_000, 2_700_000, 3_600_000]);
    for (const w of WINDOWS_MS) {
      const ticks = axisTicks(w);
      expect(ticks[0]).toBe(0);
      expect(ticks.length).toBeGreaterThanOrEqual(2);
      expect(ticks.length).toBeLessThanOrEqual(6);
      expect(ticks[ticks.length - 1]).toBeLessThanOrEqual(w);
    }
  });

  it('durations and sizes for people', () => {
    expect(formatMs(850, units)).toBe('850ms');
    expect(formatMs(-1_250, units)).toBe('-1.2s');
    expect(formatMs(125_000, units)).toBe('2m 05s');
    expect(formatMs(3_720_000, units)).toBe('1h 02m');
    expect(formatMs(3 * 86_400_000 + 4 * 3_600_000, units)).toBe('3d 04h');
    expect(formatBytes(1023)).toBe('1023B');
    expect(formatBytes(1536)).toBe('1.50K');
    expect(formatBytes(2 * 1024 * 1024)).toBe('2.00M');
    expect(memoryShare(50, 0)).toBeNull();
    expect(memoryShare(150, 100)).toBe(1.5);
  });
});

describe('why a victim', () => {
  it('says the figure its score came from, by policy', () => {
    expect(victimReason('allkeys-lru', { db: 0, key: 'a', score: 5000, idleMs: 5000 })).toEqual({ kind: 'idle', idleMs: 5000 });
    expect(victimReason('volatile-lfu', { db: 0, key: 'a', score: 250, lfu: 5 })).toEqual({ kind: 'lfu', counter: 5 });
    expect(victimReason('volatile-ttl', { db: 0, key: 'a', score: -99, expireAt: 99 })).toEqual({ kind: 'ttl', expireAt: 99 });
    expect(victimReason('allkeys-random', { db: 0, key: 'a', score: 0 })).toEqual({ kind: 'random' });
  });
});
