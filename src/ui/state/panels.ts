// Which panel is shown, and which key the internals panels look at. The focus follows the
// terminal: a command that names a key points the panels at it (the first key it names, in the db
// it ran in), unless the learner pinned the current focus. The tab follows too (state/followTab.ts
// picks the panel for the key) while `followTab` is on; picking a tab by hand turns it off.
import { create } from 'zustand';
import type { TraceEvent } from '../../engine/trace/events.ts';

export interface FocusedKey {
  db: number;
  /** Byte string, as the engine has it. */
  key: string;
}

export interface PanelsState {
  /** The id of the panel shown (see panels/registry.ts). */
  active: string;
  focus: FocusedKey | null;
  pinned: boolean;
  /** The tab follows the terminal (state/followTab.ts); on by default, off once a tab is picked by hand. */
  followTab: boolean;
  /** Shows a panel (the app or a rule doing it: following stays as it is). */
  show(id: string): void;
  /** The learner picked a tab: shown, and the tab stops following the terminal. */
  pick(id: string): void;
  setFollowTab(on: boolean): void;
  setFocus(focus: FocusedKey | null): void;
  setPinned(pinned: boolean): void;
  /** Moves the focus to the key of the last command in `events` that named one (unless pinned). */
  follow(events: readonly TraceEvent[]): void;
}

export const usePanels = create<PanelsState>()((set, get) => ({
  active: 'keyspace',
  focus: null,
  pinned: false,
  followTab: true,
  show: (active) => set({ active }),
  pick: (active) => set({ active, followTab: false }),
  setFollowTab: (followTab) => set({ followTab }),
  setFocus: (focus) => set({ focus }),
  setPinned: (pinned) => set({ pinned }),
  follow: (events) => {
    if (get().pinned) return;
    for (let i = events.length - 1; i >= 0; i--) {
      const e = events[i];
      if (e.kind === 'command' && !e.failed && e.keys.length > 0) {
        const focus = { db: e.db, key: e.keys[0] };
        const now = get().focus;
        if (!now || now.db !== focus.db || now.key !== focus.key) set({ focus });
        return;
      }
    }
  },
}));
