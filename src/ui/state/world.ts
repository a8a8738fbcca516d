// The world's status for the page (where it came from, when it was last saved), mirrored from the
// engine worker, and the save the page asks for when it is hidden or closed.
import { create } from 'zustand';
import type { EngineWorker } from '../engine/engineConnection.ts';
import type { WorldStatus } from '../../worker/protocol.ts';

/** null while a worker is starting: it reports its world before it is ready. */
export const useWorldStatus = create<{ world: WorldStatus | null }>()(() => ({ world: null }));

/**
 * Mirrors the worker's world status into the store, and asks the worker to save at once when the
 * page is hidden (another tab, a minimised window) or closed: the autosave waits a moment after
 * the last change, and the page may not come back. Returns the function that stops both.
 */
export function keepWorld(engine: EngineWorker): () => void {
  useWorldStatus.setState({ world: engine.world });
  const unsubscribe = engine.onWorld((world) => useWorldStatus.setState({ world }));
  const saveNow = () => {
    // Only what changed is written; a failure shows in the status.
    if (engine.world?.unsaved) engine.saveWorld().catch(() => {});
  };
  const onVisibility = () => { if (document.visibilityState === 'hidden') saveNow(); };
  document.addEventListener('visibilitychange', onVisibility);
  window.addEventListener('pagehide', saveNow);
  return () => {
    unsubscribe();
    document.removeEventListener('visibilitychange', onVisibility);
    window.removeEventListener('pagehide', saveNow);
  };
}

/** A save's wall-clock time for people: the time of day, with the date when it is not today. */
export function formatSaveTime(ms: number, language: string, now = Date.now()): string {
  const at = new Date(ms);
  const sameDay = at.toDateString() === new Date(now).toDateString();
  const locale = language === 'zh' ? 'zh-CN' : 'en';
  return sameDay
    ? at.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' })
    : at.toLocaleString(locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}
