// The linux backend of the host interface: a node is a real lab host on this machine (its own
// network, mount and PID namespaces, `unshare -n -m -p -f --mount-proc`, with a private
// /run/netns), kept running until close(). Every request is the node tool the sim backend
// emulates, run inside the lab with `nsenter`; nothing touches the machine's root namespace.
//
// The lab's network namespace is registered on the machine as /run/netns/knetlab-XXXX (its
// only mark outside the lab), so `ip netns exec knetlab-XXXX …` inspects a running node and
// `knetlab clean` finds what a killed run left. Namespaces made inside the node (pods) live in
// the lab's own /run/netns and go with it.
//
// This machine's kernel has no IPVS and no ipip or dummy driver: those requests throw
// NotSupported naming the feature, with the kernel's own answer.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import {
  HostError,
  NotSupported,
  ToolsHost,
  hostName,
  linkSettled,
  type LinkRecord,
  type ProcessHandle,
  type ProcessResult,
  type ToolsNetHandle,
} from '../host/index.js';
import { LAB_ENV_PATH, LAB_PRELUDE, WORKDIR_PREFIX, realLabUnavailableReason, registerLab, unregisterLab } from './lab.js';

export interface LinuxHostOptions {
  /** Where the lab's work directory is made (default: the system's temporary directory). */
  readonly workRoot?: string;
  /** Where it is registered for `knetlab clean` (default LAB_REGISTRY). */
  readonly registry?: string;
}

/** The lab host's init: the common prelude, then it holds the namespaces until killed. */
const NODE_INIT = String.raw`
dir=$1
${LAB_PRELUDE}
echo ready >"$dir/ready"
exec sleep infinity
`;

/** The registered name of a lab on the machine, from its work directory's name. */
export function labNetnsName(workdir: string): string {
  return `knetlab-${basename(workdir).slice(WORKDIR_PREFIX.length)}`;
}

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Waits (at most `ms`) until `ready()` holds; returns whether it did. */
function waitFor(ready: () => boolean, ms: number): boolean {
  for (let waited = 0; waited < ms; waited += 20) {
    if (ready()) return true;
    sleepMs(20);
  }
  return ready();
}

function kill(group: number | undefined): void {
  if (group === undefined) return;
  try {
    process.kill(-group, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

interface LinuxSandbox {
  /** The pause process (PID as the lab sees it), holding the sandbox's IPC and UTS namespaces. */
  readonly pausePid: number;
  readonly pauseGroup: number | undefined;
  readonly processes: ProcessHandle[];
}

export class LinuxHost extends ToolsHost {
  readonly backend = 'linux';
  /** The lab's network namespace as the machine lists it (`ip netns list`). */
  readonly registered: string;
  private readonly dir: string;
  private readonly registry: string | undefined;
  private readonly cwd: string;
  private readonly group: number;
  /** The lab's init as the machine sees it: nsenter's target. */
  private readonly labPid: number;
  private readonly sandboxes = new Map<string, LinuxSandbox>();
  private closed = false;

  constructor(opts: LinuxHostOptions = {}) {
    super();
    const unavailable = realLabUnavailableReason();
    if (unavailable) throw new HostError(`Cannot start a real lab host: ${unavailable}`, 'unshare -n -m -p -f --mount-proc', 0);
    this.dir = mkdtempSync(join(opts.workRoot ?? tmpdir(), WORKDIR_PREFIX));
    this.registry = opts.registry;
    registerLab(this.dir, this.registry);
    this.cwd = join(this.dir, 'cwd');
    this.registered = labNetnsName(this.dir);
    mkdirSync(this.cwd);
    writeFileSync(join(this.dir, 'node.sh'), NODE_INIT);
    const child = spawn('unshare', ['-n', '-m', '-p', '-f', '--mount-proc', 'bash', join(this.dir, 'node.sh'), this.dir], {
      env: { PATH: LAB_ENV_PATH, LC_ALL: 'C' },
      stdio: 'ignore',
      detached: true,
    });
    child.unref();
    this.group = child.pid!;
    const children = `/proc/${this.group}/task/${this.group}/children`;
    let labPid = 0;
    const started = waitFor(() => {
      labPid = existsSync(children) ? Number(readFileSync(children, 'utf8').trim().split(' ')[0]) || 0 : 0;
      return labPid > 0 && existsSync(join(this.dir, 'ready'));
    }, 10_000);
    this.labPid = labPid;
    if (!started) {
      this.close();
      throw new HostError('Cannot start a real lab host: it did not come up within 10 s', 'unshare -n -m -p -f --mount-proc', 0);
    }
    const attach = spawnSync('ip', ['netns', 'attach', this.registered, String(this.labPid)], {
      encoding: 'utf8',
      env: { PATH: LAB_ENV_PATH },
    });
    if (attach.status !== 0) {
      this.close();
      throw new HostError(
        `Cannot register the lab host as "${this.registered}": ${attach.stderr.trim()}`,
        `ip netns attach ${this.registered} ${this.labPid}`,
        attach.status ?? 1,
      );
    }
  }

  run(argv: readonly string[], stdin?: string): ProcessResult {
    if (this.closed) throw new HostError(`Cannot run "${argv.join(' ')}": the lab host is closed`, argv.join(' '), 0);
    // Entering a mount namespace moves to its root directory: --wd keeps the lab's scratch directory.
    const r = spawnSync('nsenter', ['-t', String(this.labPid), '-n', '-m', '-p', `--wd=${this.cwd}`, '--', ...argv], {
      input: stdin ?? '',
      encoding: 'utf8',
      cwd: this.cwd,
      env: { PATH: LAB_ENV_PATH, LC_ALL: 'C', HOME: this.cwd },
      timeout: 60_000,
    });
    if (r.error) throw new HostError(`Cannot run "${argv.join(' ')}": ${r.error.message}`, argv.join(' '), 0);
    return { status: r.status ?? 128, stdout: r.stdout, stderr: r.stderr };
  }

  /** The kernel's "Unknown device type" for a link kind is a missing driver, not a user error. */
  override refine(e: HostError): HostError {
    if (!/Unknown device type/.test(e.message)) return e;
    const kind = /\btype (\S+)/.exec(e.command)?.[1] ?? 'this';
    return new NotSupported(
      `the ${kind} link type`,
      e.command,
      `this kernel has no ${kind} driver (${e.message.replace(/^Cannot [^:]*: /, '')})`,
    );
  }

  override netnsAdd(name: string): void {
    super.netnsAdd(name);
    // As in the lab host itself: no duplicate address detection, so nothing stays `tentative`.
    this.exec(`add netns "${name}"`, [
      'ip',
      'netns',
      'exec',
      name,
      'sysctl',
      '-qw',
      'net.ipv6.conf.all.accept_dad=0',
      'net.ipv6.conf.default.accept_dad=0',
    ]);
  }

  /** Linux updates operstate asynchronously (linkwatch, up to 1 s): read once the kernel has caught up. */
  override readLinks(h: ToolsNetHandle): LinkRecord[] {
    let links: LinkRecord[] = [];
    waitFor(() => (links = super.readLinks(h)).every(linkSettled), 2_000);
    return links;
  }

  override requireIpvs(command: string): void {
    const release = spawnSync('uname', ['-r'], { encoding: 'utf8' }).stdout.trim();
    if (existsSync('/proc/net/ip_vs') || existsSync(`/lib/modules/${release}/kernel/net/netfilter/ipvs`)) return;
    throw new NotSupported(
      'IPVS (ip_vs)',
      command,
      `this kernel has no ip_vs module (no /proc/net/ip_vs, no /lib/modules/${release}/kernel/net/netfilter/ipvs)`,
    );
  }

  sandboxAdd(name: string, opts: { readonly hostname: string }): void {
    if (this.sandboxes.has(name)) throw new HostError(`Cannot add sandbox "${name}": it exists`, `sandbox add ${name}`, 0);
    hostName(`add sandbox "${name}"`, opts.hostname);
    this.netnsAdd(name);
    const pidFile = join(this.dir, `pause.${name}`);
    // The pause process: the sandbox's IPC and UTS namespaces live as long as it does.
    const pause = spawn(
      'nsenter',
      [
        '-t',
        String(this.labPid),
        '-n',
        '-m',
        '-p',
        '--',
        'ip',
        'netns',
        'exec',
        name,
        'unshare',
        '-i',
        '-u',
        '-f',
        '--',
        'bash',
        '-c',
        'hostname "$1" && echo $$ >"$2" && exec sleep infinity',
        'pause',
        opts.hostname,
        pidFile,
      ],
      { env: { PATH: LAB_ENV_PATH }, stdio: 'ignore', detached: true },
    );
    pause.unref();
    if (!waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').endsWith('\n'), 5_000)) {
      kill(pause.pid);
      this.netnsDel(name);
      throw new HostError(`Cannot add sandbox "${name}": its pause process did not start`, 'unshare -i -u', 0);
    }
    this.sandboxes.set(name, { pausePid: Number(readFileSync(pidFile, 'utf8')), pauseGroup: pause.pid, processes: [] });
  }

  sandboxDel(name: string): void {
    const box = this.sandboxes.get(name);
    if (!box) throw new HostError(`Cannot delete sandbox "${name}": no such sandbox`, `sandbox del ${name}`, 0);
    for (const p of box.processes) p.stop();
    kill(box.pauseGroup);
    this.sandboxes.delete(name);
    this.netnsDel(name);
  }

  /** Starts `argv` in the sandbox's network, IPC and UTS namespaces, with a mount and PID namespace of its own. */
  processStart(sandbox: string, argv: readonly string[]): ProcessHandle {
    const box = this.sandboxes.get(sandbox);
    if (!box) throw new HostError(`Cannot start "${argv.join(' ')}": no sandbox "${sandbox}"`, argv.join(' '), 0);
    const child: ChildProcess = spawn(
      'nsenter',
      [
        '-t',
        String(this.labPid),
        '-m',
        '-p',
        `--wd=${this.cwd}`,
        '--',
        'nsenter',
        '-t',
        String(box.pausePid),
        '-n',
        '-i',
        '-u',
        '--',
        'unshare',
        '-m',
        '-p',
        '-f',
        '--mount-proc',
        '--',
        ...argv,
      ],
      { cwd: this.cwd, env: { PATH: LAB_ENV_PATH, LC_ALL: 'C', HOME: this.cwd }, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const ended = new Promise<ProcessResult>((resolve) => {
      child.on('error', (e) => resolve({ status: 127, stdout, stderr: stderr + e.message }));
      child.on('close', (code, signal) => resolve({ status: code ?? 128 + (signal === 'SIGKILL' ? 9 : 15), stdout, stderr }));
    });
    const handle: ProcessHandle = { wait: () => ended, stop: () => kill(child.pid) };
    box.processes.push(handle);
    return handle;
  }

  /** Stops the lab host (every process and namespace in it goes with its init) and unregisters it. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const box of this.sandboxes.values()) {
      for (const p of box.processes) p.stop();
      kill(box.pauseGroup);
    }
    this.sandboxes.clear();
    kill(this.group);
    spawnSync('ip', ['netns', 'del', this.registered], { env: { PATH: LAB_ENV_PATH }, stdio: 'ignore' });
    rmSync(this.dir, { recursive: true, force: true });
    unregisterLab(this.dir, this.registry);
  }
}
