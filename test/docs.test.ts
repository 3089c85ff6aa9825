/** The documentation: every generated page current, every relative link resolving, no reference outside the repository. */
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ADDONS } from "../components/k8s/addons";
import { DOC_STACKS, expectedText, GeneratedPages, generatedPages } from "../tools/docs/pages";
import { REPO_ROOT } from "../tools/harness";
import { architectureMermaid } from "../tools/plan";
import { usePlans } from "./plans";

/** README.md and every Markdown file under docs/, relative to the repository root. */
function markdownFiles(): string[] {
    const walk = (dir: string): string[] =>
        fs.readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
            const file = path.posix.join(dir, entry.name);
            if (entry.isDirectory()) return walk(file);
            return entry.name.endsWith(".md") ? [file] : [];
        });
    return ["README.md", ...walk("docs")];
}

/** Each line of `files` that matches `pattern`, as `file:line: match`. */
function citations(files: string[], pattern: RegExp): string[] {
    return files.flatMap((file) =>
        fs
            .readFileSync(path.join(REPO_ROOT, file), "utf8")
            .split("\n")
            .map((line, i) => ({ line, at: `${file}:${i + 1}` }))
            .filter(({ line }) => pattern.test(line))
            .map(({ line, at }) => `${at}: ${line.match(pattern)![0].trim()}`),
    );
}

/** The targets of a page's Markdown links and images that are paths in the repository (no URL, no bare anchor). */
function relativeLinks(markdown: string): string[] {
    const withoutCode = markdown.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
    return [...withoutCode.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
        .map((m) => m[1])
        .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith("#"))
        .map((target) => decodeURIComponent(target.split("#")[0]));
}

describe("documentation", () => {
    let pages: GeneratedPages;
    const mermaid: Record<string, string> = {};
    const plans = usePlans();
    before(function () {
        pages = generatedPages(plans.dev.report);
        for (const stack of DOC_STACKS) mermaid[stack] = architectureMermaid(plans[stack].run);
    });

    it("holds every generated page as npm run docs writes it today", () => {
        const stale = Object.entries(pages).filter(
            ([file, page]) =>
                !fs.existsSync(path.join(REPO_ROOT, file)) ||
                fs.readFileSync(path.join(REPO_ROOT, file), "utf8") !== expectedText(file, page),
        );
        assert.deepStrictEqual(
            stale.map(([file]) => file),
            [],
            "stale generated pages: run npm run docs",
        );
    });

    it("has one page per add-on and no page of an add-on that is gone", () => {
        const onDisk = fs.readdirSync(path.join(REPO_ROOT, "docs/addons")).sort();
        const expected = [...Object.keys(ADDONS).map((name) => `${name}.md`), "README.md"].sort();
        assert.deepStrictEqual(onDisk, expected);
        assert.deepStrictEqual(
            Object.keys(pages)
                .filter((file) => file.startsWith("docs/addons/"))
                .map((file) => path.basename(file))
                .sort(),
            expected,
        );
    });

    for (const stack of DOC_STACKS) {
        it(`draws the ${stack} stack's architecture from the current program`, () => {
            const page = fs.readFileSync(path.join(REPO_ROOT, `docs/architecture-${stack}.md`), "utf8");
            assert.ok(
                page.includes("```mermaid\n" + mermaid[stack] + "\n```"),
                `docs/architecture-${stack}.md is stale: run npm run docs`,
            );
        });
    }

    it("finds relative links and skips URLs, anchors and code", () => {
        const sample = [
            "[a](docs/a.md) [b](../b/#part) ![c](img/c%20d.png) [web](https://x.test/y) [top](#top)",
            "`[not](a-link.md)`",
            "```sh\n[neither](this.md)\n```",
        ].join("\n");
        assert.deepStrictEqual(relativeLinks(sample), ["docs/a.md", "../b/", "img/c d.png"]);
    });

    it("links only to files and folders that exist, from README.md and every page of docs/", () => {
        const broken = markdownFiles().flatMap((file) =>
            relativeLinks(fs.readFileSync(path.join(REPO_ROOT, file), "utf8"))
                .filter((target) => !fs.existsSync(path.join(REPO_ROOT, path.dirname(file), target)))
                .map((target) => `${file} -> ${target}`),
        );
        assert.deepStrictEqual(broken, []);
    });

    it("cites no requirement id, issue number or document outside the repository", () => {
        const outside =
            /\bFR-\d+|\bconstitution\b|SERVICES\.md|DESIGN\.md|\.\.\/shared\b|\bissue #?\d+|(^|\s)#\d+\b/i;
        assert.deepStrictEqual(citations(markdownFiles(), outside), []);
    });

    it("has code, tests, charts and stack files that cite no tracker number or document outside the repository", () => {
        // Upstream sources may name their own pull requests ("release-builder #2367"); ours are never named.
        const ours = /\bFR-\d+|\bconstitution\b|SERVICES\.md|DESIGN\.md|\.\.\/shared\b|\bissue #?\d+/i;
        const files = execFileSync("git", ["ls-files", "*.ts", "*.mjs", "*.js", "*.yaml", "*.yml", "*.tpl"], {
            cwd: REPO_ROOT,
            encoding: "utf8",
        })
            .split("\n")
            .filter((f) => f && f !== "test/docs.test.ts");
        assert.deepStrictEqual(citations(files, ours), []);
    });
});
