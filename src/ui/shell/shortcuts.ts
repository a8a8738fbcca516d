// The keyboard shortcuts: one table, listed by the shortcuts dialog (later parts of the app add
// their rows here, with their text in i18n/messages/shortcuts.ts), and whether that dialog is open.
import { create } from 'zustand';
import type { shortcuts } from '../i18n/messages/shortcuts.ts';

export type ShortcutScope = 'terminal' | 'app';

export interface Shortcut {
  /**
   * Ways to do it, any of them: keys joined by "+" are pressed together ("Ctrl+A"), keys separated
   * by a space one after the other ("Esc Tab").
   */
  keys: string[];
  /** What it does: its text is 'shortcuts.actions.<action>' (a row without text does not compile). */
  action: keyof typeof shortcuts.en.actions;
  scope: ShortcutScope;
}

export const SHORTCUTS: readonly Shortcut[] = [
  // redis-cli's line editing (linenoise, with the additions lineEditor.ts describes)
  { scope: 'terminal', keys: ['Ctrl+A'], action: 'lineStart' },
  { scope: 'terminal', keys: ['Ctrl+E'], action: 'lineEnd' },
  { scope: 'terminal', keys: ['Alt+B'], action: 'wordLeft' },
  { scope: 'terminal', keys: ['Alt+F'], action: 'wordRight' },
  { scope: 'terminal', keys: ['Ctrl+U'], action: 'deleteLine' },
  { scope: 'terminal', keys: ['Ctrl+W'], action: 'deleteWord' },
  { scope: 'terminal', keys: ['Ctrl+K'], action: 'deleteToEnd' },
  { scope: 'terminal', keys: ['↑', '↓'], action: 'history' },
  { scope: 'terminal', keys: ['Ctrl+R'], action: 'searchHistory' },
  { scope: 'terminal', keys: ['Tab'], action: 'complete' },
  { scope: 'terminal', keys: ['Ctrl+C'], action: 'interrupt' },
  { scope: 'terminal', keys: ['Ctrl+L'], action: 'clearScreen' },
  { scope: 'terminal', keys: ['Ctrl+D'], action: 'exit' },
  { scope: 'terminal', keys: ['Esc Tab', 'Esc Shift+Tab'], action: 'leaveTerminal' },
  // the app
  { scope: 'app', keys: ['?'], action: 'toggleHelp' },
  { scope: 'app', keys: ['F1'], action: 'toggleHelpAnywhere' },
  { scope: 'app', keys: ['Esc'], action: 'closeDialog' },
  // time control (src/ui/time/TimeBar.tsx), when not typing in a terminal or a field
  { scope: 'app', keys: ['Space', '.'], action: 'playPause' },
  { scope: 'app', keys: ['→'], action: 'stepEvent' },
  { scope: 'app', keys: ['Shift+→'], action: 'stepCommand' },
  { scope: 'app', keys: ['←'], action: 'stepBack' },
];

export const SHORTCUT_SCOPES: readonly ShortcutScope[] = ['terminal', 'app'];

interface ShortcutsHelpState {
  open: boolean;
  show(): void;
  hide(): void;
  toggle(): void;
}

export const useShortcutsHelp = create<ShortcutsHelpState>()((set) => ({
  open: false,
  show: () => set({ open: true }),
  hide: () => set({ open: false }),
  toggle: () => set((s) => ({ open: !s.open })),
}));

/** Whether a key event happens where keys are typed as text (a field, a terminal, an editor). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  if (target instanceof HTMLInputElement) {
    // Buttons and boxes take no text: "?" there can open the help.
    return !['button', 'checkbox', 'radio', 'range', 'color', 'file', 'submit', 'reset', 'image'].includes(target.type);
  }
  return target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement
    || (target instanceof HTMLElement && target.isContentEditable);
}
