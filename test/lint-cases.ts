/** Imports the linter must refuse (with the message it gives) or allow, as if written in the file `from`. */
export const CASES: { from: string; source: string; refused: RegExp | undefined }[] = [
    {
        from: "components/aws/fixture.ts",
        source: 'import { NamespaceBaseline } from "../k8s/namespace";\nexport const x = NamespaceBaseline;\n',
        refused: /AWS layer never imports the cluster layer/,
    },
    {
        from: "components/aws/fixture.ts",
        source: 'import { CATALOGUE } from "../apps/catalogue";\nexport const x = CATALOGUE;\n',
        refused: /never import the apps layer/,
    },
    {
        from: "components/k8s/fixture.ts",
        source: 'import { CATALOGUE } from "../apps/catalogue";\nexport const x = CATALOGUE;\n',
        refused: /never import the apps layer/,
    },
    {
        from: "components/k8s/addons/fixture.ts",
        source: 'import { CATALOGUE } from "../../apps/catalogue";\nexport const x = CATALOGUE;\n',
        refused: /never import the apps layer/,
    },
    {
        from: "tools/fixture.ts",
        source: 'import { awsCostTags } from "../policy/rules/finops";\nexport const x = awsCostTags;\n',
        refused: /never a rule module/,
    },
    {
        from: "scripts/fixture.ts",
        source: 'import { POLICY_GROUPS } from "../policy/rules";\nexport const x = POLICY_GROUPS;\n',
        refused: /never a rule module/,
    },
    {
        from: "components/aws/fixture.ts",
        source: 'import { UNSCOPABLE_ACTIONS } from "../../policy/rules/settings";\nexport const x = UNSCOPABLE_ACTIONS;\n',
        refused: /never a rule module/,
    },
    {
        from: "components/aws/fixture.ts",
        source: 'const ns = require("../k8s/namespace");\nexport const x = ns;\n',
        refused: /require\(\)|no-require-imports|A `require\(\)` style import is forbidden/,
    },
    {
        from: "components/aws/fixture.ts",
        source: 'export const x = import("../k8s/namespace");\n',
        refused: /static import/,
    },
    {
        from: "components/config/fixture.ts",
        source: 'import { NamespaceBaseline } from "../k8s/namespace";\nexport const x = NamespaceBaseline;\n',
        refused: /AWS layer never imports the cluster layer/,
    },
    {
        from: "components/tags-fixture.ts",
        source: 'import { CATALOGUE } from "./apps/catalogue";\nexport const x = CATALOGUE;\n',
        refused: /never import the apps layer/,
    },
    {
        from: "tools/fixture.ts",
        source: 'import "../policy";\n',
        refused: /never a rule module or the pack's entry point/,
    },
    {
        from: "scripts/fixture.ts",
        source: 'import { POLICY_GROUPS } from "../policy/index";\nexport const x = POLICY_GROUPS;\n',
        refused: /entry point/,
    },
    {
        from: "policy/rules/fixture.ts",
        source: 'import { CATALOGUE } from "../../components/apps/catalogue";\nexport const x = CATALOGUE;\n',
        refused: /self-contained/,
    },
    {
        from: "policy/rules/fixture.ts",
        source: 'import { REPO_ROOT } from "../../tools/harness";\nexport const x = REPO_ROOT;\n',
        refused: /self-contained/,
    },
    {
        from: "policy/fixture.ts",
        source: 'import { CATALOGUE } from "../components/apps/catalogue";\nexport const x = CATALOGUE;\n',
        refused: /self-contained/,
    },
    {
        from: "policy/rules/fixture.ts",
        source: 'import * as YAML from "yaml";\nexport const x = YAML;\n',
        refused: /pack's own packages/,
    },
    {
        from: "vocabulary/fixture.ts",
        source: 'import { REPO_ROOT } from "../tools/harness";\nexport const x = REPO_ROOT;\n',
        refused: /bottom layer/,
    },
    {
        from: "vocabulary/fixture.ts",
        source: 'import { SERVICE_NAMES } from "../policy/policies";\nexport const x = SERVICE_NAMES;\n',
        refused: /bottom layer/,
    },
    {
        from: "vocabulary/fixture.ts",
        source: 'import * as YAML from "yaml";\nexport const x = YAML;\n',
        refused: /pack's own packages/,
    },
    {
        from: "vocabulary/fixture.ts",
        source: 'export * from "./placement";\n',
        refused: /Name what a module re-exports/,
    },
    {
        from: "components/config/fixture.ts",
        source: 'export * from "./fields";\n',
        refused: /Name what a module re-exports/,
    },
    {
        from: "tools/fixture.ts",
        source: 'export * from "./table";\n',
        refused: /Name what a module re-exports/,
    },
    // Each add-on owns its folder: outsiders read its facts.ts only; the contract reads no add-on nor the registry.
    {
        from: "components/k8s/addons/addon.ts",
        source: 'import type { KarpenterAwsFacts } from "./karpenter/facts";\nexport type X = KarpenterAwsFacts;\n',
        refused: /contract .* imports no add-on and not the registry/,
    },
    {
        from: "components/k8s/addons/chart.ts",
        source: 'import { ADDONS } from ".";\nexport const x = ADDONS;\n',
        refused: /contract .* imports no add-on and not the registry/,
    },
    {
        from: "components/apps/fixture.ts",
        source: 'import { monitoringAddon } from "../k8s/addons/monitoring";\nexport const x = monitoringAddon;\n',
        refused: /import only its facts\.ts/,
    },
    {
        from: "components/apps/fixture.ts",
        source: 'import { ENCRYPTED_GP3 } from "../k8s/addons/monitoring/values";\nexport const x = ENCRYPTED_GP3;\n',
        refused: /import only its facts\.ts/,
    },
    {
        from: "components/k8s/fixture.ts",
        source: 'import { Gateway } from "./addons/gateway";\nexport const x = Gateway;\n',
        refused: /import only its facts\.ts/,
    },
    {
        from: "index.ts",
        source: 'import { karpenterControllerStatements } from "./components/k8s/addons/karpenter/iam";\nexport const x = karpenterControllerStatements;\n',
        refused: /import only its facts\.ts/,
    },
    {
        from: "tools/fixture.ts",
        source: 'import { GATEWAY_API_PLUGIN } from "../components/k8s/addons/rollouts/index";\nexport const x = GATEWAY_API_PLUGIN;\n',
        refused: /import only its facts\.ts/,
    },
    {
        from: "components/k8s/addons/grafana/fixture.ts",
        source: 'import { monitoringAddon } from "../monitoring";\nexport const x = monitoringAddon;\n',
        refused: /import only its facts\.ts/,
    },
    {
        from: "components/k8s/addons/grafana/fixture.ts",
        source: 'import { ADDONS } from "../index";\nexport const x = ADDONS;\n',
        refused: /never imports the registry/,
    },
    {
        from: "components/k8s/addons/install-fixture.ts",
        source: 'import { kubePrometheusStackValues } from "./monitoring/values";\nexport const x = kubePrometheusStackValues;\n',
        refused: /import only its facts\.ts/,
    },
    {
        from: "components/k8s/addons/index.ts",
        source: 'import { loadBalancerControllerValues } from "./gateway/values";\nexport const x = loadBalancerControllerValues;\n',
        refused: /import only its facts\.ts/,
    },
    // Allowed: an add-on's facts.ts from anywhere, the contract from an add-on, each add-on's index.ts from the registry.
    {
        from: "components/apps/fixture.ts",
        source: 'import { PROMETHEUS_URL } from "../k8s/addons/monitoring/facts";\nexport const x = PROMETHEUS_URL;\n',
        refused: undefined,
    },
    {
        from: "components/k8s/addons/grafana/fixture.ts",
        source: 'import { PROMETHEUS_URL } from "../monitoring/facts";\nimport { dependency } from "../addon";\nimport { chartRelease } from "../chart";\nimport { DASHBOARDS } from "./facts";\nexport const x = [PROMETHEUS_URL, dependency, chartRelease, DASHBOARDS];\n',
        refused: undefined,
    },
    {
        from: "components/k8s/addons/index.ts",
        source: 'import { gatewayAddon } from "./gateway";\nimport { kedaAddon } from "./keda/index";\nimport { GATEWAY } from "./gateway/facts";\nexport const x = [gatewayAddon, kedaAddon, GATEWAY];\n',
        refused: undefined,
    },
    {
        from: "components/k8s/addons/addon.ts",
        source: 'import type { PinnedChart } from "./chart";\nimport type { AccessGrant } from "../../aws/access";\nexport type X = [PinnedChart, AccessGrant];\n',
        refused: undefined,
    },
    {
        from: "components/k8s/addons/install-fixture.ts",
        source: 'import { PROMETHEUS_PORT } from "./monitoring/facts";\nimport { addonOrder } from "./registry";\nexport const x = [PROMETHEUS_PORT, addonOrder];\n',
        refused: undefined,
    },
    // Allowed directions: apps reads k8s and aws; the pack reads the vocabulary; everything reads the vocabulary.
    {
        from: "components/apps/fixture.ts",
        source: 'import { NamespaceBaseline } from "../k8s/namespace";\nexport const x = NamespaceBaseline;\n',
        refused: undefined,
    },
    {
        from: "components/k8s/fixture.ts",
        source: 'import { policyStatements } from "../aws/access";\nexport const x = policyStatements;\n',
        refused: undefined,
    },
    {
        from: "tools/fixture.ts",
        source: 'import { POLICY_GROUPS } from "../policy/policies";\nimport { APP_NAMESPACE } from "../vocabulary/platform";\nexport const x = [POLICY_GROUPS, APP_NAMESPACE];\n',
        refused: undefined,
    },
    {
        from: "policy/rules/fixture.ts",
        source: 'import type { PolicyResource } from "@pulumi/policy";\nimport { APP_NAMESPACE } from "../../vocabulary/platform";\nimport { isKind } from "./kubernetes";\nexport const x: [string, unknown, PolicyResource?] = [APP_NAMESPACE, isKind];\n',
        refused: undefined,
    },
    {
        from: "vocabulary/fixture.ts",
        source: 'import { SYSTEM_TAINT } from "./placement";\nexport const x = SYSTEM_TAINT;\n',
        refused: undefined,
    },
    { from: "components/config/index.ts", source: 'export * from "./fields";\n', refused: undefined },
    // Spellings that resolve outside a zone are refused all the same.
    {
        from: "policy/fixture.ts",
        source: 'import { CATALOGUE } from "./../components/apps/catalogue";\nexport const x = CATALOGUE;\n',
        refused: /self-contained/,
    },
    { from: "policy/fixture.ts", source: 'import "../vocabulary/..";\n', refused: /self-contained/ },
    {
        from: "policy/rules/fixture.ts",
        source: 'import { CATALOGUE } from "../rules/../../components/apps/catalogue";\nexport const x = CATALOGUE;\n',
        refused: /self-contained/,
    },
    {
        from: "policy/rules/fixture.ts",
        source: 'export type Catalogue = typeof import("../../components/apps/catalogue");\n',
        refused: /self-contained/,
    },
    {
        from: "vocabulary/fixture.ts",
        source: 'import { REPO_ROOT } from "./../tools/harness";\nexport const x = REPO_ROOT;\n',
        refused: /bottom layer/,
    },
    {
        from: "policy/rules/deep/fixture.ts",
        source: 'import * as YAML from "yaml";\nexport const x = YAML;\n',
        refused: /pack's own packages/,
    },
    {
        from: "components/apps/fixture.ts",
        source: 'import { x } from "../k8s/addons/monitoring/./values";\nexport const y = x;\n',
        refused: /only its facts.ts/,
    },
    {
        from: "components/aws/fixture.ts",
        source: 'import { x } from "./../../components/k8s/namespace";\nexport const y = x;\n',
        refused: /never imports the cluster layer/,
    },
    // Node's built-ins are the pack's and the vocabulary's to use.
    {
        from: "policy/rules/fixture.ts",
        source: 'import * as path from "node:path";\nexport const x = path;\n',
        refused: undefined,
    },
    {
        from: "vocabulary/fixture.ts",
        source: 'import { createHash } from "crypto";\nexport const x = createHash;\n',
        refused: undefined,
    },
];
