// The encoding panel: how the focused key's value sits in memory — a listpack's entries with their
// byte sizes, an intset's cells and width, a quicklist's nodes and compression, the SDS behind a
// string — read from the engine's real structures (trace/encoding.ts), with the limits from the
// live CONFIG that decide the next conversion, the conversion itself when the engine reports one
// (trace/conversions.ts), what the last command did to a quicklist's nodes (trace/quicklistTrace.ts:
// created, split, merged, deleted, compressed), and the steps the last command went through.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { EncodingSnapshot } from '../../engine/trace/encoding.ts';
import type { EncodingTraceEvent, TraceEvent } from '../../engine/trace/events.ts';
import { useTranslation } from '../i18n/index.ts';
import { displayKey } from '../state/keyspace.ts';
import { usePanels } from '../state/panels.ts';
import { FocusBar } from './FocusBar.tsx';
import { IntsetDrawing, ListpackDrawing, QuicklistDrawing, StringDrawing, type QuicklistOps } from './encoding/Drawings.tsx';
import { conversionsOf, concernsKey, quicklistEventsOf, stepGroupOf, stepsTaken, type StepGroup } from './encoding/model.ts';
import { ConversionBanner, StepList, Thresholds } from './encoding/Parts.tsx';
import { PANELS } from './registry.ts';
import { useSnapshot, type PanelEngine } from './useSnapshot.ts';

export function EncodingPanel({ engine }: { engine: PanelEngine }) {
  const { t, i18n } = useTranslation();
  const focus = usePanels((s) => s.focus);
  const [node, setNode] = useState(0);
  const focusId = focus ? `${focus.db}\0${focus.key}` : '';
  useEffect(() => { setNode(0); }, [focusId]);
  const query = focus ? { kind: 'encoding' as const, db: focus.db, key: focus.key, node } : null;
  const relevant = useMemo(() => (e: TraceEvent) => focus !== null && concernsKey(e, focus.db, focus.key), [focus]);
  const { result, error, events: given } = useSnapshot(engine, query, JSON.stringify(query), relevant);
  const numbers = useMemo(() => new Intl.NumberFormat(i18n.language), [i18n.language]);

  // The last conversion seen for this key, and the steps of the last command on it.
  const [conversion, setConversion] = useState<{ event: EncodingTraceEvent; seq: number } | null>(null);
  const [taken, setTaken] = useState<Taken>({ group: null, steps: [], seq: 0 });
  // What the last command on a list did to its nodes (empty: nothing at node level).
  const [ops, setOps] = useState<QuicklistOps | null>(null);
  const prev = useRef<EncodingSnapshot | null>(null);
  // The last batch of events, so the first snapshot of a key the terminal just moved the focus to
  // can still show what that command did (the focus moves after the events that named the key).
  const recent = useRef<readonly TraceEvent[]>([]);
  useEffect(() => engine.onEvents((batch) => {
    if (batch.events.length > 0) recent.current = batch.events;
  }), [engine]);
  useEffect(() => { setConversion(null); setTaken({ group: null, steps: [], seq: 0 }); setOps(null); prev.current = null; }, [focusId]);
  useEffect(() => {
    if (!result || !focus || result.db !== focus.db || result.key !== focus.key) return;
    const events = prev.current === null && given.length === 0
      ? recent.current.filter((e) => concernsKey(e, result.db, result.key))
      : given;
    const seen = conversionsOf(events, result.db, result.key);
    if (seen.length > 0) setConversion((c) => ({ event: seen[seen.length - 1], seq: (c?.seq ?? 0) + 1 }));
    const steps = stepsTaken(prev.current, result, events);
    if (steps) setTaken((s) => ({ ...steps, seq: s.seq + 1 }));
    if (result.detail?.form === 'quicklist' && events.some((e) => concernsKey(e, result.db, result.key))) {
      const nodeEvents = quicklistEventsOf(events, result.db, result.key);
      setOps((o) => ({ events: nodeEvents, seq: (o?.seq ?? 0) + 1 }));
    }
    prev.current = result;
    // Only a new snapshot (with the events that led to it) moves these on.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [result]);

  return (
    <section className="encoding-panel" aria-labelledby="encoding-heading" data-testid="encoding-panel"
      data-key={focus ? displayKey(focus.key) : ''} data-type={result?.type ?? ''} data-encoding={result?.encoding ?? ''}>
      <h3 id="encoding-heading" className="visually-hidden">{t('encoding.title')}</h3>
      <FocusBar />
      {!focus
        ? <p className="enc-message">{t('encoding.none')}</p>
        : <EncodingBody snapshot={result && result.key === focus.key && result.db === focus.db ? result : null} error={error}
          conversion={conversion} taken={taken} ops={ops} node={node} onNode={setNode} numbers={numbers} />}
    </section>
  );
}

interface Taken {
  group: StepGroup | null;
  steps: string[];
  seq: number;
}

interface BodyProps {
  snapshot: EncodingSnapshot | null;
  error: string | null;
  conversion: { event: EncodingTraceEvent; seq: number } | null;
  taken: Taken;
  ops: QuicklistOps | null;
  node: number;
  onNode(index: number): void;
  numbers: Intl.NumberFormat;
}

function EncodingBody({ snapshot, error, conversion, taken, ops, node, onNode, numbers }: BodyProps) {
  const { t } = useTranslation();
  const show = usePanels((s) => s.show);
  if (!snapshot) {
    return error
      ? <p className="enc-message enc-error" role="alert">{t('encoding.error', { message: error })}</p>
      : <p className="enc-message">{t('encoding.loading')}</p>;
  }
  const key = displayKey(snapshot.key);
  if (!snapshot.exists || !snapshot.detail) {
    return (
      <>
        {conversion && <ConversionBanner event={conversion.event} seq={conversion.seq} />}
        <p className="enc-message" data-testid="encoding-missing">{t('encoding.missing', { key, db: snapshot.db })}</p>
      </>
    );
  }
  const d = snapshot.detail;
  const group = taken.group ?? stepGroupOf(snapshot);
  const heading = snapshot.type === 'string'
    ? t('encoding.summaryString', { encoding: snapshot.encoding, length: numbers.format(snapshot.length) })
    : t('encoding.summary', { type: snapshot.type, encoding: snapshot.encoding, length: numbers.format(snapshot.length) });
  return (
    <div className="enc-body">
      <p className="enc-heading">
        <code className="enc-key">{key}</code> <span data-testid="encoding-summary">{heading}</span>
      </p>
      {snapshot.ttl !== null && snapshot.ttl <= 0 && <p className="enc-note enc-warn">{t('encoding.expired')}</p>}
      {conversion && <ConversionBanner event={conversion.event} seq={conversion.seq} />}
      {d.form === 'listpack' && <ListpackDrawing lp={d.listpack} type={snapshot.type} stride={d.stride} numbers={numbers} />}
      {d.form === 'intset' && <IntsetDrawing d={d} numbers={numbers} />}
      {d.form === 'quicklist' && (
        <QuicklistDrawing q={d} selected={node} onSelect={onNode} numbers={numbers} liveFill={d.configFill} liveDepth={d.configCompressDepth}
          ops={ops} />
      )}
      {d.form === 'string' && <StringDrawing d={d} numbers={numbers} />}
      {d.form === 'summary' && (
        <div className="enc-summary-form" data-testid="encoding-elsewhere" data-panel={d.panel}>
          <p>{t(`encoding.summaryForm.${d.panel}`, { type: snapshot.type, count: numbers.format(d.count) })}</p>
          {PANELS.some((p) => p.id === d.panel) && (
            <button type="button" onClick={() => show(d.panel)}>
              {t('encoding.summaryForm.open', { panel: t(`encoding.summaryForm.panels.${d.panel}`) })}
            </button>
          )}
        </div>
      )}
      <Thresholds items={snapshot.thresholds} oneWay={snapshot.oneWay} numbers={numbers} />
      {group && <StepList group={group} taken={taken.steps} seq={taken.seq} />}
    </div>
  );
}
