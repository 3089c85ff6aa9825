/** The layers' import directions, as the linter holds them: each wrong direction is refused. */
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
