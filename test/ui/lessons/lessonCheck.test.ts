// Checking a lesson written by hand or read from a file (src/ui/lessons/lessonCheck.ts): JSON
// errors, schema errors with where they are (path, line, column) in English and Chinese, the
// catalog's cross checks as warnings, and a built-in lesson's id refused.
import { describe, expect, it } from 'vitest';
import { bundledCatalog } from '../../../src/lessons/catalog.ts';
import { bilingual, bundledContext, checkLessonText, lessonFileName, type LessonProblem } from '../../../src/ui/lessons/lessonCheck.ts';
import { jsonSpans, lineColumn, locate, parsePath } from '../../../src/ui/lessons/jsonLocate.ts';
import { builtinLessonSource, newLessonSource } from '../../../src/ui/lessons/authoring/template.ts';

const ctx = bundledContext();

/** The new-lesson template as data, changed by `change`, as indented JSON. */
function lessonText(change: (l: Record<string, unknown>) => void = () => {}): string {
  const lesson = JSON.parse(newLessonSource()) as Record<string, unknown>;
  change(lesson);
  return JSON.stringify(lesson, null, 2);
}

const errors = (problems: LessonProblem[]) => problems.filter((p) => p.severity === 'error');

describe('lesson check', () => {
  it('accepts the new-lesson template as it is, with no problem at all', () => {
    const check = checkLessonText(newLessonSource(), ctx);
    expect(check.problems).toEqual([]);
    expect(check.lesson?.id).toBe('my-first-lesson');
    expect(lessonFileName(check.lesson!)).toBe('100-my-first-lesson.json');
  });

  it('says where a JSON syntax error is', () => {
    const text = '{\n  "id": "x",\n  "order": 1,\n}';
    const check = checkLessonText(text, ctx);
    expect(check.lesson).toBeNull();
    expect(check.problems).toHaveLength(1);
    const [p] = check.problems;
    expect(p).toMatchObject({ severity: 'error', source: 'json', path: '(JSON)', line: 4, column: 1 });
    expect(p.message.en).toMatch(/^not valid JSON: /);
    expect(p.message.zh).toMatch(/^不是有效的 JSON：/);
  });

  it('names the path, line and column of a schema error, in both languages', () => {
    const text = lessonText((l) => { l.order = 'one'; });
    const check = checkLessonText(text, ctx);
    expect(check.lesson).toBeNull();
    expect(check.parsed).toBeNull();
    expect(check.problems).toEqual([expect.objectContaining({ severity: 'error', source: 'schema', path: 'order' })]);
    const [p] = check.problems;
    const line = text.split('\n').findIndex((l) => l.includes('"order": "one"')) + 1;
    expect(p.line).toBe(line);
    expect(text.slice(p.offset!, p.offset! + p.length!)).toBe('"order": "one"');
    expect(p.message.en).toBe('Invalid input: expected number, received string');
    expect(p.message.zh).toBe('类型不对：应为数字，实际是字符串');
  });

  it('finds problems deep inside steps, and misspelt fields', () => {
    const text = lessonText((l) => {
      const steps = l.steps as Record<string, unknown>[];
      (steps[0].objectives as Record<string, unknown>[])[0].check = { kind: 'key', key: 'visits', typ: 'string' };
      steps.push({ ...steps[0] }); // the same step id twice
    });
    const check = checkLessonText(text, ctx);
    expect(check.lesson).toBeNull();
    const paths = check.problems.map((p) => p.path);
    expect(paths).toContain('steps[0].objectives[0].check');
    const unknownKey = check.problems.find((p) => p.path === 'steps[0].objectives[0].check')!;
    expect(unknownKey.message.en).toMatch(/Unrecognized key.*typ/);
    expect(unknownKey.message.zh).toMatch(/^无法识别的字段：.*typ/);
    expect(text.slice(unknownKey.offset!, unknownKey.offset! + 7)).toBe('"check"');
  });

  it('reports the cross-field checks (a step id twice, a client the lesson does not have)', () => {
    const text = lessonText((l) => {
      const steps = l.steps as Record<string, unknown>[];
      steps.push(JSON.parse(JSON.stringify(steps[0])) as Record<string, unknown>);
      steps[1].solution = [{ client: 2, command: 'INCR visits' }];
    });
    const check = checkLessonText(text, ctx);
    expect(check.lesson).toBeNull();
    expect(check.problems.map((p) => [p.path, p.message.en, p.message.zh])).toEqual([
      ['steps[1].id', "step id 'count-a-visit' is used twice", "步骤 id 'count-a-visit' 用了两次"],
      ['steps[1].solution[0].client', 'client 2 but the lesson has 1 client(s)', '客户端 2，但这节课只有 1 个客户端'],
    ]);
  });

  it('refuses a built-in lesson’s id: a copy of every built-in lesson needs an id of its own', () => {
    const { lessons } = bundledCatalog().catalog;
    expect(lessons.length).toBeGreaterThan(0);
    for (const builtin of lessons) {
      const source = builtinLessonSource(builtin.id)!;
      const check = checkLessonText(source, ctx);
      expect(check.lesson).toBeNull();
      expect(check.parsed?.id).toBe(builtin.id); // what a preview can still show
      expect(errors(check.problems)).toEqual([expect.objectContaining({ source: 'mine', path: 'id' })]);
      expect(errors(check.problems)[0].message.en).toContain(`'${builtin.id}' is the id of a built-in lesson`);
      expect(errors(check.problems)[0].message.zh).toContain('是内置课程');
      // Renamed, it is a lesson of one's own; taking the built-in's place in the chapter is a warning.
      const renamed = source.replace(`"id": "${builtin.id}"`, `"id": "my-${builtin.id}"`);
      const again = checkLessonText(renamed, ctx);
      expect(again.lesson?.id).toBe(`my-${builtin.id}`);
      expect(again.problems).toEqual([expect.objectContaining({ severity: 'warning', source: 'catalog', path: 'order' })]);
    }
  });

  it('gives the catalog’s chapter checks as warnings: the lesson can still be kept', () => {
    const unknown = checkLessonText(lessonText((l) => { l.chapter = 'my-own-chapter'; }), ctx);
    expect(unknown.lesson).not.toBeNull();
    expect(unknown.problems).toEqual([expect.objectContaining({ severity: 'warning', source: 'catalog', path: 'chapter' })]);
    expect(unknown.problems[0].message.en).toBe("'my-own-chapter' is not a chapter in lessons/chapters.json");
    expect(unknown.problems[0].message.zh).toBe("'my-own-chapter' 不是 lessons/chapters.json 里的章节");

    const coming = checkLessonText(lessonText((l) => { l.chapter = 'cluster'; }), ctx);
    expect(coming.lesson).not.toBeNull();
    expect(coming.problems[0]).toMatchObject({ severity: 'warning', path: 'chapter' });
    expect(coming.problems[0].message.zh).toContain("'cluster' 在 lessons/chapters.json 里标为 'coming'");
  });

  it('notes that saving replaces a lesson of one’s own with the same id, unless that is the one edited', () => {
    const userIds = new Set(['my-first-lesson']);
    const other = checkLessonText(newLessonSource(), { ...ctx, userIds, editing: null });
    expect(other.lesson).not.toBeNull();
    expect(other.problems).toEqual([expect.objectContaining({ severity: 'info', path: 'id' })]);
    expect(checkLessonText(newLessonSource(), { ...ctx, userIds, editing: 'my-first-lesson' }).problems).toEqual([]);
  });

  it('has the Chinese of every message the schema and the catalog give', () => {
    const bad = [
      lessonText((l) => { l.id = 'Not Kebab'; }),
      lessonText((l) => { delete l.title; }),
      lessonText((l) => { l.title = { en: 1, zh: 'x' }; }),
      lessonText((l) => { l.panel = 'nowhere'; }),
      lessonText((l) => { l.steps = []; }),
      lessonText((l) => { l.clients = 9; }),
      lessonText((l) => { l.disabled = ['FLUSHALL']; }),
      lessonText((l) => { (l.setup as Record<string, unknown>).seed = -1; }),
      lessonText((l) => { ((l.steps as Record<string, unknown>[])[0]).solution = ['  ']; }),
      lessonText((l) => { ((l.steps as Record<string, unknown>[])[0]).solution = [{ wait: 5 }]; }),
      lessonText((l) => { ((l.steps as Record<string, unknown>[])[0]).objectives = []; }),
      lessonText((l) => { ((l.steps as Record<string, unknown>[])[0]).solution = []; }),
      lessonText((l) => { ((l.steps as Record<string, unknown>[])[0].objectives as Record<string, unknown>[])[0].check = { kind: 'keys', key: 'a' }; }),
      lessonText((l) => { ((l.steps as Record<string, unknown>[])[0].objectives as Record<string, unknown>[])[0].check = { kind: 'key', key: 'a', exists: false, type: 'string' }; }),
      lessonText((l) => { ((l.steps as Record<string, unknown>[])[0].objectives as Record<string, unknown>[])[0].check = { kind: 'dbsize', range: { min: 3, max: 1 } }; }),
      lessonText((l) => { ((l.steps as Record<string, unknown>[])[0].objectives as Record<string, unknown>[])[0].check = { kind: 'dbsize', range: {} }; }),
      lessonText((l) => { ((l.steps as Record<string, unknown>[])[0].objectives as Record<string, unknown>[])[0].check = { kind: 'dbsize', range: 'many' }; }),
      lessonText((l) => { ((l.steps as Record<string, unknown>[])[0].objectives as Record<string, unknown>[])[0].check = { kind: 'key', key: 'a', value: { equal: 'x' } }; }),
      lessonText((l) => { ((l.steps as Record<string, unknown>[])[0].objectives as Record<string, unknown>[])[0].check = { kind: 'ran', command: 'SET' }; }),
      lessonText((l) => { ((l.steps as Record<string, unknown>[])[0].objectives as Record<string, unknown>[])[0].check = { kind: 'client', client: 3 }; }),
    ];
    const untranslated: string[] = [];
    let count = 0;
    for (const text of bad) {
      const check = checkLessonText(text, ctx);
      expect(check.lesson, text).toBeNull();
      for (const p of check.problems) {
        count++;
        if (p.message.zh === p.message.en || !/[\u4e00-\u9fff]/.test(p.message.zh)) untranslated.push(p.message.en);
      }
    }
    expect(count).toBeGreaterThanOrEqual(bad.length);
    expect(untranslated).toEqual([]);
  });

  it('leaves a message it does not know in English in both', () => {
    expect(bilingual('something new')).toEqual({ en: 'something new', zh: 'something new' });
  });
});

describe('JSON locations', () => {
  const text = '{\n  "a": [1, {"b": "x\\"y"}],\n  "c": {"d": true}\n}';

  it('finds each value by its path, keys with their property', () => {
    const spans = jsonSpans(text);
    const at = (path: string) => {
      const s = locate(spans, parsePath(path))!;
      return text.slice(s.keyOffset ?? s.offset, s.offset + s.length);
    };
    expect(at('a[1].b')).toBe('"b": "x\\"y"');
    expect(at('a[0]')).toBe('1');
    expect(at('c.d')).toBe('"d": true');
    expect(at('(top level)')).toBe(text);
    // A missing property: its object.
    expect(at('c.missing')).toBe('"c": {"d": true}');
  });

  it('gives 1-based lines and columns', () => {
    expect(lineColumn(text, 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn(text, text.indexOf('"c"'))).toEqual({ line: 3, column: 3 });
    expect(parsePath('steps[0].objectives[12].check')).toEqual(['steps', 0, 'objectives', 12, 'check']);
  });
});
