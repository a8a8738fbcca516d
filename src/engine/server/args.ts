// Argument parsing with Redis's error replies (object.c: get*FromObjectOrReply). Each returns null
// after replying with the error, so callers can `if (x === null) return;`.
import { parseBigInteger, parseDouble, parseInteger } from '../numbers.ts';
import type { Client } from './client.ts';
import { NOT_FLOAT, NOT_INTEGER, SYNTAX_ERR } from './shared.ts';

const LONG_MAX = 9223372036854775807;

/** getLongLongFromObjectOrReply (also getLongFromObjectOrReply: long is 64-bit here). */
export function getLongLongOrReply(c: Client, s: string, msg?: string): number | null {
  const v = parseInteger(s);
  if (v === null) c.reply.error(msg ?? NOT_INTEGER);
  return v;
}

/** Like getLongLongOrReply, exact beyond 2^53. */
export function getBigIntOrReply(c: Client, s: string, msg?: string): bigint | null {
  const v = parseBigInteger(s);
  if (v === null) c.reply.error(msg ?? NOT_INTEGER);
  return v;
}

/** getRangeLongFromObjectOrReply */
export function getRangeLongOrReply(c: Client, s: string, min: number, max: number, msg?: string): number | null {
  const v = getLongLongOrReply(c, s, msg);
  if (v === null) return null;
  if (v < min || v > max) {
    c.reply.error(msg ?? `value is out of range, value must between ${min} and ${max}`);
    return null;
  }
  return v;
}

/** getPositiveLongFromObjectOrReply: 0 or more. */
export function getPositiveLongOrReply(c: Client, s: string, msg?: string): number | null {
  return getRangeLongOrReply(c, s, 0, LONG_MAX, msg ?? 'value is out of range, must be positive');
}

/** getIntFromObjectOrReply: a 32-bit int. */
export function getIntOrReply(c: Client, s: string, msg?: string): number | null {
  return getRangeLongOrReply(c, s, -2147483648, 2147483647, msg);
}

/** getDoubleFromObjectOrReply */
export function getDoubleOrReply(c: Client, s: string, msg?: string): number | null {
  const v = parseDouble(s);
  if (v === null) c.reply.error(msg ?? NOT_FLOAT);
  return v;
}

/**
 * Case-insensitive comparison of an argument with an option name (strcasecmp). Like the C call,
 * it stops at a NUL byte: Redis takes "NX\0junk" for NX.
 */
export function isOption(arg: string, name: string): boolean {
  if (arg.length !== name.length) {
    const nul = arg.indexOf('\0');
    if (nul !== name.length) return false;
    arg = arg.slice(0, nul);
  }
  return arg.toLowerCase() === name;
}

/**
 * The arguments LMPOP/BLMPOP and ZMPOP/BZMPOP share, from numkeysIdx on: numkeys key [key ...]
 * <where> [COUNT count]. `parseWhere` reads the family's side (LEFT|RIGHT, MIN|MAX) and replies
 * its error. Replies the error and returns null on bad input, checking in Redis's order.
 */
export function parseMpopArgsOrReply<W>(
  c: Client, numkeysIdx: number, parseWhere: (c: Client, arg: string) => W | null,
): { keys: string[]; where: W; count: number } | null {
  const argv = c.argv;
  const numkeys = getRangeLongOrReply(c, argv[numkeysIdx], 1, LONG_MAX, 'numkeys should be greater than 0');
  if (numkeys === null) return null;
  const whereIdx = numkeysIdx + numkeys + 1;
  if (whereIdx >= argv.length) {
    c.reply.error(SYNTAX_ERR);
    return null;
  }
  const where = parseWhere(c, argv[whereIdx]);
  if (where === null) return null;
  let count = -1;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    const moreargs = argv.length - 1 - j;
    if (count === -1 && isOption(argv[j], 'count') && moreargs) {
      j++;
      const n = getRangeLongOrReply(c, argv[j], 1, LONG_MAX, 'count should be greater than 0');
      if (n === null) return null;
      count = n;
    } else {
      c.reply.error(SYNTAX_ERR);
      return null;
    }
  }
  return { keys: argv.slice(numkeysIdx + 1, whereIdx), where, count: count === -1 ? 1 : count };
}
