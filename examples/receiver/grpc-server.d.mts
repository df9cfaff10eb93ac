import type { Server, ServiceDefinition } from '@grpc/grpc-js';

/** The definition of a unary OTLP `Export` method at `path` whose requests and responses are raw protobuf bytes. */
export function rawExportService(path: string): ServiceDefinition;

/** Stops a gRPC server: in-flight calls may finish; what is still open after `forceAfterMillis` (1000) is cut. */
export function stopGrpcServer(server: Server, forceAfterMillis?: number): Promise<void>;
