// kube-apiserver's /healthz, /livez and /readyz (k8s.io/apiserver pkg/server/healthz): `ok` with no
// newline; with ?verbose each check's `[+]name ok` line, then `<name> check passed`; ?exclude=name
// prints `[+]name excluded: ok` and a name matching no check adds `warn: some health checks cannot
// be excluded: no matches for "name"`. text/plain + nosniff. The checks are those a v1.35
// kube-apiserver lists in registration order (a v1.35.7 cluster's /readyz?verbose, its /livez
// the same less the readiness-only ones; UNVERIFIED for v1.36.1): ping, log, etcd, the post-start hooks and
// autoregister-completion on all three, etcd-readiness and informer-sync before the hooks and
// shutdown last on /readyz only. This apiserver is always healthy: every check passes.
import type { GoReply, GoRequest } from '../../wire/index.js';

const HOOKS = [
  'start-apiserver-admission-initializer',
  'generic-apiserver-start-informers',
  'priority-and-fairness-config-consumer',
  'priority-and-fairness-filter',
  'storage-object-count-tracker-hook',
  'start-apiextensions-informers',
  'start-apiextensions-controllers',
  'crd-informer-synced',
  'start-system-namespaces-controller',
  'peer-endpoint-reconciler-controller',
  'start-cluster-authentication-info-controller',
  'start-kube-apiserver-identity-lease-controller',
  'start-kube-apiserver-identity-lease-garbage-collector',
  'storage-readiness',
  'start-legacy-token-tracking-controller',
  'start-service-ip-repair-controllers',
  'rbac/bootstrap-roles',
  'scheduling/bootstrap-system-priority-classes',
  'priority-and-fairness-config-producer',
  'bootstrap-controller',
  'start-kubernetes-service-cidr-controller',
  'aggregator-reload-proxy-client-cert',
  'start-kube-aggregator-informers',
  'apiservice-status-local-available-controller',
  'apiservice-status-remote-available-controller',
  'apiservice-registration-controller',
  'apiservice-discovery-controller',
  'kube-apiserver-autoregistration',
].map((h) => `poststarthook/${h}`);

/** After the hooks above: autoregister-completion sits between the autoregistration hook and the OpenAPI ones. */
const TAIL = ['autoregister-completion', 'poststarthook/apiservice-openapi-controller', 'poststarthook/apiservice-openapiv3-controller'];

/** Each endpoint's checks, in the order ?verbose lists them. */
export const APISERVER_CHECKS: Readonly<Record<'healthz' | 'livez' | 'readyz', readonly string[]>> = {
  healthz: ['ping', 'log', 'etcd', ...HOOKS, ...TAIL],
  livez: ['ping', 'log', 'etcd', ...HOOKS, ...TAIL],
  readyz: ['ping', 'log', 'etcd', 'etcd-readiness', 'informer-sync', ...HOOKS, ...TAIL, 'shutdown'],
};

const HEADERS = { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' };

/** handleRootHealth: every check of `name`, verbose or not, some excluded (also healthz.InstallHandler's ping-only /healthz of the kubelet and kube-proxy). */
export function healthz(name: string, checks: readonly string[]) {
  return (r: GoRequest): GoReply => {
    const excluded = new Set(r.query.getAll('exclude'));
    let out = '';
    for (const c of checks) {
      if (excluded.delete(c)) out += `[+]${c} excluded: ok\n`;
      else out += `[+]${c} ok\n`;
    }
    if (excluded.size)
      out += `warn: some health checks cannot be excluded: no matches for ${[...excluded]
        .sort()
        .map((e) => JSON.stringify(e))
        .join(',')}\n`;
    return { body: r.query.has('verbose') ? `${out}${name} check passed\n` : 'ok', headers: HEADERS };
  };
}

/**
 * The apiserver's health handlers anonymous clients may reach (system:public-info-viewer grants
 * exactly /healthz, /livez and /readyz: a single check's path such as /readyz/etcd is 403 for them).
 */
export function apiserverHealthHandlers(): Record<string, (r: GoRequest) => GoReply> {
  return Object.fromEntries(Object.entries(APISERVER_CHECKS).map(([name, checks]) => [`/${name}`, healthz(name, checks)]));
}
