import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { Policy } from '../policy/policy';
import { loadOptionalModule } from './optional-module';
import { privacyInstrumentationConfig } from './privacy-instrumentation-config';

/** The package that bundles the OpenTelemetry Node.js instrumentations. */
export const AUTO_INSTRUMENTATIONS = '@opentelemetry/auto-instrumentations-node';

type InstrumentationClass = new (config?: Record<string, unknown>) => Instrumentation;

/** The instrumentation class a package exports (the exported constructor whose name ends in `Instrumentation`). */
function instrumentationClass(name: string, exports: Record<string, unknown>): InstrumentationClass {
  const found = Object.entries(exports).find(
    ([key, value]) => typeof value === 'function' && key.endsWith('Instrumentation') && key !== 'Instrumentation',
  );
  if (!found) throw new Error(`OTEL_PRIVACY_INSTRUMENTATIONS: package ${name} exports no *Instrumentation class`);
  return found[1] as InstrumentationClass;
}

/** What {@link loadInstrumentations} found, and a one-line description for the start-up notice. */
export interface LoadedInstrumentations {
  /** The instrumentation instances, configured with {@link privacyInstrumentationConfig}. */
  readonly instrumentations: Instrumentation[];
  /** E.g. `@opentelemetry/auto-instrumentations-node` or the listed package names. */
  readonly description: string;
}

/**
 * The instrumentations `otel-privacy/register` enables, each with the options from `privacyInstrumentationConfig(policy)`
 * (so data is kept out at the source), resolved from the application's working directory:
 *
 * - `OTEL_PRIVACY_INSTRUMENTATIONS=none`: none.
 * - `OTEL_PRIVACY_INSTRUMENTATIONS=<package>,<package>`: those packages (e.g.
 *   `@opentelemetry/instrumentation-http,@opentelemetry/instrumentation-express`); a package that cannot be found is an
 *   error naming it.
 * - unset or `auto`: `@opentelemetry/auto-instrumentations-node` when the application has it installed (its own
 *   `OTEL_NODE_ENABLED_INSTRUMENTATIONS` / `OTEL_NODE_DISABLED_INSTRUMENTATIONS` apply), otherwise none.
 */
export function loadInstrumentations(
  policy: Policy,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string = process.cwd(),
): LoadedInstrumentations {
  const options = privacyInstrumentationConfig(policy);
  const setting = env.OTEL_PRIVACY_INSTRUMENTATIONS?.trim() ?? '';
  if (setting === 'none') return { instrumentations: [], description: 'none (OTEL_PRIVACY_INSTRUMENTATIONS=none)' };
  if (setting === '' || setting === 'auto') {
    const auto = loadOptionalModule<{
      getNodeAutoInstrumentations(config?: Record<string, unknown>): Instrumentation[];
    }>(AUTO_INSTRUMENTATIONS, cwd);
    if (!auto) {
      return {
        instrumentations: [],
        description: `none (install ${AUTO_INSTRUMENTATIONS} or list packages in OTEL_PRIVACY_INSTRUMENTATIONS)`,
      };
    }
    return { instrumentations: auto.getNodeAutoInstrumentations(options), description: AUTO_INSTRUMENTATIONS };
  }
  const names = setting
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n.length > 0);
  const instrumentations = names.map((name) => {
    const exports = loadOptionalModule<Record<string, unknown>>(name, cwd);
    if (!exports)
      throw new Error(`OTEL_PRIVACY_INSTRUMENTATIONS: cannot find package ${name} from ${cwd} (npm install ${name})`);
    const Class = instrumentationClass(name, exports);
    return new Class(options[name] ?? {});
  });
  return { instrumentations, description: names.join(', ') };
}

/**
 * Applies `privacyInstrumentationConfig(policy)` to instrumentations created elsewhere, under their own settings: an
 * option the instrumentation was given explicitly wins.
 */
export function applyPrivacyInstrumentationConfig(policy: Policy, instrumentations: readonly Instrumentation[]): void {
  const options = privacyInstrumentationConfig(policy);
  for (const instrumentation of instrumentations) {
    const defaults = options[instrumentation.instrumentationName];
    if (defaults) instrumentation.setConfig({ ...defaults, ...instrumentation.getConfig() });
  }
}
