// The UI's languages: English and Chinese, switchable at any time (the choice is a saved setting).
// Every area of the page keeps its text in its own module under messages/, both languages together.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { app } from './messages/app.ts';
import { authoring } from './messages/authoring.ts';
import { encoding } from './messages/encoding.ts';
import { eventloop } from './messages/eventloop.ts';
import { expiry } from './messages/expiry.ts';
import { follow } from './messages/follow.ts';
import { dict } from './messages/dict.ts';
import { lessons } from './messages/lessons.ts';
import { pwa } from './messages/pwa.ts';
import { panels } from './messages/panels.ts';
import { settings } from './messages/settings.ts';
import { skiplist } from './messages/skiplist.ts';
import { shortcuts } from './messages/shortcuts.ts';
import { terminal } from './messages/terminal.ts';
import { time } from './messages/time.ts';
import { world } from './messages/world.ts';
import { useSettings } from '../state/settings.ts';
import { browserLanguage, htmlLang, type Language } from './language.ts';

export { LANGUAGES, type Language } from './language.ts';

/** Each area's messages, under its own top-level key: t('app.status.ready'). */
const AREAS = {
  app,
  authoring,
  encoding,
  eventloop,
  expiry,
  follow,
  dict,
  lessons,
  pwa,
  panels,
  settings,
  skiplist,
  shortcuts,
  terminal,
  time,
  world,
};

function resourcesFor(lang: Language) {
  return Object.fromEntries(Object.entries(AREAS).map(([area, m]) => [area, m[lang]]));
}

/** The browser's preferred language if we have it, else English. */
export const defaultLanguage = browserLanguage;

/** Starts in the saved language as far as it is known before IndexedDB answers (see state/settings.ts). */
export function initI18n(lang: Language = useSettings.getState().language) {
  void i18next.use(initReactI18next).init({
    lng: lang,
    fallbackLng: 'en',
    resources: { en: { translation: resourcesFor('en') }, zh: { translation: resourcesFor('zh') } },
    interpolation: { escapeValue: false }, // React escapes
    initAsync: false,
  });
  document.documentElement.lang = htmlLang(lang);
  return i18next;
}

/** Switches the page's text now (components re-render); the setting itself is state/settings.ts. */
export function setLanguage(lang: Language): void {
  if (i18next.language !== lang) void i18next.changeLanguage(lang);
  document.documentElement.lang = htmlLang(lang);
}

/** react-i18next's useTranslation with a memoized t (see cachedTranslation.ts). */
export { useTranslation } from './cachedTranslation.ts';
