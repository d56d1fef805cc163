# ipset basics for every emulated type: create, add, del, test, list, save; explicit and random initvals.
ipset create KUBE-CLUSTER-IP hash:ip,port
ipset add KUBE-CLUSTER-IP 10.200.1.1,tcp:443
ipset add KUBE-CLUSTER-IP 10.200.1.10,tcp:9153
ipset add KUBE-CLUSTER-IP 10.200.1.10,tcp:53
ipset add KUBE-CLUSTER-IP 10.200.1.17,tcp:9000
ipset add KUBE-CLUSTER-IP 10.200.1.10,udp:53
ipset list KUBE-CLUSTER-IP
ipset test KUBE-CLUSTER-IP 10.200.1.10,udp:53
ipset test KUBE-CLUSTER-IP 10.200.1.10,53
ipset test KUBE-CLUSTER-IP 10.200.1.10,http
ipset create A hash:ip initval 0x00000005
ipset add A 10.0.0.1
ipset add A 10.0.0.3
ipset add A 10.0.0.2
ipset add A 1.2.3.0/30
ipset add A 10.1.0.250-10.1.1.3
ipset add A 1.2.3
ipset add A 1.2.3.4 -exist
ipset -! add A 1.2.3.4
ipset add A 1.2.3.4
ipset del A 9.9.9.9
ipset del A 9.9.9.9 -exist
ipset del A 10.1.0.250-10.1.0.252
ipset test A 1.2.3.2
ipset test A 1.2.3.9
ipset list A
ipset list A -sorted
ipset create N hash:net initval 0x1234abcd
ipset add N 10.1.2.3/8
ipset add N 192.168.0.0/16 nomatch
ipset add N 192.168.1.0/24
ipset add N 172.16.0.1
ipset add N 10.100.0.0-10.100.0.6
ipset test N 192.168.1.1
ipset test N 192.168.2.1
ipset test N 10.9.9.9
ipset test N 172.16.0.1
ipset test N 192.168.0.0/16
ipset list N
ipset create L hash:ip,port,ip initval 0x00c0ffee
ipset add L 10.244.1.5,tcp:80,10.244.1.5
ipset add L 10.244.2.7,udp:53,10.244.2.7
ipset add L 10.244.2.7,sctp:53,10.244.2.7
ipset test L 10.244.1.5,tcp:80,10.244.1.5
ipset list L
ipset create P hash:ip,port,net initval 0xdeadbeef
ipset add P 1.1.1.1,tcp:80,10.0.0.0/8
ipset add P 1.1.1.1,tcp:81,10.1.0.0/16 nomatch
ipset add P 1.1.1.1,tcp:80,10.1.2.3
ipset add P 1.1.1.1-1.1.1.2,udp:80,4.4.4.0-4.4.4.2
ipset add P 2.2.2.2,tcp:80-82,3.3.3.3/32
ipset test P 1.1.1.1,tcp:80,10.2.3.4
ipset test P 1.1.1.1,tcp:81,10.1.3.4
ipset list P
ipset create NP bitmap:port range 30000-32767
ipset add NP 30080
ipset add NP 31000-31002
ipset add NP tcp:32000
ipset add NP 29999
ipset test NP 31001
ipset test NP 31003
ipset list NP
ipset create I hash:ip,port
ipset add I 1.1.1.1,icmp:8/0
ipset add I 1.1.1.1,icmp:port-unreachable
ipset add I 1.1.1.1,icmp:3/8
ipset add I 1.1.1.1,gre:0
ipset add I 1.1.1.1,253:0
ipset add I 1.1.1.1,ospf:5
ipset add I 1.1.1.1,udplite:7
ipset list I
ipset list
ipset save
ipset list -t
ipset list -n
ipset list -name -terse
ipset -L -o save A
ipset list A -o xml
ipset list -n -o xml
ipset list NP -t -o xml
