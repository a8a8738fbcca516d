// Says so when the engine failed, what was done about it, and what was lost; and when the saved
// world could not be loaded, where it was kept.
import { useState } from 'react';
import type { EngineFailure } from '../engine/engineConnection.ts';
import { useTranslation } from '../i18n/index.ts';
import { useEngineStatus } from '../state/engine.ts';
import { formatSaveTime, useWorldStatus } from '../state/world.ts';

const FAILURE_KEY: Record<EngineFailure['kind'], string> = {
  'restarted': 'app.failure.restarted',
  'gave-up': 'app.failure.gaveUp',
  'connection-dropped': 'app.failure.connectionDropped',
};

export function EngineNotice() {
  const { t, i18n } = useTranslation();
  const failure = useEngineStatus((s) => s.lastFailure);
  const world = useWorldStatus((s) => s.world);
  const [dismissed, setDismissed] = useState(0);
  /** Which load error was dismissed (each status message is a new object: compared by content). */
  const [loadErrorDismissed, setLoadErrorDismissed] = useState<string | null>(null);

  // After a restart the text follows the fresh worker's world: being restored, then from which save.
  let failureText = failure ? t(FAILURE_KEY[failure.kind]) : '';
  if (failure?.kind === 'restarted' && world) {
    if (world.origin === 'restored' && world.restoredFrom !== null) {
      failureText = t('world.notice.restored', { time: formatSaveTime(world.restoredFrom, i18n.language) });
    } else if (world.loadError) {
      failureText = t('world.notice.restartedUnreadable');
    } else {
      failureText = t('world.notice.restartedEmpty');
    }
  }
  const loadError = world?.loadError ?? null;
  const loadErrorKey = loadError ? `${loadError.keptAs ?? ''}\n${loadError.message}` : null;

  return (
    <>
      {failure && failure.seq > dismissed && (
        <div className="notice" role="alert" data-testid="engine-notice">
          <p>{failureText}</p>
          <details><summary>{t('app.failure.details')}</summary><pre>{failure.message}</pre></details>
          <button type="button" onClick={() => setDismissed(failure.seq)}>{t('app.failure.dismiss')}</button>
        </div>
      )}
      {loadError && loadErrorKey !== loadErrorDismissed && (
        <div className="notice" role="alert" data-testid="world-load-notice">
          <p>{t('world.notice.loadFailed')}</p>
          <p>{loadError.keptAs ? t('world.notice.keptAs', { key: loadError.keptAs }) : t('world.notice.notKept')}</p>
          <details><summary>{t('world.notice.reason')}</summary><pre>{loadError.message}</pre></details>
          <button type="button" onClick={() => setLoadErrorDismissed(loadErrorKey)}>{t('app.failure.dismiss')}</button>
        </div>
      )}
    </>
  );
}
