// Unit tests for the dict (dict.c): incremental rehash invariants, growth and shrink rules, the
// SCAN guarantees across resizes, sampling, and clone().
import { describe, expect, it } from 'vitest';
// The harness (the server) first: command modules are only safe to import after it.
import { EngineHarness } from '../../support/engineHarness.ts';
import { Dict, type DictEntry } from '../../../src/engine/ds/dict.ts';
import { createObject } from '../../../src/engine/server/object.ts';
import { SeededRandom } from '../../../src/engine/sim/random.ts';

const SEED = 0x5eed;

/**
 * Walks the tables directly (no rehash steps) and checks the structure: every entry sits in the
 * bucket its hash selects, table 0 has nothing below rehashIndex, and used[] counts the chains.
 * Returns every key found.
 */
function checkStructure<V>(d: Dict<V>): string[] {
  // Plain checks (expect() per entry would be far too slow for the step-by-step tests).
  const fail = (msg: string): never => { throw new Error(`dict structure: ${msg}`); };
  const keys: string[] = [];
  for (let t = 0; t < 2; t++) {
    const table = d.tables[t];
    if (!table) {
      if (d.used[t] !== 0) fail(`table ${t} missing but used ${d.used[t]}`);
      continue;
    }
    if (!Number.isInteger(Math.log2(table.length))) fail(`table ${t} size ${table.length}`);
    let count = 0;
    for (let i = 0; i < table.length; i++) {
      for (let e: DictEntry<V> | null = table[i]; e; e = e.next) {
        if ((d.hash(e.key) & (table.length - 1)) !== i) fail(`${e.key} in bucket ${i} of table ${t}`);
        if (t === 0 && d.isRehashing && i < d.rehashIndex) fail(`${e.key} below rehashIndex ${d.rehashIndex}`);
        keys.push(e.key);
        count++;
      }
    }
    if (count !== d.used[t]) fail(`table ${t} holds ${count}, used says ${d.used[t]}`);
  }
  if (!d.isRehashing && d.tables[1] !== null) fail('table 1 present while not rehashing');
  return keys;
}

const names = (n: number, prefix = 'k') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('growth', () => {
  it('grows at load factor 1, to the next power of two above used + 1', () => {
    const d = new Dict<number>(SEED);
    expect(d.slots).toBe(0);
    d.add('k0', 0);
    expect(d.slots).toBe(4);
    for (let i = 1; i < 4; i++) d.add(`k${i}`, i);
    expect(d.isRehashing).toBe(false);
    expect(d.slots).toBe(4);
    d.add('k4', 4); // used 4 >= size 4: expand before inserting
    expect(d.isRehashing).toBe(true);
    expect(d.tables[1]!.length).toBe(8);
    expect(checkStructure(d).sort()).toEqual(names(5).sort());
  });

  it('with resizing discouraged, grows only when used/size exceeds 5', () => {
    const policy = { canResize: false };
    const d = new Dict<number>(SEED, policy);
    for (let i = 0; i < 24; i++) d.add(`k${i}`, i);
    expect(d.slots).toBe(4); // 24/4 = 6 > 5 only counts once 24 are in
    d.add('k24', 24);
    expect(d.isRehashing).toBe(true);
    expect(d.tables[1]!.length).toBe(32);
    policy.canResize = true;
  });

  it('keeps every key findable after every single rehash step', () => {
    const d = new Dict<number>(SEED);
    const all: string[] = [];
    for (let i = 0; i < 1100; i++) {
      const k = `key:${i}`;
      expect(d.add(k, i)).toBe(true);
      all.push(k);
      const found = checkStructure(d);
      if (found.length !== all.length || d.size !== all.length) throw new Error(`count after ${k}`);
    }
    // Finish any rehash one bucket at a time, checking as we go.
    let last = d.rehashIndex;
    while (d.isRehashing) {
      d.rehash(1);
      if (d.isRehashing) {
        expect(d.rehashIndex).toBeGreaterThan(last);
        last = d.rehashIndex;
      }
      expect(checkStructure(d).length).toBe(all.length);
    }
    for (const k of all) expect(d.get(k)).toBe(Number(k.slice(4)));
    expect(d.add('key:0', 1)).toBe(false);
  });

  it('rehashIndex advances with lookups, and new keys go to the new table', () => {
    const d = new Dict<number>(SEED);
    for (let i = 0; i < 64; i++) d.add(`k${i}`, i);
    for (let i = 64; i < 65; i++) d.add(`k${i}`, i); // starts a rehash 64 -> 128
    expect(d.isRehashing).toBe(true);
    const before = d.rehashIndex;
    const used1 = d.used[1];
    d.add('fresh', 1);
    expect(d.used[1]).toBeGreaterThan(used1); // moved buckets and the new key
    expect(d.rehashIndex).toBeGreaterThan(before);
    const idx = d.rehashIndex;
    d.get('k3');
    expect(d.rehashIndex === -1 || d.rehashIndex > idx).toBe(true);
    checkStructure(d);
  });

  it('empty buckets are bounded per step (10 visits per bucket asked for)', () => {
    const d = new Dict<number>(SEED);
    for (let i = 0; i < 1024; i++) d.add(`k${i}`, i);
    for (let i = 0; i < 1000; i++) d.delete(`k${i}`);
    while (d.isRehashing) d.rehash(100);
    expect(d.resize()).toBe(true); // 24 left in 1024 buckets: shrink to 32
    const start = d.rehashIndex;
    d.rehash(1);
    expect(d.rehashIndex - start).toBeLessThanOrEqual(11);
    while (d.isRehashing) d.rehash(1);
    expect(d.slots).toBe(32);
    expect(checkStructure(d).length).toBe(24);
  });
});

describe('deletes and shrinking', () => {
  it('keeps structure and counts through deletes during a rehash', () => {
    const d = new Dict<number>(SEED);
    const keys = names(500);
    keys.forEach((k, i) => d.add(k, i));
    const live = new Set(keys);
    const rnd = new SeededRandom(3);
    for (let i = 0; i < 400; i++) {
      const k = keys[rnd.below(keys.length)];
      const e = d.delete(k);
      if ((e !== null) !== live.has(k)) throw new Error(`delete ${k}`);
      live.delete(k);
      if (checkStructure(d).length !== live.size) throw new Error(`size after deleting ${k}`);
    }
    expect(d.size).toBe(live.size);
  });

  it('needsShrink under 10% fill; the server cron shrinks keyspace dicts', () => {
    const { server } = new EngineHarness();
    const db = server.dbs[0];
    for (let i = 0; i < 1000; i++) db.add(`k${i}`, createObject('string', 'embstr', 'v'));
    while (db.dict.isRehashing) db.dict.rehash(100);
    expect(db.dict.slots).toBe(1024);
    for (let i = 0; i < 950; i++) db.delete(`k${i}`);
    expect(db.dict.needsShrink()).toBe(true); // 50 * 100 / 1024 = 4 < 10
    server.cron();
    // The cron resized (to 64) and then rehashed within its budget.
    for (let i = 0; i < 10 && db.dict.isRehashing; i++) server.cron();
    expect(db.dict.isRehashing).toBe(false);
    expect(db.dict.slots).toBe(64);
    expect(checkStructure(db.dict).length).toBe(50);
    for (let i = 950; i < 1000; i++) expect(db.dict.has(`k${i}`)).toBe(true);
  });

  it('does not shrink at 10% or more, nor tables of 4', () => {
    const d = new Dict<number>(SEED);
    for (let i = 0; i < 128; i++) d.add(`k${i}`, i);
    while (d.isRehashing) d.rehash(100);
    for (let i = 0; i < 115; i++) d.delete(`k${i}`);
    expect(d.size).toBe(13); // 13 * 100 / 128 = 10
    expect(d.needsShrink()).toBe(false);
    d.delete('k115');
    expect(d.needsShrink()).toBe(true);
    const small = new Dict<number>(SEED);
    small.add('a', 1);
    small.delete('a');
    expect(small.needsShrink()).toBe(false);
  });
});

describe('scan', () => {
  function fullScan<V>(d: Dict<V>, between?: (step: number) => void): Map<string, number> {
    const seen = new Map<string, number>();
    let cursor = 0;
    let step = 0;
    do {
      cursor = d.scan(cursor, (e) => seen.set(e.key, (seen.get(e.key) ?? 0) + 1));
      between?.(step++);
    } while (cursor !== 0);
    return seen;
  }

  it('returns every element exactly once when the dict is stable', () => {
    for (const n of [1, 3, 4, 5, 100, 1000]) {
      const d = new Dict<number>(SEED);
      names(n).forEach((k, i) => d.add(k, i));
      while (d.isRehashing) d.rehash(100);
      const seen = fullScan(d);
      expect(seen.size).toBe(n);
      expect([...seen.values()].every((c) => c === 1)).toBe(true);
    }
  });

  it('returns every element once while a rehash is paused half way', () => {
    const d = new Dict<number>(SEED);
    names(600).forEach((k, i) => d.add(k, i));
    while (d.isRehashing) d.rehash(100);
    d.add('extra', 1); // load factor passes 1 at 512: already rehashing to 1024
    expect(d.isRehashing || d.slots >= 1024).toBe(true);
    const seen = fullScan(d);
    expect(seen.size).toBe(601);
  });

  it('returns every element present throughout while the table grows and shrinks between calls', () => {
    const rnd = new SeededRandom(11);
    for (let round = 0; round < 5; round++) {
      const d = new Dict<number>(SEED + round);
      const stable = names(200, 'stable');
      stable.forEach((k, i) => d.add(k, i));
      let temp = 0;
      let grew = false, shrank = false, lastSlots = d.slots;
      const seen = fullScan(d, (step) => {
        // Phases: grow a lot (several doublings), then shrink back, with rehash steps in between.
        if (step % 12 < 6) {
          for (let i = 0; i < 150; i++) d.add(`tmp${temp++}`, 0);
        } else {
          let removed = 0;
          for (const k of d.keys()) {
            if (k.startsWith('tmp') && removed++ < 300) d.delete(k);
          }
          if (d.needsShrink()) d.resize();
        }
        d.rehash(rnd.below(5));
        checkStructure(d);
        if (d.slots > lastSlots) grew = true;
        if (d.slots < lastSlots) shrank = true;
        lastSlots = d.slots;
      });
      for (const k of stable) expect(seen.has(k), k).toBe(true);
      expect(grew && shrank).toBe(true);
    }
  });

  it('an empty dict scans to 0 at once; high cursor bits are ignored', () => {
    const d = new Dict<number>(SEED);
    expect(d.scan(12345, () => { throw new Error('no entries'); })).toBe(0);
    names(10).forEach((k, i) => d.add(k, i));
    while (d.isRehashing) d.rehash(100);
    const a: string[] = [], b: string[] = [];
    const next = d.scan(5, (e) => a.push(e.key));
    const nextHigh = d.scan(5 + 16 * 1024, (e) => b.push(e.key));
    expect(b).toEqual(a);
    expect(nextHigh).toBe(next);
  });
});

describe('sampling and copies', () => {
  it('random picks and samples come from the dict; empty dicts give nothing', () => {
    const rnd = new SeededRandom(5);
    const d = new Dict<number>(SEED);
    expect(d.randomEntry(rnd)).toBeNull();
    expect(d.sampleEntries(5, rnd)).toEqual([]);
    expect(d.fairRandomEntry(rnd)).toBeNull();
    d.add('x', 1);
    d.delete('x'); // allocated but empty
    expect(d.sampleEntries(5, rnd)).toEqual([]);
    expect(d.fairRandomEntry(rnd)).toBeNull();
    const keys = names(300);
    keys.forEach((k, i) => d.add(k, i));
    const set = new Set(keys);
    const counts = new Map<string, number>();
    for (let i = 0; i < 3000; i++) {
      const e = d.fairRandomEntry(rnd)!;
      expect(set.has(e.key)).toBe(true);
      counts.set(e.key, (counts.get(e.key) ?? 0) + 1);
    }
    expect(counts.size).toBeGreaterThan(250);
    const sample = d.sampleEntries(20, rnd);
    expect(sample.length).toBe(20);
    expect(new Set(sample.map((e) => e.key)).size).toBe(20);
    expect(d.sampleEntries(1000, rnd).length).toBeLessThanOrEqual(300);
  });

  it('clone copies every entry into an independent dict', () => {
    const d = new Dict<string>(SEED);
    names(100).forEach((k) => d.add(k, `v-${k}`));
    const copy = d.clone();
    expect(copy).not.toBe(d);
    expect(copy.size).toBe(100);
    expect(copy.isRehashing).toBe(false);
    expect(copy.slots).toBe(128);
    for (const k of names(100)) expect(copy.get(k)).toBe(`v-${k}`);
    d.delete('k1');
    d.set('k2', 'changed');
    expect(copy.get('k1')).toBe('v-k1');
    expect(copy.get('k2')).toBe('v-k2');
    checkStructure(copy);
    const empty = new Dict<string>(SEED).clone();
    expect(empty.size).toBe(0);
  });
});
