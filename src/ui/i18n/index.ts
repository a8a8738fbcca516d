// The UI's languages: English and Chinese, switchable at any time (the choice is a saved setting).
// Every area of the page keeps its text in its own module under messages/, both languages together.
import i18next from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import { app } from './messages/app.ts';

export const LANGUAGES = ['en', 'zh'] as const;
export type Language = typeof LANGUAGES[number];

/** Each area's messages, under its own top-level key: t('app.status.ready'). */
const AREAS = { app };

function resourcesFor(lang: Language) {
  return Object.fromEntries(Object.entries(AREAS).map(([area, m]) => [area, m[lang]]));
}

/** The browser's preferred language if we have it, else English. */
export function defaultLanguage(): Language {
  const preferred = typeof navigator === 'undefined' ? [] : navigator.languages ?? [navigator.language];
  return preferred.some((l) => l.toLowerCase().startsWith('zh')) ? 'zh' : 'en';
}

export function initI18n(lang: Language = defaultLanguage()) {
  void i18next.use(initReactI18next).init({
    lng: lang,
    fallbackLng: 'en',
    resources: { en: { translation: resourcesFor('en') }, zh: { translation: resourcesFor('zh') } },
    interpolation: { escapeValue: false }, // React escapes
    initAsync: false,
  });
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  return i18next;
}

export function setLanguage(lang: Language): void {
  void i18next.changeLanguage(lang);
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
}

export { useTranslation };
