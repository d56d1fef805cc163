// conntrack -h (and conntrack with no command): the usage text of conntrack-tools 1.4.7, and the
// lines a protocol adds with -p (extensions/libct_proto_*.c help()).
import { protocolName } from '../ipset/netdb.js';

export const USAGE = `Command line interface for the connection tracking system. Version 1.4.7
Usage: conntrack [commands] [options]

Commands:
  -L [table] [options]\t\tList conntrack or expectation table
  -G [table] parameters\t\tGet conntrack or expectation
  -D [table] parameters\t\tDelete conntrack or expectation
  -I [table] parameters\t\tCreate a conntrack or expectation
  -U [table] parameters\t\tUpdate a conntrack
  -E [table] [options]\t\tShow events
  -F [table]\t\t\tFlush table
  -C [table]\t\t\tShow counter
  -S\t\t\t\tShow statistics

Tables: conntrack, expect, dying, unconfirmed

Conntrack parameters and options:
  -n, --src-nat ip\t\t\tsource NAT ip
  -g, --dst-nat ip\t\t\tdestination NAT ip
  -j, --any-nat ip\t\t\tsource or destination NAT ip
  -m, --mark mark\t\t\tSet mark
  -c, --secmark secmark\t\t\tSet selinux secmark
  -e, --event-mask eventmask\t\tEvent mask, eg. NEW,DESTROY
  -z, --zero \t\t\t\tZero counters while listing
  -o, --output type[,...]\t\tOutput format, eg. xml
  -l, --label label[,...]\t\tconntrack labels

Expectation parameters and options:
  --tuple-src ip\tSource address in expect tuple
  --tuple-dst ip\tDestination address in expect tuple

Updating parameters and options:
  --label-add label\tAdd label
  --label-del label\tDelete label

Common parameters and options:
  -s, --src, --orig-src ip\t\tSource address from original direction
  -d, --dst, --orig-dst ip\t\tDestination address from original direction
  -r, --reply-src ip\t\tSource addres from reply direction
  -q, --reply-dst ip\t\tDestination address from reply direction
  -p, --protonum proto\t\tLayer 4 Protocol, eg. 'tcp'
  -f, --family proto\t\tLayer 3 Protocol, eg. 'ipv6'
  -t, --timeout timeout\t\tSet timeout
  -u, --status status\t\tSet status, eg. ASSURED
  -w, --zone value\t\tSet conntrack zone
  --orig-zone value\t\tSet zone for original direction
  --reply-zone value\t\tSet zone for reply direction
  -b, --buffer-size\t\tNetlink socket buffer size
  --mask-src ip\t\t\tSource mask address
  --mask-dst ip\t\t\tDestination mask address

`;

const PORT_HELP = `  --orig-port-src\t\toriginal source port
  --orig-port-dst\t\toriginal destination port
  --reply-port-src\t\treply source port
  --reply-port-dst\t\treply destination port
  --mask-port-src\t\tmask source port
  --mask-port-dst\t\tmask destination port
  --tuple-port-src\t\texpectation tuple src port
  --tuple-port-src\t\texpectation tuple dst port
`;
const KEY_HELP = PORT_HELP.replaceAll('port', 'key');
const HELP: Record<number, string> = {
  6: `${PORT_HELP}  --state\t\t\tTCP state, fe. ESTABLISHED\n`,
  17: PORT_HELP,
  136: PORT_HELP,
  132: `${PORT_HELP}  --state\t\t\tSCTP state, fe. ESTABLISHED\n  --orig-vtag\t\toriginal verification tag\n  --reply-vtag\t\treply verification tag\n`,
  33: `${PORT_HELP}  --state\t\t\tDCCP state, fe. RESPOND\n`,
  47: KEY_HELP,
  1: '  --icmp-type\t\t\ticmp type\n  --icmp-code\t\t\ticmp code\n  --icmp-id\t\t\ticmp id\n',
  58: '  --icmpv6-type\t\t\ticmpv6 type\n  --icmpv6-code\t\t\ticmpv6 code\n  --icmpv6-id\t\t\ticmpv6 id\n',
};
const HANDLER_NAMES: Record<number, string> = {
  6: 'tcp',
  17: 'udp',
  136: 'udplite',
  132: 'sctp',
  33: 'dccp',
  47: 'gre',
  1: 'icmp',
  58: 'icmpv6',
};

/** extension_help(): the protocol's name (getprotobynumber's for one without a handler) and options. */
export function PROTO_HELP(proto: number): string {
  const name = HANDLER_NAMES[proto] ?? protocolName(proto) ?? 'unknown';
  return `Proto \`${name}' help:\n${HELP[proto] ?? '  no options (unsupported)\n'}`;
}
