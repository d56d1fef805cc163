// What the input fuzzer starts from: a host with state (namespaces, a veth into a pod, a bridge,
// a vxlan, routes, static neighbours and fdb entries, iptables rules, an ipset, an IPVS service),
// valid command lines of every emulated tool against that state, and valid documents the
// restore-style tools read on standard input. Mutations of these are the inputs.

/** Builds the state every input runs against; each line must succeed. */
export const SETUP = `ip netns add pod
ip link add veth0 type veth peer name eth0 netns pod
ip link set veth0 up
ip addr add 10.0.0.1/24 dev veth0
ip netns exec pod ip link set lo up
ip netns exec pod ip link set eth0 up
ip netns exec pod ip addr add 10.0.0.2/24 dev eth0
ip link add br0 type bridge
ip link set br0 up
ip link add vx0 type vxlan id 42 dstport 4789 local 10.0.0.1 dev veth0 nolearning
ip link set vx0 master br0
ip route add 10.9.0.0/16 via 10.0.0.2
ip neigh add 10.0.0.9 lladdr 02:00:00:00:00:09 dev veth0 nud permanent
bridge fdb append 00:00:00:00:00:00 dev vx0 dst 10.0.0.2 self permanent
sysctl -w net.ipv4.ip_forward=1
iptables -N KUBE-TEST
iptables -A INPUT -s 10.0.0.0/24 -p tcp --dport 80 -j KUBE-TEST
iptables -t nat -A POSTROUTING -s 10.0.0.0/24 ! -o veth0 -j MASQUERADE
ipset create kube-set hash:ip
ipset add kube-set 10.0.0.5
ipvsadm -A -t 10.96.0.10:80 -s rr
ipvsadm -a -t 10.96.0.10:80 -r 10.0.0.2:8080 -m -w 1`;

/** Valid command lines, one or more per emulated tool. */
export const COMMAND_LINES: readonly string[] = [
  'ip link show',
  'ip -j -d link show',
  'ip -br addr',
  'ip -s link show veth0',
  'ip link show type bridge',
  'ip link add dummy0 type dummy',
  'ip link add v1 type veth peer name v2',
  'ip link add br1 type bridge stp_state 1',
  'ip link add vx1 type vxlan id 7 dstport 8472 dev veth0',
  'ip link set veth0 mtu 1400',
  'ip link set veth0 address 02:00:00:00:00:01',
  'ip link set dev veth0 down',
  'ip link set veth0 master br0',
  'ip link set veth0 nomaster',
  'ip link set veth0 name veth9',
  'ip link del br0',
  'ip link set vx0 netns pod',
  'ip addr add 10.1.0.1/24 dev veth0',
  'ip addr add 10.1.0.1/24 brd + dev veth0 scope link',
  'ip addr del 10.0.0.1/24 dev veth0',
  'ip addr flush dev veth0',
  'ip -4 addr show dev veth0',
  'ip route',
  'ip route show table all',
  'ip route add 10.8.0.0/16 via 10.0.0.2 dev veth0 metric 100',
  'ip route replace default via 10.0.0.2',
  'ip route add blackhole 10.7.0.0/16',
  'ip route del 10.9.0.0/16',
  'ip route get 10.9.1.1',
  'ip route add 10.6.0.0/24 dev veth0 proto static scope link table 100',
  'ip route flush table main',
  'ip neigh',
  'ip neigh add 10.0.0.8 lladdr 02:00:00:00:00:08 dev veth0',
  'ip neigh replace 10.0.0.9 lladdr 02:00:00:00:00:0a dev veth0 nud stale',
  'ip neigh del 10.0.0.9 dev veth0',
  'ip neigh flush dev veth0',
  'ip -s neigh show nud all',
  'ip netns list',
  'ip netns add ns2',
  'ip netns del pod',
  'ip netns exec pod ip addr',
  'ip -n pod route',
  'ip netns exec pod ip link set eth0 down',
  'ip -batch /nonexistent',
  'ip -force -batch -',
  'ip -o -4 addr show',
  'bridge link',
  'bridge fdb show dev vx0',
  'bridge fdb append 02:00:00:00:00:05 dev vx0 dst 10.0.0.3',
  'bridge fdb del 00:00:00:00:00:00 dev vx0 dst 10.0.0.2',
  'bridge -j fdb show',
  'bridge vlan show',
  'brctl show',
  'brctl addbr br5',
  'brctl addif br0 veth0',
  'brctl delbr br0',
  'brctl showmacs br0',
  'ping -c 2 -i 0.2 10.0.0.2',
  'ping -c 1 -W 1 10.0.0.77',
  'ping -nc1 -s 100 -t 3 10.0.0.2',
  'ping -w 2 -q 10.0.0.2',
  'ping -c 1 -I veth0 10.0.0.2',
  'ip netns exec pod ping -c 1 10.0.0.1',
  'tcpdump -n -i veth0',
  'tcpdump -nn -e -i veth0 -c 3 icmp',
  'tcpdump -i veth0 -w cap.pcap',
  'tcpdump -r cap.pcap',
  'tcpdump -i veth0 "tcp port 80 and host 10.0.0.2"',
  'tcpdump --interface=veth0 -c 2 --direction in icmp',
  'sysctl net.ipv4.ip_forward',
  'sysctl -w net.ipv4.conf.all.rp_filter=2',
  'sysctl -a',
  'sysctl -n net.core.somaxconn',
  'sysctl net.ipv4.conf.veth0.proxy_arp=1',
  'sysctl --values --write net.ipv4.ip_forward=1',
  'cat /proc/sys/net/ipv4/ip_forward',
  'echo 1 > /proc/sys/net/ipv4/ip_forward',
  'echo hello',
  'hostname',
  'sleep 1',
  'true',
  'false',
  'curl -s http://10.0.0.2:8080/',
  'curl --silent --max-time 1 http://10.0.0.2/',
  'curl -m 1 -o /dev/null -w "%{http_code}" http://10.0.0.2/',
  'ip netns exec pod python3 -m http.server 8080 --bind 10.0.0.2',
  'iptables -L -n -v',
  'iptables -t nat -S',
  'iptables -A FORWARD -i veth0 -o br0 -j ACCEPT',
  'iptables -I INPUT 1 -p udp --dport 53 -j DROP',
  'iptables -D INPUT -s 10.0.0.0/24 -p tcp --dport 80 -j KUBE-TEST',
  'iptables -t nat -A PREROUTING -d 10.96.0.1/32 -p tcp -m tcp --dport 443 -j DNAT --to-destination 10.0.0.2:6443',
  'iptables -F KUBE-TEST',
  'iptables -X KUBE-TEST',
  'iptables -P FORWARD DROP',
  'iptables -A INPUT -m comment --comment "a rule" -m set --match-set kube-set src -j ACCEPT',
  'iptables -t mangle -A OUTPUT -j MARK --set-xmark 0x4000/0x4000',
  'iptables -Z',
  'iptables -C INPUT -s 10.0.0.0/24 -p tcp --dport 80 -j KUBE-TEST',
  'iptables --app INPUT -p tcp --dp 22 --syn -j ACCEPT',
  'iptables -vnL INPUT --line',
  'iptables -A INPUT -c 1,2 --src=10.0.0.3 -j ACCEPT',
  'iptables -t nat -nvxL',
  'iptables-save',
  'iptables-save -t nat',
  'iptables-save -c',
  'ipset list',
  'ipset add kube-set 10.0.0.6',
  'ipset create s2 hash:ip,port family inet hashsize 1024 maxelem 65536',
  'ipset del kube-set 10.0.0.5',
  'ipset test kube-set 10.0.0.5',
  'ipset destroy kube-set',
  'ipset save',
  'ipset flush',
  'ipset create s3 bitmap:port range 0-1000',
  'ipvsadm -L -n',
  'ipvsadm -A -u 10.96.0.11:53 -s wrr',
  'ipvsadm -a -t 10.96.0.10:80 -r 10.0.0.3:8080 -m -w 5',
  'ipvsadm -D -t 10.96.0.10:80',
  'ipvsadm -S -n',
  'ipvsadm -C',
  'ipvsadm -E -t 10.96.0.10:80 -s wlc',
  'conntrack -L',
  'conntrack -C',
  'conntrack -F',
  'conntrack -L -p tcp --dport 80',
  'conntrack -D -s 10.0.0.2',
  'conntrack -I -p tcp -s 10.0.0.2 -d 10.0.0.1 --sport 4000 --dport 80 --state ESTABLISHED -t 60 -u ASSURED -m 1',
  'conntrack -Lptcp --state ESTABLISHED -s 10.0.0.0/24 -o extended',
  'conntrack -G -p udp -s 10.0.0.2 -d 10.0.0.1 --sport 53 --dport 53',
  'conntrack -U -s 10.0.0.2 -m 0x10/0x10',
  'conntrack -L --dst-nat 10.0.0.2:80 -u SEEN_REPLY,!ASSURED',
  'conntrack -L expect',
  'conntrack -h -p icmp',
];

/** Documents fed on standard input: the tool's argv and a valid text. */
export const DOCUMENTS: readonly { readonly argv: readonly string[]; readonly text: string }[] = [
  {
    argv: ['iptables-restore'],
    text: `*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:KUBE-FORWARD - [0:0]
-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD
-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
-A KUBE-FORWARD -s 10.244.0.0/16 -j ACCEPT
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-SVC-A - [0:0]
-A PREROUTING -j KUBE-SERVICES
-A KUBE-SERVICES -d 10.96.0.10/32 -p udp -m udp --dport 53 -j KUBE-SVC-A
-A KUBE-SVC-A -m statistic --mode random --probability 0.50000000000 -j DNAT --to-destination 10.244.0.3:53
-A KUBE-SVC-A -j DNAT --to-destination 10.244.0.4:53
COMMIT
`,
  },
  {
    argv: ['iptables-restore', '--noflush'],
    text: '*mangle\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -i veth0 -j MARK --set-mark 0x1\nCOMMIT\n',
  },
  {
    argv: ['ipset', 'restore'],
    text: 'create kube-a hash:ip,port family inet hashsize 1024 maxelem 65536\nadd kube-a 10.0.0.2,tcp:80\nadd kube-a 10.0.0.3,udp:53\ncreate kube-b bitmap:port range 0-65535\nadd kube-b 30080\n',
  },
  {
    argv: ['ip', '-batch', '-'],
    text: 'link add d1 type bridge\nlink set d1 up\naddr add 10.5.0.1/24 dev d1\nroute add 10.6.0.0/16 via 10.5.0.2\n# a comment\nneigh add 10.5.0.7 lladdr 02:00:00:00:00:07 dev d1\n',
  },
  { argv: ['bridge', '-batch', '-'], text: 'fdb append 02:00:00:00:00:06 dev vx0 dst 10.0.0.4\nfdb show dev vx0\n' },
];

/**
 * Kind cluster configs and Kubernetes manifests join here once their front ends exist (the kind
 * and kubectl families): each a `{ argv, text }` whose text a mutation may break, like DOCUMENTS.
 */
export const LATER_DOCUMENTS: { argv: readonly string[]; text: string }[] = [];
