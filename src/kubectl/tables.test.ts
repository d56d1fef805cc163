// Golden tables for `kubectl get`. Columns and cell rules come from kubernetes/kubernetes
// pkg/printers/internalversion/printers.go (AddHandlers, print*; printers_test.go expects the same
// cells, e.g. TestPrintPod "1/2 ContainerCreating", TestPrintService "80:30080/TCP",
// TestPrintEndpoint "1.2.3.4:8001,... + 1 more..."), laid out by cli-runtime's tab writer
// (minwidth 6, padding 3) as kubectl prints them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as F from './_fixtures.js';
import { GetTablePrinter } from './output.js';
import { TABLES } from './tables.js';

const base = { now: F.NOW, wide: false, withNamespace: false, withKind: undefined, showLabels: false, noHeaders: false, labelColumns: [] };

const cases: [string, string, F.Obj[], Record<string, unknown>, string][] = [
  [
    'componentstatuses (printComponentStatus: Healthy/Unhealthy, the message, the error)',
    '/ComponentStatus',
    [
      {
        metadata: { name: 'scheduler' },
        conditions: [{ type: 'Healthy', status: 'False', message: 'Get "https://127.0.0.1:10259/healthz": refused' }],
      },
      { metadata: { name: 'controller-manager' }, conditions: [{ type: 'Healthy', status: 'True', message: 'ok' }] },
      { metadata: { name: 'etcd-0' }, conditions: [{ type: 'Healthy', status: 'Unknown', error: 'context deadline exceeded' }] },
      { metadata: { name: 'other' } },
    ],
    {},
    `NAME                 STATUS      MESSAGE                                          ERROR
scheduler            Unhealthy   Get "https://127.0.0.1:10259/healthz": refused   
controller-manager   Healthy     ok                                               
etcd-0               Unhealthy                                                    context deadline exceeded
other                Unknown                                                      
`,
  ],
  [
    'servicecidrs and ipaddresses (printServiceCIDR; printIPAddress: group/resource lowercased, no Age column)',
    'networking.k8s.io/ServiceCIDR',
    [{ metadata: { name: 'kubernetes', creationTimestamp: F.ago(299) }, spec: { cidrs: ['10.200.1.0/24'] } }],
    {},
    `NAME         CIDRS           AGE
kubernetes   10.200.1.0/24   4m59s
`,
  ],
  [
    'ipaddresses: parentRef as resource[.group]/namespace/name',
    'networking.k8s.io/IPAddress',
    [
      {
        metadata: { name: '10.96.0.1' },
        spec: { parentRef: { group: '', resource: 'services', namespace: 'default', name: 'kubernetes' } },
      },
      { metadata: { name: '10.96.7.7' }, spec: { parentRef: { group: 'gateway.networking.k8s.io', resource: 'Gateways', name: 'gw' } } },
      { metadata: { name: '10.96.9.9' }, spec: {} },
    ],
    {},
    `NAME        PARENTREF
10.96.0.1   services/default/kubernetes
10.96.7.7   gateways.gateway.networking.k8s.io/gw
10.96.9.9   <none>
`,
  ],
  [
    'pods: Running, ContainerCreating, Terminating with restarts (printPod)',
    '/Pod',
    [F.podRunning, F.podCreating, F.podTerminating],
    {},
    `NAME                   READY   STATUS              RESTARTS      AGE
nginx                  1/1     Running             0             5m
web-7d4b9cf5c8-x2x9z   0/1     ContainerCreating   0             10s
old                    1/1     Terminating         3 (65s ago)   2m10s
`,
  ],
  [
    'pods -o wide: IP, NODE, NOMINATED NODE, READINESS GATES',
    '/Pod',
    [F.podRunning, F.podCreating, F.podTerminating],
    { wide: true },
    `NAME                   READY   STATUS              RESTARTS      AGE     IP           NODE           NOMINATED NODE   READINESS GATES
nginx                  1/1     Running             0             5m      10.244.1.2   kind-worker    <none>           <none>
web-7d4b9cf5c8-x2x9z   0/1     ContainerCreating   0             10s     <none>       kind-worker2   <none>           <none>
old                    1/1     Terminating         3 (65s ago)   2m10s   10.244.1.7   kind-worker    <none>           <none>
`,
  ],
  [
    'pods -A --show-labels: NAMESPACE first, LABELS last',
    '/Pod',
    [F.podRunning, F.podCreating, F.podTerminating],
    { withNamespace: true, showLabels: true },
    `NAMESPACE     NAME                   READY   STATUS              RESTARTS      AGE     LABELS
default       nginx                  1/1     Running             0             5m      run=nginx
default       web-7d4b9cf5c8-x2x9z   0/1     ContainerCreating   0             10s     app=web,pod-template-hash=7d4b9cf5c8
kube-system   old                    1/1     Terminating         3 (65s ago)   2m10s   <none>
`,
  ],
  [
    'services: ClusterIP, NodePort, LoadBalancer clipped to 16, <pending> (printService)',
    '/Service',
    [F.svcKubernetes, F.svcNodePort, F.svcLB, F.svcPending],
    {},
    `NAME            TYPE           CLUSTER-IP     EXTERNAL-IP        PORT(S)                     AGE
kubernetes      ClusterIP      10.96.0.1      <none>             443/TCP                     3h4m
deploy-websrv   NodePort       10.96.151.28   <none>             80:31001/TCP,53:30053/UDP   2d2h
svc1            LoadBalancer   10.96.20.30    172.18.255.20...   80:30495/TCP                9d
svc2            LoadBalancer   10.96.20.31    <pending>          80:31234/TCP                59s
`,
  ],
  [
    'services -o wide: LoadBalancer IPs sorted and unclipped, SELECTOR',
    '/Service',
    [F.svcKubernetes, F.svcNodePort, F.svcLB, F.svcPending],
    { wide: true },
    `NAME            TYPE           CLUSTER-IP     EXTERNAL-IP                     PORT(S)                     AGE    SELECTOR
kubernetes      ClusterIP      10.96.0.1      <none>                          443/TCP                     3h4m   <none>
deploy-websrv   NodePort       10.96.151.28   <none>                          80:31001/TCP,53:30053/UDP   2d2h   app=deploy-websrv
svc1            LoadBalancer   10.96.20.30    172.18.255.200,172.18.255.201   80:30495/TCP                9d     app=webpod
svc2            LoadBalancer   10.96.20.31    <pending>                       80:31234/TCP                59s    <none>
`,
  ],
  [
    'endpoints: three then + N more..., <none> without subsets (formatEndpoints)',
    '/Endpoints',
    [F.endpoints, F.endpointsEmpty],
    {},
    `NAME            ENDPOINTS                                               AGE
deploy-websrv   10.244.1.2:80,10.244.2.2:80,10.244.3.2:80 + 1 more...   2d2h
svc2            <none>                                                  59s
`,
  ],
  [
    'endpointslices: ports and all addresses (formatDiscoveryPorts/Endpoints)',
    'discovery.k8s.io/EndpointSlice',
    [F.slice],
    {},
    `NAME                  ADDRESSTYPE   PORTS   ENDPOINTS               AGE
deploy-websrv-7xk2p   IPv4          80      10.244.1.2,10.244.2.2   2d2h
`,
  ],
  [
    'deployments -o wide (printDeployment)',
    'apps/Deployment',
    [F.deployment],
    { wide: true },
    `NAME            READY   UP-TO-DATE   AVAILABLE   AGE    CONTAINERS   IMAGES           SELECTOR
deploy-websrv   2/3     3            2           2d2h   websrv       traefik/whoami   app=deploy-websrv
`,
  ],
  [
    'replicasets -o wide (printReplicaSet)',
    'apps/ReplicaSet',
    [F.replicaset],
    { wide: true },
    `NAME                       DESIRED   CURRENT   READY   AGE    CONTAINERS       IMAGES                   SELECTOR
deploy-websrv-5c7d9c6b8f   3         3         2       2d2h   websrv,sidecar   traefik/whoami,busybox   app=deploy-websrv,pod-template-hash=5c7d9c6b8f
`,
  ],
  [
    'daemonsets: NODE SELECTOR (printDaemonSet)',
    'apps/DaemonSet',
    [F.daemonset],
    {},
    `NAME              DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR            AGE
kube-flannel-ds   4         4         4       4            4           kubernetes.io/os=linux   120m
`,
  ],
  [
    'daemonsets -o wide',
    'apps/DaemonSet',
    [F.daemonset],
    { wide: true },
    `NAME              DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR            AGE    CONTAINERS     IMAGES                               SELECTOR
kube-flannel-ds   4         4         4       4            4           kubernetes.io/os=linux   120m   kube-flannel   ghcr.io/flannel-io/flannel:v0.26.1   app=flannel
`,
  ],
  [
    'nodes: roles from node-role labels, NotReady,SchedulingDisabled (printNode)',
    '/Node',
    [F.nodeCP, F.nodeWorker],
    {},
    `NAME                 STATUS                        ROLES           AGE     VERSION
kind-control-plane   Ready                         control-plane   10m     v1.36.1
kind-worker          NotReady,SchedulingDisabled   <none>          9m50s   v1.36.1
`,
  ],
  [
    'nodes -o wide: <none> and <unknown> fill-ins',
    '/Node',
    [F.nodeCP, F.nodeWorker],
    { wide: true },
    `NAME                 STATUS                        ROLES           AGE     VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE                       KERNEL-VERSION   CONTAINER-RUNTIME
kind-control-plane   Ready                         control-plane   10m     v1.36.1   172.18.0.2    <none>        Debian GNU/Linux 13 (trixie)   6.8.0-1015-aws   containerd://2.3.1
kind-worker          NotReady,SchedulingDisabled   <none>          9m50s   v1.36.1   172.18.0.3    <none>        <unknown>                      6.8.0-1015-aws   containerd://2.3.1
`,
  ],
  [
    'namespaces --show-labels',
    '/Namespace',
    [F.namespace],
    { showLabels: true },
    `NAME           STATUS   AGE    LABELS
kube-flannel   Active   120m   kubernetes.io/metadata.name=kube-flannel,pod-security.kubernetes.io/enforce=privileged
`,
  ],
  [
    'configmaps: DATA counts keys',
    '/ConfigMap',
    [F.configmap],
    {},
    `NAME               DATA   AGE
kube-flannel-cfg   2      120m
`,
  ],
  [
    'secrets',
    '/Secret',
    [F.secret],
    {},
    `NAME         TYPE     DATA   AGE
memberlist   Opaque   1      100s
`,
  ],
  [
    'serviceaccounts',
    '/ServiceAccount',
    [F.serviceaccount],
    {},
    `NAME      SECRETS   AGE
default   0         10m
`,
  ],
  [
    'leases',
    'coordination.k8s.io/Lease',
    [F.lease],
    {},
    `NAME          HOLDER        AGE
kind-worker   kind-worker   9m50s
`,
  ],
  [
    'events: OBJECT kind/name, eventTime when firstTimestamp is unset (printEvent)',
    '/Event',
    [F.eventScheduled, F.event],
    {},
    `LAST SEEN   TYPE     REASON      OBJECT      MESSAGE
5m          Normal   Scheduled   pod/nginx   Successfully assigned default/nginx to kind-worker
4m50s       Normal   Pulled      pod/nginx   Container image "nginx:alpine" already present on machine
`,
  ],
  [
    'events -o wide: SUBOBJECT, SOURCE, FIRST SEEN, COUNT, NAME',
    '/Event',
    [F.eventScheduled, F.event],
    { wide: true },
    `LAST SEEN   TYPE     REASON      OBJECT      SUBOBJECT                SOURCE                 MESSAGE                                                     FIRST SEEN   COUNT   NAME
5m          Normal   Scheduled   pod/nginx                            default-scheduler      Successfully assigned default/nginx to kind-worker          5m           1       nginx.17f0a1b2c3d4e000
4m50s       Normal   Pulled      pod/nginx   spec.containers{nginx}   kubelet, kind-worker   Container image "nginx:alpine" already present on machine   4m50s        1       nginx.17f0a1b2c3d4e5f6
`,
  ],
];

for (const [title, key, objs, opts, want] of cases) {
  test(`kubectl get ${title}`, () => {
    const p = new GetTablePrinter();
    p.print(key, TABLES[key]!, objs, { ...base, ...opts });
    assert.equal(p.flush(), want);
  });
}

test('kubectl get of several kinds: kind/name prefixes, one header per kind, a blank line between kinds that printed', () => {
  const p = new GetTablePrinter();
  const o = { ...base, withKind: 'deployment.apps' };
  p.print('apps/Deployment', TABLES['apps/Deployment']!, [F.deployment], o);
  p.print('/Pod', TABLES['/Pod']!, [], { ...base, withKind: 'pod' });
  p.print('/Service', TABLES['/Service']!, [F.svcNodePort], { ...base, withKind: 'service' });
  p.print('/Endpoints', TABLES['/Endpoints']!, [F.endpoints], { ...base, withKind: 'endpoints' });
  assert.equal(
    p.flush(),
    `NAME                            READY   UP-TO-DATE   AVAILABLE   AGE
deployment.apps/deploy-websrv   2/3     3            2           2d2h

NAME                    TYPE       CLUSTER-IP     EXTERNAL-IP   PORT(S)                     AGE
service/deploy-websrv   NodePort   10.96.151.28   <none>        80:31001/TCP,53:30053/UDP   2d2h

NAME                      ENDPOINTS                                               AGE
endpoints/deploy-websrv   10.244.1.2:80,10.244.2.2:80,10.244.3.2:80 + 1 more...   2d2h
`,
  );
});
