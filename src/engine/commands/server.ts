// server commands.
import type { CommandImplementations } from '../server/commandTable.ts';

export const serverCommands: CommandImplementations = {};
