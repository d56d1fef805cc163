// A unified diff of two texts, line by line (Myers' O(ND) algorithm), for golden-test failures
// and `knetlab diff`. Only what a reader needs: hunks with three lines of context.

type Op = { kind: ' ' | '-' | '+'; line: string };

function editScript(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  outer: for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[max + k - 1]! < v[max + k + 1]!) ? v[max + k + 1]! : v[max + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) x++, y++;
      v[max + k] = x;
      if (x >= n && y >= m) break outer;
    }
  }
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0 && (x > 0 || y > 0); d--) {
    const vd = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[max + k - 1]! < vd[max + k + 1]!) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[max + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) ops.push({ kind: ' ', line: a[--x]! }), y--;
    if (d === 0) break;
    if (x === prevX) ops.push({ kind: '+', line: b[--y]! });
    else ops.push({ kind: '-', line: a[--x]! });
  }
  while (x > 0 && y > 0) ops.push({ kind: ' ', line: a[--x]! }), y--;
  return ops.reverse();
}

/** A unified diff from `a` to `b`, or '' when they are equal. */
export function unifiedDiff(a: string, b: string, labels: { from: string; to: string }, context = 3): string {
  if (a === b) return '';
  const al = a.split('\n');
  const bl = b.split('\n');
  const ops = editScript(al, bl);
  let out = `--- ${labels.from}\n+++ ${labels.to}\n`;
  let i = 0;
  let ai = 0;
  let bi = 0;
  while (i < ops.length) {
    if (ops[i]!.kind === ' ') {
      i++, ai++, bi++;
      continue;
    }
    // A hunk: back up `context` lines, run until `2*context` unchanged lines follow.
    const start = Math.max(0, i - context);
    let end = i;
    let quiet = 0;
    while (end < ops.length && quiet <= 2 * context) {
      quiet = ops[end]!.kind === ' ' ? quiet + 1 : 0;
      end++;
    }
    end = Math.min(ops.length, end - Math.max(0, quiet - context));
    const lead = i - start;
    const aStart = ai - lead;
    const bStart = bi - lead;
    const hunk = ops.slice(start, end);
    const aLen = hunk.filter((o) => o.kind !== '+').length;
    const bLen = hunk.filter((o) => o.kind !== '-').length;
    out += `@@ -${aStart + 1},${aLen} +${bStart + 1},${bLen} @@\n`;
    for (const o of hunk) out += `${o.kind}${o.line}\n`;
    for (let j = i; j < end; j++) {
      if (ops[j]!.kind !== '+') ai++;
      if (ops[j]!.kind !== '-') bi++;
    }
    i = end;
  }
  return out;
}
