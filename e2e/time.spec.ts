// Time control from the time bar: pause (a command waits, like on a stopped server), play (it
// completes), steps, the keyboard, and a rewind to before a SET where a new command sees the key
// missing and forks the history, which the timeline then shows.
import { expect, test, type Page } from '@playwright/test';
import { openApp, PROMPT, type TerminalDriver } from './support/terminal.ts';

function bar(page: Page) {
  return page.getByTestId('time-bar');
}

async function attr(page: Page, name: string): Promise<string> {
  return (await bar(page).getAttribute(name)) ?? '';
}

/** Types a line and presses Enter without waiting for the prompt. */
async function enter(t: TerminalDriver, line: string): Promise<void> {
  await t.type(line);
  await t.page.keyboard.press('Enter');
}

/** The reply lines of a command typed into the terminal. */
async function run(t: TerminalDriver, line: string): Promise<string[]> {
  await t.run(line);
  return t.outputOf(line);
}

/** Keys for the page, not for a terminal or a field. */
async function blur(page: Page): Promise<void> {
  await page.evaluate(() => {
    const d = (globalThis as unknown as { document: { activeElement: { blur?: () => void } | null } }).document;
    d.activeElement?.blur?.();
  });
}

test('pause: a command waits; play: it completes; steps run one command or one event', async ({ page }) => {
  const t = await openApp(page);
  await expect(bar(page)).toHaveAttribute('data-ready', 'true');
  await expect(bar(page)).toHaveAttribute('data-playing', 'true');

  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(bar(page)).toHaveAttribute('data-playing', 'false');
  await expect(page.getByTestId('time-state')).toContainText('Paused');
  const frozen = Number(await attr(page, 'data-now'));

  await enter(t, 'SET greeting hello');
  await expect(bar(page)).toHaveAttribute('data-waiting', '1');
  await expect(page.getByTestId('time-state')).toContainText('1 waiting');
  // Like a stopped server: redis-cli just waits, and the virtual clock stands still.
  await page.waitForTimeout(700);
  expect(await t.busy()).toBe(true);
  expect(await t.outputOf('SET greeting hello')).toEqual([]);
  expect(Number(await attr(page, 'data-now'))).toBe(frozen);

  await page.getByRole('button', { name: 'Play' }).click();
  await t.idle();
  // It took the pause's wall time: redis-cli says so, as it does for any reply slower than 0.5 s.
  expect(await t.outputOf('SET greeting hello')).toEqual(['OK', expect.stringMatching(/^\(\d+\.\d\ds\)$/)]);
  await expect(bar(page)).toHaveAttribute('data-waiting', '0');

  // Step a command: two typed while paused, one at a time.
  await page.getByRole('button', { name: 'Pause' }).click();
  await enter(t, 'INCR visits');
  await expect(bar(page)).toHaveAttribute('data-waiting', '1');
  await page.getByRole('button', { name: 'Step command' }).click();
  await t.idle();
  expect(await t.outputOf('INCR visits')).toEqual(['(integer) 1']);
  await expect(bar(page)).toHaveAttribute('data-playing', 'false');

  // Step an event: the next serverCron tick (hz 10), at most 100 ms of virtual time later.
  const before = Number(await attr(page, 'data-now'));
  await page.getByRole('button', { name: 'Step event' }).click();
  await expect.poll(async () => Number(await attr(page, 'data-now'))).toBeGreaterThan(before);
  expect(Number(await attr(page, 'data-now')) - before).toBeLessThanOrEqual(100);
  await expect(bar(page)).toHaveAttribute('data-playing', 'false');

  // Keys: Space and "." outside the terminal; Space typed in the terminal is just a space.
  await blur(page);
  await page.keyboard.press('Space');
  await expect(bar(page)).toHaveAttribute('data-playing', 'true');
  await page.keyboard.press('.');
  await expect(bar(page)).toHaveAttribute('data-playing', 'false');
  await t.press('Space');
  await expect(bar(page)).toHaveAttribute('data-playing', 'false');
  await t.press('Backspace');
  await blur(page);
  const beforeKey = Number(await attr(page, 'data-now'));
  await page.keyboard.press('ArrowRight');
  await expect.poll(async () => Number(await attr(page, 'data-now'))).toBeGreaterThan(beforeKey);
});

test('rewind to before a SET: a new command finds no key, forks the history, and the timeline shows the fork', async ({ page }) => {
  const t = await openApp(page);
  await expect(bar(page)).toHaveAttribute('data-ready', 'true');
  const commandsBefore = Number((await attr(page, 'data-commands')).split('/')[1]);
  expect(await run(t, 'SET city Paris')).toEqual(['OK']);
  expect(await run(t, 'APPEND city !')).toEqual(['(integer) 6']);
  await expect(bar(page)).toHaveAttribute('data-commands', `${commandsBefore + 2}/${commandsBefore + 2}`);
  const length = Number(await attr(page, 'data-length'));

  // Back, command by command, to before the SET. A rewind pauses there (playing would replay the
  // recorded history from that point).
  await page.getByRole('button', { name: 'Back' }).click();
  await expect(bar(page)).toHaveAttribute('data-commands', `${commandsBefore + 1}/${commandsBefore + 2}`);
  await expect(bar(page)).toHaveAttribute('data-playing', 'false');
  await blur(page);
  await page.keyboard.press('ArrowLeft'); // the same as Back
  await expect(bar(page)).toHaveAttribute('data-commands', `${commandsBefore}/${commandsBefore + 2}`);
  await expect(bar(page)).toHaveAttribute('data-past', 'true');
  await expect(page.getByTestId('time-state')).toContainText('In the past');
  expect(Number(await attr(page, 'data-length'))).toBe(length); // looking back cuts nothing
  await expect(page.getByTestId('time-timeline')).toHaveValue(await attr(page, 'data-position'));

  // The terminal's connection went with the world's present: redis-cli finds it closed, then
  // reconnects; its text stays as it was.
  expect(await t.text()).toContain('APPEND city !');
  expect(await run(t, 'GET city')).toEqual(['Error: Server closed the connection']);
  expect((await t.lines()).at(-1)).toBe('not connected> ');
  await enter(t, 'GET city');
  await expect(bar(page)).not.toHaveAttribute('data-waiting', '0');
  await page.getByRole('button', { name: 'Play' }).click();
  await t.idle();
  expect(await t.outputOf('GET city')).toEqual(['(nil)']);
  expect((await t.lines()).at(-1)).toMatch(PROMPT);

  // The history forked there: the commands after it are gone, and the timeline marks the fork.
  await expect(bar(page)).toHaveAttribute('data-forks', '1');
  await expect(bar(page)).toHaveAttribute('data-past', 'false');
  await expect(page.getByTestId('time-fork')).toHaveCount(1);
  expect(Number(await page.getByTestId('time-fork').getAttribute('data-index'))).toBeLessThan(length);
  const [position, count] = (await attr(page, 'data-commands')).split('/').map(Number);
  expect(position).toBe(count);
  expect(count).toBeLessThan(commandsBefore + 4); // SET and APPEND dropped, the GET (and what redis-cli sent on reconnecting) added
  expect(await run(t, 'EXISTS city')).toEqual(['(integer) 0']);
});

test('the timeline slider rewinds to the start; the time bar speaks Chinese too', async ({ page }) => {
  const t = await openApp(page);
  await expect(bar(page)).toHaveAttribute('data-ready', 'true');
  expect(await run(t, 'SET a 1')).toEqual(['OK']);
  const slider = page.getByTestId('time-timeline');
  await slider.focus();
  await page.keyboard.press('Home');
  await expect(bar(page)).toHaveAttribute('data-position', '0');
  await expect(bar(page)).toHaveAttribute('data-commands', /^0\//);
  await expect(bar(page)).toHaveAttribute('data-playing', 'false');
  await expect(page.getByTestId('time-state')).toContainText('In the past');
  await page.getByRole('button', { name: 'Play' }).click();
  // Playing from the start replays what was recorded: the SET comes back by itself.
  await expect(bar(page)).toHaveAttribute('data-past', 'false', { timeout: 15_000 });
  expect(await page.evaluate(() => (globalThis as unknown as { rediscope: { engine: { call(a: string[]): Promise<string> } } }).rediscope.engine.call(['GET', 'a'])).then((r) => r.trim())).toBe('"1"');

  await page.getByTestId('language-select').selectOption('zh');
  await expect(page.getByRole('button', { name: '暂停' })).toBeVisible();
  await expect(page.getByTestId('time-bar')).toHaveAttribute('aria-label', '时间控制');
});
