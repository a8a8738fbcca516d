// The panel area: live views of the server's state next to the terminals, one at a time behind
// tabs. The internals panels look at the focused key, which follows the terminal (state/panels.ts).
import { Suspense, useEffect } from 'react';
import { useTranslation } from '../i18n/index.ts';
import { usePanels } from '../state/panels.ts';
import { PANELS } from './registry.ts';
import type { PanelEngine } from './useSnapshot.ts';

export function PanelArea({ engine }: { engine: PanelEngine }) {
  const { t } = useTranslation();
  const active = usePanels((s) => s.active);
  const show = usePanels((s) => s.show);
  const follow = usePanels((s) => s.follow);
  useEffect(() => engine.onEvents((batch) => follow(batch.events)), [engine, follow]);
  const panel = PANELS.find((p) => p.id === active) ?? PANELS[0];
  const Panel = panel.component;
  return (
    <section className="panels" aria-labelledby="panels-heading">
      <h2 id="panels-heading" className="visually-hidden">{t('app.regions.panels')}</h2>
      {PANELS.length > 1 && (
        <div className="panel-tabs" role="tablist" aria-label={t('app.regions.panels')}>
          {PANELS.map((p) => (
            <button key={p.id} type="button" role="tab" id={`panel-tab-${p.id}`} aria-selected={p.id === panel.id}
              aria-controls="panel-body" onClick={() => show(p.id)}>
              {t(p.title)}
            </button>
          ))}
        </div>
      )}
      <div id="panel-body" role={PANELS.length > 1 ? 'tabpanel' : undefined} aria-labelledby={PANELS.length > 1 ? `panel-tab-${panel.id}` : undefined}>
        <Suspense fallback={<p className="panel-loading">{t('panels.loading')}</p>}>
          <Panel engine={engine} />
        </Suspense>
      </div>
    </section>
  );
}
