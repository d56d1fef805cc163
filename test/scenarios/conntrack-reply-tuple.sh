# conntrack -I with both tuples keeps the reply tuple as given (a DNATed DNS query, as kube-proxy's
# UDP cleanup finds them), and -D matches on the original destination, its port and the reply source.
conntrack -I -t 60 -p udp -s 10.244.0.5 -d 10.96.0.10 --sport 40000 --dport 53 -r 10.244.0.3 -q 10.244.0.5 --reply-port-src 53 --reply-port-dst 40000
conntrack -I -t 60 -p udp -s 10.244.0.6 -d 10.96.0.10 --sport 40001 --dport 53
conntrack -I -t 60 -p tcp -s 10.244.0.5 -d 10.96.0.10 --sport 40002 --dport 53 --state ESTABLISHED -r 10.244.0.3 -q 10.244.0.5 --reply-port-src 53 --reply-port-dst 40002
conntrack -L
conntrack -D -p udp --orig-dst 10.96.0.10 --orig-port-dst 53 --reply-src 10.244.0.3
conntrack -D -p udp --orig-dst 10.96.0.10 --orig-port-dst 53 --reply-src 10.244.0.3
conntrack -L
