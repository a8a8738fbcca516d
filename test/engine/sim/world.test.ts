import { describe, expect, it } from 'vitest';
import { Scheduler } from '../../../src/engine/sim/scheduler.ts';
import { World } from '../../../src/engine/sim/world.ts';

describe('Scheduler', () => {
  it('runs events in time order, ties in insertion order, skipping cancelled ones', () => {
    const s = new Scheduler<string>();
    const seen: string[] = [];
    s.schedule(20, 'b');
    s.schedule(10, 'a');
    s.schedule(20, 'c');
    s.schedule(15, 'x').cancel();
    for (let ev = s.popDue(100); ev; ev = s.popDue(100)) seen.push(ev.event);
    expect(seen).toEqual(['a', 'b', 'c']);
  });
});

describe('World', () => {
  it('runs each server cron at its hz on virtual time', () => {
    const world = new World({ seed: 7 });
    const a = world.addServer('a');
    const b = world.addServer('b', { config: { hz: '50' } });
    world.advance(1000);
    expect(a.cronLoops).toBe(10);
    expect(b.cronLoops).toBe(50);
  });

  it('keeps servers independent and gives each its own random stream', () => {
    const world = new World({ seed: 7 });
    const a = world.addServer('a');
    const b = world.addServer('b');
    expect(a.dbs).not.toBe(b.dbs);
    expect(a.hashSeed).not.toBe(b.hashSeed);
  });

  it('is reproducible from its seed', () => {
    const seeds = (seed: number) => {
      const w = new World({ seed });
      return [w.addServer('a').hashSeed, w.addServer('b').hashSeed];
    };
    expect(seeds(42)).toEqual(seeds(42));
    expect(seeds(42)).not.toEqual(seeds(43));
  });
});
