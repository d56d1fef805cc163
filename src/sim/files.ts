// A node's (or a container's) filesystem: a small synchronous in-memory tree of directories and
// regular files, with the errno a Linux filesystem answers (open(2), mkdir(2), unlink(2), rmdir(2),
// rename(2)). Times come from the lab's virtual clock. No links, owners or devices: what the seeds
// read and write (/etc/cni/net.d, /opt/cni/bin, /var/lib/cni/...) needs files and directories only.

/** The errno names this filesystem answers with (as Node's fs errors carry them in `code`). */
export type FilesErrno = 'ENOENT' | 'EISDIR' | 'ENOTDIR' | 'EEXIST' | 'ENOTEMPTY' | 'EINVAL' | 'EBUSY';

const TEXT: Readonly<Record<FilesErrno, string>> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'illegal operation on a directory',
  ENOTDIR: 'not a directory',
  EEXIST: 'file already exists',
  ENOTEMPTY: 'directory not empty',
  EINVAL: 'invalid argument',
  EBUSY: 'resource busy or locked',
};

/** A refused operation: `code` is the errno, the message reads as Node's (`ENOENT: no such file or directory, open '/x'`). */
export class FilesError extends Error {
  constructor(
    readonly code: FilesErrno,
    /** The system call it equals: open, mkdir, unlink, rmdir, rename, scandir. */
    readonly syscall: string,
    readonly path: string,
  ) {
    super(`${code}: ${TEXT[code]}, ${syscall} '${path}'`);
    this.name = 'FilesError';
  }
}

export interface FileStat {
  readonly type: 'file' | 'dir';
  /** Bytes of a file; 4096 for a directory, as ext4 and tmpfs-like listings show. */
  readonly size: number;
  /** Permission bits (0o644, 0o755). */
  readonly mode: number;
  readonly mtimeMs: number;
}

interface FileNode {
  readonly type: 'file';
  /** The bytes; undefined until first read when the writer gave text or a rendering (see write()). */
  data: Uint8Array | undefined;
  /** The text written, until the bytes are first asked for (readText() answers it as it is). */
  text: string | undefined;
  render: (() => string) | undefined;
  /** What the writer said the content encodes (see value()), until the next write. */
  value: unknown;
  mode: number;
  mtimeMs: number;
}

/** A file's bytes, rendered now if they were left for the first read. */
function bytesOf(n: FileNode): Uint8Array {
  if (n.data === undefined) {
    n.data = encoder.encode(n.text ?? n.render!());
    n.text = undefined;
    n.render = undefined;
  }
  return n.data;
}

/** A UTF-16 surrogate: text holding one may not come back from its UTF-8 bytes as it went in. */
const SURROGATE = /[\uD800-\uDFFF]/;

interface DirNode {
  readonly type: 'dir';
  readonly children: Map<string, FsNode>;
  mode: number;
  mtimeMs: number;
  /** Changed (to a number no directory had before) whenever a name comes or goes or a file in it is written: see dirStamp(). */
  stamp: number;
}

/** How many paths a filesystem keeps the node of (see NodeFiles.found); past that it starts again. */
const FOUND_KEPT = 256;

/** The last stamp given (one counter for every filesystem, so no two directories ever share one). */
let lastStamp = 0;

type FsNode = FileNode | DirNode;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The components of an absolute path, with '.', '..' and doubled slashes resolved. */
function components(path: string, syscall: string): string[] {
  if (!path.startsWith('/')) throw new FilesError('EINVAL', syscall, path);
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out;
}

export class NodeFiles {
  private readonly root: DirNode;

  /** `now` reads the lab's virtual clock (milliseconds), stamped on what is written. */
  constructor(private readonly now: () => number) {
    this.root = { type: 'dir', children: new Map(), mode: 0o755, mtimeMs: now(), stamp: ++lastStamp };
  }

  /** The node at `parts`, or undefined; a file met on the way answers ENOTDIR. */
  private lookup(parts: readonly string[], syscall: string, path: string): FsNode | undefined {
    let node: FsNode = this.root;
    for (const part of parts) {
      if (node.type !== 'dir') throw new FilesError('ENOTDIR', syscall, path);
      const next = node.children.get(part);
      if (!next) return undefined;
      node = next;
    }
    return node;
  }

  /** The directory that holds the last component (it must exist). */
  private parentDir(parts: readonly string[], syscall: string, path: string): DirNode {
    const parent = this.lookup(parts.slice(0, -1), syscall, path);
    if (!parent) throw new FilesError('ENOENT', syscall, path);
    if (parent.type !== 'dir') throw new FilesError('ENOTDIR', syscall, path);
    return parent;
  }

  /**
   * What plain paths found lately lead to. A path keeps leading to its node until a remove() or a
   * rename() (a write changes a file in place, a new name leaves other paths as they were), which
   * forget them all. A pod's start asks for the same few paths (the CNI binaries, net.d, the
   * network's directory) on every node: one lookup instead of a walk that cuts every name out.
   */
  private readonly found = new Map<string, FsNode>();

  private find(path: string, syscall: string): FsNode | undefined {
    const known = this.found.get(path);
    if (known !== undefined) return known;
    // A plain absolute path (no '.' or '..' component, which only a '/.' can start) is walked
    // in place, a name at a time, without a list of its components.
    if (path.startsWith('/') && !path.includes('/.')) {
      const node = this.walk(path);
      if (node !== undefined) {
        if (this.found.size >= FOUND_KEPT) this.found.clear();
        this.found.set(path, node);
      }
      return node;
    }
    try {
      return this.lookup(components(path, syscall), syscall, path);
    } catch (e) {
      if (e instanceof FilesError && e.code === 'ENOTDIR') return undefined;
      throw e;
    }
  }

  /** find() of a plain absolute path, walked in place. */
  private walk(path: string): FsNode | undefined {
    let node: FsNode = this.root;
    let from = 1;
    while (from < path.length) {
      let to = path.indexOf('/', from);
      if (to < 0) to = path.length;
      if (to > from) {
        if (node.type !== 'dir') return undefined; // ENOTDIR, which find() answers as nothing there
        const next: FsNode | undefined = node.children.get(path.slice(from, to));
        if (!next) return undefined;
        node = next;
      }
      from = to + 1;
    }
    return node;
  }

  /** The bytes of a regular file (shared, not copied: do not mutate), or undefined. */
  read(path: string): Uint8Array | undefined {
    const n = this.find(path, 'open');
    return n?.type === 'file' ? bytesOf(n) : undefined;
  }

  readText(path: string): string | undefined {
    const n = this.find(path, 'open');
    if (n?.type !== 'file') return undefined;
    // text written and not yet encoded reads back as it is (what decoding its bytes would give)
    return n.data === undefined && n.text !== undefined ? n.text : decoder.decode(bytesOf(n));
  }

  /**
   * Creates or truncates a file: `open(O_WRONLY|O_CREAT|O_TRUNC)` then write. The mode applies to a
   * new file unless given. `data` may be a rendering, called at the first read (or stat) of the file
   * instead of now: a generated file nobody reads costs nothing; it must give the same text whenever
   * called. `value`: what the content encodes (a manifest's object), handed to value() readers so
   * they need not parse the text back; the writer vouches that parsing the text gives it.
   */
  write(path: string, data: Uint8Array | string | (() => string), opts: { readonly mode?: number; readonly value?: unknown } = {}): void {
    // a plain path's directory is found as find() finds paths (often known); anything else, or a
    // directory not there, is cut into components for the errno
    const slash = path.lastIndexOf('/');
    let name = slash > 0 && !path.includes('/.') && !path.includes('//') ? path.slice(slash + 1) : '';
    let dir = name !== '' && path.startsWith('/') ? this.find(path.slice(0, slash), 'open') : undefined;
    if (dir?.type !== 'dir') {
      const parts = components(path, 'open');
      const last = parts.at(-1);
      if (last === undefined) throw new FilesError('EISDIR', 'open', path);
      name = last;
      dir = this.parentDir(parts, 'open', path);
    }
    const old = dir.children.get(name);
    if (old?.type === 'dir') throw new FilesError('EISDIR', 'open', path);
    const render = typeof data === 'function' ? data : undefined;
    // text is kept as it is until its bytes are asked for (CNI's host-local writes two small files
    // per pod and reads one back as text); text with a surrogate is encoded now, as it reads back changed
    const text = typeof data === 'string' && !SURROGATE.test(data) ? data : undefined;
    let bytes: Uint8Array | undefined;
    if (typeof data === 'string') bytes = text === undefined ? encoder.encode(data) : undefined;
    else if (!render) bytes = (data as Uint8Array).slice();
    const t = this.now();
    if (old) {
      old.data = bytes;
      old.text = text;
      old.render = render;
      old.value = opts.value;
      old.mtimeMs = t;
      if (opts.mode !== undefined) old.mode = opts.mode;
      dir.stamp = ++lastStamp;
    } else {
      dir.children.set(name, { type: 'file', data: bytes, text, render, value: opts.value, mode: opts.mode ?? 0o644, mtimeMs: t });
      dir.mtimeMs = t;
      dir.stamp = ++lastStamp;
    }
  }

  /** `mkdir -p PATH`: makes every missing directory; a file in the way answers EEXIST (the last component) or ENOTDIR. */
  mkdirp(path: string, opts: { readonly mode?: number } = {}): void {
    if (this.find(path, 'mkdir')?.type === 'dir') return; // there already (CNI's host-local asks at every ADD)
    const parts = components(path, 'mkdir');
    let dir = this.root;
    parts.forEach((part, i) => {
      const next = dir.children.get(part);
      if (!next) {
        const made: DirNode = { type: 'dir', children: new Map(), mode: opts.mode ?? 0o755, mtimeMs: this.now(), stamp: ++lastStamp };
        dir.children.set(part, made);
        dir.mtimeMs = made.mtimeMs;
        dir.stamp = ++lastStamp;
        dir = made;
      } else if (next.type === 'file') {
        throw new FilesError(i === parts.length - 1 ? 'EEXIST' : 'ENOTDIR', 'mkdir', path);
      } else {
        dir = next;
      }
    });
  }

  /** The names in a directory, sorted (bytewise, as `LC_ALL=C ls`), or undefined when it is not one. */
  list(dir: string): string[] | undefined {
    const n = this.find(dir, 'scandir');
    return n?.type === 'dir' ? [...n.children.keys()].sort(byteOrder) : undefined;
  }

  /**
   * The regular files of a directory with their bytes (shared, not copied: do not mutate), sorted as
   * list() sorts unless `sorted` is false (then in no promised order); undefined when it is not one.
   */
  listFiles(dir: string, opts: { readonly sorted?: boolean } = {}): [name: string, data: Uint8Array][] | undefined {
    const n = this.find(dir, 'scandir');
    if (n?.type !== 'dir') return undefined;
    const out: [string, Uint8Array][] = [];
    for (const [name, child] of n.children) if (child.type === 'file') out.push([name, bytesOf(child)]);
    return opts.sorted === false ? out : out.sort((a, b) => byteOrder(a[0], b[0]));
  }

  /**
   * Calls `fn` with each regular file of a directory and its bytes (shared, not copied: do not
   * mutate), in no promised order, without listing them first; false when `dir` is not a directory.
   */
  eachFile(dir: string, fn: (name: string, data: Uint8Array) => void): boolean {
    const n = this.find(dir, 'scandir');
    if (n?.type !== 'dir') return false;
    n.children.forEach((child, name) => {
      if (child.type === 'file') fn(name, bytesOf(child));
    });
    return true;
  }

  /**
   * A number that stays the same while the directory at `path` keeps the same names and files
   * (nothing made, removed, renamed or written in it; its subdirectories' content is theirs) and that
   * no other directory has had; undefined when `path` is not a directory. A reader may keep what it
   * made of the directory until the stamp changes.
   */
  dirStamp(path: string): number | undefined {
    const n = this.find(path, 'scandir');
    return n?.type === 'dir' ? n.stamp : undefined;
  }

  stat(path: string): FileStat | undefined {
    const n = this.find(path, 'stat');
    if (!n) return undefined;
    return { type: n.type, size: n.type === 'file' ? bytesOf(n).length : 4096, mode: n.mode, mtimeMs: n.mtimeMs };
  }

  /** The value the last write of a regular file gave with its content (see write()), or undefined. */
  value(path: string): unknown {
    const n = this.find(path, 'open');
    return n?.type === 'file' ? n.value : undefined;
  }

  exists(path: string): boolean {
    return this.find(path, 'stat') !== undefined;
  }

  /**
   * Removes a file (`unlink`) or a directory: an empty one as `rmdir` does, a full one only with
   * `recursive` (`rm -r`), else ENOTEMPTY. The root cannot go (EBUSY).
   */
  remove(path: string, opts: { readonly recursive?: boolean } = {}): void {
    const parts = components(path, 'unlink');
    const name = parts.at(-1);
    if (name === undefined) throw new FilesError('EBUSY', 'rmdir', path);
    const dir = this.parentDir(parts, 'unlink', path);
    const n = dir.children.get(name);
    if (!n) throw new FilesError('ENOENT', 'unlink', path);
    if (n.type === 'dir' && n.children.size > 0 && !opts.recursive) throw new FilesError('ENOTEMPTY', 'rmdir', path);
    dir.children.delete(name);
    this.found.clear();
    dir.mtimeMs = this.now();
    dir.stamp = ++lastStamp;
  }

  /** `rename(2)`: replaces a file, or an empty directory with a directory; a directory cannot move into itself (EINVAL). */
  rename(from: string, to: string): void {
    const src = components(from, 'rename');
    const dst = components(to, 'rename');
    const srcName = src.at(-1);
    const dstName = dst.at(-1);
    if (srcName === undefined || dstName === undefined) throw new FilesError('EBUSY', 'rename', from);
    const srcDir = this.parentDir(src, 'rename', from);
    const node = srcDir.children.get(srcName);
    if (!node) throw new FilesError('ENOENT', 'rename', from);
    const dstDir = this.parentDir(dst, 'rename', to);
    if (src.join('/') === dst.join('/')) return;
    if (node.type === 'dir' && dst.length > src.length && src.every((p, i) => dst[i] === p)) throw new FilesError('EINVAL', 'rename', from);
    const old = dstDir.children.get(dstName);
    if (old) {
      if (node.type === 'dir' && old.type === 'file') throw new FilesError('ENOTDIR', 'rename', to);
      if (node.type === 'file' && old.type === 'dir') throw new FilesError('EISDIR', 'rename', to);
      if (old.type === 'dir' && old.children.size > 0) throw new FilesError('ENOTEMPTY', 'rename', to);
    }
    srcDir.children.delete(srcName);
    dstDir.children.set(dstName, node);
    this.found.clear();
    const t = this.now();
    srcDir.mtimeMs = t;
    dstDir.mtimeMs = t;
    srcDir.stamp = ++lastStamp;
    dstDir.stamp = ++lastStamp;
  }
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
