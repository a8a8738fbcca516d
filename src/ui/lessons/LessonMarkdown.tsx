// Lesson text: Markdown rendered by react-markdown, safely (raw HTML is dropped, link targets go
// through its URL filter, links open outside the app). A fenced code block in the `redis` language
// is a runnable snippet: its commands with Paste and Run buttons (into the focused terminal).
import type { Element, ElementContent } from 'hast';
import Markdown, { type Components } from 'react-markdown';
import { useTranslation } from '../i18n/index.ts';
import { pasteIntoTerminal, runInTerminal } from './terminalActions.ts';

function textOf(nodes: readonly ElementContent[]): string {
  return nodes.map((n) => (n.type === 'text' ? n.value : n.type === 'element' ? textOf(n.children) : '')).join('');
}

/** The `redis` code element a <pre> wraps, if it is one. */
function redisCode(pre: Element | undefined): string | null {
  const code = pre?.children.find((c): c is Element => c.type === 'element' && c.tagName === 'code');
  const classes = code?.properties?.className;
  if (!code || !Array.isArray(classes) || !classes.includes('language-redis')) return null;
  return textOf(code.children);
}

export function RedisSnippet({ source }: { source: string }) {
  const { t } = useTranslation();
  const commands = source.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const all = commands.join('\n');
  return (
    <div className="lesson-snippet" data-snippet={all}>
      <pre><code>{commands.join('\n')}</code></pre>
      <div className="lesson-snippet-actions">
        <button type="button" onClick={() => pasteIntoTerminal(all)} aria-label={t('lessons.snippet.pasteLabel', { command: all })}>
          {t('lessons.snippet.paste')}
        </button>
        <button type="button" onClick={() => runInTerminal(commands)} aria-label={t('lessons.snippet.runLabel', { command: all })}>
          {t('lessons.snippet.run')}
        </button>
      </div>
    </div>
  );
}

const components: Components = {
  pre({ node, children }) {
    const source = redisCode(node);
    return source === null ? <pre>{children}</pre> : <RedisSnippet source={source} />;
  },
  a({ href, children }) {
    return <a href={href} target="_blank" rel="noopener noreferrer">{children}</a>;
  },
};

export function LessonMarkdown({ text, className }: { text: string; className?: string }) {
  return (
    <div className={className}>
      <Markdown skipHtml components={components}>{text}</Markdown>
    </div>
  );
}
