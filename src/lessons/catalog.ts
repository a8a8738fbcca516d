/// <reference types="vite/client" />
// The lesson catalog: lessons/chapters.json and every lesson file under lessons/<chapter>/,
// bundled at build time (import.meta.glob, eager), validated against the schema and checked
// across files: unique lesson ids, each lesson's chapter exists and is its folder, its id is its
// file's slug (lessons/<chapter>/<nn>-<id>.json). Chapters come in chapters.json's order, each with
// its lessons by `order`.
import { Chapters, Lesson, schemaProblems, type Chapter } from './schema.ts';

export interface CatalogChapter {
  chapter: Chapter;
  lessons: Lesson[];
}

export interface Catalog {
  chapters: CatalogChapter[];
  /** Every lesson, chapters in order, lessons in order within each. */
  lessons: Lesson[];
  byId: ReadonlyMap<string, Lesson>;
}

/** One thing wrong with a file: which file, where in it, what. */
export interface CatalogProblem {
  file: string;
  path: string;
  message: string;
}

export class CatalogError extends Error {
  constructor(readonly problems: CatalogProblem[]) {
    super(`lesson catalog has ${problems.length} problem(s):\n` + problems.map(formatProblem).join('\n'));
    this.name = 'CatalogError';
  }
}

export function formatProblem(p: CatalogProblem): string {
  return `${p.file}: ${p.path}: ${p.message}`;
}

/** A file's contents as parsed JSON, named by its path from the repository root ("lessons/..."). */
export interface SourceFile {
  file: string;
  data: unknown;
}

const LESSON_FILE = /^lessons\/([^/]+)\/(\d+)-([^/]+)\.json$/;

/**
 * Validates and links the files. Invalid lessons are left out of the catalog and reported in
 * `problems`; the catalog is usable either way (the app shows what is valid).
 */
export function readCatalog(chaptersFile: SourceFile, lessonFiles: SourceFile[]): { catalog: Catalog; problems: CatalogProblem[] } {
  const problems: CatalogProblem[] = [];
  const problem = (file: string, path: string, message: string) => problems.push({ file, path, message });

  const parsedChapters = Chapters.safeParse(chaptersFile.data);
  const chapters: Chapter[] = [];
  if (parsedChapters.success) chapters.push(...parsedChapters.data);
  else for (const p of schemaProblems(parsedChapters.error)) problem(chaptersFile.file, p.path, p.message);
  const chapterIds = new Set<string>();
  chapters.forEach((c, i) => {
    if (chapterIds.has(c.id)) problem(chaptersFile.file, `[${i}].id`, `chapter id '${c.id}' is used twice`);
    chapterIds.add(c.id);
  });

  const byId = new Map<string, { lesson: Lesson; file: string }>();
  const sorted = [...lessonFiles].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  for (const { file, data } of sorted) {
    const parsed = Lesson.safeParse(data);
    if (!parsed.success) {
      for (const p of schemaProblems(parsed.error)) problem(file, p.path, p.message);
      continue;
    }
    const lesson = parsed.data;
    const before = problems.length;
    const m = LESSON_FILE.exec(file);
    if (!m) {
      problem(file, '(file name)', 'a lesson file is lessons/<chapter>/<nn>-<lesson id>.json');
    } else {
      if (m[3] !== lesson.id) problem(file, 'id', `is '${lesson.id}' but the file name says '${m[3]}'`);
      if (m[1] !== lesson.chapter) problem(file, 'chapter', `is '${lesson.chapter}' but the file is in the folder '${m[1]}'`);
    }
    const chapter = chapters.find((c) => c.id === lesson.chapter);
    if (parsedChapters.success && !chapter) problem(file, 'chapter', `'${lesson.chapter}' is not a chapter in ${chaptersFile.file}`);
    if (chapter?.status === 'coming') problem(file, 'chapter', `'${lesson.chapter}' is marked 'coming' in ${chaptersFile.file}; make it 'ready' to give it lessons`);
    const other = byId.get(lesson.id);
    if (other) problem(file, 'id', `lesson id '${lesson.id}' is also used by ${other.file}`);
    const sameOrder = [...byId.values()].find((e) => e.lesson.chapter === lesson.chapter && e.lesson.order === lesson.order);
    if (sameOrder) problem(file, 'order', `${lesson.order} is also the order of ${sameOrder.file} in chapter '${lesson.chapter}'`);
    if (problems.length === before) byId.set(lesson.id, { lesson, file });
  }

  const catalogChapters: CatalogChapter[] = chapters.map((chapter) => ({
    chapter,
    lessons: [...byId.values()].map((e) => e.lesson).filter((l) => l.chapter === chapter.id).sort((a, b) => a.order - b.order),
  }));
  const lessons = catalogChapters.flatMap((c) => c.lessons);
  return { catalog: { chapters: catalogChapters, lessons, byId: new Map(lessons.map((l) => [l.id, l])) }, problems };
}

/** Like readCatalog, but any problem is an error naming every file and path at fault. */
export function buildCatalog(chaptersFile: SourceFile, lessonFiles: SourceFile[]): Catalog {
  const { catalog, problems } = readCatalog(chaptersFile, lessonFiles);
  if (problems.length) throw new CatalogError(problems);
  return catalog;
}

/** The bundled files, as "lessons/..." paths. */
export function bundledSources(): { chapters: SourceFile; lessons: SourceFile[] } {
  const files = import.meta.glob<unknown>('../../lessons/**/*.json', { eager: true, import: 'default' });
  let chapters: SourceFile = { file: 'lessons/chapters.json', data: undefined };
  const lessons: SourceFile[] = [];
  for (const [path, data] of Object.entries(files)) {
    const file = path.replace(/^(\.\.\/)+/, '');
    if (file === 'lessons/chapters.json') chapters = { file, data };
    else lessons.push({ file, data });
  }
  return { chapters, lessons };
}

let bundled: { catalog: Catalog; problems: CatalogProblem[] } | null = null;

/** The bundled catalog (valid lessons) and its problems, read once. */
export function bundledCatalog(): { catalog: Catalog; problems: CatalogProblem[] } {
  if (!bundled) {
    const { chapters, lessons } = bundledSources();
    bundled = readCatalog(chapters, lessons);
  }
  return bundled;
}
