// Objects as a kind cluster holds them, for the printer and describe tests (shapes from the
// API reference; times relative to NOW so AGE columns are known).
import type { Obj } from './tables.js';

export type { Obj } from './tables.js';
export const NOW = Date.parse('2026-01-01T12:00:00Z');
export const ago = (seconds: number) => new Date(NOW - seconds * 1000).toISOString().replace('.000Z', 'Z');

export const podRunning: Obj = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'nginx', namespace: 'default', uid: 'u1', creationTimestamp: ago(300), labels: { run: 'nginx' } },
  spec: { nodeName: 'kind-worker', containers: [{ name: 'nginx', image: 'nginx:alpine' }] },
  status: {
    phase: 'Running',
    podIP: '10.244.1.2',
    podIPs: [{ ip: '10.244.1.2' }],
    hostIP: '172.18.0.3',
    conditions: [{ type: 'Ready', status: 'True' }],
    containerStatuses: [{ name: 'nginx', ready: true, restartCount: 0, state: { running: { startedAt: ago(290) } } }],
  },
};

export const podCoreDNS: Obj = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'coredns-6bf86987dd-7dhcf', namespace: 'kube-system', creationTimestamp: ago(590) },
  spec: {
    nodeName: 'kind-control-plane',
    containers: [
      {
        name: 'coredns',
        image: 'registry.k8s.io/coredns/coredns:v1.12.1',
        resources: { requests: { cpu: '100m', memory: '70Mi' }, limits: { memory: '170Mi' } },
      },
    ],
  },
  status: { phase: 'Running' },
};

export const podCreating: Obj = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'web-7d4b9cf5c8-x2x9z',
    namespace: 'default',
    creationTimestamp: ago(10),
    labels: { app: 'web', 'pod-template-hash': '7d4b9cf5c8' },
  },
  spec: { nodeName: 'kind-worker2', containers: [{ name: 'web', image: 'traefik/whoami' }] },
  status: {
    phase: 'Pending',
    containerStatuses: [{ name: 'web', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }],
  },
};

export const podTerminating: Obj = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'old',
    namespace: 'kube-system',
    creationTimestamp: ago(130),
    deletionTimestamp: ago(-30),
    deletionGracePeriodSeconds: 30,
  },
  spec: { nodeName: 'kind-worker', containers: [{ name: 'a', image: 'busybox' }] },
  status: {
    phase: 'Running',
    podIP: '10.244.1.7',
    podIPs: [{ ip: '10.244.1.7' }],
    hostIP: '172.18.0.3',
    containerStatuses: [
      { name: 'a', ready: true, restartCount: 3, lastState: { terminated: { finishedAt: ago(65) } }, state: { running: {} } },
    ],
  },
};

export const svcKubernetes: Obj = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: {
    name: 'kubernetes',
    namespace: 'default',
    creationTimestamp: ago(3 * 3600 + 4 * 60),
    labels: { component: 'apiserver', provider: 'kubernetes' },
  },
  spec: {
    type: 'ClusterIP',
    clusterIP: '10.96.0.1',
    clusterIPs: ['10.96.0.1'],
    ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
  },
};

export const svcNodePort: Obj = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'deploy-websrv', namespace: 'default', creationTimestamp: ago(50 * 3600) },
  spec: {
    type: 'NodePort',
    clusterIP: '10.96.151.28',
    clusterIPs: ['10.96.151.28'],
    selector: { app: 'deploy-websrv' },
    ports: [
      { port: 80, protocol: 'TCP', targetPort: 80, nodePort: 31001 },
      { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53, nodePort: 30053 },
    ],
  },
};

export const svcLB: Obj = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'svc1', namespace: 'default', creationTimestamp: ago(9 * 86400) },
  spec: {
    type: 'LoadBalancer',
    clusterIP: '10.96.20.30',
    clusterIPs: ['10.96.20.30'],
    selector: { app: 'webpod' },
    ports: [{ port: 80, protocol: 'TCP', targetPort: 80, nodePort: 30495 }],
  },
  status: { loadBalancer: { ingress: [{ ip: '172.18.255.201' }, { ip: '172.18.255.200' }] } },
};

export const svcPending: Obj = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'svc2', namespace: 'default', creationTimestamp: ago(59) },
  spec: {
    type: 'LoadBalancer',
    clusterIP: '10.96.20.31',
    clusterIPs: ['10.96.20.31'],
    ports: [{ port: 80, protocol: 'TCP', nodePort: 31234 }],
  },
  status: { loadBalancer: {} },
};

export const endpoints: Obj = {
  apiVersion: 'v1',
  kind: 'Endpoints',
  metadata: { name: 'deploy-websrv', namespace: 'default', creationTimestamp: ago(50 * 3600) },
  subsets: [
    {
      addresses: [{ ip: '10.244.1.2' }, { ip: '10.244.2.2' }, { ip: '10.244.3.2' }, { ip: '10.244.3.3' }],
      ports: [{ port: 80, protocol: 'TCP' }],
    },
  ],
};

export const endpointsEmpty: Obj = {
  apiVersion: 'v1',
  kind: 'Endpoints',
  metadata: { name: 'svc2', namespace: 'default', creationTimestamp: ago(59) },
};

export const slice: Obj = {
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: {
    name: 'deploy-websrv-7xk2p',
    namespace: 'default',
    creationTimestamp: ago(50 * 3600),
    labels: { 'kubernetes.io/service-name': 'deploy-websrv' },
  },
  addressType: 'IPv4',
  ports: [{ name: '', port: 80, protocol: 'TCP' }],
  endpoints: [
    { addresses: ['10.244.1.2'], conditions: { ready: true } },
    { addresses: ['10.244.2.2'], conditions: { ready: false } },
  ],
};

export const deployment: Obj = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'deploy-websrv', namespace: 'default', creationTimestamp: ago(50 * 3600), generation: 1 },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'deploy-websrv' } },
    template: { metadata: { labels: { app: 'deploy-websrv' } }, spec: { containers: [{ name: 'websrv', image: 'traefik/whoami' }] } },
  },
  status: { replicas: 3, updatedReplicas: 3, readyReplicas: 2, availableReplicas: 2 },
};

export const replicaset: Obj = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'deploy-websrv-5c7d9c6b8f', namespace: 'default', creationTimestamp: ago(50 * 3600) },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'deploy-websrv', 'pod-template-hash': '5c7d9c6b8f' } },
    template: {
      spec: {
        containers: [
          { name: 'websrv', image: 'traefik/whoami' },
          { name: 'sidecar', image: 'busybox' },
        ],
      },
    },
  },
  status: { replicas: 3, readyReplicas: 2 },
};

export const daemonset: Obj = {
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'kube-flannel-ds', namespace: 'kube-flannel', creationTimestamp: ago(7200) },
  spec: {
    selector: { matchLabels: { app: 'flannel' } },
    template: {
      spec: {
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        containers: [{ name: 'kube-flannel', image: 'ghcr.io/flannel-io/flannel:v0.26.1' }],
      },
    },
  },
  status: { desiredNumberScheduled: 4, currentNumberScheduled: 4, numberReady: 4, updatedNumberScheduled: 4, numberAvailable: 4 },
};

const nodeInfo = {
  kubeletVersion: 'v1.36.1',
  osImage: 'Debian GNU/Linux 13 (trixie)',
  kernelVersion: '6.8.0-1015-aws',
  containerRuntimeVersion: 'containerd://2.3.1',
};
export const nodeCP: Obj = {
  apiVersion: 'v1',
  kind: 'Node',
  metadata: {
    name: 'kind-control-plane',
    creationTimestamp: ago(600),
    labels: { 'kubernetes.io/hostname': 'kind-control-plane', 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/os': 'linux' },
  },
  spec: {
    podCIDR: '10.244.0.0/24',
    podCIDRs: ['10.244.0.0/24'],
    taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
  },
  status: {
    conditions: [{ type: 'Ready', status: 'True' }],
    addresses: [
      { type: 'InternalIP', address: '172.18.0.2' },
      { type: 'Hostname', address: 'kind-control-plane' },
    ],
    nodeInfo,
    capacity: { cpu: '8', 'ephemeral-storage': '101430960Ki', memory: '16248396Ki', pods: '110' },
    allocatable: { cpu: '8', 'ephemeral-storage': '101430960Ki', memory: '16248396Ki', pods: '110' },
  },
};
export const nodeWorker: Obj = {
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'kind-worker', creationTimestamp: ago(590), labels: { 'kubernetes.io/hostname': 'kind-worker' } },
  spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'], unschedulable: true },
  status: {
    conditions: [{ type: 'Ready', status: 'False', reason: 'KubeletNotReady' }],
    addresses: [{ type: 'InternalIP', address: '172.18.0.3' }],
    nodeInfo: { ...nodeInfo, osImage: '' },
  },
};

export const namespace: Obj = {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: {
    name: 'kube-flannel',
    creationTimestamp: ago(7200),
    labels: { 'pod-security.kubernetes.io/enforce': 'privileged', 'kubernetes.io/metadata.name': 'kube-flannel' },
  },
  status: { phase: 'Active' },
};
export const configmap: Obj = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'kube-flannel-cfg', namespace: 'kube-flannel', creationTimestamp: ago(7200), labels: { app: 'flannel', tier: 'node' } },
  data: { 'cni-conf.json': '{\n  "name": "cbr0"\n}\n', 'net-conf.json': '{"Network": "10.244.0.0/16"}' },
};
export const secret: Obj = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'memberlist', namespace: 'metallb-system', creationTimestamp: ago(100) },
  type: 'Opaque',
  data: { secretkey: 'c2VjcmV0' },
};
export const serviceaccount: Obj = {
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: { name: 'default', namespace: 'default', creationTimestamp: ago(600) },
};
export const lease: Obj = {
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { name: 'kind-worker', namespace: 'kube-node-lease', creationTimestamp: ago(590) },
  spec: { holderIdentity: 'kind-worker', leaseDurationSeconds: 40 },
};
export const event: Obj = {
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: 'nginx.17f0a1b2c3d4e5f6', namespace: 'default', creationTimestamp: ago(300) },
  involvedObject: { kind: 'Pod', namespace: 'default', name: 'nginx', fieldPath: 'spec.containers{nginx}' },
  reason: 'Pulled',
  message: 'Container image "nginx:alpine" already present on machine',
  source: { component: 'kubelet', host: 'kind-worker' },
  firstTimestamp: ago(290),
  lastTimestamp: ago(290),
  count: 1,
  type: 'Normal',
};
export const eventScheduled: Obj = {
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: 'nginx.17f0a1b2c3d4e000', namespace: 'default', creationTimestamp: ago(300) },
  involvedObject: { kind: 'Pod', namespace: 'default', name: 'nginx' },
  reason: 'Scheduled',
  message: 'Successfully assigned default/nginx to kind-worker',
  reportingComponent: 'default-scheduler',
  reportingInstance: '',
  eventTime: ago(300),
  type: 'Normal',
};

/** kubernetes.io's `pi` Job after its pod succeeded (backoffLimit 4), as the Job controller leaves it. */
const piLabels = {
  'batch.kubernetes.io/controller-uid': '5f1c',
  'batch.kubernetes.io/job-name': 'pi',
  'controller-uid': '5f1c',
  'job-name': 'pi',
};
export const jobComplete = {
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'pi', namespace: 'default', uid: '5f1c', labels: piLabels, creationTimestamp: '2026-01-01T11:58:00Z' },
  spec: {
    parallelism: 1,
    completions: 1,
    completionMode: 'NonIndexed',
    suspend: false,
    backoffLimit: 4,
    selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': '5f1c' } },
    template: {
      metadata: { labels: piLabels },
      spec: {
        restartPolicy: 'Never',
        containers: [{ name: 'pi', image: 'perl:5.34.0', command: ['perl', '-Mbignum=bpi', '-wle', 'print bpi(2000)'] }],
      },
    },
  },
  status: {
    startTime: '2026-01-01T11:58:00Z',
    completionTime: '2026-01-01T11:58:12Z',
    succeeded: 1,
    ready: 0,
    terminating: 0,
    uncountedTerminatedPods: {},
    conditions: [
      { type: 'SuccessCriteriaMet', status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' },
      { type: 'Complete', status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' },
    ],
  },
};
