// The API objects kubeadm and kind install in a new cluster: CoreDNS (Corefile, Deployment of 2,
// Service kube-dns at .10 of the service range), kube-proxy (ConfigMap, DaemonSet) and kindnet
// (DaemonSet) unless the default CNI is disabled. Static control-plane pods are mirror pods a kubelet
// posts: they come with the node agents.
import type { KubeObject } from '../api/index.js';
import { stringify } from 'yaml';
import { documentOf, kubeadmDocuments } from './kubeadm-config.js';
import { formatIpv4, parsePrefix } from '../wire/index.js';
import { KUBERNETES_VERSION, type KindConfig } from './config.js';
import type { KindNodeInfo } from './world.js';

/** CoreDNS image of kubeadm for this Kubernetes version (UNVERIFIED tag). */
export const COREDNS_IMAGE = 'registry.k8s.io/coredns/coredns:v1.12.1';
export const KINDNETD_IMAGE = 'docker.io/kindest/kindnetd:v20260528-9350166c';

const COREFILE = `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success cluster.local
       disable denial cluster.local
    }
    loop
    reload
    loadbalance
}
`;

const CP_TOLERATIONS = [
  { key: 'CriticalAddonsOnly', operator: 'Exists' },
  { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
];

/**
 * `apiEndpoint`: the node kind's GetAPIServerInternalEndpoint names (nodeutils.APIServerEndpointNode:
 * the external load balancer of an HA cluster, else the control plane), whose port 6443 kindnetd's
 * CONTROL_PLANE_ENDPOINT gets.
 */
export function addons(config: KindConfig, firstControlPlane: KindNodeInfo, apiEndpoint: string = firstControlPlane.name): KubeObject[] {
  const svc = parsePrefix(config.networking.serviceSubnet.split(',')[0]!)!;
  const dnsIp = formatIpv4((svc.addr + 10) >>> 0);
  const out: KubeObject[] = [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: COREFILE } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'coredns', namespace: 'kube-system' } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { 'k8s-app': 'kube-dns' } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
        template: {
          metadata: { labels: { 'k8s-app': 'kube-dns' } },
          spec: {
            priorityClassName: 'system-cluster-critical',
            serviceAccountName: 'coredns',
            tolerations: CP_TOLERATIONS,
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            dnsPolicy: 'Default',
            containers: [
              {
                name: 'coredns',
                image: COREDNS_IMAGE,
                args: ['-conf', '/etc/coredns/Corefile'],
                ports: [
                  { containerPort: 53, name: 'dns', protocol: 'UDP' },
                  { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' },
                  { containerPort: 9153, name: 'metrics', protocol: 'TCP' },
                  { containerPort: 8080, name: 'liveness-probe', protocol: 'TCP' },
                  { containerPort: 8181, name: 'readiness-probe', protocol: 'TCP' },
                ],
                // kubeadm's CoreDNSDeployment (phases/addons/dns/manifests.go): the probes by their named ports
                livenessProbe: {
                  httpGet: { path: '/health', port: 'liveness-probe', scheme: 'HTTP' },
                  initialDelaySeconds: 60,
                  timeoutSeconds: 5,
                  successThreshold: 1,
                  failureThreshold: 5,
                },
                readinessProbe: { httpGet: { path: '/ready', port: 'readiness-probe', scheme: 'HTTP' } },
                resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
                volumeMounts: [{ name: 'config-volume', mountPath: '/etc/coredns', readOnly: true }],
              },
            ],
            volumes: [{ name: 'config-volume', configMap: { name: 'coredns', items: [{ key: 'Corefile', path: 'Corefile' }] } }],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'kube-dns',
        namespace: 'kube-system',
        labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
        annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
      },
      spec: {
        clusterIP: dnsIp,
        selector: { 'k8s-app': 'kube-dns' },
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
          { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
          { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
        ],
      },
    },
  ];
  if (config.networking.kubeProxyMode !== 'none') {
    out.push(
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'kube-proxy', namespace: 'kube-system' } },
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'kube-proxy', namespace: 'kube-system', labels: { app: 'kube-proxy' } },
        data: {
          'config.conf': kubeProxyConfig(config, firstControlPlane),
          'kubeconfig.conf': `apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt\n    server: https://${firstControlPlane.name}:6443\n  name: default\ncontexts:\n- context:\n    cluster: default\n    namespace: default\n    user: default\n  name: default\ncurrent-context: default\nusers:\n- name: default\n  user:\n    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token\n`,
        },
      },
      {
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata: { name: 'kube-proxy', namespace: 'kube-system', labels: { 'k8s-app': 'kube-proxy' } },
        spec: {
          selector: { matchLabels: { 'k8s-app': 'kube-proxy' } },
          template: {
            metadata: { labels: { 'k8s-app': 'kube-proxy' } },
            spec: {
              hostNetwork: true,
              priorityClassName: 'system-node-critical',
              serviceAccountName: 'kube-proxy',
              nodeSelector: { 'kubernetes.io/os': 'linux' },
              tolerations: [{ operator: 'Exists' }],
              containers: [
                {
                  name: 'kube-proxy',
                  image: `registry.k8s.io/kube-proxy:${KUBERNETES_VERSION}`,
                  command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', '--hostname-override=$(NODE_NAME)'],
                  securityContext: { privileged: true },
                  env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
                  // kubeadm's manifest: the ConfigMap's config.conf where --config reads it, and the iptables lock
                  volumeMounts: [
                    { mountPath: '/var/lib/kube-proxy', name: 'kube-proxy' },
                    { mountPath: '/run/xtables.lock', name: 'xtables-lock' },
                    { mountPath: '/lib/modules', name: 'lib-modules', readOnly: true },
                  ],
                },
              ],
              volumes: [
                { name: 'kube-proxy', configMap: { name: 'kube-proxy' } },
                { name: 'xtables-lock', hostPath: { path: '/run/xtables.lock', type: 'FileOrCreate' } },
                { name: 'lib-modules', hostPath: { path: '/lib/modules' } },
              ],
            },
          },
        },
      },
    );
  }
  if (!config.networking.disableDefaultCNI) out.push(...kindnetManifest(config, apiEndpoint));
  out.push(...storageManifest());
  return out;
}

/** kind's default storage images (pkg/build/nodeimage/const_storage.go). UNVERIFIED tags for v0.32.0: from a third-party v1.36.1 kind fixture (provisioner) and kind v0.24 (helper). */
export const LOCAL_PATH_PROVISIONER_IMAGE = 'docker.io/kindest/local-path-provisioner:v20260521-9fb22683';
const LOCAL_PATH_HELPER_IMAGE = 'docker.io/kindest/local-path-helper:v20230510-486859a6';

/**
 * kind's "Installing StorageClass" step (const_storage.go's manifest): rancher's local-path
 * provisioner in namespace local-path-storage (storage under /var, kind's images, linux nodes,
 * tolerating the control-plane taint) and the default StorageClass `standard`. Coarse: the
 * provisioner runs as a pod but provisions nothing (PersistentVolumes are not emulated).
 */
export function storageManifest(): KubeObject[] {
  const ns = 'local-path-storage';
  const sa = 'local-path-provisioner-service-account';
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa, namespace: ns } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'local-path-provisioner-role' },
      rules: [
        { apiGroups: [''], resources: ['nodes', 'persistentvolumeclaims', 'configmaps'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['endpoints', 'persistentvolumes', 'pods'], verbs: ['*'] },
        { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
        { apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], verbs: ['get', 'list', 'watch'] },
      ],
    } as KubeObject,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'local-path-provisioner-bind' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'local-path-provisioner-role' },
      subjects: [{ kind: 'ServiceAccount', name: sa, namespace: ns }],
    } as KubeObject,
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'local-path-provisioner', namespace: ns },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'local-path-provisioner' } },
        template: {
          metadata: { labels: { app: 'local-path-provisioner' } },
          spec: {
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            tolerations: [
              { key: 'node-role.kubernetes.io/control-plane', operator: 'Equal', effect: 'NoSchedule' },
              { key: 'node-role.kubernetes.io/master', operator: 'Equal', effect: 'NoSchedule' },
            ],
            serviceAccountName: sa,
            containers: [
              {
                name: 'local-path-provisioner',
                image: LOCAL_PATH_PROVISIONER_IMAGE,
                imagePullPolicy: 'IfNotPresent',
                command: [
                  'local-path-provisioner',
                  '--debug',
                  'start',
                  '--helper-image',
                  LOCAL_PATH_HELPER_IMAGE,
                  '--config',
                  '/etc/config/config.json',
                ],
                volumeMounts: [{ name: 'config-volume', mountPath: '/etc/config/' }],
                env: [{ name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }],
              },
            ],
            volumes: [{ name: 'config-volume', configMap: { name: 'local-path-config' } }],
          },
        },
      },
    },
    {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'rancher.io/local-path',
      volumeBindingMode: 'WaitForFirstConsumer',
      reclaimPolicy: 'Delete',
    } as KubeObject,
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'local-path-config', namespace: ns },
      data: {
        'config.json':
          '{\n        "nodePathMap":[\n        {\n                "node":"DEFAULT_PATH_FOR_NON_LISTED_NODES",\n                "paths":["/var/local-path-provisioner"]\n        }\n        ]\n}',
        setup: '#!/bin/sh\nset -eu\nmkdir -m 0777 -p "$VOL_DIR"',
        teardown: '#!/bin/sh\nset -eu\nrm -rf "$VOL_DIR"',
        'helperPod.yaml': `apiVersion: v1\nkind: Pod\nmetadata:\n  name: helper-pod\nspec:\n  containers:\n  - name: helper-pod\n    image: ${LOCAL_PATH_HELPER_IMAGE}\n    imagePullPolicy: IfNotPresent`,
      },
    },
  ];
}

/**
 * The kube-proxy ConfigMap's config.conf: the KubeProxyConfiguration of the kubeadm config kind
 * writes for the first control plane (kubeadm-config.ts: kind's mode, iptables.minSyncPeriod 1s,
 * conntrack.maxPerCore 0 with the cluster's and that node's patches applied, as kubeadm init there
 * writes the ConfigMap), with what kubeadm fills in when a field is empty (bindAddress,
 * clusterCIDR from the pod subnet) or always (clientConnection.kubeconfig). Keys are printed
 * sorted, as kubeadm's marshalling prints them.
 */
export function kubeProxyConfig(config: KindConfig, firstControlPlane: { readonly name: string; readonly ip: string }): string {
  const index = config.nodes.findIndex((n) => n.role === 'control-plane');
  const docs = kubeadmDocuments(config, { name: firstControlPlane.name, role: 'control-plane', ip: firstControlPlane.ip, index });
  const doc = {
    ...(documentOf(docs, 'KubeProxyConfiguration') ?? { apiVersion: 'kubeproxy.config.k8s.io/v1alpha1', kind: 'KubeProxyConfiguration' }),
  };
  if (!doc['bindAddress']) doc['bindAddress'] = '0.0.0.0';
  if (!doc['clusterCIDR']) doc['clusterCIDR'] = config.networking.podSubnet;
  const connection = typeof doc['clientConnection'] === 'object' && doc['clientConnection'] !== null ? doc['clientConnection'] : {};
  doc['clientConnection'] = { ...connection, kubeconfig: '/var/lib/kube-proxy/kubeconfig.conf' };
  return stringify(doc, { sortMapEntries: true, lineWidth: 0 });
}

/**
 * kind v0.32.0's default CNI manifest (pkg/build/nodeimage/const_cni.go, templated with the pod
 * subnet) after installcni's JSON patch appending CONTROL_PLANE_ENDPOINT: kindnetd's ClusterRole
 * and binding, its ServiceAccount and the DaemonSet with the node's CNI config directory, the
 * iptables lock, the kernel modules and NRI's socket directory mounted from the node.
 */
export function kindnetManifest(config: KindConfig, apiEndpoint: string): KubeObject[] {
  const labels = { tier: 'node', app: 'kindnet', 'k8s-app': 'kindnet' };
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'kindnet' },
      rules: [
        { apiGroups: ['policy'], resources: ['podsecuritypolicies'], verbs: ['use'], resourceNames: ['kindnet'] },
        { apiGroups: [''], resources: ['nodes', 'pods', 'namespaces'], verbs: ['list', 'watch'] },
        { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['list', 'watch'] },
      ],
    } as KubeObject,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'kindnet' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'kindnet' },
      subjects: [{ kind: 'ServiceAccount', name: 'kindnet', namespace: 'kube-system' }],
    } as KubeObject,
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'kindnet', namespace: 'kube-system' } },
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'kindnet', namespace: 'kube-system', labels },
      spec: {
        selector: { matchLabels: { app: 'kindnet' } },
        template: {
          metadata: { labels },
          spec: {
            hostNetwork: true,
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            tolerations: [{ operator: 'Exists' }],
            priorityClassName: 'system-node-critical',
            serviceAccountName: 'kindnet',
            containers: [
              {
                name: 'kindnet-cni',
                image: KINDNETD_IMAGE,
                env: [
                  { name: 'HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
                  { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
                  { name: 'POD_SUBNET', value: config.networking.podSubnet },
                  { name: 'CONTROL_PLANE_ENDPOINT', value: `${apiEndpoint}:6443` },
                ],
                volumeMounts: [
                  { name: 'cni-cfg', mountPath: '/etc/cni/net.d' },
                  { name: 'xtables-lock', mountPath: '/run/xtables.lock', readOnly: false },
                  { name: 'lib-modules', mountPath: '/lib/modules', readOnly: true },
                  { name: 'nri-plugin', mountPath: '/var/run/nri' },
                ],
                resources: { requests: { cpu: '100m', memory: '50Mi' }, limits: { cpu: '100m', memory: '50Mi' } },
                securityContext: { privileged: false, capabilities: { add: ['NET_RAW', 'NET_ADMIN'] } },
              },
            ],
            volumes: [
              { name: 'cni-cfg', hostPath: { path: '/etc/cni/net.d' } },
              { name: 'xtables-lock', hostPath: { path: '/run/xtables.lock', type: 'FileOrCreate' } },
              { name: 'lib-modules', hostPath: { path: '/lib/modules' } },
              { name: 'nri-plugin', hostPath: { path: '/var/run/nri' } },
            ],
          },
        },
      },
    },
  ];
}
