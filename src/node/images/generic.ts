// An image knetlab does not know runs as a generic container: a process listening on the TCP
// containerPorts the pod declares (and answering nothing), announced by an event on the pod.
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The command of the emulated generic container (apps/http/generic.ts). */
const GENERIC_CONTAINER = 'knetlab-generic-container';

export const GENERIC_EVENT_REASON = 'EmulatedGenerically';

/** The container's declared TCP ports. */
function tcpPorts(container: Obj): number[] {
  return ((container.ports ?? []) as Obj[])
    .filter((p) => (p.protocol ?? 'TCP') === 'TCP' && Number.isInteger(p.containerPort))
    .map((p) => p.containerPort as number);
}

/** The generic container's argv, or undefined when it declares no TCP port (it only idles). */
export function genericArgv(container: Obj): string[] | undefined {
  const ports = tcpPorts(container);
  return ports.length === 0 ? undefined : [GENERIC_CONTAINER, ...ports.map(String)];
}

/** The event's message (knetlab's own words: no real kubelet says this). */
export function genericMessage(container: Obj): string {
  const ports = tcpPorts(container);
  const listens =
    ports.length === 0
      ? 'it declares no TCP containerPort, so it only idles'
      : `it listens on ${ports.map((p) => `${p}/TCP`).join(', ')} and answers nothing`;
  return `knetlab: image "${container.image}" of container ${container.name} is not emulated; it runs as a generic container: ${listens}`;
}
