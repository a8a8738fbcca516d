// The redis-cli terminal in the browser: typing, hints, completion, history across reloads,
// pasting, the wire view, several clients on one server (WATCH races, pub/sub, blocking pops,
// MONITOR), a page that stays responsive during long engine work, and a worker that dies.
import { expect, test } from '@playwright/test';
import { addClient, crashEngine, openApp, PROMPT } from './support/terminal.ts';

test('hints show in grey while typing, and go when the line is run', async ({ page }) => {
  const t = await openApp(page);
  await t.type('SET k v');
  await expect.poll(async () => (await t.lines()).at(-1)).toMatch(/^127\.0\.0\.1:6379> SET k v \[NX\|XX\] \[GET\] \[EX seconds\|PX milliseconds/);
  // Drawn on screen in grey (SGR 90: bright black, xterm's colour 8), apart from the typed text.
  await expect(t.rows.locator('span.xterm-fg-8').filter({ hasText: '[NX|XX] [GET]' })).toHaveCount(1);
  await t.type(' NX');
  await expect.poll(async () => (await t.lines()).at(-1)).toMatch(/^127\.0\.0\.1:6379> SET k v NX \[/);
  await page.keyboard.press('Enter');
  await t.idle();
  // The line stays as typed, without its hint.
  expect((await t.lines()).slice(0, 2)).toEqual(['127.0.0.1:6379> SET k v NX', 'OK']);
});

test('TAB completes command names and cycles through the matches', async ({ page }) => {
  const t = await openApp(page);
  await t.type('hgeta');
  await page.keyboard.press('Tab');
  await expect.poll(async () => (await t.lines()).at(-1)).toMatch(/^127\.0\.0\.1:6379> HGETALL( key)?$/);
  await t.press('Control+U');
  await t.type('zra');
  await page.keyboard.press('Tab');
  await expect.poll(async () => (await t.lines()).at(-1)).toMatch(/^127\.0\.0\.1:6379> ZRANDMEMBER/);
  await page.keyboard.press('Tab');
  await expect.poll(async () => (await t.lines()).at(-1)).toMatch(/^127\.0\.0\.1:6379> ZRANGE /);
});

test('history is kept across reloads, for every client', async ({ page }) => {
  const t = await openApp(page);
  await t.run('SET histkey 42');
  await t.run('GET histkey');
  await page.reload();
  await t.idle();
  await t.press('ArrowUp');
  await expect.poll(() => t.lastLine()).toBe('127.0.0.1:6379> GET histkey');
  await page.keyboard.press('ArrowUp');
  // (The grey hint follows a recalled line, as it follows a typed one.)
  await expect.poll(() => t.lastLine()).toMatch(/^127\.0\.0\.1:6379> SET histkey 42 \[NX\|XX\]/);
  // A new client starts with the same history file.
  const t2 = await addClient(page, 'client 2');
  await t2.press('ArrowUp');
  await expect.poll(() => t2.lastLine()).toBe('127.0.0.1:6379> GET histkey');
  // Ctrl-R searches it.
  await t2.press('Control+U');
  await page.keyboard.press('Control+R');
  await page.keyboard.type('SET');
  await expect.poll(() => t2.lastLine()).toBe("(reverse-i-search)`SET': SET histkey 42");
});

test('two clients race WATCH/MULTI: the second EXEC fails with (nil)', async ({ page }) => {
  const a = await openApp(page);
  const b = await addClient(page, 'client 2');
  await a.run('SET counter 10');
  await a.run('WATCH counter');
  await b.run('WATCH counter');
  await a.run('MULTI');
  await b.run('MULTI');
  await a.run('INCR counter');
  await b.run('INCR counter');
  expect((await a.lines()).at(-1)).toBe('127.0.0.1:6379(TX)> ');
  expect(await a.outputOf('INCR counter')).toEqual(['QUEUED']);
  await a.run('EXEC');
  expect(await a.outputOf('EXEC')).toEqual(['1) (integer) 11']);
  await b.run('EXEC');
  expect(await b.outputOf('EXEC')).toEqual(['(nil)']);
  expect((await b.lines()).at(-1)).toBe('127.0.0.1:6379> ');
  await b.run('GET counter');
  expect(await b.outputOf('GET counter')).toEqual(['"11"']);
});

test('SUBSCRIBE in one client shows what another PUBLISHes, until Ctrl-C', async ({ page }) => {
  const sub = await openApp(page);
  const pub = await addClient(page, 'client 2');
  await sub.type('SUBSCRIBE news');
  await page.keyboard.press('Enter');
  await expect.poll(() => sub.lines()).toEqual([
    '127.0.0.1:6379> SUBSCRIBE news', 'Reading messages... (press Ctrl-C to quit)',
    '1) "subscribe"', '2) "news"', '3) (integer) 1',
  ]);
  expect(await sub.busy()).toBe(true);
  await pub.run('PUBLISH news "hello there"');
  expect(await pub.outputOf('PUBLISH news "hello there"')).toEqual(['(integer) 1']);
  await expect.poll(async () => (await sub.lines()).slice(5)).toEqual(['1) "message"', '2) "news"', '3) "hello there"']);
  await sub.press('Control+C');
  await sub.idle();
  await pub.run('PUBLISH news again');
  expect(await pub.outputOf('PUBLISH news again')).toEqual(['(integer) 0']);
  await sub.run('PING');
  expect(await sub.outputOf('PING')).toEqual(['PONG']);
});

test('BLPOP waits, and is served when another client pushes', async ({ page }) => {
  const waiter = await openApp(page);
  const pusher = await addClient(page, 'client 2');
  await waiter.type('BLPOP jobs 0');
  await page.keyboard.press('Enter');
  await expect.poll(() => waiter.busy()).toBe(true);
  await pusher.run('RPUSH jobs job-1');
  expect(await pusher.outputOf('RPUSH jobs job-1')).toEqual(['(integer) 1']);
  await waiter.idle();
  const out = await waiter.outputOf('BLPOP jobs 0');
  expect(out.slice(0, 2)).toEqual(['1) "jobs"', '2) "job-1"']);
  // redis-cli adds the time taken when it is half a second or more.
  expect(out.slice(2).every((l) => /^\(\d+\.\d\ds\)$/.test(l))).toBe(true);
  await pusher.run('LLEN jobs');
  expect(await pusher.outputOf('LLEN jobs')).toEqual(['(integer) 0']);
});

test('MONITOR streams the other clients\' commands until Ctrl-C', async ({ page }) => {
  const mon = await openApp(page);
  const other = await addClient(page, 'client 2');
  await mon.type('MONITOR');
  await page.keyboard.press('Enter');
  await expect.poll(() => mon.lastLine()).toBe('OK');
  await other.run('SET watched "a b"');
  // The line may wrap in a narrow terminal: the text is what counts.
  await expect.poll(async () => (await mon.lines()).slice(-3).join('')).toMatch(/\d+\.\d{6} \[0 127\.0\.0\.1:\d+\] "SET" "watched" "a b"$/);
  await mon.press('Control+C');
  await mon.idle();
  // The prompt follows ^C on the same line; when the MONITOR ran half a second or more, redis-cli
  // first prints the time taken after the ^C, and the prompt goes on the next line.
  const tail = (await mon.lines()).slice(-2).join('\n');
  expect(tail).toMatch(/(^|\n)\^C(127\.0\.0\.1:6379>|\(\d+\.\d\ds\)\n127\.0\.0\.1:6379>) ?$/);
});

test('the page stays responsive while the engine sleeps (DEBUG SLEEP 5)', async ({ page }) => {
  const sleeper = await openApp(page);
  const other = await addClient(page, 'client 2');
  await sleeper.type('DEBUG SLEEP 5');
  await page.keyboard.press('Enter');
  await expect.poll(() => sleeper.busy()).toBe(true);
  // Typing in the other terminal is echoed at once, hint included, while the engine sleeps.
  await other.type('PING');
  await expect.poll(() => other.lastLine()).toBe('127.0.0.1:6379> PING [message]');
  expect(await sleeper.busy()).toBe(true);
  // Its command waits for the sleeping server, as with a real one.
  await page.keyboard.press('Enter');
  await expect.poll(() => other.busy()).toBe(true);
  await sleeper.idle(20_000);
  expect(await sleeper.outputOf('DEBUG SLEEP 5')).toEqual(['OK', expect.stringMatching(/^\(5\.\d\ds\)$/)]);
  await other.idle(20_000);
  expect((await other.outputOf('PING'))[0]).toBe('PONG');
});

test('the page stays responsive during long engine work (DEBUG POPULATE 1000000)', async ({ page }) => {
  test.setTimeout(120_000);
  const worker = await openApp(page);
  const other = await addClient(page, 'client 2');
  await worker.type('DEBUG POPULATE 1000000');
  await page.keyboard.press('Enter');
  await expect.poll(() => worker.busy()).toBe(true);
  await other.type('DBSIZE');
  await expect.poll(() => other.lastLine()).toBe('127.0.0.1:6379> DBSIZE');
  expect(await worker.busy()).toBe(true);
  await expect.poll(() => worker.busy(), { timeout: 90_000 }).toBe(false);
  expect((await worker.outputOf('DEBUG POPULATE 1000000'))[0]).toBe('OK');
  await other.press('Enter');
  await other.idle();
  expect(await other.outputOf('DBSIZE')).toEqual(['(integer) 1000000']);
});

test('a paste of several lines runs each line in turn', async ({ page }) => {
  const t = await openApp(page);
  await t.paste('SET greeting hello\nAPPEND greeting " world"\nGET greeting\n');
  await expect.poll(() => t.lines()).toEqual([
    '127.0.0.1:6379> SET greeting hello', 'OK',
    '127.0.0.1:6379> APPEND greeting " world"', '(integer) 11',
    '127.0.0.1:6379> GET greeting', '"hello world"',
    '127.0.0.1:6379> ',
  ]);
  // A last line without a newline is only typed.
  await t.paste('STRLEN greeting');
  await expect.poll(() => t.lastLine()).toBe('127.0.0.1:6379> STRLEN greeting');
});

test('the wire view shows the RESP bytes sent and received', async ({ page }) => {
  const t = await openApp(page);
  await t.card.getByRole('button', { name: 'Show wire' }).click();
  const wire = page.getByTestId('wire-client 1');
  await t.run('PING');
  await expect(wire.locator('li.sent').last()).toHaveText('→*1\\r\\n$4\\r\\nPING\\r\\n');
  await expect(wire.locator('li.received').last()).toHaveText('←+PONG\\r\\n');
  await t.run('SET "a b" é');
  await expect(wire.locator('li.sent').last()).toHaveText('→*3\\r\\n$3\\r\\nSET\\r\\n$3\\r\\na b\\r\\n$2\\r\\n\\xc3\\xa9\\r\\n');
  await t.card.getByRole('button', { name: 'Hide wire' }).click();
  await expect(wire).toHaveCount(0);
});

test('clients can be added and closed; each is its own connection', async ({ page }) => {
  const a = await openApp(page);
  const b = await addClient(page, 'client 2');
  await a.run('CLIENT ID');
  await b.run('CLIENT ID');
  const idA = await a.outputOf('CLIENT ID');
  const idB = await b.outputOf('CLIENT ID');
  expect(idA).not.toEqual(idB);
  const clients = async (t: typeof a) => {
    await t.run('CLIENT LIST');
    return (await t.outputOf('CLIENT LIST')).filter((l) => l.startsWith('id=')).length;
  };
  expect(await clients(b)).toBe(2);
  await page.getByRole('button', { name: 'Close client 2' }).click();
  await expect(page.locator('[data-terminal="client 2"]')).toHaveCount(0);
  expect(await clients(a)).toBe(1);
  // The only client left cannot be closed.
  await expect(page.getByRole('button', { name: 'Close client 1' })).toHaveCount(0);
});

test('quit ends redis-cli; Enter starts a new one', async ({ page }) => {
  const t = await openApp(page);
  await t.type('quit');
  await page.keyboard.press('Enter');
  await expect.poll(() => t.lastLine()).toBe('redis-cli exited (code 0). Press Enter to start it again.');
  await page.keyboard.press('Enter');
  await t.idle();
  await t.run('PING');
  expect(await t.outputOf('PING')).toEqual(['PONG']);
});

test('when the worker dies, the page says so and a fresh engine takes over', async ({ page }) => {
  const t = await openApp(page);
  // Nothing written, so nothing saved: the fresh engine starts empty (world.spec.ts restores a save).
  await t.run('GET survivor');
  await crashEngine(page);
  const notice = page.getByTestId('engine-notice');
  await expect(notice).toContainText('a fresh one was started with an empty world');
  await expect(notice).toContainText('IndexedDB');
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'ready');
  // redis-cli finds its server gone, as after a restart of a real one, then reconnects.
  await t.run('GET survivor');
  expect(await t.outputOf('GET survivor')).toEqual(['Error: Server closed the connection']);
  expect((await t.lines()).at(-1)).toBe('not connected> ');
  await t.run('GET survivor');
  expect(await t.outputOf('GET survivor')).toEqual(['(nil)']);
  expect((await t.lines()).at(-1)).toMatch(PROMPT);
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toHaveCount(0);
});

test('keyboard: focus on the first client, then on a new one; Escape then Tab leaves a terminal', async ({ page }) => {
  const t = await openApp(page);
  // Typing right away goes to client 1.
  await page.keyboard.type('ECHO first');
  await expect.poll(() => t.lastLine()).toBe('127.0.0.1:6379> ECHO first');
  const t2 = await addClient(page, 'client 2');
  await page.keyboard.type('ECHO second');
  await expect.poll(() => t2.lastLine()).toBe('127.0.0.1:6379> ECHO second');
  await t.press('Control+U');
  await expect(page.getByRole('textbox', { name: 'client 1: redis-cli' })).toBeVisible();
  await t.focus();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => {
    const el = (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null; textContent: string | null } | null } }).document.activeElement;
    return el?.getAttribute('aria-label') ?? el?.textContent ?? null;
  });
  expect(focused).toBe('Show wire');
  // An Escape not followed by Tab still reaches redis-cli (linenoise then takes two more keys).
  await t.focus();
  await page.keyboard.press('Escape');
  await page.keyboard.type('xyPING');
  await expect.poll(() => t.lastLine()).toBe('127.0.0.1:6379> PING [message]');
});

test('the --raw toggle prints replies as redis-cli --raw does, and is kept across reloads', async ({ page }) => {
  const t = await openApp(page);
  await t.run('RPUSH rawlist "a b" 7');
  await t.run('LRANGE rawlist 0 -1');
  expect(await t.outputOf('LRANGE rawlist 0 -1')).toEqual(['1) "a b"', '2) "7"']);
  const toggle = page.locator('[data-terminal="client 1"]').getByRole('button', { name: '--raw' });
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await t.focus();
  await t.run('LRANGE rawlist 0 -1');
  expect(await t.outputOf('LRANGE rawlist 0 -1')).toEqual(['a b', '7']);
  await t.run('LLEN rawlist');
  expect(await t.outputOf('LLEN rawlist')).toEqual(['2']);
  // The terminals list (with the toggle) is saved in IndexedDB before the reload.
  await expect.poll(() => page.evaluate(() => new Promise<unknown>((resolve) => {
    const open = (globalThis as unknown as { indexedDB: { open(name: string): any } }).indexedDB.open('rediscope');
    open.onsuccess = () => {
      const get = open.result.transaction('settings').objectStore('settings').get('terminals');
      get.onsuccess = () => resolve(JSON.stringify(get.result ?? null).includes('"raw":true'));
    };
  }))).toBe(true);
  await page.reload();
  await t.idle();
  await t.run('GET nosuchkey');
  expect(await t.outputOf('GET nosuchkey')).toEqual(['']);
});
