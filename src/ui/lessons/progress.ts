// The learner's progress through the lessons: per lesson, the step reached, the steps done, hints
// revealed, whether it was solved and whether the reference solution was shown. Pure functions
// over plain records (tested in Node), a zustand store that keeps them in IndexedDB (the 'settings'
// store, record 'lessonProgress'), and the progress file: export as JSON, import validated with zod
// (a bad file changes nothing and says why).
import { z } from 'zod';
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { formatIssues } from '../../lessons/schema.ts';
import type { Lesson } from '../../lessons/schema.ts';
import { idbPersistStorage } from '../state/persistInIdb.ts';

/** One lesson's progress. "This attempt" runs from the lesson's (re)start to its reset. */
export const LessonProgress = z.object({
  /** The step being worked on (index); the number of steps once the lesson is finished. */
  step: z.number().int().min(0),
  /** Ids of the steps done in this attempt. */
  stepsDone: z.array(z.string()),
  /** Finished at least once without the reference solution being shown in that attempt. */
  solved: z.boolean(),
  /** The reference solution was played in this attempt (finishing then does not count as solving). */
  solutionShown: z.boolean(),
  /** Hints revealed in this attempt, per step id (tiered: the first n). */
  hints: z.record(z.string(), z.number().int().min(0)),
  /** Wall-clock ms of the last change. */
  updatedAt: z.number(),
});
export type LessonProgress = z.infer<typeof LessonProgress>;

export type Progress = Record<string, LessonProgress>;

export function emptyProgress(now: number): LessonProgress {
  return { step: 0, stepsDone: [], solved: false, solutionShown: false, hints: {}, updatedAt: now };
}

/** Whether this attempt reached the end of the lesson. */
export function isFinished(p: LessonProgress | undefined, lesson: Lesson): boolean {
  return p !== undefined && p.step >= lesson.steps.length;
}

/** The step to work on now (the last one once finished). */
export function currentStepIndex(p: LessonProgress | undefined, lesson: Lesson): number {
  return Math.min(p?.step ?? 0, lesson.steps.length - 1);
}

/** What the chapter list says about a lesson. */
export type LessonStatus = 'new' | 'started' | 'solved' | 'solution-shown';

export function lessonStatus(p: LessonProgress | undefined, lesson: Lesson): LessonStatus {
  if (!p) return 'new';
  if (p.solved) return 'solved';
  if (isFinished(p, lesson) && p.solutionShown) return 'solution-shown';
  if (p.stepsDone.length > 0 || p.solutionShown || hintsUsed(p) > 0) return 'started';
  return 'new';
}

export function hintsUsed(p: LessonProgress): number {
  return Object.values(p.hints).reduce((n, h) => n + h, 0);
}

/** Step `index` (the current one) is done: the next becomes current; after the last, the lesson is finished. */
export function completeStep(p: LessonProgress, lesson: Lesson, index: number, now: number): LessonProgress {
  const step = lesson.steps[index];
  // A step behind the record (progress imported or cleared meanwhile) moves it on from there.
  if (!step || index < p.step) return p;
  const stepsDone = p.stepsDone.includes(step.id) ? p.stepsDone : [...p.stepsDone, step.id];
  const next = index + 1;
  const finished = next >= lesson.steps.length;
  return { ...p, step: next, stepsDone, solved: p.solved || (finished && !p.solutionShown), updatedAt: now };
}

/** One more hint of the current step, if it has more. */
export function revealHint(p: LessonProgress, lesson: Lesson, now: number): LessonProgress {
  const step = lesson.steps[currentStepIndex(p, lesson)];
  const shown = p.hints[step.id] ?? 0;
  if (shown >= step.hints.length) return p;
  return { ...p, hints: { ...p.hints, [step.id]: shown + 1 }, updatedAt: now };
}

export function markSolutionShown(p: LessonProgress, now: number): LessonProgress {
  return p.solutionShown ? p : { ...p, solutionShown: true, updatedAt: now };
}

/** A new attempt from the first step; whether the lesson was ever solved is kept. */
export function resetAttempt(p: LessonProgress, now: number): LessonProgress {
  return { ...emptyProgress(now), solved: p.solved };
}

// --- the progress file -----------------------------------------------------------------------------

export const PROGRESS_FORMAT = 'rediscope-lesson-progress';

export const ProgressFile = z.strictObject({
  format: z.literal(PROGRESS_FORMAT),
  version: z.literal(1),
  /** ISO time of the export (for people; not used on import). */
  exportedAt: z.string(),
  lessons: z.record(z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'a lesson id is kebab-case'), LessonProgress),
});
export type ProgressFile = z.infer<typeof ProgressFile>;

export function exportProgress(progress: Progress, now: number): string {
  const file: ProgressFile = { format: PROGRESS_FORMAT, version: 1, exportedAt: new Date(now).toISOString(), lessons: progress };
  return JSON.stringify(file, null, 2) + '\n';
}

/** A progress file read: the progress in it, or every reason it is refused. */
export type ImportResult = { ok: true; lessons: Progress } | { ok: false; problems: string[] };

export function parseProgressFile(text: string): ImportResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { ok: false, problems: [`not JSON: ${(e as Error).message}`] };
  }
  const parsed = ProgressFile.safeParse(data);
  if (!parsed.success) return { ok: false, problems: formatIssues(parsed.error) };
  return { ok: true, lessons: parsed.data.lessons };
}

/** Imported progress over what is there: each lesson in the file replaces that lesson's record. */
export function mergeProgress(current: Progress, imported: Progress): Progress {
  return { ...current, ...imported };
}

// --- the store --------------------------------------------------------------------------------------

/** The record's key in the 'settings' store. */
export const PROGRESS_RECORD = 'lessonProgress';

export interface ProgressState {
  lessons: Progress;
  /** The saved progress has been read (or there was none). */
  hydrated: boolean;
  /** Changes one lesson's record (made from an empty one if it has none). */
  update(lessonId: string, change: (p: LessonProgress) => LessonProgress): void;
  /** Replaces lessons' records by those imported. */
  importLessons(lessons: Progress): void;
  /** Forgets all progress. */
  clear(): void;
}

type SavedProgress = Pick<ProgressState, 'lessons'>;

export function createProgressStore(now: () => number = Date.now) {
  const store = create<ProgressState>()(persist((set) => ({
    lessons: {},
    hydrated: false,
    update: (lessonId, change) => set((s) => {
      const before = s.lessons[lessonId] ?? emptyProgress(now());
      const after = change(before);
      return after === s.lessons[lessonId] ? s : { lessons: { ...s.lessons, [lessonId]: after } };
    }),
    importLessons: (lessons) => set((s) => ({ lessons: mergeProgress(s.lessons, lessons) })),
    clear: () => set({ lessons: {} }),
  }), {
    name: PROGRESS_RECORD,
    version: 1,
    storage: idbPersistStorage<SavedProgress>('settings'),
    partialize: (s): SavedProgress => ({ lessons: s.lessons }),
    // Only records that are well formed are taken: a damaged one is dropped, not the rest.
    merge: (saved, current) => {
      const lessons: Progress = {};
      const raw = (saved as Partial<SavedProgress> | undefined)?.lessons;
      if (raw && typeof raw === 'object') {
        for (const [id, p] of Object.entries(raw)) {
          const ok = LessonProgress.safeParse(p);
          if (ok.success) lessons[id] = ok.data;
        }
      }
      return { ...current, lessons };
    },
    onRehydrateStorage: () => () => { store.setState({ hydrated: true }); },
  }));
  return store;
}

export const useProgress = createProgressStore();
