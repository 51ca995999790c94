// `npm run bench:costs`: every reference workload on the dev and prod stacks, per run against the
// lower bound and the alternatives, then each stack's month at 1, 4 and 24 runs/day with the
// break-even points (and JSON with --json). The README quotes its output.
import * as path from "path";
import { EstimateError, loadCatalog, regionPricing } from "../cost/catalog";
import { breakEven, estimateJob, idleFloor, JobEstimate, monthly, stackFacts } from "../cost/estimate";
import { ALTERNATIVE_NAMES, DEFAULT_RUNS_PER_DAY } from "../cost/report";
import { regionServicePrices } from "../cost/services";
import { loadWorkload } from "../cost/spark";
import { createCommand, runCli } from "../tools/cli";
import { readStackConfig, renderStack } from "../tools/render";

const WORKLOADS = path.join(__dirname, "..", "cost", "workloads");
const REFERENCE = ["spark-pi", "medium-etl", "large-shuffle"];

async function main(opts: { json?: boolean }) {
    const catalog = loadCatalog();
    const rows: { stack: string; region: string; workload: string; estimate?: JobEstimate; error?: string }[] = [];
    const months: string[] = [];
    const json: unknown[] = [];
    for (const stack of ["dev", "prod"]) {
        // prod ships a placeholder API allow-list the stack refuses: set one explicitly, as CI does.
        const r = await renderStack({ stack, config: { ...readStackConfig(stack), ...(stack === "prod" ? { "karpenter-spark:endpointPublicAccessCidrs": '["52.94.133.0/24"]' } : {}) } });
        const facts = stackFacts(stack, r.region, r.registrations);
        const pricing = regionPricing(catalog, r.region);
        const services = regionServicePrices(r.region, catalog.onDemandMultipliers[r.region]);
        const idle = idleFloor(facts, catalog, pricing, services);
        for (const name of REFERENCE) {
            try {
                const e = estimateJob(facts, loadWorkload(path.join(WORKLOADS, `${name}.yaml`)), catalog, pricing, services);
                rows.push({ stack, region: r.region, workload: name, estimate: e });
                const m = DEFAULT_RUNS_PER_DAY.map((n) => monthly(e, idle, n));
                json.push({ stack, workload: name, estimate: e, idleFloor: idle, monthly: m, breakEven: breakEven(e, idle) });
                months.push(
                    `\n${stack} (${r.region}), ${name}, per month (idle floor $${idle.usdPerMonth.toFixed(0)}):`,
                    `| option | ${DEFAULT_RUNS_PER_DAY.map((n) => `${n} run/day`).join(" | ")} | cheaper than this stack |`,
                    `|---|${DEFAULT_RUNS_PER_DAY.map(() => "---:").join("|")}|---|`,
                    ...(["karpenterSpark", "staticOnDemand", "clusterAutoscalerSpot", "emrOnEks", "emrServerless"] as const).map((k) => {
                        const b = breakEven(e, idle).find((x) => x.alternative === k);
                        return `| ${ALTERNATIVE_NAMES[k]} | ${m.map((x) => `$${x[k].toFixed(0)}`).join(" | ")} | ${b ? b.cheaperWhen : "-"} |`;
                    }),
                );
            } catch (err) {
                if (!(err instanceof EstimateError)) {
                    throw err;
                }
                rows.push({ stack, region: r.region, workload: name, error: err.message });
                json.push({ stack, workload: name, error: err.message });
            }
        }
    }
    if (opts.json) {
        console.log(JSON.stringify(json, null, 2));
        return;
    }
    const usd = (n: number) => `$${n.toFixed(n < 1 ? 4 : 2)}`;
    const header = ["stack", "workload", "per run (Spot band)", "EC2 per run", "x lower bound (time x packing x type)", "CPU util (executor nodes)", "mem util", "types driver/executor (per executor NodeClaim: types/families, fewest)", "On-Demand only", "CA Spot", "EMR on EKS", "EMR Serverless", "always-on OD (1 run/day)"];
    console.log(`| ${header.join(" | ")} |\n|${header.map(() => "---").join("|")}|`);
    for (const row of rows) {
        const e = row.estimate;
        if (!e) {
            console.log(`| ${row.stack} (${row.region}) | ${row.workload} | does not run: ${row.error} |${header.slice(3).map(() => "").join(" |")} |`);
            continue;
        }
        const d = e.ratioDecomposition;
        console.log(
            `| ${[
                `${row.stack} (${row.region})`,
                row.workload,
                `${usd(e.costPerRun)} (${usd(e.costPerRunBand.low)}..${usd(e.costPerRunBand.high)})`,
                `${usd(e.computePerRun.low)}..${usd(e.computePerRun.high)}`,
                `${e.ratioToLowerBound.toFixed(2)} (${d.billedTime.toFixed(2)} x ${d.packing.toFixed(2)} x ${d.typePremium.toFixed(2)})`,
                `${e.cpuUtilizationPct.toFixed(1)}% (${e.pools.find((p) => p.role === "executor")!.cpuUtilizationPct.toFixed(1)}%)`,
                `${e.memoryUtilizationPct.toFixed(0)}%`,
                `${e.instanceTypesLaunchable.driver}/${e.instanceTypesLaunchable.executor} (${e.instanceTypesPerNodeClaim.executor.types}/${e.instanceTypesPerNodeClaim.executor.families})`,
                usd(e.baselines.onDemandOnly),
                usd(e.baselines.clusterAutoscalerSpot),
                usd(e.baselines.emrOnEks),
                usd(e.baselines.emrServerless),
                usd(e.baselines.staticOnDemand),
            ].join(" | ")} |`,
        );
    }
    console.log(months.join("\n"));
    console.log(`\nPrices: offline catalog (components/catalog/instance-catalog.json) and cost/service-prices.json; npm run estimate -- <stack> --workload <name> shows each run's nodes.`);
}

runCli(
    createCommand("bench:costs", "Every reference workload on dev and prod: per run against the lower bound and the alternatives, and each month at 1, 4 and 24 runs/day with the break-even points (the README quotes it).")
        .option("--json", "print every estimate as JSON"),
    (opts: Record<string, any>) => main(opts as { json?: boolean }),
);
