// Where the skiplist diagram puts things, computed from a snapshot alone (pure, testable): one
// column per node (a tower of `level` boxes, level 0 at the bottom), the header first, a collapsed
// column for the ranks before and after the window (labelled with their counts per level), NULL
// last; a forward link per level with its span; backward pointers under level 0. And what an
// operation highlights: the boxes its search stood on, the moves it made, update[i].
import type { SkiplistNodeInfo, SkiplistSnapshot } from '../../../engine/trace/skiplist.ts';
import type { ZslStep } from '../../../engine/trace/skiplistTrace.ts';
import type { SkiplistOp } from './watcher.ts';

export interface Geometry {
  /** Column width, level height, box width (px, already scaled). */
  colW: number;
  levelH: number;
  boxW: number;
  /** Space above the tallest tower, for span labels. */
  top: number;
  /** Space under level 0 for backward pointers, then for the member / score labels. */
  backH: number;
  labelH: number;
  /** Whether member and score labels fit under the columns, and spans of level 0 beside the links. */
  labels: boolean;
  level0Spans: boolean;
}

/** Columns get narrower as more nodes are drawn; `scale` follows the page's text size. */
export function geometryFor(limit: number, scale = 1): Geometry {
  const colW = limit <= 16 ? 76 : limit <= 32 ? 60 : limit <= 64 ? 46 : limit <= 128 ? 32 : 22;
  const labels = colW >= 46;
  return {
    colW: colW * scale,
    levelH: 22 * scale,
    boxW: Math.min(26, colW * 0.55) * scale,
    top: 14 * scale,
    backH: 14 * scale,
    labelH: (labels ? 34 : 6) * scale,
    labels,
    level0Spans: colW >= 46,
  };
}

export type ColumnKind = 'header' | 'before' | 'node' | 'after' | 'nil';

export interface Column {
  kind: ColumnKind;
  /** Centre x. */
  cx: number;
  /** Levels drawn. */
  height: number;
  /** The node's rank (header 0); null for the collapsed and NULL columns. */
  rank: number | null;
  node: SkiplistNodeInfo | null;
  /** Collapsed columns: how many nodes, and how many reach each level. */
  count: number;
  towers: number[];
}

export interface LinkShape {
  level: number;
  from: number;
  to: number;
  /** null: not known here (a link out of a collapsed range). */
  span: number | null;
  /** The pointer is NULL (goes to the NULL column). */
  toNull: boolean;
}

export interface BackShape {
  from: number;
  to: number;
}

export interface Layout {
  geometry: Geometry;
  width: number;
  height: number;
  /** y of level 0's box bottom. */
  baseY: number;
  columns: Column[];
  links: LinkShape[];
  backward: BackShape[];
  /** Levels drawn (the list's level, at least 1). */
  levels: number;
}

/** The column a rank is drawn in: the header (0), its node, a collapsed range; null: not drawn. */
export function columnOfRank(layout: Pick<Layout, 'columns'>, s: SkiplistSnapshot, rank: number | null): number | null {
  const cols = layout.columns;
  if (rank === null) return cols.length - 1; // NULL
  if (rank === 0) return 0;
  if (rank < s.window.first) return cols[1]?.kind === 'before' ? 1 : null;
  if (rank > s.window.last) {
    if (rank > s.length) return null;
    const after = cols[cols.length - 2];
    return after?.kind === 'after' ? cols.length - 2 : null;
  }
  const firstNode = cols[1]?.kind === 'before' ? 2 : 1;
  return firstNode + (rank - s.window.first);
}

function topLevel(towers: readonly number[]): number {
  let h = 0;
  for (let i = 0; i < towers.length; i++) if (towers[i] > 0) h = i + 1;
  return h;
}

export function layoutSkiplist(s: SkiplistSnapshot, geometry: Geometry): Layout {
  const g = geometry;
  const levels = Math.max(1, s.level);
  const columns: Column[] = [];
  let x = g.colW / 2;
  const push = (c: Omit<Column, 'cx'>) => { columns.push({ ...c, cx: x }); x += g.colW; };
  push({ kind: 'header', height: levels, rank: 0, node: null, count: 0, towers: [] });
  if (s.before.count > 0) push({ kind: 'before', height: topLevel(s.before.towers), rank: null, node: null, count: s.before.count, towers: s.before.towers });
  for (const n of s.nodes) push({ kind: 'node', height: n.level, rank: n.rank, node: n, count: 1, towers: [] });
  if (s.after.count > 0) push({ kind: 'after', height: topLevel(s.after.towers), rank: null, node: null, count: s.after.count, towers: s.after.towers });
  push({ kind: 'nil', height: levels, rank: null, node: null, count: 0, towers: [] });
  const layout = { columns };
  const nil = columns.length - 1;

  const links: LinkShape[] = [];
  const linkFrom = (from: number, level: number, to: number | null, span: number) => {
    const target = to === null ? nil : columnOfRank(layout, s, to);
    if (target !== null) links.push({ level, from, to: target, span, toNull: to === null });
  };
  s.header.forEach((l, i) => linkFrom(0, i, l.to, l.span));
  columns.forEach((c, k) => {
    if (c.kind === 'node') c.node!.links.forEach((l, i) => linkFrom(k, i, l.to, l.span));
  });
  // Out of the collapsed ranges: the last node before the window that reaches level i points at
  // the first drawn node that does (or past the window); nodes after the window end in NULL.
  const before = columns[1]?.kind === 'before' ? 1 : -1;
  const after = columns[nil - 1]?.kind === 'after' ? nil - 1 : -1;
  if (before > 0) {
    for (let i = 0; i < columns[before].height; i++) {
      if (s.before.towers[i] === 0) continue;
      let target = nil;
      for (let k = before + 1; k < nil; k++) {
        if (columns[k].height > i) { target = k; break; }
      }
      links.push({ level: i, from: before, to: target, span: null, toNull: target === nil });
    }
  }
  if (after > 0) {
    for (let i = 0; i < columns[after].height; i++) {
      if (s.after.towers[i] > 0) links.push({ level: i, from: after, to: nil, span: null, toNull: true });
    }
  }

  const backward: BackShape[] = [];
  columns.forEach((c, k) => {
    const b = c.node?.backward;
    if (b === null || b === undefined || b < 0) return;
    const target = columnOfRank(layout, s, b);
    if (target !== null) backward.push({ from: k, to: target });
  });
  if (after > 0) backward.push({ from: after, to: after - 1 });

  const baseY = g.top + levels * g.levelH;
  return {
    geometry: g, width: x - g.colW / 2, height: baseY + g.backH + g.labelH, baseY, columns, links, backward, levels,
  };
}

/** The y of the middle of a level's box. */
export function levelMidY(layout: Layout, level: number): number {
  return layout.baseY - (level + 0.5) * layout.geometry.levelH;
}

// --- what an operation highlights -----------------------------------------------------------------

export interface Highlight {
  /** Boxes a search stood on: `${column}:${level}`. */
  visited: Set<string>;
  /** The path as points (column centre, level middle), in order; moves right and drops down. */
  path: { x: number; y: number }[];
  /** update[i] boxes: `${column}:${level}` -> i. */
  update: Map<string, number>;
  /** Links that now point at the new node, or skip the removed one: `${from}:${level}`. */
  changedLinks: Set<string>;
  /** The column of the node the operation is about (inserted, updated, found), if drawn. */
  target: number | null;
  /** The rank the summed spans reached. */
  rank: number | null;
}

function pathOf(op: SkiplistOp): readonly ZslStep[] {
  switch (op.type) {
    case 'insert': case 'delete': case 'updateInPlace': case 'search': return op.event.path;
    case 'lookup': return [];
  }
}

export function highlightFor(layout: Layout, s: SkiplistSnapshot, op: SkiplistOp | null): Highlight {
  const h: Highlight = { visited: new Set(), path: [], update: new Map(), changedLinks: new Set(), target: null, rank: null };
  if (!op) return h;
  const path = pathOf(op);
  for (const step of path) {
    // A step names a member: it is drawn only if the node at that rank is still that member.
    const col = columnOfRank(layout, s, step.rank);
    if (col === null) continue;
    const c = layout.columns[col];
    if (c.kind === 'node' && c.node!.member !== step.member) continue;
    h.visited.add(`${col}:${step.level}`);
    h.path.push({ x: c.cx, y: levelMidY(layout, step.level) });
  }
  if (path.length) h.rank = path[path.length - 1].rank;
  const mark = (rank: number, member: string | null) => {
    const col = columnOfRank(layout, s, rank);
    if (col === null) return null;
    const c = layout.columns[col];
    return c.kind === 'node' && c.node!.member !== member ? null : col;
  };
  if (op.type === 'insert' || op.type === 'delete') {
    for (const u of op.event.update) {
      const col = mark(u.rank, u.member);
      if (col === null) continue;
      h.update.set(`${col}:${u.level}`, u.level);
      if (op.type === 'insert' ? u.level < op.event.level : u.relinked) h.changedLinks.add(`${col}:${u.level}`);
    }
  }
  if (op.type === 'insert' || op.type === 'updateInPlace') {
    h.target = mark(op.event.rank, op.event.member);
    h.rank = op.event.rank;
  } else if (op.type === 'search' && op.event.landed) {
    h.target = mark(op.event.landed.rank, op.event.landed.member);
  }
  return h;
}
