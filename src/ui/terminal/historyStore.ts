// redis-cli's history file, kept in localStorage for now (IndexedDB comes with the saved world).
// Like ~/.rediscli_history it is one history for every client: each redis-cli loads it when it
// starts and writes its whole history back after each line, so the last one to write wins.
import type { HistoryStore } from './cliHost.ts';

export const HISTORY_KEY = 'rediscope.cli-history';

export const localHistory: HistoryStore = {
  load() {
    try {
      const saved: unknown = JSON.parse(localStorage.getItem(HISTORY_KEY) ?? '[]');
      return Array.isArray(saved) ? saved.filter((l): l is string => typeof l === 'string') : [];
    } catch {
      return []; // unreadable or storage blocked: start without history, as with a missing file
    }
  },
  save(lines) {
    try {
      localStorage.setItem(HISTORY_KEY, JSON.stringify(lines));
    } catch {
      // Storage full or blocked: redis-cli ignores a history file it cannot write, too.
    }
  },
};
