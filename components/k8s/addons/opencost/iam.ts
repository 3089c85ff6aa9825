/**
 * OpenCost's policy: read EC2's spot price history, the AWS provider's source for a spot node's
 * price when no spot data feed holds it (opencost/opencost pkg/cloud/aws/spotpricehistory.go: the
 * latest "Linux/UNIX (Amazon VPC)" price of the node's instance type in its zone, cached for an
 * hour; without the permission the provider logs the denial and prices the node on demand). That
 * fallback most likely arrives with OpenCost 1.121 and is not in the pinned 1.120.1 (see
 * OPENCOST_CHART): the role is ready for the pin's move, and most likely unused until then.
 * Nothing else of its pricing needs IAM: the on-demand price list is a public file fetched over
 * HTTPS from pricing.us-east-1.amazonaws.com without credentials, and the stack configures no
 * spot data feed bucket, no Athena cost report and no cloud-cost integration.
 */
import { OPENCOST_SPOT_PRICE_ACTIONS } from "../../../../vocabulary/iam";
import type { AwsScope, Statement } from "../../../aws/access";

/**
 * Read the spot price history of `t`'s region, the only region its nodes run in. EC2 scopes the
 * action to no resource (OPENCOST_SPOT_PRICE_ACTIONS), so the region is the only narrowing.
 */
export const spotPriceReadStatements = (t: AwsScope): Statement[] => [
    {
        Sid: "ReadSpotPriceHistory",
        Effect: "Allow",
        Action: [...OPENCOST_SPOT_PRICE_ACTIONS],
        Resource: "*",
        Condition: { StringEquals: { "aws:RequestedRegion": t.region } },
    },
];
