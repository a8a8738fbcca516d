// Lesson progress: the rules (steps done in order, solved only without the solution shown, hints
// one at a time, a reset keeps "solved"), the store kept in IndexedDB (fake-indexeddb here), and the
// progress file: exported, read back, and a bad file refused with reasons and nothing changed.
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Lesson } from '../../../src/lessons/schema.ts';
import {
  completeStep, createProgressStore, currentStepIndex, emptyProgress, exportProgress, hintsUsed, isFinished, lessonStatus,
  markSolutionShown, parseProgressFile, PROGRESS_RECORD, resetAttempt, revealHint, type LessonProgress,
} from '../../../src/ui/lessons/progress.ts';
import { deleteRecord, readRecord, writeRecord } from '../../../src/ui/storage/db.ts';

const l10n = (s: string) => ({ en: s, zh: s });
const step = (id: string, hints: number) => ({
  id, text: l10n(id), hints: Array.from({ length: hints }, (_, i) => l10n(`hint ${i + 1}`)), solution: ['PING'],
  objectives: [{ text: l10n('k'), check: { kind: 'key' as const, key: 'k' } }],
});
const lesson = Lesson.parse({
  id: 'demo', chapter: 'basics', order: 1, title: l10n('Demo'), summary: l10n('demo'), setup: {}, text: l10n('text'),
  steps: [step('one', 2), step('two', 0), step('three', 1)],
});
const T = 1_700_000_000_000;

describe('progress rules', () => {
  it('moves through the steps in order and is solved at the end', () => {
    let p = emptyProgress(T);
    expect(lessonStatus(undefined, lesson)).toBe('new');
    expect(lessonStatus(p, lesson)).toBe('new');
    p = completeStep(p, lesson, 0, T + 1);
    expect(p).toMatchObject({ step: 1, stepsDone: ['one'], solved: false, updatedAt: T + 1 });
    expect(lessonStatus(p, lesson)).toBe('started');
    // A step that is not the current one changes nothing (a late check of an earlier step).
    expect(completeStep(p, lesson, 0, T + 2)).toBe(p);
    p = completeStep(p, lesson, 1, T + 3);
    expect(isFinished(p, lesson)).toBe(false);
    p = completeStep(p, lesson, 2, T + 4);
    expect(p).toMatchObject({ step: 3, stepsDone: ['one', 'two', 'three'], solved: true });
    expect(isFinished(p, lesson)).toBe(true);
    expect(currentStepIndex(p, lesson)).toBe(2);
    expect(lessonStatus(p, lesson)).toBe('solved');
  });

  it('finishing after the solution was shown is not solving', () => {
    let p = markSolutionShown(emptyProgress(T), T);
    for (let i = 0; i < 3; i++) p = completeStep(p, lesson, i, T);
    expect(p).toMatchObject({ step: 3, solved: false, solutionShown: true });
    expect(lessonStatus(p, lesson)).toBe('solution-shown');
    // A new attempt done alone solves it; "solved" then stays through later resets.
    p = resetAttempt(p, T + 10);
    expect(p).toEqual({ ...emptyProgress(T + 10), solved: false });
    for (let i = 0; i < 3; i++) p = completeStep(p, lesson, i, T);
    expect(p.solved).toBe(true);
    p = resetAttempt(markSolutionShown(p, T), T + 20);
    expect(p).toMatchObject({ step: 0, stepsDone: [], solved: true, solutionShown: false, hints: {} });
  });

  it('reveals hints one at a time, as many as the step has', () => {
    let p = emptyProgress(T);
    p = revealHint(p, lesson, T);
    p = revealHint(p, lesson, T);
    expect(p.hints).toEqual({ one: 2 });
    expect(revealHint(p, lesson, T)).toBe(p);
    p = completeStep(p, lesson, 0, T);
    expect(revealHint(p, lesson, T)).toBe(p); // step two has none
    p = revealHint(completeStep(p, lesson, 1, T), lesson, T);
    expect(p.hints).toEqual({ one: 2, three: 1 });
    expect(hintsUsed(p)).toBe(3);
  });
});

describe('progress file', () => {
  const progress: Record<string, LessonProgress> = {
    demo: { step: 3, stepsDone: ['one', 'two', 'three'], solved: true, solutionShown: false, hints: { one: 1 }, updatedAt: T },
    other: { ...emptyProgress(T), step: 1, stepsDone: ['a'], solutionShown: true },
  };

  it('round-trips', () => {
    const text = exportProgress(progress, T);
    expect(JSON.parse(text)).toMatchObject({ format: 'rediscope-lesson-progress', version: 1, exportedAt: new Date(T).toISOString() });
    expect(parseProgressFile(text)).toEqual({ ok: true, lessons: progress });
  });

  it('refuses what is not a progress file, saying why', () => {
    expect(parseProgressFile('{ nope')).toMatchObject({ ok: false, problems: [expect.stringMatching(/^not JSON: /)] });
    const good = JSON.parse(exportProgress(progress, T));
    const bad = (change: (f: typeof good) => void) => {
      const f = structuredClone(good);
      change(f);
      const r = parseProgressFile(JSON.stringify(f));
      expect(r.ok).toBe(false);
      return r.ok ? [] : r.problems;
    };
    expect(bad((f) => { f.format = 'rediscope-world'; })).toEqual([expect.stringMatching(/^format: /)]);
    expect(bad((f) => { f.version = 2; })).toEqual([expect.stringMatching(/^version: /)]);
    expect(bad((f) => { f.lessons.demo.step = -1; })).toEqual([expect.stringMatching(/^lessons\.demo\.step: /)]);
    expect(bad((f) => { f.lessons.demo.hints = { one: 'x' }; })).toEqual([expect.stringMatching(/^lessons\.demo\.hints\.one: /)]);
    expect(bad((f) => { f.lessons['Not Kebab'] = f.lessons.demo; })).toEqual([expect.stringMatching(/^lessons\.Not Kebab: /)]);
    expect(bad((f) => { f.extra = 1; })).toHaveLength(1);
    expect(bad((f) => { delete f.lessons.other.solved; })).toEqual([expect.stringMatching(/^lessons\.other\.solved: /)]);
  });
});

describe('progress store', () => {
  beforeEach(async () => {
    await deleteRecord('settings', PROGRESS_RECORD);
  });

  async function load() {
    const store = createProgressStore(() => T);
    await vi.waitFor(() => expect(store.getState().hydrated).toBe(true));
    return store;
  }

  it('keeps progress in IndexedDB across a reload', async () => {
    const a = await load();
    expect(a.getState().lessons).toEqual({});
    a.getState().update('demo', (p) => completeStep(p, lesson, 0, T));
    a.getState().update('demo', (p) => markSolutionShown(p, T));
    await vi.waitFor(async () => {
      const saved = await readRecord<{ state: { lessons: Record<string, LessonProgress> } }>('settings', PROGRESS_RECORD);
      expect(saved?.state.lessons.demo?.solutionShown).toBe(true);
    });
    const b = await load();
    expect(b.getState().lessons.demo).toEqual({ ...emptyProgress(T), step: 1, stepsDone: ['one'], solutionShown: true });
  });

  it('imports over what is there, lesson by lesson, and clears', async () => {
    const s = await load();
    s.getState().update('demo', (p) => completeStep(p, lesson, 0, T));
    s.getState().update('kept', (p) => p);
    s.getState().importLessons({ other: { ...emptyProgress(T), solved: true } });
    expect(Object.keys(s.getState().lessons).sort()).toEqual(['demo', 'kept', 'other']);
    s.getState().importLessons({ demo: emptyProgress(T) });
    expect(s.getState().lessons.demo.step).toBe(0);
    s.getState().clear();
    expect(s.getState().lessons).toEqual({});
  });

  it('drops damaged records when loading, keeping the rest', async () => {
    await writeRecord('settings', PROGRESS_RECORD, { state: { lessons: { demo: { step: 'x' }, ok: emptyProgress(T) } }, version: 1 });
    const s = await load();
    expect(s.getState().lessons).toEqual({ ok: emptyProgress(T) });
  });
});
