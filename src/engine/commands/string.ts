// string commands.
import type { CommandImplementations } from '../server/commandTable.ts';

export const stringCommands: CommandImplementations = {};
