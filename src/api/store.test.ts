// The API server's answers: defaults, metadata, strict decoding, allocation and its failures,
// graceful deletion, watches, patches, CRDs — each as a kubectl user would see them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventQueue, Rng } from '../sim/index.js';
import { ApiError, type KubeObject, startApiServer } from './index.js';

const server = (extra: { serviceCIDR?: string; nodePortRange?: string } = {}) =>
  startApiServer({ clock: new EventQueue(), rng: new Rng(7), ...extra });
const pod = (name: string, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'nginx' }], ...extra },
});
const svc = (name: string, spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name },
  spec: { ports: [{ port: 80 }], ...spec },
});

function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  assert.fail('expected an ApiError');
}

test('ObjectStore.create() defaults a pod as the API server does and stamps its metadata', () => {
  const { store } = server();
  const p = store.create(pod('nginx')) as any;
  assert.equal(p.metadata.namespace, 'default');
  assert.match(p.metadata.uid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(p.metadata.creationTimestamp, '2026-01-01T00:00:00Z');
  assert.equal(p.spec.dnsPolicy, 'ClusterFirst');
  assert.equal(p.spec.restartPolicy, 'Always');
  assert.equal(p.spec.terminationGracePeriodSeconds, 30);
  assert.equal(p.spec.enableServiceLinks, true);
  assert.equal(p.spec.containers[0].imagePullPolicy, 'Always');
  assert.equal(p.status.phase, 'Pending');
  assert.equal(p.status.qosClass, 'BestEffort');
  const again = store.create(pod('other')) as any;
  assert.ok(Number(again.metadata.resourceVersion) > Number(p.metadata.resourceVersion), 'one resourceVersion counter');
  assert.equal(store.get('pods', 'default', 'nginx'), p);
  assert.equal(apiError(() => store.create(pod('nginx'))).message, 'pods "nginx" already exists');
  assert.equal(apiError(() => store.get('pods', 'default', 'nope')).message, 'pods "nope" not found');
  assert.equal(apiError(() => store.get('deployments', 'default', 'nope')).message, 'deployments.apps "nope" not found');
});

test('ObjectStore.create() defaults a NetworkPolicy: policyTypes from its rules, port protocols TCP', () => {
  const { store } = server();
  const np = (name: string, spec: Record<string, unknown>): KubeObject => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name },
    spec: { podSelector: {}, ...spec },
  });
  const spec = (o: KubeObject) => o.spec as any;
  assert.deepEqual(spec(store.create(np('deny', {}))).policyTypes, ['Ingress']);
  const out = spec(store.create(np('out', { egress: [{ ports: [{ port: 53, protocol: 'UDP' }, { port: 443 }] }] })));
  assert.deepEqual(out.policyTypes, ['Ingress', 'Egress']);
  assert.deepEqual(out.egress[0].ports, [
    { port: 53, protocol: 'UDP' },
    { port: 443, protocol: 'TCP' },
  ]);
  assert.deepEqual(spec(store.create(np('given', { policyTypes: ['Egress'] }))).policyTypes, ['Egress']);
});

test("a plain Go field's false or 0 is not stored (omitempty); a pointer field keeps its false", () => {
  const { store } = server();
  const p = store.create(
    pod('web', {
      hostNetwork: false,
      automountServiceAccountToken: false,
      containers: [
        {
          name: 'c',
          image: 'nginx',
          tty: false,
          ports: [{ containerPort: 80, hostPort: 0 }],
          volumeMounts: [{ name: 'v', mountPath: '/v', readOnly: false }],
          securityContext: { privileged: false },
        },
      ],
      volumes: [{ name: 'v', emptyDir: {} }],
    }),
  ) as any;
  assert.equal('hostNetwork' in p.spec, false);
  assert.equal(p.spec.automountServiceAccountToken, false);
  const c = p.spec.containers[0];
  assert.deepEqual([c.tty, c.ports[0].hostPort, c.volumeMounts[0].readOnly], [undefined, undefined, undefined]);
  assert.deepEqual(Object.keys(c.volumeMounts[0]), ['name', 'mountPath']);
  assert.equal(c.securityContext.privileged, false);
  const s = store.create(svc('web', { publishNotReadyAddresses: false })) as any;
  assert.equal('publishNotReadyAddresses' in s.spec, false);
  const h = store.create(
    pod('host', { hostNetwork: true, containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80, hostPort: 0 }] }] }),
  ) as any;
  assert.equal(h.spec.containers[0].ports[0].hostPort, 80, 'on the host network a 0 hostPort defaults to the containerPort');
});

test('a misspelled field fails with the strict decoding message and stores nothing', () => {
  const { store } = server();
  const before = store.resourceVersion;
  const bad = pod('x');
  (bad.spec as any).containers[0].imagePullPolicyy = 'Always';
  (bad.spec as any).restartPolicyy = 'Never';
  const e = apiError(() => store.create(bad));
  assert.equal(e.reason, 'BadRequest');
  assert.equal(
    e.message,
    'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].imagePullPolicyy", unknown field "spec.restartPolicyy"',
  );
  assert.equal(store.resourceVersion, before);
  assert.equal(store.find('pods', 'default', 'x'), undefined);
  // fieldValidation=Ignore drops the unknown field instead.
  const ok = store.create(bad, { fieldValidation: 'Ignore' }) as any;
  assert.equal(ok.spec.restartPolicyy, undefined);
});

test("the apps workloads' specs are judged in pkg/apis/apps/validation's words and order; what the schema calls required but Go does not is decoded to its zero value", () => {
  const { store } = server();
  const template = (labels?: Record<string, string>, extra: Record<string, unknown> = {}) => ({
    ...(labels ? { metadata: { labels } } : {}),
    spec: { containers: [{ name: 'c', image: 'nginx' }], ...extra },
  });
  const msg = (kind: string, spec: Record<string, unknown>) =>
    apiError(() => store.create({ apiVersion: 'apps/v1', kind, metadata: { name: 'w' }, spec } as KubeObject)).message;
  // metrics-server's manifests/base deployment.yaml applied without its kustomization: no selector, no labels
  assert.equal(
    msg('Deployment', { template: template() }),
    'Deployment.apps "w" is invalid: [spec.selector: Required value, spec.template.metadata.labels: Invalid value: map[string]string(nil): `selector` does not match template `labels`]',
  );
  assert.equal(
    msg('Deployment', { replicas: -1, selector: {}, template: template({ app: 'b' }, { restartPolicy: 'Never' }) }),
    'Deployment.apps "w" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment, spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"]',
  );
  // a DaemonSet's selector is not required: a missing one matches no template labels
  assert.equal(
    msg('DaemonSet', { template: template({ app: 'b' }) }),
    'DaemonSet.apps "w" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"b"}: `selector` does not match template `labels`',
  );
  assert.match(
    msg('StatefulSet', { selector: { matchLabels: {} }, template: template({ app: 'b' }) }),
    /empty selector is invalid for statefulset$/,
  );
  // ServicePort.port decodes to 0
  assert.equal(
    apiError(() => store.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ targetPort: 80 }] } }))
      .message,
    'Service "s" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
  );
  // NetworkPolicySpec.podSelector decodes to the empty selector: every pod of the namespace
  const np = store.create({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'np' },
    spec: { policyTypes: ['Ingress'] },
  } as KubeObject) as any;
  assert.deepEqual(np.spec.podSelector, {});
});

test('validation answers with the API server field errors', () => {
  const { store } = server();
  const e = apiError(() =>
    store.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'other' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      },
    }),
  );
  assert.equal(e.reason, 'Invalid');
  assert.equal(
    e.message,
    'Deployment.apps "web" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`',
  );
  assert.deepEqual(e.details?.causes?.[0]?.field, 'spec.template.metadata.labels');
  const n = apiError(() => store.create(svc('Web', {})));
  assert.match(n.message, /^Service "Web" is invalid: metadata.name: Invalid value: "Web": a DNS-1035 label must consist of/);
  const m = apiError(() => store.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c' }] } }));
  assert.equal(m.message, 'Pod "p" is invalid: spec.containers[0].image: Required value');
  // label and annotation keys are qualified names (apimachinery ValidateLabels, ValidateAnnotations), on create and update
  const key = apiError(() => store.create({ ...pod('k'), metadata: { name: 'k', labels: { 'bad key': 'x' } } }));
  assert.match(
    key.message,
    /^Pod "k" is invalid: metadata.labels: Invalid value: "bad key": name part must consist of alphanumeric characters/,
  );
  store.create({ ...pod('k'), metadata: { name: 'k', annotations: { 'Example.COM/Key': 'any value at all' } } });
  const note = apiError(() =>
    store.update({
      ...store.get('pods', 'default', 'k'),
      metadata: { ...store.get('pods', 'default', 'k').metadata, annotations: { 'a/b/c': '' } },
    }),
  );
  assert.match(note.message, /^Pod "k" is invalid: metadata.annotations: Invalid value: "a\/b\/c": a qualified name must consist of/);
  assert.deepEqual(store.get('pods', 'default', 'k').metadata.annotations, { 'Example.COM/Key': 'any value at all' });
  const ns = apiError(() => store.create({ ...pod('p'), metadata: { name: 'p', namespace: 'nowhere' } }));
  assert.equal(ns.message, 'namespaces "nowhere" not found');
});

test('Services: kubernetes at .1, requested IPs and nodePorts honoured, taken ones refused with the server message', () => {
  const { store } = server();
  assert.equal((store.get('services', 'default', 'kubernetes').spec as any).clusterIP, '10.96.0.1');
  const dns = store.create({
    ...svc('kube-dns', { clusterIP: '10.96.0.10' }),
    metadata: { name: 'kube-dns', namespace: 'kube-system' },
  }) as any;
  assert.equal(dns.spec.clusterIP, '10.96.0.10');
  const web = store.create(svc('web', { type: 'NodePort', ports: [{ port: 80, nodePort: 31001 }] })) as any;
  assert.equal(web.spec.ports[0].nodePort, 31001);
  assert.equal(web.spec.ports[0].targetPort, 80);
  assert.equal(web.spec.externalTrafficPolicy, 'Cluster');
  const before = store.resourceVersion;
  const taken = apiError(() => store.create(svc('web2', { type: 'NodePort', ports: [{ port: 80, nodePort: 31001 }] })));
  assert.equal(
    taken.message,
    'Service "web2" is invalid: spec.ports[0].nodePort: Invalid value: 31001: provided port is already allocated',
  );
  assert.equal(store.resourceVersion, before, 'nothing changed');
  const range = apiError(() => store.create(svc('web3', { type: 'NodePort', ports: [{ port: 80, nodePort: 8080 }] })));
  assert.equal(
    range.message,
    'Service "web3" is invalid: spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767',
  );
  const ip = apiError(() => store.create(svc('web4', { clusterIP: '10.96.0.10' })));
  assert.equal(
    ip.message,
    'Service "web4" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated',
  );
  const out = apiError(() => store.create(svc('web5', { clusterIP: '10.0.0.5' })));
  assert.match(out.message, /the provided IP \(10.0.0.5\) is not in the valid range. The range of valid IPs is 10.96.0.0\/16$/);
  store.delete('services', 'default', 'web');
  assert.equal(
    (store.create(svc('web7', { type: 'NodePort', ports: [{ port: 80, nodePort: 31001 }] })) as any).spec.ports[0].nodePort,
    31001,
    'a deleted Service frees its nodePort',
  );
});

test('1,000 Services get distinct ClusterIPs above the static band and distinct NodePorts above 30085', () => {
  const { store } = server();
  const ips = new Set<string>();
  const ports = new Set<number>();
  for (let i = 0; i < 1000; i++) {
    const s = store.create(svc(`s${i}`, { type: 'NodePort' })) as any;
    ips.add(s.spec.clusterIP);
    ports.add(s.spec.ports[0].nodePort);
    const last = s.spec.clusterIP.split('.').map(Number);
    assert.ok(last[0] === 10 && last[1] === 96 && last[2] * 256 + last[3] > 256, `dynamic IP ${s.spec.clusterIP} is above the static band`);
    assert.ok(s.spec.ports[0].nodePort >= 30086 && s.spec.ports[0].nodePort <= 32767);
  }
  assert.equal(ips.size, 1000);
  assert.equal(ports.size, 1000);
});

test('an exhausted service range fails with the real message', () => {
  const { store } = server({ serviceCIDR: '10.96.0.0/28', nodePortRange: '30000-30019' });
  // /28: 14 usable addresses, `kubernetes` holds one.
  for (let i = 0; i < 13; i++) store.create(svc(`s${i}`, {}));
  const e = apiError(() => store.create(svc('full', {})));
  assert.equal(e.reason, 'InternalError');
  assert.equal(e.message, 'Internal error occurred: failed to allocate a serviceIP: range is full');
});

test('an exhausted nodePort range fails with the real message', () => {
  const { store } = server({ nodePortRange: '30000-30019' });
  for (let i = 0; i < 20; i++) store.create(svc(`n${i}`, { type: 'NodePort' }));
  const e = apiError(() => store.create(svc('more', { type: 'NodePort' })));
  assert.equal(e.message, 'Internal error occurred: failed to allocate a nodePort: range is full');
});

test('delete: an unscheduled pod goes at once, a scheduled one is Terminating for its grace period; finalizers hold objects', () => {
  const { store } = server();
  store.create(pod('a'));
  const gone = store.delete('pods', 'default', 'a');
  assert.equal(gone.metadata.name, 'a');
  assert.equal(store.find('pods', 'default', 'a'), undefined);
  store.create(pod('b', { nodeName: 'kind-worker' }));
  const term = store.delete('pods', 'default', 'b');
  assert.equal(term.metadata.deletionTimestamp, '2026-01-01T00:00:30Z');
  assert.equal(term.metadata.deletionGracePeriodSeconds, 30);
  assert.ok(store.find('pods', 'default', 'b'));
  store.finalizeDeletion('pods', 'default', 'b');
  assert.equal(store.find('pods', 'default', 'b'), undefined);
  store.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', finalizers: ['example.com/hold'] }, data: { a: '1' } });
  store.delete('configmaps', 'default', 'cm');
  const held = store.get('configmaps', 'default', 'cm') as any;
  assert.ok(held.metadata.deletionTimestamp);
  store.patch('configmaps', 'default', 'cm', 'merge', { metadata: { finalizers: null } });
  assert.equal(store.find('configmaps', 'default', 'cm'), undefined);
});

test('watch() replays from a resourceVersion and streams changes in order; update checks resourceVersion', () => {
  const { store } = server();
  const rv = store.list('pods').resourceVersion;
  const seen: string[] = [];
  store.create(pod('early'));
  const stop = store.watch('pods', 'default', { resourceVersion: rv }, (e) => seen.push(`${e.type} ${e.object.metadata.name}`));
  const p = store.create(pod('x', { nodeName: 'n' }));
  const stale = structuredClone(p);
  store.patch('pods', 'default', 'x', 'strategic', { metadata: { labels: { app: 'web' } } });
  assert.equal(
    apiError(() => store.update(stale)).message,
    'Operation cannot be fulfilled on pods "x": the object has been modified; please apply your changes to the latest version and try again',
  );
  store.delete('pods', 'default', 'x', { gracePeriodSeconds: 0 });
  stop();
  store.create(pod('after'));
  assert.deepEqual(seen, ['ADDED early', 'ADDED x', 'MODIFIED x', 'DELETED x']);
  assert.deepEqual(store.list('pods', 'default', { labelSelector: 'app in (web)' }).items, []);
});

test('patch: strategic merge merges containers by name, JSON patch by path', () => {
  const { store } = server();
  store.create({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            { name: 'a', image: 'nginx:1' },
            { name: 'b', image: 'busybox' },
          ],
        },
      },
    },
  });
  const d = store.patch('deployments', 'default', 'web', 'strategic', {
    spec: { template: { spec: { containers: [{ name: 'a', image: 'nginx:2' }] } } },
  }) as any;
  assert.deepEqual(
    d.spec.template.spec.containers.map((c: any) => `${c.name}=${c.image}`),
    ['a=nginx:2', 'b=busybox'],
  );
  assert.equal(d.metadata.generation, 2);
  const j = store.patch('deployments', 'default', 'web', 'json', [{ op: 'replace', path: '/spec/replicas', value: 3 }]) as any;
  assert.equal(j.spec.replicas, 3);
  assert.equal(j.metadata.generation, 3);
});

test('patch: strategic merge keys container ports by containerPort and Service ports by port; $patch directives', () => {
  const { store } = server();
  store.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: { containers: [{ name: 'a', image: 'nginx', ports: [{ containerPort: 80 }, { containerPort: 81, name: 'x' }] }] },
  });
  const p = store.patch('pods', 'default', 'p', 'strategic', {
    spec: { containers: [{ name: 'a', ports: [{ containerPort: 81, name: 'y' }] }] },
  }) as any;
  assert.deepEqual(
    p.spec.containers[0].ports.map((x: any) => `${x.containerPort}/${x.name ?? ''}`),
    ['80/', '81/y'],
  );
  store.create({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 's' },
    spec: {
      selector: { app: 'a' },
      ports: [
        { name: 'http', port: 80 },
        { name: 'https', port: 443 },
      ],
    },
  });
  const s = store.patch('services', 'default', 's', 'strategic', {
    spec: {
      ports: [
        { port: 443, $patch: 'delete' },
        { name: 'dns', port: 53, protocol: 'UDP' },
      ],
    },
  }) as any;
  assert.deepEqual(
    s.spec.ports.map((x: any) => `${x.name}:${x.port}/${x.protocol}`),
    ['http:80/TCP', 'dns:53/UDP'],
  );
  const r = store.patch('services', 'default', 's', 'strategic', { spec: { selector: { $patch: 'replace', app: 'b' } } }) as any;
  assert.deepEqual(r.spec.selector, { app: 'b' });
});

test('a CRD serves its resource; custom resources are checked against its schema', () => {
  const { store } = server();
  store.create({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'ipaddresspools.metallb.io' },
    spec: {
      group: 'metallb.io',
      names: { kind: 'IPAddressPool', plural: 'ipaddresspools', singular: 'ipaddresspool', listKind: 'IPAddressPoolList' },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1beta1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                apiVersion: { type: 'string' },
                kind: { type: 'string' },
                metadata: { type: 'object' },
                spec: {
                  type: 'object',
                  required: ['addresses'],
                  properties: {
                    addresses: { type: 'array', items: { type: 'string' } },
                    autoAssign: { type: 'boolean', default: true },
                    avoidBuggyIPs: { type: 'boolean', default: false },
                    serviceAllocation: {
                      type: 'object',
                      properties: { priority: { type: 'integer' }, namespaces: { type: 'array', items: { type: 'string' } } },
                    },
                    bgp: {
                      type: 'array',
                      items: { type: 'object', properties: { peer: { type: 'string' }, port: { type: 'integer', default: 179 } } },
                    },
                  },
                },
              },
            },
          },
        },
      ],
    },
  });
  assert.ok(store.resources().some((r) => r.resource === 'ipaddresspools' && r.group === 'metallb.io' && r.version === 'v1beta1'));
  store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'metallb-system' } });
  const pool = store.create({
    apiVersion: 'metallb.io/v1beta1',
    kind: 'IPAddressPool',
    metadata: { name: 'p', namespace: 'metallb-system' },
    spec: { addresses: ['172.18.255.200-172.18.255.250'] },
  });
  assert.equal(pool.metadata.generation, 1);
  // the schema's defaults, set where their object is (structural defaulting); none for an absent object
  assert.deepEqual(pool.spec, { addresses: ['172.18.255.200-172.18.255.250'], autoAssign: true, avoidBuggyIPs: false });
  const given = store.create({
    apiVersion: 'metallb.io/v1beta1',
    kind: 'IPAddressPool',
    metadata: { name: 'g', namespace: 'metallb-system' },
    spec: { addresses: [], autoAssign: false, bgp: [{ peer: 'a' }, { peer: 'b', port: 1179 }] },
  });
  assert.deepEqual(given.spec, {
    addresses: [],
    autoAssign: false,
    avoidBuggyIPs: false,
    bgp: [
      { peer: 'a', port: 179 },
      { peer: 'b', port: 1179 },
    ],
  });
  const unknown = apiError(() =>
    store.create({
      apiVersion: 'metallb.io/v1beta1',
      kind: 'IPAddressPool',
      metadata: { name: 'q', namespace: 'metallb-system' },
      spec: { addresses: [], autoAssing: true },
    }),
  );
  assert.equal(
    unknown.message,
    'IPAddressPool in version "v1beta1" cannot be handled as a IPAddressPool: strict decoding error: unknown field "spec.autoAssing"',
  );
  const typed = apiError(() =>
    store.create({
      apiVersion: 'metallb.io/v1beta1',
      kind: 'IPAddressPool',
      metadata: { name: 'q', namespace: 'metallb-system' },
      spec: { addresses: 'x' },
    }),
  );
  assert.equal(
    typed.message,
    'IPAddressPool.metallb.io "q" is invalid: spec.addresses: Invalid value: "string": spec.addresses in body must be of type array: "string"',
  );
  store.delete('customresourcedefinitions', undefined, 'ipaddresspools.metallb.io');
  assert.ok(!store.resources().some((r) => r.resource === 'ipaddresspools'));
});

test('a watch on custom resources goes on after their CRD is written again (a label, as a second kubectl apply may)', () => {
  const { store } = server();
  const crd = store.create({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'l2advertisements.metallb.io' },
    spec: {
      group: 'metallb.io',
      names: { kind: 'L2Advertisement', plural: 'l2advertisements' },
      scope: 'Cluster',
      versions: [
        {
          name: 'v1beta1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        },
      ],
    },
  });
  const seen: string[] = [];
  store.watch('l2advertisements', undefined, { resourceVersion: store.resourceVersion }, (e) =>
    seen.push(`${e.type} ${e.object.metadata.name}`),
  );
  store.create({ apiVersion: 'metallb.io/v1beta1', kind: 'L2Advertisement', metadata: { name: 'a' } });
  store.update({ ...crd, metadata: { ...crd.metadata, labels: { app: 'metallb' } } });
  store.create({ apiVersion: 'metallb.io/v1beta1', kind: 'L2Advertisement', metadata: { name: 'b' } });
  assert.deepEqual(seen, ['ADDED a', 'ADDED b']);
  assert.deepEqual(
    store.list('l2advertisements', undefined).items.map((o) => o.metadata.name),
    ['a', 'b'],
  );
});

test("a CRD's schema may use the x-kubernetes-* extensions (int-or-string, list types, preserve-unknown-fields); a misspelled one is unknown", () => {
  const { store } = server();
  const crd = (ext: Record<string, unknown>): KubeObject => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'bgppeers.example.org' },
    spec: {
      group: 'example.org',
      names: { kind: 'BGPPeer', plural: 'bgppeers' },
      scope: 'Cluster',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  properties: {
                    port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
                    peers: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
                    extra: { type: 'object', ...ext },
                  },
                },
              },
            },
          },
        },
      ],
    },
  });
  const typo = apiError(() => store.create(crd({ 'x-kubernetes-preserve-unknown-field': true })));
  assert.equal(
    typo.message,
    'CustomResourceDefinition in version "v1" cannot be handled as a CustomResourceDefinition: strict decoding error: unknown field "spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.extra.x-kubernetes-preserve-unknown-field"',
  );
  store.create(crd({ 'x-kubernetes-preserve-unknown-fields': true }));
  const peer = store.create({
    apiVersion: 'example.org/v1',
    kind: 'BGPPeer',
    metadata: { name: 'p' },
    spec: { port: 'bgp', peers: ['10.0.0.1'], extra: { anything: 1 } },
  });
  assert.deepEqual(peer.spec, { port: 'bgp', peers: ['10.0.0.1'], extra: { anything: 1 } });
});

test('an update, status update or patch that changes nothing keeps the resourceVersion and sends no watch event (GuaranteedUpdate skips the write)', () => {
  const { store } = server();
  const p = store.create(pod('web', { nodeName: 'n1' }));
  const seen: string[] = [];
  store.watch('pods', 'default', { resourceVersion: store.resourceVersion }, (e) =>
    seen.push(`${e.type} ${e.object.metadata.resourceVersion}`),
  );
  const rv = p.metadata.resourceVersion;
  assert.equal(store.update(structuredClone(p)).metadata.resourceVersion, rv);
  assert.equal(store.updateStatus(structuredClone(p)).metadata.resourceVersion, rv);
  assert.equal(store.patch('pods', 'default', 'web', 'merge', { metadata: { labels: null } }).metadata.resourceVersion, rv);
  assert.equal(
    store.patch('pods', 'default', 'web', 'strategic', { spec: { containers: [{ name: 'c', image: 'nginx' }] } }).metadata.resourceVersion,
    rv,
  );
  assert.equal(store.resourceVersion, rv);
  assert.deepEqual(seen, []);
  const changed = store.patch('pods', 'default', 'web', 'merge', { metadata: { labels: { app: 'web' } } });
  assert.ok(Number(changed.metadata.resourceVersion) > Number(rv));
  assert.deepEqual(seen, [`MODIFIED ${changed.metadata.resourceVersion}`]);
  // the same change again is no change
  assert.equal(
    store.patch('pods', 'default', 'web', 'merge', { metadata: { labels: { app: 'web' } } }).metadata.resourceVersion,
    changed.metadata.resourceVersion,
  );
  assert.equal(seen.length, 1);
});

test("watch() with a field selector on one node (spec.nodeName=X, as kubelets watch) sees only that node's pods, told in the order the watches began", () => {
  const { store } = server();
  const seen: string[] = [];
  store.watch('pods', undefined, { fieldSelector: 'spec.nodeName=n2' }, (e) => seen.push(`n2 ${e.type} ${e.object.metadata.name}`));
  store.watch('pods', undefined, {}, (e) => seen.push(`all ${e.type} ${e.object.metadata.name}`));
  const stopN1 = store.watch('pods', undefined, { fieldSelector: 'spec.nodeName==n1' }, (e) =>
    seen.push(`n1 ${e.type} ${e.object.metadata.name}`),
  );
  store.watch('pods', undefined, { fieldSelector: 'spec.nodeName!=n1' }, (e) => seen.push(`not-n1 ${e.type} ${e.object.metadata.name}`));
  store.create(pod('a', { nodeName: 'n1' }));
  store.create(pod('b', { nodeName: 'n2' }));
  store.create(pod('c'));
  stopN1();
  store.delete('pods', 'default', 'a');
  assert.deepEqual(seen, [
    'all ADDED a',
    'n1 ADDED a',
    'n2 ADDED b',
    'all ADDED b',
    'not-n1 ADDED b',
    'all ADDED c',
    'not-n1 ADDED c',
    'all MODIFIED a', // graceful deletion: the deletionTimestamp; n1's watch has stopped
  ]);
});

test("list() with spec.nodeName=X answers that node's pods in name order as pods are bound and deleted (the kubelet's list)", () => {
  const { store } = server();
  const names = (node: string) =>
    store.list('pods', undefined, { fieldSelector: `spec.nodeName=${node}` }).items.map((p) => p.metadata.name);
  store.create(pod('b', { nodeName: 'n1' }));
  store.create(pod('c'));
  store.create(pod('a', { nodeName: 'n1' }));
  store.create(pod('d', { nodeName: 'n2' }));
  assert.deepEqual(names('n1'), ['a', 'b']);
  store.bindPod('default', 'c', 'n1');
  assert.deepEqual(names('n1'), ['a', 'b', 'c']);
  assert.deepEqual(
    store.list('pods', undefined, { fieldSelector: 'spec.nodeName=n1,metadata.name!=b' }).items.map((p) => p.metadata.name),
    ['a', 'c'],
  );
  store.delete('pods', 'default', 'b');
  store.finalizeDeletion('pods', 'default', 'b');
  assert.deepEqual(names('n1'), ['a', 'c']);
  assert.deepEqual(names('n2'), ['d']);
  assert.deepEqual(names('n3'), []);
});

test("list() and watch() with metadata.name=X answer that one object (a kube-proxy's own Node), in any namespace when none is given", () => {
  const { store } = server();
  for (const n of ['n1', 'n2']) store.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: n } });
  store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } });
  store.create(pod('web'));
  store.create({ ...pod('web'), metadata: { name: 'web', namespace: 'other' } });
  store.create(pod('db'));
  const names = (resource: string, ns: string | undefined, fieldSelector: string) =>
    store.list(resource, ns, { fieldSelector }).items.map((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`);
  assert.deepEqual(names('nodes', undefined, 'metadata.name=n2'), ['/n2']);
  assert.deepEqual(names('nodes', undefined, 'metadata.name==n1'), ['/n1']);
  assert.deepEqual(names('nodes', undefined, 'metadata.name=n3'), []);
  assert.deepEqual(names('pods', 'default', 'metadata.name=web'), ['default/web']);
  assert.deepEqual(names('pods', 'other', 'metadata.name=db'), []);
  assert.deepEqual(names('pods', undefined, 'metadata.name=web'), ['default/web', 'other/web']);
  const seen: string[] = [];
  store.watch('nodes', undefined, { fieldSelector: 'metadata.name=n1' }, (e) => seen.push(`${e.type} ${e.object.metadata.name}`));
  store.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n3' } });
  store.patch('nodes', undefined, 'n1', 'merge', { metadata: { labels: { a: 'b' } } });
  assert.deepEqual(seen, ['ADDED n1', 'MODIFIED n1']);
});

test('updateStatusOwn stores the status it is given as it is (frozen), and like updateStatus skips a write that changes nothing', () => {
  const { store } = server();
  const p = store.create(pod('web', { nodeName: 'n1' }));
  const status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };
  const stored = store.updateStatusOwn({ ...p, status });
  assert.equal(stored.status, status);
  assert.ok(Object.isFrozen(status.conditions[0]));
  assert.ok(Number(stored.metadata.resourceVersion) > Number(p.metadata.resourceVersion));
  assert.equal(stored.spec, p.spec);
  const again = store.updateStatusOwn({ ...stored, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } });
  assert.equal(again.metadata.resourceVersion, stored.metadata.resourceVersion);
  assert.equal(store.get('pods', 'default', 'web'), stored);
});

test('the allocator keeps an IPAddress per ClusterIP (named by it, its Service as parentRef) and the default ServiceCIDR is there', () => {
  const { store } = server();
  const ips = () =>
    store
      .list('ipaddresses')
      .items.map((o) => `${o.metadata.name} ${(o.spec as any).parentRef.namespace}/${(o.spec as any).parentRef.name}`);
  assert.deepEqual(ips(), ['10.96.0.1 default/kubernetes']);
  const cidr = store.get('servicecidrs', undefined, 'kubernetes') as any;
  assert.deepEqual(cidr.spec.cidrs, ['10.96.0.0/16']);
  assert.deepEqual(cidr.metadata.finalizers, ['networking.k8s.io/service-cidr-finalizer']);
  assert.equal(cidr.status.conditions[0].type, 'Ready');
  const web = store.create(svc('web', {})) as any;
  const ip = store.get('ipaddresses', undefined, web.spec.clusterIP) as any;
  assert.deepEqual(ip.metadata.labels, {
    'ipaddress.kubernetes.io/ip-family': 'IPv4',
    'ipaddress.kubernetes.io/managed-by': 'ipallocator.k8s.io',
  });
  assert.deepEqual(ip.spec.parentRef, { group: '', resource: 'services', namespace: 'default', name: 'web' });
  const before = store.resourceVersion;
  apiError(() => store.create(svc('web2', { type: 'NodePort', ports: [{ port: 80, nodePort: 8080 }] })));
  store.create(svc('dry', {}), { dryRun: true });
  assert.equal(store.resourceVersion, before, 'a refused or dry-run create makes no IPAddress');
  // a name already taken is found after allocation, as etcd refuses it upstream: the address is given back
  apiError(() => store.create(svc('web', {})));
  assert.equal(ips().length, 2);
  store.create(svc('none', { clusterIP: 'None' }));
  assert.equal(ips().length, 2, 'a headless Service holds no address');
  store.delete('services', 'default', 'web');
  assert.deepEqual(ips(), ['10.96.0.1 default/kubernetes'], 'a deleted Service gives its IPAddress back');
});
