// The redis-cli session as a state machine: what it sends, writes and asks of its host for typed
// lines and arriving replies. redisCliOracle.test.ts compares whole sessions with the real
// redis-cli; these pin the effects themselves and the parts the oracle cannot drive.
import { describe, expect, it } from 'vitest';
import type { Reply } from '../../../src/ui/engine/replyReader.ts';
import { CliSession, formatFixed2, type SessionEffect, type SessionOptions } from '../../../src/ui/terminal/cliSession.ts';
import { CommandHelp } from '../../../src/ui/terminal/commandHelp.ts';
import { KEYS } from '../../../src/ui/terminal/lineEditor.ts';
import { staticCommandHelp } from '../../../src/ui/terminal/staticCommandDocs.ts';

const ok: Reply = { kind: 'status', text: 'OK' };
const bulk = (text: string): Reply => ({ kind: 'bulk', text });
const push = (...items: Reply[]): Reply => ({ kind: 'push', items });

/** A started session with a help table, and helpers that collect its effects. */
function session(options: SessionOptions = {}) {
  const s = new CliSession({ help: staticCommandHelp(), ...options });
  const started = s.start();
  let effects: SessionEffect[] = [];
  const take = () => { const e = effects; effects = []; return e; };
  const text = (es: SessionEffect[]) => es.flatMap((e) => (e.type === 'write' ? [e.text] : [])).join('');
  const sent = (es: SessionEffect[]) => es.flatMap((e) => (e.type === 'send' ? [e.argv] : []));
  return {
    s, started, take, text, sent,
    type: (keys: string) => { effects.push(...s.input(keys)); return take(); },
    reply: (r: Reply) => { effects.push(...s.receive(r)); return take(); },
  };
}

/** What a screen keeps of written text: the part after the last redraw of the line. */
const afterLastRedraw = (t: string) => t.slice(t.lastIndexOf('\r\x1b[0K') + 5);

describe('starting', () => {
  it('asks the server for COMMAND DOCS, then shows the prompt', () => {
    const s = new CliSession();
    const first = s.start();
    expect(first).toEqual([{ type: 'send', argv: ['COMMAND', 'DOCS'] }]);
    expect(s.busy).toBe(true);
    const docs: Reply = { kind: 'array', items: [bulk('get'), { kind: 'array', items: [bulk('summary'), bulk('S'), bulk('group'), bulk('string'), bulk('since'), bulk('1.0.0'), bulk('arguments'), { kind: 'array', items: [{ kind: 'array', items: [bulk('name'), bulk('key'), bulk('type'), bulk('key')] }] }] }] };
    expect(s.receive(docs)).toEqual([{ type: 'write', text: '127.0.0.1:6379> ' }]);
    const typed = s.input('get');
    expect(typed).toEqual([{ type: 'write', text: '\r\x1b[0K127.0.0.1:6379> get\x1b[0;90;49m key\x1b[0m\r\x1b[19C' }]);
  });

  it('falls back to the given table when COMMAND DOCS fails (e.g. NOAUTH)', () => {
    const s = new CliSession({ fallbackHelp: () => new CommandHelp({ ping: { summary: 'x', since: '1', group: 'connection' } }) });
    s.start();
    s.receive({ kind: 'error', text: 'NOAUTH Authentication required.' });
    expect(s.input('ping')).toEqual([{ type: 'write', text: '\r\x1b[0K127.0.0.1:6379> ping\x1b[0;90;49m \x1b[0m\r\x1b[20C' }]);
  });

  it('with a table given, shows the prompt at once (host and port as given)', () => {
    const s = new CliSession({ help: staticCommandHelp(), host: '10.0.0.2', port: 7000 });
    expect(s.start()).toEqual([{ type: 'write', text: '10.0.0.2:7000> ' }]);
  });
});

describe('running commands', () => {
  it('sends the split arguments (UTF-8 bytes), prints the reply and a new prompt', () => {
    const t = session();
    expect(t.text(t.started)).toBe('127.0.0.1:6379> ');
    const typed = t.type('SET k "é\\xff"\r');
    expect(t.sent(typed)).toEqual([['SET', 'k', '\xc3\xa9\xff']]);
    expect(t.text(typed)).toMatch(/\r\x1b\[0K127\.0\.0\.1:6379> SET k "\xc3\xa9\\xff"\r\x1b\[29C\n$/);
    expect(t.s.busy).toBe(true);
    expect(t.text(t.reply(ok))).toBe('OK\n127.0.0.1:6379> ');
    expect(t.s.busy).toBe(false);
  });

  it('repeats a command, one reply at a time', () => {
    const t = session();
    expect(t.sent(t.type('3 INCR n\r'))).toEqual([['INCR', 'n']]);
    expect(t.sent(t.reply({ kind: 'integer', value: 1n }))).toEqual([['INCR', 'n']]);
    expect(t.sent(t.reply({ kind: 'integer', value: 2n }))).toEqual([['INCR', 'n']]);
    expect(t.text(t.reply({ kind: 'integer', value: 3n }))).toBe('(integer) 3\n127.0.0.1:6379> ');
  });

  it('answers some lines itself', () => {
    const t = session();
    const lines: [string, string][] = [
      ['GET "x', 'Invalid argument(s)\n'],
      ['0 PING', 'Invalid redis-cli repeat command option value.\n'],
      ['restart', "Use 'restart' only in Lua debugging mode.\n"],
      [':set foo', "unknown redis-cli preference 'foo'\n"],
      [':nope', "unknown redis-cli internal command ':nope'\n"],
      ['clear', '\x1b[H\x1b[2J'],
      ['help get', '\r\n  \x1b[1mGET\x1b[0m'],
      ['? @hyperloglog', '\x1b[1mPFADD\x1b[0m'],
      ['HELP', 'redis-cli 7.0.15\nTo get help'],
      ['2 help nosuch', '\n\r\n127.0.0.1:6379> '],
    ];
    for (const [line, out] of lines) {
      const effects = t.type(line + '\r');
      expect(t.sent(effects), line).toEqual([]);
      expect(t.text(effects), line).toContain(out);
      expect(t.s.busy).toBe(false);
    }
    // Blank lines do nothing at all.
    expect(t.text(t.type('   \r'))).toMatch(/\n127\.0\.0\.1:6379> $/);
  });

  it('sends redis-cli words with arguments, or after a repeat count, to the server', () => {
    const t = session();
    expect(t.sent(t.type('clear x\r'))).toEqual([['clear', 'x']]);
    t.reply({ kind: 'error', text: 'ERR unknown command' });
    expect(t.sent(t.type('2 quit\r'))).toEqual([['quit']]);
  });

  it('exits on quit and exit, without sending them', () => {
    for (const line of ['quit', 'EXIT']) {
      const t = session();
      const effects = t.type(line + '\r');
      expect(effects.filter((e) => e.type !== 'write' && e.type !== 'history')).toEqual([{ type: 'exit', code: 0 }]);
      expect(t.s.isExited).toBe(true);
      expect(t.type('PING\r')).toEqual([]);
    }
  });

  it('prints raw output for INFO and friends, and all replies in --raw mode', () => {
    const t = session();
    t.type('INFO\r');
    expect(t.text(t.reply(bulk('# Server\r\nredis_version:7.0.15\r\n')))).toBe('# Server\r\nredis_version:7.0.15\r\n127.0.0.1:6379> ');
    t.type('GET k\r');
    expect(t.text(t.reply(bulk('a\nb')))).toBe('"a\\nb"\n127.0.0.1:6379> ');
    t.s.setOutputMode('raw');
    t.type('GET k\r');
    expect(t.text(t.reply(bulk('a\nb')))).toBe('a\nb\n127.0.0.1:6379> ');
  });

  it('times commands of 500 ms or more with the given clock (standard output only)', () => {
    let now = 0;
    const t = session({ now: () => now });
    t.type('DEBUG SLEEP 1\r');
    now = 1125;
    expect(t.text(t.reply(ok))).toBe('OK\n(1.12s)\n127.0.0.1:6379> ');
    t.type('PING\r');
    now += 499;
    expect(t.text(t.reply({ kind: 'status', text: 'PONG' }))).toBe('PONG\n127.0.0.1:6379> ');
    t.s.setOutputMode('raw');
    t.type('PING\r');
    now += 800;
    expect(t.text(t.reply({ kind: 'status', text: 'PONG' }))).toBe('PONG\n127.0.0.1:6379> ');
  });

  it('prints seconds as printf("%.2f") does, ties to even on the exact binary value', () => {
    const cases: [number, string][] = [[625, '0.62'], [1125, '1.12'], [5005, '5.00'], [2675, '2.67'], [995, '0.99'],
      [12345, '12.35'], [500, '0.50'], [999995, '1000.00']];
    for (const [ms, text] of cases) expect(formatFixed2(ms / 1000), String(ms)).toBe(text);
  });
});

describe('the prompt follows SELECT, MULTI, EXEC and RESET', () => {
  it('shows [db] and (TX)', () => {
    const t = session();
    t.type('SELECT 2\r');
    expect(t.text(t.reply(ok))).toBe('OK\n127.0.0.1:6379[2]> ');
    t.type('MULTI\r');
    expect(t.text(t.reply(ok))).toBe('OK\n127.0.0.1:6379[2](TX)> ');
    t.type('EXEC\r');
    expect(t.text(t.reply({ kind: 'null' }))).toBe('(nil)\n127.0.0.1:6379[2]> ');
    t.type('RESET\r');
    expect(t.text(t.reply({ kind: 'status', text: 'RESET' }))).toBe('RESET\n127.0.0.1:6379> ');
  });
});

describe('history', () => {
  it('saves typed lines (not passwords, not bad repeat counts) and reports the list to save', () => {
    const t = session({ history: ['old'] });
    const effects = t.type('GET "x\r');
    expect(effects).toContainEqual({ type: 'history', lines: ['old', 'GET "x'] });
    t.type('AUTH secret\r');
    t.reply({ kind: 'error', text: 'ERR no password' });
    t.type('0 PING\r');
    t.type('PING\r');
    t.reply({ kind: 'status', text: 'PONG' });
    // While a line is edited, linenoise's history holds it too; what is saved does not.
    expect(t.s.history.toJSON()).toEqual(['old', 'GET "x', 'PING', '']);
    expect(t.s.savedHistory()).toEqual(['old', 'GET "x', 'PING']);
    // The same line twice in a row is kept once, and reported once.
    expect(t.type('PING\r').some((e) => e.type === 'history')).toBe(false);
  });
});

describe('Ctrl-C and the other ends of a line', () => {
  it('drops the line at the prompt, by default', () => {
    const t = session();
    const effects = t.type('GET k' + KEYS.left + KEYS.ctrlC);
    expect(t.text(effects)).toBe('\r\x1b[0K127.0.0.1:6379> GET k\r\x1b[21C^C\n127.0.0.1:6379> ');
    expect(t.sent(effects)).toEqual([]);
  });

  it('exits on Ctrl-C at the prompt as redis-cli does, when asked to', () => {
    const t = session({ ctrlC: 'exit' });
    expect(t.type('GET' + KEYS.ctrlC)).toEqual([
      { type: 'write', text: '\r\x1b[0K127.0.0.1:6379> GET\x1b[0;90;49m key\x1b[0m\r\x1b[19C\n' }, { type: 'exit', code: 0 }]);
  });

  it('exits on Ctrl-D in an empty line', () => {
    const t = session();
    expect(t.type(KEYS.ctrlD)).toEqual([{ type: 'write', text: '\r\x1b[0K127.0.0.1:6379> \r\x1b[16C\n' }, { type: 'exit', code: 0 }]);
  });

  it('exits with status 1 on Ctrl-C while a command waits for its reply', () => {
    const t = session();
    t.type('BLPOP q 0\r');
    expect(t.type(KEYS.ctrlC)).toEqual([{ type: 'write', text: '^C' }, { type: 'exit', code: 1 }]);
  });

  it('echoes keys typed while a command runs, as the tty does, and then forgets them', () => {
    const t = session();
    t.type('DEBUG SLEEP 1\r');
    expect(t.text(t.type('ab\x7fc\x01 d\x17\x15x\r'))).toBe('ab\b \bc^A d\b \b\b \b' + '\b \b\b \b\b \b\b \b' + 'x\n');
    expect(t.text(t.reply(ok))).toBe('OK\n127.0.0.1:6379> ');
    // Only the first line of a paste runs.
    expect(t.sent(t.type('PING\rECHO lost\r'))).toEqual([['PING']]);
    expect(t.text(t.reply({ kind: 'status', text: 'PONG' }))).toBe('PONG\n127.0.0.1:6379> ');
  });
});

describe('subscribed and MONITOR modes', () => {
  it('reads messages until Ctrl-C, then reconnects and selects the database again', () => {
    const t = session();
    t.type('SELECT 3\r');
    t.reply(ok);
    const subscribe = t.type('SUBSCRIBE ch\r');
    expect(t.sent(subscribe)).toEqual([['SUBSCRIBE', 'ch']]);
    expect(t.text(subscribe)).toMatch(/\nReading messages\.\.\. \(press Ctrl-C to quit\)\n$/);
    expect(t.text(t.reply({ kind: 'array', items: [bulk('subscribe'), bulk('ch'), { kind: 'integer', value: 1n }] })))
      .toBe('1) "subscribe"\n2) "ch"\n3) (integer) 1\n');
    // RESP3 messages are pushes: shown as replies here.
    expect(t.text(t.reply(push(bulk('message'), bulk('ch'), bulk('hi'))))).toBe('1) "message"\n2) "ch"\n3) "hi"\n');
    expect(t.text(t.type('typed'))).toBe('typed');
    const interrupted = t.type(KEYS.ctrlC);
    expect(interrupted).toEqual([{ type: 'write', text: '^C' }, { type: 'connect', host: '127.0.0.1', port: 6379 }]);
    expect(t.s.connectResult(null)).toEqual([{ type: 'send', argv: ['SELECT', '3'] }]);
    expect(t.text(t.reply(ok))).toBe('127.0.0.1:6379[3]> ');
  });

  it('leaves subscribed mode on an error, without "Reading messages" in --raw', () => {
    const t = session({ raw: true });
    expect(t.text(t.type('SUBSCRIBE\r'))).not.toContain('Reading');
    expect(t.text(t.reply({ kind: 'error', text: 'ERR wrong number of arguments' })))
      .toBe('ERR wrong number of arguments\n\n127.0.0.1:6379> ');
  });

  it('prints MONITOR lines until Ctrl-C', () => {
    const t = session();
    t.type('MONITOR\r');
    expect(t.text(t.reply(ok))).toBe('OK\n');
    expect(t.text(t.reply({ kind: 'status', text: '1700000000.000001 [0 127.0.0.1:5000] "get" "k"' })))
      .toBe('1700000000.000001 [0 127.0.0.1:5000] "get" "k"\n');
    expect(t.type(KEYS.ctrlC).map((e) => e.type)).toEqual(['write', 'connect']);
    expect(t.text(t.s.connectResult(null))).toBe('127.0.0.1:6379> ');
  });

  it('ends MONITOR on an error reply (inside MULTI)', () => {
    const t = session();
    t.type('MONITOR\r');
    expect(t.text(t.reply({ kind: 'error', text: 'ERR Command not allowed inside a transaction' })))
      .toBe('(error) ERR Command not allowed inside a transaction\n127.0.0.1:6379> ');
  });
});

describe('pushes', () => {
  it('shows a push that came while idle when the next command reads its reply, and one that comes while waiting at once', () => {
    const t = session();
    expect(t.reply(push(bulk('invalidate'), { kind: 'array', items: [bulk('k')] }))).toEqual([]);
    const ping = t.type('PING\r');
    expect(t.sent(ping)).toEqual([['PING']]);
    expect(t.text(ping)).toMatch(/\r\x1b\[20C\n-> invalidate: 'k'\n$/);
    expect(t.text(t.reply({ kind: 'status', text: 'PONG' }))).toBe('PONG\n127.0.0.1:6379> ');
    t.type('GET k\r');
    expect(t.text(t.reply(push(bulk('server-cpu-usage'), { kind: 'integer', value: 42n }))))
      .toBe('1) "server-cpu-usage"\n2) (integer) 42\n');
    expect(t.s.busy).toBe(true);
  });

  it('takes pushes as replies with showPushes off', () => {
    const t = session({ showPushes: false });
    t.type('GET k\r');
    expect(t.text(t.reply(push(bulk('x'))))).toBe('1) "x"\n127.0.0.1:6379> ');
  });
});

describe('what ends redis-cli', () => {
  it('a RESP3 big number: "Unknown reply type: 13"', () => {
    const t = session();
    t.type('DEBUG PROTOCOL bignum\r');
    expect(t.reply({ kind: 'bignum', text: '1234' })).toEqual([{ type: 'write', text: 'Unknown reply type: 13\n' }, { type: 'exit', code: 1 }]);
  });

  it('a RESP3 attribute: a protocol error', () => {
    const t = session();
    t.type('DEBUG PROTOCOL attrib\r');
    expect(t.reply({ kind: 'attribute', entries: [] })).toEqual([
      { type: 'write', text: 'Error: Protocol error, got "|" as reply type byte\n' }, { type: 'exit', code: 1 }]);
  });
});

describe('connections', () => {
  it('reports a connection closed under a command, then reconnects for the next one', () => {
    const t = session();
    t.type('PING\r');
    expect(t.text(t.s.connectionClosed())).toBe('Error: Server closed the connection\nnot connected> ');
    const again = t.type('PING\r');
    expect(again.filter((e) => e.type !== 'write')).toEqual([{ type: 'connect', host: '127.0.0.1', port: 6379 }]);
    expect(t.s.connectResult(null)).toEqual([{ type: 'send', argv: ['PING'] }]);
    expect(t.text(t.reply({ kind: 'status', text: 'PONG' }))).toBe('PONG\n127.0.0.1:6379> ');
  });

  it('notices a connection closed while idle at the next command, without sending it', () => {
    const t = session();
    expect(t.s.connectionClosed()).toEqual([]);
    const effects = t.type('PING\r');
    expect(t.sent(effects)).toEqual([]);
    expect(t.text(effects)).toMatch(/\nError: Server closed the connection\nnot connected> $/);
  });

  it('says nothing when SHUTDOWN closes the connection', () => {
    const t = session();
    t.type('SHUTDOWN NOSAVE\r');
    expect(t.text(t.s.connectionClosed())).toBe('not connected> ');
    t.type('PING\r');
    expect(t.text(t.s.connectResult('Connection refused'))).toBe(
      'Could not connect to Redis at 127.0.0.1:6379: Connection refused\nnot connected> ');
  });

  it('connects elsewhere with `connect host port`', () => {
    const t = session();
    const effects = t.type('connect 10.1.2.3 7001x\r');
    expect(effects.filter((e) => e.type === 'connect')).toEqual([{ type: 'connect', host: '10.1.2.3', port: 7001 }]);
    expect(t.text(t.s.connectResult(null))).toBe('10.1.2.3:7001> ');
    t.type('connect nohost 1\r');
    expect(t.text(t.s.connectResult('Name or service not known'))).toBe(
      'Could not connect to Redis at nohost:1: Name or service not known\nnot connected> ');
  });

  it('selects the database again after AUTH when a reconnection could not', () => {
    const t = session();
    t.type('SELECT 2\r');
    t.reply(ok);
    t.type('SUBSCRIBE c\r');
    t.type(KEYS.ctrlC);
    t.s.connectResult(null);
    // The new connection needs AUTH first: cliSelect fails, and redis-cli gives up.
    expect(t.reply({ kind: 'error', text: 'NOAUTH Authentication required.' })).toEqual([
      { type: 'write', text: 'SELECT 2 failed: NOAUTH Authentication required.\nError: \n' }, { type: 'exit', code: 1 }]);
  });

  it('sends SELECT after a successful AUTH if the database shown is not the one wanted', () => {
    const t = session();
    t.type('SELECT 2\r');
    t.reply(ok);
    t.s.state.dbnum = 0;
    t.type('AUTH pw\r');
    expect(t.sent(t.reply(ok))).toEqual([['SELECT', '2']]);
    expect(t.text(t.reply(ok))).toBe('127.0.0.1:6379[2]> ');
  });
});

describe('hints', () => {
  it('follow the :set hints preference and the terminal width', () => {
    const t = session({ cols: 40 });
    expect(t.text(t.type('GET'))).toContain('\x1b[0;90;49m key');
    t.type(KEYS.ctrlU + ':set nohints\r');
    expect(t.text(t.type('GET'))).not.toContain('\x1b[0;90;49m');
    t.type(KEYS.ctrlU + ':set hints\r');
    expect(afterLastRedraw(t.text(t.type('ZADD')))).toBe('127.0.0.1:6379> ZADD\x1b[0;90;49m key [NX|XX] [GT|LT]\x1b[0m\r\x1b[20C');
    t.s.resize(200);
    t.type(KEYS.ctrlU + '\r');
    expect(afterLastRedraw(t.text(t.type('ZADD')))).toContain('[score member ...]');
  });
});
