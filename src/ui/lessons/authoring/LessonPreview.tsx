// The live preview of a lesson being written: what the lesson sidebar shows (title, chapter,
// clients, disabled commands, the text with its runnable snippets, each step with its objectives),
// plus what the learner sees only bit by bit or never (every hint, the reference solution, each
// objective's check and the starting world), so the author sees all of it at once.
import type { Catalog } from '../../../lessons/catalog.ts';
import type { Lesson, SolutionLine } from '../../../lessons/schema.ts';
import { localize, type LessonLanguage } from '../../../lessons/text.ts';
import { useTranslation } from '../../i18n/index.ts';
import { LessonMarkdown } from '../LessonMarkdown.tsx';

function solutionText(line: SolutionLine, t: (key: string, options?: Record<string, unknown>) => string): string {
  if (typeof line === 'string') return line;
  if ('waitMs' in line) return t('authoring.preview.solutionWait', { ms: line.waitMs });
  return t('authoring.preview.solutionClient', { n: line.client, command: line.command });
}

export function LessonPreview({ lesson, lang, catalog }: { lesson: Lesson; lang: LessonLanguage; catalog: Catalog }) {
  const { t } = useTranslation();
  const chapter = catalog.chapters.find((c) => c.chapter.id === lesson.chapter)?.chapter;
  const clients = lesson.clients ?? 1;
  const { setup } = lesson;
  const config = Object.entries(setup.config ?? {});
  const commands = setup.commands ?? [];
  return (
    <article className="lesson authoring-preview-lesson" lang={lang === 'zh' ? 'zh-CN' : 'en'} data-lesson={lesson.id}>
      <h3 className="lesson-title">{localize(lesson.title, lang)}</h3>
      <p className="lesson-chapter-name">
        {t('authoring.preview.chapter', {
          chapter: chapter ? localize(chapter.title, lang) : t('authoring.preview.unknownChapter', { chapter: lesson.chapter }),
        })}
      </p>
      <p className="lesson-summary"><strong>{t('authoring.preview.summary')}:</strong> {localize(lesson.summary, lang)}</p>
      {lesson.panel && <p className="lesson-note">{t('authoring.preview.panel', { panel: lesson.panel })}</p>}
      {clients > 1 && <p className="lesson-note">{t('lessons.lesson.clients', { count: clients })}</p>}
      {lesson.disabled && lesson.disabled.length > 0 && (
        <p className="lesson-note">{t('lessons.lesson.disabled', { commands: lesson.disabled.map((c) => c.toUpperCase()).join(', ') })}</p>
      )}
      <details className="authoring-preview-setup">
        <summary>{t('authoring.preview.setup')}</summary>
        <p>
          {[
            setup.seed !== undefined ? t('authoring.preview.setupSeed', { seed: setup.seed }) : null,
            setup.advanceMs !== undefined ? t('authoring.preview.setupAdvance', { ms: setup.advanceMs }) : null,
            setup.latencyMs !== undefined ? t('authoring.preview.setupLatency', { ms: setup.latencyMs }) : null,
          ].filter(Boolean).join(' · ')}
        </p>
        {config.length > 0 && (
          <>
            <h5>{t('authoring.preview.setupConfig')}</h5>
            <pre><code>{config.map(([k, v]) => `CONFIG SET ${k} ${v}`).join('\n')}</code></pre>
          </>
        )}
        {commands.length > 0 ? (
          <>
            <h5>{t('authoring.preview.setupCommands')}</h5>
            <pre><code>{commands.join('\n')}</code></pre>
          </>
        ) : config.length === 0 && <p>{t('authoring.preview.setupEmpty')}</p>}
      </details>
      <LessonMarkdown className="lesson-text" text={localize(lesson.text, lang)} />
      {lesson.steps.map((step, i) => (
        <section key={`${i}-${step.id}`} className="lesson-step authoring-preview-step" data-step={step.id}>
          <h4>{t('authoring.preview.step', { n: i + 1, total: lesson.steps.length })} <code className="authoring-id">{step.id}</code></h4>
          <LessonMarkdown className="lesson-step-text" text={localize(step.text, lang)} />
          <h5>{t('authoring.preview.objectives')}</h5>
          <ul className="lesson-objectives">
            {step.objectives.map((o, j) => (
              <li key={j} data-objective={j}>
                <span className="lesson-tick" aria-hidden="true">○</span>
                <div>
                  <LessonMarkdown className="lesson-objective-text" text={localize(o.text, lang)} />
                  <details className="authoring-check">
                    <summary>{t('authoring.preview.check')}</summary>
                    <pre><code>{JSON.stringify(o.check, null, 1).replace(/\n\s*/g, ' ')}</code></pre>
                  </details>
                </div>
              </li>
            ))}
          </ul>
          <h5>{t('authoring.preview.hints')}</h5>
          {step.hints.length === 0 ? <p className="lesson-note">{t('authoring.preview.noHints')}</p> : (
            <ol className="lesson-hints">
              {step.hints.map((h, j) => (
                <li key={j} data-hint={j}>
                  <span className="lesson-hint-label">{t('authoring.preview.hintN', { n: j + 1 })}</span>
                  <LessonMarkdown text={localize(h, lang)} />
                </li>
              ))}
            </ol>
          )}
          <h5>{t('authoring.preview.solution')}</h5>
          <pre className="authoring-solution"><code>{step.solution.map((l) => solutionText(l, t)).join('\n')}</code></pre>
        </section>
      ))}
    </article>
  );
}
