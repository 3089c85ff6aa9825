/** npm run hash-password: a bcrypt hash of the password on standard input, as the stack's secret takes it. */
import * as assert from "assert";
import bcrypt from "bcryptjs";
import { spawnSync } from "child_process";
import * as path from "path";
import { secretConfigSchema } from "../components/config/secrets";
import { REPO_ROOT } from "../tools/harness";

const hashPassword = (input: string) =>
    spawnSync(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "scripts", "hash-password.ts")], {
        input,
        encoding: "utf8",
        cwd: REPO_ROOT,
    });

describe("npm run hash-password", function () {
    this.timeout(60000);

    it("prints a bcrypt hash of the password (its newline dropped) that the config accepts", () => {
        const result = hashPassword("correct horse battery staple\n");
        assert.strictEqual(result.status, 0, result.stderr);
        assert.match(result.stdout, /^\$2[aby]\$12\$[./A-Za-z0-9]{53}$/);
        assert.ok(bcrypt.compareSync("correct horse battery staple", result.stdout));
        assert.ok(!bcrypt.compareSync("correct horse battery staple\n", result.stdout));
        assert.ok(secretConfigSchema.shape.argocdAdminPasswordHash.safeParse(result.stdout).success);
    });

    it("refuses an empty standard input", () => {
        const result = hashPassword("");
        assert.strictEqual(result.status, 2);
        assert.match(result.stderr, /no password on standard input/);
    });
});
