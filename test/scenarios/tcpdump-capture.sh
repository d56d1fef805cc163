# tcpdump's text for ARP and ICMP on a veth, live and read back from a pcap.
# A capture needs traffic while tcpdump listens, so each capture line starts tcpdump in
# the background, waits a second, sends the pings and waits for tcpdump's -c count.
ip netns add peer
ip link add veth0 type veth peer name eth0 netns peer
ip link set veth0 up
ip addr add 10.0.0.1/24 dev veth0
ip netns exec peer ip link set lo up
ip netns exec peer ip link set eth0 up
ip netns exec peer ip addr add 10.0.0.2/24 dev eth0
tcpdump -i veth0 -nn -c 2 arp & sleep 1; ping -c 1 10.0.0.2 > /dev/null; wait
tcpdump -i veth0 -nn -c 4 icmp & sleep 1; ping -c 2 -i 0.2 10.0.0.2 > /dev/null; wait
tcpdump -i veth0 -nn -c 4 -w icmp.pcap icmp & sleep 1; ping -c 2 -i 0.2 10.0.0.2 > /dev/null; wait
tcpdump -nn -r icmp.pcap
tcpdump -nn -e -r icmp.pcap
tcpdump -nn -v -r icmp.pcap
tcpdump -nn -r icmp.pcap 'icmp[icmptype] == icmp-echoreply'
