// What kube-proxy's iptables proxier knows about one node's services, built from the API objects
// as upstream's change trackers build it (pkg/proxy/serviceport.go newBaseServiceInfo,
// endpointslicecache.go addEndpoints, util.GetClusterIPByFamily, apis/core/v1/helper). IPv4 only:
// IPv6 addresses, families and slices are skipped as the IPv4 proxier skips them.
// Every value that reaches iptables text is checked here against what the API allows.
import { formatIpv4, parseIpv4, type Ipv4 } from '../wire/index.js';
import { invalid, required } from './errors.js';

/** Protocols as iptables names them (`-p tcp`), from the API's `TCP`/`UDP`/`SCTP`. */
export type Protocol = 'tcp' | 'udp' | 'sctp';

export interface Cidr {
  readonly addr: Ipv4;
  readonly len: number;
  /** Network form, as Go's IPNet.String() prints it. */
  readonly text: string;
}

/** One port of one Service, as the proxier sees it (BaseServicePortInfo). */
export interface ServicePortInfo {
  readonly namespace: string;
  readonly name: string;
  readonly portName: string;
  /** `ns/name:port` (or `ns/name` for an unnamed port). */
  readonly nameString: string;
  readonly protocol: Protocol;
  readonly clusterIP: string;
  readonly port: number;
  readonly nodePort: number;
  readonly externalIPs: readonly string[];
  readonly loadBalancerVIPs: readonly string[];
  readonly loadBalancerSourceRanges: readonly Cidr[];
  readonly healthCheckNodePort: number;
  readonly sessionAffinityClientIP: boolean;
  readonly stickyMaxAgeSeconds: number;
  readonly externalPolicyLocal: boolean;
  readonly internalPolicyLocal: boolean;
}

export interface EndpointInfo {
  readonly ip: string;
  readonly port: number;
  /** `ip:port`, the endpoint's identity and sort key. */
  readonly text: string;
  readonly isLocal: boolean;
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
}

export const externallyAccessible = (s: ServicePortInfo): boolean =>
  s.nodePort !== 0 || s.loadBalancerVIPs.length > 0 || s.externalIPs.length > 0;
export const usesClusterEndpoints = (s: ServicePortInfo): boolean => !s.internalPolicyLocal || externallyAccessible(s);
export const usesLocalEndpoints = (s: ServicePortInfo): boolean =>
  s.internalPolicyLocal || (s.externalPolicyLocal && externallyAccessible(s));

/** The key of a service port across Services and EndpointSlices (proxy.ServicePortName with its protocol). */
export const portKey = (namespace: string, name: string, portName: string, protocol: Protocol): string =>
  `${namespace}/${name}\0${portName}\0${protocol}`;
export const serviceKey = (namespace: string, name: string): string => `${namespace}/${name}`;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function metaOf(o: Obj, kind: string): { namespace: string; name: string; what: string } {
  const m = o['metadata'];
  if (!isObj(m)) throw required(kind, 'metadata');
  const name = m['name'];
  if (typeof name !== 'string' || name === '') throw required(kind, 'metadata.name');
  const what = `${kind} ${typeof m['namespace'] === 'string' ? `${m['namespace']}/` : ''}${name}`;
  if (!DNS1123_SUBDOMAIN.test(name) || name.length > 253)
    throw invalid(what, 'metadata.name', name, 'must be a lowercase RFC 1123 subdomain');
  const ns = m['namespace'];
  if (typeof ns !== 'string' || ns === '')
    throw required(what, 'metadata.namespace', 'render takes objects as the API server stores them, namespace included');
  if (!DNS1123_LABEL.test(ns) || ns.length > 63) throw invalid(what, 'metadata.namespace', ns, 'must be a lowercase RFC 1123 label');
  return { namespace: ns, name, what };
}

function str(o: Obj, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' ? v : undefined;
}

/**
 * netutils.ParseIPSloppy for IPv4: decimal octets whose leading zeros are ignored ("010" is ten,
 * not octal eight), as the API server accepted them before StrictIPCIDRValidation; kube-proxy
 * writes such addresses in canonical form (upstream's TestBadIPs).
 */
export function parseIpv4Sloppy(text: string): Ipv4 | undefined {
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(text)) return undefined;
  return parseIpv4(text.replace(/(^|\.)0+(?=\d)/g, '$1'));
}

function ipv4Text(what: string, field: string, v: unknown): string {
  if (typeof v !== 'string') throw invalid(what, field, v, 'must be an IP address');
  const ip = parseIpv4Sloppy(v);
  if (ip === undefined) throw invalid(what, field, v, 'must be a valid IP address');
  return formatIpv4(ip);
}

const isIpv6Text = (v: string): boolean => v.includes(':');

function protocolOf(what: string, field: string, v: unknown): Protocol {
  if (v === undefined) throw required(what, field, 'the API server defaults it to TCP; render takes objects as stored');
  if (v === 'TCP' || v === 'UDP' || v === 'SCTP') return v.toLowerCase() as Protocol;
  throw invalid(what, field, v, 'supported values: "SCTP", "TCP", "UDP"');
}

function portNumber(what: string, field: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > 65535)
    throw invalid(what, field, v, `must be between ${min} and 65535, inclusive`);
  return v;
}

const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
function portNameOf(what: string, field: string, v: unknown): string {
  if (v === undefined || v === '') return '';
  if (typeof v !== 'string' || v.length > 63 || !DNS1123_LABEL.test(v)) throw invalid(what, field, v, 'must be a lowercase RFC 1123 label');
  return v;
}

/**
 * Parses `a.b.c.d/n` as netutils.ParseCIDRSloppy does (host bits allowed, printed in network
 * form; leading zeros in the octets and the prefix length ignored).
 */
export function parseCidr(text: string): Cidr | undefined {
  const m = /^([0-9.]+)\/(\d+)$/.exec(text);
  if (!m) return undefined;
  const ip = parseIpv4Sloppy(m[1]!);
  const len = Number(m[2]);
  if (ip === undefined || len > 32) return undefined;
  const addr = len === 0 ? 0 : (ip & (0xffffffff << (32 - len))) >>> 0;
  return { addr, len, text: `${formatIpv4(addr)}/${len}` };
}

export const cidrContains = (c: Cidr, ip: Ipv4): boolean => c.len === 0 || ((ip ^ c.addr) & (0xffffffff << (32 - c.len))) === 0;

/**
 * The IPv4 service ports of one Service, or none when kube-proxy skips it (headless, no IPv4
 * cluster IP, ExternalName).
 */
export function servicePorts(obj: unknown): ServicePortInfo[] {
  if (!isObj(obj)) throw required('Service', '(object)', 'must be a mapping');
  const { namespace, name, what } = metaOf(obj, 'Service');
  if (!DNS1123_LABEL.test(name) || name.length > 63)
    throw invalid(what, 'metadata.name', name, 'a Service name must be a lowercase RFC 1123 label');
  const spec = obj['spec'];
  if (!isObj(spec)) throw required(what, 'spec');
  const type = str(spec, 'type') ?? '';
  if (!['', 'ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'].includes(type)) {
    throw invalid(what, 'spec.type', spec['type'], 'supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"');
  }
  const clusterIP = clusterIPv4(what, spec);
  if (type === 'ExternalName' || clusterIP === '') return [];

  const externalIPs = stringList(what, spec, 'externalIPs').flatMap((v, i) =>
    isIpv6Text(v) ? [] : [ipv4Text(what, `spec.externalIPs[${i}]`, v)],
  );
  const ranges = stringList(what, spec, 'loadBalancerSourceRanges').flatMap((raw, i) => {
    const v = raw.trim(); // kube-proxy trims them (a regression test feeds " 203.0.113.0/25")
    if (isIpv6Text(v)) return [];
    const c = parseCidr(v);
    if (!c) throw invalid(what, `spec.loadBalancerSourceRanges[${i}]`, raw, 'must be a valid CIDR');
    return [c];
  });
  const vips = loadBalancerVIPs(what, obj['status']);
  const etp = spec['externalTrafficPolicy'];
  if (etp !== undefined && etp !== 'Cluster' && etp !== 'Local')
    throw invalid(what, 'spec.externalTrafficPolicy', etp, 'supported values: "Cluster", "Local"');
  const itp = spec['internalTrafficPolicy'];
  if (itp !== undefined && itp !== null && itp !== 'Cluster' && itp !== 'Local')
    throw invalid(what, 'spec.internalTrafficPolicy', itp, 'supported values: "Cluster", "Local"');
  const accessible = type === 'LoadBalancer' || type === 'NodePort' || (type === 'ClusterIP' && externalIPsRaw(spec) > 0);
  const externalPolicyLocal = accessible && etp === 'Local';
  const internalPolicyLocal = itp === 'Local';
  const affinity = spec['sessionAffinity'];
  if (affinity !== undefined && affinity !== 'None' && affinity !== 'ClientIP')
    throw invalid(what, 'spec.sessionAffinity', affinity, 'supported values: "ClientIP", "None"');
  let sticky = 0;
  if (affinity === 'ClientIP') {
    const field = 'spec.sessionAffinityConfig.clientIP.timeoutSeconds';
    const cfg = spec['sessionAffinityConfig'];
    const t = isObj(cfg) && isObj(cfg['clientIP']) ? cfg['clientIP']['timeoutSeconds'] : undefined;
    if (t === undefined)
      throw required(what, field, 'the API server defaults it to 10800 for ClientIP affinity; render takes objects as stored');
    if (typeof t !== 'number' || !Number.isInteger(t) || t < 1 || t > 86400)
      throw invalid(what, field, t, 'must be greater than 0 and less than 86400');
    sticky = t;
  }
  let healthCheckNodePort = 0;
  if (type === 'LoadBalancer' && externalPolicyLocal && spec['healthCheckNodePort'] !== undefined) {
    healthCheckNodePort = portNumber(what, 'spec.healthCheckNodePort', spec['healthCheckNodePort'], 0);
  }
  const ports = spec['ports'];
  if (!Array.isArray(ports)) throw required(what, 'spec.ports');
  const seen = new Set<string>();
  return ports.map((p: unknown, i) => {
    const f = `spec.ports[${i}]`;
    if (!isObj(p)) throw invalid(what, f, p, 'must be a mapping');
    const portName = portNameOf(what, `${f}.name`, p['name']);
    if (portName !== '' && !IANA_SVC_NAME.test(portName)) throw invalid(what, `${f}.name`, portName, 'must be a lowercase RFC 1123 label');
    const protocol = protocolOf(what, `${f}.protocol`, p['protocol']);
    const key = `${portName}/${protocol}`;
    if (seen.has(key)) throw invalid(what, `${f}.name`, portName, `duplicate port name for protocol ${protocol.toUpperCase()}`);
    seen.add(key);
    const nameString = portName === '' ? `${namespace}/${name}` : `${namespace}/${name}:${portName}`;
    return {
      namespace,
      name,
      portName,
      nameString,
      protocol,
      clusterIP,
      port: portNumber(what, `${f}.port`, p['port'], 1),
      nodePort: p['nodePort'] === undefined ? 0 : portNumber(what, `${f}.nodePort`, p['nodePort'], 0),
      externalIPs,
      loadBalancerVIPs: vips,
      loadBalancerSourceRanges: ranges,
      healthCheckNodePort,
      sessionAffinityClientIP: affinity === 'ClientIP',
      stickyMaxAgeSeconds: sticky,
      externalPolicyLocal,
      internalPolicyLocal,
    };
  });
}

function externalIPsRaw(spec: Obj): number {
  const v = spec['externalIPs'];
  return Array.isArray(v) ? v.length : 0;
}

function stringList(what: string, o: Obj, key: string): string[] {
  const v = o[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw invalid(what, `spec.${key}`, v, 'must be a list');
  return v.map((x, i) => {
    if (typeof x !== 'string') throw invalid(what, `spec.${key}[${i}]`, x, 'must be a string');
    return x;
  });
}

/** GetClusterIPByFamily(IPv4): '' when the Service has no IPv4 cluster IP (or is headless). */
function clusterIPv4(what: string, spec: Obj): string {
  const families = spec['ipFamilies'];
  if (Array.isArray(families) && families.length > 0) {
    const ips = spec['clusterIPs'];
    const i = families.indexOf('IPv4');
    if (i < 0 || !Array.isArray(ips) || i >= ips.length) return '';
    if (ips[i] === 'None') return '';
    return ipv4Text(what, `spec.clusterIPs[${i}]`, ips[i]);
  }
  const ip = spec['clusterIP'];
  if (ip === undefined || ip === '' || ip === 'None') return '';
  if (typeof ip === 'string' && isIpv6Text(ip)) return '';
  return ipv4Text(what, 'spec.clusterIP', ip);
}

/** status.loadBalancer.ingress IPs in VIP mode (ipMode unset or VIP); Proxy-mode ones are not programmed. */
function loadBalancerVIPs(what: string, status: unknown): string[] {
  const lb = isObj(status) ? status['loadBalancer'] : undefined;
  const ingress = isObj(lb) ? lb['ingress'] : undefined;
  if (!Array.isArray(ingress)) return [];
  return ingress.flatMap((ing: unknown, i) => {
    const f = `status.loadBalancer.ingress[${i}]`;
    if (!isObj(ing)) throw invalid(what, f, ing, 'must be a mapping');
    const ip = ing['ip'];
    if (ip === undefined || ip === '') return [];
    const mode = ing['ipMode'];
    if (mode !== undefined && mode !== 'VIP' && mode !== 'Proxy')
      throw invalid(what, `${f}.ipMode`, mode, 'supported values: "Proxy", "VIP"');
    if (mode === 'Proxy') return [];
    if (typeof ip === 'string' && isIpv6Text(ip)) return [];
    return [ipv4Text(what, `${f}.ip`, ip)];
  });
}

/** The Service an EndpointSlice belongs to, and its endpoints per service port (IPv4 slices only). */
export interface SliceEndpoints {
  readonly namespace: string;
  readonly service: string;
  readonly sliceName: string;
  /** portKey → endpoints in slice order. */
  readonly byPort: ReadonlyMap<string, EndpointInfo[]>;
}

export function sliceEndpoints(obj: unknown, nodeName: string): SliceEndpoints {
  if (!isObj(obj)) throw required('EndpointSlice', '(object)', 'must be a mapping');
  const { namespace, name, what } = metaOf(obj, 'EndpointSlice');
  const labels = isObj(obj['metadata']) ? (obj['metadata'] as Obj)['labels'] : undefined;
  const service = isObj(labels) ? labels['kubernetes.io/service-name'] : undefined;
  if (typeof service !== 'string' || service === '')
    throw required(what, 'metadata.labels["kubernetes.io/service-name"]', 'kube-proxy finds the Service of a slice by this label');
  if (!DNS1123_LABEL.test(service) || service.length > 63)
    throw invalid(what, 'metadata.labels["kubernetes.io/service-name"]', service, 'must be a Service name');
  const byPort = new Map<string, EndpointInfo[]>();
  const addressType = obj['addressType'];
  if (addressType !== 'IPv4' && addressType !== 'IPv6' && addressType !== 'FQDN')
    throw invalid(what, 'addressType', addressType, 'supported values: "FQDN", "IPv4", "IPv6"');
  if (addressType !== 'IPv4') return { namespace, service, sliceName: name, byPort };
  const ports = Array.isArray(obj['ports']) ? obj['ports'] : [];
  const endpoints = Array.isArray(obj['endpoints']) ? obj['endpoints'] : [];
  const parsed = endpoints.flatMap((e: unknown, i) => {
    const f = `endpoints[${i}]`;
    if (!isObj(e)) throw invalid(what, f, e, 'must be a mapping');
    const addrs = e['addresses'];
    if (!Array.isArray(addrs) || addrs.length === 0) return []; // upstream ignores an endpoint without addresses
    const ip = ipv4Text(what, `${f}.addresses[0]`, addrs[0]);
    const c = isObj(e['conditions']) ? e['conditions'] : {};
    const flag = (k: string): boolean | undefined => {
      const v = c[k];
      if (v === undefined || v === null) return undefined;
      if (typeof v !== 'boolean') throw invalid(what, `${f}.conditions.${k}`, v, 'must be a boolean');
      return v;
    };
    const node = e['nodeName'];
    if (node !== undefined && typeof node !== 'string') throw invalid(what, `${f}.nodeName`, node, 'must be a string');
    return [
      {
        ip,
        isLocal: nodeName !== '' && node === nodeName,
        ready: flag('ready') ?? true,
        serving: flag('serving') ?? true,
        terminating: flag('terminating') ?? false,
      },
    ];
  });
  ports.forEach((p: unknown, i) => {
    const f = `ports[${i}]`;
    if (!isObj(p)) throw invalid(what, f, p, 'must be a mapping');
    if (p['name'] === undefined || p['name'] === null) return; // "Ignoring port with nil name"
    const portName = portNameOf(what, `${f}.name`, p['name']);
    if (p['port'] === undefined || p['port'] === null || p['port'] === 0) return; // "Ignoring invalid endpoint port"
    const port = portNumber(what, `${f}.port`, p['port'], 1);
    const protocol = protocolOf(what, `${f}.protocol`, p['protocol']);
    const key = portKey(namespace, service, portName, protocol);
    const list = byPort.get(key) ?? [];
    for (const e of parsed) list.push({ ...e, port, text: `${e.ip}:${port}` });
    byPort.set(key, list);
  });
  return { namespace, service, sliceName: name, byPort };
}

/**
 * The endpoints of each service port over all its slices: one per `ip:port` (a terminating
 * duplicate loses to a running one: a pod IP reused before the old Pod is gone, as upstream's
 * endpoint slice cache decides since it stopped preferring the local duplicate), sorted by
 * `ip:port` as the endpoint slice cache sorts them.
 */
export function mergeEndpoints(slices: Iterable<SliceEndpoints>): Map<string, EndpointInfo[]> {
  const sets = new Map<string, Map<string, EndpointInfo>>();
  for (const s of slices) {
    for (const [key, eps] of s.byPort) {
      let set = sets.get(key);
      if (!set) sets.set(key, (set = new Map()));
      for (const e of eps) if (!set.has(e.text) || !e.terminating) set.set(e.text, e);
    }
  }
  const out = new Map<string, EndpointInfo[]>();
  for (const [key, set] of sets)
    if (set.size > 0)
      out.set(
        key,
        [...set.values()].sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0)),
      );
  return out;
}
