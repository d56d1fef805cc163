// systemd's systemctl on a kind node: `status kubelet|containerd` (the unit files kind's base image
// ships: images/base/files/etc/systemd/system/{kubelet,containerd}.service and kubelet's drop-ins
// 10-kubeadm.conf and 11-kind.conf; their Description and Documentation lines; the main process and
// its cgroup from the node's process table) and `list-unit-files` (the units a kind node has, with
// containerd.service and kubelet.service enabled). The journal lines under a status block are left
// out (knetlab keeps no journal). Tasks and memory are the process table's figures.
import type { NodeProcesses, Process } from '../../node/index.js';
import type { ToolResult } from '../../docker/index.js';

interface Unit {
  readonly file: string;
  readonly description: string;
  readonly docs: string;
  readonly dropIns?: readonly string[];
  readonly comm: string;
  readonly cgroup: string;
}

const UNITS: Readonly<Record<string, Unit>> = {
  kubelet: {
    file: '/etc/systemd/system/kubelet.service',
    description: 'kubelet: The Kubernetes Node Agent',
    docs: 'http://kubernetes.io/docs/',
    dropIns: ['10-kubeadm.conf', '11-kind.conf'],
    comm: 'kubelet',
    cgroup: '/kubelet.slice/kubelet.service',
  },
  containerd: {
    file: '/etc/systemd/system/containerd.service',
    description: 'containerd container runtime',
    docs: 'https://containerd.io',
    comm: 'containerd',
    cgroup: '/system.slice/containerd.service',
  },
};

/** `list-unit-files`: kind's own units and the Debian units a node image keeps (UNVERIFIED: the full list of a node). */
const UNIT_FILES: readonly (readonly [string, string, string])[] = [
  ['containerd-fuse-overlayfs.service', 'disabled', 'enabled'],
  ['containerd.service', 'enabled', 'enabled'],
  ['kubelet.service', 'enabled', 'enabled'],
  ['systemd-journald.service', 'static', '-'],
  ['systemd-journald.socket', 'static', '-'],
  ['undo-mount-hacks.service', 'enabled', 'enabled'],
  ['kubelet.slice', 'static', '-'],
  ['multi-user.target', 'static', '-'],
];

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function since(ms: number): string {
  const d = new Date(ms);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} UTC`;
}

/** systemd's format_timespan, two units at most: `1h 5min`, `12min`, `30s`. */
function ago(ms: number): string {
  let s = Math.floor(ms / 1000);
  const parts: string[] = [];
  for (const [unit, n] of [
    ['d', 86400],
    ['h', 3600],
    ['min', 60],
    ['s', 1],
  ] as const) {
    if (s >= n && parts.length < 2) {
      parts.push(`${Math.floor(s / n)}${unit}`);
      s %= n;
    }
  }
  return parts.length ? parts.join(' ') : '0s';
}

function status(table: NodeProcesses, name: string, unit: Unit): string {
  const main = table.list().find((p: Process) => p.comm === unit.comm && p.ppid === 1)!;
  const now = table.now();
  const cpu = Math.max(0.001, ((now - main.start) / 1000) * main.cpu).toFixed(3);
  const mem = `${(main.rssKb / 1024).toFixed(1)}M`;
  const lines = [
    `● ${name}.service - ${unit.description}`,
    `     Loaded: loaded (${unit.file}; enabled; preset: enabled)`,
    ...(unit.dropIns ? [`    Drop-In: ${unit.file}.d`, `             └─${unit.dropIns.join(', ')}`] : []),
    `     Active: active (running) since ${since(main.start)}; ${ago(now - main.start)} ago`,
    `       Docs: ${unit.docs}`,
    `   Main PID: ${main.pid} (${main.comm})`,
    `      Tasks: ${main.threads.length + 1}${name === 'containerd' ? '' : ' (limit: 9390)'}`,
    `     Memory: ${mem}`,
    `        CPU: ${cpu}s`,
    `     CGroup: ${unit.cgroup}`,
    `             └─${main.pid} ${main.cmdline.join(' ')}`,
  ];
  return `${lines.join('\n')}\n`;
}

export function systemctl(table: NodeProcesses, argv: readonly string[]): ToolResult {
  const words = argv.filter((a) => !a.startsWith('-'));
  const [verb, ...units] = words;
  if (verb === 'status') {
    let out = '';
    for (const u of units) {
      const name = u.replace(/\.service$/, '');
      const unit = UNITS[name];
      if (!unit) return { status: 4, stdout: out, stderr: `Unit ${name}.service could not be found.\n` };
      out += (out ? '\n' : '') + status(table, name, unit);
    }
    if (!units.length) return { status: 1, stdout: '', stderr: 'knetlab: systemctl status without a unit is not emulated\n' };
    return { status: 0, stdout: out, stderr: '' };
  }
  if (verb === 'is-active')
    return {
      status: units.every((u) => UNITS[u.replace(/\.service$/, '')]) ? 0 : 3,
      stdout: units.map((u) => (UNITS[u.replace(/\.service$/, '')] ? 'active\n' : 'inactive\n')).join(''),
      stderr: '',
    };
  if (verb === 'list-unit-files') {
    const w = Math.max(...UNIT_FILES.map((u) => u[0].length), 'UNIT FILE'.length) + 1;
    const lines = [
      `${'UNIT FILE'.padEnd(w)}${'STATE'.padEnd(16)}PRESET`,
      ...[...UNIT_FILES].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map((u) => `${u[0].padEnd(w)}${u[1].padEnd(16)}${u[2]}`),
    ];
    return { status: 0, stdout: `${lines.join('\n')}\n\n${UNIT_FILES.length} unit files listed.\n`, stderr: '' };
  }
  return {
    status: 1,
    stdout: '',
    stderr: `knetlab: systemctl ${verb ?? ''} is not emulated (status, is-active and list-unit-files are)\n`,
  };
}
