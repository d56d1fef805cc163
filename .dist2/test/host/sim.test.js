// The host interface's contract on the sim backend (the emulated kernel).
import { SimHost } from '../../src/host/index.js';
import { conformance } from './conformance.js';
conformance({ name: 'SimHost', unavailable: undefined, create: () => new SimHost(), has: { ipvs: true, ipip: true, dummy: true } });
//# sourceMappingURL=sim.test.js.map