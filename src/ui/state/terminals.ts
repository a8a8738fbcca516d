// The terminals on the page: numbered clients ("client 1", "client 2" ...), each its own connection
// to the same world. The list is kept in IndexedDB ('settings' store) so a reload brings the same
// clients back; it is read asynchronously, so the terminal area waits for `hydrated`.
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { idbPersistStorage } from './persistInIdb.ts';

export interface TerminalInfo {
  id: string;
  /** Its number, shown in its (translated) name. */
  number: number;
  /**
   * "client <number>": a stable name, the same in every language, for the page's test hook and
   * data attributes (what the user reads is the translated name).
   */
  name: string;
  /** Whether its wire view (the RESP bytes) is shown. */
  wire: boolean;
  /** Replies printed as `redis-cli --raw` prints them (absent in lists saved before the toggle). */
  raw?: boolean;
}

export interface TerminalsState {
  terminals: TerminalInfo[];
  /** The number the next client gets in its name. */
  nextNumber: number;
  /** The terminal to give the keyboard focus to once it is on the page (the first, or one just added). */
  focusId: string | null;
  /** The saved list has been read (or there was none): the terminals can start. */
  hydrated: boolean;
  focused(): void;
  add(): void;
  remove(id: string): void;
  toggleWire(id: string): void;
  toggleRaw(id: string): void;
}

type SavedTerminals = Pick<TerminalsState, 'terminals' | 'nextNumber'>;

/** At most this many side by side (they share the page). */
export const MAX_TERMINALS = 4;
/** The record's key in the 'settings' store. */
export const TERMINALS_RECORD = 'terminals';
/** Where version 1 kept the list (localStorage, moved to IndexedDB once). */
export const LEGACY_TERMINALS_KEY = 'rediscope.terminals';

function terminal(n: number): TerminalInfo {
  return { id: `t${n}`, number: n, name: `client ${n}`, wire: false };
}

/** Version 1 had no `number`: it is the one in the id ("t3"). */
export function migrateTerminals(saved: unknown, version: number): SavedTerminals {
  const s = saved as SavedTerminals;
  if (version < 2) {
    return { ...s, terminals: s.terminals.map((t) => ({ ...t, number: t.number ?? Number(t.id.slice(1)) })) };
  }
  return s;
}

export function createTerminalsStore() {
  const store = create<TerminalsState>()(persist((set) => ({
    terminals: [terminal(1)],
    nextNumber: 2,
    focusId: 't1',
    hydrated: false,
    focused: () => set({ focusId: null }),
    add: () => set((s) => {
      if (s.terminals.length >= MAX_TERMINALS) return s;
      const t = terminal(s.nextNumber);
      return { terminals: [...s.terminals, t], nextNumber: s.nextNumber + 1, focusId: t.id };
    }),
    // The last terminal stays: the page always has one.
    remove: (id) => set((s) => (s.terminals.length > 1 ? { terminals: s.terminals.filter((t) => t.id !== id) } : s)),
    toggleWire: (id) => set((s) => ({ terminals: s.terminals.map((t) => (t.id === id ? { ...t, wire: !t.wire } : t)) })),
    toggleRaw: (id) => set((s) => ({ terminals: s.terminals.map((t) => (t.id === id ? { ...t, raw: !t.raw } : t)) })),
  }), {
    name: TERMINALS_RECORD,
    version: 2,
    storage: idbPersistStorage<SavedTerminals>('settings', LEGACY_TERMINALS_KEY),
    partialize: (s): SavedTerminals => ({ terminals: s.terminals, nextNumber: s.nextNumber }),
    migrate: migrateTerminals,
    // A damaged record (no terminals) is ignored: the page always has one.
    merge: (saved, current) => {
      const s = saved as Partial<SavedTerminals> | undefined;
      const ok = Array.isArray(s?.terminals) && s.terminals.length > 0 && typeof s.nextNumber === 'number';
      return ok ? { ...current, terminals: s.terminals!, nextNumber: s.nextNumber! } : current;
    },
    // On load the first client has the focus, as a terminal window would.
    onRehydrateStorage: () => () => {
      store.setState((s) => ({ hydrated: true, focusId: s.terminals[0]?.id ?? null }));
    },
  }));
  return store;
}

export const useTerminals = createTerminalsStore();
