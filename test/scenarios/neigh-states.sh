# Neighbour entries: static states, replace/change/del/flush, and ARP-learned entries.
# Early listings of `nud all` use -4: the IPv6 NOARP entries for ff02::2 and ff02::16
# appear when the first router solicitation / MLD report leaves, up to 1 s after link-up.
ip netns add peer
ip link add veth0 type veth peer name eth0 netns peer
ip link set veth0 up
ip addr add 10.0.0.1/24 dev veth0
ip netns exec peer ip link set lo up
ip netns exec peer ip link set eth0 up
ip netns exec peer ip addr add 10.0.0.2/24 dev eth0
ip neigh show
ip neigh add 10.0.0.10 lladdr 02:00:00:00:00:0a dev veth0 nud permanent
ip neigh add 10.0.0.11 lladdr 02:00:00:00:00:0b dev veth0 nud reachable
ip neigh add 10.0.0.12 lladdr 02:00:00:00:00:0c dev veth0 nud stale
ip neigh add 10.0.0.13 lladdr 02:00:00:00:00:0d dev veth0 nud noarp
ip neigh add 10.0.0.14 lladdr 02:00:00:00:00:0e dev veth0
ip neigh show
ip neigh show dev veth0
ip neigh show nud permanent
ip neigh show nud stale
ip -4 neigh show nud noarp
ip -4 neigh show nud all
ip neigh show 10.0.0.11
ip neigh get 10.0.0.12 dev veth0
ip -j neigh
ip -j neigh show 10.0.0.10
ip neigh replace 10.0.0.12 lladdr 02:00:00:00:00:1c dev veth0 nud permanent
ip neigh replace 10.0.0.15 lladdr 02:00:00:00:00:0f dev veth0
ip neigh change 10.0.0.11 lladdr 02:00:00:00:00:1b dev veth0
ip neigh show
ip neigh del 10.0.0.13 dev veth0
ip -4 neigh show nud all
ping -c 1 10.0.0.2
ip neigh show 10.0.0.2
ip netns exec peer ip neigh
ip neigh show dev veth0 nud reachable
ip neigh flush dev veth0
ip neigh show
ip neigh flush dev veth0 nud permanent
ip neigh show
ip neigh flush all
ip neigh show nud all
ip -6 neigh show nud all
