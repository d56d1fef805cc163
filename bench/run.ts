// `npm run bench`: every benchmark, printing its figures (ratios and sizes; no pass/fail).
// The host benchmark goes first: it starts hundreds of processes, and starting a process costs
// more from the large heap the services benchmark leaves behind.
import { forwardingBench } from './forwarding.js';
import { servicesBench } from './services.js';
import { controlPlaneBench } from './controlplane.js';
import { hostBench, simHostBench } from './host.js';
import { kubeProxyBench } from './kube-proxy.js';
import { serverBench } from './server.js';
import { kindBench, kubeProxyKindBench } from './kind.js';
import { dnsBench } from './dns.js';

await hostBench();
simHostBench();
serverBench();
forwardingBench();
kubeProxyBench();
servicesBench();
// A tenth of the envelope (1,000 Services, 15,000 pods on 500 nodes); `node dist/bench/controlplane.js --scale 1` runs all of it.
controlPlaneBench(0.1);
// A tenth of issue 14's 1,000 nodes × 30 pods; `node dist/bench/kind.js --nodes 1000` runs all of it.
await kindBench(100);
await kubeProxyKindBench();
// Cluster DNS: queries/s from a pod through kube-proxy to CoreDNS with 100 and 10,000 Services.
await dnsBench([100, 10_000], 2000);
