// The skiplist drawn as SVG (React renders it; the layout is layout.ts): towers of level boxes,
// forward links with their spans, dashed backward pointers, collapsed ranges with their counts,
// and the latest operation's path, update[i] boxes and target node highlighted.
import { memo, useLayoutEffect, useMemo, useRef } from 'react';
import type { TFunction } from 'i18next';
import type { SkiplistSnapshot } from '../../../engine/trace/skiplist.ts';
import { useTranslation } from '../../i18n/index.ts';
import { displayKey } from '../../state/keyspace.ts';
import { highlightFor, layoutSkiplist, levelMidY, type Geometry, type Highlight, type Layout } from './layout.ts';
import type { SkiplistOp } from './watcher.ts';

export function formatScore(score: number): string {
  if (score === Infinity) return 'inf';
  if (score === -Infinity) return '-inf';
  return String(score);
}

/** A member for a label: quoted like redis-cli when binary, cut to `max` characters. */
export function memberLabel(member: string, memberLength: number, max: number): string {
  const shown = displayKey(member) + (memberLength > member.length ? '…' : '');
  return shown.length > max ? shown.slice(0, Math.max(1, max - 1)) + '…' : shown;
}

interface DiagramProps {
  snapshot: SkiplistSnapshot;
  geometry: Geometry;
  op: SkiplistOp | null;
  /** Changes with every new operation: restarts the path animation and scrolls to it. */
  seq: number;
  reducedMotion: boolean;
}

export function Diagram({ snapshot, geometry, op, seq, reducedMotion }: DiagramProps) {
  const { t, i18n } = useTranslation();
  // One formatter per language for every column (building an Intl.NumberFormat is not cheap).
  const numbers = useMemo(() => new Intl.NumberFormat(i18n.language), [i18n.language]);
  const layout = layoutSkiplist(snapshot, geometry);
  const hl = highlightFor(layout, snapshot, op);
  const scroller = useRef<HTMLDivElement>(null);
  // Where to scroll: the node operated on, else where the path ended.
  const targetX = hl.target !== null ? layout.columns[hl.target].cx : hl.path.length ? hl.path[hl.path.length - 1].x : null;
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || targetX === null) return;
    const left = Math.max(0, targetX - el.clientWidth / 2);
    if (typeof el.scrollTo === 'function') el.scrollTo({ left, behavior: reducedMotion ? 'auto' : 'smooth' });
    else el.scrollLeft = left;
    // Scroll when a new operation arrives or the window moved, not on every re-read.
  }, [seq, snapshot.window.first, snapshot.window.last, targetX === null]);
  const { first, last } = snapshot.window;
  const label = t('skiplist.diagramLabel', { key: displayKey(snapshot.key), level: snapshot.level, first, last, total: snapshot.length });
  return (
    // Focusable, so the keyboard can scroll a wide diagram.
    <div className="zsl-scroll" ref={scroller} tabIndex={0} role="region" aria-label={label}>
      <svg className="zsl-svg" width={layout.width} height={layout.height} role="img" data-testid="skiplist-diagram" aria-label={label}>
        <defs>
          <marker id="zsl-arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
            <path d="M0,0 L8,4 L0,8 z" className="zsl-arrowhead" />
          </marker>
          <marker id="zsl-arrow-hl" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
            <path d="M0,0 L8,4 L0,8 z" className="zsl-arrowhead-hl" />
          </marker>
        </defs>
        <Links layout={layout} hl={hl} t={t} />
        <Backward layout={layout} />
        {layout.columns.map((_, k) => (
          <MemoColumn key={columnKey(layout, k)} layout={layout} index={k} hl={hl} t={t} numbers={numbers} sig={columnSig(layout, k, hl)} />
        ))}
        {hl.path.length > 1 && (
          <polyline key={seq} className={`zsl-path${reducedMotion ? '' : ' zsl-path-animated'}`} data-testid="skiplist-path-line" data-points={hl.path.length}
            points={hl.path.map((p) => `${p.x},${p.y}`).join(' ')} />
        )}
      </svg>
    </div>
  );
}

/** A node's column is known by its member (unique in the set): an insert before it moves it rather than making it anew. */
function columnKey(layout: Layout, k: number): string {
  const c = layout.columns[k];
  return c.kind === 'node' ? `n:${c.node!.member}` : c.kind;
}

/**
 * What a column's drawing depends on, as a string: a column whose string did not change since the
 * last render is not rendered again (while ZADDs stream in, most of the window stays as it was).
 */
function columnSig(layout: Layout, index: number, hl: Highlight): string {
  const c = layout.columns[index];
  const g = layout.geometry;
  let s = `${c.kind}|${c.cx}|${c.height}|${c.rank}|${layout.baseY}|${g.colW}|${g.levelH}|${g.boxW}|${g.backH}|${g.labels}|${hl.target === index}`;
  if (c.node) s += `|${c.node.member}|${c.node.memberLength}|${c.node.score}|${c.node.level}|${c.node.backward}`;
  if (c.kind === 'before' || c.kind === 'after') s += `|${c.count}|${c.towers.join(',')}|${index > 0 ? layout.columns[index - 1].rank : ''}`;
  for (let i = 0; i < c.height; i++) {
    const key = `${index}:${i}`;
    s += (hl.visited.has(key) ? 'v' : '-') + (hl.update.has(key) ? 'u' : '-');
  }
  return s;
}

function Links({ layout, hl, t }: { layout: Layout; hl: Highlight; t: TFunction }) {
  const g = layout.geometry;
  return (
    <g className="zsl-links">
      {layout.links.map((l) => {
        const a = layout.columns[l.from];
        const b = layout.columns[l.to];
        const y = levelMidY(layout, l.level);
        const x1 = a.cx + g.boxW / 2;
        const x2 = b.cx - g.boxW / 2 - 1;
        const changed = hl.changedLinks.has(`${l.from}:${l.level}`);
        const showSpan = l.span !== null && (l.level > 0 || g.level0Spans);
        return (
          <LinkView key={`${l.from}:${l.level}`} level={l.level} span={l.span} toNull={l.toNull} x1={x1} x2={x2} y={y}
            changed={changed} showSpan={showSpan} t={t} />
        );
      })}
    </g>
  );
}

interface LinkProps {
  level: number; span: number | null; toNull: boolean; x1: number; x2: number; y: number; changed: boolean; showSpan: boolean; t: TFunction;
}

/** One forward link (plain props: unchanged links are not rendered again). */
const LinkView = memo(function LinkView({ level, span, toNull, x1, x2, y, changed, showSpan, t }: LinkProps) {
  return (
    <g className={`zsl-link${changed ? ' zsl-link-changed' : ''}${toNull ? ' zsl-link-null' : ''}`} data-level={level} data-span={span ?? undefined}>
      <title>{span === null ? undefined : t('skiplist.spanTitle', { level, span })}</title>
      <line x1={x1} y1={y} x2={x2} y2={y} markerEnd={changed ? 'url(#zsl-arrow-hl)' : 'url(#zsl-arrow)'} />
      {showSpan && <text x={(x1 + x2) / 2} y={y - 3} className="zsl-span" textAnchor="middle">{span}</text>}
    </g>
  );
});

function Backward({ layout }: { layout: Layout }) {
  const g = layout.geometry;
  const y = layout.baseY + 2;
  return (
    <g className="zsl-backward">
      {layout.backward.map((b) => {
        const x1 = layout.columns[b.from].cx - g.boxW / 4;
        const x2 = layout.columns[b.to].cx + g.boxW / 4;
        return <path key={b.from} d={`M${x1},${y} Q${(x1 + x2) / 2},${y + g.backH * 0.9} ${x2},${y}`} markerEnd="url(#zsl-arrow)" />;
      })}
    </g>
  );
}

interface ColumnProps {
  layout: Layout;
  index: number;
  hl: Highlight;
  t: TFunction;
  numbers: Intl.NumberFormat;
  /** columnSig: the column is drawn again only when it changes. */
  sig: string;
}

const MemoColumn = memo(ColumnView, (a: ColumnProps, b: ColumnProps) => a.sig === b.sig && a.t === b.t && a.numbers === b.numbers);

function ColumnView({ layout, index, hl, t, numbers }: ColumnProps) {
  const c = layout.columns[index];
  const g = layout.geometry;
  const x = c.cx - g.boxW / 2;
  const boxes = [];
  for (let i = 0; i < c.height; i++) {
    const key = `${index}:${i}`;
    const cls = ['zsl-box', hl.visited.has(key) ? 'zsl-visited' : '', hl.update.has(key) ? 'zsl-update' : ''].filter(Boolean).join(' ');
    boxes.push(
      <rect key={i} className={cls} data-level-box={i} x={x} y={layout.baseY - (i + 1) * g.levelH + 2} width={g.boxW} height={g.levelH - 4} rx={2} />,
    );
  }
  const labelY = layout.baseY + g.backH + 12 * (g.levelH / 22);
  // About 0.62em per monospace character at the label's 11px (scaled like the rest).
  const maxChars = Math.max(2, Math.floor((g.colW - 4) / (7 * g.levelH / 22)));
  switch (c.kind) {
    case 'header':
      return (
        <g className="zsl-col zsl-header" data-testid="skiplist-header" data-level={c.height}>
          {boxes}
          <text x={c.cx} y={labelY} textAnchor="middle" className="zsl-label">{t('skiplist.header')}</text>
        </g>
      );
    case 'nil':
      return (
        <g className="zsl-col zsl-nil">
          <rect className="zsl-nil-bar" x={c.cx - 3} y={layout.baseY - c.height * g.levelH + 2} width={6} height={c.height * g.levelH - 4} />
          <text x={c.cx} y={labelY} textAnchor="middle" className="zsl-label">{t('skiplist.nil')}</text>
        </g>
      );
    case 'before':
    case 'after': {
      const first = c.kind === 'before' ? 1 : layout.columns[index - 1].rank! + 1;
      const list = c.towers.map((n, i) => `L${i}: ${numbers.format(n)}`).join(', ');
      return (
        <g className="zsl-col zsl-collapsed" data-testid="skiplist-collapsed" data-side={c.kind} data-count={c.count}>
          <title>{t('skiplist.collapsedTitle', { countText: numbers.format(c.count), first, last: first + c.count - 1, list })}</title>
          <rect className="zsl-collapsed-box" x={c.cx - g.colW * 0.42} y={layout.baseY - Math.max(1, c.height) * g.levelH} width={g.colW * 0.84}
            height={Math.max(1, c.height) * g.levelH} rx={4} />
          {c.towers.map((n, i) => (n > 0 && g.levelH >= 14
            ? <text key={i} x={c.cx} y={levelMidY(layout, i) + 4} textAnchor="middle" className="zsl-collapsed-count">{compact(n)}</text>
            : null))}
          <text x={c.cx} y={labelY} textAnchor="middle" className="zsl-label">⋯</text>
          <text x={c.cx} y={labelY + 13 * (g.levelH / 22)} textAnchor="middle" className="zsl-label zsl-muted">{compact(c.count)}</text>
        </g>
      );
    }
    case 'node': {
      const n = c.node!;
      const target = hl.target === index;
      return (
        <g className={`zsl-col zsl-node${target ? ' zsl-target' : ''}`} data-testid="skiplist-node" data-rank={n.rank} data-level={n.level}
          data-member={displayKey(n.member)} data-score={formatScore(n.score)} data-backward={n.backward ?? ''}>
          <title>{t('skiplist.nodeTitle', { rank: n.rank, member: memberLabel(n.member, n.memberLength, 80), score: formatScore(n.score), level: n.level })}</title>
          {target && <rect className="zsl-target-ring" x={x - 3} y={layout.baseY - n.level * g.levelH - 1} width={g.boxW + 6} height={n.level * g.levelH + 2} rx={4} />}
          {boxes}
          {g.labels && (
            <>
              <text x={c.cx} y={labelY} textAnchor="middle" className="zsl-label">{memberLabel(n.member, n.memberLength, maxChars)}</text>
              <text x={c.cx} y={labelY + 13 * (g.levelH / 22)} textAnchor="middle" className="zsl-label zsl-muted">{formatScore(n.score)}</text>
            </>
          )}
        </g>
      );
    }
  }
}

/** 1234 -> "1.2k": collapsed counts must fit a narrow column. */
function compact(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}
