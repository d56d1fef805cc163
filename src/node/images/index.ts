// Workload images knetlab emulates by name, one module each; any other image is a generic
// container (generic.ts).
import { busyboxImage, busyboxLegacyImage } from './busybox.js';
import { agnhostImage } from './agnhost.js';
import { dnsutilsImage } from './dnsutils.js';
import type { WorkloadImage } from './image.js';
import { nginxAlpineImage, nginxImage } from './nginx.js';
import { netshootImage } from './netshoot.js';
export { netshootImage };
import { pythonImage } from './python.js';
import { serveHostnameImage } from './serve-hostname.js';
import { whoamiImage } from './whoami.js';

export { containerArgv, containerEnv, DEBIAN_BASE, type WorkloadImage } from './image.js';
export { genericArgv, GENERIC_EVENT_REASON, genericMessage } from './generic.js';

/** `docker.io/library/nginx:1.27-alpine@sha256:…` → repository `nginx` and tag `1.27-alpine`. */
export function parseImageRef(ref: string): { repository: string; tag: string } {
  let rest = ref.split('@')[0]!;
  const slash = rest.indexOf('/');
  // a first component with a dot or colon, or `localhost`, is a registry host
  if (slash > 0 && /[.:]|^localhost$/.test(rest.slice(0, slash))) rest = rest.slice(slash + 1);
  const colon = rest.lastIndexOf(':');
  const tag = colon > rest.lastIndexOf('/') ? rest.slice(colon + 1) : 'latest';
  let repository = colon > rest.lastIndexOf('/') ? rest.slice(0, colon) : rest;
  if (repository.startsWith('library/')) repository = repository.slice('library/'.length);
  return { repository, tag };
}

/** The image knetlab emulates for a container's `image:`, or undefined for one it does not know. */
export function imageOf(ref: string): WorkloadImage | undefined {
  const { repository, tag } = parseImageRef(ref);
  switch (repository) {
    case 'nginx':
      return tag.includes('alpine') ? nginxAlpineImage : nginxImage;
    case 'traefik/whoami':
      return whoamiImage;
    case 'nicolaka/netshoot':
      return netshootImage;
    case 'busybox':
    case 'google-containers/busybox': // gcr.io/, the Debug Services page's interactive pod
    case 'google_containers/busybox':
      // 1.x before 1.29 (1.28, 1.28.4, 1.27-glibc…): the old nslookup
      return /^1\.(1?\d|2[0-8])(\.|-|$)/.test(tag) ? busyboxLegacyImage : busyboxImage;
    case 'python':
      return pythonImage;
    case 'serve_hostname': // registry.k8s.io/, k8s.gcr.io/
    case 'google_containers/serve_hostname': // gcr.io/
    case 'google-containers/serve_hostname':
      return serveHostnameImage;
    case 'e2e-test-images/agnhost': // registry.k8s.io/, k8s.gcr.io/
      return agnhostImage;
    case 'e2e-test-images/jessie-dnsutils': // registry.k8s.io/, k8s.gcr.io/
    case 'kubernetes-e2e-test-images/dnsutils': // gcr.io/, the page's earlier image
      return dnsutilsImage;
    default:
      return undefined;
  }
}
export {
  containerdStreamPort,
  controlPlaneSocketsFor,
  KUBE_PROXY_SOCKETS,
  kubeProxySockets,
  listenDaemonSockets,
  nodeDaemonSockets,
  type DaemonSocket,
} from './daemons.js';
