// The modelled duration of a command, in microseconds. Redis times each command with a clock
// (call() in server.c); a deterministic engine cannot, and the time JavaScript takes says nothing
// about Redis's anyway. SLOWLOG, LATENCY, INFO commandstats and the event loop panel use this model
// instead. docs/cost-model.md explains it; in short:
//
//   duration_ns = COMMAND_BASE_NS                      dispatch, argument parsing, one lookup
//               + work units * WORK_UNIT_NS            elements the command touched
//               + reply bytes * REPLY_BYTE_NS          building the reply
//   duration_us = floor(duration_ns / 1000)            Redis's durations are whole microseconds
//
// A command reports work with server.chargeWork(units) where its cost grows with the data: one unit
// per key or element visited (KEYS, SCAN, range replies, SMEMBERS ...). DEBUG SLEEP reports the
// time it sleeps. The constants are in the range a Redis 7.0 on a current x86 machine measures.

/** Every command costs this much: reading the request, lookup, dispatch, the reply header. */
export const COMMAND_BASE_NS = 1000;
/** One unit of reported work: one key or element visited, compared or copied. */
export const WORK_UNIT_NS = 100;
/** Copying one byte of the reply into the output buffers. */
export const REPLY_BYTE_NS = 0.25;

/** Work units that stand for `us` microseconds (DEBUG SLEEP reports its sleep this way). */
export function microsToWork(us: number): number {
  return (us * 1000) / WORK_UNIT_NS;
}

/** The modelled duration of a command that did `work` units of work and replied `replyBytes`. */
export function modelledDurationUs(work: number, replyBytes: number): number {
  const ns = COMMAND_BASE_NS + work * WORK_UNIT_NS + Math.max(0, replyBytes) * REPLY_BYTE_NS;
  return Math.floor(ns / 1000);
}

/**
 * What a command run inside another (EXEC's queued commands) adds to the outer command's work:
 * its base cost and its own work. Its reply bytes are part of the outer reply, so the outer
 * duration counts them once.
 */
export function nestedCallWork(work: number): number {
  return COMMAND_BASE_NS / WORK_UNIT_NS + work;
}
