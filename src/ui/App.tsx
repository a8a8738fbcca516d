// A minimal console over the worker-hosted engine. The full redis-cli terminal, panels and
// lessons come with their own issues; this page proves the engine runs in the browser.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { splitArgs } from '../engine/resp/splitArgs.ts';
import { EngineConnection, EngineWorker } from './engine/engineConnection.ts';
import { formatReply } from './terminal/formatReply.ts';

interface Line { prompt: string; output: string }

const PROMPT = '127.0.0.1:6379>';

export function App() {
  const connection = useRef<EngineConnection | null>(null);
  const [version, setVersion] = useState<string | null>(null);
  const [lines, setLines] = useState<Line[]>([]);
  const [input, setInput] = useState('');

  useEffect(() => {
    const engine = new EngineWorker();
    connection.current = new EngineConnection(engine, 'main');
    void engine.ready.then(setVersion);
    return () => engine.worker.terminate();
  }, []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const text = input.trim();
    setInput('');
    if (!text || !connection.current) return;
    const args = splitArgs(text);
    if (args === null) {
      setLines((l) => [...l, { prompt: `${PROMPT} ${text}`, output: 'Invalid argument(s)' }]);
      return;
    }
    const reply = await connection.current.call(args);
    setLines((l) => [...l, { prompt: `${PROMPT} ${text}`, output: formatReply(reply) }]);
  }

  return (
    <main className="console">
      <h1>Rediscope</h1>
      <p className="status" data-testid="engine-status">
        {version ? `Engine ready: Redis ${version} compatible, running in a Web Worker` : 'Starting engine…'}
      </p>
      <output className="transcript" data-testid="transcript" aria-live="polite">
        {lines.map((l, i) => (
          <div key={i}><div className="prompt">{l.prompt}</div><pre>{l.output}</pre></div>
        ))}
      </output>
      <form onSubmit={submit}>
        <label htmlFor="command">{PROMPT}</label>
        <input id="command" autoComplete="off" spellCheck={false} value={input}
          onChange={(e) => setInput(e.target.value)} placeholder="PING" autoFocus />
      </form>
    </main>
  );
}
