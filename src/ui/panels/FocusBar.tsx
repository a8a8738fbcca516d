// The key an internals panel looks at: follows the terminal's last command unless pinned; the
// learner can also type a key (and pick its db).
import { useEffect, useId, useState } from 'react';
import { binaryToUtf8, utf8ToBinary } from '../../engine/bytes.ts';
import { useTranslation } from '../i18n/index.ts';
import { usePanels } from '../state/panels.ts';

export function FocusBar() {
  const { t } = useTranslation();
  const focus = usePanels((s) => s.focus);
  const pinned = usePanels((s) => s.pinned);
  const setFocus = usePanels((s) => s.setFocus);
  const setPinned = usePanels((s) => s.setPinned);
  const [text, setText] = useState(focus ? binaryToUtf8(focus.key) : '');
  useEffect(() => { setText(focus ? binaryToUtf8(focus.key) : ''); }, [focus]);
  const ids = { key: useId(), db: useId() };
  return (
    <form className="focus-bar" data-testid="focus-bar"
      onSubmit={(e) => {
        e.preventDefault();
        if (text !== '') setFocus({ db: focus?.db ?? 0, key: utf8ToBinary(text) });
      }}>
      <label htmlFor={ids.key}>{t('panels.focus.label')}</label>
      <input id={ids.key} value={text} onChange={(e) => setText(e.target.value)} placeholder={t('panels.focus.input')}
        onBlur={() => { if (text !== '' && (!focus || binaryToUtf8(focus.key) !== text)) setFocus({ db: focus?.db ?? 0, key: utf8ToBinary(text) }); }} />
      <label htmlFor={ids.db}>{t('panels.focus.db')}</label>
      <select id={ids.db} value={focus?.db ?? 0} disabled={!focus}
        onChange={(e) => focus && setFocus({ db: Number(e.target.value), key: focus.key })}>
        {Array.from({ length: 16 }, (_, i) => <option key={i} value={i}>{i}</option>)}
      </select>
      <button type="button" aria-pressed={pinned} onClick={() => setPinned(!pinned)}
        title={t(pinned ? 'panels.focus.pinned' : 'panels.focus.following')}>
        {t('panels.focus.pin')}
      </button>
    </form>
  );
}
