// `npm run bench`: every benchmark, printing its figures (ratios and sizes; no pass/fail).
// The host benchmark goes first: it starts hundreds of processes, and starting a process costs
// more from the large heap the services benchmark leaves behind.
import { forwardingBench } from './forwarding.js';
import { servicesBench } from './services.js';
import { hostBench } from './host.js';
await hostBench();
forwardingBench();
servicesBench();
//# sourceMappingURL=run.js.map