import type { DetectorName } from '../../policy/schema';
import { apiTokenDetector } from './api-token';
import { awsAccessKeyDetector } from './aws-access-key';
import { bearerTokenDetector } from './bearer-token';
import { emailDetector } from './email';
import { ibanDetector } from './iban';
import { ipv4Detector } from './ipv4';
import { ipv6Detector } from './ipv6';
import { jwtDetector } from './jwt';
import { labeledSecretDetector } from './labeled-secret';
import { paymentCardDetector } from './payment-card';
import { phoneDetector } from './phone';
import { privateKeyDetector } from './private-key';
import type { Detector } from './types';
import { urlCredentialsDetector } from './url-credentials';
import { usSsnDetector } from './us-ssn';

/** The built-in detectors by policy name. */
export const builtInDetectors: Readonly<Record<DetectorName, Detector>> = {
  email: emailDetector,
  'payment-card': paymentCardDetector,
  iban: ibanDetector,
  'us-ssn': usSsnDetector,
  phone: phoneDetector,
  ipv4: ipv4Detector,
  ipv6: ipv6Detector,
  jwt: jwtDetector,
  'bearer-token': bearerTokenDetector,
  'aws-access-key': awsAccessKeyDetector,
  'api-token': apiTokenDetector,
  'private-key': privateKeyDetector,
  'url-credentials': urlCredentialsDetector,
  'labeled-secret': labeledSecretDetector,
};

/**
 * Precedence when findings overlap (first wins the `{type}`): the most specific and most
 * sensitive first, so `Bearer eyJ…` reports `jwt` and `https://u:p@host` reports
 * `url-credentials` rather than `email`. Custom patterns rank above all built-ins.
 */
export const detectorPrecedence: readonly DetectorName[] = [
  'private-key',
  'url-credentials',
  'jwt',
  'aws-access-key',
  'bearer-token',
  'api-token',
  'labeled-secret',
  'iban',
  'payment-card',
  'us-ssn',
  'email',
  'phone',
  'ipv6',
  'ipv4',
];
