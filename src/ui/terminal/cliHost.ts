// Runs a CliSession (redis-cli's logic) in a terminal over an engine connection: keys from the
// terminal go to the session, its effects go to the terminal (bytes), the connection (RESP) and
// the history store, and every byte chunk the connection receives goes through a RESP reader,
// which copes with replies split across chunks and with pushes arriving at any time.
//
// One addition to redis-cli: a paste of several lines runs every line, one after the other as
// each finishes (in a real terminal linenoise would run the first and throw the rest away).
import { binaryToBytes } from '../../engine/bytes.ts';
import { encodeCommand, type EngineConnection, type EngineConnector } from '../engine/engineConnection.ts';
import { ReplyReader } from '../engine/replyReader.ts';
import type { Reply } from '../engine/replyReader.ts';
import { CliSession, type HostCommands, type SessionEffect } from './cliSession.ts';
import type { CommandHelp } from './commandHelp.ts';
import type { OutputMode } from './formatReply.ts';
import type { WireLog } from './wireLog.ts';

/** The terminal as the host sees it: bytes out (UTF-8 decoded there; "\n" as a newline), width. */
export interface TerminalSurface {
  write(bytes: Uint8Array): void;
  readonly cols: number;
}

/** Where redis-cli's history file lives (~/.rediscli_history), shared by every client. */
export interface HistoryStore {
  load(): string[];
  save(lines: readonly string[]): void;
}

export interface CliHostOptions {
  connector: EngineConnector;
  surface: TerminalSurface;
  history: HistoryStore;
  wire?: WireLog;
  /** A clock in ms: commands of 500 ms or more then show their time, as in redis-cli. */
  now?: () => number;
  /** The help table when the server's COMMAND DOCS fails (e.g. NOAUTH), if loaded. */
  fallbackHelp?: () => CommandHelp | null;
  /** Loads that table, for a start without any connection. */
  loadFallbackHelp?: () => Promise<CommandHelp>;
  /** The app's own commands (`:lesson ...`) and refusals, asked by redis-cli's session. */
  hostCommands?: HostCommands;
  /** Told of every command sent and its reply (with hostCommands only): the lesson journal. */
  onCommand?: (argv: string[], reply: Reply) => void;
}

/** The address redis-cli connects to by default, where the world's server listens. */
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 6379;

/** xterm wraps a paste in these once the application turns bracketed paste mode on. */
const BRACKETED_PASTE_ON = '\x1b[?2004h';
const PASTE_START = '\x1b[200~';
const PASTE_END = '\x1b[201~';
/** Grey, as redis-cli's hints. */
const NOTE_STYLE = '\x1b[0;90;49m';
const STYLE_RESET = '\x1b[0m';

function isServerAddress(host: string, port: number): boolean {
  return (host === DEFAULT_HOST || host === 'localhost') && port === DEFAULT_PORT;
}

export class CliHost {
  private session: CliSession | null = null;
  /** The session is waiting for its first connection (keys typed meanwhile wait too). */
  private starting = false;
  private conn: EngineConnection | null = null;
  private reader = new ReplyReader();
  /** Keys and pasted lines waiting for the session to be back at its prompt. */
  private queue: string[] = [];
  private pasting: string | null = null;
  private atLineStart = true;
  private disposed = false;

  /** --raw or the standard output, for every session this host starts. */
  private outputMode: OutputMode = 'standard';

  constructor(private readonly options: CliHostOptions) {}

  /** The --raw toggle: takes effect from the next reply on. */
  setOutputMode(mode: OutputMode): void {
    this.outputMode = mode;
    this.session?.setOutputMode(mode);
  }

  /** Starts redis-cli. */
  start(): void {
    this.options.surface.write(binaryToBytes(BRACKETED_PASTE_ON));
    void this.begin();
  }

  /** Whether a command is running (or redis-cli is starting). */
  get busy(): boolean {
    return this.starting || (this.session?.busy ?? false);
  }

  /** The id of the connection redis-cli uses now (EngineConnection.id), null while it has none. */
  get connectionId(): string | null {
    return this.conn?.id ?? null;
  }

  /** redis-cli has exited (quit, Ctrl-D ...); Enter starts a new one. */
  get exited(): boolean {
    return this.session?.isExited ?? false;
  }

  get prompt(): string | null {
    return this.session && !this.session.isExited ? this.session.prompt : null;
  }

  resize(cols: number): void {
    this.session?.resize(cols);
  }

  /**
   * Starts a new redis-cli on a new connection, after `note` (a byte string, ending in a newline)
   * if given: the app's own step, when it has put another world in place (a lesson's) and the old
   * connection is gone. Whatever was typed or running is dropped.
   */
  restart(note?: string): void {
    if (this.disposed) return;
    this.conn?.close();
    this.conn = null;
    this.pasting = null;
    if (!this.atLineStart) this.writeText('\n');
    if (note) this.writeText(note);
    void this.begin();
  }

  dispose(): void {
    this.disposed = true;
    this.conn?.close();
    this.conn = null;
  }

  /** What the terminal sends: typed keys, and pastes in bracketed-paste markers. */
  input(data: string): void {
    if (this.disposed) return;
    let rest = data;
    while (rest !== '') {
      if (this.pasting !== null) {
        const end = rest.indexOf(PASTE_END);
        if (end < 0) {
          this.pasting += rest;
          return;
        }
        const text = this.pasting + rest.slice(0, end);
        this.pasting = null;
        rest = rest.slice(end + PASTE_END.length);
        this.paste(text);
        continue;
      }
      const start = rest.indexOf(PASTE_START);
      if (start < 0) {
        this.keys(rest);
        return;
      }
      if (start > 0) this.keys(rest.slice(0, start));
      this.pasting = '';
      rest = rest.slice(start + PASTE_START.length);
    }
  }

  /**
   * A paste: each complete line is queued to run in turn, the last piece (without a newline) is
   * typed. Tabs become spaces, so an indented snippet does not trigger completion.
   */
  paste(text: string): void {
    const pieces = text.replace(/\r\n|\n/g, '\r').replace(/\t/g, ' ').split('\r');
    const last = pieces.pop()!;
    for (const line of pieces) this.queue.push(line + '\r');
    if (last !== '') this.queue.push(last);
    this.pump();
  }

  private keys(data: string): void {
    const session = this.session;
    if (!session || session.isExited) {
      // A new redis-cli on Enter.
      if (session && /[\r\n]/.test(data)) void this.begin();
      return;
    }
    if (data.includes('\x03')) this.queue = [];
    if (this.queue.length > 0 || this.starting) {
      // Typed after a paste still running: in order, after it.
      this.queue.push(data);
      this.pump();
      return;
    }
    this.apply(session.input(data));
  }

  /** Feeds queued input while the session is at its prompt. */
  private pump(): void {
    while (this.queue.length > 0 && this.session && !this.starting && !this.session.busy && !this.session.isExited) {
      this.apply(this.session.input(this.queue.shift()!));
    }
  }

  /** A new redis-cli: it connects, then starts (asking COMMAND DOCS for its help). */
  private async begin(): Promise<void> {
    this.starting = true;
    this.queue = [];
    const session = new CliSession({
      host: DEFAULT_HOST,
      port: DEFAULT_PORT,
      cols: this.options.surface.cols,
      history: this.options.history.load(),
      now: this.options.now,
      fallbackHelp: this.fallbackHelp(),
      raw: this.outputMode === 'raw',
      hostCommands: this.options.hostCommands,
    });
    this.session = session;
    const error = await this.open().ready;
    if (this.disposed || this.session !== session) return;
    this.starting = false;
    if (error !== null) {
      // As redis-cli started without a server: the error, then "not connected> ".
      this.writeText(`Could not connect to Redis at ${DEFAULT_HOST}:${DEFAULT_PORT}: ${error}\n`);
      this.conn = null;
      const help = await this.options.loadFallbackHelp?.();
      if (this.disposed || this.session !== session) return;
      const offline = new CliSession({
        host: DEFAULT_HOST, port: DEFAULT_PORT, cols: this.options.surface.cols,
        history: this.options.history.load(), now: this.options.now, help, fallbackHelp: this.fallbackHelp(),
        raw: this.outputMode === 'raw', hostCommands: this.options.hostCommands,
      });
      offline.state.connected = false;
      this.session = offline;
      this.apply(offline.start());
      this.pump();
      return;
    }
    this.apply(session.start());
    this.pump();
  }

  private fallbackHelp(): (() => CommandHelp) | undefined {
    const get = this.options.fallbackHelp;
    // The session treats a missing table as "no help", as redis-cli without its table.
    return get ? () => get() as CommandHelp : undefined;
  }

  /** A new connection (the old one, if any, is dropped with whatever it still had to say). */
  private open(): EngineConnection {
    this.conn?.close();
    this.reader = new ReplyReader();
    const conn: EngineConnection = this.options.connector.connect({
      data: (bytes) => { if (this.conn === conn) this.received(bytes); },
      closed: () => {
        if (this.conn !== conn) return;
        this.conn = null;
        if (this.session) this.apply(this.session.connectionClosed());
        this.pump();
      },
    });
    this.conn = conn;
    return conn;
  }

  private received(bytes: Uint8Array): void {
    this.options.wire?.record('received', bytes);
    this.reader.feed(bytes);
    for (;;) {
      let reply;
      try {
        reply = this.reader.next();
      } catch (e) {
        // Not RESP: hiredis gives up on the connection.
        this.conn?.close();
        this.conn = null;
        this.writeText(`Error: Protocol error: ${(e as Error).message}\n`);
        if (this.session) this.apply(this.session.connectionClosed());
        break;
      }
      if (!reply || !this.session) break;
      this.apply(this.session.receive(reply));
    }
    this.pump();
  }

  private apply(effects: SessionEffect[]): void {
    for (const e of effects) {
      switch (e.type) {
        case 'write':
          this.writeText(e.text);
          break;
        case 'send': {
          const bytes = encodeCommand(e.argv);
          this.options.wire?.record('sent', bytes); // before sending: the buffer is handed over
          this.conn?.send(bytes);
          break;
        }
        case 'connect':
          this.connectTo(e.host, e.port);
          break;
        case 'history':
          this.options.history.save(e.lines);
          break;
        case 'ran':
          this.options.onCommand?.(e.argv, e.reply);
          break;
        case 'exit':
          this.conn?.close();
          this.conn = null;
          this.queue = [];
          if (!this.atLineStart) this.writeText('\n');
          this.writeText(`${NOTE_STYLE}redis-cli exited (code ${e.code}). Press Enter to start it again.${STYLE_RESET}\n`);
          break;
      }
    }
  }

  /** The session's `connect`: our server, or nothing else listening anywhere. */
  private connectTo(host: string, port: number): void {
    const session = this.session!;
    if (!isServerAddress(host, port)) {
      this.conn?.close();
      this.conn = null;
      queueMicrotask(() => { if (this.session === session) this.apply(session.connectResult('Connection refused')); });
      return;
    }
    const conn = this.open();
    void conn.ready.then((error) => {
      if (this.disposed || this.session !== session || this.conn !== conn) return;
      if (error !== null) this.conn = null;
      this.apply(session.connectResult(error));
      this.pump();
    });
  }

  /** Writes a byte string to the terminal. */
  private writeText(text: string): void {
    if (text === '') return;
    this.atLineStart = text.endsWith('\n');
    this.options.surface.write(binaryToBytes(text));
  }
}
