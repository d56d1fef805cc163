// tar in a container, for the tar streams `kubectl cp` runs through exec: `tar cf - PATH` (the
// members it writes) and `tar -xmf - -C DIR` (writing members into the container's files), with the
// messages of the two tars images carry: GNU tar 1.34 (Debian) and BusyBox's applet (busybox,
// Alpine: archival/tar.c, libarchive/unsafe_prefix.c). Members are carried as records, not as
// 512-byte blocks; regular files and directories only.

import type { Files } from './files.js';
import { normalize } from './files.js';

export type TarFlavour = 'gnu' | 'busybox';

export interface TarEntry {
  readonly name: string;
  readonly type: 'file' | 'dir';
  readonly data?: Uint8Array;
  readonly mode: number;
}

export interface TarRun {
  readonly status: number;
  readonly stderr: string;
}

const abs = (p: string) => normalize(p.startsWith('/') ? p : `/${p}`);

/** `tar cf - PATH` from the container's working directory `/`. */
export function tarCreate(files: Files, path: string, flavour: TarFlavour): TarRun & { members: TarEntry[] } {
  const full = abs(path);
  const st = files.stat(full);
  let stderr = '';
  if (!st) {
    // GNU tar names the member before stat()ing it (create.c dump_file0: safer_name_suffix, then
    // fstatat; the leading-'/' notice comes first); BusyBox strips the prefix only for a file it found
    // (writeFileToTarball after recursive_action's lstat). UNVERIFIED: the quotes of GNU tar 1.34's
    // notice (`/') in the Debian release an image is built on.
    if (flavour === 'gnu') {
      if (path.startsWith('/')) stderr += "tar: Removing leading `/' from member names\n";
      stderr += `tar: ${path}: Cannot stat: No such file or directory\ntar: Exiting with failure status due to previous errors\n`;
      return { status: 2, stderr, members: [] };
    }
    return { status: 1, stderr: `tar: ${path}: No such file or directory\ntar: error exit delayed from previous errors\n`, members: [] };
  }
  if (path.startsWith('/'))
    stderr += flavour === 'gnu' ? "tar: Removing leading `/' from member names\n" : "tar: removing leading '/' from member names\n";
  const stored = path.replace(/^\/+/, '').replace(/\/+$/, '') || '.';
  const members: TarEntry[] = [];
  const walk = (at: string, name: string) => {
    const s = files.stat(at)!;
    if (s.type === 'dir') {
      members.push({ name: `${name}/`, type: 'dir', mode: s.mode });
      for (const e of files.list(at) ?? []) walk(at === '/' ? `/${e}` : `${at}/${e}`, `${name}/${e}`);
    } else {
      members.push({ name, type: 'file', data: files.read(at) ?? new Uint8Array(), mode: s.mode });
    }
  };
  walk(full, stored);
  return { status: 0, stderr, members };
}

/** `tar -xmf - -C DIR` fed `members`: directories made as needed, files written with their modes. */
export function tarExtract(files: Files, dir: string, members: readonly TarEntry[], flavour: TarFlavour): TarRun {
  const base = abs(dir);
  if (files.stat(base)?.type !== 'dir') {
    const why = files.exists(base) ? 'Not a directory' : 'No such file or directory';
    return flavour === 'gnu'
      ? { status: 2, stderr: `tar: ${dir}: Cannot open: ${why}\ntar: Error is not recoverable: exiting now\n` }
      : { status: 1, stderr: `tar: can't change directory to '${dir}': ${why}\n` };
  }
  let stderr = '';
  for (const m of members) {
    const to = normalize(`${base}/${m.name}`);
    const parent = to.slice(0, to.lastIndexOf('/')) || '/';
    try {
      files.mkdirp(parent);
      if (m.type === 'dir') files.mkdirp(to);
      else files.write(to, m.data ?? new Uint8Array(), { mode: m.mode });
    } catch {
      // UNVERIFIED: the exact texts of a member that cannot be written (a directory in its place).
      stderr += flavour === 'gnu' ? `tar: ${m.name}: Cannot open: Is a directory\n` : `tar: can't open '${m.name}': Is a directory\n`;
    }
  }
  if (stderr === '') return { status: 0, stderr };
  return flavour === 'gnu'
    ? { status: 2, stderr: `${stderr}tar: Exiting with failure status due to previous errors\n` }
    : { status: 1, stderr };
}
