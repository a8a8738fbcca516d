// Where the lesson authoring view is mounted (App), and the button that opens it. The view and
// the monaco editor load lazily, on first opening: the main bundle does not carry them.
import { Component, lazy, Suspense, type ReactNode } from 'react';
import { useTranslation } from '../../i18n/index.ts';
import { useAuthoring } from './authoringState.ts';

const AuthoringView = lazy(() => import('./AuthoringView.tsx').then((m) => ({ default: m.AuthoringView })));

/** A lazy chunk that fails to load (offline before it was ever cached) says so, and can be closed. */
class LoadFailure extends Component<{ children: ReactNode; fallback: (error: unknown) => ReactNode }, { error: unknown }> {
  state = { error: null as unknown };
  static getDerivedStateFromError(error: unknown) {
    return { error };
  }
  render() {
    return this.state.error ? this.props.fallback(this.state.error) : this.props.children;
  }
}

export function AuthoringHost() {
  const { t } = useTranslation();
  const open = useAuthoring((s) => s.open);
  if (!open) return null;
  const hide = () => useAuthoring.getState().hide();
  return (
    <LoadFailure fallback={(e) => (
      <div className="authoring-loading" role="alert">
        <p>{t('authoring.editorFailed', { reason: e instanceof Error ? e.message : String(e) })}</p>
        <button type="button" onClick={hide}>{t('authoring.close')}</button>
      </div>
    )}>
      <Suspense fallback={<div className="authoring-loading" role="status">{t('authoring.loadingView')}</div>}>
        <AuthoringView />
      </Suspense>
    </LoadFailure>
  );
}

export function AuthorLessonsButton() {
  const { t } = useTranslation();
  return (
    <button type="button" className="authoring-open" aria-haspopup="dialog" title={t('authoring.openTitle')}
      onClick={() => useAuthoring.getState().show()} data-testid="authoring-open">
      {t('authoring.open')}
    </button>
  );
}
