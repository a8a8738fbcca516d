// The help table without asking a server: COMMAND DOCS rebuilt from real Redis 7.0.15's facts
// (commandFacts.json: since, group, argument grammar) and our own summaries. Hints, completion and
// `help` made from it match redis-cli connected to Redis 7.0.15, except that `help` shows our
// summary line where Redis has its own words.
import { utf8ToBinary } from '../../engine/bytes.ts';
import commandFacts from '../../engine/server/commandFacts.json' with { type: 'json' };
import { COMMAND_SUMMARIES } from '../../engine/server/commandSummaries.ts';
import { CommandHelp, type CommandDoc, type DocArgument } from './commandHelp.ts';

interface Facts {
  name: string;
  subcommands: Record<string, Facts>;
  docs: { since?: string; group?: string; arguments?: DocArgument[] };
}

const facts = commandFacts.commands as unknown as Record<string, Facts>;

function docOf(f: Facts, include: (fullName: string) => boolean): CommandDoc {
  // Byte strings, as a COMMAND DOCS reply would hold them.
  const doc: CommandDoc = { summary: utf8ToBinary(COMMAND_SUMMARIES[f.name] ?? ''), since: f.docs.since, group: f.docs.group };
  if (f.docs.arguments) doc.arguments = f.docs.arguments;
  const subs = Object.entries(f.subcommands).filter(([name]) => include(name));
  if (subs.length > 0) doc.subcommands = Object.fromEntries(subs.map(([name, s]) => [name, docOf(s, include)]));
  return doc;
}

/**
 * COMMAND DOCS for Redis 7.0.15's commands, keyed like the reply ("config", with subcommands
 * "config|get"). `include` keeps only some (e.g. the ones an engine implements).
 */
export function staticCommandDocs(include: (fullName: string) => boolean = () => true): Record<string, CommandDoc> {
  const docs: Record<string, CommandDoc> = {};
  for (const [name, f] of Object.entries(facts)) if (include(name)) docs[name] = docOf(f, include);
  return docs;
}

let defaultHelp: CommandHelp | null = null;

/** The help table of every Redis 7.0.15 command (built on first use). */
export function staticCommandHelp(): CommandHelp {
  defaultHelp ??= new CommandHelp(staticCommandDocs());
  return defaultHelp;
}

/** redis-cli 7.0.15's grey hint for a typed line, or null when it shows none. */
export function hintFor(line: string): string | null {
  return staticCommandHelp().hint(line);
}
