/**
 * The field types of the tacos-service chart's values at the edges of what Kubernetes accepts:
 * label keys and values (the Kubernetes documentation, "Labels and Selectors: Syntax and
 * character set") and IPv4 CIDR blocks.
 */
import * as assert from "assert";
import type { z } from "zod";
import { cidr, labelKey, labelValue } from "../vocabulary/chart-values-fields";

const name63 = `a${"b".repeat(61)}c`;
const prefix253 = `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(61)}`;

const cases: { field: string; schema: z.ZodType; accepts: string[]; refuses: string[] }[] = [
    {
        field: "label key",
        schema: labelKey,
        accepts: [
            "a",
            "tacos.io/cost-center",
            "app.kubernetes.io/name",
            "A.b_c-D9",
            name63,
            `${prefix253}/x`,
        ],
        refuses: [
            "",
            "bad key!",
            `${name63}d`,
            `${prefix253}e/x`,
            "Tacos.io/team",
            "/team",
            "tacos.io/",
            "a/b/c",
            "-team",
            "team_",
            "tacos..io/team",
        ],
    },
    {
        field: "label value",
        schema: labelValue,
        accepts: ["", "v1", "v1.2.3-beta_4", "0a1b2c3", name63],
        refuses: ["v1 beta", `${name63}d`, "-v1", "v1.", "a/b", "é"],
    },
    {
        field: "CIDR",
        schema: cidr,
        accepts: ["0.0.0.0/0", "10.0.0.0/8", "172.20.0.0/16", "255.255.255.255/32", "192.168.1.0/24"],
        refuses: [
            "999.999.0.0/99",
            "256.0.0.0/8",
            "10.0.0.0/33",
            "10.0.0/8",
            "01.0.0.0/8",
            "10.0.0.0/08",
            "10.0.0.0",
        ],
    },
];

describe("tacos-service values field types", () => {
    for (const c of cases) {
        it(`a ${c.field} is what Kubernetes accepts`, () => {
            assert.deepStrictEqual(
                c.accepts.filter((v) => !c.schema.safeParse(v).success),
                [],
                "refused but valid",
            );
            assert.deepStrictEqual(
                c.refuses.filter((v) => c.schema.safeParse(v).success),
                [],
                "accepted but invalid",
            );
        });
    }
});
