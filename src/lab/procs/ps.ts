// procps-ng's ps and pgrep over a node's process table. ps: the Unix `-e`/`-A`, `-f` and BSD
// `a`/`x`/`u`/`f`/`w` forms the seeds use (`ps -ef`, `ps aux`, `ps afxuwww`), with procps' column
// widths (ps/output.c format_array: UID 8, PID and PPID as wide as /proc/sys/kernel/pid_max's
// digits — procps_pid_length —, C 2, STIME 5, TTY 8, TIME 8; USER 8, %CPU 4, %MEM 4, VSZ 6, RSS 5,
// STAT 4, START 5, BSD TIME 6) and its forest art (" \_ " under a parent, " |  " past a sibling).
// Output to a pipe is never cut (procps takes OUTBUF_SIZE as the width then).
import { NODE_MEM_KB, PID_MAX, userName, type Process, type ProcessView } from '../../node/index.js';
import type { ToolResult } from '../../docker/index.js';

const PIDW = String(PID_MAX).length;

const pad = (s: string, w: number) => s.padEnd(w);
const rpad = (s: string, w: number) => s.padStart(w);
const two = (n: number) => String(n).padStart(2, '0');

/** Seconds of CPU a process has used by `now` (its fixed share of one CPU over its life). */
function cpuSeconds(p: Process, now: number): number {
  return Math.floor((Math.max(0, now - p.start) / 1000) * p.cpu);
}

/** ps STIME/START: HH:MM the same day (within 24 hours), else MonDD, else the year (procps pr_stime). */
export function startTime(start: number, now: number): string {
  const d = new Date(start);
  if (now - start < 24 * 3600_000) return `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
  if (now - start < 365 * 24 * 3600_000) return `${d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' })}${two(d.getUTCDate())}`;
  return ` ${d.getUTCFullYear()}`;
}

/** Unix TIME: [DD-]HH:MM:SS. */
function unixTime(s: number): string {
  const days = Math.floor(s / 86400);
  const t = `${two(Math.floor((s % 86400) / 3600))}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`;
  return days ? `${days}-${t}` : t;
}

/** BSD TIME: M:SS. */
function bsdTime(s: number): string {
  return `${Math.floor(s / 60)}:${two(s % 60)}`;
}

/**
 * Processes in forest order with their art prefixes, as procps-ng 4's show_forest: a process whose
 * parent is not listed is a root (roots are walked from the end of the list), children follow their
 * parent in PID order, one level deeper (4.x dropped 3.3's rule that kept PID 1's children at the left).
 */
function forest(procs: readonly Process[]): { p: Process; prefix: string }[] {
  const pids = new Set(procs.map((p) => p.pid));
  const kids = new Map<number, Process[]>();
  const roots: Process[] = [];
  for (const p of procs) {
    if (!pids.has(p.ppid)) roots.push(p);
    else kids.set(p.ppid, [...(kids.get(p.ppid) ?? []), p]);
  }
  const out: { p: Process; prefix: string }[] = [];
  // marks: per level below the root, '|' when that ancestor (or this node, last) has later siblings
  const walk = (p: Process, marks: readonly string[]) => {
    const art = marks.length
      ? `${marks
          .slice(0, -1)
          .map((m) => (m === '|' ? ' |  ' : '    '))
          .join('')} \\_ `
      : '';
    out.push({ p, prefix: art });
    const cs = kids.get(p.pid) ?? [];
    cs.forEach((c, i) => walk(c, [...marks, i < cs.length - 1 ? '|' : ' ']));
  };
  for (const r of roots.reverse()) walk(r, []);
  return out;
}

const cmd = (p: Process) => p.cmdline.join(' ');

export function ps(table: ProcessView, args: readonly string[]): ToolResult {
  const now = table.now();
  let unixFull = false;
  let bsdUser = false;
  let bsdForest = false;
  let all = false;
  let bsd = false;
  for (const a of args) {
    if (a === '--forest') bsdForest = true;
    else if (a.startsWith('-')) {
      for (const ch of a.slice(1)) {
        if (ch === 'e' || ch === 'A') all = true;
        else if (ch === 'f') unixFull = true;
        else if (ch === 'w') continue;
        else
          return {
            status: 1,
            stdout: '',
            stderr: `error: unsupported option (BSD syntax)\n\nknetlab: ps -${ch} is not emulated (ps -e, -f, and BSD a, u, x, f, w are)\n`,
          };
      }
    } else {
      bsd = true;
      for (const ch of a) {
        if (ch === 'a' || ch === 'x') all = true;
        else if (ch === 'u') bsdUser = true;
        else if (ch === 'f') bsdForest = true;
        else if (ch === 'w') continue;
        else
          return {
            status: 1,
            stdout: '',
            stderr: `error: unsupported option (BSD syntax)\n\nknetlab: ps ${ch} is not emulated (ps -e, -f, and BSD a, u, x, f, w are)\n`,
          };
      }
    }
  }
  // Without -e/ax, ps shows the processes of its own terminal: the exec'd shell, which is not a process of the table.
  const procs = all ? table.list() : [];
  const rows = bsdForest ? forest(procs) : procs.map((p) => ({ p, prefix: '' }));
  const lines: string[] = [];
  if (bsdUser) {
    lines.push(
      `${pad('USER', 8)} ${rpad('PID', PIDW)} %CPU %MEM ${rpad('VSZ', 6)} ${rpad('RSS', 5)} ${pad('TTY', 8)} STAT START ${rpad('TIME', 6)} COMMAND`,
    );
    for (const { p, prefix } of rows) {
      const life = Math.max(1, (now - p.start) / 1000);
      const pcpu = ((cpuSeconds(p, now) / life) * 100).toFixed(1);
      const pmem = ((p.rssKb / NODE_MEM_KB) * 100).toFixed(1);
      lines.push(
        `${pad(userName(p.uid), 8)} ${rpad(String(p.pid), PIDW)} ${rpad(pcpu, 4)} ${rpad(pmem, 4)} ${rpad(String(p.vszKb), 6)} ${rpad(String(p.rssKb), 5)} ${pad('?', 8)} ${pad(p.stat, 4)} ${pad(startTime(p.start, now), 5)} ${rpad(bsdTime(cpuSeconds(p, now)), 6)} ${prefix}${cmd(p)}`,
      );
    }
  } else if (unixFull) {
    lines.push(`${pad('UID', 8)} ${rpad('PID', PIDW)} ${rpad('PPID', PIDW)}  C STIME ${pad('TTY', 8)} ${rpad('TIME', 8)} CMD`);
    for (const { p, prefix } of rows) {
      const life = Math.max(1, (now - p.start) / 1000);
      const c = Math.min(99, Math.floor((cpuSeconds(p, now) / life) * 100));
      lines.push(
        `${pad(userName(p.uid), 8)} ${rpad(String(p.pid), PIDW)} ${rpad(String(p.ppid), PIDW)} ${rpad(String(c), 2)} ${startTime(p.start, now)} ${pad('?', 8)} ${unixTime(cpuSeconds(p, now))} ${prefix}${cmd(p)}`,
      );
    }
  } else if (bsd) {
    // BSD syntax's default columns: PID TTY STAT TIME COMMAND (ps/sortformat.c's "x" format)
    lines.push(`${rpad('PID', PIDW)} ${pad('TTY', 8)} STAT ${rpad('TIME', 6)} COMMAND`);
    for (const { p, prefix } of rows)
      lines.push(
        `${rpad(String(p.pid), PIDW)} ${pad('?', 8)} ${pad(p.stat, 4)} ${rpad(bsdTime(cpuSeconds(p, now)), 6)} ${prefix}${cmd(p)}`,
      );
  } else {
    lines.push(`${rpad('PID', PIDW)} ${pad('TTY', 8)} ${rpad('TIME', 8)} CMD`);
    for (const { p, prefix } of rows)
      lines.push(`${rpad(String(p.pid), PIDW)} ${pad('?', 8)} ${unixTime(cpuSeconds(p, now))} ${prefix}${p.comm}`);
  }
  return { status: 0, stdout: `${lines.join('\n')}\n`, stderr: '' };
}

/** pgrep [-f] [-l|-a] [-x] PATTERN: the PIDs whose name (or, with -f, whole command line) matches the extended regex. */
export function pgrep(table: ProcessView, args: readonly string[]): ToolResult {
  let full = false;
  let list = false;
  let listFull = false;
  let exact = false;
  const words: string[] = [];
  for (const a of args) {
    if (a.startsWith('-') && a.length > 1) {
      for (const ch of a.slice(1)) {
        if (ch === 'f') full = true;
        else if (ch === 'l') list = true;
        else if (ch === 'a') listFull = true;
        else if (ch === 'x') exact = true;
        else return { status: 2, stdout: '', stderr: `pgrep: invalid option -- '${ch}'\nUsage:\n pgrep [options] <pattern>\n` };
      }
    } else words.push(a);
  }
  if (words.length !== 1) {
    return {
      status: 2,
      stdout: '',
      stderr: words.length
        ? "pgrep: only one pattern can be provided\nTry `pgrep --help' for more information.\n"
        : "pgrep: no matching criteria specified\nTry `pgrep --help' for more information.\n",
    };
  }
  let re: RegExp;
  try {
    re = new RegExp(exact ? `^(?:${words[0]})$` : words[0]!);
  } catch {
    return { status: 2, stdout: '', stderr: `pgrep: regex error: Invalid regular expression\n` };
  }
  const hits = table.list().filter((p) => re.test(full ? cmd(p) : p.comm));
  const out = hits.map((p) => (listFull ? `${p.pid} ${cmd(p)}` : list ? `${p.pid} ${p.comm}` : String(p.pid)));
  return { status: hits.length ? 0 : 1, stdout: out.length ? `${out.join('\n')}\n` : '', stderr: '' };
}
