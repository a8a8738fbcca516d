// Snapshot queries: what a panel asks about the engine's state, answered by reading it (never by
// changing it). One union of query kinds and one of results, so the worker protocol carries any
// of them; later panels add their kind here (a skiplist, a dict's tables, an encoding's bytes).
import type { RedisServer } from '../server/redisServer.ts';
import type { World } from '../sim/world.ts';
import { eventLoopSnapshot, type EventLoopQuery, type EventLoopSnapshot } from './eventloop.ts';
import { keyspaceSnapshot, type KeyspaceQuery, type KeyspaceSnapshot } from './keyspace.ts';
import { encodingSnapshot, type EncodingQuery, type EncodingSnapshot } from './encoding.ts';
import { skiplistQuery, type SkiplistQuery, type SkiplistResult } from './skiplist.ts';
import { dictSnapshot, type DictQuery, type DictSnapshot } from './dict.ts';
import { expirySnapshot, type ExpiryQuery, type ExpirySnapshot } from './expiry.ts';
import { lessonFacts, type LessonFacts, type LessonFactsQuery } from './lessonFacts.ts';

export type SnapshotQuery = KeyspaceQuery | ExpiryQuery | DictQuery | SkiplistQuery | EncodingQuery | LessonFactsQuery | EventLoopQuery;

/** The result of each query kind. */
export interface SnapshotResults {
  keyspace: KeyspaceSnapshot;
  encoding: EncodingSnapshot;
  skiplist: SkiplistResult;
  dict: DictSnapshot;
  expiry: ExpirySnapshot;
  'lesson-facts': LessonFacts;
  eventloop: EventLoopSnapshot;
}

/** A query that could not be answered (a bad argument, a key of the wrong type ...). */
export interface SnapshotError {
  kind: 'error';
  message: string;
}

export type SnapshotResult = SnapshotResults[keyof SnapshotResults] | SnapshotError;

/** Answers a query from the server's current state (and its world's, for what the world holds: the network). */
export function runSnapshotQuery(server: RedisServer, query: SnapshotQuery, world?: World): SnapshotResult {
  try {
    switch (query?.kind) {
      case 'keyspace': return keyspaceSnapshot(server, query);
      case 'encoding': return encodingSnapshot(server, query);
      case 'skiplist': return skiplistQuery(server, query);
      case 'dict': return dictSnapshot(server, query);
      case 'expiry': return expirySnapshot(server, query);
      case 'lesson-facts': return lessonFacts(server, query);
      case 'eventloop': return eventLoopSnapshot(server, world);
      default: return { kind: 'error', message: `unknown query kind '${String((query as { kind?: unknown } | null)?.kind)}'` };
    }
  } catch (e) {
    return { kind: 'error', message: e instanceof Error ? e.message : String(e) };
  }
}
