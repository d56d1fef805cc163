// CoreDNS's kubernetes plugin as a pure function: the records for a question from the cluster's
// Services, EndpointSlices and Namespaces (kubernetes/dns docs/specification.md 1.1.0; coredns
// plugin/kubernetes kubernetes.go, parse.go, reverse.go; plugin/backend_lookup.go). Names are
// answered in lower case as asked; every record has the plugin's ttl; a name the zone does not hold
// is NXDOMAIN and a name without records of the type NODATA, both with the zone's SOA.
import type { KubeObject } from '../api/index.js';
import type { DnsRecord, DnsType, SoaData } from '../wire/index.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** What the plugin's informers hold, indexed as its cache is (service by name, slices by service, IP reverse maps). */
export class ClusterIndex {
  readonly namespaces = new Set<string>();
  /** `ns/name` → Service. */
  readonly services = new Map<string, KubeObject>();
  /** `ns/service` → its EndpointSlices by name. */
  readonly slices = new Map<string, Map<string, KubeObject>>();
  /** Wall-clock seconds of the last change (the SOA serial: the API cache's last modification). */
  serial = 0;

  private clusterIps: Map<string, string> | undefined;
  private endpointIps: Map<string, { svc: string; ns: string; host: string }[]> | undefined;

  apply(kind: 'namespaces' | 'services' | 'endpointslices', type: string, o: KubeObject, nowSec: number): void {
    const ns = o.metadata.namespace ?? '';
    const name = o.metadata.name!;
    const del = type === 'DELETED';
    if (kind === 'namespaces') {
      if (del) this.namespaces.delete(name);
      else this.namespaces.add(name);
    } else if (kind === 'services') {
      if (del) this.services.delete(`${ns}/${name}`);
      else this.services.set(`${ns}/${name}`, o);
      this.clusterIps = undefined;
    } else {
      const svc = o.metadata.labels?.['kubernetes.io/service-name'];
      if (svc === undefined) return;
      const key = `${ns}/${svc}`;
      let m = this.slices.get(key);
      if (del) m?.delete(name);
      else {
        if (!m) this.slices.set(key, (m = new Map()));
        m.set(name, o);
      }
      this.endpointIps = undefined;
    }
    this.serial = nowSec;
  }

  /** ClusterIP → `ns/name`. */
  serviceByIp(ip: string): string | undefined {
    if (!this.clusterIps) {
      this.clusterIps = new Map();
      for (const [key, s] of this.services) for (const ip2 of clusterIpsOf(s)) this.clusterIps.set(ip2, key);
    }
    return this.clusterIps.get(ip);
  }

  /** Endpoint IP → the services whose slices list it, with the endpoint's DNS hostname. */
  endpointsByIp(ip: string): readonly { svc: string; ns: string; host: string }[] {
    if (!this.endpointIps) {
      this.endpointIps = new Map();
      for (const [key, m] of this.slices) {
        const [ns, svc] = key.split('/') as [string, string];
        for (const sl of m.values())
          for (const ep of endpointsOf(sl))
            for (const a of ep.addresses) {
              let list = this.endpointIps.get(a);
              if (!list) this.endpointIps.set(a, (list = []));
              list.push({ svc, ns, host: endpointHostname(ep.hostname, a) });
            }
      }
    }
    return this.endpointIps.get(ip) ?? [];
  }
}

function clusterIpsOf(s: KubeObject): string[] {
  const spec = (s.spec ?? {}) as Obj;
  const ips = (spec.clusterIPs as string[] | undefined) ?? (spec.clusterIP ? [spec.clusterIP as string] : []);
  return ips.filter((ip) => ip !== 'None' && ip !== '');
}

interface Endpoint {
  readonly addresses: string[];
  readonly hostname?: string;
  readonly ready: boolean;
}

function endpointsOf(sl: KubeObject): Endpoint[] {
  return (((sl as Obj).endpoints ?? []) as Obj[]).map((e) => ({
    addresses: (e.addresses ?? []) as string[],
    ...(typeof e.hostname === 'string' ? { hostname: e.hostname } : {}),
    ready: e.conditions?.ready !== false,
  }));
}

/** CoreDNS's endpointHostname(): the slice's hostname, else the address with dots (or colons) as dashes. */
export function endpointHostname(hostname: string | undefined, addr: string): string {
  if (hostname) return hostname;
  if (addr.includes(':')) {
    const d = addr.replace(/:/g, '-');
    return d.endsWith('-') ? `${d}0` : d.startsWith('-') ? `0${d}` : d;
  }
  return addr.replace(/\./g, '-');
}

/** The kubernetes plugin's options from its Corefile block. */
export interface KubernetesPlugin {
  readonly zones: readonly string[];
  readonly ttl: number;
  readonly pods: 'disabled' | 'insecure' | 'verified';
  /** Zones whose misses go on to the next plugin (forward) instead of NXDOMAIN. */
  readonly fallthrough: readonly string[];
}

export interface ZoneAnswer {
  readonly rcode: 'NOERROR' | 'NXDOMAIN';
  readonly answers: DnsRecord[];
  readonly authorities: DnsRecord[];
  readonly additionals: DnsRecord[];
  /** The name is outside the plugin's data and a fallthrough zone: the next plugin answers. */
  readonly fallthrough?: boolean;
  /** ExternalName targets the server resolves on (CoreDNS's upstream lookup). */
  readonly chase?: string;
}

/** The longest of `zones` that `name` is in (both lower case, no trailing dot). */
export function zoneOf(name: string, zones: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const z of zones) if ((name === z || name.endsWith(`.${z}`) || z === '') && (best === undefined || z.length > best.length)) best = z;
  return best;
}

function soa(zone: string, p: KubernetesPlugin, serial: number): DnsRecord {
  const data: SoaData = {
    mname: `ns.dns.${zone}`,
    rname: `hostmaster.${zone}`,
    serial,
    refresh: 7200,
    retry: 1800,
    expire: 86400,
    minimum: p.ttl,
  };
  return { name: zone, type: 'SOA', ttl: Math.min(p.ttl, 300), data };
}

/** The plugin's answer for `qname` (lower case, no trailing dot) of `qtype` in `zone`. */
export function kubernetesAnswer(ix: ClusterIndex, p: KubernetesPlugin, zone: string, qname: string, qtype: DnsType): ZoneAnswer {
  const nx = (): ZoneAnswer =>
    p.fallthrough.includes(zone)
      ? { rcode: 'NXDOMAIN', answers: [], authorities: [], additionals: [], fallthrough: true }
      : { rcode: 'NXDOMAIN', answers: [], authorities: [soa(zone, p, ix.serial)], additionals: [] };
  const nodata = (): ZoneAnswer => ({ rcode: 'NOERROR', answers: [], authorities: [soa(zone, p, ix.serial)], additionals: [] });
  const ok = (answers: DnsRecord[], additionals: DnsRecord[] = []): ZoneAnswer =>
    answers.length ? { rcode: 'NOERROR', answers, authorities: [], additionals } : nodata();
  const ttl = p.ttl;
  if (qname === zone) {
    if (qtype === 'SOA') return ok([soa(zone, p, ix.serial)]);
    if (qtype === 'NS') return ok([{ name: zone, type: 'NS', ttl, data: `ns.dns.${zone}` }]);
    return nodata();
  }
  const rel = qname.slice(0, qname.length - zone.length - 1).split('.');
  if (zone.endsWith('in-addr.arpa')) return reverse(ix, p, zone, qname, qtype, nx, nodata, ok);
  if (zone.endsWith('ip6.arpa')) return nx();
  if (rel.length === 1 && rel[0] === 'dns-version')
    return qtype === 'TXT' ? ok([{ name: qname, type: 'TXT', ttl: 28800, data: ['1.1.0'] }]) : nodata();
  const last = rel[rel.length - 1];
  if (last === 'pod') {
    if (rel.length === 1) return nodata();
    if (rel.length === 2) return ix.namespaces.has(rel[0]!) ? nodata() : nx();
    if (rel.length !== 3 || p.pods === 'disabled') return nx();
    const [dashed, ns] = rel as [string, string];
    if (!ix.namespaces.has(ns)) return nx();
    const ip = /^(\d{1,3})-(\d{1,3})-(\d{1,3})-(\d{1,3})$/.exec(dashed);
    if (!ip || ip.slice(1).some((o) => Number(o) > 255)) return nx();
    const addr = ip.slice(1).map(Number).join('.');
    if (p.pods === 'verified' && !ix.endpointsByIp(addr).some((e) => e.ns === ns)) return nx();
    return qtype === 'A' ? ok([{ name: qname, type: 'A', ttl, data: addr }]) : nodata();
  }
  if (last !== 'svc') return nx();
  if (rel.length === 1) return nodata();
  const ns = rel[rel.length - 2]!;
  if (rel.length === 2) return ix.namespaces.has(ns) ? nodata() : nx();
  const svcName = rel[rel.length - 3]!;
  const svc = ix.services.get(`${ns}/${svcName}`);
  if (!svc) return nx();
  const spec = (svc.spec ?? {}) as Obj;
  const svcFqdn = `${svcName}.${ns}.svc.${zone}`;
  const headless = spec.clusterIP === 'None';
  const ready = headless ? readyEndpoints(ix, ns, svcName) : [];
  if (rel.length === 3) {
    if (spec.type === 'ExternalName') {
      const target = String(spec.externalName ?? '').replace(/\.$/, '');
      if (qtype === 'CNAME' || qtype === 'A' || qtype === 'AAAA')
        return {
          rcode: 'NOERROR',
          answers: [{ name: qname, type: 'CNAME', ttl, data: target }],
          authorities: [],
          additionals: [],
          ...(qtype === 'CNAME' ? {} : { chase: target }),
        };
      return nodata();
    }
    if (headless && ready.length === 0) return nx();
    if (qtype === 'A') {
      if (headless) return ok(ready.flatMap((e) => e.addresses.map((a): DnsRecord => ({ name: qname, type: 'A', ttl, data: a }))));
      return ok(
        clusterIpsOf(svc)
          .filter((ip) => !ip.includes(':'))
          .map((ip): DnsRecord => ({ name: qname, type: 'A', ttl, data: ip })),
      );
    }
    if (qtype === 'SRV') return srv(ix, p, svc, svcFqdn, qname, ready, undefined, undefined, nodata, ok);
    return nodata();
  }
  if (rel.length === 4) {
    // <endpoint>.<svc>.<ns>.svc: an endpoint of a headless service by its hostname or dashed IP
    const host = rel[0]!;
    const eps = headless ? ready.filter((e) => e.addresses.some((a) => endpointHostname(e.hostname, a) === host)) : [];
    if (eps.length === 0) return nx();
    if (qtype !== 'A') return nodata();
    return ok(
      eps.flatMap((e) =>
        e.addresses
          .filter((a) => endpointHostname(e.hostname, a) === host)
          .map((a): DnsRecord => ({ name: qname, type: 'A', ttl, data: a })),
      ),
    );
  }
  if (rel.length === 5 && rel[0]!.startsWith('_') && rel[1]!.startsWith('_')) {
    const port = rel[0]!.slice(1);
    const proto = rel[1]!.slice(1);
    const ports = ((spec.ports ?? []) as Obj[]).filter(
      (x) => String(x.name ?? '').toLowerCase() === port && String(x.protocol ?? 'TCP').toLowerCase() === proto,
    );
    if (ports.length === 0) return nx();
    if (qtype !== 'SRV') return nodata();
    return srv(ix, p, svc, svcFqdn, qname, ready, port, proto, nodata, ok);
  }
  return nx();
}

function readyEndpoints(ix: ClusterIndex, ns: string, svc: string): Endpoint[] {
  const out: Endpoint[] = [];
  const seen = new Set<string>();
  for (const sl of ix.slices.get(`${ns}/${svc}`)?.values() ?? []) {
    if ((sl as Obj).addressType !== undefined && (sl as Obj).addressType !== 'IPv4') continue;
    for (const e of endpointsOf(sl)) {
      if (!e.ready) continue;
      const fresh = e.addresses.filter((a) => !seen.has(a));
      fresh.forEach((a) => seen.add(a));
      if (fresh.length) out.push({ ...e, addresses: fresh });
    }
  }
  return out;
}

/** SRV records (backend_lookup.go SRV): priority 0, weight 100 / count, A glue in the additional section. */
function srv(
  ix: ClusterIndex,
  p: KubernetesPlugin,
  svc: KubeObject,
  svcFqdn: string,
  qname: string,
  ready: Endpoint[],
  port: string | undefined,
  proto: string | undefined,
  nodata: () => ZoneAnswer,
  ok: (a: DnsRecord[], x?: DnsRecord[]) => ZoneAnswer,
): ZoneAnswer {
  void ix;
  const spec = (svc.spec ?? {}) as Obj;
  const ports = ((spec.ports ?? []) as Obj[]).filter(
    (x) =>
      (port === undefined || String(x.name ?? '').toLowerCase() === port) &&
      (proto === undefined || String(x.protocol ?? 'TCP').toLowerCase() === proto),
  );
  const targets: { target: string; port: number; ip: string }[] = [];
  if (spec.clusterIP === 'None') {
    for (const x of ports)
      for (const e of ready)
        for (const a of e.addresses)
          targets.push({
            target: `${endpointHostname(e.hostname, a)}.${svcFqdn}`,
            port: x.targetPort !== undefined && typeof x.targetPort === 'number' ? x.targetPort : Number(x.port),
            ip: a,
          });
  } else {
    for (const x of ports)
      for (const ip of clusterIpsOf(svc).filter((i) => !i.includes(':'))) targets.push({ target: svcFqdn, port: Number(x.port), ip });
  }
  if (targets.length === 0) return nodata();
  const weight = Math.floor(100 / targets.length);
  const answers = targets.map(
    (t): DnsRecord => ({ name: qname, type: 'SRV', ttl: p.ttl, data: { priority: 0, weight, port: t.port, target: t.target } }),
  );
  const glue = new Map<string, DnsRecord>();
  for (const t of targets)
    if (!glue.has(`${t.target}/${t.ip}`)) glue.set(`${t.target}/${t.ip}`, { name: t.target, type: 'A', ttl: p.ttl, data: t.ip });
  return ok(answers, [...glue.values()]);
}

/** PTR answers (reverse.go): a ClusterIP names its service; an endpoint address its endpoint under each service listing it. */
function reverse(
  ix: ClusterIndex,
  p: KubernetesPlugin,
  zone: string,
  qname: string,
  qtype: DnsType,
  nx: () => ZoneAnswer,
  nodata: () => ZoneAnswer,
  ok: (a: DnsRecord[]) => ZoneAnswer,
): ZoneAnswer {
  void zone;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.in-addr\.arpa$/.exec(qname);
  if (!m) return nx();
  const ip = [m[4], m[3], m[2], m[1]].join('.');
  const cluster = zoneOfCluster(p);
  const key = ix.serviceByIp(ip);
  let targets: string[] = [];
  if (key) {
    const [ns, name] = key.split('/') as [string, string];
    targets = [`${name}.${ns}.svc.${cluster}`];
  } else targets = ix.endpointsByIp(ip).map((e) => `${e.host}.${e.svc}.${e.ns}.svc.${cluster}`);
  if (targets.length === 0) return nx();
  if (qtype !== 'PTR') return nodata();
  return ok(targets.map((t): DnsRecord => ({ name: qname, type: 'PTR', ttl: p.ttl, data: t })));
}

function zoneOfCluster(p: KubernetesPlugin): string {
  return p.zones.find((z) => !z.endsWith('.arpa')) ?? 'cluster.local';
}
