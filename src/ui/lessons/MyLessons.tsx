// "My lessons" in the lesson sidebar's chapter list: the lessons written in the authoring view or
// imported from files, opened and played like the built-in ones; each can be edited or deleted.
// The button that opens the authoring view is here too.
import { useId, useState } from 'react';
import { localize, type LessonLanguage } from '../../lessons/text.ts';
import { useTranslation } from '../i18n/index.ts';
import { AuthorLessonsButton } from './authoring/AuthoringHost.tsx';
import { useAuthoring } from './authoring/authoringState.ts';
import { lessonController, useLessonRunner } from './lessonRunner.ts';
import { hintsUsed, lessonStatus, useProgress } from './progress.ts';
import { useUserLessons } from './userLessons.ts';

function useLanguage(): LessonLanguage {
  const { i18n } = useTranslation();
  return i18n.language === 'zh' ? 'zh' : 'en';
}

export function MyLessons() {
  const { t } = useTranslation();
  const lang = useLanguage();
  const lessons = useUserLessons((s) => s.lessons);
  const progress = useProgress((s) => s.lessons);
  const active = useLessonRunner((s) => s.active);
  const switching = useLessonRunner((s) => s.switching);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const headingId = useId();
  const mine = Object.values(lessons).sort((a, b) => {
    const x = a.lesson, y = b.lesson;
    if (x && y && x.chapter !== y.chapter) return x.chapter < y.chapter ? -1 : 1;
    if (x && y && x.order !== y.order) return x.order - y.order;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
  return (
    <section className="lesson-chapter my-lessons" data-chapter="my-lessons" aria-labelledby={headingId} data-testid="my-lessons">
      <div className="my-lessons-head">
        <h3 id={headingId}>{t('authoring.mine.title')}</h3>
        <AuthorLessonsButton />
      </div>
      {mine.length === 0 ? <p className="lesson-coming">{t('authoring.mine.empty')}</p> : (
        <ol className="lesson-list">
          {mine.map((entry) => {
            const lesson = entry.lesson;
            const edit = () => useAuthoring.getState().show({ source: entry.source, editing: entry.id });
            const remove = (
              <>
                <button type="button" className="my-lessons-action" onClick={edit} aria-label={t('authoring.mine.editLabel', { id: entry.id })}>
                  {t('authoring.mine.edit')}
                </button>
                <button type="button" className="my-lessons-action" onClick={() => { setConfirming(entry.id); setNote(null); }}
                  aria-label={t('authoring.mine.removeLabel', { id: entry.id })}>
                  {t('authoring.mine.remove')}
                </button>
              </>
            );
            const confirm = confirming === entry.id && (
              <div className="lesson-confirm" role="group" aria-label={t('authoring.mine.removeLabel', { id: entry.id })}>
                <p>{t('authoring.mine.confirmRemove', { id: entry.id })}</p>
                <button type="button" onClick={() => {
                  useUserLessons.getState().remove(entry.id);
                  setConfirming(null);
                  setNote(t('authoring.mine.removed', { id: entry.id }));
                }}>{t('authoring.mine.confirm')}</button>
                <button type="button" autoFocus onClick={() => setConfirming(null)}>{t('authoring.mine.cancel')}</button>
              </div>
            );
            if (!lesson) {
              return (
                <li key={entry.id} data-lesson={entry.id} data-broken="true">
                  <span className="lesson-open">{entry.id}</span>
                  <span className="lesson-badge">{t('authoring.mine.broken', { reason: entry.problems[0]?.message[lang] ?? '' })}</span>
                  <div className="my-lessons-actions">{remove}</div>
                  {confirm}
                </li>
              );
            }
            const p = progress[lesson.id];
            const status = lessonStatus(p, lesson);
            const title = localize(lesson.title, lang);
            const running = lesson.id === active;
            return (
              <li key={entry.id} data-lesson={lesson.id} data-status={status} data-running={running || undefined}>
                <button type="button" className="lesson-open" disabled={switching !== null}
                  aria-label={t('authoring.mine.openLabel', { title })}
                  onClick={() => {
                    if (running) useLessonRunner.setState({ view: 'lesson' });
                    else void lessonController()?.open(lesson.id);
                  }}>
                  {title}
                </button>
                <span className="lesson-badge" data-status={status}>
                  {t(`lessons.list.status.${status}`, { step: Math.min((p?.step ?? 0) + 1, lesson.steps.length), total: lesson.steps.length })}
                  {running && <> · {t('authoring.mine.running')}</>}
                  {p && hintsUsed(p) > 0 && <> · {t('lessons.list.hintsUsed', { count: hintsUsed(p) })}</>}
                </span>
                <p className="lesson-summary">{localize(lesson.summary, lang)}</p>
                <div className="my-lessons-actions">{remove}</div>
                {confirm}
              </li>
            );
          })}
        </ol>
      )}
      {note && <p className="lesson-progress-result" role="status">{note}</p>}
    </section>
  );
}
