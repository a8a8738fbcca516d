// The page: a header with the engine's status, the terminals, and the regions later issues fill
// (the panel area and the lesson sidebar).
import { useEffect, useState } from 'react';
import { binaryToUtf8 } from '../engine/bytes.ts';
import type { EngineFailure, EngineWorker } from './engine/engineConnection.ts';
import { formatReply } from './terminal/formatReply.ts';
import { trackEngine, useEngineStatus } from './state/engine.ts';
import { TerminalArea } from './terminal/TerminalArea.tsx';
import { hook } from './testHook.ts';

function EngineStatusLine() {
  const { state, redisVersion } = useEngineStatus();
  const text = state === 'ready' ? `Redis ${redisVersion} compatible engine, running in a Web Worker`
    : state === 'busy' ? `Redis ${redisVersion} engine busy with a long command…`
    : state === 'starting' ? 'Starting the engine…'
    : state === 'restarting' ? 'Restarting the engine…'
    : 'The engine could not be started.';
  return <p className="status" data-testid="engine-status" data-state={state} role="status">{text}</p>;
}

const FAILURE_TEXT: Record<EngineFailure['kind'], string> = {
  'restarted': 'The engine stopped, and a fresh one was started with an empty world: the data of the old one is lost, and every client was disconnected (the next command reconnects). Restoring the last saved world after a failure will come with saving to IndexedDB.',
  'gave-up': 'The engine stopped and could not be started again. Reload the page to try again.',
  'connection-dropped': 'The engine hit an internal error on a command and dropped that client\'s connection (the next command reconnects).',
};

/** Says so when the engine failed, what was done about it, and what was lost. */
function EngineNotice() {
  const failure = useEngineStatus((s) => s.lastFailure);
  const [dismissed, setDismissed] = useState(0);
  if (!failure || failure.seq <= dismissed) return null;
  return (
    <div className="notice" role="alert" data-testid="engine-notice">
      <p>{FAILURE_TEXT[failure.kind]}</p>
      <details><summary>Details</summary><pre>{failure.message}</pre></details>
      <button type="button" onClick={() => setDismissed(failure.seq)}>Dismiss</button>
    </div>
  );
}

export function App({ engine }: { engine: EngineWorker }) {
  useEffect(() => trackEngine(engine), [engine]);
  useEffect(() => {
    hook().engine = {
      call: async (argv) => binaryToUtf8(formatReply(await engine.call(argv), 'standard')),
      status: () => engine.status,
      crash: () => engine.crash(),
    };
  }, [engine]);

  return (
    <div className="app">
      <header className="app-header">
        <h1>Rediscope</h1>
        <EngineStatusLine />
      </header>
      <EngineNotice />
      <div className="workspace">
        <main className="main">
          <TerminalArea engine={engine} />
          <section className="panels placeholder" aria-label="Panels">
            <h2>Panels</h2>
            <p>The keyspace overview and other live views of the server will appear here.</p>
          </section>
        </main>
        <aside className="lessons placeholder" aria-label="Lessons">
          <h2>Lessons</h2>
          <p>Guided lessons will appear here.</p>
        </aside>
      </div>
    </div>
  );
}
