// Lesson text: Markdown given as a string or an array of lines, in English and Chinese.
import type { L10n, Text } from './schema.ts';

export type LessonLanguage = 'en' | 'zh';

/** A Text as one Markdown string (an array's lines joined with "\n"). */
export function textString(text: Text): string {
  return typeof text === 'string' ? text : text.join('\n');
}

/** The text in `lang` (English when that language's text is empty). */
export function localize(text: L10n, lang: LessonLanguage): string {
  const s = textString(text[lang]);
  return s === '' && lang !== 'en' ? textString(text.en) : s;
}

/** A `redis` fenced code block's commands: one per non-empty line. */
export interface Snippet {
  /** The command lines, in order. */
  commands: string[];
}

/** The runnable snippets (```redis fenced blocks) in a Markdown text, in order. */
export function redisSnippets(markdown: string): Snippet[] {
  const out: Snippet[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^\s*(`{3,}|~{3,})\s*redis\s*$/.exec(lines[i]);
    if (!open) continue;
    const fence = open[1];
    const commands: string[] = [];
    for (i++; i < lines.length && !lines[i].trim().startsWith(fence); i++) {
      if (lines[i].trim() !== '') commands.push(lines[i].trim());
    }
    out.push({ commands });
  }
  return out;
}
