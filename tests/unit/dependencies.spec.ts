// Dependencies flow one way: tools -> stacks -> components. The library (components/) is what other
// projects install, so it may not reach into the program's config (stacks/), the CLIs (tools/) or the
// estimator (cost/); the estimator may not depend on the CLIs. This reads every import of every
// TypeScript file and fails on one that runs the wrong way.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "../../tools/stackFiles";

/** Top-level folder -> the project folders its files may import from (besides themselves and packages). */
const ALLOWED: Record<string, string[]> = {
    components: [],
    stacks: ["components"],
    cost: ["components"],
    policy: ["stacks", "components"],
    tools: ["stacks", "components", "cost", "policy", "."],
    bench: ["tools", "stacks", "components", "cost", "policy"],
    ".": ["stacks", "components"],
};

const IMPORT = /(?:^|\s)(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|(?:require|import)\(\s*["']([^"']+)["']\s*\)/g;

/** The relative imports of a source file, as paths relative to the repository root. */
export function importsOf(file: string): string[] {
    const text = fs.readFileSync(file, "utf8");
    const out: string[] = [];
    for (const m of text.matchAll(IMPORT)) {
        const spec = m[1] ?? m[2];
        if (spec.startsWith(".")) {
            out.push(path.relative(ROOT, path.resolve(path.dirname(file), spec)));
        }
    }
    return out;
}

/** The top-level folder of a repository path ("." for files at the root). */
function topOf(rel: string): string {
    const first = rel.split(path.sep)[0];
    return fs.existsSync(path.join(ROOT, first)) && fs.statSync(path.join(ROOT, first)).isDirectory() ? first : ".";
}

function sources(): string[] {
    const files = fs.readdirSync(ROOT).filter((f) => f.endsWith(".ts")).map((f) => path.join(ROOT, f));
    for (const dir of Object.keys(ALLOWED).filter((d) => d !== ".")) {
        for (const f of fs.readdirSync(path.join(ROOT, dir), { recursive: true }).map(String)) {
            if (f.endsWith(".ts") && !f.endsWith(".d.ts")) {
                files.push(path.join(ROOT, dir, f));
            }
        }
    }
    return files;
}

describe("dependency direction: tools -> stacks -> components; cost only on components, policy on stacks and components", () => {
    it("finds the imports it checks (the scanner sees relative imports, dynamic ones and re-exports)", () => {
        const fixture = path.join(ROOT, "components", "index.ts");
        expect(importsOf(fixture)).to.include(path.join("components", "pools", "placement"));
        expect(importsOf(path.join(ROOT, "tools", "estimate.ts"))).to.include(path.join("tools", "render"));
    });

    it("no file imports against the direction", () => {
        const wrong: string[] = [];
        for (const file of sources()) {
            const from = topOf(path.relative(ROOT, file));
            for (const target of importsOf(file)) {
                const to = topOf(target);
                if (to !== from && !ALLOWED[from].includes(to)) {
                    wrong.push(`${path.relative(ROOT, file)} imports ${target} (${from}/ may import from ${ALLOWED[from].join(", ") || "nothing outside itself"})`);
                }
            }
        }
        expect(wrong).to.deep.equal([]);
    });

    it("the library's entry point exports nothing from the program's config", () => {
        const index = fs.readFileSync(path.join(ROOT, "components", "index.ts"), "utf8");
        expect(index).to.not.match(/stacks\//);
    });
});
