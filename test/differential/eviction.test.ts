// maxmemory eviction against a real Redis 7.0.15, statistically: Redis's sampling is random, so
// the same run cannot evict the same keys on both sides, but with the same dataset and the same
// limit above each side's own memory, each policy must evict about as many keys, from the same
// classes of keys. noeviction, and volatile policies without volatile keys, must refuse writes
// with exactly Redis's replies. Tolerances (docs/memory.md): evicted_keys within
// EVICTED_TOLERANCE of Redis's count; each class's survivors within CLASS_TOLERANCE keys.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DifferentialPair, type ClientPair, type Command } from './harness.ts';

/** Relative difference allowed between the two evicted_keys counts. */
const EVICTED_TOLERANCE = 0.1;
/** Keys (out of CLASS_SIZE) by which a class's survivors may differ between the sides. */
const CLASS_TOLERANCE = 100;

const CLASS_SIZE = 1000;
/** Keys written once the limit is set: about this many old keys must go. */
const NEW_KEYS = 1000;
const VALUE = 'x'.repeat(1000);
/** maxmemory = each side's own used_memory (client buffers taken out) + this. */
const HEADROOM = 64 * 1024;

type KeyClass = 'cold' | 'hot' | 'vcold' | 'vhot' | 'new';
const CLASSES: KeyClass[] = ['cold', 'hot', 'vcold', 'vhot', 'new'];

let pair: DifferentialPair;
let observer: ClientPair;

beforeAll(async () => {
  pair = await DifferentialPair.start();
  observer = await pair.connect();
});

afterAll(async () => {
  await pair?.stop();
});

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

function keysOf(cls: KeyClass, n = CLASS_SIZE): string[] {
  return Array.from({ length: n }, (_, i) => `${cls}:${i}`);
}

/** Sends commands to one side in small pipelines (small enough not to grow Redis's query buffer). */
async function send(side: 'real' | 'engine', commands: Command[], batch = 10): Promise<string[]> {
  const client = side === 'real' ? pair.main.real : pair.main.engine;
  const out: string[] = [];
  for (let i = 0; i < commands.length; i += batch) {
    for (const r of await client.pipeline(commands.slice(i, i + batch))) out.push(r.toString('latin1'));
  }
  return out;
}

async function both(commands: Command[], batch = 10): Promise<[string[], string[]]> {
  return Promise.all([send('real', commands, batch), send('engine', commands, batch)]);
}

function info(b: Buffer, field: string): number {
  const m = new RegExp(`\\r\\n${field}:(\\d+)\\r\\n`).exec(b.toString('latin1'));
  if (!m) throw new Error(`no ${field}`);
  return Number(m[1]);
}

/** Each side's used_memory, once the crons settled resizes and client buffers. */
async function usedMemory(): Promise<[number, number]> {
  await sleep(300);
  const [r, e] = await observer.both('INFO', 'memory');
  return [info(r, 'used_memory'), info(e, 'used_memory')];
}

interface Outcome {
  evicted: number;
  survivors: Record<KeyClass, number>;
}

async function outcome(client: 'real' | 'engine'): Promise<Outcome> {
  const c = client === 'real' ? observer.real : observer.engine;
  const evicted = info(await c.call('INFO', 'stats'), 'evicted_keys');
  const survivors = {} as Record<KeyClass, number>;
  for (const cls of CLASSES) {
    const reply = (await c.call('EXISTS', ...keysOf(cls, cls === 'new' ? NEW_KEYS : CLASS_SIZE))).toString('latin1');
    survivors[cls] = Number(reply.slice(1, -2));
  }
  return { evicted, survivors };
}

/**
 * The scenario every eviction policy runs: four classes of CLASS_SIZE keys (with or without a
 * TTL, accessed often or never), then the limit, then NEW_KEYS more keys.
 */
async function runPolicy(policy: string): Promise<[Outcome, Outcome]> {
  await pair.main.checkAll([
    ['CONFIG', 'SET', 'maxmemory', '0'], ['FLUSHALL'], ['CONFIG', 'RESETSTAT'],
    ['CONFIG', 'SET', 'maxmemory-policy', policy], ['CONFIG', 'SET', 'lfu-decay-time', '0'],
  ]);
  // Classes interleaved, so that where the clock's second ticks over treats them alike.
  const load: Command[] = [];
  for (let i = 0; i < CLASS_SIZE; i++) {
    load.push(['SET', `cold:${i}`, VALUE], ['SET', `vcold:${i}`, VALUE, 'EX', '100000'],
      ['SET', `hot:${i}`, VALUE], ['SET', `vhot:${i}`, VALUE, 'EX', '1000']);
  }
  await both(load, 50);
  // The LRU clock ticks in seconds: let the cold keys age before the hot ones are touched.
  if (policy.endsWith('-lru')) await sleep(2200);
  const touches: Command[] = [];
  for (let round = 0; round < 10; round++) for (const k of [...keysOf('hot'), ...keysOf('vhot')]) touches.push(['GET', k]);
  await both(touches, 200);
  const [usedReal, usedEngine] = await usedMemory();
  await Promise.all([
    observer.real.call('CONFIG', 'SET', 'maxmemory', String(usedReal + HEADROOM)),
    observer.engine.call('CONFIG', 'SET', 'maxmemory', String(usedEngine + HEADROOM)),
  ]);
  const [realReplies, engineReplies] = await both(keysOf('new', NEW_KEYS).map((k) => ['SET', k, VALUE]));
  // Every policy here has something to evict: every write succeeds on both sides.
  expect(new Set(engineReplies)).toEqual(new Set(['+OK\r\n']));
  expect(new Set(realReplies)).toEqual(new Set(['+OK\r\n']));
  await sleep(300);
  // Lift the limit before looking: Redis counts a command's arguments as used memory, and the
  // EXISTS with a thousand keys below would make it evict more.
  await pair.main.check('CONFIG', 'SET', 'maxmemory', '0');
  return Promise.all([outcome('real'), outcome('engine')]);
}

function expectClose(policy: string, real: Outcome, engine: Outcome): void {
  const detail = `${policy}: real ${JSON.stringify(real)} engine ${JSON.stringify(engine)}`;
  expect(real.evicted, detail).toBeGreaterThan(NEW_KEYS / 2);
  expect(Math.abs(engine.evicted - real.evicted) / real.evicted, detail).toBeLessThan(EVICTED_TOLERANCE);
  for (const cls of CLASSES) {
    expect(Math.abs(engine.survivors[cls] - real.survivors[cls]), `${cls} survivors, ${detail}`).toBeLessThanOrEqual(CLASS_TOLERANCE);
  }
}

describe('eviction policies, statistically', () => {
  // What each policy must do to the classes, on both sides (a sanity check of the scenario).
  // Approximated LRU/LFU is not exact: once most cold keys are gone, a sample may hold only hot
  // ones, so a few of those go too.
  const all = (o: Outcome, classes: KeyClass[]) => {
    for (const c of classes) expect(o.survivors[c], c).toBe(c === 'new' ? NEW_KEYS : CLASS_SIZE);
  };
  const mostly = (o: Outcome, classes: KeyClass[]) => {
    for (const c of classes) expect(o.survivors[c], c).toBeGreaterThanOrEqual(CLASS_SIZE * 0.95);
  };
  const expectations: Record<string, (o: Outcome) => void> = {
    'allkeys-lru': (o) => mostly(o, ['hot', 'vhot', 'new']),
    'allkeys-lfu': (o) => mostly(o, ['hot', 'vhot']),
    'allkeys-random': (o) => { for (const c of CLASSES) expect(o.survivors[c], c).toBeLessThan(c === 'new' ? NEW_KEYS : CLASS_SIZE); },
    'volatile-lru': (o) => { all(o, ['cold', 'hot', 'new']); expect(o.survivors.vcold).toBeLessThan(o.survivors.vhot); },
    'volatile-lfu': (o) => { all(o, ['cold', 'hot', 'new']); expect(o.survivors.vcold).toBeLessThan(o.survivors.vhot); },
    'volatile-random': (o) => all(o, ['cold', 'hot', 'new']),
    'volatile-ttl': (o) => { all(o, ['cold', 'hot', 'new']); expect(o.survivors.vhot).toBeLessThan(o.survivors.vcold); },
  };
  for (const policy of Object.keys(expectations)) {
    it(policy, async () => {
      const [real, engine] = await runPolicy(policy);
      expectations[policy](real);
      expectations[policy](engine);
      expectClose(policy, real, engine);
    });
  }
});

describe('refusing writes', () => {
  /** Loads keys (with TTLs when asked) and sets maxmemory just under what each side uses. */
  async function overTheLimit(policy: string, withTtl: boolean): Promise<void> {
    await pair.main.checkAll([
      ['CONFIG', 'SET', 'maxmemory', '0'], ['FLUSHALL'], ['CONFIG', 'RESETSTAT'], ['CONFIG', 'SET', 'maxmemory-policy', policy],
    ]);
    await both(keysOf('cold', 200).map((k) => (withTtl ? ['SET', k, VALUE, 'EX', '1000'] : ['SET', k, VALUE])), 50);
    const [usedReal, usedEngine] = await usedMemory();
    await Promise.all([
      observer.real.call('CONFIG', 'SET', 'maxmemory', String(usedReal - 100000)),
      observer.engine.call('CONFIG', 'SET', 'maxmemory', String(usedEngine - 100000)),
    ]);
  }

  const writesAndReads: Command[] = [
    ['SET', 'newkey', 'v'], ['GET', 'cold:1'], ['APPEND', 'cold:2', 'more'], ['LPUSH', 'list', 'a'],
    ['INCR', 'counter'], ['EXISTS', 'cold:3'], ['DEL', 'cold:4'], ['GET', 'cold:4'], ['SETNX', 'x', 'y'],
    ['MULTI'], ['SET', 'a', 'b'], ['EXEC'], ['MULTI'], ['GET', 'cold:5'], ['DISCARD'], ['PING'],
    ['HSET', 'h', 'f', 'v'], ['EXPIRE', 'cold:6', '100'], ['TTL', 'cold:6'], ['UNLINK', 'cold:7'],
  ];

  it('noeviction: Redis\'s OOM error for every deny-oom command, reads and deletes run', async () => {
    await overTheLimit('noeviction', true);
    await pair.main.checkAll(writesAndReads);
    const [r, e] = await observer.both('INFO', 'stats');
    expect(info(e, 'evicted_keys')).toBe(0);
    expect(info(r, 'evicted_keys')).toBe(0);
    await pair.main.check('CONFIG', 'SET', 'maxmemory', '0');
  });

  for (const policy of ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl']) {
    it(`${policy} with no volatile keys: OOM, nothing evicted`, async () => {
      await overTheLimit(policy, false);
      await pair.main.checkAll(writesAndReads);
      // EXPIRE (not deny-oom) made one key volatile: that one was evicted, on both sides.
      const [r, e] = await observer.both('INFO', 'stats');
      expect(info(e, 'evicted_keys')).toBe(1);
      expect(info(r, 'evicted_keys')).toBe(1);
      await pair.main.check('CONFIG', 'SET', 'maxmemory', '0');
    });
  }
});
