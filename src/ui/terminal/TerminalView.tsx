// One client's terminal: xterm.js running redis-cli (CliHost) over its own connection to the
// engine, with its toolbar and optional wire view. Its colours and font size follow the display
// settings live (the buffer is kept; a new font size refits the terminal).
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import type { EngineConnector } from '../engine/engineConnection.ts';
import { useTranslation } from '../i18n/index.ts';
import { useTheme } from '../shell/displaySettings.ts';
import { useSettings } from '../state/settings.ts';
import { useTerminals, type TerminalInfo } from '../state/terminals.ts';
import { hook } from '../testHook.ts';
import { CliHost } from './cliHost.ts';
import { loadStaticHelp, staticHelpIfLoaded } from './fallbackHelp.ts';
import { sharedHistory } from './historyStore.ts';
import { terminalRegistry } from './terminalRegistry.ts';
import { TERMINAL_FONT_SIZES, TERMINAL_THEMES } from './terminalThemes.ts';
import { WireLog } from './wireLog.ts';
import { WireView } from './WireView.tsx';

const MODIFIER_KEYS = new Set(['Shift', 'Control', 'Alt', 'Meta']);

export function TerminalView({ info, engine, removable }: { info: TerminalInfo; engine: EngineConnector; removable: boolean }) {
  const { t } = useTranslation();
  const container = useRef<HTMLDivElement>(null);
  const [wire] = useState(() => new WireLog());
  const remove = useTerminals((s) => s.remove);
  const toggleWire = useTerminals((s) => s.toggleWire);
  const toggleRaw = useTerminals((s) => s.toggleRaw);
  const raw = info.raw ?? false;
  const headingId = useId();
  const helpId = useId();
  const wireId = useId();
  const label = t('terminal.view.clientName', { number: info.number });
  const theme = TERMINAL_THEMES[useTheme()];
  const fontSize = TERMINAL_FONT_SIZES[useSettings((s) => s.textSize)];
  /** The terminal once created, and its refit; the look as it is now, for a terminal created later. */
  const xterm = useRef<{ term: Terminal; refit(): void; host: CliHost } | null>(null);
  const textboxLabel = t('terminal.view.textbox', { name: label });
  const look = useRef({ theme, fontSize, textboxLabel, raw });
  useLayoutEffect(() => { look.current = { theme, fontSize, textboxLabel, raw }; });

  useEffect(() => {
    const el = container.current!;
    const term = new Terminal({
      convertEol: true,
      cursorBlink: true,
      scrollback: 5000,
      fontFamily: 'ui-monospace, "DejaVu Sans Mono", "Cascadia Mono", Menlo, Consolas, monospace',
      fontSize: look.current.fontSize,
      theme: look.current.theme,
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(el);
    const refit = () => {
      // Only when laid out: a hidden container has no size to fit.
      if (el.clientWidth > 0 && el.clientHeight > 0) fit.fit();
    };
    refit();
    term.textarea?.setAttribute('aria-label', look.current.textboxLabel);
    term.textarea?.setAttribute('aria-describedby', helpId);

    const host = new CliHost({
      connector: engine,
      surface: { write: (bytes) => term.write(bytes), get cols() { return term.cols; } },
      history: sharedHistory,
      wire,
      now: () => performance.now(),
      fallbackHelp: staticHelpIfLoaded,
      loadFallbackHelp: loadStaticHelp,
      // The app's own commands (`:lesson ...`) and the lesson journal, whoever plugged them in.
      hostCommands: {
        internal: (argv) => terminalRegistry.extension?.internal(argv, info.id) ?? null,
        refuse: (argv) => terminalRegistry.extension?.refuse(argv, info.id) ?? null,
      },
      onCommand: (argv, reply) => terminalRegistry.extension?.ran(argv, reply, info.id),
    });
    host.setOutputMode(look.current.raw ? 'raw' : 'standard');
    xterm.current = { term, refit, host };

    // Tab completes in redis-cli, so Tab cannot leave the terminal: Escape then Tab (or
    // Shift-Tab) does, as in code editors. An Escape followed by anything else reaches redis-cli.
    let escapeArmed = false;
    term.attachCustomKeyEventHandler((ev) => {
      if (ev.type !== 'keydown') return true;
      if (MODIFIER_KEYS.has(ev.key)) return true;
      // F1 toggles the shortcuts help (the page's key handler): linenoise ignores the key anyway.
      if (ev.key === 'F1') return false;
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
    const unregister = terminalRegistry.register({
      id: info.id,
      input: (data) => host.input(data),
      paste: (text) => term.paste(text),
      busy: () => host.busy,
      connectionId: () => host.connectionId,
      restart: (note) => host.restart(note),
      focus: () => term.focus(),
    });
    const noteFocus = () => terminalRegistry.noteFocus(info.id);
    term.textarea?.addEventListener('focus', noteFocus);
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
      xterm.current = null;
      clearTimeout(preload);
      if (terminals[info.name]) delete terminals[info.name];
      observer.disconnect();
      unregister();
      term.textarea?.removeEventListener('focus', noteFocus);
      onData.dispose();
      onResize.dispose();
      host.dispose();
      term.dispose();
    };
  }, [engine, info.id, info.name, wire, helpId]);

  // A new theme or text size: the same terminal, redrawn (its buffer stays), refitted to its box.
  useEffect(() => {
    const x = xterm.current;
    if (!x) return;
    x.term.options.theme = theme;
    if (x.term.options.fontSize !== fontSize) {
      x.term.options.fontSize = fontSize;
      x.refit();
    }
  }, [theme, fontSize]);

  useEffect(() => {
    xterm.current?.term.textarea?.setAttribute('aria-label', textboxLabel);
  }, [textboxLabel]);

  useEffect(() => { xterm.current?.host.setOutputMode(raw ? 'raw' : 'standard'); }, [raw]);

  return (
    <section className="terminal-card" aria-labelledby={headingId} data-terminal={info.name}>
      <div className="terminal-bar">
        <h2 id={headingId}>{label}</h2>
        <button type="button" aria-expanded={info.wire} aria-controls={wireId} onClick={() => toggleWire(info.id)}>
          {t(info.wire ? 'terminal.view.hideWire' : 'terminal.view.showWire')}
        </button>
        <button type="button" aria-pressed={raw} onClick={() => toggleRaw(info.id)} title={t('terminal.view.rawTitle')}>
          {t('terminal.view.raw')}
        </button>
        {removable && (
          <button type="button" onClick={() => remove(info.id)} aria-label={t('terminal.view.closeLabel', { name: label })}>
            {t('terminal.view.close')}
          </button>
        )}
      </div>
      <p id={helpId} className="visually-hidden">{t('terminal.view.help')}</p>
      <div className="terminal-frame">
        <div ref={container} className="terminal-host" />
      </div>
      {info.wire && <WireView id={wireId} log={wire} name={info.name} label={label} />}
    </section>
  );
}
