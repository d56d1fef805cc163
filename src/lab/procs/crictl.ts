// cri-tools' crictl (v1.36.0, kind v0.32.0's) against a node's containerd, as its sandboxes and
// containers are in the node's process table: `ps [-a] [-q] [-o json|yaml|table]`, `pods [-q]`,
// `images [-q]`, `inspect ID`, `inspectp ID`, `version`. Tables come from Go's tabwriter as crictl
// sets it up (minwidth 20, padding 3; the last column unpadded); IDs are cut to 13 characters;
// CREATED is go-units' HumanDuration; lists are newest first. Image IDs are derived from the image
// reference (knetlab has no image content to digest); sizes are those of the images' current tags
// where known (UNVERIFIED, per registry listing), else left out.
import { fullRef, imageId, PAUSE_IMAGE, type NodeProcesses, type SandboxRecord } from '../../node/index.js';
import { humanDuration, type ToolResult } from '../../docker/index.js';

/** Go's tabwriter as crictl's display.go configures it. */
export function tabwriter(rows: readonly (readonly string[])[]): string {
  const n = Math.max(...rows.map((r) => r.length));
  const widths = Array.from({ length: n - 1 }, (_, i) => Math.max(20, ...rows.map((r) => (r[i]?.length ?? 0) + 3)));
  return rows.map((r) => `${r.map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i]!) : c)).join('')}\n`).join('');
}

/** Compressed sizes as crictl images shows them for these tags (UNVERIFIED: they change with each push). */
const SIZES: Readonly<Record<string, string>> = {
  'registry.k8s.io/pause': '320kB',
  'docker.io/library/nginx:alpine': '20.2MB',
  'docker.io/nicolaka/netshoot': '178MB',
};

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
const nanos = (ms: number) => `${BigInt(Math.round(ms)) * 1_000_000n}`;

interface Row {
  readonly sandbox: SandboxRecord;
  readonly c: SandboxRecord['containers'][number];
  readonly order: number;
}

function containers(table: NodeProcesses): Row[] {
  const rows: Row[] = [];
  let order = 0;
  for (const s of table.sandboxes()) for (const c of s.containers) rows.push({ sandbox: s, c, order: order++ });
  return rows.sort((a, b) => b.c.created - a.c.created || b.order - a.order);
}

function containerJson(r: Row): Record<string, unknown> {
  const { sandbox: s, c } = r;
  return {
    id: c.id,
    podSandboxId: s.id,
    metadata: { name: c.name, attempt: c.attempt },
    image: { image: `sha256:${imageId(c.image)}`, annotations: {}, userSpecifiedImage: c.image, runtimeHandler: '' },
    imageRef: `sha256:${imageId(c.image)}`,
    state: 'CONTAINER_RUNNING',
    createdAt: nanos(c.created),
    labels: {
      'io.kubernetes.container.name': c.name,
      'io.kubernetes.pod.name': s.name,
      'io.kubernetes.pod.namespace': s.namespace,
      'io.kubernetes.pod.uid': s.uid,
    },
    annotations: { 'io.kubernetes.container.restartCount': String(c.attempt), 'io.kubernetes.pod.terminationGracePeriod': '30' },
    imageId: `sha256:${imageId(c.image)}`,
  };
}

/** The container crictl names by a unique prefix of its id, or its error. */
function findContainer(table: NodeProcesses, id: string): Row | string {
  const hits = containers(table).filter((r) => r.c.id.startsWith(id));
  if (hits.length === 1 && id !== '') return hits[0]!;
  return `getting the status of the container "${id}": rpc error: code = NotFound desc = an error occurred when try to find container "${id}": not found`;
}

/** logrus' fatal line as crictl writes it to a pipe (UNVERIFIED: the time field's format). */
function fatal(now: number, msg: string): ToolResult {
  const time = new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return { status: 1, stdout: '', stderr: `time="${time}" level=fatal msg="${msg.replace(/"/g, '\\"')}"\n` };
}

function inspect(table: NodeProcesses, r: Row): Record<string, unknown> {
  const { sandbox: s, c } = r;
  const pause = table.get(s.pausePid);
  const main = table.get(c.pid);
  const nsPath = (t: string) => ({ path: `/proc/${s.pausePid}/ns/${t}` });
  const hostNet = pause && s.netns === undefined;
  return {
    status: {
      id: c.id,
      metadata: { attempt: c.attempt, name: c.name },
      state: 'CONTAINER_RUNNING',
      createdAt: iso(c.created),
      startedAt: iso(c.created),
      finishedAt: '0001-01-01T00:00:00Z',
      exitCode: 0,
      image: { annotations: {}, image: c.image, runtimeHandler: '', userSpecifiedImage: '' },
      imageRef: `sha256:${imageId(c.image)}`,
      reason: '',
      message: '',
      labels: {
        'io.kubernetes.container.name': c.name,
        'io.kubernetes.pod.name': s.name,
        'io.kubernetes.pod.namespace': s.namespace,
        'io.kubernetes.pod.uid': s.uid,
      },
      annotations: { 'io.kubernetes.container.restartCount': String(c.attempt) },
      mounts: [],
      logPath: `/var/log/pods/${s.namespace}_${s.name}_${s.uid}/${c.name}/${c.attempt}.log`,
      resources: null,
      user: { linux: { gid: '0', supplementalGroups: ['0'], uid: String(main?.uid ?? 0) } },
    },
    info: {
      sandboxID: s.id,
      pid: c.pid,
      removing: false,
      snapshotKey: c.id,
      snapshotter: 'overlayfs',
      runtimeType: 'io.containerd.runc.v2',
      runtimeOptions: { systemd_cgroup: true },
      config: {
        metadata: { name: c.name, attempt: c.attempt },
        image: { image: c.image },
        args: c.args.slice(1),
        command: c.args.slice(0, 1),
      },
      runtimeSpec: {
        ociVersion: '1.2.1',
        process: { user: { uid: main?.uid ?? 0, gid: 0 }, args: [...c.args], cwd: '/' },
        root: { path: 'rootfs' },
        hostname: s.netns === undefined ? undefined : s.name,
        linux: {
          namespaces: [
            { type: 'pid' },
            { type: 'ipc', ...nsPath('ipc') },
            ...(hostNet ? [] : [{ type: 'uts', ...nsPath('uts') }]),
            { type: 'mount' },
            ...(hostNet ? [] : [{ type: 'network', ...nsPath('net') }]),
            { type: 'cgroup' },
          ],
        },
      },
    },
  };
}

/** `loaded`: the images `kind load docker-image` put in the node's containerd, beside those its pods run. */
export function crictl(table: NodeProcesses, argv: readonly string[], loaded: Iterable<string> = []): ToolResult {
  const [verb, ...rest] = argv;
  const flags = new Set(rest.filter((a) => a.startsWith('-')));
  const oi = rest.findIndex((a) => a === '-o' || a === '--output');
  const output =
    oi >= 0
      ? rest[oi + 1]
      : (rest
          .find((a) => a.startsWith('-o') && a.length > 2)
          ?.slice(2)
          .replace(/^=/, '') ?? rest.find((a) => a.startsWith('--output='))?.slice(9));
  const quiet = flags.has('-q') || flags.has('--quiet');
  const now = table.now();
  const json = (v: unknown) => ({ status: 0, stdout: `${JSON.stringify(v, null, 2)}\n`, stderr: '' });
  switch (verb) {
    case 'ps': {
      // --name: a regular expression on the name; --pod: the sandbox id's prefix; --state running|exited
      const opt = (name: string) => {
        const i = rest.indexOf(name);
        return i >= 0 ? rest[i + 1] : rest.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
      };
      const nameRe = opt('--name');
      const podId = opt('--pod') ?? opt('-p');
      const state = opt('--state') ?? opt('-s');
      let re: RegExp | undefined;
      try {
        re = nameRe === undefined ? undefined : new RegExp(nameRe);
      } catch {
        return fatal(now, `invalid --name regular expression "${nameRe}"`);
      }
      const rows = containers(table).filter(
        (r) => (!re || re.test(r.c.name)) && (!podId || r.sandbox.id.startsWith(podId)) && (!state || state.toLowerCase() === 'running'),
      );
      if (quiet) return { status: 0, stdout: rows.map((r) => `${r.c.id}\n`).join(''), stderr: '' };
      if (output === 'json') return json({ containers: rows.map(containerJson) });
      if (output === 'yaml') return { status: 1, stdout: '', stderr: 'knetlab: crictl ps -o yaml is not emulated (json and table are)\n' };
      if (output !== undefined && output !== 'table') return fatal(now, `unsupported output format "${output}"`);
      const table1 = [['CONTAINER', 'IMAGE', 'CREATED', 'STATE', 'NAME', 'ATTEMPT', 'POD ID', 'POD', 'NAMESPACE']];
      for (const r of rows)
        table1.push([
          r.c.id.slice(0, 13),
          imageId(r.c.image).slice(0, 13),
          `${humanDuration(now - r.c.created)} ago`,
          'Running',
          r.c.name,
          String(r.c.attempt),
          r.sandbox.id.slice(0, 13),
          r.sandbox.name,
          r.sandbox.namespace,
        ]);
      return { status: 0, stdout: tabwriter(table1), stderr: '' };
    }
    case 'pods': {
      const pods = [...table.sandboxes()].reverse().sort((a, b) => b.created - a.created);
      if (quiet) return { status: 0, stdout: pods.map((p) => `${p.id}\n`).join(''), stderr: '' };
      const t = [['POD ID', 'CREATED', 'STATE', 'NAME', 'NAMESPACE', 'ATTEMPT', 'RUNTIME']];
      for (const p of pods)
        t.push([p.id.slice(0, 13), `${humanDuration(now - p.created)} ago`, 'Ready', p.name, p.namespace, String(p.attempt), '(default)']);
      return { status: 0, stdout: tabwriter(t), stderr: '' };
    }
    case 'images':
    case 'img': {
      const refs = new Map<string, { repo: string; tag: string; id: string }>();
      for (const ref of [PAUSE_IMAGE, ...table.sandboxes().flatMap((s) => s.containers.map((c) => c.image)), ...loaded]) {
        const f = fullRef(ref);
        refs.set(`${f.repo}:${f.tag}`, { ...f, id: imageId(ref) });
      }
      const list = [...refs.values()].sort((a, b) => (a.repo === b.repo ? (a.tag < b.tag ? -1 : 1) : a.repo < b.repo ? -1 : 1));
      if (quiet) return { status: 0, stdout: list.map((i) => `sha256:${i.id}\n`).join(''), stderr: '' };
      const t = [['IMAGE', 'TAG', 'IMAGE ID', 'SIZE']];
      for (const i of list) t.push([i.repo, i.tag, i.id.slice(0, 13), SIZES[`${i.repo}:${i.tag}`] ?? SIZES[i.repo] ?? '-']);
      return { status: 0, stdout: tabwriter(t), stderr: '' };
    }
    case 'inspect': {
      const ids = rest.filter((a) => !a.startsWith('-') && a !== output);
      if (!ids.length) return fatal(now, 'ID cannot be empty');
      const out: unknown[] = [];
      for (const id of ids) {
        const r = findContainer(table, id);
        if (typeof r === 'string') return fatal(now, r);
        out.push(inspect(table, r));
      }
      return { status: 0, stdout: out.map((o) => `${JSON.stringify(o, null, 2)}\n`).join(''), stderr: '' };
    }
    case 'inspectp': {
      const id = rest.find((a) => !a.startsWith('-') && a !== output) ?? '';
      const s = table.sandboxes().find((x) => id !== '' && x.id.startsWith(id));
      if (!s)
        return fatal(
          now,
          `getting the pod sandbox status for "${id}": rpc error: code = NotFound desc = an error occurred when try to find sandbox "${id}": not found`,
        );
      return json({
        status: {
          id: s.id,
          metadata: { attempt: s.attempt, name: s.name, namespace: s.namespace, uid: s.uid },
          state: 'SANDBOX_READY',
          createdAt: iso(s.created),
          network: { additionalIps: [], ip: '' },
          linux: {
            namespaces: { options: { ipc: 'POD', network: s.netns ? 'POD' : 'NODE', pid: 'CONTAINER', targetId: '', usernsOptions: null } },
          },
          labels: s.labels,
          annotations: {},
          runtimeHandler: '',
        },
        info: {
          pid: s.pausePid,
          processStatus: 'running',
          netNamespaceClosed: false,
          image: PAUSE_IMAGE,
          snapshotKey: s.id,
          snapshotter: 'overlayfs',
          runtimeHandler: '',
          runtimeType: 'io.containerd.runc.v2',
        },
      });
    }
    case 'version':
      return {
        status: 0,
        stdout: 'Version:  0.1.0\nRuntimeName:  containerd\nRuntimeVersion:  v2.3.1\nRuntimeApiVersion:  v1\n',
        stderr: '',
      };
    case undefined:
      return {
        status: 0,
        stdout: 'NAME:\n   crictl - client for CRI\n\nUSAGE:\n   crictl [global options] command [command options]\n',
        stderr: '',
      };
    default:
      return {
        status: 1,
        stdout: '',
        stderr: `knetlab: crictl ${verb} is not emulated (ps, pods, images, inspect, inspectp, exec, version are)\n`,
      };
  }
}
