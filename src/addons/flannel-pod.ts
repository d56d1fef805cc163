// What the flannel DaemonSet's containers see of the node through their volumes, and what its two
// init containers do with it (kube-flannel.yml): install-cni-plugin copies the image's /flannel
// binary to the hostPath /opt/cni/bin (`cp -f`), install-cni copies the ConfigMap's cni-conf.json to
// /etc/cni/net.d/10-flannel.conflist (flannel's install-conf: a temp file renamed over the target).
import { ApiError, type ApiClient, type KubeObject } from '../api/index.js';
import type { NodeFiles } from '../sim/index.js';
import { FLANNEL_CNI_PLUGIN_IMAGE } from './flannel-manifest.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A path inside a container, resolved through its volume mounts. */
export type Mounted =
  | { readonly kind: 'host'; readonly path: string }
  | { readonly kind: 'configMap'; readonly namespace: string; readonly name: string; readonly key: string }
  | { readonly kind: 'image'; readonly path: string };

const trim = (p: string): string => (p.length > 1 ? p.replace(/\/+$/, '') : p);

/** Where `path` of `container` really lives: the longest mountPath holding it, else the image. */
export function resolveMount(pod: KubeObject, container: Obj, path: string): Mounted {
  const mounts = ((container.volumeMounts ?? []) as Obj[])
    .map((m) => ({ name: String(m.name), at: trim(String(m.mountPath)) }))
    .filter((m) => path === m.at || path.startsWith(`${m.at}/`))
    .sort((a, b) => b.at.length - a.at.length);
  const m = mounts[0];
  if (!m) return { kind: 'image', path };
  const rest = path.slice(m.at.length).replace(/^\//, '');
  const vol = (((pod.spec as Obj).volumes ?? []) as Obj[]).find((v) => v.name === m.name);
  if (vol?.hostPath) return { kind: 'host', path: rest ? `${trim(vol.hostPath.path)}/${rest}` : trim(vol.hostPath.path) };
  if (vol?.configMap) return { kind: 'configMap', namespace: pod.metadata.namespace!, name: String(vol.configMap.name), key: rest };
  return { kind: 'image', path };
}

/** The bytes at a resolved path, or undefined (no such file, ConfigMap or key). */
export function readMounted(api: ApiClient, files: NodeFiles, m: Mounted): string | undefined {
  if (m.kind === 'host') return files.readText(m.path);
  if (m.kind === 'image') return undefined;
  try {
    return ((api.get('configmaps', m.namespace, m.name).data ?? {}) as Record<string, string>)[m.key];
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return undefined;
    throw e;
  }
}

/** The flannel CNI plugin binary of the flannel-cni-plugin image (its content stands for the Go binary). */
const CNI_PLUGIN_BINARY = `placeholder for the CNI plugin flannel ${FLANNEL_CNI_PLUGIN_IMAGE.split(':')[1]}\n`;

/** An init container's outcome: exit 0, or a failure with what it wrote to stderr. */
export interface InitResult {
  readonly exitCode: number;
  readonly stderr: string;
}

/**
 * Runs one of the flannel manifest's init containers (recognised by command), or answers undefined
 * for any other container. Writes go to the node's files through the container's hostPath mounts;
 * a destination outside them lands in the container's own file system, which the node never sees.
 */
export function runFlannelInit(api: ApiClient, files: NodeFiles, pod: KubeObject, c: Obj): InitResult | undefined {
  const argv = [...((c.command ?? []) as string[]), ...((c.args ?? []) as string[])];
  const hostDest = (p: string): string | undefined => {
    const m = resolveMount(pod, c, p);
    return m.kind === 'host' ? m.path : undefined;
  };
  const dirOf = (p: string) => p.slice(0, p.lastIndexOf('/')) || '/';
  if (argv[0] === 'cp' && c.image === FLANNEL_CNI_PLUGIN_IMAGE && argv.length === 4 && argv[1] === '-f' && argv[2] === '/flannel') {
    const dest = hostDest(argv[3]!);
    if (!dest) return { exitCode: 0, stderr: '' }; // written inside the container only
    files.mkdirp(dirOf(dest)); // containerd makes a missing hostPath source directory
    files.write(dest, CNI_PLUGIN_BINARY, { mode: 0o755 });
    return { exitCode: 0, stderr: '' };
  }
  if (argv[0] === '/opt/bin/install-conf') {
    if (argv.length !== 3) return { exitCode: 1, stderr: 'usage: /opt/bin/install-conf <src> <dest>\n' };
    const text = readMounted(api, files, resolveMount(pod, c, argv[1]!));
    const dest = hostDest(argv[2]!);
    // utils.CopyFileAtomic's words for a missing source or destination directory
    if (text === undefined)
      return {
        exitCode: 1,
        stderr: `error installing "${argv[1]}": cannot open file "${argv[1]}": open ${argv[1]}: no such file or directory\n`,
      };
    if (!dest) return { exitCode: 0, stderr: '' }; // written inside the container only
    const dir = dirOf(dest);
    files.mkdirp(dir);
    const tmp = `${dir}/.${dest.slice(dir.length + 1)}.tmp`;
    files.write(tmp, text, { mode: 0o644 });
    files.rename(tmp, dest);
    return { exitCode: 0, stderr: '' };
  }
  return undefined;
}
