# Mistakes and what ipset says about them.
ipset
ipset -n
ipset foo
ipset create
ipset create X
ipset create X hash:foo
ipset create X hash:ip foo
ipset create X hash:ip timeout
ipset create X hash:ip timeout x
ipset create X hash:ip timeout 2147484
ipset create X hash:ip hashsize x
ipset create X hash:ip family inet4
ipset create X bitmap:port
ipset create X bitmap:port range 1
ipset create X bitmap:port range 1-70000
ipset create aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa hash:ip
ipset create X hash:ip initval 0x7
ipset create X hash:ip
ipset create X hash:ip -exist
ipset create X hash:net -exist
ipset create X hash:ip timeout 5 -exist
ipset add NOPE 1.2.3.4
ipset del NOPE 1.2.3.4
ipset test NOPE 1.2.3.4
ipset list NOPE
ipset flush NOPE
ipset destroy NOPE
ipset rename NOPE Y
ipset swap NOPE X
ipset add X
ipset add X 1.2.3.4 timeout 5
ipset add X 1.2.3.4 comment hi
ipset add X 1.2.3.4 packets 1 bytes 2
ipset add X 1.2.3.4 nomatch
ipset add X 1.2.3.4 foo
ipset add X 0.0.0.0
ipset add X 0.0.0.0/30
ipset add X foo.invalid
ipset add X 1.2.3.4/33
ipset add X 1.2.3.4/0
ipset add X 1.2.3.4,80
ipset create P hash:ip,port initval 0x9
ipset add P 1.2.3.4
ipset add P 1.2.3.4,
ipset add P 1.2.3.4,tcp:99999
ipset add P 1.2.3.4,tcp:foo
ipset add P 1.2.3.4,udp:http
ipset add P 1.2.3.4,foo:1
ipset add P 1.2.3.4,0:0
ipset add P 1.2.3.4,icmp:0
ipset add P 1.2.3.4,icmp:foo
ipset add P 1.2.3.4,ipv6-icmp:1
ipset add P 0.0.0.0,tcp:1
ipset add P 1.2.3.4,tcp:1:2
ipset create Q hash:ip,port,ip initval 0x9
ipset add Q 1.1.1.1,80
ipset add Q 1.1.1.1,80,2.2.2.0/24
ipset add Q 1.1.1.1,80,2.2.2.2-2.2.2.3
ipset create R hash:ip,port,net initval 0x9
ipset add R 1.1.1.1,80,0.0.0.0/0
ipset add R 1.1.1.1,80,2.2.2.2 nomatch
ipset add R 1.1.1.1,80,2.2.2.2
ipset create N hash:net initval 0x9
ipset add N 0.0.0.0/0
ipset add N 0.0.0.0-255.255.255.255
ipset create B bitmap:port range 10-20
ipset add B 9
ipset add B 21-22
ipset del B 15
ipset add B 15 timeout 3
ipset rename X N
ipset swap X N
ipset swap X B
ipset -q add X 1.2.3.4
ipset -q add X 1.2.3.4
ipset add -q X 1.2.3.4
ipset version
ipset -v
ipset list -o json
ipset list X Y
ipset destroy X Y
