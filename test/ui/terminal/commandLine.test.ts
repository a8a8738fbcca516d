// What repl() makes of a typed line: arguments, the repeat count, and which lines stay out of the
// history.
import { describe, expect, it } from 'vitest';
import { atoi, isSensitiveCommand, parseLine, strtol } from '../../../src/ui/terminal/commandLine.ts';

describe('parseLine', () => {
  it('splits like sdssplitargs: quotes, escapes, hex', () => {
    expect(parseLine('SET k "a b\\x41\\n"')).toEqual({ kind: 'command', argv: ['SET', 'k', 'a bA\n'], command: ['SET', 'k', 'a bA\n'], repeat: 1 });
    expect(parseLine("GET 'it''s'")).toEqual({ kind: 'invalid' });
    expect(parseLine("GET 'it\\'s'")).toMatchObject({ command: ['GET', "it's"] });
    expect(parseLine('GET "unbalanced')).toEqual({ kind: 'invalid' });
    expect(parseLine('GET "a"b')).toEqual({ kind: 'invalid' });
    expect(parseLine('  \t ')).toEqual({ kind: 'blank' });
  });

  it('takes a leading number as a repeat count when a command follows', () => {
    expect(parseLine('3 INCR n')).toEqual({ kind: 'command', argv: ['3', 'INCR', 'n'], command: ['INCR', 'n'], repeat: 3 });
    expect(parseLine('+2 PING')).toMatchObject({ command: ['PING'], repeat: 2 });
    expect(parseLine('" 2" PING')).toMatchObject({ command: ['PING'], repeat: 2 });
    // A number alone is a command; "3x" is not a number.
    expect(parseLine('3')).toMatchObject({ command: ['3'], repeat: 1 });
    expect(parseLine('3x PING')).toMatchObject({ command: ['3x', 'PING'], repeat: 1 });
    expect(parseLine('"2 " PING')).toMatchObject({ command: ['2 ', 'PING'], repeat: 1 });
    // C sees the argument up to a zero byte.
    expect(parseLine('"2\\x00z" PING')).toMatchObject({ command: ['PING'], repeat: 2 });
  });

  it('refuses a count of zero, negative, empty or out of range', () => {
    for (const line of ['0 PING', '-1 PING', '"" PING', '99999999999999999999 PING']) {
      expect(parseLine(line), line).toEqual({ kind: 'badRepeat' });
    }
  });
});

describe('strtol and atoi', () => {
  it('parse as C does', () => {
    expect(strtol('  -12abc')).toEqual({ value: -12n, toEnd: false, overflow: false });
    expect(strtol('')).toEqual({ value: 0n, toEnd: true, overflow: false });
    expect(strtol(' ')).toEqual({ value: 0n, toEnd: false, overflow: false });
    expect(strtol('9223372036854775808')).toEqual({ value: 9223372036854775807n, toEnd: true, overflow: true });
    expect(atoi('4')).toBe(4);
    expect(atoi('abc')).toBe(0);
    expect(atoi('99x')).toBe(99);
    // glibc's atoi is (int)strtol: the low 32 bits.
    expect(atoi('4294967297')).toBe(1);
  });
});

describe('isSensitiveCommand', () => {
  it('keeps passwords out of the history', () => {
    const yes = [
      ['AUTH', 'pw'], ['auth', 'user', 'pw'], ['ACL', 'SETUSER', 'bob', 'on'], ['CONFIG', 'SET', 'requirepass', 'x'],
      ['config', 'set', 'MASTERAUTH', 'x'], ['CONFIG', 'SET', 'masteruser', 'u'],
      ['HELLO', '3', 'AUTH', 'default', 'pw'], ['HELLO', '3', 'SETNAME', 'n', 'AUTH', 'u', 'p'],
      ['MIGRATE', 'h', '1', 'k', '0', '10', 'AUTH', 'pw'], ['MIGRATE', 'h', '1', '', '0', '10', 'COPY', 'AUTH2', 'u', 'p'],
    ];
    for (const argv of yes) expect(isSensitiveCommand(argv), argv.join(' ')).toBe(true);
  });

  it('keeps everything else', () => {
    const no = [
      ['GET', 'auth'], ['ACL', 'LIST'], ['CONFIG', 'SET', 'maxmemory', '1'], ['CONFIG', 'GET', 'requirepass'],
      ['HELLO', '3'], ['HELLO', '3', 'AUTH', 'u'], ['HELLO', '3', 'SETNAME', 'n', 'x'], ['HELLO', '3', 'FOO', 'AUTH', 'u', 'p'],
      ['MIGRATE', 'h', '1', '', '0', '10', 'KEYS', 'AUTH', 'x'], ['MIGRATE', 'h', '1', 'k', '0', '10', 'AUTH'],
    ];
    for (const argv of no) expect(isSensitiveCommand(argv), argv.join(' ')).toBe(false);
  });
});
