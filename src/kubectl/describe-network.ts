// `kubectl describe` of Ingress, IngressClass and EndpointSlice as kubectl's pkg/describe/describe.go
// (v0.36) writes them: IngressDescriber.describeIngressV1 (with describeBackendV1's backends and
// their ready endpoints), IngressClassDescriber.describeIngressClassV1, describeEndpointSliceV1.
import { ApiError } from '../api/index.js';
import { annotationsMultiline, describeEvents, labelsMultiline, Out, sliceEndpoints } from './describe-out.js';
import type { Obj } from './tables.js';

/** What describeBackendV1 looks up in the Ingress's namespace: the Service, or the API's refusal, and its EndpointSlices. */
export interface BackendLookup {
  service(name: string): Obj;
  slices(serviceName: string): Obj[];
}

/** serviceBackendStringer: `name:port`, the port by number or else by name. */
function serviceBackend(b: Obj): string {
  return `${b.name ?? ''}:${b.port?.number ? b.port.number : (b.port?.name ?? '')}`;
}

/** describeBackendV1: the Service backend with its ready endpoints on the port named, or the resource backend. */
function describeBackend(backend: Obj, lookup: BackendLookup): string {
  const svcBackend = backend.service;
  if (svcBackend) {
    const sb = serviceBackend(svcBackend);
    const slices = lookup.slices(svcBackend.name);
    let svc: Obj;
    try {
      svc = lookup.service(svcBackend.name);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      return `${sb} (<error: ${e.message}>)`;
    }
    let portName = '';
    for (const sp of (svc.spec?.ports ?? []) as Obj[]) {
      if (svcBackend.port?.number && svcBackend.port.number === sp.port) portName = sp.name ?? '';
      else if (svcBackend.port?.name && svcBackend.port.name === sp.name) portName = sp.name;
    }
    return `${sb} (${sliceEndpoints(slices, portName)})`;
  }
  const r = backend.resource;
  if (r) return `APIGroup: ${r.apiGroup ?? '<none>'}, Kind: ${r.kind}, Name: ${r.name}`;
  return '';
}

/** ingressLoadBalancerStatusStringerV1 (wide): the addresses, IP else hostname, sorted and unique, comma-joined. */
function ingressAddress(ing: Obj): string {
  const set = new Set<string>();
  for (const i of (ing.status?.loadBalancer?.ingress ?? []) as Obj[]) {
    if (i.ip) set.add(i.ip);
    else if (i.hostname) set.add(i.hostname);
  }
  return [...set].sort().join(',');
}

export function describeIngress(ing: Obj, lookup: BackendLookup, events: Obj[] | undefined, now: number): string {
  const o = new Out(now);
  const m = ing.metadata ?? {};
  const spec = ing.spec ?? {};
  o.w(0, `Name:\t${m.name}\n`);
  labelsMultiline(o, 'Labels', m.labels);
  o.w(0, `Namespace:\t${m.namespace}\n`);
  o.w(0, `Address:\t${ingressAddress(ing)}\n`);
  o.w(0, `Ingress Class:\t${spec.ingressClassName ?? '<none>'}\n`);
  const def = spec.defaultBackend ? describeBackend(spec.defaultBackend, lookup) : '<default>';
  o.w(0, `Default backend:\t${def}\n`);
  if (spec.tls?.length) {
    o.w(0, 'TLS:\n');
    for (const t of spec.tls as Obj[]) {
      const hosts = ((t.hosts ?? []) as string[]).join(',');
      o.w(1, t.secretName ? `${t.secretName} terminates ${hosts}\n` : `SNI routes ${hosts}\n`);
    }
  }
  o.w(0, 'Rules:\n  Host\tPath\tBackends\n');
  o.w(1, '----\t----\t--------\n');
  let count = 0;
  for (const rule of (spec.rules ?? []) as Obj[]) {
    if (!rule.http) continue;
    count++;
    o.w(1, `${rule.host || '*'}\t\n`);
    for (const path of (rule.http.paths ?? []) as Obj[]) o.w(2, `\t${path.path ?? ''} \t${describeBackend(path.backend ?? {}, lookup)}\n`);
  }
  if (count === 0) o.w(1, `*\t*\t${def}\n`);
  annotationsMultiline(o, 'Annotations', m.annotations);
  describeEvents(o, events);
  return o.done();
}

export function describeIngressClass(ic: Obj, events: Obj[] | undefined, now: number): string {
  const o = new Out(now);
  const m = ic.metadata ?? {};
  const params = ic.spec?.parameters;
  o.w(0, `Name:\t${m.name}\n`);
  labelsMultiline(o, 'Labels', m.labels);
  annotationsMultiline(o, 'Annotations', m.annotations);
  o.w(0, `Controller:\t${ic.spec?.controller ?? ''}\n`);
  if (params) {
    o.w(0, 'Parameters:\n');
    if (params.apiGroup != null) o.w(1, `APIGroup:\t${params.apiGroup}\n`);
    o.w(1, `Kind:\t${params.kind ?? ''}\n`);
    o.w(1, `Name:\t${params.name ?? ''}\n`);
  }
  describeEvents(o, events);
  return o.done();
}

export function describeEndpointSlice(eps: Obj, events: Obj[] | undefined, now: number): string {
  const o = new Out(now);
  const m = eps.metadata ?? {};
  o.w(0, `Name:\t${m.name}\n`);
  o.w(0, `Namespace:\t${m.namespace}\n`);
  labelsMultiline(o, 'Labels', m.labels);
  annotationsMultiline(o, 'Annotations', m.annotations);
  o.w(0, `AddressType:\t${eps.addressType ?? ''}\n`);
  const ports = (eps.ports ?? []) as Obj[];
  if (ports.length === 0) o.w(0, 'Ports: <unset>\n');
  else {
    o.w(0, 'Ports:\n');
    o.w(1, 'Name\tPort\tProtocol\n');
    o.w(1, '----\t----\t--------\n');
    for (const p of ports) o.w(1, `${p.name || '<unset>'}\t${p.port ?? '<unset>'}\t${p.protocol ?? ''}\n`);
  }
  const endpoints = (eps.endpoints ?? []) as Obj[];
  if (endpoints.length === 0) o.w(0, 'Endpoints: <none>\n');
  else {
    o.w(0, 'Endpoints:\n');
    for (const e of endpoints) {
      o.w(1, `- Addresses:\t${((e.addresses ?? []) as string[]).join(', ') || '<none>'}\n`);
      o.w(2, 'Conditions:\n');
      o.w(3, `Ready:\t${e.conditions?.ready ?? '<unset>'}\n`);
      o.w(2, `Hostname:\t${e.hostname ?? '<unset>'}\n`);
      if (e.targetRef) o.w(2, `TargetRef:\t${e.targetRef.kind}/${e.targetRef.name}\n`);
      o.w(2, `NodeName:\t${e.nodeName ?? '<unset>'}\n`);
      o.w(2, `Zone:\t${e.zone ?? '<unset>'}\n`);
    }
  }
  describeEvents(o, events);
  return o.done();
}
