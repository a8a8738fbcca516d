import { describe, expect, it } from 'vitest';
import { ProtocolError, RequestParser } from '../../../src/engine/resp/requestParser.ts';
import { splitArgs } from '../../../src/engine/resp/splitArgs.ts';

const limits = { parserLimits: () => ({ maxBulkLen: 512 * 1024 * 1024, unauthenticated: false }) };
const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

function parseAll(p: RequestParser): string[][] {
  const out: string[][] = [];
  for (let cmd = p.next(); cmd !== null; cmd = p.next()) out.push(cmd);
  return out;
}

describe('RequestParser', () => {
  it('parses a frame fed one byte at a time', () => {
    const p = new RequestParser(limits);
    const frame = '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nv\r\nx!\r\n';
    const seen: string[][] = [];
    for (const ch of frame) {
      p.feed(bytes(ch));
      seen.push(...parseAll(p));
    }
    expect(seen).toEqual([['SET', 'k', 'v\r\nx!']]);
  });

  it('parses pipelined frames and inline commands in one chunk', () => {
    const p = new RequestParser(limits);
    p.feed(bytes('*1\r\n$4\r\nPING\r\nECHO "a b"\r\n\r\n*0\r\n*-1\r\n'));
    expect(parseAll(p)).toEqual([['PING'], ['ECHO', 'a b'], [], [], []]);
  });

  it('keeps binary payloads intact', () => {
    const p = new RequestParser(limits);
    const payload = Uint8Array.from({ length: 256 }, (_, i) => i);
    p.feed(bytes('*1\r\n$256\r\n'));
    p.feed(payload);
    p.feed(bytes('\r\n'));
    const [cmd] = parseAll(p);
    expect(Array.from(cmd[0], (c) => c.charCodeAt(0))).toEqual(Array.from(payload));
  });

  it('handles a large bulk arriving in many chunks', () => {
    const p = new RequestParser(limits);
    const size = 5 * 1024 * 1024;
    p.feed(bytes(`*1\r\n$${size}\r\n`));
    const chunk = new Uint8Array(64 * 1024).fill(97);
    for (let sent = 0; sent < size; sent += chunk.length) {
      expect(p.next()).toBeNull();
      p.feed(chunk.subarray(0, Math.min(chunk.length, size - sent)));
    }
    p.feed(bytes('\r\n'));
    expect(p.next()![0].length).toBe(size);
  });

  it.each([
    ['*abc\r\n', 'invalid multibulk length'],
    ['*1\r\n$-5\r\n', 'invalid bulk length'],
    ['*1\r\n:1\r\n', "expected '$', got ':'"],
    ['ECHO "unterminated\r\n', 'unbalanced quotes in request'],
  ])('rejects %j with "%s"', (raw, message) => {
    const p = new RequestParser(limits);
    p.feed(bytes(raw));
    expect(() => parseAll(p)).toThrow(new ProtocolError(message));
  });

  it('enforces proto-max-bulk-len', () => {
    const p = new RequestParser({ parserLimits: () => ({ maxBulkLen: 10, unauthenticated: false }) });
    p.feed(bytes('*1\r\n$11\r\n'));
    expect(() => p.next()).toThrow('invalid bulk length');
  });

  it('refuses an inline request longer than 64KB without a newline', () => {
    const p = new RequestParser(limits);
    p.feed(new Uint8Array(64 * 1024 + 1).fill(65));
    expect(() => p.next()).toThrow('too big inline request');
  });
});

describe('splitArgs', () => {
  it('splits like sdssplitargs', () => {
    expect(splitArgs('set "a b" \'c d\' e')).toEqual(['set', 'a b', 'c d', 'e']);
    expect(splitArgs('"\\x41\\n\\t"')).toEqual(['A\n\t']);
    expect(splitArgs("'it\\'s'")).toEqual(["it's"]);
    expect(splitArgs('  ')).toEqual([]);
    expect(splitArgs('"abc')).toBeNull();
    expect(splitArgs('"abc"x')).toBeNull();
  });
});
