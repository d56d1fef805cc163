import { formatIpv4, parsePrefix } from '../wire/index.js';
import { KUBERNETES_VERSION } from './config.js';
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
export function addons(config, firstControlPlane) {
    const svc = parsePrefix(config.networking.serviceSubnet.split(',')[0]);
    const dnsIp = formatIpv4((svc.addr + 10) >>> 0);
    const out = [
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
                                ],
                                livenessProbe: { httpGet: { path: '/health', port: 8080 }, initialDelaySeconds: 60, failureThreshold: 5 },
                                readinessProbe: { httpGet: { path: '/ready', port: 8181 } },
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
            metadata: { name: 'kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' }, annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' } },
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
        out.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'kube-proxy', namespace: 'kube-system' } }, {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: 'kube-proxy', namespace: 'kube-system', labels: { app: 'kube-proxy' } },
            data: {
                'config.conf': `apiVersion: kubeproxy.config.k8s.io/v1alpha1\nbindAddress: 0.0.0.0\nclientConnection:\n  kubeconfig: /var/lib/kube-proxy/kubeconfig.conf\nclusterCIDR: ${config.networking.podSubnet}\nconntrack:\n  maxPerCore: 0\niptables:\n  minSyncPeriod: 1s\nkind: KubeProxyConfiguration\nmode: ${config.networking.kubeProxyMode}\n`,
                'kubeconfig.conf': `apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt\n    server: https://${firstControlPlane.name}:6443\n  name: default\ncontexts:\n- context:\n    cluster: default\n    namespace: default\n    user: default\n  name: default\ncurrent-context: default\nusers:\n- name: default\n  user:\n    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token\n`,
            },
        }, {
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
                        containers: [{ name: 'kube-proxy', image: `registry.k8s.io/kube-proxy:${KUBERNETES_VERSION}`, command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', '--hostname-override=$(NODE_NAME)'], securityContext: { privileged: true }, env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }] }],
                    },
                },
            },
        });
    }
    if (!config.networking.disableDefaultCNI) {
        out.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'kindnet', namespace: 'kube-system' } }, {
            apiVersion: 'apps/v1',
            kind: 'DaemonSet',
            metadata: { name: 'kindnet', namespace: 'kube-system', labels: { app: 'kindnet', 'k8s-app': 'kindnet', tier: 'node' } },
            spec: {
                selector: { matchLabels: { app: 'kindnet' } },
                template: {
                    metadata: { labels: { app: 'kindnet', 'k8s-app': 'kindnet', tier: 'node' } },
                    spec: {
                        hostNetwork: true,
                        priorityClassName: 'system-node-critical',
                        serviceAccountName: 'kindnet',
                        tolerations: [{ operator: 'Exists' }],
                        containers: [
                            {
                                name: 'kindnet-cni',
                                image: KINDNETD_IMAGE,
                                env: [
                                    { name: 'HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
                                    { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
                                    { name: 'POD_SUBNET', value: config.networking.podSubnet },
                                    { name: 'CONTROL_PLANE_ENDPOINT', value: `${firstControlPlane.name}:6443` },
                                ],
                                resources: { limits: { cpu: '100m', memory: '50Mi' }, requests: { cpu: '100m', memory: '50Mi' } },
                                securityContext: { capabilities: { add: ['NET_RAW', 'NET_ADMIN'] }, privileged: false },
                            },
                        ],
                    },
                },
            },
        });
    }
    return out;
}
//# sourceMappingURL=addons.js.map