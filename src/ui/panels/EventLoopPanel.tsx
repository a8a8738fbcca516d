// The event loop panel: Redis's single thread on the virtual clock. Commands as bars on the main
// thread (processCommand/call) and on their client's lane, with the time they waited for the thread
// shaded; the lazyfree thread's jobs (bioProcessBackgroundJobs); requests and replies crossing the
// network at the chosen latency; and the pipeline demo: the same N commands as N round trips or as
// one pipeline, run as real input on virtual time, their totals side by side. Everything drawn comes
// from the engine's snapshot (src/engine/trace/eventloop.ts) and its trace events.
import { useEffect, useId, useMemo, useState } from 'react';
import type { TraceEvent } from '../../engine/trace/events.ts';
import type { PipelineDemoMode, PipelineDemoRequest, PipelineDemoResult } from '../../worker/pipelineDemo.ts';
import { useTranslation } from '../i18n/index.ts';
import { useTime } from '../state/time.ts';
import { LoopChart } from './eventloop/LoopChart.tsx';
import {
  chooseWindow, durationParts, emptyActivity, isLoopEvent, latestCommand, lazyJobOf, LOOP_STEPS, reduceActivity, stepOf,
  WINDOWS_US, type LoopActivity,
} from './eventloop/model.ts';
import { useWidth } from './hooks.ts';
import { useSnapshot, type PanelEngine } from './useSnapshot.ts';

/** What the panel needs beyond snapshots and events (EngineWorker has both). */
export interface EventLoopEngine extends PanelEngine {
  setLatency?(ms: number): void;
  runPipelineDemo?(request: PipelineDemoRequest): Promise<PipelineDemoResult>;
}

/** The latency slider's stops (ms, one way). */
export const LATENCY_STEPS = [0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

/** Commands the demo offers (the worker runs only commands that never block). */
const DEMO_CHOICES: string[][] = [['INCR', 'demo:counter'], ['PING'], ['SET', 'demo:key', 'value'], ['GET', 'demo:key']];

const query = { kind: 'eventloop' as const };

function nearestStep(ms: number): number {
  let best = 0;
  for (let i = 0; i < LATENCY_STEPS.length; i++) if (Math.abs(LATENCY_STEPS[i] - ms) < Math.abs(LATENCY_STEPS[best] - ms)) best = i;
  return best;
}

export function EventLoopPanel({ engine: panelEngine }: { engine: PanelEngine }) {
  const engine = panelEngine as EventLoopEngine;
  const { t, i18n } = useTranslation();
  const ids = { heading: useId(), window: useId(), latency: useId(), count: useId(), command: useId() };
  // Read again on loop events, and when the time status says something moved that fires no event
  // (the world stepped, the thread became busy or free, messages went on or off the network).
  const time = useTime((s) => s.status);
  const refresh = time ? `${time.position}/${time.length}/${time.busyUntil}/${time.inFlight}/${time.latencyMs}/${time.waiting}` : '';
  const { result: snapshot, error } = useSnapshot(engine, query, 'eventloop', isLoopEvent, refresh);
  const [activity, setActivity] = useState<LoopActivity>(emptyActivity);
  const [lastEvents, setLastEvents] = useState<readonly TraceEvent[]>([]);
  useEffect(() => engine.onEvents((batch) => {
    const loop = batch.events.filter(isLoopEvent);
    setActivity((prev) => reduceActivity(batch.resync ? emptyActivity() : prev, loop));
    if (loop.length > 0) setLastEvents(loop);
  }), [engine]);

  const [windowChoice, setWindowChoice] = useState<number | 'auto'>('auto');
  const [chartRef, chartWidth] = useWidth<HTMLDivElement>();
  const win = chooseWindow(activity, windowChoice);

  // The latency slider follows the world (a rewind, a lesson) unless it is being moved. Setting it
  // fires no trace event: the time status (which says it) is what reports the change.
  const [latencyDraft, setLatencyDraft] = useState<number | null>(null);
  const latencyMs = time?.latencyMs ?? snapshot?.latencyMs ?? 0;
  useEffect(() => { setLatencyDraft(null); }, [latencyMs]);
  const latencyIndex = latencyDraft ?? nearestStep(latencyMs);
  const shownLatency = latencyDraft === null ? latencyMs : LATENCY_STEPS[latencyDraft];

  // The demo.
  const [count, setCount] = useState(10);
  const [choice, setChoice] = useState(0);
  const [results, setResults] = useState<Partial<Record<PipelineDemoMode, PipelineDemoResult>>>({});
  const [running, setRunning] = useState<PipelineDemoMode | null>(null);
  const [demoError, setDemoError] = useState<string | null>(null);
  const demoClients = useMemo(() => new Set(Object.values(results).map((r) => r.client)), [results]);
  const runDemo = (mode: PipelineDemoMode) => {
    if (!engine.runPipelineDemo || running) return;
    setRunning(mode);
    setDemoError(null);
    engine.runPipelineDemo({ count, argv: DEMO_CHOICES[choice], mode })
      .then((r) => setResults((prev) => ({ ...prev, [mode]: r })))
      .catch((e: unknown) => setDemoError(e instanceof Error ? e.message : String(e)))
      .finally(() => setRunning(null));
  };

  const paused = time ? !time.playing : false;
  const numbers = useMemo(() => new Intl.NumberFormat(i18n.language), [i18n.language]);
  const fmt = (us: number) => { const p = durationParts(us); return t(`eventloop.units.${p.unit}`, { n: p.n }); };
  const clientNames = useMemo(() => new Map((snapshot?.clients ?? []).map((c) => [c.id, c.name])), [snapshot]);
  // Busy, and messages on the network: the time status follows them as time moves (the end of a
  // busy spell fires no event); the snapshot until it is there.
  const busyUntil = time ? time.busyUntil : snapshot?.busy ? snapshot.busyUntil : 0;
  const busy = busyUntil > 0;
  const busyFor = busyUntil - (time?.now ?? snapshot?.now ?? 0);
  const inFlight = time ? time.inFlight : snapshot ? snapshot.inFlight.requests + snapshot.inFlight.replies : 0;
  const step = stepOf(lastEvents, busy);

  const compare = (['keys', 'scan', 'del', 'unlink'] as const).map((name) => {
    const c = latestCommand(activity, name);
    const job = c && name === 'unlink' ? lazyJobOf(activity, c) : null;
    return { name, c, job };
  });
  const trips = results['round-trips'];
  const pipe = results.pipeline;
  const rtt = 2 * shownLatency;

  return (
    <section className="eventloop-panel" aria-labelledby={ids.heading} data-testid="eventloop-panel">
      <div className="el-bar-row">
        <h3 id={ids.heading}>{t('eventloop.title')}</h3>
      </div>
      {!snapshot ? (
        error
          ? <p className="el-note el-error" role="alert">{t('eventloop.error', { message: error })}</p>
          : <p className="el-note">{t('eventloop.loading')}</p>
      ) : (
        <>
          {error && <p className="el-note el-error" role="alert">{t('eventloop.error', { message: error })}</p>}
          <p className="el-status" role="status" data-testid="eventloop-status" data-busy={busy}
            data-busy-until={busyUntil} data-thread-free-us={snapshot.threadFreeUs}
            data-held={busy ? snapshot.held.length : 0} data-latency-ms={latencyMs}
            data-in-flight={inFlight} data-lazy-jobs={snapshot.lazyfree.pendingJobs}>
            {busy
              ? <span className="el-busy">{t('eventloop.thread.busy', { ms: numbers.format(busyFor) })}{paused && <> ({t('eventloop.thread.paused')})</>}</span>
              : t('eventloop.thread.idle')}
            {busy && snapshot.held.length > 0 && <> · {t('eventloop.thread.held', { count: snapshot.held.length })}</>}
            {inFlight > 0 && <> · {t('eventloop.thread.inFlight', { count: inFlight })}</>}
            {snapshot.lazyfree.pendingJobs > 0 && <> · {t('eventloop.thread.lazy', { count: snapshot.lazyfree.pendingJobs })}</>}
          </p>

          <section className="el-section" aria-label={t('eventloop.axis.heading')}>
            <div className="el-section-bar">
              <h4>{t('eventloop.axis.heading')}</h4>
              <label htmlFor={ids.window}>{t('eventloop.axis.window')}</label>
              <select id={ids.window} value={String(windowChoice)} data-testid="eventloop-window"
                onChange={(e) => setWindowChoice(e.target.value === 'auto' ? 'auto' : Number(e.target.value))}>
                <option value="auto">{t('eventloop.axis.auto')}</option>
                {WINDOWS_US.map((w) => <option key={w} value={w}>{t('eventloop.axis.last', { window: fmt(w) })}</option>)}
              </select>
              <button type="button" onClick={() => setActivity(emptyActivity())} data-testid="eventloop-clear">{t('eventloop.axis.clear')}</button>
            </div>
            <div className="el-chart-wrap" ref={chartRef}>
              {!win ? <p className="el-note" data-testid="eventloop-empty">{t('eventloop.axis.empty')}</p>
                : chartWidth > 0 && <LoopChart width={chartWidth} activity={activity} window={win} demoClients={demoClients} clientNames={clientNames} />}
            </div>
            <ul className="el-legend" aria-hidden="true">
              <li><span className="el-swatch el-wait" />{t('eventloop.axis.legendWait')}</li>
              <li><span className="el-swatch el-bar el-c0" />{t('eventloop.axis.legendRun')}</li>
              <li><span className="el-swatch el-swatch-arrow" />{t('eventloop.axis.legendNet')}</li>
              <li><span className="el-swatch el-lazy" />{t('eventloop.axis.legendLazy')}</li>
            </ul>
            <p className="el-note">{t('eventloop.axis.hint')}</p>
          </section>

          <section className="el-section" aria-label={t('eventloop.latency.label')}>
            <label className="el-latency" htmlFor={ids.latency}>
              <span>{t('eventloop.latency.label')}</span>
              <input id={ids.latency} type="range" min={0} max={LATENCY_STEPS.length - 1} step={1} value={latencyIndex}
                data-testid="eventloop-latency" data-latency-ms={latencyMs} disabled={!engine.setLatency}
                aria-valuetext={t('eventloop.latency.value', { ms: shownLatency })}
                onChange={(e) => {
                  const i = Number(e.target.value);
                  setLatencyDraft(i);
                  engine.setLatency?.(LATENCY_STEPS[i]);
                }} />
              <output>{t('eventloop.latency.value', { ms: shownLatency })} · {t('eventloop.latency.rtt', { ms: rtt })}</output>
            </label>
          </section>

          <section className="el-section" aria-labelledby={`${ids.heading}-demo`}>
            <h4 id={`${ids.heading}-demo`}>{t('eventloop.demo.heading')}</h4>
            <p className="el-note">{t('eventloop.demo.intro')}</p>
            <div className="el-demo-controls">
              <label htmlFor={ids.count}>{t('eventloop.demo.count')}</label>
              <input id={ids.count} type="number" min={1} max={100} value={count} data-testid="eventloop-demo-count"
                onChange={(e) => setCount(Math.max(1, Math.min(100, Math.floor(Number(e.target.value) || 1))))} />
              <label htmlFor={ids.command}>{t('eventloop.demo.command')}</label>
              <select id={ids.command} value={choice} onChange={(e) => setChoice(Number(e.target.value))} data-testid="eventloop-demo-command">
                {DEMO_CHOICES.map((argv, i) => <option key={argv.join(' ')} value={i}>{argv.join(' ')}</option>)}
              </select>
              <button type="button" data-testid="eventloop-demo-round-trips" disabled={running !== null || !engine.runPipelineDemo}
                onClick={() => runDemo('round-trips')}>{t('eventloop.demo.roundTrips')}</button>
              <button type="button" data-testid="eventloop-demo-pipeline" disabled={running !== null || !engine.runPipelineDemo}
                onClick={() => runDemo('pipeline')}>{t('eventloop.demo.pipeline')}</button>
            </div>
            {running && <p className="el-note" role="status">{t('eventloop.demo.running')}{paused && <> {t('eventloop.demo.paused')}</>}</p>}
            {demoError && <p className="el-note el-error" role="alert">{t('eventloop.demo.error', { message: demoError })}</p>}
            <div className="el-results">
              {(['round-trips', 'pipeline'] as const).map((mode) => {
                const r = results[mode];
                const expected = r ? (mode === 'round-trips' ? r.count * 2 * r.latencyMs : 2 * r.latencyMs) : 0;
                return (
                  <div key={mode} className={`el-result el-result-${mode}`} data-testid={`eventloop-result-${mode}`} data-done={r ? 'true' : 'false'}
                    data-total-ms={r?.totalMs ?? ''} data-count={r?.count ?? ''} data-latency-ms={r?.latencyMs ?? ''} data-client={r?.client ?? ''}>
                    <h5>{t(mode === 'round-trips' ? 'eventloop.demo.modeTrips' : 'eventloop.demo.modePipe')}</h5>
                    {r ? (
                      <>
                        <p className="el-total">{t('eventloop.demo.total', { ms: numbers.format(r.totalMs) })}</p>
                        <p className="el-note">{t('eventloop.demo.detail', { count: r.count, command: r.argv.join(' '), latency: r.latencyMs })}</p>
                        <p className="el-note">{t(mode === 'round-trips' ? 'eventloop.demo.expectTrips' : 'eventloop.demo.expectPipe', { ms: numbers.format(expected) })}</p>
                      </>
                    ) : <p className="el-note">{t('eventloop.demo.none')}</p>}
                  </div>
                );
              })}
            </div>
            {trips && pipe && pipe.totalMs > 0 && trips.totalMs > pipe.totalMs && (
              <p className="el-note" data-testid="eventloop-ratio">{t('eventloop.demo.ratio', { times: numbers.format(Math.round((trips.totalMs / pipe.totalMs) * 10) / 10) })}</p>
            )}
          </section>

          <section className="el-section" aria-labelledby={`${ids.heading}-compare`}>
            <h4 id={`${ids.heading}-compare`}>{t('eventloop.compare.heading')}</h4>
            <p className="el-note">{t('eventloop.compare.intro')}</p>
            <dl className="el-compare" data-testid="eventloop-compare">
              {compare.map(({ name, c, job }) => (
                <div key={name} data-command={name} data-duration-us={c?.durationUs ?? ''} data-lazy-us={job ? job.endUs - job.startUs : ''}>
                  <dt>{t(`eventloop.compare.${name}`)}</dt>
                  <dd>
                    {c ? fmt(c.durationUs) : t('eventloop.compare.notSeen')}
                    {job && <> · {t('eventloop.compare.lazy', { run: fmt(job.endUs - job.startUs) })}</>}
                  </dd>
                </div>
              ))}
            </dl>
            <p className="el-note">{t('eventloop.compare.try')}</p>
          </section>

          <section className="el-section el-steps" aria-labelledby={`${ids.heading}-steps`}>
            <h4 id={`${ids.heading}-steps`}>{t('eventloop.steps.heading')}</h4>
            <ol data-testid="eventloop-steps" data-step={step}>
              {LOOP_STEPS.map((s) => (
                <li key={s} className={s === step ? 'el-step-current' : undefined} aria-current={s === step ? 'step' : undefined}>
                  {t(`eventloop.steps.${s}`)}
                </li>
              ))}
            </ol>
          </section>
        </>
      )}
    </section>
  );
}
