// The skiplist panel: the focused sorted set's real skiplist (trace/skiplist.ts) drawn as towers and
// links, with the latest operation the engine traced on it (zslInsert's update path and rolled
// level, zslDelete's relinking, a rank or range search and its span sums) highlighted step by step,
// the Redis function named. Big sets are drawn through a window of ranks (the rest counted per
// level), moved with the controls or the overview strip. A set still in a listpack says so, with
// the live limits that will convert it.
import { useEffect, useId, useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';
import { scaleLinear } from 'd3';
import type { ListpackZsetSnapshot, SkiplistSnapshot } from '../../engine/trace/skiplist.ts';
import { useTranslation } from '../i18n/index.ts';
import { displayKey } from '../state/keyspace.ts';
import { usePanels } from '../state/panels.ts';
import { FocusBar } from './FocusBar.tsx';
import { useReducedMotion } from './hooks.ts';
import { Diagram, formatScore, memberLabel } from './skiplist/Diagram.tsx';
import { geometryFor } from './skiplist/layout.ts';
import { opSteps, spanSums, STEP_COUNTS, type OpSteps } from './skiplist/steps.ts';
import { SkiplistWatcher, WINDOW_SIZES, type LatestOp, type SkiplistEngine, type SkiplistView } from './skiplist/watcher.ts';
import type { PanelEngine } from './useSnapshot.ts';

/** How long each step of an operation stays highlighted before the next (ms). */
const STEP_MS = 900;

/** The page's text size as a factor of 16px (the projector setting makes the drawing bigger too). */
function useTextScale(): number {
  const read = () => (typeof getComputedStyle === 'function' ? parseFloat(getComputedStyle(document.documentElement).fontSize) / 16 || 1 : 1);
  const [scale, setScale] = useState(read);
  useEffect(() => {
    const observer = new MutationObserver(() => setScale(read()));
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-text-size', 'style'] });
    return () => observer.disconnect();
  }, []);
  return scale;
}

/** The step of `sequence` to highlight: walks through it once per new operation (at once when motion is reduced). */
function useStepper(seq: number, sequence: readonly number[], reduced: boolean): number {
  const [index, setIndex] = useState(0);
  const lastIndex = sequence.length - 1;
  useEffect(() => {
    if (reduced || lastIndex <= 0) { setIndex(lastIndex); return; }
    setIndex(0);
    let i = 0;
    const id = setInterval(() => {
      i++;
      setIndex(i);
      if (i >= lastIndex) clearInterval(id);
    }, STEP_MS);
    return () => clearInterval(id);
  }, [seq, lastIndex, reduced]);
  return sequence[Math.min(Math.max(0, index), lastIndex)] ?? 0;
}

export function SkiplistPanel({ engine }: { engine: PanelEngine }) {
  const { t } = useTranslation();
  const watcher = useMemo(() => new SkiplistWatcher(engine as SkiplistEngine), [engine]);
  useEffect(() => {
    watcher.start();
    return () => watcher.stop();
  }, [watcher]);
  const view = useSyncExternalStore(watcher.subscribe, () => watcher.view);
  const focus = usePanels((s) => s.focus);
  useEffect(() => { watcher.show(focus); }, [watcher, focus]);
  const heading = useId();
  const r = view.result;
  return (
    <section className="skiplist-panel" aria-labelledby={heading} data-testid="skiplist-panel"
      data-encoding={r?.encoding ?? ''} data-node-count={r?.encoding === 'skiplist' ? r.length : ''}
      data-level={r?.encoding === 'skiplist' ? r.level : ''}>
      <h3 id={heading} className="zsl-title">{t('skiplist.title')}</h3>
      <FocusBar />
      <Body view={view} watcher={watcher} />
    </section>
  );
}

function Body({ view, watcher }: { view: SkiplistView; watcher: SkiplistWatcher }) {
  const { t } = useTranslation();
  const { focus, result, error } = view;
  if (!focus) return <p className="zsl-message" data-testid="skiplist-empty">{t('skiplist.noFocus')}</p>;
  const key = displayKey(focus.key);
  if (error && !result) {
    if (error.startsWith('NOKEY')) return <p className="zsl-message" data-testid="skiplist-missing">{t('skiplist.missing', { key, db: focus.db })}</p>;
    if (error.startsWith('WRONGTYPE')) {
      const type = error.split(' ').pop() ?? '';
      return <p className="zsl-message" data-testid="skiplist-wrongtype">{t('skiplist.wrongType', { key, type })}</p>;
    }
    return <p className="zsl-message zsl-error" role="alert">{t('skiplist.error', { key, message: error })}</p>;
  }
  if (!result) return <p className="zsl-message">{t('skiplist.loading')}</p>;
  if (result.encoding === 'listpack') return <ListpackView snapshot={result} />;
  return <SkiplistBody snapshot={result} view={view} watcher={watcher} />;
}

function ListpackView({ snapshot: s }: { snapshot: ListpackZsetSnapshot }) {
  const { t } = useTranslation();
  const key = displayKey(s.key);
  const remaining = Math.max(0, s.maxEntries - s.length);
  return (
    <div className="zsl-listpack" data-testid="skiplist-listpack" data-entries={s.length} data-max-entries={s.maxEntries}
      data-max-value={s.maxValue} data-bytes={s.bytes}>
      <h4>{t('skiplist.listpack.title', { key })}</h4>
      <p>{t('skiplist.listpack.body', { count: s.length, bytes: s.bytes })}</p>
      <p>
        {t('skiplist.listpack.limits', { maxEntries: s.maxEntries, maxValue: s.maxValue, longest: s.longest })}{' '}
        <strong>{t('skiplist.listpack.remaining', { count: remaining })}</strong>
      </p>
      <div className="zsl-lp-strip" role="list">
        {s.entries.map((e, i) => (
          <span key={i} className="zsl-lp-entry" role="listitem">
            <span className="zsl-lp-member">{memberLabel(e.member, e.memberLength, 24)}</span>
            <span className="zsl-lp-score">{formatScore(e.score)}</span>
          </span>
        ))}
        {s.length > s.entries.length && <span className="zsl-muted">{t('skiplist.listpack.more', { count: s.length - s.entries.length })}</span>}
      </div>
    </div>
  );
}

function SkiplistBody({ snapshot: s, view, watcher }: { snapshot: SkiplistSnapshot; view: SkiplistView; watcher: SkiplistWatcher }) {
  const { t, i18n } = useTranslation();
  const reduced = useReducedMotion();
  const scale = useTextScale();
  const numbers = new Intl.NumberFormat(i18n.language);
  const latest = view.latest;
  const steps = latest ? opSteps(latest.op) : null;
  const step = useStepper(latest?.seq ?? 0, steps?.sequence ?? [], reduced);
  const geometry = geometryFor(view.limit, scale);
  const whole = s.window.first === 1 && s.window.last === s.length;
  return (
    <div className="zsl-body">
      <p className="zsl-summary" data-testid="skiplist-summary">
        {t('skiplist.summary', { key: displayKey(s.key), count: s.length, countText: numbers.format(s.length), level: s.level })}
        {' · '}
        {whole ? t('skiplist.windowAll', { total: numbers.format(s.length) })
          : t('skiplist.window', { first: numbers.format(s.window.first), last: numbers.format(s.window.last), total: numbers.format(s.length) })}
        {' · '}
        <span className="zsl-muted">{t('skiplist.towers', { list: s.towers.map((n, i) => `L${i} ${numbers.format(n)}`).join(', ') })}</span>
      </p>
      {latest?.convert && <ConvertNote latest={latest} />}
      {latest && steps && <OpNote latest={latest} steps={steps} step={step} />}
      <Controls snapshot={s} view={view} watcher={watcher} />
      <Diagram snapshot={s} geometry={geometry} op={latest?.op ?? null} seq={latest?.seq ?? 0} reducedMotion={reduced} />
      <ul className="zsl-legend">
        <li><span className="zsl-swatch zsl-swatch-path" />{t('skiplist.legend.path')}</li>
        <li><span className="zsl-swatch zsl-swatch-update" />{t('skiplist.legend.update')}</li>
        <li><span className="zsl-swatch zsl-swatch-target" />{t('skiplist.legend.target')}</li>
        <li>{t('skiplist.legend.span')}</li>
        <li>{t('skiplist.legend.backward')}</li>
      </ul>
    </div>
  );
}

function ConvertNote({ latest }: { latest: LatestOp }) {
  const { t } = useTranslation();
  const c = latest.convert!;
  const reason = c.reason === 'entries' ? t('skiplist.op.reason.entries', { limit: c.limit })
    : c.reason === 'value' ? t('skiplist.op.reason.value', { limit: c.limit, length: c.actual })
      : c.reason === 'sort' ? t('skiplist.op.reason.sort')
        : c.reason === 'load' ? t('skiplist.op.reason.load', { limit: c.limit })
          : t('skiplist.op.reason.size');
  return (
    <div className="zsl-convert" data-testid="skiplist-convert" data-reason={c.reason} data-entries={c.elements ?? ''}>
      <p><code>{c.fn}</code> — {t('skiplist.op.convert', { entries: c.elements ?? 0, bytes: c.bytes ?? 0, reason })}</p>
      <StepList list="convert" fn="zsetConvert" current={STEP_COUNTS.convert} />
    </div>
  );
}

function OpNote({ latest, steps, step }: { latest: LatestOp; steps: OpSteps; step: number }) {
  const { t } = useTranslation();
  const op = latest.op;
  const m = (member: string | null, length: number) => (member === null ? t('skiplist.header') : memberLabel(member, length, 40));
  let text: ReactNode = null;
  let rank: number | null = null;
  let sum: number | null = null;
  let rolled: number | null = null;
  switch (op.type) {
    case 'insert': {
      const e = op.event;
      rank = e.rank;
      rolled = e.level;
      text = op.removed
        ? t('skiplist.op.reinsert', { member: m(e.member, e.memberLength), oldRank: op.removed.rank, oldScore: formatScore(op.removed.score), rank: e.rank, score: formatScore(e.score), level: e.level })
        : t('skiplist.op.insert', { member: m(e.member, e.memberLength), score: formatScore(e.score), rank: e.rank, level: e.level });
      break;
    }
    case 'delete': {
      const e = op.event;
      rank = e.rank;
      text = e.cause === 'delete' || e.cause === 'updateScore'
        ? t('skiplist.op.delete', { member: m(e.member, e.memberLength), score: formatScore(e.score), level: e.level, rank: e.rank, relinked: e.update.filter((u) => u.relinked).length })
        : t('skiplist.op.deleteRange', { count: op.count, member: m(e.member, e.memberLength), rank: e.rank });
      break;
    }
    case 'updateInPlace': {
      const e = op.event;
      rank = e.rank;
      text = t('skiplist.op.inPlace', { member: m(e.member, e.memberLength), oldScore: formatScore(e.oldScore), score: formatScore(e.score), rank: e.rank });
      break;
    }
    case 'search': {
      const e = op.event;
      const spans = spanSums(e.path);
      const stop = e.path.at(-1)?.rank ?? 0;
      sum = stop;
      const sums = spans.length ? spans.join(' + ') : t('skiplist.op.noSums');
      if (e.op === 'getRank') {
        rank = stop;
        text = t('skiplist.op.rank', { sums, rank: stop, member: m(e.landed?.member ?? null, e.landed?.memberLength ?? 0), zrank: stop - 1 });
      } else if (e.op === 'getByRank') {
        rank = stop;
        text = t('skiplist.op.byRank', { sums, rank: stop, member: m(e.landed?.member ?? null, e.landed?.memberLength ?? 0) });
      } else if (!e.landed) {
        text = t('skiplist.op.rangeNone');
      } else if (e.op === 'firstInRange' || e.op === 'firstInLexRange') {
        rank = e.landed.rank;
        text = t('skiplist.op.range', { stop, member: m(e.landed.member, e.landed.memberLength), rank: e.landed.rank });
      } else {
        rank = e.landed.rank;
        text = t('skiplist.op.rangeLast', { member: m(e.landed.member, e.landed.memberLength), rank: e.landed.rank });
      }
      break;
    }
    case 'lookup':
      text = t('skiplist.op.lookup', { command: (latest.command ?? '').toUpperCase() });
      break;
  }
  const more = latest.batchOps - 1;
  return (
    <div className="zsl-op" data-testid="skiplist-op" data-op={op.type === 'search' ? op.event.op : op.type} data-fn={steps.fn}
      data-rank={rank ?? ''} data-span-sum={sum ?? ''} data-rolled-level={rolled ?? ''} data-command={latest.command ?? ''}>
      <p className="zsl-op-text">
        <code className="zsl-fn">{steps.fn}</code>
        {latest.command && <span className="zsl-muted"> ({t('skiplist.op.command', { command: latest.command.toUpperCase() })})</span>}
        {' — '}{text}
        {more > 0 && <span className="zsl-muted"> {t('skiplist.op.more', { count: more })}</span>}
      </p>
      <StepList list={steps.list} fn={steps.fn} current={step} />
    </div>
  );
}

function StepList({ list, fn, current }: { list: OpSteps['list']; fn: string; current: number }) {
  const { t } = useTranslation();
  const n = STEP_COUNTS[list];
  return (
    <ol className="zsl-steps" data-testid="skiplist-steps" data-fn={fn} data-step={current} aria-label={t('skiplist.steps.label')}>
      {Array.from({ length: n }, (_, i) => i + 1).map((k) => (
        <li key={k} className={k === current ? 'zsl-step-current' : k < current ? 'zsl-step-done' : undefined} aria-current={k === current ? 'step' : undefined}>
          {t(`skiplist.steps.${list}.s${k}`)}
        </li>
      ))}
    </ol>
  );
}

function Controls({ snapshot: s, view, watcher }: { snapshot: SkiplistSnapshot; view: SkiplistView; watcher: SkiplistWatcher }) {
  const { t } = useTranslation();
  const ids = { rank: useId(), zoom: useId() };
  const centre = Math.round((s.window.first + s.window.last) / 2);
  const [rankText, setRankText] = useState(String(centre));
  useEffect(() => setRankText(String(centre)), [centre]);
  const go = (rank: number) => watcher.scrollTo(Math.max(1, Math.min(s.length, Math.round(rank))));
  const size = s.window.last - s.window.first + 1;
  const atStart = s.window.first <= 1;
  const atEnd = s.window.last >= s.length;
  return (
    <div className="zsl-controls" role="group" aria-label={t('skiplist.controls.label')}>
      <button type="button" onClick={() => go(1)} disabled={atStart} title={t('skiplist.controls.first')} aria-label={t('skiplist.controls.first')}>«</button>
      <button type="button" onClick={() => go(centre - size)} disabled={atStart} title={t('skiplist.controls.prev')} aria-label={t('skiplist.controls.prev')}>‹</button>
      <button type="button" onClick={() => go(centre + size)} disabled={atEnd} title={t('skiplist.controls.next')} aria-label={t('skiplist.controls.next')}>›</button>
      <button type="button" onClick={() => go(s.length)} disabled={atEnd} title={t('skiplist.controls.last')} aria-label={t('skiplist.controls.last')}>»</button>
      <form onSubmit={(e) => { e.preventDefault(); const n = Number(rankText); if (Number.isFinite(n)) go(n); }}>
        <label htmlFor={ids.rank}>{t('skiplist.controls.rank')}</label>
        <input id={ids.rank} type="number" min={1} max={Math.max(1, s.length)} value={rankText} onChange={(e) => setRankText(e.target.value)}
          onBlur={() => { const n = Number(rankText); if (Number.isFinite(n) && n !== centre) go(n); }} />
      </form>
      <label htmlFor={ids.zoom}>{t('skiplist.controls.zoom')}</label>
      <select id={ids.zoom} value={view.limit} onChange={(e) => watcher.setLimit(Number(e.target.value))}>
        {WINDOW_SIZES.map((n) => <option key={n} value={n}>{n}</option>)}
      </select>
      <button type="button" aria-pressed={view.following} onClick={() => watcher.follow()} disabled={view.following}>
        {t('skiplist.controls.follow')}
      </button>
      {s.length > size && <Overview snapshot={s} onPick={go} />}
    </div>
  );
}

/** The whole list at a glance: the tallest tower per bucket of ranks, the window marked; click to move. */
function Overview({ snapshot: s, onPick }: { snapshot: SkiplistSnapshot; onPick: (rank: number) => void }) {
  const { t } = useTranslation();
  const { bucketSize, maxLevel } = s.overview;
  const buckets = maxLevel.length;
  const x = scaleLinear().domain([1, s.length + 1]).range([0, buckets]);
  const top = Math.max(1, s.level);
  return (
    <svg className="zsl-overview" viewBox={`0 0 ${buckets} ${top}`} preserveAspectRatio="none" role="img" data-testid="skiplist-overview"
      aria-label={t('skiplist.controls.overview', { size: bucketSize })}
      onClick={(e) => {
        const box = e.currentTarget.getBoundingClientRect();
        onPick(x.invert(((e.clientX - box.left) / box.width) * buckets));
      }}>
      <title>{t('skiplist.controls.overview', { size: bucketSize })}</title>
      {maxLevel.map((lv, b) => <rect key={b} className="zsl-overview-bar" x={b + 0.1} y={top - lv} width={0.8} height={lv} />)}
      <rect className="zsl-overview-window" x={x(s.window.first)} y={0} width={Math.max(0.5, x(s.window.last + 1) - x(s.window.first))} height={top} />
    </svg>
  );
}
