// The npm package as its consumers receive it: `npm pack`; examples/typescript installs the tarball
// (its file: dependency), type-checks and runs under the mocks; Pulumi's component analyser, run
// the way `pulumi package add` runs it, serves schema.json from the unpacked tarball.
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental";
import { expect } from "chai";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { evaluate, RenderResult, ROOT } from "../../tools/render";
import { manifests, ofType } from "../helpers/render";

const npm = (args: string[], cwd: string) => execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

/** The newest modification time under a folder, for the build-freshness check. */
function newest(dir: string, suffix: string): number {
    return fs
        .readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile() && e.name.endsWith(suffix))
        .reduce((t, e) => Math.max(t, fs.statSync(path.join(e.parentPath, e.name)).mtimeMs), 0);
}

describe("npm package: pack, install, consume from another Pulumi program", () => {
    // Inside out/ (ignored by git), so that the example resolves @pulumi/* from this repository's
    // node_modules: the program and the mocks must share one copy of the Pulumi SDK. The consumer
    // sits at examples/typescript below the tarball's folder, as in the repository, so the
    // example's `file:../../karpenter-spark-<version>.tgz` dependency resolves unchanged.
    const work = path.join(ROOT, "out", "package-test");
    const consumer = path.join(work, "examples", "typescript");
    const unpacked = path.join(work, "unpacked", "package");
    let tarball: { filename: string; size: number; unpackedSize: number; files: { path: string }[] };
    let result: RenderResult;

    before(async function () {
        this.timeout(600_000);
        // `npm test` builds dist/ first; rebuild only when someone ran the suite on stale output.
        if (newest(path.join(ROOT, "components"), ".ts") > newest(path.join(ROOT, "dist", "components"), ".js")) {
            npm(["run", "build:lib"], ROOT);
        }
        fs.rmSync(work, { recursive: true, force: true });
        fs.mkdirSync(consumer, { recursive: true });
        // --ignore-scripts: dist/ is current (above); prepare would only build it again.
        [tarball] = JSON.parse(npm(["pack", "--json", "--ignore-scripts", "--pack-destination", work], ROOT));
        for (const f of ["index.ts", "tsconfig.json", "Pulumi.yaml"]) {
            fs.copyFileSync(path.join(ROOT, "examples", "typescript", f), path.join(consumer, f));
        }
        // The example's own package.json, minus the @pulumi/* packages (from this repository, as said above).
        const example = JSON.parse(fs.readFileSync(path.join(ROOT, "examples", "typescript", "package.json"), "utf8"));
        const dependencies = Object.fromEntries(Object.entries<string>(example.dependencies).filter(([name]) => !name.startsWith("@pulumi/")));
        fs.writeFileSync(path.join(consumer, "package.json"), JSON.stringify({ ...example, dependencies, devDependencies: {} }, null, 2));
        // --prefer-offline, not --offline: after `npm ci` npm's cache holds tarballs but not the
        // packuments --offline needs, so a fresh machine would stop with ENOTCACHED; the registry
        // is asked only for the metadata of the package's own dependencies (ajv, @bufbuild/cel, ...).
        // --legacy-peer-deps: the @pulumi/* peers come from this repository, as said above.
        npm(["install", "--prefer-offline", "--legacy-peer-deps", "--no-audit", "--no-fund", "--ignore-scripts"], consumer);
        fs.mkdirSync(unpacked, { recursive: true });
        execFileSync("tar", ["-xzf", path.join(work, tarball.filename), "-C", path.dirname(unpacked)]);
        const entry = path.join(consumer, "index.ts");
        result = await evaluate(
            () => {
                delete require.cache[require.resolve(entry)];
                return require(entry);
            },
            { stack: "example", config: { "aws:region": "eu-west-1" } },
        );
    });

    it("the example depends on the packed tarball, not on a registry version or the sources", () => {
        const example = JSON.parse(fs.readFileSync(path.join(ROOT, "examples", "typescript", "package.json"), "utf8"));
        expect(example.dependencies["karpenter-spark"]).to.equal(`file:../../${tarball.filename}`);
        expect(fs.readFileSync(path.join(ROOT, "examples", "typescript", "index.ts"), "utf8")).to.match(/from "karpenter-spark";/).and.not.match(/from "\.\.?\//);
        const lock = JSON.parse(fs.readFileSync(path.join(consumer, "package-lock.json"), "utf8"));
        expect(lock.packages["node_modules/karpenter-spark"].resolved).to.equal(`file:../../${tarball.filename}`);
    });

    it("type-checks the example against the installed package's declarations", function () {
        this.timeout(600_000);
        const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
        const r = spawnSync(process.execPath, [tsc, "-p", consumer, "--noEmit", "--listFiles"], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
        expect(r.status, r.stdout.split("\n").filter((l) => /error TS/.test(l)).join("\n")).to.equal(0);
        // It really compiled against the package: the installed tarball's declarations, not the sources.
        const files = r.stdout.split("\n");
        expect(files).to.include(path.join(consumer, "node_modules", "karpenter-spark", "dist", "components", "index.d.ts"));
        expect(files.filter((f) => f.startsWith(path.join(ROOT, "components")))).to.deep.equal([]);
    });

    it("ships the library and what Pulumi's component analyser needs, scoped to components/", () => {
        const files = tarball.files.map((f) => f.path);
        expect(files).to.include.members([
            "package.json",
            "dist/components/index.js",
            "dist/components/index.d.ts",
            "dist/components/catalog/instance-catalog.json",
            // The teardown cleanup's local chart, next to the compiled file that resolves it.
            "dist/components/spark/cleanup.js",
            "dist/components/spark/cleanup-chart/Chart.yaml",
            "dist/components/spark/cleanup-chart/values.yaml",
            "dist/components/spark/cleanup-chart/templates/job.yaml",
            "dist/components/spark/cleanup-chart/templates/rolebindings.yaml",
            "dist/components/validation/karpenter-crds.json",
            "dist/components/validation/karpenter-crds.validators.js",
            "index.ts",
            "tsconfig.json",
            "components/index.ts",
            "components/catalog/instance-catalog.json",
            "components/validation/karpenter-crds.json",
            "PulumiPlugin.yaml",
            "schema.json",
            "LICENSE",
            "README.md",
            "CHANGELOG.md",
        ]);
        const outside = files.filter((f) => !/^(dist\/components\/|components\/|index\.ts$|tsconfig\.json$|package\.json$|PulumiPlugin\.yaml$|schema\.json$|LICENSE$|README\.md$|CHANGELOG\.md$)/.test(f));
        expect(outside).to.deep.equal([]);
        const shippedTsconfig = JSON.parse(fs.readFileSync(path.join(unpacked, "tsconfig.json"), "utf8").replace(/^\s*\/\/.*$/gm, ""));
        expect(shippedTsconfig.include).to.deep.equal(["index.ts", "components/**/*.ts"]);
        console.log(`      package: ${tarball.filename}, ${(tarball.size / 1024).toFixed(1)} KiB packed, ${(tarball.unpackedSize / 1024).toFixed(1)} KiB unpacked, ${files.length} files`);
    });

    it("serves schema.json from the unpacked tarball, through Pulumi's own plugin path (require, getPulumiComponents, the analyser)", async function () {
        this.timeout(600_000);
        // What `pulumi package add` runs for a Node.js source plugin (@pulumi/pulumi cmd/run-plugin):
        // require the package folder, collect the exported components, analyse the package's TypeScript.
        const committed = JSON.parse(fs.readFileSync(path.join(ROOT, "schema.json"), "utf8"));
        const components = getPulumiComponents(require(unpacked));
        expect(components.map((c) => `karpenter-spark:index:${c.name}`).sort()).to.deep.equal(Object.keys(committed.resources).sort());
        expect(components.map((c) => c.name)).to.include.members(["KarpenterCluster", "SparkJob", "SparkOperator", "SpotExecutorPool"]);
        const provider = new ComponentProvider({ name: "karpenter-spark", dirname: unpacked, components });
        const served = JSON.parse(await provider.getSchema());
        expect(served).to.deep.equal(committed);
    });

    it("installs with @pulumi/* as peer dependencies, so a program keeps one SDK and one default provider each", () => {
        const installed = JSON.parse(fs.readFileSync(path.join(consumer, "node_modules", "karpenter-spark", "package.json"), "utf8"));
        expect(Object.keys(installed.peerDependencies).sort()).to.deep.equal(["@pulumi/aws", "@pulumi/awsx", "@pulumi/eks", "@pulumi/kubernetes", "@pulumi/pulumi"]);
        expect(Object.keys(installed.dependencies)).to.deep.equal(["@bufbuild/cel", "ajv", "fastest-levenshtein", "semver"]);
        expect(fs.existsSync(path.join(consumer, "node_modules", "@pulumi"))).to.equal(false);
        expect(installed.exports["."]).to.deep.equal({ types: "./dist/components/index.d.ts", default: "./dist/components/index.js" });
    });

    it("runs the example: one cluster, two executor pools with their own settings, the operator", () => {
        const count = (t: string) => ofType(result, t).length;
        expect([count("karpenter-spark:index:KarpenterCluster"), count("karpenter-spark:index:SpotExecutorPool"), count("karpenter-spark:index:SparkOperator")]).to.deep.equal([1, 2, 1]);
        const pools = Object.fromEntries(manifests(result, "NodePool").map((m) => [m.metadata.name, m.spec.template.spec.requirements]));
        expect(Object.keys(pools).sort()).to.deep.equal(["etl-drivers", "etl-executors", "ml-drivers", "ml-executors"]);
        const values = (pool: string, key: string) => pools[pool].find((r: any) => r.key === key).values;
        expect(values("etl-executors", "karpenter.k8s.aws/instance-category")).to.deep.equal(["c"]);
        expect(values("ml-executors", "karpenter.k8s.aws/instance-category")).to.deep.equal(["r", "x"]);
        expect(values("ml-executors", "karpenter.sh/capacity-type")).to.deep.equal(["spot", "on-demand"]);
        expect(manifests(result, "EC2NodeClass").map((m) => [m.metadata.name, m.spec.instanceStorePolicy ?? null]).sort()).to.deep.equal([["etl", null], ["ml", "RAID0"]]);
        expect(manifests(result, "Namespace").map((m) => m.metadata.name).sort()).to.deep.equal(["etl", "ml", "spark-operator"]);
        const [app] = manifests(result, "SparkApplication");
        expect([app.metadata.namespace, app.spec.executor.nodeSelector["karpenter.sh/nodepool"]]).to.deep.equal(["etl", "etl-executors"]);
        expect((result.outputs.mlExecutorPlacement as any).nodeSelector).to.deep.equal({ "karpenter.sh/nodepool": "ml-executors", "karpenter-spark.io/spark-role": "executor" });
        expect(result.outputs.kubeconfig).to.equal("[secret]");
    });

    it("gives the cleanup Release the installed package's chart, by a path relative to the program's folder", () => {
        const [cleanup] = ofType(result, "kubernetes:helm.sh/v3:Release").filter((x) => x.inputs.name === "spark-cleanup");
        const chart = cleanup.inputs.chart as string;
        expect(path.isAbsolute(chart)).to.equal(false);
        expect(path.resolve(chart)).to.equal(path.join(consumer, "node_modules", "karpenter-spark", "dist", "components", "spark", "cleanup-chart"));
        expect(fs.readdirSync(path.resolve(chart)).sort()).to.deep.equal(["Chart.yaml", "templates", "values.yaml"]);
    });
});
