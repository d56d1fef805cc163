// `npm run bench`: every benchmark, printing its figures (ratios and sizes; no pass/fail).
import { forwardingBench } from './forwarding.js';
import { servicesBench } from './services.js';

forwardingBench();
servicesBench();
