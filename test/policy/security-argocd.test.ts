/** Security rules for Argo CD's exposure: only named source ranges reach its server. */
import { argocdNotOpenToInternet } from "../../policy/rules/security-argocd";
import { describeStackCases, resource } from "./cases";

const HTTPROUTE = "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute";
const RULE_CONFIG = "kubernetes:gateway.k8s.aws/v1:ListenerRuleConfiguration";
const ref = (name: string) => ({
    type: "ExtensionRef",
    extensionRef: { group: "gateway.k8s.aws", kind: "ListenerRuleConfiguration", name },
});

/** Argo CD's route as the program makes it, and its source-ip condition; `edit` changes one of the two. */
const exposure =
    (edit: (route: any, config: any) => void = () => undefined) =>
    () => {
        const route = {
            metadata: { name: "argocd-server", namespace: "argocd" },
            spec: {
                parentRefs: [{ name: "tacos", namespace: "gateway", sectionName: "https" }],
                hostnames: ["argocd.example.com"],
                rules: [
                    {
                        filters: [ref("argocd-source-ranges")],
                        backendRefs: [{ name: "argocd-server", port: 80 }],
                    },
                ],
            },
        };
        const config = {
            metadata: { name: "argocd-source-ranges", namespace: "argocd" },
            spec: { conditions: [{ field: "source-ip", sourceIPConfig: { values: ["198.51.100.0/24"] } }] },
        };
        edit(route, config);
        return [resource(HTTPROUTE, route), resource(RULE_CONFIG, config)];
    };

describeStackCases("security: Argo CD's exposure", [
    {
        policy: argocdNotOpenToInternet,
        good: exposure(),
        bad: [
            {
                why: "a source-ip condition admitting 0.0.0.0/0",
                expect: /HTTPRoute argocd\/argocd-server rule 0 admits 0\.0\.0\.0\/0: Argo CD must answer named source ranges only/,
                resources: exposure((_, c) => c.spec.conditions[0].sourceIPConfig.values.push("0.0.0.0/0")),
            },
            {
                why: "a route rule without the condition",
                expect: /HTTPRoute argocd\/argocd-server rule 0 reaches Argo CD from anywhere/,
                resources: exposure((r) => delete r.spec.rules[0].filters),
            },
            {
                why: "a second rule to the server without the condition",
                expect: /HTTPRoute argocd\/argocd-server rule 1 reaches Argo CD from anywhere/,
                resources: exposure((r) =>
                    r.spec.rules.push({ backendRefs: [{ name: "argocd-server", port: 80 }] }),
                ),
            },
            {
                why: "a condition the stack does not create (another namespace's)",
                expect: /rule 0 reaches Argo CD from anywhere/,
                resources: exposure((_, c) => (c.metadata.namespace = "gateway")),
            },
            {
                why: "a condition covering only some matches",
                expect: /rule 0 reaches Argo CD from anywhere/,
                resources: exposure((_, c) => (c.spec.conditions[0].matchIndexes = [1])),
            },
        ],
    },
]);
