// The terminal's `:lesson` commands: parsed from the arguments redis-cli's line parser makes.
import { describe, expect, it } from 'vitest';
import { utf8ToBinary } from '../../../src/engine/bytes.ts';
import { parseLessonCommand } from '../../../src/ui/lessons/lessonCommand.ts';

const parse = (line: string) => parseLessonCommand(line.split(' ').map(utf8ToBinary));

describe(':lesson', () => {
  it('alone is the status', () => {
    expect(parse(':lesson')).toEqual({ kind: 'status' });
    expect(parse(':LESSON')).toEqual({ kind: 'status' });
    expect(parse(':lessons')).toEqual({ kind: 'status' });
  });

  it('knows its words, in any case, and a few aliases', () => {
    for (const word of ['next', 'prev', 'reset', 'hint', 'solution', 'list', 'sandbox', 'help', 'status'] as const) {
      expect(parse(`:lesson ${word}`)).toEqual({ kind: word });
      expect(parse(`:lesson ${word.toUpperCase()}`)).toEqual({ kind: word });
    }
    expect(parse(':lesson previous')).toEqual({ kind: 'prev' });
    expect(parse(':lesson back')).toEqual({ kind: 'prev' });
    expect(parse(':lesson solve')).toEqual({ kind: 'solution' });
    expect(parse(':lesson ?')).toEqual({ kind: 'help' });
  });

  it('opens a lesson by id (as typed), and needs exactly one', () => {
    expect(parse(':lesson open first-keys')).toEqual({ kind: 'open', id: 'first-keys' });
    expect(parse(':lesson go first-keys')).toEqual({ kind: 'open', id: 'first-keys' });
    expect(parse(':lesson open')).toEqual({ kind: 'usage', word: 'open' });
    expect(parse(':lesson open a b')).toEqual({ kind: 'usage', word: 'open' });
    // Non-ASCII ids arrive as UTF-8 bytes and are read back as text.
    expect(parse(':lesson open 课程')).toEqual({ kind: 'open', id: '课程' });
  });

  it('says which word it does not know, and when a word takes no arguments', () => {
    expect(parse(':lesson jump')).toEqual({ kind: 'unknown', word: 'jump' });
    expect(parse(':lesson Jump')).toEqual({ kind: 'unknown', word: 'Jump' });
    expect(parse(':lesson next 2')).toEqual({ kind: 'usage', word: 'next' });
  });

  it('leaves other ":" commands alone', () => {
    expect(parse(':nope')).toEqual({ kind: 'not-lesson', name: ':nope' });
    expect(parse(':lessonx')).toEqual({ kind: 'not-lesson', name: ':lessonx' });
  });
});
