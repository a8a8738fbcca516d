// The page header: the name, the engine's status, and the controls for the whole app.
import { DisplayControls } from './DisplayControls.tsx';
import { useDisplaySettings } from './displaySettings.ts';
import { EngineStatusLine } from './EngineStatusLine.tsx';
import { ShortcutsButton, ShortcutsDialog } from './ShortcutsDialog.tsx';
import type { EngineWorker } from '../engine/engineConnection.ts';
import { WorldMenu } from './WorldMenu.tsx';

export function Header({ engine }: { engine: EngineWorker }) {
  useDisplaySettings();
  return (
    <header className="app-header">
      <h1>Rediscope</h1>
      <EngineStatusLine />
      <div className="header-controls">
        <WorldMenu engine={engine} />
        <DisplayControls />
        <ShortcutsButton />
      </div>
      <ShortcutsDialog />
    </header>
  );
}
