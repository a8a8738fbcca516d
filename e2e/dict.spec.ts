// The dict panel, driven from the terminal: the keyspace's tables growing past a power of two (two
// tables and a rehashidx that operations move on, until the cron finishes the rehash), the dict of
// a hash key once it leaves listpack encoding (its chains), and the SCAN walker's cursor.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { openApp, type TerminalDriver } from './support/terminal.ts';

function panel(page: Page): Locator {
  return page.getByTestId('dict-panel');
}

async function openDictPanel(page: Page): Promise<TerminalDriver> {
  const t = await openApp(page);
  await page.getByRole('tab', { name: 'Dict' }).click();
  await expect(panel(page)).toBeVisible();
  return t;
}

async function rehashidx(page: Page): Promise<number> {
  return Number(await panel(page).getAttribute('data-rehashidx'));
}

test('growing the keyspace past 1024 keys: two tables, rehashidx moved by lookups, then by the cron', async ({ page }) => {
  test.setTimeout(90_000);
  const t = await openDictPanel(page);
  // Only operations move buckets until the cron is allowed to help.
  await t.run('CONFIG SET activerehashing no');
  await t.run('DEBUG POPULATE 1024');
  await expect(panel(page)).toHaveAttribute('data-tables', '1');
  await expect(panel(page)).toHaveAttribute('data-rehashidx', '-1');
  await expect(panel(page).getByTestId('dict-ht0')).toHaveAttribute('data-size', '1024');
  await expect(panel(page).getByTestId('dict-ht0')).toHaveAttribute('data-used', '1024');
  await expect(panel(page).getByTestId('dict-ht1-absent')).toBeVisible();
  // A big table: chains for a window of buckets only, and the occupancy bar over all of them.
  await expect(panel(page).getByTestId('dict-ht0').locator('li.dict-bucket')).toHaveCount(32);
  await expect(panel(page).getByTestId('dict-overview-0')).toBeVisible();

  // The 1025th key: used == size, load factor 1: ht[1] of 2048 buckets. The same SET then looks
  // the key up again (removeExpire's dictFind), which moves the first bucket: rehashidx > 0.
  await t.run('SET one-more x');
  await expect(panel(page)).toHaveAttribute('data-tables', '2');
  await expect.poll(() => rehashidx(page)).toBeGreaterThan(0);
  await expect(panel(page).getByTestId('dict-ht1')).toHaveAttribute('data-size', '2048');
  const resize = panel(page).getByTestId('dict-resize');
  await expect(resize).toHaveAttribute('data-reason', 'grow');
  await expect(resize).toContainText('Grew 1024 → 2048 buckets: an insert found 1024 entries in 1024 buckets, load factor 1.00 ≥ 1.');
  await expect(resize).toContainText('Decided by _dictExpandIfNeeded.');
  // Each lookup moves one bucket (and skips empty ones): rehashidx only goes up.
  let last = await rehashidx(page);
  for (let i = 0; i < 4; i++) {
    await t.run('EXISTS one-more');
    await expect.poll(() => rehashidx(page)).toBeGreaterThan(last);
    last = await rehashidx(page);
  }
  await expect(panel(page).getByTestId('dict-log')).toContainText('_dictRehashStep after a lookup');
  await expect(panel(page).locator('[data-step="step"]')).toHaveAttribute('aria-current', 'step');
  await expect(panel(page).getByTestId('dict-rehashidx-marker')).toContainText(`rehashidx ${last}`);
  // Buckets below rehashidx are empty in ht[0]: they moved.
  const moved = await panel(page).getByTestId('dict-ht0').locator('li.dict-done').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-length')));
  expect(moved.length).toBeGreaterThan(0);
  expect(new Set(moved)).toEqual(new Set(['0']));

  // The cron finishes the job.
  await t.run('CONFIG SET activerehashing yes');
  await expect(panel(page)).toHaveAttribute('data-rehashidx', '-1', { timeout: 20_000 });
  await expect(panel(page)).toHaveAttribute('data-tables', '1');
  await expect(panel(page).getByTestId('dict-ht0')).toHaveAttribute('data-size', '2048');
  await expect(panel(page).getByTestId('dict-ht0')).toHaveAttribute('data-used', '1025');
  await expect(panel(page).getByTestId('dict-log')).toContainText('Rehash finished');
});

test('a hash key: listpack says which setting to pass, then its dict\'s chains appear', async ({ page }) => {
  const t = await openDictPanel(page);
  await t.run('CONFIG SET hash-max-listpack-entries 4');
  await t.run('HSET user a 1 b 2 c 3');
  await panel(page).getByLabel('Focused key').check();
  const notDict = panel(page).getByTestId('dict-not-dict');
  await expect(notDict).toContainText('user is a hash in listpack encoding');
  await expect(notDict.locator('[data-config="hash-max-listpack-entries"]')).toHaveAttribute('data-value', '4');

  await t.run('HSET user d 4 e 5');
  await expect(panel(page)).toHaveAttribute('data-encoding', 'hashtable');
  await expect(panel(page)).toHaveAttribute('data-tables', '1');
  const ht0 = panel(page).getByTestId('dict-ht0');
  // hashTypeConvert presizes it for the listpack's entries; the fifth add grows it 4 -> 8 (a rehash of 4 buckets).
  const lengths = await ht0.locator('li.dict-bucket').evaluateAll((lis) => lis.map((li) => Number(li.getAttribute('data-length'))));
  expect(lengths.reduce((a, b) => a + b, 0)).toBe(5);
  expect([4, 8]).toContain(lengths.length);
  const fields = await ht0.locator('.dict-entry').evaluateAll((els) => els.map((e) => e.getAttribute('data-key')));
  expect(fields.length).toBeGreaterThan(0);
  for (const f of fields) expect(['a', 'b', 'c', 'd', 'e']).toContain(f);
  await expect(panel(page).getByTestId('dict-resize')).toHaveAttribute('data-reason', /expand|grow/);
});

test('the SCAN walker: the cursor advances in reverse-binary order, also across a resize', async ({ page }) => {
  const t = await openDictPanel(page);
  await t.run('CONFIG SET activerehashing no');
  await t.run('DEBUG POPULATE 64');
  await expect(panel(page).getByTestId('dict-ht0')).toHaveAttribute('data-size', '64');
  const cursor = panel(page).getByTestId('dict-scan-cursor');
  const runButton = panel(page).getByTestId('dict-scan-run');
  await expect(cursor).toHaveAttribute('data-cursor', '0');
  await expect(runButton).toHaveText('Run SCAN 0 COUNT 1');
  // A small table shows SCAN's whole visiting order: 0 32 16 48 8 ...
  await expect(panel(page).locator('.dict-scan-order-line')).toContainText('0 32 16 48 8 40 24 56 4');
  await runButton.click();
  await expect(panel(page).getByTestId('dict-scan-result')).toContainText('SCAN 0 → cursor');
  await expect(cursor).not.toHaveAttribute('data-cursor', '0');
  await expect(panel(page).locator('li.dict-scanned').first()).toBeVisible();

  // Grow to 128 buckets (65th key) and walk from the start: one call visits bucket 0 of the small
  // table, then buckets 0 and 64 of the big one, and goes on at cursor 32.
  await t.run('SET one-more x');
  await expect(panel(page)).toHaveAttribute('data-tables', '2');
  await panel(page).getByRole('button', { name: 'Start over' }).click();
  await expect(cursor).toHaveAttribute('data-cursor', '0');
  await runButton.click();
  await expect(panel(page).getByTestId('dict-scan-result')).toContainText('ht[0] 0, ht[1] 0, ht[1] 64');
  // And all the way: every key comes back.
  await panel(page).getByLabel('COUNT').fill('1000');
  await panel(page).getByTestId('dict-scan-run').click();
  await expect(panel(page).getByTestId('dict-scan-done')).toContainText('the walk is complete');
  await expect(cursor).toHaveAttribute('data-cursor', '0');
});

test('100,000 keys: a summary bar over every bucket and chains for a window only; the window moves', async ({ page }) => {
  test.setTimeout(120_000);
  const t = await openDictPanel(page);
  await t.run('DEBUG POPULATE 100000');
  const ht0 = panel(page).getByTestId('dict-ht0');
  await expect(ht0).toHaveAttribute('data-size', '131072', { timeout: 30_000 });
  await expect(ht0).toHaveAttribute('data-used', '100000');
  await expect(ht0.locator('li.dict-bucket')).toHaveCount(32);
  await expect(panel(page).getByTestId('dict-overview-0').locator('rect.dict-group')).toHaveCount(128);
  await expect(ht0).toContainText('Buckets 0–31 of 131,072; the bar sums up all buckets in groups of 1,024.');
  await ht0.getByRole('button', { name: 'Later buckets' }).click();
  await expect(ht0).toHaveAttribute('data-window-start', '32');
  await expect(ht0.locator('li.dict-bucket').first()).toHaveAttribute('data-bucket', '32');
  // Near the end of the table, picked on the bar.
  const bar = panel(page).getByTestId('dict-overview-0');
  const box = (await bar.boundingBox())!;
  await bar.click({ position: { x: box.width * 0.99, y: box.height / 2 } });
  await expect.poll(async () => Number(await ht0.getAttribute('data-window-start'))).toBeGreaterThan(0.97 * 131072);
  const start = Number(await ht0.getAttribute('data-window-start'));
  await expect(ht0.locator('li.dict-bucket').first()).toHaveAttribute('data-bucket', String(start));
  // Keyboard too: the bar is a slider, arrows move the window by its size.
  await bar.press('ArrowRight');
  await expect(ht0).toHaveAttribute('data-window-start', String(Math.min(131072 - 32, start + 32)));
  // The page still answers: a command runs and the panel follows it.
  await t.run('SET one-more x');
  await expect(ht0).toHaveAttribute('data-used', '100001');
});

test('the panel speaks Chinese too, at projector size in the dark theme', async ({ page }) => {
  const t = await openDictPanel(page);
  await t.run('CONFIG SET activerehashing no');
  await t.run('DEBUG POPULATE 8');
  await t.run('SET one-more x');
  await page.getByTestId('language-select').selectOption('zh');
  await page.getByTestId('theme-select').selectOption('dark');
  await page.getByTestId('text-size-select').selectOption('projector');
  await expect(page.getByRole('tab', { name: '字典' })).toBeVisible();
  await expect(panel(page).getByRole('heading', { name: '哈希表（dict）' })).toBeVisible();
  await expect.poll(() => rehashidx(page)).toBeGreaterThan(0);
  const idx = await rehashidx(page);
  await expect(panel(page).getByTestId('dict-summary')).toContainText(`正在渐进式 rehash：rehashidx = ${idx}`);
  await expect(panel(page).getByTestId('dict-resize')).toContainText('从 8 扩容到 16 个桶');
  await expect(panel(page).locator('[data-step="step"]')).toContainText('_dictRehashStep');
  await expect(panel(page).getByTestId('dict-scan-run')).toHaveText('执行 SCAN 0 COUNT 1');
});
