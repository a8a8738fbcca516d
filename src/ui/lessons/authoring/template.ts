// What the authoring view starts from: a small lesson that is valid as it is (one step, one
// objective, hints, a solution), or a copy of a built-in lesson as its file has it.
import { bundledSources } from '../../../lessons/catalog.ts';

const NEW_LESSON = {
  id: 'my-first-lesson',
  chapter: 'basics',
  order: 100,
  title: { en: 'My first lesson', zh: '我的第一节课' },
  summary: {
    en: 'One sentence or two for the chapter list: what the learner does here.',
    zh: '在课程列表里显示的一两句话：学习者在这节课里做什么。',
  },
  panel: 'keyspace',
  setup: { seed: 1, commands: ['SET visits 0'] },
  text: {
    en: [
      'The lesson’s explanation, in **Markdown**. A `redis` code block is a runnable snippet:',
      '',
      '```redis',
      'GET visits',
      '```',
    ],
    zh: [
      '课程的讲解，使用 **Markdown**。`redis` 代码块是可以运行的片段：',
      '',
      '```redis',
      'GET visits',
      '```',
    ],
  },
  steps: [
    {
      id: 'count-a-visit',
      text: { en: 'Add one to `visits`.', zh: '把 `visits` 加一。' },
      objectives: [
        {
          text: { en: '`visits` is 1', zh: '`visits` 的值是 1' },
          check: { kind: 'key', key: 'visits', type: 'string', value: { number: 1 } },
        },
      ],
      hints: [
        { en: 'One command adds one to a number.', zh: '有一条命令专门把数字加一。' },
        { en: '`INCR visits`', zh: '`INCR visits`' },
      ],
      solution: ['INCR visits'],
    },
  ],
};

export function newLessonSource(): string {
  return JSON.stringify(NEW_LESSON, null, 2) + '\n';
}

/** The built-in lesson files as their JSON, by lesson id. */
export function builtinLessonSource(id: string): string | null {
  for (const { data } of bundledSources().lessons) {
    if (data && typeof data === 'object' && (data as { id?: unknown }).id === id) return JSON.stringify(data, null, 2) + '\n';
  }
  return null;
}
