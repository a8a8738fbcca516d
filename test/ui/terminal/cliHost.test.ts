// CliHost: redis-cli's session wired to a terminal and an engine connection, run against the real
// engine in-process (the worker's EngineHost). The screen is the oracle's terminal model.
import { describe, expect, it } from 'vitest';
import { bytesToBinary } from '../../../src/engine/bytes.ts';
import { CliHost, type HistoryStore } from '../../../src/ui/terminal/cliHost.ts';
import { KEYS } from '../../../src/ui/terminal/lineEditor.ts';
import { staticCommandHelp } from '../../../src/ui/terminal/staticCommandDocs.ts';
import { WireLog } from '../../../src/ui/terminal/wireLog.ts';
import { InProcessEngine } from '../../support/inProcessEngine.ts';
import { Screen } from '../../support/ptyScreen.ts';

const BRACKETED_PASTE_ON = '\x1b[?2004h';

function memoryHistory(lines: string[] = []): HistoryStore & { lines: string[] } {
  return { lines, load() { return [...this.lines]; }, save(l) { this.lines = [...l]; } };
}

/** A host on a fake terminal: what it writes goes through a Screen, "\n" as xterm's convertEol. */
function terminal(engine: InProcessEngine, options: { history?: HistoryStore; wire?: WireLog; cols?: number } = {}) {
  const cols = options.cols ?? 120;
  const screen = new Screen(cols);
  let raw = '';
  const host = new CliHost({
    connector: engine,
    surface: { write: (bytes) => { raw += bytesToBinary(bytes); screen.write(bytesToBinary(bytes).replace(BRACKETED_PASTE_ON, '').replace(/\n/g, '\r\n')); }, cols },
    history: options.history ?? memoryHistory(),
    wire: options.wire,
    fallbackHelp: () => staticCommandHelp(),
    loadFallbackHelp: async () => staticCommandHelp(),
  });
  const type = async (keys: string) => { host.input(keys); await engine.settle(); };
  return { host, screen, raw: () => raw, type, lines: () => screen.text() };
}

async function started(engine: InProcessEngine, options?: Parameters<typeof terminal>[1]) {
  const t = terminal(engine, options);
  t.host.start();
  await engine.settle();
  return t;
}

describe('CliHost', () => {
  it('starts redis-cli (COMMAND DOCS for its help, then the prompt) and runs commands', async () => {
    const engine = new InProcessEngine();
    const wire = new WireLog();
    const t = await started(engine, { wire });
    expect(t.raw().startsWith(BRACKETED_PASTE_ON)).toBe(true);
    expect(wire.snapshot()[0].text).toBe('*2\\r\\n$7\\r\\nCOMMAND\\r\\n$4\\r\\nDOCS\\r\\n');
    expect(t.lines()).toEqual(['127.0.0.1:6379> ']);
    expect(t.host.busy).toBe(false);
    await t.type('SET k "a b"\r');
    await t.type('GET k\r');
    expect(t.lines()).toEqual(['127.0.0.1:6379> SET k "a b"', 'OK', '127.0.0.1:6379> GET k', '"a b"', '127.0.0.1:6379> ']);
    // Hints come from the server's COMMAND DOCS.
    await t.type('HSET h');
    expect(t.lines().at(-1)).toBe('127.0.0.1:6379> HSET h«90: field value [field value ...]»');
  });

  it('reads replies split across chunks, one byte at a time', async () => {
    const engine = new InProcessEngine();
    const t = await started(engine);
    engine.chunkSize = 1;
    await t.type('RPUSH l a b c\r');
    await t.type('LRANGE l 0 -1\r');
    await t.type('HELLO 3\r');
    await t.type('HGETALL nosuch\r');
    expect(t.lines().slice(0, 6)).toEqual([
      '127.0.0.1:6379> RPUSH l a b c', '(integer) 3', '127.0.0.1:6379> LRANGE l 0 -1', '1) "a"', '2) "b"', '3) "c"',
    ]);
    expect(t.lines().slice(-3)).toEqual(['127.0.0.1:6379> HGETALL nosuch', '(empty hash)', '127.0.0.1:6379> ']);
  });

  it('pushes from other clients: subscribed mode shows messages as they come, Ctrl-C ends it', async () => {
    const engine = new InProcessEngine();
    const sub = await started(engine);
    const pub = await started(engine);
    await sub.type('SUBSCRIBE news\r');
    expect(sub.host.busy).toBe(true);
    await pub.type('PUBLISH news hello\r');
    expect(pub.lines().slice(-2)).toEqual(['(integer) 1', '127.0.0.1:6379> ']);
    expect(sub.lines()).toEqual([
      '127.0.0.1:6379> SUBSCRIBE news', 'Reading messages... (press Ctrl-C to quit)',
      '1) "subscribe"', '2) "news"', '3) (integer) 1', '1) "message"', '2) "news"', '3) "hello"',
    ]);
    await sub.type(KEYS.ctrlC);
    expect(sub.lines().at(-1)).toBe('^C127.0.0.1:6379> ');
    await pub.type('PUBLISH news again\r');
    expect(pub.lines().at(-2)).toBe('(integer) 0');
  });

  it('a blocked BLPOP is served by another client', async () => {
    const engine = new InProcessEngine();
    const a = await started(engine);
    const b = await started(engine);
    await a.type('BLPOP q 0\r');
    expect(a.host.busy).toBe(true);
    await b.type('LPUSH q x\r');
    expect(a.host.busy).toBe(false);
    expect(a.lines().slice(1)).toEqual(['1) "q"', '2) "x"', '127.0.0.1:6379> ']);
  });

  it('a paste of several lines runs each in turn; the last piece is only typed', async () => {
    const engine = new InProcessEngine();
    const t = await started(engine);
    await t.type('\x1b[200~SET a 1\nINCR a\r\n\tGET a\nECHO\x1b[201~');
    expect(t.lines()).toEqual([
      '127.0.0.1:6379> SET a 1', 'OK', '127.0.0.1:6379> INCR a', '(integer) 2', '127.0.0.1:6379>  GET a', '"2"',
      '127.0.0.1:6379> ECHO«90: message»',
    ]);
    // Ctrl-C drops what a paste still has queued.
    await t.type(KEYS.ctrlU + '\x1b[200~BLPOP nothing 0\rSET late 1\r\x1b[201~');
    expect(t.host.busy).toBe(true);
    await t.type(KEYS.ctrlC);
    expect(t.lines().at(-1)).toBe('«90:redis-cli exited (code 1). Press Enter to start it again.»');
    await t.type('\r');
    await t.type('EXISTS late\r');
    expect(t.lines().slice(-2)).toEqual(['(integer) 0', '127.0.0.1:6379> ']);
  });

  it('saves the history after each line, and a new redis-cli starts with it', async () => {
    const engine = new InProcessEngine();
    const history = memoryHistory(['PING']);
    const t = await started(engine, { history });
    await t.type('SET k v\r');
    await t.type('AUTH secret\r');
    expect(history.lines).toEqual(['PING', 'SET k v']);
    const u = await started(engine, { history });
    await u.type(KEYS.up);
    expect(u.lines().at(-1)).toMatch(/^127\.0\.0\.1:6379> SET k v«90: \[NX\|XX\] \[GET\]/);
  });

  it('quit exits; Enter starts a new redis-cli on a new connection', async () => {
    const engine = new InProcessEngine();
    const t = await started(engine);
    await t.type('CLIENT ID\r');
    await t.type('quit\r');
    expect(t.host.exited).toBe(true);
    expect(t.lines().at(-1)).toBe('«90:redis-cli exited (code 0). Press Enter to start it again.»');
    await t.type('PING');
    expect(t.lines().at(-1)).toBe('«90:redis-cli exited (code 0). Press Enter to start it again.»');
    await t.type('\r');
    await t.type('CLIENT ID\r');
    const ids = t.lines().filter((l) => l.startsWith('(integer)'));
    expect(ids).toHaveLength(2);
    expect(ids[0]).not.toBe(ids[1]);
  });

  it('a connection the server closes: an error at the next command, then a reconnect', async () => {
    const engine = new InProcessEngine();
    const t = await started(engine);
    const killer = await started(engine);
    await t.type('SELECT 2\r');
    await killer.type('CLIENT KILL SKIPME yes TYPE normal\r');
    await t.type('PING\r');
    await t.type('PING\r');
    expect(t.lines().slice(2)).toEqual([
      '127.0.0.1:6379[2]> PING', 'Error: Server closed the connection', 'not connected> PING', 'PONG', '127.0.0.1:6379[2]> ',
    ]);
  });

  it('connect to another address: nothing listens there', async () => {
    const engine = new InProcessEngine();
    const t = await started(engine);
    await t.type('connect 127.0.0.1 7000\r');
    expect(t.lines().slice(1)).toEqual(['Could not connect to Redis at 127.0.0.1:7000: Connection refused', 'not connected> ']);
    await t.type('connect localhost 6379\r');
    await t.type('PING\r');
    expect(t.lines().slice(-3)).toEqual(['localhost:6379> PING', 'PONG', 'localhost:6379> ']);
  });

  it('keys typed while redis-cli starts wait for its prompt', async () => {
    const engine = new InProcessEngine();
    const t = terminal(engine);
    t.host.start();
    t.host.input('PING\r');
    await engine.settle();
    expect(t.lines()).toEqual(['127.0.0.1:6379> PING', 'PONG', '127.0.0.1:6379> ']);
  });

  it('the wire log holds the bytes both ways', async () => {
    const engine = new InProcessEngine();
    const wire = new WireLog();
    const t = await started(engine, { wire });
    wire.clear();
    await t.type('ECHO "é\\x00"\r');
    expect(wire.snapshot().map((e) => [e.direction, e.text])).toEqual([
      ['sent', '*2\\r\\n$4\\r\\nECHO\\r\\n$3\\r\\n\\xc3\\xa9\\x00\\r\\n'],
      ['received', '$3\\r\\n\\xc3\\xa9\\x00\\r\\n'],
    ]);
  });
});
