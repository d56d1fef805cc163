// `kubectl describe` for Pod, Service, Endpoints, Node, ConfigMap and NetworkPolicy (Deployment, ReplicaSet, StatefulSet, Job, DaemonSet in
// describe-workloads.ts, their pod parts in describe-pod.ts; Ingress,
// IngressClass and EndpointSlice in describe-network.ts; Secret, ServiceAccount, Namespace in describe-core.ts), as kubectl's
// pkg/describe/describe.go writes them: one tab writer (minwidth 0, padding 2) over lines indented
// two spaces per level, flushed before the Events table; objects separated by a blank line pair.

import { ApiError, type KubeObject, type ResourceInfo } from '../api/index.js';
import { since } from './duration.js';
import { type KubectlEnv, KubectlError, errorText, namespaceOf } from './env.js';
import { parseFlags } from './flags.js';
import { warnDeprecated } from './get.js';
import { formatLabels, formatLabelSelector } from './labels.js';
import { parseSelection } from './resources.js';
import { annotationsMultiline, describeEvents, labelsMultiline, Out, rfc1123z, sliceEndpoints } from './describe-out.js';
import { describeNamespace, describeSecret, describeServiceAccount } from './describe-core.js';
import { describeContainers, describeVolumes, taintsMultiline, tolerationsMultiline } from './describe-pod.js';
import { describeDaemonSet, describeDeployment, describeJob, describeReplicaSet, describeStatefulSet } from './describe-workloads.js';
import { describeEndpointSlice, describeIngress, describeIngressClass } from './describe-network.js';
import { nodeRoles, type Obj } from './tables.js';
import { formatQuantity, parseQuantity, type Quantity } from './quantity.js';
import { goValue } from './output.js';

function qosClass(pod: Obj): string {
  if (pod.status?.qosClass) return pod.status.qosClass;
  const cs: Obj[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  const any = cs.some((c) => Object.keys(c.resources?.requests ?? {}).length || Object.keys(c.resources?.limits ?? {}).length);
  if (!any) return 'BestEffort';
  const guaranteed = cs.every((c) =>
    ['cpu', 'memory'].every(
      (r) => c.resources?.limits?.[r] !== undefined && (c.resources?.requests?.[r] ?? c.resources.limits[r]) === c.resources.limits[r],
    ),
  );
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function describePod(pod: Obj, events: Obj[] | undefined, now: number): string {
  const o = new Out(now);
  const m = pod.metadata ?? {};
  const spec = pod.spec ?? {};
  const st = pod.status ?? {};
  o.w(0, `Name:\t${m.name}\n`);
  o.w(0, `Namespace:\t${m.namespace}\n`);
  if (spec.priority !== undefined) o.w(0, `Priority:\t${spec.priority}\n`);
  if (spec.priorityClassName) o.w(0, `Priority Class Name:\t${spec.priorityClassName}\n`);
  if (spec.runtimeClassName) o.w(0, `Runtime Class Name:\t${spec.runtimeClassName}\n`);
  if (spec.serviceAccountName) o.w(0, `Service Account:\t${spec.serviceAccountName}\n`);
  o.w(0, spec.nodeName ? `Node:\t${spec.nodeName}/${st.hostIP ?? ''}\n` : 'Node:\t<none>\n');
  if (st.startTime) o.w(0, `Start Time:\t${rfc1123z(st.startTime)}\n`);
  labelsMultiline(o, 'Labels', m.labels);
  annotationsMultiline(o, 'Annotations', m.annotations);
  if (m.deletionTimestamp && st.phase !== 'Failed' && st.phase !== 'Succeeded') {
    o.w(0, `Status:\tTerminating (lasts ${since(m.deletionTimestamp, now)})\n`);
    o.w(0, `Termination Grace Period:\t${m.deletionGracePeriodSeconds ?? 0}s\n`);
  } else o.w(0, `Status:\t${st.phase ?? ''}\n`);
  if (st.reason) o.w(0, `Reason:\t${st.reason}\n`);
  if (st.message) o.w(0, `Message:\t${st.message}\n`);
  o.w(0, `IP:\t${st.podIP ?? ''}\n`);
  if (!st.podIPs?.length) o.w(0, 'IPs:\t<none>\n');
  else {
    o.w(0, 'IPs:\n');
    for (const ip of st.podIPs) o.w(1, `IP:\t${ip.ip}\n`);
  }
  const ctl = (m.ownerReferences ?? []).find((r: Obj) => r.controller);
  if (ctl) o.w(0, `Controlled By:\t${ctl.kind}/${ctl.name}\n`);
  if (st.nominatedNodeName) o.w(0, `NominatedNodeName:\t${st.nominatedNodeName}\n`);
  if (spec.initContainers?.length) describeContainers(o, 'Init Containers', spec.initContainers, st.initContainerStatuses ?? [], '');
  describeContainers(o, 'Containers', spec.containers ?? [], st.containerStatuses ?? [], '');
  if (spec.ephemeralContainers?.length)
    describeContainers(o, 'Ephemeral Containers', spec.ephemeralContainers, st.ephemeralContainerStatuses ?? [], '');
  if (spec.readinessGates?.length) {
    o.w(0, 'Readiness Gates:\n  Type\tStatus\n');
    for (const g of spec.readinessGates)
      o.w(1, `${g.conditionType} \t${(st.conditions ?? []).find((c: Obj) => c.type === g.conditionType)?.status ?? '<none>'} \n`);
  }
  if (st.conditions?.length) {
    o.w(0, 'Conditions:\n  Type\tStatus\n');
    for (const c of st.conditions) o.w(1, `${c.type} \t${c.status} \n`);
  }
  describeVolumes(o, spec.volumes, '');
  o.w(0, `QoS Class:\t${qosClass(pod)}\n`);
  labelsMultiline(o, 'Node-Selectors', spec.nodeSelector);
  tolerationsMultiline(o, 'Tolerations', spec.tolerations);
  describeEvents(o, events);
  return o.done();
}

function describeService(svc: Obj, slices: Obj[], events: Obj[] | undefined, now: number): string {
  const o = new Out(now);
  const m = svc.metadata ?? {};
  const spec = svc.spec ?? {};
  o.w(0, `Name:\t${m.name}\n`);
  o.w(0, `Namespace:\t${m.namespace}\n`);
  labelsMultiline(o, 'Labels', m.labels);
  annotationsMultiline(o, 'Annotations', m.annotations);
  o.w(0, `Selector:\t${formatLabels(spec.selector)}\n`);
  o.w(0, `Type:\t${spec.type ?? ''}\n`);
  if (spec.ipFamilyPolicy) o.w(0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`);
  o.w(0, `IP Families:\t${spec.ipFamilies?.length ? spec.ipFamilies.join(',') : '<none>'}\n`);
  o.w(0, `IP:\t${spec.clusterIP ?? ''}\n`);
  o.w(0, `IPs:\t${spec.clusterIPs?.length ? spec.clusterIPs.join(',') : '<none>'}\n`);
  if (spec.externalIPs?.length) o.w(0, `External IPs:\t${spec.externalIPs.join(',')}\n`);
  if (spec.loadBalancerIP) o.w(0, `Desired LoadBalancer IP:\t${spec.loadBalancerIP}\n`);
  if (spec.externalName) o.w(0, `External Name:\t${spec.externalName}\n`);
  const ingress: Obj[] = svc.status?.loadBalancer?.ingress ?? [];
  if (ingress.length)
    o.w(0, `LoadBalancer Ingress:\t${ingress.map((i) => (i.ip ? i.ip + (i.ipMode ? ` (${i.ipMode})` : '') : i.hostname)).join(', ')}\n`);
  for (const p of spec.ports ?? []) {
    const name = p.name || '<unset>';
    o.w(0, `Port:\t${name}\t${p.port}/${p.protocol}\n`);
    o.w(0, `TargetPort:\t${p.targetPort ?? p.port}/${p.protocol}\n`);
    if (p.appProtocol) o.w(0, `AppProtocol:\t${p.appProtocol}\n`);
    if (p.nodePort) o.w(0, `NodePort:\t${name}\t${p.nodePort}/${p.protocol}\n`);
    o.w(0, `Endpoints:\t${sliceEndpoints(slices, p.name ?? '')}\n`);
  }
  o.w(0, `Session Affinity:\t${spec.sessionAffinity ?? ''}\n`);
  if (spec.externalTrafficPolicy) o.w(0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`);
  if (spec.internalTrafficPolicy) o.w(0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`);
  if (spec.healthCheckNodePort) o.w(0, `HealthCheck NodePort:\t${spec.healthCheckNodePort}\n`);
  if (spec.loadBalancerSourceRanges?.length) o.w(0, `LoadBalancer Source Ranges:\t${spec.loadBalancerSourceRanges.join(',')}\n`);
  if (spec.trafficDistribution) o.w(0, `Traffic Distribution:\t${spec.trafficDistribution}\n`);
  describeEvents(o, events);
  return o.done();
}

function describeEndpoints(ep: Obj, events: Obj[] | undefined, now: number): string {
  const o = new Out(now);
  o.w(0, `Name:\t${ep.metadata?.name}\n`);
  o.w(0, `Namespace:\t${ep.metadata?.namespace}\n`);
  labelsMultiline(o, 'Labels', ep.metadata?.labels);
  annotationsMultiline(o, 'Annotations', ep.metadata?.annotations);
  o.w(0, 'Subsets:\n');
  for (const s of ep.subsets ?? []) {
    o.w(1, `Addresses:\t${(s.addresses ?? []).map((a: Obj) => a.ip).join(',') || '<none>'}\n`);
    o.w(1, `NotReadyAddresses:\t${(s.notReadyAddresses ?? []).map((a: Obj) => a.ip).join(',') || '<none>'}\n`);
    if (s.ports?.length) {
      o.w(1, 'Ports:\n');
      o.w(2, 'Name\tPort\tProtocol\n');
      o.w(2, '----\t----\t--------\n');
      for (const p of s.ports) o.w(2, `${p.name || '<unset>'}\t${p.port}\t${p.protocol}\n`);
    }
    o.w(0, '\n');
  }
  describeEvents(o, events);
  return o.done();
}

function describeNode(node: Obj, pods: Obj[], lease: Obj | undefined, events: Obj[] | undefined, now: number): string {
  const o = new Out(now);
  const m = node.metadata ?? {};
  const st = node.status ?? {};
  o.w(0, `Name:\t${m.name}\n`);
  o.w(0, `Roles:\t${nodeRoles(node).join(',') || '<none>'}\n`);
  labelsMultiline(o, 'Labels', m.labels);
  annotationsMultiline(o, 'Annotations', m.annotations);
  o.w(0, `CreationTimestamp:\t${rfc1123z(m.creationTimestamp)}\n`);
  taintsMultiline(o, node.spec?.taints);
  o.w(0, `Unschedulable:\t${Boolean(node.spec?.unschedulable)}\n`);
  o.w(0, 'Lease:\n');
  o.w(1, `HolderIdentity:\t${lease?.spec?.holderIdentity ?? '<unset>'}\n`);
  o.w(1, `AcquireTime:\t${lease?.spec?.acquireTime ? rfc1123z(lease.spec.acquireTime) : '<unset>'}\n`);
  o.w(1, `RenewTime:\t${lease?.spec?.renewTime ? rfc1123z(lease.spec.renewTime) : '<unset>'}\n`);
  if (st.conditions?.length) {
    o.w(0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
    o.w(1, '----\t------\t-----------------\t------------------\t------\t-------\n');
    for (const c of st.conditions)
      o.w(
        1,
        `${c.type} \t${c.status} \t${rfc1123z(c.lastHeartbeatTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason ?? ''} \t${c.message ?? ''}\n`,
      );
  }
  o.w(0, 'Addresses:\n');
  for (const a of st.addresses ?? []) o.w(1, `${a.type}:\t${a.address}\n`);
  const resources = (title: string, list: Record<string, string> | undefined) => {
    if (!list || Object.keys(list).length === 0) return;
    o.w(0, `${title}:\n`);
    for (const k of Object.keys(list).sort()) o.w(0, `  ${k}:\t${list[k]}\n`);
  };
  resources('Capacity', st.capacity);
  resources('Allocatable', st.allocatable);
  const info = st.nodeInfo ?? {};
  o.w(0, 'System Info:\n');
  o.w(0, `  Machine ID:\t${info.machineID ?? ''}\n`);
  o.w(0, `  System UUID:\t${info.systemUUID ?? ''}\n`);
  o.w(0, `  Boot ID:\t${info.bootID ?? ''}\n`);
  o.w(0, `  Kernel Version:\t${info.kernelVersion ?? ''}\n`);
  o.w(0, `  OS Image:\t${info.osImage ?? ''}\n`);
  o.w(0, `  Operating System:\t${info.operatingSystem ?? ''}\n`);
  o.w(0, `  Architecture:\t${info.architecture ?? ''}\n`);
  o.w(0, `  Container Runtime Version:\t${info.containerRuntimeVersion ?? ''}\n`);
  o.w(0, `  Kubelet Version:\t${info.kubeletVersion ?? ''}\n`);
  if (node.spec?.podCIDR) o.w(0, `PodCIDR:\t${node.spec.podCIDR}\n`);
  if (node.spec?.podCIDRs?.length) o.w(0, `PodCIDRs:\t${node.spec.podCIDRs.join(',')}\n`);
  if (node.spec?.providerID) o.w(0, `ProviderID:\t${node.spec.providerID}\n`);
  // describeNodeResource: each pod's container requests and limits summed, as a share of allocatable.
  o.w(0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  o.w(1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
  o.w(1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
  const alloc = Object.keys(st.allocatable ?? {}).length ? st.allocatable : (st.capacity ?? {});
  const sum = (list: Obj[], kind: string, r: string): Quantity => {
    let total: Quantity | undefined;
    for (const c of list) {
      const q = parseQuantity(c.resources?.[kind]?.[r] ?? (kind === 'limits' ? undefined : c.resources?.limits?.[r]));
      if (q) total = total ? { value: total.value + q.value, binary: total.binary } : q;
    }
    return total ?? { value: 0, binary: false };
  };
  const pct = (q: Quantity, r: string) => {
    const d = parseQuantity(alloc[r])?.value ?? 0;
    return d ? Math.trunc((q.value / d) * 100) : 0;
  };
  const cell = (q: Quantity, r: string) => `${formatQuantity(q)} (${pct(q, r)}%)`;
  const totals: Record<string, Obj[]> = { all: [] };
  for (const p of pods) {
    const cs: Obj[] = p.spec?.containers ?? [];
    totals.all!.push(...cs);
    o.w(
      1,
      `${p.metadata?.namespace}\t${p.metadata?.name}\t\t${cell(sum(cs, 'requests', 'cpu'), 'cpu')}\t${cell(sum(cs, 'limits', 'cpu'), 'cpu')}\t${cell(sum(cs, 'requests', 'memory'), 'memory')}\t${cell(sum(cs, 'limits', 'memory'), 'memory')}\t${since(p.metadata?.creationTimestamp, now)}\n`,
    );
  }
  const all = totals.all!;
  o.w(0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
  o.w(1, 'Resource\tRequests\tLimits\n');
  o.w(1, '--------\t--------\t------\n');
  for (const r of ['cpu', 'memory', 'ephemeral-storage'])
    o.w(1, `${r}\t${cell(sum(all, 'requests', r), r)}\t${cell(sum(all, 'limits', r), r)}\n`);
  for (const k of Object.keys(st.allocatable ?? {})
    .filter((x) => x.startsWith('hugepages-'))
    .sort())
    o.w(1, `${k}\t0 (0%)\t0 (0%)\n`);
  describeEvents(o, events);
  return o.done();
}

function describeConfigMap(cm: Obj, events: Obj[] | undefined, now: number): string {
  const o = new Out(now);
  o.w(0, `Name:\t${cm.metadata?.name}\n`);
  o.w(0, `Namespace:\t${cm.metadata?.namespace}\n`);
  labelsMultiline(o, 'Labels', cm.metadata?.labels);
  annotationsMultiline(o, 'Annotations', cm.metadata?.annotations);
  o.w(0, '\nData\n====\n');
  for (const k of Object.keys(cm.data ?? {}).sort()) {
    o.w(0, `${k}:\n----\n`);
    o.w(0, `${cm.data[k]}\n`);
    o.w(0, '\n');
  }
  o.w(0, '\nBinaryData\n====\n');
  for (const k of Object.keys(cm.binaryData ?? {}).sort()) o.w(0, `${k}: ${atob(cm.binaryData[k]).length} bytes\n`);
  o.w(0, '\n');
  describeEvents(o, events);
  return o.done();
}

/** Go's time.Time String() of a whole-second UTC time: `2026-01-01 00:00:04 +0000 UTC`. */
function goTimeString(ts: string | undefined): string {
  const d = new Date(ts ?? '0001-01-01T00:00:00Z');
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} +0000 UTC`;
}

type PolicyPort = { port?: number | string; endPort?: number; protocol?: string };
type PolicyPeer = { podSelector?: Obj; namespaceSelector?: Obj; ipBlock?: { cidr?: string; except?: string[] } };

/** describe.go printNetworkPolicySpecIngressFrom / EgressTo: one block a rule, `----------` between. */
function policyRules(o: Out, rules: Obj[] | undefined, dir: 'ingress' | 'egress'): void {
  const [peers, word, noPeer] =
    dir === 'ingress'
      ? (['from', 'From', 'traffic not restricted by source'] as const)
      : (['to', 'To', 'traffic not restricted by destination'] as const);
  if (!rules?.length) return o.w(0, `    <none> (Selected pods are isolated for ${dir} connectivity)\n`);
  rules.forEach((rule, i) => {
    const ports = (rule.ports ?? []) as PolicyPort[];
    if (ports.length === 0) o.w(0, '    To Port: <any> (traffic allowed to all ports)\n');
    for (const port of ports) {
      const proto = port.protocol ?? 'TCP';
      const num = port.port ?? '<nil>';
      o.w(0, port.endPort === undefined ? `    To Port: ${num}/${proto}\n` : `    To Port Range: ${num}-${port.endPort}/${proto}\n`);
    }
    const list = (rule[peers] ?? []) as PolicyPeer[];
    if (list.length === 0) o.w(0, `    ${word}: <any> (${noPeer})\n`);
    for (const peer of list) {
      o.w(0, `    ${word}:\n`);
      if (peer.namespaceSelector) o.w(1, `    NamespaceSelector: ${formatLabelSelector(peer.namespaceSelector)}\n`);
      if (peer.podSelector) o.w(1, `    PodSelector: ${formatLabelSelector(peer.podSelector)}\n`);
      if (!peer.namespaceSelector && !peer.podSelector && peer.ipBlock) {
        o.w(1, '    IPBlock:\n');
        o.w(2, `    CIDR: ${peer.ipBlock.cidr ?? ''}\n`);
        o.w(2, `    Except: ${(peer.ipBlock.except ?? []).join(', ')}\n`);
      }
    }
    if (i !== rules.length - 1) o.w(0, '    ----------\n');
  });
}

/** describe.go describeNetworkPolicy: the spec in words, no events. */
function describeNetworkPolicy(np: Obj, now: number): string {
  const o = new Out(now);
  const spec = (np.spec ?? {}) as Obj;
  o.w(0, `Name:\t${np.metadata?.name}\n`);
  o.w(0, `Namespace:\t${np.metadata?.namespace}\n`);
  o.w(0, `Created on:\t${goTimeString(np.metadata?.creationTimestamp)}\n`);
  labelsMultiline(o, 'Labels', np.metadata?.labels);
  annotationsMultiline(o, 'Annotations', np.metadata?.annotations);
  o.w(0, 'Spec:\n');
  const selector = formatLabelSelector(spec.podSelector);
  o.w(1, 'PodSelector: ');
  o.w(2, `${selector === '<none>' ? '<none> (Allowing the specific traffic to all pods in this namespace)' : selector}\n`);
  const types = (spec.policyTypes ?? []) as string[];
  for (const [type, dir] of [
    ['Ingress', 'ingress'],
    ['Egress', 'egress'],
  ] as const) {
    if (!types.includes(type)) {
      o.w(1, `Not affecting ${dir} traffic\n`);
      continue;
    }
    o.w(1, `Allowing ${dir} traffic:\n`);
    policyRules(o, spec[dir], dir);
  }
  o.w(1, `Policy Types: ${types.length ? types.join(', ') : '<none>'}\n`);
  return o.done();
}

/** fatih/camelcase Split: runs of one character class; an upper run before lower letters gives up its last letter. */
function camelSplit(s: string): string[] {
  const cls = (c: string) => (/[a-z]/.test(c) ? 1 : /[A-Z]/.test(c) ? 2 : /[0-9]/.test(c) ? 3 : 4);
  const runs: string[][] = [];
  for (const ch of s) {
    const last = runs.at(-1);
    if (last && cls(last[0]!) === cls(ch)) last.push(ch);
    else runs.push([ch]);
  }
  for (let i = 0; i < runs.length - 1; i++) {
    if (cls(runs[i]![0]!) === 2 && cls(runs[i + 1]![0]!) === 1) runs[i + 1]!.unshift(runs[i]!.pop()!);
  }
  return runs.filter((r) => r.length > 0).map((r) => r.join(''));
}

/** describe.go smartLabelFor: `creationTimestamp` → `Creation Timestamp`, `apiVersion` → `API Version`. */
export function smartLabelFor(field: string): string {
  if (/[^\p{L}-]/u.test(field)) return field;
  const parts = camelSplit(field);
  const merged: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const next = parts[i + 1];
    if (next !== undefined && part.length >= 2 && part === part.toUpperCase() && /^[A-Z]/.test(next)) {
      merged.push(part + next);
      i++;
      continue;
    }
    merged.push(part);
  }
  return merged
    .filter((p) => p !== '_')
    .map((p) =>
      ['API', 'URL', 'UID', 'GUID'].includes(p.toUpperCase())
        ? p.toUpperCase()
        : p === p.toLowerCase()
          ? p.charAt(0).toUpperCase() + p.slice(1)
          : p,
    )
    .join(' ');
}

function unstructured(o: Out, level: number, content: Obj, prefix: string, skip: string[]): void {
  for (const field of Object.keys(content).sort()) {
    const v = content[field];
    const expr = `${prefix}.${field}`;
    if (skip.includes(expr)) continue;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      o.w(level, `${smartLabelFor(field)}:\n`);
      unstructured(o, level + 1, v, expr, skip);
    } else if (Array.isArray(v)) {
      o.w(level, `${smartLabelFor(field)}:\n`);
      for (const child of v) {
        if (child !== null && typeof child === 'object' && !Array.isArray(child)) unstructured(o, level + 1, child, expr, skip);
        else o.w(level + 1, `${goValue(child)}\n`);
      }
    } else o.w(level, `${smartLabelFor(field)}:\t${goValue(v)}\n`);
  }
}

/** genericDescriber (custom resources and kinds without a describer of their own): every field, by smart labels. */
function describeGeneric(obj: Obj, events: Obj[] | undefined, now: number): string {
  const o = new Out(now);
  o.w(0, `Name:\t${obj.metadata?.name}\n`);
  o.w(0, `Namespace:\t${obj.metadata?.namespace ?? ''}\n`);
  labelsMultiline(o, 'Labels', obj.metadata?.labels);
  annotationsMultiline(o, 'Annotations', obj.metadata?.annotations);
  unstructured(o, 0, obj, '', [
    '.metadata.managedFields',
    '.metadata.name',
    '.metadata.namespace',
    '.metadata.labels',
    '.metadata.annotations',
  ]);
  describeEvents(o, events);
  return o.done();
}

function eventsFor(env: KubectlEnv, obj: KubeObject): Obj[] {
  const ns = obj.metadata.namespace ?? 'default';
  return env.client.list('events', ns).items.filter((e) => {
    const io = (e as Obj).involvedObject ?? {};
    return io.uid ? io.uid === obj.metadata.uid : io.kind === obj.kind && io.name === obj.metadata.name;
  });
}

export function describeObject(env: KubectlEnv, info: ResourceInfo, obj: KubeObject, showEvents = true): string {
  const now = env.client.now();
  const events = showEvents ? eventsFor(env, obj) : undefined;
  const ns = obj.metadata.namespace;
  switch (`${info.group}/${info.kind}`) {
    case '/Pod':
      return describePod(obj, events, now);
    case '/Service': {
      const slices = env.client.list('endpointslices', ns, { labelSelector: `kubernetes.io/service-name=${obj.metadata.name}` }).items;
      return describeService(obj, slices, events, now);
    }
    case '/Endpoints':
      return describeEndpoints(obj, events, now);
    case '/Node': {
      const pods = env.client.list('pods', undefined, { fieldSelector: `spec.nodeName=${obj.metadata.name}` }).items.filter((p) => {
        const phase = (p as Obj).status?.phase;
        return (p as Obj).spec?.nodeName === obj.metadata.name && phase !== 'Succeeded' && phase !== 'Failed';
      });
      let lease: KubeObject | undefined;
      try {
        lease = env.client.get('leases', 'kube-node-lease', obj.metadata.name!);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
      }
      return describeNode(
        obj,
        pods,
        lease,
        showEvents
          ? env.client
              .list('events', 'default')
              .items.filter((e) => (e as Obj).involvedObject?.kind === 'Node' && (e as Obj).involvedObject?.name === obj.metadata.name)
          : undefined,
        now,
      );
    }
    case 'apps/Deployment':
      return describeDeployment(obj, env.client.list('replicasets', ns).items, events, now);
    case '/ConfigMap':
      return describeConfigMap(obj, events, now);
    case '/Secret':
      return describeSecret(obj, now);
    case '/ServiceAccount':
      return describeServiceAccount(obj, events, now);
    case '/Namespace':
      return describeNamespace(
        obj,
        env.client.list('resourcequotas', obj.metadata.name).items,
        env.client.list('limitranges', obj.metadata.name).items,
        now,
      );
    case 'batch/Job':
      return describeJob(obj, events, now);
    case 'networking.k8s.io/NetworkPolicy':
      return describeNetworkPolicy(obj, now);
    case 'networking.k8s.io/Ingress':
      return describeIngress(
        obj,
        {
          service: (name) => env.client.get('services', ns, name),
          slices: (name) => env.client.list('endpointslices', ns, { labelSelector: `kubernetes.io/service-name=${name}` }).items,
        },
        events,
        now,
      );
    case 'networking.k8s.io/IngressClass':
      return describeIngressClass(obj, events, now);
    case 'discovery.k8s.io/EndpointSlice':
      return describeEndpointSlice(obj, events, now);
    case 'apps/ReplicaSet':
      return describeReplicaSet(obj, env.client.list('pods', ns).items, events, now);
    case 'apps/StatefulSet':
      return describeStatefulSet(obj, env.client.list('pods', ns).items, events, now);
    case 'apps/DaemonSet': {
      const selector = formatLabelSelector((obj.spec as Obj | undefined)?.selector);
      return describeDaemonSet(
        obj,
        selector === '<none>' ? [] : env.client.list('pods', ns, { labelSelector: selector }).items,
        events,
        now,
      );
    }
  }
  return describeGeneric(obj, events, now);
}

export async function describe(env: KubectlEnv, argv: readonly string[]): Promise<number> {
  const p = parseFlags(argv, [
    { name: 'selector', short: 'l', kind: 'string' },
    { name: 'all-namespaces', short: 'A', kind: 'bool' },
    { name: 'show-events', kind: 'bool' },
    { name: 'filename', short: 'f', kind: 'strings' },
    { name: 'recursive', short: 'R', kind: 'bool' },
    { name: 'chunk-size', kind: 'int' },
  ]);
  if (p.args.length === 0)
    throw new KubectlError(
      `You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.\n`,
    );
  const ns = namespaceOf(env, p.flags.namespace);
  const allNs = p.flags['all-namespaces'] === true;
  const sel = parseSelection(env.client, p.args);
  warnDeprecated(
    env,
    sel.map((x) => x.info),
  );
  const found: { info: ResourceInfo; obj: KubeObject }[] = [];
  let notFound: ApiError | undefined;
  for (const { info, names } of sel) {
    const scope = info.namespaced ? (allNs ? undefined : ns) : undefined;
    if (names.length === 0) {
      for (const obj of env.client.list(info.resource, scope, { labelSelector: p.flags.selector as string | undefined }).items)
        found.push({ info, obj });
      continue;
    }
    for (const name of names) {
      try {
        found.push({ info, obj: env.client.get(info.resource, scope, name) });
      } catch (e) {
        if (!(e instanceof ApiError && e.reason === 'NotFound')) throw e;
        notFound ??= e;
      }
    }
  }
  // describe.go: events only for a single object unless --show-events says otherwise.
  const showEvents = p.changed.has('show-events') ? p.flags['show-events'] === true : !notFound && found.length <= 1;
  if (notFound && p.args.length === 2 && !p.args[0]!.includes('/')) {
    // DescribeMatchingResources: TYPE NAME_PREFIX describes every object the prefix matches.
    const { info } = sel[0]!;
    const prefix = p.args[1]!;
    const matches = env.client
      .list(info.resource, info.namespaced ? ns : undefined)
      .items.filter((o) => o.metadata.name?.startsWith(prefix));
    if (matches.length === 0) throw notFound;
    for (const obj of matches)
      env.io.stdout(`${describeObject(env, info, obj, p.changed.has('show-events') && p.flags['show-events'] === true)}\n`);
    return 0;
  }
  env.io.stdout(found.map((f) => describeObject(env, f.info, f.obj, showEvents)).join('\n\n'));
  if (notFound) {
    env.io.stderr(errorText(notFound));
    return 1;
  }
  if (found.length === 0) env.io.stderr(allNs ? 'No resources found\n' : `No resources found in ${ns} namespace.\n`);
  return 0;
}
