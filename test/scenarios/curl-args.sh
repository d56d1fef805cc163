# curl 7.88.1's own option parser: prefixes, --no-, grouped letters, values checked in order, its messages.
curl
curl --foo
curl --ma 1 http://127.0.0.1:1/
curl --max-t x http://127.0.0.1:1/
curl -sSm 1x http://127.0.0.1:1/
curl -m -1 http://127.0.0.1:1/
curl -m 1e999 http://127.0.0.1:1/
curl -m
curl -sS
curl --silent=1 http://127.0.0.1:1/
curl --no-output x http://127.0.0.1:1/
curl --local-port 0-x http://127.0.0.1:1/
curl --local-port 70000 http://127.0.0.1:1/
curl http://127.0.0.1:1/ -x
curl -
curl -sSm1 http://127.0.0.1:1/
curl --SIL --show-e -m 2 http://127.0.0.1:1/
curl -sS --no-silent --conn 1 http://127.0.0.1:1/ -o /dev/null
curl -sS -- http://127.0.0.1:1/
curl -sS --url http://127.0.0.1:1/
