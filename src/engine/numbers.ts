// Number parsing and formatting exactly as Redis does it (util.c: string2ll, string2ld, d2string,
// ld2string; "%.17g" for doubles in replies). Integers beyond 2^53 are checked exactly against the
// 64-bit range; arithmetic that must be exact (INCR and friends) uses bigint.

export const LLONG_MAX = 9223372036854775807n;
export const LLONG_MIN = -9223372036854775808n;

/** string2ll: strict 64-bit integer syntax (no spaces, no '+', no leading zeros). */
export function isStrictInteger(s: string): boolean {
  const n = s.length;
  if (n === 0 || n > 20) return false;
  let i = 0;
  if (s.charCodeAt(0) === 45) { if (n === 1) return false; i = 1; }
  const first = s.charCodeAt(i);
  if (first === 48) return n === 1; // "0" only; "-0" and "01" are refused
  for (; i < n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
  }
  if (n - (s.charCodeAt(0) === 45 ? 1 : 0) < 19) return true;
  const big = BigInt(s);
  return big >= LLONG_MIN && big <= LLONG_MAX;
}

/** The value of a strict 64-bit integer string as a JS number (exact up to 2^53), or null. */
export function parseInteger(s: string): number | null {
  return isStrictInteger(s) ? Number(s) : null;
}

/** The exact value of a strict 64-bit integer string, or null. */
export function parseBigInteger(s: string): bigint | null {
  return isStrictInteger(s) ? BigInt(s) : null;
}

/** Whether a bigint fits in a C long long. */
export function inInt64Range(v: bigint): boolean {
  return v >= LLONG_MIN && v <= LLONG_MAX;
}

const FLOAT_SYNTAX = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan(?:\([0-9a-zA-Z_]*\))?)$/i;
const HEX_FLOAT = /^([+-]?)0x([0-9a-f]*)(?:\.([0-9a-f]*))?(?:p([+-]?\d+))?$/i;

/**
 * strtod with Redis's checks (getDoubleFromObject): no leading space, nothing trailing, no NaN and
 * no overflow or underflow (ERANGE). Returns null when Redis would say "not a valid float".
 */
export function parseDouble(s: string): number | null {
  if (s.length === 0) return null;
  let v: number;
  let literalZero: boolean;
  if (FLOAT_SYNTAX.test(s)) {
    const lower = s.toLowerCase();
    if (lower.includes('nan')) return null;
    if (lower.includes('inf')) return lower.startsWith('-') ? -Infinity : Infinity;
    v = Number(s.endsWith('.') ? s.slice(0, -1) : s);
    literalZero = !/[1-9]/.test(s.replace(/[eE].*$/, ''));
  } else {
    const m = HEX_FLOAT.exec(s);
    if (!m || (m[2] === '' && (m[3] ?? '') === '')) return null;
    const digits = m[2] + (m[3] ?? '');
    let mant = 0;
    for (const ch of digits) mant = mant * 16 + parseInt(ch, 16);
    v = mant * Math.pow(2, Number(m[4] ?? 0) - 4 * (m[3] ?? '').length);
    if (m[1] === '-') v = -v;
    literalZero = !/[1-9a-f]/i.test(digits);
  }
  if (!Number.isFinite(v)) return null; // overflow: ERANGE
  // Subnormal results also set ERANGE, but string2d only refuses ERANGE with an infinite or zero value.
  if (v === 0 && !literalZero) return null; // underflow to zero: ERANGE
  return v;
}

/** The C "%.17g" conversion, which Redis 7.0 uses for doubles in replies. */
export function formatDouble(d: number): string {
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (Number.isNaN(d)) return 'nan';
  // Fast paths (scores and other doubles go through here on every reply; formatG's
  // toExponential + regex dominated profiles). Both give exactly formatG(d, 17)'s string:
  // - a safe integer prints in fixed notation with all its digits, which String() gives (beyond
  //   2^53 String() gives the shortest round-trip digits instead, e.g. ...980 for ...984);
  if (Number.isSafeInteger(d) && !Object.is(d, -0)) return String(d);
  // - toPrecision(17) picks fixed notation for decimal exponents -6..16 while %g does for -4..16,
  //   so from 1e-4 up a result without an exponent is %g's before trailing zeros are stripped
  //   (integers from 2^53 to 1e17 come out as all 17 digits and no point: nothing to strip).
  const abs = d < 0 ? -d : d;
  const tie = exactTieDigits(abs, 17);
  if (tie !== null) return (d < 0 ? '-' : '') + formatGFromDigits(tie.digits, tie.exp, 17);
  if (abs >= 1e-4) {
    const fixed = d.toPrecision(17);
    if (fixed.indexOf('e') < 0) return fixed.indexOf('.') < 0 ? fixed : stripFractionZeros(fixed);
  }
  return formatG(d, 17);
}

/** "1.2500" -> "1.25", "3.000" -> "3": a fixed-notation number that has a decimal point. */
function stripFractionZeros(s: string): string {
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48 /* '0' */) end--;
  if (s.charCodeAt(end - 1) === 46 /* '.' */) end--;
  return end === s.length ? s : s.slice(0, end);
}

/**
 * JavaScript rounds a value that lies exactly halfway between two p-digit decimals up (away from
 * zero); C's printf rounds it to even. Such exact ties are rare: x = M / 2^k (M odd, k fractional
 * bits) has the exact decimal expansion M * 5^k / 10^k, which ends in 5 and is a tie at p digits
 * exactly when M * 5^k has p + 1 digits. Returns the p digits rounded to even and the decimal
 * exponent of the first one, or null when x is not such a tie.
 */
function exactTieDigits(x: number, p: number): { digits: string; exp: number } | null {
  if (x === 0 || !Number.isFinite(x) || Number.isInteger(x)) return null;
  // Count fractional bits; past this many, M * 5^k has more than p + 1 digits.
  const maxBits = Math.ceil((p + 1) * 1.431); // log(10) / log(5)
  let m = x, k = 0;
  while (!Number.isInteger(m)) {
    if (++k > maxBits) return null;
    m *= 2; // exact: only the exponent changes
  }
  const exact = (BigInt(m) * 5n ** BigInt(k)).toString();
  if (exact.length !== p + 1) return null;
  let digits = exact.slice(0, p);
  let exp = exact.length - 1 - k;
  if ((digits.charCodeAt(p - 1) - 48) % 2 === 1) {
    const up = (BigInt(digits) + 1n).toString();
    if (up.length > p) { digits = up.slice(0, p); exp++; } else digits = up;
  }
  return { digits, exp };
}

/** %g layout of `digits` (p significant digits of a positive value) whose first digit is 10^exp. */
function formatGFromDigits(digits: string, exp: number, p: number): string {
  if (exp < -4 || exp >= p) {
    const mant = stripZeros(digits[0] + '.' + digits.slice(1));
    return mant + 'e' + (exp < 0 ? '-' : '+') + String(Math.abs(exp)).padStart(2, '0');
  }
  if (exp < 0) return stripZeros('0.' + '0'.repeat(-exp - 1) + digits);
  return stripZeros(digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1));
}

/** C's printf "%.<precision>g". */
export function formatG(d: number, precision: number): string {
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  const tie = exactTieDigits(Math.abs(d), precision);
  if (tie !== null) return (d < 0 ? '-' : '') + formatGFromDigits(tie.digits, tie.exp, precision);
  const exp = Number(d.toExponential(precision - 1).split('e')[1]);
  if (exp < -4 || exp >= precision) {
    const [mant, e] = d.toExponential(precision - 1).split('e');
    const n = Number(e);
    return stripZeros(mant) + 'e' + (n < 0 ? '-' : '+') + String(Math.abs(n)).padStart(2, '0');
  }
  return stripZeros(d.toFixed(Math.max(0, precision - 1 - exp)));
}

function stripZeros(s: string): string {
  if (!s.includes('.')) return s;
  s = s.replace(/0+$/, '');
  return s.endsWith('.') ? s.slice(0, -1) : s;
}

// ---------------------------------------------------------------------------------------------
// x87 80-bit extended precision ("long double" on x86-64), as INCRBYFLOAT and HINCRBYFLOAT use it.
//
// Redis parses both operands with strtold, adds them in long double and prints the sum with
// "%.17Lf" before trimming zeros. Doubles cannot reproduce that (0.1 + 0.2 is "0.3" in Redis,
// 0.30000000000000004 in doubles), so we model the format exactly: a finite value is
// mant * 2^exp with a mantissa of at most 64 bits, and every operation rounds to nearest-even
// the way the FPU and glibc do, with gradual underflow down to 2^-16445.

/** A long double: ±mant·2^exp when finite, or an infinity, or NaN. */
export type LongDouble =
  | { readonly kind: 'finite'; readonly neg: boolean; readonly mant: bigint; readonly exp: number }
  | { readonly kind: 'inf'; readonly neg: boolean }
  | { readonly kind: 'nan' };

const LD_MANT_BITS = 64;
/** Exponent of the lowest mantissa bit of the smallest subnormal (2^-16445). */
const LD_MIN_EXP = -16445;
/** Largest exp a 64-bit mantissa may carry: the maximum is (2^64-1)·2^16320 ≈ 1.19e4932. */
const LD_MAX_EXP = 16320;
/** Redis refuses float strings this long or longer (MAX_LONG_DOUBLE_CHARS). */
const MAX_LONG_DOUBLE_CHARS = 5 * 1024;

const LD_ZERO: LongDouble = { kind: 'finite', neg: false, mant: 0n, exp: 0 };

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/**
 * Rounds the exact value num·2^exp (plus "a little more" when sticky is set, meaning discarded
 * nonzero bits below num) to the nearest long double, ties to even. Callers that pass sticky
 * must give num at least two bits more than the result keeps, so the tie test stays exact.
 */
function roundExtended(neg: boolean, num: bigint, exp: number, sticky: boolean): LongDouble {
  if (num === 0n) return { kind: 'finite', neg, mant: 0n, exp: 0 };
  let shift = bitLength(num) - LD_MANT_BITS;
  if (exp + shift < LD_MIN_EXP) shift = LD_MIN_EXP - exp; // subnormal: fewer bits survive
  if (shift <= 0) {
    // Fits already: exact (sticky cannot occur here, see above).
    return normalizeFinite(neg, num, exp);
  }
  let q = num >> BigInt(shift);
  const rem = num & ((1n << BigInt(shift)) - 1n);
  const half = 1n << BigInt(shift - 1);
  if (rem > half || (rem === half && (sticky || (q & 1n) === 1n))) q += 1n;
  let e = exp + shift;
  if (q === 1n << BigInt(LD_MANT_BITS)) { q >>= 1n; e += 1; }
  if (q === 0n) return { kind: 'finite', neg, mant: 0n, exp: 0 };
  if (e > LD_MAX_EXP) return { kind: 'inf', neg };
  return normalizeFinite(neg, q, e);
}

/** Drops trailing zero bits so equal values look the same (keeps shifts in sums small too). */
function normalizeFinite(neg: boolean, mant: bigint, exp: number): LongDouble {
  if (mant === 0n) return { kind: 'finite', neg, mant: 0n, exp: 0 };
  let tz = 0;
  while (((mant >> BigInt(tz)) & 1n) === 0n) tz++;
  if (tz > 0) { mant >>= BigInt(tz); exp += tz; }
  if (exp > LD_MAX_EXP + LD_MANT_BITS - bitLength(mant)) return { kind: 'inf', neg };
  return { kind: 'finite', neg, mant, exp };
}

const DEC_FLOAT = /^([+-]?)(?:(\d*)\.?(\d*))(?:[eE]([+-]?\d+))?$/;
const HEX_LONG_FLOAT = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/;
const INF_OR_NAN = /^([+-]?)(?:(inf(?:inity)?)|nan(?:\([0-9a-zA-Z_]*\))?)$/i;

/** An exponent written with arbitrarily many digits, clamped to a range that already saturates. */
function clampedExponent(text: string | undefined): number {
  if (text === undefined) return 0;
  const neg = text.startsWith('-');
  const digits = text.replace(/^[+-]/, '').replace(/^0+/, '');
  const v = digits.length > 9 ? 1e9 : Number(digits || '0');
  return neg ? -v : v;
}

/**
 * string2ld: strtold on the whole string with Redis's checks. Returns null when Redis answers
 * "not a valid float": empty or >= 5120 bytes, leading whitespace, trailing bytes, NaN, or a
 * range error that overflowed to infinity or underflowed to zero. "inf"/"infinity" are accepted
 * (the commands then reject the infinite result). Subnormal results are accepted.
 */
export function parseLongDouble(s: string): LongDouble | null {
  if (s.length === 0 || s.length >= MAX_LONG_DOUBLE_CHARS) return null;
  const special = INF_OR_NAN.exec(s);
  if (special) return special[2] !== undefined ? { kind: 'inf', neg: special[1] === '-' } : null;

  const hex = HEX_LONG_FLOAT.exec(s);
  if (hex) {
    const intDigits = hex[2];
    const fracDigits = hex[3] ?? '';
    if (intDigits === '' && fracDigits === '') return null; // "0x" alone: strtold stops after "0"
    const neg = hex[1] === '-';
    const mant = BigInt('0x' + (intDigits + fracDigits || '0'));
    if (mant === 0n) return { kind: 'finite', neg, mant: 0n, exp: 0 };
    const exp = clampedExponent(hex[4]) - 4 * fracDigits.length;
    const top = bitLength(mant) + exp; // value < 2^top
    if (top > LD_MAX_EXP + LD_MANT_BITS) return null; // overflow (ERANGE, HUGE_VALL)
    if (top < LD_MIN_EXP - 1) return null; // below half the smallest subnormal: ERANGE, zero
    return checkedParseResult(roundExtended(neg, mant, exp, false));
  }

  const dec = DEC_FLOAT.exec(s);
  if (!dec) return null;
  const intDigits = dec[2];
  const fracDigits = dec[3];
  if (intDigits === '' && fracDigits === '') return null;
  const neg = dec[1] === '-';
  const digits = (intDigits + fracDigits).replace(/^0+/, '');
  if (digits === '') return { kind: 'finite', neg, mant: 0n, exp: 0 };
  const exp10 = clampedExponent(dec[4]) - fracDigits.length;
  // The value lies in [10^(magnitude-1), 10^magnitude).
  const magnitude = digits.length + exp10;
  if (magnitude > 4934) return null; // > 1e4933 overflows (max is about 1.19e4932)
  if (magnitude < -4952) return null; // < 1e-4953, far below half the smallest subnormal (1.8e-4951)
  const d = BigInt(digits);
  if (exp10 >= 0) return checkedParseResult(roundExtended(neg, d * 10n ** BigInt(exp10), 0, false));
  // d / 10^k: scale d up so the quotient keeps at least 66 bits, then round with a sticky bit.
  const divisor = 10n ** BigInt(-exp10);
  const scale = Math.max(0, LD_MANT_BITS + 2 + bitLength(divisor) - bitLength(d));
  const scaled = d << BigInt(scale);
  const q = scaled / divisor;
  const r = scaled - q * divisor;
  return checkedParseResult(roundExtended(neg, q, -scale, r !== 0n));
}

/** A nonzero literal that rounded to zero or infinity is a range error, which Redis refuses. */
function checkedParseResult(v: LongDouble): LongDouble | null {
  if (v.kind === 'inf') return null;
  if (v.kind === 'finite' && v.mant === 0n) return null;
  return v;
}

/** The long double equal to a 64-bit integer (always exact: the mantissa has 64 bits). */
export function longDoubleFromBigInt(n: bigint): LongDouble {
  return normalizeFinite(n < 0n, n < 0n ? -n : n, 0);
}

/** The long double equal to a double (exact: 53 bits fit in 64). */
export function longDoubleFromNumber(d: number): LongDouble {
  if (Number.isNaN(d)) return { kind: 'nan' };
  if (d === Infinity || d === -Infinity) return { kind: 'inf', neg: d < 0 };
  const neg = d < 0 || Object.is(d, -0);
  let a = Math.abs(d);
  if (a === 0) return { kind: 'finite', neg, mant: 0n, exp: 0 };
  // Scale by powers of two (exact) until the value is an integer below 2^53.
  let exp = 0;
  while (!Number.isInteger(a)) { a *= 2; exp -= 1; }
  while (a >= 2 ** 53) { a /= 2; exp += 1; }
  return normalizeFinite(neg, BigInt(a), exp);
}

export function isFiniteLongDouble(v: LongDouble): boolean {
  return v.kind === 'finite';
}

/** a + b in extended precision, rounded to nearest-even like the x87 FADD. */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble {
  if (a.kind === 'nan' || b.kind === 'nan') return { kind: 'nan' };
  if (a.kind === 'inf' && b.kind === 'inf') return a.neg === b.neg ? a : { kind: 'nan' };
  if (a.kind === 'inf') return a;
  if (b.kind === 'inf') return b;
  if (a.mant === 0n && b.mant === 0n) return { kind: 'finite', neg: a.neg && b.neg, mant: 0n, exp: 0 };
  if (a.mant === 0n) return b;
  if (b.mant === 0n) return a;
  const exp = Math.min(a.exp, b.exp);
  const av = (a.mant << BigInt(a.exp - exp)) * (a.neg ? -1n : 1n);
  const bv = (b.mant << BigInt(b.exp - exp)) * (b.neg ? -1n : 1n);
  const sum = av + bv;
  if (sum === 0n) return LD_ZERO; // exact cancellation gives +0 when rounding to nearest
  return roundExtended(sum < 0n, sum < 0n ? -sum : sum, exp, false);
}

/** printf("%.17Lf"): the exact binary value rounded to 17 decimals, ties to even. */
function formatFixed17(v: LongDouble & { kind: 'finite' }): string {
  const FRAC_DIGITS = 17;
  const pow = 10n ** BigInt(FRAC_DIGITS);
  let scaled: bigint;
  if (v.exp >= 0) {
    scaled = (v.mant << BigInt(v.exp)) * pow;
  } else {
    const k = BigInt(-v.exp);
    const exact = v.mant * pow;
    scaled = exact >> k;
    const rem = exact & ((1n << k) - 1n);
    const half = 1n << (k - 1n);
    if (rem > half || (rem === half && (scaled & 1n) === 1n)) scaled += 1n;
  }
  const intPart = (scaled / pow).toString();
  const fracPart = (scaled % pow).toString().padStart(FRAC_DIGITS, '0');
  return (v.neg ? '-' : '') + intPart + '.' + fracPart;
}

/**
 * ld2string(LD_STR_HUMAN): "%.17Lf", then trailing zeros and a bare trailing dot removed, and
 * "-0" turned into "0". Infinities print as "inf"/"-inf" (NaN as "nan", which Redis never stores).
 */
export function formatLongDoubleHuman(v: LongDouble): string {
  if (v.kind === 'inf') return v.neg ? '-inf' : 'inf';
  if (v.kind === 'nan') return 'nan';
  let s = formatFixed17(v);
  s = s.replace(/0+$/, '');
  if (s.endsWith('.')) s = s.slice(0, -1);
  return s === '-0' ? '0' : s;
}

/**
 * d2string-free human formatting of a double as Redis's addReplyHumanLongDouble does (GEOPOS,
 * GEODIST...): the double widened exactly to long double, then formatLongDoubleHuman.
 */
export function formatHumanDouble(d: number): string {
  return formatLongDoubleHuman(longDoubleFromNumber(d));
}

/** Why a float increment failed; each command maps these to its own error text. */
export type FloatIncrementError = 'current-not-float' | 'increment-not-float' | 'nan-or-infinity';

/**
 * The whole INCRBYFLOAT / HINCRBYFLOAT computation on texts: current (null when the key or field
 * is missing, counting as 0) plus increment, in long double, formatted as Redis stores the result.
 * The current value is parsed first, as INCRBYFLOAT does. Error texts per command:
 *  - INCRBYFLOAT: both parse failures -> "ERR value is not a valid float";
 *    'nan-or-infinity' -> "ERR increment would produce NaN or Infinity".
 *  - HINCRBYFLOAT checks the increment before touching the key (parseLongDouble(incr) null ->
 *    "ERR value is not a valid float"; an infinite increment -> "ERR value is NaN or Infinity"),
 *    then 'current-not-float' -> "ERR hash value is not a float", 'nan-or-infinity' as above.
 */
export function incrByFloatText(
  current: string | null,
  increment: string,
): { ok: true; text: string } | { ok: false; error: FloatIncrementError } {
  const value = current === null ? LD_ZERO : parseLongDouble(current);
  if (value === null) return { ok: false, error: 'current-not-float' };
  const incr = parseLongDouble(increment);
  if (incr === null) return { ok: false, error: 'increment-not-float' };
  const sum = addLongDouble(value, incr);
  if (sum.kind !== 'finite') return { ok: false, error: 'nan-or-infinity' };
  return { ok: true, text: formatLongDoubleHuman(sum) };
}
