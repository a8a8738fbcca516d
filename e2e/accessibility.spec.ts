// Accessibility: axe-core's WCAG 2.1 A/AA rules find nothing on every view a learner reaches: the
// terminals, each panel with something drawn in it, a lesson, the authoring view and the dialogs,
// in the light and the dark theme, in English and Chinese, and at projector size.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { openApp } from './support/terminal.ts';

/** The violations of the page as it is now, one readable line each (empty: none). */
async function violations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

async function expectAccessible(page: Page, view: string): Promise<void> {
  expect(await violations(page), view).toEqual([]);
}

for (const theme of ['light', 'dark'] as const) {
  test(`${theme} theme: the terminals, every panel, a lesson and the authoring view`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme: theme });
    const t = await openApp(page);
    // Something for each panel to draw: a sorted set, a hash table, a TTL, a list.
    await t.run('ZADD board 10 ann 20 bob 30 cy');
    await t.run('DEBUG POPULATE 100');
    await t.run('SET session s EX 100');
    await t.run('RPUSH queue a b c');
    await expectAccessible(page, 'terminals');
    const tabs = await page.getByRole('tab').all();
    expect(tabs.length).toBeGreaterThanOrEqual(6);
    for (const tab of tabs) {
      await tab.click();
      await expect(tab).toHaveAttribute('aria-selected', 'true');
      await expectAccessible(page, `panel ${await tab.textContent()}`);
    }
    await page.getByRole('button', { name: 'Author lessons' }).click();
    const authoring = page.getByRole('dialog', { name: 'Lesson authoring' });
    await expect(authoring.locator('.monaco-editor')).toBeVisible({ timeout: 15_000 });
    await expect(authoring.getByTestId('authoring-preview')).toBeVisible();
    await expectAccessible(page, 'authoring view');
    await authoring.getByRole('button', { name: /Close the lesson authoring view/ }).click();
    await expect(authoring).toBeHidden();

    await t.run(':lesson open first-keys');
    await expect(page.locator('article.lesson')).toHaveAttribute('data-lesson', 'first-keys');
    await expectAccessible(page, 'lesson');
  });
}

test('Chinese at projector size: the lesson list, the world menu and the shortcuts dialog', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await openApp(page);
  await page.getByTestId('language-select').selectOption('zh');
  await page.getByTestId('text-size-select').selectOption('projector');
  await expect(page.locator('html')).toHaveAttribute('data-text-size', 'projector');
  await expectAccessible(page, 'zh, projector');
  await page.getByTestId('world-menu-button').click();
  await expect(page.getByTestId('world-save-state')).toBeVisible();
  await expectAccessible(page, 'world menu');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: /快捷键/ }).click();
  await expect(page.getByRole('dialog', { name: '键盘快捷键' })).toBeVisible();
  await expectAccessible(page, 'shortcuts dialog');
});
