/**
 * OpenCost's spot pricing as each stack that installs it sets it up: the Pod Identity role that
 * reads EC2's spot price history (and nothing else), the spot nodes carrying a label its AWS
 * provider recognises without configuration, and the egress to EC2's API and the Pod Identity
 * agent. The IAM simulator's verdicts on the role are in iam.test.ts.
 */
import * as assert from "assert";
import { findResource, ofType, parsedStackConfig, ProgramRun } from "../tools/harness";
import { policies, release } from "./observability-objects";
import { stacksWith, useStackRuns } from "./stacks";

/**
 * The node label (value `spot`) OpenCost's AWS provider reads as spot with no spotLabel configured,
 * beside EKS's eks.amazonaws.com/capacityType: SPOT (opencost/opencost pkg/cloud/aws/provider.go
 * getUsageType, pkg/cloud/models/models.go KarpenterCapacityTypeLabel).
 */
const KARPENTER_CAPACITY_TYPE = "karpenter.sh/capacity-type";

const egressRules = (run: ProgramRun, namespace: string) =>
    policies(run)
        .filter(
            (p) => p.metadata.namespace === namespace && Object.keys(p.spec.podSelector ?? {}).length === 0,
        )
        .flatMap((p) => p.spec.egress ?? []);

describe("OpenCost: spot prices", () => {
    const runs = useStackRuns();

    for (const stack of stacksWith("opencost")) {
        describe(stack, () => {
            it("gives the chart's service account a role that only reads the stack region's spot price history", () => {
                const association = findResource(
                    runs[stack],
                    "aws:eks/podIdentityAssociation:PodIdentityAssociation",
                    "identity-opencost-association",
                );
                assert.deepStrictEqual(
                    [association.inputs.namespace, association.inputs.serviceAccount],
                    ["opencost", "opencost"],
                );
                // The chart names its service account after its full name unless serviceAccount.name is set.
                const values = release(runs[stack], "opencost").values;
                assert.strictEqual(values.fullnameOverride, "opencost");
                assert.strictEqual(values.serviceAccount, undefined);
                const policy = JSON.parse(
                    findResource(runs[stack], "aws:iam/rolePolicy:RolePolicy", "identity-opencost-policy")
                        .inputs.policy,
                );
                assert.deepStrictEqual(
                    policy.Statement.map((s: any) => [s.Action, s.Resource, s.Condition]),
                    [
                        [
                            ["ec2:DescribeSpotPriceHistory"],
                            "*",
                            { StringEquals: { "aws:RequestedRegion": runs[stack].config["aws:region"] } },
                        ],
                    ],
                );
            });

            it("launches spot nodes through Karpenter's capacity-type label and keeps OpenCost's own spot detection", () => {
                const spotPools = ofType(runs[stack], "kubernetes:karpenter.sh/v1:NodePool").filter((pool) =>
                    pool.inputs.spec.template.spec.requirements.some(
                        (r: any) => r.key === KARPENTER_CAPACITY_TYPE && r.values.includes("spot"),
                    ),
                );
                // Karpenter labels each node with the capacity type it launched it as, which OpenCost reads.
                assert.ok(spotPools.length > 0, `${stack} runs spot nodes`);
                // customPricing would hand the provider the chart's sample cost model as its configuration.
                assert.strictEqual(release(runs[stack], "opencost").values.opencost.customPricing, undefined);
            });

            it("lets every OpenCost pod reach EC2's API and the price list over HTTPS, and the Pod Identity agent", () => {
                const rules = egressRules(runs[stack], "opencost");
                const reaches = (block: string, port: number) =>
                    rules.some(
                        (r: any) =>
                            r.to?.some((peer: any) => peer.ipBlock?.cidr === block && !peer.ipBlock.except) &&
                            r.ports?.some((p: any) => p.port === port && p.protocol === "TCP"),
                    );
                assert.ok(reaches("0.0.0.0/0", 443), "HTTPS to EC2's regional endpoint and the price list");
                assert.ok(reaches("169.254.170.23/32", 80), "the Pod Identity agent");
                // Without an ec2 interface endpoint, EC2's API is reached through the NAT gateway.
                if (!parsedStackConfig(stack).network.interfaceEndpoints.includes("ec2"))
                    assert.ok(ofType(runs[stack], "aws:ec2/natGateway:NatGateway").length > 0);
            });
        });
    }
});
