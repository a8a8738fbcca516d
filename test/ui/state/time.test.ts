// The time bar's speed slider (a log scale from 0.1x to 100x) and its formats.
import { describe, expect, it } from 'vitest';
import { formatSpeed, formatVirtualTime, inThePast, SPEED_STEPS, sliderToSpeed, speedToSlider } from '../../../src/ui/state/time.ts';
import { MAX_SPEED, MIN_SPEED } from '../../../src/worker/protocol.ts';

describe('speed slider', () => {
  it('spans 0.1x to 100x on a log scale, 1x in the middle third', () => {
    expect(sliderToSpeed(0)).toBe(MIN_SPEED);
    expect(sliderToSpeed(SPEED_STEPS)).toBe(MAX_SPEED);
    expect(sliderToSpeed(SPEED_STEPS / 3)).toBe(1);
    expect(sliderToSpeed((2 * SPEED_STEPS) / 3)).toBe(10);
    expect(speedToSlider(1)).toBe(SPEED_STEPS / 3);
    expect(speedToSlider(1000)).toBe(SPEED_STEPS);
    expect(speedToSlider(0.001)).toBe(0);
  });

  it('rounds to two significant digits, never leaving the range, and is monotonic', () => {
    let last = 0;
    for (let p = 0; p <= SPEED_STEPS; p++) {
      const s = sliderToSpeed(p);
      expect(s).toBeGreaterThanOrEqual(last);
      expect(Number(s.toPrecision(2))).toBe(s);
      expect(s).toBeGreaterThanOrEqual(MIN_SPEED);
      expect(s).toBeLessThanOrEqual(MAX_SPEED);
      // A speed goes back to (about) where it came from.
      expect(Math.abs(speedToSlider(s) - p)).toBeLessThanOrEqual(6);
      last = s;
    }
  });

  it('formats speeds and virtual times', () => {
    expect(formatSpeed(0.1)).toBe('0.1');
    expect(formatSpeed(2.5)).toBe('2.5');
    expect(formatSpeed(100)).toBe('100');
    const at = new Date(2024, 0, 1, 9, 5, 7, 42).getTime();
    expect(formatVirtualTime(at)).toBe('09:05:07.042');
  });

  it('knows the past from the end of the history', () => {
    const base = { position: 3, length: 3, into: 0 };
    expect(inThePast(base as never)).toBe(false);
    expect(inThePast({ ...base, position: 2 } as never)).toBe(true);
    expect(inThePast({ ...base, position: 2, into: 40 } as never)).toBe(true);
  });
});
