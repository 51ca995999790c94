// The command-line tools as a user runs them, given bad input: each case spawns the tool (as
// `npm run <tool>` does: ts-node, transpile-only) and asserts exit code 2, one `error:` line per
// problem naming it, no stack trace, and that nothing was written or deleted.
import { expect } from "chai";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { OUT_MARKER, OutputDir, UserError } from "../../tools/cli";
import { ROOT } from "../../tools/stackFiles";

interface Case {
    what: string;
    tool: string;
    /** Arguments; "$T" is replaced by the case's own temporary folder. */
    args: string[];
    /** Files to create in the temporary folder first. */
    files?: Record<string, string>;
    /** One pattern per expected stderr line, in order. */
    lines: RegExp[];
}

const stackFile = (extra: string) => `config:\n  aws:region: us-west-2\n${extra}`;

const CASES: Case[] = [
    // The benchmarks share the command-line layer (tool paths are relative to tools/).
    { what: "a benchmark run count below 1", tool: "../bench/plan", args: ["--runs", "0"], lines: [/^error: option '--runs <n>' argument '0' is invalid\. got "0"; allowed: a whole number of at least 1$/] },
    { what: "a benchmark run count that is not a number", tool: "../bench/timings", args: ["--runs", "three"], lines: [/^error: option '--runs <n>' argument 'three' is invalid\. got "three"; allowed: a whole number of at least 1$/] },
    { what: "a misspelt benchmark flag", tool: "../bench/costs", args: ["--jsn"], lines: [/^error: unknown option '--jsn'; did you mean --json\?$/] },
    { what: "an unknown benchmark flag", tool: "../bench/validation", args: ["--bogus"], lines: [/^error: unknown option '--bogus'$/] },
    // Arguments and flags.
    { what: "an unknown flag near a known one", tool: "render", args: ["dev", "--outt", "$T/out"], lines: [/^error: unknown option '--outt'; did you mean --out\?$/] },
    { what: "an unknown flag", tool: "render", args: ["dev", "--frobnicate"], lines: [/^error: unknown option '--frobnicate'$/] },
    { what: "a flag without its value", tool: "render", args: ["dev", "--out"], lines: [/^error: option '--out <dir>' argument missing$/] },
    { what: "--config-file without its value", tool: "render", args: ["dev", "--out", "$T/out", "--config-file"], lines: [/^error: option '--config-file <file>' argument missing$/] },
    { what: "no stack", tool: "render", args: [], lines: [/^error: missing required argument 'stack'$/] },
    { what: "two stacks", tool: "render", args: ["dev", "prod", "--out", "$T/out"], lines: [/^error: too many arguments/] },
    // Stack names.
    { what: "a misspelt stack", tool: "render", args: ["prd", "--out", "$T/out"], lines: [/^error: unknown stack "prd" \(no Pulumi.prd.yaml\); did you mean "prod"\? available stacks: dev, prod$/] },
    { what: "a stack that does not exist", tool: "render", args: ["staging", "--out", "$T/out"], lines: [/^error: unknown stack "staging" \(no Pulumi.staging.yaml\) available stacks: dev, prod$/] },
    { what: "a stack name with a path", tool: "render", args: ["../../etc/passwd", "--out", "$T/out"], lines: [/^error: invalid stack name "..\/..\/etc\/passwd": give the stack's own name/] },
    { what: "a qualified stack name", tool: "render", args: ["acme/karpenter-spark/dev", "--out", "$T/out"], lines: [/^error: invalid stack name "acme\/karpenter-spark\/dev": give the stack's own name/] },
    { what: "a stack name with a shell character", tool: "render", args: ["dev;rm", "--out", "$T/out"], lines: [/^error: invalid stack name "dev;rm": Pulumi stack names are 1 to 100 letters/] },
    { what: "the stack name ..", tool: "render", args: ["..", "--out", "$T/out"], lines: [/^error: invalid stack name "..": Pulumi stack names/] },
    { what: "a 101-character stack name", tool: "render", args: ["s".repeat(101), "--out", "$T/out"], lines: [/^error: invalid stack name "s{101}": Pulumi stack names are 1 to 100/] },
    // Files the user names.
    { what: "an output folder render did not create", tool: "render", args: ["dev", "--out", "$T/mine"], files: { "mine/notes.txt": "keep me" }, lines: [/^error: output folder .*mine exists and was not written by render \(no \.karpenter-spark-output\.json\); give --out a new folder/] },
    { what: "an output folder that is a file", tool: "render", args: ["dev", "--out", "$T/file"], files: { file: "x" }, lines: [/^error: output folder .*file exists and is a file/] },
    { what: "a --deployed file that does not exist", tool: "render", args: ["dev", "--out", "$T/out", "--deployed", "$T/nope.json"], lines: [/^error: --deployed file .*nope.json does not exist$/] },
    { what: "a --deployed file that is not JSON", tool: "render", args: ["dev", "--out", "$T/out", "--deployed", "$T/d.json"], files: { "d.json": "{karpenterVersion: 1" }, lines: [/^error: --deployed file .*d.json is not valid JSON: /] },
    { what: "a --config-file that does not exist", tool: "render", args: ["dev", "--out", "$T/out", "--config-file", "$T/Pulumi.x.yaml"], lines: [/^error: unknown stack "dev": .*Pulumi.x.yaml does not exist/] },
    { what: "a --config-file that is a folder", tool: "render", args: ["dev", "--out", "$T/out", "--config-file", "$T"], lines: [/^error: stack file .* is not a file$/] },
    // Stack files: every problem with file:line:column.
    { what: "a YAML syntax error", tool: "render", args: ["dev", "--out", "$T/out", "--config-file", "$T/s.yaml"], files: { "s.yaml": "config:\n  aws:region: [us-west-2\n" }, lines: [/^error: .*s\.yaml:\d+:\d+: YAML syntax: /] },
    { what: "a duplicate key", tool: "render", args: ["dev", "--out", "$T/out", "--config-file", "$T/s.yaml"], files: { "s.yaml": stackFile("  karpenter-spark:systemNodeCount: 2\n  karpenter-spark:systemNodeCount: 3\n") }, lines: [/^error: .*s\.yaml:4:3: duplicate key/] },
    { what: "a misspelt namespace", tool: "render", args: ["dev", "--out", "$T/out", "--config-file", "$T/s.yaml"], files: { "s.yaml": stackFile("  karpenter-spak:executorCpuLimit: 100\n") }, lines: [/^error: .*s\.yaml:3:3: unknown config namespace "karpenter-spak" in "karpenter-spak:executorCpuLimit"; did you mean "karpenter-spark:executorCpuLimit"\?$/] },
    { what: "a misspelt key", tool: "render", args: ["dev", "--out", "$T/out", "--config-file", "$T/s.yaml"], files: { "s.yaml": stackFile("  karpenter-spark:executorCpuLimt: 100\n") }, lines: [/^error: .*s\.yaml:3:3: unknown config key "karpenter-spark:executorCpuLimt"; did you mean "karpenter-spark:executorCpuLimit"\?$/] },
    { what: "a key without a namespace", tool: "render", args: ["dev", "--out", "$T/out", "--config-file", "$T/s.yaml"], files: { "s.yaml": stackFile("  systemNodeCount: 2\n") }, lines: [/^error: .*s\.yaml:3:3: config key "systemNodeCount" has no namespace .*did you mean "karpenter-spark:systemNodeCount"\?$/] },
    { what: "a number as a word", tool: "render", args: ["dev", "--out", "$T/out", "--config-file", "$T/s.yaml"], files: { "s.yaml": stackFile("  karpenter-spark:systemNodeCount: three\n") }, lines: [/^error: .*s\.yaml:3:3: invalid karpenter-spark:systemNodeCount: got "three"; allowed: a whole number from 1 to 20$/] },
    { what: "a list where a boolean belongs", tool: "render", args: ["dev", "--out", "$T/out", "--config-file", "$T/s.yaml"], files: { "s.yaml": stackFile("  karpenter-spark:deployExampleJob: [true]\n") }, lines: [/^error: .*s\.yaml:3:3: invalid karpenter-spark:deployExampleJob: got "\[true\]"; allowed: true or false$/] },
    { what: "a stack file that is a list", tool: "render", args: ["dev", "--out", "$T/out", "--config-file", "$T/s.yaml"], files: { "s.yaml": "- aws:region\n" }, lines: [/^error: .*s\.yaml:1:1: a stack file is a mapping with a "config:" section$/] },
    { what: "a stack file without config", tool: "render", args: ["dev", "--out", "$T/out", "--config-file", "$T/s.yaml"], files: { "s.yaml": "encryptionsalt: abc\n" }, lines: [/^error: .*s\.yaml:1:1: no "config:" section/] },
    { what: "no region", tool: "render", args: ["dev", "--out", "$T/out", "--config-file", "$T/s.yaml"], files: { "s.yaml": "config:\n  karpenter-spark:systemNodeCount: 2\n" }, lines: [/^error: .*s\.yaml:2:3: invalid aws:region: got nothing; allowed: an AWS region name/] },
    {
        what: "four problems at once",
        tool: "render",
        args: ["dev", "--out", "$T/out", "--config-file", "$T/s.yaml"],
        files: { "s.yaml": "config:\n  aws:region: mars\n  karpenter-spak:x: 1\n  karpenter-spark:executorCpuLimit: -5\n  karpenter-spark:natGateways: Double\n" },
        lines: [
            /^error: .*s\.yaml:3:3: unknown config namespace "karpenter-spak"/,
            /^error: .*s\.yaml:2:3: invalid aws:region: got "mars"/,
            /^error: .*s\.yaml:5:3: invalid karpenter-spark:natGateways: got "Double"; allowed: "Single", "OnePerAz"$/,
            /^error: .*s\.yaml:4:3: invalid karpenter-spark:executorCpuLimit: got -5; allowed: a whole number greater than 0/,
        ],
    },
    {
        what: "a bad stack file and an output folder that is not render's",
        tool: "render",
        args: ["dev", "--out", "$T/mine", "--config-file", "$T/s.yaml"],
        files: { "s.yaml": stackFile("  karpenter-spark:karpenterReplicas: 3\n  karpenter-spark:systemNodeCount: 2\n"), "mine/a.txt": "a" },
        lines: [/^error: .*s\.yaml:3:3: invalid karpenter-spark:karpenterReplicas: got 3; allowed: at most systemNodeCount \(2\)/, /^error: output folder .*mine exists and was not written by render/],
    },
    // The other tools share the same layer.
    { what: "an unknown flag", tool: "schema", args: ["--ouput", "x"], lines: [/^error: unknown option '--ouput'$/] },
    { what: "an argument it does not take", tool: "pulumiYaml", args: ["dev"], lines: [/^error: too many arguments. Expected 0 arguments but got 1.$/] },
    { what: "a misspelt stack", tool: "estimate", args: ["prd"], lines: [/^error: unknown stack "prd" \(no Pulumi.prd.yaml\); did you mean "prod"\?/] },
    { what: "a misspelt flag", tool: "blastRadius", args: ["dev", "--fail-on-replce"], lines: [/^error: unknown option '--fail-on-replce'; did you mean --fail-on-replace\?$/] },
    { what: "--set without its value", tool: "plan", args: ["dev", "--set"], lines: [/^error: option '--set <key=value>' argument missing$/] },
    { what: "a stack with swapped letters", tool: "policy", args: ["pord"], lines: [/^error: unknown stack "pord" \(no Pulumi.pord.yaml\); did you mean "prod"\? available stacks: dev, prod$/] },
    { what: "a flag it does not have", tool: "buildCatalog", args: ["--fixtures", "$T"], lines: [/^error: unknown option '--fixtures'$/] },
];

/** Every file under `dir` with its content, to prove a failed run changed nothing. */
function snapshot(dir: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
        const p = path.join(e.parentPath, e.name);
        out[path.relative(dir, p)] = e.isFile() ? fs.readFileSync(p, "utf8") : "<dir>";
    }
    return out;
}

function run(tool: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(ROOT, "tools", `${tool}.ts`), ...args], {
            cwd: ROOT,
            env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" },
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("error", reject);
        child.on("close", (status) => resolve({ status, stdout, stderr }));
    });
}

/** Runs `items` through `f`, `limit` at a time (two cores, shared with the other spec files). */
async function pool<T, R>(items: T[], limit: number, f: (t: T) => Promise<R>): Promise<R[]> {
    const results: R[] = new Array(items.length);
    let next = 0;
    await Promise.all(
        Array.from({ length: limit }, async () => {
            while (next < items.length) {
                const i = next++;
                results[i] = await f(items[i]);
            }
        }),
    );
    return results;
}

describe("CLI bad input: exit 2, one line per problem, no stack trace, nothing written or deleted", function () {
    // ~1.5 s of CPU per spawned tool; generous for a machine shared with other work.
    this.timeout(900_000);
    const base = fs.mkdtempSync(path.join(os.tmpdir(), "cli-bad-"));
    // The cases that name no --out would write to the default, out/<stack>.
    const devOut = path.join(ROOT, "out", "dev");
    const devState = () => (fs.existsSync(devOut) ? snapshot(devOut) : {});
    let results: { status: number | null; stdout: string; stderr: string; before: Record<string, string>; after: Record<string, string> }[];
    let devBefore: Record<string, string>;

    before(async () => {
        devBefore = devState();
        results = await pool(CASES, 3, async (c) => {
            const dir = fs.mkdtempSync(path.join(base, "case-"));
            for (const [rel, content] of Object.entries(c.files ?? {})) {
                fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
                fs.writeFileSync(path.join(dir, rel), content);
            }
            const before = snapshot(dir);
            const r = await run(c.tool, c.args.map((a) => a.replace("$T", dir)));
            return { ...r, before, after: snapshot(dir) };
        });
    });
    after(() => fs.rmSync(base, { recursive: true, force: true }));

    it("has at least 25 cases, each with its own message", () => {
        expect(CASES.length).to.be.at.least(25);
        const first = CASES.map((c) => c.lines[0].source);
        expect(new Set(first).size).to.equal(first.length);
    });

    CASES.forEach((c, i) => {
        it(`${c.tool}: ${c.what}`, () => {
            const r = results[i];
            const lines = r.stderr.split("\n").filter((l) => l !== "");
            expect(r.status, r.stderr).to.equal(2);
            expect(lines.length, r.stderr).to.equal(c.lines.length);
            c.lines.forEach((re, j) => expect(lines[j]).to.match(re));
            expect(r.stderr).to.not.match(/^\s+at /m);
            expect(r.stdout).to.equal("");
            expect(r.after, "the tool changed files").to.deep.equal(r.before);
        });
    });

    it("wrote nothing into the repository's out/", () => {
        expect(devState()).to.deep.equal(devBefore);
        for (const stack of ["prd", "staging", "s".repeat(101), "mine"]) {
            expect(fs.existsSync(path.join(ROOT, "out", stack)), stack).to.equal(false);
        }
    });

    it("--help on every benchmark exits 0 and lists its options", async () => {
        for (const [bench, flags] of [
            ["costs", ["--json"]],
            ["plan", ["--runs", "--json"]],
            ["timings", ["--runs", "--skip-tests", "--json"]],
            ["validation", ["--runs", "--baseline"]],
        ] as const) {
            const r = await run(`../bench/${bench}`, ["--help"]);
            expect(r.status, bench).to.equal(0);
            for (const flag of flags) {
                expect(r.stdout, bench).to.include(flag);
            }
            expect(r.stdout, bench).to.not.include("--child");
        }
    });

    it("--help on render exits 0 and lists every option", async () => {
        const r = await run("render", ["--help"]);
        expect(r.status).to.equal(0);
        for (const flag of ["--config-file", "--deployed", "--out", "--quiet", "--debug"]) {
            expect(r.stdout).to.include(flag);
        }
    });
});

describe("OutputDir: a tool overwrites only what it wrote", () => {
    const dir = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), "outdir-")), "out");

    it("creates the folder with a marker listing its files, and a rerun replaces only those", () => {
        const d = dir();
        const first = new OutputDir(d, "render");
        first.begin();
        first.write("a.json", "1");
        first.write("manifests/m.yaml", "m");
        expect(JSON.parse(fs.readFileSync(path.join(d, OUT_MARKER), "utf8"))).to.deep.equal({ tool: "render", files: ["a.json", path.join("manifests", "m.yaml")] });
        fs.writeFileSync(path.join(d, "mine.txt"), "user's");
        fs.writeFileSync(path.join(d, "manifests", "mine.yaml"), "user's");
        const second = new OutputDir(d, "render");
        second.begin();
        second.write("b.json", "2");
        expect(fs.readdirSync(d, { recursive: true }).map(String).sort()).to.deep.equal([OUT_MARKER, "b.json", "manifests", path.join("manifests", "mine.yaml"), "mine.txt"].sort());
    });

    it("refuses a folder another tool wrote, and ignores marker entries outside the folder", () => {
        const d = dir();
        fs.mkdirSync(d);
        fs.writeFileSync(path.join(d, OUT_MARKER), JSON.stringify({ tool: "estimate", files: [] }));
        expect(() => new OutputDir(d, "render")).to.throw(UserError, /not written by render/);
        const outside = path.join(path.dirname(d), "outside.txt");
        fs.writeFileSync(outside, "keep");
        fs.writeFileSync(path.join(d, OUT_MARKER), JSON.stringify({ tool: "render", files: ["../outside.txt"] }));
        new OutputDir(d, "render").begin();
        expect(fs.readFileSync(outside, "utf8")).to.equal("keep");
    });
});
