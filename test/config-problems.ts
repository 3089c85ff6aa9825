/** Stack config rejections: the problems a parse of the dev stack file reports after an edit. */
import * as assert from "assert";
import { ConfigError, parseStackConfig } from "../components/config";
import { parserInput, readStackConfig, withTestSecrets } from "../tools/harness";

/** One bad edit of the dev stack file and the start of the problem that must name it. */
export interface RejectionCase {
    name: string;
    edit: (c: Record<string, any>) => void;
    expect: string;
}

/** Parses the dev stack file after `edit`, returning the problems (none when valid). */
export function problemsAfter(edit: (config: Record<string, any>) => void): string[] {
    const config = structuredClone(withTestSecrets(readStackConfig("dev"))) as Record<string, any>;
    edit(config);
    try {
        parseStackConfig("dev", parserInput(config));
        return [];
    } catch (e) {
        assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${e}`);
        return e.problems;
    }
}

/** Registers a test per case: the parse must report a problem starting with the case's `expect`. */
export function itRejects(cases: RejectionCase[]): void {
    for (const { name, edit, expect } of cases) {
        it(`rejects ${name}, naming the field`, () => {
            const problems = problemsAfter(edit);
            assert.ok(
                problems.some((p) => p.startsWith(expect)),
                `expected a problem starting "${expect}", got:\n${problems.join("\n")}`,
            );
        });
    }
}
