# ping (iputils 20221126) command lines: grouped options, bad numbers, sizes beyond an IPv4 datagram.
ip link set lo up
ping -nc1 127.0.0.1
ping -qnc 1 127.0.0.1
ping 127.0.0.1 -c 1 -q
ping -c1 -s -1 127.0.0.1
ping -c1 -s 5000000000 127.0.0.1
ping -c1 -s 65510 127.0.0.1
ping -c1 -W1 -s 70000 127.0.0.1
ping -c1 -s 0x10 127.0.0.1
ping -c 1e50 127.0.0.1
ping -c 1000000000000000000000 127.0.0.1
ping -c 0 127.0.0.1
ping -c -1 127.0.0.1
ping -c '' 127.0.0.1
ping -c +1 127.0.0.1
ping -w 1e50 127.0.0.1
ping -w 2147483648 127.0.0.1
ping -c1 -t 256 127.0.0.1
ping -c1 -W -1 127.0.0.1
ping -c1 -W 1e50 127.0.0.1
ping -c1 -W inf 127.0.0.1
ping -c1 -W '' 127.0.0.1
ping -c1 -i 1e50 127.0.0.1
ping -c1 -i nan 127.0.0.1
ping -c1 -x 127.0.0.1
ping -c
ping -c1
ping --count 1 127.0.0.1
