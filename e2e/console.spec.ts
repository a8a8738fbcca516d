import { expect, test } from '@playwright/test';

test('the engine answers from its Web Worker', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('engine-status')).toContainText('Redis 7.0.15');
  const input = page.getByLabel('127.0.0.1:6379>');
  await input.fill('PING');
  await input.press('Enter');
  await expect(page.getByTestId('transcript')).toContainText('PONG');
  await input.fill('ECHO "hello world"');
  await input.press('Enter');
  await expect(page.getByTestId('transcript')).toContainText('"hello world"');
  await input.fill('NOSUCH cmd');
  await input.press('Enter');
  await expect(page.getByTestId('transcript')).toContainText("(error) ERR unknown command 'NOSUCH', with args beginning with: 'cmd'");
});
