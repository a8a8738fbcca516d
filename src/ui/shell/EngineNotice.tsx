// Says so when the engine failed, what was done about it, and what was lost.
import { useState } from 'react';
import type { EngineFailure } from '../engine/engineConnection.ts';
import { useTranslation } from '../i18n/index.ts';
import { useEngineStatus } from '../state/engine.ts';

const FAILURE_KEY: Record<EngineFailure['kind'], string> = {
  'restarted': 'app.failure.restarted',
  'gave-up': 'app.failure.gaveUp',
  'connection-dropped': 'app.failure.connectionDropped',
};

export function EngineNotice() {
  const { t } = useTranslation();
  const failure = useEngineStatus((s) => s.lastFailure);
  const [dismissed, setDismissed] = useState(0);
  if (!failure || failure.seq <= dismissed) return null;
  return (
    <div className="notice" role="alert" data-testid="engine-notice">
      <p>{t(FAILURE_KEY[failure.kind])}</p>
      <details><summary>{t('app.failure.details')}</summary><pre>{failure.message}</pre></details>
      <button type="button" onClick={() => setDismissed(failure.seq)}>{t('app.failure.dismiss')}</button>
    </div>
  );
}
