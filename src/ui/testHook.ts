// A small window hook for looking into the app from browser tests and the devtools console: the
// text of each terminal's buffer (scrollback included) and the engine. Set by the app itself.
import type { EngineStatus } from './engine/engineConnection.ts';

export interface TerminalProbe {
  /** The buffer's lines, oldest first, trailing spaces and trailing empty lines dropped. */
  lines(): string[];
  /** The cursor's row (in `lines()` numbering) and column. */
  cursor(): { row: number; col: number };
  cols(): number;
  /** A command is running (or redis-cli is starting). */
  busy(): boolean;
  /** The prompt shown when idle ("127.0.0.1:6379> "), or null when redis-cli has exited. */
  prompt(): string | null;
  /** Pastes text, as the clipboard would. */
  paste(text: string): void;
}

export interface EngineProbe {
  /** Runs a command on a connection of its own; its reply as redis-cli would print it. */
  call(argv: string[]): Promise<string>;
  status(): EngineStatus;
  crash(): void;
}

export interface RediscopeHook {
  terminals: Record<string, TerminalProbe>;
  engine: EngineProbe | null;
}

declare global {
  interface Window { rediscope?: RediscopeHook }
}

export function hook(): RediscopeHook {
  window.rediscope ??= { terminals: {}, engine: null };
  return window.rediscope;
}
