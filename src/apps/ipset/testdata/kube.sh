# The sets kube-proxy's IPVS mode keeps (pkg/proxy/ipvs/ipset.go), loaded the way it loads them: ipset restore -exist.
printf 'create KUBE-CLUSTER-IP hash:ip,port family inet hashsize 1024 maxelem 65536\ncreate KUBE-LOOP-BACK hash:ip,port,ip family inet hashsize 1024 maxelem 65536\ncreate KUBE-NODE-PORT-TCP bitmap:port range 0-65535\ncreate KUBE-LOAD-BALANCER hash:ip,port family inet hashsize 1024 maxelem 65536\ncreate KUBE-LOAD-BALANCER-SOURCE-CIDR hash:ip,port,net family inet hashsize 1024 maxelem 65536\ncreate KUBE-NODE-PORT-LOCAL-TCP bitmap:port range 0-65535\nadd KUBE-CLUSTER-IP 10.200.1.1,tcp:443\nadd KUBE-CLUSTER-IP 10.200.1.10,tcp:53\nadd KUBE-CLUSTER-IP 10.200.1.10,udp:53\nadd KUBE-CLUSTER-IP 10.200.1.10,tcp:9153\nadd KUBE-CLUSTER-IP 10.200.1.17,tcp:9000\nadd KUBE-LOOP-BACK 10.10.0.3,tcp:53,10.10.0.3\nadd KUBE-LOOP-BACK 10.10.0.3,udp:53,10.10.0.3\nadd KUBE-NODE-PORT-TCP 30080\nadd KUBE-NODE-PORT-TCP 31443\nadd KUBE-LOAD-BALANCER 172.20.255.200,tcp:80\nadd KUBE-LOAD-BALANCER-SOURCE-CIDR 172.20.255.200,tcp:80,192.168.0.0/16\n' > kube-ipsets.txt
ipset restore -exist -file kube-ipsets.txt
ipset restore -exist -file kube-ipsets.txt
ipset list
ipset test KUBE-CLUSTER-IP 10.200.1.17,tcp:9000
ipset test KUBE-LOAD-BALANCER-SOURCE-CIDR 172.20.255.200,tcp:80,192.168.7.7
ipset test KUBE-NODE-PORT-TCP 30080
ipset del KUBE-CLUSTER-IP 10.200.1.17,tcp:9000
ipset list KUBE-CLUSTER-IP
