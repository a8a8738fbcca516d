// The oracle for the terminal: the real redis-cli 7.0.15, driven through a pseudo-terminal against
// a real redis-server, and our CliSession driven with the same keystrokes against a second real
// redis-server started the same way, must leave the same screen after every step: same text, same
// grey hints, same prompt, same cursor position. Hints, completion and `help` come from the
// server's COMMAND DOCS on both sides, so even the summaries match here.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startRealRedis, type RealRedis } from '../../support/realRedis.ts';
import { PROMPT_AFTER_OUTPUT } from '../../support/ptyCli.ts';
import { compareSessions, type OracleStep } from '../../support/ptyModel.ts';
import { KEYS } from '../../../src/ui/terminal/lineEditor.ts';

let real: RealRedis;
let model: RealRedis;

beforeEach(async () => {
  // Two fresh servers started alike, so client ids and data evolve the same on both sides.
  [real, model] = await Promise.all([
    startRealRedis({ 'enable-debug-command': 'yes' }),
    startRealRedis({ 'enable-debug-command': 'yes' }),
  ]);
});
afterEach(async () => {
  await Promise.all([real?.stop(), model?.stop()]);
});

const line = (text: string): OracleStep => ({ keys: text + KEYS.enter });
const type = (text: string): OracleStep => ({ keys: text });

async function expectSameScreens(steps: OracleStep[], options: Parameters<typeof compareSessions>[3] = {}): Promise<void> {
  const { screens, error } = await compareSessions(real.port, model.port, steps, options);
  for (const s of screens) {
    // The whole screen, so a difference shows with its context.
    expect({ keys: s.keys, screen: s.model }, `screen after typing ${JSON.stringify(s.keys)}`)
      .toEqual({ keys: s.keys, screen: s.real });
    expect(s.modelCursor, `cursor after typing ${JSON.stringify(s.keys)}`).toEqual(s.realCursor);
  }
  expect(error).toBeNull();
  expect(screens.length).toBe(steps.length + 1);
}

it('an interactive session: every reply type, hints, completion, help, prompts', async () => {
  await expectSameScreens([
    // Strings, integers, nil, errors, binary data and escapes.
    line('SET greeting "hello world"'), line('GET greeting'), line('GET nosuch'), line('INCR counter'),
    line('INCRBYFLOAT f 1.5'), line('SET bin "\\xff\\x00\\n\\"q\\\\ \\t\\a\\b\\r"'), line('GET bin'),
    line('SET utf8 "héllo"'), line('GET utf8'), line('NOSUCHCMD a b'), line('GET'),
    // Arrays, nested arrays, empty arrays.
    line('RPUSH list a b c d e f g h i j k'), line('LRANGE list 0 -1'), line('LRANGE empty 0 -1'),
    line('HSET h f1 v1 f2 v2'), line('HGETALL h'), line('ZADD z 1 a 2.5 b'), line('ZRANGE z 0 -1 WITHSCORES'),
    line('SCAN 0 MATCH nomatch'), line('COMMAND INFO get'), line('CONFIG GET maxmemory'),
    // Parsing: repeat counts, quotes, blank lines.
    line('3 INCR counter'), line('0 PING'), line('"" PING'), line('GET "unbalanced'), line('   '),
    // Transactions and the prompt.
    line('MULTI'), line('SELECT 2'), line('SET a 1'), line('EXEC'), line('MULTI'), line('SELECT 5'),
    line('DISCARD'), line('MULTI'), line('NOSUCH'), line('EXEC'), line('SELECT 0'), line('SELECT 99'),
    // Hints while typing, then cleared with Ctrl-U.
    type('ZADD'), type(' k'), type(' NX'), type(' 1'), type(KEYS.ctrlU), type('config get '), type(KEYS.ctrlU),
    type('set k v ex 10'), type(KEYS.ctrlA), type(KEYS.ctrlE), type(KEYS.ctrlW), type(KEYS.ctrlU),
    line(':set nohints'), type('GET k'), type(KEYS.ctrlU), line(':set hints'), line(':set foo'), line(':bar'),
    // TAB completion cycles through the matches, then back to what was typed.
    type('ge\t'), type('\t'), type('\t'), type(KEYS.ctrlU), type('help @str\t'), type('\t'), type('\t'),
    type('\t'), type(KEYS.ctrlU), type('config s\t'), line(''),
    // Editing keys.
    type('GET abc'), type(KEYS.left), type(KEYS.left), type('X'), type(KEYS.backspace), type(KEYS.ctrlT),
    type(KEYS.home), type(KEYS.delete), type(KEYS.end), type(KEYS.ctrlB), type(KEYS.ctrlK), type(KEYS.enter),
    // ESC takes the next two keys whatever they are; unknown sequences leave pieces behind.
    type('a\x1bxyc'), type('\x1b[1;5C'), type('\x1bOH'), type(KEYS.ctrlD), type('\x1bOF'), type(KEYS.ctrlB),
    type(KEYS.ctrlA + KEYS.ctrlF + KEYS.ctrlT), type('\x0f'), type(KEYS.ctrlU), line(''),
    // History: up, down, edits of a recalled line.
    type(KEYS.up), type(KEYS.up), type(KEYS.ctrlP), type(KEYS.down), type(KEYS.ctrlN), type('x'), type(KEYS.up),
    type(KEYS.down), type(KEYS.enter),
    // Help.
    line('help'), line('help GET'), line('help config'), line('help @hyperloglog'), line('help nosuch'),
    line('restart'), line('clear'), line('PING'),
    // RESP3: maps, sets, doubles, booleans, verbatim, pushes.
    line('HELLO 3'), line('HGETALL h'), line('HGETALL nosuch'), line('SMEMBERS nosuch'), line('SADD s 1 2 3'),
    line('SMEMBERS s'), line('ZSCORE z b'), line('ZRANGE z 0 -1 WITHSCORES'), line('CONFIG GET maxmemory'),
    line('COMMAND INFO get'), line('DEBUG PROTOCOL true'), line('DEBUG PROTOCOL false'),
    line('DEBUG PROTOCOL verbatim'), line('DEBUG PROTOCOL push'), line('DEBUG PROTOCOL map'),
    line('DEBUG PROTOCOL set'), line('DEBUG PROTOCOL double'), line('DEBUG PROTOCOL null'),
    line('CLIENT TRACKING on'), line('GET greeting'), { keys: 'PING\r', other: ['SET', 'greeting', 'changed'] },
    line('RESET'),
    // Pub/sub streaming, ended with Ctrl-C: a new connection, back in the database typed last.
    line('SELECT 3'),
    { keys: 'SUBSCRIBE news\r', until: '\\(integer\\) 1\\r\\n$' },
    { keys: '', other: ['PUBLISH', 'news', 'hello'], until: '"hello"\\r\\n$' },
    { keys: KEYS.ctrlC, until: '> $' },
    line('PING'),
    { keys: 'quit\r', exits: true },
  ]);
});

it('history without passwords, keys typed during a command, reconnections, MONITOR, Ctrl-D', async () => {
  await expectSameScreens([
    line('PING'), line('AUTH secret'), type(KEYS.up), type(KEYS.down), line('HELLO 3 AUTH default pw'),
    type(KEYS.up), type(KEYS.down), type('GET k'), type(KEYS.ctrlL), type(KEYS.ctrlU),
    // Typed while a command waits (BLPOP, until another client pushes): echoed by the tty, then
    // thrown away.
    { keys: 'BLPOP q 0\r', until: 'q 0\\r\\x1b\\[\\d+C\\r\\n$' },
    { keys: 'ECHO b\x7fc\x01\r', until: '\\^A\\r\\n$' },
    { keys: '', other: ['LPUSH', 'q', 'x'], until: PROMPT_AFTER_OUTPUT },
    // A paste of two lines runs the first only.
    { keys: 'PING\rECHO lost\r' },
    line('connect 127.0.0.1 1'), line('PING'), line('help GET'), line(`connect 127.0.0.1 ${real.port}`),
    // Killed by the server: an error, then the next command reconnects (the prompt keeps [4]).
    line('SELECT 4'), line('CLIENT KILL SKIPME no TYPE normal'), line('PING'), line('PING'), line('SELECT 4'),
    { keys: 'MONITOR\r', until: 'OK\\r\\n$' }, { keys: KEYS.ctrlC, until: '> $' }, line('PING'),
    { keys: KEYS.ctrlD, exits: true },
  ]);
});

it('Ctrl-C at the prompt, when it exits as in redis-cli', async () => {
  await expectSameScreens([type('GET x'), { keys: KEYS.ctrlC, exits: true }], { session: { ctrlC: 'exit' } });
});

it('SHUTDOWN: not connected, then the connection is refused', async () => {
  await expectSameScreens([line('SHUTDOWN NOSAVE'), line('PING'), line('help')]);
});

it('a narrow terminal: lines wrap over rows, hints are cut to the width and left out of full rows', async () => {
  await expectSameScreens([
    type('ZADD key'), type(' 1 member'), type(' 2 another-member 3'), type(KEYS.ctrlA), type(KEYS.right),
    type(KEYS.ctrlE), type(KEYS.left), type(KEYS.backspace), type(KEYS.ctrlW), type(KEYS.ctrlW), type('x'), type(KEYS.enter),
    type('GET abcdefghijklm'), type('n'), type('o'), type(KEYS.enter), type(KEYS.up), type(KEYS.ctrlU),
    type('config get maxmemor'), type('y'), type(KEYS.enter),
  ], { cols: 32 });
});

it('--raw output', async () => {
  await expectSameScreens([
    line('SET s "a b\\nc"'), line('GET s'), line('GET nosuch'), line('INCR n'), line('NOSUCH'),
    line('RPUSH l x y'), line('LRANGE l 0 -1'), line('LRANGE none 0 -1'), line('HELLO 3'), line('HSET h f v'),
    line('HGETALL h'), line('DEBUG PROTOCOL true'), line('DEBUG PROTOCOL double'), line('MULTI'), line('INFO'),
    line('DISCARD'), { keys: 'SUBSCRIBE c\r', until: '\\n1\\r\\n$' }, { keys: KEYS.ctrlC, until: '> $' },
  ], { cliArgs: ['--raw'], session: { raw: true } });
});

it('a RESP3 big number ends redis-cli', async () => {
  await expectSameScreens([line('HELLO 3'), { keys: 'DEBUG PROTOCOL bignum\r', exits: true }]);
});

it('a RESP3 attribute ends redis-cli', async () => {
  await expectSameScreens([line('HELLO 3'), { keys: 'DEBUG PROTOCOL attrib\r', exits: true }]);
});
