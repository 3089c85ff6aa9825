/**
 * The parse of helm's rendered output: the plan reads every service's objects through it, so it
 * must read exactly what the `yaml` library (the one the rest of the repository uses) reads.
 */
import * as assert from "assert";
import * as YAML from "yaml";
import { SERVICE_NAMES } from "../vocabulary/platform";
import { parseObjects, template } from "../tools/helm";
import { serviceValuesOf, useStackRuns } from "./stacks";

/** The `yaml` library's objects of a multi-document stream. */
const yamlObjects = (text: string): unknown[] =>
    YAML.parseAllDocuments(text)
        .map((doc) => doc.toJS())
        .filter((o) => o !== null && typeof o === "object");

describe("helm output parse", () => {
    const runs = useStackRuns();

    it("reads each prod service's rendered chart as the yaml library does", () => {
        for (const service of SERVICE_NAMES) {
            const rendered = template(service, "prod", serviceValuesOf(runs.prod, service));
            assert.ok(rendered.ok, rendered.stderr);
            const objects = parseObjects(rendered.stdout);
            assert.ok(objects.length > 3, `${service}: ${objects.length} objects`);
            assert.deepStrictEqual(objects, yamlObjects(rendered.stdout), service);
        }
    });

    it("keeps YAML 1.1 lookalikes, dates, merge keys and repeated keys as the yaml library reads them", () => {
        const text = [
            "---",
            "a: on",
            "b: yes",
            "c: 2026-12-07",
            "d: 0o17",
            "e: 1e3",
            "f: ~",
            "g: &x { h: 1 }",
            "i: { <<: *x, j: 2 }",
            "---",
            "# a comment-only document",
            "---",
            "k: '010'",
            "k: 11",
        ].join("\n");
        const objects = parseObjects(text);
        assert.deepStrictEqual(objects, yamlObjects(text));
        assert.deepStrictEqual(objects[0], {
            a: "on",
            b: "yes",
            c: "2026-12-07",
            d: 15,
            e: 1000,
            f: null,
            g: { h: 1 },
            i: { "<<": { h: 1 }, j: 2 },
        });
        assert.deepStrictEqual(objects[1], { k: 11 }, "a repeated key keeps its last value");
        assert.strictEqual(objects.length, 2);
    });

    it("refuses output that is not YAML, naming the problem", () => {
        assert.throws(
            () => parseObjects("a: [1, 2\nb: 3\n"),
            /unexpected end|flow collection|end of the stream/i,
        );
    });
});
