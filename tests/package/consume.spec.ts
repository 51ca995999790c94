// The npm package as another Pulumi project uses it: `npm pack`, install the tarball (from npm's cache where it can) into
// a copy of examples/typescript, and run that program under the mocks.
import { expect } from "chai";
import { execFileSync } from "child_process";
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
    // node_modules: the program and the mocks must share one copy of the Pulumi SDK.
    const work = path.join(ROOT, "out", "package-test");
    const consumer = path.join(work, "example");
    let tarball: { filename: string; size: number; unpackedSize: number; files: { path: string }[] };
    let result: RenderResult;

    before(async function () {
        this.timeout(180_000);
        // `npm test` builds dist/ first; rebuild only when someone ran the suite on stale output.
        if (newest(path.join(ROOT, "components"), ".ts") > newest(path.join(ROOT, "dist", "components"), ".js")) {
            npm(["run", "build"], ROOT);
        }
        fs.rmSync(work, { recursive: true, force: true });
        fs.mkdirSync(consumer, { recursive: true });
        // --ignore-scripts: dist/ is current (above); prepare would only build it again.
        [tarball] = JSON.parse(npm(["pack", "--json", "--ignore-scripts", "--pack-destination", work], ROOT));
        fs.copyFileSync(path.join(ROOT, "examples", "typescript", "index.ts"), path.join(consumer, "index.ts"));
        fs.writeFileSync(path.join(consumer, "package.json"), JSON.stringify({ name: "example-consumer", private: true }));
        // --prefer-offline, not --offline: after `npm ci` npm's cache holds tarballs but not the
        // packuments --offline needs, so a fresh machine would stop with ENOTCACHED;
        // --legacy-peer-deps: the @pulumi/* peers come from this repository, as said above.
        npm(["install", path.join(work, tarball.filename), "--prefer-offline", "--legacy-peer-deps", "--no-audit", "--no-fund", "--ignore-scripts"], consumer);
        const entry = path.join(consumer, "index.ts");
        result = await evaluate(
            () => {
                delete require.cache[require.resolve(entry)];
                return require(entry);
            },
            { stack: "example", config: { "aws:region": "eu-west-1" } },
        );
    });

    it("ships only the library: compiled components, declarations, the instance catalog, the package schema and the plugin manifest", () => {
        const files = tarball.files.map((f) => f.path);
        expect(files).to.include.members([
            "package.json",
            "dist/components/index.js",
            "dist/components/index.d.ts",
            "dist/components/catalog/instance-catalog.json",
            "PulumiPlugin.yaml",
            "schema.json",
        ]);
        expect(files.filter((f) => /^(tests|tools|cost|bench|examples|stacks|index\.ts|Pulumi\.)/.test(f) || /^dist\/(?!components\/)/.test(f) || f.endsWith(".ts") && !f.endsWith(".d.ts"))).to.deep.equal([]);
        console.log(`      package: ${tarball.filename}, ${(tarball.size / 1024).toFixed(1)} KiB packed, ${(tarball.unpackedSize / 1024).toFixed(1)} KiB unpacked, ${files.length} files`);
    });

    it("installs with @pulumi/* as peer dependencies, so a program keeps one SDK and one default provider each", () => {
        const installed = JSON.parse(fs.readFileSync(path.join(consumer, "node_modules", "karpenter-spark", "package.json"), "utf8"));
        expect(Object.keys(installed.peerDependencies).sort()).to.deep.equal(["@pulumi/aws", "@pulumi/awsx", "@pulumi/eks", "@pulumi/kubernetes", "@pulumi/pulumi"]);
        expect(Object.keys(installed.dependencies)).to.deep.equal(["ajv"]);
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
});
