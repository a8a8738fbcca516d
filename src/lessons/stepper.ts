// Where a learner stands in a lesson: the current step, the journal of commands the lesson's
// clients ran, and the rule that moves on. The app and the headless runner both use it, so a lesson
// behaves the same in the sidebar and in the test that plays its reference solution.
//
// The rule: after every command (and after time passes), the current step's objectives are judged
// against fresh facts and the journal of commands run since the step began; when all hold, the
// step is done and the next one starts with an empty step journal. 'ran' objectives therefore
// count only what was run during their own step.
import type { LessonFacts } from '../engine/trace/lessonFacts.ts';
import { checkStep, factsFor, stepPredicates, type StepResult } from './evaluate.ts';
import type { JournalEntry } from './journal.ts';
import type { Lesson, Step } from './schema.ts';

export interface StepCheck extends StepResult {
  /** The index of the step judged. */
  step: number;
  /** It was done, and the stepper moved to the next step (or finished). */
  advanced: boolean;
}

export class LessonStepper {
  /** Every command the lesson's clients ran, in order. */
  readonly journal: JournalEntry[] = [];
  private index = 0;
  /** journal[stepStart..] is the current step's journal. */
  private stepStart = 0;

  constructor(readonly lesson: Lesson) {}

  /** The current step's index (steps.length once finished). */
  get stepIndex(): number { return this.index; }
  get step(): Step | null { return this.lesson.steps[this.index] ?? null; }
  get finished(): boolean { return this.index >= this.lesson.steps.length; }
  /** The clients the lesson uses: 1..n. */
  get clients(): number { return this.lesson.clients ?? 1; }

  record(entry: JournalEntry): void {
    this.journal.push(entry);
  }

  /** The commands run since the current step began. */
  stepJournal(): JournalEntry[] {
    return this.journal.slice(this.stepStart);
  }

  /** What to ask the engine for the current step (null once finished); add each client's address or connection. */
  factsQuery(): ReturnType<typeof factsFor> | null {
    const step = this.step;
    return step ? factsFor(stepPredicates(step)) : null;
  }

  /** Judges the current step on `facts` (read for factsQuery()); moves on when it is done. */
  check(facts: LessonFacts): StepCheck | null {
    const step = this.step;
    if (!step) return null;
    const result = checkStep(step, facts, this.stepJournal());
    const index = this.index;
    if (result.done) {
      this.index++;
      this.stepStart = this.journal.length;
    }
    return { ...result, step: index, advanced: result.done };
  }

  /** Starts over at `step` (0: the lesson's start) with an empty step journal (the world is the caller's). */
  goTo(step = 0): void {
    this.index = Math.max(0, Math.min(step, this.lesson.steps.length));
    this.stepStart = this.journal.length;
  }
}
