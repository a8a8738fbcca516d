// Same seed + same inputs => the same replies and the same state, including everything random by
// nature (SPOP, SRANDMEMBER, RANDOMKEY, SCAN order, skiplist levels) and the cron's background work.
import { describe, expect, it } from 'vitest';
import type { Skiplist } from '../../../src/engine/ds/skiplist.ts';
import { SeededRandom } from '../../../src/engine/sim/random.ts';
import { World } from '../../../src/engine/sim/world.ts';
import { commandFrame } from '../../support/engineHarness.ts';

function commandStream(seed: number, n: number): string[][] {
  const r = new SeededRandom(seed);
  const key = () => `k${r.below(40)}`;
  const member = () => `m${r.below(300)}`;
  const makers: (() => string[])[] = [
    () => ['SET', key(), member(), 'PX', String(1 + r.below(3000))],
    () => ['SADD', `s${r.below(5)}`, member(), member(), member()],
    () => ['SPOP', `s${r.below(5)}`],
    () => ['SRANDMEMBER', `s${r.below(5)}`, String(r.below(7) - 3)],
    () => ['ZADD', `z${r.below(3)}`, String(r.below(1000)), member()],
    () => ['HSET', `h${r.below(5)}`, member(), member()],
    () => ['RPUSH', `l${r.below(5)}`, member()],
    () => ['RANDOMKEY'],
    () => ['SCAN', String(r.below(64)), 'COUNT', '5'],
    () => ['DEL', key()],
    () => ['DEBUG', 'POPULATE', String(r.below(200)), 'pop'],
  ];
  return Array.from({ length: n }, () => makers[r.below(makers.length)]());
}

/** Runs the stream in a fresh world, advancing virtual time between commands; returns a transcript. */
function run(seed: number, stream: string[][]) {
  const world = new World({ seed, startTime: 1_700_000_000_000 });
  // A small listpack limit so the sorted sets become skiplists and their random levels count.
  const server = world.addServer('main', { config: { 'enable-debug-command': 'yes', 'zset-max-listpack-entries': '16' } });
  let out = '';
  const client = server.connect({ write: (d) => { out += d; }, close: () => {} });
  for (const argv of stream) {
    client.feed(commandFrame(argv));
    world.advance(37);
  }
  const db = server.dbs[0];
  const keys = [...db.dict.keys()];
  const levels = [0, 1, 2].map((i) => {
    const o = db.dict.get(`z${i}`);
    return o?.encoding === 'skiplist' ? (o.value as { zsl: Skiplist }).zsl.snapshot() : null;
  });
  return { out, keys, levels, expired: server.stats.expiredKeys, rehashIndex: db.dict.rehashIndex };
}

describe('determinism', () => {
  it('replays identically from the same seed', () => {
    const stream = commandStream(99, 3000);
    const a = run(5, stream);
    const b = run(5, stream);
    expect(a.expired).toBeGreaterThan(0); // the cron really ran and expired keys
    expect(a.levels.every((l) => l !== null)).toBe(true);
    expect(b).toEqual(a);
  });

  it('differs with another seed where randomness shows', () => {
    const stream = commandStream(99, 3000);
    expect(run(6, stream).out).not.toBe(run(5, stream).out);
  });
});
