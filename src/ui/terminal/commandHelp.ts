// redis-cli 7.0's command help table, built from COMMAND DOCS as cliInitHelp builds it, and what
// redis-cli derives from it: the grey argument hints while typing (hintsCallback), TAB completion
// of command names (completionCallback), and the text of `help`, `help <command>`, `help @<group>`.
import { splitArgs } from '../../engine/resp/splitArgs.ts';
import type { Reply } from '../engine/replyReader.ts';

/** One argument of a command in COMMAND DOCS' grammar. */
export interface DocArgument {
  name: string;
  type: string;
  token?: string;
  flags?: readonly string[];
  arguments?: readonly DocArgument[];
}

/** A command's COMMAND DOCS entry (only the fields redis-cli reads). */
export interface CommandDoc {
  summary?: string;
  since?: string;
  group?: string;
  arguments?: readonly DocArgument[];
  /** Subcommands by full name ("config|get"). */
  subcommands?: Readonly<Record<string, CommandDoc>>;
}

export interface HelpEntry {
  kind: 'command' | 'group';
  /** The name split in words, upper case: ["CONFIG", "GET"]; ["@string"] for a group. */
  argv: string[];
  /** The words joined with a space: "CONFIG GET", "@string". */
  full: string;
  /** The argument synopsis, e.g. "key value [NX|XX]" (empty for a group). */
  params: string;
  summary: string;
  since: string | null;
  group: string;
}

function orQuotes(s: string): string {
  return s === '' ? '""' : s;
}

/** cliAddArgument: one argument's piece of the synopsis ("[EX seconds|PX milliseconds]"). */
export function argumentSynopsis(arg: DocArgument): string {
  const flags = arg.flags ?? [];
  const optional = flags.includes('optional');
  const multiple = flags.includes('multiple');
  const multipleToken = flags.includes('multiple_token');
  let tokenPart = arg.token !== undefined ? orQuotes(arg.token) : '';
  let repeatPart = '';
  switch (arg.type) {
    case 'key': case 'string': case 'integer': case 'double': case 'pattern': case 'unix-time': case 'token':
      repeatPart = orQuotes(arg.name);
      break;
    case 'oneof':
      repeatPart = (arg.arguments ?? []).map(argumentSynopsis).join('|');
      break;
    case 'block':
      repeatPart = (arg.arguments ?? []).map(argumentSynopsis).join(' ');
      break;
    // 'pure-token' has only its token.
  }
  if (tokenPart !== '' && arg.type !== 'pure-token') tokenPart += ' ';
  let out = tokenPart + repeatPart;
  if (multiple) out += ' [' + (multipleToken ? tokenPart : '') + repeatPart + ' ...]';
  return optional ? `[${out}]` : out;
}

/** cliConcatArguments with a space: a command's whole synopsis. */
export function commandSynopsis(args: readonly DocArgument[] | undefined): string {
  return (args ?? []).map(argumentSynopsis).join(' ');
}

/** C's strcmp on ASCII names: plain code-unit order. */
function byFull(a: HelpEntry, b: HelpEntry): number {
  return a.full < b.full ? -1 : a.full > b.full ? 1 : 0;
}

/** C's tolower() in the C locale: ASCII letters only. */
function asciiLower(s: string): string {
  return s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

/** strcasecmp(a, b) == 0 */
function equalsIgnoreCase(a: string, b: string): boolean {
  return asciiLower(a) === asciiLower(b);
}

/** The `help` text with no topic (cliOutputGenericHelp). */
export function genericHelp(version: string): string {
  return `redis-cli ${version}\n` +
    'To get help about Redis commands type:\n' +
    '      "help @<group>" to get a list of commands in <group>\n' +
    '      "help <command>" for help on <command>\n' +
    '      "help <tab>" to get a list of possible help topics\n' +
    '      "quit" to exit\n' +
    '\n' +
    'To set redis-cli preferences:\n' +
    '      ":set hints" enable online hints\n' +
    '      ":set nohints" disable online hints\n' +
    'Set your preferences in ~/.redisclirc\n';
}

export class CommandHelp {
  /** Commands, subcommands and @groups, sorted by their full name as redis-cli sorts them. */
  readonly entries: readonly HelpEntry[];

  /** cliInitHelp: `docs` maps command names to their COMMAND DOCS entries. */
  constructor(docs: Readonly<Record<string, CommandDoc>>) {
    const entries: HelpEntry[] = [];
    const groups = new Set<string>();
    const add = (name: string, doc: CommandDoc, parent: string | null) => {
      const argv = parent === null
        ? [name.toUpperCase()]
        : [parent.toUpperCase(), name.slice(name.indexOf('|') + 1).toUpperCase()];
      entries.push({
        kind: 'command', argv, full: argv.join(' '), params: commandSynopsis(doc.arguments),
        summary: doc.summary ?? '', since: doc.since ?? null, group: doc.group ?? '',
      });
      if (doc.group !== undefined) groups.add(doc.group);
      for (const [subName, sub] of Object.entries(doc.subcommands ?? {})) add(subName, sub, parent ?? name);
    };
    for (const [name, doc] of Object.entries(docs)) add(name, doc, null);
    for (const g of groups) {
      entries.push({ kind: 'group', argv: ['@' + g], full: '@' + g, params: '', summary: '', since: null, group: '' });
    }
    this.entries = entries.sort(byFull);
  }

  /** The table from a COMMAND DOCS reply (RESP2 flat arrays or RESP3 maps); null if it is not one. */
  static fromCommandDocsReply(reply: Reply): CommandHelp | null {
    const docs = pairsOf(reply);
    if (!docs) return null;
    const table: Record<string, CommandDoc> = {};
    for (const [name, doc] of docs) {
      if (name.kind !== 'bulk' && name.kind !== 'status') return null;
      table[name.text] = commandDocOf(doc);
    }
    return new CommandHelp(table);
  }

  /**
   * hintsCallback: the grey text shown after what the user typed, or null for none. The longest
   * command or subcommand name matching the first words picks the synopsis; one word of it is
   * dropped per further argument typed, up to the first optional part ("[").
   */
  hint(line: string): string | null {
    const argv = splitArgs(line) ?? [];
    if (argv.length === 0) return null;
    let entry: HelpEntry | null = null;
    for (const e of this.entries) {
      if (e.kind !== 'command' || e.argv.length > argv.length) continue;
      if (e.argv.every((w, j) => equalsIgnoreCase(w, argv[j])) && e.argv.length > (entry?.argv.length ?? 0)) entry = e;
    }
    if (!entry) return null;
    let hint = entry.params;
    let toRemove = argv.length - entry.argv.length;
    while (toRemove > 0 && hint.length > 0) {
      if (hint[0] === '[') break;
      if (hint[0] === ' ') toRemove--;
      hint = hint.slice(1);
    }
    const endsWithSpace = /[ \t\n\v\f\r]$/.test(line);
    return endsWithSpace ? hint : ' ' + hint;
  }

  /**
   * completionCallback: the lines TAB cycles through, in order. Command names complete the whole
   * line; after "help " the topic completes, @groups included.
   */
  completions(line: string): string[] {
    let start = 0;
    let kinds: HelpEntry['kind'][] = ['command'];
    if (asciiLower(line.slice(0, 5)) === 'help ') {
      start = 5;
      while (start < line.length && /[ \t\n\v\f\r]/.test(line[start])) start++;
      kinds = ['command', 'group'];
    }
    const typed = asciiLower(line.slice(start));
    const out: string[] = [];
    for (const e of this.entries) {
      if (!kinds.includes(e.kind)) continue;
      if (typed.length <= e.full.length && asciiLower(e.full.slice(0, typed.length)) === typed) {
        out.push(line.slice(0, start) + e.full);
      }
    }
    return out;
  }

  /**
   * cliOutputHelp for `help <topic...>` (at least one word): every command whose name starts with
   * the given words, or every command of `@group`. Byte for byte what redis-cli prints, escapes
   * included; only the summaries are ours when the table comes from our engine.
   */
  help(topic: readonly string[]): string {
    let out = '';
    const group = topic[0].startsWith('@') ? topic[0].slice(1) : null;
    for (const e of this.entries) {
      if (e.kind !== 'command') continue;
      if (group === null) {
        if (topic.length <= e.argv.length && topic.every((w, j) => equalsIgnoreCase(w, e.argv[j]))) {
          out += commandHelpText(e, true);
        }
      } else if (equalsIgnoreCase(group, e.group)) {
        out += commandHelpText(e, false);
      }
    }
    return out + '\r\n';
  }
}

/** cliOutputCommandHelp: one command's block, with redis-cli's colours. */
function commandHelpText(e: HelpEntry, withGroup: boolean): string {
  let out = `\r\n  \x1b[1m${e.full}\x1b[0m \x1b[90m${e.params}\x1b[0m\r\n`;
  out += `  \x1b[33msummary:\x1b[0m ${e.summary}\r\n`;
  if (e.since !== null) out += `  \x1b[33msince:\x1b[0m ${e.since}\r\n`;
  if (withGroup) out += `  \x1b[33mgroup:\x1b[0m ${e.group}\r\n`;
  return out;
}

/** Key/value pairs of a map, or of a RESP2 flat array of alternating keys and values. */
function pairsOf(r: Reply): [Reply, Reply][] | null {
  if (r.kind === 'map') return r.entries;
  if (r.kind !== 'array') return null;
  const pairs: [Reply, Reply][] = [];
  for (let i = 0; i + 1 < r.items.length; i += 2) pairs.push([r.items[i], r.items[i + 1]]);
  return pairs;
}

function textOf(r: Reply): string | undefined {
  return r.kind === 'bulk' || r.kind === 'status' || r.kind === 'verbatim' ? r.text : undefined;
}

function fieldsOf(r: Reply): Map<string, Reply> {
  const fields = new Map<string, Reply>();
  for (const [k, v] of pairsOf(r) ?? []) {
    const key = textOf(k);
    if (key !== undefined) fields.set(key, v);
  }
  return fields;
}

function argumentOf(r: Reply): DocArgument {
  const f = fieldsOf(r);
  const arg: DocArgument = { name: textOf(f.get('name') ?? { kind: 'null' }) ?? '', type: textOf(f.get('type') ?? { kind: 'null' }) ?? '' };
  const token = f.get('token');
  if (token) arg.token = textOf(token) ?? '';
  const flags = f.get('flags');
  if (flags && (flags.kind === 'array' || flags.kind === 'set')) {
    arg.flags = flags.items.map((x) => textOf(x) ?? '');
  }
  const nested = f.get('arguments');
  if (nested && nested.kind === 'array') arg.arguments = nested.items.map(argumentOf);
  return arg;
}

function commandDocOf(r: Reply): CommandDoc {
  const f = fieldsOf(r);
  const doc: CommandDoc = {};
  const summary = f.get('summary'), since = f.get('since'), group = f.get('group');
  if (summary) doc.summary = textOf(summary);
  if (since) doc.since = textOf(since);
  if (group) doc.group = textOf(group);
  const args = f.get('arguments');
  if (args && args.kind === 'array') doc.arguments = args.items.map(argumentOf);
  const subs = f.get('subcommands');
  if (subs) {
    const table: Record<string, CommandDoc> = {};
    for (const [name, sub] of pairsOf(subs) ?? []) table[textOf(name) ?? ''] = commandDocOf(sub);
    doc.subcommands = table;
  }
  return doc;
}
