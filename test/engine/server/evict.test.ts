// maxmemory eviction (server/evict.ts) on a virtual clock: each policy picks the victims it should
// (approximated LRU and LFU through the pool, TTL, random), noeviction and volatile policies
// without volatile keys refuse writes, the tenacity limit hands the rest to the timer, and every
// run leaves a report of what was sampled, the pool and the victims.
import { describe, expect, it } from 'vitest';
import { EngineHarness } from '../../support/engineHarness.ts';
import { EVPOOL_SIZE, evictionTimeLimitUs } from '../../../src/engine/server/evict.ts';

const OOM = "-OOM command not allowed when used memory > 'maxmemory'.\r\n";
const VALUE = 'x'.repeat(200);

function harness(policy: string, seed = 1): EngineHarness {
  return new EngineHarness({ seed, config: { 'maxmemory-policy': policy, 'enable-debug-command': 'yes' } });
}

function used(h: EngineHarness): number {
  return h.server.memory.usedMemory();
}

/** Sets maxmemory so that about `keys` keys of `perKey` bytes must go. */
function limitBelow(h: EngineHarness, bytes: number): void {
  h.raw('CONFIG', 'SET', 'maxmemory', String(used(h) - bytes));
}

/** Keys `prefix:0..n-1` holding VALUE, with a TTL (seconds) when given. */
function fill(h: EngineHarness, prefix: string, n: number, ttl?: number): void {
  for (let i = 0; i < n; i++) {
    if (ttl === undefined) h.raw('SET', `${prefix}:${i}`, VALUE);
    else h.raw('SET', `${prefix}:${i}`, VALUE, 'EX', String(ttl));
  }
}

function survivors(h: EngineHarness, prefix: string, n: number): number {
  let count = 0;
  for (let i = 0; i < n; i++) if (h.server.dbs[0].dict.peek(`${prefix}:${i}`)) count++;
  return count;
}

function evictedKeys(h: EngineHarness): number {
  return Number(/\r\nevicted_keys:(\d+)\r\n/.exec(h.raw('INFO', 'stats'))![1]);
}

describe('maxmemory eviction', () => {
  it('noeviction refuses deny-oom commands with Redis\'s error, lets others run', () => {
    const h = harness('noeviction');
    fill(h, 'k', 100);
    limitBelow(h, 1000);
    expect(h.raw('SET', 'new', 'v')).toBe(OOM);
    expect(h.raw('LPUSH', 'l', 'a')).toBe(OOM);
    expect(h.raw('GET', 'k:1')).toBe(`$200\r\n${VALUE}\r\n`);
    expect(h.raw('DEL', 'k:1')).toBe(':1\r\n');
    expect(h.raw('MULTI')).toBe('+OK\r\n');
    expect(h.raw('GET', 'k:2')).toBe(OOM); // queueing takes memory too
    expect(h.raw('EXEC')).toBe('-EXECABORT Transaction discarded because of previous errors.\r\n');
    expect(evictedKeys(h)).toBe(0);
    expect(h.server.evictions.lastRun?.stop).toBe('noeviction');
    // Once under the limit again, writes are accepted.
    h.raw('CONFIG', 'SET', 'maxmemory', '0');
    expect(h.raw('SET', 'new', 'v')).toBe('+OK\r\n');
  });

  it('volatile policies without volatile keys behave like noeviction', () => {
    for (const policy of ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl']) {
      const h = harness(policy);
      fill(h, 'k', 100);
      limitBelow(h, 1000);
      expect(h.raw('SET', 'new', 'v'), policy).toBe(OOM);
      expect(h.server.evictions.lastRun?.stop, policy).toBe('nothing-to-evict');
      expect(h.server.dbs[0].size).toBe(100);
    }
  });

  it('allkeys-lru evicts the keys idle the longest, through the pool', () => {
    const h = harness('allkeys-lru');
    fill(h, 'cold', 300);
    h.clock.advance(100_000);
    fill(h, 'hot', 300);
    // CONFIG SET maxmemory starts the eviction timer, which runs before the next command.
    limitBelow(h, 100 * 300);
    const run = h.server.evictions.lastRun!;
    h.raw('SET', 'trigger', 'v');
    const cold = survivors(h, 'cold', 300);
    expect(survivors(h, 'hot', 300)).toBe(300);
    expect(cold).toBeLessThan(300);
    expect(evictedKeys(h)).toBe(300 - cold);
    expect(run.policy).toBe('allkeys-lru');
    expect(run.keysEvicted).toBeGreaterThan(0);
    expect(run.keysEvicted).toBeLessThanOrEqual(300 - cold);
    expect(run.freed).toBeGreaterThanOrEqual(run.toFree);
    const first = run.records[0];
    // The first fill sampled maxmemory-samples keys of db 0; the victim was the pool's best.
    expect(first.sampled.length).toBe(5);
    expect(first.pool.length).toBeLessThanOrEqual(EVPOOL_SIZE);
    const scores = first.pool.map((e) => e.score);
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
    expect(first.victim.score).toBe(scores[scores.length - 1]);
    expect(first.victim.idleMs).toBeGreaterThanOrEqual(100_000);
    expect(first.victim.key.startsWith('cold:')).toBe(true);
    // The latest evictions across runs stay inspectable too.
    const recent = h.server.evictions.recent;
    // (up to 32 per run: the timer's run, then the one before SET trigger)
    expect(recent.length).toBe(Math.min(32, run.keysEvicted) + Math.min(32, 300 - cold - run.keysEvicted));
    expect(recent[recent.length - 1].victim.key.startsWith('cold:')).toBe(true);
  });

  it('allkeys-lfu evicts the least frequently used keys', () => {
    const h = harness('allkeys-lfu');
    fill(h, 'rare', 300);
    fill(h, 'often', 300);
    for (let round = 0; round < 30; round++) for (let i = 0; i < 300; i++) h.raw('GET', `often:${i}`);
    limitBelow(h, 100 * 300);
    h.raw('SET', 'trigger', 'v');
    expect(survivors(h, 'often', 300)).toBe(300);
    expect(survivors(h, 'rare', 300)).toBeLessThan(300);
    const victim = h.server.evictions.lastRun!.records[0].victim;
    expect(victim.lfu).toBe(5); // LFU_INIT_VAL: never accessed
    expect(victim.score).toBe(250);
  });

  it('volatile-lru and volatile-lfu only evict keys with a TTL', () => {
    for (const policy of ['volatile-lru', 'volatile-lfu']) {
      const h = harness(policy);
      fill(h, 'persistent', 300);
      fill(h, 'volatile', 300, 10_000);
      limitBelow(h, 100 * 300);
      h.raw('SET', 'trigger', 'v');
      expect(survivors(h, 'persistent', 300), policy).toBe(300);
      expect(survivors(h, 'volatile', 300), policy).toBeLessThan(300);
    }
  });

  it('volatile-ttl evicts the keys that expire soonest', () => {
    const h = harness('volatile-ttl');
    fill(h, 'soon', 200, 1000);
    fill(h, 'late', 200, 100_000);
    fill(h, 'never', 200);
    limitBelow(h, 100 * 300);
    h.raw('SET', 'trigger', 'v');
    expect(survivors(h, 'late', 200)).toBe(200);
    expect(survivors(h, 'never', 200)).toBe(200);
    expect(survivors(h, 'soon', 200)).toBeLessThan(200);
    const victim = h.server.evictions.lastRun!.records[0].victim;
    expect(victim.expireAt).toBeGreaterThan(h.clock.now());
    expect(victim.score).toBe(-victim.expireAt!);
  });

  it('random policies pick at random, the same victims for the same seed', () => {
    const victims = (seed: number) => {
      const h = harness('allkeys-random', seed);
      fill(h, 'k', 300);
      limitBelow(h, 100 * 300);
      h.raw('SET', 'trigger', 'v');
      return h.server.evictions.lastRun!.records.map((r) => r.victim.key);
    };
    expect(victims(3)).toEqual(victims(3));
    expect(victims(3)).not.toEqual(victims(4));
    const h = harness('volatile-random');
    fill(h, 'persistent', 200);
    fill(h, 'volatile', 200, 100);
    limitBelow(h, 100 * 300);
    h.raw('SET', 'trigger', 'v');
    expect(survivors(h, 'persistent', 200)).toBe(200);
    expect(survivors(h, 'volatile', 200)).toBeLessThan(200);
  });

  it('samples every database into one pool', () => {
    const h = harness('allkeys-lru');
    h.raw('SELECT', '3');
    fill(h, 'old', 100);
    h.clock.advance(50_000);
    h.raw('SELECT', '0');
    fill(h, 'new', 100);
    h.raw('CONFIG', 'SET', 'maxmemory-samples', '10');
    limitBelow(h, 100 * 50);
    h.raw('SET', 'trigger', 'v');
    expect(h.server.dbs[3].size).toBeLessThan(100);
    expect(h.server.dbs[0].size).toBe(101);
    const rec = h.server.evictions.lastRun!.records[0];
    expect(new Set(rec.sampled.map((s) => s.db))).toEqual(new Set([0, 3]));
    expect(rec.sampled.length).toBe(20);
    expect(rec.victim.db).toBe(3);
  });

  it('fires "evicted" and signals the key', () => {
    const h = harness('allkeys-random');
    fill(h, 'k', 50);
    const events = h.recordEvents();
    limitBelow(h, 1000);
    h.raw('SET', 'trigger', 'v');
    const evicted = events.filter((e) => e.startsWith('evicted:'));
    expect(evicted.length).toBe(evictedKeys(h));
    expect(evicted.length).toBeGreaterThan(0);
    const key = evicted[0].slice('evicted:'.length);
    expect(events).toContain(`signal:${key}`);
  });

  it('stops at the tenacity limit and lets the timer finish between commands', () => {
    expect(evictionTimeLimitUs(0)).toBe(0);
    expect(evictionTimeLimitUs(10)).toBe(500);
    expect(evictionTimeLimitUs(11)).toBe(575);
    expect(evictionTimeLimitUs(100)).toBe(Infinity);
    const h = harness('allkeys-random');
    fill(h, 'k', 1000);
    h.raw('CONFIG', 'SET', 'maxmemory-eviction-tenacity', '0');
    // CONFIG SET maxmemory itself starts the timer, which runs in beforeSleep: one limited run.
    limitBelow(h, 300 * 300);
    const first = h.server.evictions.lastRun!;
    expect(first.stop).toBe('time-limit');
    expect(first.keysEvicted).toBe(16);
    expect(first.result).toBe('running');
    expect(h.server.evictions.procRunning).toBe(true);
    // The cron keeps the timer going until memory is under the limit.
    for (let i = 0; i < 50 && h.server.evictions.procRunning; i++) {
      h.clock.advance(100);
      h.server.cron();
    }
    expect(h.server.evictions.procRunning).toBe(false);
    expect(used(h)).toBeLessThanOrEqual(h.server.config.num('maxmemory'));
    expect(evictedKeys(h)).toBeGreaterThan(250);
    // Meanwhile INFO counted time over the limit.
    expect(Number(/total_eviction_exceeded_time:(\d+)/.exec(h.raw('INFO', 'stats'))![1])).toBeGreaterThan(0);
  });

  it('with lazyfree-lazy-eviction big values go to the lazy-free thread', () => {
    const h = harness('allkeys-random');
    h.raw('CONFIG', 'SET', 'lazyfree-lazy-eviction', 'yes');
    for (let k = 0; k < 20; k++) {
      h.raw('SADD', `set:${k}`, ...Array.from({ length: 200 }, (_, i) => `member:${i}`));
    }
    limitBelow(h, 5 * 20000);
    h.raw('SET', 'trigger', 'v');
    const run = h.server.evictions.lastRun!;
    expect(run.records.some((r) => r.lazy)).toBe(true);
    expect(h.server.lazyfree.pendingObjects + h.server.lazyfree.freedObjects).toBeGreaterThan(0);
    h.clock.advance(100);
    h.server.cron();
    expect(h.server.lazyfree.pendingObjects).toBe(0);
    expect(used(h)).toBeLessThanOrEqual(h.server.config.num('maxmemory'));
  });
});
