// redis-cli 7.0.15's interactive mode (repl, issueCommandRepeat, cliSendCommand, cliReadReply) as a
// pure state machine. The host feeds it keystrokes, replies and connection outcomes, and carries
// out the effects it returns: text for the terminal, commands for the server, (re)connections,
// history to save, and the end of the program.
//
// Contract with the host:
// - `write` text is a byte string (one char per byte): write it to the terminal as bytes (UTF-8 is
//   decoded by the terminal, as with the real redis-cli). A "\n" means a newline: the terminal must
//   turn it into "\r\n" (xterm's convertEol), as the tty does for redis-cli.
// - `send` arguments are byte strings, to be sent as a RESP command on the current connection.
//   Every reply and push that arrives is passed to receive(), in order, whenever it arrives.
// - `connect` replaces the connection (a new client, RESP2, database 0) and must be answered with
//   connectResult(); replies of the old connection must not be passed on after it.
// - `exit`: redis-cli would exit here. Start a new session to go on (a new redis-cli).
import { binaryToUtf8, utf8ToBinary } from '../../engine/bytes.ts';
import type { Reply } from '../engine/replyReader.ts';
import { CliState } from './cliState.ts';
import { CommandHelp, genericHelp } from './commandHelp.ts';
import { atoi, isSensitiveCommand, parseLine } from './commandLine.ts';
import { formatPush, formatReply, UnknownReplyTypeError, type OutputMode } from './formatReply.ts';
import { History } from './history.ts';
import { LineEditor, type EditorEvent } from './lineEditor.ts';
import { CLEAR_SCREEN, LineRenderer } from './lineRenderer.ts';

export type SessionEffect =
  | { type: 'write'; text: string }
  | { type: 'send'; argv: string[] }
  | { type: 'connect'; host: string; port: number }
  | { type: 'history'; lines: string[] }
  | { type: 'exit'; code: number }
  /**
   * A command was sent and its reply read (not a push; in MONITOR or subscribed mode, the first
   * reply): for a host that keeps a journal of what ran (the lesson runner). Nothing to print.
   */
  | { type: 'ran'; argv: string[]; reply: Reply };

/**
 * The host's own commands, which are not redis-cli's (the app's `:lesson ...`). Both are asked
 * synchronously; what they return is printed as it is (a byte string, "\n" for newlines). A
 * session given these also reports each command's reply as a `ran` effect.
 */
export interface HostCommands {
  /** A line starting with ':' other than redis-cli's `:set`: its output, or null (redis-cli's "unknown"). */
  internal?(argv: string[]): string | null;
  /** Asked before a command is sent: why it is refused (printed instead of sending it), or null. */
  refuse?(argv: string[]): string | null;
}

export interface SessionOptions {
  host?: string;
  port?: number;
  /** Shown by `help`: "redis-cli 7.0.15". */
  version?: string;
  /** Terminal width, for hints and line wrapping. */
  cols?: number;
  /** --raw output instead of the standard (TTY) one. */
  raw?: boolean;
  /** The `:set hints` preference. */
  hints?: boolean;
  /** --show-pushes: print RESP3 pushes as they come (the default on a terminal). */
  showPushes?: boolean;
  /** Saved history lines, oldest first. */
  history?: readonly string[];
  /**
   * The help table. Without one the session asks the server for COMMAND DOCS at start, as
   * redis-cli does (and falls back to `fallbackHelp` if that fails).
   */
  help?: CommandHelp;
  fallbackHelp?: () => CommandHelp;
  /** A clock in ms: with it, commands that take 500 ms or more are followed by "(0.52s)". */
  now?: () => number;
  /** Ctrl-C at the prompt: redis-cli exits ('exit'); 'cancel' (default) drops the line instead. */
  ctrlC?: 'cancel' | 'exit';
  /** The host's own commands (not redis-cli's): absent, the session is exactly redis-cli. */
  hostCommands?: HostCommands;
}

/** What a waiting task is resumed with. */
type Resume =
  | { type: 'wake' }
  | { type: 'closed' }
  | { type: 'interrupt' }
  | { type: 'connected'; error: string | null };

type Wait = 'reply' | 'connect';
type Task = Generator<Wait, void, Resume>;

/** A reply read by cliReadReply, or why there is none. */
type ReadOutcome = { type: 'reply'; reply: Reply } | { type: 'closed' } | { type: 'interrupt' };

class Exit {
  constructor(readonly code: number) {}
}

/** Commands redis-cli always prints in raw form (their replies are text meant to be read as is). */
function printsRaw(argv: readonly string[]): boolean {
  const argc = argv.length;
  const cmd = argv[0].toLowerCase();
  const sub = argc >= 2 ? argv[1].toLowerCase() : '';
  return cmd === 'info' || cmd === 'lolwut' ||
    (argc >= 2 && cmd === 'debug' && (sub === 'htstats' || sub === 'htstats-key' || sub === 'client-eviction')) ||
    (argc >= 2 && cmd === 'memory' && (sub === 'malloc-stats' || sub === 'doctor')) ||
    (argc === 2 && cmd === 'cluster' && (sub === 'nodes' || sub === 'info')) ||
    (argc >= 2 && cmd === 'client' && (sub === 'list' || sub === 'info')) ||
    (argc === 3 && cmd === 'latency' && sub === 'graph') ||
    (argc === 2 && cmd === 'latency' && sub === 'doctor') ||
    (argc >= 2 && cmd === 'proxy' && sub === 'info');
}

/** printf("%.2f") of a double, rounding its exact binary value half to even as glibc does. */
export function formatFixed2(d: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(d));
  const bits = view.getBigUint64(0);
  const expBits = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & ((1n << 52n) - 1n);
  let exp = -1074;
  if (expBits !== 0) { mantissa |= 1n << 52n; exp = expBits - 1075; }
  let num = mantissa * 100n, den = 1n;
  if (exp >= 0) num <<= BigInt(exp); else den <<= BigInt(-exp);
  let q = num / den;
  const r2 = (num % den) * 2n;
  if (r2 > den || (r2 === den && (q & 1n) === 1n)) q++;
  const digits = q.toString().padStart(3, '0');
  return (d < 0 ? '-' : '') + digits.slice(0, -2) + '.' + digits.slice(-2);
}

export class CliSession {
  readonly state: CliState;
  readonly history: History;
  private readonly editor: LineEditor;
  private readonly renderer: LineRenderer;
  private help: CommandHelp | null;
  private readonly version: string;
  private cols: number;
  private mode: OutputMode;
  private hintsOn: boolean;
  private readonly showPushes: boolean;
  private readonly now?: () => number;
  private readonly ctrlC: 'cancel' | 'exit';
  private readonly fallbackHelp?: () => CommandHelp;
  private readonly hostCommands?: HostCommands;

  private out: SessionEffect[] = [];
  private task: Task | null = null;
  private waiting: Wait | null = null;
  /** Replies received and not read yet, oldest first (hiredis's input buffer). */
  private inbox: Reply[] = [];
  /** What the tty's line discipline holds of the keys typed while a command runs (for erasing). */
  private cookedLine = '';
  private exited = false;
  /** The server closed the connection while nothing was waiting: noticed at the next command. */
  private closedUnnoticed = false;

  // redis-cli's config flags for the command being run.
  private monitorMode = false;
  private pubsubMode = false;
  private shutdown = false;
  private pushCallback: boolean;
  /** The last reply read (config.last_cmd_type is its type). */
  private lastReply: Reply | null = null;
  /** hiredis's errstr of the current connection, printed by cliPrintContextError. */
  private contextError = '';

  constructor(options: SessionOptions = {}) {
    this.state = new CliState(options.host, options.port);
    this.history = new History(options.history ?? []);
    this.help = options.help ?? null;
    this.version = options.version ?? '7.0.15';
    this.cols = options.cols ?? 80;
    this.mode = options.raw ? 'raw' : 'standard';
    this.hintsOn = options.hints ?? true;
    this.showPushes = options.showPushes ?? true;
    this.pushCallback = this.showPushes;
    this.now = options.now;
    this.ctrlC = options.ctrlC ?? 'cancel';
    this.fallbackHelp = options.fallbackHelp;
    this.hostCommands = options.hostCommands;
    this.editor = new LineEditor(this.history, (line) => this.help?.completions(utf8ToBinary(line)) ?? []);
    this.renderer = new LineRenderer(this.cols);
  }

  get prompt(): string { return this.state.prompt(); }

  /** The history to save: the lines typed, without the one being edited. */
  savedHistory(): string[] {
    const lines = this.history.toJSON();
    if (this.editor.editing) lines.pop();
    return lines;
  }

  get outputMode(): OutputMode { return this.mode; }

  /** The --raw toggle. */
  setOutputMode(mode: OutputMode): void { this.mode = mode; }

  /** The terminal's width; linenoise reads it when a line starts. */
  resize(cols: number): void { this.cols = cols; }

  get isExited(): boolean { return this.exited; }

  /** Whether a command is running (keys typed now are only echoed). */
  get busy(): boolean { return this.task !== null; }

  /** The program starts: help from COMMAND DOCS (unless given), then the first prompt. */
  start(): SessionEffect[] {
    this.run(this.startup());
    return this.flush();
  }

  /**
   * Keys typed (what the terminal sends). While a command runs the terminal is not in raw mode: the
   * tty echoes the keys and linenoise throws them away when it takes the terminal back (TCSAFLUSH),
   * so they are only shown. Ctrl-C then is SIGINT: it ends MONITOR and subscribed mode, and
   * redis-cli itself otherwise.
   */
  input(data: string): SessionEffect[] {
    if (this.exited) return [];
    if (!this.task) {
      this.edit(data);
      return this.flush();
    }
    const interrupt = data.indexOf('\x03');
    this.echo(interrupt < 0 ? data : data.slice(0, interrupt));
    if (interrupt >= 0) {
      this.cookedLine = '';
      this.write('^C');
      if (this.monitorMode || this.pubsubMode) this.resume({ type: 'interrupt' });
      else this.exit(1);
    }
    return this.flush();
  }

  /** The tty's echo in canonical mode (ECHO, ECHOE, ECHOK, ECHOCTL) of keys typed during a command. */
  private echo(data: string): void {
    const erase = (n: number) => {
      for (let i = 0; i < n; i++) {
        const c = this.cookedLine[this.cookedLine.length - 1];
        this.cookedLine = this.cookedLine.slice(0, -1);
        this.write(c < ' ' ? '\b \b\b \b' : '\b \b');
      }
    };
    for (const c of data) {
      const code = c.charCodeAt(0);
      if (c === '\r' || c === '\n') {
        this.write('\n');
        this.cookedLine = '';
      } else if (code === 0x7f || code === 0x08) {
        erase(Math.min(1, this.cookedLine.length));
      } else if (code === 0x15) {
        erase(this.cookedLine.length);
      } else if (code === 0x17) {
        let n = 0;
        const l = this.cookedLine;
        while (n < l.length && l[l.length - 1 - n] === ' ') n++;
        while (n < l.length && l[l.length - 1 - n] !== ' ') n++;
        erase(n);
      } else if (code === 0x04 || code === 0x11 || code === 0x13) {
        // EOF, START and STOP are not echoed.
      } else if (code < 0x20 && c !== '\t') {
        this.write('^' + String.fromCharCode(code + 64));
        this.cookedLine += c;
      } else {
        this.write(utf8ToBinary(c));
        this.cookedLine += c;
      }
    }
  }

  /** A reply or push from the server. */
  receive(reply: Reply): SessionEffect[] {
    if (this.exited) return [];
    this.inbox.push(reply);
    if (this.waiting === 'reply') this.resume({ type: 'wake' });
    return this.flush();
  }

  /** The outcome of a `connect` effect: null, or the error text ("Connection refused"). */
  connectResult(error: string | null): SessionEffect[] {
    if (this.exited) return [];
    if (this.waiting === 'connect') this.resume({ type: 'connected', error });
    return this.flush();
  }

  /** The server closed the connection. */
  connectionClosed(): SessionEffect[] {
    if (this.exited) return [];
    if (this.waiting === 'reply') this.resume({ type: 'closed' });
    else this.closedUnnoticed = true;
    return this.flush();
  }

  // --- driving tasks ---------------------------------------------------------------------------

  private flush(): SessionEffect[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  private write(text: string): void {
    if (text === '') return;
    const last = this.out[this.out.length - 1];
    if (last?.type === 'write') last.text += text;
    else this.out.push({ type: 'write', text });
  }

  private exit(code: number): void {
    this.out.push({ type: 'exit', code });
    this.exited = true;
    this.task = null;
    this.waiting = null;
  }

  private run(task: Task): void {
    this.task = task;
    this.step({ type: 'wake' }, true);
  }

  private resume(r: Resume): void {
    if (!this.task) return;
    this.step(r, false);
  }

  private step(r: Resume, first: boolean): void {
    const task = this.task!;
    this.waiting = null;
    let result: IteratorResult<Wait, void>;
    try {
      result = first ? task.next() : task.next(r);
    } catch (e) {
      if (e instanceof Exit) { this.exit(e.code); return; }
      throw e;
    }
    if (!result.done) {
      this.waiting = result.value;
      return;
    }
    this.task = null;
    this.showPrompt();
  }

  /** Waits for the next reply in the inbox; anything else that happens ends the wait. */
  private *nextReply(): Generator<Wait, ReadOutcome, Resume> {
    while (this.inbox.length === 0) {
      if (this.closedUnnoticed) {
        this.closedUnnoticed = false;
        return { type: 'closed' };
      }
      const r = yield 'reply';
      if (r.type === 'closed' || r.type === 'interrupt') return r;
    }
    return { type: 'reply', reply: this.inbox.shift()! };
  }

  private send(argv: string[]): void {
    // A connection the server closed takes the bytes and answers with end-of-file.
    if (!this.closedUnnoticed) this.out.push({ type: 'send', argv });
  }

  /** cliPrintContextError: only when there is a connection (redis-cli's context) to ask. */
  private printContextError(): void {
    if (this.state.connected) this.write(`Error: ${this.contextError}\n`);
  }

  // --- the prompt and the line editor ----------------------------------------------------------

  private showPrompt(): void {
    if (this.exited) return;
    this.cookedLine = '';
    this.editor.begin();
    this.write(this.renderer.start(this.state.prompt(), this.cols));
  }

  private hintFor(buffer: string): string | null {
    if (!this.hintsOn || !this.help) return null;
    return this.help.hint(buffer);
  }

  private refresh(): void {
    const v = this.editor.view();
    const prompt = v.prompt ?? this.state.prompt();
    this.write(this.renderer.refresh(prompt, v.buffer, v.cursor, v.hints ? this.hintFor(v.buffer) : null));
  }

  /** The line as it stays on screen when it ends: no hint, cursor at its end. */
  private finalRefresh(): void {
    const line = this.editor.buffer;
    this.write(this.renderer.refresh(this.state.prompt(), line, line.length, null));
  }

  private edit(data: string): void {
    // Input after the end of the line is lost: linenoise leaves raw mode with TCSAFLUSH. (So a
    // paste of several lines runs only the first, as in a real terminal.)
    const { events } = this.editor.feed(data);
    let ended: EditorEvent | null = null;
    for (const e of events) {
      if (e.type === 'bell') this.write('\x07');
      else if (e.type === 'clearScreen') this.write(CLEAR_SCREEN);
      else ended = e;
    }
    if (!ended) {
      this.refresh();
      return;
    }
    switch (ended.type) {
      case 'submit':
        this.finalRefresh();
        this.write('\n');
        this.run(this.repl(ended.line));
        return;
      case 'eof':
        // The line as linenoise last drew it (keys before this one were drawn one by one).
        this.refresh();
        this.write('\n');
        this.exit(0);
        return;
      case 'interrupt':
        if (this.ctrlC === 'exit') {
          this.refresh();
          this.write('\n');
          this.exit(0);
          return;
        }
        this.finalRefresh();
        this.write('^C\n');
        this.showPrompt();
        return;
    }
  }

  // --- redis-cli's logic -----------------------------------------------------------------------

  private *startup(): Task {
    if (this.help) return;
    this.send(['COMMAND', 'DOCS']);
    const r = yield* this.nextReply();
    const table = r.type === 'reply' ? CommandHelp.fromCommandDocsReply(r.reply) : null;
    this.help = table ?? this.fallbackHelp?.() ?? null;
    if (r.type === 'closed') this.state.connected = false;
  }

  private addToHistory(line: string): void {
    if (this.history.add(line)) this.out.push({ type: 'history', lines: this.history.toJSON() });
  }

  /** One line typed at the prompt (repl's loop body). */
  private *repl(line: string): Task {
    if (line === '') return;
    const parsed = parseLine(utf8ToBinary(line));
    switch (parsed.kind) {
      case 'blank':
        return;
      case 'invalid':
        this.write('Invalid argument(s)\n');
        this.addToHistory(line);
        return;
      case 'badRepeat':
        this.write('Invalid redis-cli repeat command option value.\n');
        return;
    }
    const { argv, command, repeat } = parsed;
    if (!isSensitiveCommand(command)) this.addToHistory(line);
    const name = argv[0].toLowerCase();
    if (name === 'quit' || name === 'exit') throw new Exit(0);
    if (argv[0].startsWith(':')) {
      this.setPreference(argv);
    } else if (name === 'restart') {
      this.write("Use 'restart' only in Lua debugging mode.\n");
    } else if (argv.length === 3 && name === 'connect') {
      this.state.host = binaryToUtf8(argv[1]);
      this.state.port = atoi(argv[2]);
      yield* this.connect();
    } else if (argv.length === 1 && name === 'clear') {
      this.write(CLEAR_SCREEN);
    } else {
      // mstime(): whole milliseconds.
      const start = this.now ? Math.floor(this.now()) : undefined;
      yield* this.issueCommandRepeat(command, repeat);
      if (start !== undefined && this.now) {
        const elapsed = Math.floor(this.now()) - start;
        if (elapsed >= 500 && this.mode === 'standard') this.write(`(${formatFixed2(elapsed / 1000)}s)\n`);
      }
    }
  }

  /** cliSetPreferences for ":set hints" and friends. */
  private setPreference(argv: string[]): void {
    const own = argv[0].toLowerCase() === ':set' ? null : this.hostCommands?.internal?.(argv) ?? null;
    if (own !== null) {
      this.write(own);
    } else if (argv[0].toLowerCase() === ':set' && argv.length >= 2) {
      const pref = argv[1].toLowerCase();
      if (pref === 'hints') this.hintsOn = true;
      else if (pref === 'nohints') this.hintsOn = false;
      else this.write(`unknown redis-cli preference '${cString(argv[1])}'\n`);
    } else {
      this.write(`unknown redis-cli internal command '${cString(argv[0])}'\n`);
    }
  }

  /** cliConnect(CC_FORCE), then cliSelect. False when either failed. */
  private *connect(): Generator<Wait, boolean, Resume> {
    this.state.replaceConnection();
    this.out.push({ type: 'connect', host: this.state.host, port: this.state.port });
    let r: Resume = yield 'connect';
    while (r.type !== 'connected') r = yield 'connect';
    // Whatever the old connection sent or suffered meanwhile is gone with it.
    this.inbox = [];
    this.closedUnnoticed = false;
    if (r.error !== null) {
      this.write(utf8ToBinary(`Could not connect to Redis at ${this.state.host}:${this.state.port}: ${r.error}\n`));
      this.state.connected = false;
      return false;
    }
    this.state.connected = true;
    this.contextError = '';
    this.pushCallback = this.showPushes;
    return yield* this.select();
  }

  /** cliSelect: back to the database typed last, silently unless it fails. */
  private *select(): Generator<Wait, boolean, Resume> {
    if (!this.state.needsSelect) return true;
    const db = this.state.inputDbnum;
    this.send(['SELECT', String(db)]);
    const r = yield* this.nextReply();
    if (r.type !== 'reply') return false;
    if (r.reply.kind === 'error') {
      this.write(`SELECT ${db} failed: ${cString(r.reply.text)}\n`);
      return false;
    }
    this.state.selected();
    return true;
  }

  /** issueCommandRepeat: `help`, or the command sent `repeat` times over a connection. */
  private *issueCommandRepeat(argv: string[], repeat: number): Task {
    const name = argv[0].toLowerCase();
    if (name === 'help' || name === '?') {
      this.write(this.helpText(argv.slice(1)));
      return;
    }
    const refused = this.hostCommands?.refuse?.(argv) ?? null;
    if (refused !== null) {
      this.write(refused);
      return;
    }
    if (!this.state.connected) {
      if (!(yield* this.connect())) {
        this.printContextError();
        return;
      }
    }
    if (!(yield* this.sendCommand(argv, repeat))) {
      this.printContextError();
      this.state.connected = false;
    }
  }

  private helpText(topic: string[]): string {
    if (topic.length === 0) return genericHelp(this.version);
    this.help ??= this.fallbackHelp?.() ?? null;
    return this.help ? this.help.help(topic) : '\r\n';
  }

  /** cliSendCommand: false when the connection was lost. */
  private *sendCommand(argv: string[], repeat: number): Generator<Wait, boolean, Resume> {
    const name = argv[0].toLowerCase();
    const outputRaw = printsRaw(argv);
    if (name === 'shutdown') this.shutdown = true;
    if (name === 'monitor') this.monitorMode = true;
    if (name === 'subscribe' || name === 'psubscribe' || name === 'ssubscribe') this.pubsubMode = true;

    while (repeat-- > 0) {
      this.send(argv);
      /** In MONITOR and subscribed mode, only the first reply is the command's own. */
      let first = true;
      if (this.monitorMode) {
        do {
          if (!(yield* this.readReply(outputRaw))) {
            this.printContextError();
            throw new Exit(1);
          }
          this.ran(argv, first);
          first = false;
          if (this.lastReply?.kind === 'error') this.monitorMode = false;
        } while (this.monitorMode);
        return true;
      }
      if (this.pubsubMode) {
        if (this.mode !== 'raw') this.write('Reading messages... (press Ctrl-C to quit)\n');
        // Pushes are the messages now: read them as replies.
        this.pushCallback = false;
        while (this.pubsubMode) {
          if (!(yield* this.readReply(outputRaw))) {
            this.printContextError();
            throw new Exit(1);
          }
          this.ran(argv, first);
          first = false;
          if (!this.pubsubMode || this.lastReply?.kind === 'error') {
            this.pushCallback = this.showPushes;
            this.pubsubMode = false;
          }
        }
        continue;
      }
      if (!(yield* this.readReply(outputRaw))) return false;
      this.ran(argv, true);
      if (this.lastReply && this.state.afterReply(argv, this.lastReply)) yield* this.select();
    }
    return true;
  }

  /**
   * cliReadReply: reads a reply and prints it (pushes in between go to the push handler). A Ctrl-C
   * in MONITOR or subscribed mode ends it by reconnecting. False when the connection was lost.
   */
  private *readReply(outputRaw: boolean): Generator<Wait, boolean, Resume> {
    let got: ReadOutcome;
    for (;;) {
      got = yield* this.nextReply();
      if (got.type !== 'reply' || got.reply.kind !== 'push' || !this.pushCallback) break;
      this.print(got.reply, true, false);
    }
    if (got.type === 'interrupt') {
      this.monitorMode = false;
      this.pubsubMode = false;
      return yield* this.connect();
    }
    if (got.type === 'closed') {
      if (this.shutdown) {
        this.state.connected = false;
        return true;
      }
      this.contextError = 'Server closed the connection';
      return false;
    }
    this.lastReply = got.reply;
    this.print(got.reply, false, outputRaw);
    return true;
  }

  /** The `ran` effect for the reply just read (once per command sent). */
  private ran(argv: string[], first: boolean): void {
    if (first && this.lastReply && this.hostCommands) this.out.push({ type: 'ran', argv, reply: this.lastReply });
  }

  private print(reply: Reply, push: boolean, outputRaw: boolean): void {
    if (reply.kind === 'attribute') {
      // hiredis 1.0 cannot read RESP3 attributes.
      this.write('Error: Protocol error, got "|" as reply type byte\n');
      throw new Exit(1);
    }
    try {
      this.write(push && reply.kind === 'push' ? formatPush(reply, this.mode) : formatReply(reply, this.mode, outputRaw));
    } catch (e) {
      if (!(e instanceof UnknownReplyTypeError)) throw e;
      this.write(e.message + '\n');
      throw new Exit(1);
    }
  }
}

/** What C sees of a byte string: up to its first zero byte. */
function cString(s: string): string {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}
