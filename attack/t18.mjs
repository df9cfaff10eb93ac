import { trace } from '@opentelemetry/api';
const tr = trace.getTracer('a18');
const vals = [
  'jane.doe@example.com',
  '203.0.113.7, 198.51.100.1',
  '[2001:db8::7]:443',
  'unix:/home/jane/sock',
  'host-203-0-113-7',
  '::ffff:cb00:7107',
  '203.0.113.7%eth0',
  '0xCB.0x00.0x71.0x07',
  '3405803783',
  '203.000.113.007',
  '::ffff:203.0.113.7',
  '2001:db8:85a3::8a2e:370:7334',
  '203.0.113.7/32',
  'for=203.0.113.7;proto=https',
  '203.0.113.7:8080',
  '+1 202 555 0143',
  '4111 1111 1111 1111',
  '203.0.113.7\u0000',
  ' 203.0.113.7 ',
  '２０３.０.１１３.７',
  '203。0。113。7',
  'fe80::1%jane.doe@example.com',
  '64:ff9b::203.0.113.7',
  '2002:cb00:7107::1',
];
let i = 320;
for (const v of vals)
  tr.startSpan('v' + i++, {
    attributes: { 'client.address': v, 'network.peer.address': v, 'dns.answers': [v, '198.51.100.2'] },
  }).end();
await new Promise((r) => setTimeout(r, 300));
