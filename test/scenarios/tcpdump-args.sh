# tcpdump 4.99.3 command lines as getopt_long reads them: glibc's messages, tcpdump's own checks, usage text.
tcpdump -Z
tcpdump -c
tcpdump --foo
tcpdump --foo=bar
tcpdump --list
tcpdump --count=3
tcpdump --inter
tcpdump -Y
tcpdump -c 0 -r none.pcap
tcpdump -c x -r none.pcap
tcpdump -nc1x -r none.pcap
tcpdump -c 99999999999 -r none.pcap
tcpdump -s 262145 -r none.pcap
tcpdump -s 0x10 -r none.pcap
tcpdump -s 1k -r none.pcap
tcpdump -T foo -r none.pcap
tcpdump -Q sideways -r none.pcap
tcpdump -Q IN -r none.pcap
tcpdump -nr none.pcap icmp
tcpdump icmp -r none.pcap -nn
tcpdump --interface=lo --snap 96 --dir in -r none.pcap
tcpdump -r none.pcap -- -n
tcpdump --vers
