// "My lessons": lessons written in the authoring view or imported from files, kept in IndexedDB
// (the 'settings' store, record 'userLessons') and played by the runner like the built-in ones.
// Each is kept as its JSON text (as its author wrote it) and checked again when read: a saved lesson
// a later version of the app no longer accepts is kept, marked broken with the reason, and can be
// opened in the editor and mended; it is never silently dropped.
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import type { Lesson } from '../../lessons/schema.ts';
import { idbPersistStorage } from '../state/persistInIdb.ts';
import { bundledContext, checkLessonText, type LessonContext, type LessonProblem } from './lessonCheck.ts';

/** The record's key in the 'settings' store. */
export const USER_LESSONS_RECORD = 'userLessons';

/** One lesson of one's own: its text, and the lesson read from it (null: it has errors now). */
export interface UserLesson {
  id: string;
  source: string;
  /** Wall-clock ms of the last save or import. */
  savedAt: number;
  lesson: Lesson | null;
  /** Why `lesson` is null. */
  problems: LessonProblem[];
}

/** What is kept in IndexedDB per lesson. */
interface SavedLesson {
  source: string;
  savedAt: number;
}

export interface ImportedFile {
  name: string;
  text: string;
}

export interface ImportOutcome {
  /** Files taken, each as the lesson id it holds; `replaced`: "My lessons" had that id already. */
  imported: { file: string; id: string; replaced: boolean }[];
  /** Files refused and why (nothing of them was kept). */
  rejected: { file: string; problems: LessonProblem[] }[];
}

/**
 * Which files of an import are taken. Each file is one lesson, checked on its own: errors refuse it
 * (warnings do not); two files in one import with the same lesson id: the second is refused.
 */
export function validateImport(files: readonly ImportedFile[], ctx: LessonContext): {
  accepted: { file: string; lesson: Lesson; source: string }[];
  rejected: ImportOutcome['rejected'];
} {
  const accepted: { file: string; lesson: Lesson; source: string }[] = [];
  const rejected: ImportOutcome['rejected'] = [];
  for (const { name, text } of files) {
    const check = checkLessonText(text, ctx);
    const errors = check.problems.filter((p) => p.severity === 'error');
    if (!check.lesson || errors.length > 0) {
      rejected.push({ file: name, problems: errors });
      continue;
    }
    const lesson = check.lesson;
    const earlier = accepted.find((a) => a.lesson.id === lesson.id);
    if (earlier) {
      rejected.push({
        file: name,
        problems: [{
          severity: 'error', source: 'mine', path: 'id',
          message: {
            en: `the lesson id '${lesson.id}' is also in ${earlier.file}, imported just before`,
            zh: `课程 id '${lesson.id}' 也出现在刚导入的 ${earlier.file} 里`,
          },
        }],
      });
      continue;
    }
    accepted.push({ file: name, lesson, source: text });
  }
  return { accepted, rejected };
}

/** A saved lesson read again (checked against the built-in lessons of this version). */
function readSaved(id: string, saved: SavedLesson, ctx: LessonContext): UserLesson {
  const check = checkLessonText(saved.source, ctx);
  const errors = check.problems.filter((p) => p.severity === 'error');
  if (check.lesson && check.lesson.id !== id) {
    errors.push({ severity: 'error', source: 'mine', path: 'id', message: { en: `is '${check.lesson.id}' but was saved as '${id}'`, zh: `是 '${check.lesson.id}'，但保存时是 '${id}'` } });
  }
  const lesson = errors.length === 0 ? check.lesson : null;
  return { id, source: saved.source, savedAt: saved.savedAt, lesson, problems: errors };
}

export interface UserLessonsState {
  lessons: Record<string, UserLesson>;
  /** The saved lessons have been read (or there were none). */
  hydrated: boolean;
  /** Keeps a checked lesson (replacing one with the same id). */
  save(lesson: Lesson, source: string): void;
  remove(id: string): void;
  /** Imports files: the good ones are kept, the bad ones refused with the reasons; nothing else changes. */
  importFiles(files: readonly ImportedFile[]): ImportOutcome;
}

type Saved = { lessons: Record<string, SavedLesson> };

export function createUserLessonsStore(ctx: () => LessonContext = bundledContext, now: () => number = Date.now) {
  const store = create<UserLessonsState>()(persist((set, get) => ({
    lessons: {},
    hydrated: false,
    save: (lesson, source) => set((s) => ({
      lessons: { ...s.lessons, [lesson.id]: { id: lesson.id, source, savedAt: now(), lesson, problems: [] } },
    })),
    remove: (id) => set((s) => {
      if (!(id in s.lessons)) return s;
      const lessons = { ...s.lessons };
      delete lessons[id];
      return { lessons };
    }),
    importFiles: (files) => {
      const { accepted, rejected } = validateImport(files, ctx());
      const before = get().lessons;
      const imported = accepted.map((a) => ({ file: a.file, id: a.lesson.id, replaced: a.lesson.id in before }));
      if (accepted.length > 0) {
        const at = now();
        const lessons = { ...before };
        for (const a of accepted) lessons[a.lesson.id] = { id: a.lesson.id, source: a.source, savedAt: at, lesson: a.lesson, problems: [] };
        set({ lessons });
      }
      return { imported, rejected };
    },
  }), {
    name: USER_LESSONS_RECORD,
    version: 1,
    storage: idbPersistStorage<Saved>('settings'),
    partialize: (s): Saved => ({
      lessons: Object.fromEntries(Object.values(s.lessons).map((l) => [l.id, { source: l.source, savedAt: l.savedAt }])),
    }),
    merge: (saved, current) => {
      const lessons: Record<string, UserLesson> = {};
      const raw = (saved as Partial<Saved> | undefined)?.lessons;
      if (raw && typeof raw === 'object') {
        for (const [id, l] of Object.entries(raw)) {
          if (l && typeof l === 'object' && typeof l.source === 'string') {
            lessons[id] = readSaved(id, { source: l.source, savedAt: typeof l.savedAt === 'number' ? l.savedAt : 0 }, ctx());
          }
        }
      }
      // Anything saved before the saved record was read is kept over it.
      return { ...current, lessons: { ...lessons, ...current.lessons } };
    },
    onRehydrateStorage: () => () => { store.setState({ hydrated: true }); },
  }));
  return store;
}

export const useUserLessons = createUserLessonsStore();

/** The playable lessons of one's own, in a stable order (chapter, order, id). */
export function playableUserLessons(lessons: Record<string, UserLesson>): Lesson[] {
  return Object.values(lessons)
    .flatMap((l) => (l.lesson ? [l.lesson] : []))
    .sort((a, b) => (a.chapter < b.chapter ? -1 : a.chapter > b.chapter ? 1 : a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
}

/** A lesson of one's own by id, as things stand (before the saved ones are read: none). */
export function userLessonNow(id: string): Lesson | undefined {
  return useUserLessons.getState().lessons[id]?.lesson ?? undefined;
}

/** A lesson of one's own by id, once the saved ones have been read. */
export async function userLesson(id: string): Promise<Lesson | undefined> {
  if (!useUserLessons.persist.hasHydrated()) {
    await new Promise<void>((resolve) => {
      const stop = useUserLessons.persist.onFinishHydration(() => { stop(); resolve(); });
      if (useUserLessons.persist.hasHydrated()) { stop(); resolve(); }
    });
  }
  return userLessonNow(id);
}

/** A lesson of one's own by id, for React (null: none, or not read yet). */
export function useUserLesson(id: string | null | undefined): Lesson | null {
  return useUserLessons((s) => (id ? s.lessons[id]?.lesson ?? null : null));
}
