# Policy routing rules (ip rule): defaults, priorities given and chosen, every selector and
# action as `ip rule` prints them, duplicates, deletes, listing filters, flush, and what
# `ip route get` finds through them. Found by the fuzzer (seeds 5, 8, 9, 16, 20, 27, 29, ...).
ip link add veth0 type veth peer name veth1
ip link set veth0 up
ip link set veth1 up
ip addr add 10.1.0.1/24 dev veth0
ip addr add 10.2.0.1/24 dev veth1
ip rule
ip route get 10.1.0.1
ip rule add from 10.244.1.0/24 table 100
ip rule add fwmark 0x4000 table 200
ip rule add fwmark 0x4000/0xff00 lookup 200 pref 500
ip rule add to 10.96.0.0/12 table 100 priority 1000
ip rule add iif lo table 100
ip rule add oif eth9 table main
ip rule add not from 10.1.0.0/16 table 100 pref 2000
ip rule add from 10.0.0.1/24 table 5 pref 2001
ip rule add blackhole pref 3000 from 1.2.3.4
ip rule add unreachable pref 3001 to 1.2.3.4
ip rule add prohibit pref 3002 to 1.2.3.5
ip rule add nop pref 3003
ip rule add goto 32766 pref 3004
ip rule add goto 5000 pref 3005
ip rule add tos 0x10 table 7 pref 3006
ip rule add table 100 suppress_prefixlength 0 pref 3007
ip rule add ipproto tcp dport 80 table 9 pref 3008
ip rule add sport 1000-2000 table 9 pref 3009
ip rule add uidrange 100-200 table 9 pref 3010
ip rule add protocol static table 9 pref 3011
ip rule add from all table 9 pref 3012 realms 5
ip rule add table 0 pref 3013
ip rule add pref 3014
ip rule add fwmark 0/0x1 table 5 pref 3015
ip rule add from 10.244.1.0/24 table 100
ip rule add iif veth0 oif veth1 table 5 pref 3016
ip rule
ip -d rule show pref 3011
ip -j rule show pref 2000
ip rule show table 9
ip rule list pref 3011
ip rule show from 10.0.0.1/24
ip rule show fwmark 0x4000
ip rule show iif lo
ip rule show table main
ip rule show to 10.96.0.0/12
ip rule show not
ip rule add from 10.244.1.0/24 table 100 pref 32765
ip rule add fwmark 0x4000 table 201 pref 32764
ip rule add from 10.0.0.1/33 table 5
ip rule add fwmark zz table 5
ip rule add table 100 bogus
ip rule add goto 100
ip rule add goto 3003 pref 3100
ip rule add tos 0x11 table 5
ip rule add tos 0xe0 table 5
ip rule add pref -1 table 5
ip rule add table foo
ip rule add iif verylongdevicename0 table 5
ip rule add uidrange 5-1 table 5 pref 3200
ip rule add sport 10-5 table 5 pref 3201
ip rule add dport 0 table 5 pref 3202
ip rule add local pref 3203
ip rule add suppress_prefixlength -1 table 5 pref 3204
ip rule del
ip rule del pref 4444
ip rule del from 10.244.1.0/24
ip rule del table 100
ip rule del fwmark 0x4000
ip rule del to 10.96.0.0/12 table 200
ip rule delete pref 3001 to 1.2.3.4
ip rule show bogus
ip rule foo
ip rule
ip route show table 100
ip route show table 1
ip route show table 300000
ip route add 10.0.0.0/24 via 1.2.3.4 table 77
ip route show table 77
ip route del 10.0.0.0/24 table 78
ip route flush table 79
ip route del 10.0.0.0/24 table 77
ip route add 10.50.0.0/16 via 10.1.0.9 table 150
ip rule add ipproto udp dport 53 table 150
ip rule add ipproto tcp sport 1000-2000 table 150
ip route get 10.50.1.1
ip route get 10.50.1.1 ipproto udp dport 53
ip route get 10.50.1.1 ipproto udp dport 54
ip route get 10.50.1.1 ipproto tcp sport 1500
ip route get 10.50.1.1 ipproto tcp sp 1500 dp 53
ip rule flush
ip rule
ip route get 10.1.0.1
ip route get 8.8.8.8
