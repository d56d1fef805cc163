// What the lab's tests and benches share: a kind cluster of N workers, the whoami web Deployment
// with its Service that the seeds curl, a netshoot pod to run tools in, and running a command.
import { runByHand } from './by-hand.js';
import { standardLab } from './families.js';
import type { Lab } from './lab.js';

/** kind's Cluster config: one control plane and `workers` workers. */
export function kindConfig(workers: number): string {
  return `kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n${'- role: worker\n'.repeat(workers)}`;
}

/** `replicas` traefik/whoami pods labelled app=web on port 80, and the ClusterIP Service `web` (port `http`, 80). */
export function whoamiWeb(replicas: number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: traefik/whoami
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: 80
`;
}

/** A nicolaka/netshoot pod `name` (container `container`) that idles: the seeds' tool box inside the cluster. */
export function netshootPod(name: string, container = name): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  containers:
  - name: ${container}
    image: nicolaka/netshoot
    command: ["sleep", "infinity"]
`;
}

/** Runs `argv` in `lab` as a client whose files are `files`: its status and what it printed. */
export function run(lab: Lab, files: Readonly<Record<string, string>>, ...argv: string[]) {
  return runByHand(lab, argv, { files });
}

/** Long enough after `kind create cluster` for every kindnetd to have made a pass (every 10 s) since the last node joined. */
const KINDNET_PASS_MS = 10_000;

/** `kind create cluster` with `workers` workers, then `kubectl apply` of `manifest`, each given time to settle on the lab's clock. */
export async function kindCluster(workers: number, manifest?: string): Promise<Lab> {
  const lab = standardLab();
  const steps: [Record<string, string>, string[]][] = [
    [{ 'kind.yaml': kindConfig(workers) }, ['kind', 'create', 'cluster', '--config', 'kind.yaml']],
  ];
  if (manifest !== undefined) steps.push([{ 'objects.yaml': manifest }, ['kubectl', 'apply', '-f', 'objects.yaml']]);
  for (const [files, argv] of steps) {
    const r = await run(lab, files, ...argv);
    if (r.status !== 0) throw new Error(`${argv.join(' ')}: exit ${r.status}: ${r.err}`);
    lab.advance(argv[0] === 'kind' ? KINDNET_PASS_MS : 5000);
  }
  return lab;
}
