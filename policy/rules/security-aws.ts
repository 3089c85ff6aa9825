/**
 * Security rules for AWS: KMS, SQS, IAM, node groups and security groups, with the EKS cluster's own
 * (./security-eks.ts).
 */
import { isManagedNodeGroupType } from "../../vocabulary/eks";
import { UNSCOPABLE_ACTIONS } from "../../vocabulary/iam";
import { asList, parseJson } from "../../vocabulary/values";
import { LayeredResourcePolicy, stackRule } from "./layers";
import {
    eksApiAuthentication,
    eksControlPlaneLogging,
    eksEndpointNotPublic,
    eksSecretsEncryption,
    eksSupportedVersion,
} from "./security-eks";

export const kmsKeyRotation: LayeredResourcePolicy = {
    name: "kms-key-rotation",
    layer: "aws",
    description: "Checks whether customer-managed KMS keys rotate automatically.",
    validateResource: (args, report) => {
        if (
            args.type === "aws:kms/key:Key" &&
            args.props.enableKeyRotation !== true &&
            (args.props.customerMasterKeySpec ?? args.props.keySpec ?? "SYMMETRIC_DEFAULT") ===
                "SYMMETRIC_DEFAULT"
        ) {
            report("KMS keys must rotate: set enableKeyRotation to true.");
        }
    },
};

export const sqsEncryption: LayeredResourcePolicy = {
    name: "sqs-encryption",
    layer: "aws",
    description: "Checks whether SQS queues are encrypted at rest.",
    validateResource: (args, report) => {
        if (
            args.type === "aws:sqs/queue:Queue" &&
            args.props.sqsManagedSseEnabled !== true &&
            !args.props.kmsMasterKeyId
        ) {
            report("SQS queues must be encrypted at rest (sqsManagedSseEnabled or kmsMasterKeyId).");
        }
    },
};

/** True for a statement that denies every request made without TLS. */
function deniesInsecureTransport(statement: Record<string, any>): boolean {
    const condition = statement.Condition?.Bool?.["aws:SecureTransport"];
    return (
        statement.Effect === "Deny" &&
        (statement.Principal === "*" || statement.Principal?.AWS === "*") &&
        String(condition) === "false"
    );
}

export const sqsTlsOnly = stackRule({
    name: "sqs-tls-only",
    description: "Checks whether every SQS queue has a queue policy that denies access without TLS.",
    aws: (args, report) => {
        const policies = args.resources.filter((r) => r.type === "aws:sqs/queuePolicy:QueuePolicy");
        for (const queue of args.resources.filter((r) => r.type === "aws:sqs/queue:Queue")) {
            const own = policies.filter((p) => p.dependencies.some((d) => d.urn === queue.urn));
            const denies = own.some((p) =>
                asList(parseJson(p.props.policy)?.Statement).some(deniesInsecureTransport),
            );
            if (!denies) {
                report(
                    `Queue ${queue.name} must have a queue policy denying aws:SecureTransport = false.`,
                    queue.urn,
                );
            }
        }
    },
});

const IDENTITY_POLICY_TYPES = [
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/policy:Policy",
    "aws:iam/userPolicy:UserPolicy",
    "aws:iam/groupPolicy:GroupPolicy",
];

export const iamNoWildcardActions: LayeredResourcePolicy = {
    name: "iam-no-wildcard-actions",
    layer: "aws",
    description: "Checks whether IAM policies allow no `*` action, whole or per service.",
    validateResource: (args, report) => {
        if (!IDENTITY_POLICY_TYPES.includes(args.type)) return;
        for (const s of asList(parseJson(args.props.policy)?.Statement)) {
            const wild = asList<string>(s.Action).filter((a) => a.includes("*"));
            if (s.Effect === "Allow" && (wild.length > 0 || s.NotAction)) {
                report(
                    `IAM policies must name every action they allow; found ${wild.length > 0 ? wild.join(", ") : "NotAction"}.`,
                );
            }
        }
    },
};

export const iamNoWildcardResources: LayeredResourcePolicy = {
    name: "iam-no-wildcard-resources",
    layer: "aws",
    description: 'Checks whether IAM policies grant on `Resource: "*"` only actions that AWS cannot scope.',
    configSchema: {
        properties: {
            unscopableActions: { type: "array", items: { type: "string" }, default: [...UNSCOPABLE_ACTIONS] },
        },
    },
    validateResource: (args, report) => {
        if (!IDENTITY_POLICY_TYPES.includes(args.type)) return;
        const allowed = args.getConfig<{ unscopableActions?: string[] }>().unscopableActions ?? [
            ...UNSCOPABLE_ACTIONS,
        ];
        for (const s of asList(parseJson(args.props.policy)?.Statement)) {
            if (s.Effect !== "Allow" || !asList<string>(s.Resource).includes("*")) continue;
            const scopable = asList<string>(s.Action).filter((a) => !allowed.includes(a));
            if (scopable.length > 0) {
                report(
                    `Actions that can be scoped must name their resources, not "*": ${scopable.join(", ")}.`,
                );
            }
        }
    },
};

export const iamTrustNotOpen: LayeredResourcePolicy = {
    name: "iam-trust-not-open",
    layer: "aws",
    description: "Checks whether IAM role trust policies name their principals instead of trusting everyone.",
    validateResource: (args, report) => {
        if (args.type !== "aws:iam/role:Role") return;
        for (const s of asList(parseJson(args.props.assumeRolePolicy)?.Statement)) {
            const principal = s.Principal;
            const open = principal === "*" || asList(principal?.AWS).includes("*");
            if (s.Effect === "Allow" && open && !s.Condition) {
                report('A role\'s trust policy must name the principals that may assume it, not "*".');
            }
        }
    },
};

export const nodeGroupNoSsh: LayeredResourcePolicy = {
    name: "node-group-no-ssh",
    layer: "aws",
    description: "Checks whether node groups and their launch templates allow no SSH access.",
    validateResource: (args, report) => {
        if (isManagedNodeGroupType(args.type) && args.props.remoteAccess) {
            report("Node groups must not allow SSH: remove remoteAccess.");
        }
        if (args.type === "aws:ec2/launchTemplate:LaunchTemplate" && args.props.keyName) {
            report("Launch templates of nodes must not carry an SSH key pair (keyName).");
        }
    },
};

const WEB_PORTS = [80, 443];

export const securityGroupNoOpenIngress: LayeredResourcePolicy = {
    name: "security-group-no-open-ingress",
    layer: "aws",
    description:
        "Checks whether security groups admit the internet (0.0.0.0/0 or ::/0) only on HTTP and HTTPS.",
    validateResource: (args, report) => {
        const rules: Record<string, any>[] =
            args.type === "aws:ec2/securityGroup:SecurityGroup"
                ? asList(args.props.ingress)
                : args.type === "aws:ec2/securityGroupRule:SecurityGroupRule" && args.props.type === "ingress"
                  ? [args.props]
                  : args.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
                    ? [
                          {
                              ...args.props,
                              cidrBlocks: asList(args.props.cidrIpv4),
                              ipv6CidrBlocks: asList(args.props.cidrIpv6),
                          },
                      ]
                    : [];
        for (const rule of rules) {
            const open = [...asList<string>(rule.cidrBlocks), ...asList<string>(rule.ipv6CidrBlocks)].some(
                (c) => c === "0.0.0.0/0" || c === "::/0",
            );
            const onlyWeb = WEB_PORTS.includes(rule.fromPort) && rule.fromPort === rule.toPort;
            if (open && !onlyWeb) {
                report(
                    `Security groups may admit the internet only on ports 80 and 443; this rule opens ${rule.fromPort}-${rule.toPort}.`,
                );
            }
        }
    },
};

export const AWS_SECURITY_POLICIES = [
    eksSecretsEncryption,
    eksControlPlaneLogging,
    eksEndpointNotPublic,
    eksApiAuthentication,
    eksSupportedVersion,
    kmsKeyRotation,
    sqsEncryption,
    sqsTlsOnly,
    iamNoWildcardActions,
    iamNoWildcardResources,
    iamTrustNotOpen,
    nodeGroupNoSsh,
    securityGroupNoOpenIngress,
];
