// Delta debugging over a script's lines (Zeller's ddmin): the smallest set of lines, in their
// order, for which `differs` still holds. Dropping a line that defines a name used later only
// makes both kernels fail the later line alike, so no line needs to be kept by hand.

/** The 1-minimal sublist of `lines` (no single line can go) for which `differs` holds; `differs(lines)` must hold. */
export async function minimize(lines: readonly string[], differs: (lines: readonly string[]) => Promise<boolean>): Promise<string[]> {
  let cur = [...lines];
  let n = 2;
  while (cur.length >= 2) {
    const size = Math.ceil(cur.length / n);
    const chunks: string[][] = [];
    for (let i = 0; i < cur.length; i += size) chunks.push(cur.slice(i, i + size));
    let reduced = false;
    // First a chunk alone, then everything but a chunk.
    for (const c of chunks) {
      if (chunks.length > 1 && (await differs(c))) {
        cur = c;
        n = 2;
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      for (let i = 0; i < chunks.length; i++) {
        const rest = chunks.filter((_, j) => j !== i).flat();
        if (rest.length > 0 && (await differs(rest))) {
          cur = rest;
          n = Math.max(n - 1, 2);
          reduced = true;
          break;
        }
      }
    }
    if (!reduced) {
      if (n >= cur.length) break;
      n = Math.min(cur.length, n * 2);
    }
  }
  return cur;
}
