// The keyspace overview: one database's keys with their type, encoding, TTL (counting down on the
// virtual clock), length and MEMORY USAGE, live as any client changes them. A db selector with
// every db's key count, a filter (text or glob), and rows that flash when their key changes.
import { useEffect, useId, useMemo, useSyncExternalStore } from 'react';
import { binaryToUtf8 } from '../../engine/bytes.ts';
import type { KeyInfo, KeyspaceSnapshot } from '../../engine/trace/keyspace.ts';
import { useTranslation } from '../i18n/index.ts';
import { useWallClock } from './hooks.ts';
import {
  displayKey, filterToPattern, formatTtl, KeyspaceWatcher, ttlAt, useKeyspacePanel, virtualNow,
  type KeyspaceEngine, type TimeUnits,
} from '../state/keyspace.ts';

/** Databases listed before the first snapshot says how many there are. */
const DEFAULT_DATABASES = 16;
/** How often TTL countdowns redraw (ms): tenths of a second show under a minute, else seconds. */
const COUNTDOWN_FINE_MS = 100;
const COUNTDOWN_COARSE_MS = 1000;

/** A tooltip for keys that are valid UTF-8 text beyond ASCII: the text they spell. */
function keyTitle(key: string): string | undefined {
  if (!/[\x80-\xff]/.test(key)) return undefined;
  const text = binaryToUtf8(key);
  return text.includes('\ufffd') ? undefined : text;
}

export function KeyspacePanel({ engine }: { engine: KeyspaceEngine }) {
  const { t, i18n } = useTranslation();
  const watcher = useMemo(() => new KeyspaceWatcher(engine), [engine]);
  useEffect(() => {
    watcher.start();
    return () => watcher.stop();
  }, [watcher]);
  const view = useSyncExternalStore(watcher.subscribe, () => watcher.view);
  const db = useKeyspacePanel((s) => s.db);
  const filter = useKeyspacePanel((s) => s.filter);
  const setDb = useKeyspacePanel((s) => s.setDb);
  const setFilter = useKeyspacePanel((s) => s.setFilter);
  const pattern = filterToPattern(filter);
  useEffect(() => { watcher.show(db, pattern); }, [watcher, db, pattern]);

  const snapshot = view.db === db && view.pattern === pattern ? view.snapshot : null;
  const anyTtl = snapshot?.keys.some((k) => k.ttl !== null) ?? false;
  const shortTtl = snapshot?.keys.some((k) => k.ttl !== null && k.ttl < 61_000) ?? false;
  const wallNow = useWallClock(anyTtl, shortTtl ? COUNTDOWN_FINE_MS : COUNTDOWN_COARSE_MS);
  const now = snapshot ? virtualNow(snapshot, view.receivedAt, wallNow) : 0;
  const units = t('panels.keyspace.units', { returnObjects: true }) as TimeUnits;
  const numbers = useMemo(() => new Intl.NumberFormat(i18n.language), [i18n.language]);
  const ids = { db: useId(), filter: useId(), hint: useId(), heading: useId() };

  const dbCount = snapshot?.dbs.length ?? DEFAULT_DATABASES;
  const dbs = snapshot?.dbs ?? Array.from({ length: dbCount }, (_, i) => ({ db: i, keys: 0, volatile: 0 }));

  return (
    <section className="keyspace-panel" aria-labelledby={ids.heading} data-testid="keyspace-panel">
      <div className="ks-bar">
        <h3 id={ids.heading}>{t('panels.keyspace.title')}</h3>
        <label htmlFor={ids.db}>{t('panels.keyspace.db')}</label>
        <select id={ids.db} value={db} onChange={(e) => setDb(Number(e.target.value))}>
          {dbs.map((d) => (
            <option key={d.db} value={d.db}>
              {d.keys === 0 ? t('panels.keyspace.dbOptionEmpty', { db: d.db }) : t('panels.keyspace.dbOption', { db: d.db, count: d.keys, countText: numbers.format(d.keys) })}
            </option>
          ))}
        </select>
        <label htmlFor={ids.filter}>{t('panels.keyspace.filter')}</label>
        <input
          id={ids.filter} type="search" value={filter} spellCheck={false} autoComplete="off"
          placeholder={t('panels.keyspace.filterPlaceholder')} aria-describedby={ids.hint}
          onChange={(e) => setFilter(e.target.value)}
        />
        <span id={ids.hint} className="visually-hidden">{t('panels.keyspace.filterHint')}</span>
      </div>
      <KeyspaceBody
        snapshot={snapshot} error={view.error} filter={filter} now={now} units={units} numbers={numbers}
        flashes={view.flashes}
      />
    </section>
  );
}

interface BodyProps {
  snapshot: KeyspaceSnapshot | null;
  error: string | null;
  filter: string;
  now: number;
  units: TimeUnits;
  numbers: Intl.NumberFormat;
  flashes: ReadonlyMap<string, number>;
}

function KeyspaceBody({ snapshot, error, filter, now, units, numbers, flashes }: BodyProps) {
  const { t } = useTranslation();
  if (!snapshot) {
    return error
      ? <p className="ks-message ks-error" role="alert">{t('panels.keyspace.error', { message: error })}</p>
      : <p className="ks-message">{t('panels.keyspace.loading')}</p>;
  }
  const { db, total, matched, keys } = snapshot;
  if (total === 0) return <p className="ks-message" data-testid="keyspace-empty">{t('panels.keyspace.empty', { db })}</p>;
  if (matched === 0) return <p className="ks-message" data-testid="keyspace-empty">{t('panels.keyspace.noMatch', { db, filter })}</p>;
  const n = (x: number) => numbers.format(x);
  const caption = filter === ''
    ? t('panels.keyspace.caption', { db, count: total, countText: n(total), shownText: n(keys.length) })
    : t('panels.keyspace.captionFiltered', { db, count: matched, countText: n(matched), shownText: n(keys.length), totalText: n(total), filter });
  const hidden = matched - keys.length;
  return (
    <>
      {error && <p className="ks-message ks-error" role="alert">{t('panels.keyspace.error', { message: error })}</p>}
      {/* Focusable, so the keyboard can scroll a long table too. */}
      <div className="ks-scroll" tabIndex={0} role="region" aria-label={caption}>
        <table className="ks-table">
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t('panels.keyspace.columns.key')}</th>
              <th scope="col">{t('panels.keyspace.columns.type')}</th>
              <th scope="col">{t('panels.keyspace.columns.encoding')}</th>
              <th scope="col" className="ks-num">{t('panels.keyspace.columns.ttl')}</th>
              <th scope="col" className="ks-num">{t('panels.keyspace.columns.length')}</th>
              <th scope="col" className="ks-num">{t('panels.keyspace.columns.size')}</th>
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <KeyRow key={`${k.key}\0${flashes.get(k.key) ?? 0}`} info={k} flash={flashes.has(k.key)}
                ttl={ttlAt(k.ttl, snapshot, now)} units={units} numbers={numbers} />
            ))}
          </tbody>
        </table>
      </div>
      {hidden > 0 && (
        <p className="ks-more" data-testid="keyspace-more">
          {t('panels.keyspace.more', { count: hidden, countText: numbers.format(hidden) })}
          <span className="ks-more-hint"> {t('panels.keyspace.moreHint')}</span>
        </p>
      )}
    </>
  );
}

interface RowProps {
  info: KeyInfo;
  flash: boolean;
  ttl: number | null;
  units: TimeUnits;
  numbers: Intl.NumberFormat;
}

function KeyRow({ info, flash, ttl, units, numbers }: RowProps) {
  const { t } = useTranslation();
  const shown = displayKey(info.key);
  return (
    <tr className={flash ? 'ks-flash' : undefined} data-key={shown}>
      <th scope="row" className="ks-key" title={keyTitle(info.key)}>{shown}</th>
      <td className={`ks-type ks-type-${info.type}`}>{info.type}</td>
      <td className="ks-encoding">{info.encoding}</td>
      <td className="ks-num ks-ttl">
        {ttl === null
          ? <><span aria-hidden="true">—</span><span className="visually-hidden">{t('panels.keyspace.noTtl')}</span></>
          : ttl <= 0
            ? <span className="ks-expired" title={t('panels.keyspace.expiredTitle')}>{t('panels.keyspace.expired')}</span>
            : formatTtl(ttl, units)}
      </td>
      <td className="ks-num ks-length">{numbers.format(info.length)}</td>
      <td className="ks-num ks-size" title={t('panels.keyspace.sizeTitle', { bytes: info.size })}>{numbers.format(info.size)}</td>
    </tr>
  );
}
