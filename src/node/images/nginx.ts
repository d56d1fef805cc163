// The official nginx image (Debian; nginx:alpine on Alpine): ENTRYPOINT /docker-entrypoint.sh,
// CMD `nginx -g 'daemon off;'`; the entrypoint script configures and then execs its arguments.
// Both variants install curl (nginx/docker-nginx mainline/debian/Dockerfile: `curl` beside the nginx
// packages on debian:trixie-slim; the alpine image's last layer `apk add --no-cache curl
// ca-certificates`). The Debian one has no ip, ping or ifconfig (seed 000 apt installs net-tools for
// ifconfig); the Alpine one has BusyBox's.
import { BUSYBOX_APPLETS, DEBIAN_BASE, type WorkloadImage } from './image.js';

function program(argv: readonly string[], env: Readonly<Record<string, string>>): string[] | undefined {
  const entrypoint = argv[0] === '/docker-entrypoint.sh';
  const rest = entrypoint ? argv.slice(1) : argv;
  if (rest[0] !== 'nginx' && rest[0] !== '/usr/sbin/nginx') return undefined;
  // the entrypoint says what it configures, unless NGINX_ENTRYPOINT_QUIET_LOGS is set
  const quiet = (env.NGINX_ENTRYPOINT_QUIET_LOGS ?? '') !== '';
  return [...(entrypoint && !quiet ? ['/docker-entrypoint.sh'] : []), 'nginx', ...rest.slice(1)];
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
