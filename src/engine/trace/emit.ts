// Building trace events at the places in the server that emit them (redisServer.ts), so those
// places stay one line each. Only called while a sink listens.
import type { Client } from '../server/client.ts';
import type { Command } from '../server/commandTable.ts';
import { getKeysFromCommand } from '../server/keySpecs.ts';
import type { NotifyClass } from '../server/notify.ts';
import { TRACED_KEYS, type CommandTraceEvent, type KeyspaceTraceEvent, type NetTraceEvent } from './events.ts';

export function keyspaceEvent(at: number, type: NotifyClass, event: string, key: string, db: number): KeyspaceTraceEvent {
  return { kind: 'keyspace', at, type, event, key, db };
}

/** The event for a command call() has just run. */
export function commandEvent(
  at: number, c: Client, cmd: Command, argv: readonly string[], db: number, durationUs: number, failed: boolean, nested: boolean,
  startUs: number, endUs: number,
): CommandTraceEvent {
  const refs = getKeysFromCommand(cmd, argv);
  const keys: string[] = [];
  for (let i = 0; i < refs.length && keys.length < TRACED_KEYS; i++) keys.push(argv[refs[i].pos]);
  return {
    kind: 'command', at, client: c.id, name: cmd.fullName, db, keys, keyCount: refs.length, durationUs,
    arrivalUs: Math.min(startUs, Math.floor(c.readAt * 1000)), startUs, endUs, failed,
    blocked: c.blocked !== null, nested,
  };
}

export function netEvent(
  at: number, phase: NetTraceEvent['phase'], dir: NetTraceEvent['dir'], client: number, bytes: number | null, sentAt: number, arriveAt: number,
): NetTraceEvent {
  return { kind: 'net', at, phase, dir, client, bytes, sentAt, arriveAt };
}
