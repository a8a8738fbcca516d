// The internals panels with the terminal and the timeline: following the terminal switches the tab
// to the panel for each key (and a tab picked by hand stays); rewinding shows the skiplist, dict and
// encoding panels as they were at that point (the numbers drawn then, drawn again), and a command
// typed in the past forks the history, with the panels showing the new branch.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { openApp } from './support/terminal.ts';

function tab(page: Page, name: string): Locator {
  return page.getByRole('tab', { name, exact: true });
}

async function expectTab(page: Page, name: string): Promise<void> {
  await expect(tab(page, name)).toHaveAttribute('aria-selected', 'true');
}

const skiplist = (page: Page) => page.getByTestId('skiplist-panel');
const dict = (page: Page) => page.getByTestId('dict-panel');
const encoding = (page: Page) => page.getByTestId('encoding-panel');
const bar = (page: Page) => page.getByTestId('time-bar');
const follow = (page: Page) => page.getByTestId('panel-follow');

/** Where the world stands in its command history: [position, count]. */
async function commands(page: Page): Promise<[number, number]> {
  const [position, count] = ((await bar(page).getAttribute('data-commands')) ?? '0/0').split('/').map(Number);
  return [position, count];
}

/** Rewinds command by command (the Back button, then ← on the page) until `position` commands have run. */
async function rewindTo(page: Page, position: number): Promise<void> {
  let useKey = false;
  for (let guard = 0; guard < 50; guard++) {
    const [now] = await commands(page);
    if (now === position) return;
    expect(now).toBeGreaterThan(position);
    if (useKey) {
      await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { blur?: () => void } | null } }).document.activeElement?.blur?.());
      await page.keyboard.press('ArrowLeft');
    } else {
      await page.getByRole('button', { name: 'Back' }).click();
    }
    useKey = !useKey;
    await expect.poll(async () => (await commands(page))[0]).toBe(now - 1);
  }
  throw new Error(`could not rewind to ${position}`);
}

/** Points the panels at a key by typing it into the focus bar of the panel shown. */
async function focusKey(panel: Locator, key: string): Promise<void> {
  const box = panel.getByRole('textbox', { name: 'Key' });
  await box.fill(key);
  await box.press('Enter');
}

/** What the dict panel draws of the keyspace's tables. */
async function dictState(page: Page): Promise<Record<string, string | null>> {
  const p = dict(page);
  return {
    tables: await p.getAttribute('data-tables'),
    rehashidx: await p.getAttribute('data-rehashidx'),
    size0: await p.getByTestId('dict-ht0').getAttribute('data-size'),
    used0: await p.getByTestId('dict-ht0').getAttribute('data-used'),
  };
}

/** What the skiplist panel draws: encoding, node count, level, listpack entries. */
async function skiplistState(page: Page): Promise<Record<string, string | null>> {
  const p = skiplist(page);
  const listpack = p.getByTestId('skiplist-listpack');
  return {
    encoding: await p.getAttribute('data-encoding'),
    nodes: await p.getAttribute('data-node-count'),
    level: await p.getAttribute('data-level'),
    entries: (await listpack.count()) ? await listpack.getAttribute('data-entries') : null,
  };
}

test('following the terminal switches to the panel for each key; a tab picked by hand stays; the rule is on screen', async ({ page }) => {
  test.setTimeout(60_000);
  const t = await openApp(page);
  await expect(follow(page)).toBeChecked();
  await expectTab(page, 'Keyspace');

  await t.run('SET greeting hello');
  await expectTab(page, 'Encoding');
  await expect(encoding(page)).toHaveAttribute('data-key', 'greeting');
  await expect(encoding(page)).toHaveAttribute('data-encoding', 'embstr');

  await t.run('ZADD board 1 ada');
  await expectTab(page, 'Skiplist');
  await expect(skiplist(page)).toHaveAttribute('data-encoding', 'listpack');

  await t.run('EXPIRE greeting 100');
  await expectTab(page, 'Expiry & eviction');

  // A hash: its listpack bytes, until it becomes a hash table: then its dict.
  await t.run('CONFIG SET hash-max-listpack-entries 2');
  await expectTab(page, 'Expiry & eviction'); // a keyless command moves nothing
  await t.run('HSET user name Ada lang C');
  await expectTab(page, 'Encoding');
  await expect(encoding(page)).toHaveAttribute('data-encoding', 'listpack');
  await t.run('HSET user born 1815');
  await expectTab(page, 'Dict');
  await expect(dict(page).getByLabel('Focused key')).toBeChecked();
  await expect(dict(page)).toHaveAttribute('data-encoding', 'hashtable');
  await expect(dict(page).getByTestId('dict-ht0')).toHaveAttribute('data-used', '3');

  // A keyless command that grows the keyspace: the dict panel on db0's keyspace.
  await t.run('ZADD board 2 bob');
  await expectTab(page, 'Skiplist');
  await t.run('DEBUG POPULATE 100');
  await expectTab(page, 'Dict');
  await expect(dict(page).getByLabel('Keyspace')).toBeChecked();
  await expect(dict(page).getByTestId('dict-ht0')).toHaveAttribute('data-used', '103');

  // Picked by hand: the tab stays, and the switch says following is off.
  await tab(page, 'Keyspace').click();
  await expect(follow(page)).not.toBeChecked();
  await t.run('ZADD board 3 cy');
  await t.run('GET greeting');
  await expectTab(page, 'Keyspace');
  await expect(page.getByTestId('keyspace-panel')).toBeVisible();

  // On again: the next command moves it.
  await follow(page).check();
  await t.run('ZSCORE board cy');
  await expectTab(page, 'Skiplist');
  // A pinned key keeps the panel where it is.
  await skiplist(page).getByRole('button', { name: 'Pin' }).click();
  await t.run('SET other x');
  await expectTab(page, 'Skiplist');
  await expect(skiplist(page).getByRole('textbox', { name: 'Key' })).toHaveValue('board');
  await skiplist(page).getByRole('button', { name: 'Pin' }).click();
  await t.run('SET other y');
  await expectTab(page, 'Encoding');

  // The rule, in words, next to the switch.
  await page.getByText('Which panel?').click();
  const rules = page.getByTestId('panel-follow-rules').locator('li');
  await expect(rules).toHaveCount(5);
  await expect(rules.nth(1)).toHaveText('A sorted set: Skiplist');
  await expect(rules.nth(0)).toHaveAttribute('data-panel', 'expiry');
  await page.getByTestId('language-select').selectOption('zh');
  await expect(page.getByText('跟随终端')).toBeVisible();
  await expect(rules.nth(1)).toHaveText('有序集合：跳表');
});

test('rewinding shows the skiplist, dict and encoding panels as they were; acting there forks and they show the new branch', async ({ page }) => {
  test.setTimeout(120_000);
  const t = await openApp(page);
  await expect(bar(page)).toHaveAttribute('data-ready', 'true');
  // Rehash steps only come from commands, so each point between commands has one exact state.
  await t.run('CONFIG SET activerehashing no');
  await t.run('CONFIG SET zset-max-listpack-entries 4');
  const [base] = await commands(page);

  // 1: a small sorted set, still a listpack.
  await t.run('ZADD board 1 a 2 b 3 c');
  await expectTab(page, 'Skiplist');
  await expect(skiplist(page).getByTestId('skiplist-listpack')).toHaveAttribute('data-entries', '3');
  const afterListpack = await skiplistState(page);
  // 2: past zset-max-listpack-entries: a skiplist of 5 nodes.
  await t.run('ZADD board 4 d 5 e');
  await expect(skiplist(page)).toHaveAttribute('data-encoding', 'skiplist');
  await expect(skiplist(page)).toHaveAttribute('data-node-count', '5');
  await expect(skiplist(page).getByTestId('skiplist-node')).toHaveCount(5);
  const afterSkiplist = await skiplistState(page);
  // 3: a hash in a listpack.
  await t.run('HSET user name Ada');
  await expectTab(page, 'Encoding');
  await expect(encoding(page)).toHaveAttribute('data-encoding', 'listpack');
  // 4: the keyspace filled to its table's size (1024 keys in 1024 buckets) ...
  await t.run('DEBUG POPULATE 1022');
  await expectTab(page, 'Dict');
  await expect(dict(page).getByTestId('dict-ht0')).toHaveAttribute('data-used', '1024');
  await expect(dict(page)).toHaveAttribute('data-tables', '1');
  const full = await dictState(page);
  expect(full).toEqual({ tables: '1', rehashidx: '-1', size0: '1024', used0: '1024' });
  // 5: ... and one more key: a second table of 2048 buckets, rehashing from bucket 0.
  await t.run('SET trigger x');
  await expectTab(page, 'Encoding');
  await tab(page, 'Dict').click();
  await expect(dict(page)).toHaveAttribute('data-tables', '2');
  await expect(dict(page).getByTestId('dict-ht1')).toHaveAttribute('data-size', '2048');
  const rehashing = await dictState(page);
  expect(Number(rehashing.rehashidx)).toBeGreaterThanOrEqual(0);
  expect(await commands(page)).toEqual([base + 5, base + 5]);

  // Back to before the SET: one table again, full, not rehashing — as drawn then.
  await rewindTo(page, base + 4);
  await expect(bar(page)).toHaveAttribute('data-past', 'true');
  await expect(dict(page)).toHaveAttribute('data-tables', '1');
  expect(await dictState(page)).toEqual(full);
  // Forward one command (Step command): the rehash is back where it was.
  await page.getByRole('button', { name: 'Step command' }).click();
  await expect.poll(async () => (await commands(page))[0]).toBe(base + 5);
  await expect(dict(page)).toHaveAttribute('data-tables', '2');
  expect(await dictState(page)).toEqual(rehashing);

  // Back to before the second ZADD: the skiplist panel draws the listpack of 3 again.
  await rewindTo(page, base + 1);
  await tab(page, 'Skiplist').click();
  // (The panels still look at the last command's key, trigger: point them at board.)
  await focusKey(skiplist(page), 'board');
  await expect(skiplist(page)).toHaveAttribute('data-encoding', 'listpack');
  await expect(skiplist(page).getByTestId('skiplist-listpack')).toHaveAttribute('data-entries', '3');
  expect(await skiplistState(page)).toEqual(afterListpack);
  // The hash and the populated keys do not exist yet.
  await tab(page, 'Encoding').click();
  await focusKey(encoding(page), 'user');
  await expect(encoding(page).getByTestId('encoding-missing')).toBeVisible();
  await focusKey(encoding(page), 'board');
  await tab(page, 'Dict').click();
  await expect(dict(page).getByTestId('dict-ht0')).toHaveAttribute('data-used', '1');
  await expect(dict(page)).toHaveAttribute('data-tables', '1');

  // One step forward shows the skiplist as it was drawn then, node for node.
  await page.getByRole('button', { name: 'Step command' }).click();
  await expect.poll(async () => (await commands(page))[0]).toBe(base + 2);
  await tab(page, 'Skiplist').click();
  await expect(skiplist(page)).toHaveAttribute('data-node-count', '5');
  expect(await skiplistState(page)).toEqual(afterSkiplist);
  await rewindTo(page, base + 1);
  await expect(skiplist(page)).toHaveAttribute('data-encoding', 'listpack');

  // Act in the past: the terminal's old connection is gone (redis-cli reconnects), then a ZADD
  // there forks the history. With following on again, the tab follows it.
  await follow(page).check();
  await t.run('ZADD board 9 z');
  expect(await t.outputOf('ZADD board 9 z')).toEqual(['Error: Server closed the connection']);
  await t.type('ZADD board 9 z 10 y');
  await page.keyboard.press('Enter');
  await expect(bar(page)).not.toHaveAttribute('data-waiting', '0');
  await page.getByRole('button', { name: 'Play' }).click();
  await t.idle();
  expect(await t.outputOf('ZADD board 9 z 10 y')).toEqual(['(integer) 2']);
  await expect(bar(page)).toHaveAttribute('data-forks', '1');
  await expect(bar(page)).toHaveAttribute('data-past', 'false');
  await expect(page.getByTestId('time-fork')).toHaveCount(1);

  // The new branch: a, b, c, z, y (no d or e) converted to a skiplist of 5; no hash, no populated keys.
  await expectTab(page, 'Skiplist');
  await expect(skiplist(page)).toHaveAttribute('data-encoding', 'skiplist');
  await expect(skiplist(page)).toHaveAttribute('data-node-count', '5');
  const members = await skiplist(page).getByTestId('skiplist-node').evaluateAll((els) => els.map((el) => el.getAttribute('data-member')));
  expect(members).toEqual(['a', 'b', 'c', 'z', 'y']);
  await tab(page, 'Dict').click();
  await expect(dict(page).getByTestId('dict-ht0')).toHaveAttribute('data-used', '1');
  await t.run('EXISTS user trigger key:0');
  expect(await t.outputOf('EXISTS user trigger key:0')).toEqual(['(integer) 0']);
});
