// generic commands.
import type { CommandImplementations } from '../server/commandTable.ts';

export const genericCommands: CommandImplementations = {};
