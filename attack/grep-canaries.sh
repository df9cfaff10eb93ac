#!/bin/sh
# grep raw bytes (binary) for canaries
d=$1
for c in 'jane.doe@example.com' 'jane' 'Jane' '555 0143' '5550143' '2025550143' '4111' '123-45-6789' '123456789' '203.0.113.7' 'AKIAIOSFODNN7EXAMPLE' 'eyJhbGciOi' 'sk_live' 'secrettoken' 'Doe' 'doe' 'four one one one'; do
  hits=$(grep -l -a -F -- "$c" $d/* 2>/dev/null | tr '\n' ' ')
  [ -n "$hits" ] && echo "HIT [$c]: $hits"
done
echo done-grep
