// What a tool's refusal means as the kernel's errno, read from its words, so the linux backend's
// HostError carries the errno the sim backend takes from the kernel itself. iproute2 prints a
// netlink error as `RTNETLINK answers: <strerror>`, or as `Error: <extack>.` when the kernel
// attached a message; other tools end a line with `: <strerror>` (sysctl, `ip netns`). Only
// texts with one errno are read: a message the kernel sets for several errnos (fib_check_nh_v4_gw's
// "Nexthop has invalid gateway" is ENETUNREACH or EINVAL) leaves it unset, as does a tool's own
// usage error.
import { STRERROR } from '../kernel/index.js';

/** glibc's strerror() text → errno name; EOPNOTSUPP and ENOTSUP share a text, netlink answers EOPNOTSUPP. */
const BY_STRERROR: ReadonlyMap<string, string> = new Map(
  Object.entries(STRERROR)
    .filter(([errno]) => errno !== 'ENOTSUP')
    .map(([errno, text]) => [text, errno]),
);

/**
 * Extended-ack messages the kernel sets with one errno (Linux 6.x sources named). Unambiguous only;
 * anything else leaves errno unset rather than guess.
 */
const BY_EXTACK: ReadonlyMap<string, string> = new Map([
  ['ipv4: Address already assigned', 'EEXIST'], // net/ipv4/devinet.c __inet_insert_ifa
  ['ipv4: Address not found', 'EADDRNOTAVAIL'], // net/ipv4/devinet.c inet_rtm_deladdr
  ['ipv4: Local address is not supplied', 'EINVAL'], // net/ipv4/devinet.c rtm_to_ifaddr
  ['FIB table does not exist', 'ESRCH'], // net/ipv4/fib_frontend.c inet_rtm_delroute
  ['Nexthop device required for onlink', 'ENODEV'], // net/ipv4/fib_semantics.c fib_check_nh_v4_gw
  ['Device for nexthop is not up', 'ENETDOWN'], // fib_check_nh_v4_gw
  ['Nexthop device is not up', 'ENETDOWN'], // fib_check_nh_nongw
  ['Nexthop has invalid scope', 'EINVAL'], // fib_check_nh_v4_gw
  ['Route with host scope can not have a gateway', 'EINVAL'], // fib_create_info
  ['Invalid prefsrc address', 'EINVAL'], // fib_create_info
  ['Invalid prefix for given prefix length', 'EINVAL'], // fib_frontend.c rtm_to_fib_config
  ['Device only routes require a device', 'EINVAL'], // fib_check_nh_nongw
  ['Unknown device type', 'EOPNOTSUPP'], // net/core/rtnetlink.c rtnl_newlink
  ['A VXLAN device with the specified VNI already exists', 'EEXIST'], // drivers/net/vxlan/vxlan_core.c vxlan_config_validate
  ['mtu less than device minimum', 'EINVAL'], // net/core/dev.c dev_validate_mtu
  ['mtu greater than device maximum', 'EINVAL'], // dev_validate_mtu
  ['No link layer address given', 'EINVAL'], // net/core/neighbour.c neigh_add
]);

/** The errno one line of a tool's stderr names, if any. */
function lineErrno(line: string): string | undefined {
  // iproute2's own lookup of a device name (ll_name_to_index) stands for the kernel's ENODEV.
  if (/^Cannot find device "/.test(line)) return 'ENODEV';
  const extack = /^Error: (.*)\.$/.exec(line);
  if (extack) return BY_EXTACK.get(extack[1]!);
  const exact = BY_STRERROR.get(line);
  if (exact !== undefined) return exact;
  const colon = line.lastIndexOf(': ');
  return colon < 0 ? undefined : BY_STRERROR.get(line.slice(colon + 2));
}

/** The errno a tool's refusal names: its first line that names one (`Command failed -:N` trailers skipped). */
export function errnoOfToolMessage(stderr: string): string | undefined {
  for (const line of stderr.split('\n')) {
    const errno = lineErrno(line.trim());
    if (errno !== undefined) return errno;
  }
  return undefined;
}
