// The sim backend: the node is an emulated Linux host (kernel/), answering the same tool
// requests the linux backend sends to real namespaces, in-process and in virtual time.
import { Session, type SessionOptions } from '../shell/session.js';
import { HostError, type ProcessHandle, type ProcessResult } from './network.js';
import { SimNetHandle } from './sim-net.js';
import { ToolsHost, type ToolsNetHandle } from './tools.js';
import { hostName, netnsName } from './validate.js';

interface SimSandbox {
  readonly hostname: string;
  readonly processes: ProcessHandle[];
}

export class SimHost extends ToolsHost {
  readonly backend = 'sim';
  /** The emulated host; a shell on it (`knetlab sh`) sees what components built. */
  readonly session: Session;
  private readonly sandboxes = new Map<string, SimSandbox>();

  constructor(opts: SessionOptions | Session = {}) {
    super();
    this.session = opts instanceof Session ? opts : new Session(opts);
  }

  /** Namespaces are configured and read through the kernel's rtnetlink functions, not the tools. */
  protected override openHandle(netns: string | undefined): ToolsNetHandle {
    return new SimNetHandle(this, netns, this.session.host);
  }

  override netnsAdd(name: string): void {
    netnsName(`add netns "${name}"`, 'name', name);
    if (this.session.host.netns(name)) super.netnsAdd(name); // the tool's own refusal
    else this.session.host.addNetns(name);
  }

  override netnsList(): string[] {
    return this.session.host.netnsNames().sort();
  }

  run(argv: readonly string[], stdin?: string): ProcessResult {
    const { status, stdout, stderr } = this.session.exec(argv, stdin);
    return { status, stdout, stderr };
  }

  /** The emulated kernel has no IPC namespaces to make: a sandbox is its netns and the host name its processes see. */
  sandboxAdd(name: string, opts: { readonly hostname: string }): void {
    if (this.sandboxes.has(name)) throw new HostError(`Cannot add sandbox "${name}": it exists`, `sandbox add ${name}`, 0);
    hostName(`add sandbox "${name}"`, opts.hostname);
    this.netnsAdd(name);
    this.sandboxes.set(name, { hostname: opts.hostname, processes: [] });
  }

  sandboxDel(name: string): void {
    const sandbox = this.sandboxes.get(name);
    if (!sandbox) throw new HostError(`Cannot delete sandbox "${name}": no such sandbox`, `sandbox del ${name}`, 0);
    for (const p of sandbox.processes) p.stop();
    this.sandboxes.delete(name);
    this.netnsDel(name);
  }

  /**
   * Runs an emulated program in the sandbox's namespace. It runs to its end at once in virtual
   * time; a server (`python3 -m http.server`) keeps listening until stopped.
   */
  processStart(sandbox: string, argv: readonly string[]): ProcessHandle {
    const box = this.sandboxes.get(sandbox);
    if (!box) throw new HostError(`Cannot start "${argv.join(' ')}": no sandbox "${sandbox}"`, argv.join(' '), 0);
    const ran = this.session.exec(['ip', 'netns', 'exec', sandbox, ...argv], undefined, box.hostname, undefined, { settle: false });
    const result: ProcessResult = { status: ran.status, stdout: ran.stdout, stderr: ran.stderr };
    const handle: ProcessHandle = { wait: () => Promise.resolve(result), stop: ran.stop, output: ran.output };
    box.processes.push(handle);
    return handle;
  }

  close(): void {
    for (const name of [...this.sandboxes.keys()]) this.sandboxDel(name);
  }
}
