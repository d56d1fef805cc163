// Cluster add-ons that run as pods on the nodes: kindnetd, kube-proxy and flanneld; and the manifests knetlab knows by URL.
export { KINDNET_CONFLIST, kindMasqRules, kindnetConflist, startKindnet, writeKindnetConflist, type KindnetOptions } from './kindnet.js';
export {
  FULL_SYNC_PERIOD_MS,
  KUBE_PROXY_CONFIGMAP,
  kubeProxyConfigText,
  startKubeProxy,
  type KubeProxy,
  type KubeProxyOptions,
} from './kube-proxy.js';
export { FLANNEL_CNI_CONF, FLANNEL_CNI_PLUGIN_IMAGE, FLANNEL_IMAGE, FLANNEL_NET_CONF, flannelManifest } from './flannel-manifest.js';
export { WELL_KNOWN_MANIFEST_URLS, wellKnownManifest } from './manifests.js';
export { ANNOTATION as FLANNEL_ANNOTATION, nodeLease, startFlanneld, SUBNET_FILE, type Flanneld, type FlanneldOptions } from './flannel.js';
export { runFlannelInit, type InitResult } from './flannel-pod.js';
export { COREDNS_VERSION, RELOAD_CHECK_MS, startCoreDns, type CoreDns, type CoreDnsOptions } from './coredns.js';
export { parseCorefile, type CoreConfig } from './corefile.js';
export { UPSTREAM_A, upstreamAnswer, upstreamReply } from './coredns-upstream.js';
export { DOCKER_DNS_IP, embeddedDnsReply, NetworkNames, resolverRulesSaved, startEmbeddedDns, type EmbeddedDns } from './docker-dns.js';
