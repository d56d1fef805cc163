# ip neigh beyond the shared scenario: errors, get, flush selectors, -j -p.
ip link add veth0 type veth peer name veth1
ip link set veth0 up
ip link set veth1 up
ip addr add 10.0.0.1/24 dev veth0
ip neigh add 10.0.0.10 lladdr 02:00:00:00:00:0a dev veth0
ip neigh add 10.0.0.10 lladdr 02:00:00:00:00:0a dev veth0
ip neigh add 10.0.0.11 dev veth0
ip neigh add 10.0.0.12 lladdr zz dev veth0
ip neigh add 10.0.0.12 lladdr 02:00:00:00:00:0c
ip neigh add 10.0.0.12 lladdr 02:00:00:00:00:0c dev veth0 nud bogus
ip neigh add 10.0.0.12 lladdr 02:00:00:00:00:0c dev veth0 nud stale
ip neigh add 10.0.0.13 lladdr 02:00:00:00:00:0d dev veth0 nud reachable
ip neigh change 10.0.0.99 lladdr 02:00:00:00:00:0a dev veth0
ip neigh
ip -j -p neigh
ip neigh show 10.0.0.0/28
ip neigh show to 10.0.0.12
ip neigh show nud stale nud reachable
ip neigh get 10.0.0.10 dev veth0
ip neigh get 10.0.0.99 dev veth0
ip neigh get 10.0.0.10
ip -j neigh get 10.0.0.12 dev veth0
ip neigh flush
ip neigh flush dev veth0 nud stale
ip neigh
ip neigh flush to 10.0.0.13
ip neigh
ip neigh del 10.0.0.10 dev veth0
ip neigh del 10.0.0.10 dev veth0
ip neigh
ip neigh replace 10.0.0.20 lladdr 02:00:00:00:00:14 dev veth0 nud noarp
ip -4 neigh show nud noarp
ip neigh foo
