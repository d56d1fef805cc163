// Seeded mutations of valid inputs: what a typo, a copy from a blog, a generated file or a hostile
// caller does to a command line or a document.

/** mulberry32: a small seeded generator; the same seed gives the same inputs on every machine. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

/** Numbers a field should refuse or bound. */
const BAD_NUMBERS = [
  '-1',
  '0',
  '-0',
  '65536',
  '4294967296',
  '4294967295',
  '9223372036854775808',
  '1e50',
  '1e-50',
  'NaN',
  'Infinity',
  '0x10',
  '1.5',
  '+7',
  '007',
  '-2147483649',
  '99999999999999999999999',
];
/** Strings beyond ASCII words. */
const ODD_STRINGS = [
  '',
  ' ',
  'é',
  '\u202e',
  '🙂',
  'ﬀ',
  '\u0000',
  '\t',
  '\\',
  '"',
  "'",
  '%s%n',
  '$(id)',
  '`id`',
  '../../etc/passwd',
  '-',
  '--',
  'x'.repeat(10_240),
  'toString',
  '__proto__',
  'constructor',
];

/** One mutation of a command's words. */
export function mutateWords(words: readonly string[], rng: Rng): string[] {
  const w = [...words];
  const i = rng.int(Math.max(1, w.length));
  switch (rng.int(13)) {
    case 0:
      w.splice(i, 1);
      break; // drop
    case 1:
      w.splice(i, 0, w[i] ?? '');
      break; // duplicate
    case 2: {
      const j = rng.int(w.length);
      [w[i], w[j]] = [w[j]!, w[i]!];
      break;
    } // swap
    case 3: {
      // a number in the line gets a bad one
      const nums = w.map((x, k) => (/\d/.test(x) ? k : -1)).filter((k) => k >= 0);
      const k = nums.length ? rng.pick(nums) : i;
      w[k] = /^\d/.test(w[k] ?? '') || !nums.length ? rng.pick(BAD_NUMBERS) : (w[k] ?? '').replace(/\d+/, rng.pick(BAD_NUMBERS));
      break;
    }
    case 4:
      w[i] = rng.pick(ODD_STRINGS);
      break; // replace
    case 5:
      w.splice(i, 0, rng.pick(ODD_STRINGS));
      break; // insert
    case 6:
      w.length = Math.max(1, rng.int(w.length));
      break; // missing arguments
    case 7:
      w[i] = (w[i] ?? '') + rng.pick(ODD_STRINGS);
      break; // append junk to a word
    case 8:
      w.splice(i, 0, ...w.slice(0, rng.int(w.length) + 1));
      break; // doubled words
    case 9:
      groupShortOption(w, i);
      break;
    case 10:
      abbreviateLongOption(w, rng);
      break;
    case 11: {
      // an option after the operands (GNU permutation)
      const k = w.findIndex((x, j) => j > 0 && x.startsWith('-'));
      if (k > 0) w.push(...w.splice(k, 1));
      break;
    }
    case 12:
      abbreviateWord(w, rng);
      break;
  }
  return w;
}

/** `-n -c 1` → `-nc 1`, `-c 1` → `-c1`: the first single-letter option from `from` swallows the next word. */
function groupShortOption(w: string[], from: number): void {
  const k = w.findIndex((x, j) => j >= from && /^-[a-zA-Z0-9]$/.test(x));
  if (k < 0 || k + 1 >= w.length) return;
  const next = w[k + 1]!;
  w.splice(k, 2, w[k]! + (/^-[a-zA-Z0-9]/.test(next) ? next.slice(1) : next));
}

/** `--interface eth0` → `--inter=eth0` or `--i eth0`: any prefix, ambiguous or not. */
function abbreviateLongOption(w: string[], rng: Rng): void {
  const longs = w.map((x, j) => (/^--[a-z]/.test(x) ? j : -1)).filter((j) => j >= 0);
  if (!longs.length) return;
  const k = rng.pick(longs);
  const [name, value] = w[k]!.slice(2).split(/=(.*)/s) as [string, string | undefined];
  const cut = `--${name.slice(0, 1 + rng.int(name.length))}`;
  if (value !== undefined) w[k] = `${cut}=${value}`;
  else if (k + 1 < w.length && rng.int(2) === 0) w.splice(k, 2, `${cut}=${w[k + 1]}`);
  else w[k] = cut;
}

/** `ip addr show` → `ip a sh`, `ipset list` → `ipset l`: a keyword cut to a prefix (iproute2's
 * matches(), ipset's command prefixes), possibly one another keyword also starts with. */
function abbreviateWord(w: string[], rng: Rng): void {
  const words = w.map((x, j) => (j > 0 && /^[a-z][a-z_-]+$/.test(x) ? j : -1)).filter((j) => j >= 0);
  if (!words.length) return;
  const k = rng.pick(words);
  w[k] = w[k]!.slice(0, 1 + rng.int(w[k]!.length - 1));
}

/** One mutation of a document's text (lines, ends of line, sizes). */
export function mutateText(text: string, rng: Rng): string {
  const lines = text.split('\n');
  const i = rng.int(lines.length);
  switch (rng.int(9)) {
    case 0:
      return text.slice(0, rng.int(text.length)); // truncated
    case 1:
      return text + text; // doubled
    case 2:
      return text.replace(/\n/g, '\r\n'); // CRLF
    case 3:
      lines.splice(i, 0, `# ${'x'.repeat(1_000_000)}`);
      return lines.join('\n'); // a huge comment line
    case 4:
      lines[i] = `${lines[i]} ${'y'.repeat(10_240)}`;
      return lines.join('\n'); // a huge word
    case 5:
      lines.splice(i, 1);
      return lines.join('\n'); // a dropped line
    case 6:
      lines.splice(i, 0, lines[i] ?? '');
      return lines.join('\n'); // a duplicated line
    case 7:
      lines[i] = mutateWords((lines[i] ?? '').split(' '), rng).join(' ');
      return lines.join('\n');
    default:
      return text.replace(/\n$/, ''); // no final newline
  }
}
