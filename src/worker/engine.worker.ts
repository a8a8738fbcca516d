// The Web Worker that owns the engine: one world whose server's clients are the UI's terminals.
// The UI thread never runs engine code, so a long command (DEBUG POPULATE 1000000) cannot freeze
// the page; a DEBUG SLEEP only stops the engine's virtual clock-driven server, not any thread.
import { describe, EngineHost } from './engineHost.ts';
import { versioned, type FromWorker, type ToWorker } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (m: FromWorker, transfer: ArrayBuffer[]) => scope.postMessage(m, { transfer });

const host = new EngineHost(post, { seed: Date.now() >>> 0, startTime: Date.now() });

/** Anything thrown outside a client's command: the world may be broken, so the UI starts afresh. */
function fatal(e: unknown): void {
  post(versioned({ type: 'error', fatal: true, message: describe(e) }), []);
}

// The world runs on virtual time. Until the time controls land, the host plays it at 1x: before
// each message and on a steady tick, virtual time catches up with the wall clock.
let lastTick = performance.now();
function catchUp(): void {
  const now = performance.now();
  const elapsed = now - lastTick;
  lastTick = now;
  host.advance(elapsed);
}

setInterval(() => {
  try { catchUp(); } catch (e) { fatal(e); }
}, 20);

scope.onmessage = (event: MessageEvent<ToWorker>) => {
  // A requested crash is thrown out of the handler on purpose: the UI sees it as the worker's
  // `error` event, like any bug that escapes.
  const msg = event.data;
  if (msg?.type === 'crash') {
    host.handle(msg);
    return;
  }
  try {
    catchUp();
    host.handle(msg);
  } catch (e) {
    fatal(e);
  }
};

host.announce();
