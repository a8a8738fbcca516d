// `npm run bench` (d): time control. A recorded 10,000-command session (src/engine/sim/timeline.ts),
// then the cost of moving to another point of it. A rewind rebuilds the base world and replays the
// recorded inputs before the target (there are no checkpoints: see timeline.ts), so the cost is the
// replay of what comes before the target: nothing for the start, everything for the end. The
// sessions are paced two ways: commands 20 ms apart on average (a script pasted in), and 2 s apart
// (typed by hand: 5.6 hours of virtual time, about 200,000 cron ticks to replay as well).
import { Timeline } from '../src/engine/sim/timeline.ts';
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
function record(commands: number, meanGapMs: number): Timeline {
  const t = new Timeline(build);
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

export function benchTimeline(quick: boolean): void {
  const commands = 10_000;
  const runs = quick ? 3 : 7;
  console.log(`(d) Time control: rewinding a recorded ${commands.toLocaleString('en-US')}-command session (median of ${runs})`);
  for (const gap of [20, 2000]) {
    const t = record(commands, gap);
    const minutes = (t.world.now - t.startTime) / 60_000;
    const ms = { start: [] as number[], middle: [] as number[], end: [] as number[] };
    for (let i = 0; i < runs; i++) {
      // Each from the end, backwards: a rebuild of the base plus the replay before the target.
      for (const [name, target] of [['start', 0], ['middle', commands / 2], ['end', commands]] as const) {
        t.seek({ index: t.length });
        const t0 = performance.now();
        t.seek(name === 'end' ? { index: t.length - 1 } : { command: target });
        ms[name].push(performance.now() - t0);
      }
    }
    console.log(`  commands ~${gap} ms apart (${t.length} inputs, ${minutes.toFixed(1)} min virtual): ` +
      `to the start ${median(ms.start).toFixed(1)} ms, to the middle ${median(ms.middle).toFixed(1)} ms, ` +
      `to just before the end ${median(ms.end).toFixed(1)} ms`);
  }
  console.log();
}
