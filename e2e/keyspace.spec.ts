// The keyspace overview panel, driven from the terminals: rows with the type, encoding, TTL,
// length and size the engine reports, live as any client writes; the db selector; the filter; a
// big DEBUG POPULATE summarized rather than listed.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { addClient, openApp, type TerminalDriver } from './support/terminal.ts';

function panel(page: Page): Locator {
  return page.getByTestId('keyspace-panel');
}

/**
 * Opens the app on the keyspace tab, picked by hand: the tab then stays put (the panel area's
 * "Follow the terminal" switch goes off) while commands on keys would otherwise show their panel.
 */
async function openKeyspace(page: Page): Promise<TerminalDriver> {
  const t = await openApp(page);
  await page.getByRole('tab', { name: 'Keyspace' }).click();
  await expect(page.getByTestId('panel-follow')).not.toBeChecked();
  return t;
}

/** The row of a key, by the key as the panel shows it (quoted when binary). */
function row(page: Page, key: string): Locator {
  return panel(page).locator(`tbody tr[data-key="${key.replace(/["\\]/g, '\\$&')}"]`);
}

/** A row's cells as text: key, type, encoding, TTL, length, size. */
async function cells(r: Locator): Promise<string[]> {
  return r.locator('th, td').allInnerTexts();
}

test('rows show each key\'s type, encoding, TTL, length and MEMORY USAGE as commands make them', async ({ page }) => {
  const t = await openKeyspace(page);
  await expect(panel(page).getByTestId('keyspace-empty')).toHaveText('db0 is empty. Try SET greeting hello in a terminal.');
  await t.run('SET counter 42');
  await t.run('SET greeting "hello world"');
  await t.run('RPUSH queue a b c');
  await t.run('HSET user:1 name Ada lang C');
  await t.run('ZADD board 10 ada 20 bob');
  await t.run('SADD ids 1 2 3');
  await t.run('EXPIRE greeting 100');
  await t.run('SET "bin\\x00key" x');

  await expect(row(page, 'counter')).toHaveCount(1);
  const counter = await cells(row(page, 'counter'));
  expect([counter[0], counter[1], counter[2], counter[4]]).toEqual(['counter', 'string', 'int', '2']);
  expect(counter[3]).toContain('No expiry');
  await expect.poll(async () => (await cells(row(page, 'greeting'))).slice(0, 3)).toEqual(['greeting', 'string', 'embstr']);
  expect((await cells(row(page, 'queue'))).slice(0, 3)).toEqual(['queue', 'list', 'quicklist']);
  expect((await cells(row(page, 'user:1'))).slice(1, 3)).toEqual(['hash', 'listpack']);
  expect((await cells(row(page, 'board'))).slice(1, 3)).toEqual(['zset', 'listpack']);
  expect((await cells(row(page, 'ids'))).slice(1, 3)).toEqual(['set', 'intset']);
  // Lengths as STRLEN / LLEN / HLEN / ZCARD / SCARD count them.
  expect((await cells(row(page, 'greeting')))[4]).toBe('11');
  expect((await cells(row(page, 'queue')))[4]).toBe('3');
  expect((await cells(row(page, 'user:1')))[4]).toBe('2');
  // A binary key is quoted as redis-cli quotes it.
  expect((await cells(row(page, '"bin\\x00key"')))[0]).toBe('"bin\\x00key"');
  // The TTL counts down on the engine's clock: 100 s, then less.
  const first = (await cells(row(page, 'greeting')))[3];
  const m = /^1m (\d\d)s$/.exec(first);
  expect(m, first).not.toBeNull();
  expect(60 + Number(m![1])).toBeLessThanOrEqual(100);
  await expect.poll(async () => (await cells(row(page, 'greeting')))[3], { timeout: 5000 }).not.toBe(first);
  // The size is MEMORY USAGE's figure.
  const usage = await t.integerOf('MEMORY USAGE user:1');
  expect((await cells(row(page, 'user:1')))[5].replace(/\D/g, '')).toBe(String(usage));
  // Past the listpack limits the encoding changes.
  await t.run('CONFIG SET zset-max-listpack-entries 2');
  await t.run('ZADD board 30 cy');
  await expect.poll(async () => (await cells(row(page, 'board'))).slice(1, 3)).toEqual(['zset', 'skiplist']);
  expect((await cells(row(page, 'board')))[4]).toBe('3');
});

test('another client\'s writes appear (and flash); keys that expire go', async ({ page }) => {
  const a = await openKeyspace(page);
  const b = await addClient(page, 'client 2');
  await a.run('SET mine 1');
  await expect(row(page, 'mine')).toHaveCount(1);
  await b.run('LPUSH theirs x');
  await expect(row(page, 'theirs')).toHaveCount(1);
  expect((await cells(row(page, 'theirs'))).slice(1, 3)).toEqual(['list', 'quicklist']);
  await expect(row(page, 'theirs')).toHaveClass(/ks-flash/);
  await b.run('DEL mine');
  await expect(row(page, 'mine')).toHaveCount(0);
  // The active expire cycle removes a key nobody touches; the panel follows.
  await b.run('SET brief x PX 1500');
  await expect(row(page, 'brief')).toHaveCount(1);
  await expect(row(page, 'brief')).toHaveCount(0, { timeout: 10_000 });
});

test('the db selector lists every db with its key count, and shows the one chosen', async ({ page }) => {
  const t = await openKeyspace(page);
  await t.run('SET zero 0');
  await t.run('SELECT 3');
  await t.run('SET three 3');
  await t.run('SET another 3');
  const select = panel(page).getByLabel('Database');
  await expect(select.locator('option')).toHaveCount(16);
  await expect(select.locator('option[value="3"]')).toHaveText('db3 (2 keys)');
  await expect(select.locator('option[value="0"]')).toHaveText('db0 (1 key)');
  await expect(select.locator('option[value="5"]')).toHaveText('db5');
  await select.selectOption('3');
  await expect(row(page, 'three')).toHaveCount(1);
  await expect(row(page, 'zero')).toHaveCount(0);
  await expect(panel(page).locator('caption')).toHaveText('2 of 2 keys in db3');
  await select.selectOption('0');
  await expect(row(page, 'zero')).toHaveCount(1);
});

test('DEBUG POPULATE 100000: the page stays responsive and the panel shows the count with "more keys"', async ({ page }) => {
  test.setTimeout(120_000);
  const t = await openKeyspace(page);
  await t.type('DEBUG POPULATE 100000');
  await page.keyboard.press('Enter');
  // The page is free while the engine works: the filter box takes typing at once.
  const filter = panel(page).getByLabel('Filter keys');
  await filter.fill('key:9999');
  await expect(filter).toHaveValue('key:9999');
  await t.idle(60_000);
  // (redis-cli adds the elapsed time after a slow command.)
  expect((await t.outputOf('DEBUG POPULATE 100000'))[0]).toBe('OK');
  // key:9999 and key:99990 .. key:99999
  await expect(panel(page).locator('caption')).toHaveText('11 of 11 keys matching key:9999 in db0 (100,000 in all)');
  await expect(panel(page).locator('tbody tr')).toHaveCount(11);
  await filter.fill('');
  await expect(panel(page).locator('caption')).toHaveText('200 of 100,000 keys in db0');
  await expect(panel(page).getByTestId('keyspace-more')).toContainText('99,800 more keys not shown');
  // Rows are in byte order: key:0, key:1, key:10, key:100 ...
  expect(await panel(page).locator('tbody tr th').evaluateAll((ths) => ths.slice(0, 4).map((th) => th.textContent)))
    .toEqual(['key:0', 'key:1', 'key:10', 'key:100']);
  await expect(panel(page).getByLabel('Database').locator('option[value="0"]')).toHaveText('db0 (100,000 keys)');
  // And it still follows single writes.
  await t.run('SET key:0 changed');
  await expect.poll(async () => (await cells(row(page, 'key:0')))[4]).toBe('7');
});
