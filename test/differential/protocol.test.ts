// The wire protocol: framing, inline commands, pipelining, protocol errors and unknown commands.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { DifferentialPair } from './harness.ts';

let pair: DifferentialPair;
beforeAll(async () => { pair = await DifferentialPair.start(); });
afterAll(async () => { await pair?.stop(); });

describe('protocol', () => {
  it('answers PING and ECHO, binary-safe', async () => {
    await pair.check('PING');
    await pair.check('PING', 'hello');
    await pair.check('ECHO', Buffer.from([0, 1, 2, 255, 13, 10]));
    await pair.check('ECHO', '');
  });

  it('rejects unknown commands and wrong arity with the same text', async () => {
    await pair.check('NOSUCHCOMMAND');
    await pair.check('nosuch', 'a', 'b', 'c');
    await pair.check('nosuch', 'x'.repeat(300), 'y');
    await pair.check('ECHO');
    await pair.check('ECHO', 'a', 'b');
    await pair.check('PING', 'a', 'b');
  });

  it('parses inline commands with quoting', async () => {
    const c = await pair.connect();
    await c.checkRaw('PING\r\n');
    await c.checkRaw('ECHO "a b\\x41\\n"\r\n');
    await c.checkRaw("ECHO 'it\\'s'\n");
    await c.checkRaw('   ECHO    spaced   \r\n');
    c.close();
  });

  it('handles frames split at every byte and pipelines', async () => {
    const c = await pair.connect();
    const frame = '*2\r\n$4\r\nECHO\r\n$5\r\nhello\r\n';
    for (const ch of frame.slice(0, -1)) { c.real.sendRaw(ch); c.engine.sendRaw(ch); }
    await c.checkRaw(frame.slice(-1));
    await c.checkRaw(frame.repeat(3));
    await Promise.all([c.real.next(), c.engine.next()]);
    await Promise.all([c.real.next(), c.engine.next()]);
    c.close();
  });

  const protocolErrors: [string, string][] = [
    ['invalid multibulk length', '*abc\r\n'],
    ['multibulk length too large', '*2147483648\r\n'],
    ['invalid bulk length', '*1\r\n$x\r\n'],
    ['negative bulk length', '*1\r\n$-1\r\n'],
    ["expected '$'", '*1\r\n+PING\r\n'],
    ['unbalanced quotes', 'ECHO "abc\r\n'],
    ['closing quote not followed by space', 'ECHO "abc"x\r\n'],
  ];
  for (const [name, raw] of protocolErrors) {
    it(`replies to a protocol error (${name}) and closes the connection`, async () => {
      const c = await pair.connect();
      await c.checkRaw(raw);
      await new Promise((r) => setTimeout(r, 50));
      if (c.real.isClosed !== c.engine.isClosed) throw new Error(`closed: real=${c.real.isClosed} engine=${c.engine.isClosed}`);
      c.close();
    });
  }
});
