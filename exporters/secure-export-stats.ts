import type { DeliveryLaneStats } from './delivery-lane';
import type { SpoolStats } from './encrypted-spool';

/** Snapshot of the secure exporters' counters, returned by `SecureExporters.stats()`. */
export interface SecureExportStats {
  /** Delivery counters of the trace exporter. */
  readonly traces: DeliveryLaneStats;
  /** Delivery counters of the metric exporter. */
  readonly metrics: DeliveryLaneStats;
  /** Delivery counters of the log exporter. */
  readonly logs: DeliveryLaneStats;
  /** Spool counters, when a spool is configured. */
  readonly spool: SpoolStats | undefined;
  /** Failed TLS handshakes by cause (e.g. `pin-mismatch`, `unknown-ca`), summed over channels. */
  readonly handshakeFailures: Readonly<Record<string, number>>;
  /** Earliest client certificate expiry over the channels, when mTLS is configured. */
  readonly clientCertificateExpiry: Date | undefined;
  /** Successful certificate reloads since start. */
  readonly certificateReloads: number;
}
