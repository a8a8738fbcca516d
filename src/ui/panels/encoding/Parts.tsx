// The encoding panel's text parts: the conversion just seen, the limits from the live CONFIG with
// a gauge each, and the step list (Redis's function names with our words), highlighted in turn.
import { useEffect, useState } from 'react';
import type { EncodingThreshold } from '../../../engine/trace/encoding.ts';
import type { EncodingTraceEvent } from '../../../engine/trace/events.ts';
import { useTranslation } from '../../i18n/index.ts';
import { prefersReducedMotion } from '../hooks.ts';
import { fillFraction, shortValue, STEPS, type StepGroup } from './model.ts';

export function ConversionBanner({ event, seq }: { event: EncodingTraceEvent; seq: number }) {
  const { t } = useTranslation();
  const reason = t(`encoding.conversion.reasons.${event.reason}`, {
    actual: event.actual, config: event.config, limit: event.limit, from: event.from, to: event.to,
    element: event.element === null ? '' : shortValue(event.element, 24),
  });
  return (
    <p key={seq} className="enc-conversion" role="status" data-testid="encoding-conversion" data-fn={event.fn}
      data-from={event.from} data-to={event.to} data-reason={event.reason}>
      <strong>{t('encoding.conversion.title')}</strong>{' '}
      <code>{t('encoding.conversion.convert', { fn: event.fn, from: event.from, to: event.to })}</code>{' '}
      <span>{reason}</span>
    </p>
  );
}

export function Thresholds({ items, oneWay, numbers }: { items: EncodingThreshold[]; oneWay: boolean; numbers: Intl.NumberFormat }) {
  const { t } = useTranslation();
  if (items.length === 0) return null;
  const f = (n: number) => numbers.format(n);
  return (
    <section className="enc-thresholds" data-testid="encoding-thresholds">
      <h4>{t('encoding.thresholds.title')}</h4>
      <p className="enc-legend">{t('encoding.thresholds.caption')}</p>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('encoding.thresholds.name')}</th>
            <th scope="col" className="enc-num">{t('encoding.thresholds.current')}</th>
            <th scope="col" className="enc-num">{t('encoding.thresholds.limit')}</th>
            <th scope="col"><span className="visually-hidden">{t('encoding.thresholds.passed')}</span></th>
          </tr>
        </thead>
        <tbody>
          {items.map((th) => {
            const fraction = fillFraction(th.current, th.limit);
            const to = th.to ? t('encoding.thresholds.to', { to: th.to })
              : th.id === 'compress' ? t('encoding.thresholds.toCompress') : t('encoding.thresholds.toNode');
            return (
              <tr key={`${th.id}-${th.config ?? th.constant}`} data-threshold={th.id} data-limit={th.limit}
                data-current={th.current ?? ''} data-passed={th.passed} className={th.passed ? 'enc-passed' : undefined}>
                <th scope="row">
                  {t(`encoding.thresholds.names.${th.id}`)}
                  <code className="enc-config">{th.config ?? th.constant}</code>
                </th>
                <td className="enc-num">{th.current === null ? <span title={t('encoding.thresholds.notMeasured')}>—</span> : f(th.current)}</td>
                <td className="enc-num">{f(th.limit)}</td>
                <td>
                  <span className="enc-gauge" aria-hidden="true"><span style={{ width: `${fraction * 100}%` }} /></span>
                  <span className={th.passed ? 'enc-state enc-state-passed' : 'enc-state'}>
                    {th.passed ? t('encoding.thresholds.passed') : t('encoding.thresholds.notPassed')}
                  </span>
                  {' '}<span className="enc-muted">{to}</span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {oneWay && <p className="enc-note">{t('encoding.thresholds.oneWay')}</p>}
    </section>
  );
}

/** Steps per second of the highlight's walk (instant with prefers-reduced-motion). */
const STEP_MS = 450;

/**
 * The step list of a group; `taken` (in order) is walked one step at a time when `seq` changes,
 * and its last step stays highlighted.
 */
export function StepList({ group, taken, seq }: { group: StepGroup; taken: string[]; seq: number }) {
  const { t } = useTranslation();
  const [shown, setShown] = useState(0);
  useEffect(() => {
    if (taken.length === 0) { setShown(0); return; }
    if (prefersReducedMotion()) { setShown(taken.length); return; }
    setShown(1);
    let n = 1;
    const id = setInterval(() => {
      n++;
      setShown(n);
      if (n >= taken.length) clearInterval(id);
    }, STEP_MS);
    return () => clearInterval(id);
  }, [seq, taken]);
  const walked = taken.slice(0, shown);
  const current = walked.at(-1);
  return (
    <section className="enc-steps">
      <h4>{t('encoding.stepsTitle')}</h4>
      <ol data-testid="encoding-steps" data-taken={taken.join(' ')}>
        {STEPS[group].map((s) => {
          const state = s.id === current ? 'current' : walked.includes(s.id) ? 'done' : taken.includes(s.id) ? 'next' : 'idle';
          return (
            <li key={s.id} data-step={s.id} data-state={state} className={`enc-step enc-step-${state}`}
              aria-current={state === 'current' ? 'step' : undefined}>
              <code>{s.fn}</code> <span>{t(`encoding.steps.${group}.${s.id}`)}</span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
