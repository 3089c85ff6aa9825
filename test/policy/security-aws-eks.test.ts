/**
 * Security rules for AWS: the EKS cluster's secrets encryption, control-plane logging, endpoint and
 * supported version, each judged on both shapes of the cluster: the AWS resource and the
 * @pulumi/eks component's inputs.
 */
import * as sec from "../../policy/rules/security-eks";
import { describeResourceCases, ResourceCase, tagged } from "./cases";

const CLUSTER = "aws:eks/cluster:Cluster";
const eks = () => ({
    version: "1.35",
    upgradePolicy: { supportType: "STANDARD" },
    encryptionConfig: {
        provider: { keyArn: "arn:aws:kms:ap-northeast-2:111122223333:key/x" },
        resources: ["secrets"],
    },
    enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
    vpcConfig: { endpointPrivateAccess: true, endpointPublicAccess: false, subnetIds: ["subnet-1"] },
    accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
    tags: tagged,
});
const COMPONENT = "eks:index:Cluster";
/** The same cluster as @pulumi/eks's component takes it (all that an offline run sees). */
const component = () => ({
    version: "1.35",
    upgradePolicy: { supportType: "STANDARD" },
    encryptionConfigKeyArn: "arn:aws:kms:ap-northeast-2:111122223333:key/x",
    enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
    endpointPrivateAccess: true,
    endpointPublicAccess: false,
    authenticationMode: "API",
    skipDefaultNodeGroup: true,
    tags: tagged,
});
/** Judged as of a fixed day, so that the support window does not move under the test. */
const ASOF = { "eks-supported-version": { asOf: "2026-11-23" } };
const RESOURCE_CASES: ResourceCase[] = [
    {
        policy: sec.eksSecretsEncryption,
        type: CLUSTER,
        good: eks(),
        bad: [
            {
                why: "no KMS key",
                expect: /must encrypt secrets with a KMS key/,
                change: (p) => delete p.encryptionConfig,
            },
        ],
    },
    {
        policy: sec.eksControlPlaneLogging,
        type: CLUSTER,
        good: eks(),
        bad: [
            {
                why: "a log type missing",
                expect: /must enable every control-plane log type; missing: scheduler/,
                change: (p) => p.enabledClusterLogTypes.pop(),
            },
        ],
    },
    {
        policy: sec.eksEndpointNotPublic,
        type: CLUSTER,
        good: eks(),
        bad: [
            {
                why: "a public endpoint where the stack forbids one",
                expect: /must not be public in this stack/,
                change: (p) => {
                    p.vpcConfig.endpointPublicAccess = true;
                    p.vpcConfig.publicAccessCidrs = ["203.0.113.0/24"];
                },
            },
        ],
    },
    {
        policy: sec.eksEndpointNotPublic,
        type: CLUSTER,
        config: { "eks-endpoint-not-public": { allowPublicEndpoint: true } },
        good: { ...eks(), vpcConfig: { endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] } },
        bad: [
            {
                why: "open to the whole internet",
                expect: /limited to named CIDRs, never 0\.0\.0\.0\/0/,
                change: (p) => (p.vpcConfig.publicAccessCidrs = ["0.0.0.0/0"]),
            },
            {
                why: "public with no CIDRs",
                expect: /limited to named CIDRs, never 0\.0\.0\.0\/0/,
                change: (p) => delete p.vpcConfig.publicAccessCidrs,
            },
        ],
    },
    {
        policy: sec.eksApiAuthentication,
        type: CLUSTER,
        good: eks(),
        bad: [
            {
                why: "the creator made an admin",
                expect: /must not make its creator an admin/,
                change: (p) => (p.accessConfig.bootstrapClusterCreatorAdminPermissions = true),
            },
            {
                why: "no accessConfig (EKS's default: CONFIG_MAP, the creator an admin)",
                expect: /must use the authentication mode API .*; it uses CONFIG_MAP/,
                change: (p) => delete p.accessConfig,
            },
            {
                why: "API_AND_CONFIG_MAP",
                expect: /must use the authentication mode API .*; it uses API_AND_CONFIG_MAP/,
                change: (p) => (p.accessConfig.authenticationMode = "API_AND_CONFIG_MAP"),
            },
        ],
    },
    {
        policy: sec.eksSupportedVersion,
        type: CLUSTER,
        good: eks(),
        config: ASOF,
        bad: [
            {
                why: "a version out of the table",
                expect: /must pin a Kubernetes version from the platform's table .*; it has 1\.27/,
                change: (p) => (p.version = "1.27"),
            },
            {
                why: "no version",
                expect: /must pin a Kubernetes version from the platform's table .*; it has none/,
                change: (p) => delete p.version,
            },
            {
                why: "a version leaving standard support within 60 days",
                expect: /Kubernetes 1\.34 leaves EKS standard support on 2026-12-02 \(9 days from 2026-11-23\); it must have at least 60/,
                change: (p) => (p.version = "1.34"),
            },
            {
                why: "a version already out of standard support",
                expect: /Kubernetes 1\.33 leaves EKS standard support on 2026-07-29 \(-117 days/,
                change: (p) => (p.version = "1.33"),
            },
            {
                why: "no STANDARD support type",
                expect: /must set upgradePolicy\.supportType to STANDARD/,
                change: (p) => delete p.upgradePolicy,
            },
        ],
    },
    {
        policy: sec.eksSupportedVersion,
        type: CLUSTER,
        config: { "eks-supported-version": { asOf: "2027-02-20", minDaysOfStandardSupport: 30 } },
        good: eks(),
        bad: [
            {
                why: "a version that leaves standard support sooner than the configured window",
                expect: /1\.34 leaves EKS standard support on 2026-12-02 \(-80 days from 2027-02-20\); it must have at least 30/,
                change: (p) => (p.version = "1.34"),
            },
        ],
    },
];

/** The same rules on the component's inputs: one failing case per rule and setting. */
const COMPONENT_CASES: ResourceCase[] = [
    {
        policy: sec.eksSecretsEncryption,
        type: COMPONENT,
        good: component(),
        bad: [
            {
                why: "no KMS key on the component",
                expect: /must encrypt secrets with a KMS key/,
                change: (p) => delete p.encryptionConfigKeyArn,
            },
        ],
    },
    {
        policy: sec.eksControlPlaneLogging,
        type: COMPONENT,
        good: component(),
        bad: [
            {
                why: "no log types on the component (its default: none)",
                expect: /missing: api, audit, authenticator, controllerManager, scheduler/,
                change: (p) => delete p.enabledClusterLogTypes,
            },
        ],
    },
    {
        policy: sec.eksEndpointNotPublic,
        type: COMPONENT,
        good: component(),
        bad: [
            {
                why: "no endpointPublicAccess on the component (its default: public)",
                expect: /must not be public in this stack/,
                change: (p) => delete p.endpointPublicAccess,
            },
        ],
    },
    {
        policy: sec.eksEndpointNotPublic,
        type: COMPONENT,
        config: { "eks-endpoint-not-public": { allowPublicEndpoint: true } },
        good: { ...component(), endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] },
        bad: [
            {
                why: "the component's endpoint open to the whole internet",
                expect: /limited to named CIDRs, never 0\.0\.0\.0\/0/,
                change: (p) => (p.publicAccessCidrs = ["0.0.0.0/0"]),
            },
        ],
    },
    {
        policy: sec.eksApiAuthentication,
        type: COMPONENT,
        good: component(),
        bad: [
            {
                why: "the component with no authentication mode (the aws-auth ConfigMap)",
                expect: /must use the authentication mode API .*; it uses the default/,
                change: (p) => delete p.authenticationMode,
            },
        ],
    },
    {
        policy: sec.eksSupportedVersion,
        type: COMPONENT,
        good: component(),
        config: ASOF,
        bad: [
            {
                why: "the component with no version (its default: the latest)",
                expect: /must pin a Kubernetes version from the platform's table .*; it has none/,
                change: (p) => delete p.version,
            },
            {
                why: "the component with no upgrade policy (its default: EXTENDED)",
                expect: /must set upgradePolicy\.supportType to STANDARD/,
                change: (p) => delete p.upgradePolicy,
            },
        ],
    },
];

describeResourceCases("policy pack: AWS security: EKS rules", RESOURCE_CASES);
describeResourceCases("policy pack: AWS security: EKS rules on the eks component", COMPONENT_CASES);
