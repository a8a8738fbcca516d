// Runs the real redis-cli interactively in a pseudo-terminal (through ptyDrive.py) and returns what
// it wrote to the terminal after each step.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const DRIVER = fileURLToPath(new URL('./ptyDrive.py', import.meta.url));

export interface PtyStep {
  /** A program to run to completion first (e.g. a redis-cli PUBLISH). */
  run?: string[];
  /** What to type: a byte string. */
  send?: string;
  /** A Python regex that the output of this step ends the step when it matches. */
  until?: string;
  /** The step ends when the program exits. */
  eof?: boolean;
  timeout?: number;
}

export interface PtyResult {
  /** The output of each step, as byte strings. */
  steps: string[];
  error: string | null;
}

export function runInPty(argv: string[], steps: PtyStep[], size = { rows: 200, cols: 200 }): Promise<PtyResult> {
  const spec = {
    argv,
    rows: size.rows,
    cols: size.cols,
    // No history file or rc file of the machine's user; a terminal linenoise fully supports.
    env: { REDISCLI_HISTFILE: '/dev/null', REDISCLI_RCFILE: '/dev/null', TERM: 'xterm' },
    steps,
  };
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [DRIVER]);
    let out = '', err = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { out += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { err += d; });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`ptyDrive.py failed (${code}): ${err}`));
      else resolve(JSON.parse(out) as PtyResult);
    });
    child.stdin.end(JSON.stringify(spec));
  });
}

/** The regex (Python syntax) matching a string literally at the end of the output. */
export function endsWith(s: string): string {
  return s.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&').replace(/[\x00-\x1f\x7f-\xff]/g,
    (c) => '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0')) + '$';
}

/** The output of a finished command: its text, then a fresh prompt at the start of a line. */
export const PROMPT_AFTER_OUTPUT = '(\\r\\n|\\x1b\\[2J)[^\\r\\n\\x1b]*> $';
