// The static pod manifests `kubeadm init` writes into a kind control-plane node's
// /etc/kubernetes/manifests (kubeadm v1.36: phases/controlplane/manifests.go, phases/etcd/local.go,
// util/staticpod/utils.go), for the ClusterConfiguration kind hands it (kind
// pkg/cluster/internal/kubeadm/config.go: apiServer extraArgs runtime-config, controllerManager
// enable-hostpath-provisioner=true, feature-gates on all three when the kind config sets any;
// clusterName, pod and service subnets; localAPIEndpoint = the node's address, port 6443).
// Flags are sorted as kubeadm's argument builder sorts them; probes use the named port
// `probe-port` (kubernetes#132776, v1.34+); volumes and mounts are sorted by name. Serialised as
// kubeadm's YAML marshaller does: keys sorted, sequences not indented, `status: {}`; no
// `creationTimestamp: null` (UNVERIFIED: dropped from serialisation since v1.34's omitzero).
// HA clusters: a control plane that `kubeadm join --control-plane` adds (etcdMembers given) gets
// CreateStackedEtcdStaticPodManifestFile's flags: --initial-cluster lists the members MemberAddAsLearner
// returned (those before it and itself) and --initial-cluster-state=existing. Coarse: etcd returns
// the members in member-ID order (a joiner's ID hashes its join time); here they are in join order.
import { stringify } from 'yaml';
import type { Arg, ComponentArgs } from './kubeadm-patches.js';

type Obj = Record<string, unknown>;

/** registry.k8s.io/etcd's tag for kubeadm v1.36 (UNVERIFIED: from a third-party v1.36.1 kind fixture; kubeadm's DefaultEtcdVersion). */
export const ETCD_IMAGE = 'registry.k8s.io/etcd:3.6.8-0';

export interface ControlPlaneOptions {
  /** The node (and etcd member) name. */
  readonly node: string;
  /** The node's address: advertise address and etcd's peer and client URLs. */
  readonly ip: string;
  /** kind's cluster name (ClusterConfiguration.clusterName: kube-controller-manager --cluster-name). */
  readonly clusterName: string;
  readonly podSubnet: string;
  readonly serviceSubnet: string;
  /** Kubernetes version (`v1.36.1`): the control-plane images' tag. */
  readonly version: string;
  /** kind's runtimeConfig as `k=v,…` sorted (empty by default: `--runtime-config=`). */
  readonly runtimeConfig?: string;
  /** kind's featureGates as `Name=true,…` sorted; none: no --feature-gates. */
  readonly featureGates?: string;
  /** The etcd members this node's etcd joins (the init node first); none or empty: `kubeadm init`'s single member. */
  readonly etcdMembers?: readonly { readonly name: string; readonly ip: string }[];
  /** The extraArgs kubeadmConfigPatches leave in the node's ClusterConfiguration. */
  readonly extraArgs?: ComponentArgs;
}

const PKI = '/etc/kubernetes/pki';

/**
 * kubeadm's ArgumentsToCommand: the extra args, then each default flag no extra arg names, sorted
 * stably by name (an extra arg given twice stays twice, in its order).
 */
function args(command: string, flags: Record<string, string>, extra: readonly Arg[] = []): string[] {
  const named = new Set(extra.map((a) => a.name));
  const all = [...extra, ...Object.entries(flags).flatMap(([name, value]) => (named.has(name) ? [] : [{ name, value }]))];
  return [command, ...all.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((a) => `--${a.name}=${a.value}`)];
}

/** The value of an extra arg (GetArgValue from the end: the last given), if any. */
const argValue = (extra: readonly Arg[] | undefined, name: string) => [...(extra ?? [])].reverse().find((a) => a.name === name)?.value;

/**
 * GetControllerManagerProbeAddress / GetSchedulerProbeAddress: the --bind-address extra arg, but
 * no host at all for an unspecified address (kubernetes#86504: the kubelet then probes the pod IP,
 * the node's address for a host-network pod).
 */
function bindProbeHost(extra: readonly Arg[] | undefined): string {
  const addr = argValue(extra, 'bind-address');
  if (addr === undefined) return '127.0.0.1';
  return addr === '0.0.0.0' || addr === '::' ? '' : addr;
}

/** GetEtcdProbeEndpoint: the first --listen-metrics-urls URL's host, port and scheme (127.0.0.1:2381 HTTP otherwise). */
function etcdProbeEndpoint(extra: readonly Arg[] | undefined): { host: string; port: number; scheme: 'HTTP' | 'HTTPS' } {
  const def = { host: '127.0.0.1', port: 2381, scheme: 'HTTP' as const };
  const urls = argValue(extra, 'listen-metrics-urls');
  if (urls === undefined) return def;
  let u: URL;
  try {
    u = new URL(urls.split(',')[0]!);
  } catch {
    return def;
  }
  const port = Number(u.port);
  return {
    host: u.hostname.replace(/^\[|\]$/g, '') || def.host,
    port: u.port !== '' && port > 0 && port < 65536 ? port : def.port,
    scheme: u.protocol === 'https:' ? 'HTTPS' : 'HTTP',
  };
}

/** staticpodutil's probe: an httpGet on the named probe port. */
function probe(
  host: string,
  path: string,
  scheme: 'HTTP' | 'HTTPS',
  failureThreshold: number,
  periodSeconds = 10,
  initialDelay = true,
): Obj {
  return {
    failureThreshold,
    httpGet: { ...(host ? { host } : {}), path, port: 'probe-port', scheme },
    ...(initialDelay ? { initialDelaySeconds: 10 } : {}),
    periodSeconds,
    timeoutSeconds: 15,
  };
}

interface HostPathVolume {
  readonly name: string;
  readonly path: string;
  readonly type: 'DirectoryOrCreate' | 'FileOrCreate';
  readonly readOnly: boolean;
}

/** The CA certificate directories kubeadm mounts on a Debian host (controlplane/volumes.go: the ones that exist on kindest/node). */
const CA_VOLUMES: readonly HostPathVolume[] = [
  { name: 'ca-certs', path: '/etc/ssl/certs', type: 'DirectoryOrCreate', readOnly: true },
  { name: 'etc-ca-certificates', path: '/etc/ca-certificates', type: 'DirectoryOrCreate', readOnly: true },
  { name: 'usr-local-share-ca-certificates', path: '/usr/local/share/ca-certificates', type: 'DirectoryOrCreate', readOnly: true },
  { name: 'usr-share-ca-certificates', path: '/usr/share/ca-certificates', type: 'DirectoryOrCreate', readOnly: true },
];
const K8S_CERTS: HostPathVolume = { name: 'k8s-certs', path: PKI, type: 'DirectoryOrCreate', readOnly: true };

/** ComponentPod: one container, host network, system-node-critical, RuntimeDefault seccomp. */
function componentPod(name: string, container: Obj, volumes: readonly HostPathVolume[], annotations?: Obj): Obj {
  const sorted = [...volumes].sort((a, b) => (a.name < b.name ? -1 : 1));
  const mounts =
    container.volumeMounts ?? sorted.map((v) => ({ mountPath: v.path, name: v.name, ...(v.readOnly ? { readOnly: true } : {}) }));
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...(annotations ? { annotations } : {}),
      labels: { component: name, tier: 'control-plane' },
      name,
      namespace: 'kube-system',
    },
    spec: {
      containers: [{ ...container, name, imagePullPolicy: 'IfNotPresent', volumeMounts: mounts }],
      hostNetwork: true,
      priority: 2000001000,
      priorityClassName: 'system-node-critical',
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      volumes: sorted.map((v) => ({ hostPath: { path: v.path, type: v.type }, name: v.name })),
    },
    status: {},
  };
}

const port = (containerPort: number) => [{ containerPort, name: 'probe-port', protocol: 'TCP' }];

/** The four manifests, by file name (etcd.yaml, kube-apiserver.yaml, …), as pod objects. */
export function controlPlanePods(o: ControlPlaneOptions): Record<string, Obj> {
  const gates: Record<string, string> = o.featureGates ? { 'feature-gates': o.featureGates } : {};
  const kcmHost = bindProbeHost(o.extraArgs?.controllerManager);
  const schedHost = bindProbeHost(o.extraArgs?.scheduler);
  const ep = etcdProbeEndpoint(o.extraArgs?.etcd);
  const apiserver = componentPod(
    'kube-apiserver',
    {
      command: args(
        'kube-apiserver',
        {
          'advertise-address': o.ip,
          'allow-privileged': 'true',
          'authorization-mode': 'Node,RBAC',
          'client-ca-file': `${PKI}/ca.crt`,
          'enable-admission-plugins': 'NodeRestriction',
          'enable-bootstrap-token-auth': 'true',
          'etcd-cafile': `${PKI}/etcd/ca.crt`,
          'etcd-certfile': `${PKI}/apiserver-etcd-client.crt`,
          'etcd-keyfile': `${PKI}/apiserver-etcd-client.key`,
          // getAPIServerCommand: a local etcd's advertise-client-urls extra arg, else its loopback client URL
          'etcd-servers': argValue(o.extraArgs?.etcd, 'advertise-client-urls') ?? 'https://127.0.0.1:2379',
          ...gates,
          'kubelet-client-certificate': `${PKI}/apiserver-kubelet-client.crt`,
          'kubelet-client-key': `${PKI}/apiserver-kubelet-client.key`,
          'kubelet-preferred-address-types': 'InternalIP,ExternalIP,Hostname',
          'proxy-client-cert-file': `${PKI}/front-proxy-client.crt`,
          'proxy-client-key-file': `${PKI}/front-proxy-client.key`,
          'requestheader-allowed-names': 'front-proxy-client',
          'requestheader-client-ca-file': `${PKI}/front-proxy-ca.crt`,
          'requestheader-extra-headers-prefix': 'X-Remote-Extra-',
          'requestheader-group-headers': 'X-Remote-Group',
          'requestheader-username-headers': 'X-Remote-User',
          'runtime-config': o.runtimeConfig ?? '',
          'secure-port': '6443',
          'service-account-issuer': 'https://kubernetes.default.svc.cluster.local',
          'service-account-key-file': `${PKI}/sa.pub`,
          'service-account-signing-key-file': `${PKI}/sa.key`,
          'service-cluster-ip-range': o.serviceSubnet,
          'tls-cert-file': `${PKI}/apiserver.crt`,
          'tls-private-key-file': `${PKI}/apiserver.key`,
        },
        o.extraArgs?.apiServer,
      ),
      image: `registry.k8s.io/kube-apiserver:${o.version}`,
      livenessProbe: probe(o.ip, '/livez', 'HTTPS', 8),
      ports: port(6443),
      readinessProbe: probe(o.ip, '/readyz', 'HTTPS', 3, 1, false),
      resources: { requests: { cpu: '250m' } },
      startupProbe: probe(o.ip, '/livez', 'HTTPS', 24),
    },
    [...CA_VOLUMES, K8S_CERTS],
    { 'kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint': `${o.ip}:6443` },
  );
  const kubeconfig = (file: string): HostPathVolume => ({
    name: 'kubeconfig',
    path: `/etc/kubernetes/${file}`,
    type: 'FileOrCreate',
    readOnly: true,
  });
  const kcm = componentPod(
    'kube-controller-manager',
    {
      command: args(
        'kube-controller-manager',
        {
          'allocate-node-cidrs': 'true',
          'authentication-kubeconfig': '/etc/kubernetes/controller-manager.conf',
          'authorization-kubeconfig': '/etc/kubernetes/controller-manager.conf',
          'bind-address': '127.0.0.1',
          'client-ca-file': `${PKI}/ca.crt`,
          'cluster-cidr': o.podSubnet,
          'cluster-name': o.clusterName,
          'cluster-signing-cert-file': `${PKI}/ca.crt`,
          'cluster-signing-key-file': `${PKI}/ca.key`,
          controllers: '*,bootstrapsigner,tokencleaner',
          'enable-hostpath-provisioner': 'true',
          ...gates,
          kubeconfig: '/etc/kubernetes/controller-manager.conf',
          'leader-elect': 'true',
          'requestheader-client-ca-file': `${PKI}/front-proxy-ca.crt`,
          'root-ca-file': `${PKI}/ca.crt`,
          'service-account-private-key-file': `${PKI}/sa.key`,
          'service-cluster-ip-range': o.serviceSubnet,
          'use-service-account-credentials': 'true',
        },
        o.extraArgs?.controllerManager,
      ),
      image: `registry.k8s.io/kube-controller-manager:${o.version}`,
      livenessProbe: probe(kcmHost, '/healthz', 'HTTPS', 8),
      ports: port(10257),
      resources: { requests: { cpu: '200m' } },
      startupProbe: probe(kcmHost, '/healthz', 'HTTPS', 24),
    },
    [
      ...CA_VOLUMES,
      K8S_CERTS,
      {
        name: 'flexvolume-dir',
        path: '/usr/libexec/kubernetes/kubelet-plugins/volume/exec',
        type: 'DirectoryOrCreate',
        readOnly: false,
      },
      kubeconfig('controller-manager.conf'),
    ],
  );
  const scheduler = componentPod(
    'kube-scheduler',
    {
      command: args(
        'kube-scheduler',
        {
          'authentication-kubeconfig': '/etc/kubernetes/scheduler.conf',
          'authorization-kubeconfig': '/etc/kubernetes/scheduler.conf',
          'bind-address': '127.0.0.1',
          ...gates,
          kubeconfig: '/etc/kubernetes/scheduler.conf',
          'leader-elect': 'true',
        },
        o.extraArgs?.scheduler,
      ),
      image: `registry.k8s.io/kube-scheduler:${o.version}`,
      livenessProbe: probe(schedHost, '/livez', 'HTTPS', 8),
      ports: port(10259),
      readinessProbe: probe(schedHost, '/readyz', 'HTTPS', 3, 1, false),
      resources: { requests: { cpu: '100m' } },
      startupProbe: probe(schedHost, '/livez', 'HTTPS', 24),
    },
    [kubeconfig('scheduler.conf')],
  );
  const peer = `https://${o.ip}:2380`;
  // getEtcdCommand: kubeadm init's cluster is this member alone; a joining member lists the cluster it joins
  const joining = (o.etcdMembers ?? []).filter((m) => m.name !== o.node);
  const cluster = [...joining.map((m) => `${m.name}=https://${m.ip}:2380`), `${o.node}=${peer}`].join(',');
  const etcd = componentPod(
    'etcd',
    {
      command: args(
        'etcd',
        {
          'advertise-client-urls': `https://${o.ip}:2379`,
          'cert-file': `${PKI}/etcd/server.crt`,
          'client-cert-auth': 'true',
          'data-dir': '/var/lib/etcd',
          'feature-gates': 'InitialCorruptCheck=true',
          'initial-advertise-peer-urls': peer,
          'initial-cluster': cluster,
          ...(joining.length ? { 'initial-cluster-state': 'existing' } : {}),
          'key-file': `${PKI}/etcd/server.key`,
          'listen-client-urls': `https://127.0.0.1:2379,https://${o.ip}:2379`,
          'listen-metrics-urls': 'http://127.0.0.1:2381',
          'listen-peer-urls': peer,
          name: o.node,
          'peer-cert-file': `${PKI}/etcd/peer.crt`,
          'peer-client-cert-auth': 'true',
          'peer-key-file': `${PKI}/etcd/peer.key`,
          'peer-trusted-ca-file': `${PKI}/etcd/ca.crt`,
          'snapshot-count': '10000',
          'trusted-ca-file': `${PKI}/etcd/ca.crt`,
          'watch-progress-notify-interval': '5s',
        },
        o.extraArgs?.etcd,
      ),
      image: ETCD_IMAGE,
      livenessProbe: probe(ep.host, '/livez', ep.scheme, 8),
      ports: port(ep.port),
      readinessProbe: probe(ep.host, '/readyz', ep.scheme, 3, 1, false),
      resources: { requests: { cpu: '100m', memory: '100Mi' } },
      startupProbe: probe(ep.host, '/readyz', ep.scheme, 24),
      // etcd's own order (local.go), not sorted
      volumeMounts: [
        { mountPath: '/var/lib/etcd', name: 'etcd-data' },
        { mountPath: `${PKI}/etcd`, name: 'etcd-certs' },
      ],
    },
    [
      { name: 'etcd-certs', path: `${PKI}/etcd`, type: 'DirectoryOrCreate', readOnly: false },
      { name: 'etcd-data', path: '/var/lib/etcd', type: 'DirectoryOrCreate', readOnly: false },
    ],
    { 'kubeadm.kubernetes.io/etcd.advertise-client-urls': `https://${o.ip}:2379` },
  );
  return { 'etcd.yaml': etcd, 'kube-apiserver.yaml': apiserver, 'kube-controller-manager.yaml': kcm, 'kube-scheduler.yaml': scheduler };
}

/** A manifest as kubeadm writes it (sigs.k8s.io/yaml: keys sorted, sequences at their key's indentation). */
export function manifestYaml(pod: Obj): string {
  return stringify(pod, { sortMapEntries: true, indentSeq: false, lineWidth: 0 });
}

/**
 * The pod as its manifest's YAML reads back (manifestYaml sorts the keys; undefined fields are not
 * written): what the kubelet would parse from the file, handed to it with the file (NodeFiles.value).
 */
export function manifestValue(pod: Obj): Obj {
  return sortedCopy(pod) as Obj;
}

function sortedCopy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedCopy);
  if (v === null || typeof v !== 'object') return v;
  const out: Obj = {};
  for (const k of Object.keys(v).sort()) {
    const x = (v as Obj)[k];
    if (x !== undefined) out[k] = sortedCopy(x);
  }
  return out;
}
