// Writes rawrecv.mjs: the example receiver (examples/receiver/otlp-receiver.mjs) changed to append every decoded
// export request whole (every OTLP field, bytes as text) to --out, instead of its flattened summary of a few fields.
import { readFileSync, writeFileSync } from 'node:fs';

let s = readFileSync(new URL('../examples/receiver/otlp-receiver.mjs', import.meta.url), 'utf8');
const replace = (from, to) => {
  if (!s.includes(from)) throw new Error(`receiver changed: ${from.slice(0, 40)}`);
  s = s.replace(from, to);
};
replace("from './grpc-server.mjs'", "from '../examples/receiver/grpc-server.mjs'");
replace(
  'const here = dirname(fileURLToPath(import.meta.url));',
  "const here = join(dirname(fileURLToPath(import.meta.url)), '../examples/receiver');",
);
replace(
  `        for (const item of flatten(signal, decoded)) {
          items.push(item);
          if (out) appendFileSync(out, \`\${JSON.stringify(item)}\\n\`);
          onItem?.(item, client);
        }`,
  `        const bytes = (k, v) => (k === 'bytesValue' && Array.isArray(v) ? 'BYTES:' + Buffer.from(v).toString('latin1') : v);
        if (out) appendFileSync(out, \`\${JSON.stringify({ signal, decoded }, bytes)}\\n\`);`,
);
writeFileSync(new URL('rawrecv.mjs', import.meta.url), s);
