/**
 * The tacos-service chart's values schema: one zod schema (vocabulary/chart-values.ts) that the
 * program's values, the chart's own values files and the checked-in values.schema.json all follow.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { serviceValuesSchema } from "../vocabulary/chart-values";
import { SERVICE_NAMES } from "../vocabulary/platform";
import { CHART_SCHEMA_PATH, chartValuesSchemaText } from "../tools/chart-schema";
import { CHART_DIR, template } from "../tools/helm";
import { serviceValuesOf, STACKS, useStackRuns } from "./stacks";

const chartFile = (name: string) => YAML.parse(fs.readFileSync(path.join(CHART_DIR, name), "utf8"));

/** Helm's message for a value at `location` (a JSON pointer) that its schema's pattern refuses. */
const notMatching = (location: string, value: string): RegExp => {
    const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    return new RegExp(`at '${escape(location)}': '${escape(value)}' does not match pattern`);
};

/** The paths of the values a parse refuses, each once. */
const refusedPaths = (values: unknown): string[] => {
    const result = serviceValuesSchema.safeParse(values);
    return result.success ? [] : [...new Set(result.error.issues.map((i) => i.path.join(".")))].sort();
};

describe("tacos-service values schema", () => {
    const runs = useStackRuns();

    it("is checked in as npm run chart:schema generates it", () => {
        assert.strictEqual(
            fs.readFileSync(CHART_SCHEMA_PATH, "utf8"),
            chartValuesSchemaText(),
            "charts/tacos-service/values.schema.json is stale: run npm run chart:schema",
        );
    });

    it("accepts every default of values.yaml but the placeholders each service must replace", () => {
        assert.deepStrictEqual(refusedPaths(chartFile("values.yaml")), [
            "image.repository",
            "image.tag",
            "name",
            "ports",
        ]);
    });

    for (const stack of STACKS) {
        it(`accepts what values-${stack}.yaml sets`, () => {
            const overrides = chartFile(`values-${stack}.yaml`);
            assert.ok(Object.keys(overrides).length > 0, `values-${stack}.yaml sets nothing`);
            serviceValuesSchema.partial().parse(overrides);
        });

        it(`${stack}: accepts the values the program delivers for every service`, () => {
            for (const service of SERVICE_NAMES) {
                assert.deepStrictEqual(refusedPaths(serviceValuesOf(runs[stack], service)), [], service);
            }
        });
    }

    // What the chart refuses, by the generated schema or its templates, naming the field.
    describe("helm refuses bad values", () => {
        const good = () => structuredClone(serviceValuesOf(runs.dev, "inventory-api"));
        const cases: { name: string; edit: (v: any) => void; message: RegExp }[] = [
            {
                name: "a latest image tag",
                edit: (v) => (v.image.tag = "latest"),
                message: /image\.tag|image\/tag/,
            },
            { name: "an unknown key", edit: (v) => (v.replicaCount = 3), message: /replicaCount/ },
            {
                name: "a misspelt nested key",
                edit: (v) => (v.autoscaling.hpa.cpuUtilisation = 50),
                message: /cpuUtilisation/,
            },
            {
                name: "an unknown autoscaling mode",
                edit: (v) => (v.autoscaling.mode = "vpa"),
                message: /autoscaling\.mode|autoscaling\/mode/,
            },
            {
                name: "a malformed CPU quantity",
                edit: (v) => (v.resources.limits.cpu = "one core"),
                message: /resources\.limits\.cpu|resources\/limits\/cpu/,
            },
            { name: "no ports", edit: (v) => (v.ports = []), message: /ports/ },
            {
                name: "a NetworkPolicy peer with no target",
                edit: (v) => (v.networkPolicy.egress = [{ ports: [443] }]),
                message: /networkPolicy/,
            },
            {
                name: "min replicas above max",
                edit: (v) => (v.autoscaling.minReplicas = 50),
                message: /autoscaling\.minReplicas \(50\) must be <= autoscaling\.maxReplicas/,
            },
            {
                name: "a probe port that is not a container port",
                edit: (v) => (v.probes.port = "metrics"),
                message: /probes\.port "metrics" must name one of the ports/,
            },
            {
                name: "KEDA without a queue",
                edit: (v) => (v.autoscaling = { mode: "keda", minReplicas: 0, maxReplicas: 5 }),
                message: /autoscaling\.keda\.queueUrl or autoscaling\.keda\.requestRate is required/,
            },
            {
                name: "a Kubernetes system priority class",
                edit: (v) => (v.priorityClassName = "system-node-critical"),
                message: /at '\/priorityClassName': value must be one of 'tacos-service', 'tacos-worker'/,
            },
            {
                name: "no priority class",
                edit: (v) => (v.priorityClassName = ""),
                message: /at '\/priorityClassName': value must be one of/,
            },
            {
                name: "a label key Kubernetes refuses",
                edit: (v) => (v.labels["bad key!"] = "x"),
                // Helm v3.22's validator (santhosh-tekuri/jsonschema v6) reports a key's failure at another key.
                message: /invalid propertyName 'bad key!'/,
            },
            {
                name: "a label value with a space",
                edit: (v) => (v.labels["tacos.io/team"] = "two words"),
                message: notMatching("/labels/tacos.io~1team", "two words"),
            },
            {
                name: "a version that is no label value",
                edit: (v) => (v.version = "v1 beta"),
                message: notMatching("/version", "v1 beta"),
            },
            {
                name: "a CPU request above its limit",
                edit: (v) => {
                    v.resources.requests.cpu = "1.5";
                    v.resources.limits.cpu = "1499m";
                },
                message: /resources\.requests\.cpu \(1\.5\) must be <= resources\.limits\.cpu \(1499m\)/,
            },
            {
                name: "a memory request above its limit",
                edit: (v) => {
                    v.resources.requests.memory = "1Gi";
                    v.resources.limits.memory = "1G";
                },
                message: /resources\.requests\.memory \(1Gi\) must be <= resources\.limits\.memory \(1G\)/,
            },
            {
                name: "a zero CPU request",
                edit: (v) => (v.resources.requests.cpu = "0"),
                message: notMatching("/resources/requests/cpu", "0"),
            },
            {
                name: "a zero memory limit",
                edit: (v) => (v.resources.limits.memory = "0Mi"),
                message: notMatching("/resources/limits/memory", "0Mi"),
            },
            {
                name: "a memory quantity with an upper-case K (Kubernetes' decimal kilo is k)",
                edit: (v) => (v.resources.limits.memory = "262144K"),
                message: notMatching("/resources/limits/memory", "262144K"),
            },
            {
                name: "two ports of the same name",
                edit: (v) => v.ports.push({ ...v.ports[0], port: 9999 }),
                message:
                    /ports\[2\]\.name \([a-z]+\) repeats an earlier port's: a Pod's and a Service's ports must differ in name/,
            },
            {
                name: "two ports of the same number",
                edit: (v) => v.ports.push({ ...v.ports[0], name: "other" }),
                message:
                    /ports\[2\]\.port \(\d+\) repeats an earlier port's: a Pod's and a Service's ports must differ in port/,
            },
            {
                name: "an address block that is no IPv4 CIDR",
                edit: (v) => (v.networkPolicy.egress = [{ cidrs: ["999.999.0.0/99"], ports: [443] }]),
                message: notMatching("/networkPolicy/egress/0/cidrs/0", "999.999.0.0/99"),
            },
        ];
        it("accepts the catalogue's values", () => {
            const result = template("inventory-api", "dev", good());
            assert.ok(result.ok, result.stderr);
        });
        it("accepts requests equal to their limits in other units", () => {
            const values = good();
            values.resources = {
                requests: { cpu: "1500m", memory: "1000M" },
                limits: { cpu: "1.5", memory: "1G" },
            };
            const result = template("inventory-api", "dev", values);
            assert.ok(result.ok, result.stderr);
        });
        for (const c of cases) {
            it(`rejects ${c.name} with a message naming the field`, () => {
                const values = good();
                c.edit(values);
                const result = template("inventory-api", "dev", values);
                assert.ok(!result.ok, "helm should refuse");
                assert.match(result.stderr, c.message);
            });
        }
    });
});
