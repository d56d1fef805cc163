// `kubectl describe` for Pod, Service, Endpoints, Node, Deployment, ConfigMap, Job, DaemonSet and NetworkPolicy (Ingress,
// IngressClass and EndpointSlice in describe-network.ts; Secret, ServiceAccount, Namespace in describe-core.ts), as kubectl's
// pkg/describe/describe.go writes them: one tab writer (minwidth 0, padding 2) over lines indented
// two spaces per level, flushed before the Events table; objects separated by a blank line pair.

import { ApiError, type KubeObject, type ResourceInfo } from '../api/index.js';
import { humanDuration, since } from './duration.js';
import { type KubectlEnv, KubectlError, errorText, namespaceOf } from './env.js';
import { parseFlags } from './flags.js';
import { warnDeprecated } from './get.js';
import { clone, formatLabels, formatLabelSelector } from './labels.js';
import { parseSelection } from './resources.js';
import { annotationsMultiline, describeEvents, labelsMultiline, Out, rfc1123z, sliceEndpoints } from './describe-out.js';
import { describeNamespace, describeSecret, describeServiceAccount } from './describe-core.js';
import { describeEndpointSlice, describeIngress, describeIngressClass } from './describe-network.js';
import { nodeRoles, type Obj } from './tables.js';
import { formatQuantity, parseQuantity, type Quantity } from './quantity.js';
import { goValue } from './output.js';

function tolerationsMultiline(o: Out, title: string, tolerations: Obj[] | undefined): void {
  o.w(0, `${title}:\t`);
  const ts = [...(tolerations ?? [])].sort((a, b) => String(a.key ?? '').localeCompare(String(b.key ?? '')));
  if (ts.length === 0) return o.w(0, '<none>\n');
  ts.forEach((t, i) => {
    let s = i ? '\t' : '';
    s += t.key ?? '';
    if (t.value) s += `=${t.value}`;
    if (t.effect) s += `:${t.effect}`;
    if (t.operator === 'Exists' && !t.value) s += t.key || t.effect ? ' op=Exists' : 'op=Exists';
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) s += ` for ${t.tolerationSeconds}s`;
    o.w(0, `${s}\n`);
  });
}

function taintsMultiline(o: Out, taints: Obj[] | undefined): void {
  o.w(0, 'Taints:\t');
  const ts = [...(taints ?? [])].sort((a, b) => `${a.effect},${a.key}`.localeCompare(`${b.effect},${b.key}`));
  if (ts.length === 0) return o.w(0, '<none>\n');
  // Taint.ToString: key[=value]:effect
  ts.forEach((t, i) => o.w(0, `${i ? '\t' : ''}${t.key}${t.value ? `=${t.value}` : ''}${t.effect ? `:${t.effect}` : ''}\n`));
}

/** kubectl's DescribeProbe: the handler (url.URL's text for an httpGet) and the timing attributes. */
function describeProbe(p: Obj): string {
  const attrs = `delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 0}s period=${p.periodSeconds ?? 0}s #success=${p.successThreshold ?? 0} #failure=${p.failureThreshold ?? 0}`;
  if (p.exec) return `exec [${((p.exec.command ?? []) as unknown[]).join(' ')}] ${attrs}`;
  if (p.httpGet) {
    const h = p.httpGet as Obj;
    const port = h.port === undefined ? '' : String(h.port);
    const host = String(h.host ?? '');
    const hostPort = port ? `${host.includes(':') ? `[${host}]` : host}:${port}` : host;
    return `http-get ${String(h.scheme ?? '').toLowerCase()}://${hostPort}${String(h.path ?? '')} ${attrs}`;
  }
  if (p.tcpSocket) return `tcp-socket ${String(p.tcpSocket.host ?? '')}:${String(p.tcpSocket.port ?? '')} ${attrs}`;
  if (p.grpc) return `grpc <pod>:${p.grpc.port} ${String(p.grpc.service ?? '')} ${attrs}`;
  return `unknown ${attrs}`;
}

function describeContainers(o: Out, label: string, containers: Obj[], statuses: Obj[] | undefined, space: string): void {
  o.w(0, `${space}${label}:${containers.length === 0 ? ' <none>' : ''}\n`);
  const byName = new Map((statuses ?? []).map((s) => [s.name, s]));
  for (const c of containers) {
    const st = statuses ? byName.get(c.name) : undefined;
    o.w(1, `${space ? ' ' : ''}${c.name}:\n`);
    if (st) o.w(2, `Container ID:\t${st.containerID ?? ''}\n`);
    o.w(2, `Image:\t${c.image ?? ''}\n`);
    if (st) o.w(2, `Image ID:\t${st.imageID ?? ''}\n`);
    // describeContainerPorts / describeContainerHostPorts (kubectl v1.34+): a named port's name follows it
    const portList = (port: (p: Obj) => unknown) =>
      (c.ports ?? []).map((p: Obj) => `${port(p)}/${p.protocol ?? 'TCP'}${p.name ? ` (${p.name})` : ''}`).join(', ');
    const ports = portList((p) => p.containerPort);
    o.w(2, ports.includes(',') ? `Ports:\t${ports}\n` : `Port:\t${ports || '<none>'}\n`);
    const hostPorts = portList((p) => p.hostPort ?? 0);
    o.w(2, hostPorts.includes(',') ? `Host Ports:\t${hostPorts}\n` : `Host Port:\t${hostPorts || '<none>'}\n`);
    if (c.command?.length) {
      o.w(2, 'Command:\n');
      for (const x of c.command) for (const s of String(x).split('\n')) o.w(3, `${s}\n`);
    }
    if (c.args?.length) {
      o.w(2, 'Args:\n');
      for (const x of c.args) for (const s of String(x).split('\n')) o.w(3, `${s}\n`);
    }
    if (st) {
      containerState(o, 'State', st.state ?? {});
      if (st.lastState?.terminated) containerState(o, 'Last State', st.lastState);
      o.w(2, `Ready:\t${st.ready ? 'True' : 'False'}\n`);
      o.w(2, `Restart Count:\t${st.restartCount ?? 0}\n`);
    }
    for (const kind of ['limits', 'requests'] as const) {
      const r = c.resources?.[kind] ?? {};
      if (Object.keys(r).length) o.w(2, `${kind === 'limits' ? 'Limits' : 'Requests'}:\n`);
      for (const k of Object.keys(r).sort()) o.w(3, `${k}:\t${r[k]}\n`);
    }
    // describeContainerProbe
    for (const [label, probe] of [
      ['Liveness', c.livenessProbe],
      ['Readiness', c.readinessProbe],
      ['Startup', c.startupProbe],
    ] as const) {
      if (probe) o.w(2, `${label}:\t${describeProbe(probe as Obj)}\n`);
    }
    const env: Obj[] = c.env ?? [];
    o.w(2, `Environment:${env.length === 0 ? '\t<none>' : ''}\n`);
    for (const e of env) {
      if (e.valueFrom?.fieldRef) o.w(3, `${e.name}:\t (${e.valueFrom.fieldRef.apiVersion ?? 'v1'}:${e.valueFrom.fieldRef.fieldPath})\n`);
      else if (e.valueFrom?.secretKeyRef)
        o.w(
          3,
          `${e.name}:\t<set to the key '${e.valueFrom.secretKeyRef.key}' in secret '${e.valueFrom.secretKeyRef.name}'>\tOptional: ${Boolean(e.valueFrom.secretKeyRef.optional)}\n`,
        );
      else if (e.valueFrom?.configMapKeyRef)
        o.w(
          3,
          `${e.name}:\t<set to the key '${e.valueFrom.configMapKeyRef.key}' of config map '${e.valueFrom.configMapKeyRef.name}'>\tOptional: ${Boolean(e.valueFrom.configMapKeyRef.optional)}\n`,
        );
      else
        String(e.value ?? '')
          .split('\n')
          .forEach((s, i) => o.w(3, i === 0 ? `${e.name}:\t${s}\n` : `\t${s}\n`));
    }
    const mounts: Obj[] = [...(c.volumeMounts ?? [])].sort((a, b) => String(a.mountPath).localeCompare(String(b.mountPath)));
    o.w(2, `Mounts:${mounts.length === 0 ? '\t<none>' : ''}\n`);
    for (const m of mounts)
      o.w(3, `${m.mountPath} from ${m.name} (${[m.readOnly ? 'ro' : 'rw', ...(m.subPath ? [`path="${m.subPath}"`] : [])].join(',')})\n`);
  }
}

function containerState(o: Out, name: string, state: Obj): void {
  if (state.running) {
    o.w(2, `${name}:\tRunning\n`);
    o.w(3, `Started:\t${rfc1123z(state.running.startedAt)}\n`);
  } else if (state.waiting) {
    o.w(2, `${name}:\tWaiting\n`);
    if (state.waiting.reason) o.w(3, `Reason:\t${state.waiting.reason}\n`);
  } else if (state.terminated) {
    const t = state.terminated;
    o.w(2, `${name}:\tTerminated\n`);
    if (t.reason) o.w(3, `Reason:\t${t.reason}\n`);
    if (t.message) o.w(3, `Message:\t${t.message}\n`);
    o.w(3, `Exit Code:\t${t.exitCode ?? 0}\n`);
    if (t.signal > 0) o.w(3, `Signal:\t${t.signal}\n`);
    o.w(3, `Started:\t${rfc1123z(t.startedAt)}\n`);
    o.w(3, `Finished:\t${rfc1123z(t.finishedAt)}\n`);
  } else o.w(2, `${name}:\tWaiting\n`);
}

function describeVolumes(o: Out, volumes: Obj[] | undefined, space: string): void {
  if (!volumes?.length) return o.w(0, `${space}Volumes:\t<none>\n`);
  o.w(0, `${space}Volumes:\n`);
  for (const v of volumes) {
    o.w(1, `${space ? ' ' : ''}${v.name}:\n`);
    if (v.hostPath)
      o.w(
        2,
        `Type:\tHostPath (bare host directory volume)\n    Path:\t${v.hostPath.path}\n    HostPathType:\t${v.hostPath.type ?? '<none>'}\n`,
      );
    else if (v.emptyDir)
      o.w(
        2,
        `Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${v.emptyDir.medium ?? ''}\n    SizeLimit:\t${v.emptyDir.sizeLimit ?? '<unset>'}\n`,
      );
    else if (v.secret)
      o.w(
        2,
        `Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${v.secret.secretName}\n    Optional:\t${Boolean(v.secret.optional)}\n`,
      );
    else if (v.configMap)
      o.w(
        2,
        `Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${v.configMap.name}\n    Optional:\t${Boolean(v.configMap.optional)}\n`,
      );
    else if (v.projected) {
      o.w(2, 'Type:\tProjected (a volume that contains injected data from multiple sources)\n');
      for (const s of v.projected.sources ?? []) {
        if (s.secret) o.w(2, `SecretName:\t${s.secret.name}\n    Optional:\t${Boolean(s.secret.optional)}\n`);
        else if (s.downwardAPI) o.w(2, 'DownwardAPI:\ttrue\n');
        else if (s.configMap) o.w(2, `ConfigMapName:\t${s.configMap.name}\n    Optional:\t${Boolean(s.configMap.optional)}\n`);
        else if (s.serviceAccountToken) o.w(2, `TokenExpirationSeconds:\t${s.serviceAccountToken.expirationSeconds}\n`);
      }
    } else if (v.persistentVolumeClaim)
      o.w(
        2,
        `Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t${v.persistentVolumeClaim.claimName}\n    ReadOnly:\t${Boolean(v.persistentVolumeClaim.readOnly)}\n`,
      );
    else o.w(1, '<unknown>\n');
  }
}

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

export function describePodTemplate(o: Out, t: Obj | undefined): void {
  o.w(0, 'Pod Template:\n');
  if (!t) return o.w(1, '<unset>');
  labelsMultiline(o, '  Labels', t.metadata?.labels);
  if (Object.keys(t.metadata?.annotations ?? {}).length) annotationsMultiline(o, '  Annotations', t.metadata.annotations);
  if (t.spec?.serviceAccountName) o.w(1, `Service Account:\t${t.spec.serviceAccountName}\n`);
  if (t.spec?.initContainers?.length) describeContainers(o, 'Init Containers', t.spec.initContainers, undefined, '  ');
  describeContainers(o, 'Containers', t.spec?.containers ?? [], undefined, '  ');
  describeVolumes(o, t.spec?.volumes, '  ');
  if (t.spec?.priorityClassName) o.w(1, `Priority Class Name:\t${t.spec.priorityClassName}\n`);
  labelsMultiline(o, '  Node-Selectors', t.spec?.nodeSelector);
  tolerationsMultiline(o, '  Tolerations', t.spec?.tolerations);
}

function describeDeployment(d: Obj, rss: Obj[], events: Obj[] | undefined, now: number): string {
  const o = new Out(now);
  const m = d.metadata ?? {};
  const spec = d.spec ?? {};
  const st = d.status ?? {};
  o.w(0, `Name:\t${m.name}\n`);
  o.w(0, `Namespace:\t${m.namespace}\n`);
  o.w(0, `CreationTimestamp:\t${rfc1123z(m.creationTimestamp)}\n`);
  labelsMultiline(o, 'Labels', m.labels);
  annotationsMultiline(o, 'Annotations', m.annotations);
  o.w(0, `Selector:\t${formatLabelSelector(spec.selector).replace('<none>', '')}\n`);
  o.w(
    0,
    `Replicas:\t${spec.replicas ?? 0} desired | ${st.updatedReplicas ?? 0} updated | ${st.replicas ?? 0} total | ${st.availableReplicas ?? 0} available | ${st.unavailableReplicas ?? 0} unavailable\n`,
  );
  o.w(0, `StrategyType:\t${spec.strategy?.type ?? ''}\n`);
  o.w(0, `MinReadySeconds:\t${spec.minReadySeconds ?? 0}\n`);
  const ru = spec.strategy?.rollingUpdate;
  if (ru) o.w(0, `RollingUpdateStrategy:\t${ru.maxUnavailable ?? ''} max unavailable, ${ru.maxSurge ?? ''} max surge\n`);
  describePodTemplate(o, spec.template);
  if (st.conditions?.length) {
    o.w(0, 'Conditions:\n  Type\tStatus\tReason\n');
    o.w(1, '----\t------\t------\n');
    for (const c of st.conditions) o.w(1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
  }
  // deploymentutil: the new ReplicaSet has the template of the Deployment (pod-template-hash aside).
  const owned = rss.filter((rs) => (rs.metadata?.ownerReferences ?? []).some((r: Obj) => r.uid === m.uid && r.controller));
  const hash = (rs: Obj) => rs.metadata?.labels?.['pod-template-hash'];
  const sameTemplate = (rs: Obj) => {
    const a = clone(rs.spec?.template ?? {});
    if (a.metadata?.labels) delete a.metadata.labels['pod-template-hash'];
    return JSON.stringify(sortDeep(a)) === JSON.stringify(sortDeep(spec.template ?? {}));
  };
  const newRS = owned
    .filter((rs) => sameTemplate(rs))
    .sort((a, b) => String(a.metadata?.creationTimestamp).localeCompare(String(b.metadata?.creationTimestamp)))[0];
  const oldRSs = owned.filter((rs) => rs !== newRS && ((rs.spec?.replicas ?? 0) > 0 || (rs.status?.replicas ?? 0) > 0));
  void hash;
  if (owned.length > 0) {
    const fmt = (l: Obj[]) =>
      l.map((rs) => `${rs.metadata?.name} (${rs.status?.replicas ?? 0}/${rs.spec?.replicas ?? 0} replicas created)`).join(', ') || '<none>';
    o.w(0, `OldReplicaSets:\t${fmt(oldRSs)}\n`);
    o.w(0, `NewReplicaSet:\t${fmt(newRS ? [newRS] : [])}\n`);
  }
  describeEvents(o, events);
  return o.done();
}

/** kubectl's describeJob: the spec's knobs, the run's times, the pods it counted, its template. */
function describeJob(job: Obj, events: Obj[] | undefined, now: number): string {
  const o = new Out(now);
  const m = job.metadata ?? {};
  const spec = job.spec ?? {};
  const st = job.status ?? {};
  o.w(0, `Name:\t${m.name}\n`);
  o.w(0, `Namespace:\t${m.namespace}\n`);
  o.w(0, `Selector:\t${formatLabelSelector(spec.selector).replace('<none>', '')}\n`);
  labelsMultiline(o, 'Labels', m.labels);
  annotationsMultiline(o, 'Annotations', m.annotations);
  const ctl = (m.ownerReferences ?? []).find((r: Obj) => r.controller);
  if (ctl) o.w(0, `Controlled By:\t${ctl.kind}/${ctl.name}\n`);
  if (spec.parallelism != null) o.w(0, `Parallelism:\t${spec.parallelism}\n`);
  o.w(0, `Completions:\t${spec.completions ?? '<unset>'}\n`);
  if (spec.completionMode != null) o.w(0, `Completion Mode:\t${spec.completionMode}\n`);
  if (spec.suspend != null) o.w(0, `Suspend:\t${spec.suspend}\n`);
  if (spec.backoffLimit != null) o.w(0, `Backoff Limit:\t${spec.backoffLimit}\n`);
  if (spec.ttlSecondsAfterFinished != null) o.w(0, `TTL Seconds After Finished:\t${spec.ttlSecondsAfterFinished}\n`);
  if (st.startTime) o.w(0, `Start Time:\t${rfc1123z(st.startTime)}\n`);
  if (st.completionTime) o.w(0, `Completed At:\t${rfc1123z(st.completionTime)}\n`);
  if (st.startTime && st.completionTime) o.w(0, `Duration:\t${humanDuration(Date.parse(st.completionTime) - Date.parse(st.startTime))}\n`);
  if (spec.activeDeadlineSeconds != null) o.w(0, `Active Deadline Seconds:\t${spec.activeDeadlineSeconds}s\n`);
  const ready = st.ready == null ? '' : ` (${st.ready} Ready)`;
  o.w(0, `Pods Statuses:\t${st.active ?? 0} Active${ready} / ${st.succeeded ?? 0} Succeeded / ${st.failed ?? 0} Failed\n`);
  if (spec.completionMode === 'Indexed') o.w(0, `Completed Indexes:\t${st.completedIndexes || '<none>'}\n`);
  describePodTemplate(o, spec.template);
  describeEvents(o, events);
  return o.done();
}

/** kubectl's describeDaemonSet; Pods Status counts the pods its selector matches by phase (getPodStatusForController). */
function describeDaemonSet(ds: Obj, pods: Obj[], events: Obj[] | undefined, now: number): string {
  const o = new Out(now);
  const m = ds.metadata ?? {};
  const st = ds.status ?? {};
  const phases = (phase: string) => pods.filter((p) => p.status?.phase === phase).length;
  o.w(0, `Name:\t${m.name}\n`);
  o.w(0, `Namespace:\t${m.namespace}\n`);
  o.w(0, `Selector:\t${formatLabelSelector(ds.spec?.selector).replace('<none>', '')}\n`);
  o.w(0, `Node-Selector:\t${formatLabels(ds.spec?.template?.spec?.nodeSelector)}\n`);
  labelsMultiline(o, 'Labels', m.labels);
  annotationsMultiline(o, 'Annotations', m.annotations);
  o.w(0, `Desired Number of Nodes Scheduled: ${st.desiredNumberScheduled ?? 0}\n`);
  o.w(0, `Current Number of Nodes Scheduled: ${st.currentNumberScheduled ?? 0}\n`);
  o.w(0, `Number of Nodes Scheduled with Up-to-date Pods: ${st.updatedNumberScheduled ?? 0}\n`);
  o.w(0, `Number of Nodes Scheduled with Available Pods: ${st.numberAvailable ?? 0}\n`);
  o.w(0, `Number of Nodes Misscheduled: ${st.numberMisscheduled ?? 0}\n`);
  o.w(
    0,
    `Pods Status:\t${phases('Running')} Running / ${phases('Pending')} Waiting / ${phases('Succeeded')} Succeeded / ${phases('Failed')} Failed\n`,
  );
  describePodTemplate(o, ds.spec?.template);
  describeEvents(o, events);
  return o.done();
}

function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortDeep((v as Obj)[k])]),
    );
  return v;
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
