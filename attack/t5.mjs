import { trace } from '@opentelemetry/api';
const tr = trace.getTracer('attack5');
const toScript = (s, zero) => s.replace(/[0-9]/g, (d) => String.fromCodePoint(zero + Number(d)));
const vals = {
  arabic: toScript('4111 1111 1111 1111', 0x660),
  arabicSsn: toScript('123-45-6789', 0x660),
  arabicPhone: toScript('+1 202 555 0143', 0x660),
  persian: toScript('4111 1111 1111 1111', 0x6f0),
  deva: toScript('4111 1111 1111 1111', 0x966),
  beng: toScript('+1 202 555 0143', 0x9e6),
  thai: toScript('123-45-6789', 0xe50),
  mathbold: toScript('4111 1111 1111 1111', 0x1d7ce),
  ip: toScript('203.0.113.7', 0x660),
  mixed: '4111 ' + toScript('1111', 0x660) + ' 1111 1111',
  lone: 'jane.doe\uD800@example.com',
  fffd: 'jane.doe\uFFFD@example.com',
  hangul: 'jane.doe\u3164@example.com',
  cgj: 'jane\u034F.doe@example.com',
  mvs: '4111\u180E1111\u180E1111\u180E1111',
  smallat: 'jane.doe\uFE6Bexample.com',
  sup: '⁴¹¹¹ ¹¹¹¹ ¹¹¹¹ ¹¹¹¹',
  nko: toScript('4111111111111111', 0x7c0),
  fw: toScript('4111111111111111', 0xff10),
  tamil: toScript('+1 202 555 0143', 0xbe6),
  khmer: toScript('123456789', 0x17e0),
  osm: toScript('AKIA', 0) + 'IOSFODNN7EXAMPLE',
};
let i = 100;
for (const [k, v] of Object.entries(vals)) {
  const s = tr.startSpan('v' + i++ + '_' + k, { attributes: { 'thread.name': v, 'error.type': 'x ' + v + ' y' } });
  s.end();
}
await new Promise((r) => setTimeout(r, 300));
