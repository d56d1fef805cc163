// Cluster add-ons that run as pods on the nodes: kindnetd and kube-proxy.
export { KINDNET_CONFLIST, kindMasqRules, kindnetConflist, startKindnet, writeKindnetConflist, type KindnetOptions } from './kindnet.js';
export { FULL_SYNC_PERIOD_MS, KUBE_PROXY_CONFIGMAP, startKubeProxy, type KubeProxy, type KubeProxyOptions } from './kube-proxy.js';
