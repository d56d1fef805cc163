// Ports the lab's containers publish on the machine (kind's extraPortMappings), as Docker publishes
// them: which machine ports a front end should really listen on, the allocation check `docker run`
// makes, and the connection docker-proxy opens for each client — from the network's gateway on the
// machine to the container's address and port, through the container's own kernel (so a NodePort is
// answered by kube-proxy's rules there). Runtime-neutral: the real sockets are the front end's.
import type { HostPort, PublishFailure } from '../kind/index.js';
import { tcpOf, type TcpEvents } from '../kernel/index.js';
import { parseIpv4 } from '../wire/index.js';
import type { CarriedStream, CommandIo, MachinePort, StreamEvents } from './command.js';
import type { Lab } from './lab.js';

/** A published TCP port: where the machine listens, and what docker-proxy connects to. */
export interface PublishedPort extends MachinePort {
  readonly container: string;
  readonly containerIp: string;
  readonly containerPort: number;
}

const WILDCARD = new Set(['0.0.0.0', '::']);

/** Where the machine really binds a port published on `hostIp` (a wildcard goes to the cluster's publish address). */
const bindIpOf = (hostIp: string, publishAddress: string) => (WILDCARD.has(hostIp) ? publishAddress : hostIp);

/**
 * The TCP ports the lab publishes now: every running (or paused) kind node's extraPortMappings. The
 * API server's port is not among them: no HTTPS API server listens in the nodes (use knetlab kubectl).
 * Reads the clusters only (the docker engine's records are left alone: they draw IDs when synced).
 */
export function publishedPorts(lab: Lab): PublishedPort[] {
  return runningNodePorts(lab).flatMap(({ kc, node, ports }) =>
    ports.filter(onMachine).map((p) => ({
      ip: bindIpOf(p.hostIp, kc.publishAddress),
      port: p.hostPort,
      container: node.name,
      containerIp: node.ip,
      containerPort: p.containerPort,
    })),
  );
}

/** What the machine really listens on: TCP with a fixed host port, the API server's aside. */
const onMachine = (p: HostPort) => p.proto === 'tcp' && p.hostPort !== 0 && p.containerPort !== 6443;

/** Each running (or paused) kind node container with the ports it publishes. */
function runningNodePorts(lab: Lab) {
  const kind = lab.kindLayer;
  if (!kind) return []; // kind's layers not loaded: no cluster, no container
  return lab.kind.names().flatMap((name) => {
    const kc = lab.kind.get(name)!;
    return kind
      .clusterHostPorts(kc)
      .filter(({ node }) => !lab.kind.node(node.name)?.down)
      .map((x) => ({ kc, ...x }));
  });
}

const overlaps = (a: HostPort, b: HostPort) =>
  a.proto === b.proto && a.hostPort === b.hostPort && (a.hostIp === b.hostIp || WILDCARD.has(a.hostIp) || WILDCARD.has(b.hostIp));

/**
 * `docker run --publish` for a node about to be created: Docker's allocator refuses a port another
 * running container holds; then the front end binds the TCP ones on the machine (if it publishes).
 */
export async function publishNode(
  lab: Lab,
  ports: readonly HostPort[],
  bindIp: string,
  io: CommandIo,
): Promise<{ port: HostPort; failure: PublishFailure } | undefined> {
  const held = runningNodePorts(lab).flatMap((x) => x.ports);
  for (const p of ports) if (p.hostPort !== 0 && held.some((h) => overlaps(h, p))) return { port: p, failure: { why: 'allocated' } };
  const machine = ports.filter(onMachine);
  const failed = io.bindPorts ? await io.bindPorts(machine.map((p) => ({ ip: bindIpOf(p.hostIp, bindIp), port: p.hostPort }))) : undefined;
  return failed ? { port: machine[failed.index]!, failure: { why: 'bind', error: failed.error } } : undefined;
}

/**
 * docker-proxy's connection for one client of a published port: from the container network's
 * gateway on the machine to the container. `events` see the container's answer.
 */
export function dialPublished(lab: Lab, p: PublishedPort, events: StreamEvents): CarriedStream {
  const net = lab.world.getNetwork('kind');
  if (!net) throw new Error('the kind network is gone');
  return tcpOf(lab.world.machine.session.host.root).connect(
    parseIpv4(p.containerIp)!,
    p.containerPort,
    { src: net.gateway },
    tcpEvents(events),
  );
}

/** A carried stream's events as an emulated TCP connection's. */
export function tcpEvents(events: StreamEvents): TcpEvents {
  return {
    onConnect: () => events.onConnect?.(),
    onData: (_c, d) => events.onData?.(d),
    onEnd: () => events.onEnd?.(),
    onError: (_c, errno) => events.onError?.(errno),
  };
}
