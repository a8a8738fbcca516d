// The modelled cost of a command, in microseconds. A deterministic engine cannot time itself, so
// SLOWLOG, LATENCY, INFO commandstats and the event loop panel use this model instead.
// SCAFFOLD: the introspection helper refines this model.

/** Every command costs at least this much. */
export const COMMAND_BASE_US = 1;

/** The modelled duration of a command that did `work` units of work and replied `replyBytes`. */
export function modelledDurationUs(work: number, _replyBytes: number): number {
  return COMMAND_BASE_US + work;
}
