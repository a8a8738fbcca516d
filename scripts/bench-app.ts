// The app's cold load: how soon a first visit to the production build answers PING, and how much
// JavaScript it loads to get there. Run alone (`npx tsx scripts/bench-app.ts`) or as section (c) of
// `npm run bench`.
//  1. Builds the app into a temporary directory (or measures an existing build: --dist DIR).
//  2. Serves it with `vite preview` on a free loopback port.
//  3. N times (--runs N, default 5): a new headless chromium with a new empty profile and the HTTP
//     cache disabled opens the page. A probe injected before the page's own scripts notes, in the
//     page's clock (0 = navigation start), when the engine reports ready, when a PING sent through
//     the page's engine (window.rediscope.engine.call) is answered, when the terminal shows its
//     prompt, and when a PING typed there (pasted, as the clipboard does) shows PONG. Then, once the
//     service worker controls the page, a reload measures the same from its cache.
//  4. Sizes: the entry chunk, the CSS, the engine worker and every other JS file, raw and gzipped,
//     split into what the page fetched before the terminal's first PONG and what loads lazily.
// No timing is asserted anywhere: these are figures to read, on a machine that may be doing other work.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from '@playwright/test';
import playwrightConfig from '../playwright.config.ts';
import { freePort } from '../test/support/realRedis.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const vite = path.join(root, 'node_modules/.bin/vite');

export interface AppBenchOptions {
  runs: number;
  /** An existing build to measure instead of building one. */
  dist?: string;
}

/** Milliseconds after navigation start, in the page's clock; one object per page load. */
interface LoadMarks {
  /** The document's response has fully arrived; DOMContentLoaded; the load event. */
  responseEnd: number;
  domContentLoaded: number;
  load: number;
  /**
   * The entry chunk has arrived; the engine worker's script has arrived. (Chromium's resource
   * timing gives a worker script a startTime later than its responseEnd, so only the end is used.)
   */
  entryFetched: number;
  workerFetched: number;
  /** The engine's status first says 'ready' (its worker is up and has reported in). */
  engineReady: number;
  /** A PING through window.rediscope.engine.call, sent as soon as the hook exists, is answered. */
  apiPong: number;
  /** The terminal shows its first prompt (redis-cli has started and is idle). */
  prompt: number;
  /** PING, pasted at that prompt, has its PONG on screen. */
  terminalPong: number;
}

export interface FileSize { file: string; raw: number; gzip: number }

export interface AppBenchResult {
  runs: number;
  buildSeconds: number | null;
  cold: LoadMarks[];
  /** The same page reloaded once the service worker controls it (files from its cache). */
  repeat: LoadMarks[];
  entry: FileSize;
  css: FileSize[];
  /** JS and wasm files fetched before the terminal's first PONG (the entry chunk, the engine worker, ...). */
  startupJs: FileSize[];
  /** JS and wasm files of the build not fetched by then. */
  lazyJs: FileSize[];
  /** What the service worker precaches (from its precache manifest). */
  precache: { entries: number; bytes: number };
}

// --- the build -----------------------------------------------------------------------------------

export function run(cmd: string, args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${path.basename(cmd)} ${args.join(' ')} exited with ${code}\n${stderr}`));
    });
  });
}

async function fileSize(dist: string, file: string): Promise<FileSize> {
  const bytes = await readFile(path.join(dist, file));
  return { file, raw: bytes.length, gzip: gzipSync(bytes).length };
}

/** Every file of the build, as URL paths ("/assets/index-abc.js"). */
async function buildFiles(dist: string): Promise<string[]> {
  const entries = await readdir(dist, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile())
    .map((e) => '/' + path.relative(dist, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
}

async function precacheOf(dist: string): Promise<{ entries: number; bytes: number }> {
  const sw = await readFile(path.join(dist, 'sw.js'), 'utf8').catch(() => '');
  const urls = [...sw.matchAll(/\{url:"([^"]+)",revision:/g)].map((m) => m[1]);
  let bytes = 0;
  for (const url of urls) bytes += (await readFile(path.join(dist, url)).catch(() => Buffer.alloc(0))).length;
  return { entries: urls.length, bytes };
}

// --- the server ----------------------------------------------------------------------------------

export async function startPreview(dist: string): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  // vite's own bin (a node script), so the pid is the server itself and killing it stops it.
  const child: ChildProcess = spawn(vite, ['preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--outDir', dist],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}/`;
  const stop = async () => { child.kill('SIGTERM'); await exited; };
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`vite preview exited with ${child.exitCode}`);
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return { url, stop };
    if (Date.now() > deadline) { await stop(); throw new Error('vite preview did not start'); }
    await new Promise((r) => setTimeout(r, 100));
  }
}

// --- the page ------------------------------------------------------------------------------------

/**
 * Runs in the page before its own scripts, on every load: polls (every few ms, on the page's main
 * thread, so as little as possible) for the moments in LoadMarks and records them on
 * window.__appBench. Plain JavaScript in a string: tsx would wrap a TypeScript function's inner
 * functions in a helper (__name) the page does not have.
 */
const PROBE = `(() => {
  const marks = {};
  window.__appBench = marks;
  const now = () => Math.round(performance.now() * 10) / 10;
  let pingSent = false;
  const tick = () => {
    const hook = window.rediscope;
    const engine = hook && hook.engine;
    if (engine) {
      if (marks.engineReady === undefined && engine.status().state === 'ready') marks.engineReady = now();
      if (!pingSent) {
        pingSent = true;
        engine.call(['PING']).then((reply) => { marks.apiPong = now(); marks.apiReply = reply; },
          (e) => { marks.error = String(e); });
      }
    }
    const term = hook && hook.terminals['client 1'];
    if (term) {
      if (marks.prompt === undefined && !term.busy() && term.prompt() !== null) {
        marks.prompt = now();
        term.paste('PING\\r');
      } else if (marks.prompt !== undefined && marks.terminalPong === undefined) {
        const lines = term.lines();
        const at = lines.findIndex((l) => l.endsWith('> PING'));
        if (at >= 0 && lines[at + 1] === 'PONG') marks.terminalPong = now();
      }
    }
    const nav = performance.getEntriesByType('navigation')[0];
    if (nav && nav.loadEventEnd > 0 && marks.load === undefined) {
      marks.responseEnd = Math.round(nav.responseEnd);
      marks.domContentLoaded = Math.round(nav.domContentLoadedEventEnd);
      marks.load = Math.round(nav.loadEventEnd);
    }
    for (const e of performance.getEntriesByType('resource')) {
      if (marks.entryFetched === undefined && e.initiatorType === 'script' && /\\/assets\\/index-[^/]*\\.js$/.test(e.name)) marks.entryFetched = Math.round(e.responseEnd);
      if (marks.workerFetched === undefined && /\\/engine\\.worker-[^/]*\\.js$/.test(e.name) && e.responseEnd > 0) marks.workerFetched = Math.round(e.responseEnd);
    }
    const done = ['engineReady', 'apiPong', 'terminalPong', 'load'].every((k) => marks[k] !== undefined);
    if (!done && marks.error === undefined) setTimeout(tick, 2);
  };
  tick();
})();`;

const MARK_KEYS = ['responseEnd', 'entryFetched', 'domContentLoaded', 'load', 'workerFetched',
  'engineReady', 'apiPong', 'prompt', 'terminalPong'] as const;

async function waitForMarks(page: Page): Promise<LoadMarks> {
  type G = { __appBench?: Record<string, number | string> };
  await page.waitForFunction(() => {
    const m = (globalThis as unknown as G).__appBench;
    return !!m && (m.error !== undefined || ['engineReady', 'apiPong', 'terminalPong', 'load'].every((k) => m[k] !== undefined));
  }, undefined, { timeout: 30_000, polling: 20 });
  const marks = await page.evaluate(() => (globalThis as unknown as G).__appBench!);
  if (marks.error !== undefined) throw new Error(`the page's PING failed: ${marks.error}`);
  if (String(marks.apiReply).trim() !== 'PONG') throw new Error(`the page's PING replied ${JSON.stringify(marks.apiReply)}`);
  return Object.fromEntries(MARK_KEYS.map((k) => [k, Number(marks[k])])) as unknown as LoadMarks;
}

interface RunResult { cold: LoadMarks; repeat: LoadMarks; fetchedBeforePong: Set<string> }

async function measureOnce(url: string): Promise<RunResult> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'rediscope-bench-profile-'));
  const launch = playwrightConfig.use?.launchOptions ?? {};
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: launch.executablePath ?? '/usr/bin/chromium',
    args: launch.args,
    viewport: { width: 1280, height: 720 },
  });
  try {
    const page = context.pages()[0] ?? await context.newPage();
    // Nothing from the HTTP cache (the profile is empty anyway).
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await page.addInitScript({ content: PROBE });
    // What the page and its workers fetch (the service worker's own precaching is left out).
    const fetched = new Set<string>();
    let recording = true;
    context.on('request', (request) => {
      if (recording && request.serviceWorker() === null) fetched.add(new URL(request.url()).pathname);
    });
    await page.goto(url, { waitUntil: 'commit' });
    const cold = await waitForMarks(page);
    recording = false;
    // Once the service worker has installed and claimed the page, a reload is served from its cache.
    await page.evaluate(async () => {
      const sw = (globalThis as unknown as { navigator: { serviceWorker: { ready: Promise<unknown>; controller: unknown } } }).navigator.serviceWorker;
      await sw.ready;
      for (let i = 0; i < 500 && !sw.controller; i++) await new Promise((r) => setTimeout(r, 10));
      if (!sw.controller) throw new Error('the service worker did not take control of the page');
    });
    await page.reload({ waitUntil: 'commit' });
    const repeat = await waitForMarks(page);
    return { cold, repeat, fetchedBeforePong: fetched };
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
}

// --- the whole measurement -----------------------------------------------------------------------

/**
 * The built app to measure: `given` (a dist directory) as it is, or a fresh production build in a
 * temporary directory (removed by the caller: `tempDist`), timed.
 */
export async function builtApp(given: string | undefined, prefix: string): Promise<{ dist: string; tempDist: string | null; buildSeconds: number | null }> {
  if (given) return { dist: path.resolve(given), tempDist: null, buildSeconds: null };
  const tempDist = await mkdtemp(path.join(os.tmpdir(), prefix));
  const started = performance.now();
  await run(vite, ['build', '--outDir', tempDist, '--emptyOutDir', '--logLevel', 'error'], 300_000);
  return { dist: tempDist, tempDist, buildSeconds: (performance.now() - started) / 1000 };
}

export async function benchApp(options: AppBenchOptions): Promise<AppBenchResult> {
  const { dist, tempDist, buildSeconds } = await builtApp(options.dist, 'rediscope-bench-dist-');
  const server = await startPreview(dist);
  try {
    const cold: LoadMarks[] = [];
    const repeat: LoadMarks[] = [];
    let fetched = new Set<string>();
    for (let i = 0; i < options.runs; i++) {
      const r = await measureOnce(server.url);
      cold.push(r.cold);
      repeat.push(r.repeat);
      // A file counts as loaded at startup if any run fetched it before its first PONG.
      fetched = new Set([...fetched, ...r.fetchedBeforePong]);
    }

    const html = await readFile(path.join(dist, 'index.html'), 'utf8');
    const entryPath = /<script type="module"[^>]*\ssrc="([^"]+)"/.exec(html)?.[1];
    if (!entryPath) throw new Error('no entry script in index.html');
    const files = await buildFiles(dist);
    // Code: JS chunks and WebAssembly (the service worker's own files are not the app's).
    const js = files.filter((f) => /\.(js|wasm)$/.test(f) && f !== '/sw.js' && !/^\/workbox-[\w-]+\.js$/.test(f));
    const size = (f: string) => fileSize(dist, f.slice(1));
    const bySize = (a: FileSize, b: FileSize) => b.raw - a.raw;
    return {
      runs: options.runs,
      buildSeconds,
      cold,
      repeat,
      entry: await size(entryPath),
      css: await Promise.all(files.filter((f) => f.endsWith('.css')).map(size)),
      startupJs: (await Promise.all(js.filter((f) => fetched.has(f)).map(size))).sort(bySize),
      lazyJs: (await Promise.all(js.filter((f) => !fetched.has(f)).map(size))).sort(bySize),
      precache: await precacheOf(dist),
    };
  } finally {
    await server.stop();
    if (tempDist) await rm(tempDist, { recursive: true, force: true });
  }
}

// --- printing ------------------------------------------------------------------------------------

function stats(values: number[]): { median: number; min: number; max: number } {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return { median: NaN, min: NaN, max: NaN };
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

const kB = (n: number) => `${(n / 1000).toFixed(1)} kB`;
/** A file name without its content hash: "/assets/index-BGaGGlTR.js" -> "index.js". */
const shortName = (f: string) => path.basename(f).replace(/-[\w-]{8}(?=\.\w+$)/, '');

export function printAppBench(r: AppBenchResult): void {
  const ms = (n: number) => (Number.isNaN(n) ? '-' : `${Math.round(n)} ms`).padStart(9);
  const rows: [string, keyof LoadMarks][] = [
    ['document received', 'responseEnd'],
    ['entry chunk received', 'entryFetched'],
    ['DOMContentLoaded', 'domContentLoaded'],
    ['load event', 'load'],
    ['engine worker script received', 'workerFetched'],
    ['engine ready', 'engineReady'],
    ['first PONG (engine.call)', 'apiPong'],
    ['terminal prompt', 'prompt'],
    ['first PONG in the terminal', 'terminalPong'],
  ];
  console.log('  Time after navigation start      median      min      max');
  for (const [label, key] of rows) {
    const s = stats(r.cold.map((m) => m[key]));
    console.log(`  ${label.padEnd(30)}${ms(s.median)}${ms(s.min)}${ms(s.max)}`);
  }
  console.log('  Repeat visit, from the service worker cache:');
  for (const [label, key] of rows.filter(([, k]) => k === 'engineReady' || k === 'terminalPong')) {
    const s = stats(r.repeat.map((m) => m[key]));
    console.log(`  ${('  ' + label).padEnd(30)}${ms(s.median)}${ms(s.min)}${ms(s.max)}`);
  }
  console.log();
  const line = (label: string, f: { raw: number; gzip: number }) =>
    console.log(`  ${label.padEnd(36)}${kB(f.raw).padStart(11)}${kB(f.gzip).padStart(11)}`);
  const sum = (fs: FileSize[]) => ({ raw: fs.reduce((a, f) => a + f.raw, 0), gzip: fs.reduce((a, f) => a + f.gzip, 0) });
  console.log(`  ${'Bundle'.padEnd(36)}${'raw'.padStart(11)}${'gzip'.padStart(11)}`);
  line(`entry chunk (${shortName(r.entry.file)})`, r.entry);
  for (const f of r.css) line(`css (${shortName(f.file)})`, f);
  console.log('  JS/wasm fetched before the first PONG:');
  for (const f of r.startupJs) line(`  ${shortName(f.file)}`, f);
  line('  total', sum(r.startupJs));
  console.log('  JS/wasm loaded later (lazy):');
  if (r.lazyJs.length === 0) console.log('    (none)');
  for (const f of r.lazyJs) line(`  ${shortName(f.file)}`, f);
  if (r.lazyJs.length > 1) line('  total', sum(r.lazyJs));
  console.log(`  precache: ${r.precache.entries} files, ${(r.precache.bytes / 1e6).toFixed(2)} MB`);
}

export function describeAppBench(r: AppBenchResult): string {
  return `(c) App cold load: production build${r.buildSeconds === null ? '' : ` (built in ${r.buildSeconds.toFixed(1)} s)`}, ` +
    `vite preview on loopback, headless chromium with a new profile and the HTTP cache disabled, ${r.runs} run${r.runs === 1 ? '' : 's'}`;
}

// --- run alone -----------------------------------------------------------------------------------

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const at = (name: string) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
  const result = await benchApp({ runs: Number(at('--runs') ?? 5), dist: at('--dist') });
  console.log(describeAppBench(result));
  printAppBench(result);
}
