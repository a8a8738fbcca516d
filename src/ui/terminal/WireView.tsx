// The wire view of one client: every RESP chunk it sent (→) and received (←), escaped.
import { useEffect, useRef, useSyncExternalStore } from 'react';
import { WIRE_SHOWN_BYTES, type WireLog } from './wireLog.ts';

export function WireView({ id, log, name }: { id: string; log: WireLog; name: string }) {
  const entries = useSyncExternalStore(log.subscribe, log.snapshot);
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    const el = list.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [entries]);
  return (
    <section id={id} className="wire" aria-label={`RESP bytes of ${name}`}>
      <div className="wire-bar">
        <span>RESP on the wire: → sent, ← received</span>
        <button type="button" onClick={() => log.clear()}>Clear</button>
      </div>
      <ol ref={list} className="wire-log" data-testid={`wire-${name}`}>
        {entries.map((e) => (
          <li key={e.seq} className={e.direction}>
            <span className="wire-dir" aria-label={e.direction}>{e.direction === 'sent' ? '→' : '←'}</span>
            <code>{e.text}</code>
            {e.size > WIRE_SHOWN_BYTES && <span className="wire-more"> … ({e.size} bytes in all)</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}
