// The clients side by side, each its own connection to the same world, and the button adding one.
import type { EngineConnector } from '../engine/engineConnection.ts';
import { MAX_TERMINALS, useTerminals } from '../state/terminals.ts';
import { TerminalView } from './TerminalView.tsx';

export function TerminalArea({ engine }: { engine: EngineConnector }) {
  const terminals = useTerminals((s) => s.terminals);
  const add = useTerminals((s) => s.add);
  return (
    <section className="terminal-area" aria-label="Terminals">
      <div className="terminal-area-bar">
        <button type="button" onClick={add} disabled={terminals.length >= MAX_TERMINALS}>Add client</button>
        <span className="hint">Each client is its own connection to the same server. Pasting several lines runs each one.</span>
      </div>
      <div className="terminal-grid" data-count={terminals.length}>
        {terminals.map((t) => (
          <TerminalView key={t.id} info={t} engine={engine} removable={terminals.length > 1} />
        ))}
      </div>
    </section>
  );
}
