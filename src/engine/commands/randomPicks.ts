// What SRANDMEMBER, HRANDFIELD and ZRANDMEMBER share: the count argument, and the distinct random
// picks for a positive count smaller than the collection. Redis chooses a strategy by how close the
// count is to the size; the strategies are the same for every type, only what is stored per key
// differs.
import { Dict } from '../ds/dict.ts';
import type { Listpack } from '../ds/listpack.ts';
import { parseBigInteger } from '../numbers.ts';
import { isOption } from '../server/args.ts';
import type { Client } from '../server/client.ts';
import type { RedisServer } from '../server/redisServer.ts';
import { SYNTAX_ERR } from '../server/shared.ts';

const LONG_MAX = 9223372036854775807n;

/**
 * getRangeLongFromObjectOrReply(-LONG_MAX, LONG_MAX) with exact 64-bit bounds: the count, negative
 * when repeats are allowed (so LONG_MIN, whose negation does not fit, is refused).
 */
export function getRandomCountOrReply(c: Client, arg: string): bigint | null {
  const v = parseBigInteger(arg);
  if (v === null) { c.reply.error('value is not an integer or out of range'); return null; }
  if (v < -LONG_MAX) {
    c.reply.error(`value is out of range, value must between ${-LONG_MAX} and ${LONG_MAX}`);
    return null;
  }
  return v;
}

/**
 * HRANDFIELD / ZRANDMEMBER's `key count [WITHVALUES | WITHSCORES]` (`withOption` names the option).
 * Replies the error and returns null when they are wrong.
 */
export function parseRandomPairsArgsOrReply(c: Client, withOption: string): { count: bigint; withPairs: boolean } | null {
  const argv = c.argv;
  const count = getRandomCountOrReply(c, argv[2]);
  if (count === null) return null;
  if (argv.length > 4 || (argv.length === 4 && !isOption(argv[3], withOption))) {
    c.reply.error(SYNTAX_ERR);
    return null;
  }
  const withPairs = argv.length === 4;
  // Pairs double the reply length, which must stay within a long.
  if (withPairs && (count < -LONG_MAX / 2n || count > LONG_MAX / 2n)) {
    c.reply.error('value is out of range');
    return null;
  }
  return { count, withPairs };
}

/**
 * Count close to the size: copy everything into a dict (`fill` adds the entries), then delete
 * fair random entries until `count` remain. Cheaper than drawing when most entries are wanted.
 * The caller replies in the returned dict's order.
 */
export function keepRandomEntries<V>(
  server: RedisServer, size: number, count: number, fill: (into: Dict<V>) => void,
): Dict<V> {
  const picked = new Dict<V>(server.hashSeed);
  picked.expand(size);
  fill(picked);
  for (let left = size; left > count; left--) picked.delete(picked.fairRandomEntry(server.random)!.key);
  return picked;
}

/**
 * Count much smaller than a listpack of key/value pairs (lpRandomPairsUnique): one pass that keeps
 * each pair with probability wanted/left, so exactly `count` come out, in listpack order.
 * `pick` gets the entry index of each picked key (its value follows at index + 1).
 */
export function pickDistinctListpackPairs(server: RedisServer, lp: Listpack, count: number, pick: (keyIndex: number) => void): void {
  const pairs = lp.length / 2;
  let remaining = count;
  for (let index = 0; index < pairs && remaining > 0; index++) {
    if (server.random.next() <= remaining / (pairs - index)) {
      pick(index * 2);
      remaining--;
    }
  }
}

/**
 * Count much smaller than a dict: fair random draws until `count` distinct keys were seen; each
 * goes to `pick` as it is first drawn, so the picks come out in draw order.
 */
export function pickDistinctDictEntries<V>(server: RedisServer, d: Dict<V>, count: number, pick: (key: string, value: V) => void): void {
  const seen = new Dict<null>(server.hashSeed);
  seen.expand(count);
  let added = 0;
  while (added < count) {
    const e = d.fairRandomEntry(server.random)!;
    if (!seen.add(e.key, null)) continue;
    added++;
    pick(e.key, e.value);
  }
}
