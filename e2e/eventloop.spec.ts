// The event loop panel, driven from the terminals and its own controls: a slow command in client 1
// makes client 2's command wait for the thread (drawn as a wait, with the exact times), the time
// bar says why replies do not come while paused, and the pipeline demo at 50 ms latency takes
// N x RTT as round trips against about one RTT as a pipeline.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { addClient, openApp } from './support/terminal.ts';

function panel(page: Page): Locator {
  return page.getByTestId('eventloop-panel');
}

async function openPanel(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Event loop' }).click();
  await expect(panel(page)).toBeVisible();
}

async function numberAttr(l: Locator, name: string): Promise<number> {
  const v = await l.getAttribute(name);
  if (v === null || v === '') throw new Error(`no ${name}`);
  return Number(v);
}

test('a slow command in client 1 makes client 2 wait for the thread; the panel draws the wait', async ({ page }) => {
  const t1 = await openApp(page);
  const t2 = await addClient(page, 'client 2');
  // 200 000 keys: KEYS walks them all (100 ns each in the cost model), even matching none.
  await t1.run('DEBUG POPULATE 200000');
  await openPanel(page);
  await expect(panel(page).getByTestId('eventloop-status')).toHaveAttribute('data-busy', 'false');

  // Paused: both commands wait; a step runs KEYS alone, and the server stays busy while time stands.
  await page.getByTestId('time-play').click();
  await expect(page.getByTestId('time-bar')).toHaveAttribute('data-playing', 'false');
  await t1.type('KEYS nomatch:*');
  await page.keyboard.press('Enter');
  await t2.type('GET key:1');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('time-bar')).toHaveAttribute('data-waiting', '2');
  await page.getByTestId('time-step-command').click();
  await page.getByTestId('time-step-command').click();
  const busy = page.getByTestId('time-busy');
  await expect(busy).toBeVisible();
  await expect(busy).toContainText('time is paused');
  const status = panel(page).getByTestId('eventloop-status');
  await expect(status).toHaveAttribute('data-busy', 'true');
  await expect(status).toHaveAttribute('data-held', '1');
  expect(await t2.busy()).toBe(true); // no reply yet

  await page.getByTestId('time-play').click();
  await t1.idle();
  await t2.idle();
  // (redis-cli adds the wall time it waited, "(1.54s)", as it does after any slow reply.)
  expect((await t1.outputOf('KEYS nomatch:*'))[0]).toBe('(empty array)');
  expect((await t2.outputOf('GET key:1'))[0]).toBe('"value:1"');
  await expect(status).toHaveAttribute('data-busy', 'false');
  await expect(busy).toHaveCount(0);

  // The chart: KEYS ran for over 20 ms; GET arrived with it and started exactly when it ended.
  const keys = panel(page).locator('[data-testid="eventloop-command"][data-name="keys"]').last();
  const get = panel(page).locator('[data-testid="eventloop-command"][data-name="get"]').last();
  await expect(get).toBeVisible();
  const keysStart = await numberAttr(keys, 'data-start-us');
  const keysEnd = await numberAttr(keys, 'data-end-us');
  expect(keysEnd - keysStart).toBeGreaterThan(20_000);
  expect(await numberAttr(get, 'data-start-us')).toBe(keysEnd);
  expect(await numberAttr(get, 'data-arrival-us')).toBe(keysStart);
  expect(await numberAttr(get, 'data-wait-us')).toBe(keysEnd - keysStart);
  expect(await get.getAttribute('data-client')).not.toBe(await keys.getAttribute('data-client'));
  await expect(panel(page).getByTestId('eventloop-compare').locator('[data-command="keys"]')).toHaveAttribute('data-duration-us', String(keysEnd - keysStart));
  await expect(panel(page).getByTestId('eventloop-steps')).toBeVisible();
});

test('the pipeline demo at 50 ms latency: N round trips take N x RTT, one pipeline about one RTT', async ({ page }) => {
  await openApp(page);
  await openPanel(page);
  const latency = panel(page).getByTestId('eventloop-latency');
  await latency.fill('6'); // the stops are 0 1 2 5 10 20 50 ...
  await expect(latency).toHaveAttribute('data-latency-ms', '50');
  await expect(panel(page).getByTestId('eventloop-status')).toHaveAttribute('data-latency-ms', '50');
  await expect(panel(page).getByTestId('eventloop-demo-count')).toHaveValue('10');

  await panel(page).getByTestId('eventloop-demo-round-trips').click();
  const trips = panel(page).getByTestId('eventloop-result-round-trips');
  await expect(trips).toHaveAttribute('data-done', 'true', { timeout: 15_000 });
  await panel(page).getByTestId('eventloop-demo-pipeline').click();
  const pipe = panel(page).getByTestId('eventloop-result-pipeline');
  await expect(pipe).toHaveAttribute('data-done', 'true', { timeout: 15_000 });

  expect(await numberAttr(trips, 'data-latency-ms')).toBe(50);
  expect(await numberAttr(trips, 'data-count')).toBe(10);
  // 10 x (50 ms there + 50 ms back), against one round trip (the 10 INCRs take 10 µs of thread time).
  expect(await numberAttr(trips, 'data-total-ms')).toBe(1000);
  expect(await numberAttr(pipe, 'data-total-ms')).toBe(100);
  await expect(panel(page).getByTestId('eventloop-ratio')).toContainText('10');
  // The requests and replies were drawn as arrows crossing the network.
  await panel(page).getByTestId('eventloop-window').selectOption({ label: 'Latest activity' });
  expect(await panel(page).locator('[data-testid="eventloop-arrow"][data-dir="reply"]').count()).toBeGreaterThan(0);
});
