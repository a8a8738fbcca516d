// zset commands.
import type { CommandImplementations } from '../server/commandTable.ts';

export const zsetCommands: CommandImplementations = {};
