// The time bar: play/pause the whole world, step one engine event or one command, the speed of
// virtual time (a log scale, 0.1x to 100x), and a timeline slider over the session's history that
// rewinds to any earlier point (the worker rebuilds the world there, paused: src/engine/sim/timeline.ts).
// Keys, when the focus is not in a terminal or a field: Space and "." play/pause (what presenter
// clickers send), → steps an event, Shift+→ a command, ← goes back before the previous command.
import { useEffect, useRef, useState, type ChangeEvent } from 'react';
import type { EngineWorker } from '../engine/engineConnection.ts';
import { useTranslation } from '../i18n/index.ts';
import { isTypingTarget } from '../shell/shortcuts.ts';
import {
  formatSpeed, formatVirtualTime, inThePast, keepTime, sliderToSpeed, SPEED_STEPS, speedToSlider, useTime,
} from '../state/time.ts';

/** While time plays, a busy server is mentioned only when it stays busy at least this long (ms). */
const BUSY_NOTE_MS = 100;

/** How long the timeline slider must rest before the world is rewound there (a drag is one rewind). */
const SEEK_DELAY_MS = 150;

/** Elements whose own keys Space and the arrows are (a button's Space, a slider's or a tab list's arrows). */
const OWN_SPACE = 'button, a[href], input, select, textarea, summary, [role="button"], [role="checkbox"], [role="switch"], [role="tab"]';
const OWN_ARROWS = 'input, select, textarea, [role="slider"], [role="tablist"], [role="menu"], [role="menubar"], [role="listbox"], [role="radiogroup"], [role="tree"], [role="grid"]';

function owns(target: EventTarget | null, selector: string): boolean {
  return target instanceof Element && target.closest(selector) !== null;
}

export function TimeBar({ engine }: { engine: EngineWorker }) {
  const { t } = useTranslation();
  useEffect(() => keepTime(engine), [engine]);
  const status = useTime((s) => s.status);
  /** The timeline slider's position while it is being moved (null: it shows where the world is). */
  const [draft, setDraft] = useState<number | null>(null);
  const [speedDraft, setSpeedDraft] = useState<number | null>(null);
  const seekTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  // The rewind is done once the world stands where the slider was left.
  useEffect(() => {
    if (draft !== null && status && seekTimer.current === null && status.position === draft) setDraft(null);
  }, [status, draft]);
  useEffect(() => () => { if (seekTimer.current !== null) clearTimeout(seekTimer.current); }, []);

  useEffect(() => {
    const onKey = (ev: KeyboardEvent) => {
      const now = useTime.getState().status;
      if (!now || ev.defaultPrevented || ev.ctrlKey || ev.altKey || ev.metaKey || isTypingTarget(ev.target)) return;
      if ((ev.key === ' ' && !ev.shiftKey && !owns(ev.target, OWN_SPACE)) || ev.key === '.') {
        ev.preventDefault();
        engine.setPlaying(!now.playing);
      } else if ((ev.key === 'ArrowRight' || ev.key === 'ArrowLeft') && !owns(ev.target, OWN_ARROWS)) {
        ev.preventDefault();
        if (ev.key === 'ArrowLeft') {
          if (!ev.shiftKey && now.commandPosition > 0) engine.seek({ command: now.commandPosition - 1 });
        } else {
          engine.step(ev.shiftKey ? 'command' : 'event');
        }
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [engine]);

  if (!status) {
    return (
      <section className="time-bar" aria-label={t('time.label')} data-testid="time-bar" data-ready="false">
        <span className="time-state">{t('time.unknown')}</span>
      </section>
    );
  }

  const past = inThePast(status);
  const position = draft ?? status.position;
  const speedPosition = speedDraft ?? speedToSlider(status.speed);
  const speed = speedDraft === null ? status.speed : sliderToSpeed(speedDraft);
  const stateText = status.playing ? t('time.state.playing') : t('time.state.paused');

  const onTimeline = (ev: ChangeEvent<HTMLInputElement>) => {
    const index = Number(ev.target.value);
    setDraft(index);
    if (seekTimer.current !== null) clearTimeout(seekTimer.current);
    seekTimer.current = setTimeout(() => {
      seekTimer.current = null;
      engine.seek({ index });
    }, SEEK_DELAY_MS);
  };

  const onSpeed = (ev: ChangeEvent<HTMLInputElement>) => {
    const p = Number(ev.target.value);
    setSpeedDraft(p);
    engine.setSpeed(sliderToSpeed(p));
  };

  return (
    <section
      className="time-bar" aria-label={t('time.label')} data-testid="time-bar" data-ready="true"
      data-playing={status.playing} data-past={past} data-position={status.position} data-length={status.length}
      data-commands={`${status.commandPosition}/${status.commandCount}`} data-forks={status.forks.length}
      data-waiting={status.waiting} data-speed={status.speed} data-now={status.now}
    >
      <div className="time-buttons">
        <button
          type="button" className="time-play" data-testid="time-play" aria-keyshortcuts="Space ."
          title={status.playing ? t('time.pauseHint') : t('time.playHint')}
          onClick={() => engine.setPlaying(!status.playing)}
        >
          <span aria-hidden="true">{status.playing ? '❚❚ ' : '▶ '}</span>{status.playing ? t('time.pause') : t('time.play')}
        </button>
        <button
          type="button" data-testid="time-back" aria-keyshortcuts="ArrowLeft" title={t('time.backHint')}
          disabled={status.commandPosition === 0} onClick={() => engine.seek({ command: status.commandPosition - 1 })}
        >
          <span aria-hidden="true">« </span>{t('time.back')}
        </button>
        <button type="button" data-testid="time-step-event" aria-keyshortcuts="ArrowRight" title={t('time.stepEventHint')} onClick={() => engine.step('event')}>
          {t('time.stepEvent')}
        </button>
        <button type="button" data-testid="time-step-command" aria-keyshortcuts="Shift+ArrowRight" title={t('time.stepCommandHint')} onClick={() => engine.step('command')}>
          {t('time.stepCommand')}
        </button>
      </div>

      <label className="time-speed">
        <span>{t('time.speed')}</span>
        <input
          type="range" min={0} max={SPEED_STEPS} step={1} value={speedPosition} data-testid="time-speed"
          aria-valuetext={t('time.speedValue', { speed: formatSpeed(speed) })}
          onChange={onSpeed} onBlur={() => setSpeedDraft(null)} onPointerUp={() => setSpeedDraft(null)}
        />
        <output>{t('time.speedValue', { speed: formatSpeed(speed) })}</output>
      </label>

      <div className="time-timeline">
        <div className="time-track">
          <input
            type="range" min={0} max={status.length} step={1} value={position} data-testid="time-timeline"
            aria-label={t('time.timeline')}
            aria-valuetext={t('time.timelineValue', { position, length: status.length, time: formatVirtualTime(status.now) })}
            onChange={onTimeline}
          />
          {status.forks.map((f) => (
            <span
              key={`${f.index}-${f.time}`} className="time-fork" data-testid="time-fork" data-index={f.index}
              style={{ left: `${status.length ? (f.index / status.length) * 100 : 0}%` }}
              title={t('time.fork', { time: formatVirtualTime(f.time) })}
            />
          ))}
        </div>
        <div className="time-facts">
          <span className="time-clock" data-testid="time-clock" title={t('time.virtualTime')}>{formatVirtualTime(status.now)}</span>
          <span data-testid="time-commands">{t('time.commands', { position: status.commandPosition, count: status.commandCount })}</span>
          {status.forks.length > 0 && <span>{t('time.forks', { count: status.forks.length })}</span>}
          {status.lastRewindMs !== null && <span className="time-muted">{t('time.rewindCost', { ms: status.lastRewindMs.toFixed(1) })}</span>}
        </div>
      </div>

      <p className="time-state" role="status" data-testid="time-state" data-state={status.playing ? 'playing' : 'paused'}>
        {stateText}
        {past && <span className="time-past"> · {t('time.state.past')}</span>}
        {status.waiting > 0 && <span className="time-waiting"> · {t('time.waiting', { count: status.waiting })}</span>}
        {/* Why replies do not come: the server's thread is busy (paused, until Play), or they are on the network. */}
        {status.busyUntil > 0 && (!status.playing || status.busyUntil - status.now >= BUSY_NOTE_MS) && (
          <span className="time-waiting" data-testid="time-busy" data-busy-until={status.busyUntil}>
            {' · '}{t(status.playing ? 'time.busy' : 'time.busyPaused', { ms: status.busyUntil - status.now })}
          </span>
        )}
        {!status.playing && status.inFlight > 0 && (
          <span className="time-waiting" data-testid="time-in-flight"> · {t('time.inFlightPaused', { count: status.inFlight })}</span>
        )}
      </p>
    </section>
  );
}
