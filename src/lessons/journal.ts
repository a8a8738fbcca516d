// The journal: the commands a lesson's clients ran, each with its command table name and a summary
// of its reply. The app fills it from the terminal sessions, the headless runner from the replies
// it reads; the evaluator's 'ran' predicates look at it. No DOM here: the app and the tests share it.
import type { Reply } from '../ui/engine/replyReader.ts';
import type { ReplyKind } from './schema.ts';

export type { ReplyKind } from './schema.ts';

export interface JournalEntry {
  /** The lesson's client number (1..n). */
  client: number;
  /** The command as sent: byte strings, command name first. */
  argv: string[];
  /** The command table name, lowercase: 'incr', 'client|list' (see commandName). */
  name: string;
  reply: ReplyKind;
}

/**
 * Redis 7.0's container commands (the ones whose work is in subcommands): for these, the table name
 * includes the subcommand, as lookupCommand resolves it ('config get' -> 'config|get'). Checked
 * against the engine's command facts by test/lessons/schema.test.ts.
 */
export const CONTAINER_COMMANDS: ReadonlySet<string> = new Set([
  'acl', 'client', 'cluster', 'command', 'config', 'function', 'latency', 'memory', 'module', 'object',
  'pubsub', 'script', 'slowlog', 'xgroup', 'xinfo',
]);

/** Anything that resolves argv to a command like the server does (the engine's CommandTable). */
export interface CommandLookup {
  lookup(argv: readonly string[]): { fullName: string } | null;
}

/**
 * A command's table name from its argv: lowercase, 'parent|sub' for a container's subcommand (a
 * container alone stays 'config'). With `table` (the engine's), a name the table knows wins; an
 * unknown command or subcommand is named by its lowercase words all the same.
 */
export function commandName(argv: readonly string[], table?: CommandLookup): string {
  if (argv.length === 0) return '';
  const known = table?.lookup(argv);
  if (known) return known.fullName;
  const base = argv[0].toLowerCase();
  return CONTAINER_COMMANDS.has(base) && argv.length > 1 ? `${base}|${argv[1].toLowerCase()}` : base;
}

/** The arguments after the command's name (after the subcommand for a container's subcommand). */
export function commandArgs(entry: Pick<JournalEntry, 'argv' | 'name'>): string[] {
  return entry.argv.slice(entry.name.includes('|') ? 2 : 1);
}

/** What a reply was, in the terms objectives use. */
export function replyKind(reply: Reply): ReplyKind {
  switch (reply.kind) {
    case 'status':
      if (reply.text === 'OK') return 'ok';
      if (reply.text === 'QUEUED') return 'queued';
      return 'string';
    case 'error': return 'error';
    case 'null': return 'nil';
    case 'integer': case 'bool': return 'integer';
    case 'bulk': case 'verbatim': case 'double': case 'bignum': return 'string';
    case 'array': case 'set': case 'push': case 'map': return 'array';
    case 'attribute': return 'array';
  }
}

/** A journal entry for a command and its reply (unknown commands: their lowercase name, reply 'error'). */
export function journalEntry(client: number, argv: string[], reply: Reply, table?: CommandLookup): JournalEntry {
  return { client, argv, name: commandName(argv, table), reply: replyKind(reply) };
}

/** Whether the lesson refuses this command: its name, or its container's, is in `disabled`. */
export function isDisabled(disabled: readonly string[] | undefined, name: string): boolean {
  if (!disabled || disabled.length === 0) return false;
  const base = name.split('|')[0];
  return disabled.includes(name) || disabled.includes(base);
}
