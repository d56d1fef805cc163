// `npm run bench`: every benchmark, printing its figures (ratios and sizes; no pass/fail).
import { forwardingBench } from './forwarding.js';

forwardingBench();
