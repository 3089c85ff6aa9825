/** The linter holds the layers' import directions (each wrong one refused, each allowed one accepted) and the file sizes. */
import * as assert from "assert";
import { ESLint } from "eslint";
import * as path from "path";
import { CASES } from "./lint-cases";

const eslint = new ESLint({ cwd: path.join(__dirname, "..") });

/** The rules that hold the layer directions. */
const DIRECTION_RULES = ["tacos/zones", "@typescript-eslint/no-require-imports", "no-restricted-syntax"];

/** The messages of those rules ESLint reports for `source` as if it were the file at `filePath`. */
async function refusals(source: string, filePath: string): Promise<string[]> {
    const [result] = await eslint.lintText(source, { filePath });
    return result.messages.filter((m) => DIRECTION_RULES.includes(m.ruleId ?? "")).map((m) => m.message);
}

describe("lint: layer directions", () => {
    for (const c of CASES) {
        const imported = /from "([^"]+)"/.exec(c.source)?.[1];
        it(`${c.refused ? "refuses" : "allows"} ${imported} from ${c.from}`, async () => {
            const found = await refusals(c.source, c.from);
            if (c.refused) {
                assert.ok(
                    found.some((m) => c.refused!.test(m)),
                    `expected a refusal matching ${c.refused}, got ${JSON.stringify(found)}`,
                );
            } else {
                assert.deepStrictEqual(found, []);
            }
        });
    }
});

describe("lint: file sizes", () => {
    /** The max-lines findings ESLint reports for a file of `lines` short statements at `filePath`. */
    async function sizeFindings(lines: number, filePath: string): Promise<string[]> {
        const source =
            Array.from({ length: lines }, (_, i) => `export const x${i} = ${i};`).join("\n") + "\n";
        const [result] = await eslint.lintText(source, { filePath });
        return result.messages.filter((m) => m.ruleId === "max-lines").map((m) => m.message);
    }

    it("refuses a source file over 300 lines and accepts one of 300", async () => {
        assert.match((await sizeFindings(301, "components/aws/fixture.ts")).join(), /Maximum allowed is 300/);
        assert.deepStrictEqual(await sizeFindings(300, "components/aws/fixture.ts"), []);
        assert.match((await sizeFindings(301, "test/fixture.test.ts")).join(), /Maximum allowed is 300/);
    });

    it("holds the composition root to 160 lines", async () => {
        assert.match((await sizeFindings(161, "index.ts")).join(), /Maximum allowed is 160/);
        assert.deepStrictEqual(await sizeFindings(160, "index.ts"), []);
    });
});
