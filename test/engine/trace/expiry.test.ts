// The expiry and eviction snapshot says what PTTL, PEXPIRETIME, INFO and the eviction state say,
// and reading it changes nothing; the expire-lazy, expire-cycle and evict events report the work
// the real code paths did (the keys they name are the keys deleted, their counts add up to INFO's),
// and tracing never changes what the engine does.
import { describe, expect, it } from 'vitest';
import { commandFrame, EngineHarness } from '../../support/engineHarness.ts';
import type { RespValue } from '../../support/respValue.ts';
import type { RedisServer } from '../../../src/engine/server/redisServer.ts';
import type { VirtualClock } from '../../../src/engine/sim/clock.ts';
import type {
  ExpireLazyTraceEvent, TraceEvent, TraceSink,
} from '../../../src/engine/trace/events.ts';
import { expirySnapshot, type ExpirySnapshot } from '../../../src/engine/trace/expiry.ts';
import { TRACED_CYCLE_KEYS, TRACED_ROUNDS } from '../../../src/engine/trace/expiryEvents.ts';
import { runSnapshotQuery } from '../../../src/engine/trace/snapshots.ts';
import { SeededRandom } from '../../../src/engine/sim/random.ts';
import { World } from '../../../src/engine/sim/world.ts';

const int = (v: RespValue): number => {
  if (v.t !== 'int') throw new Error(`not an integer: ${JSON.stringify(v)}`);
  return Number(v.v);
};

/** One field of INFO <section>. */
function info(h: EngineHarness, section: string, field: string): string {
  const v = h.run('INFO', section);
  if (v.t !== 'bulk' && v.t !== 'verbatim') throw new Error('INFO did not reply a bulk');
  const line = v.v.split('\r\n').find((l) => l.startsWith(`${field}:`));
  if (line === undefined) throw new Error(`no ${field} in INFO ${section}`);
  return line.slice(field.length + 1);
}

/** Keeps every event (no budget), optionally checking each against the server as it arrives. */
class Collector implements TraceSink {
  readonly events: TraceEvent[] = [];
  constructor(private readonly onEvent?: (e: TraceEvent) => void) {}
  emit(e: TraceEvent): void {
    this.events.push(e);
    this.onEvent?.(e);
  }
  of<K extends TraceEvent['kind']>(kind: K): Extract<TraceEvent, { kind: K }>[] {
    return this.events.filter((e): e is Extract<TraceEvent, { kind: K }> => e.kind === kind);
  }
}

/** serverCron n times, one period of virtual time apart (the slow cycle, then beforeSleep's fast one). */
function tick(clock: VirtualClock, server: RedisServer, n = 1): void {
  for (let i = 0; i < n; i++) {
    clock.advance(server.cronIntervalMs);
    server.cron();
  }
}

const snap = (h: EngineHarness, db = 0, limit?: number): ExpirySnapshot => expirySnapshot(h.server, { kind: 'expiry', db, limit });

describe('expiry snapshot', () => {
  it('lists volatile keys soonest first with PTTL and PEXPIRETIME, and counts them', () => {
    const h = new EngineHarness({ config: { 'enable-debug-command': 'yes' } });
    h.raw('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    const random = new SeededRandom(7);
    for (let i = 0; i < 300; i++) {
      const ms = 1 + random.below(100_000);
      if (i % 3 === 0) h.raw('SET', `px:${i}`, 'v', 'PX', String(ms));
      else if (i % 3 === 1) h.raw('SET', `ex:${i}`, 'v', 'EX', String(1 + random.below(500)));
      else h.raw('SET', `plain:${i}`, 'v');
    }
    h.raw('RPUSH', 'list', 'a');
    h.raw('PEXPIREAT', 'list', String(h.clock.now() + 5));
    h.raw('SET', 'same:b', 'v', 'PX', '777');
    h.raw('SET', 'same:a', 'v', 'PX', '777');
    h.clock.advance(1234);

    const s = snap(h, 0, 1000);
    expect(s.now).toBe(Math.floor(h.clock.now()));
    expect(s.keys).toBe(int(h.run('DBSIZE')));
    expect(s.volatile).toBe(200 + 3);
    expect(s.deadlines).toHaveLength(s.volatile);
    // Overdue keys (past their deadline, not deleted: active expiry is off) come first.
    const overdue = s.deadlines.filter((k) => k.ttl < 0);
    expect(overdue.length).toBe(s.overdue);
    expect(overdue.length).toBeGreaterThan(0);
    for (let i = 1; i < s.deadlines.length; i++) {
      const [a, b] = [s.deadlines[i - 1], s.deadlines[i]];
      expect(a.expireAt < b.expireAt || (a.expireAt === b.expireAt && a.key < b.key)).toBe(true);
    }
    const sameA = s.deadlines.findIndex((k) => k.key === 'same:a');
    expect(s.deadlines[sameA + 1].key).toBe('same:b');
    // Live keys: what PTTL and PEXPIRETIME say (asked after the snapshot: they change nothing here).
    for (const k of s.deadlines.filter((x) => x.ttl >= 0)) {
      expect(k.ttl, k.key).toBe(int(h.run('PTTL', k.key)));
      expect(k.expireAt, k.key).toBe(int(h.run('PEXPIRETIME', k.key)));
    }
    // An overdue key: PTTL expires it lazily (-2); the snapshot had shown how late it was.
    expect(overdue[0].expireAt - s.now).toBe(overdue[0].ttl);
    expect(int(h.run('PTTL', overdue[0].key))).toBe(-2);
    // A limit keeps the soonest.
    const first10 = snap(h, 0, 10);
    expect(first10.deadlines.map((k) => k.key)).toEqual(snap(h, 0, 1000).deadlines.slice(0, 10).map((k) => k.key));
    expect(first10.volatile).toBe(s.volatile - 1);
    expect(first10.dbs[0]).toEqual({ db: 0, keys: s.keys - 1, volatile: s.volatile - 1 });
  });

  it('reports the cycle\'s parameters and its last run as the engine keeps them', () => {
    const h = new EngineHarness({ config: { 'active-expire-effort': '3', hz: '20' } });
    for (let i = 0; i < 500; i++) h.raw('SET', `due:${i}`, 'v', 'PX', '50');
    for (let i = 0; i < 500; i++) h.raw('SET', `later:${i}`, 'v', 'EX', '3600');
    h.clock.advance(100);
    h.server.cron();
    const last = h.server.activeExpire.lastCycle!;
    const s = snap(h);
    expect(s.cycle).toMatchObject({
      enabled: true, hz: 20, effort: 3, keysPerLoop: 20 + 5 * 2, acceptableStale: 10 - 2,
      slowBudgetUs: last.type === 'slow' ? last.timelimitUs : 14_500, fastBudgetUs: 1000 + 250 * 2,
      cursor: h.server.dbs[0].expiresCursor, avgTtl: h.server.dbs[0].avgTtl,
      nextDb: h.server.activeExpire.currentDb % 16, timelimitExit: h.server.activeExpire.timelimitExit,
    });
    expect(s.cycle.last).not.toBeNull();
    expect(s.cycle.last!.type).toBe(last.type);
    expect(s.cycle.last!.expired).toBe(last.expired);
    expect(s.cycle.last!.sampled).toBe(last.sampled);
    const db0 = last.dbs.find((d) => d.db === 0)!;
    expect(s.cycle.last!.dbs.find((d) => d.db === 0)!.roundCount).toBe(db0.rounds.length);
    expect(s.cycle.last!.dbsVisited).toBe(last.dbs.length);
    expect(s.stats.expiredKeys).toBe(Number(info(h, 'stats', 'expired_keys')));
    expect(s.stats.expiredStalePerc).toBe(info(h, 'stats', 'expired_stale_perc'));
    expect(s.stats.expiredTimeCapReachedCount).toBe(Number(info(h, 'stats', 'expired_time_cap_reached_count')));
  });

  it('eviction: used_memory as INFO says, the pool slot for slot, the latest evictions', () => {
    const h = new EngineHarness({ seed: 3 });
    for (let i = 0; i < 300; i++) h.raw('SET', `k:${i}`, 'x'.repeat(100));
    const used = Number(info(h, 'memory', 'used_memory'));
    // Under no limit a command changes nothing here: INFO says what the snapshot says.
    expect(snap(h).eviction.usedMemory).toBe(Number(info(h, 'memory', 'used_memory')));
    h.raw('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru');
    h.raw('CONFIG', 'SET', 'maxmemory', String(used - 5000));
    for (let i = 0; i < 20; i++) {
      h.clock.advance(1000);
      h.raw('SET', `new:${i}`, 'y'.repeat(100));
    }
    const s = snap(h);
    const ev = h.server.evictions;
    expect(ev.evictedKeys).toBeGreaterThan(0);
    expect(s.eviction.maxmemory).toBe(used - 5000);
    expect(s.eviction.policy).toBe('allkeys-lru');
    expect(s.eviction.samples).toBe(5);
    // Over the limit, the next command (INFO too) evicts first: compare with the model directly.
    expect(s.eviction.usedMemory).toBe(h.server.memory.usedMemory());
    expect(s.eviction.usedMemory).toBeGreaterThan(s.eviction.maxmemory);
    expect(s.eviction.pool).toHaveLength(16);
    expect(s.eviction.pool).toEqual(ev.pool);
    expect(s.eviction.pool.some((e) => e !== null)).toBe(true);
    expect(s.eviction.recent).toEqual(ev.recent.slice(-8));
    expect(s.eviction.lastRun).toEqual({ ...ev.lastRun, records: undefined });
    expect(s.stats.evictedKeys).toBe(ev.evictedKeys);
    // INFO evicts before it runs; then it and a new snapshot agree.
    const evicted = Number(info(h, 'stats', 'evicted_keys'));
    expect(snap(h).stats.evictedKeys).toBe(evicted);
  });

  it('changes nothing: lazy expiry, rehashing, the pool, stats, LRU, events', () => {
    const h = new EngineHarness({ config: { 'enable-debug-command': 'yes', 'maxmemory-policy': 'allkeys-lru' } });
    h.raw('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    const db = h.server.dbs[0];
    // Stop right after an add that started a rehash of the expires dict.
    for (let i = 0; !(db.expires.isRehashing && db.expires.rehashIndex === 0) || i < 40; i++) h.raw('SET', `key${i}`, 'v', 'PX', String(10 + i));
    h.clock.advance(60_000);
    const used = Number(info(h, 'memory', 'used_memory'));
    h.raw('CONFIG', 'SET', 'maxmemory', String(used - 500));
    h.raw('CONFIG', 'SET', 'maxmemory', '0');
    const pool = h.server.evictions.pool.map((e) => (e ? { ...e } : null));
    const rehashIndex = db.expires.rehashIndex;
    const lru = new Map([...db.dict.entries()].map((e) => [e.key, e.value.lru]));
    const stats = { ...h.server.stats, commandCalls: undefined, errorReplies: undefined };
    const cursor = db.expiresCursor;
    const sink = new Collector();
    h.server.trace = sink;

    const s = snap(h, 0, 1000);

    expect(sink.events).toEqual([]);
    expect(db.expires.rehashIndex).toBe(rehashIndex);
    expect(db.expiresCursor).toBe(cursor);
    expect(h.server.evictions.pool).toEqual(pool);
    expect({ ...h.server.stats, commandCalls: undefined, errorReplies: undefined }).toEqual(stats);
    expect(new Map([...db.dict.entries()].map((e) => [e.key, e.value.lru]))).toEqual(lru);
    expect(s.overdue).toBe(db.expires.size);
    expect(s.deadlines.every((k) => db.dict.peek(k.key) !== undefined)).toBe(true);

    // The same reads through commands do change things: the checks above can fail.
    h.raw('GET', s.deadlines[0].key);
    expect(db.dict.peek(s.deadlines[0].key)).toBeUndefined();
    expect(sink.of('expire-lazy')).toHaveLength(1);
  });

  it('a bad db is an error result', () => {
    const h = new EngineHarness();
    expect(runSnapshotQuery(h.server, { kind: 'expiry', db: 99 })).toEqual({ kind: 'error', message: 'DB index is out of range' });
    expect((runSnapshotQuery(h.server, { kind: 'expiry', db: 3 }) as ExpirySnapshot).db).toBe(3);
  });
});

describe('expire-lazy events', () => {
  it('name the key, its deadline and the command whose lookup deleted it', () => {
    const h = new EngineHarness({ config: { 'enable-debug-command': 'yes' } });
    h.raw('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    h.raw('SET', 'a', '1', 'PX', '100');
    h.raw('SET', 'b', '1', 'PX', '100');
    h.raw('SET', 'c', '1', 'PX', '100');
    const deadline = int(h.run('PEXPIRETIME', 'a'));
    const order: string[] = [];
    const sink = new Collector((e) => order.push(e.kind === 'keyspace' ? `${e.kind}:${e.event}:${e.key}` : e.kind));
    h.server.trace = sink;
    h.clock.advance(50);
    expect(h.raw('GET', 'a')).toBe('$1\r\n1\r\n');
    expect(sink.of('expire-lazy')).toEqual([]);
    h.clock.advance(100);
    const before = Number(info(h, 'stats', 'expired_keys'));
    order.length = 0;
    expect(h.raw('GET', 'a')).toBe('$-1\r\n');
    expect(order).toEqual(['expire-lazy', 'keyspace:expired:a', 'keyspace:keymiss:a', 'command']);
    const [lazy] = sink.of('expire-lazy');
    expect(lazy).toEqual({
      kind: 'expire-lazy', at: h.clock.now(), db: 0, key: 'a', expireAt: deadline, command: 'get', client: h.client.id,
    } satisfies ExpireLazyTraceEvent);
    expect(Number(info(h, 'stats', 'expired_keys'))).toBe(before + 1);
    // Inside a transaction the command is the queued one EXEC runs.
    h.raw('MULTI');
    h.raw('EXISTS', 'b');
    h.raw('EXEC');
    expect(sink.of('expire-lazy').map((e) => [e.key, e.command])).toEqual([['a', 'get'], ['b', 'exists']]);
    // The snapshot saw c overdue; once deleted it is gone from it.
    expect(snap(h).deadlines.map((k) => k.key)).toEqual(['c']);
    h.raw('TTL', 'c');
    expect(snap(h).deadlines).toEqual([]);
    expect(sink.of('expire-lazy').map((e) => e.command)).toEqual(['get', 'exists', 'ttl']);
  });
});

describe('expire-cycle events', () => {
  it('match the cycles\' real work: sampled keys, expired keys, repeats, and INFO expired_keys', () => {
    const h = new EngineHarness({ seed: 11 });
    const { clock, server } = h;
    const random = new SeededRandom(42);
    for (let i = 0; i < 1000; i++) h.raw('SET', `short:${i}`, 'v', 'PX', String(100 + random.below(2000)));
    for (let i = 0; i < 200; i++) h.raw('SET', `long:${i}`, 'v', 'EX', '3600');
    h.raw('SELECT', '2');
    for (let i = 0; i < 100; i++) h.raw('SET', `db2:${i}`, 'v', 'PX', String(100 + random.below(500)));
    h.raw('SELECT', '0');
    const expiredBefore = Number(info(h, 'stats', 'expired_keys'));
    let checked = 0;
    // Checked as each event arrives: the expired keys are gone, the others sampled are live.
    const sink = new Collector((e) => {
      if (e.kind !== 'expire-cycle') return;
      const now = Math.floor(clock.now());
      for (const d of e.dbs) {
        const db = server.dbs[d.db];
        for (const k of d.expiredKeys) expect(db.dict.peek(k), k).toBeUndefined();
        const expired = new Set(d.expiredKeys);
        for (const k of d.sampledKeys) {
          if (expired.has(k)) continue;
          const when = db.expires.peek(k);
          expect(when, k).toBeDefined();
          expect(Number(when) >= now, k).toBe(true);
        }
        checked++;
      }
    });
    server.trace = sink;
    for (let t = 0; t < 30; t++) tick(clock, server, 1);
    clock.advance(3000);
    tick(clock, server, 10);

    const cycles = sink.of('expire-cycle');
    expect(cycles.length).toBeGreaterThan(20);
    expect(checked).toBeGreaterThan(20);
    const expiredAfter = Number(info(h, 'stats', 'expired_keys'));
    expect(expiredAfter - expiredBefore).toBe(1100);
    expect(cycles.reduce((n, e) => n + e.expired, 0)).toBe(expiredAfter - expiredBefore);
    // The 'expired' keyspace events name the same keys the cycle events name.
    const notified = sink.of('keyspace').filter((e) => e.event === 'expired').map((e) => `${e.db}:${e.key}`);
    expect(notified).toHaveLength(1100);
    const named = cycles.flatMap((e) => e.dbs.flatMap((d) => d.expiredKeys.map((k) => `${d.db}:${k}`)));
    expect(new Set(named).size).toBe(named.length);
    for (const k of named) expect(notified).toContain(k);
    let repeated = 0;
    let longest = 0;
    for (const e of cycles) {
      expect(e.type).toBe('slow');
      expect(e.keysPerLoop).toBe(20);
      expect(e.acceptableStale).toBe(10);
      expect(e.dbs.reduce((n, d) => n + d.sampled, 0)).toBe(e.sampled);
      expect(e.dbs.reduce((n, d) => n + d.expired, 0)).toBe(e.expired);
      for (const d of e.dbs) {
        expect(d.repeated).toBe(d.roundCount > 1);
        if (d.roundCount <= TRACED_ROUNDS) {
          expect(d.rounds.reduce((n, r) => n + r.sampled, 0)).toBe(d.sampled);
          expect(d.rounds.reduce((n, r) => n + r.expired, 0)).toBe(d.expired);
        } else {
          expect(d.rounds).toHaveLength(TRACED_ROUNDS); // the first ones and the last
          longest = Math.max(longest, d.roundCount);
        }
        // A database is sampled again only after a round with more than 10% expired.
        d.rounds.slice(0, -1).forEach((r) => expect(r.sampled === 0 || Math.floor((r.expired * 100) / r.sampled) > 10).toBe(true));
        if (d.stop === 'few-stale') {
          const lastRound = d.rounds[d.rounds.length - 1];
          expect(Math.floor((lastRound.expired * 100) / lastRound.sampled)).toBeLessThanOrEqual(10);
        }
        if (d.roundCount > 1) repeated++;
        expect(d.sampledKeys.length).toBe(Math.min(d.sampled, TRACED_CYCLE_KEYS));
        expect(d.expiredKeys.length).toBeLessThanOrEqual(Math.min(d.expired, TRACED_CYCLE_KEYS));
      }
    }
    expect(repeated).toBeGreaterThan(0);
    expect(longest).toBeGreaterThan(TRACED_ROUNDS);
    expect(server.dbs[0].size).toBe(200);
    expect(server.dbs[2].size).toBe(0);
    // Cycles meeting only long TTLs still report their samples, none expired.
    const quiet = cycles.at(-1)!;
    expect(quiet.expired).toBe(0);
    expect(quiet.dbs.map((d) => d.db)).toEqual([0]);
    expect(quiet.dbs[0].sampled).toBeGreaterThan(0);
  });

  it('in a seeded world on its own cron schedule: the events add up, and the same seed gives the same events', () => {
    function run(): { events: string; expired: number; left: number } {
      const world = new World({ seed: 77, startTime: 1_700_000_000_000 });
      const server = world.addServer('main');
      const c = server.connect({ write: () => {}, close: () => {} });
      const random = new SeededRandom(3);
      for (let i = 0; i < 1000; i++) c.feed(commandFrame(['SET', `k${i}`, 'v', 'PX', String(50 + random.below(4000))]));
      for (let i = 0; i < 100; i++) c.feed(commandFrame(['SET', `stay${i}`, 'v', 'EX', '3600']));
      const sink = new Collector();
      server.trace = sink;
      const before = server.stats.expiredKeys;
      world.advance(6000);
      const cycles = sink.of('expire-cycle');
      expect(cycles.reduce((n, e) => n + e.expired, 0)).toBe(server.stats.expiredKeys - before);
      // Cron runs hz (10) times a second: about 60 slow cycles, each reported (volatile keys remain).
      expect(cycles.filter((e) => e.type === 'slow').length).toBeGreaterThanOrEqual(59);
      return { events: JSON.stringify(sink.events), expired: server.stats.expiredKeys - before, left: server.dbs[0].size };
    }
    const a = run();
    expect(a.expired).toBe(1000);
    expect(a.left).toBe(100);
    expect(run()).toEqual(a);
  });

  it('a cycle stopped by its time budget says so, and fast cycles follow', () => {
    const h = new EngineHarness({ seed: 5, config: { 'enable-debug-command': 'yes' } });
    const { clock, server } = h;
    h.raw('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    for (let i = 0; i < 60_000; i++) h.raw('SET', `k${i}`, 'v', 'PX', '10');
    h.raw('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
    const sink = new Collector();
    server.trace = sink;
    const before = server.stats.expiredKeys;
    clock.advance(100);
    server.cron();
    const [slow, ...rest] = sink.of('expire-cycle');
    expect(slow.type).toBe('slow');
    expect(slow.timelimitExit).toBe(true);
    expect(slow.timelimitUs).toBe(25_000);
    expect(slow.dbs[0].stop).toBe('time-limit');
    expect(slow.dbs[0].roundCount).toBeGreaterThan(TRACED_ROUNDS);
    expect(slow.dbs[0].rounds).toHaveLength(TRACED_ROUNDS);
    expect(slow.dbs[0].sampledKeys).toHaveLength(TRACED_CYCLE_KEYS);
    // cron's beforeSleep ran a fast cycle right after.
    expect(rest.map((e) => e.type)).toEqual(['fast']);
    expect(rest[0].timelimitUs).toBe(1000);
    expect(server.stats.expiredKeys - before).toBe(slow.expired + rest[0].expired);
  });
});

describe('evict events', () => {
  for (const policy of ['allkeys-lru', 'allkeys-lfu', 'volatile-ttl', 'allkeys-random']) {
    it(`${policy}: the victims are the keys deleted, with the pool and samples they came from`, () => {
      const h = new EngineHarness({ seed: 9 });
      const { clock, server } = h;
      for (let i = 0; i < 200; i++) {
        h.raw('SET', `k:${i}`, 'x'.repeat(200), 'EX', String(100 + i));
        if (i % 10 === 0) clock.advance(1500);
      }
      for (let i = 0; i < 50; i += 3) h.raw('GET', `k:${i}`);
      const used = Number(info(h, 'memory', 'used_memory'));
      h.raw('CONFIG', 'SET', 'maxmemory-policy', policy);
      h.raw('CONFIG', 'SET', 'maxmemory', String(used - 8000));
      const sink = new Collector((e) => {
        if (e.kind === 'evict') expect(server.dbs[e.db].dict.peek(e.key), e.key).toBeUndefined();
      });
      server.trace = sink;
      const evictedBefore = server.evictions.evictedKeys;
      for (let i = 0; i < 40; i++) {
        clock.advance(200);
        h.raw('SET', `n:${i}`, 'y'.repeat(200), 'EX', '1000');
      }
      const evicts = sink.of('evict');
      expect(evicts.length).toBeGreaterThan(10);
      expect(evicts.length).toBe(server.evictions.evictedKeys - evictedBefore);
      // In the order the 'evicted' notifications came.
      expect(evicts.map((e) => e.key)).toEqual(sink.of('keyspace').filter((e) => e.event === 'evicted').map((e) => e.key));
      for (const e of evicts) {
        expect(e.policy).toBe(policy);
        expect(e.maxmemory).toBe(used - 8000);
        expect(e.usedBefore).toBeGreaterThan(e.usedAfter);
        expect(e.victim.key).toBe(e.key);
        if (policy === 'allkeys-random') {
          expect(e.pool).toEqual([]);
          continue;
        }
        // The victim is the best entry of the pool that was not a ghost.
        expect(e.pool.length).toBeGreaterThan(0);
        expect(e.pool[e.pool.length - 1 - e.ghosts.length]).toEqual(e.victim);
        for (const p of e.pool) expect(p.score).toBeLessThanOrEqual(e.pool[e.pool.length - 1].score);
        expect(e.sampledCount).toBeGreaterThan(0);
        if (policy === 'allkeys-lru') expect(e.victim.score).toBe(e.victim.idleMs);
        if (policy === 'allkeys-lfu') expect(e.victim.score).toBe(255 - e.victim.lfu!);
        if (policy === 'volatile-ttl') expect(e.victim.score).toBe(-e.victim.expireAt!);
      }
      // The recorded evictions the snapshot shows are the last events' picks.
      const s = snap(h);
      expect(s.eviction.recent.map((r) => r.victim.key)).toEqual(evicts.slice(-s.eviction.recent.length).map((e) => e.key));
      expect(s.eviction.pool).toEqual(server.evictions.pool);
    });
  }
});

describe('tracing changes nothing', () => {
  /** The same seeded session: expiry by the cycle and lazily, and evictions. */
  function session(traced: boolean): { state: string; events: number } {
    const h = new EngineHarness({ seed: 21 });
    const sink = new Collector();
    if (traced) h.server.trace = sink;
    const random = new SeededRandom(99);
    for (let step = 0; step < 1500; step++) {
      const k = `key:${random.below(400)}`;
      const r = random.below(10);
      if (r < 5) h.raw('SET', k, 'v'.repeat(random.below(300)), 'PX', String(50 + random.below(3000)));
      else if (r < 8) h.raw('GET', k);
      else h.raw('SET', k, 'w');
      if (step === 600) h.raw('CONFIG', 'SET', 'maxmemory', String(Number(info(h, 'memory', 'used_memory')) - 10_000));
      if (step === 601) h.raw('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru');
      if (step % 7 === 0) tick(h.clock, h.server, 1);
    }
    const keys = [...h.server.dbs[0].dict.entries()].map((e) => `${e.key}=${e.value.lru}`).sort().join(',');
    const state = [keys, info(h, 'stats', 'expired_keys'), info(h, 'stats', 'evicted_keys'), info(h, 'stats', 'expired_stale_perc'),
      h.server.random.nextU32()].join('|');
    return { state, events: sink.events.filter((e) => e.kind !== 'keyspace' && e.kind !== 'command').length };
  }

  it('a traced run is the same run', () => {
    const traced = session(true);
    const plain = session(false);
    expect(traced.events).toBeGreaterThan(50);
    expect(plain.events).toBe(0);
    expect(traced.state).toBe(plain.state);
  });
});
