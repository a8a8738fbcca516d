// The UI's languages, apart from i18next so that stores and tests can name them without a DOM.

export const LANGUAGES = ['en', 'zh'] as const;
export type Language = typeof LANGUAGES[number];

export function isLanguage(value: unknown): value is Language {
  return (LANGUAGES as readonly unknown[]).includes(value);
}

/** The browser's preferred language if we have it, else English. */
export function browserLanguage(): Language {
  const nav = (globalThis as { navigator?: { languages?: readonly string[]; language?: string } }).navigator;
  const preferred = nav?.languages?.length ? nav.languages : nav?.language ? [nav.language] : [];
  return preferred.some((l) => l.toLowerCase().startsWith('zh')) ? 'zh' : 'en';
}

/** The value of <html lang>. */
export function htmlLang(lang: Language): string {
  return lang === 'zh' ? 'zh-CN' : 'en';
}
