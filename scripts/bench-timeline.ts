// `npm run bench` (d): time control. A recorded 10,000-command session (src/engine/sim/timeline.ts),
// then the cost of moving to another point of it. A rewind copies the nearest checkpoint before the
// target (an exact copy of the world, src/engine/sim/checkpoints.ts) and replays the inputs after
// it; without checkpoints it rebuilds the base world and replays everything before the target, so
// its cost grows with the target's position: nothing for the start, everything for the end. Both
// are measured, on sessions paced two ways: commands 20 ms apart on average (a script pasted in),
// and 2 s apart (typed by hand: 5.6 hours of virtual time, about 200,000 cron ticks to replay).
// Then what the checkpoints cost: the time spent copying while recording, the heap they hold, and
// the copy of a bigger world (100,000 keys).
// Alone: `npx tsx scripts/bench-timeline.ts [--quick]`.
import v8 from 'node:v8';
import vm from 'node:vm';
import { pathToFileURL } from 'node:url';
import { cloneWorld } from '../src/engine/sim/clone.ts';
import { Timeline, type TimelineOptions } from '../src/engine/sim/timeline.ts';
import { SeededRandom } from '../src/engine/sim/random.ts';
import { World } from '../src/engine/sim/world.ts';

function frame(argv: string[]): Uint8Array {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${a.length}\r\n${a}\r\n`;
  return Uint8Array.from(s, (ch) => ch.charCodeAt(0));
}

function build(): World {
  const w = new World({ seed: 1, startTime: Date.UTC(2024, 0, 1) });
  w.addServer('main', { config: { 'enable-debug-command': 'yes' } });
  return w;
}

/** A session of `commands` commands with idle time between them, in 20 ms ticks like the worker's. */
function record(commands: number, meanGapMs: number, options: TimelineOptions): Timeline {
  const t = new Timeline(build, undefined, options);
  t.connect('a', 'main', '127.0.0.1:51000', '127.0.0.1:6379');
  const r = new SeededRandom(7);
  for (let i = 0; i < commands; i++) {
    const k = `key:${r.below(1000)}`;
    const argv = [
      ['SET', k, `v${i}`], ['GET', k], ['INCR', 'n'], ['LPUSH', `l${r.below(50)}`, 'x'],
      ['ZADD', `z${r.below(20)}`, String(r.below(1000)), `m${r.below(500)}`], ['HSET', `h${r.below(100)}`, `f${r.below(20)}`, 'v'],
      ['SADD', `s${r.below(100)}`, `m${r.below(50)}`], ['EXPIRE', k, '100'],
    ][i % 8];
    t.feed('a', frame(argv));
    for (let left = 1 + r.below(meanGapMs * 2); left > 0; left -= 20) t.advance(Math.min(20, left));
  }
  return t;
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** A forced full garbage collection (to read the heap a structure holds). */
function collector(): () => void {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  return () => { gc(); gc(); };
}

function heapMb(gc: () => void): number {
  gc();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

/** Median ms of rewinds to the start, middle and just before the end, each from the end. */
function rewinds(t: Timeline, commands: number, runs: number): { start: number; middle: number; end: number } {
  const ms = { start: [] as number[], middle: [] as number[], end: [] as number[] };
  for (let i = 0; i < runs; i++) {
    for (const [name, target] of [['start', 0], ['middle', commands / 2], ['end', commands]] as const) {
      t.seek({ index: t.length });
      const t0 = performance.now();
      t.seek(name === 'end' ? { index: t.length - 1 } : { command: target });
      ms[name].push(performance.now() - t0);
    }
  }
  return { start: median(ms.start), middle: median(ms.middle), end: median(ms.end) };
}

export function benchTimeline(quick: boolean): void {
  const gc = collector();
  const commands = 10_000;
  const runs = quick ? 3 : 7;
  console.log(`(d) Time control: rewinding a recorded ${commands.toLocaleString('en-US')}-command session (median of ${runs}), with and without checkpoints`);
  for (const gap of [20, 2000]) {
    let t0 = performance.now();
    const plain = record(commands, gap, { checkpoints: false });
    const recordPlainMs = performance.now() - t0;
    const heapBefore = heapMb(gc);
    t0 = performance.now();
    const t = record(commands, gap, {});
    const recordMs = performance.now() - t0;
    const heapWith = heapMb(gc);
    const minutes = (t.world.now - t.startTime) / 60_000;
    const without = rewinds(plain, commands, runs);
    const withCp = rewinds(t, commands, runs);
    const cps = t.checkpoints;
    const kept = cps.all.length;
    const objects = cps.objects;
    const copyMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      const c0 = performance.now();
      cloneWorld(t.world, { keep: [t] });
      copyMs.push(performance.now() - c0);
    }
    const copyObjects = cloneWorld(t.world, { keep: [t] }).objects;
    // The heap the checkpoints hold: the recorded timeline's, less its own once they are dropped.
    const heapHeld = heapWith - heapBefore;
    cps.clear();
    const heapCheckpoints = Math.max(0, heapHeld - (heapMb(gc) - heapBefore));
    const f = (n: number) => n.toFixed(1);
    console.log(`  commands ~${gap} ms apart (${t.length} inputs, ${minutes.toFixed(1)} min virtual):`);
    console.log(`    without checkpoints: to the start ${f(without.start)} ms, to the middle ${f(without.middle)} ms, to just before the end ${f(without.end)} ms`);
    console.log(`    with checkpoints:    to the start ${f(withCp.start)} ms, to the middle ${f(withCp.middle)} ms, to just before the end ${f(withCp.end)} ms`);
    console.log(`    checkpoints: ${kept} kept holding ${objects.toLocaleString('en-US')} objects, ~${f(heapCheckpoints)} MB of heap; ` +
      `recording took ${f(recordMs)} ms (${f(recordPlainMs)} ms without); one copy of the final world ` +
      `(${copyObjects.toLocaleString('en-US')} objects) ${f(median(copyMs))} ms`);
  }
  // A bigger world: what one copy costs (the checkpoint policy spaces copies by this).
  const big = build();
  const server = big.servers.get('main')!;
  let out = '';
  const c = server.connect({ peer: '127.0.0.1:1', write: (d) => { out += d; }, close: () => {} });
  c.feed(frame(['DEBUG', 'POPULATE', quick ? '30000' : '100000', 'key', '16']));
  server.disconnect(c); // (its connection holds closures: not a world a timeline makes)
  big.advance(10_000);
  const heapBefore = heapMb(gc);
  const ms: number[] = [];
  let copy = cloneWorld(big);
  for (let i = 0; i < 3; i++) {
    const c0 = performance.now();
    copy = cloneWorld(big);
    ms.push(performance.now() - c0);
  }
  const heapCopy = heapMb(gc) - heapBefore;
  console.log(`  one copy of a world of ${server.dbs[0].dict.size.toLocaleString('en-US')} keys (${copy.objects.toLocaleString('en-US')} objects): ` +
    `${median(ms).toFixed(1)} ms, ~${heapCopy.toFixed(1)} MB of heap`);
  void out;
  console.log();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) benchTimeline(process.argv.includes('--quick'));
