// AUTH, HELLO AUTH and requirepass against real Redis 7.0.15: both AUTH forms and their errors,
// NOAUTH before authenticating (and what is allowed anyway), what CONFIG SET requirepass does to
// connections old and new, RESET, and the request size limits of unauthenticated connections.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DifferentialPair, show, type ClientPair, type Command } from './harness.ts';
import { checkPerSide } from './introspectionSupport.ts';

let pair: DifferentialPair;
const opened: ClientPair[] = [];

beforeAll(async () => { pair = await DifferentialPair.start(); });
afterAll(async () => { await pair?.stop(); });
afterEach(async () => {
  for (const p of opened.splice(0)) p.close();
  await pair.main.both('CONFIG', 'SET', 'requirepass', '');
  await pair.main.both('FLUSHALL');
});

async function connect(): Promise<ClientPair> {
  const p = await pair.connect();
  opened.push(p);
  return p;
}

/** HELLO's reply with the client id masked. */
const maskId = (s: string) => s.replace(/id\\r\\n:\d+/, 'id\\r\\n:<id>');

async function checkHello(p: ClientPair, ...cmd: Command): Promise<void> {
  await checkPerSide(p, () => cmd, maskId);
}

/** Waits until both sides closed the connection (after a protocol error). */
async function expectClosed(p: ClientPair): Promise<void> {
  await Promise.all([p.real.next().catch(() => null), p.engine.next().catch(() => null)]);
  expect(p.engine.isClosed).toBe(true);
  expect(p.real.isClosed).toBe(true);
}

describe('AUTH without a password', () => {
  it('the one-argument form says no password is set; the default user takes any password', async () => {
    await pair.checkAll([
      ['AUTH', 'anything'], ['AUTH', 'default', 'anything'], ['AUTH', 'default', ''], ['AUTH', 'Default', 'x'],
      ['AUTH', 'someone', 'pw'], ['AUTH', 'a', 'b', 'c'], ['AUTH'], ['auth', 'default', Buffer.from([0, 255])],
      ['PING'],
    ]);
  });
});

describe('requirepass', () => {
  it('new connections must authenticate first; a few commands are allowed anyway', async () => {
    await pair.check('CONFIG', 'SET', 'requirepass', 's3cret');
    const c = await connect();
    await c.checkAll([
      ['PING'], ['GET', 'k'], ['SET', 'k', 'v'], ['MULTI'], ['EXEC'], ['CLIENT', 'ID'], ['SELECT', '1'],
      ['NOSUCHCOMMAND'], ['GET'], ['HELLO'], ['HELLO', '3'], ['HELLO', '2', 'SETNAME', 'early'],
      ['HELLO', '4'], ['HELLO', '3', 'AUTH', 'default'], ['AUTH', 'wrong'], ['AUTH', 'default', 'wrong'],
      ['AUTH', 'Default', 's3cret'], ['AUTH', 's3cret', 'x', 'y'], ['GET', 'k'], ['RESET'], ['GET', 'k'],
      ['AUTH', 's3cret'], ['GET', 'k'], ['CLIENT', 'GETNAME'], ['AUTH', 'wrong'], ['GET', 'k'],
      ['RESET'], ['AUTH', 'default', 's3cret'], ['SET', 'k', 'v'], ['GET', 'k'],
    ]);
    // Pipelined: AUTH then commands in one write.
    const d = await connect();
    await d.checkAll([['GET', 'k'], ['AUTH', 's3cret'], ['GET', 'k'], ['QUIT']]);
  });

  it('HELLO AUTH authenticates and switches protocol; SETNAME before a failing AUTH sticks', async () => {
    await pair.check('CONFIG', 'SET', 'requirepass', 'pw');
    const c = await connect();
    await c.checkAll([
      ['HELLO', '2', 'SETNAME', 'first', 'AUTH', 'default', 'bad'], ['HELLO', '2', 'AUTH', 'nobody', 'pw'],
      ['HELLO', '2', 'AUTH', 'default', 'pw', 'BOGUS'],
    ]);
    await checkHello(c, 'HELLO', '3', 'AUTH', 'default', 'pw', 'SETNAME', 'second');
    await c.checkAll([['CLIENT', 'GETNAME'], ['GET', 'x']]);
    const d = await connect();
    await d.checkAll([['HELLO', '2', 'SETNAME', 'kept', 'AUTH', 'default', 'bad'], ['AUTH', 'pw'], ['CLIENT', 'GETNAME']]);
    const e = await connect();
    await checkHello(e, 'HELLO', '2', 'AUTH', 'default', 'pw');
    await e.check('PING');
  });

  it('connections made before the password stay in; clearing it lets everyone in but HELLO', async () => {
    const before = await connect();
    await pair.check('CONFIG', 'SET', 'requirepass', 'pw');
    await before.checkAll([['PING'], ['SET', 'a', '1']]);
    await checkHello(before, 'HELLO', '2');
    const during = await connect();
    await during.checkAll([['PING'], ['HELLO', '2']]);
    await pair.check('CONFIG', 'SET', 'requirepass', '');
    // No longer required: commands run, but the connection is still not authenticated for HELLO.
    await during.checkAll([['PING'], ['GET', 'a'], ['HELLO', '2'], ['AUTH', 'x'], ['AUTH', 'default', 'x']]);
    await checkHello(during, 'HELLO', '2');
    // A new password applies to connections that never authenticated, and to RESET ones.
    const unauth = await connect();
    await pair.check('CONFIG', 'SET', 'requirepass', 'new');
    await unauth.checkAll([['PING'], ['AUTH', 'pw'], ['AUTH', 'new'], ['PING']]);
    await before.checkAll([['PING'], ['RESET'], ['PING'], ['AUTH', 'pw'], ['AUTH', 'new'], ['PING']]);
    await pair.checkAll([['CONFIG', 'GET', 'requirepass'], ['CONFIG', 'SET', 'requirepass', 'pw'], ['PING']]);
  });
});

describe('requests before AUTH', () => {
  it('may have at most 10 arguments', async () => {
    await pair.check('CONFIG', 'SET', 'requirepass', 'pw');
    const ok = await connect();
    await ok.check('ECHO', ...Array.from({ length: 9 }, () => 'x'));
    const tooMany = await connect();
    await tooMany.checkRaw('*11\r\n$4\r\nECHO\r\n');
    await expectClosed(tooMany);
    // Inline requests have no such limit.
    const inline = await connect();
    await inline.checkRaw('ECHO 1 2 3 4 5 6 7 8 9 10 11 12\r\n');
  });

  it('may have bulks of at most 16 KB', async () => {
    await pair.check('CONFIG', 'SET', 'requirepass', 'pw');
    const ok = await connect();
    await ok.check('ECHO', 'x'.repeat(16384));
    const tooBig = await connect();
    await tooBig.checkRaw('*2\r\n$4\r\nECHO\r\n$16385\r\n');
    await expectClosed(tooBig);
  });

  it('lose the limits once authenticated, or when no password is required', async () => {
    await pair.check('CONFIG', 'SET', 'requirepass', 'pw');
    const c = await connect();
    await c.check('AUTH', 'pw');
    await c.check('ECHO', 'y'.repeat(20000));
    const [r, e] = await c.both('DEL', ...Array.from({ length: 20 }, (_, i) => `k${i}`));
    expect(show(e)).toBe(show(r));
    const d = await connect();
    await pair.check('CONFIG', 'SET', 'requirepass', '');
    await d.check('ECHO', 'z'.repeat(20000));
  });
});
