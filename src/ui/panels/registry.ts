// The panels of the panel area, in tab order. A panel is a component taking the engine; its title
// is a message key. Each internals panel adds one entry here.
import type { ComponentType } from 'react';
import { KeyspacePanel } from './KeyspacePanel.tsx';
import { SkiplistPanel } from './SkiplistPanel.tsx';
import { ExpiryPanel } from './ExpiryPanel.tsx';
import { DictPanel } from './DictPanel.tsx';
import { EncodingPanel } from './EncodingPanel.tsx';
import type { PanelEngine } from './useSnapshot.ts';

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
];
