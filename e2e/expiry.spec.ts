// The expiry and eviction panel, driven from the terminal: keys with EX/PX listed with their TTLs
// on the axis and in the list; lazy expiry shown when a GET finds an expired key with the cycle off;
// the active cycle's samples and deletions; with maxmemory and allkeys-lru, the gauge, the pool and
// a victim that really is gone.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { engineCall, openApp } from './support/terminal.ts';

function panel(page: Page): Locator {
  return page.getByTestId('expiry-panel');
}

async function openPanel(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Expiry & eviction' }).click();
  await expect(panel(page)).toBeVisible();
}

function keyRow(page: Page, key: string): Locator {
  return panel(page).locator(`[data-testid="expiry-keys"] tbody tr[data-key="${key}"]`);
}

async function numberAttr(l: Locator, name: string): Promise<number> {
  const v = await l.getAttribute(name);
  if (v === null) throw new Error(`no ${name}`);
  return Number(v);
}

/** A field of INFO <section>, read through the engine hook. */
async function infoField(page: Page, section: string, field: string): Promise<number> {
  const text = await engineCall(page, ['INFO', section]);
  const m = new RegExp(`${field}:(\\d+)`).exec(text);
  if (!m) throw new Error(`no ${field} in ${text}`);
  return Number(m[1]);
}

test('keys with EX/PX are listed with their TTLs on the virtual clock and drawn on the axis', async ({ page }) => {
  const t = await openApp(page);
  await openPanel(page);
  await expect(panel(page).getByTestId('expiry-empty')).toBeVisible();
  await t.run('SET session:1 x EX 100');
  await t.run('SET token y PX 30000');
  await t.run('SET forever z');
  const counts = panel(page).getByTestId('expiry-counts');
  await expect(counts).toHaveAttribute('data-volatile', '2');
  await expect(counts).toHaveAttribute('data-keys', '3');
  // Soonest first: token (30 s) before session:1 (100 s); the TTLs are PTTL's.
  await expect(panel(page).locator('[data-testid="expiry-keys"] tbody tr')).toHaveCount(2);
  const order = await panel(page).locator('[data-testid="expiry-keys"] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')));
  expect(order).toEqual(['token', 'session:1']);
  const pttl = await t.integerOf('PTTL token');
  await expect.poll(async () => numberAttr(keyRow(page, 'token'), 'data-pttl')).toBeLessThanOrEqual(30_000);
  expect(await numberAttr(keyRow(page, 'token'), 'data-pttl')).toBeGreaterThan(pttl - 5_000);
  const ttlText = await keyRow(page, 'session:1').locator('td').innerText();
  expect(ttlText).toMatch(/^1m \d\ds/);
  // Both are dots on the axis (the auto window holds 100 s), counting down.
  const axis = panel(page).getByTestId('expiry-axis');
  await expect(axis).toHaveAttribute('data-marks', '2');
  await expect(axis.locator('circle[data-key="token"]')).toHaveCount(1);
  const x1 = Number(await axis.locator('circle[data-key="token"]').getAttribute('cx'));
  await expect.poll(async () => Number(await axis.locator('circle[data-key="token"]').getAttribute('cx')), { timeout: 5000 }).toBeLessThan(x1);
  // PERSIST takes a key off.
  await t.run('PERSIST token');
  await expect(counts).toHaveAttribute('data-volatile', '1');
  await expect(keyRow(page, 'token')).toHaveCount(0);
});

test('with the cycle off, a GET of an expired key is a lazy expiry (expireIfNeeded)', async ({ page }) => {
  const t = await openApp(page);
  await openPanel(page);
  await t.run('DEBUG SET-ACTIVE-EXPIRE 0');
  await expect(panel(page).getByTestId('expiry-cycle-off')).toBeVisible();
  await t.run('SET gone v PX 200');
  await t.run('SET other v PX 200');
  // Past the deadline and still there: overdue.
  await expect(panel(page).getByTestId('expiry-counts')).toHaveAttribute('data-overdue', '2', { timeout: 5000 });
  await expect(panel(page).getByTestId('expiry-axis').locator('circle[data-key="gone"]')).toHaveAttribute('data-state', 'overdue');
  const before = await infoField(page, 'stats', 'expired_keys');
  await t.run('GET gone');
  expect(await t.outputOf('GET gone')).toEqual(['(nil)']);
  const lazy = panel(page).getByTestId('expiry-lazy').locator('li[data-key="gone"]');
  await expect(lazy).toHaveAttribute('data-command', 'get');
  await expect(lazy).toContainText('GET found it');
  await expect(panel(page).getByTestId('steps-expireIfNeeded')).toHaveAttribute('data-current', '3', { timeout: 5000 });
  await expect(panel(page).getByTestId('expiry-counts')).toHaveAttribute('data-overdue', '1');
  expect(await infoField(page, 'stats', 'expired_keys')).toBe(before + 1);
  await expect(panel(page).getByTestId('expiry-stats')).toHaveAttribute('data-expired', String(before + 1));
  // The cycle back on deletes the other one without anyone touching it.
  await t.run('DEBUG SET-ACTIVE-EXPIRE 1');
  await expect(panel(page).getByTestId('expiry-counts')).toHaveAttribute('data-volatile', '0', { timeout: 5000 });
  await expect(panel(page).getByTestId('expiry-lazy').locator('li[data-key="other"]')).toHaveCount(0);
});

test('the active expire cycle samples keys and deletes the expired ones (activeExpireCycle)', async ({ page }) => {
  const t = await openApp(page);
  await openPanel(page);
  // Set up with the cycle off, so all 200 are there when it starts.
  await t.run('DEBUG SET-ACTIVE-EXPIRE 0');
  for (let i = 0; i < 150; i++) await engineCall(page, ['SET', `short:${i}`, 'v', 'PX', '100']);
  for (let i = 0; i < 50; i++) await engineCall(page, ['SET', `long:${i}`, 'v', 'EX', '3600']);
  await expect(panel(page).getByTestId('expiry-counts')).toHaveAttribute('data-volatile', '200');
  await expect(panel(page).getByTestId('expiry-counts')).toHaveAttribute('data-overdue', '150');
  await t.run('DEBUG SET-ACTIVE-EXPIRE 1');
  const cycle = panel(page).getByTestId('expiry-cycle');
  // The first cycle finds most samples expired, so it samples db0 again, round after round: the
  // strip of recent cycles (the last 24, about 2.4 s of them) marks it.
  await expect(panel(page).locator('[data-testid="expiry-cycle-strip"] .ex-strip-repeated').first()).toBeAttached();
  await expect(panel(page).getByTestId('expiry-counts')).toHaveAttribute('data-volatile', '50', { timeout: 10_000 });
  await expect(panel(page).getByTestId('expiry-stats')).toHaveAttribute('data-expired', '150');
  expect(await t.integerOf('DBSIZE')).toBe(50);
  // The latest cycle only meets live keys now: sampled, none expired, one round.
  await expect(cycle).toHaveAttribute('data-expired', '0', { timeout: 5000 });
  await expect(cycle).toHaveAttribute('data-repeated', 'false');
  await expect(cycle).toHaveAttribute('data-stop', 'few-stale');
  await expect(panel(page).getByTestId('expiry-axis').locator('circle[data-state="sampled"]').first()).toBeVisible();
  // Cycles come ten times a second; each play of the step list still runs through its steps.
  await expect.poll(async () => Number(await panel(page).getByTestId('steps-activeExpireCycle').getAttribute('data-current'))).toBe(1);
});

test('maxmemory with allkeys-lru: the gauge, the pool and a victim that is really gone', async ({ page }) => {
  const t = await openApp(page);
  await openPanel(page);
  await expect(panel(page).getByTestId('evict-off')).toBeVisible();
  for (let i = 0; i < 200; i++) await engineCall(page, ['SET', `k:${i}`, 'x'.repeat(500)]);
  await t.run('CONFIG SET maxmemory-policy allkeys-lru');
  const used = await infoField(page, 'memory', 'used_memory');
  const limit = used - 20_000;
  await t.run(`CONFIG SET maxmemory ${limit}`);
  for (let i = 0; i < 5; i++) await t.run(`SET new:${i} ${'y'.repeat(300)}`);
  const gauge = panel(page).getByTestId('evict-gauge');
  await expect(gauge).toHaveAttribute('data-max', String(limit));
  expect(await numberAttr(gauge, 'data-used')).toBeGreaterThan(limit - 5_000);
  const victim = panel(page).getByTestId('evict-victim');
  await expect(victim).toHaveAttribute('data-key', /^k:\d+$/);
  await expect(victim).toContainText('idle for');
  await expect(panel(page).getByTestId('evict-pool').locator('li')).toHaveCount(16);
  // Read together: any further command evicts again while memory is over the limit.
  const pick = await panel(page).evaluate((el) => ({
    victim: el.querySelector('[data-testid="evict-victim"]')?.getAttribute('data-key'),
    marked: el.querySelector('[data-testid="evict-pool-at-pick"] .ex-slot-victim')?.getAttribute('data-key'),
    samples: Number(el.querySelector('[data-testid="evict-samples"]')?.getAttribute('data-count')),
  }));
  expect(pick.marked).toBe(pick.victim);
  expect(pick.samples).toBeGreaterThan(0);
  const key = pick.victim!;
  expect(await t.integerOf(`EXISTS ${key}`)).toBe(0);
  const evicted = await infoField(page, 'stats', 'evicted_keys');
  expect(evicted).toBeGreaterThan(0);
  await expect(panel(page).getByTestId('expiry-stats')).toHaveAttribute('data-evicted', String(evicted));
  await expect(panel(page).getByTestId('steps-performEvictions')).toHaveAttribute('data-current', '4', { timeout: 5000 });
});

test('the panel speaks Chinese too, at projector size in the dark theme', async ({ page }) => {
  const t = await openApp(page);
  await openPanel(page);
  await t.run('SET session:1 x EX 100');
  await page.getByTestId('language-select').selectOption('zh');
  await page.getByTestId('theme-select').selectOption('dark');
  await page.getByTestId('text-size-select').selectOption('projector');
  await expect(page.getByRole('tab', { name: '过期与淘汰' })).toBeVisible();
  await expect(panel(page).getByRole('heading', { name: '过期与淘汰' })).toBeVisible();
  await expect(panel(page)).toContainText('惰性过期');
  await expect(panel(page)).toContainText('主动过期周期');
  await expect(panel(page).getByTestId('steps-activeExpireCycle').locator('li').first()).toContainText('serverCron');
  await expect(panel(page).getByTestId('expiry-axis').locator('circle[data-key="session:1"]')).toHaveCount(1);
  // The TTL in Chinese units.
  await expect(keyRow(page, 'session:1').locator('td')).toContainText('分');
});
