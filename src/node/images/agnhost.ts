// registry.k8s.io/e2e-test-images/agnhost (kubernetes test/images/agnhost): Alpine (BASEIMAGE
// alpine:3.21) with bind-tools, curl, netcat-openbsd, iproute2, iperf and bash (Dockerfile),
// ENTRYPOINT /agnhost and CMD pause. The "Debugging DNS Resolution" page's dnsutils pod (agnhost:2.39)
// runs it as is: `agnhost pause` idles, and `kubectl exec dnsutils -- nslookup kubernetes.default`
// is BIND's nslookup. Coarse: agnhost's other subcommands (netexec, serve-hostname, ...) idle too,
// and iperf (2) is not there.
import { BUSYBOX_APPLETS, type WorkloadImage } from './image.js';

const AGNHOST_TOOLS: readonly string[] = ['bash', 'dig', 'nslookup', 'host', 'curl', 'nc', 'ip', 'ss', 'bridge'];

export const agnhostImage: WorkloadImage = {
  name: 'e2e-test-images/agnhost',
  entrypoint: ['/agnhost'],
  cmd: ['pause'],
  commands: [...new Set([...BUSYBOX_APPLETS, ...AGNHOST_TOOLS])],
  // its packages replace BusyBox's applets of the same name (bind-tools' nslookup, iproute2's ip, curl, nc)
  busybox: BUSYBOX_APPLETS.filter((c) => !AGNHOST_TOOLS.includes(c)),
  shell: 'bash',
  libc: 'musl',
  program: () => undefined,
};
