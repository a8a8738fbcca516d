// The panel area: live views of the server's state next to the terminals.
import { useTranslation } from '../i18n/index.ts';

export function PanelArea() {
  const { t } = useTranslation();
  return (
    <section className="panels" aria-label={t('app.regions.panels')}>
      <h2>{t('app.regions.panels')}</h2>
    </section>
  );
}
