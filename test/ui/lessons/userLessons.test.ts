// "My lessons" (src/ui/lessons/userLessons.ts): importing lesson files (each checked; a bad one is
// refused with its reasons and changes nothing), saving and deleting, kept in IndexedDB
// (fake-indexeddb here) across a reload, and a saved lesson that no longer checks kept as broken.
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { bundledContext } from '../../../src/ui/lessons/lessonCheck.ts';
import { builtinLessonSource, newLessonSource } from '../../../src/ui/lessons/authoring/template.ts';
import {
  createUserLessonsStore, playableUserLessons, USER_LESSONS_RECORD, validateImport, type ImportedFile,
} from '../../../src/ui/lessons/userLessons.ts';
import { deleteRecord, readRecord, writeRecord } from '../../../src/ui/storage/db.ts';

type Store = ReturnType<typeof createUserLessonsStore>;

function hydrated(store: Store): Promise<void> {
  if (store.persist.hasHydrated()) return Promise.resolve();
  return new Promise((resolve) => { const off = store.persist.onFinishHydration(() => { off(); resolve(); }); });
}

/** A page load: a new store, once it has read IndexedDB. */
async function load(now = () => 1000): Promise<Store> {
  const store = createUserLessonsStore(bundledContext, now);
  await hydrated(store);
  return store;
}

async function savedIds(): Promise<string[]> {
  const saved = await readRecord<{ state: { lessons: Record<string, unknown> } }>('settings', USER_LESSONS_RECORD);
  return Object.keys(saved?.state.lessons ?? {}).sort();
}

/** A valid lesson file with the given id (the template, renamed). */
function lessonFile(id: string, name = `${id}.json`, change: (l: Record<string, unknown>) => void = () => {}): ImportedFile {
  const lesson = JSON.parse(newLessonSource()) as Record<string, unknown>;
  lesson.id = id;
  change(lesson);
  return { name, text: JSON.stringify(lesson, null, 2) };
}

beforeEach(async () => {
  await deleteRecord('settings', USER_LESSONS_RECORD);
});

describe('import validation', () => {
  const ctx = bundledContext();

  it('takes good files and refuses bad ones, each with its reasons', () => {
    const builtinId = ctx.builtin.lessons[0].id;
    const { accepted, rejected } = validateImport([
      lessonFile('lesson-a'),
      { name: 'broken.json', text: '{ "id": "x", ' },
      lessonFile('lesson-b', 'b.json', (l) => { l.order = 'two'; }),
      { name: 'copy.json', text: builtinLessonSource(builtinId)! },
      lessonFile('lesson-c', 'c.json', (l) => { l.chapter = 'not-a-chapter'; }), // a warning only
      lessonFile('lesson-a', 'again.json'),
    ], ctx);
    expect(accepted.map((a) => [a.file, a.lesson.id])).toEqual([['lesson-a.json', 'lesson-a'], ['c.json', 'lesson-c']]);
    expect(rejected.map((r) => [r.file, r.problems.map((p) => `${p.source} ${p.path}`)])).toEqual([
      ['broken.json', ['json (JSON)']],
      ['b.json', ['schema order']],
      ['copy.json', ['mine id']],
      ['again.json', ['mine id']],
    ]);
    expect(rejected[0].problems[0].line).toBe(1);
    expect(rejected[1].problems[0].message.en).toBe('Invalid input: expected number, received string');
    expect(rejected[3].problems[0].message.en).toBe("the lesson id 'lesson-a' is also in lesson-a.json, imported just before");
    expect(rejected[3].problems[0].message.zh).toBe("课程 id 'lesson-a' 也出现在刚导入的 lesson-a.json 里");
  });

  it('refuses what is not a lesson at all', () => {
    const { accepted, rejected } = validateImport([
      { name: 'empty.json', text: '' },
      { name: 'array.json', text: '[]' },
      { name: 'progress.json', text: JSON.stringify({ format: 'rediscope-lesson-progress', version: 1, lessons: {} }) },
    ], ctx);
    expect(accepted).toEqual([]);
    expect(rejected.map((r) => r.file)).toEqual(['empty.json', 'array.json', 'progress.json']);
    expect(rejected[1].problems[0]).toMatchObject({ source: 'schema', path: '(top level)' });
    expect(rejected[2].problems.some((p) => p.message.en.startsWith('Unrecognized keys'))).toBe(true);
  });
});

describe('the user-lesson store', () => {
  it('imports the good files only, keeps them across a reload, and says which replaced a lesson', async () => {
    const store = await load();
    const first = store.getState().importFiles([lessonFile('lesson-a'), lessonFile('lesson-b')]);
    expect(first).toEqual({
      imported: [{ file: 'lesson-a.json', id: 'lesson-a', replaced: false }, { file: 'lesson-b.json', id: 'lesson-b', replaced: false }],
      rejected: [],
    });
    const second = store.getState().importFiles([
      lessonFile('lesson-a', 'a-v2.json', (l) => { l.title = { en: 'Version two', zh: '第二版' }; }),
      { name: 'bad.json', text: 'nope' },
    ]);
    expect(second.imported).toEqual([{ file: 'a-v2.json', id: 'lesson-a', replaced: true }]);
    expect(second.rejected.map((r) => r.file)).toEqual(['bad.json']);
    expect(store.getState().lessons['lesson-a'].lesson?.title.en).toBe('Version two');

    await vi.waitFor(async () => expect(await savedIds()).toEqual(['lesson-a', 'lesson-b']));
    const reloaded = await load();
    const lessons = reloaded.getState().lessons;
    expect(Object.keys(lessons).sort()).toEqual(['lesson-a', 'lesson-b']);
    expect(lessons['lesson-a'].lesson?.title.en).toBe('Version two');
    expect(lessons['lesson-a'].source).toBe(store.getState().lessons['lesson-a'].source);
    expect(playableUserLessons(lessons).map((l) => l.id)).toEqual(['lesson-a', 'lesson-b']);
  });

  it('changes nothing when every file is bad', async () => {
    const store = await load();
    store.getState().importFiles([lessonFile('kept')]);
    await vi.waitFor(async () => expect(await savedIds()).toEqual(['kept']));
    const before = store.getState().lessons;
    const outcome = store.getState().importFiles([{ name: 'x.json', text: '{' }, lessonFile('bad', 'y.json', (l) => { delete l.steps; })]);
    expect(outcome.imported).toEqual([]);
    expect(outcome.rejected.map((r) => r.file)).toEqual(['x.json', 'y.json']);
    expect(store.getState().lessons).toBe(before);
    expect(await savedIds()).toEqual(['kept']);
  });

  it('saves and deletes lessons', async () => {
    const store = await load();
    const lesson = JSON.parse(lessonFile('mine').text) as Parameters<ReturnType<Store['getState']>['save']>[0];
    store.getState().save(lesson, lessonFile('mine').text);
    await vi.waitFor(async () => expect(await savedIds()).toEqual(['mine']));
    expect((await load()).getState().lessons.mine.lesson?.id).toBe('mine');
    store.getState().remove('mine');
    await vi.waitFor(async () => expect(await savedIds()).toEqual([]));
    expect((await load()).getState().lessons).toEqual({});
  });

  it('keeps a saved lesson that no longer checks, marked broken with the reason', async () => {
    const builtinId = bundledContext().builtin.lessons[0].id;
    await writeRecord('settings', USER_LESSONS_RECORD, {
      version: 1,
      state: {
        lessons: {
          good: { source: lessonFile('good').text, savedAt: 5 },
          old: { source: lessonFile('old', 'old.json', (l) => { l.panel = 'a-panel-long-gone'; }).text, savedAt: 6 },
          [builtinId]: { source: builtinLessonSource(builtinId)!, savedAt: 7 },
          junk: 42,
        },
      },
    });
    const store = await load();
    const { lessons } = store.getState();
    expect(Object.keys(lessons).sort()).toEqual([builtinId, 'good', 'old'].sort());
    expect(lessons.good.lesson?.id).toBe('good');
    expect(lessons.old.lesson).toBeNull();
    expect(lessons.old.problems[0]).toMatchObject({ path: 'panel', source: 'schema' });
    expect(lessons[builtinId].lesson).toBeNull();
    expect(lessons[builtinId].problems[0]).toMatchObject({ path: 'id', source: 'mine' });
    expect(playableUserLessons(lessons).map((l) => l.id)).toEqual(['good']);
    // Still saved as they were (the author can mend them in the editor).
    store.getState().save(lessons.good.lesson!, lessons.good.source);
    await vi.waitFor(async () => expect(await savedIds()).toEqual([builtinId, 'good', 'old'].sort()));
  });
});
