// What the dict panel looks at, kept while other tabs are shown: the keyspace or expires dict of a
// database, or the focused key's dict.
import { create } from 'zustand';
import type { DictMode } from './model.ts';

export interface DictPanelState {
  mode: DictMode;
  db: number;
  setMode(mode: DictMode): void;
  setDb(db: number): void;
}

export const useDictPanel = create<DictPanelState>()((set) => ({
  mode: 'keyspace',
  db: 0,
  setMode: (mode) => set({ mode }),
  setDb: (db) => set({ db }),
}));
