// A container's files as just-bash's shell sees them: the node's synchronous NodeFiles adapted to
// just-bash's IFileSystem (the errors carry the errno words its commands turn into coreutils'
// messages), with /proc/sys served by the node's sysctl table, as procfs serves it.
import type { FsStat, IFileSystem } from 'just-bash/browser';

/** What the shell needs of a node's files: the NodeFiles surface (src/sim/files.ts) it is written against. */
export interface Files {
  read(path: string): Uint8Array | undefined;
  write(path: string, data: Uint8Array | string, opts?: { mode?: number }): void;
  mkdirp(path: string): void;
  list(dir: string): string[] | undefined;
  stat(path: string): { type: 'file' | 'dir'; size: number; mode: number; mtimeMs: number } | undefined;
  remove(path: string, opts?: { recursive?: boolean }): void;
  exists(path: string): boolean;
  rename(from: string, to: string): void;
}

/** The node's sysctl table (kernel Sysctls of its root namespace), as procfs shows it under /proc/sys. */
export interface SysctlTable {
  get(path: string): string;
  set(path: string, value: string): void;
  has(path: string): boolean;
  keysUnder(prefix: string): string[];
}

/** The namespace's /proc/net files as the kernel renders them (route, arp, dev), as procfs serves them. */
export interface ProcNet {
  readonly names: readonly string[];
  read(name: string): string | undefined;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Normalises an absolute path: no '.', '..', doubled or trailing slashes. */
export function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

function fsError(code: string, what: string, op: string, path: string): Error {
  const e = new Error(`${code}: ${what}, ${op} '${path}'`) as Error & { code: string };
  e.code = code;
  return e;
}
const enoent = (op: string, p: string) => fsError('ENOENT', 'no such file or directory', op, p);
const eisdir = (op: string, p: string) => fsError('EISDIR', 'illegal operation on a directory', op, p);
const enotdir = (op: string, p: string) => fsError('ENOTDIR', 'not a directory', op, p);

/** Errors a Files method throws (FilesError with an errno code) become just-bash's errno texts. */
function rethrow(e: unknown, op: string, path: string): never {
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT') throw enoent(op, path);
  if (code === 'EISDIR') throw eisdir(op, path);
  if (code === 'ENOTDIR') throw enotdir(op, path);
  if (code === 'ENOTEMPTY') throw fsError('ENOTEMPTY', 'directory not empty', op, path);
  if (code === 'EEXIST') throw fsError('EEXIST', 'file already exists', op, path);
  throw e;
}

const PROC_SYS = '/proc/sys';
const PROC_NET = '/proc/net';
/** The character device every redirection to nowhere uses: writes vanish, reads are empty. */
const DEV_NULL = '/dev/null';

export class NodeShellFs implements IFileSystem {
  constructor(
    private readonly files: Files,
    private readonly sysctl: SysctlTable | undefined,
    private readonly now: () => Date,
    /** Wall-clock milliseconds at the files' time 0 (their mtimes are the lab's virtual time). */
    private readonly epochMs = 0,
    private readonly procNet?: ProcNet,
  ) {}

  /** The /proc/net file a path names ('' for /proc/net itself), or undefined outside it. */
  private net(path: string): string | undefined {
    if (!this.procNet) return undefined;
    if (path === PROC_NET) return '';
    return path.startsWith(`${PROC_NET}/`) ? path.slice(PROC_NET.length + 1) : undefined;
  }

  /** The sysctl key a /proc/sys path names ('' for /proc/sys itself), or undefined outside it. */
  private sys(path: string): string | undefined {
    if (!this.sysctl) return undefined;
    if (path === PROC_SYS) return '';
    return path.startsWith(`${PROC_SYS}/`) ? path.slice(PROC_SYS.length + 1) : undefined;
  }

  private sysDir(key: string): boolean {
    return (
      this.sysctl!.keysUnder(key === '' ? '' : `${key}/`).length > 0 ||
      (key !== '' && this.sysctl!.keysUnder(key).some((k) => k.startsWith(`${key}/`)))
    );
  }

  async readFile(path: string): Promise<string> {
    return dec.decode(await this.readFileBuffer(path));
  }

  async readFileBuffer(path: string): Promise<Uint8Array> {
    const p = normalize(path);
    const key = this.sys(p);
    if (key !== undefined) {
      if (this.sysctl!.has(key)) return enc.encode(`${this.sysctl!.get(key)}\n`);
      if (this.sysDir(key)) throw eisdir('read', path);
      throw enoent('open', path);
    }
    const net = this.net(p);
    if (net !== undefined) {
      if (net === '') throw eisdir('read', path);
      const text = this.procNet!.read(net);
      if (text === undefined) throw enoent('open', path);
      return enc.encode(text);
    }
    if (p === DEV_NULL) return new Uint8Array();
    const st = this.files.stat(p);
    if (!st) throw enoent('open', path);
    if (st.type === 'dir') throw eisdir('read', path);
    return this.files.read(p) ?? new Uint8Array();
  }

  async writeFile(path: string, content: string | Uint8Array): Promise<void> {
    const p = normalize(path);
    if (p === DEV_NULL) return;
    if (this.net(p) !== undefined) throw fsError('EACCES', 'permission denied', 'open', path);
    const key = this.sys(p);
    if (key !== undefined) {
      if (!this.sysctl!.has(key)) throw enoent('open', path);
      const text = typeof content === 'string' ? content : dec.decode(content);
      // A redirection truncates before it writes: procfs ignores the empty write.
      if (text.trim() === '') return;
      try {
        this.sysctl!.set(key, text.trim());
      } catch {
        throw fsError('EINVAL', 'invalid argument', 'write', path);
      }
      return;
    }
    try {
      this.files.write(p, typeof content === 'string' ? enc.encode(content) : content);
    } catch (e) {
      rethrow(e, 'open', path);
    }
  }

  async appendFile(path: string, content: string | Uint8Array): Promise<void> {
    const p = normalize(path);
    if (this.sys(p) !== undefined || p === DEV_NULL) return this.writeFile(path, content);
    const old = this.files.stat(p)?.type === 'file' ? (this.files.read(p) ?? new Uint8Array()) : new Uint8Array();
    const add = typeof content === 'string' ? enc.encode(content) : content;
    const both = new Uint8Array(old.length + add.length);
    both.set(old);
    both.set(add, old.length);
    return this.writeFile(path, both);
  }

  async exists(path: string): Promise<boolean> {
    const p = normalize(path);
    const key = this.sys(p);
    if (key !== undefined) return key === '' || this.sysctl!.has(key) || this.sysDir(key);
    const net = this.net(p);
    if (net !== undefined) return net === '' || this.procNet!.names.includes(net);
    return p === DEV_NULL || this.files.exists(p);
  }

  async stat(path: string): Promise<FsStat> {
    const p = normalize(path);
    const key = this.sys(p);
    if (key !== undefined) {
      if (key !== '' && this.sysctl!.has(key))
        return { isFile: true, isDirectory: false, isSymbolicLink: false, mode: 0o100644, size: 0, mtime: this.now() };
      if (key === '' || this.sysDir(key))
        return { isFile: false, isDirectory: true, isSymbolicLink: false, mode: 0o40555, size: 0, mtime: this.now() };
      throw enoent('stat', path);
    }
    const net = this.net(p);
    if (net === '') return { isFile: false, isDirectory: true, isSymbolicLink: false, mode: 0o40555, size: 0, mtime: this.now() };
    if (net !== undefined) {
      if (!this.procNet!.names.includes(net)) throw enoent('stat', path);
      return { isFile: true, isDirectory: false, isSymbolicLink: false, mode: 0o100444, size: 0, mtime: this.now() };
    }
    if (p === DEV_NULL)
      return { isFile: false, isDirectory: false, isSymbolicLink: false, mode: 0o20666, size: 0, mtime: new Date(this.epochMs) };
    const st = this.files.stat(p);
    if (!st) throw enoent('stat', path);
    const type = st.type === 'dir' ? 0o40000 : 0o100000;
    return {
      isFile: st.type === 'file',
      isDirectory: st.type === 'dir',
      isSymbolicLink: false,
      mode: type | (st.mode & 0o7777),
      size: st.size,
      mtime: new Date(this.epochMs + st.mtimeMs),
    };
  }

  lstat(path: string): Promise<FsStat> {
    return this.stat(path);
  }

  async mkdir(path: string, options?: { recursive?: boolean }): Promise<void> {
    const p = normalize(path);
    if (this.sys(p) !== undefined) throw fsError('EEXIST', 'file already exists', 'mkdir', path);
    const st = this.files.stat(p);
    if (st) {
      if (options?.recursive && st.type === 'dir') return;
      throw fsError('EEXIST', 'file already exists', 'mkdir', path);
    }
    const parent = p.slice(0, p.lastIndexOf('/')) || '/';
    const pst = this.files.stat(parent);
    if (!options?.recursive) {
      if (!pst) throw enoent('mkdir', path);
      if (pst.type !== 'dir') throw enotdir('mkdir', path);
    }
    try {
      this.files.mkdirp(p);
    } catch (e) {
      rethrow(e, 'mkdir', path);
    }
  }

  async readdir(path: string): Promise<string[]> {
    const p = normalize(path);
    const key = this.sys(p);
    if (key !== undefined) {
      const prefix = key === '' ? '' : `${key}/`;
      const names = new Set<string>();
      for (const k of this.sysctl!.keysUnder(key)) if (k.startsWith(prefix)) names.add(k.slice(prefix.length).split('/')[0]!);
      if (names.size === 0) throw this.sysctl!.has(key) ? enotdir('scandir', path) : enoent('scandir', path);
      return [...names].sort();
    }
    const net = this.net(p);
    if (net !== undefined) {
      if (net !== '') throw this.procNet!.names.includes(net) ? enotdir('scandir', path) : enoent('scandir', path);
      return [...this.procNet!.names].sort();
    }
    const names = this.files.list(p);
    if (!names) throw this.files.stat(p) ? enotdir('scandir', path) : enoent('scandir', path);
    if (p !== '/proc') return names;
    const more = [...(this.sysctl ? ['sys'] : []), ...(this.procNet ? ['net'] : [])].filter((n) => !names.includes(n));
    return more.length ? [...names, ...more].sort() : names;
  }

  async rm(path: string, options?: { recursive?: boolean; force?: boolean }): Promise<void> {
    const p = normalize(path);
    if (this.sys(p) !== undefined) throw fsError('EPERM', 'operation not permitted', 'unlink', path);
    const st = this.files.stat(p);
    if (!st) {
      if (options?.force) return;
      throw enoent('rm', path);
    }
    if (st.type === 'dir' && !options?.recursive && (this.files.list(p) ?? []).length > 0)
      throw fsError('ENOTEMPTY', 'directory not empty', 'rm', path);
    try {
      this.files.remove(p, { recursive: options?.recursive ?? false });
    } catch (e) {
      rethrow(e, 'rm', path);
    }
  }

  async cp(src: string, dest: string, options?: { recursive?: boolean }): Promise<void> {
    const s = normalize(src);
    const d = normalize(dest);
    const st = await this.stat(s);
    if (st.isDirectory) {
      if (!options?.recursive) throw eisdir('cp', src);
      await this.mkdir(d, { recursive: true });
      for (const name of await this.readdir(s)) await this.cp(`${s}/${name}`, `${d}/${name}`, options);
      return;
    }
    await this.writeFile(d, await this.readFileBuffer(s));
    const mode = this.files.stat(s)?.mode;
    if (mode !== undefined) this.files.write(d, this.files.read(d) ?? new Uint8Array(), { mode });
  }

  async mv(src: string, dest: string): Promise<void> {
    try {
      this.files.rename(normalize(src), normalize(dest));
    } catch (e) {
      rethrow(e, 'rename', src);
    }
  }

  resolvePath(base: string, path: string): string {
    return normalize(path.startsWith('/') ? path : `${base}/${path}`);
  }

  getAllPaths(): string[] {
    const out: string[] = [];
    const walk = (dir: string) => {
      for (const name of this.files.list(dir) ?? []) {
        const p = dir === '/' ? `/${name}` : `${dir}/${name}`;
        out.push(p);
        if (this.files.stat(p)?.type === 'dir') walk(p);
      }
    };
    walk('/');
    return out;
  }

  async chmod(path: string, mode: number): Promise<void> {
    const p = normalize(path);
    const st = this.files.stat(p);
    if (!st) throw enoent('chmod', path);
    if (st.type === 'file') this.files.write(p, this.files.read(p) ?? new Uint8Array(), { mode: mode & 0o7777 });
  }

  async symlink(): Promise<void> {
    throw fsError('EPERM', 'operation not permitted', 'symlink', '');
  }

  async link(existingPath: string, newPath: string): Promise<void> {
    await this.cp(existingPath, newPath);
  }

  async readlink(path: string): Promise<string> {
    throw fsError('EINVAL', 'invalid argument', 'readlink', path);
  }

  async realpath(path: string): Promise<string> {
    const p = normalize(path);
    if (!(await this.exists(p))) throw enoent('realpath', path);
    return p;
  }

  async utimes(path: string): Promise<void> {
    if (!(await this.exists(path))) throw enoent('utime', path);
  }
}
