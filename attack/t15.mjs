import http from 'node:http';
import net from 'node:net';
const server = http.createServer((req, res) => {
  res.writeHead(200);
  res.end('ok');
});
await new Promise((r) => server.listen(0, r));
const port = server.address().port;
const raw = (line, host = 'localhost') =>
  new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () =>
      s.write(
        `${line}\r\nHost: ${host}\r\nX-Forwarded-For: 203.0.113.7\r\nUser-Agent: jane.doe@example.com\r\nConnection: close\r\n\r\n`,
      ),
    );
    s.on('data', () => {});
    s.on('close', resolve);
    s.on('error', resolve);
  });
await raw('GET //jane.doe@example.com/x HTTP/1.1');
await raw('GET http://jane.doe:pw@example.com/a HTTP/1.1');
await raw('GET /a?e=jane.doe@example.com HTTP/1.1', 'jane.doe@example.com');
await raw('GET /u/4111-1111-1111-1111/x HTTP/1.1', '4111-1111-1111-1111.example.com:8080');
await raw('GET /;jane.doe@example.com HTTP/1.1', '[2001:db8::7]:80');
await raw('OPTIONS * HTTP/1.1', '203.0.113.7');
await raw('CONNECT jane.doe@example.com:443 HTTP/1.1', 'jane.doe@example.com:443');
await raw('JANE.DOE@EXAMPLE.COM / HTTP/1.1');
await raw('GET /%2F%2Fjane.doe%40example.com HTTP/1.1');
await raw('GET /x#jane.doe@example.com HTTP/1.1');
await raw('GET /a/b/c/d/e/f/g/h/i/j/jane.doe HTTP/1.1');
await raw('GET /\\jane.doe@example.com HTTP/1.1');
// client spans
await new Promise((r) =>
  http
    .get(
      {
        host: '127.0.0.1',
        port,
        path: '/c?token=abc&email=jane.doe@example.com',
        headers: { authorization: 'Bearer s3cr3tT0k3nABCDEF123456' },
      },
      (res) => {
        res.resume();
        res.on('end', r);
      },
    )
    .on('error', r),
);
await new Promise((r) =>
  http
    .get(`http://jane.doe:s3cr3t@127.0.0.1:${port}/userinfo`, (res) => {
      res.resume();
      res.on('end', r);
    })
    .on('error', r),
);
server.close();
await new Promise((r) => setTimeout(r, 500));
