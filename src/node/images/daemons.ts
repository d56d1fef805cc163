// The sockets a kind node's daemons listen on, as `ss -tnlp` shows them on a node: the kubelet
// (healthz on 127.0.0.1:10248, its HTTPS server on every address at 10250), kube-proxy (metrics on
// 127.0.0.1:10249 and healthz on every address at 10256, KubeProxyConfiguration's defaults: kind's
// kubeadm config sets neither), containerd's CRI streaming server on 127.0.0.1 and a random port,
// and on a control-plane node the static pods' kube-apiserver (*:6443), etcd (client 127.0.0.1 and
// node IP :2379, peer node IP :2380, metrics 127.0.0.1:2381), kube-controller-manager
// (127.0.0.1:10257) and kube-scheduler (127.0.0.1:10259) — kubeadm's flags for kind. Go servers
// listening on a wildcard address take IPv6 too (`*`). Addresses and ports are those defaults, not
// read from the manifests' flags.
//
// Coarse: TLS is not emulated. A plain HTTP request to an HTTPS port gets Go's answer to one
// (400 "Client sent an HTTP request to an HTTPS server."); anything else is accepted and closed.
// etcd's client and peer ports and containerd's accept and answer nothing (etcd's metrics port
// serves its health and metrics: etcd.ts); kube-proxy's 10249 answers /healthz only (its /metrics,
// /proxyMode and /configz are 404 here, not emulated). The descriptor numbers `ss -p` shows
// are fixed plausible values (UNVERIFIED per daemon and version).
import type { HostNetwork, ListenSpec, ProcessHandle } from '../../host/index.js';
import { hashString } from '../../sim/index.js';
import type { GoMux, GoReply, GoRequest } from '../../wire/index.js';
import { goServe, tlsUnwrap, tlsWrap } from '../../wire/index.js';
import { etcdMetricsMux } from './etcd.js';

/** The control plane's version (kind's node image's): /version's gitVersion. */
const KUBE_VERSION = 'v1.36.1';

/** How a daemon's socket answers: Go's net/http mux (plain HTTP), Go's HTTPS server, or nothing. */
type Serve = GoMux | { readonly https: true; readonly tls?: GoMux } | undefined;

/** One daemon socket. */
export interface DaemonSocket {
  /** The holder's comm (15 characters at most: kube-controller-manager is `kube-controller`). */
  readonly comm: string;
  /** `127.0.0.1`, `node` (the node's IP) or `*` (Go's dual-stack wildcard). */
  readonly addr: '127.0.0.1' | 'node' | '*';
  readonly port: number;
  readonly fd: number;
  readonly serve: Serve;
}

/**
 * k8s.io/apiserver's healthz handler (text/plain, nosniff): the apiserver's (allowed for system:anonymous
 * by system:public-info-viewer), and the kubelet's and kube-proxy's /healthz (healthz.InstallHandler).
 */
const healthOk = (): GoReply => ({
  body: 'ok',
  headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
});

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
        '/livez': healthOk,
        '/readyz': healthOk,
        '/healthz': healthOk,
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

/** kube-proxy's two servers. */
export const KUBE_PROXY_SOCKETS: readonly DaemonSocket[] = [
  { comm: 'kube-proxy', addr: '127.0.0.1', port: 10249, fd: 9, serve: { handlers: { '/healthz': healthOk } } },
  { comm: 'kube-proxy', addr: '*', port: 10256, fd: 10, serve: { handlers: { '/healthz': proxyHealthz } } },
];

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

/** The control-plane sockets of a static pod's container image (`registry.k8s.io/etcd:3.6.8-0`), or undefined for another image. */
export function controlPlaneSocketsFor(image: string): DaemonSocket[] | undefined {
  const m = /^registry\.k8s\.io\/(etcd|kube-apiserver|kube-controller-manager|kube-scheduler):(\S*)$/.exec(image);
  if (!m) return undefined;
  // etcd's image tag is its version and an image revision (`3.6.8-0`)
  return controlPlaneSockets(m[2]!.replace(/-\d+$/, '')).filter((s) => s.comm === m[1]!.slice(0, 15));
}
