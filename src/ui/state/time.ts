// Where the world stands in time (time control), mirrored from the engine worker while the time bar
// watches it, and the speed slider's log scale.
import { create } from 'zustand';
import type { EngineWorker } from '../engine/engineConnection.ts';
import { MAX_SPEED, MIN_SPEED, type TimeStatus } from '../../worker/protocol.ts';

/** null until the worker reports (and while a restarted one starts). */
export const useTime = create<{ status: TimeStatus | null }>()(() => ({ status: null }));

/** Mirrors the worker's time status into the store (asking the worker for it); returns the stop function. */
export function keepTime(engine: EngineWorker): () => void {
  useTime.setState({ status: engine.time });
  return engine.onTime((status) => useTime.setState({ status }));
}

/** The speed slider's positions: 0 is MIN_SPEED, SPEED_STEPS is MAX_SPEED, evenly spaced in log(speed). */
export const SPEED_STEPS = 300;

/**
 * A slider position's speed, rounded to two significant digits (0.1, 0.25, 2.5, 40 ...) and
 * snapped to 1x near the middle, so the usual speeds are easy to hit.
 */
export function sliderToSpeed(position: number): number {
  const p = Math.max(0, Math.min(SPEED_STEPS, position));
  const raw = MIN_SPEED * (MAX_SPEED / MIN_SPEED) ** (p / SPEED_STEPS);
  if (Math.abs(Math.log10(raw)) < 0.02) return 1;
  const digits = Math.floor(Math.log10(raw)) - 1;
  const rounded = Math.round(raw / 10 ** digits) * 10 ** digits;
  return Math.min(MAX_SPEED, Math.max(MIN_SPEED, Number(rounded.toPrecision(2))));
}

/** Where a speed sits on the slider. */
export function speedToSlider(speed: number): number {
  const s = Math.max(MIN_SPEED, Math.min(MAX_SPEED, speed));
  return Math.round((SPEED_STEPS * Math.log(s / MIN_SPEED)) / Math.log(MAX_SPEED / MIN_SPEED));
}

/** A speed as the bar shows it, without a unit: "0.1", "1", "2.5", "100". */
export function formatSpeed(speed: number): string {
  return String(Number(speed.toPrecision(2)));
}

/** Virtual unix ms as a time of day to the millisecond (local time): "14:03:07.250". */
export function formatVirtualTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/** Whether the world stands before the end of its history (a new input there forks it). */
export function inThePast(status: TimeStatus): boolean {
  return status.position < status.length || status.into > 0;
}
