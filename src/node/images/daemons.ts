// The sockets a kind node's daemons listen on, as `ss -tnlp` shows them on a node: the kubelet
// (healthz on 127.0.0.1:10248, its HTTPS server on every address at 10250), kube-proxy (metrics on
// 127.0.0.1:10249 and healthz on every address at 10256, KubeProxyConfiguration's defaults: kind's
// kubeadm config sets neither), containerd's CRI streaming server on 127.0.0.1 and a random port,
// and on a control-plane node the static pods' kube-apiserver (*:6443), etcd (client 127.0.0.1 and
// node IP :2379, peer node IP :2380, metrics 127.0.0.1:2381), kube-controller-manager
// (127.0.0.1:10257) and kube-scheduler (127.0.0.1:10259) — kubeadm's flags for kind. Go servers
// listening on a wildcard address take IPv6 too (`*`). The static pods' sockets are read from their
// container's command: etcd's --listen-{peer,client,metrics}-urls, the others' --bind-address and
// --secure-port (a patch that moves them moves what ss shows and what answers there).
//
// Coarse: TLS is not emulated. A plain HTTP request to an HTTPS port gets Go's answer to one
// (400 "Client sent an HTTP request to an HTTPS server."); anything else is accepted and closed.
// etcd's client and peer ports and containerd's accept and answer nothing (etcd's metrics port
// serves its health and metrics: etcd.ts); kube-proxy's 10249 answers /healthz and /proxyMode (its
// /metrics and /configz are 404 here, not emulated). The descriptor numbers `ss -p` shows
// are fixed plausible values (UNVERIFIED per daemon and version).
import type { HostNetwork, ListenSpec, ProcessHandle } from '../../host/index.js';
import { hashString, lastResult } from '../../sim/index.js';
import type { GoMux, GoReply, GoRequest } from '../../wire/index.js';
import { goServe, tlsUnwrap, tlsWrap } from '../../wire/index.js';
import { parse } from 'yaml';
import { apiserverHealthHandlers, healthz } from './apiserver-health.js';
import { etcdMetricsMux } from './etcd.js';

/** The control plane's version (kind's node image's): /version's gitVersion. */
const KUBE_VERSION = 'v1.36.1';

/** How a daemon's socket answers: Go's net/http mux (plain HTTP), Go's HTTPS server, or nothing. */
type Serve = GoMux | { readonly https: true; readonly tls?: GoMux } | undefined;

/** One daemon socket. */
export interface DaemonSocket {
  /** The holder's comm (15 characters at most: kube-controller-manager is `kube-controller`). */
  readonly comm: string;
  /** An IPv4 address (`127.0.0.1`), `node` (the node's IP) or `*` (Go's dual-stack wildcard). */
  readonly addr: string;
  readonly port: number;
  readonly fd: number;
  readonly serve: Serve;
}

/** The kubelet's and kube-proxy's /healthz (healthz.InstallHandler: the ping check alone). */
const healthOk = healthz('healthz', ['ping']);

/** What system:anonymous may not get: responsewriters' Status, as the JSON serializer indents it for curl. */
function forbidden({ path }: GoRequest): GoReply {
  const status = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `forbidden: User "system:anonymous" cannot get path "${path}"`,
    reason: 'Forbidden',
    details: {},
    code: 403,
  };
  return {
    status: 403,
    body: `${JSON.stringify(status, null, 2)}\n`,
    headers: { 'Cache-Control': 'no-cache, private', 'Content-Type': 'application/json', 'X-Content-Type-Options': 'nosniff' },
  };
}

/**
 * kube-apiserver's anonymous endpoints (TLS coarse, see the head comment). /version's build fields
 * (commit, date, Go version) are not known here and say so; newer servers add compatibility-version
 * fields not listed.
 */
function apiserverServe(version: string): Serve {
  const [major = '1', minor = '0'] = version.replace(/^v/, '').split('.');
  const info = {
    major,
    minor,
    gitVersion: version,
    gitCommit: 'UNVERIFIED (knetlab)',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.25.0',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
  return {
    https: true,
    tls: {
      handlers: {
        ...apiserverHealthHandlers(),
        '/version': () => ({ body: `${JSON.stringify(info, null, 2)}\n`, headers: { 'Content-Type': 'application/json' } }),
      },
      fallback: forbidden,
    },
  };
}

/** Go's Time.String() of a time.Now() reading: `2006-01-02 15:04:05.999999999 +0000 UTC m=+S.SSSSSSSSS` (the monotonic clock since the process started). */
export function goTimeString(t: Date, upMs: number): string {
  const iso = t.toISOString();
  const frac = iso.slice(20, 23).replace(/0+$/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac ? `.${frac}` : ''} +0000 UTC m=+${(upMs / 1000).toFixed(9)}`;
}

/** kube-proxy's /healthz on 10256 (pkg/proxy/healthcheck/proxier_health.go), healthy: lastUpdated is the current time, fields as its Fprintf writes them. */
function proxyHealthz({ now, upMs }: GoRequest): GoReply {
  const t = JSON.stringify(goTimeString(now, upMs));
  return {
    body: `{"lastUpdated": ${t},"currentTime": ${t}, "nodeEligible": true}`,
    headers: { 'Content-Type': 'application/json', 'X-Content-Type-Options': 'nosniff' },
  };
}

/** The node daemons every kind node runs: the kubelet and containerd (systemd units). */
export function nodeDaemonSockets(containerdPort: number): DaemonSocket[] {
  return [
    { comm: 'kubelet', addr: '127.0.0.1', port: 10248, fd: 21, serve: { handlers: { '/healthz': healthOk } } },
    { comm: 'kubelet', addr: '*', port: 10250, fd: 24, serve: { https: true } },
    { comm: 'containerd', addr: '127.0.0.1', port: containerdPort, fd: 11, serve: undefined },
  ];
}

/**
 * kube-proxy's metrics server (cmd/kube-proxy/app/server.go serveMetrics): /healthz, and /proxyMode
 * answering the mode it runs in as plain text with no newline. /metrics and /configz are not emulated (404).
 */
function kubeProxyMetricsMux(mode: string): GoMux {
  return {
    handlers: {
      '/healthz': healthOk,
      '/proxyMode': () => ({ body: mode, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' } }),
    },
  };
}

/** kube-proxy's two servers with its defaults. */
export const KUBE_PROXY_SOCKETS: readonly DaemonSocket[] = [
  { comm: 'kube-proxy', addr: '127.0.0.1', port: 10249, fd: 9, serve: kubeProxyMetricsMux('iptables') },
  { comm: 'kube-proxy', addr: '*', port: 10256, fd: 10, serve: { handlers: { '/healthz': proxyHealthz } } },
];

/** The ConfigMap's config.conf as YAML (undefined when it does not parse to a mapping), parsed once for all the nodes. */
const kubeProxyConfig = lastResult((text: string): Readonly<Record<string, unknown>> | undefined => {
  try {
    const parsed = parse(text) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
});

/**
 * kube-proxy's servers for its config file's text: the metrics server on `metricsBindAddress`
 * (v1alpha1 defaulting: 127.0.0.1:10249 when empty, a bare host gets :10249), healthz as
 * KUBE_PROXY_SOCKETS (healthzBindAddress is not read). A config that does not parse keeps the defaults.
 */
export function kubeProxySockets(configText: string | undefined, nodeIp?: string): DaemonSocket[] {
  const config = configText === undefined ? undefined : kubeProxyConfig(configText);
  const metrics = config?.['metricsBindAddress'];
  // platformApplyDefaults: an empty mode is iptables on Linux
  const mode = typeof config?.['mode'] === 'string' && config['mode'] !== '' ? config['mode'] : 'iptables';
  const [base, healthz] = KUBE_PROXY_SOCKETS as [DaemonSocket, DaemonSocket];
  const defMetrics: DaemonSocket = { ...base, serve: kubeProxyMetricsMux(mode) };
  if (typeof metrics !== 'string' || metrics === '') return [defMetrics, healthz];
  // AppendPortIfNeeded: a host without a port (IPv6 in brackets or not) gets the default one
  const m = /^(?:\[([^\]]*)\]|([^:]*)):(\d+)$/.exec(metrics);
  const host = m ? (m[1] ?? m[2]!) : metrics.replace(/^\[|\]$/g, '');
  const port = m ? Number(m[3]) : defMetrics.port;
  return [{ ...defMetrics, addr: listenAddr(host, nodeIp), port }, healthz];
}

/** The control plane's static pods' sockets, new for each start of a container (etcd's metrics count from zero). */
function controlPlaneSockets(etcdVersion: string): DaemonSocket[] {
  return [
    { comm: 'etcd', addr: '127.0.0.1', port: 2379, fd: 8, serve: undefined },
    { comm: 'etcd', addr: 'node', port: 2379, fd: 9, serve: undefined },
    { comm: 'etcd', addr: 'node', port: 2380, fd: 7, serve: undefined },
    { comm: 'etcd', addr: '127.0.0.1', port: 2381, fd: 14, serve: etcdMetricsMux(etcdVersion) },
    { comm: 'kube-apiserver', addr: '*', port: 6443, fd: 3, serve: apiserverServe(KUBE_VERSION) },
    { comm: 'kube-controller', addr: '127.0.0.1', port: 10257, fd: 3, serve: { https: true } },
    { comm: 'kube-scheduler', addr: '127.0.0.1', port: 10259, fd: 3, serve: { https: true } },
  ];
}

/** containerd's stream server port: random in the ephemeral range on a real node; here fixed per node. */
export function containerdStreamPort(node: string): number {
  return 32768 + ((hashString(`containerd/${node}`) >>> 0) % (60999 - 32768 + 1));
}

const utf8 = new TextEncoder();
const latin1 = new TextDecoder('latin1');

/** net/http's answer when the first bytes on a TLS port look like an HTTP request (server.go, tls.RecordHeaderError). */
const PLAIN_HTTP_TO_HTTPS = 'HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n';

function onStream(serve: Serve, now: () => number): Extract<ListenSpec, { proto: 'tcp' }>['onStream'] {
  const started = now();
  return (buffered) => {
    if (!serve) return { used: buffered.length };
    if ('https' in serve) {
      if (buffered.length < 5) return undefined;
      const head = latin1.decode(buffered.subarray(0, 5));
      if (/^(GET |HEAD |POST |PUT |OPTIO)/.test(head))
        return { used: buffered.length, close: true, reply: utf8.encode(PLAIN_HTTP_TO_HTTPS) };
      const tls = serve.tls && tlsUnwrap(buffered);
      if (!tls || !serve.tls) return { used: buffered.length, close: true };
      const reply = goServe(serve.tls, latin1.decode(tls.plain), new Date(now()), now() - started);
      return reply === undefined ? undefined : { used: buffered.length, reply: tlsWrap(utf8.encode(reply)), close: true };
    }
    const reply = goServe(serve, latin1.decode(buffered), new Date(now()), now() - started);
    return reply === undefined ? undefined : { used: buffered.length, reply: utf8.encode(reply), close: true };
  };
}

/**
 * Listens on `sockets` in the node's own namespace (these daemons share the node's network).
 * `pidOf` names the holder's PID in the node's process table when ss asks (undefined: not running there).
 */
export function listenDaemonSockets(
  host: HostNetwork,
  sockets: readonly DaemonSocket[],
  o: { readonly nodeIp: string; readonly now: () => number; readonly pidOf: (comm: string) => number | undefined },
): ProcessHandle[] {
  return sockets.map((s) =>
    host.listen(undefined, {
      proto: 'tcp',
      port: s.port,
      ...(s.addr === '*' ? { dualStack: true } : { addr: s.addr === 'node' ? o.nodeIp : s.addr }),
      owner: () => {
        const pid = o.pidOf(s.comm);
        return pid === undefined ? undefined : { comm: s.comm, pid, fd: s.fd };
      },
      onStream: onStream(s.serve, o.now),
    }),
  );
}

/** A flag's value in a container command (`--name=value`; the last given wins, as Go's flag packages do). */
function flagValue(command: readonly string[], name: string): string | undefined {
  const prefix = `--${name}=`;
  return [...command]
    .reverse()
    .find((a) => a.startsWith(prefix))
    ?.slice(prefix.length);
}

/**
 * Where a Go server listening on `host` shows in ss: net.Listen("tcp", …) on an unspecified address
 * (0.0.0.0 or ::) makes a dual-stack IPv6 socket (`*`, as kube-apiserver's default 0.0.0.0 does);
 * the node's own address is `node`.
 */
function listenAddr(host: string, nodeIp: string | undefined): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '*';
  return host === nodeIp ? 'node' : host;
}

/** The listeners of a comma-separated URL flag (etcd's --listen-*-urls): one socket each, fds counting from `fd`; a URL that does not parse is left out. */
function urlSockets(s: DaemonSocket, urls: string, nodeIp: string | undefined, fd: number): DaemonSocket[] {
  return urls.split(',').flatMap((u) => {
    let url: URL;
    try {
      url = new URL(u);
    } catch {
      return [];
    }
    const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
    // etcd binds `localhost` as the loopback address; any other host name it refuses
    const host = url.hostname.replace(/^\[|\]$/g, '');
    return [{ ...s, addr: listenAddr(host === 'localhost' ? '127.0.0.1' : host, nodeIp), port, fd: fd++ }];
  });
}

/**
 * The control-plane sockets of a static pod's container (`registry.k8s.io/etcd:3.6.8-0`), or
 * undefined for another image. The flags of its command move them as on a node: etcd's peer, client
 * and metrics listeners follow --listen-peer-urls, --listen-client-urls and --listen-metrics-urls
 * (one socket per URL, opened in that order: the fds count on); kube-apiserver's,
 * kube-controller-manager's and kube-scheduler's secure port --bind-address and --secure-port
 * (the apiserver's bind address is 0.0.0.0 when not given: `*`).
 */
export function controlPlaneSocketsFor(image: string, command: readonly string[] = [], nodeIp?: string): DaemonSocket[] | undefined {
  const m = /^registry\.k8s\.io\/(etcd|kube-apiserver|kube-controller-manager|kube-scheduler):(\S*)$/.exec(image);
  if (!m) return undefined;
  // etcd's image tag is its version and an image revision (`3.6.8-0`)
  const defaults = controlPlaneSockets(m[2]!.replace(/-\d+$/, '')).filter((s) => s.comm === m[1]!.slice(0, 15));
  const flag = (name: string) => flagValue(command, name);
  if (m[1] === 'etcd') {
    const [client, , peer, metrics] = defaults as [DaemonSocket, DaemonSocket, DaemonSocket, DaemonSocket];
    const group = (s: DaemonSocket, name: string, fd: number) => {
      const urls = flag(name);
      return urls === undefined
        ? defaults.filter((d) => d.port === s.port).map((d, i) => ({ ...d, fd: fd + i }))
        : urlSockets(s, urls, nodeIp, fd);
    };
    const peers = group(peer, 'listen-peer-urls', peer.fd);
    const clients = group(client, 'listen-client-urls', peer.fd + peers.length);
    return [...peers, ...clients, ...group(metrics, 'listen-metrics-urls', Math.max(metrics.fd, peer.fd + peers.length + clients.length))];
  }
  return defaults.flatMap((s) => {
    const bind = flag('bind-address');
    const port = Number(flag('secure-port') ?? s.port);
    // a port the flag parser would refuse: the server does not start serving (not emulated: its exit)
    if (!Number.isInteger(port) || port < 1 || port > 65535) return [];
    return [{ ...s, addr: bind === undefined ? s.addr : listenAddr(bind, nodeIp), port }];
  });
}
