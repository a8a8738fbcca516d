// The line editor: linenoise's keys and quirks, TAB completion, history, and our additions (Ctrl-R
// reverse search, Alt-B/F). The oracle test runs most of the linenoise keys against the real one.
import { describe, expect, it } from 'vitest';
import { History } from '../../../src/ui/terminal/history.ts';
import { KEYS, LineEditor } from '../../../src/ui/terminal/lineEditor.ts';

function editor(history: string[] = [], completions: string[] = []) {
  const h = new History(history);
  const e = new LineEditor(h, (line) => completions.filter((c) => c.toLowerCase().startsWith(line.toLowerCase())));
  e.begin();
  return { e, h };
}

const state = (e: LineEditor) => [e.view().buffer, e.view().cursor];

describe('editing keys', () => {
  it('inserts at the cursor and moves it', () => {
    const { e } = editor();
    e.feed('GET ky');
    e.feed(KEYS.left + 'e');
    expect(state(e)).toEqual(['GET key', 6]);
    e.feed(KEYS.ctrlA + 'x');
    expect(state(e)).toEqual(['xGET key', 1]);
    e.feed(KEYS.ctrlE);
    expect(e.cursor).toBe(8);
    e.feed(KEYS.home);
    expect(e.cursor).toBe(0);
    e.feed('\x1bOF');
    expect(e.cursor).toBe(8);
    e.feed('\x1bOH' + KEYS.ctrlF + KEYS.ctrlF + KEYS.ctrlB);
    expect(e.cursor).toBe(1);
    e.feed(KEYS.end + KEYS.right);
    expect(e.cursor).toBe(8);
    e.feed(KEYS.ctrlA + KEYS.left);
    expect(e.cursor).toBe(0);
  });

  it('deletes: backspace, delete, Ctrl-K, Ctrl-U, Ctrl-W, Ctrl-D', () => {
    const { e } = editor();
    e.feed('SET key  value');
    e.feed(KEYS.ctrlW);
    expect(state(e)).toEqual(['SET key  ', 9]);
    e.feed(KEYS.ctrlW);
    expect(state(e)).toEqual(['SET ', 4]);
    e.feed('abc' + KEYS.left + KEYS.left + KEYS.backspace + KEYS.ctrlH);
    expect(state(e)).toEqual(['SETbc', 3]);
    e.feed(KEYS.delete);
    expect(state(e)).toEqual(['SETc', 3]);
    e.feed(KEYS.ctrlD);
    expect(state(e)).toEqual(['SET', 3]);
    e.feed(KEYS.ctrlD + KEYS.delete);
    expect(state(e)).toEqual(['SET', 3]);
    e.feed(KEYS.left + KEYS.ctrlK);
    expect(state(e)).toEqual(['SE', 2]);
    e.feed(KEYS.ctrlU);
    expect(state(e)).toEqual(['', 0]);
    e.feed(KEYS.backspace);
    expect(state(e)).toEqual(['', 0]);
  });

  it('swaps characters with Ctrl-T as linenoise does', () => {
    const { e } = editor();
    e.feed('abc' + KEYS.ctrlT);
    expect(state(e)).toEqual(['abc', 3]);
    e.feed(KEYS.left + KEYS.ctrlT);
    expect(state(e)).toEqual(['acb', 2]);
    e.feed(KEYS.ctrlA + KEYS.ctrlF + KEYS.ctrlT);
    expect(state(e)).toEqual(['cab', 2]);
  });

  it('moves by word with Alt-B and Alt-F', () => {
    const { e } = editor();
    e.feed('SET my:key  value');
    e.feed(KEYS.altB);
    expect(e.cursor).toBe(12);
    e.feed(KEYS.altB);
    expect(e.cursor).toBe(7);
    e.feed(KEYS.altB + KEYS.altB);
    expect(e.cursor).toBe(0);
    e.feed(KEYS.altF);
    expect(e.cursor).toBe(3);
    e.feed(KEYS.altF);
    expect(e.cursor).toBe(6);
  });

  it('reads ESC and the next two characters as one key, whatever they are', () => {
    const { e } = editor();
    e.feed('a' + KEYS.escape + 'xyb');
    expect(state(e)).toEqual(['ab', 2]);
    // Ctrl-Right is not a linenoise key: "ESC [ 1" then ";" are eaten, "5C" typed.
    e.feed('\x1b[1;5C');
    expect(state(e)).toEqual(['ab5C', 4]);
    // A sequence split over two inputs is still one key.
    e.feed('\x1b[');
    e.feed('D');
    expect(e.cursor).toBe(3);
  });

  it('inserts other control characters as they are', () => {
    const { e } = editor();
    e.feed('a\x0fb');
    expect(e.buffer).toBe('a\x0fb');
  });
});

describe('ending a line', () => {
  it('submits on Enter, takes the line out of the history, and leaves the rest unread', () => {
    const { e, h } = editor(['PING']);
    expect(h.toJSON()).toEqual(['PING', '']);
    e.feed('GET a' + KEYS.left + KEYS.left);
    const { events, rest } = e.feed(KEYS.enter + 'GET b\r');
    expect(events).toEqual([{ type: 'submit', line: 'GET a' }]);
    expect(rest).toBe('GET b\r');
    expect(e.editing).toBe(false);
    expect(h.toJSON()).toEqual(['PING']);
  });

  it('interrupts on Ctrl-C, ends input on Ctrl-D in an empty line, asks for a clear on Ctrl-L', () => {
    const { e, h } = editor(['PING']);
    expect(e.feed('x' + KEYS.ctrlL).events).toEqual([{ type: 'clearScreen' }]);
    expect(e.feed(KEYS.ctrlC).events).toEqual([{ type: 'interrupt' }]);
    expect(h.toJSON()).toEqual(['PING']);
    e.begin();
    expect(e.feed(KEYS.ctrlD).events).toEqual([{ type: 'eof' }]);
    expect(h.toJSON()).toEqual(['PING']);
  });
});

describe('history', () => {
  it('goes up and down, stopping at both ends', () => {
    const { e } = editor(['one', 'two']);
    e.feed('draft');
    e.feed(KEYS.up);
    expect(state(e)).toEqual(['two', 3]);
    e.feed(KEYS.ctrlP + KEYS.up);
    expect(e.buffer).toBe('one');
    e.feed(KEYS.down + KEYS.ctrlN);
    expect(e.buffer).toBe('draft');
    e.feed(KEYS.down);
    expect(e.buffer).toBe('draft');
  });

  it('keeps edits made to a recalled line in the history, as linenoise does', () => {
    const { e, h } = editor(['one', 'two']);
    e.feed(KEYS.up + '!' + KEYS.down + KEYS.up);
    expect(e.buffer).toBe('two!');
    e.feed(KEYS.enter);
    expect(h.toJSON()).toEqual(['one', 'two!']);
  });

  it('does nothing without saved lines', () => {
    const { e } = editor();
    e.feed('x' + KEYS.up);
    expect(e.buffer).toBe('x');
  });
});

describe('TAB completion', () => {
  const names = ['GEOADD', 'GET', 'GETEX'];

  it('rings the bell when nothing matches', () => {
    const { e } = editor([], names);
    e.feed('zz');
    expect(e.feed('\t').events).toEqual([{ type: 'bell' }]);
    expect(e.buffer).toBe('zz');
  });

  it('cycles through the matches and back to the typed text with a bell', () => {
    const { e } = editor([], names);
    e.feed('ge\t');
    expect(e.view()).toMatchObject({ buffer: 'GEOADD', cursor: 6 });
    e.feed('\t\t');
    expect(e.view().buffer).toBe('GETEX');
    expect(e.feed('\t').events).toEqual([{ type: 'bell' }]);
    expect(e.view()).toMatchObject({ buffer: 'ge', cursor: 2 });
    e.feed('\t');
    expect(e.view().buffer).toBe('GEOADD');
  });

  it('takes the shown match on any other key, which then does its usual work', () => {
    const { e } = editor([], names);
    e.feed('ge\t\t ');
    expect(state(e)).toEqual(['GET ', 4]);
    const { e: e2 } = editor([], names);
    expect(e2.feed('ge\t\r').events).toEqual([{ type: 'submit', line: 'GEOADD' }]);
  });

  it('goes back to the typed text on ESC, which then eats two more keys', () => {
    const { e } = editor([], names);
    e.feed('ge\t' + KEYS.escape + 'abc');
    expect(state(e)).toEqual(['gec', 3]);
    // An arrow key starts with ESC: the completion is dropped, then the arrow moves.
    const { e: e2 } = editor([], names);
    e2.feed('ge\t' + KEYS.left);
    expect(state(e2)).toEqual(['ge', 1]);
  });
});

describe('Ctrl-R reverse search', () => {
  const lines = ['SET a 1', 'GET a', 'SET b 2', 'PING'];

  it('finds the newest line containing the query, then older ones', () => {
    const { e } = editor(lines);
    e.feed('draft' + KEYS.ctrlR);
    expect(e.view()).toMatchObject({ prompt: "(reverse-i-search)`': ", buffer: 'draft', hints: false });
    e.feed('SE');
    expect(e.view()).toMatchObject({ prompt: "(reverse-i-search)`SE': ", buffer: 'SET b 2' });
    e.feed(KEYS.ctrlR);
    expect(e.view().buffer).toBe('SET a 1');
    const { events } = e.feed(KEYS.ctrlR);
    expect(events).toEqual([{ type: 'bell' }]);
    expect(e.view()).toMatchObject({ prompt: "(failed reverse-i-search)`SE': ", buffer: 'SET a 1' });
  });

  it('fails with a bell when nothing matches, and Backspace widens the search again', () => {
    const { e } = editor(lines);
    e.feed(KEYS.ctrlR + 'a');
    expect(e.view().buffer).toBe('GET a');
    expect(e.feed('x').events).toEqual([{ type: 'bell' }]);
    expect(e.view().prompt).toBe("(failed reverse-i-search)`ax': ");
    e.feed(KEYS.backspace);
    expect(e.view()).toMatchObject({ prompt: "(reverse-i-search)`a': ", buffer: 'GET a' });
  });

  it('runs the match on Enter; Ctrl-G gives the line back; other keys keep the match and act', () => {
    const { e } = editor(lines);
    expect(e.feed(KEYS.ctrlR + 'GET' + KEYS.enter).events).toEqual([{ type: 'submit', line: 'GET a' }]);
    const { e: e2 } = editor(lines);
    e2.feed('draft' + KEYS.left + KEYS.ctrlR + 'PI' + KEYS.ctrlG);
    expect(e2.view()).toMatchObject({ prompt: null, buffer: 'draft', cursor: 4 });
    const { e: e3 } = editor(lines);
    e3.feed(KEYS.ctrlR + 'b' + KEYS.left);
    expect(e3.view()).toMatchObject({ prompt: null, buffer: 'SET b 2', cursor: 6 });
    e3.feed(KEYS.ctrlR + 'PI' + KEYS.ctrlA);
    expect(e3.view()).toMatchObject({ prompt: null, buffer: 'PING', cursor: 0 });
  });
});
