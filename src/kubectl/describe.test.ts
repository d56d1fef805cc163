// Golden `kubectl describe` texts. Sections, their order and the cell formats come from kubectl's
// pkg/describe/describe.go (describePod, describeService, describeEndpoints, describeNode,
// describeDeployment, ConfigMapDescriber, DescribeEvents, print*Multiline), laid out by its tab
// writer (minwidth 0, padding 2) with two spaces per indent level.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeApi } from './_fake.js';
import * as F from './_fixtures.js';
import { rfc1123z as rfc } from './describe-out.js';
import { kubectl } from './kubectl.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const api = new FakeApi(F.NOW);
for (const o of [
  F.podRunning,
  F.podTerminating,
  F.svcNodePort,
  F.svcLB,
  F.endpoints,
  F.deployment,
  F.replicaset,
  F.nodeCP,
  F.podCoreDNS,
  F.configmap,
  F.event,
  F.eventScheduled,
  F.slice,
  F.jobComplete,
])
  api.create(structuredClone(o) as never);

const cases: [string, string, string][] = [
  [
    'Pod: containers, conditions, events with their fieldPath (describePod, DescribeEvents)',
    'describe pod nginx',
    `Name:         nginx
Namespace:    default
Node:         kind-worker/172.18.0.3
Labels:       run=nginx
Annotations:  <none>
Status:       Running
IP:           10.244.1.2
IPs:
  IP:  10.244.1.2
Containers:
  nginx:
    Container ID:   
    Image:          nginx:alpine
    Image ID:       
    Port:           <none>
    Host Port:      <none>
    State:          Running
      Started:      Thu, 01 Jan 2026 11:55:10 +0000
    Ready:          True
    Restart Count:  0
    Environment:    <none>
    Mounts:         <none>
Conditions:
  Type           Status
  Ready          True 
Volumes:         <none>
QoS Class:       BestEffort
Node-Selectors:  <none>
Tolerations:     <none>
Events:
  Type    Reason     Age    From               Message
  ----    ------     ----   ----               -------
  Normal  Scheduled  5m     default-scheduler  Successfully assigned default/nginx to kind-worker
  Normal  Pulled     4m50s  kubelet            spec.containers{nginx}: Container image "nginx:alpine" already present on machine
`,
  ],
  [
    'Pod Terminating: how long it lasts, the last restart',
    'describe pod old -n kube-system',
    `Name:                      old
Namespace:                 kube-system
Node:                      kind-worker/172.18.0.3
Labels:                    <none>
Annotations:               <none>
Status:                    Terminating (lasts <invalid>)
Termination Grace Period:  30s
IP:                        10.244.1.7
IPs:
  IP:  10.244.1.7
Containers:
  a:
    Container ID:   
    Image:          busybox
    Image ID:       
    Port:           <none>
    Host Port:      <none>
    State:          Running
      Started:      Mon, 01 Jan 0001 00:00:00 +0000
    Last State:     Terminated
      Exit Code:    0
      Started:      Mon, 01 Jan 0001 00:00:00 +0000
      Finished:     Thu, 01 Jan 2026 11:58:55 +0000
    Ready:          True
    Restart Count:  3
    Environment:    <none>
    Mounts:         <none>
Volumes:            <none>
QoS Class:          BestEffort
Node-Selectors:     <none>
Tolerations:        <none>
Events:             <none>
`,
  ],
  [
    'Service: per-port Endpoints from ready EndpointSlice endpoints (describeService, formatEndpointSlices)',
    'describe svc deploy-websrv',
    `Name:              deploy-websrv
Namespace:         default
Labels:            <none>
Annotations:       <none>
Selector:          app=deploy-websrv
Type:              NodePort
IP Families:       <none>
IP:                10.96.151.28
IPs:               10.96.151.28
Port:              <unset>  80/TCP
TargetPort:        80/TCP
NodePort:          <unset>  31001/TCP
Endpoints:         10.244.1.2:80
Port:              dns  53/UDP
TargetPort:        53/UDP
NodePort:          dns  30053/UDP
Endpoints:         
Session Affinity:  
Events:            <none>
`,
  ],
  [
    'Service LoadBalancer: ingress list',
    'describe svc svc1',
    `Name:                  svc1
Namespace:             default
Labels:                <none>
Annotations:           <none>
Selector:              app=webpod
Type:                  LoadBalancer
IP Families:           <none>
IP:                    10.96.20.30
IPs:                   10.96.20.30
LoadBalancer Ingress:  172.18.255.201, 172.18.255.200
Port:                  <unset>  80/TCP
TargetPort:            80/TCP
NodePort:              <unset>  30495/TCP
Endpoints:             <none>
Session Affinity:      
Events:                <none>
`,
  ],
  [
    'Endpoints: subsets with a ports table (describeEndpoints)',
    'describe ep deploy-websrv',
    `ERRWarning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice
Name:         deploy-websrv
Namespace:    default
Labels:       <none>
Annotations:  <none>
Subsets:
  Addresses:          10.244.1.2,10.244.2.2,10.244.3.2,10.244.3.3
  NotReadyAddresses:  <none>
  Ports:
    Name     Port  Protocol
    ----     ----  --------
    <unset>  80    TCP

Events:  <none>
`,
  ],
  [
    'Deployment: replicas line, pod template with its one-space container indent (describeDeployment, DescribePodTemplate)',
    'describe deploy deploy-websrv',
    `Name:               deploy-websrv
Namespace:          default
CreationTimestamp:  Tue, 30 Dec 2025 10:00:00 +0000
Labels:             <none>
Annotations:        <none>
Selector:           app=deploy-websrv
Replicas:           3 desired | 3 updated | 3 total | 2 available | 0 unavailable
StrategyType:       
MinReadySeconds:    0
Pod Template:
  Labels:  app=deploy-websrv
  Containers:
   websrv:
    Image:         traefik/whoami
    Port:          <none>
    Host Port:     <none>
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Events:            <none>
`,
  ],
  [
    'Node: taints, lease, conditions table, system info, pods and allocation tables (describeNode)',
    'describe node kind-control-plane',
    `Name:               kind-control-plane
Roles:              control-plane
Labels:             kubernetes.io/hostname=kind-control-plane
                    kubernetes.io/os=linux
                    node-role.kubernetes.io/control-plane=
Annotations:        <none>
CreationTimestamp:  Thu, 01 Jan 2026 11:50:00 +0000
Taints:             node-role.kubernetes.io/control-plane:NoSchedule
Unschedulable:      false
Lease:
  HolderIdentity:  <unset>
  AcquireTime:     <unset>
  RenewTime:       <unset>
Conditions:
  Type    Status  LastHeartbeatTime                 LastTransitionTime                Reason  Message
  ----    ------  -----------------                 ------------------                ------  -------
  Ready   True    Mon, 01 Jan 0001 00:00:00 +0000   Mon, 01 Jan 0001 00:00:00 +0000           
Addresses:
  InternalIP:  172.18.0.2
  Hostname:    kind-control-plane
Capacity:
  cpu:                8
  ephemeral-storage:  101430960Ki
  memory:             16248396Ki
  pods:               110
Allocatable:
  cpu:                8
  ephemeral-storage:  101430960Ki
  memory:             16248396Ki
  pods:               110
System Info:
  Machine ID:                 
  System UUID:                
  Boot ID:                    
  Kernel Version:             6.8.0-1015-aws
  OS Image:                   Debian GNU/Linux 13 (trixie)
  Operating System:           
  Architecture:               
  Container Runtime Version:  containerd://2.3.1
  Kubelet Version:            v1.36.1
PodCIDR:                      10.244.0.0/24
PodCIDRs:                     10.244.0.0/24
Non-terminated Pods:          (1 in total)
  Namespace                   Name                        CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age
  ---------                   ----                        ------------  ----------  ---------------  -------------  ---
  kube-system                 coredns-6bf86987dd-7dhcf    100m (1%)     0 (0%)      70Mi (0%)        170Mi (1%)     9m50s
Allocated resources:
  (Total limits may be over 100 percent, i.e., overcommitted.)
  Resource           Requests   Limits
  --------           --------   ------
  cpu                100m (1%)  0 (0%)
  memory             70Mi (0%)  170Mi (1%)
  ephemeral-storage  0 (0%)     0 (0%)
Events:              <none>
`,
  ],
  [
    'ConfigMap: Data and BinaryData sections',
    'describe cm kube-flannel-cfg -n kube-flannel',
    `Name:         kube-flannel-cfg
Namespace:    kube-flannel
Labels:       app=flannel
              tier=node
Annotations:  <none>

Data
====
cni-conf.json:
----
{
  "name": "cbr0"
}


net-conf.json:
----
{"Network": "10.244.0.0/16"}


BinaryData
====

Events:  <none>
`,
  ],
  [
    'Job: its knobs, start and completion, Duration, the pods it counted (describeJob)',
    'describe job pi',
    `Name:             pi
Namespace:        default
Selector:         batch.kubernetes.io/controller-uid=5f1c
Labels:           batch.kubernetes.io/controller-uid=5f1c
                  batch.kubernetes.io/job-name=pi
                  controller-uid=5f1c
                  job-name=pi
Annotations:      <none>
Parallelism:      1
Completions:      1
Completion Mode:  NonIndexed
Suspend:          false
Backoff Limit:    4
Start Time:       Thu, 01 Jan 2026 11:58:00 +0000
Completed At:     Thu, 01 Jan 2026 11:58:12 +0000
Duration:         12s
Pods Statuses:    0 Active (0 Ready) / 1 Succeeded / 0 Failed
Pod Template:
  Labels:  batch.kubernetes.io/controller-uid=5f1c
           batch.kubernetes.io/job-name=pi
           controller-uid=5f1c
           job-name=pi
  Containers:
   pi:
    Image:      perl:5.34.0
    Port:       <none>
    Host Port:  <none>
    Command:
      perl
      -Mbignum=bpi
      -wle
      print bpi(2000)
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Events:            <none>
`,
  ],
];

for (const [title, cmd, want] of cases) {
  test(`kubectl describe ${title}`, async () => {
    let out = '';
    const code = await kubectl(
      { client: api, io: { stdout: (t) => void (out += t), stderr: (t) => void (out += `ERR${t}`), readFile: () => undefined } },
      cmd.split(' '),
    );
    assert.equal(code, 0);
    assert.equal(out, want);
  });
}

test('kubectl describe of several objects leaves out events and separates them by a blank line; a missing name is NotFound', async () => {
  let out = '';
  let err = '';
  const io = { stdout: (t: string) => void (out += t), stderr: (t: string) => void (err += t), readFile: () => undefined };
  assert.equal(await kubectl({ client: api, io }, ['describe', 'svc']), 0);
  assert.match(out, /^Name: +deploy-websrv\n[^]*Session Affinity: +\n\n\nName: +svc1\n/);
  assert.doesNotMatch(out, /Events:/);
  out = '';
  assert.equal(await kubectl({ client: api, io }, ['describe', 'pod', 'nosuch']), 1);
  assert.equal(err, 'Error from server (NotFound): pods "nosuch" not found\n');
  err = '';
  assert.equal(await kubectl({ client: api, io }, ['describe', 'pod', 'ngi']), 0, 'a name prefix describes the pods it matches');
  assert.match(out, /^Name: +nginx\n/);
});

test('kubectl describe of a custom resource prints every field under smart labels (genericDescriber, smartLabelFor)', async () => {
  const { smartLabelFor } = await import('./describe.js');
  assert.deepEqual(
    ['apiVersion', 'creationTimestamp', 'uid', 'avoidBuggyIPs', 'podCIDRs', 'ipv4', 'nodeName', 'HTTPServer'].map(smartLabelFor),
    ['API Version', 'Creation Timestamp', 'UID', 'Avoid Buggy I Ps', 'Pod CIDRs', 'ipv4', 'Node Name', 'HTTPServer'],
  );
});

test('kubectl describe networkpolicy words the spec as describeNetworkPolicy does (the docs’ access-nginx, and one with every peer and port form)', async () => {
  const created = new Date(F.NOW - 90_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const meta = (name: string) => ({ name, namespace: 'default', uid: `np-${name}`, creationTimestamp: created });
  api.create({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: meta('access-nginx'),
    spec: {
      podSelector: { matchLabels: { app: 'nginx' } },
      ingress: [{ from: [{ podSelector: { matchLabels: { access: 'true' } } }] }],
      policyTypes: ['Ingress'],
    },
  } as never);
  api.create({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { ...meta('mixed'), labels: { team: 'net' } },
    spec: {
      podSelector: {},
      ingress: [
        {
          from: [
            { ipBlock: { cidr: '172.17.0.0/16', except: ['172.17.1.0/24', '172.17.2.0/24'] } },
            {
              namespaceSelector: { matchLabels: { project: 'myproject' } },
              podSelector: { matchExpressions: [{ key: 'role', operator: 'In', values: ['web', 'api'] }] },
            },
          ],
          ports: [
            { protocol: 'TCP', port: 6379 },
            { protocol: 'UDP', port: 32000, endPort: 32768 },
          ],
        },
        {},
      ],
      egress: [],
      policyTypes: ['Ingress', 'Egress'],
    },
  } as never);
  const at = new Date(created).toISOString().slice(0, 19).replace('T', ' ');
  const run = async (name: string) => {
    let out = '';
    const io = { stdout: (t: string) => void (out += t), stderr: (t: string) => void (out += `ERR${t}`), readFile: () => undefined };
    assert.equal(await kubectl({ client: api, io }, ['describe', 'networkpolicy', name]), 0);
    return out;
  };
  assert.equal(
    await run('access-nginx'),
    `Name:         access-nginx
Namespace:    default
Created on:   ${at} +0000 UTC
Labels:       <none>
Annotations:  <none>
Spec:
  PodSelector:     app=nginx
  Allowing ingress traffic:
    To Port: <any> (traffic allowed to all ports)
    From:
      PodSelector: access=true
  Not affecting egress traffic
  Policy Types: Ingress
`,
  );
  assert.equal(
    await run('mixed'),
    `Name:         mixed
Namespace:    default
Created on:   ${at} +0000 UTC
Labels:       team=net
Annotations:  <none>
Spec:
  PodSelector:     <none> (Allowing the specific traffic to all pods in this namespace)
  Allowing ingress traffic:
    To Port: 6379/TCP
    To Port Range: 32000-32768/UDP
    From:
      IPBlock:
        CIDR: 172.17.0.0/16
        Except: 172.17.1.0/24, 172.17.2.0/24
    From:
      NamespaceSelector: project=myproject
      PodSelector: role in (api,web)
    ----------
    To Port: <any> (traffic allowed to all ports)
    From: <any> (traffic not restricted by source)
  Allowing egress traffic:
    <none> (Selected pods are isolated for egress connectivity)
  Policy Types: Ingress, Egress
`,
  );
});

test('kubectl describe ingress, ingressclass and endpointslice word them as describeIngressV1, describeIngressClassV1 and describeEndpointSliceV1 do', async () => {
  const networking = (kind: string, resource: string, namespaced: boolean) => ({
    group: 'networking.k8s.io',
    version: 'v1',
    kind,
    resource,
    singular: kind.toLowerCase(),
    shortNames: [],
    namespaced,
    verbs: ['create', 'get', 'list'],
  });
  const api = new FakeApi(F.NOW, [networking('Ingress', 'ingresses', true), networking('IngressClass', 'ingressclasses', false)]);
  for (const o of [F.svcNodePort, F.slice]) api.create(structuredClone(o) as never);
  const meta = (name: string, namespace?: string) => ({ name, ...(namespace ? { namespace } : {}), uid: `u-${name}` });
  // kubernetes.io/examples/service/networking/simple-fanout-example.yaml: its Services do not exist
  api.create({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: meta('simple-fanout-example', 'default'),
    spec: {
      rules: [
        {
          host: 'foo.bar.com',
          http: {
            paths: [
              { path: '/foo', pathType: 'Prefix', backend: { service: { name: 'service1', port: { number: 4200 } } } },
              { path: '/bar', pathType: 'Prefix', backend: { service: { name: 'service2', port: { number: 8080 } } } },
            ],
          },
        },
      ],
    },
  } as never);
  // a class, TLS, a default backend with endpoints (the fixture's slice: one ready of two), a resource backend, an address
  api.create({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { ...meta('tls-example', 'default'), annotations: { 'nginx.ingress.kubernetes.io/rewrite-target': '/' } },
    spec: {
      ingressClassName: 'nginx',
      tls: [{ hosts: ['https-example.foo.com'], secretName: 'testsecret-tls' }, { hosts: ['a.foo.com', 'b.foo.com'] }],
      defaultBackend: { service: { name: 'deploy-websrv', port: { number: 80 } } },
      rules: [
        {
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { resource: { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'static-assets' } },
              },
            ],
          },
        },
      ],
    },
    status: { loadBalancer: { ingress: [{ ip: '172.18.0.3' }, { hostname: 'lb.example' }, { ip: '172.18.0.2' }] } },
  } as never);
  api.create({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: { ...meta('nginx'), labels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
    spec: {
      controller: 'k8s.io/ingress-nginx',
      parameters: { apiGroup: 'k8s.example.net', kind: 'IngressParameters', name: 'external-lb' },
    },
  } as never);
  const run = async (...argv: string[]) => {
    let out = '';
    const io = { stdout: (t: string) => void (out += t), stderr: (t: string) => void (out += `ERR${t}`), readFile: () => undefined };
    assert.equal(await kubectl({ client: api, io }, ['describe', ...argv]), 0);
    return out;
  };
  assert.equal(
    await run('ingress', 'simple-fanout-example'),
    `Name:             simple-fanout-example
Labels:           <none>
Namespace:        default
Address:          
Ingress Class:    <none>
Default backend:  <default>
Rules:
  Host         Path  Backends
  ----         ----  --------
  foo.bar.com  
               /foo   service1:4200 (<error: services "service1" not found>)
               /bar   service2:8080 (<error: services "service2" not found>)
Annotations:   <none>
Events:        <none>
`,
  );
  assert.equal(
    await run('ingress', 'tls-example'),
    `Name:             tls-example
Labels:           <none>
Namespace:        default
Address:          172.18.0.2,172.18.0.3,lb.example
Ingress Class:    nginx
Default backend:  deploy-websrv:80 (10.244.1.2:80)
TLS:
  testsecret-tls terminates https-example.foo.com
  SNI routes a.foo.com,b.foo.com
Rules:
  Host        Path  Backends
  ----        ----  --------
  *           
              /   APIGroup: k8s.example.com, Kind: StorageBucket, Name: static-assets
Annotations:  nginx.ingress.kubernetes.io/rewrite-target: /
Events:       <none>
`,
  );
  assert.equal(
    await run('ingressclass', 'nginx'),
    `Name:         nginx
Labels:       app.kubernetes.io/name=ingress-nginx
Annotations:  <none>
Controller:   k8s.io/ingress-nginx
Parameters:
  APIGroup:  k8s.example.net
  Kind:      IngressParameters
  Name:      external-lb
Events:      <none>
`,
  );
  assert.equal(
    await run('endpointslice', 'deploy-websrv-7xk2p'),
    `Name:         deploy-websrv-7xk2p
Namespace:    default
Labels:       kubernetes.io/service-name=deploy-websrv
Annotations:  <none>
AddressType:  IPv4
Ports:
  Name     Port  Protocol
  ----     ----  --------
  <unset>  80    TCP
Endpoints:
  - Addresses:  10.244.1.2
    Conditions:
      Ready:    true
    Hostname:   <unset>
    NodeName:   <unset>
    Zone:       <unset>
  - Addresses:  10.244.2.2
    Conditions:
      Ready:   false
    Hostname:  <unset>
    NodeName:  <unset>
    Zone:      <unset>
Events:        <none>
`,
  );
});

test('kubectl describe secret, serviceaccount and namespace word them as describeSecret, describeServiceAccount and describeNamespace do', async () => {
  const api = new FakeApi(F.NOW, [
    {
      group: '',
      version: 'v1',
      kind: 'ResourceQuota',
      resource: 'resourcequotas',
      singular: 'resourcequota',
      shortNames: ['quota'],
      namespaced: true,
      verbs: ['list'],
    },
    {
      group: '',
      version: 'v1',
      kind: 'LimitRange',
      resource: 'limitranges',
      singular: 'limitrange',
      shortNames: ['limits'],
      namespaced: true,
      verbs: ['list'],
    },
  ]);
  const objs = [
    // `kubectl create secret generic db --from-literal=password=hunter2 --from-literal=user=admin`; the base64 of 7 and 5 bytes
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', namespace: 'default', uid: 's1' },
      type: 'Opaque',
      data: { user: 'YWRtaW4=', password: 'aHVudGVyMg==' },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'tok', namespace: 'default', uid: 's2', annotations: { 'kubernetes.io/service-account.name': 'build' } },
      type: 'kubernetes.io/service-account-token',
      data: { token: btoa('eyJhbGciOi'), 'ca.crt': btoa('x'.repeat(1107)) },
    },
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'build', namespace: 'default', uid: 'sa' },
      imagePullSecrets: [{ name: 'regcred' }, { name: 'other' }],
    },
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'team', uid: 'ns', labels: { 'kubernetes.io/metadata.name': 'team' } },
      status: { phase: 'Active' },
    },
    {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'compute', namespace: 'team', uid: 'q' },
      spec: { hard: { pods: '10', 'requests.cpu': '2' }, scopes: ['NotBestEffort'] },
      status: { hard: { pods: '10', 'requests.cpu': '2' }, used: { pods: '3' } },
    },
    {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'mem', namespace: 'team', uid: 'l' },
      spec: { limits: [{ type: 'Container', max: { memory: '1Gi' }, default: { memory: '512Mi' }, defaultRequest: { memory: '256Mi' } }] },
    },
  ];
  for (const o of objs) api.create(o as never);
  const run = async (...argv: string[]) => {
    let out = '';
    const io = { stdout: (t: string) => void (out += t), stderr: (t: string) => void (out += `ERR${t}`), readFile: () => undefined };
    assert.equal(await kubectl({ client: api, io }, ['describe', ...argv]), 0);
    return out;
  };
  assert.equal(
    await run('secret', 'db'),
    `Name:         db
Namespace:    default
Labels:       <none>
Annotations:  <none>

Type:  Opaque

Data
====
password:  7 bytes
user:      5 bytes
`,
  );
  assert.equal(
    await run('secret', 'tok'),
    `Name:         tok
Namespace:    default
Labels:       <none>
Annotations:  kubernetes.io/service-account.name: build

Type:  kubernetes.io/service-account-token

Data
====
ca.crt:  1107 bytes
token:   eyJhbGciOi
`,
  );
  assert.equal(
    await run('serviceaccount', 'build'),
    `Name:                build
Namespace:           default
Labels:              <none>
Annotations:         <none>
Image pull secrets:  regcred
                     other
Events:              <none>
`,
  );
  assert.equal(
    await run('namespace', 'team'),
    `Name:         team
Labels:       kubernetes.io/metadata.name=team
Annotations:  <none>
Status:       Active

Resource Quotas
  Name:    compute
  Scopes:  NotBestEffort
  * Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service.
  Resource      Used  Hard
  --------      ---   ---
  pods          3     10
  requests.cpu  0     2

Resource Limits
 Type       Resource  Min  Max  Default Request  Default Limit  Max Limit/Request Ratio
 ----       --------  ---  ---  ---------------  -------------  -----------------------
 Container  memory    -    1Gi  256Mi            512Mi          -
`,
  );
});

test('kubectl describe replicaset and statefulset word them as describeReplicaSet and describeStatefulSet do', async () => {
  const api = new FakeApi(F.NOW, [
    {
      group: 'apps',
      version: 'v1',
      kind: 'StatefulSet',
      resource: 'statefulsets',
      singular: 'statefulset',
      shortNames: ['sts'],
      namespaced: true,
      verbs: ['get', 'list'],
    },
  ]);
  const created = new Date(F.NOW - 600_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const template = (labels: Record<string, string>) => ({
    metadata: { labels },
    spec: {
      containers: [
        { name: 'nginx', image: 'registry.k8s.io/nginx-slim:0.7', ports: [{ containerPort: 80, name: 'web', protocol: 'TCP' }] },
      ],
    },
  });
  const pod = (name: string, owner: Obj, phase: string) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: `p-${name}`,
      ownerReferences: [{ kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid, controller: true }],
    },
    spec: { containers: [{ name: 'nginx', image: 'nginx' }] },
    status: { phase },
  });
  const rs = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: 'web-7d4c9b',
      namespace: 'default',
      uid: 'rs1',
      labels: { app: 'web', 'pod-template-hash': '7d4c9b' },
      annotations: { 'deployment.kubernetes.io/revision': '1' },
      ownerReferences: [{ kind: 'Deployment', name: 'web', uid: 'd1', controller: true }],
    },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web', 'pod-template-hash': '7d4c9b' } }, template: template({ app: 'web' }) },
    status: { replicas: 2 },
  };
  // kubernetes.io/examples/application/web/web.yaml (website main, 2025), as the API server defaults it
  const sts = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'default', uid: 'ss1', creationTimestamp: created },
    spec: {
      replicas: 2,
      serviceName: 'nginx',
      selector: { matchLabels: { app: 'nginx' } },
      template: template({ app: 'nginx' }),
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      volumeClaimTemplates: [
        { metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
      ],
    },
    status: { replicas: 2 },
  };
  for (const o of [
    rs,
    sts,
    pod('web-7d4c9b-a', rs, 'Running'),
    pod('web-7d4c9b-b', rs, 'Pending'),
    pod('web-0', sts, 'Running'),
    pod('web-1', sts, 'Running'),
  ])
    api.create(o as never);
  const run = async (...argv: string[]) => {
    let out = '';
    const io = { stdout: (t: string) => void (out += t), stderr: (t: string) => void (out += `ERR${t}`), readFile: () => undefined };
    assert.equal(await kubectl({ client: api, io }, ['describe', ...argv]), 0);
    return out;
  };
  assert.equal(
    await run('rs', 'web-7d4c9b'),
    `Name:           web-7d4c9b
Namespace:      default
Selector:       app=web,pod-template-hash=7d4c9b
Labels:         app=web
                pod-template-hash=7d4c9b
Annotations:    deployment.kubernetes.io/revision: 1
Controlled By:  Deployment/web
Replicas:       2 current / 2 desired
Pods Status:    1 Running / 1 Waiting / 0 Succeeded / 0 Failed
Pod Template:
  Labels:  app=web
  Containers:
   nginx:
    Image:         registry.k8s.io/nginx-slim:0.7
    Port:          80/TCP (web)
    Host Port:     0/TCP (web)
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Events:            <none>
`,
  );
  assert.equal(
    await run('sts', 'web'),
    `Name:               web
Namespace:          default
CreationTimestamp:  ${rfc(created)}
Selector:           app=nginx
Labels:             <none>
Annotations:        <none>
Replicas:           2 desired | 2 total
Update Strategy:    RollingUpdate
  Partition:        0
Pods Status:        2 Running / 0 Waiting / 0 Succeeded / 0 Failed
Pod Template:
  Labels:  app=nginx
  Containers:
   nginx:
    Image:         registry.k8s.io/nginx-slim:0.7
    Port:          80/TCP (web)
    Host Port:     0/TCP (web)
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Volume Claims:
  Name:          www
  StorageClass:  
  Labels:        <none>
  Annotations:   <none>
  Capacity:      1Gi
  Access Modes:  [ReadWriteOnce]
Events:          <none>
`,
  );
});
