// Frame times while the internals panels animate: does the page stay fluid while the skiplist panel
// follows a sorted set growing to 10,000 members, and while the dict panel shows the keyspace's
// main dict rehashing more than 100,000 keys? Run alone (`npx tsx scripts/bench-frames.ts`) or as
// section (e) of `npm run bench`.
//  1. Builds the app into a temporary directory (or uses an existing build: --dist DIR) and serves
//     it with `vite preview` on a free loopback port.
//  2. Each scenario opens the page in a new headless chromium (new profile, 1280x720), waits for the
//     terminal's prompt, opens the panel's tab, then records every frame in the page: the time
//     between consecutive requestAnimationFrame callbacks (a frame that took longer than the
//     display's 16.7 ms shows as a longer gap), and long tasks (over 50 ms on the main thread)
//     from a PerformanceObserver. It also samples, once a frame, what the panel shows (node count,
//     rehashidx), to check the panel really moved while it was measured.
//  3. Scenarios:
//     idle      the skiplist panel open on an empty key, nothing running, 2 s: the baseline cadence.
//     zadd      10,000 members ZADDed into one sorted set as a stream: one ZADD of 50 members sent at
//               each animation frame (200 commands, each on its own connection through the page's
//               engine hook), the skiplist panel open and following the key (it converts from
//               listpack to skiplist at the 129th member); measured until the panel draws all
//               10,000 and its step animation has run on for a second.
//     rehash    the keyspace's main dict holding 131,072 keys (DEBUG POPULATE, not measured) gets
//               one more (SET): it grows to 262,144 buckets and rehashes incrementally. One SET of
//               a new key is sent per animation frame (each moves a bucket: _dictRehashStep) while
//               the cron (incrementallyRehash, 1,000 buckets per 100 ms tick at 1x) does the bulk;
//               the dict panel is open on the keyspace; measured until the panel shows the rehash
//               finished (rehashidx -1, one table), plus a second.
//  4. Per scenario: frames, median, 95th percentile and longest frame, frames over 50 ms, long
//     tasks. Target (issue 5): no frame over 50 ms, p95 within 20 ms.
// Options: --dist DIR, --quick (smaller scenarios), --runs N (each scenario N times in a new browser;
// the least disturbed run is reported, as (b) keeps the best of 3), --only a,b (those scenarios), --profile DIR (a CPU profile of the page's
// main thread per scenario, written as DIR/<scenario>.cpuprofile, with the functions taking the
// most self time printed, and a Chrome trace, DIR/<scenario>.trace.json, with the main thread's
// time by trace event).
// No timing is asserted anywhere: these are figures to read, on a machine that may be doing other work.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type CDPSession, type Page } from '@playwright/test';
import playwrightConfig from '../playwright.config.ts';
import { builtApp, startPreview } from './bench-app.ts';

export interface FramesBenchOptions {
  /** An existing build to measure instead of building one. */
  dist?: string;
  quick?: boolean;
  /** Write a CPU profile of each scenario here (one run each). */
  profileDir?: string;
  /** Runs of each scenario, each in a new browser; the least disturbed one is reported (default 1). */
  runs?: number;
  /** Only these scenarios (by name). */
  only?: string[];
}

export interface FrameStats {
  /** Frames recorded (gaps between animation frames). */
  frames: number;
  seconds: number;
  median: number;
  p95: number;
  max: number;
  /** Frames longer than 50 ms. */
  over50: number;
  /** Main-thread tasks over 50 ms (null: the browser does not report them). */
  longTasks: { count: number; max: number; total: number } | null;
}

export interface ScenarioResult {
  name: string;
  description: string;
  /** The run reported: the least disturbed (lowest p95, then fewest frames over 50 ms, then shortest longest frame). */
  stats: FrameStats;
  /** Every run's figures, in order. */
  runs: FrameStats[];
  /** What the panel showed, sampled once a frame: distinct values seen, first and last. */
  panel: { attribute: string; distinct: number; first: string; last: string };
  /** Other facts about the run (replies, rehash time ...). */
  notes: string[];
  /** Functions with the most self time on the main thread (with --profile). */
  hot: { name: string; ms: number }[];
  /** The renderer main thread's top-level work by trace event name: script, style, layout, paint ... (with --profile). */
  breakdown: { name: string; ms: number }[];
}

export interface FramesBenchResult {
  buildSeconds: number | null;
  scenarios: ScenarioResult[];
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// --- in the page -------------------------------------------------------------------------------------
// Plain JavaScript in strings: tsx would wrap a TypeScript function's inner functions in a helper
// (__name) the page does not have.

/**
 * Starts recording frames: window.__frames.deltas (ms between animation frames), .longTasks
 * (durations), .seen (the probe's distinct values, in order). `probe` is a JS expression read once a frame.
 */
const startRecorder = (probe: string) => `(() => {
  const rec = { deltas: [], longTasks: [], seen: [], last: null, running: true, longTaskSupported: false, started: performance.now() };
  window.__frames = rec;
  const probe = () => { try { return ${probe}; } catch (e) { return null; } };
  let previous = null;
  const tick = (t) => {
    if (!rec.running) return;
    if (previous !== null) rec.deltas.push(t - previous);
    previous = t;
    const v = probe();
    if (v !== null && v !== undefined && v !== rec.last) { rec.seen.push(String(v)); rec.last = v; }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  try {
    rec.observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) rec.longTasks.push(e.duration); });
    rec.observer.observe({ type: 'longtask' });
    rec.longTaskSupported = true;
  } catch (e) { rec.longTaskSupported = false; }
})()`;

const stopRecorder = `(() => {
  const rec = window.__frames;
  rec.running = false;
  if (rec.observer) rec.observer.disconnect();
  return { deltas: rec.deltas, longTasks: rec.longTaskSupported ? rec.longTasks : null, seen: rec.seen,
    seconds: (performance.now() - rec.started) / 1000 };
})()`;

/** An attribute of the first element matching a selector, as a probe expression. */
const attrProbe = (selector: string, attribute: string) =>
  `(document.querySelector(${JSON.stringify(selector)}) || { getAttribute: () => null }).getAttribute(${JSON.stringify(attribute)})`;

/**
 * Sends `total` members to one sorted set, `perCommand` per ZADD, one ZADD per animation frame,
 * without waiting for replies (they come when the worker gets to them); resolves with the replies.
 * Scores come from a fixed LCG, so inserts land all over the list.
 */
const zaddStream = (key: string, total: number, perCommand: number) => `(async () => {
  const engine = window.rediscope.engine;
  let seed = 20261122;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const replies = [];
  let sent = 0;
  await new Promise((resolve) => {
    const send = () => {
      const argv = ['ZADD', ${JSON.stringify(key)}];
      for (let i = 0; i < ${perCommand} && sent < ${total}; i++, sent++) argv.push(String(Math.floor(rnd() * 1e6) / 100), 'member:' + sent);
      replies.push(engine.call(argv));
      if (sent < ${total}) requestAnimationFrame(send); else resolve();
    };
    requestAnimationFrame(send);
  });
  return Promise.all(replies);
})()`;

/**
 * Sends one SET of a new key per animation frame until the dict panel shows the rehash over (two
 * tables seen, then one with rehashidx -1) or `timeoutMs` passes; resolves with what happened.
 */
const setStreamUntilRehashed = (timeoutMs: number) => `(async () => {
  const engine = window.rediscope.engine;
  const panel = () => document.querySelector('[data-testid="dict-panel"]');
  const started = performance.now();
  let sawTwo = false;
  let sent = 0;
  let finishedAt = null;
  const replies = [];
  await new Promise((resolve) => {
    const step = () => {
      const p = panel();
      const tables = p && p.getAttribute('data-tables');
      const idx = p && p.getAttribute('data-rehashidx');
      if (tables === '2') sawTwo = true;
      if (sawTwo && tables === '1' && idx === '-1') { finishedAt = performance.now(); resolve(); return; }
      if (performance.now() - started > ${timeoutMs}) { resolve(); return; }
      replies.push(engine.call(['SET', 'bench:new:' + sent++, 'x']));
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  });
  const out = await Promise.all(replies);
  return { sent, sawTwo, rehashMs: finishedAt === null ? null : finishedAt - started, errors: out.filter((r) => !/^OK/.test(r.trim())).length };
})()`;

/** Waits (in the page's own frames) for `ms` milliseconds. */
const settle = (ms: number) => `new Promise((r) => setTimeout(r, ${ms}))`;

// --- statistics ------------------------------------------------------------------------------------

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[i];
}

export function frameStats(deltas: number[], longTasks: number[] | null, seconds: number): FrameStats {
  const sorted = deltas.slice().sort((a, b) => a - b);
  return {
    frames: sorted.length,
    seconds,
    median: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
    over50: sorted.filter((d) => d > 50).length,
    longTasks: longTasks === null ? null
      : { count: longTasks.length, max: longTasks.length ? Math.max(...longTasks) : 0, total: longTasks.reduce((a, b) => a + b, 0) },
  };
}

/** Whether run `a` was less disturbed than run `b` (other work on the machine shows as slow frames). */
function lessDisturbed(a: FrameStats, b: FrameStats): boolean {
  return a.p95 !== b.p95 ? a.p95 < b.p95 : a.over50 !== b.over50 ? a.over50 < b.over50 : a.max < b.max;
}

// --- profiles --------------------------------------------------------------------------------------

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }
interface CpuProfile { nodes: ProfileNode[]; samples?: number[]; timeDeltas?: number[]; startTime: number; endTime: number }

/** Self time per function (name, file, line), largest first; idle and GC kept as Chrome names them. */
function hotFunctions(profile: CpuProfile, top: number): { name: string; ms: number }[] {
  const byNode = new Map<number, ProfileNode>(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const n = byNode.get(samples[i]);
    if (!n) continue;
    const f = n.callFrame;
    const file = f.url ? path.basename(f.url.split('?')[0]).replace(/-[\w-]{8}(?=\.js$)/, '') : '';
    const name = `${f.functionName || '(anonymous)'}${file ? ` ${file}:${f.lineNumber + 1}` : ''}`;
    // A sample's time is the gap to the next one.
    self.set(name, (self.get(name) ?? 0) + (deltas[i + 1] ?? 0) / 1000);
  }
  return [...self.entries()].map(([name, ms]) => ({ name, ms })).sort((a, b) => b.ms - a.ms).slice(0, top);
}

interface TraceEvent { name: string; ph: string; dur?: number; tid: number; pid: number; ts: number; args?: { name?: string; data?: { frames?: unknown[] } } }

function collectTrace(cdp: CDPSession): Promise<TraceEvent[]> {
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (d) => { events.push(...(d.value as unknown as TraceEvent[])); });
  return new Promise((resolve) => cdp.once('Tracing.tracingComplete', () => resolve(events)));
}

/**
 * The renderer's main thread (CrRendererMain of the page's process): time in its top-level tasks'
 * children by name (complete events only), so style, layout, paint and script can be told apart.
 */
function mainThreadBreakdown(events: TraceEvent[]): { name: string; ms: number }[] {
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (!main) return [];
  const mine = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined)
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  // Children of the top-level RunTask events: the outermost event inside each task.
  const totals = new Map<string, number>();
  let taskEnd = -1;
  let childEnd = -1;
  for (const e of mine) {
    if (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') {
      if (e.ts >= taskEnd) { taskEnd = e.ts + e.dur!; childEnd = e.ts; }
      continue;
    }
    if (e.ts < childEnd) continue;
    childEnd = e.ts + e.dur!;
    totals.set(e.name, (totals.get(e.name) ?? 0) + e.dur! / 1000);
  }
  return [...totals.entries()].map(([name, ms]) => ({ name, ms })).sort((a, b) => b.ms - a.ms).slice(0, 12);
}

// --- one scenario ----------------------------------------------------------------------------------

interface Scenario {
  name: string;
  description: string;
  /** The tab to open. */
  tab: string;
  /** What to sample once a frame. */
  probe: { selector: string; attribute: string };
  /** Before recording (not measured). */
  setup?: (page: Page) => Promise<void>;
  /** What is measured; returns notes. */
  act: (page: Page) => Promise<string[]>;
}

export async function openPage(): Promise<{ page: Page; close(): Promise<void> }> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'rediscope-frames-profile-'));
  const launch = playwrightConfig.use?.launchOptions ?? {};
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: launch.executablePath ?? '/usr/bin/chromium',
    args: launch.args,
    viewport: { width: 1280, height: 720 },
  });
  const page = context.pages()[0] ?? await context.newPage();
  return {
    page,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** The page is up: the engine answers and client 1's redis-cli shows its prompt. */
export async function waitForApp(page: Page): Promise<void> {
  await page.waitForFunction(`(() => {
    const h = window.rediscope;
    const term = h && h.terminals['client 1'];
    return !!(h && h.engine && h.engine.status().state === 'ready' && term && !term.busy() && term.prompt() !== null);
  })()`, undefined, { timeout: 30_000, polling: 50 });
}

async function runScenario(url: string, s: Scenario, profileDir: string | undefined): Promise<ScenarioResult> {
  const { page, close } = await openPage();
  try {
    await page.goto(url);
    await waitForApp(page);
    await page.getByRole('tab', { name: s.tab }).click();
    await page.waitForSelector(s.probe.selector, { timeout: 30_000 });
    if (s.setup) await s.setup(page);
    // Let what the setup started (queries, renders) finish first.
    await page.evaluate(settle(500));
    let cdp: CDPSession | null = null;
    let trace: Promise<TraceEvent[]> | null = null;
    if (profileDir) {
      cdp = await page.context().newCDPSession(page);
      trace = collectTrace(cdp);
      await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['devtools.timeline', 'v8.execute', 'disabled-by-default-devtools.timeline'] } });
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    await page.evaluate(startRecorder(attrProbe(s.probe.selector, s.probe.attribute)));
    const notes = await s.act(page);
    const rec = await page.evaluate(stopRecorder) as { deltas: number[]; longTasks: number[] | null; seen: string[]; seconds: number };
    let hot: { name: string; ms: number }[] = [];
    let breakdown: { name: string; ms: number }[] = [];
    if (cdp && profileDir) {
      const { profile } = await cdp.send('Profiler.stop') as { profile: CpuProfile };
      await mkdir(profileDir, { recursive: true });
      await writeFile(path.join(profileDir, `${s.name}.cpuprofile`), JSON.stringify(profile));
      hot = hotFunctions(profile, 15);
      await cdp.send('Tracing.end');
      const events = await trace!;
      await writeFile(path.join(profileDir, `${s.name}.trace.json`), JSON.stringify({ traceEvents: events }));
      breakdown = mainThreadBreakdown(events);
    }
    return {
      name: s.name,
      description: s.description,
      stats: frameStats(rec.deltas, rec.longTasks, rec.seconds),
      runs: [],
      panel: { attribute: s.probe.attribute, distinct: new Set(rec.seen).size, first: rec.seen[0] ?? '', last: rec.seen.at(-1) ?? '' },
      notes,
      hot,
      breakdown,
    };
  } finally {
    await close();
  }
}

function scenarios(quick: boolean): Scenario[] {
  const members = quick ? 2_000 : 10_000;
  const perCommand = 50;
  const populate = quick ? 16_384 : 131_072;
  const skiplistProbe = { selector: '[data-testid="skiplist-panel"]', attribute: 'data-node-count' };
  const dictProbe = { selector: '[data-testid="dict-panel"]', attribute: 'data-rehashidx' };
  const call = (page: Page, argv: string[]) =>
    page.evaluate(`window.rediscope.engine.call(${JSON.stringify(argv)})`) as Promise<string>;
  return [
    {
      name: 'idle',
      description: 'skiplist panel open, nothing running, 2 s',
      tab: 'Skiplist',
      probe: skiplistProbe,
      act: async (page) => {
        await page.evaluate(settle(2000));
        return [];
      },
    },
    {
      name: 'zadd',
      description: `ZADD of ${members.toLocaleString('en-US')} members into one sorted set, ${perCommand} per command, ` +
        `one command per frame; skiplist panel following the key`,
      tab: 'Skiplist',
      probe: skiplistProbe,
      act: async (page) => {
        const started = Date.now();
        const replies = await page.evaluate(zaddStream('bench:zset', members, perCommand)) as string[];
        const repliedMs = Date.now() - started;
        const added = replies.reduce((a, r) => a + (Number(/\d+/.exec(r)?.[0]) || 0), 0);
        // The panel draws the whole set (its node count) ...
        await page.waitForFunction(`${attrProbe(skiplistProbe.selector, skiplistProbe.attribute)} === ${JSON.stringify(String(members))}`,
          undefined, { timeout: 60_000, polling: 100 });
        const drawnMs = Date.now() - started;
        // ... and its step animation for the last insert plays on.
        await page.evaluate(settle(1000));
        return [`${replies.length} ZADD commands, ${added} members added; all replies after ${repliedMs} ms, ` +
          `the panel showed ${members} nodes after ${drawnMs} ms`];
      },
    },
    {
      name: 'rehash',
      description: `main dict of ${populate.toLocaleString('en-US')} keys grows to ${(populate * 2).toLocaleString('en-US')} buckets ` +
        'and rehashes (one SET per frame + the cron); dict panel on the keyspace',
      tab: 'Dict',
      probe: dictProbe,
      setup: async (page) => {
        await call(page, ['DEBUG', 'POPULATE', String(populate)]);
        await page.waitForFunction(`(() => {
          const ht0 = document.querySelector('[data-testid="dict-ht0"]');
          return !!ht0 && ht0.getAttribute('data-used') === '${populate}';
        })()`, undefined, { timeout: 60_000, polling: 100 });
      },
      act: async (page) => {
        const r = await page.evaluate(setStreamUntilRehashed(120_000)) as { sent: number; sawTwo: boolean; rehashMs: number | null; errors: number };
        await page.evaluate(settle(1000));
        const dbsize = (await call(page, ['DBSIZE'])).trim();
        return [r.rehashMs === null
          ? `the rehash did not finish within 120 s (two tables seen: ${r.sawTwo}); ${r.sent} SETs sent`
          : `rehash over after ${(r.rehashMs / 1000).toFixed(1)} s (1x speed); ${r.sent} SETs sent, ${r.errors} errors; DBSIZE ${dbsize}`];
      },
    },
  ];
}

// --- the whole measurement ---------------------------------------------------------------------------

export async function benchFrames(options: FramesBenchOptions = {}): Promise<FramesBenchResult> {
  const { dist, tempDist, buildSeconds } = await builtApp(options.dist, 'rediscope-frames-dist-');
  const server = await startPreview(dist);
  try {
    const results: ScenarioResult[] = [];
    const runs = options.profileDir ? 1 : Math.max(1, options.runs ?? 1);
    for (const s of scenarios(options.quick ?? false).filter((x) => !options.only?.length || options.only.includes(x.name))) {
      let best: ScenarioResult | null = null;
      const all: FrameStats[] = [];
      for (let i = 0; i < runs; i++) {
        const r = await runScenario(server.url, s, options.profileDir);
        all.push(r.stats);
        if (!best || lessDisturbed(r.stats, best.stats)) best = r;
      }
      results.push({ ...best!, runs: all });
    }
    return { buildSeconds, scenarios: results };
  } finally {
    await server.stop();
    if (tempDist) await rm(tempDist, { recursive: true, force: true });
  }
}

// --- printing --------------------------------------------------------------------------------------

export function describeFramesBench(r: FramesBenchResult): string {
  return `(e) Frame times while panels animate: production build${r.buildSeconds === null ? '' : ` (built in ${r.buildSeconds.toFixed(1)} s)`}, ` +
    'headless chromium 1280x720, gaps between requestAnimationFrame callbacks (target: none over 50 ms, p95 within 20 ms)';
}

export function printFramesBench(r: FramesBenchResult): void {
  const ms = (n: number) => (Number.isNaN(n) ? '-' : `${n.toFixed(1)}`).padStart(8);
  console.log(`  ${'scenario'.padEnd(10)}${'frames'.padStart(7)}${'median'.padStart(8)}${'p95'.padStart(8)}${'max'.padStart(8)}` +
    `${'>50ms'.padStart(7)}${'long tasks'.padStart(12)}  target`);
  for (const s of r.scenarios) {
    const st = s.stats;
    const lt = st.longTasks === null ? 'n/a' : `${st.longTasks.count}${st.longTasks.count ? ` (max ${Math.round(st.longTasks.max)})` : ''}`;
    const met = st.over50 === 0 && st.p95 <= 20 ? 'met' : 'missed';
    console.log(`  ${s.name.padEnd(10)}${String(st.frames).padStart(7)}${ms(st.median)}${ms(st.p95)}${ms(st.max)}` +
      `${String(st.over50).padStart(7)}${lt.padStart(12)}  ${met}`);
  }
  for (const s of r.scenarios) {
    console.log(`  ${s.name}: ${s.description}; ${s.stats.seconds.toFixed(1)} s recorded`);
    if (s.runs.length > 1) {
      console.log(`    ${s.runs.length} runs (p95 / max / frames over 50 ms): ` +
        s.runs.map((x) => `${x.p95.toFixed(1)} / ${x.max.toFixed(1)} / ${x.over50}`).join(', '));
    }
    console.log(`    panel ${s.panel.attribute}: ${s.panel.distinct} distinct values drawn` +
      (s.panel.distinct ? ` (first ${s.panel.first || '-'}, last ${s.panel.last || '-'})` : ''));
    for (const n of s.notes) console.log(`    ${n}`);
    if (s.breakdown.length) {
      console.log('    main thread by trace event (top level):');
      for (const h of s.breakdown) console.log(`      ${h.ms.toFixed(0).padStart(6)} ms  ${h.name}`);
    }
    if (s.hot.length) {
      console.log('    main thread, most self time:');
      for (const h of s.hot) console.log(`      ${h.ms.toFixed(0).padStart(6)} ms  ${h.name}`);
    }
  }
}

// --- run alone -------------------------------------------------------------------------------------

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const at = (name: string) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
  const profileDir = at('--profile');
  const result = await benchFrames({
    dist: at('--dist'), quick: argv.includes('--quick'), runs: Number(at('--runs') ?? 1), only: at('--only')?.split(','),
    profileDir: profileDir ? path.resolve(root, profileDir) : undefined,
  });
  console.log(describeFramesBench(result));
  printFramesBench(result);
}
