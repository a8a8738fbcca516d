// Every implemented command, merged from one module per family (like Redis's t_*.c files).
import type { CommandImplementations } from '../server/commandTable.ts';
import { connectionCommands } from './connection.ts';
import { genericCommands } from './generic.ts';
import { hashCommands } from './hash.ts';
import { listCommands } from './list.ts';
import { serverCommands } from './server.ts';
import { setCommands } from './set.ts';
import { stringCommands } from './string.ts';
import { transactionCommands } from './transactions.ts';
import { zsetCommands } from './zset.ts';

export const allCommands: CommandImplementations = {
  ...connectionCommands,
  ...serverCommands,
  ...genericCommands,
  ...stringCommands,
  ...listCommands,
  ...hashCommands,
  ...setCommands,
  ...zsetCommands,
  ...transactionCommands,
};
