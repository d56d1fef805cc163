// Numbers and IPv4 addresses as glibc's strtoul(3), strtol(3) and inet_aton(3) read them: leading
// white space and a sign, base 0 (`0x` hex, `0` octal, else decimal), parsing only as far as the
// digits go, and saturating on overflow. conntrack reads most of its arguments this way, unchecked.

const ULONG_MAX = (1n << 64n) - 1n;
const LONG_MAX = (1n << 63n) - 1n;
const LONG_MIN = -(1n << 63n);

interface Digits {
  readonly negative: boolean;
  readonly magnitude: bigint;
  /** Where parsing stopped (0 when there were no digits: C's endptr = the string). */
  readonly end: number;
}

function scan(text: string, base: number): Digits {
  let i = 0;
  while (i < text.length && ' \t\n\v\f\r'.includes(text[i]!)) i++;
  let negative = false;
  if (text[i] === '+' || text[i] === '-') negative = text[i++] === '-';
  if (
    (base === 0 || base === 16) &&
    text[i] === '0' &&
    (text[i + 1] === 'x' || text[i + 1] === 'X') &&
    /[0-9a-fA-F]/.test(text[i + 2] ?? '')
  ) {
    base = 16;
    i += 2;
  } else if (base === 0) {
    base = text[i] === '0' ? 8 : 10;
  }
  const start = i;
  let magnitude = 0n;
  for (; i < text.length; i++) {
    const d = parseInt(text[i]!, 36);
    if (Number.isNaN(d) || d >= base) break;
    magnitude = magnitude * BigInt(base) + BigInt(d);
  }
  return { negative, magnitude, end: i === start ? 0 : i };
}

/** strtoul(text, &end, 0): the value (negated modulo 2^64 after a `-`, ULONG_MAX on overflow) and `end`. */
export function strtoulEnd(text: string): [bigint, number] {
  const { negative, magnitude, end } = scan(text, 0);
  if (magnitude > ULONG_MAX) return [ULONG_MAX, end];
  return [negative ? (ULONG_MAX + 1n - magnitude) & ULONG_MAX : magnitude, end];
}

/** strtoul(text, NULL, 0). */
export function strtoul(text: string): bigint {
  return strtoulEnd(text)[0];
}

/** strtol(text, NULL, base), which atoi() and atol() are. */
export function strtol(text: string, base: number): bigint {
  const { negative, magnitude } = scan(text, base);
  const v = negative ? -magnitude : magnitude;
  return v > LONG_MAX ? LONG_MAX : v < LONG_MIN ? LONG_MIN : v;
}

/** inet_aton(): one to four numbers in any base, the last filling the rest (`1.2.3` is 1.2.0.3);
 * anything after white space is ignored, as glibc does. */
export function inetAton(text: string): number | undefined {
  const parts: bigint[] = [];
  let i = 0;
  for (;;) {
    if (!/[0-9]/.test(text[i] ?? '')) return undefined;
    const rest = text.slice(i);
    const { magnitude, end } = scan(rest, 0);
    // scan() also takes white space and a sign, which inet_aton does not.
    if (/^[\s+-]/.test(rest) || magnitude > 0xffffffffn) return undefined;
    parts.push(magnitude);
    i += end;
    if (text[i] !== '.') break;
    if (parts.length === 4) return undefined;
    i++;
  }
  if (i < text.length && !/\s/.test(text[i]!)) return undefined;
  const last = parts.pop()!;
  if (parts.some((p) => p > 255n) || last >= 1n << BigInt(8 * (4 - parts.length))) return undefined;
  return Number(parts.reduce((a, p, k) => a + (p << BigInt(24 - 8 * k)), 0n) + last);
}
