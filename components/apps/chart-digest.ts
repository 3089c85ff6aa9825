/** A digest of a chart directory's files, so that a Helm release sees a change to any of them. */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";

/**
 * The SHA-256 of every file under `chartDir` (templates, values files, schema, Chart.yaml), each
 * by its path relative to the directory and its bytes, in path order: `sha256:<hex>`.
 */
export function chartDigest(chartDir: string): string {
    const hash = createHash("sha256");
    const files = fs
        .readdirSync(chartDir, { recursive: true, encoding: "utf8" })
        .filter((file) => fs.statSync(path.join(chartDir, file)).isFile())
        .map((file) => file.split(path.sep).join("/"))
        .sort();
    for (const file of files) {
        hash.update(`${file}\0`)
            .update(fs.readFileSync(path.join(chartDir, file)))
            .update("\0");
    }
    return `sha256:${hash.digest("hex")}`;
}
