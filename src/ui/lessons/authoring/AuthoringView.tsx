// The lesson authoring view: a modal dialog with a lesson's JSON in the monaco editor, the problems
// the checks find (JSON, schema, the catalog's cross checks, the rules for lessons of one's own),
// a live preview of the lesson, and the file actions: start from a new lesson or a copy of a
// built-in one, save to "My lessons" (and play it), export a .json file, import lesson files.
// Escape or the Close button closes it; the text stays as a draft for next time.
import { lazy, Suspense, useCallback, useEffect, useId, useMemo, useRef, useState, type ChangeEvent } from 'react';
import type { Lesson } from '../../../lessons/schema.ts';
import { localize, type LessonLanguage } from '../../../lessons/text.ts';
import { useTranslation } from '../../i18n/index.ts';
import { useTheme } from '../../shell/displaySettings.ts';
import { useSettings, type TextSize } from '../../state/settings.ts';
import { lessonController, useLessonRunner } from '../lessonRunner.ts';
import { bundledContext, checkLessonText, lessonFileName, type LessonProblem } from '../lessonCheck.ts';
import { useUserLessons, type ImportOutcome } from '../userLessons.ts';
import { authoringHydrated, EDITOR_TEXT_SIZES, useAuthoring, type EditorTextSize } from './authoringState.ts';
import { downloadFile } from '../../shell/download.ts';
import { readChosenFiles } from './files.ts';
import type { EditorHandle } from './LessonEditor.tsx';
import { LessonPreview } from './LessonPreview.tsx';
import { builtinLessonSource, newLessonSource } from './template.ts';

const LessonEditor = lazy(() => import('./LessonEditor.tsx').then((m) => ({ default: m.LessonEditor })));

/** The editor's font size in px: the app's text size, then the editor's own setting. */
const BASE_FONT: Record<TextSize, number> = { normal: 13, large: 16, projector: 22 };
const SCALE: Record<EditorTextSize, number> = { small: 0.85, medium: 1, large: 1.25 };
/** How long typing pauses before the text is checked and the preview follows. */
const CHECK_DELAY_MS = 200;

function useLanguage(): LessonLanguage {
  const { i18n } = useTranslation();
  return i18n.language === 'zh' ? 'zh' : 'en';
}

/** What the last action came to, shown while the text is still the one it acted on. */
type Status = { kind: 'ok' | 'error'; text: string; at: string } | null;

export function AuthoringView() {
  const { t } = useTranslation();
  const lang = useLanguage();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [initial, setInitial] = useState<string | null>(null);

  // The text to start from: what the sidebar asked to edit, else the saved draft, else the template.
  useEffect(() => {
    let live = true;
    void authoringHydrated().then(() => {
      if (!live) return;
      const store = useAuthoring.getState();
      const incoming = store.takeIncoming();
      if (incoming) store.setEditing(incoming.editing);
      setInitial(incoming?.source ?? store.draft ?? newLessonSource());
    });
    return () => { live = false; };
  }, []);

  // A modal dialog: focus stays inside, Escape closes it, and the focus goes back where it was.
  useEffect(() => {
    const el = dialog.current!;
    const back = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!el.open) el.showModal();
    return () => {
      if (el.open) el.close();
      if (back?.isConnected) back.focus();
    };
  }, []);

  return (
    <dialog ref={dialog} className="authoring-dialog" aria-labelledby={titleId} data-testid="authoring"
      onClose={() => useAuthoring.getState().hide()}
      onCancel={(e) => { e.preventDefault(); useAuthoring.getState().hide(); }}
      // The page's own keys (Space and "." for time, "?" for help) stay out of a modal dialog: here a
      // key is text for the editor or a field (monaco's input is not an <input>, so the page could not tell).
      onKeyDown={(e) => e.stopPropagation()}>
      <div className="authoring-head">
        <h2 id={titleId}>{t('authoring.title')}</h2>
        <button type="button" className="authoring-close" onClick={() => useAuthoring.getState().hide()} aria-label={t('authoring.closeLabel')}>
          {t('authoring.close')}
        </button>
      </div>
      {initial === null
        ? <p role="status">{t('authoring.loadingEditor')}</p>
        : <Workbench initial={initial} lang={lang} />}
    </dialog>
  );
}

function Workbench({ initial, lang }: { initial: string; lang: LessonLanguage }) {
  const { t } = useTranslation();
  const ctx = bundledContext();
  const theme = useTheme();
  const appTextSize = useSettings((s) => s.textSize);
  const textSize = useAuthoring((s) => s.textSize);
  const editing = useAuthoring((s) => s.editing);
  const userLessons = useUserLessons((s) => s.lessons);
  const [text, setText] = useState(initial);
  const [checkedText, setCheckedText] = useState(initial);
  const [previewLang, setPreviewLang] = useState<LessonLanguage>(lang);
  const [status, setStatus] = useState<Status>(null);
  const [imports, setImports] = useState<(ImportOutcome & { failed: { file: string; reason: string }[] }) | null>(null);
  const [startFrom, setStartFrom] = useState('');
  const handle = useRef<EditorHandle | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const textRef = useRef(text);
  textRef.current = text;

  // Typing pauses: the text is checked, the preview follows and the draft is kept.
  useEffect(() => {
    const timer = setTimeout(() => {
      setCheckedText(text);
      useAuthoring.getState().setDraft(text);
    }, CHECK_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text]);
  // Closing the view keeps the very last text.
  useEffect(() => () => useAuthoring.getState().setDraft(textRef.current), []);

  const userIds = useMemo(() => new Set(Object.keys(userLessons)), [userLessons]);
  const check = useMemo(() => checkLessonText(checkedText, { ...ctx, userIds, editing }), [checkedText, ctx, userIds, editing]);
  // The preview shows what the schema accepts (a copy of a built-in lesson, still under its id, too).
  const [shown, setShown] = useState<Lesson | null>(check.parsed);
  useEffect(() => { if (check.parsed) setShown(check.parsed); }, [check.parsed]);
  const stale = check.parsed === null;
  // Markers of our own: what monaco's JSON schema check does not find itself.
  const markers = useMemo(() => check.problems.filter((p) => p.source === 'catalog' || p.source === 'mine'), [check.problems]);

  const saved = editing ? userLessons[editing] : undefined;
  const dirty = !saved || saved.source !== text;

  /** Puts a text in the editor (as an edit: Ctrl+Z brings back what was there). */
  const load = (source: string, editingId: string | null) => {
    const hadUnsaved = dirty && text.trim() !== '' && text !== newLessonSource();
    if (handle.current) handle.current.replaceText(source);
    else setText(source);
    useAuthoring.getState().setEditing(editingId);
    setStatus(hadUnsaved ? { kind: 'ok', text: t('authoring.status.replaced'), at: source } : null);
  };

  const onStartFrom = () => {
    const [kind, id] = startFrom.split(':', 2);
    if (kind === 'builtin') {
      const source = builtinLessonSource(id);
      if (source) load(source, null);
    } else if (kind === 'mine') {
      const mine = useUserLessons.getState().lessons[id];
      if (mine) load(mine.source, id);
    }
  };

  /** Saves the editor's text now (checked as it is, not as it was at the last pause). */
  const save = useCallback((): Lesson | null => {
    const current = textRef.current;
    const store = useUserLessons.getState();
    const result = checkLessonText(current, { ...ctx, userIds: new Set(Object.keys(store.lessons)), editing: useAuthoring.getState().editing });
    setCheckedText(current);
    if (!result.lesson) {
      setStatus({ kind: 'error', text: t('authoring.toolbar.saveBlocked'), at: current });
      return null;
    }
    store.save(result.lesson, current);
    useAuthoring.getState().setEditing(result.lesson.id);
    useAuthoring.getState().setDraft(current);
    setStatus({ kind: 'ok', text: t('authoring.status.saved', { id: result.lesson.id }), at: current });
    return result.lesson;
  }, [ctx, t]);

  const onPlay = () => {
    const lesson = save();
    if (!lesson) return;
    useAuthoring.getState().hide();
    useLessonRunner.setState({ collapsed: false });
    void lessonController()?.open(lesson.id);
  };

  const onExport = () => {
    let name = 'lesson.json';
    try {
      const data = JSON.parse(text) as { id?: unknown; order?: unknown };
      if (typeof data.id === 'string' && /^[a-z0-9-]+$/.test(data.id)) name = lessonFileName({ id: data.id, order: typeof data.order === 'number' ? data.order : 0 });
    } catch {
      // not JSON yet: exported under the plain name, as it is
    }
    downloadFile(text.endsWith('\n') ? text : text + '\n', name);
    setStatus({ kind: 'ok', text: t('authoring.status.exported', { name }), at: text });
  };

  const onImport = async (e: ChangeEvent<HTMLInputElement>) => {
    const files = e.target.files ? Array.from(e.target.files) : [];
    e.target.value = '';
    if (files.length === 0) return;
    const { read, failed } = await readChosenFiles(files);
    const outcome = useUserLessons.getState().importFiles(read);
    setImports({ ...outcome, failed });
    setStatus(null);
  };

  const shownStatus = status && status.at === text ? status : null;
  const fontSize = Math.round(BASE_FONT[appTextSize] * SCALE[textSize]);
  const builtins = ctx.builtin.lessons;
  const mine = Object.values(userLessons).sort((a, b) => (a.id < b.id ? -1 : 1));

  return (
    <div className="authoring-body">
      <div className="authoring-toolbar" role="group" aria-label={t('authoring.toolbar.label')}>
        <button type="button" title={t('authoring.toolbar.newLessonTitle')} onClick={() => load(newLessonSource(), null)}>
          {t('authoring.toolbar.newLesson')}
        </button>
        <span className="authoring-start-from">
          <select value={startFrom} onChange={(e) => setStartFrom(e.target.value)} aria-label={t('authoring.toolbar.copyFrom')} data-testid="authoring-start-from">
            <option value="">{t('authoring.toolbar.copyPlaceholder')}</option>
            <optgroup label={t('authoring.toolbar.builtinGroup')}>
              {builtins.map((l) => <option key={l.id} value={`builtin:${l.id}`}>{localize(l.title, lang)} ({l.id})</option>)}
            </optgroup>
            {mine.length > 0 && (
              <optgroup label={t('authoring.toolbar.mineGroup')}>
                {mine.map((l) => <option key={l.id} value={`mine:${l.id}`}>{l.lesson ? localize(l.lesson.title, lang) : l.id} ({l.id})</option>)}
              </optgroup>
            )}
          </select>
          <button type="button" disabled={startFrom === ''} title={t('authoring.toolbar.copyTitle')} onClick={onStartFrom}>
            {startFrom.startsWith('mine:') ? t('authoring.mine.edit') : t('authoring.toolbar.copy')}
          </button>
        </span>
        <button type="button" title={t('authoring.toolbar.formatTitle')} onClick={() => handle.current?.format()}>{t('authoring.toolbar.format')}</button>
        <button type="button" title={t('authoring.toolbar.saveTitle')} onClick={() => { save(); }} data-testid="authoring-save">{t('authoring.toolbar.save')}</button>
        <button type="button" title={t('authoring.toolbar.playTitle')} onClick={onPlay}>{t('authoring.toolbar.play')}</button>
        <button type="button" title={t('authoring.toolbar.exportTitle')} onClick={onExport}>{t('authoring.toolbar.export')}</button>
        <button type="button" title={t('authoring.toolbar.importTitle')} onClick={() => fileInput.current?.click()}>{t('authoring.toolbar.import')}</button>
        <input ref={fileInput} type="file" accept="application/json,.json" multiple hidden onChange={(e) => { void onImport(e); }}
          data-testid="authoring-import-file" aria-label={t('authoring.toolbar.import')} />
        <label className="authoring-text-size">
          {t('authoring.toolbar.textSize')}{' '}
          <select value={textSize} onChange={(e) => useAuthoring.getState().setTextSize(e.target.value as EditorTextSize)}>
            {EDITOR_TEXT_SIZES.map((s) => <option key={s} value={s}>{t(`authoring.toolbar.textSizes.${s}`)}</option>)}
          </select>
        </label>
      </div>
      <p className="authoring-status" role="status" data-kind={shownStatus?.kind} data-testid="authoring-status">
        {shownStatus ? shownStatus.text : editing ? t('authoring.status.editing', { id: editing }) + (dirty ? ' ' + t('authoring.status.unsaved') : '') : t('authoring.status.editingNew')}
      </p>
      {imports && <ImportReport outcome={imports} lang={lang} />}

      <div className="authoring-main">
        <div className="authoring-left">
          <div className="authoring-editor">
            <Suspense fallback={<p className="authoring-editor-loading" role="status">{t('authoring.loadingEditor')}</p>}>
              <LessonEditor
                initialText={initial}
                onChange={setText}
                onReady={(h) => { handle.current = h; }}
                onSave={() => { save(); }}
                theme={theme}
                fontSize={fontSize}
                ariaLabel={t('authoring.editorLabel')}
                markers={markers}
                language={lang}
              />
            </Suspense>
          </div>
          <Problems problems={check.problems} lang={lang} onReveal={(p) => { if (p.offset !== undefined) handle.current?.reveal(p.offset, p.length ?? 1); }} />
        </div>
        <section className="authoring-preview" aria-labelledby="authoring-preview-title" data-testid="authoring-preview" data-stale={stale || undefined}>
          <div className="authoring-preview-head">
            <h3 id="authoring-preview-title">{t('authoring.preview.title')}</h3>
            <div role="radiogroup" aria-label={t('authoring.preview.language')} className="authoring-preview-lang">
              {(['en', 'zh'] as const).map((l) => (
                <label key={l}>
                  <input type="radio" name="authoring-preview-lang" value={l} checked={previewLang === l} onChange={() => setPreviewLang(l)} />
                  {l === 'en' ? 'English' : '中文'}
                </label>
              ))}
            </div>
          </div>
          {stale && <p className="authoring-preview-stale">{shown ? t('authoring.preview.stale') : t('authoring.preview.nothing')}</p>}
          {shown && <LessonPreview lesson={shown} lang={previewLang} catalog={ctx.builtin} />}
        </section>
      </div>
    </div>
  );
}

function Problems({ problems, lang, onReveal }: { problems: LessonProblem[]; lang: LessonLanguage; onReveal(p: LessonProblem): void }) {
  const { t } = useTranslation();
  const headingId = useId();
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.filter((p) => p.severity === 'warning').length;
  return (
    <section className="authoring-problems" aria-labelledby={headingId} data-testid="authoring-problems" data-errors={errors} data-warnings={warnings}>
      <h3 id={headingId}>
        {t('authoring.problems.title')}{' '}
        <span className="authoring-problem-count">{problems.length === 0 ? '' : t('authoring.problems.count', { errors, warnings })}</span>
      </h3>
      {problems.length === 0 ? <p className="authoring-no-problems">{t('authoring.problems.none')}</p> : (
        <ul>
          {problems.map((p, i) => (
            <li key={i} data-severity={p.severity} data-source={p.source} data-path={p.path}>
              <span className="authoring-severity" data-severity={p.severity}>{t(`authoring.problems.severity.${p.severity}`)}</span>
              <span className="authoring-source">{t(`authoring.problems.source.${p.source}`)}</span>
              {p.offset !== undefined ? (
                <button type="button" className="authoring-problem-at" onClick={() => onReveal(p)} aria-label={t('authoring.problems.goTo', { path: p.path })}>
                  <code>{p.path}</code>{p.line !== undefined && <> · {t('authoring.problems.at', { line: p.line, column: p.column })}</>}
                </button>
              ) : <code>{p.path}</code>}
              <span className="authoring-problem-message">{p.message[lang]}</span>
            </li>
          ))}
        </ul>
      )}
      {warnings > 0 && <p className="authoring-note">{t('authoring.problems.warningsNote')}</p>}
    </section>
  );
}

function ImportReport({ outcome, lang }: { outcome: ImportOutcome & { failed: { file: string; reason: string }[] }; lang: LessonLanguage }) {
  const { t } = useTranslation();
  const replaced = outcome.imported.filter((i) => i.replaced).map((i) => i.id);
  return (
    <div className="authoring-import" role="status" data-testid="authoring-import-result">
      {outcome.imported.length > 0 && (
        <p data-ok="true">
          {t('authoring.importResult.imported', { count: outcome.imported.length, ids: outcome.imported.map((i) => i.id).join(', ') })}
          {replaced.length > 0 && <> {t('authoring.importResult.replacedNote', { ids: replaced.join(', ') })}</>}
        </p>
      )}
      {outcome.failed.map((f) => (
        <div key={`failed-${f.file}`} className="authoring-import-rejected" data-file={f.file}>
          <p>{t('authoring.importResult.rejected', { file: f.file })}</p>
          <ul><li>{t('authoring.importResult.readFailed', { reason: f.reason })}</li></ul>
        </div>
      ))}
      {outcome.rejected.map((r, i) => (
        <div key={`rejected-${i}`} className="authoring-import-rejected" data-file={r.file}>
          <p>{t('authoring.importResult.rejected', { file: r.file })}</p>
          <ul>
            {r.problems.slice(0, 8).map((p, j) => (
              <li key={j}>
                <code>{p.path}</code>{p.line !== undefined && <> ({t('authoring.problems.at', { line: p.line, column: p.column })})</>}: {p.message[lang]}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}
