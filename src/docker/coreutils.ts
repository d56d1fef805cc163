// The file tools whose output just-bash formats its own way, as GNU coreutils 9.7 `ls` and tree 2.2
// print them on Debian trixie: `ls -l` with modes, links, root's names, sizes and dates, and the
// many-per-line layout on a terminal (GNU ls's column fitting, tabs every 8 columns); tree with its
// UTF-8 line drawing and the directory/file summary. Options they do not cover go to just-bash's.
import type { IFileSystem } from 'just-bash/browser';

interface Entry {
  readonly name: string;
  readonly path: string;
  readonly dir: boolean;
  readonly mode: number;
  readonly size: number;
  readonly mtime: Date;
  readonly nlink: number;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function modeString(dir: boolean, mode: number): string {
  const bits = 'rwxrwxrwx';
  let s = dir ? 'd' : '-';
  for (let i = 0; i < 9; i++) s += mode & (1 << (8 - i)) ? bits[i] : '-';
  if (mode & 0o1000) s = s.slice(0, 9) + (mode & 1 ? 't' : 'T');
  return s;
}

/** GNU ls's date column: `Mon dd HH:MM` within six months of now, else `Mon dd  YYYY`. */
function dateText(t: Date, now: Date): string {
  const recent = Math.abs(now.getTime() - t.getTime()) < 15_778_476_000;
  const day = String(t.getUTCDate()).padStart(2, ' ');
  const tail = recent
    ? `${String(t.getUTCHours()).padStart(2, '0')}:${String(t.getUTCMinutes()).padStart(2, '0')}`
    : ` ${t.getUTCFullYear()}`;
  return `${MONTHS[t.getUTCMonth()]} ${day} ${tail}`;
}

/** `ls -h` sizes: 1024-based, one decimal below 10 (4.0K, 12K, 3.9M), rounded up as GNU does. */
function human(n: number): string {
  if (n < 1024) return String(n);
  const units = ['K', 'M', 'G', 'T'];
  let v = n;
  let u = -1;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return v < 10 ? `${(Math.ceil(v * 10) / 10).toFixed(1)}${units[u]}` : `${Math.ceil(v)}${units[u]}`;
}

async function entry(fs: IFileSystem, path: string, name: string): Promise<Entry> {
  const st = await fs.stat(path);
  let nlink = 1;
  if (st.isDirectory) {
    nlink = 2;
    try {
      for (const n of await fs.readdir(path)) if ((await fs.stat(`${path === '/' ? '' : path}/${n}`)).isDirectory) nlink++;
    } catch {
      /* unreadable: as if empty */
    }
  }
  return { name, path, dir: st.isDirectory, mode: st.mode & 0o7777, size: st.isDirectory ? 4096 : st.size, mtime: st.mtime, nlink };
}

/** GNU ls -C: as many columns as fit in `width`, filled down each column, padded with tabs (every 8). */
export function columns(names: readonly string[], width = 80): string {
  if (names.length === 0) return '';
  let best = 1;
  for (let cols = Math.min(names.length, Math.floor(width / 3)); cols >= 1; cols--) {
    const rows = Math.ceil(names.length / cols);
    if (Math.ceil(names.length / rows) !== cols) continue;
    let len = 0;
    for (let c = 0; c < cols; c++) {
      const col = names.slice(c * rows, (c + 1) * rows);
      len += Math.max(...col.map((n) => n.length)) + (c === cols - 1 ? 0 : 2);
    }
    if (len < width) {
      best = cols;
      break;
    }
  }
  const rows = Math.ceil(names.length / best);
  const widths = Array.from({ length: best }, (_, c) => Math.max(...names.slice(c * rows, (c + 1) * rows).map((n) => n.length)) + 2);
  let out = '';
  for (let r = 0; r < rows; r++) {
    let pos = 0;
    let line = '';
    for (let c = 0; c < best; c++) {
      const name = names[c * rows + r];
      if (name === undefined) break;
      if (c > 0) {
        // GNU ls indent(): tabs while a whole tab stop fits before the target, then spaces.
        const target = widths.slice(0, c).reduce((a, b) => a + b, 0);
        while (pos < target) {
          if (Math.floor(target / 8) > Math.floor((pos + 1) / 8)) {
            line += '\t';
            pos += 8 - (pos % 8);
          } else {
            line += ' ';
            pos++;
          }
        }
      }
      line += name;
      pos += name.length;
    }
    out += `${line}\n`;
  }
  return out;
}

export interface LsResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** GNU ls for -l, -a, -A, -1, -h, -d over `fs`; undefined when it is asked for something else. */
export async function ls(args: readonly string[], fs: IFileSystem, cwd: string, now: Date, tty: boolean): Promise<LsResult | undefined> {
  const o = { l: false, a: false, A: false, one: false, h: false, d: false };
  const operands: string[] = [];
  for (const a of args) {
    if (a === '--') continue;
    if (/^-[laA1hd]+$/.test(a)) {
      for (const f of a.slice(1)) {
        if (f === '1') o.one = true;
        else o[f as 'l' | 'a' | 'A' | 'h' | 'd'] = true;
      }
    } else if (a.startsWith('-')) return undefined;
    else operands.push(a);
  }
  const targets = operands.length ? operands : ['.'];
  let stdout = '';
  let stderr = '';
  let status = 0;
  const files: Entry[] = [];
  const dirs: Entry[] = [];
  for (const t of targets) {
    const path = fs.resolvePath(cwd, t);
    try {
      const e = await entry(fs, path, t);
      if (e.dir && !o.d) dirs.push(e);
      else files.push(e);
    } catch {
      stderr += `ls: cannot access '${t}': No such file or directory\n`;
      status = 2;
    }
  }
  const render = (list: readonly Entry[], total: boolean): string => {
    if (!o.l) return tty && !o.one ? columns(list.map((e) => e.name)) : list.map((e) => `${e.name}\n`).join('');
    const size = (e: Entry) => (o.h ? human(e.size) : String(e.size));
    const wl = Math.max(...list.map((e) => String(e.nlink).length), 1);
    const ws = Math.max(...list.map((e) => size(e).length), 1);
    const blocks = list.reduce((s, e) => s + Math.ceil(e.size / 4096) * 4, 0);
    const head = total ? `total ${o.h ? human(blocks * 1024) : blocks}\n` : '';
    return (
      head +
      list
        .map(
          (e) =>
            `${modeString(e.dir, e.mode)} ${String(e.nlink).padStart(wl)} root root ${size(e).padStart(ws)} ${dateText(e.mtime, now)} ${e.name}\n`,
        )
        .join('')
    );
  };
  if (files.length) stdout += render(files, false);
  for (const d of dirs) {
    let names = (await fs.readdir(d.path)).filter((n) => o.a || o.A || !n.startsWith('.'));
    names = names.sort((x, y) => (x.toLowerCase() < y.toLowerCase() ? -1 : x.toLowerCase() > y.toLowerCase() ? 1 : 0));
    const list: Entry[] = [];
    if (o.a) list.push({ ...d, name: '.' }, { ...(await entry(fs, fs.resolvePath(d.path, '..'), '..')) });
    for (const n of names) list.push(await entry(fs, `${d.path === '/' ? '' : d.path}/${n}`, n));
    if (targets.length > 1) stdout += `${stdout ? '\n' : ''}${d.name}:\n`;
    stdout += render(list, true);
  }
  return { stdout, stderr, exitCode: status };
}

/** tree 2.2: the UTF-8 drawing (│ followed by two no-break spaces), then `N directories, M files`. */
export async function tree(args: readonly string[], fs: IFileSystem, cwd: string): Promise<LsResult | undefined> {
  if (args.some((a) => a.startsWith('-'))) return undefined;
  const roots = args.length ? args : ['.'];
  let out = '';
  let err = '';
  let dirs = 0;
  let files = 0;
  const walk = async (path: string, prefix: string) => {
    const names = (await fs.readdir(path)).filter((n) => !n.startsWith('.')).sort();
    for (let i = 0; i < names.length; i++) {
      const lastOne = i === names.length - 1;
      const child = `${path === '/' ? '' : path}/${names[i]}`;
      out += `${prefix}${lastOne ? '└── ' : '├── '}${names[i]}\n`;
      if ((await fs.stat(child)).isDirectory) {
        dirs++;
        await walk(child, prefix + (lastOne ? '    ' : '│\u00a0\u00a0 '));
      } else files++;
    }
  };
  for (const r of roots) {
    const path = fs.resolvePath(cwd, r);
    let isDir = false;
    try {
      isDir = (await fs.stat(path)).isDirectory;
    } catch {
      out += `${r}  [error opening dir]\n`;
      continue;
    }
    out += `${r}\n`;
    if (isDir) await walk(path, '');
    else err += '';
  }
  out += `\n${dirs} ${dirs === 1 ? 'directory' : 'directories'}, ${files} ${files === 1 ? 'file' : 'files'}\n`;
  return { stdout: out, stderr: err, exitCode: 0 };
}

/** Debian's base-passwd users and groups (kind's node image is debian:trixie-slim): the names chown knows. */
const DEBIAN_USERS = [
  'root',
  'daemon',
  'bin',
  'sys',
  'sync',
  'games',
  'man',
  'lp',
  'mail',
  'news',
  'uucp',
  'proxy',
  'www-data',
  'backup',
  'list',
  'irc',
  '_apt',
  'nobody',
];
const DEBIAN_GROUPS = [
  'root',
  'daemon',
  'bin',
  'sys',
  'adm',
  'tty',
  'disk',
  'lp',
  'mail',
  'news',
  'uucp',
  'man',
  'proxy',
  'kmem',
  'dialout',
  'fax',
  'voice',
  'cdrom',
  'floppy',
  'tape',
  'sudo',
  'audio',
  'dip',
  'www-data',
  'backup',
  'operator',
  'list',
  'irc',
  'src',
  'shadow',
  'utmp',
  'video',
  'sasl',
  'plugdev',
  'staff',
  'games',
  'users',
  'nogroup',
];

const CHOWN_TRY = "Try 'chown --help' for more information.\n";

/**
 * GNU chown's checks: the owner and group must name a user and group of the image (or be numbers)
 * and each file must exist. Coarse: the lab's files keep no owners, so `ls -l` still shows root.
 */
export async function chown(args: readonly string[], fs: IFileSystem, cwd: string): Promise<LsResult> {
  const operands: string[] = [];
  let options = true;
  for (const a of args) {
    if (options && a === '--') options = false;
    else if (options && /^-[RhfvcHLP]+$/.test(a)) continue;
    else if (options && a.startsWith('-') && a !== '-') {
      const bad = a.startsWith('--')
        ? `unrecognized option '${a}'`
        : `invalid option -- '${[...a.slice(1)].find((c) => !'RhfvcHLP'.includes(c))}'`;
      return { stdout: '', stderr: `chown: ${bad}\n${CHOWN_TRY}`, exitCode: 1 };
    } else operands.push(a);
  }
  if (operands.length === 0) return { stdout: '', stderr: `chown: missing operand\n${CHOWN_TRY}`, exitCode: 1 };
  const [spec, ...files] = operands as [string, ...string[]];
  if (files.length === 0) return { stdout: '', stderr: `chown: missing operand after '${spec}'\n${CHOWN_TRY}`, exitCode: 1 };
  const sep = spec.search(/[:.]/);
  const user = sep < 0 ? spec : spec.slice(0, sep);
  const group = sep < 0 ? '' : spec.slice(sep + 1);
  const known = (name: string, names: readonly string[]) => name === '' || /^\d+$/.test(name) || names.includes(name);
  if (!known(user, DEBIAN_USERS)) return { stdout: '', stderr: `chown: invalid user: '${spec}'\n`, exitCode: 1 };
  if (!known(group, DEBIAN_GROUPS)) return { stdout: '', stderr: `chown: invalid group: '${spec}'\n`, exitCode: 1 };
  let stderr = '';
  for (const f of files)
    if (!(await fs.exists(fs.resolvePath(cwd, f)))) stderr += `chown: cannot access '${f}': No such file or directory\n`;
  return { stdout: '', stderr, exitCode: stderr ? 1 : 0 };
}
