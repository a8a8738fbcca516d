// The panels of the panel area, in tab order. A panel is a component taking the engine; its title
// is a message key. Each internals panel adds one entry here. The keyspace overview is part of the
// first paint; the internals panels (and d3) load when their tab is first opened, so the main
// bundle stays small.
import { lazy, type ComponentType } from 'react';
import { KeyspacePanel } from './KeyspacePanel.tsx';
import type { PanelEngine } from './useSnapshot.ts';

const EncodingPanel = lazy(() => import('./EncodingPanel.tsx').then((m) => ({ default: m.EncodingPanel })));
const SkiplistPanel = lazy(() => import('./SkiplistPanel.tsx').then((m) => ({ default: m.SkiplistPanel })));
const ExpiryPanel = lazy(() => import('./ExpiryPanel.tsx').then((m) => ({ default: m.ExpiryPanel })));
const DictPanel = lazy(() => import('./DictPanel.tsx').then((m) => ({ default: m.DictPanel })));
const EventLoopPanel = lazy(() => import('./EventLoopPanel.tsx').then((m) => ({ default: m.EventLoopPanel })));

export interface PanelEntry {
  id: string;
  /** i18n key of the tab's title. */
  title: string;
  component: ComponentType<{ engine: PanelEngine }>;
}

export const PANELS: PanelEntry[] = [
  { id: 'keyspace', title: 'panels.tabs.keyspace', component: KeyspacePanel },
  { id: 'encoding', title: 'encoding.tab', component: EncodingPanel },
  { id: 'skiplist', title: 'skiplist.tab', component: SkiplistPanel },
  { id: 'expiry', title: 'expiry.tab', component: ExpiryPanel },
  { id: 'dict', title: 'dict.tab', component: DictPanel },
  { id: 'eventloop', title: 'eventloop.tab', component: EventLoopPanel },
];
