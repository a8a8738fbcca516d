import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { createEngineWorker } from './engine/createEngineWorker.ts';
import { EngineWorker } from './engine/engineConnection.ts';
import './app.css';

// One engine worker for the page: its world outlives any component.
const engine = new EngineWorker({ create: createEngineWorker });

createRoot(document.getElementById('root')!).render(<StrictMode><App engine={engine} /></StrictMode>);
