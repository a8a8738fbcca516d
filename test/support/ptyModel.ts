// Plays a scripted terminal session on both sides of the redis-cli oracle: the real redis-cli in a
// pseudo-terminal, and our CliSession (src/ui/terminal) over a raw socket to a second, identically
// started redis-server. Each side's output goes through the same Screen after every step, so the
// test compares what a user would see, step by step.
import { utf8ToBinary } from '../../src/engine/bytes.ts';
import { ReplyReader } from '../../src/ui/engine/replyReader.ts';
import { CliSession, type SessionEffect, type SessionOptions } from '../../src/ui/terminal/cliSession.ts';
import { PROMPT_AFTER_OUTPUT, endsWith, runInPty, type PtyStep } from './ptyCli.ts';
import { Screen } from './ptyScreen.ts';
import { RespClient, encodeCommand } from './respClient.ts';

export interface OracleStep {
  /** What the user types (text; sent to the real redis-cli as UTF-8). */
  keys: string;
  /** A command another client runs first (e.g. PUBLISH), on each side's server. */
  other?: string[];
  /**
   * When the step is over, as a regex (Python and JavaScript alike) on the step's output. By default
   * a fresh prompt after the output when the keys end with Enter, else the end of the line's redraw.
   */
  until?: string;
  /** The step ends with redis-cli exiting. */
  exits?: boolean;
}

export interface StepScreens {
  keys: string;
  real: string[];
  model: string[];
  realCursor: { row: number; col: number };
  modelCursor: { row: number; col: number };
}

const STEP_TIMEOUT_MS = 5000;

/** Our side: the session's output per step (byte strings, each "\n" turned into "\r\n"). */
async function runModel(port: number, displayPort: number, steps: OracleStep[], options: SessionOptions, cols: number): Promise<string[]> {
  let client = await RespClient.connect(port);
  let reader = new ReplyReader();
  const session = new CliSession({ port: displayPort, cols, ...options });
  const outputs: string[] = [];
  let current = '';
  let exited = false;
  let closedTold = false;

  const apply = async (effects: SessionEffect[]): Promise<void> => {
    for (const e of effects) {
      switch (e.type) {
        // As the tty does for redis-cli (and xterm's convertEol for our terminal).
        case 'write': current += e.text.replace(/\n/g, '\r\n'); break;
        case 'send': client.sendRaw(encodeCommand(e.argv.map((a) => Buffer.from(a, 'latin1')))); break;
        case 'connect': {
          // The real redis-cli's server stands for ours; any other address is tried for real.
          client.close();
          reader = new ReplyReader();
          let error: string | null = null;
          try {
            client = await RespClient.connect(e.port === displayPort ? port : e.port, e.host);
            closedTold = false;
          } catch (err) {
            error = (err as NodeJS.ErrnoException).code === 'ECONNREFUSED' ? 'Connection refused' : String(err);
          }
          await apply(session.connectResult(error));
          break;
        }
        case 'exit': exited = true; break;
        case 'history': break;
      }
    }
  };

  /** Feeds replies until `done` holds. */
  const pump = async (done: () => boolean): Promise<void> => {
    const deadline = Date.now() + STEP_TIMEOUT_MS;
    while (!done()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`our session did not finish the step; output so far ${JSON.stringify(current)}`);
      let bytes: Buffer | null;
      try {
        bytes = await Promise.race([
          client.next(),
          new Promise<null>((resolve) => setTimeout(() => resolve(null), left)),
        ]);
      } catch {
        // The server closed the connection (or it was never open): tell the session once.
        if (!closedTold) { closedTold = true; await apply(session.connectionClosed()); }
        else await new Promise((resolve) => setTimeout(resolve, 5));
        continue;
      }
      if (!bytes) continue;
      reader.feed(bytes);
      for (let r = reader.next(); r; r = reader.next()) await apply(session.receive(r));
    }
  };

  const stepDone = (until: RegExp | null) => () => exited || (until ? until.test(current) : !session.busy);

  await apply(session.start());
  await pump(() => exited || !session.busy);
  outputs.push(current);
  for (const step of steps) {
    current = '';
    if (step.other) {
      const other = await RespClient.connect(port);
      await other.call(...step.other);
      other.close();
    }
    await apply(session.input(step.keys));
    const until = step.until ? new RegExp(step.until, 's') : null;
    await pump(stepDone(until));
    outputs.push(current);
  }
  client.close();
  return outputs;
}

/** The Python regex that ends a pty step. */
function ptyUntil(step: OracleStep, modelOutput: string): string | undefined {
  if (step.exits) return undefined;
  if (step.until) return step.until;
  if (step.keys.endsWith('\r')) return PROMPT_AFTER_OUTPUT;
  // Typing without Enter: linenoise's last redraw ends by putting the cursor back in place, which
  // our model's redraw predicts (if it predicts wrong, the step times out and the screens differ).
  const tail = /\r(\x1b\[\d+C)?$/.exec(modelOutput);
  return tail ? endsWith(tail[0]) : endsWith(modelOutput.slice(-8));
}

/**
 * Runs `steps` on the real redis-cli (`realPort`) and on our model (`modelPort`), returning the
 * screens after each step (the first entry is the start, before any step).
 */
export async function compareSessions(
  realPort: number, modelPort: number, steps: OracleStep[],
  options: { cliArgs?: string[]; session?: SessionOptions; cols?: number } = {},
): Promise<{ screens: StepScreens[]; error: string | null }> {
  const cols = options.cols ?? 200;
  const modelOutputs = await runModel(modelPort, realPort, steps, options.session ?? {}, cols);
  const ptySteps: PtyStep[] = [{ until: '> $' }];
  steps.forEach((step, i) => {
    ptySteps.push({
      run: step.other ? ['redis-cli', '-p', String(realPort), ...step.other] : undefined,
      send: utf8ToBinary(step.keys),
      until: ptyUntil(step, modelOutputs[i + 1]),
      eof: step.exits,
    });
  });
  const real = await runInPty(['redis-cli', '-p', String(realPort), ...(options.cliArgs ?? [])], ptySteps, { rows: 200, cols });
  const realScreen = new Screen(cols), modelScreen = new Screen(cols);
  const screens: StepScreens[] = [];
  for (let i = 0; i < real.steps.length; i++) {
    realScreen.write(real.steps[i]);
    modelScreen.write(modelOutputs[i] ?? '');
    screens.push({
      keys: i === 0 ? '(start)' : steps[i - 1].keys,
      real: realScreen.text(), model: modelScreen.text(),
      realCursor: realScreen.cursor(), modelCursor: modelScreen.cursor(),
    });
  }
  return { screens, error: real.error };
}
