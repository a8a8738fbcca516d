// redis-cli against real Redis and against server mode, for pub/sub: sessions of PUBLISH and PUBSUB
// (which return), and live subscribers (`redis-cli SUBSCRIBE ...` reads until it is killed) that
// must print the same messages the same way.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSameSession } from './cliSession.ts';
import { DifferentialPair, type ClientPair } from './harness.ts';

let pair: DifferentialPair;
beforeAll(async () => { pair = await DifferentialPair.start(); });
afterAll(async () => { await pair?.stop(); });

/** A redis-cli left reading in subscribed mode; `output` grows as it prints. */
class LiveCli {
  output = '';
  private readonly exited: Promise<void>;
  private waiters: (() => void)[] = [];
  private readonly cli: ChildProcessWithoutNullStreams;

  constructor(port: number, args: string[]) {
    this.cli = spawn('redis-cli', ['-p', String(port), ...args]);
    this.cli.stdout.setEncoding('latin1').on('data', (d: string) => {
      this.output += d;
      for (const w of this.waiters.splice(0)) w();
    });
    this.exited = new Promise((resolve) => this.cli.once('exit', () => resolve()));
  }

  /** Resolves once the output contains `text` `times` times. */
  async waitFor(text: string, times = 1): Promise<void> {
    while (this.output.split(text).length - 1 < times) await new Promise<void>((r) => this.waiters.push(r));
  }

  async kill(): Promise<string> {
    this.cli.kill('SIGKILL');
    await this.exited;
    return this.output;
  }
}

/**
 * Starts the same subscribing redis-cli on both sides, waits for its `ready` confirmations, lets
 * `publish` run, waits until both printed `last`, and compares everything they printed.
 */
async function expectSameSubscriber(args: string[], ready: { text: string; times: number }, publish: (p: ClientPair) => Promise<void>,
  last: string): Promise<string> {
  const real = new LiveCli(pair.real.port, args);
  const engine = new LiveCli(pair.engine.port, args);
  try {
    await Promise.all([real.waitFor(ready.text, ready.times), engine.waitFor(ready.text, ready.times)]);
    await publish(pair.main);
    await Promise.all([real.waitFor(last), engine.waitFor(last)]);
  } finally {
    await Promise.all([real.kill(), engine.kill()]);
  }
  const realLines = real.output.split('\n'), engineLines = engine.output.split('\n');
  for (let i = 0; i < Math.max(realLines.length, engineLines.length); i++) {
    expect(engineLines[i], `line ${i + 1} of the output`).toBe(realLines[i]);
  }
  return real.output;
}

describe('redis-cli sessions', () => {
  it('PUBLISH and PUBSUB, with and without subscribers', async () => {
    const sub = await pair.connect();
    await sub.check('SUBSCRIBE', 'news');
    await sub.check('PSUBSCRIBE', 'n*');
    const lines = ['PUBLISH news hello', 'PUBLISH nothing x', 'PUBLISH other x', 'PUBSUB CHANNELS', 'PUBSUB CHANNELS n*',
      'PUBSUB CHANNELS zz*', 'PUBSUB NUMSUB news other', 'PUBSUB NUMSUB', 'PUBSUB NUMPAT', 'PUBSUB HELP', 'PUBSUB SHARDCHANNELS',
      'PUBSUB SHARDNUMSUB a', 'PUBSUB NOPE', 'PUBSUB CHANNELS a b', 'PUBLISH onlyone', 'PUBLISH "with space" "a b"'];
    await expectSameSession(pair, lines);
    await expectSameSession(pair, lines, ['--no-raw']);
    // (A bare UNSUBSCRIBE in RESP3 would leave redis-cli waiting for a reply after the push.)
    await expectSameSession(pair, ['PUBSUB NUMSUB news', 'PUBSUB CHANNELS', 'PUBSUB HELP', 'PUBLISH news x', 'PUBSUB NUMPAT'],
      ['--no-raw', '-3']);
    sub.close();
  });

  it('SUBSCRIBE without a channel is an error that ends subscribed mode at once', async () => {
    await expectSameSession(pair, ['PUBLISH a b', 'SUBSCRIBE', 'PING', 'PSUBSCRIBE', 'PUBSUB NUMSUB a'], ['--no-raw']);
  });
});

describe('redis-cli as a live subscriber', () => {
  for (const mode of [['--no-raw'], [], ['--no-raw', '-3']]) {
    it(`SUBSCRIBE and PSUBSCRIBE print every message (${mode.join(' ') || 'raw'})`, async () => {
      const ready = { text: 'subscribe', times: 2 };
      await expectSameSubscriber([...mode, 'SUBSCRIBE', 'ch1', 'ch2'], ready, async (p) => {
        await p.checkAll([['PUBLISH', 'ch1', 'first'], ['PUBLISH', 'ch2', 'second line\nwith newline'], ['PUBLISH', 'other', 'x'],
          ['PUBLISH', 'ch1', ''], ['PUBLISH', 'ch1', 'the end']]);
      }, 'the end');
      await expectSameSubscriber([...mode, 'PSUBSCRIBE', 'ch*'], { text: 'psubscribe', times: 1 }, async (p) => {
        await p.checkAll([['PUBLISH', 'ch1', 'one'], ['PUBLISH', 'xch', 'no'], ['PUBLISH', 'chan', 'the end']]);
      }, 'the end');
    });
  }

  it('keyspace notifications as redis-cli shows them', async () => {
    await pair.checkAll([['CONFIG', 'SET', 'notify-keyspace-events', 'KEA']]);
    try {
      await expectSameSubscriber(['--no-raw', 'PSUBSCRIBE', '__key*@0__:*'], { text: 'psubscribe', times: 1 }, async (p) => {
        await p.checkAll([['SET', 'k', 'v'], ['EXPIRE', 'k', '100'], ['RENAME', 'k', 'k2'], ['DEL', 'k2'], ['SET', 'done', '1']]);
      }, '"done"');
    } finally {
      await pair.checkAll([['CONFIG', 'SET', 'notify-keyspace-events', '']]);
    }
  });
});
