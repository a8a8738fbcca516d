// The panel area: live views of the server's state next to the terminals, one at a time behind
// tabs. The internals panels look at the focused key, which follows the terminal (state/panels.ts).
import { Suspense, useEffect, useId } from 'react';
import { useTranslation } from '../i18n/index.ts';
import { usePanels } from '../state/panels.ts';
import { FOLLOW_RULES, panelAreaTarget, TabFollower, type FollowEngine } from '../state/followTab.ts';
import { PANELS } from './registry.ts';
import type { PanelEngine } from './useSnapshot.ts';

export function PanelArea({ engine }: { engine: PanelEngine }) {
  const { t } = useTranslation();
  const active = usePanels((s) => s.active);
  const pick = usePanels((s) => s.pick);
  const follow = usePanels((s) => s.follow);
  useEffect(() => engine.onEvents((batch) => follow(batch.events)), [engine, follow]);
  // The tab follows the terminal too (state/followTab.ts), while its switch is on.
  useEffect(() => {
    const follower = new TabFollower(engine as FollowEngine, panelAreaTarget(() => PANELS.map((p) => p.id)));
    follower.start();
    return () => follower.stop();
  }, [engine]);
  const panel = PANELS.find((p) => p.id === active) ?? PANELS[0];
  const Panel = panel.component;
  return (
    <section className="panels" aria-labelledby="panels-heading">
      <h2 id="panels-heading" className="visually-hidden">{t('app.regions.panels')}</h2>
      {PANELS.length > 1 && (
        <div className="panel-tabbar">
          <div className="panel-tabs" role="tablist" aria-label={t('app.regions.panels')}>
            {PANELS.map((p) => (
              <button key={p.id} type="button" role="tab" id={`panel-tab-${p.id}`} aria-selected={p.id === panel.id}
                aria-controls="panel-body" onClick={() => pick(p.id)}>
                {t(p.title)}
              </button>
            ))}
          </div>
          <FollowSwitch />
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

/** The "Follow the terminal" switch, with the rule table it follows in words. */
function FollowSwitch() {
  const { t } = useTranslation();
  const on = usePanels((s) => s.followTab);
  const setFollowTab = usePanels((s) => s.setFollowTab);
  const hint = useId();
  return (
    <div className="panel-follow">
      <label title={t('follow.hint')}>
        <input type="checkbox" checked={on} onChange={(e) => setFollowTab(e.target.checked)} aria-describedby={hint}
          data-testid="panel-follow" />
        {t('follow.label')}
      </label>
      <details>
        <summary>{t('follow.rulesHeading')}</summary>
        <div className="panel-follow-rules">
          <p id={hint}>{t('follow.hint')}</p>
          <ol data-testid="panel-follow-rules">
            {FOLLOW_RULES.map((r) => <li key={r.id} data-rule={r.id} data-panel={r.panel}>{t(`follow.rules.${r.id}`)}</li>)}
          </ol>
          <p>{t('follow.rulesNote')}</p>
        </div>
      </details>
    </div>
  );
}
