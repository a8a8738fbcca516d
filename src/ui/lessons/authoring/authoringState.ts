// The lesson authoring view's state: open or not, the text in the editor (the draft, kept in
// IndexedDB so a reload or closing the view loses nothing), which lesson of one's own it edits, and
// the editor's text size. In the main bundle (small); the view itself loads lazily.
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { idbPersistStorage } from '../../state/persistInIdb.ts';

/** The record's key in the 'settings' store. */
export const AUTHORING_RECORD = 'lessonAuthoring';

export const EDITOR_TEXT_SIZES = ['small', 'medium', 'large'] as const;
export type EditorTextSize = typeof EDITOR_TEXT_SIZES[number];

export interface AuthoringState {
  open: boolean;
  /** The editor's text (null: nothing written yet; the view starts from the new-lesson template). */
  draft: string | null;
  /** The id of the lesson of one's own the draft was opened from or last saved as (null: a new one). */
  editing: string | null;
  textSize: EditorTextSize;
  /**
   * A text to put in the editor when the view shows it (Edit from the sidebar): the view takes it
   * (through the editor, so it can be undone) and clears it.
   */
  incoming: { source: string; editing: string | null } | null;
  show(incoming?: { source: string; editing: string | null }): void;
  hide(): void;
  setDraft(draft: string): void;
  setEditing(id: string | null): void;
  setTextSize(size: EditorTextSize): void;
  takeIncoming(): AuthoringState['incoming'];
}

type Saved = Pick<AuthoringState, 'draft' | 'editing' | 'textSize'>;

export function createAuthoringStore() {
  return create<AuthoringState>()(persist((set, get) => ({
    open: false,
    draft: null,
    editing: null,
    textSize: 'medium',
    incoming: null,
    show: (incoming) => set({ open: true, ...(incoming ? { incoming } : {}) }),
    hide: () => set({ open: false }),
    setDraft: (draft) => { if (draft !== get().draft) set({ draft }); },
    setEditing: (editing) => set({ editing }),
    setTextSize: (textSize) => set({ textSize }),
    takeIncoming: () => {
      const incoming = get().incoming;
      if (incoming) set({ incoming: null });
      return incoming;
    },
  }), {
    name: AUTHORING_RECORD,
    version: 1,
    storage: idbPersistStorage<Saved>('settings'),
    partialize: (s): Saved => ({ draft: s.draft, editing: s.editing, textSize: s.textSize }),
    merge: (saved, current) => {
      const s = (saved ?? {}) as Partial<Saved>;
      return {
        ...current,
        // A draft typed before the saved one was read wins.
        draft: current.draft ?? (typeof s.draft === 'string' ? s.draft : null),
        editing: current.draft !== null ? current.editing : typeof s.editing === 'string' ? s.editing : null,
        textSize: (EDITOR_TEXT_SIZES as readonly unknown[]).includes(s.textSize) ? s.textSize! : current.textSize,
      };
    },
  }));
}

export const useAuthoring = createAuthoringStore();

/** Resolves once the saved draft has been read (or there was none). */
export function authoringHydrated(): Promise<void> {
  if (useAuthoring.persist.hasHydrated()) return Promise.resolve();
  return new Promise((resolve) => {
    const stop = useAuthoring.persist.onFinishHydration(() => { stop(); resolve(); });
  });
}
