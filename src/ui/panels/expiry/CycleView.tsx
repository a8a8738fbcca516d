// The active expire cycle in the shown database: the latest cycle's rounds (sampled vs expired, with
// the acceptable-stale line that decides whether it samples again), why it stopped, the keys it
// looked at and deleted; a strip of recent cycles; the cycle's parameters from the live config.
import { useTranslation } from '../../i18n/index.ts';
import { displayKey } from '../../state/keyspace.ts';
import type { ExpiryCycleState } from '../../../engine/trace/expiry.ts';
import type { ExpireCycleDbTrace } from '../../../engine/trace/events.ts';
import type { CycleInDb } from './model.ts';

/** Keys listed by name at most under the cycle (the event carries up to 64). */
const KEYS_LISTED = 24;

interface Props {
  db: number;
  state: ExpiryCycleState;
  /** The latest cycle that visited this db with volatile keys (from events, else the engine's last report). */
  latest: CycleInDb | null;
  recent: readonly CycleInDb[];
}

function KeyList({ keys, total, label, className }: { keys: readonly string[]; total: number; label: string; className: string }) {
  const { t } = useTranslation();
  const shown = keys.slice(0, KEYS_LISTED);
  return (
    <p className={`ex-keylist ${className}`}>
      <span className="ex-keylist-label">{label}:</span>{' '}
      {/* A round can meet a key twice (the walk wraps while the table rehashes): keyed by position. */}
      {shown.map((k, i) => <code key={i}>{displayKey(k)}</code>)}
      {total > shown.length && <span className="ex-more"> {t('expiry.cycle.more', { count: total - shown.length })}</span>}
    </p>
  );
}

function Rounds({ d, stale }: { d: ExpireCycleDbTrace; stale: number }) {
  const { t } = useTranslation();
  const max = Math.max(1, ...d.rounds.map((r) => r.sampled));
  const omitted = d.roundCount - d.rounds.length;
  const rows = d.rounds.map((r, i) => {
    // With rounds left out, the last one listed is the cycle's last.
    const n = omitted > 0 && i === d.rounds.length - 1 ? d.roundCount : i + 1;
    const perc = r.sampled ? Math.floor((r.expired * 100) / r.sampled) : 0;
    const over = perc > stale;
    return (
      <li key={i} className={over ? 'ex-round ex-round-over' : 'ex-round'} data-sampled={r.sampled} data-expired={r.expired}>
        {omitted > 0 && i === d.rounds.length - 1 && <span className="ex-omitted">{t('expiry.cycle.roundsOmitted', { count: omitted })}</span>}
        <span className="ex-round-bar" style={{ width: `${(r.sampled / max) * 100}%` }} aria-hidden="true">
          <span className="ex-round-expired" style={{ width: `${r.sampled ? (r.expired / r.sampled) * 100 : 0}%` }} />
          <span className="ex-round-threshold" style={{ left: `${stale}%` }} />
        </span>
        <span className="ex-round-text">{t('expiry.cycle.round', { n, expired: r.expired, sampled: r.sampled, perc })}</span>
      </li>
    );
  });
  return <ol className="ex-rounds" tabIndex={0} aria-label={t('expiry.cycle.threshold', { stale })}>{rows}</ol>;
}

export function CycleView({ db, state, latest, recent }: Props) {
  const { t } = useTranslation();
  const stale = latest?.cycle.acceptableStale ?? state.acceptableStale;
  const params = t('expiry.cycle.params', {
    keys: state.keysPerLoop, stale: state.acceptableStale, hz: state.hz, slow: state.slowBudgetUs, fast: state.fastBudgetUs,
  });
  return (
    <div className="ex-cycle" data-testid="expiry-cycle" data-enabled={state.enabled}
      data-type={latest?.type} data-sampled={latest?.db.sampled} data-expired={latest?.db.expired}
      data-rounds={latest?.db.roundCount} data-repeated={latest ? String(latest.db.repeated) : undefined} data-stop={latest?.db.stop}>
      <p className="ex-note">{params}</p>
      {!state.enabled && <p className="ex-warning" data-testid="expiry-cycle-off">{t('expiry.cycle.disabled')}</p>}
      {latest === null ? (
        <p className="ex-note">{t('expiry.cycle.none', { db })}</p>
      ) : (
        <>
          <p className="ex-summary">
            {t('expiry.cycle.summary', {
              type: t(latest.type === 'slow' ? 'expiry.cycle.slow' : 'expiry.cycle.fast'), sampled: latest.db.sampled,
              expired: latest.db.expired, db, rounds: latest.db.roundCount,
            })}
            {' · '}
            {t('expiry.cycle.budget', { used: latest.cycle.elapsedUs, budget: latest.cycle.timelimitUs })}
          </p>
          {latest.db.rounds.length > 0 && <Rounds d={latest.db} stale={stale} />}
          <p className={latest.db.repeated ? 'ex-verdict ex-verdict-repeat' : 'ex-verdict'}>
            {latest.db.roundCount > 0 && t(latest.db.repeated ? 'expiry.cycle.repeated' : 'expiry.cycle.notRepeated', { db, stale })}
            {' '}
            {t(`expiry.cycle.stop.${latest.db.stop}`)}
          </p>
          {latest.db.sampledKeys.length > 0 && (
            <KeyList keys={latest.db.sampledKeys} total={latest.db.sampled} label={t('expiry.cycle.sampledKeys')} className="ex-keys-sampled" />
          )}
          {latest.db.expiredKeys.length > 0 && (
            <KeyList keys={latest.db.expiredKeys} total={latest.db.expired} label={t('expiry.cycle.expiredKeys')} className="ex-keys-expired" />
          )}
        </>
      )}
      {recent.length > 1 && (
        <div className="ex-strip" role="img" aria-label={t('expiry.cycle.recent')} data-testid="expiry-cycle-strip">
          <span className="ex-strip-label">{t('expiry.cycle.recent')}</span>
          <span className="ex-strip-bars">
            {recent.map((c, i) => {
              const share = c.db.sampled ? c.db.expired / c.db.sampled : 0;
              return (
                <span key={i} className={`ex-strip-bar ex-strip-${c.type}${c.db.repeated ? ' ex-strip-repeated' : ''}`}
                  style={{ height: `${Math.max(6, share * 100)}%` }}
                  title={t('expiry.cycle.summary', {
                    type: t(c.type === 'slow' ? 'expiry.cycle.slow' : 'expiry.cycle.fast'), sampled: c.db.sampled, expired: c.db.expired,
                    db, rounds: c.db.roundCount,
                  })} />
              );
            })}
          </span>
        </div>
      )}
    </div>
  );
}
