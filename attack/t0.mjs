import { trace } from '@opentelemetry/api';
const span = trace.getTracer('checkout').startSpan('checkout');
span.setAttributes({
  'user.email': 'jane.doe@example.com',
  'app.cart.size': 3,
  'http.request.method': 'GET',
  'url.full': 'https://x.example.com/a?email=jane.doe@example.com',
});
span.end();
