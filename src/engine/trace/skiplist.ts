// The skiplist snapshot: a sorted set's skiplist as it is, read straight from the nodes: the
// header's level, the length, and a window of nodes in rank order with every level's forward link
// (target rank and span) and the backward link; the nodes outside the window only counted, per
// level, so a set of a million members answers with a few hundred nodes. A set still in a listpack
// is described as one (entries and the live limits that will convert it).
//
// Reading is all it does: the key is found with dict.peek (no lazy expiry, no LRU/LFU touch, no
// stats, no rehash step), and the skiplist is walked by its links, never through its search
// methods (which would report to an observer).
import type { SkiplistNode } from '../ds/skiplist.ts';
import type { Listpack } from '../ds/listpack.ts';
import { listpackScoreValue, type ZsetSkiplist } from '../commands/zset.ts';
import type { RedisServer } from '../server/redisServer.ts';
import { previewMember } from './skiplistTrace.ts';

export interface SkiplistQuery {
  kind: 'skiplist';
  db: number;
  /** The key's bytes. */
  key: string;
  /** Nodes described in full (clamped to 1..MAX_SKIPLIST_LIMIT; default DEFAULT_SKIPLIST_LIMIT). */
  limit?: number;
  /** Centre the window on this 1-based rank (default: start at rank 1). */
  focusRank?: number | null;
  /** Or on this member, if the set has it (wins over focusRank). */
  focusMember?: string | null;
  /** Buckets of the whole-list overview (clamped to 1..MAX_OVERVIEW_BUCKETS; default 100). */
  buckets?: number;
}

/** One level of a node: where its forward pointer goes and how many level-0 steps that is. */
export interface SkiplistLink {
  /** The target's 1-based rank; null: the pointer is NULL (end of that level). */
  to: number | null;
  span: number;
}

export interface SkiplistNodeInfo {
  rank: number;
  /** The member's first TRACED_MEMBER_BYTES bytes (byte string). */
  member: string;
  memberLength: number;
  score: number;
  /** Its height (the level zslRandomLevel gave it). */
  level: number;
  /** links[i] for each level i < level. */
  links: SkiplistLink[];
  /** The rank its backward pointer points at; null for the first node; -1 if it is not the previous node (never, if the list is sound). */
  backward: number | null;
}

/** Nodes not described one by one. */
export interface SkiplistRangeSummary {
  /** Ranks first..last (inclusive); count 0 when there are none. */
  first: number;
  last: number;
  count: number;
  /** towers[i]: how many of them reach level i (towers[0] = count). */
  towers: number[];
}

interface ZsetLimits {
  /** The live zset-max-listpack-entries and zset-max-listpack-value. */
  maxEntries: number;
  maxValue: number;
}

export interface SkiplistSnapshot extends ZsetLimits {
  kind: 'skiplist';
  encoding: 'skiplist';
  db: number;
  key: string;
  /** zsl->length (and the dict's size next to it, which always agrees). */
  length: number;
  dictSize: number;
  /** zsl->level: the header's levels in use. */
  level: number;
  /** The header's links, one per level < level. */
  header: SkiplistLink[];
  /** Rank of zsl->tail (= length; 0 when empty). */
  tail: number;
  /** The rank the window was centred on (null: none asked for, or the member is not there). */
  focus: number | null;
  /** Nodes of ranks window.first..window.last, in order. */
  nodes: SkiplistNodeInfo[];
  window: { first: number; last: number };
  before: SkiplistRangeSummary;
  after: SkiplistRangeSummary;
  /** Over the whole list: towers[i] = nodes reaching level i. */
  towers: number[];
  /** The whole list in `overview.maxLevel.length` buckets of `bucketSize` ranks: the tallest node of each. */
  overview: { bucketSize: number; maxLevel: number[] };
}

export interface ListpackZsetSnapshot extends ZsetLimits {
  kind: 'skiplist';
  encoding: 'listpack';
  db: number;
  key: string;
  /** Members. */
  length: number;
  /** The listpack's size in bytes. */
  bytes: number;
  /** The first `limit` (member, score) pairs, in order. */
  entries: { member: string; memberLength: number; score: number }[];
  /** The longest member's length in bytes. */
  longest: number;
}

export type SkiplistResult = SkiplistSnapshot | ListpackZsetSnapshot;

export const DEFAULT_SKIPLIST_LIMIT = 200;
export const MAX_SKIPLIST_LIMIT = 1000;
export const DEFAULT_OVERVIEW_BUCKETS = 100;
export const MAX_OVERVIEW_BUCKETS = 1000;

/** Error messages (the panel tells them apart by the first word). */
export const NO_SUCH_KEY = 'NOKEY no such key';
export const NOT_A_ZSET = 'WRONGTYPE the key holds a';

function clampInt(v: number | undefined | null, lo: number, hi: number, dflt: number): number {
  if (v === undefined || v === null || !Number.isFinite(v)) return dflt;
  return Math.max(lo, Math.min(hi, Math.trunc(v)));
}

/**
 * A member's node and 1-based rank by a read-only descent on the spans (zslGetRank without the
 * observer: no trace, no change); null if absent.
 */
export function findRankedNode(zs: ZsetSkiplist, member: string): { rank: number; node: SkiplistNode } | null {
  const score = zs.dict.peek(member);
  if (score === undefined) return null;
  const zsl = zs.zsl;
  let x = zsl.header;
  let rank = 0;
  for (let i = zsl.level - 1; i >= 0; i--) {
    let next = x.forward[i];
    while (next && (next.score < score || (next.score === score && next.member <= member))) {
      rank += x.span[i];
      x = next;
      next = x.forward[i];
    }
    if (x !== zsl.header && x.member === member) return { rank, node: x };
  }
  return null;
}

/** The 1-based rank of a member; 0 if absent. */
function rankOf(zs: ZsetSkiplist, member: string): number {
  return findRankedNode(zs, member)?.rank ?? 0;
}

/** The node at `rank` (0: the header) by a read-only descent on the spans. */
function nodeAt(zs: ZsetSkiplist, rank: number): SkiplistNode {
  const zsl = zs.zsl;
  let x = zsl.header;
  let traversed = 0;
  for (let i = zsl.level - 1; i >= 0; i--) {
    while (x.forward[i] && traversed + x.span[i] <= rank) {
      traversed += x.span[i];
      x = x.forward[i]!;
    }
    if (traversed === rank) return x;
  }
  throw new Error(`skiplist: no node at rank ${rank}`);
}

function emptySummary(first: number, last: number, levels: number): SkiplistRangeSummary {
  return { first, last, count: Math.max(0, last - first + 1), towers: new Array<number>(levels).fill(0) };
}

function skiplistSnapshot(query: SkiplistQuery, zs: ZsetSkiplist, limits: ZsetLimits): SkiplistSnapshot {
  const zsl = zs.zsl;
  const length = zsl.length;
  const limit = clampInt(query.limit, 1, MAX_SKIPLIST_LIMIT, DEFAULT_SKIPLIST_LIMIT);
  let focus: number | null = null;
  if (query.focusMember !== undefined && query.focusMember !== null) focus = rankOf(zs, query.focusMember) || null;
  if (focus === null && query.focusRank !== undefined && query.focusRank !== null && length > 0) {
    focus = clampInt(query.focusRank, 1, length, 1);
  }
  // The window: `limit` ranks centred on the focus, kept inside 1..length.
  let first = focus === null ? 1 : focus - Math.floor(limit / 2);
  first = Math.max(1, Math.min(first, length - limit + 1));
  const last = Math.min(length, first + limit - 1);

  // Walk level 0 through the window. Targets are ranked by identity where they are in it.
  const inWindow = new Map<SkiplistNode, number>();
  const windowNodes: SkiplistNode[] = [];
  let prev = length > 0 ? nodeAt(zs, first - 1) : zsl.header;
  for (let x = prev.forward[0], r = first; x && r <= last; x = x.forward[0], r++) {
    inWindow.set(x, r);
    windowNodes.push(x);
  }
  const link = (n: SkiplistNode, rank: number, i: number): SkiplistLink => {
    const target = n.forward[i];
    if (!target) return { to: null, span: n.span[i] };
    return { to: inWindow.get(target) ?? rank + n.span[i], span: n.span[i] };
  };
  const nodes: SkiplistNodeInfo[] = windowNodes.map((n, k) => {
    const rank = first + k;
    const before = k === 0 ? prev : windowNodes[k - 1];
    const height = n.forward.length;
    const links: SkiplistLink[] = new Array(height);
    for (let i = 0; i < height; i++) links[i] = link(n, rank, i);
    return {
      rank, member: previewMember(n.member), memberLength: n.member.length, score: n.score, level: height, links,
      backward: n.backward === null ? null : n.backward === before && rank > 1 ? rank - 1 : -1,
    };
  });
  const header: SkiplistLink[] = [];
  for (let i = 0; i < zsl.level; i++) header.push(link(zsl.header, 0, i));

  // Level by level (levels >= 1 hold about a third of the nodes in all): per-level counts for
  // the whole list and the ranges either side of the window, and each bucket's tallest node.
  const levels = zsl.level;
  const towers = new Array<number>(levels).fill(0);
  towers[0] = length;
  const before = emptySummary(1, first - 1, levels);
  before.towers[0] = before.count;
  const after = emptySummary(last + 1, length, levels);
  after.towers[0] = after.count;
  const bucketCount = Math.max(1, Math.min(clampInt(query.buckets, 1, MAX_OVERVIEW_BUCKETS, DEFAULT_OVERVIEW_BUCKETS), length || 1));
  const bucketSize = Math.max(1, Math.ceil(length / bucketCount));
  const maxLevel = new Array<number>(Math.ceil(length / bucketSize) || 0).fill(1);
  for (let i = 1; i < levels; i++) {
    let rank = 0;
    for (let x: SkiplistNode = zsl.header; x.forward[i]; ) {
      rank += x.span[i];
      x = x.forward[i]!;
      towers[i]++;
      if (rank < first) before.towers[i]++;
      else if (rank > last) after.towers[i]++;
      const b = Math.floor((rank - 1) / bucketSize);
      if (b >= 0 && b < maxLevel.length && maxLevel[b] < i + 1) maxLevel[b] = i + 1;
    }
  }
  return {
    kind: 'skiplist', encoding: 'skiplist', db: query.db, key: query.key, ...limits,
    length, dictSize: zs.dict.size, level: levels, header, tail: zsl.tail ? length : 0, focus,
    nodes, window: { first, last }, before, after, towers, overview: { bucketSize, maxLevel },
  };
}

function listpackSnapshot(query: SkiplistQuery, lp: Listpack, limits: ZsetLimits): ListpackZsetSnapshot {
  const limit = clampInt(query.limit, 1, MAX_SKIPLIST_LIMIT, DEFAULT_SKIPLIST_LIMIT);
  const entries: ListpackZsetSnapshot['entries'] = [];
  let longest = 0;
  for (let i = 0; i < lp.length; i += 2) {
    const member = lp.get(i);
    if (member.length > longest) longest = member.length;
    if (entries.length < limit) {
      entries.push({ member: previewMember(member), memberLength: member.length, score: listpackScoreValue(lp.get(i + 1)) });
    }
  }
  return {
    kind: 'skiplist', encoding: 'listpack', db: query.db, key: query.key, ...limits,
    length: lp.length / 2, bytes: lp.bytes, entries, longest,
  };
}

export function skiplistQuery(server: RedisServer, query: SkiplistQuery): SkiplistResult {
  const dbIndex = Math.trunc(query.db);
  if (!(dbIndex >= 0 && dbIndex < server.dbs.length)) throw new RangeError('DB index is out of range');
  if (typeof query.key !== 'string') throw new TypeError('skiplist query: key must be a string');
  const o = server.dbs[dbIndex].dict.peek(query.key);
  if (o === undefined) throw new Error(NO_SUCH_KEY);
  if (o.type !== 'zset') throw new Error(`${NOT_A_ZSET} ${o.type}`);
  const limits: ZsetLimits = {
    maxEntries: server.config.num('zset-max-listpack-entries'),
    maxValue: server.config.num('zset-max-listpack-value'),
  };
  const q = { ...query, db: dbIndex };
  if (o.encoding === 'listpack') return listpackSnapshot(q, o.value as Listpack, limits);
  return skiplistSnapshot(q, o.value as ZsetSkiplist, limits);
}
