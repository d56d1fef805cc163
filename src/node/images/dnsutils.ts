// registry.k8s.io/e2e-test-images/jessie-dnsutils (kubernetes test/images/jessie-dnsutils), the
// "Debugging DNS Resolution" page's dnsutils pod: debian:jessie (BASEIMAGE) with `apt-get install
// dnsutils` (dig, nslookup, host, nsupdate) and CoreDNS 1.5.0's binary at /coredns (Dockerfile); no
// CMD of its own beyond Debian's bash, so the page keeps it up with `sleep infinity`. Coarse: dig,
// nslookup and host print as BIND 9.18's do (knetlab's), where jessie has BIND 9.9.5 (dig's
// version banner differs); /coredns is not run.
import { DEBIAN_BASE, type WorkloadImage } from './image.js';

export const dnsutilsImage: WorkloadImage = {
  name: 'e2e-test-images/jessie-dnsutils',
  entrypoint: [],
  cmd: ['bash'],
  commands: [...DEBIAN_BASE, 'dig', 'nslookup', 'host', 'nsupdate'],
  libc: 'glibc',
  shell: 'bash',
  program: () => undefined,
};
