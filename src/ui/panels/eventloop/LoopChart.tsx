// The thread's timeline: virtual time left to right; a lane for the main thread (every command as
// a bar from its start to its end, one after another), one for the lazyfree thread, and one per
// client (its commands' waits shaded before their bars; requests and replies as arrows crossing the
// network when there is latency). Every number comes from trace events (model.ts).
import { scaleLinear } from 'd3';
import { useTranslation } from '../../i18n/index.ts';
import { rootFontPx } from '../hooks.ts';
import { clientLanes, durationParts, overlaps, type LoopActivity, type Window } from './model.ts';

/** Client lanes drawn at most; bars and arrows drawn at most (the latest). */
export const MAX_CLIENT_LANES = 6;
export const MAX_BARS = 400;
export const MAX_ARROWS_DRAWN = 300;
/** Colours cycle through this many classes (el-c0 ...). */
const PALETTE = 6;

interface Props {
  width: number;
  activity: LoopActivity;
  window: Window;
  /** Client ids run by the pipeline demo (labelled so). */
  demoClients: ReadonlySet<number>;
  clientNames: ReadonlyMap<number, string | null>;
}

export function LoopChart({ width, activity, window: w, demoClients, clientNames }: Props) {
  const { t } = useTranslation();
  const em = rootFontPx();
  const fmt = (us: number) => { const p = durationParts(us); return t(`eventloop.units.${p.unit}`, { n: p.n }); };
  const labelW = Math.round(em * 9.5);
  const laneH = Math.round(em * 1.7);
  const barH = Math.round(laneH * 0.55);
  const top = Math.round(em * 0.4);
  const left = labelW;
  const right = Math.max(left + 120, width - Math.round(em * 0.8));
  const x = scaleLinear().domain([w.fromUs, w.toUs]).range([left, right]).clamp(true);
  const { clients, hidden } = clientLanes(activity, w, MAX_CLIENT_LANES);
  const hasLazy = activity.lazy.some((l) => overlaps(w, l.startUs, l.endUs));
  const lanes: { id: string; label: string; client?: number }[] = [{ id: 'main', label: t('eventloop.lanes.main') }];
  if (hasLazy) lanes.push({ id: 'lazy', label: t('eventloop.lanes.lazyfree') });
  for (const id of clients) {
    const name = clientNames.get(id);
    const label = demoClients.has(id) ? t('eventloop.lanes.demo', { id })
      : name ? t('eventloop.lanes.clientNamed', { id, name }) : t('eventloop.lanes.client', { id });
    lanes.push({ id: `c${id}`, label, client: id });
  }
  const laneY = (i: number) => top + i * laneH;
  const laneOf = new Map(lanes.map((l, i) => [l.id, i]));
  const colour = (client: number) => `el-c${clients.indexOf(client) >= 0 ? clients.indexOf(client) % PALETTE : PALETTE - 1}`;
  const axisY = laneY(lanes.length) + Math.round(em * 0.2);
  const height = axisY + Math.round(em * 1.6);
  const barW = (from: number, to: number) => Math.max(1.5, x(to) - x(from));

  // The commands of the window, the latest MAX_BARS of them.
  const inWindow = activity.commands.filter((c) => overlaps(w, Math.min(c.arrivalUs, c.startUs), c.endUs));
  const shown = inWindow.slice(Math.max(0, inWindow.length - MAX_BARS));
  const mainBars = [];
  const clientBars = [];
  for (const c of shown) {
    const title = t('eventloop.axis.commandTitle', { command: c.name.toUpperCase(), client: c.client, wait: fmt(Math.max(0, c.startUs - c.arrivalUs)), run: fmt(c.durationUs) });
    const key = `${c.client}-${c.startUs}-${c.endUs}-${c.name}`;
    const cls = colour(c.client);
    if (!c.nested) {
      mainBars.push(
        <rect key={key} className={`el-bar ${cls}`} x={x(c.startUs)} y={laneY(0) + (laneH - barH) / 2} width={barW(c.startUs, c.endUs)} height={barH}>
          <title>{title}</title>
        </rect>,
      );
    }
    const lane = laneOf.get(`c${c.client}`);
    if (lane === undefined) continue;
    const y = laneY(lane) + (laneH - barH) / 2;
    const wait = c.nested ? 0 : Math.max(0, c.startUs - c.arrivalUs);
    clientBars.push(
      <g key={key} className="el-command" data-testid="eventloop-command" data-client={c.client} data-name={c.name}
        data-arrival-us={c.arrivalUs} data-start-us={c.startUs} data-end-us={c.endUs} data-wait-us={wait} data-nested={c.nested}>
        {wait > 0 && <rect className="el-wait" x={x(c.arrivalUs)} y={y} width={barW(c.arrivalUs, c.startUs)} height={barH} />}
        <rect className={`el-bar ${cls}${c.nested ? ' el-nested' : ''}${c.failed ? ' el-failed' : ''}`} x={x(c.startUs)} y={y}
          width={barW(c.startUs, c.endUs)} height={barH} />
        <title>{title}</title>
      </g>,
    );
  }

  const arrows = activity.arrows.filter((n) => overlaps(w, n.sentAt * 1000, n.arriveAt * 1000) && laneOf.has(`c${n.client}`));
  const arrowMarks = arrows.slice(Math.max(0, arrows.length - MAX_ARROWS_DRAWN)).map((n, i) => {
    const clientY = laneY(laneOf.get(`c${n.client}`)!) + laneH / 2;
    const mainY = laneY(0) + laneH / 2;
    const [y1, y2] = n.dir === 'request' ? [clientY, mainY] : [mainY, clientY];
    const dir = n.bytes === null ? t('eventloop.axis.hangup') : t(n.dir === 'request' ? 'eventloop.axis.request' : 'eventloop.axis.reply');
    return (
      <line key={`${i}-${n.dir}-${n.client}-${n.sentAt}`} className={`el-arrow el-arrow-${n.dir}`} x1={x(n.sentAt * 1000)} y1={y1}
        x2={x(n.arriveAt * 1000)} y2={y2} markerEnd="url(#el-head)" data-testid="eventloop-arrow" data-dir={n.dir} data-client={n.client}
        data-sent-at={n.sentAt} data-arrive-at={n.arriveAt}>
        <title>{t('eventloop.axis.netTitle', { dir, bytes: n.bytes ?? 0, sent: fmt((n.sentAt * 1000) - w.fromUs), arrived: fmt((n.arriveAt * 1000) - w.fromUs) })}</title>
      </line>
    );
  });

  const lazyBars = hasLazy ? activity.lazy.filter((l) => overlaps(w, l.startUs, l.endUs)).map((l) => (
    <rect key={`${l.startUs}-${l.endUs}`} className="el-lazy" x={x(l.startUs)} y={laneY(laneOf.get('lazy')!) + (laneH - barH) / 2}
      width={barW(l.startUs, l.endUs)} height={barH} data-testid="eventloop-lazy" data-start-us={l.startUs} data-end-us={l.endUs}>
      <title>{t('eventloop.axis.lazyTitle', { command: (l.command ?? '').toUpperCase(), effort: l.effort, run: fmt(l.endUs - l.startUs) })}</title>
    </rect>
  )) : null;

  const ticks = x.ticks(Math.max(2, Math.floor((right - left) / (em * 6))));
  return (
    <>
      <svg className="el-chart" width={width} height={height} role="img" aria-label={t('eventloop.axis.heading')}
        data-testid="eventloop-chart" data-from-us={w.fromUs} data-to-us={w.toUs} data-lanes={lanes.length}
        data-commands={clientBars.length} data-arrows={arrowMarks.length}>
        <defs>
          <marker id="el-head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" className="el-arrow-head" />
          </marker>
        </defs>
        {lanes.map((l, i) => (
          <g key={l.id} data-lane={l.id}>
            <rect className={`el-lane${i % 2 ? ' el-lane-odd' : ''}`} x={0} y={laneY(i)} width={right} height={laneH} />
            <text className="el-lane-label" x={em * 0.4} y={laneY(i) + laneH / 2} dominantBaseline="middle">{l.label}</text>
          </g>
        ))}
        {mainBars}
        {lazyBars}
        {clientBars}
        {arrowMarks}
        <line className="el-axis-line" x1={left} x2={right} y1={axisY} y2={axisY} />
        {ticks.map((v) => (
          <g key={v}>
            <line className="el-axis-line" x1={x(v)} x2={x(v)} y1={axisY} y2={axisY + 4} />
            <text className="el-axis-label" x={x(v)} y={axisY + em * 1.1} textAnchor="middle">+{fmt(v - w.fromUs)}</text>
          </g>
        ))}
      </svg>
      {(hidden > 0 || shown.length < inWindow.length) && (
        <p className="el-note">
          {hidden > 0 && t('eventloop.lanes.more', { count: hidden })}
          {hidden > 0 && shown.length < inWindow.length && ' · '}
          {shown.length < inWindow.length && t('eventloop.axis.drawn', { shown: shown.length, total: inWindow.length })}
        </p>
      )}
    </>
  );
}
