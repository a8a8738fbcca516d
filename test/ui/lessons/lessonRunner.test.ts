// The app's lesson runner end to end without a browser: redis-cli sessions (CliHost) on the real
// EngineWorker, whose stand-in Worker runs the worker's runtime over fake-indexeddb. Commands typed
// in the terminals are journaled per lesson client, each is checked on the facts read right after
// it (a fast paste included), steps advance and progress is kept, disabled commands never reach
// the engine, `:lesson` answers in the terminal, and a new page (reload) comes back to the lesson.
import 'fake-indexeddb/auto';
import i18next from 'i18next';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { bytesToBinary } from '../../../src/engine/bytes.ts';
import { readCatalog, type Catalog } from '../../../src/lessons/catalog.ts';
import { Lesson } from '../../../src/lessons/schema.ts';
import { lessons as lessonMessages } from '../../../src/ui/i18n/messages/lessons.ts';
import { JOURNAL_RECORD, LessonController, useLessonRunner } from '../../../src/ui/lessons/lessonRunner.ts';
import { PROGRESS_RECORD, useProgress } from '../../../src/ui/lessons/progress.ts';
import { useUserLessons } from '../../../src/ui/lessons/userLessons.ts';
import { useTerminals } from '../../../src/ui/state/terminals.ts';
import { deleteRecord, readRecord } from '../../../src/ui/storage/db.ts';
import { CliHost } from '../../../src/ui/terminal/cliHost.ts';
import { staticCommandHelp } from '../../../src/ui/terminal/staticCommandDocs.ts';
import { terminalRegistry } from '../../../src/ui/terminal/terminalRegistry.ts';
import { indexedDbWorldStore } from '../../../src/worker/worldStore.ts';
import { clearSavedWorlds, runtimeEngine } from '../../support/runtimeWorker.ts';

const l10n = (s: string) => ({ en: s, zh: s });
const LESSON = {
  id: 'demo', chapter: 'basics', order: 1, title: l10n('Demo lesson'), summary: l10n('A demo'),
  setup: { commands: ['SET n 0'] }, clients: 2, disabled: ['flushall'], text: l10n('Text'),
  steps: [
    {
      id: 'greet', text: l10n('Set greeting'), hints: [l10n('Use SET')], solution: ['SET greeting hello'],
      objectives: [{ text: l10n('greeting is hello'), check: { kind: 'key', key: 'greeting', value: { equals: 'hello' } } }],
    },
    {
      id: 'count', text: l10n('Count twice'), hints: [], solution: ['INCR n', 'INCR n'],
      objectives: [
        { text: l10n('INCR ran twice'), check: { kind: 'ran', command: 'incr', args: ['n'], times: 2 } },
        { text: l10n('n is 2'), check: { kind: 'key', key: 'n', value: { number: 2 } } },
      ],
    },
    {
      id: 'multi', text: l10n('Client 2 in MULTI'), hints: [], solution: [{ client: 2, command: 'MULTI' }],
      objectives: [{ text: l10n('client 2 in MULTI'), check: { kind: 'client', client: 2, inMulti: true } }],
    },
  ],
};

function catalog(): Catalog {
  const { catalog: c, problems } = readCatalog(
    { file: 'lessons/chapters.json', data: [{ id: 'basics', title: l10n('Basics'), status: 'ready' }] },
    [{ file: 'lessons/basics/01-demo.json', data: LESSON }],
  );
  expect(problems).toEqual([]);
  return c;
}

/** What one page has: the engine, two terminals registered as TerminalView registers them, the runner. */
async function page() {
  const engine = runtimeEngine(indexedDbWorldStore);
  await vi.waitFor(() => expect(engine.status.state).toBe('ready'));
  const screens = new Map<string, string>();
  const hosts = new Map<string, CliHost>();
  const unregister: (() => void)[] = [];
  for (const id of ['t1', 't2']) {
    screens.set(id, '');
    const host = new CliHost({
      connector: engine,
      surface: { write: (b) => screens.set(id, screens.get(id) + bytesToBinary(b)), cols: 200 },
      history: { load: () => [], save: () => {} },
      fallbackHelp: () => staticCommandHelp(),
      hostCommands: {
        internal: (argv) => terminalRegistry.extension?.internal(argv, id) ?? null,
        refuse: (argv) => terminalRegistry.extension?.refuse(argv, id) ?? null,
      },
      onCommand: (argv, reply) => terminalRegistry.extension?.ran(argv, reply, id),
    });
    hosts.set(id, host);
    unregister.push(terminalRegistry.register({
      id, input: (d) => host.input(d), paste: (t) => host.paste(t), busy: () => host.busy,
      connectionId: () => host.connectionId, restart: (note) => host.restart(note), focus: () => {},
    }));
    host.start();
  }
  const controller = new LessonController(engine, catalog());
  const stop = controller.start();
  const idle = async (id: string) => {
    await vi.waitFor(() => expect(hosts.get(id)!.busy || !/> $/.test(screens.get(id)!)).toBe(false));
  };
  await idle('t1');
  await idle('t2');
  /** Types a line and waits for the prompt; the output since. */
  const run = async (id: string, line: string) => {
    const before = screens.get(id)!.length;
    hosts.get(id)!.input(line + '\r');
    await idle(id);
    return screens.get(id)!.slice(before);
  };
  const close = () => {
    stop();
    for (const u of unregister) u();
    for (const h of hosts.values()) h.dispose();
    engine.dispose();
  };
  return { engine, controller, hosts, screens, run, idle, close };
}

beforeAll(async () => {
  await i18next.init({ lng: 'en', resources: { en: { translation: { lessons: lessonMessages.en } } }, interpolation: { escapeValue: false } });
});

let open: { close(): void }[] = [];

beforeEach(async () => {
  await clearSavedWorlds();
  await deleteRecord('settings', PROGRESS_RECORD);
  await deleteRecord('settings', JOURNAL_RECORD);
  useProgress.setState({ lessons: {} });
  useUserLessons.setState({ lessons: {} });
  useLessonRunner.setState({ active: undefined, view: 'list', switching: null, error: null, step: 0, verdicts: null, verdictStep: 0, playing: false });
  useTerminals.setState({
    terminals: [{ id: 't1', number: 1, name: 'client 1', wire: false }, { id: 't2', number: 2, name: 'client 2', wire: false }],
    nextNumber: 3,
  });
});

afterEach(() => {
  for (const p of open.splice(0)) p.close();
});

describe('the lesson runner', () => {
  it('checks after every command, advances steps, keeps progress, refuses disabled commands', async () => {
    const p = await page();
    open.push(p);
    await vi.waitFor(() => expect(useLessonRunner.getState().active).toBe(null));
    await p.run('t1', 'SET mine 1');
    expect(await p.controller.open('demo')).toBe(true);
    expect(useLessonRunner.getState()).toMatchObject({ active: 'demo', view: 'lesson', step: 0, switching: null });
    // The terminals start again on the lesson's world, saying so.
    await p.idle('t1');
    expect(p.screens.get('t1')).toContain('(lesson) The world of "Demo lesson" is in place');

    // A wrong value: not met, and the evaluator says why.
    await p.run('t1', 'SET greeting hi');
    await vi.waitFor(() => expect(useLessonRunner.getState().verdicts?.[0]).toMatchObject({ ok: false }));
    expect(useLessonRunner.getState().verdicts![0].why.en).toContain('"hi"');

    // A paste runs three commands back to back: each is judged on the facts right after it, so the
    // INCRs after the SET belong to the next step's journal (its "ran twice" holds).
    p.hosts.get('t1')!.paste('SET greeting hello\nINCR n\nINCR n\n');
    await vi.waitFor(() => expect(useLessonRunner.getState().step).toBe(2));
    expect(useProgress.getState().lessons.demo).toMatchObject({ step: 2, stepsDone: ['greet', 'count'], solved: false });

    // Disabled: refused before it reaches the engine, with our own message.
    const refused = await p.run('t1', 'FLUSHALL');
    expect(refused).toContain('(lesson) FLUSHALL is turned off in this lesson');
    expect(await p.run('t1', 'EXISTS greeting')).toContain('(integer) 1');

    // :lesson says where things stand, from the terminal.
    const status = await p.run('t1', ':lesson');
    expect(status).toContain('(lesson) Demo lesson (demo), step 3 of 3: Client 2 in MULTI');
    expect(status).toContain('[ ] client 2 in MULTI');
    expect(status).toContain('why not yet: client 2 is not in a transaction (MULTI)');

    // Client 2 is the second terminal: its MULTI finishes the lesson.
    await p.run('t2', 'MULTI');
    await vi.waitFor(() => expect(useLessonRunner.getState().step).toBe(3));
    expect(useProgress.getState().lessons.demo).toMatchObject({ step: 3, solved: true, solutionShown: false });

    // Back to the sandbox: the learner's key again.
    expect(await p.controller.toSandbox()).toBe(true);
    await p.idle('t1');
    expect(await p.run('t1', 'GET mine')).toContain('"1"');
    // No lesson: nothing is refused any more, and :lesson says so.
    expect(await p.run('t1', ':lesson')).toContain('No lesson is open');
  });

  it('a reload inside a lesson comes back to its step, its world and the step’s journal', async () => {
    const a = await page();
    open.push(a);
    await a.controller.open('demo');
    await a.idle('t1');
    await a.run('t1', 'SET greeting hello');
    await vi.waitFor(() => expect(useLessonRunner.getState().step).toBe(1));
    await a.run('t1', 'INCR n');
    await vi.waitFor(async () => expect((await readRecord<{ entries: unknown[] }>('settings', JOURNAL_RECORD))?.entries).toHaveLength(1));
    await a.engine.saveWorld();
    a.close();
    open = [];

    useLessonRunner.setState({ active: undefined, view: 'list', step: 0, verdicts: null });
    const b = await page();
    open.push(b);
    await vi.waitFor(() => expect(useLessonRunner.getState()).toMatchObject({ active: 'demo', view: 'lesson', step: 1 }));
    // One INCR was journaled before the reload: one more completes "ran twice".
    await b.run('t1', 'INCR n');
    await vi.waitFor(() => expect(useLessonRunner.getState().step).toBe(2));
  });

  it('shows the solution by typing it into the terminals; finishing then is not solving', async () => {
    const p = await page();
    open.push(p);
    await p.controller.open('demo');
    await p.idle('t1');
    for (let step = 0; step < 3; step++) {
      await p.controller.showSolution();
      await vi.waitFor(() => expect(useLessonRunner.getState().step).toBe(step + 1));
    }
    expect(p.screens.get('t1')).toContain('SET greeting hello');
    expect(p.screens.get('t2')).toContain('MULTI');
    expect(useProgress.getState().lessons.demo).toMatchObject({ step: 3, solved: false, solutionShown: true });
  });

  it('one\'s own lessons are listed under "My lessons" and come after the bundled ones for :lesson next / prev', async () => {
    const mine = Lesson.parse({ ...LESSON, id: 'my-demo', title: l10n('My own demo') });
    useUserLessons.setState({ lessons: { 'my-demo': { id: 'my-demo', source: JSON.stringify(mine), savedAt: 0, lesson: mine, problems: [] } } });
    const p = await page();
    open.push(p);
    // The lines as shown (without the colour codes).
    const list = (await p.run('t1', ':lesson list')).replace(/\x1b\[[0-9;]*m/g, '').split(/\r?\n/);
    expect(list.slice(list.indexOf('Basics'), list.indexOf('Basics') + 4)).toEqual([
      'Basics', '  demo  Demo lesson  [not started]', 'My lessons', '  my-demo  My own demo  [not started]',
    ]);
    await p.controller.open('demo');
    await p.idle('t1');
    expect(await p.run('t1', ':lesson next')).toContain('Opening "My own demo"');
    await vi.waitFor(() => expect(useLessonRunner.getState().active).toBe('my-demo'));
    await p.idle('t1');
    expect(await p.run('t1', ':lesson next')).toContain('This is the last lesson.');
    expect(await p.run('t1', ':lesson prev')).toContain('Opening "Demo lesson"');
    await vi.waitFor(() => expect(useLessonRunner.getState().active).toBe('demo'));
  });
});
