// `npm run bench:validation [-- --runs N] [--baseline REV]`: what construction-time validation adds to
// `npm run render -- dev`. Each run is a fresh Node process (as a render is) that times, with the
// dev stack's config: loading the validation modules (with ajv and @bufbuild/cel) and the instance
// catalog, the Karpenter CRD check's first run (cold), the stack's
// pre-check (stacks/platform.ts validatePlatform: every component's checks on the config's
// arguments, cold), and the components' own checks in their constructors (the same resolve
// functions again, warm). The sum is the validation's share of a render; the render's own wall
// time is measured alongside for scale. With --baseline REV (e.g. the commit before a change),
// the render of that revision (git archive, this node_modules) is timed alternately with this one.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Option } from "commander";
import { createCommand, positiveInteger, runCli } from "../tools/cli";

const ROOT = path.join(__dirname, "..");

/** The child: prints one JSON line of milliseconds. */
function child(): void {
    const ms = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;
    let t = process.hrtime.bigint();
    // The SDK a render loads anyway (not counted as validation).
    require("@pulumi/pulumi");
    const sdk = ms(t);
    t = process.hrtime.bigint();
    // The validation modules and their libraries (ajv, @bufbuild/cel), before the components pull them in.
    const { loadCatalog } = require("../components/catalog/catalog");
    require("../components/validation/launchability");
    require("../components/validation/network");
    require("../components/validation/kubernetes");
    require("../components/validation/names");
    require("../components/validation/tags");
    require("../components/validation/versions");
    require("../components/validation/karpenterCrds");
    require("../components/validation/crd");
    require("../components/spark/podSize");
    const catalogTypes = loadCatalog().types.length;
    const modulesAndCatalog = ms(t);
    t = process.hrtime.bigint();
    require("../components"); // the rest of the component modules a render loads anyway (not counted)
    const components = ms(t);
    const { readStackConfig } = require("../tools/stackFiles");
    const { parseStackConfig } = require("../stacks/config");
    const platform = require("../stacks/platform");
    const { resolveKarpenterClusterArgs } = require("../components/karpenterCluster");
    const { resolveSpotExecutorPoolArgs } = require("../components/spotExecutorPool");
    const { resolveSparkOperatorArgs } = require("../components/sparkOperator");
    const { sparkPodPlacement } = require("../components/pools/placement");
    const config = parseStackConfig(readStackConfig("dev", ROOT), "karpenter-spark", "dev");
    // The Karpenter CRD check on its own, cold (artefact read, ajv compile of both schemas, CEL on
    // every rule of dev's three objects); the pre-check below then finds the validator warm.
    const { karpenterCrdValidator } = require("../components/validation/karpenterCrds");
    const { nodePoolCrdCheck, nodeClassCrdCheck } = require("../components/spotExecutorPool/crds");
    const { argOfRequirement, nodeClassInput } = require("../components/spotExecutorPool/args");
    t = process.hrtime.bigint();
    karpenterCrdValidator();
    const draft = resolveSpotExecutorPoolArgs("crd-bench", platform.poolArgs(config, { clusterName: config.clusterName, nodeRoleName: "r", kubernetesVersion: config.kubernetesVersion }));
    const crdCold = ms(t);
    t = process.hrtime.bigint();
    nodePoolCrdCheck([draft.driverPool, draft.executorPool], argOfRequirement);
    nodeClassCrdCheck(nodeClassInput(draft, config.clusterName, "r"));
    const crdWarm = ms(t);
    t = process.hrtime.bigint();
    platform.validatePlatform(config);
    const stackPrecheck = ms(t);
    t = process.hrtime.bigint();
    resolveKarpenterClusterArgs("cluster", platform.clusterArgs(config));
    const pools = resolveSpotExecutorPoolArgs("spark-pools", platform.poolArgs(config, { clusterName: config.clusterName, nodeRoleName: "r", kubernetesVersion: config.kubernetesVersion }));
    const placement = (p: any) => sparkPodPlacement({ role: p.role, nodePoolName: p.name, capacityTypes: p.capacityTypes });
    resolveSparkOperatorArgs(
        "spark",
        platform.sparkArgs(config, { clusterName: config.clusterName, driverPlacement: placement(pools.driverPool), executorPlacement: placement(pools.executorPool) }),
    );
    const constructors = ms(t);
    // Not validation, but paid in the render too: the executor fit of a job as its placement resolves.
    const { executorFit } = require("../components/pools/executorFit");
    const { executorCoreRequestMilli } = require("../components/pools/placement");
    const { sparkPodRequest } = require("../components/spark/podSize");
    const { poolCapacity } = require("../components/validation/launchability");
    const { nodePoolManifest } = require("../components/pools/specs");
    const capacity = poolCapacity(nodePoolManifest(pools.executorPool), config.region);
    const executor = (cores: number, memory: string) => ({
        cpuMilli: executorCoreRequestMilli(cores),
        maxCpuMilli: cores * 1000,
        memoryMiB: sparkPodRequest({ role: "executor", cores, memory, jvm: true }).memoryMiB,
    });
    t = process.hrtime.bigint();
    executorFit(capacity, executor(1, "512m"), 20);
    const fitSparkPi = ms(t);
    t = process.hrtime.bigint();
    executorFit(capacity, executor(4, "16g"), 1000);
    const fitLarge = ms(t);
    console.log(JSON.stringify({ sdk, components, modulesAndCatalog, crdCold, crdWarm, stackPrecheck, constructors, fitSparkPi, fitLarge, catalogTypes }));
}

function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)];
}

/** The wall time of `npm run render -- dev` from `dir`, in seconds. */
function renderSeconds(dir: string, out: string): number {
    const started = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "tools/render.ts", "dev", "--quiet", "--out", out], { cwd: dir, encoding: "utf8" });
    if (r.status !== 0) {
        throw new Error(`render failed in ${dir}:\n${r.stderr}`);
    }
    return Number(process.hrtime.bigint() - started) / 1e9;
}

/**
 * A checkout of `rev` (git archive) beside this one, sharing its node_modules, to render the
 * same stack without this change's validation: the A/B measure of what it adds to a render.
 */
function baselineCheckout(rev: string, tmp: string): string {
    const dir = path.join(tmp, "baseline");
    fs.mkdirSync(dir);
    const archive = spawnSync("git", ["archive", "--format=tar", rev], { cwd: ROOT, maxBuffer: 1 << 30 });
    if (archive.status !== 0) {
        throw new Error(`git archive ${rev} failed: ${archive.stderr}`);
    }
    const untar = spawnSync("tar", ["-x", "-C", dir], { input: archive.stdout });
    if (untar.status !== 0) {
        throw new Error(`tar failed: ${untar.stderr}`);
    }
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
    return dir;
}

function main(values: { runs: number; child?: boolean; baseline?: string }): void {
    if (values.child) {
        child();
        return;
    }
    const runs = values.runs;
    const ts = [process.execPath, "-r", "ts-node/register/transpile-only"];
    const samples: Record<string, number>[] = [];
    const renders: number[] = [];
    const baselineRenders: number[] = [];
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bench-validation-"));
    const baseline = values.baseline === undefined ? undefined : baselineCheckout(values.baseline, tmp);
    for (let i = 0; i < runs; i++) {
        const r = spawnSync(ts[0], [...ts.slice(1), __filename, "--child"], { cwd: ROOT, encoding: "utf8" });
        if (r.status !== 0) {
            throw new Error(`validation bench failed:\n${r.stderr}`);
        }
        samples.push(JSON.parse(r.stdout.trim().split("\n").pop() as string));
        // Alternated, so that the machine's load weighs on both alike.
        renders.push(renderSeconds(ROOT, path.join(tmp, `render-${i}`)));
        if (baseline) {
            baselineRenders.push(renderSeconds(baseline, path.join(tmp, `baseline-render-${i}`)));
        }
    }
    fs.rmSync(tmp, { recursive: true, force: true }); // this run's own folder
    const m = (k: string) => median(samples.map((s) => s[k]));
    const added = m("modulesAndCatalog") + m("crdCold") + m("stackPrecheck") + m("constructors");
    console.log(`Validation in \`npm run render -- dev\`, median of ${runs} fresh processes (ms):\n`);
    console.log("| part | median ms |\n|---|---|");
    console.log(`| load the validation modules (ajv, @bufbuild/cel) and the instance catalog (${m("catalogTypes").toLocaleString("en-US")} types) | ${m("modulesAndCatalog").toFixed(0)} |`);
    console.log(`| first SpotExecutorPool check incl. the Karpenter CRD check, cold (artefact, precompiled schema validators, CEL parse of each rule) | ${m("crdCold").toFixed(0)} |`);
    console.log(`| stack pre-check: every component's checks on dev's config (CRD validator warm) | ${m("stackPrecheck").toFixed(0)} |`);
    console.log(`| the components' own checks in their constructors, warm | ${m("constructors").toFixed(0)} |`);
    console.log(`| **added by validation** | **${added.toFixed(0)}** |`);
    console.log(`\nOf which the CRD check of one pool's three objects, warm: ${m("crdWarm").toFixed(0)} ms (each SpotExecutorPool pays this; the compile is paid once per process).`);
    console.log(
        `\nNot validation, also in a render: the executor fit of one job (components/pools/executorFit.ts), as its placement resolves: spark-pi's 20 executors ${m("fitSparkPi").toFixed(0)} ms, 1,000 executors of 4 cores and 16g ${m("fitLarge").toFixed(0)} ms.`,
    );
    console.log(`\nFor scale: the whole render of dev took ${median(renders).toFixed(1)} s (median wall time, CLI included).`);
    if (baseline) {
        const diff = median(renders.map((x, i) => x - baselineRenders[i]));
        console.log(`A/B against ${values.baseline}: ${median(baselineRenders).toFixed(2)} s there, ${median(renders).toFixed(2)} s here; median paired difference ${diff >= 0 ? "+" : ""}${diff.toFixed(2)} s.`);
    }
}

runCli(
    createCommand("bench:validation", "What validation adds to `npm run render -- dev`: each part's median over fresh processes, and an A/B render against another commit.")
        .option("--runs <n>", "how many fresh processes", positiveInteger, 5)
        .option("--baseline <rev>", "also render dev at this git revision (git archive into a temporary folder) and report the paired difference")
        .addOption(new Option("--child", "internal: measure once in this process").hideHelp()),
    (opts: Record<string, any>) => main(opts as { runs: number; child?: boolean; baseline?: string }),
);
