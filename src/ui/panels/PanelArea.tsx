// The panel area: live views of the server's state next to the terminals (the keyspace overview
// now; the internals panels of later issues join it).
import type { KeyspaceEngine } from '../state/keyspace.ts';
import { useTranslation } from '../i18n/index.ts';
import { KeyspacePanel } from './KeyspacePanel.tsx';

export function PanelArea({ engine }: { engine: KeyspaceEngine }) {
  const { t } = useTranslation();
  return (
    <section className="panels" aria-labelledby="panels-heading">
      <h2 id="panels-heading" className="visually-hidden">{t('app.regions.panels')}</h2>
      <KeyspacePanel engine={engine} />
    </section>
  );
}
