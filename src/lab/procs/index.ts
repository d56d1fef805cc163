// The process tools of a kind node's shell, over the node's process table: ps, pgrep, pstree,
// lsns, nsenter, crictl and systemctl. nsenter -n runs a network tool in the network namespace of
// the process it targets (a pod's sandbox netns, or the node's own); crictl exec runs in the
// container as kubectl exec does.
import type { Tool } from '../../docker/index.js';
import type { Session } from '../../shell/session.js';
import type { Lab } from '../lab.js';

/** A running kind node as the lab holds it. */
type KindNode = NonNullable<ReturnType<Lab['kind']['node']>>;
import { labRuntime } from '../runtime.js';
import { crictl } from './crictl.js';
import { lsns } from './lsns.js';
import { pgrep, ps } from './ps.js';
import { pstree } from './pstree.js';
import { systemctl } from './systemctl.js';

export { crictl, tabwriter } from './crictl.js';
export { lsns, smartcolsTable } from './lsns.js';
export { pgrep, ps } from './ps.js';
export { pstree } from './pstree.js';
export { systemctl } from './systemctl.js';

const NSENTER_USAGE = 'nsenter: neither filename nor target pid supplied for ns/net\n';

/** nsenter [-t PID] [-n] [--] CMD...: only the network namespace is entered (the others change nothing knetlab's tools see). */
function nsenter(node: KindNode, session: Session, netTools: readonly string[], hostname: string, signal: AbortSignal): Tool {
  return (args, stdin) => {
    let pid: string | undefined;
    let net = false;
    let i = 0;
    for (; i < args.length; i++) {
      const a = args[i]!;
      if (a === '--') {
        i++;
        break;
      }
      if (!a.startsWith('-')) break;
      if (a === '-t' || a === '--target') pid = args[++i];
      else if (a.startsWith('--target=')) pid = a.slice(9);
      else if (/^-t\d+$/.test(a)) pid = a.slice(2);
      else if (a === '-n' || a === '--net') net = true;
      else if (a === '-tn' || a === '-nt') {
        net = true;
        pid = args[++i];
      } else if (['-m', '-u', '-i', '-p', '-U', '-C', '-T', '-a', '--mount', '--uts', '--ipc', '--pid', '--all'].includes(a)) {
        return { status: 1, stdout: '', stderr: `knetlab: nsenter ${a}: only the network namespace (-n) is emulated\n` };
      } else return { status: 1, stdout: '', stderr: `nsenter: unrecognized option '${a}'\nTry 'nsenter --help' for more information.\n` };
    }
    const cmd = args.slice(i);
    if (pid !== undefined && !/^\d+$/.test(pid)) return { status: 1, stdout: '', stderr: `nsenter: failed to parse pid: '${pid}'\n` };
    if (net && pid === undefined) return { status: 1, stdout: '', stderr: NSENTER_USAGE };
    const proc = pid === undefined ? undefined : node.processes?.get(Number(pid));
    if (pid !== undefined && !proc)
      return { status: 1, stdout: '', stderr: `nsenter: cannot open /proc/${pid}/ns/net: No such file or directory\n` };
    if (cmd.length === 0)
      return { status: 1, stdout: '', stderr: 'knetlab: nsenter without a command (a shell in the namespace) is not emulated\n' };
    if (!netTools.includes(cmd[0]!))
      return {
        status: 1,
        stdout: '',
        stderr: `knetlab: nsenter runs knetlab's network tools (${netTools.join(', ')}); ${cmd[0]} is not one\n`,
      };
    const argv = net && proc?.netns !== undefined ? ['ip', 'netns', 'exec', proc.netns, ...cmd] : cmd;
    const r = session.exec(argv, stdin === '' ? undefined : stdin, hostname, signal);
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
}

/** crictl exec [-i] [-t] [-s] ID CMD...: the container's shell, as kubectl exec reaches it. */
function crictlExec(lab: Lab, node: KindNode, signal: AbortSignal): Tool {
  return async (args, stdin) => {
    let i = 0;
    let tty = false;
    for (; i < args.length && args[i]!.startsWith('-'); i++) {
      const a = args[i]!;
      if (/^-[its]+$/.test(a)) tty ||= a.includes('t');
      else if (a === '--interactive' || a === '--sync') continue;
      else if (a === '--tty') tty = true;
      else return { status: 1, stdout: '', stderr: `knetlab: crictl exec ${a} is not emulated\n` };
    }
    const [id, ...cmd] = args.slice(i);
    const hit = node.processes
      ?.sandboxes()
      .flatMap((s) => s.containers.map((c) => ({ s, c })))
      .filter((x) => id !== undefined && id !== '' && x.c.id.startsWith(id));
    if (!id || !cmd.length)
      return {
        status: 1,
        stdout: '',
        stderr: 'time="" level=fatal msg="execing command in container: both container ID and command are required"\n'.replace(
          'time="" ',
          '',
        ),
      };
    if (!hit || hit.length !== 1)
      return {
        status: 1,
        stdout: '',
        stderr: `level=fatal msg="execing command in container: rpc error: code = NotFound desc = an error occurred when try to find container \\"${id}\\": not found"\n`,
      };
    const { s, c } = hit[0]!;
    const pod = lab.kind.get(node.cluster)?.cluster.api.get('pods', s.namespace, s.name);
    if (!pod) return { status: 1, stdout: '', stderr: `level=fatal msg="execing command in container: container ${id} not found"\n` };
    try {
      const r = await labRuntime(lab, signal).exec(pod, c.name, cmd, { tty, ...(stdin ? { stdin: new TextEncoder().encode(stdin) } : {}) });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    } catch (e) {
      return {
        status: 1,
        stdout: '',
        stderr: `level=fatal msg="execing command in container: ${(e as Error).message.replace(/"/g, '\\"')}"\n`,
      };
    }
  };
}

/** The process tools of node `node` (none before its kubelet, the table's owner, has started). */
export function nodeProcessTools(
  lab: Lab,
  node: KindNode,
  session: Session,
  netTools: readonly string[],
  hostname: string,
  signal: AbortSignal,
): Record<string, Tool> {
  const table = node.processes;
  if (!table) return {};
  return {
    ps: (args) => ps(table, args),
    pgrep: (args) => pgrep(table, args),
    pstree: (args) => pstree(table, args),
    lsns: (args) => lsns(table, args, { netnsid: (p) => netnsid(session, p.netns, hostname, signal) }),
    nsenter: nsenter(node, session, netTools, hostname, signal),
    systemctl: (args) => systemctl(table, args),
    crictl: (args, stdin) =>
      args[0] === 'exec' ? crictlExec(lab, node, signal)(args.slice(1), stdin) : crictl(table, args, node.loadedImages),
  };
}

/** The id the node's namespace has for a sandbox's (`ip netns list` prints it), or lsns' `unassigned`. */
function netnsid(session: Session, netns: string | undefined, hostname: string, signal: AbortSignal): string {
  if (netns === undefined) return 'unassigned';
  const r = session.exec(['ip', 'netns', 'list'], undefined, hostname, signal);
  const line = r.stdout.split('\n').find((l) => l.startsWith(`${netns} `) || l === netns);
  return /\(id: (\d+)\)/.exec(line ?? '')?.[1] ?? 'unassigned';
}
