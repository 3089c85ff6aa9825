/**
 * Field types the tacos-service chart's values share (chart-values.ts). Every pattern is written
 * for both JavaScript and Go's RE2, which Helm's schema validator (santhosh-tekuri/jsonschema v6,
 * Helm v3.22.0 pkg/chartutil/jsonschema.go) compiles them with.
 */
import { z } from "zod";

/** A DNS label (RFC 1123), as Kubernetes object names and namespaces take it. */
export const dnsLabel = z
    .string()
    .min(1)
    .max(63)
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);

/** A whole number of at least `min`. */
export const atLeast = (min: number) => z.int().min(min);

/** A TCP or UDP port number. */
export const port = z.int().min(1).max(65535);

/** One or more port numbers. */
export const portList = z.array(port).min(1);

/** One octet of a dotted IPv4 address, 0-255, without leading zeros (Go's net.ParseCIDR refuses them). */
const octet = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";

/** An IPv4 CIDR block: four octets of 0-255 and a prefix length of 0-32. */
export const cidr = z.string().regex(new RegExp(`^${octet}(\\.${octet}){3}/(3[0-2]|[12]?[0-9])$`));

/** An environment variable name. */
export const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/);

/** An absolute HTTP path. */
export const httpPath = z.string().regex(/^\//);

/** A non-empty string. */
export const text = z.string().min(1);

/**
 * A label name or value, as the Kubernetes documentation's "Labels and Selectors: Syntax and
 * character set" (kubernetes.io/docs/concepts/overview/working-with-objects/labels) gives it and
 * kubernetes/apimachinery pkg/util/validation/validation.go (IsQualifiedName, IsValidLabelValue)
 * checks it: at most 63 alphanumerics, `-`, `_` and `.`, beginning and ending alphanumeric.
 */
const labelName = "[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?";

/** A DNS subdomain (RFC 1123): dot-separated lower-case labels; `labelKey` bounds its length. */
const dnsSubdomain = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";

/** A label key: an optional prefix, a DNS subdomain of at most 253 characters, and `/`; then a label name. */
export const labelKey = z
    .string()
    .regex(new RegExp(`^(${dnsSubdomain}/)?${labelName}$`))
    .regex(/^([^/]{1,253}\/)?[^/]+$/);

/** A label value: empty, or a label name. */
export const labelValue = z.string().regex(new RegExp(`^(${labelName})?$`));
