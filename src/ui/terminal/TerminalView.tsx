// One client's terminal: xterm.js running redis-cli (CliHost) over its own connection to the
// engine, with its toolbar and optional wire view.
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useId, useRef, useState } from 'react';
import type { EngineConnector } from '../engine/engineConnection.ts';
import { useTerminals, type TerminalInfo } from '../state/terminals.ts';
import { hook } from '../testHook.ts';
import { CliHost } from './cliHost.ts';
import { loadStaticHelp, staticHelpIfLoaded } from './fallbackHelp.ts';
import { localHistory } from './historyStore.ts';
import { WireLog } from './wireLog.ts';
import { WireView } from './WireView.tsx';

const MODIFIER_KEYS = new Set(['Shift', 'Control', 'Alt', 'Meta']);
/** Also in app.css (--terminal-background). */
const TERMINAL_BACKGROUND = '#1b1e23';

export function TerminalView({ info, engine, removable }: { info: TerminalInfo; engine: EngineConnector; removable: boolean }) {
  const container = useRef<HTMLDivElement>(null);
  const [wire] = useState(() => new WireLog());
  const remove = useTerminals((s) => s.remove);
  const toggleWire = useTerminals((s) => s.toggleWire);
  const headingId = useId();
  const helpId = useId();
  const wireId = useId();

  useEffect(() => {
    const el = container.current!;
    const term = new Terminal({
      convertEol: true,
      cursorBlink: true,
      scrollback: 5000,
      fontFamily: 'ui-monospace, "DejaVu Sans Mono", "Cascadia Mono", Menlo, Consolas, monospace',
      fontSize: 14,
      theme: { background: TERMINAL_BACKGROUND, foreground: '#d8dee9', cursor: '#d8dee9' },
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(el);
    const refit = () => {
      // Only when laid out: a hidden container has no size to fit.
      if (el.clientWidth > 0 && el.clientHeight > 0) fit.fit();
    };
    refit();
    const textarea = term.textarea;
    textarea?.setAttribute('aria-label', `${info.name}: redis-cli`);
    textarea?.setAttribute('aria-describedby', helpId);

    const host = new CliHost({
      connector: engine,
      surface: { write: (bytes) => term.write(bytes), get cols() { return term.cols; } },
      history: localHistory,
      wire,
      now: () => performance.now(),
      fallbackHelp: staticHelpIfLoaded,
      loadFallbackHelp: loadStaticHelp,
    });

    // Tab completes in redis-cli, so Tab cannot leave the terminal: Escape then Tab (or
    // Shift-Tab) does, as in code editors. An Escape followed by anything else reaches redis-cli.
    let escapeArmed = false;
    term.attachCustomKeyEventHandler((ev) => {
      if (ev.type !== 'keydown') return true;
      if (MODIFIER_KEYS.has(ev.key)) return true;
      if (ev.key === 'Escape' && !ev.ctrlKey && !ev.altKey && !ev.metaKey) {
        if (escapeArmed) host.input('\x1b');
        escapeArmed = true;
        return false;
      }
      if (escapeArmed) {
        escapeArmed = false;
        if (ev.key === 'Tab') return false; // the browser moves the focus
        host.input('\x1b');
      }
      return true;
    });

    const onData = term.onData((data) => host.input(data));
    const onResize = term.onResize(({ cols }) => host.resize(cols));
    const observer = new ResizeObserver(refit);
    observer.observe(el);

    const terminals = hook().terminals;
    terminals[info.name] = {
      lines: () => {
        const buffer = term.buffer.active;
        const lines: string[] = [];
        for (let i = 0; i < buffer.length; i++) lines.push(buffer.getLine(i)?.translateToString(true) ?? '');
        while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
        return lines;
      },
      cursor: () => ({ row: term.buffer.active.baseY + term.buffer.active.cursorY, col: term.buffer.active.cursorX }),
      cols: () => term.cols,
      busy: () => host.busy,
      prompt: () => host.prompt,
      paste: (text) => term.paste(text),
    };

    host.start();
    const { focusId, focused } = useTerminals.getState();
    if (focusId === info.id) {
      term.focus();
      focused();
    }
    // The offline help table, for a server that refuses COMMAND DOCS; not needed to start.
    const preload = setTimeout(() => { void loadStaticHelp(); }, 3000);
    return () => {
      clearTimeout(preload);
      if (terminals[info.name]) delete terminals[info.name];
      observer.disconnect();
      onData.dispose();
      onResize.dispose();
      host.dispose();
      term.dispose();
    };
  }, [engine, info.id, info.name, wire, helpId]);

  return (
    <section className="terminal-card" aria-labelledby={headingId} data-terminal={info.name}>
      <div className="terminal-bar">
        <h2 id={headingId}>{info.name}</h2>
        <button type="button" aria-expanded={info.wire} aria-controls={wireId} onClick={() => toggleWire(info.id)}>
          {info.wire ? 'Hide wire' : 'Show wire'}
        </button>
        {removable && (
          <button type="button" onClick={() => remove(info.id)} aria-label={`Close ${info.name}`}>Close</button>
        )}
      </div>
      <p id={helpId} className="visually-hidden">
        redis-cli. Tab completes command names, up and down browse the history, Control-R searches it. A paste of
        several lines runs each line in turn (a real terminal would run only the first). Press Escape, then Tab, to
        leave the terminal.
      </p>
      <div className="terminal-frame">
        <div ref={container} className="terminal-host" />
      </div>
      {info.wire && <WireView id={wireId} log={wire} name={info.name} />}
    </section>
  );
}
