// The memory model (server/memory.ts) and lazy freeing (server/lazyfree.ts): used_memory follows
// every write path exactly and never drifts, MEMORY USAGE follows objectComputeSize, big values
// are freed by the lazy-free "thread" as the engine clock advances, and the main path's work
// differs between DEL and UNLINK.
import { describe, expect, it } from 'vitest';
import { EngineHarness } from '../../support/engineHarness.ts';
import type { RedisServer } from '../../../src/engine/server/redisServer.ts';
import {
  CLIENT_BYTES, EXACT_WALK_LIMIT, STARTUP_BYTES_16_DBS, keyEntryAlloc, memoryUsage, valueAllocExact,
} from '../../../src/engine/server/memory.ts';
import { LAZYFREE_EFFORT_PER_MS } from '../../../src/engine/server/lazyfree.ts';
import { SeededRandom } from '../../../src/engine/sim/random.ts';

function newHarness(): EngineHarness {
  return new EngineHarness({ config: { 'enable-debug-command': 'yes' } });
}

function used(h: EngineHarness): number {
  return h.server.memory.usedMemory();
}

/** Recomputes every database's key bytes from scratch (exact walks) and compares. */
function expectExactAccounting(server: RedisServer): void {
  for (const db of server.dbs) {
    let bytes = 0;
    for (const e of db.dict.entries()) {
      const exact = e.value.shared ? 0 : valueAllocExact(e.value);
      expect(e.value.shared ? 0 : e.value.mem, `counted bytes of ${e.key}`).toBe(exact);
      bytes += keyEntryAlloc(e.key) + exact;
    }
    expect(db.keyBytes, `db${db.id} key bytes`).toBe(bytes);
  }
}

/** Work reported through chargeWork while running one command. */
function workOf(h: EngineHarness, ...argv: string[]): number {
  const server = h.server;
  const original = server.chargeWork.bind(server);
  let total = 0;
  server.chargeWork = (units: number) => { total += units; original(units); };
  try {
    h.raw(...argv);
  } finally {
    server.chargeWork = original;
  }
  return total;
}

function tick(h: EngineHarness, ms: number): void {
  h.clock.advance(ms);
  h.server.cron();
}

/** A reply's text (status, bulk or verbatim), or its elements' texts for an array. */
function text(h: EngineHarness, ...argv: string[]): string {
  const v = h.run(...argv);
  if ('v' in v && typeof v.v === 'string') return v.v;
  throw new Error(`not a string reply: ${JSON.stringify(v)}`);
}

function infoField(h: EngineHarness, section: string, name: string): string {
  const text = h.raw('INFO', section);
  const m = new RegExp(`\\r\\n${name}:([^\\r]*)\\r\\n`).exec(text);
  if (!m) throw new Error(`no ${name} in INFO ${section}`);
  return m[1];
}

describe('used_memory', () => {
  it('starts at the calibrated baseline plus one client', () => {
    const h = newHarness();
    expect(used(h)).toBe(STARTUP_BYTES_16_DBS + CLIENT_BYTES);
    expect(infoField(h, 'memory', 'used_memory')).toBe(String(STARTUP_BYTES_16_DBS + CLIENT_BYTES));
    expect(infoField(h, 'memory', 'used_memory_startup')).toBe(String(STARTUP_BYTES_16_DBS));
  });

  it('counts keys with jemalloc size classes, as Redis 7.0 allocates them', () => {
    const h = newHarness();
    h.raw('SET', 'seed', 'x'); // creates the 4-bucket table (32 bytes)
    const base = used(h);
    h.raw('SET', 'b', '1'); // shared integer: entry (32) + sds "b" (8)
    expect(used(h) - base).toBe(40);
    h.raw('SET', 'kkkk', '12345'); // + robj (16)
    expect(used(h) - base).toBe(40 + 56);
    h.raw('SET', 's1', 'hello'); // embstr of 25 bytes in the 32 class
    expect(used(h) - base).toBe(40 + 56 + 72);
    h.raw('EXPIRE', 's1', '100'); // expires entry (32) + its first table (32)
    expect(used(h) - base).toBe(40 + 56 + 72 + 64);
  });

  it('follows every write path and comes back exactly to where it was', () => {
    const h = newHarness();
    const base = used(h);
    const cmds: string[][] = [
      ['SET', 's', 'v'], ['APPEND', 's', 'x'.repeat(100)], ['SETRANGE', 's', '300', 'y'], ['INCR', 'n'],
      ['INCRBYFLOAT', 'f', '1.5'], ['SETBIT', 'bits', '1000', '1'], ['GETSET', 's', 'short'],
      ['MSET', 'm1', 'a', 'm2', 'b'.repeat(60)], ['SET', 'ttl', 'v', 'EX', '100'], ['PERSIST', 'ttl'],
      ['HSET', 'h', 'f1', 'v1', 'f2', 'v2'], ['HINCRBY', 'h', 'n', '5'], ['HDEL', 'h', 'f1'],
      ['HSET', 'h', 'long', 'z'.repeat(100)], ['HINCRBYFLOAT', 'h', 'fl', '0.5'],
      ['RPUSH', 'l', 'a', 'b', 'c'], ['LPUSH', 'l', 'x'.repeat(5000)], ['LSET', 'l', '1', 'changed'],
      ['LINSERT', 'l', 'BEFORE', 'c', 'ins'], ['LREM', 'l', '0', 'a'], ['LTRIM', 'l', '0', '2'], ['RPOP', 'l'],
      ['SADD', 'si', '1', '2', '3'], ['SADD', 'si', 'text'], ['SREM', 'si', '2'], ['SPOP', 'si'],
      ['ZADD', 'z', '1', 'a', '2', 'b'], ['ZINCRBY', 'z', '5', 'a'], ['ZADD', 'z', '3', 'm'.repeat(80)],
      ['ZREM', 'z', 'b'], ['ZPOPMIN', 'z'], ['ZUNIONSTORE', 'zu', '1', 'z'],
      ['SUNIONSTORE', 'su', 'si'], ['SINTERSTORE', 'empty', 'si', 'nosuch'],
      ['RENAME', 'h', 'h2'], ['MOVE', 'h2', '3'], ['COPY', 'l', 'l2'], ['COPY', 'z', 'z2', 'DB', '5'],
      ['SWAPDB', '0', '5'], ['SWAPDB', '0', '5'], ['LMOVE', 'l', 'dst', 'LEFT', 'RIGHT'],
      ['SMOVE', 'si', 'si2', '1'], ['GETDEL', 'm1'], ['GETEX', 'm2', 'PX', '1'],
      ['EXPIRE', 'n', '0'], ['SET', 'l2', 'replaced'], ['RESTORE', 'nothere', '0', 'x'],
    ];
    for (const cmd of cmds) {
      h.raw(...cmd);
      expectExactAccounting(h.server);
    }
    expect(used(h)).toBeGreaterThan(base);
    h.raw('FLUSHALL');
    expect(used(h)).toBe(base);
  });

  it('never drifts under a random stream of writes', () => {
    const h = new EngineHarness({ seed: 7, config: { 'enable-debug-command': 'yes' } });
    const base = used(h);
    const rnd = new SeededRandom(42);
    const keys = ['a', 'b', 'c', 'd', 'e'];
    const key = () => keys[rnd.below(keys.length)];
    const val = () => 'v'.repeat(rnd.below(80));
    const makers: (() => string[])[] = [
      () => ['SET', key(), val()], () => ['APPEND', key(), val()], () => ['DEL', key()],
      () => ['HSET', key(), `f${rnd.below(20)}`, val()], () => ['HDEL', key(), `f${rnd.below(20)}`],
      () => ['RPUSH', key(), val()], () => ['LPOP', key()], () => ['SADD', key(), String(rnd.below(600))],
      () => ['SADD', key(), `m${rnd.below(50)}`], () => ['SREM', key(), `m${rnd.below(50)}`],
      () => ['ZADD', key(), String(rnd.below(100)), `m${rnd.below(40)}`], () => ['ZREM', key(), `m${rnd.below(40)}`],
      () => ['RENAME', key(), key()], () => ['COPY', key(), key(), 'REPLACE'], () => ['UNLINK', key()],
      () => ['EXPIRE', key(), String(rnd.below(3))], () => ['INCR', key()], () => ['SETRANGE', key(), String(rnd.below(100)), 'x'],
    ];
    for (let i = 0; i < 3000; i++) {
      h.raw(...makers[rnd.below(makers.length)]());
      if (rnd.below(50) === 0) h.clock.advance(1000);
    }
    expectExactAccounting(h.server);
    h.raw('FLUSHALL');
    expect(used(h)).toBe(base);
  });

  it('measures big aggregates amortized, close to an exact walk, and exactly again on delete', () => {
    const h = newHarness();
    h.raw('SET', 'x', 'y'); // the keyspace table stays once made
    h.raw('DEL', 'x');
    const base = used(h);
    for (let i = 0; i < 3000; i++) h.raw('HSET', 'big', `field:${i}`, `value:${i % 7 === 0 ? 'x'.repeat(40) : i}`);
    const o = h.object('big')!;
    expect(o.encoding).toBe('hashtable');
    const exact = valueAllocExact(o);
    expect(Math.abs(o.mem! - exact) / exact).toBeLessThan(0.02);
    h.raw('DEL', 'big');
    expect(used(h)).toBe(base);
    // Small ones are always exact.
    for (let i = 0; i < EXACT_WALK_LIMIT; i++) h.raw('SADD', 'small', `m${i}`);
    expectExactAccounting(h.server);
  });

  it('records the peak and models fragmentation after a big delete until MEMORY PURGE', () => {
    const h = newHarness();
    h.raw('DEBUG', 'POPULATE', '20000', 'k', '100');
    const high = used(h);
    h.raw('FLUSHALL');
    expect(h.server.memory.peak).toBeGreaterThanOrEqual(high);
    tick(h, 100);
    const frag = Number(infoField(h, 'memory', 'allocator_frag_ratio'));
    expect(frag).toBeGreaterThan(2);
    expect(h.raw('MEMORY', 'PURGE')).toBe('+OK\r\n');
    expect(Number(infoField(h, 'memory', 'allocator_frag_ratio'))).toBeLessThan(1.2);
    expect(infoField(h, 'memory', 'used_memory_peak')).toBe(String(h.server.memory.peak));
  });
});

describe('MEMORY', () => {
  it('USAGE follows objectComputeSize (values measured on Redis 7.0.15)', () => {
    const h = newHarness();
    h.raw('RPUSH', 'l', 'a');
    h.raw('RPUSH', 'l2', 'a', 'b', 'c', 'dddddddddd');
    h.raw('HSET', 'h', 'f', 'v');
    h.raw('SADD', 's', '1', '2', '3');
    h.raw('SADD', 's2', 'a', 'b', 'c');
    h.raw('SET', 'e', '');
    h.raw('SET', 'r', 'x'.repeat(45));
    h.raw('APPEND', 'ap', 'x'.repeat(10));
    h.raw('SET', 'i', '1');
    expect(h.raw('MEMORY', 'USAGE', 'l')).toBe(':144\r\n');
    expect(h.raw('MEMORY', 'USAGE', 'l2')).toBe(':160\r\n');
    expect(h.raw('MEMORY', 'USAGE', 'h')).toBe(':64\r\n');
    expect(h.raw('MEMORY', 'USAGE', 's')).toBe(':64\r\n');
    expect(h.raw('MEMORY', 'USAGE', 's2')).toBe(':232\r\n');
    expect(h.raw('MEMORY', 'USAGE', 'e')).toBe(':64\r\n');
    expect(h.raw('MEMORY', 'USAGE', 'r')).toBe(':112\r\n');
    expect(h.raw('MEMORY', 'USAGE', 'ap')).toBe(':64\r\n');
    expect(h.raw('MEMORY', 'USAGE', 'i')).toBe(':48\r\n');
    expect(h.raw('MEMORY', 'USAGE', 'nokey')).toBe('$-1\r\n');
  });

  it('USAGE samples aggregates: the average of the first elements times the count', () => {
    const h = newHarness();
    h.raw('CONFIG', 'SET', 'set-max-intset-entries', '0');
    // Five short members, then long ones: the sample sees mostly the short ones.
    const members = Array.from({ length: 200 }, (_, i) => (i < 100 ? `s${i}` : `long-member-${'x'.repeat(40)}-${i}`));
    h.raw('SADD', 'set', ...members);
    const o = h.object('set')!;
    const all = Number(h.raw('MEMORY', 'USAGE', 'set', 'SAMPLES', '0').slice(1));
    const five = Number(h.raw('MEMORY', 'USAGE', 'set').slice(1));
    expect(all).toBe(memoryUsage('set', o, Infinity));
    expect(five).toBe(memoryUsage('set', o, 5));
    expect(h.raw('MEMORY', 'USAGE', 'set', 'SAMPLES', '5')).toBe(`:${five}\r\n`);
    // Sampling everything counts each member's real size: 100 of 8-byte sds, 100 of 64-byte.
    const slots = (o.value as { slots: number }).slots;
    expect(all).toBe(16 + 56 + 8 * slots + 100 * (24 + 8) + 100 * (24 + 64) + 8 + 24);
    // Five samples: the first five members in iteration order, averaged, times 200.
    const first = [...(o.value as { keys(): Iterable<string> }).keys()].slice(0, 5);
    const sampled = first.reduce((sum, m) => sum + 24 + (m.length < 32 ? 8 : 64), 0);
    expect(five).toBe(16 + 56 + 8 * slots + Math.floor((sampled / 5) * 200) + 8 + 24);
  });

  it('USAGE errors and HELP', () => {
    const h = newHarness();
    h.raw('SET', 'k', 'v');
    expect(h.raw('MEMORY', 'USAGE', 'k', 'SAMPLES')).toBe('-ERR syntax error\r\n');
    expect(h.raw('MEMORY', 'USAGE', 'k', 'SAMPLES', '-1')).toBe('-ERR syntax error\r\n');
    expect(h.raw('MEMORY', 'USAGE', 'k', 'SAMPLES', 'x')).toBe('-ERR value is not an integer or out of range\r\n');
    expect(h.raw('MEMORY', 'USAGE', 'k', 'other')).toBe('-ERR syntax error\r\n');
    expect(h.raw('MEMORY', 'USAGE')).toBe("-ERR wrong number of arguments for 'memory|usage' command\r\n");
    expect(h.raw('MEMORY', 'NOPE')).toBe("-ERR unknown subcommand 'NOPE'. Try MEMORY HELP.\r\n");
    const help = h.raw('MEMORY', 'HELP');
    expect(help.startsWith('*14\r\n+MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n')).toBe(true);
    expect(help).toContain('+USAGE <key> [SAMPLES <count>]\r\n');
  });

  it('STATS reports the model, per database', () => {
    const h = newHarness();
    h.raw('SET', 'a', 'v');
    h.raw('SELECT', '2');
    h.raw('SET', 'b', 'v', 'EX', '100');
    h.setProtocol(3);
    const stats = h.run('MEMORY', 'STATS');
    if (stats.t !== 'map') throw new Error('MEMORY STATS is a map in RESP3');
    const map = new Map(stats.v.map(([k, v]) => [(k as { v: string }).v, v]));
    expect(map.size).toBe(29);
    expect(map.get('total.allocated')).toEqual({ t: 'int', v: BigInt(used(h)) });
    expect(map.get('keys.count')).toEqual({ t: 'int', v: 2n });
    const int = (n: number) => ({ t: 'int', v: BigInt(n) });
    const str = (s: string) => ({ t: 'bulk', v: s });
    expect(map.get('db.2')).toEqual({ t: 'map', v: [
      [str('overhead.hashtable.main'), int(24 + 32 + 16)],
      [str('overhead.hashtable.expires'), int(24 + 32)],
      [str('overhead.hashtable.slot-to-keys'), int(0)],
    ] });
    expect(map.get('clients.normal')).toEqual(int(CLIENT_BYTES));
    expect(map.get('overhead.total')).toEqual(int(STARTUP_BYTES_16_DBS + CLIENT_BYTES + 2 * (24 + 32 + 16) + 24 + 32));
    expect(map.get('peak.percentage')?.t).toBe('double');
  });

  it('DOCTOR says an instance under 5 MB is too small to judge, and reports a big peak', () => {
    const h = newHarness();
    expect(text(h, 'MEMORY', 'DOCTOR')).toMatch(/^Hi Sam, this instance is empty/);
    h.raw('DEBUG', 'POPULATE', '100000', 'k', '100');
    expect(text(h, 'MEMORY', 'DOCTOR')).toMatch(/^Hi Sam, I can't find any memory issue/);
    h.raw('DEL', ...Array.from({ length: 80000 }, (_, i) => `k:${i}`));
    expect(text(h, 'MEMORY', 'DOCTOR')).toMatch(/Peak memory/);
  });
});

describe('lazy free', () => {
  function bigSet(h: EngineHarness, key: string, n: number): void {
    for (let i = 0; i < n; i += 1000) {
      h.raw('SADD', key, ...Array.from({ length: Math.min(1000, n - i) }, (_, j) => `member:${i + j}`));
    }
  }

  it('UNLINK hands a big value to the background thread; DEL frees it in the command', () => {
    const h = newHarness();
    bigSet(h, 'a', 100000);
    bigSet(h, 'b', 100000);
    const withBoth = used(h);
    expect(workOf(h, 'DEL', 'a')).toBe(100000);
    const afterDel = used(h);
    expect(afterDel).toBeLessThan(withBoth);
    expect(workOf(h, 'UNLINK', 'b')).toBe(0);
    // The key is gone; its value's memory is still held until the thread frees it.
    expect(h.raw('EXISTS', 'b')).toBe(':0\r\n');
    expect(infoField(h, 'memory', 'lazyfree_pending_objects')).toBe('1');
    expect(used(h)).toBeGreaterThan(afterDel - 10000);
    tick(h, (100000 / LAZYFREE_EFFORT_PER_MS) / 2);
    expect(infoField(h, 'memory', 'lazyfree_pending_objects')).toBe('1');
    const halfway = used(h);
    tick(h, 100000 / LAZYFREE_EFFORT_PER_MS);
    expect(infoField(h, 'memory', 'lazyfree_pending_objects')).toBe('0');
    expect(infoField(h, 'memory', 'lazyfreed_objects')).toBe('1');
    expect(used(h)).toBeLessThan(halfway);
    expect(h.raw('CONFIG', 'RESETSTAT')).toBe('+OK\r\n');
    expect(infoField(h, 'memory', 'lazyfreed_objects')).toBe('0');
  });

  it('small values are freed at once even by UNLINK (LAZYFREE_THRESHOLD)', () => {
    const h = newHarness();
    bigSet(h, 's', 64);
    h.raw('UNLINK', 's');
    expect(infoField(h, 'memory', 'lazyfree_pending_objects')).toBe('0');
    bigSet(h, 's', 65);
    h.raw('UNLINK', 's');
    expect(infoField(h, 'memory', 'lazyfree_pending_objects')).toBe('1');
  });

  it('the lazyfree-lazy-* settings choose which deletes are asynchronous', () => {
    const h = newHarness();
    const pending = () => h.server.lazyfree.pendingObjects;
    bigSet(h, 'k', 1000);
    h.raw('CONFIG', 'SET', 'lazyfree-lazy-user-del', 'yes');
    h.raw('DEL', 'k');
    expect(pending()).toBe(1);
    bigSet(h, 'k', 1000);
    h.raw('SET', 'k', 'v'); // overwrite: lazyfree-lazy-server-del is off
    expect(pending()).toBe(1);
    h.raw('CONFIG', 'SET', 'lazyfree-lazy-server-del', 'yes');
    bigSet(h, 'k2', 1000);
    h.raw('SET', 'k2', 'v');
    expect(pending()).toBe(2);
    h.raw('CONFIG', 'SET', 'lazyfree-lazy-expire', 'yes');
    bigSet(h, 'k3', 1000);
    h.raw('PEXPIRE', 'k3', '1');
    h.clock.advance(2);
    // Expired by the lookup, freed in the background: the thread also had time to finish.
    expect(h.raw('EXISTS', 'k3')).toBe(':0\r\n');
    expect(pending()).toBe(0);
    expect(h.server.lazyfree.freedObjects).toBe(3);
    expect(h.raw('CONFIG', 'GET', 'lazyfree-lazy-*')).toContain('lazyfree-lazy-eviction');
  });

  it('FLUSHALL ASYNC queues whole databases; lazyfree-lazy-user-flush makes it the default', () => {
    const h = newHarness();
    h.raw('DEBUG', 'POPULATE', '5000');
    h.raw('SELECT', '1');
    h.raw('DEBUG', 'POPULATE', '3000');
    const before = used(h);
    expect(workOf(h, 'FLUSHALL', 'ASYNC')).toBe(0);
    expect(h.raw('DBSIZE')).toBe(':0\r\n');
    expect(infoField(h, 'memory', 'lazyfree_pending_objects')).toBe('8000');
    expect(used(h)).toBe(before);
    tick(h, 100);
    expect(infoField(h, 'memory', 'lazyfreed_objects')).toBe('8000');
    expect(used(h)).toBe(STARTUP_BYTES_16_DBS + CLIENT_BYTES);
    h.raw('DEBUG', 'POPULATE', '100');
    expect(workOf(h, 'FLUSHDB')).toBe(100);
    h.raw('CONFIG', 'SET', 'lazyfree-lazy-user-flush', 'yes');
    h.raw('DEBUG', 'POPULATE', '100');
    expect(workOf(h, 'FLUSHDB')).toBe(0);
    expect(h.server.lazyfree.pendingObjects).toBe(100);
    expect(h.raw('FLUSHDB', 'SYNC', 'x')).toBe('-ERR syntax error\r\n');
  });
});
