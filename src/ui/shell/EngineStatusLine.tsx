// The header's one-line status of the engine worker.
import { useTranslation } from '../i18n/index.ts';
import { useEngineStatus } from '../state/engine.ts';

export function EngineStatusLine() {
  const { t } = useTranslation();
  const { state, redisVersion } = useEngineStatus();
  const text = t(`app.status.${state === 'ready' || state === 'busy' || state === 'starting' || state === 'restarting' ? state : 'failed'}`,
    { version: redisVersion });
  return <p className="status" data-testid="engine-status" data-state={state} role="status">{text}</p>;
}
