// The terminals on the page: named clients ("client 1", "client 2" ...), each its own connection
// to the same world. The list is kept in localStorage so a reload brings the same clients back.
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';

export interface TerminalInfo {
  id: string;
  name: string;
  /** Whether its wire view (the RESP bytes) is shown. */
  wire: boolean;
}

export interface TerminalsState {
  terminals: TerminalInfo[];
  /** The number the next client gets in its name. */
  nextNumber: number;
  /** The terminal to give the keyboard focus to once it is on the page (the first, or one just added). */
  focusId: string | null;
  focused(): void;
  add(): void;
  remove(id: string): void;
  toggleWire(id: string): void;
}

/** At most this many side by side (they share the page). */
export const MAX_TERMINALS = 4;

export const useTerminals = create<TerminalsState>()(persist((set) => ({
  terminals: [{ id: 't1', name: 'client 1', wire: false }],
  nextNumber: 2,
  focusId: 't1',
  focused: () => set({ focusId: null }),
  add: () => set((s) => {
    if (s.terminals.length >= MAX_TERMINALS) return s;
    const n = s.nextNumber;
    const id = `t${n}`;
    return { terminals: [...s.terminals, { id, name: `client ${n}`, wire: false }], nextNumber: n + 1, focusId: id };
  }),
  // The last terminal stays: the page always has one.
  remove: (id) => set((s) => (s.terminals.length > 1 ? { terminals: s.terminals.filter((t) => t.id !== id) } : s)),
  toggleWire: (id) => set((s) => ({ terminals: s.terminals.map((t) => (t.id === id ? { ...t, wire: !t.wire } : t)) })),
}), {
  name: 'rediscope.terminals',
  version: 1,
  storage: createJSONStorage(() => localStorage),
  partialize: (s) => ({ terminals: s.terminals, nextNumber: s.nextNumber }),
  // On load the first client has the focus, as a terminal window would.
  // (Called during create() with localStorage, before useTerminals exists: hence a plain assignment.)
  onRehydrateStorage: () => (s) => { if (s) s.focusId = s.terminals[0]?.id ?? null; },
}));
