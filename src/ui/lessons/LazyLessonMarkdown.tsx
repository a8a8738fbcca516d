// The lesson text renderer, loaded when a lesson is first shown: react-markdown and its parser
// stay out of the main bundle. Until it has loaded, the text shows as it is written.
import { lazy, Suspense, type ComponentProps } from 'react';

const Markdown = lazy(() => import('./LessonMarkdown.tsx').then((m) => ({ default: m.LessonMarkdown })));

type Props = ComponentProps<typeof Markdown>;

export function LessonMarkdown(props: Props) {
  return (
    <Suspense fallback={<div className={props.className} style={{ whiteSpace: 'pre-wrap' }}>{props.text}</div>}>
      <Markdown {...props} />
    </Suspense>
  );
}
