// A small terminal screen for oracle tests: interprets what a program writes to a terminal (text,
// CR/LF, the VT100 cursor moves, erases and colours linenoise and redis-cli use) into lines of
// text, so the real redis-cli and our terminal model can be compared by what a user would see.
// Coloured text is marked: «90:text» is text in SGR style "90" (styles: bold "1", colour codes).
// The screen has no height: it never scrolls, and "home" is its first row.

interface Cell { ch: string; style: string }

export class Screen {
  private lines: Cell[][] = [[]];
  private row = 0;
  private col = 0;
  /** xterm's deferred wrap: the last column was written, the next character goes to a new row. */
  private wrapPending = false;
  private bold = false;
  private fg: number | null = null;
  private pending = '';

  constructor(readonly cols: number) {}

  /** Feeds output: a byte string, as written to the terminal (raw mode: "\n" only moves down). */
  write(data: string): void {
    const s = this.pending + data;
    this.pending = '';
    let i = 0;
    while (i < s.length) {
      const c = s[i];
      if (c === '\x1b') {
        const m = /^\x1b\[([0-9;]*)([A-Za-z])/.exec(s.slice(i, i + 32));
        if (!m) {
          if (s.length - i < 32 && /^\x1b(\[[0-9;]*)?$/.test(s.slice(i))) { this.pending = s.slice(i); return; }
          throw new Error(`unsupported escape sequence ${JSON.stringify(s.slice(i, i + 8))}`);
        }
        this.csi(m[1], m[2]);
        i += m[0].length;
        continue;
      }
      i++;
      switch (c) {
        case '\r': this.col = 0; this.wrapPending = false; break;
        case '\n': this.down(1); break;
        case '\x07': break;
        case '\b': if (this.col > 0) this.col--; this.wrapPending = false; break;
        default: this.put(c);
      }
    }
  }

  private style(): string {
    const parts: string[] = [];
    if (this.bold) parts.push('1');
    if (this.fg !== null) parts.push(String(this.fg));
    return parts.join(';');
  }

  private line(r: number): Cell[] {
    while (this.lines.length <= r) this.lines.push([]);
    return this.lines[r];
  }

  private put(ch: string): void {
    if (this.wrapPending) {
      this.wrapPending = false;
      this.col = 0;
      this.down(1);
    }
    const line = this.line(this.row);
    while (line.length < this.col) line.push({ ch: ' ', style: '' });
    line[this.col] = { ch, style: this.style() };
    if (this.col === this.cols - 1) this.wrapPending = true;
    else this.col++;
  }

  private down(n: number): void {
    this.row += n;
    this.line(this.row);
  }

  private csi(params: string, final: string): void {
    const nums = params === '' ? [] : params.split(';').map(Number);
    const n = nums[0] || 1;
    switch (final) {
      case 'A': this.row = Math.max(0, this.row - n); this.wrapPending = false; break;
      case 'B': this.down(n); this.wrapPending = false; break;
      case 'C': this.col = Math.min(this.cols - 1, this.col + n); this.wrapPending = false; break;
      case 'D': this.col = Math.max(0, this.col - n); this.wrapPending = false; break;
      case 'H': this.row = (nums[0] || 1) - 1; this.col = (nums[1] || 1) - 1; this.wrapPending = false; break;
      case 'K': {
        if ((nums[0] ?? 0) !== 0) throw new Error(`unsupported erase ${params}K`);
        const line = this.line(this.row);
        line.length = Math.min(line.length, this.col);
        break;
      }
      case 'J': {
        if (nums[0] !== 2) throw new Error(`unsupported erase ${params}J`);
        this.lines = this.lines.map(() => []);
        break;
      }
      case 'm': {
        if (nums.length === 0) nums.push(0);
        for (const p of nums) {
          if (p === 0) { this.bold = false; this.fg = null; }
          else if (p === 1) this.bold = true;
          else if (p === 22) this.bold = false;
          else if ((p >= 30 && p <= 37) || (p >= 90 && p <= 97)) this.fg = p;
          else if (p === 39) this.fg = null;
          else if (p === 49 || (p >= 40 && p <= 47)) { /* backgrounds: not compared */ }
          else throw new Error(`unsupported SGR ${p}`);
        }
        break;
      }
      default:
        throw new Error(`unsupported CSI ${params}${final}`);
    }
  }

  /**
   * The screen's lines, styled runs marked, trailing blank lines dropped. Spaces written at the
   * end of a line stay (a cell never written, or erased, is no space).
   */
  text(): string[] {
    const out = this.lines.map((line) => {
      let s = '', run = '', runStyle = '';
      const close = () => {
        s += runStyle === '' ? run : `«${runStyle}:${run}»`;
        run = '';
      };
      for (const cell of line) {
        if (cell.style !== runStyle) { close(); runStyle = cell.style; }
        run += cell.ch;
      }
      close();
      return s;
    });
    while (out.length > 0 && out[out.length - 1] === '') out.pop();
    return out;
  }

  /** Where the cursor is, for comparing where typing would go. */
  cursor(): { row: number; col: number } {
    return { row: this.row, col: this.col };
  }
}
