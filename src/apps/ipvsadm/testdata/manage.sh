# Editing services and servers, forwarding methods, persistence, fwmark services, flags, save and sort order.
ipvsadm -A -t 10.96.0.10:53 -s rr
ipvsadm -A -u 10.96.0.10:53 -s wrr -p
ipvsadm -A -t 192.168.1.100:80 -s sh -b sh-fallback,sh-port -p 60 -M 255.255.255.0
ipvsadm -A -f 7 -s mh -b mh-port
ipvsadm -A -u 10.96.0.20:5353 -s lc -o
ipvsadm -A -t 200.1.1.1:80 -s nq
ipvsadm -a -t 10.96.0.10:53 -r 10.244.2.5:53 -m
ipvsadm -a -t 10.96.0.10:53 -r 10.244.1.5 -m -w 3
ipvsadm -a -t 10.96.0.10:53 -r 10.244.10.5:5353 -g -w 0
ipvsadm -a -t 10.96.0.10:53 -r 10.244.3.5:53 -i -x 100 -y 50
ipvsadm -a -u 10.96.0.10:53 -r 10.244.2.5:53 -m -w 2
ipvsadm -a -f 7 -r 172.18.0.3:0 -g
ipvsadm -a -t 200.1.1.1:80 -r 10.0.0.1:80 -m
ipvsadm -a -t 200.1.1.1:80 -r 172.16.0.1:8080 -m
ipvsadm -a -t 200.1.1.1:80 -r 192.168.0.1:80 -m
ipvsadm -a -t 200.1.1.1:80 -r 10.0.0.1:8080 -m
ipvsadm -Ln
ipvsadm -L
ipvsadm -Ln --thresholds
ipvsadm -Ln --persistent-conn
ipvsadm -Ln --tun-info
ipvsadm -Ln --nosort -t 10.96.0.10:53
ipvsadm -S
ipvsadm -S -n
ipvsadm -E -t 10.96.0.10:53 -p 120
ipvsadm -e -t 10.96.0.10:53 -r 10.244.1.5:53 -m -w 5
ipvsadm -e -t 10.96.0.10:53 -r 10.244.2.5:53 -g
ipvsadm -d -t 10.96.0.10:53 -r 10.244.3.5:53
ipvsadm -D -u 10.96.0.20:5353
ipvsadm -Ln
ipvsadm --set 3600 60 30
ipvsadm -L --timeout
ipvsadm -L --daemon
ipvsadm -C
ipvsadm -Ln
