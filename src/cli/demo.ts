// `knetlab demo seed003`: the seed 003 walkthrough — a network namespace and a
// veth pair, then two namespaces joined by a bridge — with every command's real-format output
// and the walk of one ping across the bridge, step by step.
import { Walk } from '../kernel/index.js';
import { Session } from '../shell/session.js';

export const DEMO_SCRIPT = `ip netns add test-ns
ip netns list
ip link add veth1 netns test-ns type veth peer name veth2 netns 1
ip link list
ip netns exec test-ns ip link list
ip link add br0 type bridge
ip link set br0 up
ip addr add 172.18.0.1/24 dev br0
ip netns add ns1
ip netns add ns2
ip link add veth-ns1 type veth peer name eth0 netns ns1
ip link add veth-ns2 type veth peer name eth0 netns ns2
ip link set veth-ns1 master br0
ip link set veth-ns2 master br0
ip link set veth-ns1 up
ip link set veth-ns2 up
ip netns exec ns1 ip link set lo up
ip netns exec ns1 ip link set eth0 up
ip netns exec ns1 ip addr add 172.18.0.2/24 dev eth0
ip netns exec ns2 ip link set lo up
ip netns exec ns2 ip link set eth0 up
ip netns exec ns2 ip addr add 172.18.0.3/24 dev eth0
brctl show
ip netns exec ns1 ping -c 2 172.18.0.3
ip netns exec ns1 ip neigh
bridge fdb show br br0
tcpdump -i veth-ns1 -nn -e arp or icmp`;

export interface DemoOutput {
  write(text: string): void;
  /** Whether to use bold/dim terminal styling. */
  readonly colour: boolean;
  /** Shows what a long step is doing (text), or clears it (undefined); given on a terminal only. */
  progress?(text: string | undefined): void;
}

export function runDemo(out: DemoOutput): number {
  const session = new Session({ host: 'knetlab-demo', seed: 'demo' });
  const walks: { label: string; walk: Walk }[] = [];
  const bold = (s: string) => (out.colour ? `\x1b[1m${s}\x1b[0m` : s);
  const dim = (s: string) => (out.colour ? `\x1b[2m${s}\x1b[0m` : s);
  out.write(bold('knetlab demo: seed 003 — network namespaces, veth pairs and a bridge') + '\n\n');
  for (const line of DEMO_SCRIPT.split('\n')) {
    out.write(bold(`$ ${line}`) + '\n');
    const status = session.run(line, {
      stdout: (t) => out.write(t),
      stderr: (t) => out.write(dim(t)),
      writeFile() {},
      readFile: () => undefined,
      trace(label) {
        const walk = new Walk();
        walks.push({ label, walk });
        return walk;
      },
    });
    if (status !== 0) {
      out.write(`demo: "${line}" failed with status ${status}\n`);
      return status;
    }
  }
  const first = walks[0];
  if (first) {
    out.write('\n' + bold(`The walk of the first packet: ${first.label}`) + '\n');
    out.write(first.walk.render() + '\n');
  }
  out.write('\n' + dim('Try it yourself: knetlab sh -c "ip netns add a; ip netns list" (state persists; --reset starts over)') + '\n');
  return 0;
}
