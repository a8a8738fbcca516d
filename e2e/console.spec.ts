import { expect, test } from '@playwright/test';
import { openApp } from './support/terminal.ts';

test('the engine answers from its Web Worker in a redis-cli terminal', async ({ page }) => {
  const t = await openApp(page);
  await expect(page.getByTestId('engine-status')).toContainText('Redis 7.0.15');
  await t.run('PING');
  await t.run('ECHO "hello world"');
  await t.run('NOSUCH cmd');
  expect(await t.lines()).toEqual([
    '127.0.0.1:6379> PING', 'PONG',
    '127.0.0.1:6379> ECHO "hello world"', '"hello world"',
    '127.0.0.1:6379> NOSUCH cmd', "(error) ERR unknown command 'NOSUCH', with args beginning with: 'cmd' ",
    '127.0.0.1:6379> ',
  ]);
  // What the user sees: xterm's rows on screen.
  await expect(t.rows).toContainText('"hello world"');
});
