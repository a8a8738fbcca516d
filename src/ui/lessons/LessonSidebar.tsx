// The lesson sidebar (the lesson track fills it in a later issue).
import { useTranslation } from '../i18n/index.ts';

export function LessonSidebar() {
  const { t } = useTranslation();
  return (
    <aside className="lessons placeholder" aria-label={t('app.regions.lessons')}>
      <h2>{t('app.regions.lessons')}</h2>
      <p>{t('app.regions.lessonsPlaceholder')}</p>
    </aside>
  );
}
