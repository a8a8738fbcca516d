// Puts the display settings on the page: data-theme and data-text-size on <html> (app.css styles
// both), the UI language, and the theme the OS prefers, followed live when the setting is 'system'.
import { useLayoutEffect, useSyncExternalStore } from 'react';
import { setLanguage } from '../i18n/index.ts';
import { resolveTheme, useSettings, type Theme } from '../state/settings.ts';

const DARK_QUERY = '(prefers-color-scheme: dark)';

function subscribeSystemTheme(onChange: () => void): () => void {
  const query = window.matchMedia(DARK_QUERY);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

function systemPrefersDark(): boolean {
  return window.matchMedia(DARK_QUERY).matches;
}

/** The theme in effect: the setting, or the operating system's if the setting is 'system'. */
export function useTheme(): Theme {
  const setting = useSettings((s) => s.theme);
  const dark = useSyncExternalStore(subscribeSystemTheme, systemPrefersDark);
  return resolveTheme(setting, dark);
}

/** Applies the settings to the page as they change (index.html applied the saved ones before the first paint). */
export function useDisplaySettings(): void {
  const theme = useTheme();
  const textSize = useSettings((s) => s.textSize);
  const language = useSettings((s) => s.language);
  useLayoutEffect(() => { document.documentElement.dataset.theme = theme; }, [theme]);
  useLayoutEffect(() => { document.documentElement.dataset.textSize = textSize; }, [textSize]);
  useLayoutEffect(() => setLanguage(language), [language]);
}
