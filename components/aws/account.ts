/**
 * The account id, found one way: from the ARN of a resource the caller already depends on (the
 * cluster, the event bus, the VPC), so that whatever names the account waits for that resource
 * and no lookup outside the program is needed.
 */

/** The account id an ARN names (`arn:<partition>:<service>:<region>:<account>:<resource>`). */
export function accountIdOf(arn: string): string {
    return arn.split(":")[4];
}
