// The files of the plain images the seeds `docker run` (nicolaka/netshoot on the kind network), and
// a Debian-like default for any other image: what their shells find — the same commands as the
// image's pods have (node/images). Alpine's tools are busybox's; their output is just-bash's here.
import { DOCKER_RESOLV_CONF } from '../kind/index.js';
import { DEBIAN_BASE, imageOf } from '../node/images/index.js';

export interface PlainImageFile {
  readonly path: string;
  readonly content?: string;
  readonly mode: number;
}

const HOSTS = (ip: string, name: string) =>
  `127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::\tip6-localnet\nff00::\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n${ip}\t${name}\n`;

/** The files a container of `image` starts with. */
export function plainImageFiles(image: string, hostname: string, ip: string): PlainImageFile[] {
  const files: PlainImageFile[] = [
    '/bin',
    '/etc',
    '/proc',
    '/root',
    '/tmp',
    '/usr',
    '/usr/bin',
    '/usr/local',
    '/usr/local/bin',
    '/usr/sbin',
    '/sbin',
    '/var',
  ].map((path) => ({ path, mode: path === '/tmp' ? 0o1777 : 0o755 }));
  files.push(
    { path: '/etc/hostname', content: `${hostname}\n`, mode: 0o644 },
    { path: '/etc/hosts', content: HOSTS(ip, hostname), mode: 0o644 },
    { path: '/etc/resolv.conf', content: DOCKER_RESOLV_CONF, mode: 0o644 },
  );
  for (const c of imageOf(image)?.commands ?? DEBIAN_BASE)
    files.push({ path: `/usr/bin/${c}`, content: `\x7fELF knetlab placeholder for ${c}\n`, mode: 0o755 });
  return files;
}
