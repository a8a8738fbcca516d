// The line editor of redis-cli 7.0 (its bundled linenoise, linenoiseEdit) as a pure state machine:
// terminal input in (what xterm sends: characters and escape sequences), the edited line and
// events out. Keys are read one character at a time exactly as linenoise reads bytes, so its quirks
// come along (ESC always swallows the next two characters; unknown control keys are inserted).
//
// Added to 7.0.15's linenoise, as the issue asks: Ctrl-R reverse search, Alt-B / Alt-F word moves
// (linenoise would read ESC b as an unknown escape sequence), and Ctrl-C as an event of its own
// (redis-cli exits on it; the session decides).
// One deliberate difference: the line is text, so the cursor moves by character where linenoise
// moves by byte (and splits multibyte UTF-8 characters).
import type { History } from './history.ts';

export type EditorEvent =
  /** Enter: the line to run. */
  | { type: 'submit'; line: string }
  /** Ctrl-C. */
  | { type: 'interrupt' }
  /** Ctrl-D on an empty line: end of input, redis-cli exits. */
  | { type: 'eof' }
  /** Ctrl-L: clear the screen (the line is drawn again after). */
  | { type: 'clearScreen' }
  /** The terminal bell: nothing to complete, or no more matches. */
  | { type: 'bell' };

/** What to draw: the prompt (null for the normal one), the line, the cursor, whether to hint. */
export interface EditorView {
  prompt: string | null;
  buffer: string;
  cursor: number;
  hints: boolean;
}

/** Escape sequences terminals send for the keys linenoise knows (xterm's defaults). */
export const KEYS = {
  enter: '\r', tab: '\t', backspace: '\x7f', escape: '\x1b', delete: '\x1b[3~',
  up: '\x1b[A', down: '\x1b[B', right: '\x1b[C', left: '\x1b[D', home: '\x1b[H', end: '\x1b[F',
  ctrlA: '\x01', ctrlB: '\x02', ctrlC: '\x03', ctrlD: '\x04', ctrlE: '\x05', ctrlF: '\x06',
  ctrlG: '\x07', ctrlH: '\x08', ctrlK: '\x0b', ctrlL: '\x0c', ctrlN: '\x0e', ctrlP: '\x10',
  ctrlR: '\x12', ctrlT: '\x14', ctrlU: '\x15', ctrlW: '\x17', altB: '\x1bb', altF: '\x1bf',
} as const;

interface Completion { candidates: string[]; index: number }

interface Search {
  query: string;
  /** History position (places back from the newest) of the line shown, or -1 for none yet. */
  match: number;
  failed: boolean;
  original: string;
  originalCursor: number;
}

function isWordChar(c: string): boolean {
  return /[A-Za-z0-9]/.test(c);
}

export class LineEditor {
  buffer = '';
  cursor = 0;
  /** History position being shown: 0 is the line being edited, 1 the newest saved line ... */
  private historyIndex = 0;
  private completion: Completion | null = null;
  private search: Search | null = null;
  /** Characters of an escape sequence read so far (after the ESC), or null outside one. */
  private escape: string | null = null;
  private active = false;

  constructor(
    private readonly history: History,
    private readonly complete: (line: string) => string[] = () => [],
  ) {}

  /** linenoiseEdit's start: an empty line, which is also the newest history entry while edited. */
  begin(): void {
    this.buffer = '';
    this.cursor = 0;
    this.historyIndex = 0;
    this.completion = null;
    this.search = null;
    this.escape = null;
    this.history.add('');
    this.active = true;
  }

  /** Whether a line is being edited (between begin() and its end). */
  get editing(): boolean { return this.active; }

  view(): EditorView {
    if (this.search) {
      const s = this.search;
      const prompt = `(${s.failed ? 'failed ' : ''}reverse-i-search)\`${s.query}': `;
      return { prompt, buffer: this.buffer, cursor: this.cursor, hints: false };
    }
    if (this.completion) {
      const { candidates, index } = this.completion;
      if (index < candidates.length) {
        const shown = candidates[index];
        return { prompt: null, buffer: shown, cursor: shown.length, hints: true };
      }
    }
    return { prompt: null, buffer: this.buffer, cursor: this.cursor, hints: true };
  }

  /**
   * Feeds terminal input. Stops after the event that ends the line (submit, eof, interrupt) and
   * returns the input left unread: redis-cli reads it only at its next prompt.
   */
  feed(data: string): { events: EditorEvent[]; rest: string } {
    const events: EditorEvent[] = [];
    for (let i = 0; i < data.length; i++) {
      if (!this.active) return { events, rest: data.slice(i) };
      this.key(data[i], events);
    }
    return { events, rest: '' };
  }

  private end(events: EditorEvent[], e: EditorEvent): void {
    this.active = false;
    events.push(e);
  }

  private key(c: string, events: EditorEvent[]): void {
    if (this.escape !== null) return this.escapeKey(c);
    if (this.search) {
      if (this.searchKey(c, events)) return;
    }
    if (this.completion) {
      if (this.completionKey(c, events)) return;
    } else if (c === '\t') {
      const candidates = this.complete(this.buffer);
      if (candidates.length === 0) events.push({ type: 'bell' });
      else this.completion = { candidates, index: 0 };
      return;
    }
    switch (c) {
      case '\r':
        this.history.pop();
        this.cursor = this.buffer.length;
        this.end(events, { type: 'submit', line: this.buffer });
        return;
      case KEYS.ctrlC:
        // linenoise leaves the line in the history and redis-cli exits; cancelling, we clean up.
        this.history.pop();
        this.end(events, { type: 'interrupt' });
        return;
      case KEYS.backspace: case KEYS.ctrlH:
        if (this.cursor > 0) {
          this.buffer = this.buffer.slice(0, this.cursor - 1) + this.buffer.slice(this.cursor);
          this.cursor--;
        }
        return;
      case KEYS.ctrlD:
        if (this.buffer.length > 0) this.deleteRight();
        else {
          this.history.pop();
          this.end(events, { type: 'eof' });
        }
        return;
      case KEYS.ctrlT:
        if (this.cursor > 0 && this.cursor < this.buffer.length) {
          const b = this.buffer, p = this.cursor;
          this.buffer = b.slice(0, p - 1) + b[p] + b[p - 1] + b.slice(p + 1);
          if (p !== b.length - 1) this.cursor++;
        }
        return;
      case KEYS.ctrlB: this.moveTo(this.cursor - 1); return;
      case KEYS.ctrlF: this.moveTo(this.cursor + 1); return;
      case KEYS.ctrlP: this.browseHistory(1); return;
      case KEYS.ctrlN: this.browseHistory(-1); return;
      case KEYS.escape: this.escape = ''; return;
      case KEYS.ctrlU: this.buffer = ''; this.cursor = 0; return;
      case KEYS.ctrlK: this.buffer = this.buffer.slice(0, this.cursor); return;
      case KEYS.ctrlA: this.cursor = 0; return;
      case KEYS.ctrlE: this.cursor = this.buffer.length; return;
      case KEYS.ctrlL: events.push({ type: 'clearScreen' }); return;
      case KEYS.ctrlW: this.deletePreviousWord(); return;
      case KEYS.ctrlR: this.startSearch(); return;
      default:
        this.buffer = this.buffer.slice(0, this.cursor) + c + this.buffer.slice(this.cursor);
        this.cursor++;
    }
  }

  /** ESC then two more characters (three for "ESC [ digit"), whatever they are. */
  private escapeKey(c: string): void {
    const seq = this.escape + c;
    if (seq.length === 1) {
      // Alt-B / Alt-F (our addition): xterm sends ESC b / ESC f.
      if (c === 'b') { this.escape = null; this.wordLeft(); return; }
      if (c === 'f') { this.escape = null; this.wordRight(); return; }
      this.escape = seq;
      return;
    }
    if (seq.length === 2 && seq[0] === '[' && seq[1] >= '0' && seq[1] <= '9') {
      this.escape = seq;
      return;
    }
    this.escape = null;
    if (seq[0] === '[') {
      if (seq.length === 3) {
        if (seq[2] === '~' && seq[1] === '3') this.deleteRight();
        return;
      }
      switch (seq[1]) {
        case 'A': this.browseHistory(1); break;
        case 'B': this.browseHistory(-1); break;
        case 'C': this.moveTo(this.cursor + 1); break;
        case 'D': this.moveTo(this.cursor - 1); break;
        case 'H': this.cursor = 0; break;
        case 'F': this.cursor = this.buffer.length; break;
      }
    } else if (seq[0] === 'O') {
      if (seq[1] === 'H') this.cursor = 0;
      else if (seq[1] === 'F') this.cursor = this.buffer.length;
    }
  }

  /** completeLine: TAB cycles, ESC goes back to the typed line, any other key takes the shown one. */
  private completionKey(c: string, events: EditorEvent[]): boolean {
    const comp = this.completion!;
    if (c === '\t') {
      comp.index = (comp.index + 1) % (comp.candidates.length + 1);
      if (comp.index === comp.candidates.length) events.push({ type: 'bell' });
      return true;
    }
    if (c !== KEYS.escape && comp.index < comp.candidates.length) {
      this.buffer = comp.candidates[comp.index];
      this.cursor = this.buffer.length;
    }
    this.completion = null;
    // The key itself is then handled as usual (ESC starting an escape sequence).
    return false;
  }

  private moveTo(pos: number): void {
    if (pos >= 0 && pos <= this.buffer.length) this.cursor = pos;
  }

  private deleteRight(): void {
    if (this.cursor < this.buffer.length) {
      this.buffer = this.buffer.slice(0, this.cursor) + this.buffer.slice(this.cursor + 1);
    }
  }

  /** linenoiseEditDeletePrevWord: back over spaces, then over non-spaces. */
  private deletePreviousWord(): void {
    const old = this.cursor;
    let p = old;
    while (p > 0 && this.buffer[p - 1] === ' ') p--;
    while (p > 0 && this.buffer[p - 1] !== ' ') p--;
    this.buffer = this.buffer.slice(0, p) + this.buffer.slice(old);
    this.cursor = p;
  }

  /** Alt-B, as readline: to the start of this or the previous word (letters and digits). */
  private wordLeft(): void {
    let p = this.cursor;
    while (p > 0 && !isWordChar(this.buffer[p - 1])) p--;
    while (p > 0 && isWordChar(this.buffer[p - 1])) p--;
    this.cursor = p;
  }

  /** Alt-F, as readline: to the end of this or the next word. */
  private wordRight(): void {
    let p = this.cursor;
    while (p < this.buffer.length && !isWordChar(this.buffer[p])) p++;
    while (p < this.buffer.length && isWordChar(this.buffer[p])) p++;
    this.cursor = p;
  }

  /**
   * linenoiseEditHistoryNext: the shown line is saved into its history slot (so edits to an old
   * line stay there, as in linenoise) and the next older (`dir` 1) or newer (-1) one is shown.
   */
  private browseHistory(dir: 1 | -1): void {
    if (this.history.length <= 1) return;
    this.history.set(this.historyIndex, this.buffer);
    const next = this.historyIndex + dir;
    if (next < 0 || next >= this.history.length) return;
    this.historyIndex = next;
    this.buffer = this.history.get(next);
    this.cursor = this.buffer.length;
  }

  private startSearch(): void {
    this.search = { query: '', match: -1, failed: false, original: this.buffer, originalCursor: this.cursor };
  }

  /** The newest saved line at or before history position `from` containing the query. */
  private findMatch(query: string, from: number): number {
    // Position 0 is the line being edited, not a saved one.
    for (let back = Math.max(from, 1); back < this.history.length; back++) {
      if (this.history.get(back).includes(query)) return back;
    }
    return -1;
  }

  private showMatch(s: Search, from: number, events: EditorEvent[]): void {
    const found = this.findMatch(s.query, from);
    s.failed = found < 0;
    if (found < 0) {
      events.push({ type: 'bell' });
      return;
    }
    s.match = found;
    this.buffer = this.history.get(found);
    this.cursor = this.buffer.length;
  }

  /**
   * Ctrl-R mode (bash-like): printable keys extend the query, Ctrl-R finds an older match,
   * Backspace shortens the query, Ctrl-G restores the line from before the search; any other key
   * (ESC and arrows too) keeps the match as the line and is then handled as usual (Enter runs it).
   * True when the key was used up.
   */
  private searchKey(c: string, events: EditorEvent[]): boolean {
    const s = this.search!;
    if (c === KEYS.ctrlR) {
      if (s.query !== '') this.showMatch(s, s.match < 0 ? 1 : s.match + 1, events);
      return true;
    }
    if (c === KEYS.backspace || c === KEYS.ctrlH) {
      s.query = s.query.slice(0, -1);
      if (s.query === '') {
        s.failed = false;
        s.match = -1;
        this.buffer = s.original;
        this.cursor = s.originalCursor;
      } else this.showMatch(s, 1, events);
      return true;
    }
    if (c === KEYS.ctrlG) {
      this.buffer = s.original;
      this.cursor = s.originalCursor;
      this.search = null;
      return true;
    }
    if (c >= ' ' && c !== KEYS.backspace) {
      s.query += c;
      this.showMatch(s, s.match < 0 ? 1 : s.match, events);
      return true;
    }
    this.search = null;
    return false;
  }
}
