// Building trace events at the places in the server that emit them (redisServer.ts), so those
// places stay one line each. Only called while a sink listens.
import type { Client } from '../server/client.ts';
import type { Command } from '../server/commandTable.ts';
import { getKeysFromCommand } from '../server/keySpecs.ts';
import type { NotifyClass } from '../server/notify.ts';
import { TRACED_KEYS, type CommandTraceEvent, type KeyspaceTraceEvent } from './events.ts';

export function keyspaceEvent(at: number, type: NotifyClass, event: string, key: string, db: number): KeyspaceTraceEvent {
  return { kind: 'keyspace', at, type, event, key, db };
}

/** The event for a command call() has just run. */
export function commandEvent(
  at: number, c: Client, cmd: Command, argv: readonly string[], db: number, durationUs: number, failed: boolean, nested: boolean,
): CommandTraceEvent {
  const refs = getKeysFromCommand(cmd, argv);
  const keys: string[] = [];
  for (let i = 0; i < refs.length && keys.length < TRACED_KEYS; i++) keys.push(argv[refs[i].pos]);
  return {
    kind: 'command', at, client: c.id, name: cmd.fullName, db, keys, keyCount: refs.length, durationUs, failed,
    blocked: c.blocked !== null, nested,
  };
}
