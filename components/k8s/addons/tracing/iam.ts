/** The collector's policy: its X-Ray exporter sends trace segments. */
import { XRAY_WRITE_ACTIONS } from "../../../../vocabulary/iam";
import type { Statement } from "../../../aws/access";

/** X-Ray's PutTraceSegments takes no resource (Service Authorization Reference). */
export const xrayWriteStatements = (): Statement[] => [
    { Sid: "PutTraceSegments", Effect: "Allow", Action: [...XRAY_WRITE_ACTIONS], Resource: "*" },
];
