// The lesson format (issue 6): what a lesson file in lessons/<chapter>/<nn>-<slug>.json holds,
// as zod schemas (the validation the catalog, the tests and the authoring view share) and the
// TypeScript types inferred from them. Objects are strict: a misspelt field is an error, not a
// silently ignored key. No DOM, no React, no engine imports: the app and the tests both use it.
import { z } from 'zod';

/** Markdown; an array is joined with "\n" (easier to write in JSON). */
export const Text = z.union([z.string(), z.array(z.string())], {
  error: (issue) => (issue.input === undefined ? 'is required: a string or an array of lines' : 'text is a string or an array of lines'),
});
export type Text = z.infer<typeof Text>;

/** Text in both languages. */
export const L10n = z.strictObject({ en: Text, zh: Text });
export type L10n = z.infer<typeof L10n>;

const kebab = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const Id = z.string().regex(kebab, 'must be kebab-case: lowercase letters, digits and single hyphens');

/** A lowercase command table name: 'set', 'client|list'. */
const CommandName = z.string().regex(/^[a-z][a-z0-9_-]*(?:\|[a-z][a-z0-9_-]*)?$/,
  "must be a lowercase command name such as 'incr' or 'client|list'");

/** A number exactly, or a range with either bound (both inclusive). */
export const NumberRange = z.union([
  z.number(),
  z.strictObject({ min: z.number().optional(), max: z.number().optional() })
    .refine((r) => r.min !== undefined || r.max !== undefined, 'a range needs min, max or both')
    .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, 'min must not exceed max'),
], { error: 'a number range is a number (exactly) or { "min"?: number, "max"?: number }' });
export type NumberRange = z.infer<typeof NumberRange>;

/**
 * Compares a key's value, ignoring what does not matter: `equals` a string byte for byte (the text
 * as UTF-8); `number` a string read as a number; `list` a list in order; `members` a set's or
 * zset's members in any order (exact unless `exact: false`: then at least these); `fields` a
 * hash's fields (exact unless `exact: false`); `scores` these zset members with these scores.
 */
export const ValueMatch = z.union([
  z.strictObject({ equals: z.string() }),
  z.strictObject({ number: NumberRange }),
  z.strictObject({ list: z.array(z.string()) }),
  z.strictObject({ members: z.array(z.string()), exact: z.boolean().optional() }),
  z.strictObject({ fields: z.record(z.string(), z.string()), exact: z.boolean().optional() }),
  z.strictObject({ scores: z.record(z.string(), z.number()) }),
], { error: 'a value match is one of { "equals" }, { "number" }, { "list" }, { "members", "exact"? }, { "fields", "exact"? }, { "scores" }' });
export type ValueMatch = z.infer<typeof ValueMatch>;

export const KEY_TYPES = ['string', 'list', 'set', 'zset', 'hash', 'stream'] as const;
export const REPLY_KINDS = ['ok', 'error', 'nil', 'integer', 'string', 'array', 'queued'] as const;
export type ReplyKind = typeof REPLY_KINDS[number];

const Db = z.number().int().min(0).max(15);
const ClientNumber = z.number().int().min(1);

/**
 * Facts about one key (db 0 unless given). With no check given it means "the key exists". A key
 * whose TTL has passed counts as absent (as GET would say), even before anything deleted it.
 * `length`: STRLEN/LLEN/SCARD/ZCARD/HLEN; `ttlMs`: PTTL, or 'none' for a persistent key.
 */
export const KeyPredicate = z.strictObject({
  kind: z.literal('key'),
  key: z.string(),
  db: Db.optional(),
  exists: z.boolean().optional(),
  type: z.enum(KEY_TYPES).optional(),
  encoding: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
  value: ValueMatch.optional(),
  length: NumberRange.optional(),
  ttlMs: z.union([NumberRange, z.literal('none')]).optional(),
}).refine((p) => !(p.exists === false && (p.type || p.encoding || p.value || p.length !== undefined || p.ttlMs !== undefined)),
  'a key that must not exist cannot also have a type, encoding, value, length or TTL');
export const DbsizePredicate = z.strictObject({ kind: z.literal('dbsize'), db: Db.optional(), range: NumberRange });
export const RehashingPredicate = z.strictObject({ kind: z.literal('rehashing'), db: Db.optional(), key: z.string().optional(), is: z.boolean() });
/** A zset member's skiplist node: `level` its height (fails while the set is a listpack); `rank` is ZRANK's (0-based). */
export const SkiplistPredicate = z.strictObject({
  kind: z.literal('skiplist'), key: z.string(), db: Db.optional(), member: z.string(),
  level: NumberRange.optional(), rank: NumberRange.optional(),
});
/** A config parameter's value as CONFIG GET prints it (maxmemory in bytes: "10485760", not "10mb"). */
export const ConfigPredicate = z.strictObject({ kind: z.literal('config'), name: z.string().min(1), value: z.string() });
export const ClientPredicate = z.strictObject({
  kind: z.literal('client'), client: ClientNumber,
  inMulti: z.boolean().optional(), subscribed: NumberRange.optional(), watching: z.boolean().optional(),
});
/**
 * The journal: `command` (a table name, 'client|list') was run during the current step (commands
 * of earlier steps do not count), by `client` if given, with arguments starting with `args`
 * (compared exactly; for a subcommand, the arguments after it), replying `reply`, `times` times
 * (default: at least once). A failed WATCH-guarded EXEC: { command: 'exec', reply: 'nil' }.
 */
export const RanPredicate = z.strictObject({
  kind: z.literal('ran'), command: CommandName,
  client: ClientNumber.optional(), args: z.array(z.string()).optional(),
  reply: z.enum(REPLY_KINDS).optional(), times: NumberRange.optional(),
});

export type KeyPredicate = z.infer<typeof KeyPredicate>;
export type DbsizePredicate = z.infer<typeof DbsizePredicate>;
export type RehashingPredicate = z.infer<typeof RehashingPredicate>;
export type SkiplistPredicate = z.infer<typeof SkiplistPredicate>;
export type ConfigPredicate = z.infer<typeof ConfigPredicate>;
export type ClientPredicate = z.infer<typeof ClientPredicate>;
export type RanPredicate = z.infer<typeof RanPredicate>;
export type AllPredicate = { kind: 'all'; of: Predicate[] };
export type AnyPredicate = { kind: 'any'; of: Predicate[] };
export type NotPredicate = { kind: 'not'; of: Predicate };
export type Predicate =
  | KeyPredicate | DbsizePredicate | RehashingPredicate | SkiplistPredicate | ConfigPredicate
  | ClientPredicate | RanPredicate | AllPredicate | AnyPredicate | NotPredicate;

/** A condition over the engine's state and the journal of commands the lesson's clients ran. */
export const Predicate: z.ZodType<Predicate> = z.lazy(() => z.discriminatedUnion('kind', [
  KeyPredicate, DbsizePredicate, RehashingPredicate, SkiplistPredicate, ConfigPredicate,
  ClientPredicate, RanPredicate,
  z.strictObject({ kind: z.literal('all'), of: z.array(Predicate).min(1) }),
  z.strictObject({ kind: z.literal('any'), of: z.array(Predicate).min(1) }),
  z.strictObject({ kind: z.literal('not'), of: Predicate }),
], { error: (iss) => iss.code === 'invalid_union' && iss.note === 'No matching discriminator'
  ? `kind must be one of ${PREDICATE_KINDS.join(', ')}` : undefined }));

export const PREDICATE_KINDS = ['key', 'dbsize', 'rehashing', 'skiplist', 'config', 'client', 'ran', 'all', 'any', 'not'] as const;

/** A line of a reference solution: a command typed into client 1, into client n, or a wait. */
export const SolutionLine = z.union([
  z.string().trim().min(1, 'a command line must not be empty'),
  z.strictObject({ client: ClientNumber, command: z.string().trim().min(1, 'a command line must not be empty') }),
  z.strictObject({ waitMs: z.number().positive() }),
], { error: 'a solution line is a command line (string), { "client", "command" } or { "waitMs" }' });
export type SolutionLine = z.infer<typeof SolutionLine>;

export const Objective = z.strictObject({ text: L10n, check: Predicate });
export type Objective = z.infer<typeof Objective>;

export const Step = z.strictObject({
  id: Id,
  text: L10n,
  objectives: z.array(Objective).min(1, 'a step needs at least one objective'),
  hints: z.array(L10n),
  solution: z.array(SolutionLine).min(1, 'a step needs a reference solution'),
});
export type Step = z.infer<typeof Step>;

export const PANELS = ['keyspace', 'encoding', 'skiplist', 'dict', 'expiry', 'eventloop'] as const;
export type PanelId = typeof PANELS[number];

export const Setup = z.strictObject({
  seed: z.number().int().min(0).optional(),
  config: z.record(z.string(), z.string()).optional(),
  commands: z.array(z.string().trim().min(1)).optional(),
  /** Virtual time that passes after the commands: keys have aged that long when the lesson starts (at most a day). */
  advanceMs: z.number().int().min(0).max(86_400_000).optional(),
  latencyMs: z.number().min(0).optional(),
});
export type Setup = z.infer<typeof Setup>;

/** Every client number a predicate names (for the check against `clients`). */
export function predicateClients(p: Predicate): number[] {
  switch (p.kind) {
    case 'client': return [p.client];
    case 'ran': return p.client === undefined ? [] : [p.client];
    case 'all': case 'any': return p.of.flatMap(predicateClients);
    case 'not': return predicateClients(p.of);
    default: return [];
  }
}

const LessonObject = z.strictObject({
  /** An editor's pointer to the JSON schema; ignored. */
  $schema: z.string().optional(),
  id: Id,
  chapter: Id,
  order: z.number(),
  title: L10n,
  summary: L10n,
  panel: z.enum(PANELS).optional(),
  setup: Setup,
  clients: z.number().int().min(1).max(8).optional(),
  disabled: z.array(CommandName).optional(),
  text: L10n,
  steps: z.array(Step).min(1, 'a lesson needs at least one step'),
});

/** A lesson, with the checks that span fields: unique step ids, client numbers within `clients`. */
export const Lesson = LessonObject.superRefine((lesson, ctx) => {
  const clients = lesson.clients ?? 1;
  const seen = new Set<string>();
  lesson.steps.forEach((step, s) => {
    if (seen.has(step.id)) ctx.addIssue({ code: 'custom', path: ['steps', s, 'id'], message: `step id '${step.id}' is used twice` });
    seen.add(step.id);
    step.objectives.forEach((o, i) => {
      for (const n of predicateClients(o.check)) {
        if (n > clients) ctx.addIssue({ code: 'custom', path: ['steps', s, 'objectives', i, 'check'], message: `names client ${n} but the lesson has ${clients} client(s)` });
      }
    });
    step.solution.forEach((line, i) => {
      if (typeof line === 'object' && 'client' in line && line.client > clients) {
        ctx.addIssue({ code: 'custom', path: ['steps', s, 'solution', i, 'client'], message: `client ${line.client} but the lesson has ${clients} client(s)` });
      }
    });
  });
});
export type Lesson = z.infer<typeof Lesson>;

export const Chapter = z.strictObject({
  id: Id,
  title: L10n,
  status: z.enum(['ready', 'coming']),
  /** The issue that brings a coming chapter's lessons. */
  issue: z.string().optional(),
}).refine((c) => c.status !== 'coming' || !!c.issue, { message: "a 'coming' chapter names the issue that brings it", path: ['issue'] });
export type Chapter = z.infer<typeof Chapter>;

export const Chapters = z.array(Chapter).min(1);

/** The lesson format as a JSON schema (for the monaco editor's validation and completion). */
export function lessonJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(Lesson, { unrepresentable: 'any' }) as Record<string, unknown>;
}

/** One validation problem: where (steps[0].objectives[1].check.kind) and what. */
export interface SchemaProblem {
  path: string;
  message: string;
}

/**
 * The problems of a failed parse, readable: a union's alternatives are not all listed; when one
 * alternative has the right shape its own problems are given, otherwise the union's message.
 */
export function schemaProblems(error: z.ZodError): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  for (const issue of error.issues) flattenIssue(issue, [], out);
  return out;
}

/** Formats zod issues as "path: message" lines. */
export function formatIssues(error: z.ZodError): string[] {
  return schemaProblems(error).map((p) => `${p.path}: ${p.message}`);
}

type Issue = z.core.$ZodIssue;

/** Issues that say "this alternative has the wrong shape" rather than "a value inside is wrong". */
function shapeMisses(issues: readonly Issue[]): number {
  return issues.filter((i) => i.code === 'unrecognized_keys'
    || (i.code === 'invalid_type' && (i.path.length === 0 || / received undefined$/.test(i.message)))).length;
}

function flattenIssue(issue: Issue, base: readonly PropertyKey[], out: SchemaProblem[]): void {
  const path = [...base, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const branches = issue.errors.map((issues) => ({ issues, misses: shapeMisses(issues) }));
    branches.sort((a, b) => a.misses - b.misses || a.issues.length - b.issues.length);
    const best = branches[0];
    if (best.misses === 0 || issue.message === 'Invalid input') {
      for (const inner of best.issues) flattenIssue(inner, path, out);
      return;
    }
  }
  out.push({ path: formatPath(path), message: issue.message });
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += (out ? '.' : '') + String(part);
  }
  return out || '(top level)';
}
