// The keyboard shortcuts dialog: "?" opens it (not while typing in a terminal or a field, where
// "?" is text), F1 from anywhere, the header's button too; Escape closes it and the focus goes
// back where it was.
import { Fragment, useEffect, useId, useRef } from 'react';
import { useTranslation } from '../i18n/index.ts';
import { isTypingTarget, SHORTCUT_SCOPES, SHORTCUTS, useShortcutsHelp } from './shortcuts.ts';

export function ShortcutsButton() {
  const { t } = useTranslation();
  const show = useShortcutsHelp((s) => s.show);
  return (
    <button type="button" onClick={show} aria-haspopup="dialog" aria-keyshortcuts="Shift+? F1" data-testid="shortcuts-button">
      {t('shortcuts.button')}
    </button>
  );
}

function noModifiers(ev: KeyboardEvent): boolean {
  return !ev.ctrlKey && !ev.altKey && !ev.metaKey;
}

/** One way to press a shortcut: "Ctrl+A" as Ctrl + A keys, "Esc Tab" as Esc then Tab. */
function KeyCombo({ combo, then }: { combo: string; then: string }) {
  return (
    <>
      {combo.split(' ').map((step, i) => (
        <Fragment key={i}>
          {i > 0 && ` ${then} `}
          {step.split('+').map((k, j) => <Fragment key={j}>{j > 0 && '+'}<kbd>{k}</kbd></Fragment>)}
        </Fragment>
      ))}
    </>
  );
}

export function ShortcutsDialog() {
  const { t } = useTranslation();
  const open = useShortcutsHelp((s) => s.open);
  const dialog = useRef<HTMLDialogElement>(null);
  const returnFocus = useRef<HTMLElement | null>(null);
  const titleId = useId();

  useEffect(() => {
    const { toggle } = useShortcutsHelp.getState();
    const onKey = (ev: KeyboardEvent) => {
      if (ev.defaultPrevented || !noModifiers(ev)) return;
      // F1: the terminal lets it through (linenoise ignores it), and the browser's own help stays shut.
      if (ev.key === 'F1' && !ev.shiftKey) {
        ev.preventDefault();
        toggle();
      } else if (ev.key === '?' && !isTypingTarget(ev.target)) {
        ev.preventDefault();
        toggle();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    const el = dialog.current!;
    if (open && !el.open) {
      returnFocus.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      el.showModal();
    } else if (!open && el.open) {
      el.close();
    }
  }, [open]);

  // Closed by Escape, the button, or a toggle: the store follows and the focus goes back.
  const onClose = () => {
    useShortcutsHelp.getState().hide();
    const back = returnFocus.current;
    returnFocus.current = null;
    if (back?.isConnected) back.focus();
  };

  return (
    <dialog ref={dialog} className="shortcuts-dialog" aria-labelledby={titleId} onClose={onClose} data-testid="shortcuts-dialog">
      <div className="shortcuts-head">
        <h2 id={titleId}>{t('shortcuts.title')}</h2>
        <button type="button" onClick={() => dialog.current?.close()}>{t('shortcuts.close')}</button>
      </div>
      {open && SHORTCUT_SCOPES.map((scope) => (
        <table key={scope} className="shortcuts-table">
          <caption>{t(`shortcuts.scopes.${scope}`)}</caption>
          <thead>
            <tr><th scope="col">{t('shortcuts.keysHeading')}</th><th scope="col">{t('shortcuts.actionHeading')}</th></tr>
          </thead>
          <tbody>
            {SHORTCUTS.filter((s) => s.scope === scope).map((s) => (
              <tr key={s.action}>
                <td className="shortcut-keys">
                  {s.keys.map((combo, i) => (
                    <Fragment key={combo}>{i > 0 && ' / '}<KeyCombo combo={combo} then={t('shortcuts.then')} /></Fragment>
                  ))}
                </td>
                <td>{t(`shortcuts.actions.${s.action}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </dialog>
  );
}
