// Draws the line being edited as redis-cli 7.0's linenoise does in multi-line mode
// (refreshMultiLine): it wipes the rows the line used, writes prompt, line and grey hint, and puts
// the cursor back, all with plain VT100 sequences. Output is a byte string; a "\n" in it is meant
// as a newline (a terminal that needs "\r\n", like xterm without convertEol, must get it converted).
import { utf8ToBinary } from '../../engine/bytes.ts';

/** The colour redis-cli asks for its hints: not bold, 90 (grey), default background. */
export const HINT_STYLE = '\x1b[0;90;49m';
export const STYLE_RESET = '\x1b[0m';
export const CLEAR_SCREEN = '\x1b[H\x1b[2J';

export class LineRenderer {
  /** Rows the line has used at most since it started (linenoise's maxrows). */
  private maxRows = 0;
  /** Cursor position at the last refresh. */
  private oldPos = 0;
  private cols: number;

  constructor(cols = 80) {
    this.cols = Math.max(1, cols);
  }

  /** A new line starts: the prompt is written as is. Width changes apply from here on. */
  start(prompt: string, cols = this.cols): string {
    this.cols = Math.max(1, cols);
    this.maxRows = 0;
    this.oldPos = 0;
    return utf8ToBinary(prompt);
  }

  /**
   * refreshMultiLine: redraws `prompt` + `buffer` (text) with the cursor at `pos`, and the hint (a
   * byte string, as the help table holds it) after it when there is room: cut to the width left,
   * none once the line fills the row.
   */
  refresh(prompt: string, buffer: string, pos: number, hint: string | null = null): string {
    const cols = this.cols;
    const plen = prompt.length;
    const len = buffer.length;
    let rows = Math.floor((plen + len + cols - 1) / cols);
    const rpos = Math.floor((plen + this.oldPos + cols) / cols);
    const oldRows = this.maxRows;
    if (rows > this.maxRows) this.maxRows = rows;

    let out = '';
    // Go to the last row used, then clear each row going up.
    if (oldRows - rpos > 0) out += `\x1b[${oldRows - rpos}B`;
    for (let j = 0; j < oldRows - 1; j++) out += '\r\x1b[0K\x1b[1A';
    out += '\r\x1b[0K';
    out += utf8ToBinary(prompt + buffer);
    if (hint !== null && plen + len < cols) {
      out += HINT_STYLE + hint.slice(0, cols - (plen + len)) + STYLE_RESET;
    }
    // At the very end of a full row, move to the start of the next one.
    if (pos > 0 && pos === len && (pos + plen) % cols === 0) {
      out += '\n\r';
      rows++;
      if (rows > this.maxRows) this.maxRows = rows;
    }
    const rpos2 = Math.floor((plen + pos + cols) / cols);
    if (rows - rpos2 > 0) out += `\x1b[${rows - rpos2}A`;
    const col = (plen + pos) % cols;
    out += col ? `\r\x1b[${col}C` : '\r';
    this.oldPos = pos;
    return out;
  }
}
