import { createHmac } from 'node:crypto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { POLICY_HASH_ATTRIBUTE, defaultPolicy, sanitizeResource } from '../../index';

const KEY = 'fake-hmac-key-for-default-resource-tests-0123';
const pseudonym = (v: string) =>
  `k0:${createHmac('sha256', KEY).update(v).digest().subarray(0, 16).toString('base64url')}`;

beforeEach(() => {
  process.env.OTEL_PRIVACY_HMAC_KEY = KEY;
});
afterEach(() => {
  delete process.env.OTEL_PRIVACY_HMAC_KEY;
});

describe("the default policy's resource rules", () => {
  it('keeps service, deployment, SDK, cloud, OS, runtime and workload names; hashes instance identities; drops the rest', () => {
    const policy = defaultPolicy();
    const raw = resourceFromAttributes({
      // kept
      'service.name': 'fake-checkout',
      'service.version': '1.2.3',
      'deployment.environment.name': 'staging',
      'telemetry.sdk.language': 'nodejs',
      'cloud.provider': 'aws',
      'cloud.region': 'eu-west-1',
      'host.arch': 'amd64',
      'os.type': 'linux',
      'process.runtime.name': 'nodejs',
      'process.pid': 4242,
      'k8s.namespace.name': 'shop',
      'k8s.deployment.name': 'checkout',
      'container.image.name': 'fake/checkout',
      // identities: hashed
      'host.name': 'fake-host-01',
      'service.instance.id': 'fake-instance-9',
      'k8s.pod.name': 'checkout-7d9f-abcde',
      'container.id': 'fake-container-0123',
      'cloud.account.id': '000000000000',
      // dropped by name
      'process.command_line': 'node app.js --db-password=fake-hunter2',
      'process.command_args': ['node', 'app.js', '--token=fake-token'],
      'process.executable.path': '/usr/local/bin/node',
      // the SDK's process detector writes process.title here: the executable as typed, a path naming a home directory
      'process.executable.name': '/home/fake-user/.nvm/versions/node/v20.20.2/bin/node',
      'process.owner': 'fake-user',
      'host.ip': ['10.0.0.7'],
      'host.mac': ['00:00:5e:00:53:af'],
      // dropped by default (not listed)
      'fake.team.owner.email': 'owner.fake@example.com',
      'k8s.pod.label.app': 'checkout',
    });
    expect(sanitizeResource(policy, raw).attributes).toEqual({
      'service.name': 'fake-checkout',
      'service.version': '1.2.3',
      'deployment.environment.name': 'staging',
      'telemetry.sdk.language': 'nodejs',
      'cloud.provider': 'aws',
      'cloud.region': 'eu-west-1',
      'host.arch': 'amd64',
      'os.type': 'linux',
      'process.runtime.name': 'nodejs',
      'process.pid': 4242,
      'k8s.namespace.name': 'shop',
      'k8s.deployment.name': 'checkout',
      'container.image.name': 'fake/checkout',
      'host.name': pseudonym('fake-host-01'),
      'service.instance.id': pseudonym('fake-instance-9'),
      'k8s.pod.name': pseudonym('checkout-7d9f-abcde'),
      'container.id': pseudonym('fake-container-0123'),
      'cloud.account.id': pseudonym('000000000000'),
      [POLICY_HASH_ATTRIBUTE]: policy.compiled.hash,
    });
  });

  it('scans kept resource values: personal data in an allowed attribute is masked', () => {
    const clean = sanitizeResource(
      defaultPolicy(),
      resourceFromAttributes({ 'service.namespace': 'team of owner.fake@example.com' }),
    );
    expect(clean.attributes['service.namespace']).toBe('team of [REDACTED:email]');
  });
});
