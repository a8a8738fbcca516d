// redis-cli's own help table, for when the server's COMMAND DOCS cannot be had (NOAUTH, no
// connection). Built from commandFacts.json, which is large, so it loads lazily in its own chunk.
import type { CommandHelp } from './commandHelp.ts';

let table: CommandHelp | null = null;
let loading: Promise<CommandHelp> | null = null;

export function loadStaticHelp(): Promise<CommandHelp> {
  loading ??= import('./staticCommandDocs.ts').then((m) => (table = m.staticCommandHelp()));
  return loading;
}

/** The table if it has loaded, else null. */
export function staticHelpIfLoaded(): CommandHelp | null {
  return table;
}
