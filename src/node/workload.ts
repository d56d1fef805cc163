// The containers of ordinary pods: what the runtime starts for a container's image (the image's
// program, in the pod's sandbox through the host interface) and what an unknown image does.
import type { HostNetwork, ProcessHandle, ProcessResult } from '../host/index.js';
import { containerArgv, containerEnv, genericArgv, genericMessage, GENERIC_EVENT_REASON, imageOf } from './images/index.js';
import type { ContainerProgram } from './kubelet.js';
import { SHELL } from './script.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Starts `container`'s image in `sandbox` on `host`: a known image's program (nginx, whoami, a
 * python http.server) or, for an image knetlab does not know, the generic container, announced by
 * `event`. Undefined when the container only idles (netshoot's `sleep infinity`, a shell loop) or
 * the pod shares the node's network (its processes would need a sandbox).
 */
export function startWorkload(
  host: HostNetwork,
  container: Obj,
  sandbox: string | undefined,
  event: (type: 'Normal' | 'Warning', reason: string, message: string) => void,
): ContainerProgram | undefined {
  if (typeof container.image !== 'string') return undefined;
  const image = imageOf(container.image);
  let argv: string[] | undefined;
  // busybox's `sh`, netshoot's `zsh`: a shell whose stdin is not kept open reads end-of-file and exits 0
  if (image?.shell && container.stdin !== true && isBareShell(containerArgv(image, container)))
    return { stop: () => undefined, logs: () => '', exitCode: 0 };
  if (image) argv = image.program(containerArgv(image, container), containerEnv(container));
  else {
    event('Normal', GENERIC_EVENT_REASON, genericMessage(container));
    argv = genericArgv(container);
  }
  if (!argv || sandbox === undefined) return undefined;
  const p = host.processStart(sandbox, argv);
  // A known image's program that failed to start (a bad flag, a port in use) has exited, as its
  // container has; the generic stand-in for an unknown image never exits.
  return new ImageProgram(p, image ? p.ended?.() : undefined);
}

/** A known or generic image's program as the kubelet holds it: one object per container, no closures. */
class ImageProgram implements ContainerProgram {
  declare readonly exitCode?: number;

  constructor(
    private readonly p: ProcessHandle,
    end: ProcessResult | undefined,
  ) {
    if (end) (this as { exitCode?: number }).exitCode = end.status;
  }

  stop(): void {
    this.p.stop();
  }

  logs(): string {
    return this.p.output?.() ?? '';
  }
}

/** A shell run with no script and no command (`sh`, `/bin/bash`, `zsh -l`): interactive, so it reads stdin. */
function isBareShell(argv: readonly string[]): boolean {
  return SHELL.test(argv[0] ?? '') && argv.slice(1).every((a) => a === '-l' || a === '-i' || a === '--login');
}
