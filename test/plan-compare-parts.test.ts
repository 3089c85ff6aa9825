/** The plan comparison's pure parts: the cost limits it reads from the stack file. */
import * as assert from "assert";
import { problemsAfter } from "./config-problems";

describe("tacos:pullRequest in the stack file", () => {
    it("refuses a stack without cost limits, and each bad limit, naming every field in one error", () => {
        assert.deepStrictEqual(
            problemsAfter((c) => delete c["tacos:pullRequest"]),
            ["pullRequest is required"],
        );
        assert.deepStrictEqual(
            problemsAfter(
                (c) =>
                    (c["tacos:pullRequest"] = {
                        costIncreaseLimitUsd: { minimumScale: -1, maximumScale: "100", cap: 5 },
                    }),
            ),
            [
                "pullRequest.costIncreaseLimitUsd.minimumScale must be >= 0",
                "pullRequest.costIncreaseLimitUsd.maximumScale must be of type number",
                "pullRequest.costIncreaseLimitUsd.targetLoad is required",
                "pullRequest.costIncreaseLimitUsd.cap is not a known setting",
            ],
        );
    });
});
