#!/bin/bash
# Outside attack harness (attack1): runs one attack app under the documented one-line setup
# (node --import otel-privacy/register, default policy, OTLP/gRPC over mTLS) against a local receiver that writes every
# decoded export request whole, then checks the received OTLP for the fake identity (check.mjs; dump.mjs prints it).
# Once: node make-raw-receiver.mjs && node rawrecv.mjs --port 0 --env-out receiver.env --out received.jsonl &
# usage: run.sh app.mjs  -> prints new received lines into out/<app>.jsonl and runs check
cd "$(dirname "$0")"
. ./receiver.env
mkdir -p out
before=$(wc -l < received.jsonl 2>/dev/null || echo 0)
export OTEL_PRIVACY_HMAC_KEY="base64:$(head -c32 /dev/zero | tr '\0' 'Z' | base64)"
OTEL_SERVICE_NAME=${SVC:-shop} OTEL_METRIC_EXPORT_INTERVAL=500 node --import ../dist/register.js "$1" 2>out/$(basename $1).err
sleep 1
tail -n +$((before+1)) received.jsonl > out/$(basename $1).jsonl
node check.mjs out/$(basename $1).jsonl
