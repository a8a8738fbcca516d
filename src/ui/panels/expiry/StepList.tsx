// A Redis function's steps in our words, lighting up one after another as an event plays them
// (straight to the last under reduced motion). Events can come faster than a play lasts (the cycle
// runs hz times a second): a play is never cut short; the latest one that came meanwhile plays next.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from '../../i18n/index.ts';
import type { StepFunction, StepPlay } from './model.ts';

/** How long each step stays lit while an event plays (ms). */
export const STEP_MS = 420;
/** How long the last step of a play stays before the next play starts (ms). */
const HOLD_MS = 600;

interface Playing {
  play: StepPlay;
  /** Index into play.steps. */
  at: number;
}

export function StepList({ fn, play, reducedMotion }: { fn: StepFunction; play: StepPlay | undefined; reducedMotion: boolean }) {
  const { t } = useTranslation();
  const steps = t(`expiry.steps.${fn}`, { returnObjects: true }) as string[];
  const [playing, setPlaying] = useState<Playing | null>(null);
  const pending = useRef<StepPlay | null>(null);
  const busy = useRef(false);

  useEffect(() => {
    if (!play) return;
    if (reducedMotion) { setPlaying({ play, at: play.steps.length - 1 }); return; }
    pending.current = play;
    if (!busy.current) startNext();
    // startNext reads the refs; it only needs to run when a new play arrives.
  }, [play?.seq, reducedMotion]);

  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => { if (timer.current) clearTimeout(timer.current); }, []);

  function startNext(): void {
    const next = pending.current;
    pending.current = null;
    if (!next) { busy.current = false; return; }
    busy.current = true;
    let at = 0;
    setPlaying({ play: next, at });
    const tick = () => {
      at++;
      if (at < next.steps.length) {
        setPlaying({ play: next, at });
        timer.current = setTimeout(tick, STEP_MS);
      } else {
        timer.current = setTimeout(startNext, HOLD_MS);
      }
    };
    timer.current = setTimeout(tick, STEP_MS);
  }

  const current = playing ? playing.play.steps[playing.at] : -1;
  const visited = new Set(playing ? playing.play.steps.slice(0, playing.at + 1) : []);
  return (
    <ol className="ex-steps" aria-label={t('expiry.steps.label', { fn })} data-testid={`steps-${fn}`}
      data-current={current} data-play={playing?.play.seq}>
      {steps.map((text, i) => (
        <li key={i} className={i === current ? 'ex-step-current' : visited.has(i) ? 'ex-step-done' : undefined}
          aria-current={i === current ? 'step' : undefined}>
          {text}
        </li>
      ))}
    </ol>
  );
}
