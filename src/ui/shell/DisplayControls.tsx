// The header's display settings: language, theme, text size (saved: state/settings.ts).
import { useTranslation } from '../i18n/index.ts';
import { LANGUAGES, type Language } from '../i18n/language.ts';
import { TEXT_SIZES, THEMES, useSettings, type TextSize, type ThemeSetting } from '../state/settings.ts';

/** Each language by its own name, whatever the page's language. */
const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', zh: '中文' };

export function DisplayControls() {
  const { t } = useTranslation();
  const { language, theme, textSize, setLanguage, setTheme, setTextSize } = useSettings();
  return (
    <>
      <label className="header-select">
        <span className="visually-hidden">{t('settings.language')}</span>
        <select value={language} onChange={(e) => setLanguage(e.target.value as Language)} data-testid="language-select">
          {LANGUAGES.map((l) => <option key={l} value={l} lang={l === 'zh' ? 'zh-CN' : 'en'}>{LANGUAGE_NAMES[l]}</option>)}
        </select>
      </label>
      <label className="header-select">
        <span className="visually-hidden">{t('settings.theme.label')}</span>
        <select value={theme} onChange={(e) => setTheme(e.target.value as ThemeSetting)} data-testid="theme-select">
          {THEMES.map((v) => <option key={v} value={v}>{t(`settings.theme.${v}`)}</option>)}
        </select>
      </label>
      <label className="header-select">
        <span className="visually-hidden">{t('settings.textSize.label')}</span>
        <select value={textSize} onChange={(e) => setTextSize(e.target.value as TextSize)} data-testid="text-size-select">
          {TEXT_SIZES.map((v) => <option key={v} value={v}>{t(`settings.textSize.${v}`)}</option>)}
        </select>
      </label>
    </>
  );
}
