/** What the services read of the tracing add-on: where they send their spans. */
import { MONITORING_NAMESPACE } from "../../../../vocabulary/platform";

/** The collector's Service (fullnameOverride) and its OTLP ports (chart 0.170.0 `ports.otlp`, `ports.otlp-http`). */
export const OTEL_COLLECTOR = {
    host: `otel-collector.${MONITORING_NAMESPACE}.svc.cluster.local`,
    grpcPort: 4317,
    httpPort: 4318,
    /** Its own metrics (`ports.metrics`), scraped by its ServiceMonitor. */
    metricsPort: 8888,
    serviceAccount: "otel-collector",
} as const;
