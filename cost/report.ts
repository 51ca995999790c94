// The estimator's text report and its --json document.
import { ALTERNATIVES, ASSUMPTIONS, breakEven, IdleFloor, JobEstimate, monthly, monthlyAll, MonthlyRow } from "./estimate";

const usd = (n: number) => (n < 0.1 ? `$${n.toFixed(4)}` : n < 10 ? `$${n.toFixed(3)}` : `$${n.toFixed(2)}`);
const pct = (n: number) => `${n.toFixed(0)}%`;

export const DEFAULT_RUNS_PER_DAY = [1, 4, 24];

export const ALTERNATIVE_NAMES: Record<string, string> = {
    karpenterSpark: "this stack (Karpenter, Spot executors)",
    onDemandOnly: "same pools, executors On-Demand",
    staticOnDemand: "always-on On-Demand cluster sized for the job",
    clusterAutoscalerSpot: "Cluster Autoscaler, Spot node group from zero",
    emrOnEks: "EMR on EKS (these EC2 nodes + EMR uplift)",
    emrServerless: "EMR Serverless",
};

/** The --json document: one entry per workload, the stack's idle floor, the monthly table. */
export function estimateJson(estimates: JobEstimate[], idle: IdleFloor, runsPerDay: number[], pricesAsOf: string) {
    return {
        stack: estimates[0]?.stack,
        region: estimates[0]?.region,
        pricesAsOf,
        workloads: estimates.map((e) => ({
            name: e.workload.name,
            costPerRun: e.costPerRun,
            costPerRunBand: e.costPerRunBand,
            computePerRun: e.computePerRun,
            runExtras: e.runExtras,
            lowerBound: e.lowerBound,
            lowerBoundNodes: e.lowerBoundNodes,
            ratioToLowerBound: e.ratioToLowerBound,
            ratioDecomposition: e.ratioDecomposition,
            cpuUtilizationPct: e.cpuUtilizationPct,
            memoryUtilizationPct: e.memoryUtilizationPct,
            instanceTypesLaunchable: e.instanceTypesLaunchable,
            instanceTypesPerNodeClaim: e.instanceTypesPerNodeClaim,
            baselines: e.baselines,
            staticCluster: e.staticCluster,
            clusterAutoscalerGroup: e.clusterAutoscalerGroup,
            breakEven: breakEven(e, idle),
            requests: e.requests,
            pools: e.pools,
            monthly: runsPerDay.map((r) => monthly(e, idle, r)),
        })),
        idleFloor: idle,
        /** Every listed workload run runsPerDay times a day, one idle floor. */
        monthly: estimates.length ? runsPerDay.map((r) => monthlyAll(estimates, idle, r)) : [],
        assumptions: ASSUMPTIONS,
    };
}

function monthlyTable(rows: MonthlyRow[]): string[] {
    const keys = ["karpenterSpark", ...ALTERNATIVES] as (keyof MonthlyRow)[];
    const lines = [`  ${"runs/day".padEnd(48)}${rows.map((r) => String(r.runsPerDay).padStart(12)).join("")}`];
    for (const k of keys) {
        lines.push(`  ${ALTERNATIVE_NAMES[k].padEnd(48)}${rows.map((r) => usd(r[k] as number).padStart(12)).join("")}`);
    }
    return lines;
}

export function formatEstimate(e: JobEstimate, idle: IdleFloor, runsPerDay: number[], pricesAsOf: string): string {
    const w = e.workload;
    const lines = [
        `Cost estimate: stack ${e.stack}, region ${e.region} (offline prices: ${pricesAsOf})`,
        `Workload ${w.name}: driver ${w.driver.cores} core/${w.driver.memory}, ${w.executor.instances} executors of ${w.executor.cores} core/${w.executor.memory}, ${w.durationMinutes} min`,
        `  pod requests (memory + Spark overhead): driver ${e.requests.driver.cpuMilli}m CPU/${e.requests.driver.memoryMiB} MiB, executor ${e.requests.executor.cpuMilli}m CPU/${e.requests.executor.memoryMiB} MiB`,
        "",
    ];
    for (const p of e.pools) {
        const families = [...new Set(p.allowedTypes.map((t) => t.split(".")[0]))];
        const t = p.billedTime;
        lines.push(`NodePool ${p.pool} (${p.role}, ${p.capacityTypes.join("/")}): Karpenter may launch ${p.allowedTypes.length} instance types of ${families.length} families`);
        lines.push(`  minValues ${Object.entries(p.minValues).map(([k, v]) => `${k.split("/")[1]} >= ${v}`).join(", ") || "none"}`);
        if (p.role === "executor" && e.executorNodeLimitVcpus !== undefined) {
            lines.push(`  this job's executors on nodes of at most ${e.executorNodeLimitVcpus} vCPUs: the size they fill (SparkJob's fitExecutorNodes)`);
        }
        for (const m of p.minValuesProblems) {
            lines.push(`  ! minValues not met: ${m}`);
        }
        for (const n of p.nodes) {
            const spot =
                n.capacityType === "spot"
                    ? ` .. ${n.pcoInstanceType} at ${usd(n.pcoUsdPerHour ?? 0)}/h (price-capacity-optimized estimate); Spot ${n.spotSavingsPct}% off, interruption ${n.interruptionBand}`
                    : "";
            lines.push(`  ${n.count} x ${n.instanceType} (${n.vcpu} vCPU, ${n.memoryGiB} GiB) ${n.capacityType} at ${usd(n.usdPerHour)}/h${spot}`);
            lines.push(`    each of these NodeClaims may become any of ${n.nodeClaimTypes}+ instance types of ${n.nodeClaimFamilies}+ families`);
        }
        lines.push(
            `  billed ${t.totalMinutes.toFixed(1)} min per node = ${t.launchToReadySeconds}s launch to Ready + ${t.imagePullSeconds}s image pull${t.s3aJarsFetchSeconds ? ` + ${t.s3aJarsFetchSeconds}s S3A jars` : ""} + ${t.jobMinutes} min job + ${t.consolidateAfterMinutes} min until the empty node goes (consolidateAfter, ${t.consolidationPolicy})${t.emptyNodeRemovalSeconds ? ` + ${t.emptyNodeRemovalSeconds}s for Karpenter to remove it` : ""}`,
            `  ${usd(p.usdPerHour.low)}..${usd(p.usdPerHour.high)}/h, ${usd(p.costPerRun.low)}..${usd(p.costPerRun.high)} per run; utilization CPU ${pct(p.cpuUtilizationPct)}, memory ${pct(p.memoryUtilizationPct)}`,
        );
    }
    const d = e.ratioDecomposition;
    lines.push(
        "",
        `Per run: ${usd(e.costPerRun)} (band ${usd(e.costPerRunBand.low)} cheapest Spot pools .. ${usd(e.costPerRunBand.high)} price-capacity-optimized; savings use the upper end)`,
        `  EC2 ${usd(e.computePerRun.low)}..${usd(e.computePerRun.high)}`,
        ...e.runExtras.map((i) => `  ${i.item}: ${usd(i.usd)}`),
        `  utilization of launched nodes: CPU ${pct(e.cpuUtilizationPct)}, memory ${pct(e.memoryUtilizationPct)}`,
        `  lower bound ${usd(e.lowerBound)} (cheapest whole instances holding every pod: ${e.lowerBoundNodes.map((x) => x.nodes.length).reduce((a, b) => a + b, 0)} nodes, for the job + ${ASSUMPTIONS.launchToReadySeconds}s launch)`,
        `  EC2 is ${e.ratioToLowerBound.toFixed(2)}x the lower bound = billed time ${d.billedTime.toFixed(2)} x packing ${d.packing.toFixed(2)} x type premium ${d.typePremium.toFixed(2)}`,
        "",
        `Per run, the alternatives on the same workload:`,
        ...(["onDemandOnly", ...ALTERNATIVES] as const).map((k) => {
            const v = e.baselines[k];
            const saving = 100 * (1 - e.costPerRun / v);
            return `  ${ALTERNATIVE_NAMES[k].padEnd(48)}${usd(v).padStart(10)}  (this stack ${saving >= 0 ? "saves" : "costs"} ${pct(Math.abs(saving))}${saving >= 0 ? "" : " more"})`;
        }),
        `  (the always-on cluster's run is its day at ${e.staticCluster.nodes.length} nodes, ${usd(e.staticCluster.usdPerHour)}/h, divided by the runs per day;`,
        `   Cluster Autoscaler's Spot group: ${e.clusterAutoscalerGroup.nodes} x ${e.clusterAutoscalerGroup.vcpu} vCPU/${e.clusterAutoscalerGroup.memoryGiB} GiB of ${e.clusterAutoscalerGroup.instanceTypes.length} types, ${e.clusterAutoscalerGroup.podsPerNode} executors each${e.clusterAutoscalerGroup.meetsMinValues ? "" : "; no shape meets the pool's minValues"})`,
        "",
        `Per month (730 h), idle floor included:`,
        ...monthlyTable(runsPerDay.map((r) => monthly(e, idle, r))),
        "",
        `Break-even:`,
        ...breakEven(e, idle).map((b) => `  ${ALTERNATIVE_NAMES[b.alternative]} is cheaper ${b.cheaperWhen === "never" ? "at no number of runs per day" : b.cheaperWhen === "always" ? "at every number of runs per day" : b.cheaperWhen}`),
        "",
        `Idle floor of the stack (no job running): ${usd(idle.usdPerHour)}/h, ${usd(idle.usdPerMonth)}/month`,
        ...idle.items.map((i) => `  ${i.item}: ${usd(i.usdPerHour)}/h`),
        "",
        `Assumptions: DaemonSets ${ASSUMPTIONS.daemonSetOverhead.cpuMilli}m CPU/${ASSUMPTIONS.daemonSetOverhead.memoryMiB} MiB per node; EC2 per second, 1-minute minimum; Cluster Autoscaler scans every ${ASSUMPTIONS.clusterAutoscalerScanSeconds}s and removes empty nodes after ${ASSUMPTIONS.clusterAutoscalerScaleDownMinutes} min; prices and sources in cost/service-prices.json.`,
    );
    return lines.join("\n");
}
