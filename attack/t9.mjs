import { trace } from '@opentelemetry/api';
const tr = trace.getTracer('attack9');
const sets = [
  {
    'url.full': 'https://u123456789.example.com/a',
    'server.address': 'u2025550143.example.com',
    'url.domain': 'c4111111111111111.example.com',
  },
  {
    'dns.question.name': '7.113.0.203.in-addr.arpa',
    'server.address': '203-0-113-7.example.com',
    'net.host.name': 'ip-203-0-113-7',
  },
  {
    'url.full': 'https://example.com/x#/user/123456789/jane.doe',
    'url.path': '/a;jsessionid=2025550143/b',
    'http.route': '/u/2025550143',
  },
  {
    'url.full': 'https://example.com/a%2F2025550143%2Fb',
    'url.original': '/search?q=jane.doe&phone=2025550143',
    'url.query': 'x=1&jane.doe=1&2025550143=y',
  },
  {
    'url.full': 'https://example.com/files/jane.doe.pdf',
    'url.path': '/avatars/jane.doe.png',
    'url.template': '/u/{jane.doe}',
  },
  { 'url.full': 'https://example.com/p/123456789', 'http.target': '/p/2025550143?x=1', 'url.path': '/ssn/123-45-6789' },
  {
    'url.full': 'mailto:jane.doe@example.com',
    'url.original': 'tel:+12025550143',
    'vcs.repository.url.full': 'git@github.com:jane-doe/repo.git',
  },
  {
    'url.full': 'https://example.com/?q=x#email=jane.doe%40example.com',
    'url.scheme': 'https',
    'url.query': 'q=jane.doe%40example.com',
  },
  {
    'url.full': 'data:text/plain;base64,amFuZS5kb2VAZXhhbXBsZS5jb20=',
    'url.original': 'javascript:alert("jane.doe@example.com")',
  },
  { 'url.full': 'https://example.com/u/jane.doe%40example.com/x', 'url.path': '/u/jane%2Edoe%40example%2Ecom' },
  { 'url.full': 'https://example.com/path/4111-1111-1111-1111/x', 'url.path': '/p/2025550143/x' },
  { 'url.full': 'https://AKIAIOSFODNN7EXAMPLE.s3.amazonaws.com/x', 'aws.s3.bucket': 'backup-123456789' },
];
let i = 200;
for (const a of sets) {
  const s = tr.startSpan('v' + i++, { attributes: a });
  s.end();
}
await new Promise((r) => setTimeout(r, 300));
