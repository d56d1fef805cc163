# The kube-proxy IPVS tables of seed 004's control-plane node, and the svc-clusterip lab.
ipvsadm -A -t 10.200.1.1:443 -s rr
ipvsadm -a -t 10.200.1.1:443 -r 172.20.0.5:6443 -m -w 1
ipvsadm -A -t 10.200.1.10:53 -s rr
ipvsadm -a -t 10.200.1.10:53 -r 10.10.0.3:53 -m -w 1
ipvsadm -a -t 10.200.1.10:53 -r 10.10.0.4:53 -m -w 1
ipvsadm -A -t 10.200.1.10:9153 -s rr
ipvsadm -a -t 10.200.1.10:9153 -r 10.10.0.3:9153 -m -w 1
ipvsadm -a -t 10.200.1.10:9153 -r 10.10.0.4:9153 -m -w 1
ipvsadm -A -u 10.200.1.10:53 -s rr
ipvsadm -a -u 10.200.1.10:53 -r 10.10.0.3:53 -m -w 1
ipvsadm -a -u 10.200.1.10:53 -r 10.10.0.4:53 -m -w 1
knetlab-flow tcp 172.20.0.5:40001 10.200.1.1:443 syn
knetlab-flow tcp 10.10.0.3:40002 10.200.1.1:443 syn
knetlab-flow tcp 10.10.0.4:40003 10.200.1.1:443 syn
ipvsadm -Ln
ipvsadm -A -t 10.200.1.17:9000 -s rr
ipvsadm -a -t 10.200.1.17:9000 -r 10.10.2.2:80 -m -w 1
ipvsadm -a -t 10.200.1.17:9000 -r 10.10.1.2:80 -m -w 1
ipvsadm -a -t 10.200.1.17:9000 -r 10.10.3.2:80 -m -w 1
ipvsadm -Ln -t 10.200.1.17:9000
ipvsadm -Ln -t 10.200.1.17:9000 --stats
ipvsadm -Ln -t 10.200.1.17:9000 --rate
knetlab-flow tcp 10.10.0.5:58980 10.200.1.17:9000 syn
knetlab-flow tcp 10.10.0.5:58982 10.200.1.17:9000 syn
knetlab-flow tcp 10.10.0.5:58984 10.200.1.17:9000 syn
knetlab-flow tcp 10.10.0.5:58986 10.200.1.17:9000 syn
knetlab-reply tcp 10.10.3.2:80 10.10.0.5:58980 syn ack
knetlab-flow tcp 10.10.0.5:58980 10.200.1.17:9000 ack
sleep 4
ipvsadm -Ln -t 10.200.1.17:9000
ipvsadm -Ln -t 10.200.1.17:9000 --stats
ipvsadm -Ln -t 10.200.1.17:9000 --rate
ipvsadm -L -t 10.200.1.17:9000 --stats --exact
ipvsadm -Lnc
