// What the lesson runner does to the terminals: paste or run a snippet in the terminal that had the
// focus last (else the first), and type a reference solution's lines into client n visibly, one
// after the other as each command finishes. Lesson client n is the n-th terminal on the page.
import { useTerminals } from '../state/terminals.ts';
import { terminalRegistry, type TerminalControl } from '../terminal/terminalRegistry.ts';

/** The terminal a snippet goes to: the one focused last, else the first. */
function snippetTarget(): TerminalControl | undefined {
  const focused = terminalRegistry.focused();
  if (focused) return terminalRegistry.get(focused);
  const first = useTerminals.getState().terminals[0];
  return first ? terminalRegistry.get(first.id) : undefined;
}

/** Puts the text in the terminal's input as a paste does (a line ending in a newline runs). */
export function pasteIntoTerminal(text: string): void {
  const target = snippetTarget();
  if (!target) return;
  target.paste(text);
  target.focus();
}

/** Runs the commands, one after the other, in the terminal a snippet goes to. */
export function runInTerminal(commands: readonly string[]): void {
  const target = snippetTarget();
  if (!target) return;
  target.paste(commands.map((c) => c + '\n').join(''));
  target.focus();
}

/** Lesson client `n` (1-based): the n-th terminal on the page, if there are that many. */
export function clientTerminal(n: number): TerminalControl | undefined {
  const info = useTerminals.getState().terminals[n - 1];
  return info ? terminalRegistry.get(info.id) : undefined;
}

/** The lesson client number of a terminal (its place on the page), or 0 if it is not there. */
export function clientNumberOf(terminalId: string): number {
  return useTerminals.getState().terminals.findIndex((t) => t.id === terminalId) + 1;
}

/** Adds terminals until there are `n` (at most the page's maximum). */
export function ensureClients(n: number): void {
  const { terminals, add } = useTerminals.getState();
  for (let i = terminals.length; i < n; i++) add();
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits until `ready()` holds, checking every few ms; false if it did not within `timeoutMs`. */
export async function waitFor(ready: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = performance.now() + timeoutMs;
  while (!ready()) {
    if (performance.now() > until) return false;
    await sleep(25);
  }
  return true;
}

function reducedMotion(): boolean {
  const g = globalThis as { matchMedia?: (q: string) => { matches: boolean } };
  return g.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
}

/** How long a solution waits for a command that keeps its terminal busy (BLPOP waiting for another client's push). */
export const BUSY_GRACE_MS = 1500;

/**
 * Types a command line into lesson client `n` where the learner sees it (what was typed there is
 * cleared first), presses Enter and waits for the command to finish: its prompt back, or `ran()`
 * true (its reply arrived: SUBSCRIBE keeps the terminal reading messages), or at most
 * BUSY_GRACE_MS (a blocked command, which another client's command may serve). False if that
 * client has no terminal, or it was busy with something else all along.
 */
export async function typeLine(n: number, line: string, ran: () => boolean = () => false, charDelayMs = 18): Promise<boolean> {
  // A terminal just added (a lesson with more clients) registers once it has started.
  if (!(await waitFor(() => clientTerminal(n) !== undefined, 5000))) return false;
  const term = clientTerminal(n)!;
  if (!(await waitFor(() => !term.busy(), 10_000))) return false;
  term.input('\x15'); // Ctrl-U: the line being edited is cleared
  if (reducedMotion() || charDelayMs <= 0) {
    term.input(line);
  } else {
    for (const ch of line) {
      term.input(ch);
      await sleep(charDelayMs);
    }
  }
  term.input('\r');
  await waitFor(() => !term.busy() || ran(), BUSY_GRACE_MS);
  return true;
}
