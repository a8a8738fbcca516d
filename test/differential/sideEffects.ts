// What a command does besides its reply: keyspace events, keyspace hits/misses and the dirty
// counter. Compared command by command with real Redis.
import { expect } from 'vitest';
import { NOTIFY_KEY_MISS, NOTIFY_NEW } from '../../src/engine/server/notify.ts';
import { RespClient } from '../support/respClient.ts';
import { parseResp, texts } from '../support/respValue.ts';
import { describeCommand, type Command, type DifferentialPair } from './harness.ts';

/** keyspace_hits, keyspace_misses and rdb_changes_since_last_save (server.dirty) of one side. */
async function counters(client: RespClient): Promise<number[]> {
  const info = (await client.call('INFO', 'all')).toString('latin1');
  return ['keyspace_hits', 'keyspace_misses', 'rdb_changes_since_last_save'].map((f) => {
    const m = new RegExp(`\r\n${f}:(\\d+)\r\n`).exec(info);
    if (!m) throw new Error(`no ${f} in INFO`);
    return Number(m[1]);
  });
}


export interface SideEffectOptions {
  /** Prefix for failure messages (e.g. the encoding under test). */
  label?: string;
  /** Commands whose replies are random or hash-ordered: run on both, replies not compared. */
  unchecked?: (cmd: Command) => boolean;
  /** A key the test may write to mark the end of a command's events. */
  marker?: string;
}

/**
 * Runs each command on both sides (db 0) and expects the same reply, the same change of keyspace
 * hits, misses and dirty, and the same keyspace events ("KEA") in the same order. Real Redis's
 * events come from a subscriber; the engine's are recorded at the source.
 */
export async function expectSameSideEffects(pair: DifferentialPair, script: Command[], options: SideEffectOptions = {}): Promise<void> {
  const marker = options.marker ?? '__sentinel';
  const label = options.label ? `${options.label}: ` : '';
  const sub = await RespClient.connect(pair.real.port);
  await sub.call('PSUBSCRIBE', '__keyevent@0__:*');
  await pair.main.real.call('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
  const engine = pair.engine.engine;
  const original = engine.notifyKeyspaceEvent;
  let engineEvents: string[] = [];
  engine.notifyKeyspaceEvent = (type, event, key) => {
    // 'new' and 'keymiss' are not part of "KEA".
    if (!(type & (NOTIFY_NEW | NOTIFY_KEY_MISS))) engineEvents.push(`${event} ${key}`);
  };
  /** Real Redis's events up to the marker's own. */
  const realEventsUntilMarker = async (): Promise<string[]> => {
    await pair.main.real.call('SET', marker, 'm');
    const events: string[] = [];
    for (;;) {
      const msg = texts(parseResp(await sub.next()));
      if (msg[3] === marker) return events;
      events.push(`${msg[2].slice('__keyevent@0__:'.length)} ${msg[3]}`);
    }
  };
  try {
    await realEventsUntilMarker(); // what happened before the script
    for (const cmd of script) {
      const what = `${label}${describeCommand(cmd)}`;
      const before = [await counters(pair.main.real), await counters(pair.main.engine)];
      engineEvents = [];
      if (options.unchecked?.(cmd)) await pair.both(...cmd);
      else await pair.check(...cmd);
      const after = [await counters(pair.main.real), await counters(pair.main.engine)];
      const delta = (i: number) => after[i].map((v, k) => v - before[i][k]);
      expect(delta(1), `hits/misses/dirty after ${what}`).toEqual(delta(0));
      expect(engineEvents, `events of ${what}`).toEqual(await realEventsUntilMarker());
    }
  } finally {
    engine.notifyKeyspaceEvent = original;
    sub.close();
    await pair.main.real.call('CONFIG', 'SET', 'notify-keyspace-events', '');
  }
}
