import type { Attributes } from '@opentelemetry/api';
import type { LogRecordProcessor, ReadableLogRecord, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { describe, expect, it } from 'vitest';
import {
  replaceLogRecordAttributes,
  replaceLogRecordResource,
} from '../../../processors/sdk-internals/log-record-internals';
import { SDK_LINES, sdkTraceVersion } from './sdk-lines';

describe.each(SDK_LINES)('log record internals on $name', (line) => {
  /** Emits one record through `change` (in onEmit, where records are writable) and returns what comes out. */
  function emit(attributes: Attributes, change: (record: ReadWriteLogRecord) => void, attributeCountLimit = 128) {
    const { LoggerProvider } = line.logs();
    const emitted: ReadableLogRecord[] = [];
    const processor = (onEmit: (record: ReadWriteLogRecord) => void): LogRecordProcessor => ({
      onEmit,
      forceFlush: async () => {},
      shutdown: async () => {},
    });
    const resource = line.resources().resourceFromAttributes({ 'host.name': 'raw-host' });
    const provider = new LoggerProvider({
      resource,
      logRecordLimits: { attributeCountLimit },
      processors: [processor(change), processor((record) => void emitted.push(record))],
    });
    provider.getLogger('sdk-internals-test').emit({ body: 'hello', attributes });
    return { record: emitted[0], resource };
  }

  it('runs on the line it names', () => {
    expect(Number(sdkTraceVersion(line).split('.')[0])).toBe(line.major);
  });

  it('replaces attributes, and later setAttribute calls are limited by the new count', () => {
    const { record } = emit(
      { a: 1, secret: 's', other: 'o' },
      (r) => {
        replaceLogRecordAttributes(r, { a: 1 }, 1);
        // With the SDK still counting 3 attributes, both of these would be dropped by the limit.
        r.setAttribute('x', 2);
        r.setAttribute('y', 3);
        r.setAttribute('z', 4); // the fourth: over the limit
      },
      3,
    );
    expect(record.attributes).toEqual({ a: 1, x: 2, y: 3 });
    expect(record.droppedAttributesCount).toBe(1);
  });

  it("replaces the record's resource without touching the provider's", () => {
    const { record, resource } = emit({}, (r) =>
      replaceLogRecordResource(r, line.resources().resourceFromAttributes({ 'host.name': 'k0:pseudonym' })),
    );
    expect(record.resource.attributes).toEqual({ 'host.name': 'k0:pseudonym' });
    expect(resource.attributes).toEqual({ 'host.name': 'raw-host' });
  });

  it('sets and removes the body through the public setter', () => {
    expect(emit({}, (r) => void (r.body = 'clean')).record.body).toBe('clean');
    expect(emit({}, (r) => void (r.body = undefined)).record.body).toBeUndefined();
  });
});
