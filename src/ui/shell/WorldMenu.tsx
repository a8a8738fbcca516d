// The header's World menu: how the world's saving goes, "save now", export as a world file or as
// dump.rdb, import either, and reset (after a confirmation). The worker does the work
// (src/worker/worldKeeper.ts); this shows its answers: what was done, or why not.
import { useEffect, useId, useRef, useState, type ChangeEvent, type KeyboardEvent } from 'react';
import type { EngineWorker } from '../engine/engineConnection.ts';
import { downloadFile, fileStamp } from './download.ts';
import { useTranslation } from '../i18n/index.ts';
import { formatSaveTime, keepWorld, useWorldStatus } from '../state/world.ts';

type Action = 'save' | 'export-world' | 'export-rdb' | 'import' | 'reset';
type Result = { ok: boolean; text: string };

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function WorldMenu({ engine }: { engine: EngineWorker }) {
  const { t, i18n } = useTranslation();
  useEffect(() => keepWorld(engine), [engine]);
  const world = useWorldStatus((s) => s.world);
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState<Action | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  const root = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const cancelReset = useRef<HTMLButtonElement>(null);
  const resetItem = useRef<HTMLButtonElement>(null);
  const panelId = useId();

  const close = (refocus: boolean) => {
    setOpen(false);
    setConfirming(false);
    if (refocus) toggle.current?.focus();
  };

  // A click elsewhere closes it, as menus do.
  useEffect(() => {
    if (!open) return;
    const onPointerDown = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) close(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open]);

  useEffect(() => { if (confirming) cancelReset.current?.focus(); }, [confirming]);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape' || !open) return;
    e.preventDefault();
    e.stopPropagation();
    if (confirming) {
      setConfirming(false);
      resetItem.current?.focus();
    } else {
      close(true);
    }
  };

  const run = async (action: Action, work: () => Promise<string>, failure: (reason: string) => string) => {
    setBusy(action);
    setResult(null);
    try {
      setResult({ ok: true, text: await work() });
    } catch (e) {
      setResult({ ok: false, text: failure(messageOf(e)) });
    } finally {
      setBusy(null);
    }
  };

  const saveNow = () => run('save', async () => {
    await engine.saveWorld();
    return t('world.results.saved');
  }, (reason) => t('world.results.saveFailed', { reason }));

  const exportAs = (format: 'world' | 'rdb') => run(format === 'world' ? 'export-world' : 'export-rdb', async () => {
    const bytes = await engine.exportWorld(format);
    const file = format === 'world' ? `rediscope-world-${fileStamp(new Date())}.json` : 'dump.rdb';
    downloadFile(bytes, file, format === 'world' ? 'application/json' : 'application/octet-stream');
    return t('world.results.exported', { file });
  }, (reason) => t('world.results.exportFailed', { reason }));

  const onFile = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = ''; // the same file can be chosen again
    if (!file) return;
    void run('import', async () => {
      await engine.importWorld(new Uint8Array(await file.arrayBuffer()));
      return t('world.results.imported', { file: file.name });
    }, (reason) => t('world.results.importFailed', { file: file.name, reason }));
  };

  const reset = async () => {
    setConfirming(false);
    resetItem.current?.focus();
    await run('reset', async () => {
      await engine.resetWorld();
      return t('world.results.reset');
    }, (reason) => t('world.results.resetFailed', { reason }));
  };

  let state = '';
  if (world) {
    if (world.saveError) state = t('world.state.saveFailed', { reason: world.saveError });
    else if (world.unsaved) state = t('world.state.unsaved');
    else if (world.lastSavedAt !== null) state = t('world.state.saved', { time: formatSaveTime(world.lastSavedAt, i18n.language) });
    else state = t('world.state.nothingSaved');
  }
  const disabled = busy !== null || world === null;

  return (
    <div
      className="world-menu" ref={root} onKeyDown={onKeyDown} data-testid="world-menu"
      data-unsaved={world ? String(world.unsaved) : undefined}
      data-saved-at={world?.lastSavedAt ?? undefined}
      data-origin={world?.origin}
    >
      <button
        type="button" ref={toggle} aria-expanded={open} aria-controls={panelId}
        onClick={() => (open ? close(false) : (setOpen(true), setResult(null)))} data-testid="world-menu-button"
      >
        {t('world.menu.button')}
      </button>
      <div id={panelId} className="world-menu-panel" role="group" aria-label={t('world.menu.label')} hidden={!open}>
        <p className="world-menu-state" data-testid="world-save-state">{state}</p>
        <ul>
          <li>
            <button type="button" onClick={() => void saveNow()} disabled={disabled || !world?.unsaved}>{t('world.actions.saveNow')}</button>
          </li>
          <li>
            <button type="button" onClick={() => void exportAs('world')} disabled={disabled} aria-describedby={`${panelId}-ew`}>{t('world.actions.exportWorld')}</button>
            <small id={`${panelId}-ew`}>{t('world.actions.exportWorldHint')}</small>
          </li>
          <li>
            <button type="button" onClick={() => void exportAs('rdb')} disabled={disabled} aria-describedby={`${panelId}-er`}>{t('world.actions.exportRdb')}</button>
            <small id={`${panelId}-er`}>{t('world.actions.exportRdbHint')}</small>
          </li>
          <li>
            <button type="button" onClick={() => fileInput.current?.click()} disabled={disabled} aria-describedby={`${panelId}-im`}>{t('world.actions.import')}</button>
            <small id={`${panelId}-im`}>{t('world.actions.importHint')}</small>
            <input
              ref={fileInput} type="file" className="visually-hidden" tabIndex={-1} accept=".json,.rdb,application/json"
              aria-label={t('world.actions.importLabel')} onChange={onFile} data-testid="world-import-input"
            />
          </li>
          <li>
            <button type="button" ref={resetItem} onClick={() => setConfirming(true)} disabled={disabled} aria-describedby={`${panelId}-rs`}>{t('world.actions.reset')}</button>
            <small id={`${panelId}-rs`}>{t('world.actions.resetHint')}</small>
          </li>
        </ul>
        {confirming && (
          <div className="world-menu-confirm" role="alertdialog" aria-modal="false" aria-labelledby={`${panelId}-cf`}>
            <p id={`${panelId}-cf`}>{t('world.confirmReset.text')}</p>
            <div className="world-menu-confirm-actions">
              <button type="button" className="danger" onClick={() => void reset()}>{t('world.confirmReset.confirm')}</button>
              <button type="button" ref={cancelReset} onClick={() => { setConfirming(false); resetItem.current?.focus(); }}>{t('world.confirmReset.cancel')}</button>
            </div>
          </div>
        )}
        {result && (
          <p className={result.ok ? 'world-menu-result' : 'world-menu-result error'} role={result.ok ? 'status' : 'alert'} data-testid="world-result">
            {result.text}
          </p>
        )}
      </div>
    </div>
  );
}
