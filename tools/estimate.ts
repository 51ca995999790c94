// `npm run estimate -- <stack> [--workload NAME|FILE ...] [--region REGION] [--runs-per-day N]
// [--cross-az-shuffle] [--json] [--live]`: what Spark jobs cost on the NodePools the stack renders
// (offline, from the same render as `npm run render`), per run and per month with the idle floor,
// against an always-on cluster, Cluster Autoscaler, EMR on EKS and EMR Serverless.
import { Command, InvalidArgumentError } from "commander";
import * as fs from "fs";
import * as path from "path";
import { EstimateError, loadCatalog, regionPricing } from "../cost/catalog";
import { estimateJob, idleFloor, stackFacts } from "../cost/estimate";
import { DEFAULT_RUNS_PER_DAY, estimateJson, formatEstimate } from "../cost/report";
import { regionServicePrices } from "../cost/services";
import { loadWorkload } from "../cost/spark";
import { createCommand, ProblemList, didYouMean, runCli, UserError } from "./cli";
import { CONFIG_FLAG_HELP, readStackConfig, RenderError, renderStack, resolveStack, ROOT, withConfigFlags } from "./render";

export const WORKLOAD_DIR = path.join(__dirname, "..", "cost", "workloads");
export const REFERENCE_WORKLOADS = fs
    .readdirSync(WORKLOAD_DIR)
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => f.replace(/\.yaml$/, ""))
    .sort();
export const DEFAULT_WORKLOAD = path.join(WORKLOAD_DIR, "spark-pi.yaml");

/** A reference workload's name, or a path to a workload file. */
export function resolveWorkload(nameOrPath: string): string {
    if (REFERENCE_WORKLOADS.includes(nameOrPath)) {
        return path.join(WORKLOAD_DIR, `${nameOrPath}.yaml`);
    }
    if (fs.existsSync(nameOrPath)) {
        return nameOrPath;
    }
    throw new UserError(`invalid --workload: got ${JSON.stringify(nameOrPath)}; allowed: a reference workload (${REFERENCE_WORKLOADS.join(", ")}) or a path to a workload file${didYouMean(nameOrPath, REFERENCE_WORKLOADS)}`);
}

function positiveNumber(value: string): number {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) {
        throw new InvalidArgumentError(`got ${JSON.stringify(value)}; allowed: a number of runs per day greater than 0`);
    }
    return n;
}

export function program(): Command {
    return createCommand("estimate", "What Spark jobs cost on a stack's NodePools, per run and per month, against the alternatives")
        .argument("<stack>", "stack name (Pulumi.<stack>.yaml)")
        .option("--workload <name-or-path...>", `reference workload (${REFERENCE_WORKLOADS.join(", ")}) or a workload file; several allowed`, ["spark-pi"])
        .option("--region <region>", "price in this region instead of the stack's")
        .option("--runs-per-day <n>", `runs per day for the monthly view (default: a table for ${DEFAULT_RUNS_PER_DAY.join(", ")})`, positiveNumber)
        .option("--cross-az-shuffle", "price the workload's shuffle as crossing availability zones", false)
        .option("--json", "machine-readable output", false)
        .option("--live", "current prices from the AWS APIs (needs AWS credentials)", false)
        .option("--config <key=value...>", CONFIG_FLAG_HELP)
        .addHelpText("after", `\nReference workloads (cost/workloads): ${REFERENCE_WORKLOADS.join(", ")}\n`);
}

interface EstimateOpts {
    workload: string[];
    region?: string;
    runsPerDay?: number;
    crossAzShuffle: boolean;
    json: boolean;
    live: boolean;
    config?: string[];
}

/** Every user error in the arguments, all at once, before anything is rendered. */
function checkArgs(stackArg: string, values: EstimateOpts): { stack: string; files: string[]; config: Record<string, string> } {
    const found = new ProblemList();
    const stack = found.attempt(() => resolveStack(stackArg, ROOT));
    const flags = withConfigFlags(stack === undefined ? {} : (found.attempt(() => readStackConfig(stack)) ?? {}), values.config);
    flags.problems.forEach((p) => found.push(p));
    const files = values.workload.map((w) => found.attempt(() => resolveWorkload(w)));
    if (values.region !== undefined) {
        const catalog = loadCatalog();
        const known = Object.keys(catalog.onDemandMultipliers).filter((r) => catalog.spot[r]).sort();
        if (!known.includes(values.region)) {
            found.push(`invalid --region: got ${JSON.stringify(values.region)}; allowed: a region with On-Demand and Spot Advisor data: ${known.join(", ")}${didYouMean(values.region, known)}`);
        }
    }
    if (found.problems.length > 0 || stack === undefined) {
        throw new UserError(found.problems);
    }
    return { stack, files: files as string[], config: flags.config };
}

export async function estimate(stackArg: string, values: EstimateOpts, out: (s: string) => void = console.log): Promise<void> {
    const { stack, files, config } = checkArgs(stackArg, values);
    const workloads = files.map((f) => loadWorkload(f));
    const rendered = await renderStack({ stack, config });
    const region = values.region ?? rendered.region;
    let catalog = loadCatalog();
    let asOf = `on-demand ${String(catalog.sources.onDemandPrices).match(/generated (\S+)/)?.[1] ?? "?"}, Spot Advisor 2025-06-28`;
    if (values.live) {
        // Loaded only when asked: the AWS SDK is large and offline runs never need it.
        const { refreshCatalog } = await import("../cost/live");
        catalog = await refreshCatalog(catalog, region);
        asOf = `live from the AWS APIs, ${new Date().toISOString()}`;
    }
    const pricing = regionPricing(catalog, region);
    const services = regionServicePrices(region, catalog.onDemandMultipliers[region]);
    const facts = stackFacts(stack, region, rendered.registrations);
    const runsPerDay = values.runsPerDay !== undefined ? [values.runsPerDay] : DEFAULT_RUNS_PER_DAY;
    const options = { runsPerDay: runsPerDay[0], crossAzShuffle: values.crossAzShuffle };
    const estimates = workloads.map((w) => estimateJob(facts, w, catalog, pricing, services, options));
    const idle = idleFloor(facts, catalog, pricing, services);
    out(values.json ? JSON.stringify(estimateJson(estimates, idle, runsPerDay, asOf), null, 2) : estimates.map((e) => formatEstimate(e, idle, runsPerDay, asOf)).join("\n\n"));
}

/** Parses `argv` (without node and the script) and runs the estimate: for tests and other tools. */
export async function main(argv: string[], out: (s: string) => void = console.log): Promise<void> {
    const cmd = program();
    cmd.parse(argv, { from: "user" });
    await estimate(cmd.args[0], cmd.opts<EstimateOpts>(), out);
}

if (require.main === module) {
    runCli(program(), (stack: string, opts: Record<string, any>) => estimate(stack, opts as EstimateOpts), { userErrors: [EstimateError, RenderError] });
}
