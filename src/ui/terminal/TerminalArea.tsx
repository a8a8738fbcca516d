// The clients side by side, each its own connection to the same world, and the button adding one.
// The terminals start once the saved list of clients and redis-cli's history have been read.
import { useEffect, useState } from 'react';
import type { EngineConnector } from '../engine/engineConnection.ts';
import { useTranslation } from '../i18n/index.ts';
import { MAX_TERMINALS, useTerminals } from '../state/terminals.ts';
import { sharedHistory } from './historyStore.ts';
import { TerminalView } from './TerminalView.tsx';

function useHistoryLoaded(): boolean {
  const [loaded, setLoaded] = useState(sharedHistory.loaded);
  useEffect(() => {
    let live = true;
    if (!loaded) void sharedHistory.preload().then(() => { if (live) setLoaded(true); });
    return () => { live = false; };
  }, [loaded]);
  return loaded;
}

export function TerminalArea({ engine }: { engine: EngineConnector }) {
  const { t } = useTranslation();
  const terminals = useTerminals((s) => s.terminals);
  const add = useTerminals((s) => s.add);
  const historyLoaded = useHistoryLoaded();
  const ready = useTerminals((s) => s.hydrated) && historyLoaded;
  return (
    <section className="terminal-area" aria-label={t('terminal.area.label')} aria-busy={!ready}>
      <div className="terminal-area-bar">
        <button type="button" onClick={add} disabled={!ready || terminals.length >= MAX_TERMINALS}>{t('terminal.area.addClient')}</button>
        <span className="hint">{t('terminal.area.hint')}</span>
      </div>
      {ready ? (
        <div className="terminal-grid" data-count={terminals.length}>
          {terminals.map((info) => (
            <TerminalView key={info.id} info={info} engine={engine} removable={terminals.length > 1} />
          ))}
        </div>
      ) : (
        <p className="terminal-loading">{t('terminal.area.loading')}</p>
      )}
    </section>
  );
}
