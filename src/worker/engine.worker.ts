// The Web Worker that owns the engine: one world whose server's clients are the UI's terminals.
// The UI thread never runs engine code, so a long command (DEBUG POPULATE 1000000) cannot freeze
// the page; a DEBUG SLEEP only stops the engine's virtual clock-driven server, not any thread.
import { describe } from './engineHost.ts';
import { versioned, type FromWorker, type ToWorker } from './protocol.ts';
import { startRuntime, type EngineRuntime } from './worldKeeper.ts';
import { indexedDbWorldStore } from './worldStore.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (m: FromWorker, transfer: ArrayBuffer[]) => scope.postMessage(m, { transfer });

// The world saved in IndexedDB is loaded first (worldKeeper.ts), so `host` exists only once it is;
// messages that arrive meanwhile wait in `early`.
let host: EngineRuntime | null = null;
const early: ToWorker[] = [];

/** Anything thrown outside a client's command: the world may be broken, so the UI starts afresh. */
function fatal(e: unknown): void {
  post(versioned({ type: 'error', fatal: true, message: describe(e) }), []);
}

// The world runs on virtual time. Before each message and on a steady tick, the host is told how
// much wall-clock time went by; while the world plays it moves virtual time by that much times the
// chosen speed (time control: engineHost.ts), paused it moves nothing.
// Only whole milliseconds: the engine's time is integer ms as Redis's mstime() is (a fractional
// time breaks SET EX and anything else that does integer arithmetic on it); the fraction of a
// millisecond carries over to the next catch-up (here, and of the scaled time in the host).
let lastTick = performance.now();
function catchUp(): void {
  const elapsed = Math.floor(performance.now() - lastTick);
  lastTick += elapsed;
  host!.advance(elapsed);
}

function receive(msg: ToWorker): void {
  // A requested crash is thrown out of the handler on purpose: the UI sees it as the worker's
  // `error` event, like any bug that escapes.
  if (msg?.type === 'crash') {
    host!.handle(msg);
    return;
  }
  try {
    catchUp();
    host!.handle(msg);
  } catch (e) {
    fatal(e);
  }
}

scope.onmessage = (event: MessageEvent<ToWorker>) => {
  if (host) receive(event.data);
  else early.push(event.data);
};

const loadStarted = performance.now();
startRuntime({
  post,
  store: indexedDbWorldStore,
  clock: {
    now: () => Date.now(),
    monotonic: () => performance.now(),
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  },
  newSeed: () => Date.now() >>> 0,
  onSaved: ({ snapshotMs, writeMs, bytes }) => {
    console.debug(`[rediscope] world saved: ${bytes} RDB bytes; snapshot ${snapshotMs.toFixed(1)} ms, IndexedDB write ${writeMs.toFixed(1)} ms`);
  },
}).then((runtime) => {
  host = runtime;
  console.debug(`[rediscope] world ${runtime.worldStatus.origin} in ${(performance.now() - loadStarted).toFixed(1)} ms`);
  // Virtual time resumes from the loaded world's own clock: the load itself takes none of it.
  lastTick = performance.now();
  setInterval(() => {
    try { catchUp(); } catch (e) { fatal(e); }
  }, 20);
  runtime.announce();
  for (const msg of early.splice(0)) {
    // In order, before any later message. A requested crash must still escape to the UI as the
    // worker's `error` event, not as a rejection of this promise: it is rethrown from a task.
    try { receive(msg); } catch (e) { setTimeout(() => { throw e; }, 0); }
  }
}, fatal);
