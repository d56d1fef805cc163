// `docker inspect` documents: a container (moby api/types/container InspectResponse, field order as
// the struct declares it, so `docker inspect X | jq` reads as the real one) and a network (moby
// api/types/network Inspect: Network's fields, then Containers). Printed as docker/cli's
// IndentedInspector does: a JSON array indented with four spaces.
import { rfc3339Nano, ZERO_TIME } from './format.js';
import { stableId, type Container, type DockerEngine, type DockerNetwork } from './engine.js';

function portKey(p: { containerPort: number; proto: string }): string {
  return `${p.containerPort}/${p.proto}`;
}

export function containerDocument(c: Container, engine: DockerEngine): Record<string, unknown> {
  const net = engine.network(c.network);
  const running = c.status === 'running' || c.status === 'paused';
  const ports: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of c.ports) (ports[portKey(p)] ??= []).push({ HostIp: p.hostIp, HostPort: String(p.hostPort) });
  const exposed: Record<string, Record<string, never>> = {};
  for (const p of c.ports) exposed[portKey(p)] = {};
  const [path, ...args] = [...c.entrypoint, ...c.cmd];
  const prefixLen = net?.subnet ? Number(net.subnet.split('/')[1]) : 0;
  return {
    Id: c.id,
    Created: rfc3339Nano(c.created),
    Path: path ?? '',
    Args: args,
    State: {
      Status: c.status,
      Running: running,
      Paused: c.status === 'paused',
      Restarting: false,
      OOMKilled: false,
      Dead: false,
      Pid: c.pid,
      ExitCode: c.exitCode,
      Error: '',
      StartedAt: rfc3339Nano(c.startedAt),
      FinishedAt: c.finishedAt === undefined ? ZERO_TIME : rfc3339Nano(c.finishedAt),
    },
    Image: c.imageId,
    ResolvConfPath: `/var/lib/docker/containers/${c.id}/resolv.conf`,
    HostnamePath: `/var/lib/docker/containers/${c.id}/hostname`,
    HostsPath: `/var/lib/docker/containers/${c.id}/hosts`,
    LogPath: `/var/lib/docker/containers/${c.id}/${c.id}-json.log`,
    Name: `/${c.name}`,
    RestartCount: c.restartCount,
    Driver: 'overlayfs',
    Platform: 'linux',
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: c.privileged ? 'unconfined' : 'docker-default',
    ExecIDs: null,
    HostConfig: {
      Binds: null,
      NetworkMode: c.network,
      PortBindings: Object.fromEntries(Object.entries(ports)),
      RestartPolicy: c.kind ? { Name: 'on-failure', MaximumRetryCount: 1 } : { Name: 'no', MaximumRetryCount: 0 },
      AutoRemove: c.autoRemove,
      CapAdd: c.capAdd ? [...c.capAdd] : null,
      CapDrop: c.capDrop ? [...c.capDrop] : null,
      Privileged: c.privileged,
      Init: c.kind ? false : null,
      CgroupnsMode: c.kind ? 'private' : 'private',
      SecurityOpt: c.kind ? ['seccomp=unconfined', 'apparmor=unconfined', 'label=disable'] : null,
      Tmpfs: c.kind ? { '/run': '', '/tmp': '' } : null,
    },
    Mounts: c.mounts.map((m) => ({
      Type: m.type,
      ...(m.type === 'volume' ? { Name: m.name } : {}),
      Source: m.source,
      Destination: m.destination,
      ...(m.type === 'volume' ? { Driver: 'local' } : {}),
      Mode: m.rw ? '' : 'ro',
      RW: m.rw,
      Propagation: m.type === 'bind' ? 'rprivate' : '',
    })),
    Config: {
      Hostname: c.hostname,
      Domainname: '',
      User: '',
      AttachStdin: false,
      AttachStdout: false,
      AttachStderr: false,
      ...(c.ports.length ? { ExposedPorts: exposed } : {}),
      Tty: c.tty,
      OpenStdin: false,
      StdinOnce: false,
      Env: c.env,
      Cmd: c.cmd.length ? c.cmd : null,
      Image: c.image,
      Volumes: c.mounts.some((m) => m.type === 'volume')
        ? Object.fromEntries(c.mounts.filter((m) => m.type === 'volume').map((m) => [m.destination, {}]))
        : null,
      WorkingDir: '/',
      Entrypoint: c.entrypoint.length ? c.entrypoint : null,
      Labels: c.labels,
      ...(c.stopSignal ? { StopSignal: c.stopSignal } : {}),
    },
    NetworkSettings: {
      SandboxID: running ? stableId(`sandbox/${c.id}/${c.startedAt}`) : '',
      SandboxKey: running ? `/var/run/docker/netns/${stableId(`sandbox/${c.id}/${c.startedAt}`).slice(0, 12)}` : '',
      Ports: running ? ports : {},
      Networks: {
        [c.network]: {
          IPAMConfig: null,
          Links: null,
          Aliases: null,
          DriverOpts: null,
          GwPriority: 0,
          NetworkID: net?.id ?? '',
          EndpointID: running ? stableId(`endpoint/${c.id}/${c.startedAt}`) : '',
          Gateway: running ? (net?.gateway ?? '') : '',
          IPAddress: running ? c.ip : '',
          MacAddress: running ? c.mac : '',
          IPPrefixLen: running ? prefixLen : 0,
          IPv6Gateway: '',
          GlobalIPv6Address: '',
          GlobalIPv6PrefixLen: 0,
          DNSNames: [c.name, c.id.slice(0, 12)],
        },
      },
    },
  };
}

export function networkDocument(n: DockerNetwork, engine: DockerEngine): Record<string, unknown> {
  const containers: Record<string, unknown> = {};
  if (n.driver === 'bridge') {
    for (const c of engine
      .list(false)
      .filter((x) => x.network === n.name)
      .sort((a, b) => (a.id < b.id ? -1 : 1))) {
      containers[c.id] = {
        Name: c.name,
        EndpointID: stableId(`endpoint/${c.id}/${c.startedAt}`),
        MacAddress: c.mac,
        IPv4Address: `${c.ip}/${n.subnet!.split('/')[1]}`,
        IPv6Address: '',
      };
    }
  }
  return {
    Name: n.name,
    Id: n.id,
    Created: rfc3339Nano(n.created),
    Scope: 'local',
    Driver: n.driver,
    EnableIPv4: n.driver === 'bridge',
    EnableIPv6: false,
    IPAM: {
      Driver: 'default',
      Options: n.name === 'bridge' ? null : {},
      Config: n.subnet ? [{ Subnet: n.subnet, Gateway: n.gateway }] : null,
    },
    Internal: false,
    Attachable: false,
    Ingress: false,
    ConfigFrom: { Network: '' },
    ConfigOnly: false,
    Options: n.options,
    Labels: {},
    Containers: containers,
  };
}

/** docker/cli's IndentedInspector: the documents as one JSON array, four-space indent. */
export function indentedJson(docs: readonly unknown[]): string {
  return `${JSON.stringify(docs, null, 4).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}
