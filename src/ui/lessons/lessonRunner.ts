// The lesson runner of the app: which lesson's world runs (the worker says, in its world status),
// the current step checked after every command a lesson client runs and as time passes, progress
// kept, and the actions the sidebar and the `:lesson` terminal commands share (open, next, prev,
// reset, hint, solution, back to the sandbox).
//
// Checking follows src/lessons/stepper.ts (the rule the headless runner and the tests use): after
// each command, the current step's objectives are judged on facts read right after that command
// and on the journal of the step's commands. The facts query is posted to the worker the moment
// the command's reply arrives (so it reads the state that command left, even if the next command
// of a paste already runs), and the answers are judged in order. Each query asks for what every
// remaining step needs, so a step reached meanwhile is judged on facts that name its keys.
import i18next from 'i18next';
import { create } from 'zustand';
import { utf8ToBinary } from '../../engine/bytes.ts';
import type { LessonFacts } from '../../engine/trace/lessonFacts.ts';
import { bundledCatalog, type Catalog } from '../../lessons/catalog.ts';
import { factsFor, type Verdict } from '../../lessons/evaluate.ts';
import { commandName, isDisabled, journalEntry, type JournalEntry } from '../../lessons/journal.ts';
import type { Lesson, Predicate } from '../../lessons/schema.ts';
import { LessonStepper } from '../../lessons/stepper.ts';
import { localize, type LessonLanguage } from '../../lessons/text.ts';
import type { EngineWorker } from '../engine/engineConnection.ts';
import type { Reply } from '../engine/replyReader.ts';
import { usePanels } from '../state/panels.ts';
import { useTerminals } from '../state/terminals.ts';
import { readRecord, writeRecord } from '../storage/db.ts';
import { terminalRegistry, type TerminalExtension } from '../terminal/terminalRegistry.ts';
import type { WorldStatus } from '../../worker/protocol.ts';
import { parseLessonCommand } from './lessonCommand.ts';
import {
  completeStep, currentStepIndex, lessonStatus, markSolutionShown, resetAttempt, revealHint, useProgress,
} from './progress.ts';
import { clientNumberOf, clientTerminal, ensureClients, typeLine } from './terminalActions.ts';
import { playableUserLessons, useUserLessons, userLesson, userLessonNow, type UserLesson } from './userLessons.ts';

/** How often the current step is checked while nothing runs (objectives about TTLs change with time). */
export const TIME_CHECK_MS = 1000;
/** The record (in the 'settings' store) holding the current step's journal across a reload. */
export const JOURNAL_RECORD = 'lessonJournal';

interface SavedJournal {
  lesson: string;
  step: number;
  entries: JournalEntry[];
}

export interface RunnerState {
  /** The lesson whose world runs; null: the sandbox; undefined: the worker has not said yet. */
  active: string | null | undefined;
  /** What the sidebar shows: the chapter list, or the open lesson. */
  view: 'list' | 'lesson';
  /** A world switch under way. */
  switching: 'opening' | 'leaving' | null;
  /** Why the last action failed (shown until the next one). */
  error: string | null;
  /** The stepper's current step (steps.length once finished), mirrored for React. */
  step: number;
  /** The last verdicts on step `verdictStep` of the active lesson. */
  verdicts: Verdict[] | null;
  verdictStep: number;
  /** The reference solution is being typed into the terminals. */
  playing: boolean;
  /** The sidebar is folded away. */
  collapsed: boolean;
}

export const useLessonRunner = create<RunnerState>()(() => ({
  active: undefined,
  view: 'list',
  switching: null,
  error: null,
  step: 0,
  verdicts: null,
  verdictStep: 0,
  playing: false,
  collapsed: false,
}));

function language(): LessonLanguage {
  return i18next.language === 'zh' ? 'zh' : 'en';
}

const t = (key: string, options?: Record<string, unknown>) => i18next.t(`lessons.${key}`, options ?? {});

/** Our own lines in a terminal: coloured, so they are plainly not Redis's (a byte string for redis-cli's writer). */
function terminalText(lines: string | string[]): string {
  const text = Array.isArray(lines) ? lines.join('\n') : lines;
  return utf8ToBinary(text.split('\n').map((l) => `\x1b[0;36m${l}\x1b[0m`).join('\n') + '\n');
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The lessons bundled with the app (valid ones; see catalog.ts for the problems). */
export function lessonCatalog(): Catalog {
  return bundledCatalog().catalog;
}

/** Every lesson in the order next/prev walk them: the bundled ones, then one's own ("My lessons"). */
export function lessonSequence(catalog = lessonCatalog(), mine: Record<string, UserLesson> = useUserLessons.getState().lessons): Lesson[] {
  return [...catalog.lessons, ...playableUserLessons(mine)];
}

/** The lesson `delta` places from lesson `id` in `lessons` (no lesson: the first). */
export function neighbour(id: string | null, delta: 1 | -1, lessons = lessonSequence()): Lesson | null {
  const i = id === null ? -1 : lessons.findIndex((l) => l.id === id);
  if (i < 0) return delta === 1 ? lessons[0] ?? null : null;
  return lessons[i + delta] ?? null;
}

/** Every predicate of the steps from `from` on. */
function remainingPredicates(lesson: Lesson, from: number): Predicate[] {
  return lesson.steps.slice(from).flatMap((s) => s.objectives.map((o) => o.check));
}

export class LessonController {
  readonly catalog: Catalog;
  private stepper: LessonStepper | null = null;
  /** Bumped whenever the lesson or its world changes: answers to older queries are dropped. */
  private generation = 0;
  /** Checks are judged one after the other, in the order their facts were read. */
  private chain: Promise<void> = Promise.resolve();
  private pendingChecks = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  /** Commands each terminal ran (a solution being played waits for its line's reply). */
  private readonly ranCount = new Map<string, number>();
  private readonly disposers: (() => void)[] = [];

  constructor(private readonly engine: EngineWorker, catalog = lessonCatalog()) {
    this.catalog = catalog;
  }

  start(): () => void {
    const extension: TerminalExtension = {
      internal: (argv, terminalId) => this.terminalCommand(argv, terminalId),
      refuse: (argv) => this.refuse(argv),
      ran: (argv, reply, terminalId) => this.ran(argv, reply, terminalId),
    };
    terminalRegistry.extend(extension);
    this.disposers.push(() => { if (terminalRegistry.extension === extension) terminalRegistry.extend(null); });
    this.disposers.push(this.engine.onWorld((w) => { void this.worldChanged(w); }));
    if (this.engine.world) void this.worldChanged(this.engine.world);
    this.timer = setInterval(() => this.timeCheck(), TIME_CHECK_MS);
    return () => {
      if (this.timer) clearInterval(this.timer);
      this.generation++;
      for (const d of this.disposers.splice(0)) d();
      if (current === this) current = null;
    };
  }

  get lesson(): Lesson | null {
    return this.stepper?.lesson ?? null;
  }

  // --- the world -----------------------------------------------------------------------------------

  /** The worker's world status: which lesson runs (after a reload, a restart, or our own switch). */
  private async worldChanged(w: WorldStatus | null): Promise<void> {
    if (!w) return;
    const state = useLessonRunner.getState();
    if (state.switching) return; // our own switch: it sets the lesson up when done
    if (w.lesson === state.active && (w.lesson === null || this.stepper)) return;
    if (w.lesson === null) {
      this.setStepper(null);
      useLessonRunner.setState({ active: null, view: 'list' });
      return;
    }
    const lesson = this.catalog.byId.get(w.lesson) ?? await userLesson(w.lesson);
    if (!lesson) {
      // A lesson this version does not have any more: its world runs, nothing can be checked.
      this.setStepper(null);
      useLessonRunner.setState({ active: w.lesson, view: 'list' });
      return;
    }
    // Back in a lesson after a reload (or a worker restart): its progress and the step's journal.
    await progressHydrated();
    const stepper = new LessonStepper(lesson);
    const progress = useProgress.getState().lessons[lesson.id];
    stepper.goTo(progress?.step ?? 0);
    const saved = await readRecord<SavedJournal>('settings', JOURNAL_RECORD);
    if (saved && saved.lesson === lesson.id && saved.step === stepper.stepIndex && Array.isArray(saved.entries)) {
      for (const e of saved.entries) stepper.record(e);
    }
    if (useLessonRunner.getState().switching) return;
    this.setStepper(stepper);
    useLessonRunner.setState({ active: lesson.id, view: 'lesson' });
    this.checkpoint();
  }

  private setStepper(stepper: LessonStepper | null): void {
    this.stepper = stepper;
    this.generation++;
    this.chain = Promise.resolve();
    this.pendingChecks = 0;
    useLessonRunner.setState({ step: stepper?.stepIndex ?? 0, verdicts: null, verdictStep: stepper?.stepIndex ?? 0 });
  }

  /** Opens a lesson from its starting world (a new attempt; the sandbox is kept if it runs). */
  async open(id: string): Promise<boolean> {
    const lesson = this.catalog.byId.get(id) ?? await userLesson(id);
    if (!lesson || useLessonRunner.getState().switching) return false;
    ensureClients(lesson.clients ?? 1);
    useLessonRunner.setState({ switching: 'opening', error: null });
    this.setStepper(null);
    try {
      await this.engine.lessonWorld({ id: lesson.id, setup: lesson.setup });
    } catch (e) {
      useLessonRunner.setState({ switching: null, error: messageOf(e) });
      // Whatever runs now (the worker refused, so nothing changed) is set up again from its status.
      void this.worldChanged(this.engine.world);
      return false;
    }
    useProgress.getState().update(lesson.id, (p) => resetAttempt(p, Date.now()));
    restartTerminals(t('terminal.inLessonWorld', { title: localize(lesson.title, language()) }));
    const stepper = new LessonStepper(lesson);
    this.setStepper(stepper);
    void this.saveJournal();
    // The panel area shows its first panel for an id it does not have.
    // The lesson's panel stays in front: as if picked by hand, so following the terminal is off.
    if (lesson.panel) usePanels.getState().pick(lesson.panel);
    useLessonRunner.setState({ active: lesson.id, view: 'lesson', switching: null });
    this.checkpoint();
    return true;
  }

  /** Leaves the lessons: the learner's own world comes back. */
  async toSandbox(): Promise<boolean> {
    if (useLessonRunner.getState().switching) return false;
    useLessonRunner.setState({ switching: 'leaving', error: null });
    try {
      await this.engine.lessonWorld(null);
    } catch (e) {
      useLessonRunner.setState({ switching: null, error: messageOf(e) });
      return false;
    }
    this.setStepper(null);
    restartTerminals(t('terminal.inSandbox'));
    useLessonRunner.setState({ active: null, view: 'list', switching: null });
    return true;
  }

  /** The lesson `delta` places from the active one (none open: the first). */
  neighbour(delta: 1 | -1): Lesson | null {
    return neighbour(useLessonRunner.getState().active ?? null, delta, lessonSequence(this.catalog));
  }

  reset(): Promise<boolean> {
    const id = this.lesson?.id;
    return id ? this.open(id) : Promise.resolve(false);
  }

  hint(): void {
    const lesson = this.lesson;
    if (lesson) useProgress.getState().update(lesson.id, (p) => revealHint(p, lesson, Date.now()));
  }

  /**
   * Types the current step's reference solution into the terminals (client n's lines into the
   * n-th terminal; waits let virtual time pass). The lesson is then marked "solution shown".
   */
  async showSolution(): Promise<void> {
    const stepper = this.stepper;
    const step = stepper?.step;
    if (!stepper || !step || useLessonRunner.getState().playing) return;
    const lesson = stepper.lesson;
    useProgress.getState().update(lesson.id, (p) => markSolutionShown(p, Date.now()));
    useLessonRunner.setState({ playing: true });
    try {
      for (const line of step.solution) {
        if (this.stepper !== stepper) return; // the lesson changed meanwhile
        if (typeof line === 'object' && 'waitMs' in line) {
          this.engine.skipTime(line.waitMs);
          await sleep(50);
          this.checkpoint();
          continue;
        }
        const client = typeof line === 'string' ? 1 : line.client;
        const command = typeof line === 'string' ? line : line.command;
        ensureClients(client);
        const term = useTerminals.getState().terminals[client - 1]?.id ?? '';
        const before = this.ranCount.get(term) ?? 0;
        if (!(await typeLine(client, command, () => (this.ranCount.get(term) ?? 0) > before))) break;
      }
    } finally {
      useLessonRunner.setState({ playing: false });
    }
  }

  // --- checking ------------------------------------------------------------------------------------

  /** A command ran in a terminal: journaled for the active lesson, then the step is checked. */
  private ran(argv: string[], reply: Reply, terminalId: string): void {
    this.ranCount.set(terminalId, (this.ranCount.get(terminalId) ?? 0) + 1);
    const stepper = this.stepper;
    if (!stepper || useLessonRunner.getState().switching) return;
    const client = clientNumberOf(terminalId);
    if (client < 1) return;
    this.checkpoint(journalEntry(client, argv, reply));
  }

  /** Checks as time passes (only while nothing else is being checked). */
  private timeCheck(): void {
    if (this.pendingChecks > 0 || !this.stepper || this.stepper.finished) return;
    if ((globalThis as { document?: { visibilityState: string } }).document?.visibilityState === 'hidden') return;
    this.checkpoint();
  }

  /**
   * Reads the facts now and, in order after the checks before it, journals `entry` (the command
   * that just ran, if any) and judges the current step.
   */
  private checkpoint(entry?: JournalEntry): void {
    const stepper = this.stepper;
    if (!stepper) return;
    const generation = this.generation;
    const query = factsFor(remainingPredicates(stepper.lesson, stepper.stepIndex));
    const clients = query.clients.map((c) => ({ n: c.n, connection: clientTerminal(c.n)?.connectionId() ?? undefined }));
    const facts = this.engine.query({ ...query, clients }).then((f) => f as LessonFacts, () => null);
    this.pendingChecks++;
    this.chain = this.chain.then(async () => {
      const read = await facts;
      this.pendingChecks--;
      if (generation !== this.generation || this.stepper !== stepper) return;
      if (entry) stepper.record(entry);
      if (read) this.judge(stepper, read);
      void this.saveJournal();
    });
  }

  private judge(stepper: LessonStepper, facts: LessonFacts): void {
    if (stepper.finished) return;
    const result = stepper.check(facts);
    if (!result) return;
    const lesson = stepper.lesson;
    if (result.advanced) {
      useProgress.getState().update(lesson.id, (p) => completeStep(p, lesson, result.step, Date.now()));
    }
    useLessonRunner.setState({ step: stepper.stepIndex, verdicts: result.objectives, verdictStep: result.step });
    // The next step's objectives as they stand now (it may have been met by the same command).
    if (result.advanced && !stepper.finished) this.checkpoint();
  }

  private async saveJournal(): Promise<void> {
    const stepper = this.stepper;
    if (!stepper) return;
    const record: SavedJournal = { lesson: stepper.lesson.id, step: stepper.stepIndex, entries: stepper.stepJournal() };
    await writeRecord('settings', JOURNAL_RECORD, record);
  }

  // --- the terminal's side -------------------------------------------------------------------------

  /** A lesson's disabled commands never reach the engine. */
  private refuse(argv: string[]): string | null {
    const lesson = this.lesson;
    if (!lesson?.disabled?.length) return null;
    const name = commandName(argv);
    if (!isDisabled(lesson.disabled, name)) return null;
    return terminalText(t('terminal.refused', { command: name.toUpperCase().replace('|', ' ') }));
  }

  /** `:lesson ...` (and any other ':' line that is not redis-cli's `:set`). */
  private terminalCommand(argv: string[], _terminalId: string): string | null {
    const cmd = parseLessonCommand(argv);
    const busy = () => (useLessonRunner.getState().switching ? terminalText(t('terminal.busy')) : null);
    switch (cmd.kind) {
      case 'not-lesson':
        return `unknown redis-cli internal command '${argv[0]}'\n` + terminalText(t('terminal.notOurs'));
      case 'help': return terminalText(t('terminal.help'));
      case 'unknown': return terminalText(t('terminal.unknown', { word: cmd.word }));
      case 'usage': return terminalText(cmd.word === 'open' ? t('terminal.usageOpen') : t('terminal.usage', { word: cmd.word }));
      case 'status': return terminalText(this.statusLines());
      case 'list': return terminalText(this.listLines());
      case 'open': {
        const lesson = this.catalog.byId.get(cmd.id) ?? userLessonNow(cmd.id);
        if (!lesson) return terminalText(t('terminal.noSuchLesson', { id: cmd.id }));
        const wait = busy();
        if (wait) return wait;
        void this.open(lesson.id);
        return terminalText(t('terminal.opening', { title: localize(lesson.title, language()) }));
      }
      case 'next': case 'prev': {
        const lesson = this.neighbour(cmd.kind === 'next' ? 1 : -1);
        if (!lesson) return terminalText(t(cmd.kind === 'next' ? 'terminal.noNext' : 'terminal.noPrev'));
        const wait = busy();
        if (wait) return wait;
        void this.open(lesson.id);
        return terminalText(t('terminal.opening', { title: localize(lesson.title, language()) }));
      }
      case 'reset': {
        const lesson = this.lesson;
        if (!lesson) return terminalText(t('terminal.noLesson'));
        const wait = busy();
        if (wait) return wait;
        void this.open(lesson.id);
        return terminalText(t('terminal.resetting', { title: localize(lesson.title, language()) }));
      }
      case 'sandbox': {
        if (useLessonRunner.getState().active === null) return terminalText(t('terminal.noLesson'));
        const wait = busy();
        if (wait) return wait;
        void this.toSandbox();
        return terminalText(t('terminal.leaving'));
      }
      case 'hint': {
        const lesson = this.lesson;
        const stepper = this.stepper;
        if (!lesson || !stepper) return terminalText(t('terminal.noLesson'));
        const index = currentStepIndex(useProgress.getState().lessons[lesson.id], lesson);
        const step = lesson.steps[index];
        const before = useProgress.getState().lessons[lesson.id]?.hints[step.id] ?? 0;
        if (stepper.finished || before >= step.hints.length) return terminalText(t('terminal.noMoreHints'));
        this.hint();
        return terminalText(t('terminal.hint', { n: before + 1, total: step.hints.length, text: localize(step.hints[before], language()) }));
      }
      case 'solution': {
        if (!this.stepper) return terminalText(t('terminal.noLesson'));
        if (this.stepper.finished) return terminalText(t('terminal.statusFinished', { title: localize(this.stepper.lesson.title, language()), id: this.stepper.lesson.id }));
        // After this line is printed and the prompt is back: the solution types into the terminals.
        setTimeout(() => { void this.showSolution(); }, 0);
        return terminalText(t('terminal.solution'));
      }
    }
  }

  private statusLines(): string[] {
    const stepper = this.stepper;
    if (!stepper) return [t('terminal.noLesson')];
    const lesson = stepper.lesson;
    const lang = language();
    const title = localize(lesson.title, lang);
    if (stepper.finished) return [t('terminal.statusFinished', { title, id: lesson.id })];
    const step = stepper.step!;
    const lines = [t('terminal.status', {
      title, id: lesson.id, n: stepper.stepIndex + 1, total: lesson.steps.length, step: localize(step.text, lang),
    })];
    const { verdicts, verdictStep } = useLessonRunner.getState();
    const current = verdictStep === stepper.stepIndex ? verdicts : null;
    let whyShown = false;
    step.objectives.forEach((o, i) => {
      const v = current?.[i];
      lines.push(t(v?.ok ? 'terminal.objectiveMet' : 'terminal.objectiveNotMet', { text: localize(o.text, lang) }));
      if (v && !v.ok && !whyShown) {
        lines.push(t('terminal.why', { why: v.why[lang] }));
        whyShown = true;
      }
    });
    return lines;
  }

  private listLines(): string[] {
    const lang = language();
    const progress = useProgress.getState().lessons;
    const lessonLine = (lesson: Lesson) => {
      const p = progress[lesson.id];
      const status = t(`list.status.${lessonStatus(p, lesson)}`, { step: Math.min((p?.step ?? 0) + 1, lesson.steps.length), total: lesson.steps.length });
      return t('terminal.listLesson', { id: lesson.id, title: localize(lesson.title, lang), status });
    };
    const lines: string[] = [];
    for (const { chapter, lessons } of this.catalog.chapters) {
      const title = localize(chapter.title, lang);
      if (chapter.status === 'coming') {
        lines.push(t('terminal.listComing', { title, issue: chapter.issue ?? '' }));
        continue;
      }
      lines.push(t('terminal.listChapter', { title }), ...lessons.map(lessonLine));
    }
    const mine = playableUserLessons(useUserLessons.getState().lessons);
    if (mine.length > 0) lines.push(t('terminal.listMine'), ...mine.map(lessonLine));
    return lines;
  }
}

/**
 * Every terminal starts redis-cli again on the world now in place (its old connection went with
 * the old world; redis-cli itself would only notice at the next command, and fail it).
 */
function restartTerminals(note: string): void {
  for (const term of terminalRegistry.all()) term.restart(terminalText(note));
}

function progressHydrated(): Promise<void> {
  if (useProgress.persist.hasHydrated()) return Promise.resolve();
  return new Promise((resolve) => {
    const stop = useProgress.persist.onFinishHydration(() => { stop(); resolve(); });
  });
}

let current: LessonController | null = null;

/** Starts the lesson runner on the engine (App does, once); returns what stops it. */
export function startLessonRunner(engine: EngineWorker): () => void {
  const controller = new LessonController(engine);
  current = controller;
  return controller.start();
}

/** The running controller (null before App started it). */
export function lessonController(): LessonController | null {
  return current;
}
