import { describe, expect, it } from 'vitest';
import {
  LEX_MAX, LEX_MIN, Skiplist, ZSKIPLIST_MAXLEVEL, lexRangeSpec, scoreRangeSpec,
  type LexRange, type ScoreRange, type SearchStep, type SkiplistNode,
} from '../../../src/engine/ds/skiplist.ts';
import { SeededRandom, type Random } from '../../../src/engine/sim/random.ts';

type Entry = { score: number; member: string };

const cmp = (a: Entry, b: Entry): number =>
  a.score !== b.score ? (a.score < b.score ? -1 : 1) : a.member < b.member ? -1 : a.member > b.member ? 1 : 0;

/** Checks every structural invariant of the skiplist against the expected sorted contents. */
function checkInvariants(zsl: Skiplist, expected: Entry[]): void {
  const sorted = expected.slice().sort(cmp);
  expect(zsl.length).toBe(sorted.length);

  // Level 0 order, backward links and tail.
  const nodes = [...zsl.nodes()];
  expect(nodes.map((n) => [n.score, n.member])).toEqual(sorted.map((e) => [e.score, e.member]));
  let prev: SkiplistNode | null = null;
  for (const n of nodes) {
    expect(n.backward).toBe(prev);
    prev = n;
  }
  expect(zsl.tail).toBe(prev);

  // Rank of each node = its position; spans along every level sum to the distance between nodes.
  const rankOf = new Map<SkiplistNode, number>();
  rankOf.set(zsl.header, 0);
  nodes.forEach((n, i) => rankOf.set(n, i + 1));
  let maxHeight = 1;
  for (const n of nodes) maxHeight = Math.max(maxHeight, n.forward.length);
  expect(zsl.level).toBe(maxHeight);
  for (let lvl = 0; lvl < ZSKIPLIST_MAXLEVEL; lvl++) {
    if (lvl >= zsl.level) {
      expect(zsl.header.forward[lvl]).toBeNull();
      continue;
    }
    // The nodes of height > lvl, in order, are exactly the chain at this level.
    const chain = [zsl.header, ...nodes.filter((n) => n.forward.length > lvl)];
    for (let k = 0; k < chain.length; k++) {
      const from = chain[k];
      const to = k + 1 < chain.length ? chain[k + 1] : null;
      expect(from.forward[lvl]).toBe(to);
      // A link's span is the rank distance it jumps; the last link of a level spans to the end.
      const want = to ? rankOf.get(to)! - rankOf.get(from)! : sorted.length - rankOf.get(from)!;
      expect(from.span[lvl]).toBe(want);
    }
  }

  // getRank / getElementByRank agree with the positions.
  nodes.forEach((n, i) => {
    expect(zsl.getRank(n.score, n.member)).toBe(i + 1);
    expect(zsl.getElementByRank(i + 1)).toBe(n);
  });
  expect(zsl.getElementByRank(sorted.length + 1)).toBeNull();
}

function randomMember(rng: Random): string {
  // Byte strings including high bytes and prefixes of each other, to exercise memcmp order.
  const len = rng.below(4);
  let s = '';
  for (let i = 0; i < len; i++) s += String.fromCharCode([0, 1, 97, 98, 127, 128, 255][rng.below(7)]);
  return s + String(rng.below(50));
}

function randomScore(rng: Random): number {
  const pick = rng.below(10);
  if (pick === 0) return -Infinity;
  if (pick === 1) return Infinity;
  if (pick < 5) return rng.below(5); // many ties
  return (rng.below(2000) - 1000) / 8;
}

describe('Skiplist', () => {
  it('starts empty with a 32-level header', () => {
    const zsl = new Skiplist(new SeededRandom(1));
    expect(zsl.length).toBe(0);
    expect(zsl.level).toBe(1);
    expect(zsl.tail).toBeNull();
    expect(zsl.header.forward).toHaveLength(ZSKIPLIST_MAXLEVEL);
    expect(zsl.header.span.every((s) => s === 0)).toBe(true);
    expect(zsl.getRank(1, 'a')).toBe(0);
    expect(zsl.getElementByRank(1)).toBeNull();
    expect(zsl.firstInRange(scoreRangeSpec({ min: -Infinity, max: Infinity, minex: false, maxex: false }))).toBeNull();
  });

  it('orders by score, then by member bytes (memcmp, shorter prefix first)', () => {
    const zsl = new Skiplist(new SeededRandom(2));
    const input: Entry[] = [
      { score: 1, member: 'b' }, { score: 1, member: 'a' }, { score: 1, member: 'ab' },
      { score: 1, member: '\xff' }, { score: 1, member: '\x00' }, { score: 0, member: 'z' },
      { score: -Infinity, member: 'm' }, { score: Infinity, member: 'a' }, { score: -0.5, member: 'q' },
    ];
    for (const e of input) zsl.insert(e.score, e.member);
    expect([...zsl.nodes()].map((n) => n.member)).toEqual(['m', 'q', 'z', '\x00', 'a', 'ab', 'b', '\xff', 'a']);
    checkInvariants(zsl, input);
  });

  it('keeps spans, ranks, backward links and levels consistent under random inserts, deletes and updates', () => {
    for (const seed of [1, 7, 42, 1234]) {
      const rng = new SeededRandom(seed * 31 + 5);
      const zsl = new Skiplist(new SeededRandom(seed));
      const contents = new Map<string, number>();
      for (let step = 0; step < 1500; step++) {
        const op = rng.below(10);
        const member = randomMember(rng);
        const had = contents.get(member);
        if (op < 5) {
          if (had === undefined) {
            const score = randomScore(rng);
            zsl.insert(score, member);
            contents.set(member, score);
          }
        } else if (op < 7) {
          const removed = zsl.delete(had ?? 0, member);
          if (had === undefined) expect(removed).toBeNull();
          else {
            expect(removed?.member).toBe(member);
            contents.delete(member);
          }
        } else if (had !== undefined) {
          const score = rng.below(3) === 0 ? had : randomScore(rng);
          const node = zsl.updateScore(had, member, score);
          expect(node.score).toBe(score);
          expect(node.member).toBe(member);
          contents.set(member, score);
        }
        if (step % 100 === 99) checkInvariants(zsl, [...contents].map(([member, score]) => ({ member, score })));
      }
      checkInvariants(zsl, [...contents].map(([member, score]) => ({ member, score })));
    }
  });

  it('delete of an absent element or a wrong score changes nothing', () => {
    const zsl = new Skiplist(new SeededRandom(3));
    zsl.insert(1, 'a');
    zsl.insert(2, 'b');
    expect(zsl.delete(1, 'b')).toBeNull();
    expect(zsl.delete(3, 'c')).toBeNull();
    checkInvariants(zsl, [{ score: 1, member: 'a' }, { score: 2, member: 'b' }]);
    expect(zsl.getRank(1, 'b')).toBe(0);
  });

  it('updateScore keeps the node when its position does not change, and re-inserts otherwise', () => {
    const zsl = new Skiplist(new SeededRandom(4));
    const a = zsl.insert(1, 'a');
    zsl.insert(5, 'b');
    zsl.insert(10, 'c');
    const b = [...zsl.nodes()][1];
    expect(zsl.updateScore(5, 'b', 7)).toBe(b); // still between 1 and 10
    expect(zsl.updateScore(7, 'b', 10)).not.toBe(b); // ties with a neighbour: Redis re-inserts
    expect(zsl.updateScore(1, 'a', 0)).toBe(a); // first node, moving down
    expect(zsl.updateScore(10, 'b', 20).member).toBe('b');
    checkInvariants(zsl, [{ score: 0, member: 'a' }, { score: 10, member: 'c' }, { score: 20, member: 'b' }]);
    expect(() => zsl.updateScore(3, 'a', 4)).toThrow();
  });

  it('refuses NaN scores', () => {
    const zsl = new Skiplist(new SeededRandom(5));
    expect(() => zsl.insert(NaN, 'x')).toThrow();
  });

  describe('score ranges', () => {
    const zsl = new Skiplist(new SeededRandom(6));
    const scores = [-Infinity, -2, 0, 0, 1.5, 3, 3, 3, 8, Infinity];
    scores.forEach((s, i) => zsl.insert(s, 'm' + i));
    const all = [...zsl.nodes()];
    const r = (min: number, max: number, minex = false, maxex = false): ScoreRange => ({ min, max, minex, maxex });
    const expectedIn = (range: ScoreRange): SkiplistNode[] =>
      all.filter((n) => (range.minex ? n.score > range.min : n.score >= range.min) && (range.maxex ? n.score < range.max : n.score <= range.max));

    const cases: ScoreRange[] = [
      r(-Infinity, Infinity), r(0, 3), r(0, 3, true), r(0, 3, false, true), r(0, 3, true, true),
      r(3, 3), r(3, 3, true), r(3, 3, false, true), r(5, 4), r(100, 200), r(-100, -50),
      r(-Infinity, -Infinity), r(Infinity, Infinity), r(-Infinity, -Infinity, true), r(1, 2), r(2, 2.5),
      r(8, Infinity, true), r(-Infinity, -2, false, true),
    ];
    it.each(cases.map((c) => [JSON.stringify(c), c] as const))('first/last in %s', (_, range) => {
      const want = expectedIn(range);
      expect(zsl.firstInRange(scoreRangeSpec(range))).toBe(want[0] ?? null);
      expect(zsl.lastInRange(scoreRangeSpec(range))).toBe(want[want.length - 1] ?? null);
      expect(zsl.isInRange(scoreRangeSpec(range))).toBe(want.length > 0 || (
        // isInRange only looks at the ends, so a gap inside the set still counts as "maybe".
        !(range.min > range.max || (range.min === range.max && (range.minex || range.maxex))) &&
        (range.minex ? all[all.length - 1].score > range.min : all[all.length - 1].score >= range.min) &&
        (range.maxex ? all[0].score < range.max : all[0].score <= range.max)));
    });
  });

  describe('lex ranges', () => {
    const zsl = new Skiplist(new SeededRandom(7));
    const members = ['', 'a', 'aa', 'ab', 'b', 'ba', 'c', '\x80', '\xff'];
    for (const m of members) zsl.insert(0, m);
    const lr = (min: LexRange['min'], max: LexRange['max'], minex: boolean, maxex: boolean): LexRange => ({ min, max, minex, maxex });
    const cases: [string, LexRange, string[]][] = [
      ['- +', lr(LEX_MIN, LEX_MAX, true, true), members],
      ['[a [b', lr('a', 'b', false, false), ['a', 'aa', 'ab', 'b']],
      ['(a (b', lr('a', 'b', true, true), ['aa', 'ab']],
      ['[aa (ba', lr('aa', 'ba', false, true), ['aa', 'ab', 'b']],
      ['- (a', lr(LEX_MIN, 'a', true, true), ['']],
      ['[ [', lr('', '', false, false), ['']],
      ['( [', lr('', '', true, false), []],
      ['(c +', lr('c', LEX_MAX, true, true), ['\x80', '\xff']],
      ['+ -', lr(LEX_MAX, LEX_MIN, true, true), []],
      ['[z [a', lr('z', 'a', false, false), []],
      ['- -', lr(LEX_MIN, LEX_MIN, true, true), []],
      ['[d [e', lr('d', 'e', false, false), []],
    ];
    it.each(cases)('range %s', (_, range, want) => {
      const first = zsl.firstInRange(lexRangeSpec(range));
      const last = zsl.lastInRange(lexRangeSpec(range));
      expect(first?.member ?? null).toBe(want.length ? want[0] : null);
      expect(last?.member ?? null).toBe(want.length ? want[want.length - 1] : null);
    });

    it('deleteInRange removes exactly the lex range', () => {
      const z = new Skiplist(new SeededRandom(8));
      for (const m of members) z.insert(0, m);
      const gone: string[] = [];
      expect(z.deleteInRange(lexRangeSpec(lr('a', 'b', true, false)), (n) => gone.push(n.member))).toBe(3);
      expect(gone).toEqual(['aa', 'ab', 'b']);
      checkInvariants(z, members.filter((m) => !gone.includes(m)).map((member) => ({ score: 0, member })));
    });
  });

  it('deleteInRange (by score) and deleteRangeByRank remove exactly their ranges, on random sets', () => {
    for (let seed = 0; seed < 30; seed++) {
      const rng = new SeededRandom(1000 + seed);
      const zsl = new Skiplist(new SeededRandom(seed));
      const entries: Entry[] = [];
      const n = rng.below(60);
      for (let i = 0; i < n; i++) {
        const e = { score: rng.below(20), member: 'm' + i };
        entries.push(e);
        zsl.insert(e.score, e.member);
      }
      entries.sort(cmp);
      const range: ScoreRange = { min: rng.below(22) - 1, max: rng.below(22) - 1, minex: rng.below(2) === 1, maxex: rng.below(2) === 1 };
      const inRange = (e: Entry) => (range.minex ? e.score > range.min : e.score >= range.min) && (range.maxex ? e.score < range.max : e.score <= range.max);
      const removed: string[] = [];
      expect(zsl.deleteInRange(scoreRangeSpec(range), (x) => removed.push(x.member))).toBe(entries.filter(inRange).length);
      expect(removed).toEqual(entries.filter(inRange).map((e) => e.member));
      let rest = entries.filter((e) => !inRange(e));
      checkInvariants(zsl, rest);

      const start = 1 + rng.below(rest.length + 2);
      const end = start + rng.below(10);
      const byRank: string[] = [];
      const want = rest.slice(start - 1, end).map((e) => e.member);
      expect(zsl.deleteRangeByRank(start, end, (x) => byRank.push(x.member))).toBe(want.length);
      expect(byRank).toEqual(want);
      rest = rest.filter((e) => !want.includes(e.member));
      checkInvariants(zsl, rest);
    }
  });

  it('shrinks its level when the tallest nodes go away', () => {
    const zsl = new Skiplist(new SeededRandom(9));
    for (let i = 0; i < 200; i++) zsl.insert(i, 'x');
    expect(zsl.level).toBeGreaterThan(1);
    expect(zsl.deleteRangeByRank(1, 200)).toBe(200);
    expect(zsl.level).toBe(1);
    expect(zsl.length).toBe(0);
    expect(zsl.tail).toBeNull();
    expect(zsl.header.span[0]).toBe(0);
    expect(zsl.header.forward[0]).toBeNull();
  });

  it('rolls levels with P = 1/4 from the injected PRNG, deterministically', () => {
    const levels = (seed: number) => {
      const zsl = new Skiplist(new SeededRandom(seed));
      return Array.from({ length: 20000 }, () => zsl.randomLevel());
    };
    const a = levels(11);
    expect(levels(11)).toEqual(a); // same seed, same shape
    expect(levels(12)).not.toEqual(a);
    // Histogram for this fixed seed; with P = 1/4 each level holds about 1/4 of the one below.
    const hist = new Array(ZSKIPLIST_MAXLEVEL + 1).fill(0);
    for (const l of a) hist[l]++;
    expect(Math.min(...a)).toBe(1);
    expect(Math.max(...a)).toBeLessThanOrEqual(ZSKIPLIST_MAXLEVEL);
    const atLeast = (l: number) => a.filter((x) => x >= l).length;
    // Deterministic (fixed seed), so these bounds test the roll's probability, not luck: P = 1/2 or
    // P = 1/8 would land far outside them.
    expect(atLeast(2) / a.length).toBeGreaterThan(0.23);
    expect(atLeast(2) / a.length).toBeLessThan(0.27);
    expect(atLeast(3) / atLeast(2)).toBeGreaterThan(0.2);
    expect(atLeast(3) / atLeast(2)).toBeLessThan(0.3);
  });

  it('the level roll draws one nextU32 per attempt and compares its low 16 bits with 0.25 * 0xFFFF', () => {
    const draws = [0x12340000, 0xffff3fff, 0x00004000, 7]; // low16: 0 (<), 0x3fff (<), 0x4000 (stop)
    let i = 0;
    const fake: Random = { nextU32: () => draws[i++], next: () => 0, below: () => 0 };
    const zsl = new Skiplist(fake);
    expect(zsl.randomLevel()).toBe(3);
    expect(i).toBe(3);
    const always: Random = { nextU32: () => 0, next: () => 0, below: () => 0 };
    expect(new Skiplist(always).randomLevel()).toBe(ZSKIPLIST_MAXLEVEL);
  });

  it('reports search paths and rolled levels to an observer', () => {
    const zsl = new Skiplist(new SeededRandom(10));
    for (let i = 0; i < 50; i++) zsl.insert(i, 'm' + i);
    const paths: [string, readonly SearchStep[]][] = [];
    const rolled: number[] = [];
    zsl.observer = { searched: (op, path) => paths.push([op, path]), levelRolled: (l, node) => { rolled.push(l); expect(node.forward.length).toBe(l); } };
    const rank = zsl.getRank(30, 'm30');
    expect(rank).toBe(31);
    const [op, path] = paths.pop()!;
    expect(op).toBe('getRank');
    const last = path[path.length - 1];
    expect(last.node.member).toBe('m30');
    expect(last.rank).toBe(31);
    // The path starts at the header on the top level, never climbs levels, and ranks only grow.
    expect(path[0].node).toBe(zsl.header);
    expect(path[0].level).toBe(zsl.level - 1);
    for (let k = 1; k < path.length; k++) {
      expect(path[k].level).toBeLessThanOrEqual(path[k - 1].level);
      expect(path[k].rank).toBeGreaterThanOrEqual(path[k - 1].rank);
    }
    // Range searches are named by the kind of range they serve.
    zsl.firstInRange(scoreRangeSpec({ min: 3, max: 9, minex: false, maxex: false }));
    expect(paths.pop()![0]).toBe('firstInRange');
    zsl.lastInRange(lexRangeSpec({ min: LEX_MIN, max: LEX_MAX, minex: true, maxex: true }));
    expect(paths.pop()![0]).toBe('lastInLexRange');
    zsl.insert(25.5, 'new');
    expect(paths.pop()![0]).toBe('insert');
    expect(rolled).toHaveLength(1);
    zsl.observer = null;
    zsl.insert(26.5, 'quiet');
    expect(rolled).toHaveLength(1);
  });

  it('snapshot describes nodes, levels, spans and backward links by index', () => {
    const zsl = new Skiplist(new SeededRandom(12));
    for (const [s, m] of [[3, 'c'], [1, 'a'], [2, 'b']] as const) zsl.insert(s, m);
    const snap = zsl.snapshot();
    expect(snap.length).toBe(3);
    expect(snap.nodes.map((n) => n.member)).toEqual(['', 'a', 'b', 'c']);
    expect(snap.nodes[0].levels).toHaveLength(zsl.level);
    expect(snap.nodes[0].levels[0]).toEqual({ forward: 1, span: 1 });
    expect(snap.nodes[1].backward).toBeNull();
    expect(snap.nodes[3].backward).toBe(2);
    expect(snap.tail).toBe(3);
    expect(snap.nodes[3].levels.every((l) => l.forward === null)).toBe(true);
  });
});
