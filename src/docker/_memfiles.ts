// A stand-in for the node filesystem (src/sim/files.ts NodeFiles) until the data plane provides
// one per node: the same synchronous surface, errno-coded errors. Goes when NodeFiles lands.
import type { Files } from './files.js';

class FilesError extends Error {
  constructor(
    readonly code: string,
    path: string,
  ) {
    super(`${code}: ${path}`);
  }
}

interface Entry {
  type: 'file' | 'dir';
  data: Uint8Array;
  mode: number;
  mtimeMs: number;
}

const parentOf = (p: string) => p.slice(0, p.lastIndexOf('/')) || '/';

export class MemFiles implements Files {
  private readonly entries = new Map<string, Entry>([['/', { type: 'dir', data: new Uint8Array(), mode: 0o755, mtimeMs: 0 }]]);
  constructor(private readonly now: () => number) {}

  read(path: string): Uint8Array | undefined {
    const e = this.entries.get(path);
    return e?.type === 'file' ? e.data : undefined;
  }

  write(path: string, data: Uint8Array | string, opts?: { mode?: number }): void {
    const parent = this.entries.get(parentOf(path));
    if (!parent) throw new FilesError('ENOENT', path);
    if (parent.type !== 'dir') throw new FilesError('ENOTDIR', path);
    const old = this.entries.get(path);
    if (old?.type === 'dir') throw new FilesError('EISDIR', path);
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    this.entries.set(path, { type: 'file', data: bytes, mode: opts?.mode ?? old?.mode ?? 0o644, mtimeMs: this.now() });
  }

  mkdirp(path: string): void {
    if (path === '/') return;
    const e = this.entries.get(path);
    if (e) {
      if (e.type !== 'dir') throw new FilesError('ENOTDIR', path);
      return;
    }
    this.mkdirp(parentOf(path));
    this.entries.set(path, { type: 'dir', data: new Uint8Array(), mode: 0o755, mtimeMs: this.now() });
  }

  list(dir: string): string[] | undefined {
    if (this.entries.get(dir)?.type !== 'dir') return undefined;
    const prefix = dir === '/' ? '/' : `${dir}/`;
    const out: string[] = [];
    for (const p of this.entries.keys()) if (p !== '/' && p.startsWith(prefix) && !p.slice(prefix.length).includes('/')) out.push(p.slice(prefix.length));
    return out.sort();
  }

  stat(path: string): { type: 'file' | 'dir'; size: number; mode: number; mtimeMs: number } | undefined {
    const e = this.entries.get(path);
    return e ? { type: e.type, size: e.data.length, mode: e.mode, mtimeMs: e.mtimeMs } : undefined;
  }

  remove(path: string, opts?: { recursive?: boolean }): void {
    const e = this.entries.get(path);
    if (!e) throw new FilesError('ENOENT', path);
    if (e.type === 'dir' && (this.list(path) ?? []).length > 0 && !opts?.recursive) throw new FilesError('ENOTEMPTY', path);
    for (const p of [...this.entries.keys()]) if (p === path || p.startsWith(`${path}/`)) this.entries.delete(p);
  }

  exists(path: string): boolean {
    return this.entries.has(path);
  }

  rename(from: string, to: string): void {
    if (!this.entries.has(from)) throw new FilesError('ENOENT', from);
    if (!this.entries.has(parentOf(to))) throw new FilesError('ENOENT', to);
    for (const [p, e] of [...this.entries]) {
      if (p === from || p.startsWith(`${from}/`)) {
        this.entries.delete(p);
        this.entries.set(to + p.slice(from.length), e);
      }
    }
  }
}
