// The built-in kinds real manifests carry besides workloads and services (ingress-nginx's IngressClass,
// metrics-server's APIService, charts' HPAs, CronJobs and claims, namespace quotas and limits): kubectl
// against the lab's own API server (its defaults and strict decoding) applies, lists and describes them
// as on a cluster. Tables as pkg/printers/internalversion/printers.go (and kube-aggregator's APIService
// table) build them; no controller acts on these objects, so their status stays as created.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startApiServer } from '../api/index.js';
import { EventQueue, Rng } from '../sim/index.js';
import * as F from './_fixtures.js';
import { kubectl } from './kubectl.js';
import { GetTablePrinter } from './output.js';
import { TABLES } from './tables.js';

const MANIFEST = `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
spec:
  controller: k8s.io/ingress-nginx
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
  maxReplicas: 5
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: hello
spec:
  schedule: "*/1 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: hello
            image: busybox:1.28
          restartPolicy: OnFailure
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 1Gi
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: pv1
spec:
  capacity:
    storage: 2048Mi
  accessModes: [ReadWriteOnce, ReadOnlyMany]
  hostPath:
    path: /data/pv1
---
apiVersion: v1
kind: LimitRange
metadata:
  name: limits
spec:
  limits:
  - type: Container
    max:
      cpu: "1"
---
apiVersion: v1
kind: ResourceQuota
metadata:
  name: quota
spec:
  hard:
    pods: "10"
---
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata:
  name: v1beta1.metrics.k8s.io
spec:
  service:
    name: metrics-server
    namespace: kube-system
  group: metrics.k8s.io
  version: v1beta1
  groupPriorityMinimum: 100
  versionPriority: 100
---
apiVersion: apps/v1
kind: ControllerRevision
metadata:
  name: web-5d8f7
  ownerReferences:
  - apiVersion: apps/v1
    kind: StatefulSet
    name: web
    uid: 0b7c7a9e-1111-4222-8333-444455556666
    controller: true
revision: 1
---
apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata:
  name: gvisor
handler: runsc
`;

function cluster() {
  const { store } = startApiServer({ clock: new EventQueue(), rng: new Rng(7) });
  // kind's default class (its "Installing StorageClass" step)
  store.create({
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    provisioner: 'rancher.io/local-path',
  } as never);
  return store;
}

async function k(store: ReturnType<typeof cluster>, cmd: string | string[], files: Record<string, string> = {}) {
  const r = { out: '', err: '' };
  const code = await kubectl(
    {
      client: store,
      io: {
        stdout: (t) => void (r.out += t),
        stderr: (t) => void (r.err += t),
        readFile: (p) => (p in files ? new TextEncoder().encode(files[p]) : undefined),
        readDir: () => undefined,
      },
    },
    typeof cmd === 'string' ? cmd.split(' ') : cmd,
  );
  return { code, ...r };
}

test('kubectl apply of a manifest with each kind creates them all, named as kubectl prints them', async () => {
  const store = cluster();
  assert.deepEqual(await k(store, 'apply -f m.yaml', { 'm.yaml': MANIFEST }), {
    code: 0,
    out:
      'ingressclass.networking.k8s.io/nginx created\n' +
      'horizontalpodautoscaler.autoscaling/web created\n' +
      'cronjob.batch/hello created\n' +
      'persistentvolumeclaim/data created\n' +
      'persistentvolume/pv1 created\n' +
      'limitrange/limits created\n' +
      'resourcequota/quota created\n' +
      'apiservice.apiregistration.k8s.io/v1beta1.metrics.k8s.io created\n' +
      'controllerrevision.apps/web-5d8f7 created\n' +
      'runtimeclass.node.k8s.io/gvisor created\n',
    err: '',
  });
  // Short names resolve; each kind prints its own table; nothing acts on them (the claim stays Pending).
  const got = await k(store, 'get ingressclass,hpa,cj,pvc,pv,limits,quota,apiservices,controllerrevisions,runtimeclasses');
  assert.equal(got.code, 0);
  assert.equal(
    got.out,
    `NAME                                   CONTROLLER             PARAMETERS   AGE
ingressclass.networking.k8s.io/nginx   k8s.io/ingress-nginx   <none>       0s

NAME                                      REFERENCE        TARGETS              MINPODS   MAXPODS   REPLICAS   AGE
horizontalpodautoscaler.autoscaling/web   Deployment/web   cpu: <unknown>/80%   1         5         0          0s

NAME                  SCHEDULE      TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE
cronjob.batch/hello   */1 * * * *   <none>     False     0        <none>          0s

NAME                         STATUS    VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE
persistentvolumeclaim/data   Pending                                      standard       <unset>                 0s

NAME                   CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS    CLAIM   STORAGECLASS   VOLUMEATTRIBUTESCLASS   REASON   AGE
persistentvolume/pv1   2Gi        RWO,ROX        Retain           Pending                          <unset>                          0s

NAME                CREATED AT
limitrange/limits   2026-01-01T00:00:00Z

NAME                  REQUEST   LIMIT   AGE
resourcequota/quota                     0s

NAME                                                       SERVICE                      AVAILABLE   AGE
apiservice.apiregistration.k8s.io/v1beta1.metrics.k8s.io   kube-system/metrics-server   Unknown     0s

NAME                                CONTROLLER             REVISION   AGE
controllerrevision.apps/web-5d8f7   statefulset.apps/web   1          0s

NAME                              HANDLER   AGE
runtimeclass.node.k8s.io/gvisor   runsc     0s
`,
  );
  // A second apply changes nothing.
  const again = await k(store, 'apply -f m.yaml', { 'm.yaml': MANIFEST });
  assert.equal(again.code, 0);
  assert.equal(again.out.split('\n').filter((l) => l.endsWith(' unchanged')).length, 10, again.out);
});

test('the API server defaults the new kinds as upstream does (pkg/apis/*/v1 defaults, the strategies, DefaultStorageClass)', async () => {
  const store = cluster();
  assert.equal((await k(store, 'apply -f m.yaml', { 'm.yaml': MANIFEST })).code, 0);
  const get = async (what: string, path: string) => (await k(store, `get ${what} -o jsonpath=${path}`)).out;
  // batch/v1 SetDefaults_CronJob, generation 1, the template's pod spec defaulted as a pod's
  assert.equal(
    await get(
      'cj hello',
      '{.spec.concurrencyPolicy},{.spec.suspend},{.spec.successfulJobsHistoryLimit},{.spec.failedJobsHistoryLimit},{.metadata.generation}',
    ),
    'Allow,false,3,1,1',
  );
  assert.equal(
    await get('cj hello', '{.spec.jobTemplate.spec.template.spec.dnsPolicy},{.spec.jobTemplate.spec.template.spec.restartPolicy}'),
    'ClusterFirst,OnFailure',
  );
  // autoscaling/v2: minReplicas 1 and the 80% CPU metric when none is given
  assert.equal(
    await get('hpa web', '{.spec.minReplicas},{.spec.metrics[0].resource.name},{.spec.metrics[0].resource.target.averageUtilization}'),
    '1,cpu,80',
  );
  // core/v1: a claim's volumeMode and phase; kind's default class named; a volume's reclaim policy
  assert.equal(await get('pvc data', '{.spec.volumeMode},{.status.phase},{.spec.storageClassName}'), 'Filesystem,Pending,standard');
  assert.equal(
    await get('pv pv1', '{.spec.persistentVolumeReclaimPolicy},{.spec.volumeMode},{.spec.hostPath.type}|{.status.phase}'),
    'Retain,Filesystem,|Pending',
  );
  // SetDefaults_LimitRangeItem: default limit from max, default request from the default limit
  assert.equal(await get('limits limits', '{.spec.limits[0].default.cpu},{.spec.limits[0].defaultRequest.cpu}'), '1,1');
  // apiregistration/v1 SetDefaults_ServiceReference
  assert.equal(await get('apiservice v1beta1.metrics.k8s.io', '{.spec.service.port}'), '443');
  // An explicit empty class asks for none: DefaultStorageClass leaves it.
  const none =
    'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: raw\nspec:\n  storageClassName: ""\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Gi\n';
  assert.equal((await k(store, 'apply -f c.yaml', { 'c.yaml': none })).code, 0);
  assert.equal(await get('pvc raw', '[{.spec.storageClassName}]'), '[]');
});

test('strict field validation refuses a misspelt field in a new kind, naming it, and the rest of the file still applies', async () => {
  const store = cluster();
  const typo = `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
spec:
  controler: k8s.io/ingress-nginx
---
apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata:
  name: gvisor
handler: runsc
`;
  assert.deepEqual(await k(store, 'apply -f t.yaml', { 't.yaml': typo }), {
    code: 1,
    out: 'runtimeclass.node.k8s.io/gvisor created\n',
    err: 'Error from server (BadRequest): error when creating "t.yaml": IngressClass in version "v1" cannot be handled as a IngressClass: strict decoding error: unknown field "spec.controler"\n',
  });
  assert.equal((await k(store, 'get ingressclass')).err, 'No resources found\n');
});

// kubernetes.io/examples/service/networking/vap-servicecidr-deny.yaml (website main, 2025), trimmed to one validation
const VAP_SERVICECIDR_DENY = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: "servicecidrs.deny"
spec:
  matchConstraints:
    resourceRules:
    - apiGroups:   ["networking.k8s.io"]
      apiVersions: ["v1"]
      operations:  ["CREATE", "UPDATE"]
      resources:   ["servicecidrs"]
  validations:
  - expression: "object.metadata.name == 'kubernetes'"
    message: "you can only create or update the default ServiceCIDR"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: "servicecidrs-deny-binding"
spec:
  policyName: "servicecidrs.deny"
  validationActions: [Deny,Audit]
---
apiVersion: v1
kind: PodTemplate
metadata:
  name: pt
template:
  spec:
    containers:
    - name: c
      image: nginx
`;

test('kubectl apply of a ValidatingAdmissionPolicy, its binding and a PodTemplate: served, and the policy defaulted as admissionregistration/v1 does', async () => {
  const store = cluster();
  const r = await k(store, 'apply -f vap.yaml', { 'vap.yaml': VAP_SERVICECIDR_DENY });
  assert.equal(r.err, '');
  assert.equal(
    r.out,
    `validatingadmissionpolicy.admissionregistration.k8s.io/servicecidrs.deny created
validatingadmissionpolicybinding.admissionregistration.k8s.io/servicecidrs-deny-binding created
podtemplate/pt created
`,
  );
  const spec = (await k(store, 'get validatingadmissionpolicy servicecidrs.deny -o jsonpath={.spec}')).out;
  const parsed = JSON.parse(spec);
  assert.equal(parsed.failurePolicy, 'Fail');
  assert.deepEqual(
    [parsed.matchConstraints.matchPolicy, parsed.matchConstraints.namespaceSelector, parsed.matchConstraints.objectSelector],
    ['Equivalent', {}, {}],
  );
  assert.equal(parsed.matchConstraints.resourceRules[0].scope, '*');
});

test('webhook configurations are defaulted as admissionregistration/v1 does: failurePolicy, matchPolicy, selectors, timeout, rule scope, service port', async () => {
  const store = cluster();
  // trimmed from ingress-nginx's deploy/static/provider/kind/deploy.yaml (controller-v1.15.1)
  const webhook = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: ingress-nginx-admission
webhooks:
- admissionReviewVersions:
  - v1
  clientConfig:
    service:
      name: ingress-nginx-controller-admission
      namespace: ingress-nginx
      path: /networking/v1/ingresses
  failurePolicy: Fail
  matchPolicy: Equivalent
  name: validate.nginx.ingress.kubernetes.io
  rules:
  - apiGroups:
    - networking.k8s.io
    apiVersions:
    - v1
    operations:
    - CREATE
    - UPDATE
    resources:
    - ingresses
  sideEffects: None
---
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata:
  name: m
webhooks:
- admissionReviewVersions: [v1]
  clientConfig:
    url: https://example.com/mutate
  name: m.example.com
  sideEffects: None
`;
  assert.equal((await k(store, 'apply -f w.yaml', { 'w.yaml': webhook })).code, 0);
  const v = JSON.parse((await k(store, 'get validatingwebhookconfiguration ingress-nginx-admission -o jsonpath={.webhooks[0]}')).out);
  assert.deepEqual(
    [
      v.failurePolicy,
      v.matchPolicy,
      v.namespaceSelector,
      v.objectSelector,
      v.timeoutSeconds,
      v.rules[0].scope,
      v.clientConfig.service.port,
    ],
    ['Fail', 'Equivalent', {}, {}, 10, '*', 443],
  );
  const m = JSON.parse((await k(store, 'get mutatingwebhookconfiguration m -o jsonpath={.webhooks[0]}')).out);
  assert.deepEqual([m.failurePolicy, m.reinvocationPolicy, m.timeoutSeconds], ['Fail', 'Never', 10]);
});

test('kubectl api-resources lists the new kinds where a cluster does: core by name, then groups in order', async () => {
  const store = cluster();
  const r = await k(store, 'api-resources');
  assert.equal(r.code, 0);
  const rows = r.out
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(/\s+/));
  const names = rows.map((x) => x[0]);
  const at = (n: string) => names.indexOf(n);
  for (const [a, b] of [
    ['events', 'limitranges'],
    ['limitranges', 'namespaces'],
    ['nodes', 'persistentvolumeclaims'],
    ['persistentvolumeclaims', 'persistentvolumes'],
    ['persistentvolumes', 'pods'],
    ['pods', 'podtemplates'],
    ['podtemplates', 'resourcequotas'],
    ['mutatingwebhookconfigurations', 'validatingadmissionpolicies'],
    ['validatingadmissionpolicies', 'validatingadmissionpolicybindings'],
    ['validatingadmissionpolicybindings', 'validatingwebhookconfigurations'],
    ['resourcequotas', 'secrets'],
    ['customresourcedefinitions', 'apiservices'],
    ['apiservices', 'controllerrevisions'],
    ['controllerrevisions', 'daemonsets'],
    ['statefulsets', 'horizontalpodautoscalers'],
    ['horizontalpodautoscalers', 'cronjobs'],
    ['cronjobs', 'jobs'],
    ['endpointslices', 'ingressclasses'],
    ['ingressclasses', 'ingresses'],
    ['ingresses', 'ipaddresses'],
    ['ipaddresses', 'networkpolicies'],
    ['networkpolicies', 'servicecidrs'],
    ['servicecidrs', 'runtimeclasses'],
    ['runtimeclasses', 'poddisruptionbudgets'],
  ])
    assert.ok(at(a!) >= 0 && at(a!) + 1 === at(b!), `${a} right before ${b}: ${names.join(' ')}`);
  const row = (n: string) => rows.find((x) => x[0] === n)!.join(' ');
  assert.equal(row('horizontalpodautoscalers'), 'horizontalpodautoscalers hpa autoscaling/v2 true HorizontalPodAutoscaler');
  assert.equal(row('cronjobs'), 'cronjobs cj batch/v1 true CronJob');
  assert.equal(row('persistentvolumeclaims'), 'persistentvolumeclaims pvc v1 true PersistentVolumeClaim');
  assert.equal(row('persistentvolumes'), 'persistentvolumes pv v1 false PersistentVolume');
  assert.equal(row('limitranges'), 'limitranges limits v1 true LimitRange');
  assert.equal(row('resourcequotas'), 'resourcequotas quota v1 true ResourceQuota');
  assert.equal(row('ingressclasses'), 'ingressclasses networking.k8s.io/v1 false IngressClass');
  assert.equal(row('apiservices'), 'apiservices apiregistration.k8s.io/v1 false APIService');
  assert.equal(row('runtimeclasses'), 'runtimeclasses node.k8s.io/v1 false RuntimeClass');
});

// Tables of objects in states only a controller (absent here) or another client would put them in.
const base = { now: F.NOW, wide: false, withNamespace: false, withKind: undefined, showLabels: false, noHeaders: false, labelColumns: [] };
const meta = (name: string, seconds: number, extra: F.Obj = {}) => ({ name, creationTimestamp: F.ago(seconds), ...extra });

const cases: [string, string, F.Obj[], Record<string, unknown>, string][] = [
  [
    'hpa: current metrics from status, <auto> without a utilization target, two metrics then "+ N more..."',
    'autoscaling/HorizontalPodAutoscaler',
    [
      {
        metadata: meta('web', 600),
        spec: {
          scaleTargetRef: { kind: 'Deployment', name: 'web' },
          minReplicas: 2,
          maxReplicas: 10,
          metrics: [
            { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
            { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '512Mi' } } },
            { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '1k' } } },
          ],
        },
        status: {
          currentReplicas: 3,
          currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 37, averageValue: '37m' } } }],
        },
      },
      {
        metadata: meta('api', 30),
        spec: {
          scaleTargetRef: { kind: 'StatefulSet', name: 'api' },
          maxReplicas: 3,
          metrics: [{ type: 'External', external: { metric: { name: 'queue' }, target: { type: 'Value', value: '30' } } }],
        },
      },
    ],
    {},
    `NAME   REFERENCE         TARGETS                                             MINPODS   MAXPODS   REPLICAS   AGE
web    Deployment/web    cpu: 37%/50%, memory: <unknown>/512Mi + 1 more...   2         10        3          10m
api    StatefulSet/api   <unknown>/30                                        <unset>   3         0          30s
`,
  ],
  [
    'pvc bound: volume, capacity and access modes from status; a class from the beta annotation; Terminating',
    '/PersistentVolumeClaim',
    [
      {
        metadata: meta('data', 120),
        spec: { volumeName: 'pvc-1', storageClassName: 'standard', volumeMode: 'Filesystem' },
        status: { phase: 'Bound', capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOncePod', 'ReadWriteOnce'] },
      },
      {
        metadata: meta('old', 7200, {
          deletionTimestamp: F.ago(5),
          annotations: { 'volume.beta.kubernetes.io/storage-class': 'slow' },
        }),
        spec: { storageClassName: 'fast', volumeAttributesClassName: 'gold' },
        status: { phase: 'Pending' },
      },
    ],
    { wide: true },
    `NAME   STATUS        VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE    VOLUMEMODE
data   Bound         pvc-1    1Gi        RWO,RWOP       standard       <unset>                 2m     Filesystem
old    Terminating                                      slow           gold                    120m   <unset>
`,
  ],
  [
    'pv bound to a claim, Released with a reason',
    '/PersistentVolume',
    [
      {
        metadata: meta('pvc-1', 120),
        spec: {
          capacity: { storage: '1Gi' },
          accessModes: ['ReadWriteOnce'],
          persistentVolumeReclaimPolicy: 'Delete',
          claimRef: { namespace: 'default', name: 'data' },
          storageClassName: 'standard',
        },
        status: { phase: 'Bound' },
      },
      { metadata: meta('gone', 90000), spec: { persistentVolumeReclaimPolicy: 'Retain' }, status: { phase: 'Released', reason: 'Gone' } },
    ],
    {},
    `NAME    CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS     CLAIM          STORAGECLASS   VOLUMEATTRIBUTESCLASS   REASON   AGE
pvc-1   1Gi        RWO            Delete           Bound      default/data   standard       <unset>                          2m
gone    0                         Retain           Released                                 <unset>                 Gone     25h
`,
  ],
  [
    'resourcequota with status: requests and counts under REQUEST, limits.* under LIMIT, by name',
    '/ResourceQuota',
    [
      {
        metadata: meta('compute', 60),
        status: {
          hard: { 'limits.memory': '8Gi', pods: '10', 'requests.cpu': '4', 'limits.cpu': '8' },
          used: { pods: '3', 'requests.cpu': '1500m', 'limits.memory': '1024Mi' },
        },
      },
    ],
    {},
    `NAME      REQUEST                             LIMIT                                     AGE
compute   pods: 3/10, requests.cpu: 1500m/4   limits.cpu: 0/8, limits.memory: 1Gi/8Gi   60s
`,
  ],
  [
    'cronjob suspended, with active jobs, a time zone and a last schedule; -o wide',
    'batch/CronJob',
    [
      {
        metadata: meta('nightly', 86400 * 3),
        spec: {
          schedule: '0 3 * * *',
          timeZone: 'Etc/UTC',
          suspend: true,
          jobTemplate: {
            spec: {
              template: {
                spec: {
                  containers: [
                    { name: 'a', image: 'x:1' },
                    { name: 'b', image: 'y:2' },
                  ],
                },
              },
            },
          },
        },
        status: { active: [{ name: 'nightly-1' }, { name: 'nightly-2' }], lastScheduleTime: F.ago(3600) },
      },
    ],
    { wide: true },
    `NAME      SCHEDULE    TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE   CONTAINERS   IMAGES    SELECTOR
nightly   0 3 * * *   Etc/UTC    True      2        60m             3d    a,b          x:1,y:2   <none>
`,
  ],
  [
    'apiservice: Local without a service, False with its reason, True',
    'apiregistration.k8s.io/APIService',
    [
      {
        metadata: meta('v1.apps', 600),
        spec: { group: 'apps', version: 'v1' },
        status: { conditions: [{ type: 'Available', status: 'True' }] },
      },
      {
        metadata: meta('v1beta1.metrics.k8s.io', 60),
        spec: { service: { namespace: 'kube-system', name: 'metrics-server' } },
        status: { conditions: [{ type: 'Available', status: 'False', reason: 'MissingEndpoints' }] },
      },
    ],
    {},
    `NAME                     SERVICE                      AVAILABLE                  AGE
v1.apps                  Local                        True                       10m
v1beta1.metrics.k8s.io   kube-system/metrics-server   False (MissingEndpoints)   60s
`,
  ],
  [
    'ingressclass: parameters as Kind.group/name',
    'networking.k8s.io/IngressClass',
    [
      {
        metadata: meta('alb', 60),
        spec: { controller: 'ingress.k8s.aws/alb', parameters: { apiGroup: 'elbv2.k8s.aws', kind: 'IngressClassParams', name: 'alb' } },
      },
    ],
    {},
    `NAME   CONTROLLER            PARAMETERS                             AGE
alb    ingress.k8s.aws/alb   IngressClassParams.elbv2.k8s.aws/alb   60s
`,
  ],
  [
    'controllerrevision: a core-group owner is kind/name; no controller is <none>',
    'apps/ControllerRevision',
    [
      { metadata: meta('a', 60, { ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'p', controller: true }] }), revision: 3 },
      { metadata: meta('b', 60, { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'ds' }] }), revision: 1 },
    ],
    {},
    `NAME   CONTROLLER   REVISION   AGE
a      pod/p        3          60s
b      <none>       1          60s
`,
  ],
];

// Kinds the lab served before without their printers (ingress-nginx's and charts' objects).
cases.push(
  [
    'ingress: class, hosts (three then "+ N more..." counting every rule), address clipped to 16, 80/443',
    'networking.k8s.io/Ingress',
    [
      {
        metadata: meta('web', 120),
        spec: {
          ingressClassName: 'nginx',
          rules: [{ host: 'a.example.com' }, {}, { host: 'b.example.com' }, { host: 'c.example.com' }, { host: 'd.example.com' }],
          tls: [{ hosts: ['a.example.com'] }],
        },
        status: { loadBalancer: { ingress: [{ ip: '172.18.0.3' }, { hostname: 'lb.example.com' }] } },
      },
      { metadata: meta('plain', 60), spec: { defaultBackend: { service: { name: 'web', port: { number: 80 } } } } },
    ],
    {},
    `NAME    CLASS    HOSTS                                                   ADDRESS            PORTS     AGE
web     nginx    a.example.com,b.example.com,c.example.com + 2 more...   172.18.0.3,lb...   80, 443   2m
plain   <none>   *                                                                          80        60s
`,
  ],
  [
    'pdb: min available or max unavailable as given, N/A for the other',
    'policy/PodDisruptionBudget',
    [
      { metadata: meta('a', 60), spec: { minAvailable: 2 }, status: { disruptionsAllowed: 1 } },
      { metadata: meta('b', 60), spec: { maxUnavailable: '25%' } },
    ],
    {},
    `NAME   MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE
a      2               N/A               1                     60s
b      N/A             25%               0                     60s
`,
  ],
  [
    'priorityclass -o wide: value, global default, preemption policy',
    'scheduling.k8s.io/PriorityClass',
    [{ metadata: meta('system-node-critical', 600), value: 2000001000, preemptionPolicy: 'PreemptLowerPriority' }],
    { wide: true },
    `NAME                   VALUE        GLOBAL-DEFAULT   AGE   PREEMPTIONPOLICY
system-node-critical   2000001000   false            10m   PreemptLowerPriority
`,
  ],
  [
    'clusterrolebinding -o wide: role, users, groups, service accounts as namespace/name',
    'rbac.authorization.k8s.io/ClusterRoleBinding',
    [
      {
        metadata: meta('ingress-nginx', 60),
        roleRef: { kind: 'ClusterRole', name: 'ingress-nginx' },
        subjects: [
          { kind: 'ServiceAccount', name: 'ingress-nginx', namespace: 'ingress-nginx' },
          { kind: 'Group', name: 'system:masters' },
          { kind: 'User', name: 'alice' },
          { kind: 'User', name: 'bob' },
        ],
      },
    ],
    { wide: true },
    `NAME            ROLE                        AGE   USERS        GROUPS           SERVICEACCOUNTS
ingress-nginx   ClusterRole/ingress-nginx   60s   alice, bob   system:masters   ingress-nginx/ingress-nginx
`,
  ],
  [
    // kubernetes.io/examples/service/networking/vap-servicecidr-deny.yaml (website main, 2025), and a policy with a param kind
    'validatingadmissionpolicy: the number of validations, the param kind as apiVersion/kind or <unset>',
    'admissionregistration.k8s.io/ValidatingAdmissionPolicy',
    [
      { metadata: meta('servicecidrs.deny', 60), spec: { validations: [{ expression: 'a' }, { expression: 'b' }] } },
      {
        metadata: meta('replicalimit-policy.example.com', 60),
        spec: { paramKind: { apiVersion: 'rules.example.com/v1', kind: 'ReplicaLimit' }, validations: [{ expression: 'c' }] },
      },
    ],
    {},
    `NAME                              VALIDATIONS   PARAMKIND                           AGE
servicecidrs.deny                 2             <unset>                             60s
replicalimit-policy.example.com   1             rules.example.com/v1/ReplicaLimit   60s
`,
  ],
  [
    'validatingadmissionpolicybinding: the policy, the param by namespace/name (*/ without namespace), selector or <unset>',
    'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
    [
      { metadata: meta('servicecidrs-deny-binding', 60), spec: { policyName: 'servicecidrs.deny', validationActions: ['Deny', 'Audit'] } },
      { metadata: meta('b1', 60), spec: { policyName: 'p', paramRef: { name: 'limit', namespace: 'default' } } },
      { metadata: meta('b2', 60), spec: { policyName: 'p', paramRef: { name: 'limit' } } },
      { metadata: meta('b3', 60), spec: { policyName: 'p', paramRef: { selector: { matchLabels: { env: 'test' } } } } },
    ],
    {},
    `NAME                        POLICYNAME          PARAMREF                                                                                                   AGE
servicecidrs-deny-binding   servicecidrs.deny   <unset>                                                                                                    60s
b1                          p                   default/limit                                                                                              60s
b2                          p                   */limit                                                                                                    60s
b3                          p                   &LabelSelector{MatchLabels:map[string]string{env: test,},MatchExpressions:[]LabelSelectorRequirement{},}   60s
`,
  ],
  [
    'podtemplate: containers, images and the pod labels',
    '/PodTemplate',
    [
      {
        metadata: meta('pt', 60),
        template: {
          metadata: { labels: { app: 'web', tier: 'front' } },
          spec: {
            containers: [
              { name: 'web', image: 'nginx' },
              { name: 'log', image: 'busybox' },
            ],
          },
        },
      },
    ],
    {},
    `NAME   CONTAINERS   IMAGES          POD LABELS
pt     web,log      nginx,busybox   app=web,tier=front
`,
  ],
  [
    'validatingwebhookconfiguration: the number of webhooks',
    'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
    [{ metadata: meta('ingress-nginx-admission', 60), webhooks: [{ name: 'validate.nginx.ingress.kubernetes.io' }] }],
    {},
    `NAME                      WEBHOOKS   AGE
ingress-nginx-admission   1          60s
`,
  ],
);

for (const [title, key, objs, opts, want] of cases) {
  test(`kubectl get ${title}`, () => {
    const p = new GetTablePrinter();
    p.print(key, TABLES[key]!, objs, { ...base, ...opts });
    assert.equal(p.flush(), want);
  });
}

test('kubectl create job --from=cronjob/NAME runs the job template once by hand: annotated manual, owned by the CronJob', async () => {
  const store = cluster();
  const cj = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: hello
spec:
  schedule: "0 * * * *"
  jobTemplate:
    metadata:
      labels:
        team: a
      annotations:
        note: x
    spec:
      backoffLimit: 2
      template:
        spec:
          containers:
          - name: hello
            image: busybox:1.28
          restartPolicy: OnFailure
`;
  assert.equal((await k(store, 'apply -f c.yaml', { 'c.yaml': cj })).code, 0);
  assert.deepEqual(await k(store, 'create job manual --from=cronjob/hello'), { code: 0, out: 'job.batch/manual created\n', err: '' });
  const job = store.get('jobs', 'default', 'manual') as F.Obj;
  const owner = store.get('cronjobs', 'default', 'hello') as F.Obj;
  assert.deepEqual(job.metadata.annotations, { 'cronjob.kubernetes.io/instantiate': 'manual', note: 'x' });
  assert.equal(job.metadata.labels.team, 'a');
  assert.deepEqual(job.metadata.ownerReferences, [
    { apiVersion: 'batch/v1', kind: 'CronJob', name: 'hello', uid: owner.metadata.uid, controller: true },
  ]);
  // The template's spec as the CronJob holds it, then defaulted as any Job (its generated selector).
  assert.equal(job.spec.backoffLimit, 2);
  assert.equal(job.spec.template.spec.containers[0].image, 'busybox:1.28');
  assert.deepEqual(job.spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': job.metadata.uid } });
  // kubectl's refusals
  assert.deepEqual(await k(store, 'create job x --from=cronjob/nope'), {
    code: 1,
    out: '',
    err: 'Error from server (NotFound): cronjobs.batch "nope" not found\n',
  });
  assert.deepEqual(await k(store, 'create job x --from=cronjob/hello --image=i'), {
    code: 1,
    out: '',
    err: 'error: either --image or --from must be specified\n',
  });
  assert.deepEqual(await k(store, 'create job x --from=cronjob/hello -- date'), {
    code: 1,
    out: '',
    err: 'error: cannot specify --from and command\n',
  });
  assert.deepEqual(await k(store, 'create job x --from=svc/kubernetes'), {
    code: 1,
    out: '',
    err: 'error: unknown object type *v1.Service\n',
  });
});

test('kubectl create cronjob builds what kubectl v1.32 prints (--dry-run=client, recorded with the real kubectl) and the server defaults it', async () => {
  const store = cluster();
  const cmd = (...extra: string[]) => ['create', 'cronjob', 'x', '--image=i', '--schedule=*/1 * * * *', ...extra];
  // kubectl create cronjob x --image=i --schedule='*/1 * * * *' --dry-run=client -o yaml (less creationTimestamp: null)
  assert.deepEqual(await k(store, cmd('--dry-run=client', '-o', 'yaml')), {
    code: 0,
    out: `apiVersion: batch/v1
kind: CronJob
metadata:
  name: x
spec:
  jobTemplate:
    metadata:
      name: x
    spec:
      template:
        metadata: {}
        spec:
          containers:
          - image: i
            name: x
            resources: {}
          restartPolicy: OnFailure
  schedule: '*/1 * * * *'
status: {}
`,
    err: '',
  });
  const never = JSON.parse((await k(store, cmd('--restart=Never', '--dry-run=client', '-o', 'json', '--', 'date', '-u'))).out);
  assert.deepEqual(never.spec.jobTemplate.spec.template.spec, {
    containers: [{ name: 'x', image: 'i', command: ['date', '-u'], resources: {} }],
    restartPolicy: 'Never',
  });
  assert.deepEqual(await k(store, cmd()), { code: 0, out: 'cronjob.batch/x created\n', err: '' });
  assert.equal((await k(store, 'get cj x -o jsonpath={.spec.concurrencyPolicy},{.spec.jobTemplate.metadata.name}')).out, 'Allow,x');
  assert.deepEqual(await k(store, ['create', 'cj', 'y', '--image=i']), {
    code: 1,
    out: '',
    err: 'error: required flag(s) "schedule" not set\n',
  });
});

test("the API server refuses an HPA's inverted replica bounds and a claim without access modes or storage, with its field errors", async () => {
  const store = cluster();
  const bad = `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: empty
spec:
  storageClassName: standard
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: bad
spec:
  scaleTargetRef:
    kind: Deployment
    name: web
  minReplicas: 5
  maxReplicas: 2
`;
  assert.deepEqual(await k(store, 'apply -f b.yaml', { 'b.yaml': bad }), {
    code: 1,
    out: '',
    err:
      'The PersistentVolumeClaim "empty" is invalid: \n' +
      '* spec.accessModes: Required value: at least 1 access mode is required\n' +
      '* spec.resources[storage]: Required value\n' +
      'The HorizontalPodAutoscaler "bad" is invalid: spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`\n',
  });
  assert.equal((await k(store, 'get pvc,hpa')).err, 'No resources found in default namespace.\n');
});

test("the API server refuses a CronJob schedule cron's parser refuses, with the parser's words (robfig/cron v3 ParseStandard)", async () => {
  const store = cluster();
  const cj = (name: string, schedule: string) =>
    `apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: ${name}\nspec:\n  schedule: ${JSON.stringify(schedule)}\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n          - name: c\n            image: busybox\n          restartPolicy: OnFailure\n`;
  const apply = async (schedule: string) => (await k(store, 'apply -f c.yaml', { 'c.yaml': cj('c', schedule) })).err;
  assert.equal(
    await apply('61 * * * *'),
    'The CronJob "c" is invalid: spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61\n',
  );
  assert.equal(
    await apply('every minute'),
    'The CronJob "c" is invalid: spec.schedule: Invalid value: "every minute": expected exactly 5 fields, found 2: [every minute]\n',
  );
  assert.equal(
    await apply('0 0 * * 7'),
    'The CronJob "c" is invalid: spec.schedule: Invalid value: "0 0 * * 7": end of range (7) above maximum (6): 7\n',
  );
  assert.equal(
    await apply('*/0 * * * *'),
    'The CronJob "c" is invalid: spec.schedule: Invalid value: "*/0 * * * *": step of range should be a positive number: */0\n',
  );
  assert.equal(
    await apply('CRON_TZ=UTC 0 0 * * *'),
    'The CronJob "c" is invalid: spec.schedule: Invalid value: "CRON_TZ=UTC 0 0 * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead\n',
  );
  assert.equal(
    await apply('@often'),
    'The CronJob "c" is invalid: spec.schedule: Invalid value: "@often": unrecognized descriptor: @often\n',
  );
  // Names, lists, ranges, steps and descriptors parse.
  for (const ok of ['0 9-17/2 * jan-mar mon-fri', '0,15,30,45 * * * *', '@hourly', '@every 1h30m', '? * * * *'])
    assert.equal(await apply(ok), '', ok);
});

test("a Job, and a CronJob's job template, must not restart Always: an omitted policy (the pod default) is reported required", async () => {
  const store = cluster();
  const job =
    'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n        image: busybox\n';
  assert.deepEqual(await k(store, 'apply -f j.yaml', { 'j.yaml': job }), {
    code: 1,
    out: '',
    err: 'The Job "j" is invalid: spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"\n',
  });
  const cj =
    'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: cj\nspec:\n  schedule: "@hourly"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n          - name: c\n            image: busybox\n          restartPolicy: Always\n';
  assert.equal(
    (await k(store, 'apply -f c.yaml', { 'c.yaml': cj })).err,
    'The CronJob "cj" is invalid: spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"\n',
  );
  assert.equal((await k(store, 'apply -f c.yaml', { 'c.yaml': cj.replace('Always', 'Never') })).out, 'cronjob.batch/cj created\n');
});

test('a CronJob name leaves room for the Job suffix: more than 52 characters is refused at create, after the spec errors', async () => {
  const store = cluster();
  const name = 'a'.repeat(53);
  const cj = `apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: ${name}\nspec:\n  schedule: "61 * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n          - name: c\n            image: busybox\n          restartPolicy: Never\n`;
  assert.equal(
    (await k(store, 'apply -f c.yaml', { 'c.yaml': cj })).err,
    `The CronJob "${name}" is invalid: \n* spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61\n* metadata.name: Invalid value: "${name}": must be no more than 52 characters\n`,
  );
  assert.equal(
    (await k(store, 'apply -f c.yaml', { 'c.yaml': cj.replace(name, name.slice(1)).replace('61', '1') })).out,
    `cronjob.batch/${name.slice(1)} created\n`,
  );
});

test('DefaultIngressClass admission: an Ingress naming no class gets the class marked default (the newest of several); one with the legacy annotation keeps none', async () => {
  const store = cluster();
  const cls = (name: string, isDefault: boolean) =>
    `apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: ${name}\n${isDefault ? '  annotations:\n    ingressclass.kubernetes.io/is-default-class: "true"\n' : ''}spec:\n  controller: k8s.io/${name}\n`;
  const ing = (name: string, extra = '') =>
    `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: ${name}\n${extra}spec:\n  defaultBackend:\n    service:\n      name: web\n      port:\n        number: 80\n`;
  const apply = async (yaml: string) => (await k(store, 'apply -f x.yaml', { 'x.yaml': yaml })).code;
  assert.equal(await apply(ing('before')), 0);
  assert.equal(await apply(cls('plain', false)), 0);
  assert.equal(await apply(ing('still-none')), 0);
  // Same creation second: the first name wins.
  assert.equal(await apply(`${cls('nginx', true)}---\n${cls('alpha', true)}`), 0);
  assert.equal(await apply(ing('web')), 0);
  assert.equal(await apply(ing('legacy', '  annotations:\n    kubernetes.io/ingress.class: traefik\n')), 0);
  const classes = (await k(store, ['get', 'ingress', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.spec.ingressClassName};{end}']))
    .out;
  assert.equal(classes, 'before=;legacy=;still-none=;web=alpha;');
  assert.equal(
    (await k(store, 'get ingress web')).out,
    'NAME   CLASS   HOSTS   ADDRESS   PORTS   AGE\nweb    alpha   *                 80      0s\n',
  );
});
