// util-linux lsns over a node's process table: one line per namespace, sorted by its inode, with
// NS TYPE NPROCS PID USER COMMAND (NPROCS: processes in it; PID: the lowest of them, whose user and
// command line follow), NETNSID and NSFS too when only net namespaces are listed (-t net);
// `-p PID` keeps the namespaces of that process. Columns as libsmartcols sizes them: as wide as the
// widest cell or the header, and widened to the column's width hint (lsns.c infos[]: NS 10, TYPE 5,
// NPROCS 5, PID 5) when the cells are wider than the header but narrower than the hint.
import { NS_TYPES, userName, type NodeProcesses, type NsType, type Process } from '../../node/index.js';
import type { ToolResult } from '../../docker/index.js';

interface Column {
  readonly name: string;
  readonly hint: number;
  readonly right: boolean;
}

const COLUMNS: Readonly<Record<string, Column>> = {
  NS: { name: 'NS', hint: 10, right: true },
  TYPE: { name: 'TYPE', hint: 5, right: false },
  NPROCS: { name: 'NPROCS', hint: 5, right: true },
  PID: { name: 'PID', hint: 5, right: true },
  USER: { name: 'USER', hint: 0, right: false },
  NETNSID: { name: 'NETNSID', hint: 0, right: true },
  NSFS: { name: 'NSFS', hint: 0, right: false },
  COMMAND: { name: 'COMMAND', hint: 0, right: false },
};

/** libsmartcols' table: widths by count_column_width, the last column unpadded. */
export function smartcolsTable(cols: readonly Column[], rows: readonly (readonly string[])[], headings = true): string {
  const widths = cols.map((c, i) => {
    const min = c.name.length;
    const max = Math.max(0, ...rows.map((r) => r[i]!.length));
    if (max < min) return min;
    return c.hint >= 1 && max < c.hint && min < c.hint ? c.hint : max;
  });
  const line = (cells: readonly string[]) =>
    cells
      .map((v, i) => (i === cells.length - 1 && !cols[i]!.right ? v : cols[i]!.right ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join(' ');
  return [...(headings ? [line(cols.map((c) => c.name))] : []), ...rows.map(line)].map((l) => `${l}\n`).join('');
}

export interface LsnsContext {
  /** The net namespace's id as the node's own namespace numbers it (`ip netns list-id`), or 'unassigned'. */
  netnsid(p: Process): string;
}

export function lsns(table: NodeProcesses, argv: readonly string[], ctx: LsnsContext): ToolResult {
  let pid: number | undefined;
  const types = new Set<NsType>();
  let headings = true;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (name: string) => {
      const v = a.length > 2 && !a.startsWith('--') ? a.slice(2) : a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new Error(`lsns: option requires an argument -- '${name}'`);
      return v;
    };
    try {
      if (a === '-p' || a.startsWith('-p') || a.startsWith('--task')) {
        const v = value('p');
        if (!/^\d+$/.test(v) || Number(v) > 2 ** 31 - 1) return { status: 1, stdout: '', stderr: `lsns: invalid PID argument: '${v}'\n` };
        pid = Number(v);
      } else if (a === '-t' || a.startsWith('-t') || a.startsWith('--type')) {
        const v = value('t');
        if (!(NS_TYPES as readonly string[]).includes(v)) return { status: 1, stdout: '', stderr: `lsns: unknown namespace type: ${v}\n` };
        types.add(v as NsType);
      } else if (a === '-n' || a === '--noheadings') headings = false;
      else if (a === '-l' || a === '--list' || a === '-u' || a === '--notruncate') continue;
      else if (/^\d+$/.test(a)) {
        if (pid !== undefined) return { status: 1, stdout: '', stderr: 'lsns: --task is mutually exclusive with <namespace>\n' };
        return { status: 1, stdout: '', stderr: 'knetlab: lsns <namespace> (the processes of one namespace) is not emulated\n' };
      } else
        return {
          status: 1,
          stdout: '',
          stderr: `lsns: invalid option -- '${a.replace(/^-+/, '')}'\nTry 'lsns --help' for more information.\n`,
        };
    } catch (e) {
      return { status: 1, stdout: '', stderr: `${(e as Error).message}\nTry 'lsns --help' for more information.\n` };
    }
  }
  const procs = table.list();
  const wanted = types.size ? [...types] : [...NS_TYPES];
  const nss = new Map<number, { type: NsType; procs: Process[] }>();
  for (const p of procs) {
    for (const t of wanted) {
      const e = nss.get(p.ns[t]) ?? { type: t, procs: [] };
      e.procs.push(p);
      nss.set(p.ns[t], e);
    }
  }
  const target = pid === undefined ? undefined : table.get(pid);
  const netOnly = types.size === 1 && types.has('net');
  const cols = ['NS', 'TYPE', 'NPROCS', 'PID', 'USER', ...(netOnly ? ['NETNSID', 'NSFS'] : []), 'COMMAND'].map((c) => COLUMNS[c]!);
  const rows: string[][] = [];
  for (const [ino, e] of [...nss].sort((a, b) => a[0] - b[0])) {
    if (pid !== undefined && !(target && target.ns[e.type] === ino)) continue;
    const owner = e.procs[0]!;
    const row = [String(ino), e.type, String(e.procs.length), String(owner.pid), userName(owner.uid)];
    if (netOnly) row.push(ctx.netnsid(owner), owner.netns ? `/run/netns/${owner.netns}` : '');
    row.push(owner.cmdline.join(' '));
    rows.push(row);
  }
  if (pid !== undefined && !target) return { status: 0, stdout: '', stderr: '' };
  return { status: 0, stdout: smartcolsTable(cols, rows, headings), stderr: '' };
}
