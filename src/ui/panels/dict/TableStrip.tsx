// One table of a dict (ht[0] or ht[1]) as a strip of buckets, each with its chain head first. A big
// table shows an occupancy bar over all of its buckets (groups, drawn as SVG) and the chains of a
// window of buckets only; the bar moves the window. ht[0] carries the rehashidx marker; buckets
// the last rehash steps moved out (ht[0]) or into (ht[1]) flash, and buckets the last SCAN visited
// are marked with their visiting order.
import type { KeyboardEvent, MouseEvent } from 'react';
import type { DictTableSnapshot } from '../../../engine/trace/dict.ts';
import { useTranslation } from '../../i18n/index.ts';
import { displayKey } from '../../state/keyspace.ts';

/** Chain entries drawn per bucket (the snapshot lists up to 8; the count is always exact). */
const ENTRIES_SHOWN = 3;
/** Characters of a key shown in an entry box. */
const KEY_CHARS = 12;

function shortKey(key: string): string {
  const shown = displayKey(key);
  return shown.length > KEY_CHARS ? `${shown.slice(0, KEY_CHARS - 1)}…` : shown;
}

export interface TableStripProps {
  n: 0 | 1;
  table: DictTableSnapshot;
  /** ht[0] while rehashing: the next bucket to move; else -1. */
  rehashidx: number;
  /** Buckets to flash: moved out of this table, or received by it. */
  flashed: ReadonlySet<number>;
  flashClass: 'dict-moved' | 'dict-received';
  /** Changes whenever new steps arrive, so the flash starts again. */
  flashSeq: number;
  /** Buckets the last SCAN visited in this table, with their visiting order. */
  scanned: ReadonlyMap<number, number>;
  /** The window size asked for. */
  window: number;
  /** A new window start (null: back to following rehashidx). */
  onWindow(start: number | null): void;
  numbers: Intl.NumberFormat;
}

export function TableStrip({ n, table, rehashidx, flashed, flashClass, flashSeq, scanned, window, onWindow, numbers }: TableStripProps) {
  const { t } = useTranslation();
  const f = (x: number) => numbers.format(x);
  const { size, buckets, windowStart, groupSize } = table;
  const partial = buckets.length < size;
  const last = windowStart + buckets.length - 1;
  const markerRow = rehashidx >= windowStart && rehashidx <= last ? rehashidx - windowStart : rehashidx > last ? buckets.length : -1;
  const move = (start: number) => onWindow(Math.max(0, Math.min(size - buckets.length, start)));
  return (
    <div className={`dict-table dict-ht${n}`} data-testid={`dict-ht${n}`} data-size={size} data-used={table.used}
      data-window-start={windowStart}>
      <h4>
        <span className="dict-ht-name">{t('dict.table.name', { n })}</span>{' '}
        <span className="dict-ht-stats">{t('dict.table.stats', { sizeText: f(size), usedText: f(table.used), mask: table.sizemask })}</span>
      </h4>
      {partial && <Overview n={n} table={table} rehashidx={rehashidx} scanned={scanned} window={window} onPick={move} />}
      <p className="dict-window-note">
        {partial
          ? t('dict.table.window', { firstText: f(windowStart), lastText: f(last), sizeText: f(size), groupText: f(groupSize) })
          : t('dict.table.windowAll', { sizeText: f(size) })}
      </p>
      {partial && (
        <div className="dict-window-nav">
          <button type="button" onClick={() => move(windowStart - buckets.length)} disabled={windowStart === 0}>↑ {t('dict.table.prev')}</button>
          <button type="button" onClick={() => move(windowStart + buckets.length)} disabled={last >= size - 1}>↓ {t('dict.table.next')}</button>
          {n === 0 && rehashidx >= 0 && <button type="button" onClick={() => onWindow(null)}>{t('dict.table.follow')}</button>}
        </div>
      )}
      {/* Focusable (as every scrolling box in the panels), so the keyboard can scroll it. */}
      <div className="dict-strip" tabIndex={0} role="region" aria-label={t('dict.table.bucketsLabel', { n })}>
        {rehashidx >= 0 && markerRow >= 0 && (
          <div className="dict-marker" data-testid="dict-rehashidx-marker" aria-hidden="true"
            style={{ transform: `translateY(calc(${markerRow} * var(--dict-row)))` }}>
            {t('dict.table.rehashidx')} {f(rehashidx)}
          </div>
        )}
        <ol className="dict-buckets" start={windowStart}>
          {buckets.map((b) => {
            const order = scanned.get(b.index);
            const classes = ['dict-bucket'];
            if (b.length === 0) classes.push('dict-empty');
            if (rehashidx >= 0 && b.index < rehashidx) classes.push('dict-done');
            if (flashed.has(b.index)) classes.push(flashClass);
            if (order !== undefined) classes.push('dict-scanned');
            return (
              <li key={flashed.has(b.index) ? `${b.index}:${flashSeq}` : b.index} className={classes.join(' ')}
                data-bucket={b.index} data-length={b.length}
                aria-label={`${t('dict.table.bucket', { index: b.index })}: ${b.length === 0 ? t('dict.table.empty') : t('dict.table.chainTitle', { index: b.index, length: b.length })}`}>
                <span className="dict-idx">{b.index}</span>
                <span className="dict-slot" aria-hidden="true" />
                {order !== undefined && <span className="dict-scan-order" title="SCAN">{order}</span>}
                <span className="dict-chain">
                  {b.keys.slice(0, ENTRIES_SHOWN).map((k, i) => (
                    <span key={i} className="dict-entry" data-key={displayKey(k)} title={displayKey(k)}>{shortKey(k)}</span>
                  ))}
                  {b.length > ENTRIES_SHOWN && (
                    <span className="dict-more" title={t('dict.table.chainTitle', { index: b.index, length: b.length })}>
                      {t('dict.table.more', { count: b.length - ENTRIES_SHOWN })}
                    </span>
                  )}
                </span>
              </li>
            );
          })}
        </ol>
      </div>
    </div>
  );
}

interface OverviewProps {
  n: 0 | 1;
  table: DictTableSnapshot;
  rehashidx: number;
  scanned: ReadonlyMap<number, number>;
  window: number;
  onPick(start: number): void;
}

/** The whole table in groups of buckets: fill shows how many of a group's buckets hold entries. */
function Overview({ n, table, rehashidx, scanned, window, onPick }: OverviewProps) {
  const { t } = useTranslation();
  const { groupSize, groupNonEmpty, windowStart, buckets } = table;
  const groups = groupNonEmpty.length;
  const pick = (fraction: number) => {
    const bucket = Math.floor(Math.max(0, Math.min(1, fraction)) * table.size);
    onPick(bucket - Math.floor(window / 2));
  };
  const onClick = (e: MouseEvent<SVGSVGElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    pick((e.clientX - r.left) / r.width);
  };
  const onKey = (e: KeyboardEvent<SVGSVGElement>) => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    e.preventDefault();
    onPick(windowStart + step * buckets.length);
  };
  return (
    <svg className="dict-overview" viewBox={`0 0 ${groups} 10`} preserveAspectRatio="none" role="slider" tabIndex={0}
      aria-label={t('dict.table.overview', { n, groupText: groupSize })}
      aria-valuemin={0} aria-valuemax={table.size - 1} aria-valuenow={windowStart}
      onClick={onClick} onKeyDown={onKey} data-testid={`dict-overview-${n}`}>
      <title>{t('dict.table.overview', { n, groupText: groupSize })}</title>
      {groupNonEmpty.map((filled, g) => filled > 0 && (
        <rect key={g} className="dict-group" x={g} y={0} width={1} height={10} fillOpacity={0.15 + 0.85 * (filled / groupSize)} />
      ))}
      {[...scanned.keys()].map((i) => (
        <rect key={`s${i}`} className="dict-overview-scan" x={i / groupSize} y={7} width={Math.max(0.3, 1 / groupSize)} height={3} />
      ))}
      <rect className="dict-overview-window" x={windowStart / groupSize} y={0.5} width={Math.max(0.5, buckets.length / groupSize)} height={9} />
      {n === 0 && rehashidx >= 0 && (
        <rect className="dict-overview-rehashidx" x={rehashidx / groupSize} y={0} width={Math.max(0.25, groups / 400)} height={10} />
      )}
    </svg>
  );
}
