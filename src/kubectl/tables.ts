// The server-side tables `kubectl get` prints: columns and cells as kubernetes/kubernetes
// pkg/printers/internalversion/printers.go builds them (AddHandlers and the print* functions),
// and the CRD table convertor (apiextensions-apiserver tableconvertor: Name, then the version's
// additionalPrinterColumns, or Age when it has none).

import { humanDuration, since } from './duration.js';
import { formatLabels, formatLabelSelector } from './labels.js';
import { evalJsonPath, parseJsonPath } from './jsonpath.js';
import { formatQuantity, parseQuantity } from './quantity.js';

// Objects are plain JSON; each printer reads the fields it names.
export type Obj = Record<string, any>;

export interface Column {
  /** As in printers.go; the header is this in upper case. */
  name: string;
  /** 1: shown only with `-o wide`. */
  priority: 0 | 1;
}

export interface PrintContext {
  now: number;
  wide: boolean;
}

export interface TableDef {
  columns: Column[];
  /** One cell per column, wide ones included. */
  row(obj: Obj, ctx: PrintContext): string[];
}

const c = (name: string, priority: 0 | 1 = 0): Column => ({ name, priority });
const age = (o: Obj, ctx: PrintContext) => since(o.metadata?.creationTimestamp, ctx.now);
const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));
const num = (v: unknown) => String(typeof v === 'number' ? v : 0);

/** layoutContainerCells: names and images joined by commas. */
function containerCells(containers: Obj[] | undefined): [string, string] {
  const cs = containers ?? [];
  return [cs.map((x) => str(x.name)).join(','), cs.map((x) => str(x.image)).join(',')];
}

// ---- Pod (printPod) ----
function isRestartableInit(c: Obj | undefined): boolean {
  return c?.restartPolicy === 'Always';
}

function podRow(pod: Obj, ctx: PrintContext): string[] {
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  let restarts = 0;
  let restartableRestarts = 0;
  let total = (spec.containers ?? []).length;
  let ready = 0;
  let lastRestart = 0;
  let lastRestartableRestart = 0;
  const phase: string = status.phase ?? '';
  let reason: string = status.reason || phase;
  for (const cond of status.conditions ?? []) {
    if (cond.type === 'PodScheduled' && cond.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }
  const inits = new Map<string, Obj>();
  for (const ic of spec.initContainers ?? []) {
    inits.set(ic.name, ic);
    if (isRestartableInit(ic)) total++;
  }
  const finished = (cs: Obj) => {
    const t = cs.lastState?.terminated?.finishedAt;
    return t ? Date.parse(t) : 0;
  };
  let initializing = false;
  const initStatuses: Obj[] = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i]!;
    restarts += cs.restartCount ?? 0;
    lastRestart = Math.max(lastRestart, finished(cs));
    const restartable = isRestartableInit(inits.get(cs.name));
    if (restartable) {
      restartableRestarts += cs.restartCount ?? 0;
      lastRestartableRestart = Math.max(lastRestartableRestart, finished(cs));
    }
    const term = cs.state?.terminated;
    const wait = cs.state?.waiting;
    if (term && (term.exitCode ?? 0) === 0) continue;
    if (restartable && cs.started === true) {
      if (cs.ready) ready++;
      continue;
    }
    if (term) {
      reason = term.reason ? `Init:${term.reason}` : term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode ?? 0}`;
    } else if (wait?.reason && wait.reason !== 'PodInitializing') {
      reason = `Init:${wait.reason}`;
    } else {
      reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
    }
    initializing = true;
    break;
  }
  const initializedTrue = (status.conditions ?? []).some((x: Obj) => x.type === 'Initialized' && x.status === 'True');
  if (!initializing || initializedTrue) {
    restarts = restartableRestarts;
    lastRestart = lastRestartableRestart;
    let hasRunning = false;
    const statuses: Obj[] = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i]!;
      restarts += cs.restartCount ?? 0;
      lastRestart = Math.max(lastRestart, finished(cs));
      const term = cs.state?.terminated;
      if (cs.state?.waiting?.reason) reason = cs.state.waiting.reason;
      else if (term?.reason) reason = term.reason;
      else if (term) reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode ?? 0}`;
      else if (cs.ready && cs.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const podReady = (status.conditions ?? []).some((x: Obj) => x.type === 'Ready' && x.status === 'True');
      reason = podReady ? 'Running' : 'NotReady';
    }
  }
  const deleting = Boolean(pod.metadata?.deletionTimestamp);
  if (deleting && status.reason === 'NodeLost') reason = 'Unknown';
  else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';
  let restartsStr = String(restarts);
  if (restarts !== 0 && lastRestart !== 0) restartsStr = `${restarts} (${since(new Date(lastRestart).toISOString(), ctx.now)} ago)`;
  let gates = '<none>';
  const readinessGates: Obj[] = spec.readinessGates ?? [];
  if (readinessGates.length > 0) {
    let trueCount = 0;
    for (const g of readinessGates) {
      const cond = (status.conditions ?? []).find((x: Obj) => x.type === g.conditionType);
      if (cond?.status === 'True') trueCount++;
    }
    gates = `${trueCount}/${readinessGates.length}`;
  }
  return [
    str(pod.metadata?.name),
    `${ready}/${total}`,
    reason,
    restartsStr,
    age(pod, ctx),
    status.podIPs?.[0]?.ip || '<none>',
    spec.nodeName || '<none>',
    status.nominatedNodeName || '<none>',
    gates,
  ];
}

// ---- Service (printService, getServiceExternalIP, makePortString) ----
function loadBalancerIPs(svc: Obj, wide: boolean): string {
  const set = new Set<string>();
  for (const ing of svc.status?.loadBalancer?.ingress ?? []) {
    if (ing.ip) set.add(ing.ip);
    else if (ing.hostname) set.add(ing.hostname);
  }
  let r = [...set].sort().join(',');
  if (!wide && r.length > 16) r = `${r.slice(0, 13)}...`;
  return r;
}

function serviceExternalIP(svc: Obj, wide: boolean): string {
  const externalIPs: string[] = svc.spec?.externalIPs ?? [];
  switch (svc.spec?.type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerIPs(svc, wide);
      if (externalIPs.length > 0) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return str(svc.spec.externalName);
  }
  return '<unknown>';
}

export function servicePorts(ports: Obj[] | undefined): string {
  return (ports ?? []).map((p) => (p.nodePort > 0 ? `${p.port}:${p.nodePort}/${p.protocol}` : `${p.port}/${p.protocol}`)).join(',');
}

/** printers.go printJob: STATUS from the conditions, COMPLETIONS, DURATION from startTime to completionTime (or now). */
function jobRow(job: Obj, ctx: PrintContext): string[] {
  const spec = job.spec ?? {};
  const st = job.status ?? {};
  const succeeded = st.succeeded ?? 0;
  const parallelism = spec.parallelism ?? 0;
  const completions =
    spec.completions != null ? `${succeeded}/${spec.completions}` : parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
  const started = st.startTime ? Date.parse(st.startTime) : undefined;
  const duration = started === undefined ? '' : humanDuration((st.completionTime ? Date.parse(st.completionTime) : ctx.now) - started);
  const has = (type: string) => (st.conditions ?? []).some((x: Obj) => x.type === type && x.status === 'True');
  const status = has('Complete')
    ? 'Complete'
    : has('Failed')
      ? 'Failed'
      : job.metadata?.deletionTimestamp
        ? 'Terminating'
        : has('Suspended')
          ? 'Suspended'
          : has('FailureTarget')
            ? 'FailureTarget'
            : 'Running';
  return [
    str(job.metadata?.name),
    status,
    completions,
    duration,
    age(job, ctx),
    ...containerCells(spec.template?.spec?.containers),
    formatLabelSelector(spec.selector),
  ];
}

function serviceRow(svc: Obj, ctx: PrintContext): string[] {
  return [
    str(svc.metadata?.name),
    str(svc.spec?.type),
    svc.spec?.clusterIPs?.[0] ?? '<none>',
    serviceExternalIP(svc, ctx.wide),
    servicePorts(svc.spec?.ports) || '<none>',
    age(svc, ctx),
    formatLabels(svc.spec?.selector),
  ];
}

// ---- Endpoints / EndpointSlice (formatEndpoints, formatDiscoveryPorts/Endpoints) ----
/** Up to three `ip:port` entries then ` + N more...`; `<none>` without subsets. */
export function formatEndpoints(ep: Obj, portNames?: Set<string>): string {
  const subsets: Obj[] = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addrs: Obj[] = ss.addresses ?? [];
    if ((ss.ports ?? []).length === 0) {
      count += addrs.length;
      for (const a of addrs) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(a.ip);
      }
      continue;
    }
    for (const port of ss.ports) {
      if (portNames && !portNames.has(port.name ?? '')) continue;
      count += addrs.length;
      for (const a of addrs) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(joinHostPort(a.ip, port.port));
      }
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - max} more...` : ret;
}

export function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function listWithMore(list: string[], more: boolean, count: number, max: number): string {
  const ret = list.join(',');
  if (more) return `${ret} + ${count - max} more...`;
  return ret === '' ? '<unset>' : ret;
}

function sliceRow(s: Obj, ctx: PrintContext): string[] {
  const max = 3;
  const ports: string[] = [];
  let morePorts = false;
  let portCount = 0;
  for (const p of s.ports ?? []) {
    if (ports.length < max)
      ports.push(p.port !== undefined && p.port !== null ? String(p.port) : p.name !== undefined && p.name !== null ? p.name : '*');
    else if (ports.length === max) morePorts = true;
    portCount++;
  }
  const addrs: string[] = [];
  let moreAddrs = false;
  let addrCount = 0;
  for (const e of s.endpoints ?? []) {
    for (const a of e.addresses ?? []) {
      if (addrs.length < max) addrs.push(a);
      else if (addrs.length === max) moreAddrs = true;
      addrCount++;
    }
  }
  return [
    str(s.metadata?.name),
    str(s.addressType),
    listWithMore(ports, morePorts, portCount, max),
    listWithMore(addrs, moreAddrs, addrCount, max),
    age(s, ctx),
  ];
}

// ---- Node (printNode, findNodeRoles, getNodeInternalIP/ExternalIP) ----
export function nodeRoles(node: Obj): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries<string>(node.metadata?.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v !== '') roles.add(v);
  }
  return [...roles].sort();
}

function nodeRow(node: Obj, ctx: PrintContext): string[] {
  const status: string[] = [];
  const readyCond = (node.status?.conditions ?? []).find((x: Obj) => x.type === 'Ready');
  if (readyCond) status.push(readyCond.status === 'True' ? 'Ready' : 'NotReady');
  if (status.length === 0) status.push('Unknown');
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  const info = node.status?.nodeInfo ?? {};
  const addr = (type: string) => (node.status?.addresses ?? []).find((a: Obj) => a.type === type)?.address ?? '<none>';
  return [
    str(node.metadata?.name),
    status.join(','),
    nodeRoles(node).join(',') || '<none>',
    age(node, ctx),
    str(info.kubeletVersion),
    addr('InternalIP'),
    addr('ExternalIP'),
    info.osImage || '<unknown>',
    info.kernelVersion || '<unknown>',
    info.containerRuntimeVersion || '<unknown>',
  ];
}

// ---- Event (printEvent, formatEventSource) ----
function eventSource(e: Obj): string {
  const src = e.source ?? {};
  if (src.component) return src.host ? `${src.component}, ${src.host}` : src.component;
  const rc = e.reportingController ?? e.reportingComponent ?? '';
  const ri = e.reportingInstance ?? '';
  return ri ? `${rc}, ${ri}` : rc;
}

function eventRow(e: Obj, ctx: PrintContext): string[] {
  let first = since(e.firstTimestamp, ctx.now);
  if (!e.firstTimestamp) first = since(e.eventTime, ctx.now);
  let last = e.lastTimestamp ? since(e.lastTimestamp, ctx.now) : first;
  let count: number = e.count ?? 0;
  if (e.series) {
    last = since(e.series.lastObservedTime, ctx.now);
    count = e.series.count ?? 0;
  } else if (count === 0) count = 1;
  const io = e.involvedObject ?? {};
  const kind = str(io.kind).toLowerCase();
  const target = io.name ? `${kind}/${io.name}` : kind;
  return [
    last,
    str(e.type),
    str(e.reason),
    target,
    str(io.fieldPath),
    eventSource(e),
    str(e.message).trim(),
    first,
    String(count),
    str(e.metadata?.name),
  ];
}

// ---- Storage, autoscaling, quota (printPersistentVolume[Claim], formatHPAMetrics, printResourceQuota) ----
/** resource.Quantity's String() of a stored quantity; an absent one is the zero quantity, `0`. */
function qty(v: unknown): string {
  const q = parseQuantity(v as string | number | undefined);
  return q ? formatQuantity(q) : '0';
}

/** helper.GetAccessModesAsString: short names in this order, each once. */
function accessModes(modes: string[] | undefined): string {
  const short: [string, string][] = [
    ['ReadWriteOnce', 'RWO'],
    ['ReadOnlyMany', 'ROX'],
    ['ReadWriteMany', 'RWX'],
    ['ReadWriteOncePod', 'RWOP'],
  ];
  return short
    .filter(([m]) => (modes ?? []).includes(m))
    .map(([, s]) => s)
    .join(',');
}

/** helper.GetPersistentVolume(Claim)Class: the beta annotation wins over spec.storageClassName. */
const storageClass = (o: Obj) => str(o.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? o.spec?.storageClassName);
const unset = (v: unknown) => (v === undefined || v === null ? '<unset>' : String(v));
/** printBoolPtr. */
const boolPtr = (v: unknown) => (typeof v === 'boolean' ? (v ? 'True' : 'False') : '<unset>');

function pvRow(o: Obj, ctx: PrintContext): string[] {
  const ref = o.spec?.claimRef;
  return [
    str(o.metadata?.name),
    qty(o.spec?.capacity?.storage),
    accessModes(o.spec?.accessModes),
    str(o.spec?.persistentVolumeReclaimPolicy),
    o.metadata?.deletionTimestamp ? 'Terminating' : str(o.status?.phase),
    ref ? `${str(ref.namespace)}/${str(ref.name)}` : '',
    storageClass(o),
    unset(o.spec?.volumeAttributesClassName),
    str(o.status?.reason),
    age(o, ctx),
    unset(o.spec?.volumeMode),
  ];
}

function pvcRow(o: Obj, ctx: PrintContext): string[] {
  // Capacity and access modes are the bound volume's, shown only once the claim names one.
  const bound = Boolean(o.spec?.volumeName);
  return [
    str(o.metadata?.name),
    o.metadata?.deletionTimestamp ? 'Terminating' : str(o.status?.phase),
    str(o.spec?.volumeName),
    bound ? qty(o.status?.capacity?.storage) : '',
    bound ? accessModes(o.status?.accessModes) : '',
    storageClass(o),
    unset(o.spec?.volumeAttributesClassName),
    age(o, ctx),
    unset(o.spec?.volumeMode),
  ];
}

/** One metric's `current/target`: the status entry at the same index gives current, `<unknown>` without it. */
function hpaMetric(spec: Obj, status: Obj | undefined): string {
  const cur = (s: Obj | undefined, field: string) => (s?.current?.[field] !== undefined ? qty(s.current[field]) : '<unknown>');
  const valued = (src: Obj | undefined, st: Obj | undefined) =>
    src?.target?.averageValue !== undefined
      ? `${cur(st, 'averageValue')}/${qty(src.target.averageValue)} (avg)`
      : `${st ? qty(st.current?.value) : '<unknown>'}/${qty(src?.target?.value)}`;
  const resource = (src: Obj | undefined, st: Obj | undefined) => {
    const name = str(src?.name);
    if (src?.target?.averageValue !== undefined)
      return `${name}: ${st ? qty(st.current?.averageValue) : '<unknown>'}/${qty(src.target.averageValue)}`;
    const current = st?.current?.averageUtilization !== undefined ? `${st.current.averageUtilization}%` : '<unknown>';
    const target = src?.target?.averageUtilization !== undefined ? `${src.target.averageUtilization}%` : '<auto>';
    return `${name}: ${current}/${target}`;
  };
  switch (spec.type) {
    case 'External':
      return valued(spec.external, status?.external);
    case 'Pods':
      return `${status?.pods ? qty(status.pods.current?.averageValue) : '<unknown>'}/${qty(spec.pods?.target?.averageValue)}`;
    case 'Object':
      return valued(spec.object, status?.object);
    case 'Resource':
      return resource(spec.resource, status?.resource);
    case 'ContainerResource':
      return resource(spec.containerResource, status?.containerResource);
  }
  return '<unknown type>';
}

/** formatHPAMetrics: the first two metrics, then ` + N more...`. */
function hpaMetrics(specs: Obj[] | undefined, statuses: Obj[] | undefined): string {
  if (!specs?.length) return '<none>';
  const list = specs.map((m, i) => hpaMetric(m, statuses?.[i]));
  const max = 2;
  return list.length > max ? `${list.slice(0, max).join(', ')} + ${list.length - max} more...` : list.join(', ');
}

/** printResourceQuota: `name: used/hard` per resource of status.hard in name order; `limits.*` go to LIMIT. */
function quotaRow(o: Obj, ctx: PrintContext): string[] {
  const hard: Record<string, unknown> = o.status?.hard ?? {};
  const used: Record<string, unknown> = o.status?.used ?? {};
  const request: string[] = [];
  const limit: string[] = [];
  for (const r of Object.keys(hard).sort()) {
    const pieces = r.split('.');
    (pieces.length > 1 && pieces[0] === 'limits' ? limit : request).push(`${r}: ${qty(used[r])}/${qty(hard[r])}`);
  }
  return [str(o.metadata?.name), request.join(', '), limit.join(', '), age(o, ctx)];
}

/** printControllerRevision: the controlling owner as `kind.group/name` in lower case (core kinds without a group). */
function revisionController(o: Obj): string {
  const ref = (o.metadata?.ownerReferences ?? []).find((r: Obj) => r.controller === true);
  if (!ref) return '<none>';
  const apiVersion = str(ref.apiVersion);
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const kind = str(ref.kind);
  if (!kind && !group) return str(ref.name);
  return `${(group ? `${kind}.${group}` : kind).toLowerCase()}/${str(ref.name)}`;
}

/** kube-aggregator's APIService table: Local without a service; the Available condition, with its reason unless True. */
function apiServiceAvailable(o: Obj): string {
  const c = (o.status?.conditions ?? []).find((x: Obj) => x.type === 'Available');
  if (!c) return 'Unknown';
  if (c.status !== 'True' && c.reason) return `${str(c.status)} (${c.reason})`;
  return str(c.status);
}

// ---- Ingress, PDB, RBAC bindings (formatHosts, formatPorts, rbac.SubjectsStrings) ----
/** formatHosts: up to three rule hosts, `*` when none names one, ` + N more...` counting every rule past three. */
function ingressHosts(rules: Obj[] | undefined): string {
  const list: string[] = [];
  let more = false;
  for (const rule of rules ?? []) {
    if (list.length === 3) more = true;
    if (!more && rule.host) list.push(rule.host);
  }
  if (list.length === 0) return '*';
  return more ? `${list.join(',')} + ${(rules ?? []).length - 3} more...` : list.join(',');
}

/** ingressLoadBalancerStatusStringer: IPs (or hostnames) sorted, unique, clipped to 16 without -o wide. */
function ingressAddress(o: Obj, wide: boolean): string {
  const set = new Set<string>();
  for (const ing of o.status?.loadBalancer?.ingress ?? []) {
    if (ing.ip) set.add(ing.ip);
    else if (ing.hostname) set.add(ing.hostname);
  }
  const r = [...set].sort().join(',');
  return !wide && r.length > 16 ? `${r.slice(0, 13)}...` : r;
}

/** A binding's subjects as SubjectsStrings splits them: users, groups, `namespace/name` service accounts. */
function bindingSubjects(o: Obj): string[] {
  const of = (kind: string, f: (s: Obj) => string) =>
    (o.subjects ?? [])
      .filter((s: Obj) => s.kind === kind)
      .map(f)
      .join(', ');
  return [
    of('User', (s) => str(s.name)),
    of('Group', (s) => str(s.name)),
    of('ServiceAccount', (s) => `${str(s.namespace)}/${str(s.name)}`),
  ];
}

const bindingTable: TableDef = {
  columns: [c('Name'), c('Role'), c('Age'), c('Users', 1), c('Groups', 1), c('ServiceAccounts', 1)],
  row: (o, ctx) => [str(o.metadata?.name), `${str(o.roleRef?.kind)}/${str(o.roleRef?.name)}`, age(o, ctx), ...bindingSubjects(o)],
};
const webhookTable: TableDef = {
  columns: [c('Name'), c('Webhooks'), c('Age')],
  row: (o, ctx) => [str(o.metadata?.name), String((o.webhooks ?? []).length), age(o, ctx)],
};

/** metav1.LabelSelector's generated String(): `&LabelSelector{MatchLabels:map[string]string{k: v,},MatchExpressions:[]LabelSelectorRequirement{},}`. */
function goLabelSelectorString(sel: Obj): string {
  const labels = Object.keys(sel.matchLabels ?? {})
    .sort()
    .map((k) => `${k}: ${sel.matchLabels[k]},`)
    .join('');
  const exprs = ((sel.matchExpressions ?? []) as Obj[])
    .map(
      (e) =>
        `LabelSelectorRequirement{Key:${str(e.key)},Operator:${str(e.operator)},Values:[${((e.values ?? []) as string[]).join(' ')}],},`,
    )
    .join('');
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{${exprs}},}`;
}

/** Tables by `group/Kind` (core group empty). */
export const TABLES: Record<string, TableDef> = {
  '/Pod': {
    columns: [
      c('Name'),
      c('Ready'),
      c('Status'),
      c('Restarts'),
      c('Age'),
      c('IP', 1),
      c('Node', 1),
      c('Nominated Node', 1),
      c('Readiness Gates', 1),
    ],
    row: podRow,
  },
  '/Service': {
    columns: [c('Name'), c('Type'), c('Cluster-IP'), c('External-IP'), c('Port(s)'), c('Age'), c('Selector', 1)],
    row: serviceRow,
  },
  '/Endpoints': {
    columns: [c('Name'), c('Endpoints'), c('Age')],
    row: (o, ctx) => [str(o.metadata?.name), formatEndpoints(o), age(o, ctx)],
  },
  'discovery.k8s.io/EndpointSlice': {
    columns: [c('Name'), c('AddressType'), c('Ports'), c('Endpoints'), c('Age')],
    row: sliceRow,
  },
  'apps/Deployment': {
    columns: [c('Name'), c('Ready'), c('Up-to-date'), c('Available'), c('Age'), c('Containers', 1), c('Images', 1), c('Selector', 1)],
    row: (o, ctx) => [
      str(o.metadata?.name),
      `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}`,
      num(o.status?.updatedReplicas),
      num(o.status?.availableReplicas),
      age(o, ctx),
      ...containerCells(o.spec?.template?.spec?.containers),
      formatLabelSelector(o.spec?.selector),
    ],
  },
  'apps/ReplicaSet': {
    columns: [c('Name'), c('Desired'), c('Current'), c('Ready'), c('Age'), c('Containers', 1), c('Images', 1), c('Selector', 1)],
    row: (o, ctx) => [
      str(o.metadata?.name),
      num(o.spec?.replicas),
      num(o.status?.replicas),
      num(o.status?.readyReplicas),
      age(o, ctx),
      ...containerCells(o.spec?.template?.spec?.containers),
      formatLabelSelector(o.spec?.selector),
    ],
  },
  'apps/DaemonSet': {
    columns: [
      c('Name'),
      c('Desired'),
      c('Current'),
      c('Ready'),
      c('Up-to-date'),
      c('Available'),
      c('Node Selector'),
      c('Age'),
      c('Containers', 1),
      c('Images', 1),
      c('Selector', 1),
    ],
    row: (o, ctx) => {
      const s = o.status ?? {};
      return [
        str(o.metadata?.name),
        num(s.desiredNumberScheduled),
        num(s.currentNumberScheduled),
        num(s.numberReady),
        num(s.updatedNumberScheduled),
        num(s.numberAvailable),
        formatLabels(o.spec?.template?.spec?.nodeSelector),
        age(o, ctx),
        ...containerCells(o.spec?.template?.spec?.containers),
        formatLabelSelector(o.spec?.selector),
      ];
    },
  },
  'batch/Job': {
    columns: [c('Name'), c('Status'), c('Completions'), c('Duration'), c('Age'), c('Containers', 1), c('Images', 1), c('Selector', 1)],
    row: jobRow,
  },
  'apps/StatefulSet': {
    columns: [c('Name'), c('Ready'), c('Age'), c('Containers', 1), c('Images', 1)],
    row: (o, ctx) => [
      str(o.metadata?.name),
      `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}`,
      age(o, ctx),
      ...containerCells(o.spec?.template?.spec?.containers),
    ],
  },
  '/Node': {
    columns: [
      c('Name'),
      c('Status'),
      c('Roles'),
      c('Age'),
      c('Version'),
      c('Internal-IP', 1),
      c('External-IP', 1),
      c('OS-Image', 1),
      c('Kernel-Version', 1),
      c('Container-Runtime', 1),
    ],
    row: nodeRow,
  },
  '/Namespace': {
    columns: [c('Name'), c('Status'), c('Age')],
    row: (o, ctx) => [str(o.metadata?.name), str(o.status?.phase), age(o, ctx)],
  },
  '/ConfigMap': {
    columns: [c('Name'), c('Data'), c('Age')],
    row: (o, ctx) => [
      str(o.metadata?.name),
      String(Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length),
      age(o, ctx),
    ],
  },
  '/Secret': {
    columns: [c('Name'), c('Type'), c('Data'), c('Age')],
    row: (o, ctx) => [str(o.metadata?.name), str(o.type), String(Object.keys(o.data ?? {}).length), age(o, ctx)],
  },
  '/ServiceAccount': {
    columns: [c('Name'), c('Secrets'), c('Age')],
    row: (o, ctx) => [str(o.metadata?.name), String((o.secrets ?? []).length), age(o, ctx)],
  },
  '/Event': {
    columns: [
      c('Last Seen'),
      c('Type'),
      c('Reason'),
      c('Object'),
      c('Subobject', 1),
      c('Source', 1),
      c('Message'),
      c('First Seen', 1),
      c('Count', 1),
      c('Name', 1),
    ],
    row: eventRow,
  },
  'coordination.k8s.io/Lease': {
    columns: [c('Name'), c('Holder'), c('Age')],
    row: (o, ctx) => [str(o.metadata?.name), str(o.spec?.holderIdentity), age(o, ctx)],
  },
  // printStorageClass: ` (default)` after a default class's name; unset fields as the API defaults them
  'storage.k8s.io/StorageClass': {
    columns: [c('Name'), c('Provisioner'), c('ReclaimPolicy'), c('VolumeBindingMode'), c('AllowVolumeExpansion'), c('Age')],
    row: (o, ctx) => {
      const a = o.metadata?.annotations ?? {};
      const isDefault =
        a['storageclass.kubernetes.io/is-default-class'] === 'true' || a['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
      return [
        `${str(o.metadata?.name)}${isDefault ? ' (default)' : ''}`,
        str(o.provisioner),
        str(o.reclaimPolicy ?? 'Delete'),
        str(o.volumeBindingMode ?? 'Immediate'),
        String(o.allowVolumeExpansion === true),
        age(o, ctx),
      ];
    },
  },
  'networking.k8s.io/NetworkPolicy': {
    columns: [c('Name'), c('Pod-Selector'), c('Age')],
    row: (o, ctx) => [str(o.metadata?.name), formatLabelSelector(o.spec?.podSelector), age(o, ctx)],
  },
  // printComponentStatus: the Healthy condition's status (True: Healthy, else Unhealthy), message and error
  '/ComponentStatus': {
    columns: [c('Name'), c('Status'), c('Message'), c('Error')],
    row: (o) => {
      const h = ((o.conditions ?? []) as Obj[]).find((x) => x.type === 'Healthy');
      const status = h ? (h.status === 'True' ? 'Healthy' : 'Unhealthy') : 'Unknown';
      return [str(o.metadata?.name), status, str(h?.message ?? ''), str(h?.error ?? '')];
    },
  },
  // printServiceCIDR, printIPAddress (the IPAddress table has no Age column)
  'networking.k8s.io/ServiceCIDR': {
    columns: [c('Name'), c('CIDRs'), c('Age')],
    row: (o, ctx) => [str(o.metadata?.name), ((o.spec?.cidrs ?? []) as string[]).join(','), age(o, ctx)],
  },
  'networking.k8s.io/IPAddress': {
    columns: [c('Name'), c('ParentRef')],
    row: (o) => {
      const ref = o.spec?.parentRef;
      if (!ref) return [str(o.metadata?.name), '<none>'];
      const gr = `${str(ref.resource)}${ref.group ? `.${ref.group}` : ''}`.toLowerCase();
      return [str(o.metadata?.name), `${gr}${ref.namespace ? `/${ref.namespace}` : ''}/${str(ref.name)}`];
    },
  },
  'networking.k8s.io/IngressClass': {
    columns: [c('Name'), c('Controller'), c('Parameters'), c('Age')],
    row: (o, ctx) => {
      const p = o.spec?.parameters;
      const params = p ? `${str(p.kind)}${p.apiGroup != null ? `.${p.apiGroup}` : ''}/${str(p.name)}` : '<none>';
      return [str(o.metadata?.name), str(o.spec?.controller), params, age(o, ctx)];
    },
  },
  'autoscaling/HorizontalPodAutoscaler': {
    columns: [c('Name'), c('Reference'), c('Targets'), c('MinPods'), c('MaxPods'), c('Replicas'), c('Age')],
    row: (o, ctx) => [
      str(o.metadata?.name),
      `${str(o.spec?.scaleTargetRef?.kind)}/${str(o.spec?.scaleTargetRef?.name)}`,
      hpaMetrics(o.spec?.metrics, o.status?.currentMetrics),
      unset(o.spec?.minReplicas),
      num(o.spec?.maxReplicas),
      num(o.status?.currentReplicas),
      age(o, ctx),
    ],
  },
  'batch/CronJob': {
    columns: [
      c('Name'),
      c('Schedule'),
      c('Timezone'),
      c('Suspend'),
      c('Active'),
      c('Last Schedule'),
      c('Age'),
      c('Containers', 1),
      c('Images', 1),
      c('Selector', 1),
    ],
    row: (o, ctx) => {
      const job = o.spec?.jobTemplate?.spec ?? {};
      return [
        str(o.metadata?.name),
        str(o.spec?.schedule),
        o.spec?.timeZone ?? '<none>',
        boolPtr(o.spec?.suspend),
        String((o.status?.active ?? []).length),
        o.status?.lastScheduleTime ? since(o.status.lastScheduleTime, ctx.now) : '<none>',
        age(o, ctx),
        ...containerCells(job.template?.spec?.containers),
        formatLabelSelector(job.selector),
      ];
    },
  },
  '/PersistentVolume': {
    columns: [
      c('Name'),
      c('Capacity'),
      c('Access Modes'),
      c('Reclaim Policy'),
      c('Status'),
      c('Claim'),
      c('StorageClass'),
      c('VolumeAttributesClass'),
      c('Reason'),
      c('Age'),
      c('VolumeMode', 1),
    ],
    row: pvRow,
  },
  '/PersistentVolumeClaim': {
    columns: [
      c('Name'),
      c('Status'),
      c('Volume'),
      c('Capacity'),
      c('Access Modes'),
      c('StorageClass'),
      c('VolumeAttributesClass'),
      c('Age'),
      c('VolumeMode', 1),
    ],
    row: pvcRow,
  },
  '/ResourceQuota': {
    columns: [c('Name'), c('Request'), c('Limit'), c('Age')],
    row: quotaRow,
  },
  'apiregistration.k8s.io/APIService': {
    columns: [c('Name'), c('Service'), c('Available'), c('Age')],
    row: (o, ctx) => [
      str(o.metadata?.name),
      o.spec?.service ? `${str(o.spec.service.namespace)}/${str(o.spec.service.name)}` : 'Local',
      apiServiceAvailable(o),
      age(o, ctx),
    ],
  },
  'apps/ControllerRevision': {
    columns: [c('Name'), c('Controller'), c('Revision'), c('Age')],
    row: (o, ctx) => [str(o.metadata?.name), revisionController(o), num(o.revision), age(o, ctx)],
  },
  'node.k8s.io/RuntimeClass': {
    columns: [c('Name'), c('Handler'), c('Age')],
    row: (o, ctx) => [str(o.metadata?.name), str(o.handler), age(o, ctx)],
  },
  'networking.k8s.io/Ingress': {
    columns: [c('Name'), c('Class'), c('Hosts'), c('Address'), c('Ports'), c('Age')],
    row: (o, ctx) => [
      str(o.metadata?.name),
      o.spec?.ingressClassName ?? '<none>',
      ingressHosts(o.spec?.rules),
      ingressAddress(o, ctx.wide),
      (o.spec?.tls ?? []).length ? '80, 443' : '80',
      age(o, ctx),
    ],
  },
  // IntOrString.String(): a number or a percentage as given; N/A when unset
  'policy/PodDisruptionBudget': {
    columns: [c('Name'), c('Min Available'), c('Max Unavailable'), c('Allowed Disruptions'), c('Age')],
    row: (o, ctx) => [
      str(o.metadata?.name),
      o.spec?.minAvailable != null ? String(o.spec.minAvailable) : 'N/A',
      o.spec?.maxUnavailable != null ? String(o.spec.maxUnavailable) : 'N/A',
      num(o.status?.disruptionsAllowed),
      age(o, ctx),
    ],
  },
  'scheduling.k8s.io/PriorityClass': {
    columns: [c('Name'), c('Value'), c('Global-Default'), c('Age'), c('PreemptionPolicy', 1)],
    row: (o, ctx) => [str(o.metadata?.name), num(o.value), String(o.globalDefault === true), age(o, ctx), str(o.preemptionPolicy)],
  },
  'rbac.authorization.k8s.io/RoleBinding': bindingTable,
  'rbac.authorization.k8s.io/ClusterRoleBinding': bindingTable,
  'admissionregistration.k8s.io/MutatingWebhookConfiguration': webhookTable,
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration': webhookTable,
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy': {
    columns: [c('Name'), c('Validations'), c('ParamKind'), c('Age')],
    row: (o, ctx) => {
      const pk = o.spec?.paramKind;
      return [
        str(o.metadata?.name),
        String((o.spec?.validations ?? []).length),
        pk ? `${str(pk.apiVersion)}/${str(pk.kind)}` : '<unset>',
        age(o, ctx),
      ];
    },
  },
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding': {
    columns: [c('Name'), c('PolicyName'), c('ParamRef'), c('Age')],
    row: (o, ctx) => {
      const pr = o.spec?.paramRef;
      // printValidatingAdmissionPolicyBinding: a name without namespace may be cluster-scoped, so `*/`
      let param = '<unset>';
      if (pr?.name) param = pr.namespace ? `${pr.namespace}/${pr.name}` : `*/${pr.name}`;
      else if (pr?.selector) param = goLabelSelectorString(pr.selector);
      return [str(o.metadata?.name), str(o.spec?.policyName), param, age(o, ctx)];
    },
  },
  '/PodTemplate': {
    columns: [c('Name'), c('Containers'), c('Images'), c('Pod Labels')],
    row: (o) => [str(o.metadata?.name), ...containerCells(o.template?.spec?.containers), formatLabels(o.template?.metadata?.labels)],
  },
};

/** apiextensions-apiserver's default when a CRD version has no additionalPrinterColumns. */
const CRD_DEFAULT_COLUMNS: PrinterColumn[] = [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' }];

export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  priority?: number;
  format?: string;
}

/** The table of a custom resource: Name, then the printer columns (tableconvertor.New). */
export function crdTable(printerColumns: PrinterColumn[] | undefined): TableDef {
  const cols = printerColumns && printerColumns.length > 0 ? printerColumns : CRD_DEFAULT_COLUMNS;
  const paths = cols.map((pc) => parseJsonPath(`{${pc.jsonPath}}`));
  return {
    columns: [c('Name'), ...cols.map((pc) => c(pc.name, pc.priority && pc.priority > 0 ? 1 : 0))],
    row: (o, ctx) => [
      str(o.metadata?.name),
      ...cols.map((pc, i) => {
        const values = evalJsonPath(paths[i]!, o, { allowMissingKeys: true }).flat();
        if (values.length === 0) return '<none>';
        const v = values[0];
        if (pc.type === 'date' && typeof v === 'string') return since(v, ctx.now);
        if (typeof v === 'object' && v !== null) return JSON.stringify(v);
        return String(v);
      }),
    ],
  };
}

/** The apiserver's default table convertor, for kinds without a printer: NAME, CREATED AT (RFC 3339). */
export const DEFAULT_TABLE: TableDef = {
  columns: [c('Name'), c('Created At')],
  row: (o) => [str(o.metadata?.name), str(o.metadata?.creationTimestamp)],
};
