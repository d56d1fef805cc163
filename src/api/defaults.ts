// Defaulting as the API server does it on create and update (k8s.io/kubernetes pkg/apis/*/v1
// SetDefaults_*, the pod strategy's PrepareForCreate, the ServiceAccount and DefaultTolerationSeconds
// admission plugins), so `kubectl get -o yaml` shows what a cluster shows.
import type { AdmissionContext, AdmissionPlugin } from './store.js';
import type { KubeObject } from './types.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** pkg/apis/core/v1 SetDefaults_Container: `latest` or no tag pulls Always. */
function pullPolicy(image: string | undefined): string {
  if (!image) return 'IfNotPresent';
  if (image.includes('@')) return 'IfNotPresent';
  const last = image.slice(image.lastIndexOf('/') + 1);
  const tag = last.includes(':') ? last.slice(last.indexOf(':') + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

/** An empty object where defaulting sets one (`resources: {}`, `securityContext: {}`): frozen, as stored objects are, and shared. */
const EMPTY: Obj = Object.freeze({});

export function defaultContainer(c: Obj): void {
  c.imagePullPolicy ??= pullPolicy(c.image);
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.resources ??= EMPTY;
  if (c.ports) for (const p of c.ports as Obj[]) p.protocol ??= 'TCP';
  if (c.env)
    for (const e of c.env as Obj[]) {
      const f = e.valueFrom?.fieldRef;
      if (f) f.apiVersion ??= 'v1';
    }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
}

function defaultProbe(probe: Obj | undefined): void {
  if (!probe) return;
  probe.timeoutSeconds ??= 1;
  probe.periodSeconds ??= 10;
  probe.successThreshold ??= 1;
  probe.failureThreshold ??= 3;
  if (probe.httpGet) probe.httpGet.scheme ??= 'HTTP';
}

/**
 * encoding/json's omitempty on a plain (non-pointer) Go field: its zero value is not written, so the
 * API server stores no `hostNetwork: false` or `readOnly: false` however the manifest spelled it.
 * Pointer fields (`privileged`, `automountServiceAccountToken`, `optional`...) keep their `false`.
 */
function omitZero(o: Obj | undefined, fields: readonly string[]): void {
  if (!o) return;
  for (const f of fields) if (o[f] === false || o[f] === 0) delete o[f];
}

/** core/v1 PodSpec, Container, ContainerPort, VolumeMount and volume sources: their plain bool/int32 omitempty fields. */
function omitPodSpecZeroes(spec: Obj): void {
  omitZero(spec, POD_SPEC_ZEROES);
  // indexed loops over each list, not a spread of the three: admission runs this for every pod
  for (const k of CONTAINER_LISTS) {
    const list: Obj[] | undefined = spec[k];
    if (list)
      for (let i = 0; i < list.length; i++) {
        const c = list[i]!;
        omitZero(c, CONTAINER_ZEROES);
        const ports: Obj[] | undefined = c.ports;
        if (ports) for (let j = 0; j < ports.length; j++) omitZero(ports[j], HOST_PORT);
        const mounts: Obj[] | undefined = c.volumeMounts;
        if (mounts) for (let j = 0; j < mounts.length; j++) omitZero(mounts[j], READ_ONLY);
      }
  }
  const volumes: Obj[] | undefined = spec.volumes;
  if (volumes) for (let i = 0; i < volumes.length; i++) omitZero(volumes[i]!.persistentVolumeClaim ?? volumes[i]!.nfs, READ_ONLY);
}

const POD_SPEC_ZEROES = ['hostNetwork', 'hostPID', 'hostIPC'] as const;
const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;
const CONTAINER_ZEROES = ['stdin', 'stdinOnce', 'tty'] as const;
const HOST_PORT = ['hostPort'] as const;
const READ_ONLY = ['readOnly'] as const;

/** SetDefaults_PodSpec (shared by pods and pod templates). */
export function defaultPodSpec(spec: Obj): void {
  omitPodSpecZeroes(spec);
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.restartPolicy ??= 'Always';
  spec.schedulerName ??= 'default-scheduler';
  spec.securityContext ??= EMPTY;
  spec.terminationGracePeriodSeconds ??= 30;
  if (spec.hostNetwork) for (const c of spec.containers ?? []) for (const p of c.ports ?? []) p.hostPort ??= p.containerPort;
  if (spec.initContainers) for (const c of spec.initContainers as Obj[]) defaultContainer(c);
  if (spec.containers) for (const c of spec.containers as Obj[]) defaultContainer(c);
  if (spec.volumes)
    for (const v of spec.volumes as Obj[]) {
      if (v.configMap) v.configMap.defaultMode ??= 420;
      if (v.secret) v.secret.defaultMode ??= 420;
      if (v.hostPath) v.hostPath.type ??= '';
      if (v.projected) v.projected.defaultMode ??= 420;
    }
}

function defaultTemplate(spec: Obj): void {
  spec.template ??= {};
  spec.template.metadata ??= {};
  spec.template.spec ??= {};
  defaultPodSpec(spec.template.spec);
}

/** qos.GetPodQOS: Guaranteed when every container limits cpu and memory equal to its requests. */
export function qosClass(spec: Obj): string {
  let any = false;
  let guaranteed = true;
  for (const c of spec.containers ?? []) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ['cpu', 'memory'])
      if (lim[r] === undefined || (req[r] !== undefined && String(req[r]) !== String(lim[r]))) guaranteed = false;
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

const TOKEN_MOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

// What admission adds to every pod, the same for all: shared (stored objects are frozen), not copied per pod.
const deepFreeze = <T>(o: T): T => {
  if (o && typeof o === 'object') for (const v of Object.values(Object.freeze(o))) deepFreeze(v);
  return o;
};
const TOKEN_SOURCES = deepFreeze([
  { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
  { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
  { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
]);
const TOKEN_PROJECTION = deepFreeze({ defaultMode: 420, sources: TOKEN_SOURCES });
const DEFAULT_TOLERATIONS: Record<string, Obj> = deepFreeze({
  'node.kubernetes.io/not-ready': { effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists', tolerationSeconds: 300 },
  'node.kubernetes.io/unreachable': {
    effect: 'NoExecute',
    key: 'node.kubernetes.io/unreachable',
    operator: 'Exists',
    tolerationSeconds: 300,
  },
});

/** scheduling/v1's system classes (SystemCriticalPriority = 2000000000). */
const SYSTEM_PRIORITY: Readonly<Record<string, number>> = { 'system-cluster-critical': 2000000000, 'system-node-critical': 2000001000 };

function podAdmit(op: string, o: KubeObject, suffix: () => string): void {
  const pod = o as Obj;
  pod.spec ??= {};
  const spec = pod.spec;
  defaultPodSpec(spec);
  if (op !== 'CREATE') return;
  spec.enableServiceLinks ??= true;
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
  // Priority admission: the built-in classes' values (other PriorityClass objects are not looked up)
  spec.priority ??= SYSTEM_PRIORITY[spec.priorityClassName] ?? 0;
  // ServiceAccount admission leaves a mirror pod's spec alone (the kubelet would find it changed)
  if (pod.metadata?.annotations?.['kubernetes.io/config.mirror'] !== undefined) {
    pod.status = { phase: 'Pending', qosClass: qosClass(spec) };
    return;
  }
  // ServiceAccount admission: the default account and its projected token volume.
  spec.serviceAccountName ??= spec.serviceAccount ?? 'default';
  spec.serviceAccount = spec.serviceAccountName;
  if (spec.automountServiceAccountToken !== false && !(spec.volumes ?? []).some((v: Obj) => v.name?.startsWith('kube-api-access-'))) {
    const name = `kube-api-access-${suffix()}`;
    spec.volumes = [...(spec.volumes ?? []), { name, projected: TOKEN_PROJECTION }];
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
      if ((c.volumeMounts ?? []).some((m: Obj) => m.mountPath === TOKEN_MOUNT)) continue;
      c.volumeMounts = [...(c.volumeMounts ?? []), { mountPath: TOKEN_MOUNT, name, readOnly: true }];
    }
  }
  // DefaultTolerationSeconds admission: an empty key (with Exists) tolerates every taint already.
  // (a template's list, shared by its pods and frozen, is copied before it grows)
  let tol: Obj[] = (spec.tolerations ??= []);
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    if (tol.some((t) => (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect))) continue;
    if (Object.isFrozen(tol)) spec.tolerations = tol = [...tol];
    tol.push(DEFAULT_TOLERATIONS[key]!);
  }
  pod.status = { phase: 'Pending', qosClass: qosClass(spec) };
}

function serviceDefaults(o: KubeObject): void {
  const spec = ((o as Obj).spec ??= {});
  omitZero(spec, ['publishNotReadyAddresses']);
  spec.type ??= 'ClusterIP';
  if (spec.type !== 'ExternalName') {
    spec.sessionAffinity ??= 'None';
    spec.internalTrafficPolicy ??= 'Cluster';
  }
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') spec.externalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
  for (const p of spec.ports ?? []) {
    p.protocol ??= 'TCP';
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  if (spec.sessionAffinity === 'ClientIP') spec.sessionAffinityConfig ??= { clientIP: { timeoutSeconds: 10800 } };
  (o as Obj).status ??= { loadBalancer: {} };
}

function percentOr(v: unknown, d: string | number) {
  return v === undefined ? d : v;
}

/**
 * The class marked default by one of `keys` (= "true"): the newest, ties to the first name, as the
 * DefaultStorageClass and DefaultIngressClass admission plugins pick one among several.
 */
function defaultClass(ctx: AdmissionContext, resource: string, keys: readonly string[]): string | undefined {
  let best: Obj | undefined;
  for (const c of ctx.store.list(resource).items as Obj[]) {
    const a = c.metadata?.annotations ?? {};
    if (!keys.some((k) => a[k] === 'true')) continue;
    const [t, bt] = [String(c.metadata.creationTimestamp), String(best?.metadata.creationTimestamp)];
    if (!best || t > bt || (t === bt && c.metadata.name < best.metadata.name)) best = c;
  }
  return best?.metadata.name;
}

/**
 * DefaultStorageClass admission: a claim naming no class gets the default one, as kind's
 * `standard`. An explicit `storageClassName: ""` asks for none.
 */
function defaultStorageClass(pvc: Obj, ctx: AdmissionContext): void {
  if (pvc.spec.storageClassName !== undefined || pvc.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] !== undefined)
    return;
  const name = defaultClass(ctx, 'storageclasses', [
    'storageclass.kubernetes.io/is-default-class',
    'storageclass.beta.kubernetes.io/is-default-class',
  ]);
  if (name !== undefined) pvc.spec.storageClassName = name;
}

/** DefaultIngressClass admission: an Ingress naming no class (field or legacy annotation) gets the default one. */
function defaultIngressClass(ing: Obj, ctx: AdmissionContext): void {
  if (ing.spec?.ingressClassName != null || ing.metadata?.annotations?.['kubernetes.io/ingress.class'] !== undefined) return;
  const name = defaultClass(ctx, 'ingressclasses', ['ingressclass.kubernetes.io/is-default-class']);
  if (name !== undefined) (ing.spec ??= {}).ingressClassName = name;
}

// autoscaling/v2 defaults.go: the rules a behavior's unset scaling fields take (scale-down's
// stabilization window is left unset: the controller's flag decides it).
const SCALE_UP = deepFreeze({
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
});
const SCALE_DOWN = deepFreeze({ selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] });
const scalingRules = (given: Obj | undefined, d: Obj): Obj => {
  const out: Obj = structuredClone(d);
  for (const k of ['selectPolicy', 'stabilizationWindowSeconds', 'policies', 'tolerance']) if (given?.[k] != null) out[k] = given[k];
  return out;
};

/** SetDefaults_HorizontalPodAutoscaler: one replica at least, 80% average CPU when no metric is given. */
function hpaDefaults(op: string, hpa: Obj): void {
  const spec = (hpa.spec ??= {});
  spec.minReplicas ??= 1;
  if (!spec.metrics?.length)
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
  if (spec.behavior) {
    spec.behavior.scaleUp = scalingRules(spec.behavior.scaleUp, SCALE_UP);
    spec.behavior.scaleDown = scalingRules(spec.behavior.scaleDown, SCALE_DOWN);
  }
  // The strategy's PrepareForCreate empties status; desiredReplicas is not omitempty.
  if (op === 'CREATE') hpa.status = { desiredReplicas: 0 };
}

/** The defaulting plugins, one per resource. `suffix` gives apimachinery rand.String(5) from the store's rng. */
export function defaulting(suffix: () => string): AdmissionPlugin[] {
  return [
    { resource: 'pods', admit: (op, o) => podAdmit(op, o, suffix) },
    { resource: 'services', admit: (_op, o) => serviceDefaults(o) },
    { resource: 'nodes', admit: (_op, o) => omitZero((o as Obj).spec, ['unschedulable']) },
    {
      resource: 'deployments',
      admit: (_op, o) => {
        const spec = ((o as Obj).spec ??= {});
        omitZero(spec, ['paused']);
        spec.replicas ??= 1;
        spec.revisionHistoryLimit ??= 10;
        spec.progressDeadlineSeconds ??= 600;
        spec.strategy ??= {};
        spec.strategy.type ??= 'RollingUpdate';
        if (spec.strategy.type === 'RollingUpdate') {
          spec.strategy.rollingUpdate ??= {};
          spec.strategy.rollingUpdate.maxSurge = percentOr(spec.strategy.rollingUpdate.maxSurge, '25%');
          spec.strategy.rollingUpdate.maxUnavailable = percentOr(spec.strategy.rollingUpdate.maxUnavailable, '25%');
        }
        defaultTemplate(spec);
      },
    },
    {
      resource: 'replicasets',
      admit: (_op, o) => {
        const spec = ((o as Obj).spec ??= {});
        spec.replicas ??= 1;
        defaultTemplate(spec);
      },
    },
    {
      resource: 'daemonsets',
      admit: (_op, o) => {
        const spec = ((o as Obj).spec ??= {});
        spec.revisionHistoryLimit ??= 10;
        spec.updateStrategy ??= {};
        spec.updateStrategy.type ??= 'RollingUpdate';
        if (spec.updateStrategy.type === 'RollingUpdate') {
          spec.updateStrategy.rollingUpdate ??= {};
          spec.updateStrategy.rollingUpdate.maxUnavailable ??= 1;
          spec.updateStrategy.rollingUpdate.maxSurge ??= 0;
        }
        defaultTemplate(spec);
      },
    },
    {
      resource: 'statefulsets',
      admit: (_op, o) => {
        const spec = ((o as Obj).spec ??= {});
        spec.replicas ??= 1;
        spec.podManagementPolicy ??= 'OrderedReady';
        spec.revisionHistoryLimit ??= 10;
        spec.updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { partition: 0 } };
        spec.persistentVolumeClaimRetentionPolicy ??= { whenDeleted: 'Retain', whenScaled: 'Retain' };
        defaultTemplate(spec);
      },
    },
    {
      resource: 'jobs',
      admit: (op, o) => {
        const spec = ((o as Obj).spec ??= {});
        spec.parallelism ??= 1;
        spec.completions ??= 1;
        spec.backoffLimit ??= 6;
        spec.completionMode ??= 'NonIndexed';
        spec.suspend ??= false;
        spec.podReplacementPolicy ??= 'TerminatingOrFailed';
        defaultTemplate(spec);
        if (op === 'CREATE' && !spec.manualSelector && !spec.selector) {
          // The job strategy's generated selector on the job's uid, mirrored into the template labels.
          const uid = o.metadata.uid!;
          const name = o.metadata.name!;
          spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
          spec.template.metadata.labels = {
            'batch.kubernetes.io/controller-uid': uid,
            'batch.kubernetes.io/job-name': name,
            'controller-uid': uid,
            'job-name': name,
            ...(spec.template.metadata.labels ?? {}),
          };
        }
      },
    },
    {
      // networking/v1 SetDefaults_NetworkPolicy (policyTypes: Ingress, and Egress with egress
      // rules) and SetDefaults_NetworkPolicyPort (protocol TCP), as `kubectl get -o yaml` shows.
      resource: 'networkpolicies',
      admit: (_op, o) => {
        const spec = ((o as Obj).spec ??= {});
        if (!spec.policyTypes?.length) spec.policyTypes = spec.egress?.length ? ['Ingress', 'Egress'] : ['Ingress'];
        for (const r of [...(spec.ingress ?? []), ...(spec.egress ?? [])] as Obj[])
          for (const p of (r.ports ?? []) as Obj[]) p.protocol ??= 'TCP';
      },
    },
    {
      resource: 'namespaces',
      admit: (op, o) => {
        const ns = o as Obj;
        ns.metadata.labels = { ...(ns.metadata.labels ?? {}), 'kubernetes.io/metadata.name': ns.metadata.name };
        if (op === 'CREATE') {
          ns.spec = { finalizers: ['kubernetes'], ...(ns.spec ?? {}) };
          ns.status = { phase: 'Active' };
        }
      },
    },
    {
      // SetDefaults_PersistentVolumeClaim(Spec); the strategy empties status, which reads back Pending.
      resource: 'persistentvolumeclaims',
      admit: (op, o, _old, ctx) => {
        const pvc = o as Obj;
        pvc.spec ??= {};
        pvc.spec.volumeMode ??= 'Filesystem';
        if (op === 'CREATE') {
          defaultStorageClass(pvc, ctx);
          pvc.status = { phase: 'Pending' };
        }
      },
    },
    {
      // SetDefaults_PersistentVolume; PrepareForCreate starts it Pending with the transition time.
      resource: 'persistentvolumes',
      admit: (op, o, _old, ctx) => {
        const pv = o as Obj;
        pv.spec ??= {};
        pv.spec.persistentVolumeReclaimPolicy ??= 'Retain';
        pv.spec.volumeMode ??= 'Filesystem';
        if (pv.spec.hostPath) pv.spec.hostPath.type ??= '';
        if (op === 'CREATE') pv.status = { phase: 'Pending', lastPhaseTransitionTime: ctx.store.timestamp() };
      },
    },
    {
      // batch/v1 SetDefaults_CronJob; the job template's pod spec is defaulted as a pod's.
      resource: 'cronjobs',
      admit: (op, o) => {
        const cj = o as Obj;
        const spec = (cj.spec ??= {});
        spec.concurrencyPolicy ??= 'Allow';
        spec.suspend ??= false;
        spec.successfulJobsHistoryLimit ??= 3;
        spec.failedJobsHistoryLimit ??= 1;
        spec.jobTemplate ??= {};
        spec.jobTemplate.metadata ??= {};
        spec.jobTemplate.spec ??= {};
        defaultTemplate(spec.jobTemplate.spec);
        if (op === 'CREATE') cj.status = {};
      },
    },
    { resource: 'horizontalpodautoscalers', admit: (op, o) => hpaDefaults(op, o as Obj) },
    {
      resource: 'ingresses',
      admit: (op, o, _old, ctx) => {
        if (op === 'CREATE') defaultIngressClass(o as Obj, ctx);
      },
    },
    {
      // networking/v1 SetDefaults_IngressClass: parameters without a scope are cluster-scoped.
      resource: 'ingressclasses',
      admit: (_op, o) => {
        const p = (o as Obj).spec?.parameters;
        if (p) p.scope ??= 'Cluster';
      },
    },
    {
      // apiregistration/v1 SetDefaults_ServiceReference; PrepareForCreate empties status.
      resource: 'apiservices',
      admit: (op, o) => {
        const svc = (o as Obj).spec?.service;
        if (svc) svc.port ??= 443;
        if (op === 'CREATE') (o as Obj).status = {};
      },
    },
    {
      // core/v1 SetDefaults_LimitRangeItem: a container's default limit from max, its default request from that or min.
      resource: 'limitranges',
      admit: (_op, o) => {
        for (const item of (o as Obj).spec?.limits ?? []) {
          if (item.type !== 'Container') continue;
          item.default = { ...(item.max ?? {}), ...(item.default ?? {}) };
          item.defaultRequest = { ...(item.min ?? {}), ...item.default, ...(item.defaultRequest ?? {}) };
          for (const k of ['default', 'defaultRequest']) if (Object.keys(item[k]).length === 0) delete item[k];
        }
      },
    },
    {
      resource: 'resourcequotas',
      admit: (op, o) => {
        if (op === 'CREATE') (o as Obj).status = {};
      },
    },
    {
      resource: 'secrets',
      admit: (_op, o) => {
        (o as Obj).type ??= 'Opaque';
      },
    },
    ...(['validatingwebhookconfigurations', 'mutatingwebhookconfigurations'] as const).map((resource) => ({
      // admissionregistration/v1 SetDefaults_ValidatingWebhook / SetDefaults_MutatingWebhook (reinvocationPolicy
      // Never), SetDefaults_Rule (scope `*`), SetDefaults_ServiceReference (port 443)
      resource,
      admit: (_op: string, o: KubeObject) => {
        for (const w of ((o as Obj).webhooks ?? []) as Obj[]) {
          w.failurePolicy ??= 'Fail';
          w.matchPolicy ??= 'Equivalent';
          w.namespaceSelector ??= {};
          w.objectSelector ??= {};
          w.timeoutSeconds ??= 10;
          if (resource === 'mutatingwebhookconfigurations') w.reinvocationPolicy ??= 'Never';
          for (const rule of (w.rules ?? []) as Obj[]) rule.scope ??= '*';
          if (w.clientConfig?.service) w.clientConfig.service.port ??= 443;
        }
      },
    })),
    {
      // admissionregistration/v1 SetDefaults_ValidatingAdmissionPolicySpec, SetDefaults_MatchResources,
      // SetDefaults_Rule (each resource rule's scope `*`); the strategy's PrepareForCreate empties status.
      resource: 'validatingadmissionpolicies',
      admit: (op, o) => {
        const spec = (o as Obj).spec;
        if (!spec) return;
        spec.failurePolicy ??= 'Fail';
        const match = spec.matchConstraints;
        if (match) {
          match.matchPolicy ??= 'Equivalent';
          match.namespaceSelector ??= {};
          match.objectSelector ??= {};
          for (const rule of [...(match.resourceRules ?? []), ...(match.excludeResourceRules ?? [])]) rule.scope ??= '*';
        }
        if (op === 'CREATE') (o as Obj).status = {};
      },
    },
  ];
}
