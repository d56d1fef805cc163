// The environment the kubelet gives a container (pkg/kubelet/kubelet_pods.go
// makeEnvironmentVariables): the container's declared `env` values, then the Services'
// variables (getServiceEnvVarMap, pkg/kubelet/envvars FromServices) as they stood when the
// container started — the "kubernetes" Service of the default namespace always, the pod's own
// namespace's Services with a cluster IP when enableServiceLinks (the default) — which is why a
// pod started before its Service has no MY_SVC_SERVICE_HOST. Coarse: the kubelet emits them in
// Go's map order, which differs from container to container; here declared order, then by name.
// valueFrom and $(VAR) references are not resolved.
import type { ApiClient, KubeObject } from '../api/index.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** makeEnvVariableName: upper case, `-` → `_`. */
function envName(s: string): string {
  return s.replaceAll('-', '_').toUpperCase();
}

/** envvars.FromServices for one Service with a cluster IP. */
function serviceVars(svc: KubeObject): [string, string][] {
  const spec = svc.spec as Obj;
  const ip = spec.clusterIP as string;
  const ports = (spec.ports ?? []) as Obj[];
  const prefix = envName(svc.metadata.name!);
  const out: [string, string][] = [[`${prefix}_SERVICE_HOST`, ip]];
  if (ports.length > 0) out.push([`${prefix}_SERVICE_PORT`, String(ports[0]!.port)]);
  for (const p of ports) if (p.name) out.push([`${prefix}_SERVICE_PORT_${envName(p.name)}`, String(p.port)]);
  // makeLinkVariables: Docker's link variables, the first port also as PREFIX_PORT
  ports.forEach((p, i) => {
    const proto = String(p.protocol || 'TCP');
    const url = `${proto.toLowerCase()}://${ip}:${p.port}`;
    if (i === 0) out.push([`${prefix}_PORT`, url]);
    const pp = `${prefix}_PORT_${p.port}_${proto.toUpperCase()}`;
    out.push([pp, url], [`${pp}_PROTO`, proto.toLowerCase()], [`${pp}_PORT`, String(p.port)], [`${pp}_ADDR`, ip]);
  });
  return out;
}

/** getServiceEnvVarMap: the Service variables a container of a pod in `ns` gets. */
export function serviceEnv(services: readonly KubeObject[], ns: string, enableServiceLinks: boolean): Map<string, string> {
  const chosen = new Map<string, KubeObject>();
  for (const s of services) {
    const ip = (s.spec as Obj | undefined)?.clusterIP;
    if (typeof ip !== 'string' || ip === '' || ip === 'None') continue; // IsServiceIPSet
    const name = s.metadata.name!;
    const sns = s.metadata.namespace ?? 'default';
    if (sns === 'default' && name === 'kubernetes') {
      if (!chosen.has(name)) chosen.set(name, s);
    } else if (sns === ns && enableServiceLinks) chosen.set(name, s);
  }
  const vars = new Map<string, string>();
  for (const s of chosen.values()) for (const [k, v] of serviceVars(s)) vars.set(k, v);
  return vars;
}

/** The Service variables of one namespace, sorted by name; shared by every container started while the Services stay as they are. */
export type ServiceVars = readonly (readonly [string, string])[];

interface Memo {
  version: number;
  readonly byKey: Map<string, { version: number; vars: ServiceVars }>;
}

/** One watch on Services per API client: a version bumped on any change, and the last variables computed per namespace at it. */
const memos = new WeakMap<ApiClient, Memo>();

/** The Service variables a container of `pod` starting now gets (the service lister's view, as the kubelet reads it at start). */
export function serviceVarsAtStart(api: ApiClient, pod: KubeObject): ServiceVars {
  let memo = memos.get(api);
  if (!memo) {
    const m: Memo = { version: 0, byKey: new Map() };
    api.watch('services', undefined, {}, () => void m.version++);
    memos.set(api, m);
    memo = m;
  }
  const ns = pod.metadata.namespace ?? 'default';
  const links = (pod.spec as Obj).enableServiceLinks !== false;
  const key = `${links ? 'links' : 'nolinks'}/${ns}`;
  const hit = memo.byKey.get(key);
  if (hit && hit.version === memo.version) return hit.vars;
  const services = [...api.list('services', ns).items];
  if (ns !== 'default') services.push(...api.list('services', 'default', { fieldSelector: 'metadata.name=kubernetes' }).items);
  const vars = [...serviceEnv(services, ns, links)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  memo.byKey.set(key, { version: memo.version, vars });
  return vars;
}

/** The kubelet's part of `container`'s environment: its declared values, then the Service variables it does not declare. */
export function kubeletEnv(container: Obj, services: ServiceVars): (readonly [string, string])[] {
  const declared = new Map<string, string>();
  for (const e of (container.env ?? []) as Obj[])
    if (typeof e.name === 'string' && typeof e.value === 'string') declared.set(e.name, e.value);
  return [...declared, ...services.filter(([k]) => !declared.has(k))];
}
