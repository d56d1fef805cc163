// `knetlab demo` (what `npm start` runs): kind's default-sized lab — 1 control plane + 2 workers
// with kindnet, a Deployment of 3 traefik/whoami pods — typed as a user would, with each command's
// output, then one pod pinging a pod on the other worker and that packet's walk: the pod's eth0,
// its veth on the node, the node's route to the other node's podCIDR, eth0, the kind bridge, the
// other node, its veth, the other pod. In-process and seeded, so the output is the same every run.
import { Walk } from '../kernel/index.js';
import { standardLab, type Lab } from '../lab/index.js';
import type { DemoOutput } from './demo.js';

export const KIND_CONFIG_FILE = 'kind-3nodes.yaml';
export const KIND_CONFIG = `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
- role: control-plane
- role: worker
- role: worker
`;

export const WHOAMI_FILE = 'whoami.yaml';
export const WHOAMI = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: whoami
spec:
  replicas: 3
  selector:
    matchLabels:
      app: whoami
  template:
    metadata:
      labels:
        app: whoami
    spec:
      containers:
      - name: whoami
        image: traefik/whoami
        ports:
        - containerPort: 80
`;

const FILES: Record<string, string> = { [KIND_CONFIG_FILE]: KIND_CONFIG, [WHOAMI_FILE]: WHOAMI };

interface PodView {
  readonly name: string;
  readonly node: string;
  readonly ip: string;
}

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function whoamiPods(lab: Lab): PodView[] {
  const kc = lab.kind.get('kind')!;
  return kc.cluster.store
    .list('pods', 'default')
    .items.filter((p) => (p.metadata.labels as Record<string, string> | undefined)?.app === 'whoami')
    .map((p) => ({ name: p.metadata.name!, node: (p.spec as Obj).nodeName as string, ip: (p.status as Obj).podIP as string }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The hops of the echo request and of its reply: each device that received them, as `host[/netns] dev`. */
export function walkHops(walk: Walk): { request: string[]; reply: string[] } {
  const hops = (what: string) =>
    walk.events.filter((e) => e.stage === 'rx' && e.detail.startsWith(`ICMP echo ${what} `)).map((e) => `${e.netns} ${e.dev}`);
  return { request: hops('request'), reply: hops('reply') };
}

export async function runKindDemo(out: DemoOutput): Promise<number> {
  const lab = standardLab();
  const bold = (s: string) => (out.colour ? `\x1b[1m${s}\x1b[0m` : s);
  const dim = (s: string) => (out.colour ? `\x1b[2m${s}\x1b[0m` : s);
  const say = (s: string) => out.write('\n' + dim(`# ${s}`) + '\n');
  const show = (line: string) => out.write(bold(`$ ${line}`) + '\n');
  const cat = (file: string) => {
    show(`cat ${file}`);
    out.write(FILES[file]!);
  };
  const run = async (argv: string[], progress?: string): Promise<{ status: number; text: string }> => {
    show(argv.join(' '));
    let text = '';
    // the status line stands until the step's first output replaces it
    let showing = progress !== undefined && out.progress !== undefined;
    if (showing) out.progress!(progress);
    const clear = () => {
      if (showing) out.progress!(undefined);
      showing = false;
    };
    const r = await lab.run(argv, {
      stdout: (t) => {
        clear();
        text += t;
        out.write(t);
      },
      stderr: (t) => {
        clear();
        out.write(dim(t));
      },
      readFile: (p) => (p in FILES ? new TextEncoder().encode(FILES[p]) : undefined),
      writeFile() {},
      signal: new AbortController().signal,
    });
    clear();
    if (r.status !== 0) out.write(`demo: "${argv.join(' ')}" failed with status ${r.status}\n`);
    return { status: r.status, text };
  };

  out.write(bold("knetlab demo: kind's default lab — 1 control plane + 2 workers, kindnet, 3 whoami pods, a ping across nodes") + '\n');
  say('a cluster of three nodes (each a container on the docker network "kind")');
  cat(KIND_CONFIG_FILE);
  for (const step of [
    { argv: ['kind', 'create', 'cluster', '--config', KIND_CONFIG_FILE], progress: 'creating the cluster…' },
    { argv: ['kubectl', 'get', 'nodes', '-o', 'wide'] },
  ]) {
    if ((await run(step.argv, step.progress)).status !== 0) return 1;
  }
  say('a Deployment of 3 traefik/whoami pods; the scheduler spreads them over the workers');
  cat(WHOAMI_FILE);
  for (const argv of [
    ['kubectl', 'apply', '-f', WHOAMI_FILE],
    ['kubectl', 'get', 'pods', '-o', 'wide'],
  ]) {
    if ((await run(argv, argv[1] === 'apply' ? 'starting the pods…' : undefined)).status !== 0) return 1;
  }
  const pods = whoamiPods(lab);
  const from = pods[0];
  const to = pods.find((p) => from && p.node !== from.node);
  if (!from || !to) {
    out.write('demo: the whoami pods did not land on two nodes\n');
    return 1;
  }
  say(`kindnet routes each other node's podCIDR via that node's IP; ${from.node}'s own pods are /32 routes to their veths`);
  if ((await run(['docker', 'exec', from.node, 'ip', 'route'])).status !== 0) return 1;
  say(`which veth leads to ${from.name} (${from.ip}), and the pod's network namespace at its other end`);
  const got = await run(['docker', 'exec', from.node, 'ip', 'route', 'get', from.ip]);
  const veth = / dev (\S+)/.exec(got.text)?.[1];
  if (got.status !== 0 || !veth) return 1;
  const link = await run(['docker', 'exec', from.node, 'ip', 'link', 'show', veth]);
  const netns = / link-netns (\S+)/.exec(link.text)?.[1];
  if (link.status !== 0 || !netns) return 1;

  say(`from ${from.name} on ${from.node} to ${to.name} on ${to.node}`);
  const ping = `ip netns exec ${netns} ping -c 1 ${to.ip}`;
  show(`docker exec ${from.node} ${ping}`);
  const walks: Walk[] = [];
  const status = lab.host(from.node).run(ping, {
    stdout: (t) => out.write(t),
    stderr: (t) => out.write(dim(t)),
    writeFile() {},
    readFile: () => undefined,
    trace() {
      const walk = new Walk();
      walks.push(walk);
      return walk;
    },
  });
  const walk = walks[0];
  if (status !== 0 || !walk) {
    out.write(`demo: "${ping}" failed with status ${status}\n`);
    return status || 1;
  }
  const hops = walkHops(walk);
  out.write('\n' + bold(`The walk of the echo request and its reply (${from.ip} → ${to.ip}):`) + '\n');
  out.write(walk.render() + '\n');
  out.write('\n' + bold('The request was received by:') + '\n  ' + hops.request.join('\n  ') + '\n');
  out.write(bold('and the reply by:') + '\n  ' + hops.reply.join('\n  ') + '\n');
  out.write('\n' + dim('The seed 003 walkthrough (namespaces, veth pairs, a bridge): knetlab demo seed003') + '\n');
  out.write(
    dim('Try it yourself: knetlab kind create cluster; knetlab kubectl get nodes; knetlab docker exec kind-control-plane ip route') + '\n',
  );
  return 0;
}
