// The evaluator: judges a lesson's objectives against facts read from the engine (the
// 'lesson-facts' snapshot, src/engine/trace/lessonFacts.ts) and the journal of commands the
// lesson's clients ran. Each verdict comes with `why`, in English and Chinese: what the objective
// looks at and what the state is now ("key `counter` is a string holding "9"; the objective wants
// 10"). Pure code: the app and the tests share it.
//
// Strings in objectives are text (UTF-8 when sent); the engine's keys and values are byte strings.
// factsFor asks with byte strings, and comparisons convert the objective's side the same way.
import { binaryToUtf8, utf8ToBinary } from '../engine/bytes.ts';
import type { KeyFacts, LessonFacts, LessonFactsQuery, MemberFacts } from '../engine/trace/lessonFacts.ts';
import { commandArgs, type JournalEntry } from './journal.ts';
import type {
  ClientPredicate, ConfigPredicate, DbsizePredicate, KeyPredicate, NumberRange, Predicate, RanPredicate,
  RehashingPredicate, SkiplistPredicate, Step, ValueMatch,
} from './schema.ts';

export type { LessonFacts } from '../engine/trace/lessonFacts.ts';

/** A sentence in both languages. */
export interface Why {
  en: string;
  zh: string;
}

export interface Verdict {
  ok: boolean;
  why: Why;
}

export interface StepResult {
  /** Every objective holds. */
  done: boolean;
  /** One per objective, in order. */
  objectives: Verdict[];
}

// --- what to ask the engine --------------------------------------------------------------------

/**
 * The facts the predicates need. `clients` lists the lesson's client numbers only: the caller says
 * which connection each is (`addr` in the engine, `connection` through the worker).
 */
export function factsFor(predicates: readonly Predicate[]): LessonFactsQuery & { clients: { n: number }[] } {
  const keys = new Map<string, { db: number; key: string; members: Set<string> }>();
  const dbs = new Set<number>();
  const config = new Set<string>();
  const clients = new Set<number>();
  const key = (db: number | undefined, name: string) => {
    const k = utf8ToBinary(name);
    const id = `${db ?? 0}\u0000${k}`;
    let entry = keys.get(id);
    if (!entry) keys.set(id, entry = { db: db ?? 0, key: k, members: new Set() });
    return entry;
  };
  const visit = (p: Predicate): void => {
    switch (p.kind) {
      case 'key': {
        const entry = key(p.db, p.key);
        // Non-exact matches look the named elements up (the value itself may be capped).
        const v = p.value;
        if (v && 'members' in v) for (const m of v.members) entry.members.add(utf8ToBinary(m));
        if (v && 'fields' in v) for (const f of Object.keys(v.fields)) entry.members.add(utf8ToBinary(f));
        if (v && 'scores' in v) for (const m of Object.keys(v.scores)) entry.members.add(utf8ToBinary(m));
        return;
      }
      case 'dbsize': dbs.add(p.db ?? 0); return;
      case 'rehashing':
        if (p.key === undefined) dbs.add(p.db ?? 0);
        else key(p.db, p.key);
        return;
      case 'skiplist': key(p.db, p.key).members.add(utf8ToBinary(p.member)); return;
      case 'config': config.add(p.name); return;
      case 'client': clients.add(p.client); return;
      case 'ran': return;
      case 'all': case 'any': p.of.forEach(visit); return;
      case 'not': visit(p.of); return;
    }
  };
  predicates.forEach(visit);
  return {
    kind: 'lesson-facts',
    keys: [...keys.values()].map((k) => (k.members.size ? { db: k.db, key: k.key, members: [...k.members] } : { db: k.db, key: k.key })),
    dbs: [...dbs],
    config: [...config],
    clients: [...clients].map((n) => ({ n })),
  };
}

/** Every predicate of a step's objectives. */
export function stepPredicates(step: Step): Predicate[] {
  return step.objectives.map((o) => o.check);
}

// --- judging ------------------------------------------------------------------------------------

/** Judges every objective of a step. `journal`: the commands run since the step began. */
export function checkStep(step: Step, facts: LessonFacts, journal: readonly JournalEntry[]): StepResult {
  const objectives = step.objectives.map((o) => evaluate(o.check, facts, journal));
  return { done: objectives.every((v) => v.ok), objectives };
}

export function evaluate(p: Predicate, facts: LessonFacts, journal: readonly JournalEntry[]): Verdict {
  switch (p.kind) {
    case 'key': return evalKey(p, facts);
    case 'dbsize': return evalDbsize(p, facts);
    case 'rehashing': return evalRehashing(p, facts);
    case 'skiplist': return evalSkiplist(p, facts);
    case 'config': return evalConfig(p, facts);
    case 'client': return evalClient(p, facts);
    case 'ran': return evalRan(p, journal);
    case 'all': {
      const verdicts = p.of.map((q) => evaluate(q, facts, journal));
      const failed = verdicts.filter((v) => !v.ok);
      if (failed.length === 0) return { ok: true, why: joinWhy(verdicts.map((v) => v.why), '; ', '；') };
      return { ok: false, why: joinWhy(failed.map((v) => v.why), '; ', '；') };
    }
    case 'any': {
      const verdicts = p.of.map((q) => evaluate(q, facts, journal));
      const passed = verdicts.find((v) => v.ok);
      if (passed) return passed;
      const all = joinWhy(verdicts.map((v) => v.why), '; or ', '；或者');
      return { ok: false, why: { en: `none of the alternatives holds: ${all.en}`, zh: `没有一个条件成立：${all.zh}` } };
    }
    case 'not': {
      const inner = evaluate(p.of, facts, journal);
      if (!inner.ok) return { ok: true, why: inner.why };
      return { ok: false, why: { en: `this must not be so, but it is: ${inner.why.en}`, zh: `这一条不应成立，但现在成立：${inner.why.zh}` } };
    }
  }
}

function joinWhy(parts: Why[], en: string, zh: string): Why {
  return { en: parts.map((w) => w.en).join(en), zh: parts.map((w) => w.zh).join(zh) };
}

const fail = (en: string, zh: string): Verdict => ({ ok: false, why: { en, zh } });
const pass = (en: string, zh: string): Verdict => ({ ok: true, why: { en, zh } });

// --- showing values -----------------------------------------------------------------------------

const PREVIEW_CHARS = 60;
const PREVIEW_ITEMS = 8;

/** A key or member name for the text: `name` (bytes shown as UTF-8 where they are). */
function code(bytes: string): string {
  const s = binaryToUtf8(bytes);
  return '`' + (s.length > PREVIEW_CHARS ? s.slice(0, PREVIEW_CHARS) + '…' : s).replace(/`/g, "'") + '`';
}

/** A value for the text: "quoted", cut when long. */
function quote(bytes: string): string {
  const s = binaryToUtf8(bytes);
  return JSON.stringify(s.length > PREVIEW_CHARS ? s.slice(0, PREVIEW_CHARS) + '…' : s);
}

function list(items: readonly string[], total = items.length): string {
  const shown = items.slice(0, PREVIEW_ITEMS).map(quote).join(', ');
  return `[${shown}${total > PREVIEW_ITEMS ? `, … (${total} in all)` : ''}]`;
}

function num(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 1000) / 1000);
}

/** A number range in words. `unit` formats the numbers (ms as seconds ...). */
function rangeText(r: NumberRange, unit: (n: number) => Why = (n) => ({ en: num(n), zh: num(n) })): Why {
  if (typeof r === 'number') return { en: `exactly ${unit(r).en}`, zh: `恰好 ${unit(r).zh}` };
  if (r.min !== undefined && r.max !== undefined) {
    if (r.min === r.max) return { en: `exactly ${unit(r.min).en}`, zh: `恰好 ${unit(r.min).zh}` };
    return { en: `between ${unit(r.min).en} and ${unit(r.max).en}`, zh: `在 ${unit(r.min).zh} 到 ${unit(r.max).zh} 之间` };
  }
  if (r.min !== undefined) return { en: `at least ${unit(r.min).en}`, zh: `至少 ${unit(r.min).zh}` };
  return { en: `at most ${unit(r.max!).en}`, zh: `至多 ${unit(r.max!).zh}` };
}

export function inRange(n: number, r: NumberRange): boolean {
  if (typeof r === 'number') return n === r;
  return (r.min === undefined || n >= r.min) && (r.max === undefined || n <= r.max);
}

function duration(ms: number): Why {
  if (Math.abs(ms) < 1000) return { en: `${num(ms)} ms`, zh: `${num(ms)} 毫秒` };
  const s = num(ms / 1000);
  return { en: `${s} s`, zh: `${s} 秒` };
}

const TYPE_ZH: Record<string, string> = { string: '字符串', list: '列表', set: '集合', zset: '有序集合', hash: '哈希', stream: '流' };
const TYPE_EN: Record<string, string> = { string: 'a string', list: 'a list', set: 'a set', zset: 'a sorted set', hash: 'a hash', stream: 'a stream' };

function typeEn(t: string): string { return TYPE_EN[t] ?? t; }
function typeZh(t: string): string { return TYPE_ZH[t] ?? t; }

function dbText(db: number): Why {
  return db === 0 ? { en: '', zh: '' } : { en: ` (db ${db})`, zh: `（${db} 号库）` };
}

function findKey(facts: LessonFacts, db: number | undefined, key: string): KeyFacts | undefined {
  const k = utf8ToBinary(key);
  return facts.keys.find((f) => f.db === (db ?? 0) && f.key === k);
}

function missingFacts(what: string): Verdict {
  return fail(`(no facts were read for ${what})`, `（没有读取到 ${what} 的状态）`);
}

// --- key ------------------------------------------------------------------------------------------

type PresentKey = Extract<KeyFacts, { exists: true }>;

/** What a key is now, in a few words: `k` is a string holding "9" / a list of 3 elements. */
function describeKey(k: PresentKey): Why {
  const name = code(k.key);
  const v = k.value;
  if (v.type === 'string') return { en: `key ${name} is a string holding ${quote(v.value)}`, zh: `键 ${name} 是字符串，值为 ${quote(v.value)}` };
  const n = k.length;
  const unit = v.type === 'hash' ? { en: n === 1 ? 'field' : 'fields', zh: '个字段' } : { en: n === 1 ? 'element' : 'elements', zh: '个元素' };
  return { en: `key ${name} is ${typeEn(k.type)} of ${n} ${unit.en}`, zh: `键 ${name} 是包含 ${n} ${unit.zh}的${typeZh(k.type)}` };
}

function evalKey(p: KeyPredicate, facts: LessonFacts): Verdict {
  const k = findKey(facts, p.db, p.key);
  if (!k) return missingFacts(`key ${p.key}`);
  const name = code(k.key);
  const where = dbText(k.db);
  const others = p.type !== undefined || p.encoding !== undefined || p.value !== undefined || p.length !== undefined || p.ttlMs !== undefined;
  const wantExists = p.exists ?? true;
  if (!k.exists) {
    if (!wantExists) return pass(`key ${name}${where.en} does not exist`, `键 ${name}${where.zh} 不存在`);
    return fail(`key ${name}${where.en} does not exist yet`, `键 ${name}${where.zh} 还不存在`);
  }
  if (!wantExists) {
    return fail(`key ${name}${where.en} still exists (${typeEn(k.type)}); the objective wants it gone`,
      `键 ${name}${where.zh} 仍然存在（${typeZh(k.type)}），目标要求它不存在`);
  }
  const now = describeKey(k);
  if (p.type !== undefined && k.type !== p.type) {
    return fail(`key ${name}${where.en} is ${typeEn(k.type)}; the objective wants ${typeEn(p.type)}`,
      `键 ${name}${where.zh} 是${typeZh(k.type)}，目标要求是${typeZh(p.type)}`);
  }
  if (p.encoding !== undefined) {
    const wanted = typeof p.encoding === 'string' ? [p.encoding] : p.encoding;
    if (!wanted.includes(k.encoding)) {
      const w = wanted.length === 1 ? wanted[0] : `one of ${wanted.join(', ')}`;
      const wz = wanted.length === 1 ? wanted[0] : `${wanted.join('、')} 之一`;
      return fail(`key ${name} is encoded as ${k.encoding} (OBJECT ENCODING); the objective wants ${w}`,
        `键 ${name} 的编码是 ${k.encoding}（OBJECT ENCODING），目标要求 ${wz}`);
    }
  }
  if (p.value !== undefined) {
    const v = evalValue(k, p.value);
    if (!v.ok) return v;
  }
  if (p.length !== undefined && !inRange(k.length, p.length)) {
    const r = rangeText(p.length);
    const what = k.type === 'string'
      ? { en: `key ${name} is ${k.length} bytes long (STRLEN)`, zh: `键 ${name} 的长度是 ${k.length} 字节（STRLEN）` }
      : { en: `key ${name} has ${k.length} ${k.type === 'hash' ? 'fields' : 'elements'}`, zh: `键 ${name} 有 ${k.length} 个${k.type === 'hash' ? '字段' : '元素'}` };
    return fail(`${what.en}; the objective wants ${r.en}`, `${what.zh}，目标要求${r.zh}`);
  }
  if (p.ttlMs !== undefined) {
    if (p.ttlMs === 'none') {
      if (k.pttl !== null) {
        const d = duration(k.pttl);
        return fail(`key ${name} expires in ${d.en}; the objective wants no TTL (persistent)`,
          `键 ${name} 将在 ${d.zh}后过期，目标要求它没有过期时间（持久）`);
      }
    } else {
      const r = rangeText(p.ttlMs, duration);
      if (k.pttl === null) {
        return fail(`key ${name} has no TTL; the objective wants one of ${r.en}`, `键 ${name} 没有过期时间，目标要求剩余时间${r.zh}`);
      }
      if (!inRange(k.pttl, p.ttlMs)) {
        const d = duration(k.pttl);
        return fail(`key ${name} expires in ${d.en} (PTTL ${k.pttl}); the objective wants ${r.en}`,
          `键 ${name} 将在 ${d.zh}后过期（PTTL ${k.pttl}），目标要求剩余时间${r.zh}`);
      }
    }
  }
  if (!others) {
    return pass(`key ${name}${where.en} exists: ${now.en.slice(`key ${name} is `.length)}`, `键 ${name}${where.zh} 存在：${now.zh.slice(`键 ${name} 是`.length)}`);
  }
  const ttl = k.pttl === null ? { en: '', zh: '' } : { en: `, expiring in ${duration(k.pttl).en}`, zh: `，${duration(k.pttl).zh}后过期` };
  return pass(`${now.en} (${k.encoding})${ttl.en}`, `${now.zh}（${k.encoding}）${ttl.zh}`);
}

function wrongType(k: PresentKey, wanted: string[]): Verdict {
  const name = code(k.key);
  const en = wanted.map(typeEn).join(' or ');
  const zh = wanted.map(typeZh).join('或');
  return fail(`key ${name} is ${typeEn(k.type)}; the objective compares it as ${en}`, `键 ${name} 是${typeZh(k.type)}，目标要把它当作${zh}来比较`);
}

function memberOf(k: PresentKey, member: string): MemberFacts | undefined {
  return k.members.find((m) => m.member === member);
}

function evalValue(k: PresentKey, match: ValueMatch): Verdict {
  const name = code(k.key);
  const v = k.value;
  const okNow = describeKey(k);
  const ok = { ok: true, why: okNow };
  if ('equals' in match) {
    if (v.type !== 'string') return wrongType(k, ['string']);
    const want = utf8ToBinary(match.equals);
    if (k.truncated ? k.length !== want.length || !want.startsWith(v.value) : v.value !== want) {
      return fail(`${okNow.en}; the objective wants ${quote(want)}`, `${okNow.zh}，目标要求 ${quote(want)}`);
    }
    return ok;
  }
  if ('number' in match) {
    if (v.type !== 'string') return wrongType(k, ['string']);
    const text = v.value.trim();
    const n = text === '' || k.truncated ? NaN : Number(text);
    const r = rangeText(match.number);
    if (!Number.isFinite(n)) return fail(`${okNow.en}, which is not a number; the objective wants a number ${r.en}`, `${okNow.zh}，这不是数字，目标要求数字${r.zh}`);
    if (!inRange(n, match.number)) {
      return fail(`${okNow.en}; the objective wants ${typeof match.number === 'number' ? num(match.number) : r.en}`,
        `${okNow.zh}，目标要求${typeof match.number === 'number' ? ` ${num(match.number)}` : r.zh}`);
    }
    return ok;
  }
  if ('list' in match) {
    if (v.type !== 'list') return wrongType(k, ['list']);
    const want = match.list.map(utf8ToBinary);
    const same = k.length === want.length && !k.truncated && v.items.every((x, i) => x === want[i]);
    if (!same) {
      return fail(`list ${name} is ${list(v.items, k.length)}; the objective wants ${list(want)} (in this order)`,
        `列表 ${name} 现在是 ${list(v.items, k.length)}，目标要求 ${list(want)}（按此顺序）`);
    }
    return ok;
  }
  if ('members' in match) {
    if (v.type !== 'set' && v.type !== 'zset') return wrongType(k, ['set', 'zset']);
    const want = [...new Set(match.members.map(utf8ToBinary))];
    const exact = match.exact ?? true;
    const missing = want.filter((m) => !memberOf(k, m)?.present);
    const kind = v.type === 'set' ? { en: 'set', zh: '集合' } : { en: 'sorted set', zh: '有序集合' };
    if (missing.length) {
      return fail(`${kind.en} ${name} lacks ${list(missing)}; it has ${k.length} member(s)`, `${kind.zh} ${name} 缺少 ${list(missing)}，现有 ${k.length} 个成员`);
    }
    if (exact && k.length !== want.length) {
      const have = v.type === 'set' ? v.members : v.entries.map((e) => e[0]);
      const extra = have.filter((m) => !want.includes(m));
      return fail(`${kind.en} ${name} also has ${list(extra, k.length - want.length)}; the objective wants exactly ${list(want)}`,
        `${kind.zh} ${name} 还有多余的成员 ${list(extra, k.length - want.length)}，目标要求恰好是 ${list(want)}`);
    }
    return ok;
  }
  if ('fields' in match) {
    if (v.type !== 'hash') return wrongType(k, ['hash']);
    const want = Object.entries(match.fields).map(([f, x]) => [utf8ToBinary(f), utf8ToBinary(x)] as const);
    for (const [f, x] of want) {
      const m = memberOf(k, f);
      if (!m?.present) return fail(`hash ${name} has no field ${code(f)}; the objective wants it to be ${quote(x)}`, `哈希 ${name} 没有字段 ${code(f)}，目标要求它的值为 ${quote(x)}`);
      if (m.value !== x) return fail(`field ${code(f)} of hash ${name} is ${quote(m.value ?? '')}; the objective wants ${quote(x)}`, `哈希 ${name} 的字段 ${code(f)} 是 ${quote(m.value ?? '')}，目标要求 ${quote(x)}`);
    }
    if ((match.exact ?? true) && k.length !== want.length) {
      const extra = v.fields.map(([f]) => f).filter((f) => !want.some(([w]) => w === f));
      return fail(`hash ${name} also has the field(s) ${list(extra, k.length - want.length)}; the objective wants exactly ${want.length}`,
        `哈希 ${name} 还有多余的字段 ${list(extra, k.length - want.length)}，目标要求恰好 ${want.length} 个字段`);
    }
    return ok;
  }
  // scores
  if (v.type !== 'zset') return wrongType(k, ['zset']);
  for (const [member, score] of Object.entries(match.scores)) {
    const m = memberOf(k, utf8ToBinary(member));
    if (!m?.present) return fail(`sorted set ${name} has no member ${code(utf8ToBinary(member))}; the objective wants it with score ${num(score)}`, `有序集合 ${name} 没有成员 ${code(utf8ToBinary(member))}，目标要求它的分数为 ${num(score)}`);
    if (m.score !== score) return fail(`member ${code(m.member)} of ${name} has score ${num(m.score ?? NaN)}; the objective wants ${num(score)}`, `${name} 的成员 ${code(m.member)} 分数是 ${num(m.score ?? NaN)}，目标要求 ${num(score)}`);
  }
  return ok;
}

// --- the other state predicates -----------------------------------------------------------------

function evalDbsize(p: DbsizePredicate, facts: LessonFacts): Verdict {
  const db = p.db ?? 0;
  const d = facts.dbs.find((x) => x.db === db);
  if (!d) return missingFacts(`db ${db}`);
  const r = rangeText(p.range);
  const now = { en: `db ${db} holds ${d.size} key${d.size === 1 ? '' : 's'} (DBSIZE)`, zh: `${db} 号库有 ${d.size} 个键（DBSIZE）` };
  if (inRange(d.size, p.range)) return pass(now.en, now.zh);
  return fail(`${now.en}; the objective wants ${r.en}`, `${now.zh}，目标要求${r.zh}`);
}

function evalRehashing(p: RehashingPredicate, facts: LessonFacts): Verdict {
  const want = p.is;
  if (p.key === undefined) {
    const db = p.db ?? 0;
    const d = facts.dbs.find((x) => x.db === db);
    if (!d) return missingFacts(`db ${db}`);
    const now = d.rehashing
      ? { en: `the keyspace dict of db ${db} is rehashing`, zh: `${db} 号库的键空间字典正在渐进式 rehash` }
      : { en: `the keyspace dict of db ${db} is not rehashing`, zh: `${db} 号库的键空间字典没有在 rehash` };
    if (d.rehashing === want) return pass(now.en, now.zh);
    return want
      ? fail(`${now.en}; the objective wants a rehash in progress (add keys until the table grows)`, `${now.zh}，目标要求 rehash 正在进行（继续添加键，直到哈希表扩容）`)
      : fail(`${now.en}; the objective wants it finished`, `${now.zh}，目标要求 rehash 已经完成`);
  }
  const k = findKey(facts, p.db, p.key);
  if (!k) return missingFacts(`key ${p.key}`);
  const name = code(k.key);
  if (!k.exists) return fail(`key ${name} does not exist`, `键 ${name} 不存在`);
  if (k.rehashing === null) {
    const now = { en: `key ${name} is ${typeEn(k.type)} encoded as ${k.encoding}, with no dict`, zh: `键 ${name} 是编码为 ${k.encoding} 的${typeZh(k.type)}，没有字典` };
    if (!want) return pass(now.en, now.zh);
    return fail(`${now.en}; the objective wants its dict rehashing`, `${now.zh}，目标要求它的字典正在 rehash`);
  }
  const now = k.rehashing
    ? { en: `the dict of key ${name} is rehashing`, zh: `键 ${name} 的字典正在 rehash` }
    : { en: `the dict of key ${name} is not rehashing`, zh: `键 ${name} 的字典没有在 rehash` };
  if (k.rehashing === want) return pass(now.en, now.zh);
  return want ? fail(`${now.en}; the objective wants a rehash in progress`, `${now.zh}，目标要求 rehash 正在进行`)
    : fail(`${now.en}; the objective wants it finished`, `${now.zh}，目标要求 rehash 已经完成`);
}

function evalSkiplist(p: SkiplistPredicate, facts: LessonFacts): Verdict {
  const k = findKey(facts, p.db, p.key);
  if (!k) return missingFacts(`key ${p.key}`);
  const name = code(k.key);
  if (!k.exists) return fail(`key ${name} does not exist yet`, `键 ${name} 还不存在`);
  if (k.type !== 'zset') return wrongType(k, ['zset']);
  const member = utf8ToBinary(p.member);
  const m = memberOf(k, member);
  if (!m?.present) return fail(`sorted set ${name} has no member ${code(member)}`, `有序集合 ${name} 没有成员 ${code(member)}`);
  if (p.level !== undefined) {
    if (m.level === null || m.level === undefined) {
      return fail(`sorted set ${name} is still a ${k.encoding}: there is no skiplist yet, so no levels`,
        `有序集合 ${name} 仍是 ${k.encoding} 编码：还没有跳表，也就没有层高`);
    }
    if (!inRange(m.level, p.level)) {
      const r = rangeText(p.level);
      return fail(`member ${code(member)} of ${name} sits on a node of level ${m.level}; the objective wants ${r.en}`,
        `${name} 的成员 ${code(member)} 所在节点的层高是 ${m.level}，目标要求${r.zh}`);
    }
  }
  if (p.rank !== undefined && !inRange(m.rank ?? -1, p.rank)) {
    const r = rangeText(p.rank);
    return fail(`member ${code(member)} of ${name} has rank ${m.rank} (ZRANK); the objective wants ${r.en}`,
      `${name} 的成员 ${code(member)} 排名是 ${m.rank}（ZRANK），目标要求${r.zh}`);
  }
  const level = m.level ? { en: `, on a node of level ${m.level}`, zh: `，所在节点层高 ${m.level}` } : { en: '', zh: '' };
  return pass(`member ${code(member)} of ${name} has rank ${m.rank} and score ${num(m.score ?? NaN)}${level.en}`,
    `${name} 的成员 ${code(member)} 排名 ${m.rank}，分数 ${num(m.score ?? NaN)}${level.zh}`);
}

function evalConfig(p: ConfigPredicate, facts: LessonFacts): Verdict {
  const c = facts.config.find((x) => x.name === p.name);
  if (!c) return missingFacts(`config ${p.name}`);
  if (c.value === null) return fail(`there is no config parameter ${p.name}`, `没有名为 ${p.name} 的配置项`);
  const now = { en: `${p.name} is ${quote(c.value)} (CONFIG GET)`, zh: `${p.name} 当前为 ${quote(c.value)}（CONFIG GET）` };
  if (c.value === p.value) return pass(now.en, now.zh);
  return fail(`${now.en}; the objective wants ${quote(p.value)}`, `${now.zh}，目标要求 ${quote(p.value)}`);
}

function evalClient(p: ClientPredicate, facts: LessonFacts): Verdict {
  const c = facts.clients.find((x) => x.n === p.client);
  if (!c) return missingFacts(`client ${p.client}`);
  const who = { en: `client ${p.client}`, zh: `客户端 ${p.client}` };
  if (!c.connected) return fail(`${who.en} is not connected`, `${who.zh} 没有连接`);
  const parts: Verdict[] = [];
  if (p.inMulti !== undefined) {
    const now = c.inMulti ? { en: `${who.en} is inside MULTI`, zh: `${who.zh} 正处于 MULTI 事务中` } : { en: `${who.en} is not in a transaction (MULTI)`, zh: `${who.zh} 不在事务（MULTI）中` };
    if (c.inMulti === p.inMulti) parts.push({ ok: true, why: now });
    else if (p.inMulti) parts.push(fail(`${now.en}; the objective wants it to have started one`, `${now.zh}，目标要求它已开启事务`));
    else parts.push(fail(`${now.en}; the objective wants the transaction ended (EXEC or DISCARD)`, `${now.zh}，目标要求事务已结束（EXEC 或 DISCARD）`));
  }
  if (p.subscribed !== undefined) {
    const now = { en: `${who.en} is subscribed to ${c.subscriptions} channel(s) or pattern(s)`, zh: `${who.zh} 订阅了 ${c.subscriptions} 个频道或模式` };
    const r = rangeText(p.subscribed);
    parts.push(inRange(c.subscriptions, p.subscribed) ? { ok: true, why: now } : fail(`${now.en}; the objective wants ${r.en}`, `${now.zh}，目标要求${r.zh}`));
  }
  if (p.watching !== undefined) {
    const now = c.watching ? { en: `${who.en} is watching keys (WATCH)`, zh: `${who.zh} 正在 WATCH 键` } : { en: `${who.en} is not watching any key`, zh: `${who.zh} 没有 WATCH 任何键` };
    if (c.watching === p.watching) parts.push({ ok: true, why: now });
    else if (p.watching) parts.push(fail(`${now.en}; the objective wants a WATCH`, `${now.zh}，目标要求先执行 WATCH`));
    else parts.push(fail(`${now.en}; the objective wants no WATCH in force`, `${now.zh}，目标要求没有生效的 WATCH`));
  }
  if (parts.length === 0) return pass(`${who.en} is connected`, `${who.zh} 已连接`);
  const failing = parts.filter((v) => !v.ok);
  // Failing parts only, when there are any: they are what the learner has to change.
  return { ok: failing.length === 0, why: joinWhy((failing.length ? failing : parts).map((v) => v.why), '; ', '；') };
}

const REPLY_EN: Record<string, string> = {
  ok: 'OK', error: 'an error', nil: 'nil', integer: 'an integer', string: 'a string', array: 'an array', queued: 'QUEUED',
};
const REPLY_ZH: Record<string, string> = {
  ok: 'OK', error: '错误', nil: 'nil', integer: '整数', string: '字符串', array: '数组', queued: 'QUEUED',
};

function times(n: number): Why {
  return { en: n === 0 ? 'not yet' : n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`, zh: n === 0 ? '还没有' : `${n} 次` };
}

function evalRan(p: RanPredicate, journal: readonly JournalEntry[]): Verdict {
  const wantArgs = p.args?.map(utf8ToBinary);
  const matchesBase = (e: JournalEntry) =>
    e.name === p.command && (p.client === undefined || e.client === p.client)
    && (!wantArgs || wantArgs.every((a, i) => commandArgs(e)[i] === a));
  const base = journal.filter(matchesBase);
  const matched = p.reply === undefined ? base : base.filter((e) => e.reply === p.reply);
  const range: NumberRange = p.times ?? { min: 1 };
  const cmd = [p.command.toUpperCase().replace('|', ' '), ...(p.args ?? [])].join(' ');
  const by = p.client === undefined ? { en: '', zh: '' } : { en: ` in client ${p.client}`, zh: `在客户端 ${p.client} 中` };
  const reply = p.reply === undefined ? { en: '', zh: '' } : { en: ` replying ${REPLY_EN[p.reply]}`, zh: `并返回${REPLY_ZH[p.reply]}` };
  const t = times(matched.length);
  const now = matched.length === 0
    ? { en: `\`${cmd}\`${reply.en} has not run${by.en} yet`, zh: `还没有${by.zh}执行过 \`${cmd}\`${reply.zh}` }
    : { en: `\`${cmd}\`${reply.en} ran ${t.en}${by.en}`, zh: `${by.zh}执行 \`${cmd}\`${reply.zh}已有 ${t.zh}` };
  if (inRange(matched.length, range)) return pass(now.en, now.zh);
  const r = rangeText(range);
  const wanted = typeof range === 'object' && range.min === 1 && range.max === undefined
    ? { en: '', zh: '' } : { en: `; the objective wants ${r.en} time(s)`, zh: `，目标要求${r.zh}次` };
  let en = now.en + wanted.en;
  let zh = now.zh + wanted.zh;
  // It ran, but replied otherwise: say what it replied (EXEC that went through instead of failing).
  const other = base.filter((e) => e.reply !== p.reply);
  if (p.reply !== undefined && matched.length === 0 && other.length > 0) {
    const last = other[other.length - 1].reply;
    en += ` (it ran ${times(other.length).en} but replied ${REPLY_EN[last]})`;
    zh += `（执行了 ${times(other.length).zh}，但返回的是${REPLY_ZH[last]}）`;
  }
  if (p.command === 'exec' && p.reply === 'nil' && matched.length === 0) {
    en += ': EXEC fails (nil) only when a key it WATCHes changed after the WATCH: run WATCH, change the key from another client, then EXEC';
    zh += '：只有 WATCH 之后被监视的键被改动，EXEC 才会失败（返回 nil）：先 WATCH，再从另一个客户端修改这个键，然后 EXEC';
  }
  return fail(en, zh);
}
