// `npm run bench`: how fast the engine is, in one run.
//  (a) In process: a fixed mixed workload against the engine (RESP bytes in, RESP bytes out, no
//      sockets) and against ioredis-mock (its promise API), ops/s and the ratio.
//  (b) redis-benchmark against server mode and against a real redis-server, both on free loopback
//      ports, at -P 1 and -P 16, side by side.
//  (c) The app's cold load in headless chromium: first PING answered, and the bundle sizes
//      (scripts/bench-app.ts).
//  (d) Time control: rewinding a recorded 10,000-command session (scripts/bench-timeline.ts).
//  (e) Frame times in headless chromium while the skiplist and dict panels animate (ZADD of 10,000
//      members, a rehash of 131,072 keys): scripts/bench-frames.ts.
// Options: --quick (smaller runs), --no-inprocess, --no-redis-benchmark, --no-app, --no-timeline, --no-frames,
// --frame-runs N (runs per frame scenario, the least disturbed reported), -n N
// (redis-benchmark requests per test), --ops N (in-process workload size), --app-runs N (page loads).
// Only talks to 127.0.0.1; every child process is bounded by a timeout and killed at the end.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import RedisMock from 'ioredis-mock';
import { RedisServer } from '../src/engine/server/redisServer.ts';
import { SeededRandom } from '../src/engine/sim/random.ts';
import { benchApp, describeAppBench, printAppBench } from './bench-app.ts';
import { benchTimeline } from './bench-timeline.ts';
import { benchFrames, describeFramesBench, printFramesBench } from './bench-frames.ts';
import { freePort } from '../test/support/realRedis.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// --- options ---------------------------------------------------------------------------------

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
function numberOption(name: string, fallback: number): number {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
}
const quick = flag('--quick');
const inProcessOps = numberOption('--ops', quick ? 50_000 : 300_000);
const benchmarkRequests = numberOption('-n', quick ? 20_000 : 100_000);
const BENCHMARK_TESTS = 'set,get,incr,lpush,lrange_100,hset,sadd,zadd';
const PIPELINES = [1, 16];

// --- machine ---------------------------------------------------------------------------------

function redisServerVersion(): string {
  try {
    const out = execFileSync('redis-server', ['--version'], { encoding: 'utf8' });
    return /v=(\S+)/.exec(out)?.[1] ?? out.trim();
  } catch {
    return 'not installed';
  }
}

function printMachine(): void {
  const cpus = os.cpus();
  console.log('Machine');
  console.log(`  cpu:          ${cpus[0]?.model ?? 'unknown'} (${cpus.length} logical cores)`);
  console.log(`  memory:       ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`);
  console.log(`  os:           ${os.type()} ${os.release()} ${os.arch()}`);
  console.log(`  node:         ${process.version}`);
  console.log(`  redis-server: ${redisServerVersion()}`);
  console.log(`  load average: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (other work on the machine skews results)`);
  console.log();
}

// --- (a) in-process workload -----------------------------------------------------------------

/**
 * The mixed workload: a deterministic sequence of commands over fixed keyspaces. Lists are pushed
 * to and read (LRANGE 0 9) from 200 keys, so they stay short enough to be realistic.
 */
function buildWorkload(ops: number): string[][] {
  const rnd = new SeededRandom(20240601);
  const pick = (n: number) => rnd.below(n);
  const value = () => 'v' + rnd.nextU32().toString(36);
  const out: string[][] = [];
  for (let i = 0; i < ops; i++) {
    switch (i % 9) {
      case 0: out.push(['SET', `str:${pick(10_000)}`, value()]); break;
      case 1: out.push(['GET', `str:${pick(10_000)}`]); break;
      case 2: out.push(['INCR', `counter:${pick(1_000)}`]); break;
      case 3: out.push(['LPUSH', `list:${pick(200)}`, value()]); break;
      case 4: out.push(['LRANGE', `list:${pick(200)}`, '0', '9']); break;
      case 5: out.push(['HSET', `hash:${pick(1_000)}`, `field:${pick(50)}`, value()]); break;
      case 6: out.push(['SADD', `set:${pick(1_000)}`, `member:${pick(100)}`]); break;
      case 7: out.push(['ZADD', `zset:${pick(1_000)}`, String(pick(1_000_000) / 100), `member:${pick(100)}`]); break;
      case 8: out.push(['ZRANGE', `zset:${pick(1_000)}`, '0', '9', 'WITHSCORES']); break;
    }
  }
  return out;
}

function encodeCommand(args: string[]): Uint8Array {
  let s = `*${args.length}\r\n`;
  for (const a of args) s += `$${a.length}\r\n${a}\r\n`;
  return Buffer.from(s, 'latin1');
}

interface InProcessResult {
  /** Commands per second of wall time, and per second of this process's CPU time (steadier when other work shares the cores). */
  opsPerSec: number;
  opsPerCpuSec: number;
  seconds: number;
  check: string;
}

/** Runs fn, timing it by the wall clock and by this process's CPU time. */
async function timed(fn: () => unknown): Promise<{ seconds: number; cpuSeconds: number }> {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await fn();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  return { seconds, cpuSeconds: (used.user + used.system) / 1e6 };
}

type EngineMode = 'resp' | 'argv';

/**
 * The engine as server mode drives it, minus the socket. 'resp': each command arrives as its own
 * RESP frame through Client.feed (parse, dispatch, reply encoding, flush to the connection).
 * 'argv': the command is handed over already split into arguments, as ioredis-mock gets it, and
 * dispatched (reply encoding and flush still included).
 */
async function runEngine(workload: string[][], mode: EngineMode): Promise<InProcessResult> {
  const server = new RedisServer({ clock: { now: () => Date.now() }, random: new SeededRandom(1) });
  let lastReply = '';
  let errors = 0;
  const client = server.connect({
    write: (s) => { lastReply = s; if (s.charCodeAt(0) === 45 /* '-' */) errors++; },
    close() {},
  });
  const frames = workload.map(encodeCommand);
  const run = mode === 'resp'
    ? () => { for (const f of frames) client.feed(f); }
    : () => {
      for (const args of workload) {
        client.argv = args;
        server.processCommand(client);
        server.beforeSleep();
      }
    };
  run(); // warm-up pass, so both sides are measured with a JIT-compiled hot path
  client.feed(encodeCommand(['FLUSHALL']));
  errors = 0;
  const { seconds, cpuSeconds } = await timed(run);
  if (errors > 0) console.log(`  warning: ${errors} error replies in the engine's ${mode} run`);
  client.feed(encodeCommand(['DBSIZE']));
  return { opsPerSec: workload.length / seconds, opsPerCpuSec: workload.length / cpuSeconds, seconds, check: `dbsize ${lastReply.trim().slice(1)}` };
}

/** ioredis-mock through its promise API, one command awaited at a time as a client would. */
async function runMock(workload: string[][]): Promise<InProcessResult> {
  const mock = new RedisMock();
  // ioredis-mock keeps one keyspace per host:port across instances: start empty.
  await mock.flushall();
  // Method and arguments resolved up front, so the timed loop is only the calls.
  const calls = workload.map((args) => ({ method: args[0].toLowerCase(), rest: args.slice(1) }));
  const run = async () => { for (const { method, rest } of calls) await mock[method](...rest); };
  await run();
  await mock.flushall();
  const { seconds, cpuSeconds } = await timed(run);
  const size = await mock.dbsize();
  mock.disconnect();
  return { opsPerSec: workload.length / seconds, opsPerCpuSec: workload.length / cpuSeconds, seconds, check: `dbsize ${size}` };
}

async function inProcess(): Promise<void> {
  const workload = buildWorkload(inProcessOps);
  console.log(`(a) In process: ${workload.length} commands, SET GET INCR LPUSH LRANGE HSET SADD ZADD ZRANGE in turn`);
  const missing = [...new Set(workload.map((a) => a[0]))]
    .filter((name) => !new RedisServer({ clock: { now: () => 0 }, random: new SeededRandom(1) }).commands.lookup([name]));
  if (missing.length) console.log(`  note: the engine does not implement ${missing.join(' ')} yet; those replies are errors`);
  const resp = await runEngine(workload, 'resp');
  const argv = await runEngine(workload, 'argv');
  const mock = await runMock(workload);
  const num = (n: number) => Math.round(n).toLocaleString('en-US').padStart(11);
  const fmt = (r: InProcessResult) =>
    `${num(r.opsPerSec)} ops/s ${num(r.opsPerCpuSec)} ops/cpu-s  (${r.seconds.toFixed(2)} s, ${r.check})`;
  console.log(`  engine, RESP frames in:  ${fmt(resp)}`);
  console.log(`  engine, argv in:         ${fmt(argv)}`);
  console.log(`  ioredis-mock:            ${fmt(mock)}`);
  const ratio = (r: InProcessResult) => `${(r.opsPerCpuSec / mock.opsPerCpuSec).toFixed(1)}x`;
  console.log(`  engine / ioredis-mock by CPU time: ${ratio(argv)} with argv in (like for like), ` +
    `${ratio(resp)} with RESP parsing on top (target >= 10x)`);
  console.log();
}

// --- (b) redis-benchmark ---------------------------------------------------------------------

async function waitForPing(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server on port ${port} exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.createConnection({ port, host: '127.0.0.1' });
      s.once('connect', () => s.write('PING\r\n'));
      s.once('data', (d) => { s.destroy(); resolve(d.toString() === '+PONG\r\n'); });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`server on port ${port} did not answer PING`);
}

interface Spawned { port: number; child: ChildProcess; stop(): Promise<void> }

async function spawnServer(kind: 'engine' | 'redis'): Promise<Spawned> {
  const port = await freePort();
  const child = kind === 'redis'
    ? spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
      '--logfile', '', '--loglevel', 'warning'], { stdio: ['ignore', 'ignore', 'inherit'] })
    // Server mode exactly as `npm run server` runs it.
    : spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/node/cli.ts'), '--port', String(port), '--seed', '1'],
      { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitForPing(port, child);
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
  return { port, child, stop: async () => { child.kill('SIGKILL'); await exited; } };
}

/** One redis-benchmark run: requests per second by test name. */
async function redisBenchmark(port: number, tests: string, requests: number, pipeline: number): Promise<Map<string, number>> {
  const args = ['-h', '127.0.0.1', '-p', String(port), '-t', tests, '-n', String(requests), '-P', String(pipeline), '--csv'];
  const child = spawn('redis-benchmark', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
  child.stderr.resume(); // progress lines
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  if (code !== 0) throw new Error(`redis-benchmark ${args.join(' ')} exited with ${code}`);
  const rps = new Map<string, number>();
  for (const line of out.split('\n')) {
    const m = /^"([^"]+)","([\d.]+)"/.exec(line);
    if (m) rps.set(m[1], Number(m[2]));
  }
  return rps;
}

/**
 * Each test runs `rounds` times on each server, alternating, and the best run counts: on a
 * machine doing other work the best run is the one least disturbed by it.
 */
async function benchmarks(): Promise<void> {
  const rounds = quick ? 1 : 3;
  console.log(`(b) redis-benchmark -t ${BENCHMARK_TESTS} -n ${benchmarkRequests}, 50 clients, loopback; best of ${rounds}`);
  const servers: Spawned[] = [];
  try {
    const engine = await spawnServer('engine');
    servers.push(engine);
    const real = await spawnServer('redis');
    servers.push(real);
    // Warm-up, so the engine's hot paths are compiled before anything is measured.
    for (const s of [engine, real]) await redisBenchmark(s.port, BENCHMARK_TESTS, 20_000, 16);
    for (const pipeline of PIPELINES) {
      const best = { engine: new Map<string, number>(), real: new Map<string, number>() };
      for (const test of BENCHMARK_TESTS.split(',')) {
        for (let round = 0; round < rounds; round++) {
          for (const [side, server] of [['real', real], ['engine', engine]] as const) {
            const rps = await redisBenchmark(server.port, test, benchmarkRequests, pipeline);
            for (const [name, value] of rps) best[side].set(name, Math.max(best[side].get(name) ?? 0, value));
          }
        }
      }
      const target = pipeline === 1 ? 0.8 : 0.6;
      console.log(`  -P ${pipeline} (target: engine >= ${target * 100}% of real)`);
      console.log(`  ${'test'.padEnd(36)}${'engine rps'.padStart(12)}${'redis rps'.padStart(12)}${'ratio'.padStart(8)}`);
      for (const [test, r] of best.real) {
        const e = best.engine.get(test);
        const ratio = e === undefined ? '-' : `${Math.round((e / r) * 100)}%`;
        console.log(`  ${test.padEnd(36)}${(e === undefined ? '-' : Math.round(e).toLocaleString('en-US')).padStart(12)}` +
          `${Math.round(r).toLocaleString('en-US').padStart(12)}${ratio.padStart(8)}`);
      }
      console.log();
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

// --- main ------------------------------------------------------------------------------------

const started = Date.now();
printMachine();
if (quick) console.log('--quick: short runs for a smoke test; the numbers are too noisy to compare.\n');
if (!flag('--no-inprocess')) await inProcess();
if (!flag('--no-redis-benchmark')) await benchmarks();
if (!flag('--no-timeline')) benchTimeline(quick);
if (!flag('--no-app')) {
  const app = await benchApp({ runs: numberOption('--app-runs', quick ? 2 : 5) });
  console.log(describeAppBench(app));
  printAppBench(app);
  console.log();
}
if (!flag('--no-frames')) {
  const frames = await benchFrames({ quick, runs: numberOption('--frame-runs', quick ? 1 : 3) });
  console.log(describeFramesBench(frames));
  printFramesBench(frames);
  console.log();
}
console.log(`Done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
