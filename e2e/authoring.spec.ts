// The lesson authoring view: the monaco editor loads (lazily, bundled, no CDN), a schema error in
// the lesson's JSON shows in the problems list and as a marker in the editor, fixing it brings the
// live preview up to date, Export downloads a valid lesson file, imported files land in "My
// lessons" (a bad one is refused with the reason) where the lesson opens and plays like a built-in
// one; the view is keyboard reachable and Escape closes it; and it all works offline after the
// first visit.
import { readFile } from 'node:fs/promises';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { Lesson } from '../src/lessons/schema.ts';
import { openApp, TerminalDriver } from './support/terminal.ts';

function sidebar(page: Page): Locator {
  return page.getByRole('complementary', { name: 'Lessons' });
}

function dialog(page: Page): Locator {
  return page.getByRole('dialog', { name: 'Lesson authoring' });
}

function problems(page: Page): Locator {
  return page.getByTestId('authoring-problems');
}

function preview(page: Page): Locator {
  return page.getByTestId('authoring-preview');
}

async function openAuthoring(page: Page): Promise<void> {
  await sidebar(page).getByRole('button', { name: 'Author lessons' }).click();
  await expect(dialog(page)).toBeVisible();
  await expect(dialog(page).locator('.monaco-editor')).toBeVisible({ timeout: 15_000 });
}

/**
 * Replaces the editor's whole text with a lesson: select all, delete, then the lesson's JSON on one
 * line arrives as input (as an IME gives text: keystroke by keystroke, monaco would auto-close
 * brackets and quotes, and each new line would be auto-indented), then the Format button indents it.
 */
async function setEditorLesson(page: Page, lesson: Record<string, unknown>): Promise<void> {
  await dialog(page).locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(JSON.stringify(lesson));
  await dialog(page).getByRole('button', { name: 'Format' }).click();
  await expect(dialog(page).locator('.monaco-editor .view-lines')).toContainText('"solution": [');
  await dialog(page).locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('ControlOrMeta+Home');
  await expect(dialog(page).locator('.monaco-editor .view-lines')).toContainText('"title": {');
}

/** The template lesson, renamed and retitled, as the author might write it. */
function authoredLesson(change: (l: Record<string, unknown>) => void = () => {}): Record<string, unknown> {
  const lesson: Record<string, unknown> = {
    id: 'counting-visits',
    chapter: 'basics',
    order: 42,
    title: { en: 'Counting visits', zh: '统计访问次数' },
    summary: { en: 'Count with INCR.', zh: '用 INCR 计数。' },
    setup: { commands: ['SET visits 0'] },
    text: { en: ['Run this:', '', '```redis', 'GET visits', '```'], zh: ['运行：', '', '```redis', 'GET visits', '```'] },
    steps: [{
      id: 'count',
      text: { en: 'Add one to `visits`.', zh: '把 `visits` 加一。' },
      objectives: [{ text: { en: '`visits` is 1', zh: '`visits` 是 1' }, check: { kind: 'key', key: 'visits', value: { number: 1 } } }],
      hints: [{ en: 'INCR', zh: 'INCR' }],
      solution: ['INCR visits'],
    }],
  };
  change(lesson);
  return lesson;
}

test('write a lesson: schema error shown and fixed, live preview, export, import into My lessons, play it', async ({ page }) => {
  test.setTimeout(120_000);
  const t = await openApp(page);
  await openAuthoring(page);

  // It starts from the new-lesson template: valid, previewed.
  await expect(problems(page)).toContainText('No problems: the lesson is valid.');
  await expect(preview(page).locator('.lesson-title')).toHaveText('My first lesson');
  await expect(preview(page).locator('.lesson-snippet')).toHaveCount(1);

  // A schema error: the problems list names where and what, monaco marks it, the preview waits.
  await setEditorLesson(page, authoredLesson((l) => { l.order = 'forty-two'; }));
  const orderProblem = problems(page).locator('li[data-path="order"]');
  await expect(orderProblem).toContainText('expected number, received string');
  await expect(orderProblem).toHaveAttribute('data-severity', 'error');
  await expect(orderProblem).toContainText('line 4, column 3');
  await expect(dialog(page).locator('.monaco-editor .squiggly-error').first()).toBeAttached({ timeout: 15_000 });
  await expect(preview(page)).toContainText('the preview shows the last version that did');
  await expect(preview(page).locator('.lesson-title')).toHaveText('My first lesson');
  // Clicking the problem selects it in the editor.
  await orderProblem.getByRole('button').click();
  await expect(dialog(page).locator('.monaco-editor .selected-text').first()).toBeAttached();
  // Saving is refused while there are errors.
  await dialog(page).getByRole('button', { name: 'Save to My lessons' }).click();
  await expect(page.getByTestId('authoring-status')).toHaveText('Fix the errors first: a lesson with errors cannot be saved.');

  // Fixed: no problems, the marker goes, the preview follows the text.
  await setEditorLesson(page, authoredLesson());
  await expect(problems(page)).toContainText('No problems');
  await expect(dialog(page).locator('.monaco-editor .squiggly-error')).toHaveCount(0, { timeout: 15_000 });
  await expect(preview(page).locator('.lesson-title')).toHaveText('Counting visits');
  await expect(preview(page)).not.toContainText('the last version that did');
  await expect(preview(page).locator('.lesson-objectives')).toContainText('visits is 1');
  // A keystroke edit in the title: the preview follows again.
  await dialog(page).locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('ControlOrMeta+F');
  await page.keyboard.type('Counting visits');
  await page.keyboard.press('Escape'); // closes monaco's find widget, not the dialog
  await expect(dialog(page)).toBeVisible();
  await page.keyboard.press('ArrowRight'); // the end of the match found
  await page.keyboard.type(' again');
  await expect(preview(page).locator('.lesson-title')).toHaveText('Counting visits again');
  // The preview in the other language.
  await preview(page).getByRole('radio', { name: '中文' }).check();
  await expect(preview(page).locator('.lesson-title')).toHaveText('统计访问次数');

  // Export: a file the lesson format accepts.
  const downloading = page.waitForEvent('download');
  await dialog(page).getByRole('button', { name: 'Export file' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('42-counting-visits.json');
  const exported = await readFile(await download.path(), 'utf8');
  const parsed = Lesson.safeParse(JSON.parse(exported));
  expect(parsed.success).toBe(true);
  expect(parsed.data?.title.en).toBe('Counting visits again');

  // Saved to My lessons (Ctrl+S in the editor does the same).
  await dialog(page).getByRole('button', { name: 'Save to My lessons' }).click();
  await expect(page.getByTestId('authoring-status')).toHaveText('Saved “counting-visits” to My lessons.');

  // Import two files: the exported lesson under another id, and a bad one refused with the reason.
  const goodText = exported.replace('"id": "counting-visits"', '"id": "imported-visits"').replace('Counting visits again', 'Imported visits');
  await page.getByTestId('authoring-import-file').setInputFiles([
    { name: 'imported.json', mimeType: 'application/json', buffer: Buffer.from(goodText) },
    { name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(authoredLesson((l) => { l.id = 'first-keys'; }))) },
  ]);
  const result = page.getByTestId('authoring-import-result');
  await expect(result).toContainText('Imported 1 lesson: imported-visits.');
  await expect(result.locator('[data-file="bad.json"]')).toContainText('bad.json was not imported');
  await expect(result.locator('[data-file="bad.json"]')).toContainText("'first-keys' is the id of a built-in lesson");

  // Escape closes the view (the focus is on a button of the dialog, not in the editor).
  await dialog(page).getByRole('button', { name: 'Export file' }).focus();
  await page.keyboard.press('Escape');
  await expect(dialog(page)).toHaveCount(0);

  // "My lessons" lists the imported lesson; it opens and plays like a built-in one.
  const mine = sidebar(page).getByTestId('my-lessons');
  const item = mine.locator('li[data-lesson="imported-visits"]');
  await expect(item).toContainText('Imported visits');
  await expect(mine.locator('li[data-lesson="counting-visits"]')).toContainText('Counting visits again');
  await item.getByRole('button', { name: 'Open your lesson Imported visits' }).click();
  const article = sidebar(page).locator('article.lesson');
  await expect(article).toHaveAttribute('data-lesson', 'imported-visits');
  await t.idle();
  await t.run('GET visits');
  expect(await t.outputOf('GET visits')).toEqual(['"0"']);
  await t.run('INCR visits');
  await expect(article).toHaveAttribute('data-finished', 'true');

  // Still there after a reload, and the lesson still runs.
  await page.reload();
  const again = new TerminalDriver(page, 'client 1');
  await again.idle();
  await expect(sidebar(page).locator('article.lesson')).toHaveAttribute('data-lesson', 'imported-visits');
  await sidebar(page).getByRole('button', { name: 'All lessons' }).click();
  await expect(sidebar(page).getByTestId('my-lessons').locator('li[data-lesson="imported-visits"]')).toContainText('solved');
});

test('keyboard: a copy of a built-in lesson, Escape closes the view from the editor, the draft is kept, Chinese problems', async ({ page }) => {
  await openApp(page);
  const button = sidebar(page).getByRole('button', { name: 'Author lessons' });
  await button.focus();
  await page.keyboard.press('Enter');
  await expect(dialog(page).locator('.monaco-editor')).toBeVisible({ timeout: 15_000 });
  // Start from a copy of a built-in lesson, by keyboard.
  const startFrom = dialog(page).getByRole('combobox', { name: /^Start from a built-in lesson/ });
  await startFrom.focus();
  await startFrom.selectOption('builtin:first-keys');
  await page.keyboard.press('Tab');
  await expect(dialog(page).getByRole('button', { name: 'Copy', exact: true })).toBeFocused();
  await page.keyboard.press('Enter');
  // Its id is the built-in lesson's: the problems list says so, saving is refused, the preview shows it.
  const clash = problems(page).locator('li[data-path="id"]');
  await expect(clash).toContainText("'first-keys' is the id of a built-in lesson");
  await expect(clash).toContainText('line 2, column 3');
  await expect(preview(page).locator('.lesson-title')).toHaveText('What Redis is: your first keys');
  await expect(preview(page).locator('.lesson-step')).toHaveCount(3);
  await dialog(page).getByRole('button', { name: 'Save to My lessons' }).click();
  await expect(page.getByTestId('authoring-status')).toHaveText('Fix the errors first: a lesson with errors cannot be saved.');
  // Escape with the focus in the editor closes the view; the focus goes back to the button.
  await dialog(page).locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('Escape');
  await expect(dialog(page)).toHaveCount(0);
  await expect(button).toBeFocused();

  // Chinese: the problem is explained in Chinese; the draft came back as it was left.
  await page.getByTestId('language-select').selectOption('zh');
  await page.getByRole('complementary', { name: '课程' }).getByRole('button', { name: '编写课程' }).click();
  const zhDialog = page.getByRole('dialog', { name: '课程编写' });
  await expect(zhDialog.locator('.monaco-editor')).toBeVisible({ timeout: 15_000 });
  await expect(problems(page).locator('li[data-path="id"]')).toContainText("'first-keys' 是内置课程");
  await expect(problems(page).locator('li[data-path="id"]')).toContainText('错误');
  await zhDialog.getByRole('button', { name: '关闭课程编写视图（Esc）' }).click();
  await expect(zhDialog).toHaveCount(0);
});

interface SwGlobals { navigator: { serviceWorker: { ready: Promise<unknown>; controller: object | null } } }

test('the editor works offline after the first visit (never opened before going offline)', async ({ page, context }) => {
  test.setTimeout(90_000);
  await openApp(page);
  await page.evaluate(() => (globalThis as unknown as SwGlobals).navigator.serviceWorker.ready);
  await expect.poll(() => page.evaluate(() => (globalThis as unknown as SwGlobals).navigator.serviceWorker.controller !== null)).toBe(true);
  await expect(page.getByTestId('pwa-offline-ready')).toBeVisible({ timeout: 30_000 });

  await context.setOffline(true);
  await page.reload();
  await new TerminalDriver(page, 'client 1').idle();
  await openAuthoring(page);
  await expect(problems(page)).toContainText('No problems');
  // Both workers run offline: the JSON schema check marks an error, and the view's own check lists it.
  await setEditorLesson(page, authoredLesson((l) => { l.title = { en: 7, zh: '七' }; }));
  await expect(problems(page).locator('li[data-path="title.en"]')).toContainText('text is a string or an array of lines');
  await expect(dialog(page).locator('.monaco-editor .squiggly-error').first()).toBeAttached({ timeout: 15_000 });
  await setEditorLesson(page, authoredLesson());
  await expect(preview(page).locator('.lesson-title')).toHaveText('Counting visits');
});
