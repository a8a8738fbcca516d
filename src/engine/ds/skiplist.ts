// The sorted-set skiplist as Redis 7.0 builds it (t_zset.c): a header node with 32 levels, nodes
// ordered by (score, member bytes), every forward link carrying a span (how many level-0 steps it
// jumps, which is what makes ranks O(log n)), backward links at level 0, a tail, a length and the
// current level. Node levels are rolled with P = 1/4 from the injected PRNG, so the same seed gives
// the same shape. The structure is kept inspectable for the visualisation panel: nodes are plain
// objects, `nodes()` walks level 0, and an optional observer receives search paths and rolled levels.
import type { Random } from '../sim/random.ts';

export const ZSKIPLIST_MAXLEVEL = 32;
export const ZSKIPLIST_P = 0.25;

/** One skiplist node. `forward[i]`/`span[i]` exist for i < height (the header has all 32). */
export interface SkiplistNode {
  /** The member, a byte string. The header's is '' and must never be compared. */
  member: string;
  score: number;
  /** Previous node at level 0; null for the first node (and the header). */
  backward: SkiplistNode | null;
  forward: (SkiplistNode | null)[];
  span: number[];
}

/** A score interval with Redis's optional exclusive ends ("(1.5"). */
export interface ScoreRange {
  min: number;
  max: number;
  minex: boolean;
  maxex: boolean;
}

/** The "-" and "+" lex bounds: below and above every byte string. */
export const LEX_MIN: unique symbol = Symbol('lex -');
export const LEX_MAX: unique symbol = Symbol('lex +');
export type LexBound = string | typeof LEX_MIN | typeof LEX_MAX;

/** A lexicographic interval as ZRANGEBYLEX takes it ("[a", "(b", "-", "+"). */
export interface LexRange {
  min: LexBound;
  max: LexBound;
  minex: boolean;
  maxex: boolean;
}

/** One position a search stood on: the node and the level it was walking, with the rank so far. */
export interface SearchStep {
  node: SkiplistNode;
  level: number;
  /** Level-0 distance from the header to `node` (the node's rank; 0 for the header). */
  rank: number;
}

export type SkiplistOp =
  | 'insert' | 'delete' | 'updateScore' | 'getRank' | 'getByRank'
  | 'firstInRange' | 'lastInRange' | 'firstInLexRange' | 'lastInLexRange'
  | 'deleteRangeByScore' | 'deleteRangeByLex' | 'deleteRangeByRank';

/**
 * Receives what the panel wants to draw. Only consulted when set, so a skiplist without an
 * observer pays one null check per operation.
 */
export interface SkiplistObserver {
  /** The nodes a search visited, in order (top level first), ending where it stopped. */
  searched?(op: SkiplistOp, path: readonly SearchStep[]): void;
  /** The level rolled for a newly inserted node. */
  levelRolled?(level: number, node: SkiplistNode): void;
  /**
   * A node about to be unlinked (zslDeleteNode), with the update vector in front of it and the
   * list's current level; the observer only reads them.
   */
  unlinked?(node: SkiplistNode, update: readonly SkiplistNode[], level: number): void;
  /** zslUpdateScore changed a node's score where it stands, without re-inserting it. */
  updatedInPlace?(node: SkiplistNode, oldScore: number): void;
}

function createNode(height: number, score: number, member: string): SkiplistNode {
  const forward = new Array<SkiplistNode | null>(height);
  const span = new Array<number>(height);
  for (let i = 0; i < height; i++) { forward[i] = null; span[i] = 0; }
  return { member, score, backward: null, forward, span };
}

/** Whether (score, member) sorts strictly before (s, m): Redis's zset order, members by memcmp. */
function before(node: SkiplistNode, score: number, member: string): boolean {
  return node.score < score || (node.score === score && node.member < member);
}

/** sdscmplex: compare with the "-"/"+" sentinels. */
export function compareLex(a: LexBound, b: LexBound): number {
  if (a === b) return 0;
  if (a === LEX_MIN || b === LEX_MAX) return -1;
  if (a === LEX_MAX || b === LEX_MIN) return 1;
  return a < b ? -1 : 1;
}

export function scoreGteMin(value: number, range: ScoreRange): boolean {
  return range.minex ? value > range.min : value >= range.min;
}

export function scoreLteMax(value: number, range: ScoreRange): boolean {
  return range.maxex ? value < range.max : value <= range.max;
}

export function lexGteMin(value: string, range: LexRange): boolean {
  const c = compareLex(value, range.min);
  return range.minex ? c > 0 : c >= 0;
}

export function lexLteMax(value: string, range: LexRange): boolean {
  const c = compareLex(value, range.max);
  return range.maxex ? c < 0 : c <= 0;
}

/** Ranges that cannot contain anything, whatever the set holds. */
export function scoreRangeIsEmpty(range: ScoreRange): boolean {
  return range.min > range.max || (range.min === range.max && (range.minex || range.maxex));
}

export function lexRangeIsEmpty(range: LexRange): boolean {
  const c = compareLex(range.min, range.max);
  return c > 0 || (c === 0 && (range.minex || range.maxex));
}

/**
 * A score or a lex range as the range searches use it. Both bound the same (score, member) order,
 * so one search serves both (t_zset.c keeps a score and a lex copy of each). A score range tests
 * scores, a lex range members (meaningful when all scores are equal, as the lex commands require).
 */
export interface RangeSpec {
  readonly kind: 'score' | 'lex';
  /** Nothing can be inside, whatever the set holds. */
  readonly empty: boolean;
  /** Whether the node is not below the range's start. */
  gteMin(node: SkiplistNode): boolean;
  /** Whether the node is not above the range's end. */
  lteMax(node: SkiplistNode): boolean;
}

export function scoreRangeSpec(range: ScoreRange): RangeSpec {
  return {
    kind: 'score',
    empty: scoreRangeIsEmpty(range),
    gteMin: (n) => scoreGteMin(n.score, range),
    lteMax: (n) => scoreLteMax(n.score, range),
  };
}

export function lexRangeSpec(range: LexRange): RangeSpec {
  return {
    kind: 'lex',
    empty: lexRangeIsEmpty(range),
    gteMin: (n) => lexGteMin(n.member, range),
    lteMax: (n) => lexLteMax(n.member, range),
  };
}

/** The observer's names for the range searches: the panel still tells score from lex searches. */
const RANGE_OPS = {
  score: { first: 'firstInRange', last: 'lastInRange', delete: 'deleteRangeByScore' },
  lex: { first: 'firstInLexRange', last: 'lastInLexRange', delete: 'deleteRangeByLex' },
} as const satisfies Record<RangeSpec['kind'], Record<string, SkiplistOp>>;

export class Skiplist {
  readonly header: SkiplistNode;
  tail: SkiplistNode | null = null;
  length = 0;
  /** Highest level in use by any node (at least 1). */
  level = 1;
  observer: SkiplistObserver | null = null;
  // Scratch vectors reused by every operation (Redis keeps them on the stack).
  private readonly update: SkiplistNode[];
  private readonly rank: number[] = new Array(ZSKIPLIST_MAXLEVEL).fill(0);

  constructor(private readonly random: Random) {
    this.header = createNode(ZSKIPLIST_MAXLEVEL, 0, '');
    this.update = new Array(ZSKIPLIST_MAXLEVEL).fill(this.header);
  }

  /** zslRandomLevel: each extra level with probability 1/4, capped at 32. */
  randomLevel(): number {
    let level = 1;
    // Stopping at the cap (rather than clamping afterwards) only matters for a degenerate PRNG.
    while (level < ZSKIPLIST_MAXLEVEL && (this.random.nextU32() & 0xffff) < ZSKIPLIST_P * 0xffff) level++;
    return level;
  }

  /** Walks level 0 from the first node to the tail. */
  *nodes(): IterableIterator<SkiplistNode> {
    for (let x = this.header.forward[0]; x; x = x.forward[0]) yield x;
  }

  get first(): SkiplistNode | null { return this.header.forward[0]; }

  /** Descends to the last node before (score, member) at every level: Redis's update[] vector. */
  private seek(score: number, member: string, op: SkiplistOp, update: SkiplistNode[], rank: number[] | null): SkiplistNode {
    const path: SearchStep[] | null = this.observer?.searched ? [] : null;
    let x = this.header;
    let r = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      if (path) path.push({ node: x, level: i, rank: r });
      let next = x.forward[i];
      while (next && before(next, score, member)) {
        r += x.span[i];
        x = next;
        if (path) path.push({ node: x, level: i, rank: r });
        next = x.forward[i];
      }
      update[i] = x;
      if (rank) rank[i] = r;
    }
    if (path) this.observer!.searched!(op, path);
    return x;
  }

  /** zslInsert: the member must not be present already (the caller's dict guarantees that). */
  insert(score: number, member: string): SkiplistNode {
    if (Number.isNaN(score)) throw new Error('skiplist: NaN score');
    const update = this.update;
    const rank = this.rank;
    this.seek(score, member, 'insert', update, rank);
    const level = this.randomLevel();
    if (level > this.level) {
      for (let i = this.level; i < level; i++) {
        rank[i] = 0;
        update[i] = this.header;
        this.header.span[i] = this.length;
      }
      this.level = level;
    }
    const x = createNode(level, score, member);
    for (let i = 0; i < level; i++) {
      const prev = update[i];
      x.forward[i] = prev.forward[i];
      prev.forward[i] = x;
      // rank[0] - rank[i] is how far below update[i] the new node lands.
      x.span[i] = prev.span[i] - (rank[0] - rank[i]);
      prev.span[i] = rank[0] - rank[i] + 1;
    }
    // Links above the new node's height now jump over one more node.
    for (let i = level; i < this.level; i++) update[i].span[i]++;
    x.backward = update[0] === this.header ? null : update[0];
    if (x.forward[0]) x.forward[0].backward = x;
    else this.tail = x;
    this.length++;
    if (this.observer?.levelRolled) this.observer.levelRolled(level, x);
    return x;
  }

  /** zslDeleteNode: unlinks x given the update vector that precedes it. */
  private unlink(x: SkiplistNode, update: SkiplistNode[]): void {
    if (this.observer?.unlinked) this.observer.unlinked(x, update, this.level);
    for (let i = 0; i < this.level; i++) {
      const prev = update[i];
      if (prev.forward[i] === x) {
        prev.span[i] += x.span[i] - 1;
        prev.forward[i] = x.forward[i];
      } else {
        prev.span[i] -= 1;
      }
    }
    if (x.forward[0]) x.forward[0].backward = x.backward;
    else this.tail = x.backward;
    while (this.level > 1 && this.header.forward[this.level - 1] === null) this.level--;
    this.length--;
  }

  /** zslDelete: removes the node with exactly this score and member; returns it, or null. */
  delete(score: number, member: string): SkiplistNode | null {
    const update = this.update;
    const x = this.seek(score, member, 'delete', update, null).forward[0];
    if (x && x.score === score && x.member === member) {
      this.unlink(x, update);
      return x;
    }
    return null;
  }

  /**
   * zslUpdateScore: the member must exist with `currentScore`. Updates in place when the node keeps
   * its position, otherwise removes it and inserts a new node (rolling a new level, as Redis does).
   */
  updateScore(currentScore: number, member: string, newScore: number): SkiplistNode {
    const update = this.update;
    const x = this.seek(currentScore, member, 'updateScore', update, null).forward[0];
    if (!x || x.score !== currentScore || x.member !== member) {
      throw new Error('skiplist: updateScore of a missing element');
    }
    // Strict comparisons on purpose, like Redis: an equal neighbour score means re-insertion.
    if ((x.backward === null || x.backward.score < newScore) &&
        (x.forward[0] === null || x.forward[0].score > newScore)) {
      x.score = newScore;
      if (this.observer?.updatedInPlace) this.observer.updatedInPlace(x, currentScore);
      return x;
    }
    this.unlink(x, update);
    return this.insert(newScore, x.member);
  }

  /** zslGetRank: 1-based rank of (score, member), 0 when absent. */
  getRank(score: number, member: string): number {
    const path: SearchStep[] | null = this.observer?.searched ? [] : null;
    let x = this.header;
    let rank = 0;
    let found = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      if (path) path.push({ node: x, level: i, rank });
      let next = x.forward[i];
      while (next && (next.score < score || (next.score === score && next.member <= member))) {
        rank += x.span[i];
        x = next;
        if (path) path.push({ node: x, level: i, rank });
        next = x.forward[i];
      }
      if (x !== this.header && x.score === score && x.member === member) { found = rank; break; }
    }
    if (path) this.observer!.searched!('getRank', path);
    return found;
  }

  /** zslGetElementByRank: the node at 1-based `rank`, or null. */
  getElementByRank(rank: number): SkiplistNode | null {
    const path: SearchStep[] | null = this.observer?.searched ? [] : null;
    let x = this.header;
    let traversed = 0;
    let found: SkiplistNode | null = null;
    for (let i = this.level - 1; i >= 0; i--) {
      if (path) path.push({ node: x, level: i, rank: traversed });
      while (x.forward[i] && traversed + x.span[i] <= rank) {
        traversed += x.span[i];
        x = x.forward[i]!;
        if (path) path.push({ node: x, level: i, rank: traversed });
      }
      if (traversed === rank) { found = x === this.header ? null : x; break; }
    }
    if (path) this.observer!.searched!('getByRank', path);
    return found;
  }

  /** zslIsInRange / zslIsInLexRange: whether some element could be inside, judged from the ends. */
  isInRange(range: RangeSpec): boolean {
    if (range.empty) return false;
    const last = this.tail;
    if (last === null || !range.gteMin(last)) return false;
    const first = this.header.forward[0];
    return first !== null && range.lteMax(first);
  }

  /** zslFirstInRange / zslFirstInLexRange: the lowest node inside the range, or null. */
  firstInRange(range: RangeSpec): SkiplistNode | null {
    if (!this.isInRange(range)) return null;
    const x = this.descend(RANGE_OPS[range.kind].first, (n) => !range.gteMin(n), null).forward[0]!;
    return range.lteMax(x) ? x : null;
  }

  /** zslLastInRange / zslLastInLexRange: the highest node inside the range, or null. */
  lastInRange(range: RangeSpec): SkiplistNode | null {
    if (!this.isInRange(range)) return null;
    const x = this.descend(RANGE_OPS[range.kind].last, (n) => range.lteMax(n), null);
    return range.gteMin(x) ? x : null;
  }

  /** Generic descent: at each level, move forward while `advance(next)`; fills `update` if given. */
  private descend(op: SkiplistOp, advance: (n: SkiplistNode) => boolean, update: SkiplistNode[] | null): SkiplistNode {
    const path: SearchStep[] | null = this.observer?.searched ? [] : null;
    let x = this.header;
    let r = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      if (path) path.push({ node: x, level: i, rank: r });
      let next = x.forward[i];
      while (next && advance(next)) {
        r += x.span[i];
        x = next;
        if (path) path.push({ node: x, level: i, rank: r });
        next = x.forward[i];
      }
      if (update) update[i] = x;
    }
    if (path) this.observer!.searched!(op, path);
    return x;
  }

  /** Deletes the run of nodes starting after update[0] while `inside(node)`; returns the count. */
  private deleteRun(update: SkiplistNode[], start: SkiplistNode | null, inside: (n: SkiplistNode) => boolean, removed?: (n: SkiplistNode) => void): number {
    let count = 0;
    let x = start;
    while (x && inside(x)) {
      const next = x.forward[0];
      this.unlink(x, update);
      if (removed) removed(x);
      count++;
      x = next;
    }
    return count;
  }

  /** zslDeleteRangeByScore / zslDeleteRangeByLex; `removed` is told each node (to drop it from the dict). */
  deleteInRange(range: RangeSpec, removed?: (n: SkiplistNode) => void): number {
    const update = this.update;
    const x = this.descend(RANGE_OPS[range.kind].delete, (n) => !range.gteMin(n), update);
    return this.deleteRun(update, x.forward[0], (n) => range.lteMax(n), removed);
  }

  /** zslDeleteRangeByRank: 1-based, both ends inclusive. */
  deleteRangeByRank(start: number, end: number, removed?: (n: SkiplistNode) => void): number {
    const update = this.update;
    const path: SearchStep[] | null = this.observer?.searched ? [] : null;
    let x = this.header;
    let traversed = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      if (path) path.push({ node: x, level: i, rank: traversed });
      while (x.forward[i] && traversed + x.span[i] < start) {
        traversed += x.span[i];
        x = x.forward[i]!;
        if (path) path.push({ node: x, level: i, rank: traversed });
      }
      update[i] = x;
    }
    if (path) this.observer!.searched!('deleteRangeByRank', path);
    let rank = traversed + 1;
    return this.deleteRun(update, x.forward[0], () => rank++ <= end, removed);
  }

  /** A plain description of the structure, for the panel and for tests. */
  snapshot(): SkiplistSnapshot {
    const index = new Map<SkiplistNode, number>();
    index.set(this.header, 0);
    let i = 1;
    for (const n of this.nodes()) index.set(n, i++);
    const describe = (n: SkiplistNode, height: number): SnapshotNode => ({
      member: n.member,
      score: n.score,
      levels: Array.from({ length: height }, (_, l) => ({
        forward: n.forward[l] ? index.get(n.forward[l]!)! : null,
        span: n.span[l],
      })),
      backward: n.backward ? index.get(n.backward)! : null,
    });
    const nodes: SnapshotNode[] = [describe(this.header, this.level)];
    for (const n of this.nodes()) nodes.push(describe(n, n.forward.length));
    return { length: this.length, level: this.level, tail: this.tail ? index.get(this.tail)! : null, nodes };
  }
}

export interface SnapshotNode {
  member: string;
  score: number;
  /** Links per level; forward is an index into `nodes` (0 = header), null at the end. */
  levels: { forward: number | null; span: number }[];
  backward: number | null;
}

export interface SkiplistSnapshot {
  length: number;
  level: number;
  tail: number | null;
  /** nodes[0] is the header (only its first `level` levels); then the nodes in order. */
  nodes: SnapshotNode[];
}
