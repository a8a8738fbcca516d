// The prompt and what redis-cli believes about its connection, learnt from commands and reply
// types only; and the history list.
import { describe, expect, it } from 'vitest';
import type { Reply } from '../../../src/ui/engine/replyReader.ts';
import { CliState } from '../../../src/ui/terminal/cliState.ts';
import { History } from '../../../src/ui/terminal/history.ts';

const ok: Reply = { kind: 'status', text: 'OK' };
const queued: Reply = { kind: 'status', text: 'QUEUED' };
const err: Reply = { kind: 'error', text: 'ERR x' };
const nil: Reply = { kind: 'null' };
const execResult: Reply = { kind: 'array', items: [ok] };

describe('CliState', () => {
  it('shows the address, [db] when not 0, (TX) in a transaction', () => {
    const s = new CliState();
    expect(s.prompt()).toBe('127.0.0.1:6379> ');
    s.afterReply(['SELECT', '2'], ok);
    expect(s.prompt()).toBe('127.0.0.1:6379[2]> ');
    s.afterReply(['multi'], ok);
    expect(s.prompt()).toBe('127.0.0.1:6379[2](TX)> ');
    expect(new CliState('::1', 7000).prompt()).toBe('[::1]:7000> ');
    const off = new CliState();
    off.connected = false;
    expect(off.prompt()).toBe('not connected> ');
  });

  it('changes the database only after a SELECT that did not fail, with exactly one argument', () => {
    const s = new CliState();
    s.afterReply(['SELECT', '99'], err);
    s.afterReply(['SELECT', '3', 'x'], ok);
    expect(s.dbnum).toBe(0);
    s.afterReply(['select', '0'], ok);
    expect(s.prompt()).toBe('127.0.0.1:6379> ');
  });

  it('trusts a queued SELECT (any argument, read by atoi), and undoes it when EXEC fails or aborts', () => {
    const s = new CliState();
    s.afterReply(['SELECT', '1'], ok);
    s.afterReply(['MULTI'], ok);
    s.afterReply(['SELECT', '99'], queued);
    expect(s.prompt()).toBe('127.0.0.1:6379[99](TX)> ');
    s.afterReply(['EXEC'], execResult);
    // The transaction ran (its SELECT failed inside, but redis-cli cannot tell).
    expect(s.prompt()).toBe('127.0.0.1:6379[99]> ');

    for (const execReply of [err, nil]) {
      const t = new CliState();
      t.afterReply(['SELECT', '1'], ok);
      t.afterReply(['MULTI'], ok);
      t.afterReply(['SELECT', 'abc'], queued);
      expect(t.dbnum).toBe(0);
      t.afterReply(['EXEC'], execReply);
      expect(t.prompt()).toBe('127.0.0.1:6379[1]> ');
      expect(t.inputDbnum).toBe(1);
    }
  });

  it('leaves MULTI on a failed MULTI, and DISCARD goes back to the database before it', () => {
    const s = new CliState();
    s.afterReply(['MULTI'], ok);
    s.afterReply(['MULTI'], err);
    expect(s.inMulti).toBe(true);
    s.afterReply(['SELECT', '4'], queued);
    s.afterReply(['DISCARD'], ok);
    expect(s.prompt()).toBe('127.0.0.1:6379> ');
    s.afterReply(['DISCARD'], err);
    s.afterReply(['EXEC'], err);
    expect(s.prompt()).toBe('127.0.0.1:6379> ');
  });

  it('EXEC with arguments, or outside MULTI, changes nothing', () => {
    const s = new CliState();
    s.afterReply(['MULTI'], ok);
    s.afterReply(['EXEC', 'x'], err);
    expect(s.inMulti).toBe(true);
  });

  it('RESET goes back to database 0, out of MULTI', () => {
    const s = new CliState();
    s.afterReply(['SELECT', '5'], ok);
    s.afterReply(['MULTI'], ok);
    s.afterReply(['RESET'], { kind: 'status', text: 'RESET' });
    expect(s.prompt()).toBe('127.0.0.1:6379> ');
    expect(s.inputDbnum).toBe(0);
  });

  it('asks for a SELECT after AUTH only when the database it wants is not the one it shows', () => {
    const s = new CliState();
    expect(s.afterReply(['AUTH', 'pw'], ok)).toBe(false);
    s.afterReply(['SELECT', '3'], ok);
    s.replaceConnection();
    expect(s.dbnum).toBe(0);
    expect(s.needsSelect).toBe(true);
    expect(s.afterReply(['AUTH', 'u', 'pw'], err)).toBe(true);
    expect(s.afterReply(['AUTH'], err)).toBe(false);
    s.selected();
    expect(s.prompt()).toBe('127.0.0.1:6379[3]> ');
  });

  it('keeps the database it shows when reconnecting after losing the connection', () => {
    const s = new CliState();
    s.afterReply(['SELECT', '3'], ok);
    s.afterReply(['MULTI'], ok);
    s.connected = false;
    s.replaceConnection();
    expect(s.dbnum).toBe(3);
    expect(s.inMulti).toBe(true);
    expect(s.needsSelect).toBe(false);
  });
});

describe('History', () => {
  it('keeps the last 100 lines, skipping a repeat of the newest', () => {
    const h = new History();
    expect(h.add('a')).toBe(true);
    expect(h.add('a')).toBe(false);
    h.add('b');
    h.add('a');
    expect(h.toJSON()).toEqual(['a', 'b', 'a']);
    for (let i = 0; i < 150; i++) h.add(`l${i}`);
    expect(h.length).toBe(100);
    expect(h.get(0)).toBe('l149');
    expect(h.get(99)).toBe('l50');
  });

  it('loads saved lines as linenoise loads a history file, and round-trips as JSON', () => {
    const h = new History(['x', 'x', 'y'], 2);
    expect(h.toJSON()).toEqual(['x', 'y']);
    expect(new History(JSON.parse(JSON.stringify(h))).toJSON()).toEqual(['x', 'y']);
    h.set(1, 'z');
    h.pop();
    expect(h.toJSON()).toEqual(['z']);
    expect(new History([], 0).add('q')).toBe(false);
  });
});
