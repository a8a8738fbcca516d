// The TTL axis: "now" near the left edge, the window's end at the right; each volatile key is a dot
// at its time left, moving toward now on the virtual clock. Left of now: keys past their deadline
// that nothing deleted yet. Keys the last cycle sampled are ringed; keys just deleted (on access,
// by the cycle, evicted) fade out where they were. Only the soonest keys the snapshot carries are
// drawn; the rest are counted.
import { scaleLinear } from 'd3';
import { useTranslation } from '../../i18n/index.ts';
import { displayKey } from '../../state/keyspace.ts';
import type { VolatileKey } from '../../../engine/trace/expiry.ts';
import { AXIS_LANES, axisTicks, formatMs, GHOST_MS, type Ghost } from './model.ts';
import { rootFontPx } from '../hooks.ts';

export type TimeUnitsMs = { ms: string; d: string; h: string; m: string; s: string };

interface Props {
  width: number;
  keys: readonly VolatileKey[];
  /** Virtual time now (unix ms), estimated between snapshots. */
  now: number;
  windowMs: number;
  sampled: ReadonlySet<string>;
  ghosts: readonly Ghost[];
  wallNow: number;
  units: TimeUnitsMs;
}

/** Share of the width given to the overdue zone left of "now". */
const OVERDUE_SHARE = 0.1;

export function Timeline({ width, keys, now, windowMs, sampled, ghosts, wallNow, units }: Props) {
  const { t } = useTranslation();
  const em = rootFontPx();
  const laneH = Math.round(em * 1.05);
  const top = Math.round(em * 1.6);
  const height = top + AXIS_LANES * laneH + Math.round(em * 2.2);
  const left = Math.round(em * 0.6);
  const right = Math.max(left + 100, width - Math.round(em * 0.8));
  const nowX = left + (right - left) * OVERDUE_SHARE;
  const x = scaleLinear().domain([0, windowMs]).range([nowX, right]);
  const overdueSpan = windowMs * OVERDUE_SHARE / (1 - OVERDUE_SHARE);
  const xOf = (ttl: number) => (ttl >= 0 ? x(Math.min(ttl, windowMs)) : Math.max(left, nowX - ((-ttl) / overdueSpan) * (nowX - left)));
  const axisY = top + AXIS_LANES * laneH + Math.round(em * 0.3);
  const r = Math.max(3, Math.round(em * 0.32));

  let later = 0;
  const marks = [];
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const ttl = k.expireAt - now;
    if (ttl > windowMs) { later++; continue; }
    const state = ttl < 0 ? 'overdue' : sampled.has(k.key) ? 'sampled' : 'live';
    marks.push(
      <circle key={k.key} className={`ex-mark ex-mark-${state}`} cx={xOf(ttl)} cy={top + (i % AXIS_LANES) * laneH + laneH / 2} r={r}
        data-key={displayKey(k.key)} data-state={state}>
        <title>{`${displayKey(k.key)} — ${ttl < 0 ? t('expiry.keys.overdueBy', { late: formatMs(-ttl, units) }) : formatMs(ttl, units)}`}</title>
      </circle>,
    );
  }
  const ghostMarks = ghosts.map((g, i) => {
    const age = Math.min(1, (wallNow - g.seenAt) / GHOST_MS);
    const cx = xOf(Math.min(0, g.expireAt - now));
    const cy = top + (i % AXIS_LANES) * laneH + laneH / 2;
    return (
      <g key={`${i}\0${g.key}\0${g.seenAt}`} className={`ex-ghost ex-ghost-${g.how}`} opacity={1 - age} data-ghost={g.how}>
        <line x1={cx - r} y1={cy - r} x2={cx + r} y2={cy + r} />
        <line x1={cx - r} y1={cy + r} x2={cx + r} y2={cy - r} />
      </g>
    );
  });
  const ticks = axisTicks(windowMs);
  return (
    <svg className="ex-axis" width={width} height={height} role="img" data-testid="expiry-axis"
      data-marks={marks.length} data-later={later} data-window={windowMs}
      aria-label={t('expiry.axis.description')}>
      <rect className="ex-overdue-zone" x={left} y={top - 2} width={nowX - left} height={AXIS_LANES * laneH + 4} />
      <text className="ex-axis-label" x={(left + nowX) / 2} y={top - em * 0.45} textAnchor="middle">{t('expiry.axis.overdue')}</text>
      <line className="ex-now" x1={nowX} x2={nowX} y1={top - em * 1.1} y2={axisY} />
      <text className="ex-axis-label ex-now-label" x={nowX + 3} y={top - em * 0.45}>{t('expiry.axis.now')}</text>
      <line className="ex-axis-line" x1={nowX} x2={right} y1={axisY} y2={axisY} />
      {ticks.map((v) => (
        <g key={v}>
          <line className="ex-axis-line" x1={x(v)} x2={x(v)} y1={axisY} y2={axisY + 4} />
          <text className="ex-axis-label" x={x(v)} y={axisY + em * 1.2} textAnchor={v === 0 ? 'start' : v === windowMs ? 'end' : 'middle'}>
            {v === 0 ? '0' : `+${formatMs(v, units)}`}
          </text>
        </g>
      ))}
      {marks}
      {ghostMarks}
      {later > 0 && (
        <text className="ex-axis-label ex-later" x={right} y={top - em * 0.45} textAnchor="end" data-testid="expiry-later">
          {t('expiry.axis.later', { count: later })}
        </text>
      )}
    </svg>
  );
}
