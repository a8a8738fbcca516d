// The "done when": a session typed into the browser terminal produces the same text as the
// same keystrokes typed into the real redis-cli 7.0.15 against a real redis-server 7.0.15. The
// real side runs here on the Node side of the test, in a pseudo-terminal as wide as the browser's
// terminal (test/support/ptyCli.ts); its output goes through the oracle's terminal screen
// (test/support/ptyScreen.ts), whose bytes are then read as UTF-8 as a terminal would. The browser
// side is read from xterm's buffer. Normalized: the port in the real prompt (the real server cannot
// listen on 6379 here), and, until the engine numbers clients as Redis does, HELLO's client id (see
// CLIENT_ID).
import { spawn, type ChildProcess } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { binaryToUtf8, utf8ToBinary } from '../src/engine/bytes.ts';
import { freePort } from '../test/support/realRedis.ts';
import { endsWith, PROMPT_AFTER_OUTPUT, runInPty, type PtyStep } from '../test/support/ptyCli.ts';
import { Screen } from '../test/support/ptyScreen.ts';
import { engineCall, openApp, type TerminalDriver } from './support/terminal.ts';

interface Step {
  /** A line typed and run, or keys typed (`keys`) that end the step when `until` shows. */
  line?: string;
  keys?: string;
  /** The end of the step, as a regex on the terminal's text (browser) and output (real). */
  until?: { browser: RegExp; real: string };
  /** A command another client runs before the keys are typed. */
  other?: string[];
}

const line = (text: string): Step => ({ line: text });

// Every reply type of RESP2 and RESP3 that redis-cli prints, prompts, quoting and repeats.
const SESSION: Step[] = [
  // Status, bulk, nil, integer, error; escapes in quoted strings; UTF-8 bytes.
  line('SET greeting "hello world"'), line('GET greeting'), line('GET nosuch'), line('INCR counter'),
  line('INCRBYFLOAT f 1.5'), line('SET bin "\\xff\\x00\\n\\"q\\\\ \\t\\a\\b\\r"'), line('GET bin'),
  line('SET utf8 "héllo"'), line('GET utf8'), line('NOSUCHCMD a b'), line('GET'), line('SET "unbalanced'),
  // Arrays: flat, empty, nested; repeats.
  line('RPUSH list a b c d e f g h i j k'), line('LRANGE list 0 -1'), line('LRANGE empty 0 -1'),
  line('HSET h f1 v1 f2 v2'), line('HGETALL h'), line('ZADD z 1 a 2.5 b'), line('ZRANGE z 0 -1 WITHSCORES'),
  line('SCAN 0 MATCH nomatch'), line('COMMAND INFO get'), line('CONFIG GET maxmemory'), line('3 INCR counter'),
  // Transactions and the prompt: (TX), [n], a failed transaction.
  line('MULTI'), line('SELECT 2'), line('SET a 1'), line('EXEC'), line('MULTI'), line('NOSUCH'),
  line('EXEC'), line('SELECT 0'), line('SELECT 99'),
  // RESP3: maps, sets, doubles, booleans, verbatim strings, nulls, pushes.
  line('HELLO 3'), line('HGETALL h'), line('HGETALL nosuch'), line('SMEMBERS nosuch'), line('SADD s 1 2 3'),
  line('SMEMBERS s'), line('ZSCORE z b'), line('ZRANGE z 0 -1 WITHSCORES'), line('CONFIG GET maxmemory'),
  line('DEBUG PROTOCOL true'), line('DEBUG PROTOCOL false'), line('DEBUG PROTOCOL verbatim'),
  line('DEBUG PROTOCOL push'), line('DEBUG PROTOCOL map'), line('DEBUG PROTOCOL set'),
  line('DEBUG PROTOCOL double'), line('DEBUG PROTOCOL null'), line('DEBUG PROTOCOL array'),
  // Client-side caching: an invalidation push arrives while the next command runs.
  line('CLIENT TRACKING on'), line('GET greeting'), { line: 'PING', other: ['SET', 'greeting', 'changed'] },
  line('RESET'),
  // Subscribed mode streams messages until Ctrl-C, which reconnects in the database typed last.
  line('SELECT 3'),
  { keys: 'SUBSCRIBE news\r', until: { browser: /3\) \(integer\) 1$/, real: '\\(integer\\) 1\\r\\n$' } },
  { keys: '', other: ['PUBLISH', 'news', 'hello'], until: { browser: /3\) "hello"$/, real: '"hello"\\r\\n$' } },
  { keys: '\x03', until: { browser: /> $/, real: '> $' } },
  line('PING'), line('DBSIZE'),
];

/** A real redis-server, started without any client connecting first (so client ids match ours). */
async function startRedisServer(): Promise<{ port: number; stop(): Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '',
    '--appendonly', 'no', '--daemonize', 'no', '--logfile', '', '--enable-debug-command', 'yes'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let log = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      log += d;
      if (log.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', () => reject(new Error(`redis-server exited: ${log}`)));
  });
  child.stdout!.resume();
  return { port, stop: async () => { child.kill('SIGKILL'); await exited; } };
}

/**
 * Real Redis 7.0 gives its first connection id 3 (ids 1 and 2 go to its two internal Lua clients);
 * the engine starts at 1. A difference of the engine, not of the terminal: HELLO's "id" line is
 * compared without its number until the engine matches.
 */
const CLIENT_ID = /^(\d+# "id" => \(integer\) )\d+$/;
const withoutClientId = (lines: string[]) => lines.map((l) => l.replace(CLIENT_ID, '$1N'));

async function runInBrowser(t: TerminalDriver, steps: Step[]): Promise<void> {
  for (const step of steps) {
    if (step.other) await engineCall(t.page, step.other);
    if (step.line !== undefined) {
      await t.run(step.line);
      continue;
    }
    await t.focus();
    for (const ch of step.keys!) {
      if (ch === '\r') await t.page.keyboard.press('Enter');
      else if (ch === '\x03') await t.page.keyboard.press('Control+C');
      else await t.page.keyboard.type(ch);
    }
    await expect.poll(async () => (await t.lines()).join('\n')).toMatch(step.until!.browser);
  }
}

async function runReal(port: number, cols: number, steps: Step[]): Promise<string[]> {
  const pty: PtyStep[] = [{ until: '> $' }];
  for (const step of steps) {
    pty.push({
      run: step.other ? ['redis-cli', '-p', String(port), ...step.other] : undefined,
      send: utf8ToBinary(step.line !== undefined ? step.line + '\r' : step.keys!),
      until: step.until?.real ?? PROMPT_AFTER_OUTPUT,
    });
  }
  const result = await runInPty(['redis-cli', '-p', String(port)], pty, { rows: 200, cols });
  expect(result.error).toBeNull();
  const screen = new Screen(cols);
  for (const out of result.steps) screen.write(out);
  // The real prompt shows the real port; ours shows the default port.
  const prompt = new RegExp(endsWith(`127.0.0.1:${port}`).slice(0, -1), 'g');
  return screen.text().map((l) => binaryToUtf8(l).replace(prompt, '127.0.0.1:6379'));
}

test('a session covering every reply type looks the same as in the real redis-cli', async ({ page }) => {
  test.setTimeout(120_000);
  const server = await startRedisServer();
  try {
    const t = await openApp(page);
    const cols = await t.cols();
    await runInBrowser(t, SESSION);
    const browser = await t.lines();
    const real = await runReal(server.port, cols, SESSION);
    expect(withoutClientId(browser)).toEqual(withoutClientId(real));
    expect(browser.length).toBeGreaterThan(150);
  } finally {
    await server.stop();
  }
});
