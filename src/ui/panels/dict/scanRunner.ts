// Runs one SCAN-family command for the dict panel on a connection of its own, in the database the
// panel looks at (SELECT first when it is not db 0), and returns the command's reply.
import { encodeCommand, type ConnectionHandlers, type EngineConnection } from '../../engine/engineConnection.ts';
import { ReplyReader, type Reply } from '../../engine/replyReader.ts';

/** What the runner needs of the engine (EngineWorker has both; a test stand-in may have either). */
export interface ScanCapableEngine {
  connect?(handlers: ConnectionHandlers): EngineConnection;
  call?(argv: readonly string[]): Promise<Reply>;
}

export function canRunScan(engine: object): boolean {
  const e = engine as ScanCapableEngine;
  return typeof e.connect === 'function' || typeof e.call === 'function';
}

/** Runs `argv` in database `db` and resolves with its reply (the SELECT's reply is checked, not returned). */
export async function runInDb(engine: object, db: number, argv: readonly string[]): Promise<Reply> {
  const e = engine as ScanCapableEngine;
  if (typeof e.connect !== 'function') {
    if (db === 0 && typeof e.call === 'function') return e.call(argv);
    throw new Error('no connection to the engine');
  }
  const reader = new ReplyReader();
  const replies: Reply[] = [];
  const wanted = db === 0 ? 1 : 2;
  let settle!: (r: Reply[] | Error) => void;
  const done = new Promise<Reply[] | Error>((r) => { settle = r; });
  const conn = e.connect({
    data: (bytes) => {
      reader.feed(bytes);
      for (let r = reader.next(); r; r = reader.next()) replies.push(r);
      if (replies.length >= wanted) settle(replies);
    },
    closed: () => settle(new Error('Server closed the connection')),
  });
  const error = await conn.ready;
  if (error !== null) throw new Error(error);
  if (db !== 0) conn.send(encodeCommand(['SELECT', String(db)]));
  conn.send(encodeCommand(argv));
  const result = await done;
  conn.close();
  if (result instanceof Error) throw result;
  if (db !== 0 && result[0].kind === 'error') throw new Error(result[0].text);
  return result[wanted - 1];
}
