/**
 * The stack schema's platform sections: the internet-facing Gateway, Argo CD, the cluster add-ons,
 * the services' images and the CI runner.
 */
import { z } from "zod";
import { addonSwitchesSchema } from "./addon-switches";
import { acmCertificateArn, cidr, hostname } from "./fields";
import { perService } from "../../vocabulary/platform";

export const gatewaySchema = z
    .strictObject({
        exposed: z
            .boolean()
            .default(true)
            .describe("Whether an internet-facing HTTPS Gateway (an ALB) is created."),
        certificateArn: acmCertificateArn
            .optional()
            .describe("ACM certificate for the HTTPS listener (required when exposed)."),
        sslPolicy: z
            .string()
            .regex(/^ELBSecurityPolicy-[A-Za-z0-9-]+$/, "must be an ELB security policy name")
            .default("ELBSecurityPolicy-TLS13-1-2-2021-06")
            .describe("TLS policy of the HTTPS listener."),
        apiHostname: hostname.describe("Public host name of the Traffic Tacos API (gateway-api)."),
    })
    .refine((gw) => !gw.exposed || gw.certificateArn !== undefined, {
        path: ["certificateArn"],
        message: "is required when the Gateway is exposed",
    });

export const argocdSchema = z.strictObject({
    chartRevision: z
        .string()
        .regex(
            /^[0-9a-f]{40}$/,
            "must be a full commit SHA (40 hex digits): Pulumi waits until Argo CD reports that commit synced, and a tag can move",
        )
        .describe(
            "Revision of this repository whose charts/tacos-service the Applications deploy: a full commit SHA on the remote Argo CD reads (main.yml sets the commit it deploys; the stack file's value serves a local `pulumi up`). `npm run chart:pin` checks it.",
        ),
    hostname: hostname.describe("Host name of the Argo CD UI and API, served through the Gateway."),
    repoUrl: z
        .string()
        .regex(/^https:\/\/[\w.-]+\/[\w./-]+\.git$/, "must be an HTTPS Git URL ending in .git")
        .describe("The Git repository of this project: the only source the tacos AppProject allows."),
    repoAccess: z
        .discriminatedUnion(
            "type",
            [
                z
                    .strictObject({ type: z.literal("public") })
                    .describe("The repository is public: Argo CD reads it without credentials."),
                z
                    .strictObject({
                        type: z.literal("githubApp"),
                        appId: z
                            .int()
                            .positive()
                            .describe("The GitHub App's App ID (its settings page, under About)."),
                        installationId: z
                            .int()
                            .positive()
                            .describe(
                                "The App's installation id on the repository's owner (the number ending the installation's settings URL).",
                            ),
                    })
                    .describe(
                        "Argo CD reads the repository as a GitHub App with read-only contents; its private key is the secret config key argocdRepoGithubAppPrivateKey.",
                    ),
            ],
            {
                // A missing section keeps zod's own message ("is required" once described).
                error: (issue) =>
                    issue.input === undefined
                        ? undefined
                        : "must be { type: public } or { type: githubApp, appId, installationId }",
            },
        )
        .describe(
            "How Argo CD reads repoUrl: { type: public } without credentials, or { type: githubApp, appId, installationId } as a GitHub App with read-only contents (its key: the secret argocdRepoGithubAppPrivateKey). No default: a forgotten credential is never taken for a public repository.",
        ),
    sourceRanges: z
        .array(cidr)
        .min(1, "must list at least one CIDR block")
        // AWS allows three values per listener rule condition (Elastic Load Balancing, Application
        // Load Balancers, "Condition types for listener rules": up to three match evaluations per condition).
        .max(3, "must list at most three CIDR blocks (an ALB rule condition takes three values)")
        .describe(
            "Source CIDR blocks the Argo CD UI and API answer, as the ALB rule's source-ip condition (at most three); requests from elsewhere get the listener's 404. Required; 0.0.0.0/0 is refused in prod.",
        ),
    oidc: z
        .strictObject({
            issuer: z
                .string()
                .regex(/^https:\/\/\S+$/, "must be an https URL")
                .describe("OIDC issuer URL."),
            clientId: z
                .string()
                .min(1)
                .describe("OIDC client id (its secret is the secret config key argocdOidcClientSecret)."),
            requestedScopes: z
                .array(z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, "must be an OAuth scope"))
                .refine((scopes) => scopes.includes("openid"), "must include openid")
                .default(["openid", "profile", "email", "groups"])
                .describe(
                    "Scopes Argo CD asks the identity provider for; the token's groups claim must carry the groups below.",
                ),
            groups: z
                .strictObject({
                    admin: z
                        .array(z.string().min(1))
                        .min(1, "must list at least one group")
                        .describe("Identity-provider groups given Argo CD's built-in role:admin."),
                    readonly: z
                        .array(z.string().min(1))
                        .describe("Identity-provider groups given Argo CD's built-in role:readonly."),
                })
                .describe(
                    "Who may do what: the groups claim's values mapped to Argo CD's built-in roles (policy.csv); anyone else sees nothing (policy.default is empty).",
                ),
        })
        .optional()
        .describe("Single sign-on; when set, the local admin account is disabled. Required in prod."),
});

export const addonsSchema = z
    .strictObject({
        highAvailability: z
            .boolean()
            .default(false)
            .describe(
                "Two or more replicas of every cluster add-on (Argo CD with Redis HA, KEDA), with disruption budgets.",
            ),
        enabled: addonSwitchesSchema,
    })
    .prefault({});

const imageTag = z
    .string()
    .regex(/^[0-9a-f]{7,40}$/, "must be the immutable git short SHA the service's CI pushed (never latest)");

export const imagesSchema = z.strictObject({
    registry: z
        .string()
        .regex(
            /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com$/,
            "must be an ECR registry host: <account>.dkr.ecr.<region>.amazonaws.com",
        )
        .describe("ECR registry of the service images (repositories traffic-tacos-<service>)."),
    tags: z
        .strictObject(perService((service) => imageTag.describe(`Image tag of ${service}.`)))
        .describe("Immutable image tag of each service."),
});

export const ciSchema = z.strictObject({
    runner: z
        .strictObject({
            repository: z
                .string()
                .regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, "must be a GitHub repository as owner/name")
                .describe("The GitHub repository whose workflow jobs the runner takes."),
            codeConnectionArn: z
                .string()
                .regex(
                    /^arn:aws:codeconnections:[a-z0-9-]+:\d{12}:connection\/[0-9a-f-]{36}$/,
                    "must be a CodeConnections connection ARN (arn:aws:codeconnections:...)",
                )
                .describe(
                    "The AWS CodeConnections connection to GitHub (created and authorised once in the console).",
                ),
            computeType: z
                .enum(["BUILD_GENERAL1_SMALL", "BUILD_GENERAL1_MEDIUM", "BUILD_GENERAL1_LARGE"])
                .default("BUILD_GENERAL1_MEDIUM")
                .describe("CodeBuild compute type of the runner (arm64)."),
            image: z
                .string()
                .regex(
                    /^aws\/codebuild\/amazonlinux-(aarch64|x86_64)-standard:\d+\.\d+$/,
                    "must be a pinned CodeBuild Amazon Linux standard image (aarch64 or x86_64)",
                )
                .default("aws/codebuild/amazonlinux-aarch64-standard:3.0")
                .describe(
                    "CodeBuild image of the runner; an aarch64 image runs on ARM_CONTAINER, an x86_64 one on LINUX_CONTAINER (for regions without ARM builds).",
                ),
            allowedActorIds: z
                .array(z.number().int().positive())
                .min(1, "must list at least one GitHub account id")
                .describe(
                    "GitHub account ids (not logins) whose workflow jobs may run on the runner: it sits next to the cluster's private endpoint.",
                ),
        })
        .describe(
            "The GitHub Actions runner in the VPC that runs every job reaching the cluster (CodeBuild).",
        ),
    bootstrap: z
        .boolean()
        .default(false)
        .describe(
            "Create only the AWS layer (network, cluster, runner): the first `pulumi up` of a private-endpoint stack, run from outside the VPC.",
        ),
});
