// list commands.
import type { CommandImplementations } from '../server/commandTable.ts';

export const listCommands: CommandImplementations = {};
