// The page: the header, the terminals, the panel area and the lesson sidebar.
import { useEffect } from 'react';
import { binaryToUtf8 } from '../engine/bytes.ts';
import type { EngineWorker } from './engine/engineConnection.ts';
import { startLessonRunner } from './lessons/lessonRunner.ts';
import { AuthoringHost } from './lessons/authoring/AuthoringHost.tsx';
import { LessonSidebar } from './lessons/LessonSidebar.tsx';
import { PanelArea } from './panels/PanelArea.tsx';
import { UpdatePrompt } from './pwa/UpdatePrompt.tsx';
import { EngineNotice } from './shell/EngineNotice.tsx';
import { Header } from './shell/Header.tsx';
import { trackEngine } from './state/engine.ts';
import { useTerminals } from './state/terminals.ts';
import { formatReply } from './terminal/formatReply.ts';
import { TerminalArea } from './terminal/TerminalArea.tsx';
import { TimeBar } from './time/TimeBar.tsx';
import { hook } from './testHook.ts';

export function App({ engine }: { engine: EngineWorker }) {
  useEffect(() => trackEngine(engine), [engine]);
  useEffect(() => startLessonRunner(engine), [engine]);
  useEffect(() => {
    hook().engine = {
      call: async (argv) => binaryToUtf8(formatReply(await engine.call(argv), 'standard')),
      status: () => engine.status,
      crash: () => engine.crash(),
    };
  }, [engine]);

  // Several clients want the whole width side by side (at projector size the sidebar moves below).
  const severalClients = useTerminals((s) => s.terminals.length > 1);

  return (
    <div className="app">
      <Header engine={engine} />
      <TimeBar engine={engine} />
      <EngineNotice />
      <div className="workspace" data-several-clients={severalClients}>
        <main className="main">
          <TerminalArea engine={engine} />
          <PanelArea engine={engine} />
        </main>
        <LessonSidebar />
      </div>
      <UpdatePrompt />
      <AuthoringHost />
    </div>
  );
}
