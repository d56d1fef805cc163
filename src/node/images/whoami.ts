// traefik/whoami v1.11.0: FROM scratch with the binary at /whoami as ENTRYPOINT (Dockerfile): no
// shell and no other command, so `kubectl exec` finds nothing to run. WHOAMI_PORT_NUMBER and
// WHOAMI_NAME are the defaults of --port and --name (app.go init()).
import type { WorkloadImage } from './image.js';

export const whoamiImage: WorkloadImage = {
  name: 'traefik/whoami',
  entrypoint: ['/whoami'],
  cmd: [],
  commands: [],
  program(argv, env) {
    if (argv[0] !== '/whoami' && argv[0] !== 'whoami' && argv[0] !== './whoami') return undefined;
    const defaults = [
      ...(env.WHOAMI_PORT_NUMBER !== undefined ? ['--port', env.WHOAMI_PORT_NUMBER] : []),
      ...(env.WHOAMI_NAME !== undefined ? ['--name', env.WHOAMI_NAME] : []),
    ];
    return ['/whoami', ...defaults, ...argv.slice(1)];
  },
};
