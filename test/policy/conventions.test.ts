/** The pack as a whole: names, descriptions, groups, and a tested case for every rule. */
import * as assert from "assert";
import { ALL_POLICIES, POLICY_GROUPS } from "../../policy/policies";
import { TESTED_POLICIES } from "./cases";
import "./finops.test";
import "./performance-capacity.test";
import "./performance-latency.test";
import "./performance-releases.test";
import "./performance-workloads.test";
import "./performance-zone-loss.test";
import "./security-argocd.test";
import "./security-mesh-nodes.test";
import "./security-aws-eks.test";
import "./security-aws.test";
import "./security-kubernetes.test";
import "./security-workloads.test";

describe("policy pack conventions", () => {
    it("names every rule in kebab-case, once, and describes it with 'Checks whether'", () => {
        const names = ALL_POLICIES.map((p) => p.name);
        assert.deepStrictEqual([...new Set(names)], names, "unique names");
        for (const p of ALL_POLICIES) {
            assert.match(p.name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
            assert.match(p.description, /^Checks whether /);
        }
    });

    it("groups every rule as security, finops or performance", () => {
        assert.deepStrictEqual(Object.keys(POLICY_GROUPS), ["security", "finops", "performance"]);
        assert.strictEqual(Object.values(POLICY_GROUPS).flat().length, ALL_POLICIES.length);
    });

    it("has a tested case for every rule", () => {
        assert.deepStrictEqual(
            ALL_POLICIES.map((p) => p.name).filter((n) => !TESTED_POLICIES.has(n)),
            [],
        );
    });
});
