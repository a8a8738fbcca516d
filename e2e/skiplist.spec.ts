// The skiplist panel, driven from the terminal: a small sorted set shown as the listpack it still is,
// the conversion when ZADD passes zset-max-listpack-entries, then the skiplist's nodes with their
// levels, ZRANK's search path whose spans add up to the rank the terminal printed, ZADD's rolled
// level, ZSCORE's dict lookup, ZREM's unlinking; and a set of 10,000 members drawn through a window.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { engineCall, openApp, type TerminalDriver } from './support/terminal.ts';

function panel(page: Page): Locator {
  return page.getByTestId('skiplist-panel');
}

async function openPanel(page: Page): Promise<TerminalDriver> {
  const t = await openApp(page);
  await page.getByRole('tab', { name: 'Skiplist' }).click();
  await expect(panel(page)).toBeVisible();
  return t;
}

/** Each drawn node: rank, member, level attribute, and the level boxes actually drawn. */
async function drawnNodes(page: Page): Promise<{ rank: number; member: string; level: number; boxes: number }[]> {
  return panel(page).getByTestId('skiplist-node').evaluateAll((els) => els.map((el) => ({
    rank: Number(el.getAttribute('data-rank')),
    member: el.getAttribute('data-member') ?? '',
    level: Number(el.getAttribute('data-level')),
    boxes: el.querySelectorAll('[data-level-box]').length,
  })));
}

test('a listpack zset says it is not a skiplist yet; past zset-max-listpack-entries the skiplist is drawn, ZRANK walks it', async ({ page }) => {
  const t = await openPanel(page);
  await expect(panel(page).getByTestId('skiplist-empty')).toBeVisible();
  await t.run('CONFIG SET zset-max-listpack-entries 4');
  await t.run('ZADD board 10 ada 20 bob 30 cy');
  const lp = panel(page).getByTestId('skiplist-listpack');
  await expect(lp).toBeVisible();
  await expect(lp).toHaveAttribute('data-entries', '3');
  await expect(lp).toHaveAttribute('data-max-entries', '4');
  await expect(lp).toContainText('Not a skiplist yet');
  await expect(lp).toContainText('1 more member fits before the conversion');

  // The fifth member does not fit: zsetConvert, then the skiplist.
  await t.run('ZADD board 40 dee 50 eve 60 fay');
  await expect(panel(page)).toHaveAttribute('data-encoding', 'skiplist');
  await expect(panel(page)).toHaveAttribute('data-node-count', '6');
  const convert = panel(page).getByTestId('skiplist-convert');
  await expect(convert).toHaveAttribute('data-reason', 'entries');
  await expect(convert).toHaveAttribute('data-entries', '4');
  const nodes = await drawnNodes(page);
  expect(nodes.map((n) => [n.rank, n.member])).toEqual([[1, 'ada'], [2, 'bob'], [3, 'cy'], [4, 'dee'], [5, 'eve'], [6, 'fay']]);
  // Every tower has as many boxes as its level; the header is as tall as the tallest.
  for (const n of nodes) {
    expect(n.boxes).toBe(n.level);
    expect(n.level).toBeGreaterThanOrEqual(1);
  }
  const level = Math.max(...nodes.map((n) => n.level));
  await expect(panel(page)).toHaveAttribute('data-level', String(level));
  await expect(panel(page).getByTestId('skiplist-header')).toHaveAttribute('data-level', String(level));

  // ZRANK: the search path's spans add up to the rank (1-based), ZRANK prints it 0-based.
  const rank = await t.integerOf('ZRANK board eve');
  expect(rank).toBe(4);
  const op = panel(page).getByTestId('skiplist-op');
  await expect(op).toHaveAttribute('data-fn', 'zslGetRank');
  await expect(op).toHaveAttribute('data-span-sum', String(rank + 1));
  await expect(op).toContainText(`= ${rank + 1}`);
  await expect(panel(page).getByTestId('skiplist-path-line')).toHaveCount(1);
  await expect(panel(page).locator('.zsl-target')).toHaveAttribute('data-member', 'eve');
  expect(await panel(page).locator('.zsl-visited').count()).toBeGreaterThan(0);
  await expect(panel(page).getByTestId('skiplist-steps')).toHaveAttribute('data-step', '4', { timeout: 10_000 });

  // ZADD of a new member: the level rolled is the new node's level.
  await t.run('ZADD board 25 gus');
  await expect(op).toHaveAttribute('data-fn', 'zslInsert');
  await expect(op).toHaveAttribute('data-rank', '3');
  const rolled = await op.getAttribute('data-rolled-level');
  const gus = panel(page).locator('[data-testid="skiplist-node"][data-member="gus"]');
  await expect(gus).toHaveAttribute('data-level', rolled!);
  await expect(gus).toHaveAttribute('data-rank', '3');
  await expect(panel(page)).toHaveAttribute('data-node-count', '7');

  // ZSCORE reads the dict; ZREM unlinks.
  await t.run('ZSCORE board ada');
  await expect(op).toHaveAttribute('data-fn', 'dictFind');
  await t.run('ZREM board cy');
  await expect(op).toHaveAttribute('data-fn', 'zslDelete');
  await expect(panel(page)).toHaveAttribute('data-node-count', '6');
  await expect(panel(page).locator('[data-testid="skiplist-node"][data-member="cy"]')).toHaveCount(0);

  // The first member: one step of span 1.
  await t.run('ZRANK board ada');
  await expect(op).toHaveAttribute('data-span-sum', '1');
});

test('10,000 members are drawn through a window of ranks; ZRANK moves it to the member', async ({ page }) => {
  const t = await openPanel(page);
  const args: string[] = [];
  for (let i = 0; i < 10_000; i++) args.push(String(i), `m${String(i).padStart(5, '0')}`);
  expect((await engineCall(page, ['ZADD', 'big', ...args])).trim()).toBe('(integer) 10000');
  await panel(page).getByRole('textbox').fill('big');
  await panel(page).getByRole('textbox').press('Enter');
  await expect(panel(page)).toHaveAttribute('data-node-count', '10000');
  const drawn = await drawnNodes(page);
  expect(drawn.length).toBe(64);
  const after = panel(page).locator('[data-testid="skiplist-collapsed"][data-side="after"]');
  await expect(after).toHaveAttribute('data-count', String(10_000 - 64));

  const rank = await t.integerOf('ZRANK big m07500');
  expect(rank).toBe(7500);
  await expect(panel(page).locator('.zsl-target')).toHaveAttribute('data-rank', '7501');
  await expect(panel(page).getByTestId('skiplist-op')).toHaveAttribute('data-span-sum', '7501');
  const windowed = await drawnNodes(page);
  expect(windowed.length).toBe(64);
  expect(windowed[0].rank).toBe(7501 - 32);
  await expect(panel(page).locator('[data-testid="skiplist-collapsed"][data-side="before"]')).toHaveAttribute('data-count', String(7501 - 32 - 1));
  // Zooming out draws more, never everything.
  await panel(page).getByLabel('Nodes drawn').selectOption('256');
  await expect(panel(page).getByTestId('skiplist-node')).toHaveCount(256);
  // The window controls move by a window.
  await panel(page).getByRole('button', { name: 'First nodes' }).click();
  await expect(panel(page).getByTestId('skiplist-node').first()).toHaveAttribute('data-rank', '1');
});
