// hash commands.
import type { CommandImplementations } from '../server/commandTable.ts';

export const hashCommands: CommandImplementations = {};
