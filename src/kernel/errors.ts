// Kernel errors carry an errno name, as netlink answers carry -errno: the emulated tools turn
// them into the real tools' messages ("RTNETLINK answers: File exists").

export type Errno =
  | 'EEXIST'
  | 'ENOENT'
  | 'ENODEV'
  | 'EINVAL'
  | 'ENETUNREACH'
  | 'EHOSTUNREACH'
  | 'EACCES'
  | 'EPERM'
  | 'EBUSY'
  | 'ENOTSUP'
  | 'EADDRNOTAVAIL'
  | 'ENETDOWN'
  | 'ERANGE'
  | 'ENOBUFS'
  | 'EOPNOTSUPP'
  | 'EADDRINUSE'
  | 'ECONNREFUSED'
  | 'ETIMEDOUT'
  | 'ECONNRESET'
  | 'ESRCH';

/** strerror() text of each errno, as glibc prints it. */
export const STRERROR: Record<Errno, string> = {
  EEXIST: 'File exists',
  ENOENT: 'No such file or directory',
  ENODEV: 'No such device',
  EINVAL: 'Invalid argument',
  ENETUNREACH: 'Network is unreachable',
  EHOSTUNREACH: 'No route to host',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  EBUSY: 'Device or resource busy',
  ENOTSUP: 'Operation not supported',
  EOPNOTSUPP: 'Operation not supported',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  EADDRINUSE: 'Address already in use',
  ECONNREFUSED: 'Connection refused',
  ETIMEDOUT: 'Connection timed out',
  ECONNRESET: 'Connection reset by peer',
  ESRCH: 'No such process',
  ENETDOWN: 'Network is down',
  ERANGE: 'Numerical result out of range',
  ENOBUFS: 'No buffer space available',
};

export class KernelError extends Error {
  /**
   * @param errno what netlink would answer
   * @param extack the extended-ack text newer kernels attach ("Nexthop has invalid gateway"), if any
   */
  constructor(
    readonly errno: Errno,
    readonly extack?: string,
  ) {
    super(extack ?? STRERROR[errno]);
    this.name = 'KernelError';
  }
}

/**
 * The errno an ICMP error means to the socket whose datagram it quotes (icmp_err_convert, as
 * tcp_v4_err and udp_err read it): time exceeded and most unreachables are EHOSTUNREACH.
 */
export function icmpErrno(type: number, code: number): Errno {
  if (type === 11) return 'EHOSTUNREACH';
  return code === 3 ? 'ECONNREFUSED' : code === 0 ? 'ENETUNREACH' : code === 13 || code === 9 || code === 10 ? 'EACCES' : 'EHOSTUNREACH';
}
