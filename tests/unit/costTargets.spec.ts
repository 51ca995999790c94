// Issue 17's measured targets, recomputed from the estimator on prod's pools for the three reference
// workloads: a default change that breaks one fails here. The one target the defaults do not meet
// (large-shuffle's CPU utilization) is pinned at the best reached (README "Defaults chosen from the
// benchmark" says why), so a change can only improve it; the last tests show the trade-offs behind
// each default.
import { expect } from "chai";
import { nodeLabels, nodePoolSpec } from "../../components/catalog/scheduling";
import { nodePoolManifest, NodePoolInput } from "../../components/pools/specs";
import { resolveSpotExecutorPoolArgs, SpotExecutorPoolArgs } from "../../components/spotExecutorPool/args";
import { loadCatalog, regionPricing } from "../../cost/catalog";
import { estimateJob, JobEstimate, PoolSpec, stackFacts, StackFacts } from "../../cost/estimate";
import { regionServicePrices } from "../../cost/services";
import { loadWorkload, Workload } from "../../cost/spark";
import { resolveWorkload } from "../../tools/estimate";
import { rendered } from "../helpers/render";

const catalog = loadCatalog();
const REFERENCE = ["spark-pi", "medium-etl", "large-shuffle"] as const;
type Name = (typeof REFERENCE)[number];
const workload = (name: string): Workload => loadWorkload(resolveWorkload(name));

function estimateAll(facts: StackFacts, adjust: (w: Workload) => Workload = (w) => w): Record<Name, JobEstimate> {
    const pricing = regionPricing(catalog, facts.region);
    const services = regionServicePrices(facts.region, catalog.onDemandMultipliers[facts.region]);
    return Object.fromEntries(REFERENCE.map((n) => [n, estimateJob(facts, adjust(workload(n)), catalog, pricing, services)])) as Record<Name, JobEstimate>;
}

/** prod's facts with the pools SpotExecutorPool builds from these arguments instead of the defaults. */
function withPools(facts: StackFacts, args: Partial<SpotExecutorPoolArgs>): StackFacts {
    const r = resolveSpotExecutorPoolArgs("spark", { clusterName: "c", nodeRoleName: "n", region: facts.region, executorCpuLimit: 1000, driverCpuLimit: 200, ...args });
    const spec = (i: NodePoolInput): PoolSpec => ({ ...nodePoolSpec(nodePoolManifest(i)), consolidationPolicy: i.consolidationPolicy, expireAfter: i.expireAfter, budgets: i.budgets });
    return { ...facts, pools: [spec(r.driverPool), spec(r.executorPool)] };
}

describe("cost targets: the defaults on prod's reference workloads (issue 17, bench:costs)", function () {
    this.timeout(120_000);
    let facts: StackFacts;
    let e: Record<Name, JobEstimate>;

    before(async () => {
        const r = await rendered("prod");
        facts = stackFacts("prod", r.region, r.registrations);
        e = estimateAll(facts);
    });

    it("the 30+ minute workloads cost at most 1.10x the lower bound at the band's upper end", () => {
        for (const n of ["medium-etl", "large-shuffle"] as const) {
            expect(e[n].workload.durationMinutes, n).to.be.at.least(30);
            expect(e[n].ratioToLowerBound, n).to.be.at.most(1.1);
            // The upper end is what the ratio uses: price-capacity-optimized, not the cheapest type.
            expect(e[n].costPerRun, n).to.equal(e[n].costPerRunBand.high);
        }
    });

    it("medium-etl's launched nodes are at least 90% CPU-utilized", () => {
        expect(e["medium-etl"].cpuUtilizationPct).to.be.at.least(90);
    });

    it("not met, pinned at the best reached: large-shuffle's CPU utilization (target 90%)", () => {
        // Memory-bound: 4-core executors of 28g + 10% need 30.8 GiB; an r 8xlarge's 234 GiB allocatable holds 7, on 32 vCPUs.
        const u = e["large-shuffle"].cpuUtilizationPct;
        expect(u).to.be.at.least(84.5).and.below(90);
        expect(e["large-shuffle"].memoryUtilizationPct).to.be.at.least(89);
    });

    it("spark-pi's launched nodes are at least 90% CPU-utilized and cost at most 1.5x the lower bound", () => {
        const s = e["spark-pi"];
        expect(s.cpuUtilizationPct).to.be.at.least(90);
        expect(s.ratioToLowerBound).to.be.at.most(1.5);
        // Its executors get nodes of at most 24 vCPUs (SparkJob's executor fit): a 16 and a 4.
        expect(s.executorNodeLimitVcpus).to.equal(24);
        // Two minutes of work bill a node from launch to its removal about 20 s after it empties (consolidateAfter 0s).
        const t = s.pools.find((p) => p.role === "executor")!.billedTime;
        expect([t.consolidateAfterMinutes, t.emptyNodeRemovalSeconds]).to.deep.equal([0, 20]);
        expect(s.ratioDecomposition.billedTime).to.be.closeTo(1.26, 0.01);
    });

    it("what the executor fit buys: without it spark-pi's executors share one 32-vCPU node at about 60%", () => {
        // A job that sets its own request.cores keeps the pool's sizes (no fit), here at the same 940m.
        const own = estimateAll(facts, (w) => ({ ...w, executor: { ...w.executor, requestCores: w.executor.cores * 0.94 } }));
        expect(own["spark-pi"].executorNodeLimitVcpus).to.equal(undefined);
        expect(own["spark-pi"].cpuUtilizationPct).to.be.below(60);
        expect(own["spark-pi"].ratioToLowerBound).to.be.above(1.5);
    });

    it("why consolidateAfter 0s: with a minute, spark-pi's ratio rises above 1.5x", () => {
        const minute = estimateAll(withPools(facts, { executorConsolidateAfter: "1m", driverConsolidateAfter: "1m" }));
        expect(minute["spark-pi"].ratioToLowerBound).to.be.above(1.5);
        expect(minute["spark-pi"].costPerRun).to.be.above(e["spark-pi"].costPerRun);
    });

    it("keeps the Spot diversity Karpenter and EC2 ask for: every executor NodeClaim may become 10+ types of 5+ families", () => {
        for (const n of REFERENCE) {
            const x = e[n];
            expect(x.instanceTypesLaunchable.executor, n).to.be.at.least(300);
            expect(x.instanceTypesPerNodeClaim.executor.types, n).to.be.at.least(10);
            expect(x.instanceTypesPerNodeClaim.executor.families, n).to.be.at.least(5);
            const exec = x.pools.find((p) => p.role === "executor")!;
            expect(exec.minValues).to.deep.equal({ "karpenter.k8s.aws/instance-family": 5, "node.kubernetes.io/instance-type": 10 });
            expect(exec.minValuesProblems, n).to.deep.equal([]);
        }
    });

    it("launches only Nitro generations (5+) of at most 32 vCPUs, no metal, for executors", () => {
        const exec = facts.pools.find((p) => p.name.endsWith("-executors"))!;
        for (const name of e["medium-etl"].pools.find((p) => p.role === "executor")!.allowedTypes) {
            const t = catalog.byName.get(name)!;
            const labels = nodeLabels(t, "spot", exec);
            expect(Number(labels["karpenter.k8s.aws/instance-generation"]), name).to.be.greaterThan(4);
            expect(t.vcpu, name).to.be.at.most(32);
            expect(t.size, name).to.not.match(/metal/);
        }
    });

    it("why not 64 vCPUs: large-shuffle's last NodeClaim launches a larger type, so it stays under 90%, at 1.5x+ the lower bound and dearer", () => {
        const wide = estimateAll(withPools(facts, { executorMaxInstanceVcpus: 64 }));
        expect(wide["large-shuffle"].cpuUtilizationPct).to.be.below(90);
        expect(wide["large-shuffle"].ratioToLowerBound).to.be.above(1.5);
        expect(wide["large-shuffle"].costPerRun).to.be.above(e["large-shuffle"].costPerRun);
        expect(wide["medium-etl"].ratioToLowerBound).to.be.above(1.5);
    });

    it("no executor size cap of 16, 24, 48, 64, 96 or 128 vCPUs brings large-shuffle to 90% on prod, nor beats 32's utilization or cost", () => {
        const byCap = [16, 24, 48, 64, 96, 128].map((cap) => estimateAll(withPools(facts, { executorMaxInstanceVcpus: cap }))["large-shuffle"]);
        for (const x of byCap) {
            expect(x.cpuUtilizationPct).to.be.below(90).and.at.most(e["large-shuffle"].cpuUtilizationPct + 1e-9);
            expect(x.costPerRun).to.be.above(e["large-shuffle"].costPerRun);
        }
    });

    it("why a per-job fit and not a 16-vCPU pool: large-shuffle would fall to about 75% and cost about 3x", () => {
        const narrow = estimateAll(withPools(facts, { executorMaxInstanceVcpus: 16 }));
        expect(narrow["spark-pi"].cpuUtilizationPct).to.be.at.least(90);
        expect(narrow["large-shuffle"].cpuUtilizationPct).to.be.below(76);
        expect(narrow["large-shuffle"].costPerRun).to.be.above(2.9 * e["large-shuffle"].costPerRun);
    });
});
