// The page header: the name, the engine's status, and the controls for the whole app.
import { EngineStatusLine } from './EngineStatusLine.tsx';

export function Header() {
  return (
    <header className="app-header">
      <h1>Rediscope</h1>
      <EngineStatusLine />
      <div className="header-controls">
      </div>
    </header>
  );
}
