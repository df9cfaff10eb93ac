import { logs } from '@opentelemetry/api';
const E = 'jane.doe@example.com';
const lg = logs.getLogger('a12', '1.0', { schemaUrl: 'https://x/' + E });
// severity text variants, event names with encodings
lg.emit({
  body: 'v240',
  severityText: 'jane.doe%40example.com',
  eventName: 'am9obi5kb2VAZXhhbXBsZS5jb20=',
  attributes: { vec: 'v240' },
});
lg.emit({ body: 'v241', severityNumber: 4111111111111111, severityText: 'INFO', attributes: { vec: 'v241' } });
lg.emit({ body: 'v242', severityNumber: 2025550143, attributes: { vec: 'v242' } });
lg.emit({ body: 'v243', timestamp: 2025550143000, attributes: { vec: 'v243' } });
// log attributes: exception from an Error object
const err = new Error('fail ' + E);
err.name = 'E' + '2025550143';
lg.emit({
  body: 'v244',
  attributes: {
    vec: 'v244',
    'exception.type': err.name,
    'exception.message': err.message,
    'exception.stacktrace': err.stack,
    'code.function.name': 'handle_' + '123456789',
    'code.file.path': '/home/jane/app.js',
    'thread.name': 'worker-2025550143',
  },
});
// body as map with numbers under keys in a body map
lg.emit({ body: { 'error.type': 2025550143 }, attributes: { vec: 'v245' } });
lg.emit({ body: { msg: 'hello', user: E }, attributes: { vec: 'v246' } });
// body objects that are not plain: Date, Map, class instance, toJSON
class U {
  constructor() {
    this.email = E;
  }
  toString() {
    return E;
  }
}
lg.emit({ body: new U(), attributes: { vec: 'v247' } });
lg.emit({ body: new Map([['email', E]]), attributes: { vec: 'v248' } });
lg.emit({
  body: {
    toJSON() {
      return E;
    },
  },
  attributes: { vec: 'v249' },
});
lg.emit({ body: [new U()], attributes: { vec: 'v250' } });
lg.emit({ body: Object.assign(Object.create({ inherited: E }), { own: 'x' }), attributes: { vec: 'v251' } });
const sym = Symbol(E);
lg.emit({ body: { [sym]: E }, attributes: { vec: 'v252' } });
lg.emit({ body: 'v253', attributes: { vec: 'v253', 'thread.name': new U() } });
lg.emit({ body: 'v254', attributes: { vec: 'v254', 'feature_flag.result.value': new Date(2025550143000) } });
lg.emit({ body: 123456789n, attributes: { vec: 'v255' } });
lg.emit({ body: 'v256', attributes: { vec: 'v256', 'kafka.offset': 4111111111111111n, 'thread.id': 123456789n } });
await new Promise((r) => setTimeout(r, 500));
