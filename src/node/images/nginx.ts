// The official nginx image (Debian; nginx:alpine on Alpine): ENTRYPOINT /docker-entrypoint.sh,
// CMD `nginx -g 'daemon off;'`; the entrypoint script configures and then execs its arguments.
// Both variants install curl (nginx/docker-nginx mainline/debian/Dockerfile: `curl` beside the nginx
// packages on debian:trixie-slim; the alpine image's last layer `apk add --no-cache curl
// ca-certificates`). The Debian one has no ip, ping or ifconfig (seed 000 apt installs net-tools for
// ifconfig); the Alpine one has BusyBox's.
import { BUSYBOX_APPLETS, DEBIAN_BASE, type WorkloadImage } from './image.js';

function program(argv: readonly string[]): string[] | undefined {
  const rest = argv[0] === '/docker-entrypoint.sh' ? argv.slice(1) : argv;
  return rest[0] === 'nginx' || rest[0] === '/usr/sbin/nginx' ? ['nginx', ...rest.slice(1)] : undefined;
}

export const nginxImage: WorkloadImage = {
  name: 'nginx',
  entrypoint: ['/docker-entrypoint.sh'],
  cmd: ['nginx', '-g', 'daemon off;'],
  commands: [...DEBIAN_BASE, 'nginx', 'curl'],
  shell: 'bash',
  program,
};

/** nginx:alpine: Alpine's BusyBox applets (ip, ping, wget… as BusyBox prints them), nginx and curl. */
export const nginxAlpineImage: WorkloadImage = {
  ...nginxImage,
  commands: [...BUSYBOX_APPLETS, 'nginx', 'curl'],
  busybox: BUSYBOX_APPLETS,
  shell: 'sh',
  libc: 'musl',
};
