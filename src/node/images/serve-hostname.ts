// registry.k8s.io/serve_hostname (k8s.gcr.io/serve_hostname; kubernetes test/images/serve-hostname):
// ENTRYPOINT /serve_hostname (Dockerfile), on the BusyBox base image the test images of its time
// were built on (UNVERIFIED: BASEIMAGE is not in the sources read; `kubectl exec` finds BusyBox's
// applets). Its program answers the pod's hostname on 9376 (apps/http/serve-hostname.ts).
import { BUSYBOX_APPLETS, type WorkloadImage } from './image.js';

export const serveHostnameImage: WorkloadImage = {
  name: 'serve_hostname',
  entrypoint: ['/serve_hostname'],
  cmd: [],
  commands: BUSYBOX_APPLETS,
  busybox: BUSYBOX_APPLETS,
  shell: 'sh',
  program: (argv) => (/^(\.?\/)?serve_hostname$/.test(argv[0] ?? '') ? ['/serve_hostname', ...argv.slice(1)] : undefined),
};
