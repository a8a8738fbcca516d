// Finding the keys of a command line (db.c's getKeysFromCommandWithSpecs): from the key specs of
// Redis 7.0's command table (begin_search index/keyword, find_keys range/keynum) and, for commands
// whose keys the specs cannot describe exactly, Redis's own key-finding rules (getkeys_proc).
// COMMAND GETKEYS / GETKEYSANDFLAGS use it now; ACL key patterns and cluster slots will later.
import type { Command, KeySpec } from './commandTable.ts';

/** A key found in argv: its position and the access flags Redis reports for it. */
export interface KeyReference {
  pos: number;
  flags: readonly string[];
}

const RO_ACCESS = ['RO', 'access'];
const RW_ACCESS_UPDATE = ['RW', 'access', 'update'];
const OW_UPDATE = ['OW', 'update'];
const RW_ACCESS_DELETE = ['RW', 'access', 'delete'];
const NO_FLAGS: readonly string[] = [];

/** atoi: leading spaces, optional sign, digits; anything else ends the number. */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  if (!m) return 0;
  const v = Number(m[1]);
  // C's atoi on out-of-range input is undefined; glibc's strtol saturation, truncated to int.
  if (v > 2147483647) return -1;
  if (v < -2147483648) return 0;
  return v;
}

/** strcasecmp against an ASCII keyword (a C string comparison: it stops at a NUL byte). */
function sameWord(arg: string, word: string): boolean {
  const nul = arg.indexOf('\0');
  const s = nul < 0 ? arg : arg.slice(0, nul);
  return s.length === word.length && s.toLowerCase() === word;
}

/** genericGetKeys: [storeKey] numkeys key [key ...] commands. */
function genericGetKeys(storeKeyOfs: number, keyCountOfs: number, firstKeyOfs: number, argv: readonly string[]): KeyReference[] {
  const num = atoi(argv[keyCountOfs]);
  if (num < 1 || num > argv.length - firstKeyOfs) return [];
  const keys: KeyReference[] = [];
  for (let i = 0; i < num; i++) keys.push({ pos: firstKeyOfs + i, flags: NO_FLAGS });
  if (storeKeyOfs) keys.push({ pos: storeKeyOfs, flags: NO_FLAGS });
  return keys;
}

function sortGetKeys(argv: readonly string[]): KeyReference[] {
  const keys: KeyReference[] = [{ pos: 1, flags: RO_ACCESS }];
  let store: KeyReference | null = null;
  const skip: Record<string, number> = { limit: 2, get: 1, by: 1 };
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i].toLowerCase();
    if (a in skip && sameWord(argv[i], a)) i += skip[a];
    else if (sameWord(argv[i], 'store') && i + 1 < argv.length) store = { pos: i + 1, flags: OW_UPDATE };
  }
  if (store) keys.push(store);
  return keys;
}

function migrateGetKeys(argv: readonly string[]): KeyReference[] {
  let first = 3;
  let num = 1;
  const skip: Record<string, number> = { copy: 0, replace: 0, auth: 1, auth2: 2 };
  if (argv.length > 6) {
    for (let i = 6; i < argv.length; i++) {
      if (sameWord(argv[i], 'keys')) {
        if (argv[3].length > 0) {
          num = 0; // a key and KEYS together: a syntax error MIGRATE reports itself
        } else {
          first = i + 1;
          num = argv.length - first;
        }
        break;
      }
      const a = argv[i].toLowerCase();
      if (a in skip && sameWord(argv[i], a)) i += skip[a];
    }
  }
  const keys: KeyReference[] = [];
  for (let i = 0; i < num; i++) keys.push({ pos: first + i, flags: RW_ACCESS_DELETE });
  return keys;
}

function georadiusGetKeys(argv: readonly string[]): KeyReference[] {
  let stored = -1;
  for (let i = 5; i < argv.length; i++) {
    if ((sameWord(argv[i], 'store') || sameWord(argv[i], 'storedist')) && i + 1 < argv.length) {
      stored = i + 1;
      i++;
    }
  }
  const keys: KeyReference[] = [{ pos: 1, flags: NO_FLAGS }];
  if (stored >= 0) keys.push({ pos: stored, flags: NO_FLAGS });
  return keys;
}

function xreadGetKeys(argv: readonly string[]): KeyReference[] {
  let streamsPos = -1;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (sameWord(a, 'block') || sameWord(a, 'count')) i++;
    else if (sameWord(a, 'group')) i += 2;
    else if (sameWord(a, 'noack')) continue;
    else if (sameWord(a, 'streams')) { streamsPos = i; break; }
    else break;
  }
  const num = streamsPos === -1 ? 0 : argv.length - streamsPos - 1;
  if (streamsPos === -1 || num === 0 || num % 2 !== 0) return [];
  const keys: KeyReference[] = [];
  for (let i = streamsPos + 1; i < argv.length - num / 2; i++) keys.push({ pos: i, flags: NO_FLAGS });
  return keys;
}

function setGetKeys(argv: readonly string[]): KeyReference[] {
  for (let i = 3; i < argv.length; i++) {
    // Exactly three letters g/e/t (a C-string test: "get\0x" counts too).
    const a = argv[i];
    if (a.length >= 3 && a.slice(0, 3).toLowerCase() === 'get' && (a.length === 3 || a.charCodeAt(3) === 0)) {
      return [{ pos: 1, flags: RW_ACCESS_UPDATE }];
    }
  }
  return [{ pos: 1, flags: OW_UPDATE }];
}

function bitfieldGetKeys(argv: readonly string[]): KeyReference[] {
  let readonly = true;
  for (let i = 2; i < argv.length; i++) {
    const remaining = argv.length - i - 1;
    const a = argv[i];
    if (sameWord(a, 'get') && remaining >= 2) i += 2;
    else if ((sameWord(a, 'set') || sameWord(a, 'incrby')) && remaining >= 3) { readonly = false; break; }
    else if (sameWord(a, 'overflow') && remaining >= 1) i += 1;
    else { readonly = false; break; }
  }
  return [{ pos: 1, flags: readonly ? RO_ACCESS : RW_ACCESS_UPDATE }];
}

/** Commands with a getkeys_proc in Redis 7.0 (their `movablekeys` or variable flags need it). */
const GETKEYS_PROCS: Record<string, (argv: readonly string[]) => KeyReference[]> = {
  bitfield: bitfieldGetKeys,
  migrate: migrateGetKeys,
  sort: sortGetKeys,
  sort_ro: () => [{ pos: 1, flags: RO_ACCESS }],
  georadius: georadiusGetKeys,
  georadiusbymember: georadiusGetKeys,
  blmpop: (argv) => genericGetKeys(0, 2, 3, argv),
  bzmpop: (argv) => genericGetKeys(0, 2, 3, argv),
  lmpop: (argv) => genericGetKeys(0, 1, 2, argv),
  zmpop: (argv) => genericGetKeys(0, 1, 2, argv),
  eval: (argv) => genericGetKeys(0, 2, 3, argv),
  evalsha: (argv) => genericGetKeys(0, 2, 3, argv),
  eval_ro: (argv) => genericGetKeys(0, 2, 3, argv),
  evalsha_ro: (argv) => genericGetKeys(0, 2, 3, argv),
  fcall: (argv) => genericGetKeys(0, 2, 3, argv),
  fcall_ro: (argv) => genericGetKeys(0, 2, 3, argv),
  sintercard: (argv) => genericGetKeys(0, 1, 2, argv),
  zdiff: (argv) => genericGetKeys(0, 1, 2, argv),
  zinter: (argv) => genericGetKeys(0, 1, 2, argv),
  zintercard: (argv) => genericGetKeys(0, 1, 2, argv),
  zunion: (argv) => genericGetKeys(0, 1, 2, argv),
  zdiffstore: (argv) => genericGetKeys(1, 2, 3, argv),
  zinterstore: (argv) => genericGetKeys(1, 2, 3, argv),
  zunionstore: (argv) => genericGetKeys(1, 2, 3, argv),
  xread: xreadGetKeys,
  xreadgroup: xreadGetKeys,
  set: setGetKeys,
};

function specNum(spec: Record<string, unknown>, field: string): number {
  return spec[field] as number;
}

/**
 * getKeysUsingKeySpecs: the keys the specs describe, or null when a spec does not apply to this
 * argv (a bad numkeys, positions out of range) or is marked incomplete.
 */
function keysFromSpecs(specs: readonly KeySpec[], argv: readonly string[], arity: number): KeyReference[] | null {
  const argc = argv.length;
  const keys: KeyReference[] = [];
  for (const spec of specs) {
    if (spec.flags.includes('not_key')) continue;
    let first = 0;
    const bs = spec.begin_search;
    if (bs.type === 'index') {
      first = specNum(bs.spec, 'index');
    } else if (bs.type === 'keyword') {
      const keyword = (bs.spec.keyword as string).toLowerCase();
      const startfrom = specNum(bs.spec, 'startfrom');
      const start = startfrom > 0 ? startfrom : argc + startfrom;
      const end = startfrom > 0 ? argc - 1 : 1;
      for (let i = start; i !== end; i = start <= end ? i + 1 : i - 1) {
        if (i >= argc || i < 1) break;
        if (sameWord(argv[i], keyword)) { first = i + 1; break; }
      }
      if (!first) continue; // keyword absent: this spec has no keys here
    } else {
      return null;
    }

    const fk = spec.find_keys;
    let last: number;
    let step: number;
    if (fk.type === 'range') {
      step = specNum(fk.spec, 'keystep');
      const lastkey = specNum(fk.spec, 'lastkey');
      const limit = specNum(fk.spec, 'limit');
      if (lastkey >= 0) last = first + lastkey;
      else if (!limit) last = argc + lastkey;
      else last = first + (Math.trunc((argc - first) / limit) + lastkey);
    } else if (fk.type === 'keynum') {
      step = specNum(fk.spec, 'keystep');
      const keynumidx = specNum(fk.spec, 'keynumidx');
      if (keynumidx >= argc || first + keynumidx >= argc) return null;
      const s = argv[first + keynumidx];
      if (!/^(0|-?[1-9][0-9]*)$/.test(s) || s.length > 20) return null;
      const numkeys = BigInt(s);
      if (numkeys < 0n || numkeys > 9223372036854775807n) return null;
      first += specNum(fk.spec, 'firstkey');
      last = first + Number(BigInt.asIntN(32, numkeys)) - 1; // (int)numkeys
    } else {
      return null;
    }

    if (last >= argc || last < first || first >= argc) return null;
    for (let i = first; i <= last; i += step) {
      // Commands with a variable argument count may declare more than this argv has: no key.
      if (i >= argc || i < first) {
        if (arity < 0) continue;
        return null;
      }
      keys.push({ pos: i, flags: spec.flags });
    }
    if (spec.flags.includes('incomplete')) return null;
  }
  return keys;
}

/** doesCommandHaveKeys */
export function commandHasKeys(cmd: Command): boolean {
  return cmd.fullName in GETKEYS_PROCS || cmd.keySpecs.some((s) => !s.flags.includes('not_key'));
}

/**
 * getKeysFromCommandWithSpecs: the specs when they exist and their flags are reliable, else (or
 * when they fail) the command's own rules; [] when nothing applies.
 */
export function getKeysFromCommand(cmd: Command, argv: readonly string[]): KeyReference[] {
  const hasKeySpec = cmd.keySpecs.some((s) => !s.flags.includes('not_key'));
  const hasVariableFlags = cmd.keySpecs.some((s) => s.flags.includes('variable_flags'));
  if (hasKeySpec && !hasVariableFlags) {
    const keys = keysFromSpecs(cmd.keySpecs, argv, cmd.arity);
    if (keys) return keys;
  }
  const proc = GETKEYS_PROCS[cmd.fullName];
  return proc ? proc(argv) : [];
}
