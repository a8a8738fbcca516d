// The dict panel: Redis's hash tables as the engine has them — the keyspace or expires dict of a
// database, or the dict of a hash/set/zset key in hashtable encoding. Both tables as bucket strips
// with their chains, the rehashidx marker moving as operations (_dictRehashStep) and the cron
// (incrementallyRehash) migrate buckets, what decided the last resize, a step list naming Redis's
// functions, the recent steps, and a SCAN walk showing the cursor's reverse-binary order.
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { TFunction } from 'i18next';
import { scanOrder, type DictQuery, type DictSnapshot } from '../../engine/trace/dict.ts';
import { sameDict } from '../../engine/trace/dictTrace.ts';
import { useTranslation } from '../i18n/index.ts';
import { usePanels } from '../state/panels.ts';
import { displayKey } from '../state/keyspace.ts';
import { FocusBar } from './FocusBar.tsx';
import { useSnapshot, type PanelEngine } from './useSnapshot.ts';
import {
  cursorBits, describeEvent, describeResize, dictTarget, isDictEvent, log2, parseScanReply, relevantTo, scanCalls,
  scanCommand, STEP_IDS, stepOf, touchedBuckets, visitedBuckets, windowAround,
  type DictEvent, type DictMode, type Phrase, type ScanStepRecord, type StepId,
} from './dict/model.ts';
import { canRunScan, runInDb } from './dict/scanRunner.ts';
import { useDictPanel } from './dict/state.ts';
import { TableStrip } from './dict/TableStrip.tsx';

/** Buckets per table listed with their chains, and groups in the occupancy bar. */
const WINDOW = 32;
const GROUPS = 128;
/** Lines kept in the recent steps log. */
const LOG_LINES = 8;
/** Tables up to this size show SCAN's whole visiting order. */
const ORDER_SHOWN_UP_TO = 64;

function phrase(t: TFunction, p: Phrase): string {
  const values: Record<string, string | number> = { ...p.values };
  for (const k of ['trigger', 'reason'] as const) if (typeof values[k] === 'string') values[k] = t(values[k] as string);
  return t(p.key, values);
}

export function DictPanel({ engine }: { engine: PanelEngine }) {
  const { t, i18n } = useTranslation();
  const mode = useDictPanel((s) => s.mode);
  const db = useDictPanel((s) => s.db);
  const setMode = useDictPanel((s) => s.setMode);
  const setDb = useDictPanel((s) => s.setDb);
  const focus = usePanels((s) => s.focus);
  const target = dictTarget(mode, db, focus);
  const targetKey = JSON.stringify(target);
  const [windows, setWindows] = useState<[number | null, number | null]>([null, null]);
  const query: DictQuery | null = target ? { kind: 'dict', target, maxBuckets: WINDOW, groups: GROUPS, windowStart: windows } : null;
  const relevant = useMemo(() => relevantTo(target), [targetKey]);
  const { result, error, events } = useSnapshot(engine, query, JSON.stringify(query), relevant);
  // While a new window is read, the last snapshot of the same dict stays on screen.
  const shown = useRef<DictSnapshot | null>(null);
  if (result) shown.current = result;
  const snap = shown.current && JSON.stringify(shown.current.target) === targetKey ? shown.current : null;

  const [log, setLog] = useState<DictEvent[]>([]);
  const [recent, setRecent] = useState<DictEvent[]>([]);
  const [flashSeq, setFlashSeq] = useState(0);
  const [lastResize, setLastResize] = useState<DictEvent | null>(null);
  const [step, setStep] = useState<StepId | null>(null);
  const [scanRecord, setScanRecord] = useState<ScanStepRecord | null>(null);

  useEffect(() => {
    setLog([]);
    setRecent([]);
    setLastResize(null);
    setStep(null);
    setWindows([null, null]);
    setScanRecord(null);
  }, [targetKey]);

  useEffect(() => {
    if (!target) return;
    const mine = events.filter(isDictEvent).filter((e) => sameDict(e.dict, target));
    if (mine.length === 0) return;
    setLog((l) => [...l, ...mine].slice(-LOG_LINES));
    setRecent(mine);
    setFlashSeq((n) => n + 1);
    for (let i = mine.length - 1; i >= 0; i--) {
      if (mine[i].kind === 'dict-resize') { setLastResize(mine[i]); break; }
    }
    setStep(stepOf(mine[mine.length - 1]));
  }, [events]);

  const numbers = useMemo(() => new Intl.NumberFormat(i18n.language), [i18n.language]);
  const ids = { heading: useId(), db: useId() };
  const { moved, received } = useMemo(() => touchedBuckets(recent), [recent]);
  const scanned = useMemo(() => visitedBuckets(scanRecord), [scanRecord]);

  const onScan = (record: ScanStepRecord) => {
    setScanRecord(record);
    setStep('scan');
    // Bring the first bucket each table visited into view.
    if (!snap) return;
    const next: [number | null, number | null] = [...windows];
    for (const table of [0, 1] as const) {
      const tb = snap.tables[table];
      const first = record.calls.flatMap((c) => c.visits).find((v) => v.table === table);
      if (!tb || !first) continue;
      if (first.index < tb.windowStart || first.index >= tb.windowStart + tb.buckets.length) {
        next[table] = windowAround(first.index, tb.size, WINDOW);
      }
    }
    if (next[0] !== windows[0] || next[1] !== windows[1]) setWindows(next);
  };

  return (
    <section className="dict-panel" aria-labelledby={ids.heading} data-testid="dict-panel"
      data-rehashidx={snap?.hashtable ? snap.rehashidx : undefined}
      data-tables={snap ? snap.tables.filter(Boolean).length : undefined}
      data-encoding={snap?.encoding ?? undefined}>
      <div className="dict-bar">
        <h3 id={ids.heading}>{t('dict.title')}</h3>
        <fieldset className="dict-target">
          <legend>{t('dict.target.legend')}</legend>
          {(['keyspace', 'expires', 'key'] as DictMode[]).map((m) => (
            <label key={m}>
              <input type="radio" name="dict-target" value={m} checked={mode === m} onChange={() => setMode(m)} />
              {t(`dict.target.${m}`)}
            </label>
          ))}
        </fieldset>
        {mode !== 'key' && (
          <>
            <label htmlFor={ids.db}>{t('dict.target.db')}</label>
            <select id={ids.db} value={db} onChange={(e) => setDb(Number(e.target.value))}>
              {Array.from({ length: 16 }, (_, i) => <option key={i} value={i}>{`db${i}`}</option>)}
            </select>
          </>
        )}
      </div>
      {mode === 'key' && <FocusBar />}
      <DictBody snap={snap} error={error} noKey={mode === 'key' && !focus} numbers={numbers} recent={recent}
        moved={moved} received={received} flashSeq={flashSeq} scanned={scanned}
        onWindow={(table, start) => setWindows((w) => (table === 0 ? [start, w[1]] : [w[0], start]))} />
      {snap?.hashtable && (
        <div className="dict-side">
          <ResizeBox event={lastResize} />
          <StepList current={step} />
          <StepLog log={log} />
        </div>
      )}
      {snap && <ScanWalker engine={engine} snap={snap} onScan={onScan} record={scanRecord} />}
    </section>
  );
}

interface BodyProps {
  snap: DictSnapshot | null;
  error: string | null;
  noKey: boolean;
  numbers: Intl.NumberFormat;
  recent: readonly DictEvent[];
  moved: ReadonlySet<number>;
  received: ReadonlySet<number>;
  flashSeq: number;
  scanned: [ReadonlyMap<number, number>, ReadonlyMap<number, number>];
  onWindow(table: 0 | 1, start: number | null): void;
}

function DictBody({ snap, error, noKey, numbers, moved, received, flashSeq, scanned, onWindow }: BodyProps) {
  const { t } = useTranslation();
  if (noKey) return <p className="dict-message">{t('dict.noKey')}</p>;
  if (!snap) {
    return error
      ? <p className="dict-message dict-error" role="alert">{t('dict.error', { message: error })}</p>
      : <p className="dict-message">{t('dict.loading')}</p>;
  }
  const f = (x: number) => numbers.format(x);
  const target = snap.target;
  if (!snap.hashtable) {
    const key = target.kind === 'key' ? displayKey(target.key) : '';
    if (snap.type === null) return <p className="dict-message" data-testid="dict-not-dict">{t('dict.missing', { key, db: target.db })}</p>;
    if (snap.type === 'string' || snap.type === 'list') {
      return <p className="dict-message" data-testid="dict-not-dict">{t(`dict.notDict.${snap.type}`, { key })}</p>;
    }
    return (
      <div className="dict-message" data-testid="dict-not-dict">
        <p>{t('dict.notDict.compact', { key, type: snap.type, encoding: snap.encoding })}</p>
        <ul className="dict-thresholds">
          {snap.thresholds.map((th) => <li key={th.name} data-config={th.name} data-value={th.value}>{t('dict.notDict.threshold', { name: th.name, value: th.value })}</li>)}
        </ul>
        {snap.type === 'set' && <p>{t('dict.notDict.setNote')}</p>}
      </div>
    );
  }
  const [t0, t1] = snap.tables;
  const rehashing = snap.rehashidx >= 0;
  return (
    <>
      {error && <p className="dict-message dict-error" role="alert">{t('dict.error', { message: error })}</p>}
      <p className="dict-summary" data-testid="dict-summary">
        <span>{t('dict.summary.entries', { count: snap.length, countText: f(snap.length) })}</span>
        <span className={rehashing ? 'dict-rehashing' : undefined}>
          {rehashing ? t('dict.summary.rehashing', { rehashidx: f(snap.rehashidx) }) : t('dict.summary.idle')}
        </span>
        {snap.pauserehash > 0 && <span>{t('dict.summary.paused', { n: snap.pauserehash })}</span>}
        <span>{t('dict.summary.loadFactor', { value: snap.loadFactor.toFixed(2) })}</span>
        {snap.needsShrink && <span>{t('dict.summary.shrink', { percent: snap.minFillPercent })}</span>}
        {target.kind !== 'key' && !snap.activeRehashing && <span>{t('dict.summary.cronOff')}</span>}
      </p>
      {target.kind === 'key' && rehashing && <p className="dict-note">{t('dict.summary.keyNoCron')}</p>}
      <div className="dict-tables">
        {t0 && (
          <TableStrip n={0} table={t0} rehashidx={snap.rehashidx} flashed={moved} flashClass="dict-moved" flashSeq={flashSeq}
            scanned={scanned[0]} window={WINDOW} onWindow={(s) => onWindow(0, s)} numbers={numbers} />
        )}
        {t1
          ? <TableStrip n={1} table={t1} rehashidx={-1} flashed={received} flashClass="dict-received" flashSeq={flashSeq}
              scanned={scanned[1]} window={WINDOW} onWindow={(s) => onWindow(1, s)} numbers={numbers} />
          : <div className="dict-table dict-absent" data-testid="dict-ht1-absent"><h4>{t('dict.table.name', { n: 1 })}</h4><p>{t('dict.table.absent')}</p></div>}
      </div>
    </>
  );
}

function ResizeBox({ event }: { event: DictEvent | null }) {
  const { t } = useTranslation();
  return (
    <div className="dict-resize" data-testid="dict-resize" data-reason={event?.kind === 'dict-resize' ? event.reason : undefined}>
      <h4>{t('dict.resize.heading')}</h4>
      {event?.kind === 'dict-resize'
        ? describeResize(event).map((p, i) => <p key={i}>{phrase(t, p)}</p>)
        : <p>{t('dict.resize.none')}</p>}
    </div>
  );
}

function StepList({ current }: { current: StepId | null }) {
  const { t } = useTranslation();
  return (
    <div className="dict-steps">
      <h4>{t('dict.steps.heading')}</h4>
      <ol>
        {STEP_IDS.map((id) => (
          <li key={id} className={id === current ? 'dict-step-current' : undefined} aria-current={id === current ? 'step' : undefined} data-step={id}>
            <code>{t(`dict.steps.${id}.fn`)}</code> {t(`dict.steps.${id}.text`)}
          </li>
        ))}
      </ol>
    </div>
  );
}

function StepLog({ log }: { log: readonly DictEvent[] }) {
  const { t } = useTranslation();
  return (
    <div className="dict-log" data-testid="dict-log">
      <h4>{t('dict.log.heading')}</h4>
      {log.length === 0
        ? <p>{t('dict.log.empty')}</p>
        : (
          <ol aria-live="polite">
            {log.map((e, i) => (
              <li key={i} data-kind={e.kind}>{describeEvent(e).map((p) => phrase(t, p)).join(' ')}</li>
            ))}
          </ol>
        )}
    </div>
  );
}

interface WalkerProps {
  engine: PanelEngine;
  snap: DictSnapshot;
  record: ScanStepRecord | null;
  onScan(record: ScanStepRecord): void;
}

function ScanWalker({ engine, snap, record, onScan }: WalkerProps) {
  const { t } = useTranslation();
  const ids = { cursor: useId(), count: useId() };
  const [cursor, setCursor] = useState('0');
  const [count, setCount] = useState(1);
  const [returned, setReturned] = useState(0);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [finished, setFinished] = useState(false);
  const targetKey = JSON.stringify(snap.target);
  useEffect(() => {
    setCursor('0');
    setReturned(0);
    setFinished(false);
    setFailure(null);
  }, [targetKey]);

  const target = snap.target;
  if (target.kind === 'expires') return <div className="dict-scan"><h4>{t('dict.scan.heading')}</h4><p>{t('dict.scan.noExpires')}</p></div>;
  if (!snap.hashtable) {
    if (snap.type === 'hash' || snap.type === 'set' || snap.type === 'zset') {
      return <div className="dict-scan"><h4>{t('dict.scan.heading')}</h4><p>{t('dict.scan.noDict')}</p></div>;
    }
    return null;
  }
  if (!canRunScan(engine)) return <div className="dict-scan"><h4>{t('dict.scan.heading')}</h4><p>{t('dict.scan.unavailable')}</p></div>;
  const argv = scanCommand(target, snap.type, cursor, count);
  const command = argv ? argv.map((a) => displayKey(a)).join(' ') : '';
  const sizes = snap.tables.filter((x) => x !== null).map((x) => x!.size);
  const bits = sizes.length > 0 ? log2(Math.min(...sizes)) : 0;
  const width: 1 | 2 = snap.type === 'hash' || snap.type === 'zset' ? 2 : 1;
  const order = !snap.tables[1] && snap.tables[0] && snap.tables[0].size <= ORDER_SHOWN_UP_TO ? scanOrder(snap.tables[0].size) : null;

  const run = async () => {
    if (!argv) return;
    setBusy(true);
    setFailure(null);
    try {
      const reply = await runInDb(engine, target.db, argv);
      const { next, count: got } = parseScanReply(reply, width);
      const from = finished ? '0' : cursor;
      onScan({ from, next, count: got, calls: scanCalls(snap, from, next) });
      setReturned((n) => (finished ? got : n + got));
      setFinished(next === '0');
      setCursor(next);
    } catch (e) {
      setFailure(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const visits = record?.calls.flatMap((c) => c.visits.map((v) => `ht[${v.table}] ${v.index}`)) ?? [];
  return (
    <div className="dict-scan" data-testid="dict-scan">
      <h4>{t('dict.scan.heading')}</h4>
      <form onSubmit={(e) => { e.preventDefault(); void run(); }}>
        <label htmlFor={ids.cursor}>{t('dict.scan.cursor')}</label>
        <input id={ids.cursor} data-testid="dict-scan-cursor" data-cursor={cursor} value={cursor} inputMode="numeric"
          onChange={(e) => { setCursor(e.target.value.replace(/[^0-9]/g, '') || '0'); setFinished(false); }} size={10} />
        <label htmlFor={ids.count}>{t('dict.scan.count')}</label>
        <input id={ids.count} type="number" min={1} max={1000} value={count}
          onChange={(e) => setCount(Math.max(1, Math.min(1000, Number(e.target.value) || 1)))} />
        <button type="submit" disabled={busy || !argv} data-testid="dict-scan-run">{t('dict.scan.run', { command })}</button>
        <button type="button" onClick={() => { setCursor('0'); setReturned(0); setFinished(false); }}>{t('dict.scan.reset')}</button>
      </form>
      <p className="dict-scan-bits">{t('dict.scan.binary', { cursor, bits: cursorBits(Number(cursor), bits), bitsCount: bits })}</p>
      {record && (
        <p data-testid="dict-scan-result" data-visits={visits.length}>
          {t('dict.scan.result', {
            command: `${argv?.[0] ?? 'SCAN'} ${record.from}`, next: record.next, count: record.count,
            buckets: visits.slice(0, 12).join(', ') + (visits.length > 12 ? ', …' : ''),
          })}
        </p>
      )}
      {finished && <p data-testid="dict-scan-done">{t('dict.scan.done', { count: returned })}</p>}
      {failure && <p className="dict-error" role="alert">{t('dict.scan.error', { message: failure })}</p>}
      {order && (
        <p className="dict-scan-order-line">
          {t('dict.scan.order')}: {order.map((i) => <span key={i} className={scannedIndex(record, i) ? 'dict-scan-hit' : undefined}>{i} </span>)}
        </p>
      )}
    </div>
  );
}

function scannedIndex(record: ScanStepRecord | null, index: number): boolean {
  return record?.calls.some((c) => c.visits.some((v) => v.table === 0 && v.index === index)) ?? false;
}
