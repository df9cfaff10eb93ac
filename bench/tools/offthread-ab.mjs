// Would an opt-in "off-thread" span mode pay? (issue 18, Part 2's last direction; not a scenario of `npm run bench`,
// and not a product feature: see bench/RESULTS.md, "Off-thread value work: measured, not built".)
//
// The mode: key decisions stay on the event loop (a key the policy drops is removed, a masked key gets the mask, a small
// integer or boolean under a plain `allow` is kept), every other value is replaced on the span by a placeholder (so no
// other processor and no exporter can see it raw) and kept in side storage; batches of 512 spans post their raw values
// to a worker thread, which runs the same engine on them (span name, attribute map, event names and attributes, status
// message); the reply fills an export copy of each span, which goes to the exporter. This file models that mode's
// costs faithfully enough to decide whether to build it:
// - main thread: the start pass (key decisions, placeholders, the raw start attributes kept aside), the end pass
//   (raw values merged, placeholders, the values posted), the export copies, the structured clone of the values out
//   and of the changed values back (sparse reply: only positions whose value changed), and the garbage of all that;
//   two transports (`clone`: the lists structured-cloned; `packed`: strings joined into one string, lengths in a
//   transferred Int32Array) and a `floor` variant with no worker and no transport (the main-thread part alone);
// - worker thread: the engine of the product (`dist/`), the same calls the inline processor makes.
// It does not model what a product would add (hot reload, findings counters sent back, consent, timeouts, failure
// handling), so its main-thread cost is a lower bound for a real implementation.
// A fidelity check compares the first 2 000 spans (1 000 requests) each model exported with the inline processor's:
// they must be equal.
//
// Variants in one process, rotating rounds (bench/lib.mjs): bare twice (A/A control), inline (PrivacySpanProcessor →
// BatchSpanProcessor, default policy), the model with each transport and its floor (default policy), on the
// steady-state request unit. Per round:
// wall µs per request (what the bench's throughput ratio uses; the round ends when everything is exported, so it
// includes waiting for the worker), process CPU (every thread), main-thread CPU and the worker thread's CPU
// (`process.threadCpuUsage`, Node ≥ 23.9: run with the `node@24` devDependency, `npx node`).
//
//   npx node bench/tools/offthread-ab.mjs [--users 1000,100000] [--rounds 20] [--repeats 2] [--n 2000] [--dist dist]
// (`npm run build` first: the engine is read from `dist/`.)
import { setImmediate } from 'node:timers';
import { Worker } from 'node:worker_threads';
import { resolve } from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import * as api from '@opentelemetry/api';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import {
  aaLine,
  asyncNoopExporter,
  perRound,
  quantile,
  requestWork,
  roundOf,
  steadyRounds,
  summary,
  throughputRatio,
} from '../lib.mjs';

const { values: opts } = parseArgs({
  options: {
    users: { type: 'string', default: '1000,100000' },
    rounds: { type: 'string', default: '20' },
    repeats: { type: 'string', default: '2' },
    n: { type: 'string', default: '2000' },
    dist: { type: 'string', default: 'dist' },
  },
});
if (typeof process.threadCpuUsage !== 'function') {
  console.error('offthread-ab: needs process.threadCpuUsage (Node >= 23.9): run it with `npx node` (node@24)');
  process.exit(2);
}
process.env.OTEL_PRIVACY_HMAC_KEY ??= 'bench-only-fake-hmac-key-0123456789abcdef';
const distUrl = pathToFileURL(resolve(opts.dist, 'index.js')).href;
const lib = await import(distUrl);

const PENDING = '[otel-privacy:pending]';
const MASK = '[REDACTED]';
// structural markers in the posted key list (never attribute keys: they start with a control character)
const SPAN = '\u0001span';
const EVENT = '\u0001event';
const STATUS = '\u0001status';
const STATUS_KEY = lib.STATUS_MESSAGE_KEY;

/**
 * The `packed` transport: the strings of a list joined into one string (one copy, which also flattens the request's
 * concatenated strings) and their lengths in an `Int32Array` (transferred, not copied); other values (numbers,
 * arrays, bytes, `null` for a dropped value) in a small array that is structured-cloned. Against `clone` (the list
 * itself structured-cloned: one tag, length and copy per string).
 */
function pack(list) {
  const lens = new Int32Array(list.length);
  const strings = [];
  const others = [];
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if (typeof v === 'string') {
      lens[i] = v.length;
      strings.push(v);
    } else {
      lens[i] = -1;
      others.push(v);
    }
  }
  return { text: strings.join(''), lens, others };
}

/** The list `pack` packed (strings as slices of the joined text). */
function unpack({ text, lens, others }) {
  const list = new Array(lens.length);
  let at = 0;
  let o = 0;
  for (let i = 0; i < lens.length; i++) {
    const n = lens[i];
    if (n >= 0) {
      list[i] = text.slice(at, at + n);
      at += n;
    } else list[i] = others[o++];
  }
  return list;
}

// The worker: the product's engine (dist/) under the same policy; walks the posted list group by group (a span's name
// and attributes, each event's name and attributes, the status message) and answers the positions whose value changed.
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
${pack.toString()}
${unpack.toString()}
(async () => {
  const lib = await import(${JSON.stringify(distUrl)});
  const policy = lib.defaultPolicy();
  const MASK = '[REDACTED]';
  const packed = workerData.transport === 'packed';
  parentPort.on('message', (m) => {
    const id = m.id;
    const keys = packed ? unpack(m.keys) : m.keys;
    const vals = packed ? unpack(m.vals) : m.vals;
    const compiled = policy.compiled;
    const s = compiled.sanitizer('traces', 'bench');
    const at = [];
    const out = [];
    const put = (i, v) => { if (v !== vals[i]) { at.push(i); out.push(typeof v === 'symbol' ? null : v); } };
    let i = 0;
    while (i < keys.length) {
      const marker = keys[i];
      const head = i++;
      if (marker === ${JSON.stringify(STATUS)}) { put(head, s.sanitizeValue(${JSON.stringify(STATUS_KEY)}, vals[head])); continue; }
      const start = i;
      const map = {};
      while (i < keys.length && keys[i].charCodeAt(0) !== 1) { map[keys[i]] = vals[i]; i++; }
      const clean = {};
      s.sanitizeInto(map, clean);
      for (let j = start; j < i; j++) put(j, Object.prototype.hasOwnProperty.call(clean, keys[j]) ? clean[keys[j]] : Symbol.for('dropped'));
      if (marker === ${JSON.stringify(SPAN)}) put(head, compiled.redactSpanName(vals[head], map));
      else { const name = compiled.scanText(vals[head]); put(head, name === undefined ? MASK : name); }
    }
    const cpu = process.threadCpuUsage();
    if (!packed) parentPort.postMessage({ id, at, out, cpu: cpu.user + cpu.system });
    else {
      const reply = { id, at: Int32Array.from(at), out: pack(out), cpu: cpu.user + cpu.system };
      parentPort.postMessage(reply, [reply.at.buffer, reply.out.lens.buffer]);
    }
  });
  parentPort.postMessage({ ready: true });
})();
`;

/** The mode's cost model as a SpanProcessor that owns its exporter (see the header). */
class OffThreadModel {
  /**
   * @param transport `clone` (the lists structured-cloned), `packed` (see `pack`), or `floor`: no worker and no
   *   transport, each batch "answered" on the next turn of the event loop with nothing changed, so the rounds measure
   *   the main-thread part alone (key pass, placeholders, side storage, export copies and their garbage). `floor`
   *   exports raw values: a measurement only, never a design.
   */
  constructor(policy, exporter, transport) {
    this.policy = policy;
    this.exporter = exporter;
    this.state = Symbol('offthread');
    this.transport = transport;
    this.workerCpu = 0;
    if (transport === 'floor') {
      this.ready = Promise.resolve();
    } else {
      this.worker = new Worker(workerSource, { eval: true, workerData: { transport } });
      this.ready = new Promise((r) => this.worker.once('message', r));
      this.worker.on('message', (m) => this.reply(m));
    }
    this.batch = [];
    this.keys = [];
    this.vals = [];
    this.dest = [];
    this.inflight = new Map();
    this.nextId = 1;
    this.waiters = [];
  }

  /** A key's fate decided on the event loop: 0 drop, 1 mask, 2 keep as is, 3 value work (placeholder). */
  fate(s, key, value) {
    const d = s.rules.decide(key);
    if (d.action === 'drop') return 0;
    if (d.action === 'mask') return 1;
    if (d.action === 'allow' && d.transform === undefined && d.statement === undefined) {
      if (typeof value === 'boolean') return 2;
      if (typeof value === 'number' && Number.isInteger(value) && value < 1e6 && value > -1e6) return 2;
    }
    return 3;
  }

  onStart(span) {
    const s = this.policy.compiled.sanitizer('traces', span.instrumentationScope.name);
    const raw = span.attributes;
    const visible = {};
    let n = 0;
    for (const key in raw) {
      const f = this.fate(s, key, raw[key]);
      if (f === 0) continue;
      visible[key] = f === 1 ? MASK : f === 2 ? raw[key] : PENDING;
      n++;
    }
    span.attributes = visible; // the raw start attributes stay only in the side storage below
    span._attributesCount = n;
    span[this.state] = { raw, name: span.name };
    span.name = PENDING;
  }

  /** One attribute map: placeholders on `visible`, the export copy `copy` and the values posted to the worker. */
  pass(s, attrs, startRaw, visible, copy) {
    for (const key in attrs) {
      let v = attrs[key];
      if (v === PENDING && startRaw !== undefined && key in startRaw) v = startRaw[key];
      const f = this.fate(s, key, v);
      if (f === 0) continue;
      if (f !== 3) {
        visible[key] = copy[key] = f === 1 ? MASK : v;
        continue;
      }
      visible[key] = copy[key] = PENDING;
      this.keys.push(key);
      this.vals.push(v);
      this.dest.push(copy, key);
    }
  }

  onEnding(span) {
    const st = span[this.state];
    const s = this.policy.compiled.sanitizer('traces', span.instrumentationScope.name);
    const copy = {};
    const visible = {};
    const name = { value: PENDING };
    this.keys.push(SPAN);
    this.vals.push(st.name);
    this.dest.push(name, 'value');
    this.pass(s, span.attributes, st.raw, visible, copy);
    span.attributes = visible;
    const events = [];
    for (let i = 0; i < span.events.length; i++) {
      const e = span.events[i];
      const ev = { name: PENDING, time: e.time, droppedAttributesCount: e.droppedAttributesCount, attributes: {} };
      const vis = {};
      this.keys.push(EVENT);
      this.vals.push(e.name);
      this.dest.push(ev, 'name');
      if (e.attributes) this.pass(s, e.attributes, undefined, vis, ev.attributes);
      span.events[i] = {
        name: PENDING,
        time: e.time,
        attributes: vis,
        droppedAttributesCount: e.droppedAttributesCount,
      };
      events.push(ev);
    }
    let status = span.status;
    if (status.message !== undefined) {
      status = { code: status.code, message: PENDING };
      this.keys.push(STATUS);
      this.vals.push(span.status.message);
      this.dest.push(status, 'message');
      span.status = { code: span.status.code, message: PENDING };
    }
    span[this.state] = { name, copy, events, status };
  }

  onEnd(span) {
    const st = span[this.state];
    span[this.state] = undefined;
    const sc = span.spanContext();
    this.batch.push({
      nameBox: st.name,
      kind: span.kind,
      spanContext: () => sc,
      parentSpanContext: span.parentSpanContext,
      startTime: span.startTime,
      endTime: span.endTime,
      status: st.status,
      attributes: st.copy,
      links: span.links,
      events: st.events,
      duration: span.duration,
      ended: true,
      resource: span.resource,
      instrumentationScope: span.instrumentationScope,
      droppedAttributesCount: span.droppedAttributesCount,
      droppedEventsCount: span.droppedEventsCount,
      droppedLinksCount: span.droppedLinksCount,
    });
    if (this.batch.length >= 512) this.dispatch();
  }

  dispatch() {
    if (this.batch.length === 0) return;
    const id = this.nextId++;
    this.inflight.set(id, { spans: this.batch, dest: this.dest, vals: this.vals });
    if (this.transport === 'floor') setImmediate(() => this.reply({ id, at: [], out: [], cpu: 0 }));
    else if (this.transport === 'clone') this.worker.postMessage({ id, keys: this.keys, vals: this.vals });
    else {
      const keys = pack(this.keys);
      const vals = pack(this.vals);
      this.worker.postMessage({ id, keys, vals }, [keys.lens.buffer, vals.lens.buffer]);
    }
    this.batch = [];
    this.keys = [];
    this.vals = [];
    this.dest = [];
  }

  reply({ id, at, out: sent, cpu, ready }) {
    if (ready) return;
    const out = this.transport === 'packed' ? unpack(sent) : sent;
    this.workerCpu = cpu;
    const b = this.inflight.get(id);
    this.inflight.delete(id);
    const { dest, vals } = b;
    let j = 0;
    for (let i = 0; i < vals.length; i++) {
      const target = dest[2 * i];
      const key = dest[2 * i + 1];
      if (j < at.length && at[j] === i) {
        const v = out[j++];
        if (v === null) delete target[key];
        else target[key] = v;
      } else target[key] = vals[i];
    }
    for (const span of b.spans) span.name = span.nameBox.value;
    this.exporter.export(b.spans, () => {
      if (this.inflight.size === 0) for (const w of this.waiters.splice(0)) w();
    });
  }

  async forceFlush() {
    this.dispatch();
    if (this.inflight.size > 0) await new Promise((r) => this.waiters.push(r));
  }

  async shutdown() {
    await this.forceFlush();
    await this.worker?.terminate();
  }
}

/** Spans kept for the fidelity check: the first 1 000 requests' (one warm-up round's worth). */
const KEPT = 2000;

/** What the fidelity check compares of an exported span (the fields the engine writes). */
const strip = (s) => ({
  name: s.name,
  attributes: { ...s.attributes },
  status: { ...s.status },
  events: s.events.map((e) => ({ name: e.name, attributes: { ...e.attributes } })),
});

/** `asyncNoopExporter` that also keeps the first {@link KEPT} spans it was given (stripped copies). */
function keepingExporter() {
  const exporter = asyncNoopExporter();
  const inner = exporter.export;
  exporter.kept = [];
  exporter.export = (spans, done) => {
    for (const span of spans) if (exporter.kept.length < KEPT) exporter.kept.push(strip(span));
    inner(spans, done);
  };
  return exporter;
}

function pipeline(kind, users) {
  const exporter = keepingExporter();
  let model;
  let processor;
  if (kind === 'bare') processor = new BatchSpanProcessor({ exporter });
  else if (kind === 'inline')
    processor = new lib.PrivacySpanProcessor({
      policy: lib.defaultPolicy(),
      next: new BatchSpanProcessor({ exporter }),
    });
  else processor = model = new OffThreadModel(lib.defaultPolicy(), exporter, kind);
  const provider = new TracerProvider({ spanProcessors: [processor] });
  return {
    model,
    provider,
    exporter,
    work: requestWork(api, provider.getTracer('bench'), users),
    flush: () => provider.forceFlush(),
    exported: () => exporter.exported,
  };
}

const n = Number(opts.n);
/** A round measured four ways; returns wall µs per request (the figure the rounds compare). */
const measured = (round, sink, model) => async () => {
  const cpu0 = process.cpuUsage();
  const main0 = process.threadCpuUsage();
  const worker0 = model?.workerCpu ?? 0;
  const t0 = process.hrtime.bigint();
  await round();
  const wall = Number(process.hrtime.bigint() - t0) / 1000 / n;
  const cpu = process.cpuUsage(cpu0);
  const main = process.threadCpuUsage(main0);
  sink.push({
    wall,
    process: (cpu.user + cpu.system) / n,
    main: (main.user + main.system) / n,
    worker: ((model?.workerCpu ?? 0) - worker0) / n,
  });
  return wall;
};

const plan = { rounds: Number(opts.rounds), repeats: Number(opts.repeats), warmup: 3 };
console.log(
  `offthread-ab: node ${process.version}; ${plan.rounds} rounds × ${plan.repeats} repeats, ${n} requests per round; default policy`,
);
for (const users of opts.users.split(',').map(Number)) {
  const p = {
    bare: pipeline('bare', users),
    bare2: pipeline('bare', users),
    inline: pipeline('inline', users),
    clone: pipeline('clone', users),
    packed: pipeline('packed', users),
    floor: pipeline('floor', users),
  };
  await Promise.all([p.clone.model.ready, p.packed.model.ready]);
  const sinks = Object.fromEntries(Object.keys(p).map((k) => [k, []]));
  const costs = await steadyRounds(
    Object.fromEntries(Object.entries(p).map(([k, x]) => [k, measured(roundOf(x, n), sinks[k], x.model)])),
    plan,
  );
  // fidelity: the first request (db span, server span) exported by the model equals the inline processor's
  // fidelity: the first requests' spans exported by each model equal the inline processor's, in order (the
  // spans end in the same order in every pipeline; pseudonyms are deterministic under the same key)
  for (const k of ['clone', 'packed']) {
    const a = p.inline.exporter.kept;
    const b = p[k].exporter.kept;
    const differs = a.findIndex((span, i) => !isDeepStrictEqual(span, b[i]));
    if (a.length !== KEPT || b.length !== KEPT || differs !== -1)
      throw new Error(
        `the ${k} model exported something else than the inline processor (span ${differs} of ${a.length}/${b.length}): its costs would mean nothing`,
      );
  }
  for (const x of Object.values(p)) await x.provider.shutdown();
  // the sinks also hold the warm-up rounds (`warmup` first, then one at the start of each repeat): left out here
  const timed = (k) =>
    Array.from({ length: plan.repeats }, (_, rep) => {
      const from = plan.warmup + rep * (plan.rounds + 1) + 1;
      return sinks[k].slice(from, from + plan.rounds);
    });
  const med = (k, f) =>
    quantile(
      timed(k)
        .flat()
        .map((x) => x[f]),
      0.5,
    );
  const ratio = (k, f) =>
    perRound(
      timed('bare').map((xs) => xs.map((x) => x[f])),
      timed(k).map((xs) => xs.map((x) => x[f])),
      throughputRatio,
    );
  const label = `${users} users`;
  console.log(
    `${label}: fidelity check passed (the first ${KEPT} spans exported by both models identical to the inline processor's)`,
  );
  const delta = (k, f) => (med(k, f) - med('bare', f)).toFixed(2);
  for (const k of Object.keys(p))
    console.log(
      `${label}: ${k.padEnd(6)} µs/request: wall ${med(k, 'wall').toFixed(2)}, process CPU ${med(k, 'process').toFixed(2)}, main thread ${med(k, 'main').toFixed(2)}, worker thread ${med(k, 'worker').toFixed(2)}` +
        (k === 'bare' ? '' : `; over bare: main ${delta(k, 'main')}, process ${delta(k, 'process')}`),
    );
  console.log(aaLine(label, costs, 'bare', 'bare2').line);
  for (const k of ['inline', 'clone', 'packed', 'floor']) {
    console.log(
      `${label}: ${k}/bare wall throughput (incl. waiting for the exports) ${summary(perRound(costs.bare, costs[k], throughputRatio))}`,
    );
    console.log(`${label}: ${k}/bare main-thread CPU ratio (bare µs / variant µs) ${summary(ratio(k, 'main'))}`);
    console.log(`${label}: ${k}/bare process CPU ratio ${summary(ratio(k, 'process'))}`);
  }
}
process.exit(0);
