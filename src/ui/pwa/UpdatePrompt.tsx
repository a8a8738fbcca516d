// Registers the service worker of the offline app and talks about it: a short note once every file
// is cached (the app now works offline), and a prompt when a new version has been installed and is
// waiting. The new version only takes over when the user chooses Reload, so a session in progress is
// never reloaded under the user's feet (vite.config.ts: registerType 'prompt').
import { useEffect, useState } from 'react';
import { useRegisterSW } from 'virtual:pwa-register/react';
import { useTranslation } from '../i18n/index.ts';
import { useEngineStatus } from '../state/engine.ts';

/** How long the "ready to work offline" note stays up unless closed sooner. */
const OFFLINE_NOTE_MS = 10_000;
/**
 * The browser looks for a new version on every navigation; a tab left open through a whole lesson
 * also looks this often.
 */
const UPDATE_CHECK_MS = 60 * 60 * 1000;
/** How long after the engine has started (or, failing that, after the page started) to register. */
const REGISTER_AFTER_ENGINE_MS = 1000;
const REGISTER_AT_THE_LATEST_MS = 10_000;

/**
 * Registering the service worker sets it caching the whole app (several MB once Monaco is in). On a
 * first visit that competes for the CPU with the engine worker starting up (about 100 ms later to
 * the first PONG, measured by scripts/bench-app.ts), so it waits until the engine has started, and
 * a moment more; it does not wait for an engine that never starts, though.
 */
export function UpdatePrompt() {
  const engineStarted = useEngineStatus((s) => s.state !== 'starting');
  const [register, setRegister] = useState(false);
  useEffect(() => {
    if (register) return;
    const timer = setTimeout(() => setRegister(true), engineStarted ? REGISTER_AFTER_ENGINE_MS : REGISTER_AT_THE_LATEST_MS);
    return () => clearTimeout(timer);
  }, [engineStarted, register]);
  return register ? <ServiceWorkerPrompt /> : null;
}

function ServiceWorkerPrompt() {
  const { t } = useTranslation();
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    offlineReady: [offlineReady, setOfflineReady],
    updateServiceWorker,
  } = useRegisterSW({
    immediate: true,
    onRegisteredSW: (_url: string, registration: ServiceWorkerRegistration | undefined) => {
      if (!registration) return;
      setInterval(() => {
        if (navigator.onLine) registration.update().catch(() => { /* offline after all: next time */ });
      }, UPDATE_CHECK_MS);
    },
    onRegisterError: (error: unknown) => console.warn('Rediscope: the service worker could not be registered; the app will not work offline.', error),
  });

  useEffect(() => {
    if (!offlineReady) return;
    const timer = setTimeout(() => setOfflineReady(false), OFFLINE_NOTE_MS);
    return () => clearTimeout(timer);
  }, [offlineReady, setOfflineReady]);

  if (needRefresh) {
    return (
      <section className="pwa-toast" role="status" aria-label={t('pwa.update.label')} data-testid="pwa-update">
        <p><strong>{t('pwa.update.message')}</strong> {t('pwa.update.detail')}</p>
        <div className="pwa-toast-actions">
          {/* The waiting worker is told to take over; once it controls the page, the page reloads. */}
          <button type="button" className="pwa-primary" onClick={() => void updateServiceWorker(true)}>{t('pwa.update.reload')}</button>
          <button type="button" onClick={() => setNeedRefresh(false)}>{t('pwa.update.later')}</button>
        </div>
      </section>
    );
  }
  if (offlineReady) {
    return (
      <section className="pwa-toast" role="status" aria-label={t('pwa.offline.label')} data-testid="pwa-offline-ready">
        <p>{t('pwa.offline.message')}</p>
        <div className="pwa-toast-actions">
          <button type="button" aria-label={t('pwa.offline.closeLabel')} onClick={() => setOfflineReady(false)}>{t('pwa.offline.close')}</button>
        </div>
      </section>
    );
  }
  return null;
}
