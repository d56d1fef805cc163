# Element timeouts on the clock, comments, counters, and -exist updating extensions.
ipset create T hash:ip timeout 10 initval 0x11
ipset add T 1.1.1.1 timeout 5
ipset add T 1.1.1.2 timeout 0
ipset add T 1.1.1.3
ipset list T
sleep 2
ipset list T
ipset add T 1.1.1.1 timeout 100 -exist
ipset list T
sleep 4
ipset list T
ipset test T 1.1.1.3
ipset create C hash:net timeout 300 comment counters initval 0x12
ipset add C 10.0.0.0/8 comment "pod network" packets 5 bytes 300
ipset add C 192.168.1.0/24 timeout 100
ipset add C 10.0.0.0/8 -exist timeout 7
ipset list C
ipset save C
ipset create B bitmap:port range 10-20 timeout 3 comment counters
ipset add B 11 comment x packets 3
ipset add B 12
ipset list B
sleep 4
ipset list B
ipset add B 12
ipset list B
ipset create E hash:ip,port timeout 1 initval 0x13
ipset add E 1.1.1.1,80
ipset add E 1.1.1.2,80
ipset add E 1.1.1.3,80 timeout 0
sleep 3
ipset list E
ipset add E 1.1.1.1,80
ipset list E
