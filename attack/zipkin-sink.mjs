import http from 'node:http'; import { appendFileSync } from 'node:fs';
http.createServer((q, r) => { let b = ''; q.on('data', (d) => (b += d)); q.on('end', () => { appendFileSync(process.argv[2], q.url + ' ' + b + '\n'); r.end(); }); }).listen(19411, '127.0.0.1');
