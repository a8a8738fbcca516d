// The byte-level drawings of the encoding panel, as React-rendered SVG laid out by model.ts: a
// listpack's header, entries (encoding | data | back-length) and end byte; an intset's header and
// fixed-width cells; a quicklist's nodes (with their compression) and one node's listpack; the
// allocation(s) behind a string. Every box carries the real numbers as data-* attributes.
import type { ReactNode } from 'react';
import type {
  IntsetDetail, ListpackView, QuicklistDetail, StringDetail,
} from '../../../engine/trace/encoding.ts';
import type { QuicklistTraceEvent } from '../../../engine/trace/quicklistTrace.ts';
import { useTranslation } from '../../i18n/index.ts';
import {
  CHAR_EM, FONT_UNITS, LINE, LP_SHORT, layoutIntset, layoutListpack, layoutQuicklist, layoutSds, nodeHighlights, QL_BOX_TOP,
  shortValue, type SdsSegment,
} from './model.ts';

/**
 * A drawing: an image with a label, or, when it holds controls (`interactive`: quicklist nodes to
 * select), a labelled group, since an image's content is not there for assistive technology.
 */
function Svg({ width, height, label, children, testid, interactive = false }: {
  width: number; height: number; label: string; children: ReactNode; testid?: string; interactive?: boolean;
}) {
  const w = Math.max(width, 1);
  const h = Math.max(height, 1);
  // Focusable, so the keyboard can scroll a wide drawing (one with controls is reached through them).
  const scroller = interactive ? {} : { tabIndex: 0, role: 'region', 'aria-label': label };
  return (
    <div className="enc-scroll" {...scroller}>
      <svg className="enc-svg" viewBox={`0 0 ${w} ${h}`} style={{ width: `${w * CHAR_EM}em`, height: `${h * CHAR_EM}em` }}
        role={interactive ? 'group' : 'img'} aria-label={label} data-testid={testid}>
        {/* Font size in layout units on a group: on the svg itself it would also shrink the em width above. */}
        <g fontSize={FONT_UNITS}>{children}</g>
      </svg>
    </div>
  );
}

/** The arrowhead links end in (`markerEnd="url(#id)"`); ids differ per drawing kind. */
function ArrowMarker({ id }: { id: string }) {
  return (
    <defs>
      <marker id={id} viewBox="0 0 6 6" refX="6" refY="3" markerWidth="4" markerHeight="4" orient="auto-start-reverse">
        <path d="M0,0 L6,3 L0,6 z" className="enc-arrowhead" />
      </marker>
    </defs>
  );
}

/** Text centred in a box. */
function Label({ x, y, w, children, className }: { x: number; y: number; w: number; children: ReactNode; className?: string }) {
  return <text x={x + w / 2} y={y} textAnchor="middle" dominantBaseline="central" className={className}>{children}</text>;
}

// --- listpack ------------------------------------------------------------------------------------

export function ListpackDrawing({ lp, type, stride, numbers }: { lp: ListpackView; type: string | null; stride: number; numbers: Intl.NumberFormat }) {
  const { t } = useTranslation();
  const f = (n: number) => numbers.format(n);
  const layout = layoutListpack(lp, type, stride);
  return (
    <figure className="enc-figure" data-testid="listpack" data-entry-count={lp.count} data-bytes={lp.totalBytes}>
      <figcaption>
        <strong>{t('encoding.listpack.title', { count: lp.count, bytes: f(lp.totalBytes) })}</strong>
        <span className="enc-legend">{t('encoding.listpack.legend')}</span>
      </figcaption>
      <Svg width={layout.width} height={layout.height} label={t('encoding.listpack.title', { count: lp.count, bytes: f(lp.totalBytes) })}>
        {layout.boxes.map((b) => {
          const top = b.y + LINE; // the box, under its label line
          const mid1 = top + LINE / 2;
          const mid2 = top + LINE * 1.5;
          switch (b.kind) {
            case 'header':
              return (
                <g key="header" className="enc-lp-header" data-part="header">
                  <Label x={b.x} y={b.y + LINE / 2} w={b.w} className="enc-muted">{t('encoding.listpack.header')}</Label>
                  <rect x={b.x} y={top} width={10} height={LINE * 2} className="enc-box" />
                  <rect x={b.x + 10} y={top} width={b.w - 10} height={LINE * 2} className="enc-box" />
                  <Label x={b.x} y={mid1} w={10}>{t('encoding.listpack.total')} {f(b.totalBytes)}</Label>
                  <Label x={b.x} y={mid2} w={10} className="enc-bytes">4 B</Label>
                  <Label x={b.x + 10} y={mid1} w={b.w - 10}>{b.countField}</Label>
                  <Label x={b.x + 10} y={mid2} w={b.w - 10} className="enc-bytes">2 B</Label>
                </g>
              );
            case 'end':
              return (
                <g key="end" className="enc-lp-end" data-part="end">
                  <Label x={b.x} y={b.y + LINE / 2} w={b.w} className="enc-muted">{t('encoding.listpack.end')}</Label>
                  <rect x={b.x} y={top} width={b.w} height={LINE * 2} className="enc-box enc-eof" />
                  <Label x={b.x} y={mid1} w={b.w}>FF</Label>
                  <Label x={b.x} y={mid2} w={b.w} className="enc-bytes">1 B</Label>
                </g>
              );
            case 'hidden':
              return (
                <g key="hidden" className="enc-hidden" data-part="hidden" data-hidden-count={b.count} data-hidden-bytes={b.bytes}>
                  <rect x={b.x} y={top} width={b.w} height={LINE * 2} className="enc-box enc-gap" />
                  <Label x={b.x} y={mid1} w={b.w}>{t('encoding.listpack.hidden', { count: b.count })}</Label>
                  <Label x={b.x} y={mid2} w={b.w} className="enc-bytes">{t('encoding.listpack.hiddenBytes', { bytes: f(b.bytes) })}</Label>
                </g>
              );
            case 'entry': {
              const e = b.entry;
              const title = t('encoding.listpack.entryTitle', {
                index: e.index, offset: e.offset, encoding: e.encoding, enc: e.encodingBytes, data: e.dataBytes, back: e.backlenBytes, size: e.size,
              }) + (e.dataBytes === 0 ? ` (${t('encoding.listpack.inline')})` : '');
              const valueText = shortValue(e.value, Math.max(2, Math.floor(b.dataW || b.encW) - 1));
              return (
                <g key={`e${e.index}`} className={`enc-entry enc-role-${b.role}`} data-entry-index={e.index} data-size={e.size}
                  data-encoding={e.encoding} data-offset={e.offset}>
                  <title>{title}</title>
                  <text x={b.x + 0.3} y={b.y + LINE / 2} dominantBaseline="central" className="enc-muted">
                    {`#${e.index} ${t(`encoding.listpack.roles.${b.role}`)}`}
                  </text>
                  <rect x={b.x} y={top} width={b.w} height={LINE * 2} className="enc-box enc-entry-box" />
                  <rect x={b.x} y={top} width={b.encW} height={LINE * 2} className="enc-seg enc-seg-enc" />
                  {b.dataW > 0 && <rect x={b.x + b.encW} y={top} width={b.dataW} height={LINE * 2} className="enc-seg enc-seg-data" />}
                  <rect x={b.x + b.encW + b.dataW} y={top} width={b.backW} height={LINE * 2} className="enc-seg enc-seg-back" />
                  {b.dataW > 0
                    ? <>
                      <Label x={b.x} y={mid1} w={b.encW} className="enc-small">{LP_SHORT[e.encoding]}</Label>
                      <Label x={b.x + b.encW} y={mid1} w={b.dataW} className="enc-value">{valueText}</Label>
                    </>
                    : <Label x={b.x} y={mid1} w={b.encW} className="enc-value">{valueText}</Label>}
                  <Label x={b.x + b.encW + b.dataW} y={mid1} w={b.backW} className="enc-small">{t('encoding.listpack.backlen')}</Label>
                  <Label x={b.x} y={mid2} w={b.encW} className="enc-bytes">{b.dataW > 0 ? e.encodingBytes : `${LP_SHORT[e.encoding]} ${e.encodingBytes}`}</Label>
                  {b.dataW > 0 && <Label x={b.x + b.encW} y={mid2} w={b.dataW} className="enc-bytes">{e.dataBytes}</Label>}
                  <Label x={b.x + b.encW + b.dataW} y={mid2} w={b.backW} className="enc-bytes">{e.backlenBytes}</Label>
                </g>
              );
            }
          }
        })}
      </Svg>
    </figure>
  );
}

// --- intset --------------------------------------------------------------------------------------

export function IntsetDrawing({ d, numbers }: { d: IntsetDetail; numbers: Intl.NumberFormat }) {
  const { t } = useTranslation();
  const layout = layoutIntset(d);
  const title = t('encoding.intset.title', { count: d.count, width: d.width, bytes: numbers.format(d.bytes) });
  return (
    <figure className="enc-figure" data-testid="intset" data-width={d.width * 8} data-count={d.count} data-bytes={d.bytes}>
      <figcaption><strong>{title}</strong></figcaption>
      <Svg width={layout.width} height={layout.height} label={title}>
        {layout.boxes.map((b) => {
          const top = b.y + LINE;
          const mid1 = top + LINE / 2;
          const mid2 = top + LINE * 1.5;
          if (b.kind === 'header') {
            return (
              <g key="header" data-part="header">
                <Label x={b.x} y={b.y + LINE / 2} w={b.w} className="enc-muted">{t('encoding.listpack.header')}</Label>
                <rect x={b.x} y={top} width={b.w / 2} height={LINE * 2} className="enc-box" />
                <rect x={b.x + b.w / 2} y={top} width={b.w / 2} height={LINE * 2} className="enc-box" />
                <Label x={b.x} y={mid1} w={b.w / 2}>{d.width}</Label>
                <Label x={b.x} y={mid2} w={b.w / 2} className="enc-bytes">{t('encoding.intset.encoding')} 4 B</Label>
                <Label x={b.x + b.w / 2} y={mid1} w={b.w / 2}>{d.count}</Label>
                <Label x={b.x + b.w / 2} y={mid2} w={b.w / 2} className="enc-bytes">{t('encoding.intset.length')} 4 B</Label>
              </g>
            );
          }
          if (b.kind === 'hidden') {
            return (
              <g key="hidden" data-part="hidden" data-hidden-count={b.count}>
                <rect x={b.x} y={top} width={b.w} height={LINE * 2} className="enc-box enc-gap" />
                <Label x={b.x} y={mid1} w={b.w}>{t('encoding.intset.hidden', { count: b.count })}</Label>
                <Label x={b.x} y={mid2} w={b.w} className="enc-bytes">{numbers.format(b.bytes)} B</Label>
              </g>
            );
          }
          return (
            <g key={`v${b.index}`} className="enc-cell" data-value={b.value} data-index={b.index}>
              <title>{t('encoding.intset.cellTitle', { index: b.index, value: b.value, width: d.width })}</title>
              <text x={b.x + 0.3} y={b.y + LINE / 2} dominantBaseline="central" className="enc-muted">#{b.index}</text>
              <rect x={b.x} y={top} width={b.w} height={LINE * 2} className={`enc-box enc-cell-w${d.width}`} />
              <Label x={b.x} y={mid1} w={b.w} className="enc-value">{shortValue(b.value, b.w - 1)}</Label>
              <Label x={b.x} y={mid2} w={b.w} className="enc-bytes">{d.width} B</Label>
            </g>
          );
        })}
      </Svg>
      <p className="enc-note">
        {d.nextWidth === null
          ? t('encoding.intset.widest', { name: d.encodingName })
          : t('encoding.intset.range', { name: d.encodingName, min: d.range.min, max: d.range.max, next: d.nextWidth })}
        {' '}{t('encoding.intset.never')}
      </p>
    </figure>
  );
}

// --- quicklist -----------------------------------------------------------------------------------

/** The quicklist events of the last command on the key, and a number that changes with each command. */
export interface QuicklistOps {
  events: readonly QuicklistTraceEvent[];
  seq: number;
}

export function QuicklistDrawing({ q, selected, onSelect, numbers, liveFill, liveDepth, ops }: {
  q: QuicklistDetail; selected: number; onSelect(index: number): void; numbers: Intl.NumberFormat;
  liveFill: number | null; liveDepth: number | null; ops: QuicklistOps | null;
}) {
  const { t } = useTranslation();
  const f = (n: number) => numbers.format(n);
  const layout = layoutQuicklist(q);
  const marks = nodeHighlights(ops?.events ?? []);
  const seq = ops?.seq ?? 0;
  const title = t('encoding.quicklist.title', { nodes: f(q.nodeCount), count: f(q.count) });
  const rule = q.nodeLimit.kind === 'bytes'
    ? t('encoding.quicklist.ruleBytes', { bytes: f(q.nodeLimit.bytes) })
    : t('encoding.quicklist.ruleCount', { count: q.nodeLimit.count, bytes: f(q.nodeLimit.safetyBytes) });
  return (
    <figure className="enc-figure" data-testid="quicklist" data-node-count={q.nodeCount} data-count={q.count}
      data-compressed-nodes={q.compressedNodes}>
      <figcaption>
        <strong>{title}</strong>
        <span className="enc-legend">{t('encoding.quicklist.config', { fill: q.fill, rule, depth: q.compressDepth })}</span>
        <span className="enc-legend">{t('encoding.quicklist.sizes', { uncompressed: f(q.uncompressedBytes), stored: f(q.storedBytes), compressed: q.compressedNodes })}</span>
        {liveFill !== null && liveDepth !== null && (liveFill !== q.fill || liveDepth !== q.compressDepth) && (
          <span className="enc-legend enc-warn">{t('encoding.quicklist.configDiffers', { fill: liveFill, depth: liveDepth })}</span>
        )}
      </figcaption>
      <Svg width={layout.width} height={layout.height} label={title} interactive>
        {layout.boxes.map((b, i) => {
          const next = layout.boxes[i + 1];
          const y = b.y + QL_BOX_TOP;
          const arrow = next && next.y === b.y
            ? <line x1={b.x + b.w} y1={y + LINE * 2} x2={next.x} y2={y + LINE * 2} className="enc-link" markerEnd="url(#enc-arrow)" />
            : null;
          if (b.kind === 'hidden') {
            return (
              <g key="hidden" data-part="hidden" data-hidden-count={b.count}>
                <rect x={b.x} y={y} width={b.w} height={LINE * 4} className="enc-box enc-gap" />
                <Label x={b.x} y={y + LINE * 1.5} w={b.w}>{t('encoding.quicklist.hidden', { count: f(b.count) })}</Label>
                <Label x={b.x} y={y + LINE * 2.5} w={b.w} className="enc-bytes">{f(b.bytes)} B</Label>
                {arrow}
              </g>
            );
          }
          const n = b.node;
          const mark = marks.get(n.id) ?? null;
          const extra = (n.compressed ? `, LZF ${n.compressedBytes}` : n.container === 'plain' ? ', PLAIN' : '')
            + (mark ? ` — ${t(`encoding.quicklist.marks.${mark.mark}`)} (${mark.fn})` : '');
          const select = () => onSelect(n.index);
          const state = n.container === 'plain' ? t('encoding.quicklist.plain')
            : n.compressed ? t('encoding.quicklist.lzf', { bytes: f(n.compressedBytes ?? 0) })
            : n.inDepth ? t('encoding.quicklist.depth') : t('encoding.quicklist.raw');
          const nodeText = t('encoding.quicklist.node', { index: n.index });
          const elementsText = t('encoding.quicklist.elements', { count: n.count, countText: f(n.count) });
          const bytesText = `${f(n.bytes)} B`;
          const title = t('encoding.quicklist.nodeTitle', { index: n.index, count: n.count, bytes: n.bytes, extra });
          return (
            // A new key per command replays the highlight's animation on a node changed again.
            <g key={`n${n.id}-${mark ? seq : 0}`}
              className={`enc-node${n.index === selected ? ' enc-selected' : ''}${n.compressed ? ' enc-compressed' : ''}${mark ? ` enc-op enc-op-${mark.mark}` : ''}`}
              data-node-index={n.index} data-node-id={n.id} data-count={n.count} data-bytes={n.bytes} data-compressed={n.compressed}
              data-container={n.container} data-op={mark?.mark ?? ''} data-op-fn={mark?.fn ?? ''}
              role="button" tabIndex={0} aria-pressed={n.index === selected}
              // Its name is the <title> (as in SVG): it starts as the node's own text does, "node 0".
              onClick={select} onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); select(); } }}>
              <title>{title}</title>
              {mark && <Label x={b.x} y={b.y + LINE / 2} w={b.w} className="enc-small enc-op-fn">{mark.fn}</Label>}
              <rect x={b.x} y={y} width={b.w} height={LINE * 4} className="enc-box enc-node-box" rx={0.6} />
              <Label x={b.x} y={y + LINE * 0.5} w={b.w} className="enc-muted">{nodeText}</Label>
              <Label x={b.x} y={y + LINE * 1.5} w={b.w}>{elementsText}</Label>
              <Label x={b.x} y={y + LINE * 2.5} w={b.w} className="enc-bytes">{bytesText}</Label>
              <Label x={b.x} y={y + LINE * 3.5} w={b.w} className={n.compressed ? 'enc-lzf' : 'enc-muted'}>{state}</Label>
              {arrow}
            </g>
          );
        })}
        <ArrowMarker id="enc-arrow" />
      </Svg>
      {ops && <QuicklistOpList ops={ops} numbers={numbers} />}
      {q.detail && (q.detail.listpack
        ? <div className="enc-node-detail" data-testid="quicklist-node-detail" data-detail-node={q.detail.index}>
          <h5>{t('encoding.quicklist.detail', { index: q.detail.index })}</h5>
          <ListpackDrawing lp={q.detail.listpack} type="list" stride={1} numbers={numbers} />
        </div>
        : <p className="enc-note" data-testid="quicklist-node-detail" data-detail-node={q.detail.index}>
          {t('encoding.quicklist.plainDetail', { index: q.detail.index })}
        </p>)}
    </figure>
  );
}

/** Events listed at most under the drawing (the rest are counted). */
const OPS_LISTED = 16;

/** What the last command did to the nodes, one line per quicklist event, naming the Redis function. */
function QuicklistOpList({ ops, numbers }: { ops: QuicklistOps; numbers: Intl.NumberFormat }) {
  const { t } = useTranslation();
  const f = (n: number) => numbers.format(n);
  const shown = ops.events.slice(0, OPS_LISTED);
  const text = (e: QuicklistTraceEvent): string => {
    switch (e.op) {
      case 'create':
        return t('encoding.quicklist.ops.create', { index: e.node.index, count: e.node.count, countText: f(e.node.count), bytes: f(e.node.bytes) });
      case 'split': {
        const [left, right] = e.after ? [e.node.count, e.newNode.count] : [e.newNode.count, e.node.count];
        return t(e.after ? 'encoding.quicklist.ops.splitAfter' : 'encoding.quicklist.ops.splitBefore', {
          index: Math.min(e.node.index, e.newNode.index), before: f(e.before.count), beforeBytes: f(e.before.bytes), offset: e.offset,
          left: f(left), right: f(right),
        });
      }
      case 'merge':
        return t('encoding.quicklist.ops.merge', {
          a: e.a.index, b: e.b.index, aCount: f(e.a.count), bCount: f(e.b.count), index: e.kept.index, count: f(e.kept.count), bytes: f(e.kept.bytes),
        });
      case 'delete': return t('encoding.quicklist.ops.delete', { index: e.node.index, count: f(e.node.count) });
      case 'move': return t('encoding.quicklist.ops.move', { from: e.from });
      case 'compress': return t('encoding.quicklist.ops.compress', { index: e.node.index, bytes: f(e.node.bytes), lzf: f(e.node.compressedBytes ?? 0) });
      case 'decompress': return t('encoding.quicklist.ops.decompress', { index: e.node.index, bytes: f(e.node.bytes), lzf: f(e.compressedBytes) });
    }
  };
  return (
    <section className="enc-ql-ops" aria-live="polite">
      <h5>{t('encoding.quicklist.ops.title')}</h5>
      {ops.events.length === 0
        ? <p className="enc-note">{t('encoding.quicklist.ops.none')}</p>
        : (
          <ol data-testid="quicklist-ops" data-count={ops.events.length}>
            {shown.map((e, i) => (
              <li key={`${ops.seq}-${i}`} className={`enc-ql-op enc-op-${e.op}`} data-op={e.op} data-fn={e.fn} data-caller={e.caller}
                data-node-id={e.op === 'merge' ? e.kept.id : e.node.id} data-node-index={e.op === 'merge' ? e.kept.index : e.node.index}>
                <code>{e.fn}</code> <span>{text(e)}</span>{' '}
                <span className="enc-muted">{t('encoding.quicklist.ops.caller', { caller: e.caller })}</span>
              </li>
            ))}
          </ol>
        )}
      {ops.events.length > OPS_LISTED && <p className="enc-note">{t('encoding.quicklist.ops.more', { count: ops.events.length - OPS_LISTED })}</p>}
    </section>
  );
}

// --- strings -------------------------------------------------------------------------------------

function Segment({ s, y, label }: { s: SdsSegment; y: number; label: string }) {
  const { t } = useTranslation();
  return (
    <g className={`enc-sds-${s.part}`} data-part={s.part} data-bytes={s.bytes}>
      <title>{t('encoding.string.partTitle', { part: label, bytes: s.bytes })}</title>
      <rect x={s.x} y={y} width={s.w} height={LINE * 2} className="enc-box enc-seg" />
      <Label x={s.x} y={y + LINE / 2} w={s.w} className="enc-small">{label}</Label>
      <Label x={s.x} y={y + LINE * 1.5} w={s.w} className="enc-bytes">{s.bytes}</Label>
    </g>
  );
}

export function StringDrawing({ d, numbers }: { d: StringDetail; numbers: Intl.NumberFormat }) {
  const { t } = useTranslation();
  const { robj, block, blockBytes } = layoutSds(d);
  const title = t('encoding.string.title', { encoding: d.encoding, length: numbers.format(d.length) });
  const partLabel = (p: SdsSegment['part']) => t(`encoding.string.parts.${p}`);
  const width = Math.max(robj.w + 2, ...block.map((s) => s.x + s.w));
  const top = LINE;
  return (
    <figure className="enc-figure" data-testid="string-layout" data-encoding={d.encoding} data-len={d.length}
      data-sds-type={d.sds?.type ?? ''} data-alloc={d.sds?.alloc ?? ''} data-zmalloc={d.sds?.zmalloc ?? ''} data-shared={d.shared}>
      <figcaption><strong>{title}</strong></figcaption>
      <Svg width={width} height={LINE * 4} label={title}>
        {d.encoding === 'embstr'
          ? block.map((s) => <Segment key={s.part} s={s} y={top} label={partLabel(s.part)} />)
          : <>
            <g className="enc-sds-robj" data-part="robj" data-bytes={robj.bytes}>
              <rect x={0} y={top} width={robj.w} height={LINE * 2} className="enc-box enc-seg" />
              <Label x={0} y={top + LINE / 2} w={robj.w} className="enc-small">robj {robj.bytes} B</Label>
              <Label x={0} y={top + LINE * 1.5} w={robj.w} className="enc-value">
                {d.encoding === 'int' ? t('encoding.string.ptr', { value: shortValue(d.value, robj.w - 6) }) : 'ptr →'}
              </Label>
            </g>
            {block.length > 0 && <line x1={robj.w} y1={top + LINE * 1.5} x2={block[0].x} y2={top + LINE} className="enc-link" markerEnd="url(#enc-arrow-s)" />}
            {block.map((s) => <Segment key={s.part} s={s} y={top} label={partLabel(s.part)} />)}
          </>}
        {blockBytes > 0 && (
          <Label x={block[0].x} y={LINE / 2} w={block.at(-1)!.x + block.at(-1)!.w - block[0].x} className="enc-muted">
            {`${numbers.format(blockBytes)} B`}
          </Label>
        )}
        <ArrowMarker id="enc-arrow-s" />
      </Svg>
      <p className="enc-note">
        {d.encoding === 'int' && t('encoding.string.intNote')}
        {d.encoding === 'embstr' && t('encoding.string.embstrNote', { block: d.embstrBlock })}
        {d.encoding === 'raw' && d.sds && t('encoding.string.rawNote', { type: d.sds.type, zmalloc: d.sds.zmalloc })}
        {d.sds && <> {t('encoding.string.sds', { type: d.sds.type, len: d.sds.len, alloc: d.sds.alloc, avail: d.sds.avail })}</>}
        {d.shared && <> {t('encoding.string.shared', { refcount: d.refcount })}</>}
      </p>
      {d.value !== '' && <p className="enc-note enc-value-line"><code>{shortValue(d.value, 60)}</code></p>}
    </figure>
  );
}
