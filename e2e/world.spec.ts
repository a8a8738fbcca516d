// The world survives: saved to IndexedDB by the worker, restored after a reload and after the
// worker dies; reset from the World menu; exported as a world file or dump.rdb (which a real
// redis-server loads) and imported back; a bad file refused with the world untouched.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startRealRedis } from '../test/support/realRedis.ts';
import { RespClient } from '../test/support/respClient.ts';
import { crashEngine, openApp, PROMPT, type TerminalDriver } from './support/terminal.ts';

/** The page's clock (the worker stamps saves with the same one). */
function pageNow(page: Page): Promise<number> {
  return page.evaluate(() => Date.now());
}

/** Waits until the world has been saved at or after `since` with nothing left unsaved. */
async function savedSince(page: Page, since: number): Promise<void> {
  const menu = page.getByTestId('world-menu');
  await expect.poll(async () => {
    const at = Number(await menu.getAttribute('data-saved-at'));
    return at >= since && (await menu.getAttribute('data-unsaved')) === 'false';
  }).toBe(true);
}

/** The reply lines of a command typed into the terminal. */
async function run(t: TerminalDriver, line: string): Promise<string[]> {
  await t.run(line);
  return t.outputOf(line);
}

/** After the world was replaced (crash, reset, import) redis-cli finds its server gone, then reconnects. */
async function reconnect(t: TerminalDriver): Promise<void> {
  expect(await run(t, 'PING')).toEqual(['Error: Server closed the connection']);
  expect((await t.lines()).at(-1)).toBe('not connected> ');
  expect(await run(t, 'PING')).toEqual(['PONG']);
  expect((await t.lines()).at(-1)).toMatch(PROMPT);
}

async function openWorldMenu(page: Page): Promise<void> {
  const button = page.getByRole('button', { name: 'World', exact: true });
  if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
  await expect(page.getByRole('group', { name: /^The world/ })).toBeVisible();
}

test('keys, TTLs and config survive a reload', async ({ page }) => {
  const t = await openApp(page);
  const since = await pageNow(page);
  await t.run('SET greeting hello');
  expect(await run(t, 'SET session abc EX 3600')).toEqual(['OK']);
  await t.run('RPUSH queue a b c');
  await t.run('CONFIG SET maxmemory-policy allkeys-lfu');
  await savedSince(page, since);
  await openWorldMenu(page);
  await expect(page.getByTestId('world-save-state')).toContainText('Saved in this browser at');

  await page.reload();
  await t.idle();
  expect(await run(t, 'GET greeting')).toEqual(['"hello"']);
  expect(await run(t, 'LRANGE queue 0 -1')).toEqual(['1) "a"', '2) "b"', '3) "c"']);
  // Virtual time resumed from the saved moment: the TTL is still counting down from 3600.
  const [ttl] = await run(t, 'TTL session');
  expect(ttl).toMatch(/^\(integer\) \d+$/);
  const seconds = Number(ttl.split(' ')[1]);
  expect(seconds).toBeGreaterThan(3500);
  expect(seconds).toBeLessThanOrEqual(3600);
  expect(await run(t, 'CONFIG GET maxmemory-policy')).toEqual(['1) "maxmemory-policy"', '2) "allkeys-lfu"']);
  await expect(page.getByTestId('world-menu')).toHaveAttribute('data-origin', 'restored');
});

test('after the worker dies, the fresh one restores the last save and says from when', async ({ page }) => {
  const t = await openApp(page);
  const since = await pageNow(page);
  await t.run('SET survivor yes');
  await t.run('HSET profile name ada');
  await savedSince(page, since);
  await crashEngine(page);
  const notice = page.getByTestId('engine-notice');
  await expect(notice).toContainText(/a fresh one restored the world saved at .+: changes made after that save are lost/);
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'ready');
  await reconnect(t);
  expect(await run(t, 'GET survivor')).toEqual(['"yes"']);
  expect(await run(t, 'HGET profile name')).toEqual(['"ada"']);
});

test('reset world empties it (after a confirmation), and stays empty after a reload', async ({ page }) => {
  const t = await openApp(page);
  await t.run('SET a 1');
  await t.run('CONFIG SET hz 50');
  await openWorldMenu(page);
  await page.getByRole('button', { name: 'Reset world…' }).click();
  const confirm = page.getByRole('alertdialog');
  await expect(confirm).toContainText('This cannot be undone');
  // Cancel keeps everything.
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toHaveCount(0);
  expect(await run(t, 'GET a')).toEqual(['"1"']);

  await openWorldMenu(page);
  await page.getByRole('button', { name: 'Reset world…' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Reset world' }).click();
  await expect(page.getByTestId('world-result')).toContainText('The world was reset to an empty one');
  await expect(page.getByTestId('world-menu')).toHaveAttribute('data-origin', 'reset');
  await reconnect(t);
  expect(await run(t, 'DBSIZE')).toEqual(['(integer) 0']);
  expect(await run(t, 'CONFIG GET hz')).toEqual(['1) "hz"', '2) "10"']);
  await page.reload();
  await t.idle();
  expect(await run(t, 'DBSIZE')).toEqual(['(integer) 0']);
});

test('export the world and import it back; dump.rdb loads into a real redis-server', async ({ page }) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'rediscope-world-'));
  try {
    const t = await openApp(page);
    await t.run('SET color blue');
    await t.run('ZADD board 10 ann 20 bob');
    expect(await run(t, 'SET temp x EX 5000')).toEqual(['OK']);
    await openWorldMenu(page);

    const [worldDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export world' }).click(),
    ]);
    expect(worldDownload.suggestedFilename()).toMatch(/^rediscope-world-\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d\.json$/);
    const worldFile = path.join(dir, worldDownload.suggestedFilename());
    await worldDownload.saveAs(worldFile);
    expect(JSON.parse(await readFile(worldFile, 'utf8'))).toMatchObject({ format: 'rediscope-world', version: 1 });
    await expect(page.getByTestId('world-result')).toContainText(`Downloaded ${worldDownload.suggestedFilename()}.`);

    const [rdbDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export dump.rdb' }).click(),
    ]);
    expect(rdbDownload.suggestedFilename()).toBe('dump.rdb');
    const rdbDir = path.join(dir, 'rdb');
    await rdbDownload.saveAs(path.join(rdbDir, 'dump.rdb'));

    // The real redis-server 7.0 loads the exported dump.rdb at startup.
    const real = await startRealRedis({ dir: rdbDir, dbfilename: 'dump.rdb' });
    try {
      const c = await RespClient.connect(real.port);
      expect((await c.call('GET', 'color')).toString()).toBe('$4\r\nblue\r\n');
      expect((await c.call('ZSCORE', 'board', 'bob')).toString()).toBe('$2\r\n20\r\n');
      expect((await c.call('EXISTS', 'temp')).toString()).toBe(':1\r\n');
      c.close();
    } finally {
      await real.stop();
    }

    // Change the world, then import the export: it is back as it was.
    await t.run('FLUSHALL');
    await t.run('SET other 1');
    await page.getByTestId('world-import-input').setInputFiles(worldFile);
    await expect(page.getByTestId('world-result')).toContainText(`Imported ${worldDownload.suggestedFilename()}.`);
    await expect(page.getByTestId('world-menu')).toHaveAttribute('data-origin', 'imported');
    await reconnect(t);
    expect(await run(t, 'GET color')).toEqual(['"blue"']);
    expect(await run(t, 'ZRANGE board 0 -1 WITHSCORES')).toEqual(['1) "ann"', '2) "10"', '3) "bob"', '4) "20"']);
    expect(await run(t, 'EXISTS other')).toEqual(['(integer) 0']);

    // A dump.rdb imports too.
    await t.run('FLUSHALL');
    await page.getByTestId('world-import-input').setInputFiles(path.join(rdbDir, 'dump.rdb'));
    await expect(page.getByTestId('world-result')).toContainText('Imported dump.rdb.');
    await reconnect(t);
    expect(await run(t, 'GET color')).toEqual(['"blue"']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('importing a file that is not a world says why and keeps the world', async ({ page }) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'rediscope-world-'));
  try {
    const t = await openApp(page);
    await t.run('SET keep me');
    await openWorldMenu(page);
    const garbage = path.join(dir, 'notes.json');
    await writeFile(garbage, 'these are my notes, not a world');
    await page.getByTestId('world-import-input').setInputFiles(garbage);
    const result = page.getByTestId('world-result');
    await expect(result).toHaveAttribute('role', 'alert');
    await expect(result).toContainText('Could not import notes.json: not a Rediscope world file or an RDB file');
    await expect(result).toContainText('The current world is unchanged.');
    // The terminal's connection was not touched either.
    expect(await run(t, 'GET keep')).toEqual(['"me"']);
    await expect(page.getByTestId('world-menu')).toHaveAttribute('data-origin', 'empty');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
