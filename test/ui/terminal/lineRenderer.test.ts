// Drawing the edited line as linenoise's multi-line mode does. The byte sequences of the simple
// cases are the ones the real redis-cli wrote; the wrapping cases are checked on a screen.
import { describe, expect, it } from 'vitest';
import { LineRenderer } from '../../../src/ui/terminal/lineRenderer.ts';
import { Screen } from '../../support/ptyScreen.ts';

const PROMPT = '127.0.0.1:16399> ';

describe('LineRenderer', () => {
  it('writes the prompt, then redraws the row with the line and its grey hint', () => {
    const r = new LineRenderer(200);
    expect(r.start(PROMPT)).toBe(PROMPT);
    expect(r.refresh(PROMPT, 'G', 1, null)).toBe('\r\x1b[0K127.0.0.1:16399> G\r\x1b[18C');
    expect(r.refresh(PROMPT, 'GET', 3, ' key')).toBe('\r\x1b[0K127.0.0.1:16399> GET\x1b[0;90;49m key\x1b[0m\r\x1b[20C');
    expect(r.refresh(PROMPT, 'GET ', 4, '')).toBe('\r\x1b[0K127.0.0.1:16399> GET \x1b[0;90;49m\x1b[0m\r\x1b[21C');
    expect(r.refresh('> ', '', 0, null)).toBe('\r\x1b[0K> \r\x1b[2C');
    expect(r.refresh('', '', 0, null)).toBe('\r\x1b[0K\r');
  });

  it('writes the line as UTF-8', () => {
    const r = new LineRenderer(80);
    r.start('> ');
    expect(r.refresh('> ', 'é', 1)).toBe('\r\x1b[0K> \xc3\xa9\r\x1b[3C');
  });

  it('cuts the hint to the width left, and drops it when the line fills the row', () => {
    const r = new LineRenderer(10);
    r.start('> ');
    expect(r.refresh('> ', 'ab', 2, ' 123456789')).toContain('\x1b[0;90;49m 12345\x1b[0m');
    expect(r.refresh('> ', 'abcdefgh', 8, ' key')).not.toContain('\x1b[0;90;49m');
  });

  it('wraps a long line over rows, and clears them all when it gets shorter', () => {
    const r = new LineRenderer(10);
    const screen = new Screen(10);
    screen.write(r.start('> '));
    const draw = (buf: string, pos: number) => screen.write(r.refresh('> ', buf, pos, null));
    draw('abcdefghijklmnopqrst', 20);
    expect(screen.text()).toEqual(['> abcdefgh', 'ijklmnopqr', 'st']);
    expect(screen.cursor()).toEqual({ row: 2, col: 2 });
    draw('abcdefghijklmnopqrst', 3);
    expect(screen.cursor()).toEqual({ row: 0, col: 5 });
    draw('abc', 3);
    expect(screen.text()).toEqual(['> abc']);
    expect(screen.cursor()).toEqual({ row: 0, col: 5 });
  });

  it('moves to the next row when the cursor ends exactly at the end of a full row', () => {
    const r = new LineRenderer(10);
    const screen = new Screen(10);
    screen.write(r.start('> '));
    const out = r.refresh('> ', 'abcdefgh', 8, null);
    expect(out).toContain('\n\r');
    screen.write(out);
    expect(screen.cursor()).toEqual({ row: 1, col: 0 });
  });
});
