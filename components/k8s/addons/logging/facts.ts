/** What others read of the logging add-on: the parser a pod names, and the fact logging needs. */
import { stackFact } from "../addon";

/**
 * The parser a pod names in its `fluentbit.io/parser` annotation for Spring Boot's default text
 * pattern with the trace context (reservation-api's logback pattern at b93b68cf:
 * `%d{yyyy-MM-dd HH:mm:ss} [%thread] %-5level [%X{traceId:-},%X{spanId:-}] %logger{36} - %msg`),
 * so that its trace id becomes a field like the JSON services' `trace_id`.
 */
export const SPRING_TEXT_PARSER = "spring-boot-text";

/** `/aws/containers/<cluster>`: the prefix of the per-namespace container log groups the AWS layer makes. */
export const CONTAINER_LOG_GROUP_PREFIX = stackFact<string>(
    "container-log-group-prefix",
    "the container log groups' prefix",
);
