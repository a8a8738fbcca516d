// UI settings: language, theme and text size. IndexedDB ('settings' store) is where they live;
// a tiny copy in localStorage (the "first paint" mirror) lets index.html set the theme, text size
// and language before anything is drawn, since IndexedDB can only be read asynchronously, after
// the first paint. When the two disagree, IndexedDB wins once it has been read.
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { browserLanguage, isLanguage, type Language } from '../i18n/language.ts';
import { idbPersistStorage, webStorage } from './persistInIdb.ts';

export const THEMES = ['system', 'light', 'dark'] as const;
export type ThemeSetting = typeof THEMES[number];
/** What a theme setting comes to: 'system' follows the operating system's preference. */
export type Theme = Exclude<ThemeSetting, 'system'>;

/** normal: 1280x720 on a laptop; large; projector: readable from the back of a room. */
export const TEXT_SIZES = ['normal', 'large', 'projector'] as const;
export type TextSize = typeof TEXT_SIZES[number];

export interface Settings {
  language: Language;
  theme: ThemeSetting;
  textSize: TextSize;
}

export interface SettingsState extends Settings {
  setLanguage(language: Language): void;
  setTheme(theme: ThemeSetting): void;
  setTextSize(textSize: TextSize): void;
}

/** The record's key in the 'settings' store. */
export const SETTINGS_RECORD = 'ui';
/** The first-paint mirror in localStorage (read by the inline script of index.html too). */
export const FIRST_PAINT_KEY = 'rediscope.first-paint';

export function resolveTheme(theme: ThemeSetting, systemPrefersDark: boolean): Theme {
  return theme === 'system' ? (systemPrefersDark ? 'dark' : 'light') : theme;
}

/** The valid settings in `raw` (anything else is dropped: an old or damaged record). */
export function validSettings(raw: unknown): Partial<Settings> {
  if (raw === null || typeof raw !== 'object') return {};
  const r = raw as Record<string, unknown>;
  const out: Partial<Settings> = {};
  if (isLanguage(r.language)) out.language = r.language;
  if ((THEMES as readonly unknown[]).includes(r.theme)) out.theme = r.theme as ThemeSetting;
  if ((TEXT_SIZES as readonly unknown[]).includes(r.textSize)) out.textSize = r.textSize as TextSize;
  return out;
}

export function readFirstPaintMirror(): Partial<Settings> {
  try {
    return validSettings(JSON.parse(webStorage()?.getItem(FIRST_PAINT_KEY) ?? 'null'));
  } catch {
    return {};
  }
}

function writeFirstPaintMirror(s: Settings): void {
  try {
    webStorage()?.setItem(FIRST_PAINT_KEY, JSON.stringify({ language: s.language, theme: s.theme, textSize: s.textSize }));
  } catch {
    // storage full or blocked: the first paint then uses the defaults, IndexedDB still has the truth
  }
}

/** Before IndexedDB has answered: the mirror, else the browser's language, the system theme, normal text. */
export function initialSettings(): Settings {
  return { language: browserLanguage(), theme: 'system', textSize: 'normal', ...readFirstPaintMirror() };
}

export function createSettingsStore() {
  const store = create<SettingsState>()(persist((set) => ({
    ...initialSettings(),
    setLanguage: (language) => set({ language }),
    setTheme: (theme) => set({ theme }),
    setTextSize: (textSize) => set({ textSize }),
  }), {
    name: SETTINGS_RECORD,
    version: 1,
    storage: idbPersistStorage<Settings>('settings'),
    partialize: (s): Settings => ({ language: s.language, theme: s.theme, textSize: s.textSize }),
    merge: (saved, current) => ({ ...current, ...validSettings(saved) }),
  }));
  store.subscribe((s, prev) => {
    if (s.language !== prev.language || s.theme !== prev.theme || s.textSize !== prev.textSize) writeFirstPaintMirror(s);
  });
  return store;
}

export const useSettings = createSettingsStore();
