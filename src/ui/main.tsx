import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { createEngineWorker } from './engine/createEngineWorker.ts';
import { EngineWorker } from './engine/engineConnection.ts';
import { initI18n } from './i18n/index.ts';
import './app.css';

initI18n();

// One engine worker for the page: its world outlives any component.
const engine = new EngineWorker({ create: createEngineWorker });

createRoot(document.getElementById('root')!).render(<StrictMode><App engine={engine} /></StrictMode>);
