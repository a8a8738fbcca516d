// maxmemory eviction: a gauge of used_memory against maxmemory, the policy, the eviction pool's 16
// slots as the engine holds them now, and the last pick: the candidates sampled, the pool it was
// taken from (victim marked, ghosts skipped), and why that key (idle time, LFU counter, TTL).
import { useTranslation } from '../../i18n/index.ts';
import { displayKey } from '../../state/keyspace.ts';
import type { EvictionCandidate } from '../../../engine/server/evict.ts';
import type { EvictionSnapshot } from '../../../engine/trace/expiry.ts';
import type { EvictTraceEvent } from '../../../engine/trace/events.ts';
import { formatBytes, formatMs, memoryShare, victimReason } from './model.ts';
import type { TimeUnitsMs } from './Timeline.tsx';

/** Candidates listed at most (maxmemory-samples x databases can be large). */
const SAMPLES_LISTED = 24;

/** The last eviction, from an event or from the engine's recorded evictions. */
interface PickView {
  policy: string;
  victim: EvictionCandidate;
  sampled: EvictionCandidate[];
  sampledCount: number;
  pool: EvictionCandidate[];
  ghosts: EvictionCandidate[];
  bytesFreed: number;
  usedBefore?: number;
  usedAfter?: number;
}

function pickView(ev: EvictionSnapshot, latest: EvictTraceEvent | null): PickView | null {
  if (latest) {
    return {
      policy: latest.policy, victim: latest.victim, sampled: latest.sampled, sampledCount: latest.sampledCount,
      pool: latest.pool, ghosts: latest.ghosts, bytesFreed: latest.usedBefore - latest.usedAfter,
      usedBefore: latest.usedBefore, usedAfter: latest.usedAfter,
    };
  }
  const r = ev.recent[ev.recent.length - 1];
  if (!r) return null;
  return {
    policy: ev.lastRun?.policy ?? ev.policy, victim: r.victim, sampled: r.sampled, sampledCount: r.sampled.length,
    pool: r.pool, ghosts: r.ghosts, bytesFreed: r.bytesFreed,
  };
}

function useScoreText(now: number, units: TimeUnitsMs) {
  const { t } = useTranslation();
  return (policy: string, c: EvictionCandidate, long: boolean): string => {
    const why = victimReason(policy, c);
    const base = long ? 'expiry.evict.why' : 'expiry.evict.score';
    switch (why.kind) {
      case 'idle': return t(`${base}.idle`, { idle: formatMs(why.idleMs, units) });
      case 'lfu': return t(`${base}.lfu`, { counter: why.counter });
      case 'ttl': return t(`${base}.ttl`, { ttl: formatMs(why.expireAt - now, units) });
      case 'random': return t(`${base}.random`, { policy });
    }
  };
}

function Slot({ c, text, victim, ghost, index }: { c: EvictionCandidate | null; text: string; victim?: boolean; ghost?: boolean; index: number }) {
  const { t } = useTranslation();
  const cls = ['ex-slot', c ? '' : 'ex-slot-empty', victim ? 'ex-slot-victim' : '', ghost ? 'ex-slot-ghost' : ''].filter(Boolean).join(' ');
  return (
    <li className={cls} data-slot={index} data-key={c ? displayKey(c.key) : undefined} data-score={c?.score}>
      {c ? (
        <>
          <code className="ex-slot-key">{c.db !== 0 ? `${c.db}:` : ''}{displayKey(c.key)}</code>
          <span className="ex-slot-score">{text}</span>
        </>
      ) : <span className="ex-slot-score">{t('expiry.evict.poolEmpty')}</span>}
    </li>
  );
}

interface Props {
  ev: EvictionSnapshot;
  latest: EvictTraceEvent | null;
  now: number;
  units: TimeUnitsMs;
}

export function EvictionView({ ev, latest, now, units }: Props) {
  const { t } = useTranslation();
  const scoreText = useScoreText(now, units);
  if (ev.maxmemory === 0) {
    return <p className="ex-note" data-testid="evict-off" data-maxmemory="0">{t('expiry.evict.off')}</p>;
  }
  const share = memoryShare(ev.usedMemory, ev.maxmemory) ?? 0;
  const over = ev.usedMemory > ev.maxmemory;
  const pick = pickView(ev, latest);
  const poolPolicy = ev.policy;
  // The pool as it was at the pick, padded to 16 slots on the left (entries sit at the right end).
  const atPick = pick && pick.pool.length > 0 ? pick.pool : null;
  return (
    <div className="ex-evict" data-testid="expiry-eviction" data-policy={ev.policy} data-maxmemory={ev.maxmemory}>
      <div className="ex-gauge" data-testid="evict-gauge" data-used={ev.usedMemory} data-max={ev.maxmemory} data-over={over}>
        <div className="ex-gauge-track" role="meter" aria-valuemin={0} aria-valuemax={ev.maxmemory} aria-valuenow={ev.usedMemory}
          aria-label={t('expiry.evict.gauge', { used: formatBytes(ev.usedMemory), max: formatBytes(ev.maxmemory) })}>
          <div className={over ? 'ex-gauge-fill ex-gauge-over' : 'ex-gauge-fill'} style={{ width: `${Math.min(100, share * 100)}%` }} />
        </div>
        <p className="ex-gauge-text">
          {t('expiry.evict.gauge', { used: formatBytes(ev.usedMemory), max: formatBytes(ev.maxmemory) })}
          {over && <strong className="ex-warning"> — {t('expiry.evict.over')}</strong>}
        </p>
      </div>
      <p className="ex-note">{t('expiry.evict.policy', { policy: ev.policy, samples: ev.samples })}</p>
      {ev.policy === 'noeviction' && <p className="ex-warning">{t('expiry.evict.noeviction')}</p>}
      {ev.lastRun && (
        <p className="ex-note" data-testid="evict-last-run" data-evicted={ev.lastRun.keysEvicted} data-stop={ev.lastRun.stop}>
          {t('expiry.evict.lastRun', { keys: ev.lastRun.keysEvicted, freed: formatBytes(ev.lastRun.freed), stop: t(`expiry.evict.stop.${ev.lastRun.stop}`) })}
        </p>
      )}
      {!poolPolicy.endsWith('-random') && poolPolicy !== 'noeviction' && (
        <>
          <h5>{t('expiry.evict.pool')} — {t('expiry.evict.poolNow')}</h5>
          <ol className="ex-pool" data-testid="evict-pool" data-filled={ev.pool.filter((e) => e !== null).length}>
            {ev.pool.map((c, i) => <Slot key={i} index={i} c={c} text={c ? scoreText(poolPolicy, c, false) : ''} />)}
          </ol>
        </>
      )}
      {pick === null ? (
        <p className="ex-note">{t('expiry.evict.noPick')}</p>
      ) : (
        <div className="ex-pick">
          {pick.sampled.length > 0 && (
            <>
              <h5>{t('expiry.evict.sampled')}</h5>
              <ul className="ex-samples" data-testid="evict-samples" data-count={pick.sampledCount}>
                {pick.sampled.slice(0, SAMPLES_LISTED).map((c, i) => (
                  <li key={i} data-key={displayKey(c.key)}>
                    <code>{c.db !== 0 ? `${c.db}:` : ''}{displayKey(c.key)}</code> <span className="ex-slot-score">{scoreText(pick.policy, c, false)}</span>
                  </li>
                ))}
                {pick.sampledCount > SAMPLES_LISTED && <li className="ex-more">{t('expiry.cycle.more', { count: pick.sampledCount - SAMPLES_LISTED })}</li>}
              </ul>
            </>
          )}
          {atPick && (
            <>
              <h5>{t('expiry.evict.pool')} — {t('expiry.evict.poolAtPick')}</h5>
              <ol className="ex-pool ex-pool-at-pick" data-testid="evict-pool-at-pick">
                {Array.from({ length: Math.max(0, 16 - atPick.length) }, (_, i) => <Slot key={`e${i}`} index={i} c={null} text="" />)}
                {atPick.map((c, i) => (
                  <Slot key={i} index={16 - atPick.length + i} c={c} text={scoreText(pick.policy, c, false)}
                    victim={c.key === pick.victim.key && c.db === pick.victim.db}
                    ghost={pick.ghosts.some((g) => g.key === c.key && g.db === c.db)} />
                ))}
              </ol>
            </>
          )}
          <p className="ex-victim" data-testid="evict-victim" data-key={displayKey(pick.victim.key)} data-db={pick.victim.db}>
            <span className="ex-keylist-label">{t('expiry.evict.victim')}:</span>{' '}
            <code>{pick.victim.db !== 0 ? `${pick.victim.db}:` : ''}{displayKey(pick.victim.key)}</code>{' — '}
            {scoreText(pick.policy, pick.victim, true)}
          </p>
          {pick.ghosts.length > 0 && (
            <p className="ex-note">{t('expiry.evict.ghosts', { keys: pick.ghosts.map((g) => displayKey(g.key)).join(', ') })}</p>
          )}
          <p className="ex-note">
            {pick.usedBefore !== undefined && pick.usedAfter !== undefined
              ? t('expiry.evict.freed', { bytes: formatBytes(pick.bytesFreed), before: formatBytes(pick.usedBefore), after: formatBytes(pick.usedAfter) })
              : t('expiry.evict.freedOnly', { bytes: formatBytes(pick.bytesFreed) })}
          </p>
        </div>
      )}
    </div>
  );
}
