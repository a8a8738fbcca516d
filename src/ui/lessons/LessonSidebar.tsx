// The lesson sidebar: the chapters with the learner's progress, the open lesson (its text, the
// current step with its objectives ticking as commands run, why the first unmet one is not met
// yet, hints one at a time, the reference solution played into the terminals, reset, previous and
// next), whether the sandbox or a lesson's world runs, and the progress file (export, import,
// clear). It can be folded away. The work is done by the lesson runner (lessonRunner.ts).
import { useEffect, useId, useRef, useState, type ChangeEvent } from 'react';
import type { Lesson } from '../../lessons/schema.ts';
import { localize, type LessonLanguage } from '../../lessons/text.ts';
import { downloadFile, fileStamp } from '../shell/download.ts';
import { useTranslation } from '../i18n/index.ts';
import { LessonMarkdown } from './LazyLessonMarkdown.tsx';
import { lessonCatalog, lessonController, lessonSequence, neighbour, useLessonRunner } from './lessonRunner.ts';
import { exportProgress, hintsUsed, lessonStatus, parseProgressFile, useProgress } from './progress.ts';
import { MyLessons } from './MyLessons.tsx';
import { useUserLesson, useUserLessons } from './userLessons.ts';

function useLanguage(): LessonLanguage {
  const { i18n } = useTranslation();
  return i18n.language === 'zh' ? 'zh' : 'en';
}

export function LessonSidebar() {
  const { t } = useTranslation();
  const collapsed = useLessonRunner((s) => s.collapsed);
  const view = useLessonRunner((s) => s.view);
  const active = useLessonRunner((s) => s.active);
  const mine = useUserLesson(active);
  const lesson = active ? lessonCatalog().byId.get(active) ?? mine : null;
  const headingId = useId();
  const bodyId = useId();
  return (
    <aside className="lessons" data-collapsed={collapsed} aria-labelledby={headingId}>
      <div className="lessons-head">
        <h2 id={headingId}>{t('lessons.sidebar.title')}</h2>
        <button type="button" className="lessons-toggle" aria-expanded={!collapsed} aria-controls={bodyId}
          onClick={() => useLessonRunner.setState({ collapsed: !collapsed })}
          title={t(collapsed ? 'lessons.sidebar.expand' : 'lessons.sidebar.collapse')}>
          <span aria-hidden="true">{collapsed ? '«' : '»'}</span>
          <span className="visually-hidden">{t(collapsed ? 'lessons.sidebar.expand' : 'lessons.sidebar.collapse')}</span>
        </button>
      </div>
      <div id={bodyId} className="lessons-body" hidden={collapsed}>
        {!collapsed && (
          <>
            <ModeBar lesson={lesson} />
            {view === 'lesson' && lesson ? <LessonView lesson={lesson} /> : <ChapterList />}
            {!(view === 'lesson' && lesson) && <MyLessons />}
            <ProgressTools />
          </>
        )}
      </div>
    </aside>
  );
}

/** Sandbox or lesson world, the way back, a switch under way, the last failure. */
function ModeBar({ lesson }: { lesson: Lesson | null }) {
  const { t } = useTranslation();
  const active = useLessonRunner((s) => s.active);
  const view = useLessonRunner((s) => s.view);
  const switching = useLessonRunner((s) => s.switching);
  const error = useLessonRunner((s) => s.error);
  return (
    <div className="lessons-mode" data-mode={active ? 'lesson' : 'sandbox'}>
      <p className="lessons-mode-text">{t(active ? 'lessons.sidebar.lessonMode' : 'lessons.sidebar.sandboxMode')}</p>
      <div className="lessons-mode-actions">
        {active && (
          <button type="button" disabled={switching !== null} onClick={() => { void lessonController()?.toSandbox(); }}>
            {t('lessons.sidebar.toSandbox')}
          </button>
        )}
        {lesson && view === 'list' && (
          <button type="button" onClick={() => useLessonRunner.setState({ view: 'lesson' })}>{t('lessons.sidebar.toLesson')}</button>
        )}
      </div>
      <p className="lessons-status" role="status">
        {switching === 'opening' && t('lessons.sidebar.opening')}
        {switching === 'leaving' && t('lessons.sidebar.leaving')}
      </p>
      {error && <p className="lessons-error" role="alert">{t('lessons.sidebar.failed', { reason: error })}</p>}
    </div>
  );
}

function ChapterList() {
  const { t } = useTranslation();
  const lang = useLanguage();
  const progress = useProgress((s) => s.lessons);
  const active = useLessonRunner((s) => s.active);
  const switching = useLessonRunner((s) => s.switching);
  const { chapters, lessons } = lessonCatalog();
  if (lessons.length === 0) return <p className="lessons-empty">{t('lessons.sidebar.noLessons')}</p>;
  return (
    <nav className="lesson-chapters" aria-label={t('lessons.list.chapters')}>
      {chapters.map(({ chapter, lessons: inChapter }) => {
        const title = localize(chapter.title, lang);
        if (chapter.status === 'coming' || inChapter.length === 0) {
          return (
            <section key={chapter.id} className="lesson-chapter" data-chapter={chapter.id} data-status="coming">
              <h3>{title}</h3>
              <p className="lesson-coming">
                {chapter.status === 'coming' ? t('lessons.list.coming', { issue: chapter.issue ?? '' }) : t('lessons.list.empty')}
              </p>
            </section>
          );
        }
        const solved = inChapter.filter((l) => progress[l.id]?.solved).length;
        return (
          <section key={chapter.id} className="lesson-chapter" data-chapter={chapter.id} data-status="ready">
            <h3>{title}</h3>
            <p className="lesson-chapter-progress">{t('lessons.list.progress', { done: solved, total: inChapter.length })}</p>
            <ol className="lesson-list">
              {inChapter.map((lesson) => {
                const p = progress[lesson.id];
                const status = lessonStatus(p, lesson);
                const lessonTitle = localize(lesson.title, lang);
                const running = lesson.id === active;
                return (
                  <li key={lesson.id} data-lesson={lesson.id} data-status={status} data-running={running || undefined}>
                    <button type="button" className="lesson-open" disabled={switching !== null}
                      aria-label={t('lessons.list.openLabel', { title: lessonTitle })}
                      onClick={() => {
                        if (running) useLessonRunner.setState({ view: 'lesson' });
                        else void lessonController()?.open(lesson.id);
                      }}>
                      {lessonTitle}
                    </button>
                    <span className="lesson-badge" data-status={status}>
                      {t(`lessons.list.status.${status}`, { step: Math.min((p?.step ?? 0) + 1, lesson.steps.length), total: lesson.steps.length })}
                      {running && <> · {t('lessons.list.running')}</>}
                      {p && hintsUsed(p) > 0 && <> · {t('lessons.list.hintsUsed', { count: hintsUsed(p) })}</>}
                    </span>
                    <p className="lesson-summary">{localize(lesson.summary, lang)}</p>
                  </li>
                );
              })}
            </ol>
          </section>
        );
      })}
    </nav>
  );
}

function LessonView({ lesson }: { lesson: Lesson }) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const progress = useProgress((s) => s.lessons[lesson.id]);
  const step = useLessonRunner((s) => s.step);
  const verdicts = useLessonRunner((s) => s.verdicts);
  const verdictStep = useLessonRunner((s) => s.verdictStep);
  const playing = useLessonRunner((s) => s.playing);
  const switching = useLessonRunner((s) => s.switching);
  const finished = step >= lesson.steps.length;
  const index = Math.min(step, lesson.steps.length - 1);
  const current = lesson.steps[index];
  const chapter = lessonCatalog().chapters.find((c) => c.chapter.id === lesson.chapter)?.chapter;
  const shownHints = finished ? 0 : progress?.hints[current.id] ?? 0;
  const stepVerdicts = !finished && verdictStep === index ? verdicts : null;
  const firstFailing = stepVerdicts?.findIndex((v) => !v.ok) ?? -1;
  const mine = useUserLessons((s) => s.lessons);
  const sequence = lessonSequence(lessonCatalog(), mine);
  const prev = neighbour(lesson.id, -1, sequence);
  const next = neighbour(lesson.id, 1, sequence);
  const clients = lesson.clients ?? 1;
  // A new step comes into view (the lesson's text above it may be long).
  const stepBox = useRef<HTMLElement>(null);
  useEffect(() => {
    if (step > 0) stepBox.current?.scrollIntoView({ block: 'nearest' });
  }, [step]);
  return (
    <article className="lesson" data-lesson={lesson.id} data-step={step} data-finished={finished}>
      <div className="lesson-nav">
        <button type="button" onClick={() => useLessonRunner.setState({ view: 'list' })}>{t('lessons.sidebar.toList')}</button>
      </div>
      <h3 className="lesson-title">{localize(lesson.title, lang)}</h3>
      {chapter && <p className="lesson-chapter-name">{t('lessons.lesson.chapter', { chapter: localize(chapter.title, lang) })}</p>}
      {clients > 1 && <p className="lesson-note">{t('lessons.lesson.clients', { count: clients })}</p>}
      {lesson.disabled && lesson.disabled.length > 0 && (
        <p className="lesson-note">{t('lessons.lesson.disabled', { commands: lesson.disabled.map((c) => c.toUpperCase()).join(', ') })}</p>
      )}
      <details className="lesson-about" open>
        <summary>{t('lessons.lesson.about')}</summary>
        <LessonMarkdown className="lesson-text" text={localize(lesson.text, lang)} />
      </details>

      <ol className="lesson-steps" aria-label={t('lessons.lesson.stepsLabel')}>
        {lesson.steps.map((s, i) => (
          <li key={s.id} data-state={i < step ? 'done' : i === step ? 'current' : 'later'} aria-current={i === step ? 'step' : undefined}>
            <span className="visually-hidden">{t('lessons.lesson.step', { n: i + 1, total: lesson.steps.length })}: {i < step ? t('lessons.lesson.met') : ''}</span>
          </li>
        ))}
      </ol>

      {finished ? (
        <div className="lesson-finished" role="status">
          <p>{progress?.solutionShown && !progress.solved ? t('lessons.lesson.finishedWithSolution') : t('lessons.lesson.finished')}</p>
          {progress?.solved && progress.solutionShown && <p>{t('lessons.lesson.alreadySolved')}</p>}
        </div>
      ) : (
        <section className="lesson-step" aria-labelledby={`lesson-step-${lesson.id}`} ref={stepBox}>
          <h4 id={`lesson-step-${lesson.id}`}>{t('lessons.lesson.step', { n: index + 1, total: lesson.steps.length })}</h4>
          <LessonMarkdown className="lesson-step-text" text={localize(current.text, lang)} />
          <h5>{t('lessons.lesson.objectives')}</h5>
          <ul className="lesson-objectives">
            {current.objectives.map((o, i) => {
              const v = stepVerdicts?.[i];
              const met = v?.ok ?? false;
              return (
                <li key={i} data-met={met} data-objective={i}>
                  <span className="lesson-tick" aria-hidden="true">{met ? '✓' : '○'}</span>
                  <span className="visually-hidden">{t(met ? 'lessons.lesson.met' : 'lessons.lesson.notMet')}: </span>
                  <LessonMarkdown className="lesson-objective-text" text={localize(o.text, lang)} />
                </li>
              );
            })}
          </ul>
          <div className="lesson-why" role="status" aria-live="polite">
            {firstFailing >= 0 && (
              <>
                <strong>{t('lessons.lesson.whyNotYet')}:</strong>{' '}
                <LessonMarkdown className="lesson-why-text" text={stepVerdicts![firstFailing].why[lang]} />
              </>
            )}
          </div>
          {shownHints > 0 && (
            <ol className="lesson-hints">
              {current.hints.slice(0, shownHints).map((h, i) => (
                <li key={i} data-hint={i}>
                  <span className="lesson-hint-label">{t('lessons.lesson.hintN', { n: i + 1 })}</span>
                  <LessonMarkdown text={localize(h, lang)} />
                </li>
              ))}
            </ol>
          )}
          <div className="lesson-actions">
            {current.hints.length === 0 ? (
              <span className="lesson-note">{t('lessons.lesson.noHints')}</span>
            ) : shownHints < current.hints.length && (
              <button type="button" onClick={() => lessonController()?.hint()}>
                {shownHints === 0 ? t('lessons.lesson.hint') : t('lessons.lesson.hintMore', { shown: shownHints, total: current.hints.length })}
              </button>
            )}
            <button type="button" disabled={playing || switching !== null} title={t('lessons.lesson.solutionTitle')}
              onClick={() => { void lessonController()?.showSolution(); }}>
              {playing ? t('lessons.lesson.playing') : t('lessons.lesson.solution')}
            </button>
          </div>
        </section>
      )}

      <div className="lesson-actions lesson-footer">
        <button type="button" disabled={switching !== null || playing} title={t('lessons.lesson.resetTitle')}
          onClick={() => { void lessonController()?.reset(); }}>{t('lessons.lesson.reset')}</button>
        <button type="button" disabled={!prev || switching !== null || playing} onClick={() => { if (prev) void lessonController()?.open(prev.id); }}>
          {t('lessons.lesson.prev')}
        </button>
        <button type="button" disabled={!next || switching !== null || playing} onClick={() => { if (next) void lessonController()?.open(next.id); }}
          data-primary={finished || undefined}>
          {t('lessons.lesson.next')}
        </button>
      </div>
    </article>
  );
}

/** Export, import and clear the progress; what came of it is said in a status line. */
function ProgressTools() {
  const { t } = useTranslation();
  const fileInput = useRef<HTMLInputElement>(null);
  const [confirming, setConfirming] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const headingId = useId();

  const onExport = () => {
    const name = `rediscope-progress_${fileStamp(new Date())}.json`;
    downloadFile(exportProgress(useProgress.getState().lessons, Date.now()), name);
    setResult({ ok: true, text: t('lessons.progress.exported', { name }) });
  };
  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    const parsed = parseProgressFile(await file.text());
    if (!parsed.ok) {
      setResult({ ok: false, text: t('lessons.progress.importFailed', { reason: parsed.problems.slice(0, 5).join('; ') }) });
      return;
    }
    useProgress.getState().importLessons(parsed.lessons);
    setResult({ ok: true, text: t('lessons.progress.imported', { count: Object.keys(parsed.lessons).length }) });
  };
  return (
    <section className="lesson-progress-tools" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('lessons.progress.title')}</h3>
      <div className="lesson-actions">
        <button type="button" onClick={onExport}>{t('lessons.progress.export')}</button>
        <button type="button" onClick={() => fileInput.current?.click()}>{t('lessons.progress.import')}</button>
        <input ref={fileInput} type="file" accept="application/json,.json" hidden onChange={(e) => { void onFile(e); }}
          data-testid="lesson-progress-file" aria-label={t('lessons.progress.import')} />
        {!confirming && <button type="button" onClick={() => { setConfirming(true); setResult(null); }}>{t('lessons.progress.clear')}</button>}
      </div>
      {confirming && (
        <div className="lesson-confirm" role="group" aria-label={t('lessons.progress.clear')}>
          <p>{t('lessons.progress.confirmClear')}</p>
          <button type="button" onClick={() => {
            useProgress.getState().clear();
            setConfirming(false);
            setResult({ ok: true, text: t('lessons.progress.cleared') });
          }}>{t('lessons.progress.confirm')}</button>
          <button type="button" autoFocus onClick={() => setConfirming(false)}>{t('lessons.progress.cancel')}</button>
        </div>
      )}
      <p className="lesson-progress-result" role="status" data-ok={result?.ok}>{result?.text}</p>
    </section>
  );
}
