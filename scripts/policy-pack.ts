// npm run policy:pack [-- <dir>] : the policy pack staged as a folder of its own (default .build/policy-pack),
// ready for `cd <dir> && npm ci && pulumi policy publish <org>`. Exits 2 on any error.
import * as path from "path";
import { stagePolicyPack } from "../tools/policy-pack";
import { REPO_ROOT } from "../tools/stack-files";

try {
    const dir = path.resolve(process.argv[2] ?? path.join(REPO_ROOT, ".build", "policy-pack"));
    stagePolicyPack(dir);
    console.log(`policy pack staged in ${path.relative(process.cwd(), dir) || "."}`);
} catch (e) {
    console.error(`policy:pack: ${(e as Error).message}`);
    process.exit(2);
}
