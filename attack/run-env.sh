#!/bin/bash
# run app under hook with receiver env then override env; prints stderr lines with secrets
out=$1; shift
rm -rf $out; (node raw-receiver.mjs $out 0 > $out.rlog 2>&1 & echo $! > $out.pid); while [ ! -s $out/env ]; do sleep 0.3; done; . $out/env
env OTEL_PRIVACY_INSTRUMENTATIONS=none OTEL_BSP_SCHEDULE_DELAY=100 "$@" timeout 20 ../node_modules/.bin/node --import otel-privacy/register "${APP:-app-register.mjs}" > $out.app.out 2> $out.app.err; echo rc=$?
kill $(cat $out.pid)
grep -a -E "secrettoken|jane|4111|AKIA|Jane" $out.app.err $out.app.out | grep -v "^.*Invalid metric name\|diag jane" | head -8
