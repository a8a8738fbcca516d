// The command table: one source of truth for every command's facts (arity, flags, key positions,
// group, since, complexity, argument grammar — taken from real Redis 7.0's COMMAND INFO/DOCS into
// commandFacts.json), our own one-line summaries, and the implementation. Dispatch, arity checks,
// COMMAND, and the terminal's hints, completion and help all read it.
import commandFacts from './commandFacts.json' with { type: 'json' };
import type { Client } from './client.ts';
import { COMMAND_SUMMARIES } from './commandSummaries.ts';

export type CommandProc = (c: Client) => void;

/** Implementations by lowercase name; subcommands as 'parent|sub'. */
export type CommandImplementations = Record<string, CommandProc>;

export interface KeySpec {
  flags: string[];
  begin_search: { type: string; spec: Record<string, unknown> };
  find_keys: { type: string; spec: Record<string, unknown> };
  notes?: string;
}

export interface CommandArgument {
  name: string;
  type: string;
  key_spec_index?: number;
  token?: string;
  since?: string;
  flags?: string[];
  arguments?: CommandArgument[];
  [more: string]: unknown;
}

export interface CommandDocs {
  since: string;
  group: string;
  complexity?: string;
  doc_flags?: string[];
  deprecated_since?: string;
  replaced_by?: string;
  history?: [string, string][];
  arguments?: CommandArgument[];
}

interface CommandFacts {
  name: string;
  arity: number;
  flags: string[];
  first_key: number;
  last_key: number;
  step: number;
  acl_categories: string[];
  tips: string[];
  key_specs: KeySpec[];
  subcommands: Record<string, CommandFacts>;
  docs: CommandDocs;
}

export interface Command {
  /** Lowercase name; 'parent|sub' for subcommands (Redis's fullname). */
  readonly fullName: string;
  /** A small number unique to this command, so servers can keep per-command data in arrays. */
  readonly id: number;
  /** The name as matched: 'get', or 'encoding' for OBJECT ENCODING. */
  readonly name: string;
  readonly arity: number;
  readonly flags: ReadonlySet<string>;
  readonly firstKey: number;
  readonly lastKey: number;
  readonly step: number;
  readonly aclCategories: readonly string[];
  readonly tips: readonly string[];
  readonly keySpecs: readonly KeySpec[];
  readonly docs: CommandDocs;
  readonly summary: string;
  readonly parent: Command | null;
  /** Implemented subcommands, by lowercase name. */
  readonly subcommands: ReadonlyMap<string, Command>;
  /** Undefined for a container command (CONFIG, OBJECT ...) whose work is in its subcommands. */
  readonly proc?: CommandProc;
}

const facts = commandFacts.commands as unknown as Record<string, CommandFacts>;

/** Every command of real Redis 7.0.15, implemented here or not. */
export const REDIS_COMMAND_NAMES: readonly string[] = Object.keys(facts);

let nextCommandId = 0;

function build(f: CommandFacts, parent: Command | null, impls: CommandImplementations): Command | null {
  const proc = impls[f.name];
  const subcommands = new Map<string, Command>();
  const cmd: Command = {
    fullName: f.name,
    id: nextCommandId++,
    name: parent ? f.name.slice(parent.fullName.length + 1) : f.name,
    arity: f.arity,
    flags: new Set(f.flags),
    firstKey: f.first_key,
    lastKey: f.last_key,
    step: f.step,
    aclCategories: f.acl_categories,
    tips: f.tips,
    keySpecs: f.key_specs,
    docs: f.docs,
    summary: COMMAND_SUMMARIES[f.name] ?? '',
    parent,
    subcommands,
    proc,
  };
  for (const sub of Object.values(f.subcommands)) {
    const s = build(sub, cmd, impls);
    if (s) subcommands.set(s.name, s);
  }
  if (!proc && subcommands.size === 0) return null;
  return cmd;
}

/** Commands Redis flags CMD_MAY_REPLICATE, a flag COMMAND INFO does not show (so not in the facts). */
const MAY_REPLICATE = new Set(['eval', 'evalsha', 'fcall', 'pfcount', 'publish', 'spublish']);

/** A write, or a command that may replicate (CLIENT PAUSE WRITE holds it, a MONITOR client may not run it). */
export function mayReplicate(cmd: Command): boolean {
  return cmd.flags.has('write') || MAY_REPLICATE.has(cmd.fullName);
}

const NAME_CACHE_LIMIT = 4096;

export class CommandTable {
  readonly commands = new Map<string, Command>();

  constructor(impls: CommandImplementations) {
    const all = facts;
    for (const name of Object.keys(impls)) {
      const [base, sub] = name.split('|');
      const known = sub ? all[base]?.subcommands[name] : all[base];
      if (!known) throw new Error(`implementation for '${name}', which Redis 7.0 does not have`);
    }
    for (const f of Object.values(all)) {
      const cmd = build(f, null, impls);
      if (cmd) this.commands.set(cmd.name, cmd);
    }
  }

  /**
   * Command names exactly as clients send them ('GET', 'get', 'Get' ...) -> base command: a hit
   * skips lowercasing on the hot path. Only names of existing commands get in, and at most
   * NAME_CACHE_LIMIT of them, so odd clients cannot grow it without bound.
   */
  private readonly byTypedName = new Map<string, Command>();

  /** lookupCommand: the base command, or its subcommand when it has any and argv[1] is given. */
  lookup(argv: readonly string[]): Command | null {
    const name = argv[0];
    let base = this.byTypedName.get(name);
    if (base === undefined) {
      base = this.commands.get(name.toLowerCase());
      if (base && this.byTypedName.size < NAME_CACHE_LIMIT) this.byTypedName.set(name, base);
    }
    if (!base || base.subcommands.size === 0 || argv.length === 1) return base ?? null;
    return base.subcommands.get(argv[1].toLowerCase()) ?? null;
  }

  /** Whether argv[0] names a command that only works through subcommands. */
  isContainer(name: string): boolean {
    const base = this.commands.get(name.toLowerCase());
    return !!base && base.subcommands.size > 0;
  }

  /** lookupCommandBySds for COMMAND INFO/DOCS: 'config|get' style names. */
  lookupByFullName(fullName: string): Command | null {
    const [base, sub] = fullName.toLowerCase().split('|');
    const cmd = this.commands.get(base);
    if (!cmd || sub === undefined) return cmd ?? null;
    return cmd.subcommands.get(sub) ?? null;
  }

  /** Implemented top-level commands and subcommands, in no particular order. */
  *all(): Generator<Command> {
    for (const c of this.commands.values()) {
      yield c;
      yield* c.subcommands.values();
    }
  }
}
