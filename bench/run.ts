// `npm run bench`: every benchmark, printing its figures (ratios and sizes; no pass/fail).
import { forwardingBench } from './forwarding.js';
import { servicesBench } from './services.js';
import { hostBench } from './host.js';

forwardingBench();
servicesBench();
await hostBench();
