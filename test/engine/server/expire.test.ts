// The active expire cycle (expire.c) on a virtual clock: keys expire without being accessed, the
// cycle repeats only while many samples are stale, respects its budget, resumes across databases,
// and does exactly the same thing for the same seed.
import { describe, expect, it } from 'vitest';
// The harness (the server) first: command modules are only safe to import after it.
import { EngineHarness } from '../../support/engineHarness.ts';
import type { RedisServer } from '../../../src/engine/server/redisServer.ts';
import { activeExpireCycle, type ExpireCycleReport } from '../../../src/engine/server/expire.ts';
import { createObject } from '../../../src/engine/server/object.ts';
import type { VirtualClock } from '../../../src/engine/sim/clock.ts';
import { SeededRandom } from '../../../src/engine/sim/random.ts';

/** Adds keys straight into a database, with an absolute expire time when `when` is given. */
function fill(server: RedisServer, db: number, prefix: string, n: number, when?: number): void {
  const d = server.dbs[db];
  for (let i = 0; i < n; i++) {
    const key = `${prefix}${i}`;
    d.add(key, createObject('string', 'embstr', 'v'));
    if (when !== undefined) d.setExpire(key, when);
  }
}

/** Runs the cron (which includes the slow cycle and a beforeSleep) n times, one period apart. */
function tick(clock: VirtualClock, server: RedisServer, n = 1): void {
  for (let i = 0; i < n; i++) {
    clock.advance(server.cronIntervalMs);
    server.cron();
  }
}

describe('active expiry', () => {
  it('deletes expired keys nobody touches, and only those', () => {
    const h = new EngineHarness();
    const { clock, server } = h;
    const now = clock.now();
    fill(server, 0, 'vol:', 1000, now + 1000);
    fill(server, 0, 'later:', 100, now + 60_000);
    fill(server, 0, 'keep:', 100);
    fill(server, 3, 'other:', 200, now + 500);
    tick(clock, server, 5); // 500 ms: nothing due yet
    expect(server.dbs[0].size).toBe(1200);
    expect(server.stats.expiredKeys).toBe(0);
    clock.advance(1000);
    tick(clock, server, 20);
    expect(server.dbs[0].size).toBe(200);
    expect(server.dbs[3].size).toBe(0);
    expect(server.stats.expiredKeys).toBe(1200);
    expect(h.raw('EXISTS', 'keep:1', 'later:1')).toBe(':2\r\n');
    expect(server.dbs[0].expires.size).toBe(100);
    // The survivors' average TTL was tracked (about a minute, minus what has passed).
    expect(server.dbs[0].avgTtl).toBeGreaterThan(40_000);
    expect(server.dbs[0].avgTtl).toBeLessThan(60_000);
  });

  it('keys set through commands expire on the cron alone', () => {
    const h = new EngineHarness();
    const { clock, server } = h;
    for (let i = 0; i < 50; i++) h.raw('SET', `k${i}`, 'v', 'PX', String(100 + i));
    h.raw('SET', 'stay', 'v');
    expect(h.raw('DBSIZE')).toBe(':51\r\n');
    clock.advance(200);
    tick(clock, server, 3);
    expect(server.dbs[0].size).toBe(1);
    expect(server.stats.expiredKeys).toBe(50);
  });

  it('does nothing while active expiry is disabled', () => {
    const h = new EngineHarness();
    const { clock, server } = h;
    fill(server, 0, 'k', 100, clock.now() + 10);
    server.activeExpireEnabled = false;
    clock.advance(1000);
    tick(clock, server, 10);
    expect(server.dbs[0].size).toBe(100);
    // Lazy expiry still works.
    expect(h.raw('GET', 'k1')).toBe('$-1\r\n');
    expect(server.dbs[0].size).toBe(99);
    server.activeExpireEnabled = true;
    tick(clock, server, 3);
    expect(server.dbs[0].size).toBe(0);
  });

  it('samples 20 keys per round and stops when few samples are stale', () => {
    const { clock, server } = new EngineHarness();
    const now = clock.now();
    // 1000 volatile keys, 2% of them due.
    fill(server, 0, 'due:', 20, now + 10);
    fill(server, 0, 'later:', 980, now + 3_600_000);
    while (server.dbs[0].expires.isRehashing) server.dbs[0].expires.rehash(100);
    clock.advance(100);
    const report = activeExpireCycle(server, 'slow');
    const db0 = report.dbs.find((d) => d.db === 0)!;
    expect(db0.rounds.length).toBeGreaterThanOrEqual(1);
    const first = db0.rounds[0];
    // Whole buckets are taken, so a round may overshoot 20 a little.
    expect(first.sampled).toBeGreaterThanOrEqual(20);
    expect(first.sampled).toBeLessThan(30);
    const last = db0.rounds[db0.rounds.length - 1];
    expect(Math.floor((last.expired * 100) / last.sampled)).toBeLessThanOrEqual(10);
    expect(db0.stop).toBe('few-stale');
    // Databases without volatile keys are passed over quickly.
    expect(report.dbs.filter((d) => d.stop === 'no-volatile-keys').length).toBe(15);
  });

  it('repeats in a database while more than 10% of the samples were expired', () => {
    const { clock, server } = new EngineHarness();
    fill(server, 0, 'due:', 500, clock.now() + 10);
    fill(server, 0, 'later:', 500, clock.now() + 3_600_000);
    clock.advance(100);
    server.activeExpire.recordKeys = true;
    const report = activeExpireCycle(server, 'slow');
    const db0 = report.dbs[0];
    expect(db0.rounds.length).toBeGreaterThan(5);
    for (const r of db0.rounds.slice(0, -1)) {
      expect(r.sampled === 0 || Math.floor((r.expired * 100) / r.sampled) > 10).toBe(true);
    }
    // The keys the panel would show: every expired one was sampled, and really is gone.
    for (const r of db0.rounds) {
      expect(r.sampledKeys!.length).toBe(r.sampled);
      expect(r.expiredKeys!.length).toBe(r.expired);
      for (const k of r.expiredKeys!) {
        expect(k.startsWith('due:')).toBe(true);
        expect(server.dbs[0].dict.has(k)).toBe(false);
      }
    }
    expect(report.expired).toBe(db0.rounds.reduce((s, r) => s + r.expired, 0));
    expect(server.stats.expiredKeys).toBe(report.expired);
  });

  it('effort raises the keys per round', () => {
    const { clock, server } = new EngineHarness({ config: { 'active-expire-effort': '10' } });
    fill(server, 0, 'later:', 5000, clock.now() + 3_600_000);
    while (server.dbs[0].expires.isRehashing) server.dbs[0].expires.rehash(100);
    const report = activeExpireCycle(server, 'slow');
    const first = report.dbs[0].rounds[0];
    expect(first.sampled).toBeGreaterThanOrEqual(20 + 5 * 9);
    expect(first.sampled).toBeLessThan(20 + 5 * 9 + 10);
    // 25% + 2% per effort step of a 100 ms period.
    expect(report.timelimitUs).toBe(43_000);
  });

  it('runs out of time with many expired keys, then fast cycles help', () => {
    const { clock, server } = new EngineHarness();
    fill(server, 0, 'due:', 100_000, clock.now() + 10);
    clock.advance(100);
    const first = activeExpireCycle(server, 'slow');
    expect(first.timelimitUs).toBe(25_000);
    expect(first.timelimitExit).toBe(true);
    expect(first.dbs[0].stop).toBe('time-limit');
    expect(first.elapsedUs).toBeGreaterThan(25_000);
    expect(first.expired).toBeGreaterThan(10_000);
    expect(first.expired).toBeLessThan(100_000);
    expect(server.activeExpire.timeCapReachedCount).toBe(1);
    // A fast cycle is due now (at most every 2 ms), with a 1 ms budget.
    const fast = activeExpireCycle(server, 'fast');
    expect(fast.ran).toBe(true);
    expect(fast.timelimitUs).toBe(1000);
    expect(fast.expired).toBeGreaterThan(0);
    const tooSoon = activeExpireCycle(server, 'fast');
    expect(tooSoon.ran).toBe(false);
    expect(tooSoon.skipped).toBe('too-soon');
    // After running out of time, the next cycle visits every database.
    expect(fast.dbs.length).toBe(16);
    // The tail waits for the sparse table to shrink (sampling under 1% fill is skipped).
    let ticks = 0;
    while (server.dbs[0].size > 0 && ticks < 100) { tick(clock, server, 1); ticks++; }
    expect(server.dbs[0].size).toBe(0);
    expect(ticks).toBeGreaterThan(2);
    expect(server.stats.expiredKeys).toBe(100_000);
    expect(server.activeExpire.cycleCpuMs).toBeGreaterThan(80);
    // With nothing left to do, fast cycles are not needed.
    tick(clock, server, 1);
    expect(activeExpireCycle(server, 'fast').skipped).toBe('not-needed');
    expect(Number(server.activeExpire.stalePercInfo)).toBeGreaterThan(0);
  });

  it('stops on a sparse expires table and samples again once the cron shrank it', () => {
    const { clock, server } = new EngineHarness();
    const db = server.dbs[0];
    fill(server, 0, 'k', 10_000, clock.now() + 3_600_000);
    while (db.expires.isRehashing) db.expires.rehash(100);
    for (let i = 0; i < 9_950; i++) db.removeExpire(`k${i}`);
    expect(db.expires.slots).toBe(16384);
    const report = activeExpireCycle(server, 'slow');
    expect(report.dbs[0].stop).toBe('sparse-table');
    expect(report.dbs[0].rounds.length).toBe(0);
    // The cron resizes the expires dict, then rehashes it (after the main dict's own rehash).
    for (let i = 0; i < 50 && (db.expires.slots !== 64 || db.expires.isRehashing); i++) tick(clock, server, 1);
    expect(db.expires.slots).toBe(64);
    const after = activeExpireCycle(server, 'slow');
    expect(after.dbs.find((d) => d.db === 0)!.rounds.length).toBeGreaterThan(0);
  });

  it('resumes with the next database and moves the bucket cursor', () => {
    const { clock, server } = new EngineHarness({ config: { databases: '20' } });
    for (let d = 0; d < 20; d++) fill(server, d, 'k', 50, clock.now() + 3_600_000);
    const first = activeExpireCycle(server, 'slow');
    expect(first.dbs.map((d) => d.db)).toEqual(Array.from({ length: 16 }, (_, i) => i));
    const second = activeExpireCycle(server, 'slow');
    expect(second.dbs.map((d) => d.db)).toEqual([16, 17, 18, 19, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(server.dbs[0].expiresCursor).toBeGreaterThan(0);
    // The cursor is reset when the database is emptied.
    server.dbs[0].empty();
    expect(server.dbs[0].expiresCursor).toBe(0);
  });

  it('is deterministic: same seed and inputs, same cycles', () => {
    const run = () => {
      const h = new EngineHarness({ seed: 42 });
      const { clock, server } = h;
      const rnd = new SeededRandom(7);
      const reports: ExpireCycleReport[] = [];
      for (let step = 0; step < 40; step++) {
        for (let i = 0; i < 200; i++) h.raw('SET', `k${rnd.below(5000)}`, 'v', 'PX', String(1 + rnd.below(3000)));
        clock.advance(server.cronIntervalMs);
        server.cron();
        reports.push(server.activeExpire.lastCycle!);
      }
      return { reports: JSON.stringify(reports), size: server.dbs[0].size, expired: server.stats.expiredKeys };
    };
    const a = run(), b = run();
    expect(a.expired).toBeGreaterThan(1000);
    expect(b).toEqual(a);
  });

  it('keeps INFO stats', () => {
    const { clock, server } = new EngineHarness();
    fill(server, 0, 'due:', 100, clock.now() + 1);
    fill(server, 0, 'later:', 100, clock.now() + 3_600_000);
    clock.advance(10);
    tick(clock, server, 1);
    const s = server.activeExpire;
    expect(s.stalePerc).toBeGreaterThan(0);
    expect(s.stalePercInfo).toMatch(/^\d+\.\d\d$/);
    expect(s.timeCapReachedCount).toBe(0);
    expect(s.cycleTimeUsedUs).toBeGreaterThan(0);
    s.resetStats();
    expect(s.stalePerc).toBe(0);
    expect(s.cycleTimeUsedUs).toBe(0);
  });
});
