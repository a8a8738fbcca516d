// The terminals on the page as other parts of the app reach them: to type or paste into one (a
// lesson's snippets and reference solutions), to know which had the keyboard last, and one place
// where the app plugs in its own terminal commands and hears what each command replied (the lesson
// runner: `:lesson ...`, refused commands, the journal). TerminalView registers each terminal.
import type { Reply } from '../engine/replyReader.ts';

/** One terminal, as TerminalView registers it. */
export interface TerminalControl {
  /** The terminal's id in the terminals list (state/terminals.ts). */
  id: string;
  /** Keys, as if typed (echoed, edited, Enter runs the line). */
  input(data: string): void;
  /** A paste: every complete line runs in turn, a last piece without newline is left typed. */
  paste(text: string): void;
  /** A command is running, or redis-cli is starting. */
  busy(): boolean;
  /** The id of its connection to the engine now, null while it has none. */
  connectionId(): string | null;
  /** A new redis-cli on a new connection, after a note (a byte string ending in a newline). */
  restart(note?: string): void;
  /** Gives it the keyboard focus. */
  focus(): void;
}

/** What the app adds to every terminal (the lesson runner); `terminalId` says which one asked. */
export interface TerminalExtension {
  /** A `:` line other than redis-cli's `:set`: the text to print, or null for redis-cli's "unknown". */
  internal(argv: string[], terminalId: string): string | null;
  /** Asked before a command is sent: why it is refused (printed instead), or null. */
  refuse(argv: string[], terminalId: string): string | null;
  /** A command ran in this terminal and got this reply. */
  ran(argv: string[], reply: Reply, terminalId: string): void;
}

const controls = new Map<string, TerminalControl>();
let extension: TerminalExtension | null = null;
let lastFocused: string | null = null;

export const terminalRegistry = {
  register(control: TerminalControl): () => void {
    controls.set(control.id, control);
    return () => { if (controls.get(control.id) === control) controls.delete(control.id); };
  },
  get(id: string): TerminalControl | undefined {
    return controls.get(id);
  },
  /** Every terminal on the page. */
  all(): TerminalControl[] {
    return [...controls.values()];
  },
  /** The terminal that had the keyboard focus last (it may have lost it to a button since). */
  focused(): string | null {
    return lastFocused !== null && controls.has(lastFocused) ? lastFocused : null;
  },
  noteFocus(id: string): void {
    lastFocused = id;
  },
  get extension(): TerminalExtension | null {
    return extension;
  },
  /** Plugs the app's terminal extension in (null: plain redis-cli again). */
  extend(ext: TerminalExtension | null): void {
    extension = ext;
  },
};
