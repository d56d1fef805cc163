// What knetlab knows of a workload image: its ENTRYPOINT and CMD (how the kubelet's runtime starts
// it, with the pod's command and args in their place as Kubernetes defines), the commands in its
// PATH (what `kubectl exec` finds) and its shell.

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface WorkloadImage {
  /** The repository as Docker Hub names it: `nginx`, `traefik/whoami`. */
  readonly name: string;
  readonly entrypoint: readonly string[];
  readonly cmd: readonly string[];
  /** Executables in the image's PATH, by name. */
  readonly commands: readonly string[];
  /** Commands BusyBox serves in this image: their output is BusyBox's, which knetlab does not emulate (they say so). */
  readonly busybox?: readonly string[];
  /** The program that serves those applets, when not today's `busybox` (busybox:1.28's older nslookup). */
  readonly busyboxProgram?: string;
  /** The C library its programs resolve names with: musl on Alpine, glibc otherwise (Debian, busybox:latest's glibc variant). */
  readonly libc?: 'glibc' | 'musl';
  /** The image's /bin/sh (and bash, when it has one); none in a scratch image. */
  readonly shell?: 'bash' | 'sh';
  /** The process the image's entrypoint ends up running for `argv` (an entrypoint script's `exec "$@"`), with the container's env applied; undefined when knetlab has no program for it (it idles). */
  program(argv: readonly string[], env: Readonly<Record<string, string>>): string[] | undefined;
}

/** The container's argv as the runtime builds it: command replaces ENTRYPOINT (and drops CMD), args replace CMD. */
export function containerArgv(image: Pick<WorkloadImage, 'entrypoint' | 'cmd'>, container: Obj): string[] {
  const command = Array.isArray(container.command) ? (container.command as string[]) : undefined;
  const args = Array.isArray(container.args) ? (container.args as string[]) : undefined;
  return [...(command ?? image.entrypoint), ...(args ?? (command ? [] : image.cmd))];
}

/** The container's plain env values (valueFrom references are not resolved here). */
export function containerEnv(container: Obj): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of (container.env ?? []) as Obj[]) if (typeof e.name === 'string' && typeof e.value === 'string') env[e.name] = e.value;
  return env;
}

/** BusyBox's applets in an Alpine or busybox image (the ones knetlab's shell can run or names as not emulated). */
export const BUSYBOX_APPLETS: readonly string[] = [
  'sh',
  'ash',
  'awk',
  'base64',
  'basename',
  'cat',
  'chmod',
  'cp',
  'cut',
  'date',
  'diff',
  'dirname',
  'du',
  'echo',
  'env',
  'expr',
  'false',
  'find',
  'grep',
  'egrep',
  'fgrep',
  'printenv',
  'gunzip',
  'gzip',
  'head',
  'hostname',
  'ln',
  'ls',
  'md5sum',
  'mkdir',
  'mv',
  'od',
  'printf',
  'readlink',
  'rm',
  'rmdir',
  'sed',
  'seq',
  'sleep',
  'sort',
  'stat',
  'tac',
  'tail',
  'tar',
  'tee',
  'test',
  '[',
  'timeout',
  'touch',
  'tr',
  'true',
  'uniq',
  'wc',
  'whoami',
  'xargs',
  'zcat',
  'ps',
  'ping',
  'wget',
  'nslookup',
  'nc',
  'ip',
  'ifconfig',
  'route',
  'netstat',
  'traceroute',
  'arp',
];

/** Debian's essential tools (bash, coreutils, grep, sed, findutils, ...), what a Debian-based image has. */
export const DEBIAN_BASE: readonly string[] = [
  'bash',
  'sh',
  'awk',
  'base64',
  'basename',
  'cat',
  'chmod',
  'chown',
  'cp',
  'cut',
  'date',
  'diff',
  'dirname',
  'du',
  'echo',
  'egrep',
  'env',
  'expr',
  'false',
  'fgrep',
  'find',
  'grep',
  'gunzip',
  'gzip',
  'head',
  'hostname',
  'id',
  'ln',
  'ls',
  'md5sum',
  'mkdir',
  'mv',
  'od',
  'printenv',
  'printf',
  'readlink',
  'rm',
  'rmdir',
  'sed',
  'seq',
  'sleep',
  'sort',
  'stat',
  'tac',
  'tail',
  'tar',
  'tee',
  'test',
  '[',
  'timeout',
  'touch',
  'tr',
  'true',
  'uniq',
  'wc',
  'whoami',
  'xargs',
  'zcat',
  'apt',
  'apt-get',
  'getent',
];
