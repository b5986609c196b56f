export { BUSYBOX_IMAGE, importBusyboxImage } from "./busybox-image.js";
export {
  type CloudWatchLogsStandIn,
  PUT_LOG_EVENTS_LIMITS,
  type StoredLogEvent,
  startCloudWatchLogs,
} from "./cloudwatch-logs.js";
export { ensureDebianPackages } from "./debian-packages.js";
export {
  connectOverTls,
  type DockerDaemon,
  type IssueCertificates,
  startDockerd,
} from "./dockerd.js";
export { findFreePort } from "./free-port.js";
export type { ProvidedDocker, ProvidedPostgres } from "./global-setup.js";
export {
  type HttpStandIn,
  type InjectedFailure,
  type RecordedRequest,
  sendJson,
  startHttpStandIn,
} from "./http-stand-in.js";
export { type PostgresServer, type StartPostgresOptions, startPostgres } from "./postgres.js";
export { type RedisServer, startRedis } from "./redis.js";
export { type Machine, type RestyledApiStandIn, startRestyledApi } from "./restyled-api.js";
export { type SilentEndpoint, settleWithin, startSilentEndpoint } from "./silent-endpoint.js";
export { startTlsRedis, type TlsRedis } from "./tls-redis.js";
export { waitFor } from "./wait-for.js";
