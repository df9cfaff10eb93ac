import { describe, it, expect } from 'vitest';
import { createTraceState } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace';
import { SEVERITY_RANGES, shouldKeepLogRecord } from '../../../processors/sampling/log-sampling';
import type { SeverityName } from '../../../processors/sampling/log-sampling';
import { ConsistentProbabilitySampler } from '../../../processors/sampling/consistent-probability-sampler';
import { decide, randomTraceIds, seededRandom } from './trace-ids';

describe('shouldKeepLogRecord: severity threshold', () => {
  it('maps names to the OpenTelemetry SeverityNumber ranges', () => {
    expect(SEVERITY_RANGES).toEqual({
      TRACE: [1, 4],
      DEBUG: [5, 8],
      INFO: [9, 12],
      WARN: [13, 16],
      ERROR: [17, 20],
      FATAL: [21, 24],
    });
  });

  it('drops records below the level and keeps the whole range of the level and above', () => {
    const cases: [SeverityName, number, number][] = [
      ['TRACE', 0, 1],
      ['DEBUG', 4, 5],
      ['INFO', 8, 9],
      ['WARN', 12, 13],
      ['ERROR', 16, 17],
      ['FATAL', 20, 21],
    ];
    for (const [minSeverity, below, lowest] of cases) {
      if (below > 0)
        expect(shouldKeepLogRecord({ severityNumber: below }, { minSeverity }), `${minSeverity} ${below}`).toBe(false);
      for (let s = lowest; s <= 24; s += 1)
        expect(shouldKeepLogRecord({ severityNumber: s }, { minSeverity }), `${minSeverity} ${s}`).toBe(true);
    }
    // INFO2..INFO4 stay INFO.
    expect(shouldKeepLogRecord({ severityNumber: 12 }, { minSeverity: 'INFO' })).toBe(true);
    expect(shouldKeepLogRecord({ severityNumber: 12 }, { minSeverity: 'WARN' })).toBe(false);
  });

  it('lets unspecified severity (0 or absent) pass, as LoggerConfig.minimum_severity does', () => {
    expect(shouldKeepLogRecord({ severityNumber: 0 }, { minSeverity: 'ERROR' })).toBe(true);
    expect(shouldKeepLogRecord({}, { minSeverity: 'ERROR' })).toBe(true);
  });

  it('applies both the level and the ratio', () => {
    expect(
      shouldKeepLogRecord(
        { severityNumber: 5, traceId: 'ffffffffffffffffffffffffffffffff' },
        { minSeverity: 'INFO', ratio: 1 },
      ),
    ).toBe(false);
    expect(
      shouldKeepLogRecord(
        { severityNumber: 17, traceId: 'ffffffffffffffffffffffffffffffff' },
        { minSeverity: 'INFO', ratio: 0 },
      ),
    ).toBe(false);
    expect(
      shouldKeepLogRecord(
        { severityNumber: 17, traceId: 'ffffffffffffffffffffffffffffffff' },
        { minSeverity: 'INFO', ratio: 0.5 },
      ),
    ).toBe(true);
  });
});

describe('shouldKeepLogRecord: ratio', () => {
  const ids = randomTraceIds(20_000, 0x1095);

  it('is consistent with the trace sampler: a record is kept exactly when its trace is', () => {
    for (const ratio of [0.5, 0.25, 0.01]) {
      const sampler = new ConsistentProbabilitySampler({ ratio });
      let kept = 0;
      for (const traceId of ids.slice(0, 20_000)) {
        const keep = shouldKeepLogRecord({ severityNumber: 9, traceId }, { ratio });
        expect(keep).toBe(decide(sampler, traceId).decision === SamplingDecision.RECORD_AND_SAMPLED);
        if (keep) kept += 1;
      }
      expect(Math.abs(kept - 20_000 * ratio)).toBeLessThanOrEqual(4 * Math.sqrt(20_000 * ratio * (1 - ratio)));
    }
  });

  it('uses the rv of the record trace state like the sampler does', () => {
    const traceId = '0123456789abcdef0000000000000000'; // randomness 0 from the trace id: dropped
    expect(shouldKeepLogRecord({ traceId }, { ratio: 0.5 })).toBe(false);
    expect(shouldKeepLogRecord({ traceId, traceState: createTraceState('ot=rv:ff000000000000') }, { ratio: 0.5 })).toBe(
      true,
    );
  });

  it('decides at random without a (valid) trace id', () => {
    expect(shouldKeepLogRecord({}, { ratio: 0.25 }, () => 0.2)).toBe(true);
    expect(shouldKeepLogRecord({}, { ratio: 0.25 }, () => 0.3)).toBe(false);
    expect(shouldKeepLogRecord({ traceId: '00000000000000000000000000000000' }, { ratio: 0.25 }, () => 0.2)).toBe(true);
    const random = seededRandom(99);
    let kept = 0;
    for (let i = 0; i < 100_000; i += 1)
      if (shouldKeepLogRecord({ severityNumber: 9 }, { ratio: 0.25 }, random)) kept += 1;
    expect(Math.abs(kept - 25_000)).toBeLessThanOrEqual(4 * Math.sqrt(100_000 * 0.25 * 0.75));
  });

  it('keeps everything at ratio 1 (or without a ratio) and nothing at 0', () => {
    const never = (): number => {
      throw new Error('random must not be consulted');
    };
    expect(shouldKeepLogRecord({ severityNumber: 1 }, {}, never)).toBe(true);
    expect(shouldKeepLogRecord({ severityNumber: 1 }, { ratio: 1 }, never)).toBe(true);
    expect(shouldKeepLogRecord({ traceId: 'ffffffffffffffffffffffffffffffff' }, { ratio: 0 }, never)).toBe(false);
    expect(shouldKeepLogRecord({}, { ratio: 0 }, never)).toBe(false);
    expect(() => shouldKeepLogRecord({}, { ratio: 2 })).toThrow(RangeError);
  });
});
