// The skiplist snapshot is the engine's skiplist (every node, level, link, span and backward
// pointer, compared node by node with the structure itself), its spans give ZRANK for every
// member, and the trace events say what the code did: the level rolled is the new node's height,
// the update vector is the real one, a search's span sums are the rank.
import { describe, expect, it } from 'vitest';
import { EngineHarness } from '../../support/engineHarness.ts';
import type { RespValue } from '../../support/respValue.ts';
import type { SkiplistNode } from '../../../src/engine/ds/skiplist.ts';
import type { ZsetSkiplist } from '../../../src/engine/commands/zset.ts';
import type { Listpack } from '../../../src/engine/ds/listpack.ts';
import { SeededRandom } from '../../../src/engine/sim/random.ts';
import {
  NO_SUCH_KEY, skiplistQuery, type ListpackZsetSnapshot, type SkiplistNodeInfo, type SkiplistSnapshot,
} from '../../../src/engine/trace/skiplist.ts';
import type {
  SkiplistTraceEvent, ZslDeleteTraceEvent, ZslInsertTraceEvent, ZslSearchTraceEvent, ZslStep, ZslUpdateScoreTraceEvent,
} from '../../../src/engine/trace/skiplistTrace.ts';
import { runSnapshotQuery } from '../../../src/engine/trace/snapshots.ts';
import { TraceRecorder } from '../../../src/engine/trace/recorder.ts';
import type { EncodingTraceEvent, TraceEvent } from '../../../src/engine/trace/events.ts';

const int = (v: RespValue): number => {
  if (v.t !== 'int') throw new Error(`not an integer: ${JSON.stringify(v)}`);
  return Number(v.v);
};

function zs(h: EngineHarness, key: string): ZsetSkiplist {
  const o = h.object(key);
  if (!o || o.encoding !== 'skiplist') throw new Error(`${key} is not a skiplist`);
  return o.value as ZsetSkiplist;
}

function snap(h: EngineHarness, key: string, extra: Partial<Parameters<typeof skiplistQuery>[1]> = {}): SkiplistSnapshot {
  const r = skiplistQuery(h.server, { kind: 'skiplist', db: 0, key, ...extra });
  if (r.encoding !== 'skiplist') throw new Error('not a skiplist snapshot');
  return r;
}

/** Every node, assembled from windows of 1000 (the largest the query gives). */
function allNodes(h: EngineHarness, key: string): { s: SkiplistSnapshot; nodes: SkiplistNodeInfo[] } {
  const first = snap(h, key, { limit: 1000 });
  const nodes = [...first.nodes];
  while (nodes.length < first.length) {
    const next = nodes.length + 1;
    const s = snap(h, key, { limit: 1000, focusRank: next + 500 });
    for (const n of s.nodes) if (n.rank >= next) nodes.push(n);
  }
  return { s: first, nodes };
}

/** The rank of (score, member) found by descending the snapshot alone, adding spans. */
function rankFromSnapshot(s: SkiplistSnapshot, byRank: Map<number, SkiplistNodeInfo>, score: number, member: string): number {
  let rank = 0;
  let links = s.header;
  for (let i = s.level - 1; i >= 0; i--) {
    for (;;) {
      const l = links[i];
      if (l.to === null) break;
      const next = byRank.get(l.to)!;
      if (next.score < score || (next.score === score && next.member <= member)) {
        rank += l.span;
        links = next.links;
      } else break;
    }
    if (rank > 0 && byRank.get(rank)!.member === member) return rank;
  }
  return 0;
}

/** Checks a snapshot against the engine's skiplist node by node, and its own invariants. */
function checkSnapshot(h: EngineHarness, key: string): SkiplistSnapshot {
  const z = zs(h, key);
  const { s, nodes } = allNodes(h, key);
  const engine: SkiplistNode[] = [...z.zsl.nodes()];
  const rankOf = new Map<SkiplistNode, number>(engine.map((n, i) => [n, i + 1]));
  expect(s.length).toBe(z.zsl.length);
  expect(s.length).toBe(int(h.run('ZCARD', key)));
  expect(s.dictSize).toBe(z.dict.size);
  expect(s.level).toBe(z.zsl.level);
  expect(s.tail).toBe(z.zsl.tail ? rankOf.get(z.zsl.tail) : 0);
  expect(nodes.map((n) => n.rank)).toEqual(engine.map((_, i) => i + 1));
  // The header's links are the engine's.
  expect(s.header).toHaveLength(z.zsl.level);
  s.header.forEach((l, i) => {
    const f = z.zsl.header.forward[i];
    expect(l).toEqual({ to: f ? rankOf.get(f) : null, span: z.zsl.header.span[i] });
  });
  // Every node: member, score, height, each level's target and span, backward pointer.
  const towers = new Array<number>(s.level).fill(0);
  let maxLevel = 1;
  for (let k = 0; k < engine.length; k++) {
    const e = engine[k];
    const n = nodes[k];
    expect(n.member).toBe(e.member);
    expect(n.score).toBe(e.score);
    expect(n.level).toBe(e.forward.length);
    expect(n.links).toHaveLength(e.forward.length);
    for (let i = 0; i < n.level; i++) {
      const f = e.forward[i];
      expect(n.links[i]).toEqual({ to: f ? rankOf.get(f) : null, span: e.span[i] });
      towers[i]++;
      // A link at level i goes to the next node that reaches level i, and its span is the distance.
      const next = nodes.slice(k + 1).find((m) => m.level > i);
      expect(n.links[i].to).toBe(next ? next.rank : null);
      if (next) expect(n.links[i].span).toBe(next.rank - n.rank);
    }
    expect(n.backward).toBe(k === 0 ? null : n.rank - 1);
    expect(e.backward).toBe(k === 0 ? null : engine[k - 1]);
    maxLevel = Math.max(maxLevel, n.level);
  }
  expect(s.level).toBe(engine.length ? maxLevel : 1);
  expect(s.towers).toEqual(towers);
  // The spans give ZRANK for every member, from the snapshot alone.
  const byRank = new Map(nodes.map((n) => [n.rank, n]));
  for (const n of nodes) {
    expect(rankFromSnapshot(s, byRank, n.score, n.member)).toBe(int(h.run('ZRANK', key, n.member)) + 1);
  }
  return s;
}

describe('skiplist snapshot', () => {
  it('equals the engine skiplist after seeded random ZADD / ZREM / ZINCRBY; spans sum to ZRANK', () => {
    const h = new EngineHarness({ seed: 5 });
    const rnd = new SeededRandom(99);
    const pool = 3000;
    for (let step = 0; step < 6000; step++) {
      const m = `m${rnd.below(pool)}`;
      const r = rnd.next();
      // Few distinct scores, so ties ordered by member bytes are common.
      const score = String(rnd.below(400) - 200);
      if (r < 0.6) h.raw('ZADD', 'z', score, m);
      else if (r < 0.85) h.raw('ZREM', 'z', m);
      else h.raw('ZINCRBY', 'z', rnd.next() < 0.5 ? '0.5' : String(rnd.below(50) - 25), m);
      if (step === 300 || step === 2000) checkSnapshot(h, 'z');
    }
    const s = checkSnapshot(h, 'z');
    expect(s.length).toBeGreaterThan(1500);
    expect(s.level).toBeGreaterThan(3);
    expect(zs(h, 'z').zsl.observer).toBeNull();
  });

  it('a window around a focus rank or member, with the rest counted per level', () => {
    const h = new EngineHarness({ seed: 3 });
    h.raw('ZADD', 'z', ...Array.from({ length: 5000 }, (_, i) => [String(i), `member:${String(i).padStart(5, '0')}`]).flat());
    const whole = allNodes(h, 'z').nodes;
    const s = snap(h, 'z', { limit: 100, focusRank: 2500 });
    expect(s.focus).toBe(2500);
    expect(s.window).toEqual({ first: 2450, last: 2549 });
    expect(s.nodes.map((n) => n.rank)).toEqual(Array.from({ length: 100 }, (_, i) => 2450 + i));
    expect(s.nodes).toEqual(whole.slice(2449, 2549));
    const count = (from: number, to: number, level: number) => whole.filter((n) => n.rank >= from && n.rank <= to && n.level > level).length;
    expect(s.before.count).toBe(2449);
    expect(s.after.count).toBe(5000 - 2549);
    for (let i = 0; i < s.level; i++) {
      expect(s.before.towers[i]).toBe(count(1, 2449, i));
      expect(s.after.towers[i]).toBe(count(2550, 5000, i));
      expect(s.before.towers[i] + s.after.towers[i] + s.nodes.filter((n) => n.level > i).length).toBe(s.towers[i]);
    }
    // Links that leave the window still name the target's rank (from the span).
    const tall = s.nodes.find((n) => n.links.some((l) => l.to !== null && l.to > 2549))!;
    expect(tall).toBeDefined();
    // By member: the window is centred on its rank.
    const m = snap(h, 'z', { limit: 11, focusMember: 'member:01000' });
    expect(m.focus).toBe(1001);
    expect(m.nodes.map((n) => n.rank)).toEqual(Array.from({ length: 11 }, (_, i) => 996 + i));
    // Near the ends the window stays inside the list.
    expect(snap(h, 'z', { limit: 10, focusRank: 1 }).window).toEqual({ first: 1, last: 10 });
    expect(snap(h, 'z', { limit: 10, focusRank: 4999 }).window).toEqual({ first: 4991, last: 5000 });
    expect(snap(h, 'z', { limit: 10, focusMember: 'absent' }).focus).toBeNull();
    // The overview: each bucket's tallest node.
    const o = snap(h, 'z', { buckets: 50 }).overview;
    expect(o.bucketSize).toBe(100);
    expect(o.maxLevel).toHaveLength(50);
    o.maxLevel.forEach((lv, b) => expect(lv).toBe(Math.max(...whole.slice(b * 100, b * 100 + 100).map((n) => n.level))));
  });

  it('a listpack zset is described as one, with the live limits; errors for a missing key or another type', () => {
    const h = new EngineHarness();
    h.raw('CONFIG', 'SET', 'zset-max-listpack-entries', '4');
    h.raw('CONFIG', 'SET', 'zset-max-listpack-value', '300');
    h.raw('ZADD', 'small', '2', 'b', '1', 'a', '1.5', 'x'.repeat(200));
    const r = skiplistQuery(h.server, { kind: 'skiplist', db: 0, key: 'small' }) as ListpackZsetSnapshot;
    expect(r.encoding).toBe('listpack');
    expect([r.length, r.maxEntries, r.maxValue, r.longest]).toEqual([3, 4, 300, 200]);
    expect(r.entries.map((e) => [e.member.length, e.memberLength, e.score])).toEqual([[1, 1, 1], [128, 200, 1.5], [1, 1, 2]]);
    expect(r.bytes).toBe((h.object('small')!.value as Listpack).bytes);
    expect(r.bytes).toBeGreaterThan(200);
    h.raw('SET', 'str', 'v');
    expect(runSnapshotQuery(h.server, { kind: 'skiplist', db: 0, key: 'nope' })).toEqual({ kind: 'error', message: NO_SUCH_KEY });
    expect(runSnapshotQuery(h.server, { kind: 'skiplist', db: 0, key: 'str' })).toEqual({ kind: 'error', message: 'WRONGTYPE the key holds a string' });
    expect(runSnapshotQuery(h.server, { kind: 'skiplist', db: 16, key: 'str' })).toEqual({ kind: 'error', message: 'DB index is out of range' });
  });

  it('changes nothing: LRU, lazy expiry, stats, the dicts\' rehashing, events', () => {
    const h = new EngineHarness();
    h.raw('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    h.raw('ZADD', 'z', ...Array.from({ length: 300 }, (_, i) => [String(i % 7), `m${i}`]).flat());
    const z = zs(h, 'z');
    // Stop right after an add that started a rehash of the zset's dict.
    for (let i = 0; !(z.dict.isRehashing && z.dict.rehashIndex === 0); i++) h.raw('ZADD', 'z', '1', `more${i}`);
    h.raw('PEXPIRE', 'z', '10');
    h.clock.advance(60_000);
    const o = h.object('z')!;
    const lru = o.lru;
    const stats = { ...h.server.stats, commandCalls: undefined, errorReplies: undefined };
    const sink = new TraceRecorder();
    h.server.trace = sink;

    const s = snap(h, 'z', { limit: 1000, focusMember: 'm5' });

    expect(s.length).toBe(z.zsl.length);
    expect(sink.isEmpty).toBe(true);
    expect(z.dict.rehashIndex).toBe(0);
    expect(o.lru).toBe(lru);
    expect({ ...h.server.stats, commandCalls: undefined, errorReplies: undefined }).toEqual(stats);
    expect(h.server.dbs[0].dict.peek('z')).toBe(o); // expired, not deleted
    expect(z.zsl.observer).toBeNull();
    // A command does change these: the checks above can fail.
    h.raw('ZSCORE', 'z', 'm5');
    expect(h.server.dbs[0].dict.peek('z')).toBeUndefined();
    expect(sink.isEmpty).toBe(false);
  });
});

// --- events -------------------------------------------------------------------------------------

function zslEvents(sink: TraceRecorder): SkiplistTraceEvent[] {
  return sink.take().events.filter((e: TraceEvent): e is SkiplistTraceEvent => e.kind.startsWith('zsl'));
}

/** The skiplist events with the conversions (encoding events) among them, in order. */
function zslAndConversions(sink: TraceRecorder): (SkiplistTraceEvent | EncodingTraceEvent)[] {
  return sink.take().events.filter((e: TraceEvent): e is SkiplistTraceEvent | EncodingTraceEvent => e.kind.startsWith('zsl') || e.kind === 'encoding');
}

/** A path's moves: same level, rank grows by the span of the link it crossed (in `before`). */
function checkPath(path: readonly ZslStep[], before: Map<number, SkiplistNodeInfo>, header: SkiplistSnapshot['header'], top: number): void {
  expect(path[0]).toMatchObject({ member: null, rank: 0, level: top - 1 });
  for (let k = 1; k < path.length; k++) {
    const a = path[k - 1];
    const b = path[k];
    if (b.level === a.level) {
      const links = a.rank === 0 ? header : before.get(a.rank)!.links;
      expect(b.rank).toBe(links[a.level].to);
      expect(b.rank - a.rank).toBe(links[a.level].span);
    } else {
      expect(b.level).toBe(a.level - 1);
      expect(b.rank).toBe(a.rank);
    }
    if (b.rank > 0) expect(b.member).toBe(before.get(b.rank)!.member);
  }
}

function byRank(nodes: readonly SkiplistNodeInfo[]): Map<number, SkiplistNodeInfo> {
  return new Map(nodes.map((n) => [n.rank, n]));
}

describe('skiplist trace events', () => {
  it('zslInsert / zslDelete / zslUpdateScore / searches match the structure before and after, over a seeded random stream', () => {
    const h = new EngineHarness({ seed: 11 });
    const sink = new TraceRecorder(100_000);
    h.raw('ZADD', 'z', ...Array.from({ length: 200 }, (_, i) => [String(i), `seed${i}`]).flat());
    h.server.trace = sink;
    const rnd = new SeededRandom(4);
    const seen = { insert: 0, delete: 0, inPlace: 0, moved: 0, rank: 0, score: 0, lex: 0, byRank: 0 };
    for (let step = 0; step < 1500; step++) {
      const before = snap(h, 'z', { limit: 1000 });
      const b = byRank(before.nodes);
      const m = `m${rnd.below(400)}`;
      const r = rnd.next();
      let argv: string[];
      if (r < 0.4) argv = ['ZADD', 'z', String(rnd.below(300)), m];
      else if (r < 0.6) argv = ['ZREM', 'z', m];
      else if (r < 0.75) argv = ['ZINCRBY', 'z', rnd.next() < 0.5 ? '0.001' : String(rnd.below(40) - 20), m];
      else if (r < 0.85) argv = ['ZRANK', 'z', before.nodes[rnd.below(before.nodes.length)].member];
      else if (r < 0.95) argv = ['ZRANGE', 'z', String(rnd.below(100)), '+inf', 'BYSCORE', 'LIMIT', '0', '3'];
      else argv = ['ZRANGE', 'z', String(1 + rnd.below(before.length - 1)), '-1'];
      const reply = h.run(...argv);
      const events = zslEvents(sink);
      const after = snap(h, 'z', { limit: 1000 });
      const a = byRank(after.nodes);
      const rankAfter = (member: string) => after.nodes.find((n) => n.member === member)?.rank ?? 0;
      for (const e of events) {
        expect([e.db, e.key]).toEqual([0, 'z']);
        if (e.kind === 'zslInsert') {
          const ins = e as ZslInsertTraceEvent;
          // The rolled level is the new node's height; its rank is where it is now.
          const node = a.get(ins.rank)!;
          expect(node.member).toBe(ins.member);
          expect(node.level).toBe(ins.level);
          expect(node.score).toBe(ins.score);
          expect(ins.listLevel).toBe(ins.cause === 'add' ? before.level : ins.listLevel);
          // update[i] is the node before it at level i: it now links to the new node (or over it).
          expect(ins.update).toHaveLength(Math.max(ins.level, ins.listLevel));
          for (const u of ins.update) {
            const links = u.rank === 0 ? after.header : a.get(u.rank)!.links;
            if (u.rank > 0) expect(a.get(u.rank)!.member).toBe(u.member);
            if (u.level < ins.level) expect(links[u.level].to).toBe(ins.rank);
            else expect(links[u.level].to === null || links[u.level].to! > ins.rank).toBe(true);
          }
          expect(ins.update[0].rank).toBe(ins.rank - 1);
          if (ins.cause === 'add') checkPath(ins.path, b, before.header, before.level);
          seen.insert++;
        } else if (e.kind === 'zslDelete') {
          const del = e as ZslDeleteTraceEvent;
          if (del.cause === 'delete') {
            // The node it removed was at that rank, that tall, before the command.
            expect(b.get(del.rank)).toMatchObject({ member: del.member, level: del.level, score: del.score });
            expect(del.listLevel).toBe(before.level);
            for (const u of del.update) {
              const links = u.rank === 0 ? before.header : b.get(u.rank)!.links;
              expect(u.relinked).toBe(u.level < del.level);
              if (u.relinked) expect(links[u.level].to).toBe(del.rank);
            }
            checkPath(del.path, b, before.header, before.level);
            expect(rankAfter(del.member)).toBe(0);
            seen.delete++;
          } else {
            expect(del.cause).toBe('updateScore');
            seen.moved++;
          }
        } else if (e.kind === 'zslUpdateScore') {
          const up = e as ZslUpdateScoreTraceEvent;
          expect(a.get(up.rank)).toMatchObject({ member: up.member, score: up.score });
          expect(b.get(up.rank)).toMatchObject({ member: up.member, score: up.oldScore });
          seen.inPlace++;
        } else if (e.kind === 'zslSearch') {
          const s = e as ZslSearchTraceEvent;
          checkPath(s.path, b, before.header, before.level);
          const last = s.path[s.path.length - 1];
          if (s.op === 'getRank') {
            // The span sum where it stopped is ZRANK + 1.
            expect(last.rank).toBe(int(reply) + 1);
            expect(s.landed).toMatchObject({ member: argv[2], rank: last.rank });
            seen.rank++;
          } else if (s.op === 'getByRank') {
            expect(last.rank).toBe(Number(argv[2]) + 1);
            expect(s.landed!.member).toBe(b.get(last.rank)!.member);
            seen.byRank++;
          } else if (s.op === 'firstInRange') {
            // The first node not below min comes right after where the descent stopped.
            const min = Number(argv[2]);
            if (last.rank > 0) expect(b.get(last.rank)!.score).toBeLessThan(min);
            expect(s.landed!.score).toBeGreaterThanOrEqual(min);
            expect(s.landed!.rank).toBe(last.rank + 1);
            if (reply.t === 'array' && reply.v.length > 0) expect(reply.v[0]).toMatchObject({ v: s.landed!.member });
            seen.score++;
          } else {
            seen.lex++;
          }
        }
      }
      // Which events each command gives.
      const kinds = events.map((e) => e.kind === 'zslDelete' || e.kind === 'zslInsert' ? `${e.kind}:${e.cause}` : e.kind);
      if (argv[0] === 'ZADD') expect(kinds).toSatisfy((k: string[]) => k.length === 0 || k.join() === 'zslInsert:add' || k.join() === 'zslUpdateScore' || k.join() === 'zslDelete:updateScore,zslInsert:updateScore');
      if (argv[0] === 'ZREM') expect(kinds).toEqual(int(reply) ? ['zslDelete:delete'] : []);
      if (argv[0] === 'ZRANK') expect(kinds).toEqual(['zslSearch']);
    }
    expect(seen.insert).toBeGreaterThan(100);
    expect(seen.delete).toBeGreaterThan(50);
    expect(seen.inPlace).toBeGreaterThan(10);
    expect(seen.moved).toBeGreaterThan(10);
    expect(seen.rank).toBeGreaterThan(50);
    expect(seen.score).toBeGreaterThan(50);
    expect(seen.byRank).toBeGreaterThan(20);
    expect(zs(h, 'z').zsl.observer).toBeNull();
  });

  it('ZSCORE reads the dict: no skiplist event; ZRANGE BYLEX and ZREVRANK search; nothing without a listener', () => {
    const h = new EngineHarness();
    h.raw('ZADD', 'lex', ...Array.from({ length: 300 }, (_, i) => ['0', `w${String(i).padStart(3, '0')}`]).flat());
    const sink = new TraceRecorder();
    h.server.trace = sink;
    h.raw('ZSCORE', 'lex', 'w100');
    expect(zslEvents(sink)).toEqual([]);
    h.run('ZRANGE', 'lex', '[w150', '+', 'BYLEX', 'LIMIT', '0', '2');
    const [lex] = zslEvents(sink) as ZslSearchTraceEvent[];
    expect(lex).toMatchObject({ kind: 'zslSearch', op: 'firstInLexRange', landed: { member: 'w150', rank: 151 } });
    expect(lex.path.at(-1)!.rank).toBe(150);
    h.run('ZREVRANGE', 'lex', '0', '0');
    expect(zslEvents(sink)).toEqual([]); // the tail is reached directly
    expect(int(h.run('ZREVRANK', 'lex', 'w010'))).toBe(289);
    const [rev] = zslEvents(sink) as ZslSearchTraceEvent[];
    expect(rev).toMatchObject({ op: 'getRank', landed: { member: 'w010', rank: 11 } });
    h.raw('ZREMRANGEBYRANK', 'lex', '0', '2');
    const dels = zslEvents(sink) as ZslDeleteTraceEvent[];
    expect(dels.map((d) => [d.cause, d.member, d.rank])).toEqual([
      ['deleteRangeByRank', 'w000', 1], ['deleteRangeByRank', 'w001', 1], ['deleteRangeByRank', 'w002', 1],
    ]);
    h.server.trace = null;
    h.raw('ZADD', 'lex', '0', 'quiet');
    h.raw('ZRANK', 'lex', 'quiet');
    h.server.trace = sink;
    expect(zslEvents(sink)).toEqual([]);
    expect(zs(h, 'lex').zsl.observer).toBeNull();
  });

  it('tracing changes nothing: the same stream with and without a listener gives the same replies and skiplist', () => {
    const run = (traced: boolean) => {
      const h = new EngineHarness({ seed: 21, config: { 'zset-max-listpack-entries': '16' } });
      if (traced) h.server.trace = new TraceRecorder(10);
      const rnd = new SeededRandom(8);
      const replies: string[] = [];
      for (let step = 0; step < 3000; step++) {
        const m = `m${rnd.below(300)}`;
        const r = rnd.next();
        const s = String(rnd.below(100));
        const argv = r < 0.4 ? ['ZADD', 'z', s, m] : r < 0.55 ? ['ZREM', 'z', m] : r < 0.7 ? ['ZINCRBY', 'z', '3', m]
          : r < 0.8 ? ['ZRANK', 'z', m] : r < 0.9 ? ['ZRANGE', 'z', s, '+inf', 'BYSCORE', 'LIMIT', '1', '2']
            : r < 0.95 ? ['ZREMRANGEBYSCORE', 'z', s, `(${Number(s) + 2}`] : ['ZPOPMIN', 'z'];
        replies.push(h.raw(...argv));
      }
      return { replies, nodes: h.object('z')?.encoding === 'skiplist' ? allNodes(h, 'z').nodes : null };
    };
    const plain = run(false);
    const traced = run(true);
    expect(traced.replies).toEqual(plain.replies);
    expect(traced.nodes).toEqual(plain.nodes);
    expect(plain.nodes!.length).toBeGreaterThan(100);
  });

  it('zsetConvert when ZADD outgrows the listpack (entries, then a long member): one encoding event, before the new member\'s zslInsert', () => {
    const h = new EngineHarness();
    const sink = new TraceRecorder();
    h.server.trace = sink;
    h.raw('CONFIG', 'SET', 'zset-max-listpack-entries', '4');
    h.raw('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd');
    expect(zslAndConversions(sink)).toEqual([]); // still a listpack
    const lpBytes = (h.object('z')!.value as Listpack).bytes;
    h.raw('ZADD', 'z', '2.5', 'e', '9', 'f');
    const events = zslAndConversions(sink);
    expect(events.map((e) => e.kind)).toEqual(['encoding', 'zslInsert', 'zslInsert']);
    expect(events[0]).toEqual({
      kind: 'encoding', at: h.clock.now(), db: 0, key: 'z', type: 'zset', fn: 'zsetConvert', from: 'listpack', to: 'skiplist',
      reason: 'entries', config: 'zset-max-listpack-entries', limit: 4, actual: 4, element: 'e', elements: 4, bytes: lpBytes,
    });
    const s = checkSnapshot(h, 'z');
    expect(events[1]).toMatchObject({ member: 'e', rank: 3, level: s.nodes[2].level, cause: 'add' });
    expect(events[2]).toMatchObject({ member: 'f', rank: 6, level: s.nodes[5].level });
    expect(events[0].at).toBe(h.clock.now());
    sink.take(); // checkSnapshot's ZRANKs searched

    h.raw('ZADD', 'long', '1', 'a');
    h.raw('ZADD', 'long', '2', 'y'.repeat(65));
    const [conv, ins, ...rest] = zslAndConversions(sink);
    expect(conv).toMatchObject({ kind: 'encoding', key: 'long', fn: 'zsetConvert', elements: 1, reason: 'value', config: 'zset-max-listpack-value', limit: 64, actual: 65 });
    expect(ins).toMatchObject({ kind: 'zslInsert', rank: 2, memberLength: 65 });
    expect(rest).toEqual([]); // one event for the conversion, not two
  });
});
