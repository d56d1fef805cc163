# The connection table: persistence templates, TCP states and their timers, UDP, expiry, zeroed counters.
ipvsadm -A -t 10.96.0.1:443 -s rr -p 300
ipvsadm -a -t 10.96.0.1:443 -r 172.18.0.2:6443 -m
ipvsadm -a -t 10.96.0.1:443 -r 172.18.0.3:6443 -m
ipvsadm -A -u 10.96.0.10:53 -s rr
ipvsadm -a -u 10.96.0.10:53 -r 10.244.0.2:53 -m
ipvsadm -a -u 10.96.0.10:53 -r 10.244.0.3:53 -m
ipvsadm -A -f 100 -s sh -p 60
ipvsadm -a -f 100 -r 10.244.1.7:0 -g
knetlab-flow tcp 10.244.1.10:41000 10.96.0.1:443 syn
knetlab-flow tcp 10.244.1.10:41002 10.96.0.1:443 syn
knetlab-flow tcp 10.244.2.20:41000 10.96.0.1:443 syn
knetlab-reply tcp 172.18.0.3:6443 10.244.1.10:41000 syn ack
knetlab-flow tcp 10.244.1.10:41000 10.96.0.1:443 ack
knetlab-flow udp 10.244.1.10:5353 10.96.0.10:53
knetlab-flow udp 10.244.1.11:5353 10.96.0.10:53
knetlab-reply udp 10.244.0.3:53 10.244.1.10:5353
ipvsadm -Lnc
ipvsadm -Ln
ipvsadm -Ln --persistent-conn
ipvsadm -Ln --stats
sleep 61
ipvsadm -Lnc
ipvsadm -Ln
knetlab-flow tcp 10.244.1.10:41000 10.96.0.1:443 fin ack
knetlab-reply tcp 172.18.0.3:6443 10.244.1.10:41000 fin ack
knetlab-flow tcp 10.244.1.10:41000 10.96.0.1:443 ack
ipvsadm -Lnc
ipvsadm -Ln --rate
ipvsadm -Z
ipvsadm -Ln --stats
sleep 300
ipvsadm -Lnc
ipvsadm -Ln
ipvsadm -Ln --rate
