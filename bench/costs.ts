// `npm run bench:costs`: every shipped workload on the dev and prod stacks, as one table (and
// JSON with --json). The README quotes its output.
import * as fs from "fs";
import * as path from "path";
import { CATALOG_FILE, loadCatalog, regionPricing } from "../cost/catalog";
import { estimateJob, JobEstimate, stackFacts } from "../cost/estimate";
import { loadWorkload } from "../cost/spark";
import { renderStack } from "../tools/render";

const WORKLOADS = path.join(__dirname, "..", "cost", "workloads");

async function main() {
    const catalog = loadCatalog();
    const rows: JobEstimate[] = [];
    for (const stack of ["dev", "prod"]) {
        const r = await renderStack({ stack });
        const facts = stackFacts(stack, r.region, r.registrations);
        for (const file of ["spark-pi.yaml", "medium-etl.yaml", "large-shuffle.yaml"]) {
            rows.push(estimateJob(facts, loadWorkload(path.join(WORKLOADS, file)), catalog, regionPricing(catalog, r.region)));
        }
    }
    if (process.argv.includes("--json")) {
        console.log(JSON.stringify(rows, null, 2));
        return;
    }
    const usd = (n: number) => `$${n.toFixed(n < 1 ? 4 : 2)}`;
    const header = ["stack", "workload", "static baseline/day", "Karpenter On-Demand", "this stack", "saving vs static", "saving vs OD", "CPU util", "mem util", "x lower bound", "pending pods"];
    const pending = (s: JobEstimate["stackPools"]) => s.pools.reduce((n, p) => n + p.unscheduledPods.length, 0);
    const table = rows.map((e) => {
        // A job with pending executors does not run as the workload says (the pool's CPU limit
        // is too low for it), so its cost is not comparable: say so rather than print a saving.
        const incomplete = pending(e.stackPools) > 0 || pending(e.onDemandOnly) > 0;
        const na = "n/a";
        return [
            `${e.stack} (${e.region})`,
            e.workload.name,
            `${usd(e.staticBaseline.costPerDay)} (${e.staticBaseline.nodes}x ${e.staticBaseline.instanceType})`,
            incomplete ? na : usd(e.onDemandOnly.costPerJob),
            incomplete ? na : usd(e.stackPools.costPerJob),
            incomplete ? na : `${e.savingsVsStaticPct.toFixed(1)}%`,
            incomplete ? na : `${e.savingsVsOnDemandPct.toFixed(1)}%`,
            `${e.stackPools.cpuUtilizationPct.toFixed(0)}%`,
            `${e.stackPools.memoryUtilizationPct.toFixed(0)}%`,
            incomplete ? na : e.ratioToLowerBound.toFixed(2),
            incomplete ? `${pending(e.stackPools)} (CPU limit ${e.stackPools.pools.find((p) => p.role === "executor")?.unscheduledPods.length ? "reached" : "-"})` : "0",
        ];
    });
    console.log(`| ${header.join(" | ")} |\n|${header.map(() => "---").join("|")}|`);
    for (const row of table) {
        console.log(`| ${row.join(" | ")} |`);
    }
    console.log(`\nPrices: offline catalog (${path.relative(process.cwd(), CATALOG_FILE)}, ${fs.statSync(CATALOG_FILE).size} bytes); see npm run estimate for each job's nodes.`);
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
