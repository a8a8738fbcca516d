// What redis-cli's repl() makes of a typed line before anything is sent: sdssplitargs into
// arguments, an optional leading repeat count ("3 INCR n"), and whether the line may be kept in
// the history (isSensitiveCommand).
import { splitArgs } from '../../engine/resp/splitArgs.ts';

export type ParsedLine =
  /** Nothing but blanks: redis-cli does nothing, not even keep it in the history. */
  | { kind: 'blank' }
  /** Unbalanced quotes: redis-cli prints "Invalid argument(s)" (and keeps the line in the history). */
  | { kind: 'invalid' }
  /** A repeat count of 0, negative or out of range: "Invalid redis-cli repeat command option value." */
  | { kind: 'badRepeat' }
  /**
   * `argv` is every argument, repeat count included (redis-cli's own commands such as quit,
   * clear and connect look at these); `command` the ones after it, sent `repeat` times.
   */
  | { kind: 'command'; argv: string[]; command: string[]; repeat: number };

const LONG_MAX = 2n ** 63n - 1n;
const LONG_MIN = -(2n ** 63n);

function isCSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r';
}

/** What C sees of a byte string: up to its first zero byte. */
function cString(s: string): string {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

/**
 * strtol(s, &end, 10): the value (clamped to a 64-bit long, `overflow` set as ERANGE would be) and
 * whether the number runs to the end of the string (`*end == '\0'`).
 */
export function strtol(s: string): { value: bigint; toEnd: boolean; overflow: boolean } {
  const c = cString(s);
  let i = 0;
  while (i < c.length && isCSpace(c[i])) i++;
  let negative = false;
  if (c[i] === '+' || c[i] === '-') { negative = c[i] === '-'; i++; }
  const start = i;
  while (i < c.length && c[i] >= '0' && c[i] <= '9') i++;
  // No digits: nothing is converted and the end pointer stays at the very start.
  if (i === start) return { value: 0n, toEnd: c.length === 0, overflow: false };
  let value = BigInt(c.slice(start, i));
  if (negative) value = -value;
  const overflow = value > LONG_MAX || value < LONG_MIN;
  if (value > LONG_MAX) value = LONG_MAX;
  if (value < LONG_MIN) value = LONG_MIN;
  return { value, toEnd: i === c.length, overflow };
}

/** atoi(s): strtol's value cut to a 32-bit int, as glibc's atoi returns it. */
export function atoi(s: string): number {
  return Number(BigInt.asIntN(32, strtol(s).value));
}

/** repl(): splits the line and takes a leading repeat count off it. `line` is a byte string. */
export function parseLine(line: string): ParsedLine {
  const argv = splitArgs(line);
  if (argv === null) return { kind: 'invalid' };
  if (argv.length === 0) return { kind: 'blank' };
  const count = strtol(argv[0]);
  if (argv.length > 1 && count.toEnd) {
    if (count.overflow || count.value <= 0n) return { kind: 'badRepeat' };
    return { kind: 'command', argv, command: argv.slice(1), repeat: Number(count.value) };
  }
  return { kind: 'command', argv, command: argv, repeat: 1 };
}

function is(arg: string | undefined, name: string): boolean {
  return arg !== undefined && arg.toLowerCase() === name;
}

/**
 * isSensitiveCommand: lines redis-cli keeps out of its history because they carry a password —
 * AUTH, ACL SETUSER, CONFIG SET masterauth/masteruser/requirepass, HELLO ... AUTH, MIGRATE ...
 * AUTH/AUTH2.
 */
export function isSensitiveCommand(argv: readonly string[]): boolean {
  const argc = argv.length;
  if (is(argv[0], 'auth')) return true;
  if (argc > 1 && is(argv[0], 'acl') && is(argv[1], 'setuser')) return true;
  if (argc > 2 && is(argv[0], 'config') && is(argv[1], 'set') &&
    (is(argv[2], 'masterauth') || is(argv[2], 'masteruser') || is(argv[2], 'requirepass'))) return true;
  if (argc > 4 && is(argv[0], 'hello')) {
    // HELLO protover [AUTH username password] [SETNAME clientname], options in any order.
    for (let j = 2; j < argc; j++) {
      const more = argc - 1 - j;
      if (is(argv[j], 'auth') && more >= 2) return true;
      if (is(argv[j], 'setname') && more > 0) j++;
      else return false;
    }
    return false;
  }
  if (argc > 7 && is(argv[0], 'migrate')) {
    // MIGRATE host port key|"" db timeout [COPY] [REPLACE] [AUTH pw] [AUTH2 user pw] [KEYS key ...]
    for (let j = 6; j < argc; j++) {
      const more = argc - 1 - j;
      if (is(argv[j], 'auth') && more > 0) return true;
      if (is(argv[j], 'auth2') && more >= 2) return true;
      if (is(argv[j], 'keys') && more > 0) return false;
    }
  }
  return false;
}
