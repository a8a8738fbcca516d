// The terminal's own lesson commands, which are plainly not Redis commands: they start with ':'
// (as redis-cli's `:set hints`) and never reach the server.
//   :lesson                 where you are (lesson, step, objectives)
//   :lesson list            the chapters and lessons, with their ids
//   :lesson open <id>       opens a lesson
//   :lesson next | prev     the next / previous lesson
//   :lesson reset           the lesson again from its starting world
//   :lesson hint            the next hint of the current step
//   :lesson solution        plays the reference solution of the current step
//   :lesson sandbox         leaves the lessons: your own world back
//   :lesson help            this list
import { binaryToUtf8 } from '../../engine/bytes.ts';

export type LessonCommand =
  | { kind: 'status' }
  | { kind: 'list' }
  | { kind: 'open'; id: string }
  | { kind: 'next' }
  | { kind: 'prev' }
  | { kind: 'reset' }
  | { kind: 'hint' }
  | { kind: 'solution' }
  | { kind: 'sandbox' }
  | { kind: 'help' }
  /** `:lesson` with something it does not know (the word, as typed). */
  | { kind: 'unknown'; word: string }
  /** A known word with the wrong number of arguments. */
  | { kind: 'usage'; word: string }
  /** A ':' line that is not `:lesson` at all (redis-cli's `:set` is not passed here). */
  | { kind: 'not-lesson'; name: string };

const SIMPLE = ['status', 'list', 'next', 'prev', 'reset', 'hint', 'solution', 'sandbox', 'help'] as const;
const ALIASES: Record<string, typeof SIMPLE[number]> = { previous: 'prev', back: 'prev', solve: 'solution', '?': 'help' };

/** The arguments redis-cli's parser made of a ':' line (byte strings) as a lesson command. */
export function parseLessonCommand(argv: readonly string[]): LessonCommand {
  const words = argv.map((a) => binaryToUtf8(a));
  const name = words[0]?.toLowerCase() ?? '';
  if (name !== ':lesson' && name !== ':lessons') return { kind: 'not-lesson', name: words[0] ?? '' };
  if (words.length === 1) return { kind: 'status' };
  const typed = words[1];
  const word = typed.toLowerCase();
  if (word === 'open' || word === 'go') {
    return words.length === 3 ? { kind: 'open', id: words[2] } : { kind: 'usage', word: 'open' };
  }
  const simple = (SIMPLE as readonly string[]).includes(word) ? word as typeof SIMPLE[number] : ALIASES[word];
  if (!simple) return { kind: 'unknown', word: typed };
  if (words.length > 2) return { kind: 'usage', word: simple };
  return { kind: simple };
}
