// redis-cli's command history, kept as linenoise keeps it: at most 100 lines, oldest first, a line
// equal to the newest one not added again. Plain strings, so it can be saved and loaded as JSON.

export const HISTORY_MAX_LENGTH = 100;

export class History {
  private lines: string[] = [];

  constructor(lines: readonly string[] = [], readonly maxLength = HISTORY_MAX_LENGTH) {
    for (const l of lines) this.add(l);
  }

  /** linenoiseHistoryAdd: false when the line equals the newest one (or the history is off). */
  add(line: string): boolean {
    if (this.maxLength === 0) return false;
    if (this.lines.length > 0 && this.lines[this.lines.length - 1] === line) return false;
    if (this.lines.length === this.maxLength) this.lines.shift();
    this.lines.push(line);
    return true;
  }

  get length(): number { return this.lines.length; }

  /** The line `back` places from the newest (0 = newest). */
  get(back: number): string { return this.lines[this.lines.length - 1 - back]; }

  /** Replaces the line `back` places from the newest, as linenoise does while one browses it. */
  set(back: number, line: string): void { this.lines[this.lines.length - 1 - back] = line; }

  /** Drops the newest line (the line being edited, when the edit ends). */
  pop(): void { this.lines.pop(); }

  /** Every line, oldest first: what to save. */
  toJSON(): string[] { return [...this.lines]; }
}
