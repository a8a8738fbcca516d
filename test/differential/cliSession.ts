// Runs the real redis-cli against real Redis and against server mode with the same session: what a
// learner sees in a terminal must be identical, line by line.
import { spawn } from 'node:child_process';
import { expect } from 'vitest';
import type { DifferentialPair } from './harness.ts';

/** Async on purpose: the engine's server runs in this process and must keep answering. */
export function runCli(port: number, lines: string[], args: string[] = []): Promise<string> {
  return new Promise((resolve, reject) => {
    const cli = spawn('redis-cli', ['-p', String(port), '--no-raw', ...args]);
    let out = '', err = '';
    cli.stdout.setEncoding('latin1').on('data', (d) => { out += d; });
    cli.stderr.setEncoding('latin1').on('data', (d) => { err += d; });
    cli.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`redis-cli failed: ${err}`))));
    cli.stdin.end(lines.join('\n') + '\n');
  });
}

/** Runs a session on both sides (FLUSHALL first, so each starts clean) and compares the output. */
export async function expectSameSession(pair: DifferentialPair, lines: string[], args: string[] = []): Promise<void> {
  const session = ['FLUSHALL', ...lines];
  const real = await runCli(pair.real.port, session, args);
  const engine = await runCli(pair.engine.port, session, args);
  // Line by line, so a difference points at its command. redis-cli prints how long a command took
  // when it took half a second or more ("(0.51s)"): wall-clock time, so only its presence counts.
  const toLines = (out: string) => out.split('\n').map((l) => l.replace(/^\(\d+\.\d\ds\)$/, '(elapsed)'));
  const realLines = toLines(real), engineLines = toLines(engine);
  for (let i = 0; i < Math.max(realLines.length, engineLines.length); i++) {
    expect(engineLines[i], `line ${i + 1} of the output`).toBe(realLines[i]);
  }
}
