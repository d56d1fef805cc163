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
const BAD_NUMBERS = ['-1', '0', '-0', '65536', '4294967296', '4294967295', '9223372036854775808', '1e50', '1e-50', 'NaN', 'Infinity', '0x10', '1.5', '+7', '007', '-2147483649', '99999999999999999999999'];
/** Strings beyond ASCII words. */
const ODD_STRINGS = ['', ' ', 'é', '\u202e', '🙂', 'ﬀ', '\u0000', '\t', '\\', '"', "'", '%s%n', '$(id)', '`id`', '../../etc/passwd', '-', '--', 'x'.repeat(10_240), 'toString', '__proto__', 'constructor'];

/** One mutation of a command's words. */
export function mutateWords(words: readonly string[], rng: Rng): string[] {
  const w = [...words];
  const i = rng.int(Math.max(1, w.length));
  switch (rng.int(9)) {
    case 0: w.splice(i, 1); break; // drop
    case 1: w.splice(i, 0, w[i] ?? ''); break; // duplicate
    case 2: { const j = rng.int(w.length); [w[i], w[j]] = [w[j]!, w[i]!]; break; } // swap
    case 3: { // a number in the line gets a bad one
      const nums = w.map((x, k) => (/\d/.test(x) ? k : -1)).filter((k) => k >= 0);
      const k = nums.length ? rng.pick(nums) : i;
      w[k] = /^\d/.test(w[k] ?? '') || !nums.length ? rng.pick(BAD_NUMBERS) : (w[k] ?? '').replace(/\d+/, rng.pick(BAD_NUMBERS));
      break;
    }
    case 4: w[i] = rng.pick(ODD_STRINGS); break; // replace
    case 5: w.splice(i, 0, rng.pick(ODD_STRINGS)); break; // insert
    case 6: w.length = Math.max(1, rng.int(w.length)); break; // missing arguments
    case 7: w[i] = (w[i] ?? '') + rng.pick(ODD_STRINGS); break; // append junk to a word
    case 8: w.splice(i, 0, ...w.slice(0, rng.int(w.length) + 1)); break; // doubled words
  }
  return w;
}

/** One mutation of a document's text (lines, ends of line, sizes). */
export function mutateText(text: string, rng: Rng): string {
  const lines = text.split('\n');
  const i = rng.int(lines.length);
  switch (rng.int(9)) {
    case 0: return text.slice(0, rng.int(text.length)); // truncated
    case 1: return text + text; // doubled
    case 2: return text.replace(/\n/g, '\r\n'); // CRLF
    case 3: lines.splice(i, 0, `# ${'x'.repeat(1_000_000)}`); return lines.join('\n'); // a huge comment line
    case 4: lines[i] = `${lines[i]} ${'y'.repeat(10_240)}`; return lines.join('\n'); // a huge word
    case 5: lines.splice(i, 1); return lines.join('\n'); // a dropped line
    case 6: lines.splice(i, 0, lines[i] ?? ''); return lines.join('\n'); // a duplicated line
    case 7: lines[i] = mutateWords((lines[i] ?? '').split(' '), rng).join(' '); return lines.join('\n');
    default: return text.replace(/\n$/, ''); // no final newline
  }
}
