// The lesson track's "Done when": every lesson in lessons/ (picked up by the catalog's glob, so
// lessons added later are covered without touching this file) is played on its starting world with
// the headless runner, the app's rule for steps: no step is met before its own commands, and the
// reference solution meets every objective of every step, in order.
import { describe, expect, test } from 'vitest';
import { bundledCatalog, formatProblem } from '../../src/lessons/catalog.ts';
import type { StepResult } from '../../src/lessons/evaluate.ts';
import { LessonRunner } from '../../src/lessons/runner.ts';
import type { Lesson, SolutionLine } from '../../src/lessons/schema.ts';
import { splitCommandLine } from '../../src/lessons/world.ts';

const { catalog, problems } = bundledCatalog();

function whys(result: StepResult | null): string {
  if (!result) return '(no step)';
  return result.objectives.map((o, i) => `  objective ${i + 1}: ${o.ok ? 'holds' : 'fails'}: ${o.why.en}`).join('\n');
}

function lineText(line: SolutionLine): string {
  if (typeof line === 'string') return line;
  if ('waitMs' in line) return `(wait ${line.waitMs} ms)`;
  return `[client ${line.client}] ${line.command}`;
}

function playLesson(lesson: Lesson): void {
  const where = `lessons/${lesson.chapter}/…-${lesson.id}.json`;
  const runner = new LessonRunner(lesson);
  lesson.steps.forEach((step, s) => {
    expect(runner.stepper.stepIndex, `${where}: step ${step.id} did not start when the previous one was done`).toBe(s);
    const before = runner.judge();
    expect(before?.done, `${where}: step '${step.id}' is already met before its commands run:\n${whys(before)}`).toBe(false);
    // A step may be met before its last line when the lines left only look (LRANGE, OBJECT
    // ENCODING ...): in the app they run as the next step begins, so they must change nothing.
    let metAfter = -1;
    step.solution.forEach((line, i) => {
      if (metAfter >= 0) {
        const argv = typeof line === 'string' ? splitCommandLine(line).argv : 'command' in line ? splitCommandLine(line.command).argv : null;
        const cmd = argv ? runner.server.commands.lookup(argv) : null;
        expect(argv !== null && cmd !== null && !cmd.flags.has('write'),
          `${where}: step '${step.id}' was met after solution line ${metAfter + 1} of ${step.solution.length}; ` +
          `line ${i + 1} (${lineText(line)}) changes the world, but it would run as part of the next step`).toBe(true);
      }
      runner.play(line);
      if (metAfter < 0 && runner.stepper.stepIndex > s) metAfter = i;
    });
    const after = runner.checks.filter((c) => c.step === s).at(-1) ?? null;
    expect(runner.stepper.stepIndex,
      `${where}: step '${step.id}' is not met after its reference solution ` +
      `(${step.solution.map(lineText).join('; ')}):\n${whys(after)}\n` +
      `step journal ('ran' objectives count only the commands run since the step began): ` +
      `${runner.stepper.stepJournal().map((e) => `${e.client}:${e.name}->${e.reply}`).join(', ') || '(empty)'}`).toBe(s + 1);
  });
  expect(runner.stepper.finished).toBe(true);
}

test('the lesson catalog loads without problems', () => {
  expect(problems.map(formatProblem)).toEqual([]);
  expect(catalog.lessons.length).toBeGreaterThan(0);
});

describe('every lesson: the start does not meet a step early, the reference solution meets every step', () => {
  test.each(catalog.lessons.map((l) => [`${l.chapter}/${l.id}`, l] as const))('%s', (_name, lesson) => {
    playLesson(lesson);
  });
});
