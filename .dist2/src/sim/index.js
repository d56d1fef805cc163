export { EventQueue } from './clock.js';
export { Rng, hashString } from './rng.js';
//# sourceMappingURL=index.js.map