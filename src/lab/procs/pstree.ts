// psmisc's pstree over a node's process table, in its ASCII style (a node's shell has no UTF-8
// locale): `-a` one process a line with its arguments under `|-`/`` `- `` and 4-column indents, the
// default form drawn inline (`-+-`, `---`, ` |-`, `` `-``). Threads are children named `{comm}`.
// Identical siblings merge into `N*[name]` unless -c or -p; -n orders by PID instead of name; -p adds
// `,PID` with -a and `(PID)` without; -S adds the namespaces a process does not share with its parent
// (`,ipc,mnt,net,pid,uts`). With -a only threads merge (psmisc's print_args branch).
// Lines are never cut (as -l, or output to a pipe: knetlab has no terminal width).
import { NS_TYPES, type NodeProcesses, type NsType, type Process } from '../../node/index.js';
import type { ToolResult } from '../../docker/index.js';

interface TreeNode {
  readonly id: number;
  /** name, ,PID, ,namespaces */
  readonly label: string;
  /** -a: the arguments after the name */
  readonly args: string;
  readonly sortName: string;
  readonly children: TreeNode[];
  readonly thread?: boolean;
}

interface Opts {
  args: boolean;
  compact: boolean;
  numeric: boolean;
  pids: boolean;
  ns: boolean;
  threads: boolean;
}

/** psmisc's namespace order for -S. */
const NS_ORDER: readonly NsType[] = [...NS_TYPES.filter((t) => t !== 'time'), 'time'];

/** The name and its PID and namespace marks: `pause,1650,ipc` with -a, `pause(1650,ipc)` without (psmisc dump_tree). */
function decorate(name: string, info: readonly string[], o: Opts): string {
  if (!info.length) return name;
  return o.args ? `${name},${info.join(',')}` : `${name}(${info.join(',')})`;
}

function build(table: NodeProcesses, p: Process, parent: Process | undefined, o: Opts): TreeNode {
  const nsDiff = o.ns && parent ? NS_ORDER.filter((t) => p.ns[t] !== parent.ns[t]) : [];
  const label = decorate(p.comm, [...(o.pids ? [String(p.pid)] : []), ...nsDiff], o);
  const children: TreeNode[] = [];
  if (o.threads)
    for (const t of p.threads)
      children.push({
        id: t,
        label: decorate(`{${p.comm}}`, o.pids ? [String(t)] : [], o),
        args: '',
        sortName: `{${p.comm}}`,
        children: [],
        thread: true,
      });
  for (const c of table.list()) if (c.ppid === p.pid) children.push(build(table, c, p, o));
  children.sort((a, b) => (o.numeric ? a.id - b.id : a.sortName < b.sortName ? -1 : a.sortName > b.sortName ? 1 : a.id - b.id));
  return { id: p.pid, label, args: o.args ? p.cmdline.slice(1).join(' ') : '', sortName: p.comm, children };
}

const signature = (n: TreeNode): string => `${n.label}\0${n.args}\0[${n.children.map(signature).join('|')}]`;

/** Siblings that are equal subtrees, as one entry with their count, at the first one's place. */
/** Equal siblings merged (psmisc's tree_equal); with -a only threads are (its print_args branch). */
function groups(children: readonly TreeNode[], compact: boolean, threadsOnly = false): { node: TreeNode; count: number }[] {
  const out: { node: TreeNode; count: number; sig: string }[] = [];
  for (const c of children) {
    const sig = signature(c);
    const same = compact && !(threadsOnly && !c.thread) ? out.find((g) => g.sig === sig) : undefined;
    if (same) same.count++;
    else out.push({ node: c, count: 1, sig });
  }
  return out;
}

function text(n: TreeNode, count: number): string {
  const base = n.args ? `${n.label} ${n.args}` : n.label;
  return count > 1 ? `${count}*[${base}]` : base;
}

/** -a: a process a line. */
function listLines(n: TreeNode, count: number, o: Opts, prefix: string, out: string[], first: boolean): void {
  if (first) out.push(text(n, count));
  const gs = groups(n.children, o.compact, true);
  gs.forEach((g, i) => {
    const last = i === gs.length - 1;
    out.push(`${prefix}${last ? '`-' : '|-'}${text(g.node, g.count)}`);
    const sub: string[] = [];
    listLines(g.node, g.count, o, `${prefix}${last ? '  ' : '| '}  `, sub, false);
    out.push(...sub);
  });
}

/** The inline drawing: a child on its parent's line, siblings below; merged subtrees inside `N*[…]`. */
function inline(n: TreeNode, count: number, o: Opts): string[] {
  const gs = groups(n.children, o.compact);
  let lines: string[];
  if (gs.length === 0) lines = [n.label];
  else {
    const pad = ' '.repeat(n.label.length);
    lines = [];
    if (gs.length === 1) {
      const sub = inline(gs[0]!.node, gs[0]!.count, o);
      lines.push(`${n.label}---${sub[0]}`, ...sub.slice(1).map((l) => `${pad}   ${l}`));
    } else {
      gs.forEach((g, i) => {
        const sub = inline(g.node, g.count, o);
        const last = i === gs.length - 1;
        lines.push(`${i === 0 ? n.label : pad}${i === 0 ? '-+-' : last ? ' `-' : ' |-'}${sub[0]}`);
        for (const l of sub.slice(1)) lines.push(`${pad}${last ? '   ' : ' | '}${l}`);
      });
    }
  }
  if (count === 1) return lines;
  const head = `${count}*[`;
  return lines.map((l, i) => `${i === 0 ? head : ' '.repeat(head.length)}${l}${i === lines.length - 1 ? ']' : ''}`);
}

export function pstree(table: NodeProcesses, argv: readonly string[]): ToolResult {
  const o: Opts = { args: false, compact: true, numeric: false, pids: false, ns: false, threads: true };
  let root = 1;
  for (const a of argv) {
    if (a.startsWith('-') && !a.startsWith('--') && a.length > 1) {
      for (const ch of a.slice(1)) {
        if (ch === 'a') o.args = true;
        else if (ch === 'c') o.compact = false;
        else if (ch === 'n') o.numeric = true;
        else if (ch === 'p') {
          o.pids = true;
          o.compact = false;
        } else if (ch === 'S') o.ns = true;
        else if (ch === 'T') o.threads = false;
        else if (ch === 'l' || ch === 's' || ch === 'A' || ch === 'G' || ch === 'U') continue;
        else return { status: 1, stdout: '', stderr: `pstree: invalid option -- '${ch}'\n` };
      }
    } else if (/^\d+$/.test(a)) root = Number(a);
    else return { status: 1, stdout: '', stderr: `knetlab: pstree ${a}: only -a -c -l -n -p -s -S -T and a PID are emulated\n` };
  }
  const p = table.get(root);
  // psmisc prints nothing for a PID that does not exist, and fails
  if (!p) return { status: 1, stdout: '', stderr: '' };
  const tree = build(table, p, undefined, o);
  const lines: string[] = [];
  if (o.args) listLines(tree, 1, o, '  ', lines, true);
  else lines.push(...inline(tree, 1, o));
  return { status: 0, stdout: `${lines.join('\n')}\n`, stderr: '' };
}
