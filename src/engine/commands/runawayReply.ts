// SRANDMEMBER / HRANDFIELD with a huge negative count would write an unbounded reply. Redis stops
// such loops once the client is flagged CLIENT_CLOSE_ASAP (output buffer limit); a real server
// with default limits instead grows until it is killed. The engine must survive, so past this many
// pending bytes the reply is cut short and the client is dropped after what was written.
import type { Client } from '../server/client.ts';

export const RUNAWAY_REPLY_BYTES = 64 * 1024 * 1024;

/** True (and the client marked to close) once the pending reply passed the limit. */
export function replyRunaway(c: Client): boolean {
  if (c.reply.out.length <= RUNAWAY_REPLY_BYTES) return false;
  c.closeAfterReply = true;
  return true;
}
