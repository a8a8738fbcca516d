// The wire view of one client: every RESP chunk it sent (→) and received (←), escaped.
import { useEffect, useRef, useSyncExternalStore } from 'react';
import { useTranslation } from '../i18n/index.ts';
import { WIRE_SHOWN_BYTES, type WireLog } from './wireLog.ts';

/** `name`: the client's stable name (test id); `label`: its name as shown. */
export function WireView({ id, log, name, label }: { id: string; log: WireLog; name: string; label: string }) {
  const { t } = useTranslation();
  const entries = useSyncExternalStore(log.subscribe, log.snapshot);
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    const el = list.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [entries]);
  return (
    <section id={id} className="wire" aria-label={t('terminal.wire.label', { name: label })}>
      <div className="wire-bar">
        <span>{t('terminal.wire.legend')}</span>
        <button type="button" onClick={() => log.clear()}>{t('terminal.wire.clear')}</button>
      </div>
      <ol ref={list} className="wire-log" tabIndex={0} data-testid={`wire-${name}`}>
        {entries.map((e) => (
          <li key={e.seq} className={e.direction}>
            <span className="wire-dir" aria-label={t(`terminal.wire.${e.direction}`)}>{e.direction === 'sent' ? '→' : '←'}</span>
            <code>{e.text}</code>
            {e.size > WIRE_SHOWN_BYTES && <span className="wire-more">{t('terminal.wire.more', { size: e.size })}</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}
