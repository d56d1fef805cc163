// Per-chain numbers a transaction keeps about a table (jump references, hooks reached from) that the
// next one starts from: a transaction derives a layer over the committed table's numbers instead of
// copying them, so a --noflush restore of a few chains into a 40,000-chain table writes only what
// it changes. Every few layers the stack is collapsed into one (a full copy, amortised).
const MAX_DEPTH = 8;

export class LayeredCounts {
  private readonly own = new Map<string, number>();
  /**
   * The key last read or written and its value: a restore reads then writes one chain's count
   * (a jump's target), and names the same chain line after line; each Map lookup among 40,000
   * names costs cache misses. A layer is not written once another is derived from it.
   */
  private lastKey: string | undefined;
  private lastValue: number | undefined;

  private constructor(
    private readonly parent: LayeredCounts | undefined,
    private readonly depth: number,
  ) {}

  static empty(): LayeredCounts {
    return new LayeredCounts(undefined, 0);
  }

  /** A layer over this one: reads fall through, writes stay in the new layer. */
  derive(): LayeredCounts {
    if (this.depth < MAX_DEPTH) return new LayeredCounts(this, this.depth + 1);
    const flat = LayeredCounts.empty();
    for (const [k, v] of this.entries()) flat.own.set(k, v);
    return new LayeredCounts(flat, 1);
  }

  get(key: string): number | undefined {
    if (key === this.lastKey) return this.lastValue;
    let found: number | undefined;
    for (let m: LayeredCounts | undefined = this; m; m = m.parent) {
      const v = m.own.get(key);
      if (v !== undefined) {
        found = v;
        break;
      }
    }
    this.lastKey = key;
    this.lastValue = found;
    return found;
  }

  set(key: string, value: number): void {
    this.own.set(key, value);
    this.lastKey = key;
    this.lastValue = value;
  }

  /** Every key with its value (the nearest layer's). */
  entries(): Map<string, number> {
    const out = this.parent ? this.parent.entries() : new Map<string, number>();
    for (const [k, v] of this.own) out.set(k, v);
    return out;
  }
}
