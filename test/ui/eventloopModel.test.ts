// The event loop panel's pure parts, fed with the trace events a real engine run emits: the bars
// and arrows it keeps, the window of the latest episode, the lanes, the step shown.
import { describe, expect, it } from 'vitest';
import { Timeline } from '../../src/engine/sim/timeline.ts';
import { World } from '../../src/engine/sim/world.ts';
import type { TraceEvent } from '../../src/engine/trace/events.ts';
import {
  chooseWindow, clientLanes, durationParts, emptyActivity, EPISODE_GAP_US, latestCommand, lazyJobOf, reduceActivity, stepOf,
} from '../../src/ui/panels/eventloop/model.ts';
import { commandFrame } from '../support/engineHarness.ts';

const START = 1_700_000_000_000;

function run() {
  const t = new Timeline(() => {
    const w = new World({ seed: 2, startTime: START });
    w.addServer('main', { config: { 'enable-debug-command': 'yes' } });
    return w;
  });
  const events: TraceEvent[] = [];
  t.world.servers.get('main')!.trace = { emit: (e) => events.push(e) };
  t.sink = { write: () => {}, closed: () => {} };
  t.connect('a', 'main', '127.0.0.1:1', '127.0.0.1:6379');
  t.connect('b', 'main', '127.0.0.1:2', '127.0.0.1:6379');
  return { t, events };
}

describe('event loop panel model', () => {
  it('keeps commands with their thread times, arrows, lazyfree jobs; the window is the latest episode', () => {
    const { t, events } = run();
    t.feed('a', commandFrame(['SET', 'early', '1']));
    t.advance(2000); // an idle gap: the next episode starts after it
    t.feed('a', commandFrame(['DEBUG', 'SLEEP', '0.004']));
    t.feed('b', commandFrame(['GET', 'early']));
    t.advance(10);
    t.setLatency(20);
    const members = Array.from({ length: 500 }, (_, i) => `m${i}`);
    t.feed('a', commandFrame(['SADD', 'big', ...members]));
    t.feed('a', commandFrame(['UNLINK', 'big']));
    t.advance(100);
    const a = reduceActivity(emptyActivity(), events);
    expect(a.commands.map((c) => c.name)).toEqual(['set', 'debug', 'get', 'sadd', 'unlink']);
    const get = latestCommand(a, 'get')!;
    const sleep = latestCommand(a, 'debug')!;
    expect(get.startUs).toBe(sleep.endUs);
    expect(get.startUs - get.arrivalUs).toBe(sleep.durationUs);
    expect(a.arrows.filter((n) => n.dir === 'request').length).toBe(2);
    expect(a.arrows.filter((n) => n.dir === 'reply').length).toBe(2);
    const unlink = latestCommand(a, 'unlink')!;
    expect(lazyJobOf(a, unlink)).toMatchObject({ effort: 500, command: 'unlink' });
    const w = chooseWindow(a, 'auto')!;
    // The SET before the idle gap is left out; the sleep, the wait and the network are in.
    expect(w.fromUs).toBeGreaterThan(latestCommand(a, 'set')!.endUs + EPISODE_GAP_US);
    expect(w.fromUs).toBeLessThanOrEqual(sleep.startUs);
    expect(w.toUs).toBeGreaterThanOrEqual(Math.max(...a.arrows.map((n) => n.arriveAt * 1000)));
    const ids = [...new Set(a.commands.map((c) => c.client))].sort((x, y) => x - y);
    expect(clientLanes(a, w, 6)).toEqual({ clients: ids, hidden: 0 });
    expect(clientLanes(a, w, 1)).toEqual({ clients: [ids[0]], hidden: 1 });
    // A fixed window ends at the latest activity.
    const fixed = chooseWindow(a, 10_000)!;
    expect(fixed.toUs - fixed.fromUs).toBe(10_000);
  });

  it('shows the step of the latest event', () => {
    const { t, events } = run();
    t.setLatency(5);
    t.feed('a', commandFrame(['PING']));
    expect(stepOf(events, false)).toBe('wait');
    t.advance(5);
    expect(stepOf(events, false)).toBe('write');
    expect(stepOf(events.filter((e) => e.kind === 'net' && e.dir === 'request'), false)).toBe('read');
    expect(stepOf([], true)).toBe('call');
  });

  it('writes durations in µs, ms or s', () => {
    expect(durationParts(7)).toEqual({ unit: 'us', n: '7' });
    expect(durationParts(10_373)).toEqual({ unit: 'ms', n: '10.4' });
    expect(durationParts(2_500_000)).toEqual({ unit: 's', n: '2.50' });
  });
});
