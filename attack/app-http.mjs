import http from 'node:http';
const srv = http.createServer((q, r) => { r.setHeader('set-cookie', 'sid=secrettoken123'); r.statusCode = q.url.includes('fail') ? 500 : 200; r.end('ok'); });
srv.listen(0, '127.0.0.1', async () => {
  const p = srv.address().port;
  const paths = ['/u/Jane%20Doe?email=jane.doe@example.com&token=secrettoken', '/users/customer.123-45-6789/orders', '/p/user.202-555-0143/fail', '/x;jsessionid=secrettoken123', '/a/jane.doe%40example.com', '/b/am%61ne.doe%40example.com'];
  for (const path of paths) await new Promise((res) => http.get({ host: '127.0.0.1', port: p, path, headers: { authorization: 'Bearer secrettoken123', 'user-agent': 'agent jane.doe@example.com', 'x-forwarded-for': '203.0.113.7', cookie: 'sid=secrettoken123', referer: 'https://jane-doe.example.org/?ssn=123-45-6789' } }, (r) => { r.resume(); r.on('end', res); }));
  srv.close(); setTimeout(() => {}, 800);
});
