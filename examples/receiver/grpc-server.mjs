// gRPC server plumbing shared by the OTLP receivers (this example's, the export benchmark's and the tests'): the
// definition of an OTLP Export service that hands requests over as raw bytes, and a graceful stop with a deadline.
// Plain Node.js; types in grpc-server.d.mts.

const identity = (bytes) => bytes;

/**
 * The definition of a unary OTLP `Export` method at `path` (e.g.
 * `/opentelemetry.proto.collector.trace.v1.TraceService/Export`) whose requests and responses are raw protobuf bytes:
 * the handler decodes what it needs itself.
 */
export function rawExportService(path) {
  return {
    Export: {
      path,
      requestStream: false,
      responseStream: false,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: identity,
      responseDeserialize: identity,
    },
  };
}

/**
 * Stops a gRPC server: in-flight calls may finish, and whatever is still open after `forceAfterMillis` is cut (an
 * exporter that keeps a call open must not hold a test or a benchmark up).
 */
export function stopGrpcServer(server, forceAfterMillis = 1000) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, forceAfterMillis);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
