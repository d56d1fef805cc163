// A container's files with bind mounts: paths under a mount point read and write another tree (a
// hostPath volume: the node's own files), as the mount namespace shows them. The mount point is a
// directory of the container's tree, so listings of its parent show it.
import { normalize, type Files } from './files.js';

export interface BindMount {
  /** Where it appears in the container, absolute. */
  readonly at: string;
  /** The tree it shows, and the path in that tree that `at` is. */
  readonly files: Files;
  readonly source: string;
}

export function withMounts(base: Files, mounts: readonly BindMount[]): Files {
  if (mounts.length === 0) return base;
  // longest mount point first, so /host/etc wins over /host
  const sorted = [...mounts].map((m) => ({ ...m, at: normalize(m.at) })).sort((a, b) => b.at.length - a.at.length);
  for (const m of sorted) base.mkdirp(m.at);
  const route = (path: string): [Files, string] => {
    const p = normalize(path);
    for (const m of sorted) {
      if (p === m.at || p.startsWith(`${m.at}/`)) return [m.files, normalize(`${m.source}/${p.slice(m.at.length)}`)];
    }
    return [base, p];
  };
  return {
    read: (p) => {
      const [f, q] = route(p);
      return f.read(q);
    },
    write: (p, data, opts) => {
      const [f, q] = route(p);
      f.write(q, data, opts);
    },
    mkdirp: (p) => {
      const [f, q] = route(p);
      f.mkdirp(q);
    },
    list: (p) => {
      const [f, q] = route(p);
      return f.list(q);
    },
    stat: (p) => {
      const [f, q] = route(p);
      return f.stat(q);
    },
    remove: (p, opts) => {
      const [f, q] = route(p);
      f.remove(q, opts);
    },
    exists: (p) => {
      const [f, q] = route(p);
      return f.exists(q);
    },
    rename: (from, to) => {
      const [f1, q1] = route(from);
      const [f2, q2] = route(to);
      if (f1 === f2) return f1.rename(q1, q2);
      // across mounts: rename(2) fails with EXDEV; mv copies then removes, which is what users see
      const data = f1.read(q1);
      if (data === undefined) return f1.rename(q1, q2); // a directory or nothing: the tree's own error
      f2.write(q2, data, { mode: f1.stat(q1)?.mode ?? 0o644 });
      f1.remove(q1);
    },
  };
}
