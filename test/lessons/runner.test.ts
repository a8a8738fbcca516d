// The headless runner and lesson worlds: setup (config, commands, a setup client that leaves),
// several clients, WATCH/EXEC failing, pub/sub confirmations and messages, blocking commands whose
// reply comes later, virtual waits, the network latency, disabled commands.
import { describe, expect, test } from 'vitest';
import { LessonRunner } from '../../src/lessons/runner.ts';
import { Lesson } from '../../src/lessons/schema.ts';
import { buildLessonWorld, LESSON_START_TIME } from '../../src/lessons/world.ts';
import { mainServer } from '../../src/worker/engineHost.ts';
import { worldDigest } from '../support/worldDigest.ts';

const t = { en: 'x', zh: 'x' };

function makeLesson(over: { setup?: object; clients?: number; disabled?: string[]; steps: { check: object; solution: unknown[] }[] }): Lesson {
  return Lesson.parse({
    id: 'test', chapter: 'basics', order: 1, title: t, summary: t, text: t,
    setup: over.setup ?? {}, clients: over.clients, disabled: over.disabled,
    steps: over.steps.map((s, i) => ({ id: `s${i}`, text: t, hints: [], objectives: [{ text: t, check: s.check }], solution: s.solution })),
  });
}

describe('lesson worlds', () => {
  test('setup: seed, config, commands; the setup client is gone; the same setup builds the same world', () => {
    const setup = { seed: 7, config: { 'maxmemory-policy': 'allkeys-lru', 'hash-max-listpack-entries': '4' }, commands: ['HSET h a 1 b 2', '3 INCR n'] };
    const world = buildLessonWorld(setup);
    const server = mainServer(world);
    expect(world.now).toBe(LESSON_START_TIME);
    expect(server.config.get('maxmemory-policy')).toBe('allkeys-lru');
    expect(server.dbs[0].dict.peek('n')?.value).toBe('3');
    expect(server.clients.size).toBe(0);
    expect(worldDigest(buildLessonWorld(setup))).toEqual(worldDigest(world));
  });

  test('advanceMs: time passes after the commands; keys age and expire as they would', () => {
    const world = buildLessonWorld({ commands: ['SET old v', 'SET brief v PX 500'], advanceMs: 60_000 });
    const server = mainServer(world);
    expect(world.now).toBe(LESSON_START_TIME + 60_000);
    expect(server.objectIdleMs(server.dbs[0].dict.peek('old')!)).toBe(60_000);
    expect(server.dbs[0].dict.peek('brief')).toBeUndefined(); // the active expire cycle removed it
  });

  test('a refused setup command is named', () => {
    expect(() => buildLessonWorld({ commands: ['SET k v', 'INCR k'] })).toThrow('setup command "INCR k" failed: ERR value is not an integer or out of range');
    expect(() => buildLessonWorld({ config: { 'no-such': '1' } })).toThrow(/setup command "CONFIG SET no-such 1" failed: ERR Unknown option or number of arguments for CONFIG SET - 'no-such'/);
  });

  test('latency: the world keeps it, replies take a round trip', () => {
    const lesson = makeLesson({ setup: { latencyMs: 40 }, steps: [{ check: { kind: 'key', key: 'k', value: { equals: 'v' } }, solution: ['SET k v'] }] });
    const runner = new LessonRunner(lesson);
    expect(runner.timeline.world.latencyMs).toBe(40);
    const { entries, check } = runner.type(1, 'SET k v');
    expect(entries).toEqual([{ client: 1, argv: ['SET', 'k', 'v'], name: 'set', reply: 'ok' }]);
    expect(check?.done).toBe(true);
    expect(runner.timeline.world.now).toBeGreaterThanOrEqual(LESSON_START_TIME + 80);
  });
});

describe('the runner', () => {
  test('a WATCH-guarded EXEC fails when another client changes the key', () => {
    const lesson = makeLesson({
      clients: 2, setup: { commands: ['SET balance 10'] },
      steps: [
        { check: { kind: 'client', client: 1, inMulti: true, watching: true }, solution: ['WATCH balance', 'MULTI'] },
        { check: { kind: 'ran', command: 'exec', client: 1, reply: 'nil' }, solution: ['INCRBY balance 5', { client: 2, command: 'INCRBY balance 1' }, 'EXEC'] },
      ],
    });
    const runner = new LessonRunner(lesson);
    expect(runner.judge()?.objectives[0].why.en).toBe('client 1 is not in a transaction (MULTI); the objective wants it to have started one; client 1 is not watching any key; the objective wants a WATCH');
    for (const step of lesson.steps) for (const line of step.solution) runner.play(line);
    expect(runner.stepper.finished).toBe(true);
    expect(runner.journal.map((e) => `${e.client} ${e.name} ${e.reply}`)).toEqual([
      '1 watch ok', '1 multi ok', '1 incrby queued', '2 incrby integer', '1 exec nil',
    ]);
    expect(runner.facts({ kind: 'lesson-facts', keys: [{ db: 0, key: 'balance' }], clients: [] }).keys[0]).toMatchObject({ value: { value: '11' } });
  });

  test('pub/sub: one journal entry per SUBSCRIBE, messages are not replies', () => {
    const lesson = makeLesson({
      clients: 2,
      steps: [{ check: { kind: 'all', of: [{ kind: 'client', client: 1, subscribed: 2 }, { kind: 'ran', command: 'publish', reply: 'integer' }] }, solution: ['SUBSCRIBE news sport', { client: 2, command: 'PUBLISH news hi' }] }],
    });
    const runner = new LessonRunner(lesson);
    runner.type(1, 'SUBSCRIBE news sport');
    runner.type(2, 'PUBLISH news hi');
    runner.type(1, 'PING');
    expect(runner.journal.map((e) => `${e.client} ${e.name} ${e.reply}`)).toEqual(['1 subscribe array', '2 publish integer', '1 ping array']);
    expect(runner.stepper.finished).toBe(true);
  });

  test('a blocked command is journaled when its reply comes', () => {
    const lesson = makeLesson({ clients: 2, steps: [{ check: { kind: 'ran', command: 'blpop', reply: 'array' }, solution: ['BLPOP q 0', { client: 2, command: 'RPUSH q job' }] }] });
    const runner = new LessonRunner(lesson);
    expect(runner.type(1, 'BLPOP q 0').entries).toEqual([]);
    expect(runner.stepper.finished).toBe(false);
    runner.type(2, 'RPUSH q job');
    expect(runner.journal.map((e) => `${e.client} ${e.name} ${e.reply}`)).toEqual(['2 rpush integer', '1 blpop array']);
    expect(runner.stepper.finished).toBe(true);
  });

  test('waits move virtual time: a TTL runs out', () => {
    const lesson = makeLesson({ steps: [{ check: { kind: 'key', key: 'k', exists: false }, solution: ['SET k v PX 1000', { waitMs: 1500 }] }] });
    const runner = new LessonRunner(lesson);
    expect(runner.judge()?.done).toBe(true); // (not a sound lesson: absent from the start; the solutions test would refuse it)
    runner.play('SET k v PX 1000');
    expect(runner.stepper.finished).toBe(false);
    runner.play({ waitMs: 1500 });
    expect(runner.stepper.finished).toBe(true);
  });

  test('repeat counts send the command that many times, checking after each', () => {
    const lesson = makeLesson({ steps: [{ check: { kind: 'key', key: 'n', value: { number: 2 } }, solution: ['3 INCR n'] }] });
    const runner = new LessonRunner(lesson);
    const { entries, checks } = runner.type(1, '3 INCR n');
    expect(entries).toHaveLength(3);
    expect(checks.map((c) => c?.done ?? null)).toEqual([false, true, null]);
  });

  test('disabled commands are refused; unknown commands are journaled as errors', () => {
    const lesson = makeLesson({ disabled: ['flushall', 'config'], steps: [{ check: { kind: 'ran', command: 'frobnicate', reply: 'error' }, solution: ['FROBNICATE x'] }] });
    const runner = new LessonRunner(lesson);
    expect(() => runner.type(1, 'FLUSHALL')).toThrow("'flushall' is disabled in this lesson");
    expect(() => runner.type(1, 'config set maxmemory 1')).toThrow("'config|set' is disabled in this lesson");
    runner.type(1, 'FROBNICATE x');
    expect(runner.journal).toEqual([{ client: 1, argv: ['FROBNICATE', 'x'], name: 'frobnicate', reply: 'error' }]);
    expect(runner.stepper.finished).toBe(true);
  });
});
