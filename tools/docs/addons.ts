/**
 * The add-on pages of docs/addons/, generated from each add-on's declaration as the registry
 * (components/k8s/addons/index.ts) exports it: one page per add-on and an index with the table of
 * namespaces, Pod Security levels, charts, identities and dependencies.
 */
import { ADDONS, AddonName } from "../../components/k8s/addons";
import type { Addon, AddonDeclaration } from "../../components/k8s/addons/addon";
import type { PinnedChart } from "../../components/k8s/addons/chart";
import { APP_NAMESPACE } from "../../vocabulary/platform";
import type { WorkloadFootprint } from "../../vocabulary/footprint";
import { GENERATED_NOTE, markdownTable } from "./markdown";

/** The stacks whose footprints the pages show, with each add-on's pods in that stack. */
export type StackFootprints = Record<string, (addon: Addon) => WorkloadFootprint[]>;

const addonNames = () => Object.keys(ADDONS) as AddonName[];
const declarationOf = (name: AddonName): AddonDeclaration => ADDONS[name].declaration;
const pageLink = (name: string) => `[${name}](${name}.md)`;

/** The Pod Security level a namespace enforces, with the declared reason when it is not `restricted`. */
function podSecurity(d: AddonDeclaration): string {
    return d.namespace.podSecurity === "restricted"
        ? "restricted"
        : `${d.namespace.podSecurity}: ${d.namespace.reason}`;
}

function identity(d: AddonDeclaration): string {
    return d.identity ? `\`${d.namespace.name}/${d.identity.serviceAccount}\`` : "none";
}

/** One grant as declared: its kind, then its other fields (`sqs` (queue reservation-events, access inspect)). */
function grant(g: Record<string, unknown>): string {
    const { kind, ...rest } = g;
    const fields = Object.entries(rest).map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(", ") : v}`);
    return `\`${kind}\`${fields.length > 0 ? ` (${fields.join(", ")})` : ""}`;
}

const list = (items: string[], none: string) => (items.length > 0 ? items.join(", ") : none);

/** docs/addons/README.md: what each add-on is, where it runs and what it needs, with a link to its page. */
export function addonIndex(): string {
    const rows = addonNames().map((name) => {
        const d = declarationOf(name);
        const charts = d.charts.map((c) => `${c.chart} ${c.version}`).join(", ");
        return [
            pageLink(name),
            d.description,
            `\`${d.namespace.name}\``,
            podSecurity(d),
            charts,
            identity(d),
            list([...d.dependsOn], "none"),
        ];
    });
    rows.push([
        "(applications)",
        "the five services",
        `\`${APP_NAMESPACE}\``,
        "the stack's securityPolicy.podSecurityLevel (default restricted)",
        "charts/tacos-service",
        "one per service that uses AWS",
        "all of the above",
    ]);
    return [
        GENERATED_NOTE,
        "# Cluster add-ons",
        "",
        "Every add-on is a folder under [components/k8s/addons/](../../components/k8s/addons/) that",
        "declares its pinned charts, its namespace and that namespace's Pod Security level, its AWS",
        "identity and the add-ons it needs; the installer turns the declarations into namespaces,",
        "identities and install order. Each stack installs every add-on below. One page per add-on:",
        "",
        markdownTable(
            ["add-on", "what", "namespace", "Pod Security (enforced)", "charts", "AWS identity", "needs"],
            rows,
        ),
        "",
    ].join("\n");
}

function chartSection(c: PinnedChart): string[] {
    return [
        `### ${c.chart} ${c.version}`,
        "",
        `- Repository: \`${c.repo}\``,
        `- Values checked against: ${c.checkedAgainst}`,
        `- Values keys the program sets: ${list(
            c.valuesKeys.map((k) => `\`${k}\``),
            "none (the chart's defaults)",
        )}`,
        "",
    ];
}

function footprintSection(addon: Addon, stacks: StackFootprints): string[] {
    const rows = Object.entries(stacks).flatMap(([stack, footprintOf]) =>
        footprintOf(addon).map((w) => [
            stack,
            w.pod && w.pod !== w.name ? `${w.name} (in pod ${w.pod})` : w.name,
            String(w.replicas),
            w.nodes === "system" ? "system node group" : "every node",
            `${w.resources.requests.cpu} CPU, ${w.resources.requests.memory}`,
            `${w.resources.limits.cpu} CPU, ${w.resources.limits.memory}`,
        ]),
    );
    if (rows.length === 0) return [];
    return [
        "## Pods it runs",
        "",
        "Its footprint (the same record its chart values are built from), which sizes its namespace's",
        "quota, the plan report's capacity and cost, and the policy pack's system-node check:",
        "",
        markdownTable(["stack", "container", "replicas", "nodes", "requests", "limits"], rows),
        "",
    ];
}

/** docs/addons/<name>.md: one add-on's declaration, charts and footprint in each stack. */
export function addonPage(name: AddonName, stacks: StackFootprints): string {
    const addon = ADDONS[name] as Addon;
    const d = addon.declaration;
    const neededBy = addonNames().filter((other) => declarationOf(other).dependsOn.includes(name));
    const facts: [string, string][] = [
        ["Namespace", `\`${d.namespace.name}\``],
        ["Pod Security (enforced)", podSecurity(d)],
        ["Cost component", `\`${d.component}\``],
        [
            "AWS identity (EKS Pod Identity)",
            d.identity
                ? `${identity(d)}, granted ${[
                      ...(d.identity.grants ?? []).map((g) => grant({ ...g })),
                      ...(d.identity.statements
                          ? [
                                `its own policy statements ([iam.ts](../../components/k8s/addons/${name}/iam.ts))`,
                            ]
                          : []),
                  ].join(", ")}`
                : "none",
        ],
        ["Needs", list(d.dependsOn.map(pageLink), "none")],
        ["Needed by", list(neededBy.map(pageLink), "none")],
        ["Reached through the Gateway", d.routedThroughGateway ? "yes" : "no"],
        ["Ports Prometheus scrapes", list((d.metricsPorts ?? []).map(String), "none")],
        ["Queries Prometheus", d.queriesPrometheus ? "yes" : "no"],
        ...(addon.noQuota ? ([["ResourceQuota", `none: ${addon.noQuota}`]] as [string, string][]) : []),
    ];
    return [
        GENERATED_NOTE,
        `# The ${name} add-on`,
        "",
        d.description,
        "",
        `Declared in [components/k8s/addons/${name}/](../../components/k8s/addons/${name}/); the statements`,
        "of named grants are written in [components/aws/access.ts](../../components/aws/access.ts).",
        "",
        ...facts.map(([what, value]) => `- **${what}:** ${value}`),
        "",
        "## Charts",
        "",
        ...(d.charts.length > 0 ? d.charts.flatMap(chartSection) : ["None.", ""]),
        ...footprintSection(addon, stacks),
    ].join("\n");
}

/** Every add-on page by path under docs/addons/, the index first. */
export function addonPages(stacks: StackFootprints): Record<string, string> {
    return {
        "docs/addons/README.md": addonIndex(),
        ...Object.fromEntries(
            addonNames().map((name) => [`docs/addons/${name}.md`, addonPage(name, stacks)]),
        ),
    };
}
