import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classify, SPACED_CANDIDATE } from '../../../engine/detectors/prefilter';
import { spacedView } from '../../../engine/detectors/spaced-view';
import { outsideAttack } from '../../assurance/helpers/outside-attack';

// Digit groups joined by a run of two to four separators that holds one the detectors do not read (`123!!45!!6789`,
// `4111 ! 1111 ! …`): the spaced view reads them as blanks or `-`, but the pre-filter looked for an unread separator
// only right after a digit and right before a letter or digit, so with the pre-filter on (the default) the view was
// never built and the identifier was exported as written.

const attack = outsideAttack();

/** What is exported for `value` as a log body and a kept span attribute. */
function sent(value: string): Promise<string> {
  return attack.exported(() => {
    attack.loggerProvider.getLogger('runs').emit({ body: value });
    attack.tracerProvider
      .getTracer('runs')
      .startSpan('op', { attributes: { 'error.type': value } })
      .end();
  });
}

/** Separators the detectors do not read themselves (ASCII punctuation that is no blank, `-`, `.`, … or URL punctuation). */
const unread = fc.constantFrom(...'!"\'()*<>[]^`{}$'.split('').filter((c) => c !== '*'));
/** A run of two to four separators with at least one unread one, blanks or the same unread one around it. */
const run = fc
  .tuple(unread, fc.constantFrom('xx', 'x x', ' x', 'x ', ' x ', 'xxx', 'xxxx'))
  .map(([u, shape]) => shape.replace(/x/g, u));

const identifiers = fc.oneof(
  fc.constant(['4111', '1111', '1111', '1111']), // test card
  fc.constant(['5555', '5555', '5555', '4444']), // test card
  fc.constant(['123', '45', '6789']), // SSN shape (fake)
);

describe('digit groups joined by separator runs with an unread separator', () => {
  it('are not exported (default policy, real providers)', async () => {
    await fc.assert(
      fc.asyncProperty(
        identifiers,
        run,
        fc.constantFrom('', 'paid with ', 'id: ', '"'),
        async (groups, sep, before) => {
          // nine digits in a 3-2-4 layout with blanks in the separator read as a table without a keyword (documented)
          const value = `${groups.length === 3 && sep.includes(' ') ? 'ssn ' : before}${groups.join(sep)} ok`;
          const out = await sent(value);
          expect(out).not.toContain(groups.join(sep));
          expect(out).not.toContain(groups.join(''));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('set the pre-filter bit whenever the spaced view has something to undo', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.stringMatching(/^[0-9]{1,5}$/), fc.stringMatching(/^[a-z0-9]{1,5}$/)), {
          minLength: 3,
          maxLength: 6,
        }),
        run,
        (groups, sep) => {
          const value = `x ${groups.join(sep)} y`;
          if ((classify(value) & SPACED_CANDIDATE) === 0) expect(spacedView(value)).toBeUndefined();
        },
      ),
      { numRuns: 2000 },
    );
  });
});
