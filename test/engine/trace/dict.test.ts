// The dict snapshot shows the real tables (sizes, used, rehashidx, every chain in chain order) after
// each step of scripted sequences, reading them changes nothing, and the dict trace events say what
// the code did: resizes at the thresholds (grow at load factor 1, shrink under 10% from the cron or
// after a hash delete), rehash steps moving whole chains with increasing bucket indexes, from
// operations and from the cron, and the end of each rehash.
import { describe, expect, it } from 'vitest';
import { EngineHarness } from '../../support/engineHarness.ts';
import type { Dict } from '../../../src/engine/ds/dict.ts';
import { dictSnapshot, scanOrder, scanStep, scanSteps, type DictQuery, type DictSnapshot, type DictTarget } from '../../../src/engine/trace/dict.ts';
import type { DictRehashTraceEvent, DictResizeTraceEvent } from '../../../src/engine/trace/dictTrace.ts';
import { runSnapshotQuery } from '../../../src/engine/trace/snapshots.ts';
import { TraceRecorder } from '../../../src/engine/trace/recorder.ts';
import type { TraceEvent } from '../../../src/engine/trace/events.ts';
import { text, type RespValue } from '../../support/respValue.ts';

const KEYSPACE: DictTarget = { kind: 'keyspace', db: 0 };

const debugHarness = () => new EngineHarness({ config: { 'enable-debug-command': 'yes' } });

/** Every chain of a real table, head first (what the snapshot must show). */
function chains(table: readonly ({ key: string; next: unknown } | null)[] | null): string[][] {
  if (!table) return [];
  return table.map((head) => {
    const keys: string[] = [];
    for (let e = head as { key: string; next: unknown } | null; e; e = e.next as typeof e) keys.push(e.key);
    return keys;
  });
}

/** Asserts that a snapshot listing whole tables equals the dict. */
function expectSnapshotEquals(snap: DictSnapshot, dict: Dict<unknown>): void {
  expect(snap.hashtable).toBe(true);
  expect(snap.rehashidx).toBe(dict.rehashIndex);
  for (const t of [0, 1] as const) {
    const real = dict.tables[t];
    const shown = snap.tables[t];
    if (!real) { expect(shown).toBeNull(); continue; }
    expect(shown).not.toBeNull();
    expect(shown!.size).toBe(real.length);
    expect(shown!.sizemask).toBe(real.length - 1);
    expect(shown!.used).toBe(dict.used[t]);
    expect(shown!.windowStart).toBe(0);
    const c = chains(real);
    expect(shown!.buckets.map((b) => b.length)).toEqual(c.map((k) => k.length));
    expect(shown!.buckets.map((b) => b.keys)).toEqual(c.map((k) => k.slice(0, 8)));
    expect(shown!.buckets.map((b) => b.index)).toEqual(c.map((_, i) => i));
  }
  expect(snap.loadFactor).toBe(dict.tables[0] ? dict.used[0] / dict.tables[0].length : 0);
}

function traced(h: EngineHarness): TraceRecorder {
  const rec = new TraceRecorder(100000);
  h.server.trace = rec;
  return rec;
}

const dictEvents = (events: TraceEvent[]) => events.filter((e): e is DictResizeTraceEvent | DictRehashTraceEvent => e.kind === 'dict-resize' || e.kind === 'dict-rehash');
const rehashes = (events: TraceEvent[]) => events.filter((e): e is DictRehashTraceEvent => e.kind === 'dict-rehash');
const resizes = (events: TraceEvent[]) => events.filter((e): e is DictResizeTraceEvent => e.kind === 'dict-resize');
const whole = (target: DictTarget): DictQuery => ({ kind: 'dict', target, maxBuckets: 1024 });

describe('dict snapshot and events while the keyspace grows', () => {
  it('after every SET the snapshot equals the tables; each step moves the whole chain it names', () => {
    const h = new EngineHarness();
    const rec = traced(h);
    const dict = h.server.dbs[0].dict as Dict<unknown>;
    let before = dictSnapshot(h.server, whole(KEYSPACE));
    expect(before.tables).toEqual([null, null]);
    let sawRehashing = false;
    let checkedBuckets = 0;
    let grows = 0;
    for (let i = 0; i < 200; i++) {
      h.raw('SET', `key:${i}`, 'v');
      const events = dictEvents(rec.take().events);
      const snap = dictSnapshot(h.server, whole(KEYSPACE));
      expectSnapshotEquals(snap, dict);
      expect(snap.length).toBe(i + 1);
      sawRehashing ||= snap.rehashidx >= 0;
      for (const e of events) {
        expect(e.dict).toEqual(KEYSPACE);
        if (e.kind === 'dict-resize') {
          if (before.tables[0] === null) {
            expect(e).toMatchObject({ reason: 'init', fn: '_dictExpandIfNeeded', from: 0, to: 4, rehash: false });
          } else {
            // Growth exactly when the insert found used == size (load factor 1).
            expect(e).toMatchObject({ reason: 'grow', fn: '_dictExpandIfNeeded', from: before.tables[0].size, used: before.tables[0].used, rehash: true });
            expect(e.used).toBe(e.from);
            expect(e.to).toBe(e.from * 2);
            // Then the SET's removeExpire looks the key up again (dictFind): one step from bucket 0.
            const after = events.slice(events.indexOf(e) + 1);
            expect(after).toHaveLength(1);
            expect(after[0]).toMatchObject({ kind: 'dict-rehash', trigger: 'find', from: 0 });
            expect(snap.rehashidx).toBe((after[0] as { next: number }).next);
            grows++;
          }
        } else {
          // A SET steps while looking the key up (dictFind) and again while adding it.
          expect(['find', 'add']).toContain(e.trigger);
          expect(e.fn).toBe('_dictRehashStep');
          expect(e.n).toBe(1);
        }
      }
      // The moves of this command, checked against the tables as they were before it.
      const moves = rehashes(events);
      if (moves.length > 0) {
        // (a rehash this command started begins at bucket 0)
        expect(before.rehashidx === -1 ? 0 : before.rehashidx).toBe(moves[0].from);
        for (let k = 1; k < moves.length; k++) expect(moves[k].from).toBe(moves[k - 1].next);
        for (const m of moves) {
          expect(m.bucketCount).toBeLessThanOrEqual(1);
          for (const b of m.buckets) {
            expect(b.index).toBeGreaterThanOrEqual(m.from);
            const chain = before.tables[0]!.buckets[b.index].keys;
            expect(b.entries).toBe(before.tables[0]!.buckets[b.index].length);
            expect(b.to).toEqual(chain.map((key) => dict.hash(key) & (m.size1 - 1)));
            checkedBuckets++;
            // The empty buckets before it were skipped.
            for (let j = m.from; j < b.index; j++) expect(before.tables[0]!.buckets[j].length).toBe(0);
          }
          expect(m.moved).toBe(m.buckets.reduce((n, b) => n + b.entries, 0));
          if (m.finished) {
            expect(m.next).toBe(-1);
            expect(snap.tables[1]).toBeNull();
          } else {
            expect(m.next).toBe(m.buckets.length ? m.buckets[m.buckets.length - 1].index + 1 : m.from + m.emptyVisited);
          }
        }
      }
      before = snap;
    }
    expect(sawRehashing).toBe(true);
    expect(grows).toBe(6); // 4 -> 8 -> 16 -> 32 -> 64 -> 128 -> 256
    expect(checkedBuckets).toBeGreaterThan(100);
    // 200 keys: tables of 4, 8, ... 256.
    expect(dict.tables[0]!.length + (dict.tables[1]?.length ?? 0)).toBeGreaterThanOrEqual(256);
  });

  it('finds during a rehash move buckets (GET, EXISTS); the snapshot itself moves nothing', () => {
    const h = new EngineHarness();
    for (let i = 0; i < 8; i++) h.raw('SET', `k${i}`, 'v'); // the 9th add grows 8 -> 16
    const dict = h.server.dbs[0].dict as Dict<unknown>;
    h.raw('SET', 'k8', 'v');
    // The SET grew the table and took one step already (removeExpire's dictFind).
    const start = dict.rehashIndex;
    expect(start).toBeGreaterThan(0);
    const rec = traced(h);
    const hits = h.server.stats.keyspaceHits;
    const snap1 = dictSnapshot(h.server, whole(KEYSPACE));
    const snap2 = runSnapshotQuery(h.server, whole(KEYSPACE)) as DictSnapshot;
    expect(snap2).toEqual(snap1);
    expect(dict.rehashIndex).toBe(start);
    expect(rec.take().events).toEqual([]);
    expect(h.server.stats.keyspaceHits).toBe(hits);
    let idx = dict.rehashIndex;
    while (dict.rehashIndex !== -1) {
      const prev = dictSnapshot(h.server, whole(KEYSPACE));
      expect(text(h.run('GET', 'k3'))).toBe('v');
      const [step] = rehashes(rec.take().events);
      expect(step).toMatchObject({ trigger: 'find', fn: '_dictRehashStep', from: idx, dict: KEYSPACE });
      expect(step.buckets).toHaveLength(1);
      expect(step.buckets[0].entries).toBe(prev.tables[0]!.buckets[step.buckets[0].index].length);
      expectSnapshotEquals(dictSnapshot(h.server, whole(KEYSPACE)), dict);
      expect(step.next === -1 || step.next > idx).toBe(true);
      idx = step.next;
      if (step.finished) expect(dict.tables[1]).toBeNull();
    }
    expect(dict.tables[0]!.length).toBe(16);
  });

  it('the cron shrinks a sparse keyspace (tryResizeHashTables) and rehashes it (incrementallyRehash)', () => {
    const h = debugHarness();
    h.raw('DEBUG', 'POPULATE', '1000');
    const dict = h.server.dbs[0].dict as Dict<unknown>;
    while (dict.isRehashing) h.server.cron();
    expect(dict.tables[0]!.length).toBe(1024);
    const rec = traced(h);
    // Down to 102 keys: 9.96% of 1024 is under 10%.
    for (let i = 0; i < 898; i++) h.raw('DEL', `key:${i}`);
    expect(dict.size).toBe(102);
    // Deletes alone never shrink the keyspace.
    expect(resizes(rec.take().events)).toEqual([]);
    expect(dictSnapshot(h.server, whole(KEYSPACE)).needsShrink).toBe(true);
    const events: TraceEvent[] = [];
    for (let i = 0; i < 20 && (events.length === 0 || dict.isRehashing); i++) {
      h.server.cron();
      events.push(...rec.take().events);
      expectSnapshotEquals(dictSnapshot(h.server, whole(KEYSPACE)), dict);
    }
    const [resize] = resizes(events);
    expect(resize).toMatchObject({ dict: KEYSPACE, reason: 'shrink', fn: 'tryResizeHashTables', from: 1024, to: 128, used: 102, rehash: true });
    const steps = rehashes(events);
    expect(steps.length).toBeGreaterThan(0);
    for (const s of steps) expect(s).toMatchObject({ trigger: 'cron', fn: 'incrementallyRehash', n: 100, dict: KEYSPACE, size0: 1024, size1: 128 });
    for (let k = 1; k < steps.length; k++) expect(steps[k].from).toBe(steps[k - 1].next);
    expect(steps.at(-1)!.finished).toBe(true);
    expect(steps.reduce((n, s) => n + s.moved, 0)).toBe(102);
    expect(dict.isRehashing).toBe(false);
    expect(dict.tables[0]!.length).toBe(128);
    const snap = dictSnapshot(h.server, whole(KEYSPACE));
    expect(snap.needsShrink).toBe(false);
    expect(snap.tables[0]!.used).toBe(102);
  });

  it('names the expires dict, and other databases', () => {
    const h = new EngineHarness();
    const rec = traced(h);
    h.raw('SELECT', '3');
    for (let i = 0; i < 5; i++) h.raw('SET', `t${i}`, 'v', 'EX', '100');
    const events = resizes(rec.take().events);
    expect(events.filter((e) => e.dict?.kind === 'keyspace').map((e) => [e.dict, e.reason])).toEqual([
      [{ kind: 'keyspace', db: 3 }, 'init'], [{ kind: 'keyspace', db: 3 }, 'grow'],
    ]);
    expect(events.filter((e) => e.dict?.kind === 'expires').map((e) => [e.dict, e.reason])).toEqual([
      [{ kind: 'expires', db: 3 }, 'init'], [{ kind: 'expires', db: 3 }, 'grow'],
    ]);
    const snap = dictSnapshot(h.server, whole({ kind: 'expires', db: 3 }));
    expect(snap.length).toBe(5);
    expectSnapshotEquals(snap, h.server.dbs[3].expires as Dict<unknown>);
    expect(() => dictSnapshot(h.server, whole({ kind: 'keyspace', db: 16 }))).toThrow('out of range');
  });
});

describe('the dict of a key', () => {
  it('a hash in listpack encoding says so with the live thresholds; past them its dict is shown', () => {
    const h = new EngineHarness();
    const target: DictTarget = { kind: 'key', db: 0, key: 'h' };
    h.raw('HSET', 'h', 'a', '1');
    h.raw('CONFIG', 'SET', 'hash-max-listpack-entries', '4');
    let snap = dictSnapshot(h.server, whole(target));
    expect(snap).toMatchObject({ hashtable: false, type: 'hash', encoding: 'listpack', length: 1, tables: [null, null] });
    expect(snap.thresholds).toEqual([{ name: 'hash-max-listpack-entries', value: '4' }, { name: 'hash-max-listpack-value', value: '64' }]);
    const rec = traced(h);
    h.raw('HSET', 'h', 'b', '2', 'c', '3', 'd', '4', 'e', '5');
    // hashTypeConvert presizes the new dict for the listpack's entries.
    const [convert] = resizes(rec.take().events);
    expect(convert).toMatchObject({ dict: target, reason: 'expand', fn: 'dictExpand', from: 0, rehash: false });
    snap = dictSnapshot(h.server, whole(target));
    expect(snap).toMatchObject({ hashtable: true, encoding: 'hashtable', length: 5 });
    const d = h.object('h')!.value as Dict<unknown>;
    expectSnapshotEquals(snap, d);
    // Grow it, then delete down to a sparse table: hashTypeDelete shrinks at once.
    for (let i = 0; i < 60; i++) h.raw('HSET', 'h', `f${i}`, 'v');
    const grown = resizes(rec.take().events);
    expect(grown.length).toBeGreaterThan(0);
    for (const e of grown) expect(e).toMatchObject({ dict: target, reason: 'grow' });
    for (let i = 0; i < 60; i++) {
      const prev = dictSnapshot(h.server, whole(target));
      h.raw('HDEL', 'h', `f${i}`);
      const events = rec.take().events;
      for (const e of rehashes(events)) {
        expect(e).toMatchObject({ dict: target, fn: '_dictRehashStep' });
        for (const b of e.buckets) expect(b.entries).toBe(prev.tables[0]!.buckets[b.index].length);
      }
      for (const e of resizes(events)) {
        expect(e).toMatchObject({ dict: target, reason: 'shrink', fn: 'hashTypeDelete' });
        // htNeedsResize: under 10% of all slots.
        const slots = prev.tables[0]!.size + (prev.tables[1]?.size ?? 0);
        expect(Math.floor((e.used * 100) / slots)).toBeLessThan(10);
      }
      expectSnapshotEquals(dictSnapshot(h.server, whole(target)), h.object('h')!.value as Dict<unknown>);
    }
    expect(text(h.run('OBJECT', 'ENCODING', 'h'))).toBe('hashtable');
  });

  it('a set of integers is an intset until set-max-intset-entries; a missing key has no dict', () => {
    const h = new EngineHarness();
    h.raw('SADD', 's', '1', '2', '3');
    expect(dictSnapshot(h.server, whole({ kind: 'key', db: 0, key: 's' }))).toMatchObject({
      hashtable: false, encoding: 'intset', thresholds: [{ name: 'set-max-intset-entries', value: '512' }],
    });
    h.raw('SADD', 's', 'x');
    const snap = dictSnapshot(h.server, whole({ kind: 'key', db: 0, key: 's' }));
    expect(snap.encoding).toBe('hashtable');
    expectSnapshotEquals(snap, h.object('s')!.value as Dict<unknown>);
    expect(dictSnapshot(h.server, whole({ kind: 'key', db: 0, key: 'nope' }))).toMatchObject({ hashtable: false, type: null, length: 0 });
    h.raw('SET', 'str', 'x');
    expect(dictSnapshot(h.server, whole({ kind: 'key', db: 0, key: 'str' }))).toMatchObject({ hashtable: false, type: 'string', thresholds: [] });
  });

  it('an expired key not yet deleted is still read, without lazy expiry', () => {
    const h = new EngineHarness();
    h.raw('SADD', 's', 'a', 'b');
    h.raw('PEXPIRE', 's', '10');
    h.clock.advance(50);
    expect(dictSnapshot(h.server, whole({ kind: 'key', db: 0, key: 's' })).length).toBe(2);
    expect(h.server.dbs[0].dict.size).toBe(1);
  });
});

describe('level of detail', () => {
  it('a big table: a summary of every bucket in groups, chains only for a window', () => {
    const h = debugHarness();
    h.raw('DEBUG', 'POPULATE', '20000');
    const dict = h.server.dbs[0].dict as Dict<unknown>;
    const snap = dictSnapshot(h.server, { kind: 'dict', target: KEYSPACE, maxBuckets: 32, groups: 128 });
    const t0 = snap.tables[0]!;
    expect(t0.size).toBe(dict.tables[0]!.length);
    expect(t0.groupSize * t0.groupNonEmpty.length).toBe(t0.size);
    expect(t0.groupEntries.reduce((a, b) => a + b, 0)).toBe(dict.used[0]);
    const real = chains(dict.tables[0]);
    expect(t0.nonEmpty).toBe(real.filter((c) => c.length > 0).length);
    expect(t0.longestChain).toBe(Math.max(...real.map((c) => c.length)));
    for (let g = 0; g < t0.groupNonEmpty.length; g++) {
      const slice = real.slice(g * t0.groupSize, (g + 1) * t0.groupSize);
      expect(t0.groupNonEmpty[g]).toBe(slice.filter((c) => c.length > 0).length);
    }
    expect(t0.buckets).toHaveLength(32);
    // A window anywhere, clamped inside the table.
    const far = dictSnapshot(h.server, { kind: 'dict', target: KEYSPACE, maxBuckets: 32, windowStart: [t0.size - 5, null] }).tables[0]!;
    expect(far.windowStart).toBe(t0.size - 32);
    expect(far.buckets.map((b) => b.length)).toEqual(real.slice(t0.size - 32).map((c) => c.length));
    expect(far.buckets.at(-1)!.keys).toEqual(real[t0.size - 1].slice(0, 8));
  });

  it('during a rehash the default window is around rehashidx', () => {
    const h = debugHarness();
    h.raw('DEBUG', 'POPULATE', '4096');
    const dict = h.server.dbs[0].dict as Dict<unknown>;
    while (dict.isRehashing) h.server.cron();
    h.raw('SET', 'one-more', 'v'); // 4097th: grows 4096 -> 8192
    for (let i = 0; i < 500; i++) h.raw('EXISTS', 'one-more');
    const snap = dictSnapshot(h.server, { kind: 'dict', target: KEYSPACE, maxBuckets: 64 });
    expect(snap.rehashidx).toBe(dict.rehashIndex);
    expect(snap.rehashidx).toBeGreaterThan(100);
    expect(snap.tables[0]!.windowStart).toBe(snap.rehashidx - 16);
    expect(snap.tables[1]!.size).toBe(8192);
    // Buckets below rehashidx are empty in ht[0].
    for (const b of snap.tables[0]!.buckets) if (b.index < snap.rehashidx) expect(b.length).toBe(0);
  });
});

describe('SCAN cursor arithmetic', () => {
  it('visits buckets in reverse-binary order', () => {
    expect(scanOrder(8)).toEqual([0, 4, 2, 6, 1, 5, 3, 7]);
    expect(scanOrder(4)).toEqual([0, 2, 1, 3]);
    expect(new Set(scanOrder(1024)).size).toBe(1024);
  });

  it('scanStep names the buckets the real dictScan reads, with the same next cursor, rehashing or not', () => {
    for (const grow of [true, false]) {
      const h = debugHarness();
      h.raw('DEBUG', 'POPULATE', grow ? '64' : '600');
      const dict = h.server.dbs[0].dict as Dict<unknown>;
      while (dict.isRehashing) h.server.cron();
      if (grow) h.raw('SET', 'extra', 'v'); // 65th key: 64 -> 128
      else {
        for (let i = 0; i < 560; i++) h.raw('DEL', `key:${i}`);
        h.raw('CONFIG', 'SET', 'activerehashing', 'no');
        h.server.cron(); // shrink 1024 -> 64, no cron rehash
      }
      expect(dict.isRehashing).toBe(true);
      const snap = dictSnapshot(h.server, whole(KEYSPACE));
      const size0 = snap.tables[0]!.size;
      const size1 = snap.tables[1]!.size;
      expect(grow ? size1 > size0 : size1 < size0).toBe(true);
      let cursor = 0;
      let calls = 0;
      do {
        const expected = scanStep(cursor, size0, size1);
        const keys: string[] = [];
        const next = dict.scan(cursor, (e) => keys.push(e.key));
        expect(next).toBe(expected.next);
        const fromSnapshot = expected.visits.flatMap((v) => snap.tables[v.table]!.buckets[v.index].keys);
        expect(keys).toEqual(fromSnapshot);
        cursor = next;
        calls++;
      } while (cursor !== 0);
      expect(calls).toBe(Math.min(size0, size1));
    }
  });

  it('scanSteps replays a SCAN call: the keys SCAN COUNT returned are those of the buckets it names', () => {
    const h = debugHarness();
    h.raw('DEBUG', 'POPULATE', '100');
    const snap = dictSnapshot(h.server, whole(KEYSPACE));
    const sizes = [snap.tables[0]!.size, snap.tables[1]?.size ?? 0] as const;
    let cursor = 0;
    const seen = new Set<string>();
    do {
      const reply = h.run('SCAN', String(cursor), 'COUNT', '7') as { v: RespValue[] };
      const next = Number(text(reply.v[0]));
      const keys = (reply.v[1] as { v: RespValue[] }).v.map(text);
      const steps = scanSteps(cursor, next, sizes[0], sizes[1]);
      expect(steps[0].cursor).toBe(cursor);
      const fromSnapshot = steps.flatMap((s) => s.visits.flatMap((v) => snap.tables[v.table]!.buckets[v.index].keys));
      expect(keys).toEqual(fromSnapshot);
      for (const k of keys) seen.add(k);
      cursor = next;
    } while (cursor !== 0);
    expect(seen.size).toBe(100);
  });
});

describe('tracing costs nothing when off and changes nothing when on', () => {
  it('the same commands leave the same tables with and without a sink', () => {
    const run = (trace: boolean) => {
      const h = new EngineHarness({ seed: 7 });
      if (trace) traced(h);
      for (let i = 0; i < 300; i++) h.raw('SET', `k${i}`, 'v');
      for (let i = 0; i < 290; i++) h.raw('DEL', `k${i}`);
      h.server.cron();
      h.raw('GET', 'k295');
      return dictSnapshot(h.server, whole(KEYSPACE));
    };
    const off = run(false);
    const on = run(true);
    expect({ ...on, now: 0 }).toEqual({ ...off, now: 0 });
  });
});
