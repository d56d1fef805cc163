// The `docker run` kind makes for each node container (providers/docker/provision.go), and what
// Docker answers when a published port cannot be bound: kind shows both when provisioning fails.
import { Rng } from '../sim/index.js';
import type { KindConfig, PortMapping } from './config.js';
import { DEFAULT_IMAGE } from './config.js';
import type { KindCluster, KindNodeInfo } from './world.js';

/** kind v0.32.0's default node image, pinned by digest as kind passes it to `docker run`. */
export const KIND_NODE_IMAGE_DIGEST = 'sha256:3489c7674813ba5d8b1a9977baea8a6e553784dab7b84759d1014dbd78f7ebd5';

/** A port the container publishes on the machine (`--publish=ADDR:PORT:CPORT/PROTO`). */
export interface HostPort {
  readonly hostIp: string;
  readonly hostPort: number;
  readonly containerPort: number;
  readonly proto: 'tcp' | 'udp' | 'sctp';
}

/** Why Docker could not publish a port: another container holds it, or binding it failed (Go's error text: `address already in use`). */
export type PublishFailure = { readonly why: 'allocated' } | { readonly why: 'bind'; readonly error: string };

/** kind publishes the API server on the load balancer when there is one, else on the single control plane. */
function publishesApi(nodes: readonly KindNodeInfo[], node: KindNodeInfo): boolean {
  return (
    node.role === 'external-load-balancer' || (node.role === 'control-plane' && !nodes.some((x) => x.role === 'external-load-balancer'))
  );
}

/** The ports a node container publishes: its extraPortMappings, then the API server on the single control plane or the load balancer. */
function nodeHostPorts(config: KindConfig, node: KindNodeInfo, index: number, apiServerPort: number, publishesApi: boolean): HostPort[] {
  const spec = node.role === 'external-load-balancer' ? undefined : config.nodes[index];
  const ports = (spec?.extraPortMappings ?? []).map(hostPort);
  if (publishesApi) ports.push({ hostIp: config.networking.apiServerAddress, hostPort: apiServerPort, containerPort: 6443, proto: 'tcp' });
  return ports;
}

function hostPort(m: PortMapping): HostPort {
  return {
    hostIp: m.listenAddress,
    hostPort: m.hostPort,
    containerPort: m.containerPort,
    proto: m.protocol.toLowerCase() as HostPort['proto'],
  };
}

const joinHostPort = (ip: string, port: number) => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);

/** Each node container of a cluster with the ports it publishes. */
export function clusterHostPorts(
  kc: Pick<KindCluster, 'config' | 'nodes' | 'apiServerPort'>,
): { readonly node: KindNodeInfo; readonly ports: HostPort[] }[] {
  const k8s = kc.nodes.filter((n) => n.role !== 'external-load-balancer');
  return kc.nodes.map((node) => ({
    node,
    ports: nodeHostPorts(kc.config, node, k8s.indexOf(node), kc.apiServerPort, publishesApi(kc.nodes, node)),
  }));
}

/** kind's arguments after `docker run --name NAME`, in its order (commonArgs after the node's own, mounts, ports, env, image). */
function dockerRunArgs(config: KindConfig, node: KindNodeInfo, ports: readonly HostPort[]): string[] {
  const common = [
    '--detach',
    '--tty',
    '--label',
    `io.x-k8s.kind.cluster=${config.name}`,
    '--net',
    'kind',
    '--restart=on-failure:1',
    '--init=false',
    '--cgroupns=private',
  ];
  if (config.networking.dnsSearch) common.push('-e', `KIND_DNS_SEARCH=${config.networking.dnsSearch.join(' ')}`);
  const publish = ports.map((p) => `--publish=${joinHostPort(p.hostIp, p.hostPort)}:${p.containerPort}/${p.proto.toUpperCase()}`);
  if (node.role === 'external-load-balancer')
    return ['--hostname', node.name, '--label', 'io.x-k8s.kind.role=external-load-balancer', ...common, ...publish, node.image];
  const image = node.image === DEFAULT_IMAGE ? `${node.image}@${KIND_NODE_IMAGE_DIGEST}` : node.image;
  return [
    '--hostname',
    node.name,
    '--label',
    `io.x-k8s.kind.role=${node.role}`,
    '--privileged',
    '--security-opt',
    'seccomp=unconfined',
    '--security-opt',
    'apparmor=unconfined',
    '--tmpfs',
    '/tmp',
    '--tmpfs',
    '/run',
    '--volume',
    '/var',
    '--volume',
    '/lib/modules:/lib/modules:ro',
    '-e',
    'KIND_EXPERIMENTAL_CONTAINERD_SNAPSHOTTER',
    ...common,
    ...publish,
    ...(node.role === 'control-plane' ? ['-e', 'KUBECONFIG=/etc/kubernetes/admin.conf'] : []),
    image,
  ];
}

/**
 * kind's error when `docker run` of a node fails to publish `port` (Docker 28's words): the command,
 * docker's exit status 125, the container ID docker printed before starting it, and the daemon's error.
 */
export function publishError(
  config: KindConfig,
  node: KindNodeInfo,
  ports: readonly HostPort[],
  port: HostPort,
  failure: PublishFailure,
): string {
  const rng = new Rng(`docker-run/${node.name}/${node.ip}`);
  const hex = () => Array.from({ length: 8 }, () => rng.u32().toString(16).padStart(8, '0')).join('');
  const detail =
    failure.why === 'allocated'
      ? `Bind for ${joinHostPort(port.hostIp, port.hostPort)} failed: port is already allocated`
      : `failed to bind host port for ${joinHostPort(port.hostIp, port.hostPort)}:${node.ip}:${port.containerPort}/${port.proto}: ${failure.error}`;
  return [
    `command "docker run --name ${node.name} ${dockerRunArgs(config, node, ports).join(' ')}" failed with error: exit status 125`,
    `Command Output: ${hex()}`,
    `docker: Error response from daemon: failed to set up container networking: driver failed programming external connectivity on endpoint ${node.name} (${hex()}): ${detail}`,
    '',
    "Run 'docker run --help' for more information",
  ].join('\n');
}
