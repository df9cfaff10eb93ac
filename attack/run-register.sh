#!/bin/bash
# usage: run-register.sh OUTDIR [extra env...] -- runs app-register.mjs under the hook against raw receiver
out=$1; shift
rm -rf $out; (node raw-receiver.mjs $out ${FAIL:-0} > $out.rlog 2>&1 & echo $! > $out.pid); while [ ! -s $out/env ]; do sleep 0.3; done; . $out/env
env OTEL_SERVICE_NAME='svc-jane.doe@example.com' OTEL_RESOURCE_ATTRIBUTES='host.name=jane-doe.example.org,deployment.environment=jane.doe%40example.com,owner=Jane%20Doe,service.instance.id=jane-doe-4111111111111111' OTEL_METRIC_EXPORT_INTERVAL=500 OTEL_BSP_SCHEDULE_DELAY=100 OTEL_PRIVACY_INSTRUMENTATIONS=none "$@" timeout 20 ../node_modules/.bin/node --import otel-privacy/register ${APP:-app-register.mjs} > $out.app.out 2> $out.app.err; echo rc=$?
sleep 0.5; kill $(cat $out.pid)
ls $out | head -30; ./grep-canaries.sh $out
grep -a -i -E "jane|4111|203.0|AKIA|555|secrettoken" $out.app.* | head -30
