// The offline app: after one visit the service worker has cached every file of the build and
// controls the page, so the app reloads and runs with the network gone. And when a new version of
// the service worker is published, it waits, and the page offers to reload into it.
import { readdir, readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { openApp, TerminalDriver } from './support/terminal.ts';

/** The build the tests run against (the same one playwright.config.ts serves). */
const dist = path.resolve(process.env.PW_DIST ?? 'dist');

/**
 * What the page reaches through page.evaluate (e2e code has no DOM types): just the parts of the
 * service worker and cache APIs used here.
 */
interface SwRegistration { waiting: object | null; installing: object | null; active: object | null; update(): Promise<unknown> }
interface PageGlobals {
  navigator: { serviceWorker: { ready: Promise<unknown>; controller: object | null; getRegistration(): Promise<SwRegistration | undefined> } };
  caches: { keys(): Promise<string[]>; open(name: string): Promise<{ keys(): Promise<{ url: string }[]> }> };
  fetch(url: string): Promise<{ ok: boolean; status: number }>;
  rediscopeMarker?: number;
}
/** The page's globals, inside page.evaluate callbacks (they run in the page: nothing outside them is in scope). */
type G = PageGlobals;

/** Every file of the build the app may load: all but source maps and the service worker's own code. */
async function buildFiles(): Promise<string[]> {
  const entries = await readdir(dist, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => '/' + path.relative(dist, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .filter((p) => !p.endsWith('.map') && p !== '/sw.js' && !/^\/workbox-[\w-]+\.js$/.test(p))
    .sort();
}

/** Waits until a service worker controls the page (the first visit installs it, then it claims the page). */
async function waitForControl(page: Page): Promise<void> {
  await page.evaluate(() => (globalThis as unknown as G).navigator.serviceWorker.ready);
  await expect.poll(() => page.evaluate(() => (globalThis as unknown as G).navigator.serviceWorker.controller !== null)).toBe(true);
}

async function registrationState(page: Page): Promise<{ waiting: boolean; installing: boolean; active: boolean }> {
  return page.evaluate(async () => {
    const r = await (globalThis as unknown as G).navigator.serviceWorker.getRegistration();
    return { waiting: !!r?.waiting, installing: !!r?.installing, active: !!r?.active };
  });
}

test('after the first visit the app reloads and answers PING with the network gone', async ({ page, context }) => {
  const t = await openApp(page);
  await waitForControl(page);
  // Once everything is cached the page says so (and the note can be closed).
  const note = page.getByTestId('pwa-offline-ready');
  await expect(note).toContainText('ready to work offline');
  await note.getByRole('button', { name: 'Close the offline note' }).click();
  await expect(note).toHaveCount(0);

  // Every file of the build is in the precache, lazy chunks and icons included.
  const files = await buildFiles();
  expect(files).toContain('/index.html');
  expect(files).toContain('/manifest.webmanifest');
  const cached = await page.evaluate(async () => {
    const urls: string[] = [];
    for (const name of await (globalThis as unknown as G).caches.keys()) {
      for (const request of await (await (globalThis as unknown as G).caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
    }
    return urls;
  });
  expect(files.filter((f) => !cached.includes(f))).toEqual([]);

  await context.setOffline(true);
  // The network really is gone: a URL that was never cached fails.
  expect(await page.evaluate(() => (globalThis as unknown as G).fetch('/not-cached.txt').then((r) => r.status, () => 'failed'))).not.toBe(200);
  await page.reload();
  const offline = new TerminalDriver(page, t.name);
  await offline.idle();
  expect(await page.evaluate(() => (globalThis as unknown as G).navigator.serviceWorker.controller !== null)).toBe(true);
  await offline.run('PING');
  expect(await offline.outputOf('PING')).toEqual(['PONG']);
  await offline.run('SET offline:key "still works"');
  await offline.run('GET offline:key');
  expect(await offline.outputOf('GET offline:key')).toEqual(['"still works"']);
  // And every file of the build is still there for whatever loads later (lazy chunks).
  const failed = await page.evaluate(async (paths) => {
    const bad: string[] = [];
    for (const p of paths) {
      const ok = await (globalThis as unknown as G).fetch(p).then((r) => r.ok, () => false);
      if (!ok) bad.push(p);
    }
    return bad;
  }, files);
  expect(failed).toEqual([]);
});

/**
 * A static server over the build whose service worker script can be changed, as publishing a new
 * version does: `publish()` makes /sw.js byte-different, so the browser's next update check installs
 * it as a new version. (Its own origin, so its service worker is separate from the preview server's.)
 */
async function startVersionedServer(): Promise<{ url: string; publish(): void; close(): Promise<void> }> {
  const types: Record<string, string> = {
    '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml',
    '.png': 'image/png', '.wasm': 'application/wasm', '.json': 'application/json',
    '.webmanifest': 'application/manifest+json', '.ttf': 'font/ttf', '.woff2': 'font/woff2', '.map': 'application/json',
  };
  let version = 1;
  const server = http.createServer((req, res) => {
    void (async () => {
      let pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      if (pathname.endsWith('/')) pathname += 'index.html';
      const file = path.join(dist, pathname);
      if (!file.startsWith(dist + path.sep)) { res.writeHead(403).end(); return; }
      let body: Buffer;
      try {
        body = await readFile(file);
      } catch {
        res.writeHead(404).end();
        return;
      }
      if (pathname === '/sw.js' && version > 1) body = Buffer.concat([body, Buffer.from(`\n// version ${version}\n`)]);
      res.writeHead(200, { 'Content-Type': types[path.extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' });
      res.end(body);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    publish: () => { version++; },
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

test('a new version waits for the user: "Later" keeps the old one, "Reload" switches to it', async ({ page }) => {
  const server = await startVersionedServer();
  try {
    await page.goto(server.url);
    const t = new TerminalDriver(page, 'client 1');
    await t.idle();
    await waitForControl(page);
    const prompt = page.getByTestId('pwa-update');
    await expect(prompt).toHaveCount(0);

    // A new version is published; the page's update check installs it, and it waits.
    server.publish();
    await page.evaluate(async () => { await (await (globalThis as unknown as G).navigator.serviceWorker.getRegistration())!.update(); });
    await expect(prompt).toContainText('A new version of Rediscope is ready');
    await expect.poll(() => registrationState(page)).toEqual({ waiting: true, installing: false, active: true });

    // Later: the prompt goes, the old version keeps running, the new one keeps waiting.
    await prompt.getByRole('button', { name: 'Later' }).click();
    await expect(prompt).toHaveCount(0);
    await t.run('PING');
    expect(await t.outputOf('PING')).toEqual(['PONG']);
    // A reload does not switch either (the old worker still has the page); the prompt comes back.
    await page.reload();
    await t.idle();
    await expect(prompt).toContainText('A new version of Rediscope is ready');
    expect((await registrationState(page)).waiting).toBe(true);

    // Reload: the waiting worker takes over and the page reloads into the new version.
    await page.evaluate(() => { (globalThis as unknown as G).rediscopeMarker = 1; });
    const reloaded = page.waitForEvent('load');
    await prompt.getByRole('button', { name: 'Reload' }).click();
    await reloaded;
    expect(await page.evaluate(() => (globalThis as unknown as G).rediscopeMarker ?? null)).toBeNull();
    await t.idle();
    await expect(prompt).toHaveCount(0);
    await expect.poll(() => registrationState(page)).toEqual({ waiting: false, installing: false, active: true });
    expect(await page.evaluate(() => (globalThis as unknown as G).navigator.serviceWorker.controller !== null)).toBe(true);
    await t.run('PING');
    expect(await t.outputOf('PING')).toEqual(['PONG']);
  } finally {
    await server.close();
  }
});
