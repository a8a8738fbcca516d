// Every implemented command, merged from one module per family (like Redis's t_*.c files).
import type { CommandImplementations } from '../server/commandTable.ts';
import { bitopsCommands } from './bitops.ts';
import { clientCommands } from './client.ts';
import { connectionCommands } from './connection.ts';
import { genericCommands } from './generic.ts';
import { hashCommands } from './hash.ts';
import { hyperloglogCommands } from './hyperloglog.ts';
import { introspectionCommands } from './introspection.ts';
import { listCommands } from './list.ts';
import { memoryCommands } from './memory.ts';
import { pubsubCommands } from './pubsub.ts';
import { serverCommands } from './server.ts';
import { setCommands } from './set.ts';
import { sortCommands } from './sort.ts';
import { stringCommands } from './string.ts';
import { transactionCommands } from './transactions.ts';
import { zsetCommands } from './zset.ts';

export const allCommands: CommandImplementations = {
  ...connectionCommands,
  ...serverCommands,
  ...genericCommands,
  ...stringCommands,
  ...bitopsCommands,
  ...listCommands,
  ...hashCommands,
  ...setCommands,
  ...zsetCommands,
  ...sortCommands,
  ...hyperloglogCommands,
  ...transactionCommands,
  ...pubsubCommands,
  ...clientCommands,
  ...introspectionCommands,
  ...memoryCommands,
};
