// just-bash's syntax tree as the shell's transforms (pacing.ts, nounset-defaults.ts, log-stream.ts)
// rewrite it: plain objects and arrays.

export type Node = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Calls `visit` on every node of the tree under `root`, a node before what it holds. */
export function eachNode(root: unknown, visit: (n: Node) => void): void {
  if (Array.isArray(root)) {
    for (const n of root) eachNode(n, visit);
    return;
  }
  if (root === null || typeof root !== 'object') return;
  const n = root as Node;
  visit(n);
  for (const v of Object.values(n)) if (typeof v === 'object') eachNode(v, visit);
}
