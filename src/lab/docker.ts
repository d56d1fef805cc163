// The `docker` family: docker's commands against the lab's docker daemon, whose containers are the
// kind nodes of the lab's clusters (and, with `docker run`, plain hosts on the kind network).
// `docker exec` reaches a node's emulated kernel through the lab's host of that name.
import { dockerMutates, plainImageFiles, runDocker, type Container, type DockerLab, type Files, type Tool } from '../docker/index.js';
import { nodeImageFiles } from '../kind/index.js';
import { NodeFiles } from '../sim/index.js';
import { procNet } from '../kernel/index.js';
import type { CommandFamily } from './command.js';
import type { Lab } from './lab.js';
import { containerRunning, state, type DockerState } from './docker-state.js';
import { nodeProcessTools } from './procs/index.js';

export { containerRunning };

/** The network tools of knetlab's hosts, run on the container's own kernel (each only where the image has it). */
const HOST_TOOLS = [
  'ip',
  'bridge',
  'brctl',
  'ping',
  'tcpdump',
  'sysctl',
  'curl',
  'iptables',
  'iptables-save',
  'iptables-restore',
  'ipset',
  'ipvsadm',
  'conntrack',
  'python3',
  'dig',
  'host',
  'nslookup',
  'getent',
  'ss',
  'nc',
  'iperf3',
];

/** The container's files: a kind node's are the node's own (lab.nodeFiles); others' are made on first use. */
function filesOf(lab: Lab, s: DockerState, c: Container): Files {
  const node = c.kind ? lab.nodeFiles(c.name) : undefined;
  if (node) return node;
  let f = s.files.get(c.id);
  if (!f) {
    // The image's files date from the container's creation, whenever they are first looked at.
    let populating = true;
    const mem = new NodeFiles(() => (populating ? c.created : lab.clock.now()));
    const role = c.kind?.role === 'control-plane' ? 'control-plane' : 'worker';
    const image = c.kind ? nodeImageFiles({ name: c.hostname, role, ip: c.ip }) : plainImageFiles(c.image, c.hostname, c.ip);
    for (const e of image) {
      if (e.content === undefined) mem.mkdirp(e.path);
      else mem.write(e.path, e.content, { mode: e.mode });
    }
    populating = false;
    f = mem;
    s.files.set(c.id, f);
  }
  return f;
}

/**
 * A plain container (docker run) is a host of the lab's world on its network: eth0 with its address
 * and Docker's MAC, a default route via the gateway (a fresh network namespace each time it starts).
 */
function attach(lab: Lab, c: Container): void {
  const net = state(lab).engine.network(c.network);
  if (!net?.subnet || !net.gateway) return;
  if (net.name === 'kind') {
    lab.kind.runContainer(worldName(c), dnsNames(c), c.ip);
    return;
  }
  if (!lab.world.getNetwork(net.name)) lab.world.network(net.name, { subnet: net.subnet, gateway: net.gateway });
  lab.world.connect(worldName(c), net.name, { ip: c.ip });
}

/** A plain container's host in the world: named by its short ID (docker's names may hold '_', host names may not). */
const worldName = (c: Container) => c.id.slice(0, 12);
/** The names Docker's DNS answers for a container on a user-defined network (docker inspect's DNSNames). */
const dnsNames = (c: Container) => [c.name, worldName(c)];

/** The shell of a container: a kind node's, a plain container's on its network, else a standalone host (a container off any network). */
function sessionOf(lab: Lab, c: Container) {
  return !c.kind && lab.world.hasHost(worldName(c)) ? lab.world.host(worldName(c)).session : lab.host(c.name);
}

function dockerLab(lab: Lab, signal: AbortSignal): DockerLab {
  const s = state(lab);
  return {
    engine: s.engine,
    now: () => lab.clock.now(),
    wait: (ms) => lab.wait(ms, signal),
    files: (c) => filesOf(lab, s, c),
    sysctl: (c) => sessionOf(lab, c).host.root.sysctl,
    procNet: (c) => procNet(sessionOf(lab, c).host.root),
    // a kind node's container going down takes its kubelet, pods and network namespace with it
    stopped: (c) => {
      if (c.kind) lab.kind.stopNode(c.name);
      else if (c.network === 'kind') lab.kind.stopContainer(worldName(c), dnsNames(c));
      else lab.world.removeHost(worldName(c));
    },
    started: (c) => {
      if (c.kind) lab.kind.startNode(c.name);
      else attach(lab, c);
    },
    paused: (c, paused) => {
      if (c.kind) lab.kind.node(c.name)?.kubelet?.freeze(paused);
    },
    tools: (c) => {
      const session = sessionOf(lab, c);
      const tools: Record<string, Tool> = {};
      const files = filesOf(lab, s, c);
      // Paths are the container's, from its working directory (docker exec's is /).
      const abs = (p: string) => (p.startsWith('/') ? p : `/${p}`);
      const io = { readFile: (p: string) => files.read(abs(p)), writeFile: (p: string, d: Uint8Array) => files.write(abs(p), d) };
      for (const name of HOST_TOOLS) {
        tools[name] = (args, stdin) => {
          const r = session.exec([name, ...args], stdin === '' ? undefined : stdin, c.hostname, signal, { files: io });
          return { status: r.status, stdout: r.stdout, stderr: r.stderr };
        };
      }
      const node = c.kind ? lab.kind.node(c.name) : undefined;
      if (node) Object.assign(tools, nodeProcessTools(lab, node, session, HOST_TOOLS, c.hostname, signal));
      return tools;
    },
  };
}

export const docker: CommandFamily = {
  name: 'docker',
  run: (lab, argv, io) =>
    runDocker(dockerLab(lab, io.signal), argv, {
      stdout: io.stdout,
      stderr: io.stderr,
      signal: io.signal,
      readFile: (p) => io.readFile(p),
      writeFile: (p, d) => io.writeFile(p, d),
      ...(io.readDir ? { readDir: (p: string) => io.readDir!(p) } : {}),
      ...(io.makeDir ? { makeDir: (p: string) => io.makeDir!(p) } : {}),
      ...(io.stdin ? { stdin: io.stdin } : {}),
    }),
  mutates: (argv) => dockerMutates(argv),
};
