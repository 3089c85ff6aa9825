import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CODEBUILD_VPC_WILDCARD_ACTIONS } from "../../vocabulary/iam";
import type { CiRunnerConfig, Tags } from "../config";
import { type CostTags, costTags } from "../tags";
import { createServiceRole, type ServiceRole } from "./service-role";

export interface CiRunnerArgs {
    /** Stack prefix; the project is `<prefix>-gha-runner`, and workflows name it in `runs-on`. */
    prefix: string;
    region: string;
    accountId: pulumi.Input<string>;
    vpcId: pulumi.Input<string>;
    privateSubnetIds: pulumi.Input<string>[];
    /** The security group of the EKS control plane: the runner may reach the private API endpoint. */
    clusterSecurityGroupId: pulumi.Input<string>;
    runner: CiRunnerConfig;
    logRetentionDays: number;
    tags: Tags;
}

/** The `runs-on` label prefix of a stack's runner; GitHub Actions appends `-<run id>-<attempt>`. */
export const runnerProjectName = (prefix: string) => `${prefix}-gha-runner`;

/**
 * A GitHub Actions runner inside the VPC: an AWS CodeBuild project that GitHub's
 * WORKFLOW_JOB_QUEUED webhook starts for each job labelled `codebuild-<project>-...`, in the
 * private subnets, reaching the cluster's private endpoint. Its own role can only run the job
 * (network interfaces, logs, the repository connection); the job itself assumes the deploy or
 * preview role through GitHub OIDC, as on a hosted runner.
 */
export class CiRunner extends pulumi.ComponentResource {
    public readonly projectName: pulumi.Output<string>;
    public readonly roleArn: pulumi.Output<string>;
    public readonly securityGroupId: pulumi.Output<string>;

    constructor(name: string, args: CiRunnerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tacos:aws:CiRunner", name, {}, opts);
        const tags = costTags(args.tags, { component: "ci" });
        const projectName = runnerProjectName(args.prefix);

        const securityGroup = this.createSecurityGroup(name, args, projectName, tags);
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            { name: `/aws/codebuild/${projectName}`, retentionInDays: args.logRetentionDays, tags },
            { parent: this },
        );
        const role = createServiceRole(
            `${name}-role`,
            {
                service: "codebuild.amazonaws.com",
                conditions: {
                    from: args.accountId,
                    build: (accountId) => ({
                        StringEquals: { "aws:SourceAccount": accountId },
                        ArnLike: {
                            "aws:SourceArn": `arn:aws:codebuild:${args.region}:${accountId}:project/${projectName}`,
                        },
                    }),
                },
                description: `CodeBuild service role of the GitHub Actions runner ${projectName}`,
                inlinePolicy: {
                    name: `${name}-policy`,
                    statements: runnerStatements(args, logGroup.arn, securityGroup.id),
                },
                tags,
            },
            this,
        );

        const project = this.createProject(name, args, { role, securityGroup, logGroup }, tags);
        // Only jobs of this repository's deploy and preview workflows, started by people on the
        // allow-list, reach a runner that sits next to the cluster: a pull request that adds a
        // workflow, or comes from anyone else, runs nowhere near it.
        new aws.codebuild.Webhook(
            `${name}-webhook`,
            {
                projectName: project.name,
                buildType: "BUILD",
                filterGroups: [{ filters: runnerWebhookFilters(args.runner) }],
            },
            { parent: this },
        );

        this.projectName = project.name;
        this.roleArn = role.role.arn;
        this.securityGroupId = securityGroup.id;
        this.registerOutputs({
            projectName: this.projectName,
            roleArn: this.roleArn,
            securityGroupId: this.securityGroupId,
        });
    }

    /** The runner's security group (HTTPS out only), admitted to the cluster's Kubernetes API. */
    private createSecurityGroup(
        name: string,
        args: CiRunnerArgs,
        projectName: string,
        tags: CostTags,
    ): aws.ec2.SecurityGroup {
        const securityGroup = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                description: `GitHub Actions runner ${projectName}: HTTPS out only`,
                vpcId: args.vpcId,
                egress: [
                    {
                        protocol: "tcp",
                        fromPort: 443,
                        toPort: 443,
                        cidrBlocks: ["0.0.0.0/0"],
                        description: "AWS APIs, the EKS endpoint, GitHub, Pulumi Cloud, package registries",
                    },
                ],
                tags,
            },
            { parent: this },
        );
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-to-eks-api`,
            {
                securityGroupId: args.clusterSecurityGroupId,
                referencedSecurityGroupId: securityGroup.id,
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                description: `The Kubernetes API from the CI runner ${projectName}`,
                tags,
            },
            { parent: this },
        );
        return securityGroup;
    }

    /** The CodeBuild project that runs the jobs: GitHub source, the configured image, in the private subnets. */
    private createProject(
        name: string,
        args: CiRunnerArgs,
        uses: { role: ServiceRole; securityGroup: aws.ec2.SecurityGroup; logGroup: aws.cloudwatch.LogGroup },
        tags: CostTags,
    ): aws.codebuild.Project {
        return new aws.codebuild.Project(
            `${name}-project`,
            {
                name: runnerProjectName(args.prefix),
                description: `GitHub Actions runner in the VPC of ${args.prefix} (jobs that reach the cluster)`,
                serviceRole: uses.role.role.arn,
                buildTimeout: 120,
                source: {
                    type: "GITHUB",
                    location: `https://github.com/${args.runner.repository}.git`,
                    auth: { type: "CODECONNECTIONS", resource: args.runner.codeConnectionArn },
                },
                artifacts: { type: "NO_ARTIFACTS" },
                environment: {
                    type: args.runner.image.includes("aarch64") ? "ARM_CONTAINER" : "LINUX_CONTAINER",
                    computeType: args.runner.computeType,
                    image: args.runner.image,
                    imagePullCredentialsType: "CODEBUILD",
                },
                vpcConfig: {
                    vpcId: args.vpcId,
                    subnets: args.privateSubnetIds,
                    securityGroupIds: [uses.securityGroup.id],
                },
                logsConfig: { cloudwatchLogs: { status: "ENABLED", groupName: uses.logGroup.name } },
                tags,
            },
            // CodeBuild checks its role's VPC permissions when the project is created.
            { parent: this, dependsOn: uses.role.permissions },
        );
    }
}

/** The webhook's filters: queued workflow jobs, of the deploy and preview workflows, by allowed actors. */
export function runnerWebhookFilters(runner: CiRunnerConfig): { type: string; pattern: string }[] {
    return [
        { type: "EVENT", pattern: "WORKFLOW_JOB_QUEUED" },
        { type: "WORKFLOW_NAME", pattern: `^(${RUNNER_WORKFLOWS.join("|")})$` },
        { type: "ACTOR_ACCOUNT_ID", pattern: `^(${runner.allowedActorIds.join("|")})$` },
    ];
}

/** The workflows (their `name:`) whose jobs run on the in-VPC runner. */
export const RUNNER_WORKFLOWS = ["main", "pull-request"] as const;

/** The runner role's policy (the CodeBuild user guide's VPC service role, scoped to this project). */
function runnerStatements(
    args: CiRunnerArgs,
    logGroupArn: pulumi.Output<string>,
    securityGroupId: pulumi.Output<string>,
) {
    const account = args.accountId;
    const ec2 = (resource: pulumi.Input<string>) =>
        pulumi.interpolate`arn:aws:ec2:${args.region}:${account}:${resource}`;
    const subnets = args.privateSubnetIds.map((id) => ec2(pulumi.interpolate`subnet/${id}`));
    return [
        {
            Sid: "DescribeNetwork",
            Effect: "Allow",
            Action: [...CODEBUILD_VPC_WILDCARD_ACTIONS],
            Resource: "*",
        },
        {
            Sid: "NetworkInterfacesInPrivateSubnets",
            Effect: "Allow",
            Action: ["ec2:CreateNetworkInterface"],
            Resource: [
                ec2("network-interface/*"),
                ec2(pulumi.interpolate`security-group/${securityGroupId}`),
                ...subnets,
            ],
        },
        {
            Sid: "DeleteNetworkInterfacesInVpc",
            Effect: "Allow",
            Action: ["ec2:DeleteNetworkInterface"],
            Resource: [ec2("network-interface/*")],
            Condition: { ArnEquals: { "ec2:Vpc": ec2(pulumi.interpolate`vpc/${args.vpcId}`) } },
        },
        {
            Sid: "NetworkInterfacePermissionForCodeBuild",
            Effect: "Allow",
            Action: ["ec2:CreateNetworkInterfacePermission"],
            Resource: [ec2("network-interface/*")],
            Condition: {
                StringEquals: { "ec2:AuthorizedService": "codebuild.amazonaws.com" },
                ArnEquals: { "ec2:Subnet": subnets },
            },
        },
        {
            Sid: "WriteBuildLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: [pulumi.interpolate`${logGroupArn}:log-stream:*`],
        },
        {
            Sid: "UseRepositoryConnection",
            Effect: "Allow",
            Action: ["codeconnections:GetConnection", "codeconnections:GetConnectionToken"],
            Resource: [args.runner.codeConnectionArn],
        },
    ];
}
