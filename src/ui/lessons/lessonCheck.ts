// Checking a lesson written by hand (the authoring view) or read from a file (import): the JSON,
// the schema (src/lessons/schema.ts, the validation the catalog uses), the catalog's cross checks
// (src/lessons/catalog.ts: the chapter exists and is not "coming"), and what a lesson of one's own
// must not do: take a built-in lesson's id. Every problem names where it is (a path, and a line and
// column in the text) and says what is wrong in English and Chinese. Pure code: no DOM, no React.
import { bundledCatalog, bundledSources, readCatalog, type Catalog, type SourceFile } from '../../lessons/catalog.ts';
import { Lesson, schemaProblems } from '../../lessons/schema.ts';
import { jsonSpans, lineColumn, locate, parsePath } from './jsonLocate.ts';

/**
 * error: the lesson cannot be saved, played or imported. warning: it can be kept in "My lessons",
 * but the repository's lessons/ folder would refuse it as it is. info: worth knowing.
 */
export type Severity = 'error' | 'warning' | 'info';

/** Which check found it: JSON syntax, the schema, the catalog's cross checks, or the rules for one's own lessons. */
export type ProblemSource = 'json' | 'schema' | 'catalog' | 'mine';

export interface LessonProblem {
  severity: Severity;
  source: ProblemSource;
  /** Where in the lesson: "steps[0].objectives[1].check.kind", "(top level)", or "(JSON)". */
  path: string;
  message: { en: string; zh: string };
  /** 1-based position in the text, when known. */
  line?: number;
  column?: number;
  /** Offset and length in the text, when known. */
  offset?: number;
  length?: number;
}

export interface LessonCheck {
  /** The lesson, when it has no errors (warnings and infos allowed). */
  lesson: Lesson | null;
  /** The lesson as the schema reads it, even if other checks refuse it (what a preview can show). */
  parsed: Lesson | null;
  problems: LessonProblem[];
}

/** What a lesson is checked against: the chapters and the built-in lessons. */
export interface LessonContext {
  chapters: SourceFile;
  builtin: Catalog;
  /** Ids of the lessons in "My lessons" (saving one of these replaces it). */
  userIds?: ReadonlySet<string>;
  /** The id of the lesson of one's own being edited (replacing it is the point, not news). */
  editing?: string | null;
}

let bundled: LessonContext | null = null;

/** The app's context: the bundled chapters and lessons. */
export function bundledContext(): LessonContext {
  bundled ??= { chapters: bundledSources().chapters, builtin: bundledCatalog().catalog };
  return bundled;
}

/** The file a lesson would have in the repository: lessons/<chapter>/<nn>-<id>.json. */
export function lessonFileName(lesson: Pick<Lesson, 'id' | 'order'>): string {
  const nn = String(Math.max(0, Math.trunc(Number.isFinite(lesson.order) ? lesson.order : 0))).padStart(2, '0');
  return `${nn}-${lesson.id}.json`;
}

const severityRank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Checks a lesson's JSON text. */
export function checkLessonText(text: string, ctx: LessonContext): LessonCheck {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const reason = (e as Error).message;
    const at = /position (\d+)/.exec(reason);
    const offset = at ? Number(at[1]) : reason.includes('end of JSON') ? text.length : undefined;
    const where = offset === undefined ? {} : { ...lineColumn(text, offset), offset, length: 1 };
    return {
      lesson: null,
      parsed: null,
      problems: [{
        severity: 'error', source: 'json', path: '(JSON)', ...where,
        message: { en: `not valid JSON: ${reason}`, zh: `不是有效的 JSON：${reason}` },
      }],
    };
  }
  const result = checkLessonData(data, ctx);
  const spans = jsonSpans(text);
  for (const p of result.problems) {
    const span = locate(spans, parsePath(p.path));
    if (!span) continue;
    const offset = span.keyOffset ?? span.offset;
    Object.assign(p, lineColumn(text, offset), { offset, length: span.keyOffset !== undefined ? span.offset + span.length - span.keyOffset : span.length });
  }
  return result;
}

/** Checks a lesson already read from JSON. */
export function checkLessonData(data: unknown, ctx: LessonContext): LessonCheck {
  const parsed = Lesson.safeParse(data);
  if (!parsed.success) {
    return {
      lesson: null,
      parsed: null,
      problems: schemaProblems(parsed.error).map((p) => ({ severity: 'error', source: 'schema', path: p.path, message: bilingual(p.message) })),
    };
  }
  const lesson = parsed.data;
  const problems: LessonProblem[] = [];
  const builtin = ctx.builtin.byId.get(lesson.id);
  if (builtin) {
    problems.push({
      severity: 'error', source: 'mine', path: 'id',
      message: {
        en: `'${lesson.id}' is the id of a built-in lesson ("${textOf(builtin.title.en)}"): a lesson of your own needs an id of its own`,
        zh: `'${lesson.id}' 是内置课程（“${textOf(builtin.title.zh)}”）的 id：你自己的课程需要另取一个 id`,
      },
    });
  }
  // The catalog's own cross checks, as if the lesson were a file of the repository's lessons/.
  const file = `lessons/${lesson.chapter}/${lessonFileName(lesson)}`;
  for (const p of readCatalog(ctx.chapters, [{ file, data }]).problems) {
    if (p.file !== file) continue;
    problems.push({ severity: 'warning', source: 'catalog', path: p.path, message: bilingual(p.message) });
  }
  const sameOrder = ctx.builtin.lessons.find((l) => l.chapter === lesson.chapter && l.order === lesson.order && l.id !== lesson.id);
  if (sameOrder) {
    problems.push({
      severity: 'warning', source: 'catalog', path: 'order',
      message: {
        en: `${lesson.order} is also the order of the built-in lesson '${sameOrder.id}' in chapter '${lesson.chapter}'`,
        zh: `${lesson.order} 也是 '${lesson.chapter}' 章中内置课程 '${sameOrder.id}' 的顺序号`,
      },
    });
  }
  if (!builtin && ctx.userIds?.has(lesson.id) && ctx.editing !== lesson.id) {
    problems.push({
      severity: 'info', source: 'mine', path: 'id',
      message: {
        en: `"My lessons" already has a lesson '${lesson.id}': saving replaces it`,
        zh: `“我的课程”里已有课程 '${lesson.id}'：保存会替换它`,
      },
    });
  }
  problems.sort((a, b) => severityRank[a.severity] - severityRank[b.severity]);
  return { lesson: problems.some((p) => p.severity === 'error') ? null : lesson, parsed: lesson, problems };
}

function textOf(t: string | string[]): string {
  return typeof t === 'string' ? t : t.join(' ');
}

// --- the schema's and the catalog's messages, in Chinese ------------------------------------------

const TYPE_ZH: Record<string, string> = {
  string: '字符串', number: '数字', int: '整数', boolean: '布尔值', object: '对象', array: '数组',
  undefined: '缺失', null: 'null', bigint: 'bigint', nan: 'NaN', NaN: 'NaN',
};
const typeZh = (t: string) => TYPE_ZH[t] ?? t;
const UNIT_ZH: Record<string, string> = { items: '项', characters: '个字符', entries: '项' };

/** English message patterns (zod's own, then schema.ts's and catalog.ts's) and their Chinese. */
const PATTERNS: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^Invalid input: expected (\w+), received undefined$/, (m) => `缺少此项（应为${typeZh(m[1])}）`],
  [/^Invalid input: expected (\w+), received (\w+)$/, (m) => `类型不对：应为${typeZh(m[1])}，实际是${typeZh(m[2])}`],
  [/^Invalid input: expected (.+)$/, (m) => `取值不对：应为 ${m[1]}`],
  [/^Invalid option: expected one of (.+)$/, (m) => `取值不对：应为以下之一 ${m[1]}`],
  [/^Too small: expected (\w+) to have (>=|>|exactly )(\S+) (\w+)$/, (m) => `太少：${m[1] === 'string' ? '长度' : '数量'}应${m[2] === 'exactly ' ? '恰为' : m[2] === '>' ? '大于' : '至少为'} ${m[3]}${UNIT_ZH[m[4]] ?? ''}`],
  [/^Too small: expected (\w+) to be (>=|>|exactly )(\S+)$/, (m) => `太小：应${m[2] === 'exactly ' ? '恰为' : m[2] === '>' ? '大于' : '大于或等于'} ${m[3]}`],
  [/^Too big: expected (\w+) to have (<=|<|exactly )(\S+) (\w+)$/, (m) => `太多：${m[1] === 'string' ? '长度' : '数量'}应${m[2] === 'exactly ' ? '恰为' : m[2] === '<' ? '小于' : '至多为'} ${m[3]}${UNIT_ZH[m[4]] ?? ''}`],
  [/^Too big: expected (\w+) to be (<=|<|exactly )(\S+)$/, (m) => `太大：应${m[2] === 'exactly ' ? '恰为' : m[2] === '<' ? '小于' : '小于或等于'} ${m[3]}`],
  [/^Invalid string: must match pattern (.+)$/, (m) => `字符串格式不对：须匹配 ${m[1]}`],
  [/^Unrecognized keys?: (.+)$/, (m) => `无法识别的字段：${m[1]}（拼写错了吗？）`],
  [/^Invalid discriminator value\. Expected (.+)$/, (m) => `区分字段的取值不对：应为 ${m[1]}`],
  [/^Invalid input$/, () => '输入无效'],
  [/^is required: a string or an array of lines$/, () => '必填：一个字符串，或由若干行组成的数组'],
  [/^text is a string or an array of lines$/, () => '文本须为字符串，或由若干行组成的数组'],
  [/^must be kebab-case: lowercase letters, digits and single hyphens$/, () => '须为 kebab-case：小写字母、数字和单个连字符'],
  [/^must be a lowercase command name such as (.+) or (.+)$/, (m) => `须为小写的命令名，如 ${m[1]} 或 ${m[2]}`],
  [/^a range needs min, max or both$/, () => '范围需要 min、max 或两者都给'],
  [/^min must not exceed max$/, () => 'min 不能大于 max'],
  [/^a number range is a number \(exactly\) or (.+)$/, (m) => `数值范围是一个数（精确等于）或 ${m[1]}`],
  [/^a value match is one of (.+)$/, (m) => `值匹配须是以下之一：${m[1]}`],
  [/^a key that must not exist cannot also have a type, encoding, value, length or TTL$/, () => '要求不存在的键，不能同时要求类型、编码、值、长度或 TTL'],
  [/^kind must be one of (.+)$/, (m) => `kind 须是以下之一：${m[1]}`],
  [/^a command line must not be empty$/, () => '命令行不能为空'],
  [/^a solution line is a command line \(string\), (.+) or (.+)$/, (m) => `参考答案的每一行须是命令行（字符串）、${m[1]} 或 ${m[2]}`],
  [/^a step needs at least one objective$/, () => '每一步至少需要一个目标'],
  [/^a step needs a reference solution$/, () => '每一步都需要参考答案'],
  [/^a lesson needs at least one step$/, () => '一节课至少需要一步'],
  [/^step id '(.*)' is used twice$/, (m) => `步骤 id '${m[1]}' 用了两次`],
  [/^names client (\d+) but the lesson has (\d+) client\(s\)$/, (m) => `提到了客户端 ${m[1]}，但这节课只有 ${m[2]} 个客户端`],
  [/^client (\d+) but the lesson has (\d+) client\(s\)$/, (m) => `客户端 ${m[1]}，但这节课只有 ${m[2]} 个客户端`],
  [/^'(.*)' is not a chapter in (.+)$/, (m) => `'${m[1]}' 不是 ${m[2]} 里的章节`],
  [/^'(.*)' is marked 'coming' in (.+); make it 'ready' to give it lessons$/, (m) => `'${m[1]}' 在 ${m[2]} 里标为 'coming'（即将推出）；改为 'ready' 才能放入课程`],
];

/** A message of the schema or the catalog in both languages (Chinese where it is known; else the English). */
export function bilingual(en: string): { en: string; zh: string } {
  for (const [re, zh] of PATTERNS) {
    const m = re.exec(en);
    if (m) return { en, zh: zh(m) };
  }
  return { en, zh: en };
}
