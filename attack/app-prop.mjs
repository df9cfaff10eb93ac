import { trace, context, propagation } from '@opentelemetry/api';
const bag = propagation.createBaggage({ 'user.email': { value: 'jane.doe@example.com' }, 'app.x': { value: 'AKIAIOSFODNN7EXAMPLE' }, 'jane.doe@example.com': { value: '1' } });
const ctx = propagation.setBaggage(context.active(), bag);
trace.getTracer('t').startActiveSpan('sp', {}, ctx, (sp) => {
  const carrier = {}; propagation.inject(context.active(), carrier); console.log('CARRIER', JSON.stringify(carrier));
  const inCtx = propagation.extract(context.active(), { baggage: 'user.email=jane.doe%40example.com', 'x-b3-traceid': '5b8efff798038103d269b633813fc60c', 'x-b3-spanid': 'eee19b7ec3c1b174', 'x-b3-sampled': '1', tracestate: 'jane=jane.doe@example.com' });
  console.log('EXTRACTED', JSON.stringify(propagation.getBaggage(inCtx)?.getAllEntries()));
  sp.end();
});
