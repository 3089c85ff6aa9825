// Prints the stack config reference (Markdown) generated from the schema; with --write, replaces
// the block between the config-reference markers in README.md.
import * as fs from "fs";
import * as path from "path";
import { configReference, replaceReferenceBlock } from "../components/config/reference";

if (process.argv.includes("--write")) {
    const readme = path.join(__dirname, "..", "README.md");
    fs.writeFileSync(readme, replaceReferenceBlock(fs.readFileSync(readme, "utf8"), configReference()));
    console.log("README.md config reference updated");
} else {
    console.log(configReference());
}
