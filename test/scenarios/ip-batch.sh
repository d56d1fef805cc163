# ip -batch and bridge -batch: one command per line with the global options given before it,
# comments and blank lines skipped, the first failing line reported and the batch ended
# (or skipped with -force), as the host interface's linux backend drives iproute2.
ip netns add pod
echo 'link add v1 type veth peer name v2 netns pod  # the pod end' > cmds
echo '' >> cmds
echo 'addr add 10.0.0.1/24 dev v1' >> cmds
echo "link set v1 up" >> cmds
ip -batch cmds
ip -o -4 addr show dev v1
echo 'addr add 10.0.0.2/24 dev v2' > pod
echo 'link set v2 up' >> pod
echo 'route add default via 10.0.0.1 dev v2 proto static' >> pod
ip -n pod -batch pod
ip -n pod route
echo 'link set nope up' > bad
echo 'link set lo up' >> bad
ip -n pod -batch bad
ip -n pod -o link show lo
ip -n pod -force -batch bad
ip -n pod -o link show lo
echo 'route add 10.9.0.0/16 via 10.0.0.2' > dup
echo 'route add 10.9.0.0/16 via 10.0.0.2' >> dup
echo 'route show 10.9.0.0/16' >> dup
ip -batch dup
ip -force -batch dup
ip -j -batch dup
ip link add br0 type bridge
ip link set v1 master br0
echo 'fdb add 02:00:00:00:00:01 dev v1 master static' > fdb
echo "fdb add 02:00:00:00:00:01 dev v1 master static" >> fdb
echo 'fdb show dev v1 master' >> fdb
bridge -batch fdb
bridge -force -batch fdb
ip -batch missing
echo 'link set dev \' > cont
echo 'lo mtu 1400' >> cont
echo 'link set \' >> cont
echo 'nope up' >> cont
ip -n pod -batch cont
ip -n pod -o link show lo
