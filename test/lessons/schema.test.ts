// The lesson format: the schema accepts the bundled lessons and rejects bad files with a message
// naming the file and the path inside it; the catalog's cross-file checks; the JSON schema for the
// editor; the journal's command names and reply kinds; lesson text helpers.
import { describe, expect, test } from 'vitest';
import commandFacts from '../../src/engine/server/commandFacts.json' with { type: 'json' };
import { RedisServer } from '../../src/engine/server/redisServer.ts';
import { VirtualClock } from '../../src/engine/sim/clock.ts';
import { SeededRandom } from '../../src/engine/sim/random.ts';
import { buildCatalog, bundledCatalog, CatalogError, readCatalog, type SourceFile } from '../../src/lessons/catalog.ts';
import { CONTAINER_COMMANDS, commandArgs, commandName, isDisabled, replyKind } from '../../src/lessons/journal.ts';
import { Lesson, lessonJsonSchema, PREDICATE_KINDS } from '../../src/lessons/schema.ts';
import { localize, redisSnippets, textString } from '../../src/lessons/text.ts';

const chapters: SourceFile = {
  file: 'lessons/chapters.json',
  data: [
    { id: 'basics', title: { en: 'Basics', zh: '基础' }, status: 'ready' },
    { id: 'lua', title: { en: 'Lua', zh: 'Lua' }, status: 'coming', issue: 'later' },
  ],
};

function lesson(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'first-keys', chapter: 'basics', order: 1,
    title: { en: 'T', zh: '标题' }, summary: { en: 'S', zh: '摘要' },
    setup: {}, text: { en: ['a', 'b'], zh: '文' },
    steps: [{
      id: 'one', text: { en: 'Do', zh: '做' }, hints: [],
      objectives: [{ text: { en: 'o', zh: '目标' }, check: { kind: 'key', key: 'k' } }],
      solution: ['SET k v'],
    }],
    ...over,
  };
}

const file = (name: string, data: unknown): SourceFile => ({ file: `lessons/basics/${name}`, data });

function problemsOf(files: SourceFile[], chapterFile = chapters): string[] {
  return readCatalog(chapterFile, files).problems.map((p) => `${p.file}: ${p.path}: ${p.message}`);
}

function withStep(step: Record<string, unknown>): Record<string, unknown> {
  const base = (lesson().steps as Record<string, unknown>[])[0];
  return lesson({ steps: [{ ...base, ...step }] });
}

describe('bad lesson files are rejected, naming the file and the path', () => {
  test('a valid lesson passes', () => {
    expect(problemsOf([file('01-first-keys.json', lesson())])).toEqual([]);
  });

  test('field errors', () => {
    const cases: [Record<string, unknown>, string][] = [
      [lesson({ title: { en: 'only english' } }), 'lessons/basics/01-first-keys.json: title.zh: is required: a string or an array of lines'],
      [lesson({ titel: { en: 'x', zh: 'y' } }), 'lessons/basics/01-first-keys.json: (top level): Unrecognized key: "titel"'],
      [lesson({ panel: 'graphs' }), 'lessons/basics/01-first-keys.json: panel: Invalid option: expected one of "keyspace"|"encoding"|"skiplist"|"dict"|"expiry"|"eventloop"'],
      [lesson({ steps: [] }), 'lessons/basics/01-first-keys.json: steps: a lesson needs at least one step'],
      [lesson({ disabled: ['FLUSHALL'] }), "lessons/basics/01-first-keys.json: disabled[0]: must be a lowercase command name such as 'incr' or 'client|list'"],
      [withStep({ objectives: [{ text: { en: 'o', zh: 'o' }, check: { kind: 'kee', key: 'k' } }] }),
        'lessons/basics/01-first-keys.json: steps[0].objectives[0].check.kind: kind must be one of key, dbsize, rehashing, skiplist, config, client, ran, all, any, not'],
      [withStep({ objectives: [{ text: { en: 'o', zh: 'o' }, check: { kind: 'key', key: 'k', value: { equal: 'v' } } }] }),
        'lessons/basics/01-first-keys.json: steps[0].objectives[0].check.value: a value match is one of { "equals" }, { "number" }, { "list" }, { "members", "exact"? }, { "fields", "exact"? }, { "scores" }'],
      [withStep({ objectives: [{ text: { en: 'o', zh: 'o' }, check: { kind: 'all', of: [{ kind: 'key', key: 'k', ttlMs: { min: 9, max: 1 } }] } }] }),
        'lessons/basics/01-first-keys.json: steps[0].objectives[0].check.of[0].ttlMs: min must not exceed max'],
      [withStep({ objectives: [{ text: { en: 'o', zh: 'o' }, check: { kind: 'key', key: 'k', value: { members: ['a'], exact: 'yes' } } }] }),
        'lessons/basics/01-first-keys.json: steps[0].objectives[0].check.value.exact: Invalid input: expected boolean, received string'],
      [withStep({ objectives: [{ text: { en: 'o', zh: 'o' }, check: { kind: 'key', key: 'k', exists: false, type: 'list' } }] }),
        'lessons/basics/01-first-keys.json: steps[0].objectives[0].check: a key that must not exist cannot also have a type, encoding, value, length or TTL'],
      [withStep({ solution: [{ client: 2, command: 'GET k' }] }),
        'lessons/basics/01-first-keys.json: steps[0].solution[0].client: client 2 but the lesson has 1 client(s)'],
      [withStep({ solution: [{ wait: 5 }] }),
        'lessons/basics/01-first-keys.json: steps[0].solution[0]: a solution line is a command line (string), { "client", "command" } or { "waitMs" }'],
      [withStep({ objectives: [{ text: { en: 'o', zh: 'o' }, check: { kind: 'ran', command: 'exec', client: 3 } }] }),
        'lessons/basics/01-first-keys.json: steps[0].objectives[0].check: names client 3 but the lesson has 1 client(s)'],
      [lesson({ steps: [(lesson().steps as unknown[])[0], (lesson().steps as unknown[])[0]] }),
        "lessons/basics/01-first-keys.json: steps[1].id: step id 'one' is used twice"],
    ];
    for (const [data, message] of cases) expect(problemsOf([file('01-first-keys.json', data)])).toEqual([message]);
  });

  test('cross-file checks: slug, folder, chapter, unique ids and orders, coming chapters', () => {
    expect(problemsOf([file('01-other-name.json', lesson())]))
      .toEqual(["lessons/basics/01-other-name.json: id: is 'first-keys' but the file name says 'other-name'"]);
    expect(problemsOf([file('first-keys.json', lesson())]))
      .toEqual(['lessons/basics/first-keys.json: (file name): a lesson file is lessons/<chapter>/<nn>-<lesson id>.json']);
    expect(problemsOf([{ file: 'lessons/intro/01-first-keys.json', data: lesson() }]))
      .toEqual(["lessons/intro/01-first-keys.json: chapter: is 'basics' but the file is in the folder 'intro'"]);
    expect(problemsOf([{ file: 'lessons/nope/01-first-keys.json', data: lesson({ chapter: 'nope' }) }]))
      .toEqual(["lessons/nope/01-first-keys.json: chapter: 'nope' is not a chapter in lessons/chapters.json"]);
    expect(problemsOf([{ file: 'lessons/lua/01-first-keys.json', data: lesson({ chapter: 'lua' }) }]))
      .toEqual(["lessons/lua/01-first-keys.json: chapter: 'lua' is marked 'coming' in lessons/chapters.json; make it 'ready' to give it lessons"]);
    expect(problemsOf([file('01-first-keys.json', lesson()), { file: 'lessons/lua/02-first-keys.json', data: lesson({ chapter: 'lua', order: 2 }) }]))
      .toContain("lessons/lua/02-first-keys.json: id: lesson id 'first-keys' is also used by lessons/basics/01-first-keys.json");
    expect(problemsOf([file('01-first-keys.json', lesson()), file('02-second.json', lesson({ id: 'second' }))]))
      .toEqual(["lessons/basics/02-second.json: order: 1 is also the order of lessons/basics/01-first-keys.json in chapter 'basics'"]);
    const badChapters = { file: 'lessons/chapters.json', data: [{ id: 'basics', title: { en: 'B', zh: 'B' }, status: 'coming' }, { id: 'basics', title: { en: 'B', zh: 'B' }, status: 'ready' }] };
    expect(problemsOf([], badChapters)).toEqual(["lessons/chapters.json: [0].issue: a 'coming' chapter names the issue that brings it"]);
    const twice = { file: 'lessons/chapters.json', data: [{ id: 'basics', title: { en: 'B', zh: 'B' }, status: 'ready' }, { id: 'basics', title: { en: 'B', zh: 'B' }, status: 'ready' }] };
    expect(problemsOf([], twice)).toEqual(["lessons/chapters.json: [1].id: chapter id 'basics' is used twice"]);
  });

  test('buildCatalog throws one error listing every problem; valid lessons are ordered by chapter then order', () => {
    let error: unknown = null;
    try {
      buildCatalog(chapters, [file('01-first-keys.json', lesson({ title: 'x' })), file('02-b.json', lesson({ id: 'b', order: 2, summary: 1 }))]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CatalogError);
    expect((error as Error).message).toBe([
      'lesson catalog has 2 problem(s):',
      'lessons/basics/01-first-keys.json: title: Invalid input: expected object, received string',
      'lessons/basics/02-b.json: summary: Invalid input: expected object, received number',
    ].join('\n'));
    const catalog = buildCatalog(chapters, [file('02-b.json', lesson({ id: 'b', order: 2 })), file('01-first-keys.json', lesson())]);
    expect(catalog.lessons.map((l) => l.id)).toEqual(['first-keys', 'b']);
    expect(catalog.chapters.map((c) => [c.chapter.id, c.lessons.length])).toEqual([['basics', 2], ['lua', 0]]);
    expect(catalog.byId.get('b')?.order).toBe(2);
  });

  test('the bundled lessons are valid', () => {
    const { catalog, problems } = bundledCatalog();
    expect(problems).toEqual([]);
    expect(catalog.byId.get('first-keys')?.chapter).toBe('basics');
  });
});

test('the JSON schema for the editor describes the lesson format', () => {
  const schema = lessonJsonSchema() as { type: string; required: string[]; properties: Record<string, unknown> };
  expect(schema.type).toBe('object');
  expect(schema.required).toEqual(expect.arrayContaining(['id', 'chapter', 'order', 'title', 'summary', 'setup', 'text', 'steps']));
  const text = JSON.stringify(schema);
  for (const kind of PREDICATE_KINDS) expect(text).toContain(`"const":"${kind}"`);
  expect(Lesson.safeParse(lesson()).success).toBe(true);
});

describe('journal', () => {
  const server = new RedisServer({ clock: new VirtualClock(), random: new SeededRandom(1) });

  test("container commands are Redis 7.0's (the commands with subcommands in the facts)", () => {
    const facts = commandFacts.commands as unknown as Record<string, { subcommands: Record<string, unknown> }>;
    const containers = Object.entries(facts).filter(([, f]) => Object.keys(f.subcommands).length > 0).map(([name]) => name).sort();
    expect([...CONTAINER_COMMANDS].sort()).toEqual(containers);
  });

  test('command names resolve like lookupCommand, with or without the engine table', () => {
    const cases: [string[], string][] = [
      [['INCR', 'k'], 'incr'], [['Client', 'LIST'], 'client|list'], [['config', 'get', 'x'], 'config|get'],
      [['CONFIG'], 'config'], [['object', 'Encoding', 'k'], 'object|encoding'], [['FOO', 'bar'], 'foo'], [['config', 'nope'], 'config|nope'],
    ];
    for (const [argv, name] of cases) {
      expect(commandName(argv)).toBe(name);
      expect(commandName(argv, server.commands)).toBe(name);
    }
    expect(commandArgs({ argv: ['CONFIG', 'GET', 'maxmemory'], name: 'config|get' })).toEqual(['maxmemory']);
    expect(commandArgs({ argv: ['INCR', 'k'], name: 'incr' })).toEqual(['k']);
  });

  test('reply kinds', () => {
    expect(replyKind({ kind: 'status', text: 'OK' })).toBe('ok');
    expect(replyKind({ kind: 'status', text: 'QUEUED' })).toBe('queued');
    expect(replyKind({ kind: 'status', text: 'PONG' })).toBe('string');
    expect(replyKind({ kind: 'error', text: 'ERR x' })).toBe('error');
    expect(replyKind({ kind: 'null' })).toBe('nil');
    expect(replyKind({ kind: 'integer', value: 3n })).toBe('integer');
    expect(replyKind({ kind: 'bulk', text: 'v' })).toBe('string');
    expect(replyKind({ kind: 'array', items: [] })).toBe('array');
    expect(replyKind({ kind: 'map', entries: [] })).toBe('array');
  });

  test('disabled commands: by name or by container', () => {
    expect(isDisabled(['flushall'], 'flushall')).toBe(true);
    expect(isDisabled(['flushall'], 'flushdb')).toBe(false);
    expect(isDisabled(['config'], 'config|set')).toBe(true);
    expect(isDisabled(['config|set'], 'config|get')).toBe(false);
    expect(isDisabled(undefined, 'get')).toBe(false);
  });
});

test('lesson text: arrays join with newlines, language fallback, redis snippets', () => {
  expect(textString(['a', 'b'])).toBe('a\nb');
  expect(localize({ en: 'hi', zh: '' }, 'zh')).toBe('hi');
  expect(localize({ en: 'hi', zh: ['你', '好'] }, 'zh')).toBe('你\n好');
  const md = ['Try:', '', '```redis', 'SET k v', '', 'GET k', '```', '', '```js', 'x', '```', '~~~redis', 'INCR n', '~~~'].join('\n');
  expect(redisSnippets(md)).toEqual([{ commands: ['SET k v', 'GET k'] }, { commands: ['INCR n'] }]);
});
