// set commands.
import type { CommandImplementations } from '../server/commandTable.ts';

export const setCommands: CommandImplementations = {};
