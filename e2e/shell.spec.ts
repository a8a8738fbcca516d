// The app shell: language switch (live, kept), light and dark themes (page and terminals, kept,
// 'system' following the OS live), projector text size at 1280x720, the keyboard shortcuts
// dialog ("?" outside the terminal only, F1 from inside), and redis-cli's history in IndexedDB.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { addClient, openApp, TerminalDriver } from './support/terminal.ts';

/** A record of the app's IndexedDB database, read in the page (undefined when absent). */
async function savedRecord(page: Page, store: string, key: string): Promise<unknown> {
  return page.evaluate(([s, k]) => new Promise<unknown>((resolve, reject) => {
    interface Req<T> { result: T; onsuccess: (() => void) | null; onerror: (() => void) | null }
    interface Db { transaction(s: string): { objectStore(s: string): { get(k: string): Req<unknown> } }; close(): void }
    const idb = (globalThis as unknown as { indexedDB: { open(name: string): Req<Db> } }).indexedDB;
    const open = idb.open('rediscope');
    open.onerror = () => reject(new Error('cannot open the database'));
    open.onsuccess = () => {
      const db = open.result;
      const get = db.transaction(s).objectStore(s).get(k);
      get.onsuccess = () => { db.close(); resolve(get.result); };
      get.onerror = () => { db.close(); reject(new Error('cannot read')); };
    };
  }), [store, key] as const);
}

/** Waits until the saved settings have `expected`'s values (so a reload reads them from IndexedDB). */
async function settingsSaved(page: Page, expected: Record<string, string>): Promise<void> {
  await expect.poll(async () => ((await savedRecord(page, 'settings', 'ui')) as { state?: unknown } | undefined)?.state)
    .toMatchObject(expected);
}

/** A computed style of the first element `selector` matches (a locator, to pick one more precisely). */
async function style(page: Page, selector: string | Locator, property: string): Promise<string> {
  const target = typeof selector === 'string' ? page.locator(selector) : selector;
  return target.first().evaluate(
    (el, p) => (globalThis as unknown as { getComputedStyle(e: unknown): Record<string, string> }).getComputedStyle(el)[p],
    property,
  );
}

/** Moves the keyboard focus out of the terminal, to the page itself. */
async function focusPage(page: Page): Promise<void> {
  await page.locator('.app-header h1').click();
  expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { tagName: string } } }).document.activeElement.tagName)).toBe('BODY');
}

async function activeLabel(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const el = (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null; textContent: string | null } | null } }).document.activeElement;
    return el?.getAttribute('aria-label') ?? el?.textContent ?? null;
  });
}

test('the language switches live, terminal output stays as redis-cli prints it, and the choice is kept', async ({ page }) => {
  const t = await openApp(page);
  await t.run('PING');
  await expect(page.getByRole('button', { name: 'Add client' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Shortcuts (?)' })).toBeVisible();
  await expect(page.getByTestId('engine-status')).toContainText('compatible engine');

  await page.getByTestId('language-select').selectOption('zh');
  await expect(page.getByRole('button', { name: '添加客户端' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add client' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: '快捷键 (?)' })).toBeVisible();
  await expect(t.card.getByRole('button', { name: '显示线路数据' })).toBeVisible();
  await expect(t.card.getByRole('heading', { name: '客户端 1' })).toBeVisible();
  await expect(page.getByRole('textbox', { name: '客户端 1：redis-cli' })).toBeAttached();
  await expect(page.getByTestId('engine-status')).toContainText('兼容 Redis 7.0.15 的引擎');
  await expect(page.getByTestId('theme-select').locator('option:checked')).toHaveText('跟随系统');
  expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { lang: string } } }).document.documentElement.lang)).toBe('zh-CN');
  // What redis-cli prints is not translated.
  await t.run('ECHO 你好');
  expect(await t.lines()).toEqual(['127.0.0.1:6379> PING', 'PONG', '127.0.0.1:6379> ECHO 你好', '"\\xe4\\xbd\\xa0\\xe5\\xa5\\xbd"', '127.0.0.1:6379> ']);
  // Clients added now have translated names too, and the wire view speaks Chinese.
  const t2 = await addClientZh(page);
  await t2.card.getByRole('button', { name: '显示线路数据' }).click();
  await expect(t2.card.getByText('线路上的 RESP：→ 发送，← 接收')).toBeVisible();

  await settingsSaved(page, { language: 'zh' });
  await page.reload();
  await t.idle();
  await expect(page.getByRole('button', { name: '添加客户端' })).toBeVisible();
  await expect(page.getByTestId('language-select')).toHaveValue('zh');

  await page.getByTestId('language-select').selectOption('en');
  await expect(page.getByRole('button', { name: 'Add client' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Close client 2' })).toBeVisible();
});

async function addClientZh(page: Page): Promise<TerminalDriver> {
  await page.getByRole('button', { name: '添加客户端' }).click();
  const t = new TerminalDriver(page, 'client 2');
  await t.idle();
  await expect(t.card.getByRole('heading', { name: '客户端 2' })).toBeVisible();
  return t;
}

test('dark and light themes: the page and the terminals change colours live, and the choice is kept', async ({ page }) => {
  const t = await openApp(page);
  await t.type('SET k v');
  // The grey hint (SGR 90) is drawn, to check its colour in each theme (not under the cursor,
  // which has the cursor's colours).
  const hint = t.rows.locator('span.xterm-fg-8', { hasText: '[NX|XX]' });
  await expect(hint).toBeVisible();
  const before = await t.lines();

  await page.getByTestId('theme-select').selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await style(page, 'body', 'backgroundColor')).toBe('rgb(21, 23, 26)');
  expect(await style(page, '.xterm-viewport', 'backgroundColor')).toBe('rgb(27, 30, 35)');
  await expect.poll(() => style(page, '.xterm-rows', 'color')).toBe('rgb(216, 222, 233)');
  await expect.poll(() => style(page, hint, 'color')).toBe('rgb(140, 148, 161)');

  await page.getByTestId('theme-select').selectOption('light');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  expect(await style(page, 'body', 'backgroundColor')).toBe('rgb(255, 255, 255)');
  expect(await style(page, '.xterm-viewport', 'backgroundColor')).toBe('rgb(250, 250, 250)');
  await expect.poll(() => style(page, '.xterm-rows', 'color')).toBe('rgb(36, 41, 47)');
  await expect.poll(() => style(page, hint, 'color')).toBe('rgb(104, 111, 120)');
  // The terminal kept its content, and still takes keys.
  expect(await t.lines()).toEqual(before);
  await t.type(' NX');
  await expect.poll(() => t.lastLine()).toMatch(/^127\.0\.0\.1:6379> SET k v NX/);

  await page.getByTestId('theme-select').selectOption('dark');
  await settingsSaved(page, { theme: 'dark' });
  await page.reload();
  await t.idle();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByTestId('theme-select')).toHaveValue('dark');
  await expect.poll(() => style(page, '.xterm-rows', 'color')).toBe('rgb(216, 222, 233)');
});

test.describe('before the app runs', () => {
  // No service worker: every request goes through page.route, so the app's scripts can be held back.
  test.use({ serviceWorkers: 'block' });

  test("the saved theme and text size are on the page before the app's script runs (no flash)", async ({ page }) => {
    await openApp(page);
    await page.getByTestId('theme-select').selectOption('dark');
    await page.getByTestId('text-size-select').selectOption('large');
    await settingsSaved(page, { theme: 'dark', textSize: 'large' });
    // The app's scripts never arrive: what is on the page comes from index.html and the CSS alone.
    await page.route('**/assets/*.js', (route) => route.abort());
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect(page.locator('html')).toHaveAttribute('data-text-size', 'large');
    expect(await page.locator('#root').innerHTML()).toBe('');
    expect(await style(page, 'body', 'backgroundColor')).toBe('rgb(21, 23, 26)');
    expect(await style(page, 'html', 'fontSize')).toBe('18px');
  });
});

test("'system' follows the operating system's colour scheme live", async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await openApp(page);
  await expect(page.getByTestId('theme-select')).toHaveValue('system');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect.poll(() => style(page, '.xterm-rows', 'color')).toBe('rgb(216, 222, 233)');
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await expect.poll(() => style(page, '.xterm-rows', 'color')).toBe('rgb(36, 41, 47)');
});

/** Every terminal is on screen (not cut at the right or the bottom) and the page needs no sideways scroll. */
async function expectTerminalsFit(page: Page, width: number, height: number): Promise<void> {
  const scrollWidth = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
  expect(scrollWidth).toBeLessThanOrEqual(width);
  for (const screen of await page.locator('.xterm-screen').all()) {
    const box = (await screen.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(width);
    expect(box.y + box.height).toBeLessThanOrEqual(height);
  }
}

test('projector text size: bigger text in the page and the terminals, still fitting 1280x720', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  const t = await openApp(page);
  await t.run('ECHO "normal size"');
  const normalCols = await t.cols();
  expect(await style(page, '.xterm-rows', 'fontSize')).toBe('14px');
  expect(await style(page, 'html', 'fontSize')).toBe('16px');
  await expectTerminalsFit(page, 1280, 720);
  await page.screenshot({ path: test.info().outputPath('normal-1280x720.png') });

  await page.getByTestId('text-size-select').selectOption('projector');
  await expect(page.locator('html')).toHaveAttribute('data-text-size', 'projector');
  await expect.poll(() => style(page, '.xterm-rows', 'fontSize')).toBe('24px');
  expect(await style(page, 'html', 'fontSize')).toBe('22px');
  // Refitted: fewer, wider columns; the buffer kept; redis-cli knows the new width.
  await expect.poll(() => t.cols()).toBeLessThan(normalCols);
  expect(await t.cols()).toBeGreaterThanOrEqual(40);
  await t.run('ECHO "projector size"');
  expect(await t.outputOf('ECHO "projector size"')).toEqual(['"projector size"']);
  expect((await t.lines()).slice(0, 2)).toEqual(['127.0.0.1:6379> ECHO "normal size"', '"normal size"']);
  await expect(t.rows).toContainText('"projector size"');
  await expectTerminalsFit(page, 1280, 720);
  await page.screenshot({ path: test.info().outputPath('projector-1280x720.png') });

  // Two clients side by side still fit.
  const t2 = await addClient(page, 'client 2');
  await t2.run('PING');
  await expectTerminalsFit(page, 1280, 720);
  await page.screenshot({ path: test.info().outputPath('projector-two-clients-1280x720.png') });

  await settingsSaved(page, { textSize: 'projector' });
  await page.reload();
  await t.idle();
  await expect.poll(() => style(page, '.xterm-rows', 'fontSize')).toBe('24px');
  await page.getByTestId('text-size-select').selectOption('large');
  await expect.poll(() => style(page, '.xterm-rows', 'fontSize')).toBe('18px');
  await expectTerminalsFit(page, 1280, 720);
});

test('"?" opens the shortcuts outside a terminal; in a terminal it is typed; Escape closes and the focus returns', async ({ page }) => {
  const t = await openApp(page);
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toBeHidden();

  // In the terminal "?" is a character of the command line.
  await t.type('ECHO ?');
  await expect.poll(() => t.lastLine()).toBe('127.0.0.1:6379> ECHO ?');
  await expect(dialog).toBeHidden();

  // Outside it, "?" opens the dialog.
  await focusPage(page);
  await page.keyboard.type('?');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('row', { name: /Ctrl\s*\+\s*R/ })).toContainText('Search the history');
  for (const keys of ['Ctrl+A', 'Ctrl+E', 'Ctrl+U', 'Ctrl+W', 'Ctrl+K', 'Alt+B', 'Alt+F', 'Ctrl+C', 'Ctrl+L', 'Tab', '↑', 'F1']) {
    await expect(dialog.locator('td.shortcut-keys', { hasText: keys }).first()).toBeVisible();
  }
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // The header's button; Escape gives the focus back to it.
  await page.getByRole('button', { name: 'Shortcuts (?)' }).click();
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  expect(await activeLabel(page)).toBe('Shortcuts (?)');

  // F1 from inside the terminal opens it; Escape goes back to the terminal, its line as it was.
  await t.focus();
  await page.keyboard.press('F1');
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  expect(await activeLabel(page)).toBe('client 1: redis-cli');
  await page.keyboard.type('x');
  await expect.poll(() => t.lastLine()).toBe('127.0.0.1:6379> ECHO ?x');
  await page.keyboard.press('Enter');
  await t.idle();
  expect(await t.outputOf('ECHO ?x')).toEqual(['"?x"']);

  // In Chinese too; F1 closes it again.
  await page.getByTestId('language-select').selectOption('zh');
  await focusPage(page);
  await page.keyboard.press('F1');
  const zh = page.getByRole('dialog', { name: '键盘快捷键' });
  await expect(zh).toBeVisible();
  await expect(zh).toContainText('向前搜索历史记录');
  await page.keyboard.press('F1');
  await expect(zh).toBeHidden();
});

test('the history is in IndexedDB and survives a reload; an old localStorage history is moved over', async ({ page }) => {
  // What an older version of the app left in localStorage, before the first load of this one.
  await page.addInitScript(() => {
    const g = globalThis as unknown as { localStorage: { getItem(k: string): string | null; setItem(k: string, v: string): void }; sessionStorage: { getItem(k: string): string | null; setItem(k: string, v: string): void } };
    if (g.sessionStorage.getItem('seeded') === null) {
      g.sessionStorage.setItem('seeded', '1');
      g.localStorage.setItem('rediscope.cli-history', JSON.stringify(['SET from-localstorage 1']));
    }
  });
  const t = await openApp(page);
  await t.press('ArrowUp');
  await expect.poll(() => t.lastLine()).toMatch(/^127\.0\.0\.1:6379> SET from-localstorage 1/);
  await t.press('Control+U');
  expect(await page.evaluate(() => (globalThis as unknown as { localStorage: { getItem(k: string): string | null } }).localStorage.getItem('rediscope.cli-history'))).toBeNull();

  await t.run('SET survivor 1');
  await t.run('GET survivor');
  await expect.poll(() => savedRecord(page, 'histories', 'redis-cli')).toEqual(['SET from-localstorage 1', 'SET survivor 1', 'GET survivor']);
  await page.reload();
  await t.idle();
  await t.press('ArrowUp');
  await expect.poll(() => t.lastLine()).toBe('127.0.0.1:6379> GET survivor');
  await page.keyboard.press('ArrowUp');
  await expect.poll(() => t.lastLine()).toMatch(/^127\.0\.0\.1:6379> SET survivor 1/);
});

test('one history file for every tab: a redis-cli started later in another tab loads the newest', async ({ page, context }) => {
  const a = await openApp(page);
  const other = await context.newPage();
  const b = await openApp(other);
  await a.run('ECHO from-the-first-tab');
  // A client started now in the other tab reads the history as it is now, as redis-cli reads its file.
  const b2 = await addClient(other, 'client 2');
  await b2.press('ArrowUp');
  await expect.poll(() => b2.lastLine()).toBe('127.0.0.1:6379> ECHO from-the-first-tab');
  // The history that tab's client 1 loaded when it started does not change under it.
  await b.press('ArrowUp');
  await expect.poll(() => b.lastLine()).toBe('127.0.0.1:6379>');
});
