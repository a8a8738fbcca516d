// The expiry and eviction panel: one database's keys with a TTL on the virtual clock, lazy expiry
// (expireIfNeeded) against the active expire cycle's samples (activeExpireCycle), and with maxmemory
// set, the eviction gauge, pool and victim (performEvictions, evictionPoolPopulate). What is drawn
// comes from the engine's snapshot (src/engine/trace/expiry.ts) and its trace events; nothing is
// modelled here.
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { TraceEvent } from '../../engine/trace/events.ts';
import type { ExpirySnapshot } from '../../engine/trace/expiry.ts';
import { useTranslation } from '../i18n/index.ts';
import { displayKey } from '../state/keyspace.ts';
import { usePanels } from '../state/panels.ts';
import { useTime } from '../state/time.ts';
import { CycleView } from './expiry/CycleView.tsx';
import { EvictionView } from './expiry/EvictionView.tsx';
import { useReducedMotion, useWallClock, useWidth } from './hooks.ts';
import {
  autoWindow, emptyActivity, formatMs, liveGhosts, reduceActivity, WINDOWS_MS, type CycleInDb, type ExpiryActivity,
} from './expiry/model.ts';
import { StepList } from './expiry/StepList.tsx';
import { Timeline, type TimeUnitsMs } from './expiry/Timeline.tsx';
import { useSnapshot, type PanelEngine } from './useSnapshot.ts';

/** Volatile keys one snapshot carries (the soonest); the axis and the list draw from them. */
const EXPIRY_LIMIT = 200;
/** Rows of the deadline list. */
const LIST_ROWS = 50;
const DEFAULT_DATABASES = 16;

/**
 * What makes the snapshot be read again: anything but a cycle that deleted nothing (those come
 * hz times a second while keys have TTLs; the panel still animates them from the event itself).
 */
function relevant(e: TraceEvent): boolean {
  return e.kind !== 'expire-cycle' || e.expired > 0;
}

/** The latest cycle in `db` from the activity, else from the engine's last report. */
function latestCycle(activity: ExpiryActivity, snapshot: ExpirySnapshot | null): CycleInDb | null {
  const fromEvents = activity.cycles[activity.cycles.length - 1] ?? null;
  if (fromEvents) return fromEvents;
  const last = snapshot?.cycle.last;
  const d = last?.dbs.find((x) => x.db === snapshot!.db);
  if (!last || !d || !snapshot) return null;
  return {
    at: snapshot.now, type: last.type, db: d,
    cycle: {
      kind: 'expire-cycle', at: snapshot.now, type: last.type, dbs: last.dbs, dbsVisited: last.dbsVisited, sampled: last.sampled,
      expired: last.expired, elapsedUs: last.elapsedUs, timelimitUs: last.timelimitUs, timelimitExit: last.timelimitExit,
      keysPerLoop: snapshot.cycle.keysPerLoop, acceptableStale: snapshot.cycle.acceptableStale,
    },
  };
}

export function ExpiryPanel({ engine }: { engine: PanelEngine }) {
  const { t, i18n } = useTranslation();
  const [db, setDb] = useState(() => usePanels.getState().focus?.db ?? 0);
  const [windowChoice, setWindowChoice] = useState<number | 'auto'>('auto');
  const reducedMotion = useReducedMotion();
  const query = useMemo(() => ({ kind: 'expiry' as const, db, limit: EXPIRY_LIMIT }), [db]);
  const { result: snapshot, error } = useSnapshot(engine, query, `expiry:${db}`, relevant);

  // The events' story, per database; a resync (new world) starts it afresh.
  const [activity, setActivity] = useState<ExpiryActivity>(() => emptyActivity(db));
  useEffect(() => {
    setActivity(emptyActivity(db));
    return engine.onEvents((batch) => {
      setActivity((prev) => reduceActivity(batch.resync ? emptyActivity(db) : prev, batch.events, performance.now()));
    });
  }, [engine, db]);

  // The virtual clock between snapshots: the snapshot's time plus the wall time since it came, at
  // the world's speed (standing still while paused).
  const time = useTime((s) => s.status);
  const rate = time ? (time.playing ? time.speed : 0) : 1;
  // Anchored at each snapshot, and again whenever the rate changes (so pausing stops the clock where it is).
  const anchor = useRef({ snapshot: null as ExpirySnapshot | null, virtual: 0, wall: 0, rate: 1 });
  const animating = ((snapshot?.volatile ?? 0) > 0 && rate > 0) || activity.ghosts.length > 0;
  const wallNow = useWallClock(animating, reducedMotion ? 1000 : 100);
  const a = anchor.current;
  if (snapshot && a.snapshot !== snapshot) {
    anchor.current = { snapshot, virtual: snapshot.now, wall: performance.now(), rate };
  } else if (a.rate !== rate) {
    const wall = performance.now();
    anchor.current = { ...a, virtual: a.virtual + Math.max(0, wall - a.wall) * a.rate, wall, rate };
  }
  const now = snapshot ? anchor.current.virtual + Math.max(0, wallNow - anchor.current.wall) * rate : 0;

  const units = t('expiry.units', { returnObjects: true }) as TimeUnitsMs;
  const numbers = useMemo(() => new Intl.NumberFormat(i18n.language), [i18n.language]);
  const ids = { db: useId(), window: useId(), heading: useId() };
  const [axisRef, axisWidth] = useWidth<HTMLDivElement>();

  const latest = latestCycle(activity, snapshot);
  const sampled = useMemo(() => new Set(latest?.db.sampledKeys ?? []), [latest]);
  const ghosts = liveGhosts(activity.ghosts, wallNow);
  const deadlines = snapshot?.deadlines ?? [];
  const autoMs = autoWindow(deadlines.map((k) => k.expireAt - now));
  const windowMs = windowChoice === 'auto' ? autoMs : windowChoice;
  const dbs = snapshot?.dbs ?? Array.from({ length: DEFAULT_DATABASES }, (_, i) => ({ db: i, keys: 0, volatile: 0 }));
  const lastEvict = activity.evictions[activity.evictions.length - 1] ?? null;
  const n = (x: number) => numbers.format(x);
  // Keys past their deadline now (the snapshot counted them when it was read; time moved on). The
  // soonest come first, so this is exact unless every key shown is overdue.
  let overdue = 0;
  while (overdue < deadlines.length && deadlines[overdue].expireAt < Math.floor(now)) overdue++;
  if (snapshot && snapshot.overdue > overdue) overdue = snapshot.overdue;

  return (
    <section className="expiry-panel" aria-labelledby={ids.heading} data-testid="expiry-panel" data-db={db}>
      <div className="ex-bar">
        <h3 id={ids.heading}>{t('expiry.title')}</h3>
        <label htmlFor={ids.db}>{t('expiry.db')}</label>
        <select id={ids.db} value={db} onChange={(e) => setDb(Number(e.target.value))} data-testid="expiry-db">
          {dbs.map((d) => <option key={d.db} value={d.db}>{t('expiry.dbOption', { db: d.db, volatile: n(d.volatile), keys: n(d.keys) })}</option>)}
        </select>
      </div>
      {!snapshot ? (
        error
          ? <p className="ex-note ex-error" role="alert">{t('expiry.error', { message: error })}</p>
          : <p className="ex-note">{t('expiry.loading')}</p>
      ) : (
        <>
          {error && <p className="ex-note ex-error" role="alert">{t('expiry.error', { message: error })}</p>}
          <p className="ex-counts" data-testid="expiry-counts" data-keys={snapshot.keys} data-volatile={snapshot.volatile} data-overdue={overdue}>
            {t('expiry.counts', { volatile: n(snapshot.volatile), keys: n(snapshot.keys) })}
            {overdue > 0 && <> · <span className="ex-warning">{t('expiry.overdue', { count: overdue })}</span></>}
          </p>
          <dl className="ex-stats" data-testid="expiry-stats" data-expired={snapshot.stats.expiredKeys} data-evicted={snapshot.stats.evictedKeys}>
            <dt>{t('expiry.stats.expiredKeys')}</dt><dd>{n(snapshot.stats.expiredKeys)}</dd>
            <dt>{t('expiry.stats.evictedKeys')}</dt><dd>{n(snapshot.stats.evictedKeys)}</dd>
            <dt>{t('expiry.stats.stalePerc')}</dt><dd>{snapshot.stats.expiredStalePerc}</dd>
            <dt>{t('expiry.stats.timeCap')}</dt><dd>{n(snapshot.stats.expiredTimeCapReachedCount)}</dd>
          </dl>

          <section className="ex-section" aria-label={t('expiry.axis.heading')}>
            <div className="ex-section-bar">
              <h4>{t('expiry.axis.heading')}</h4>
              <label htmlFor={ids.window}>{t('expiry.axis.window')}</label>
              <select id={ids.window} value={String(windowChoice)}
                onChange={(e) => setWindowChoice(e.target.value === 'auto' ? 'auto' : Number(e.target.value))}>
                <option value="auto">{t('expiry.axis.auto', { window: formatMs(autoMs, units) })}</option>
                {WINDOWS_MS.map((w) => <option key={w} value={w}>{formatMs(w, units)}</option>)}
              </select>
            </div>
            {snapshot.volatile === 0 && ghosts.length === 0 ? (
              <p className="ex-note" data-testid="expiry-empty">{t('expiry.axis.empty', { db })}</p>
            ) : (
              <>
                <div className="ex-axis-wrap" ref={axisRef}>
                  {axisWidth > 0 && (
                    <Timeline width={axisWidth} keys={deadlines} now={now} windowMs={windowMs} sampled={sampled}
                      ghosts={ghosts} wallNow={wallNow} units={units} />
                  )}
                </div>
                <ul className="ex-legend">
                  <li><span className="ex-swatch ex-mark-sampled" />{t('expiry.axis.legendSampled')}</li>
                  <li><span className="ex-swatch ex-ghost-lazy" />{t('expiry.axis.legendLazy')}</li>
                  <li><span className="ex-swatch ex-ghost-cycle" />{t('expiry.axis.legendCycle')}</li>
                  <li><span className="ex-swatch ex-ghost-evicted" />{t('expiry.axis.legendEvicted')}</li>
                </ul>
                {snapshot.volatile > deadlines.length && (
                  <p className="ex-note">{t('expiry.axis.shown', { shown: n(deadlines.length), total: n(snapshot.volatile) })}</p>
                )}
                {deadlines.length > 0 && (
                  <div className="ex-scroll" tabIndex={0} role="region" aria-label={t('expiry.keys.caption')}>
                    <table className="ex-table" data-testid="expiry-keys">
                      <caption>{t('expiry.keys.caption')}</caption>
                      <thead><tr><th scope="col">{t('expiry.keys.key')}</th><th scope="col" className="ex-num">{t('expiry.keys.ttl')}</th></tr></thead>
                      <tbody>
                        {deadlines.slice(0, LIST_ROWS).map((k) => {
                          const ttl = k.expireAt - now;
                          return (
                            <tr key={k.key} data-key={displayKey(k.key)} data-pttl={k.ttl}
                              className={ttl < 0 ? 'ex-row-overdue' : sampled.has(k.key) ? 'ex-row-sampled' : undefined}>
                              <th scope="row" className="ex-key">{displayKey(k.key)}</th>
                              <td className="ex-num ex-ttl">
                                {ttl < 0 ? t('expiry.keys.overdueBy', { late: formatMs(-ttl, units) }) : formatMs(ttl, units)}
                                {sampled.has(k.key) && <span className="ex-tag"> {t('expiry.keys.sampled')}</span>}
                              </td>
                            </tr>
                          );
                        })}
                      </tbody>
                    </table>
                  </div>
                )}
              </>
            )}
          </section>

          <div className="ex-columns">
            <section className="ex-section" aria-label={t('expiry.lazy.heading')}>
              <h4>{t('expiry.lazy.heading')} <code className="ex-fn">expireIfNeeded</code></h4>
              <StepList fn="expireIfNeeded" play={activity.plays.expireIfNeeded} reducedMotion={reducedMotion} />
              {activity.lazy.length === 0 ? (
                <p className="ex-note">{t('expiry.lazy.none')}</p>
              ) : (
                <ul className="ex-lazy" data-testid="expiry-lazy">
                  {[...activity.lazy].reverse().map((e, i) => (
                    <li key={`${e.key}\0${e.at}\0${i}`} data-key={displayKey(e.key)} data-command={e.command ?? ''}>
                      <code>{displayKey(e.key)}</code>{' — '}
                      {t('expiry.lazy.row', { command: e.command ? e.command.toUpperCase() : t('expiry.lazy.outside'), late: formatMs(e.at - e.expireAt, units) })}
                    </li>
                  ))}
                </ul>
              )}
            </section>
            <section className="ex-section" aria-label={t('expiry.cycle.heading')}>
              <h4>{t('expiry.cycle.heading')} <code className="ex-fn">activeExpireCycle</code></h4>
              <StepList fn="activeExpireCycle" play={activity.plays.activeExpireCycle} reducedMotion={reducedMotion} />
              <CycleView db={db} state={snapshot.cycle} latest={latest} recent={activity.cycles} />
            </section>
          </div>

          <section className="ex-section" aria-label={t('expiry.evict.heading')}>
            <h4>{t('expiry.evict.heading')} <code className="ex-fn">performEvictions</code> · <code className="ex-fn">evictionPoolPopulate</code></h4>
            {snapshot.eviction.maxmemory > 0 && <StepList fn="performEvictions" play={activity.plays.performEvictions} reducedMotion={reducedMotion} />}
            <EvictionView ev={snapshot.eviction} latest={lastEvict} now={now} units={units} />
          </section>
        </>
      )}
    </section>
  );
}
