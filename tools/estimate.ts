// `npm run estimate -- <stack> [--workload FILE] [--region REGION] [--json] [--live]`: what a
// Spark job costs on the NodePools the stack renders (offline, from the same render as
// `npm run render`), against On-Demand-only pools, a static node group and the lower bound.
import * as path from "path";
import { parseArgs } from "util";
import { EstimateError, loadCatalog, regionPricing } from "../cost/catalog";
import { estimateJob, formatEstimate, idleFloor, stackFacts } from "../cost/estimate";
import { loadWorkload } from "../cost/spark";
import { readStackConfig, RenderError, renderStack } from "./render";

export const DEFAULT_WORKLOAD = path.join(__dirname, "..", "cost", "workloads", "spark-pi.yaml");

async function main(argv: string[]): Promise<void> {
    const { values, positionals } = parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
            workload: { type: "string", default: DEFAULT_WORKLOAD },
            region: { type: "string" },
            json: { type: "boolean", default: false },
            live: { type: "boolean", default: false },
        },
    });
    if (positionals.length !== 1) {
        throw new EstimateError("usage: npm run estimate -- <stack> [--workload FILE] [--region REGION] [--json] [--live]");
    }
    const stack = positionals[0];
    const workload = loadWorkload(values.workload as string);
    const config = readStackConfig(stack);
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
    const facts = stackFacts(stack, region, rendered.registrations);
    const estimate = estimateJob(facts, workload, catalog, pricing);
    const idle = idleFloor(facts, catalog, pricing);
    console.log(values.json ? JSON.stringify({ ...estimate, idleFloor: idle, pricesAsOf: asOf }, null, 2) : formatEstimate(estimate, idle, asOf));
}

if (require.main === module) {
    main(process.argv.slice(2)).catch((e) => {
        if (e instanceof EstimateError || e instanceof RenderError) {
            console.error(`error: ${e.message}`);
            process.exit(2);
        }
        console.error(e);
        process.exit(1);
    });
}
