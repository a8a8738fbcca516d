// Driving the app's terminals from Playwright: keys go through the real keyboard into xterm, and
// the text is read back from xterm's buffer through the app's window hook (window.rediscope).
import { expect, type Locator, type Page } from '@playwright/test';

/** What the page's hook gives (see src/ui/testHook.ts); typed here for page.evaluate callbacks. */
interface Hook {
  terminals: Record<string, {
    lines(): string[]; cursor(): { row: number; col: number }; cols(): number; busy(): boolean;
    prompt(): string | null; paste(text: string): void;
  }>;
  engine: { call(argv: string[]): Promise<string>; status(): { state: string; restarts: number }; crash(): void } | null;
}
/** The hook, inside page.evaluate callbacks (they run in the page: nothing outside them is in scope). */
type G = { rediscope: Hook };

/** A prompt at the end of a line (after Ctrl-C it follows the echoed "^C"). */
export const PROMPT = /(127\.0\.0\.1:\d+(\[\d+\])?(\(TX\))?|not connected)> $/;

export class TerminalDriver {
  constructor(readonly page: Page, readonly name: string) {}

  get card(): Locator {
    return this.page.locator(`[data-terminal="${this.name}"]`);
  }

  /** The rows xterm draws on screen (what the user sees), as text. */
  get rows(): Locator {
    return this.card.locator('.xterm-rows');
  }

  async lines(): Promise<string[]> {
    return this.page.evaluate((name) => (globalThis as unknown as Partial<G>).rediscope?.terminals[name]?.lines() ?? [], this.name);
  }

  async text(): Promise<string> {
    return (await this.lines()).join('\n');
  }

  /** The last line without trailing spaces (a hint may leave one). */
  async lastLine(): Promise<string> {
    return ((await this.lines()).at(-1) ?? '').trimEnd();
  }

  async busy(): Promise<boolean> {
    return this.page.evaluate((name) => (globalThis as unknown as Partial<G>).rediscope?.terminals[name]?.busy() ?? true, this.name);
  }

  async cols(): Promise<number> {
    return this.page.evaluate((name) => (globalThis as unknown as G).rediscope.terminals[name].cols(), this.name);
  }

  async paste(text: string): Promise<void> {
    await this.page.evaluate(([name, t]) => (globalThis as unknown as G).rediscope.terminals[name].paste(t), [this.name, text] as const);
  }

  /** Waits until redis-cli is at its prompt with nothing running (`timeout`: how long to wait at most). */
  async idle(timeout = 5000): Promise<void> {
    await expect.poll(async () => {
      const lines = await this.lines();
      return !(await this.busy()) && PROMPT.test(lines[lines.length - 1] ?? '');
    }, { timeout }).toBe(true);
  }

  async focus(): Promise<void> {
    await this.card.locator('textarea').focus();
  }

  /** Types keys (Playwright key names in braces are not used: plain text only). */
  async type(text: string): Promise<void> {
    await this.focus();
    await this.page.keyboard.type(text);
  }

  async press(key: string): Promise<void> {
    await this.focus();
    await this.page.keyboard.press(key);
  }

  /** Types a line, presses Enter, and waits for the next prompt. */
  async run(line: string): Promise<void> {
    await this.type(line);
    await this.page.keyboard.press('Enter');
    await this.idle();
  }

  /** The output since the last time `line` was typed at a prompt. */
  async outputOf(line: string): Promise<string[]> {
    const lines = await this.lines();
    let i = lines.length - 1;
    while (i >= 0 && !lines[i].endsWith('> ' + line)) i--;
    return lines.slice(i + 1, -1);
  }

  /** Runs a command and returns the integer it printed, e.g. "(integer) 56". */
  async integerOf(line: string): Promise<number> {
    await this.run(line);
    const out = await this.outputOf(line);
    const m = /^\(integer\) (-?\d+)$/.exec(out[0] ?? '');
    if (!m) throw new Error(`${line} printed ${JSON.stringify(out)}`);
    return Number(m[1]);
  }
}

/**
 * Opens the app and waits for client 1's prompt. Each test has a fresh browser context, so no
 * saved terminals or history from another test.
 */
export async function openApp(page: Page): Promise<TerminalDriver> {
  await page.goto('/');
  const t = new TerminalDriver(page, 'client 1');
  await t.idle();
  return t;
}

/** Adds a client and returns its driver, once its prompt shows. */
export async function addClient(page: Page, name: string): Promise<TerminalDriver> {
  await page.getByRole('button', { name: 'Add client' }).click();
  const t = new TerminalDriver(page, name);
  await t.idle();
  return t;
}

export async function engineCall(page: Page, argv: string[]): Promise<string> {
  return page.evaluate((args) => (globalThis as unknown as G).rediscope.engine!.call(args), argv);
}

export async function crashEngine(page: Page): Promise<void> {
  await page.evaluate(() => (globalThis as unknown as G).rediscope.engine!.crash());
}
