/**
 * Bad input in a stack file: subnets too small for the nodes the stack may place in them, numbers
 * where YAML needed a quoted string, and a new stack without its chart values file. Each is
 * refused with one problem that names the field (or the file to create).
 */
import * as assert from "assert";
import * as YAML from "yaml";
import * as pulumi from "@pulumi/pulumi";
import {
    ConfigError,
    ENI_LIMITS,
    maxPods,
    missingChartValues,
    privateSubnetDemand,
    usableAddresses,
} from "../components/config";
import { INSTANCE_CAPACITY } from "../vocabulary/instances";
import { parsedStackConfig, runProgram } from "../tools/harness";
import { itRejects, problemsAfter } from "./config-problems";

/** Max pods per instance type, read from aws/amazon-vpc-cni-k8s misc/eni-max-pods.txt (commit 2aea0fd). */
const ENI_MAX_PODS: Record<string, number> = {
    "t4g.medium": 17,
    "t4g.large": 35,
    "m7g.large": 29,
    "m7g.xlarge": 58,
    "m7g.2xlarge": 58,
    "m7g.4xlarge": 234,
    "m6g.large": 29,
    "m6g.xlarge": 58,
    "m6g.2xlarge": 58,
    "m6g.4xlarge": 234,
    "c7g.xlarge": 58,
    "c7g.2xlarge": 58,
    "c7g.4xlarge": 234,
    "c6g.2xlarge": 58,
    "r7g.xlarge": 58,
    "m7i.large": 29,
    "m7i.xlarge": 58,
    "m7i.2xlarge": 58,
    "c7i.2xlarge": 58,
};

const demandOf = (stack: string) => {
    const config = parsedStackConfig(stack);
    return privateSubnetDemand({
        nodeGroups: config.cluster.nodeGroups,
        nodePools: config.karpenter.nodePools,
        interfaceEndpoints: config.network.interfaceEndpoints,
        redisNodes: config.data.redis.numCacheClusters,
    });
};

describe("stack config: private subnet size", () => {
    it("knows the interfaces of every instance type, matching the VPC CNI's max pods", () => {
        assert.deepStrictEqual(Object.keys(ENI_LIMITS).sort(), Object.keys(INSTANCE_CAPACITY).sort());
        for (const [type, pods] of Object.entries(ENI_MAX_PODS)) {
            assert.strictEqual(maxPods(type), pods, type);
        }
    });

    it("counts the 5 addresses AWS reserves in every subnet", () => {
        assert.strictEqual(usableAddresses("10.20.128.0/28"), 11);
        assert.strictEqual(usableAddresses("10.20.64.0/18"), 16379);
    });

    it("adds up what dev and prod may place in one zone, and both stacks' subnets hold it", () => {
        // dev: system 3 x 60 + pool apps 8 x m7g.xlarge x 60 + 5 endpoints + 1 Redis node + 4 EKS.
        assert.strictEqual(demandOf("dev").total, 180 + 480 + 5 + 1 + 4);
        // prod: system 6 x 60, apps-floor 2 x 60, spot 10 x m7g.4xlarge x 240 (160 vCPU),
        // on-demand 3 x m7g.4xlarge x 240 (48 vCPU), 8 endpoints, 3 Redis nodes, 4 EKS.
        assert.strictEqual(demandOf("prod").total, 360 + 120 + 2400 + 720 + 8 + 3 + 4);
        assert.deepStrictEqual(
            problemsAfter(() => undefined),
            [],
        );
    });

    itRejects([
        {
            name: "a /28 private subnet, stating the arithmetic",
            edit: (c) => (c["tacos:network"].zones[1].privateSubnetCidr = "10.20.128.0/28"),
            expect: "network.zones.1.privateSubnetCidr 10.20.128.0/28 is too small: it holds 11 usable addresses (16 less the 5 AWS reserves), but the stack may need 670 in one zone (node group system: 3 x m7g.xlarge x 60 = 180; Karpenter pool apps: 8 x m7g.xlarge x 60 = 480;",
        },
        {
            name: "a /23 private subnet for dev's 670 addresses",
            edit: (c) => (c["tacos:network"].zones[0].privateSubnetCidr = "10.20.64.0/23"),
            expect: "network.zones.0.privateSubnetCidr 10.20.64.0/23 is too small: it holds 507 usable",
        },
    ]);

    it("accepts a /22 for dev, and grows the demand with the pool's limits", () => {
        assert.deepStrictEqual(
            problemsAfter((c) => (c["tacos:network"].zones[0].privateSubnetCidr = "10.20.64.0/22")),
            [],
        );
        const problems = problemsAfter((c) => {
            c["tacos:network"].zones[0].privateSubnetCidr = "10.20.64.0/22";
            c["tacos:karpenter"].nodePools.apps.limits = { cpu: 64, memoryGiB: 256 };
        });
        assert.match(
            problems.join("\n"),
            /10\.20\.64\.0\/22 is too small: it holds 1019 usable .* may need 1150/,
        );
    });

    it("reports a too-small subnet together with the other bad fields", () => {
        const problems = problemsAfter((c) => {
            c["tacos:network"].zones[1].privateSubnetCidr = "10.20.128.0/28";
            c["tacos:tags"].Owner = "";
        });
        assert.ok(problems.some((p) => p.startsWith("network.zones.1.privateSubnetCidr")));
        assert.ok(problems.some((p) => p.startsWith("tags.Owner")));
    });
});

describe("stack config: numbers where a quoted string is expected", () => {
    it("is what YAML makes of an unquoted version", () => {
        const parsed = YAML.parse("kubernetesVersion: 1.30\nengineVersion: 7.1\ntag: 1234567");
        assert.deepStrictEqual(parsed, { kubernetesVersion: 1.3, engineVersion: 7.1, tag: 1234567 });
    });

    itRejects([
        {
            name: "an unquoted Kubernetes version",
            edit: (c) => (c["tacos:cluster"].kubernetesVersion = 1.35),
            expect: 'cluster.kubernetesVersion must be a quoted string such as "1.35": YAML read the number 1.35',
        },
        {
            name: "an unquoted Kubernetes version YAML shortened",
            edit: (c) => (c["tacos:cluster"].kubernetesVersion = 1.3),
            expect: 'cluster.kubernetesVersion must be one of "1.33", "1.34", "1.35", "1.36", quoted: YAML read the number 1.3 (unquoted, YAML drops a version\'s trailing zeros)',
        },
        {
            name: "an unquoted Redis engine version",
            edit: (c) => (c["tacos:data"].redis.engineVersion = 7.1),
            expect: 'data.redis.engineVersion must be a quoted string such as "7.1": YAML read the number 7.1',
        },
        {
            name: "an image tag of digits only",
            edit: (c) => (c["tacos:images"].tags["gateway-api"] = 1234567),
            expect: 'images.tags.gateway-api must be a quoted string such as "1234567": YAML read the number 1234567',
        },
    ]);
});

describe("stack config: a new stack", () => {
    it("finds the chart values file of dev and prod, and names the one a new stack lacks", () => {
        assert.strictEqual(missingChartValues("dev"), undefined);
        assert.strictEqual(missingChartValues("prod"), undefined);
        assert.strictEqual(
            missingChartValues("staging"),
            "stack staging has no chart values file: create charts/tacos-service/values-staging.yaml (copy charts/tacos-service/values-dev.yaml or values-prod.yaml and adjust it) before helm renders the services",
        );
    });

    it("stops the program of a stack without its chart values file before anything is registered", async () => {
        const run = await runProgram("staging", undefined, { stackFile: "dev" });
        // The harness reloads the program's modules for each run, so the class is not this file's.
        assert.strictEqual(run.error?.name, "ConfigError", String(run.error));
        assert.deepStrictEqual((run.error as ConfigError).problems, [missingChartValues("staging")]);
        assert.deepStrictEqual(run.resources, []);
    });

    it("raises a config error Pulumi's host prints without a stack trace", () => {
        assert.ok(pulumi.RunError.isInstance(new ConfigError(["x is bad"])));
    });
});
