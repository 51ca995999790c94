// Issue 17 (packing): a job sizes its executors' nodes to what its executors fill
// (components/pools/executorFit.ts), and executors request 940m per core, or up to whole cores
// where headroom buys nothing. The SparkJob, the example job and the estimator use one function.
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { SparkJob, SparkJobArgs } from "../../components";
import { loadCatalog } from "../../components/catalog/catalog";
import { executorFit, INSTANCE_CPU_LABEL } from "../../components/pools/executorFit";
import { EXECUTOR_REQUEST_MILLI_PER_CORE, executorCoreRequestMilli, SparkPodPlacement } from "../../components/pools/placement";
import { sparkPodRequest } from "../../components/spark/podSize";
import { DAEMONSET_OVERHEAD } from "../../components/validation/launchability";
import { loadCatalog as loadPricedCatalog, regionPricing } from "../../cost/catalog";
import { estimateJob, stackFacts } from "../../cost/estimate";
import { Offering, pack } from "../../cost/packing";
import { poolCandidates } from "../../components/catalog/scheduling";
import { regionServicePrices } from "../../cost/services";
import { loadWorkload } from "../../cost/spark";
import { evaluate, RenderResult } from "../../tools/render";
import { resolveWorkload } from "../../tools/estimate";
import { poolPlacements } from "../helpers/placements";
import { rendered } from "../helpers/render";

const catalog = loadCatalog();
const { driverPlacement, executorPlacement } = poolPlacements();
const capacity = executorPlacement.capacity!;
const pool = { nodePoolName: capacity.nodePoolName, region: capacity.region!, requirements: capacity.requirements!, cpuLimit: capacity.cpuLimit };

/** An executor of `cores` cores and `memory` heap as the platform sizes it by default. */
const executor = (cores: number, memory: string) => {
    const r = sparkPodRequest({ role: "executor", cores, memory, jvm: true, coreRequest: `${executorCoreRequestMilli(cores)}m` })!;
    return { ...r, maxCpuMilli: cores * 1000 };
};

async function renderApp(args: Partial<SparkJobArgs>, placement: pulumi.Input<SparkPodPlacement> = executorPlacement): Promise<any> {
    const r: RenderResult = await evaluate(
        async () => {
            new SparkJob("etl", { namespace: "spark-jobs", mainApplicationFile: "s3a://b/app.jar", executorPoolCpuLimit: 1000, region: "us-east-1", driverPlacement, executorPlacement: placement, ...args });
            return {};
        },
        { stack: "t", config: { "aws:region": "us-east-1" } },
    );
    return (r.registrations.find((x) => (x.inputs as any).kind === "SparkApplication")!.inputs as any).spec;
}
const renderJob = async (args: Partial<SparkJobArgs>, placement?: pulumi.Input<SparkPodPlacement>) => (await renderApp(args, placement)).executor;
const BATCH = "spark.kubernetes.allocation.batch.size";

const cpuTerms = (spec: any) =>
    [spec.affinity, spec.template.spec.affinity].map((a) => a.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms.map((t: any) => t.matchExpressions.filter((e: any) => e.key === INSTANCE_CPU_LABEL)));

describe("executors request 940m per core: every node from 4 vCPUs up fills", () => {
    it("leaves room for n x 940m on every catalog type of 4+ vCPUs, after the DaemonSets, and 950m would not fill a 4-vCPU node", () => {
        const per = catalog.types.filter((t) => t.vcpu >= 4).map((t) => ({ t, milli: (t.allocatable.cpuMilli - DAEMONSET_OVERHEAD.cpuMilli) / t.vcpu }));
        expect(per.length).to.be.greaterThan(900);
        for (const { t, milli } of per) {
            expect(milli, t.name).to.be.at.least(EXECUTOR_REQUEST_MILLI_PER_CORE);
        }
        expect(per.some(({ t, milli }) => t.vcpu === 4 && milli < EXECUTOR_REQUEST_MILLI_PER_CORE + 10)).to.equal(true);
    });
});

describe("executorFit: the node size a job's executors fill (prod's executor pool, us-east-1)", () => {
    it("narrows spark-pi's twenty 1-core executors from one 32-vCPU node (60%) to a 16- and a 4-vCPU node", () => {
        const fit = executorFit(pool, executor(1, "512m"), 20)!;
        expect(fit).to.deep.equal({ maxInstanceVcpus: 24, cpuMilli: 940, nodeVcpus: [16, 4], poolNodeVcpus: [32] });
    });

    it("leaves medium-etl on the pool's 32-vCPU nodes and raises its request to the most that still puts 8 on each", () => {
        const fit = executorFit(pool, executor(4, "16g"), 40)!;
        expect(fit.maxInstanceVcpus).to.equal(undefined);
        expect(fit.nodeVcpus).to.deep.equal([32, 32, 32, 32, 32]);
        // 8 x 3960m = 31680m of the 31700m a 32-vCPU node leaves after the DaemonSets.
        expect(fit.cpuMilli).to.equal(3960);
    });

    it("gives memory-bound executors their whole cores: headroom would not put one more on a node", () => {
        const fit = executorFit(pool, executor(4, "28g"), 48)!;
        expect(fit.maxInstanceVcpus).to.equal(undefined);
        expect(fit.cpuMilli).to.equal(4000);
        expect(fit.nodeVcpus.length).to.equal(7);
    });

    it("on a tie in vCPUs prefers fewer nodes, then the widest limit", () => {
        // 8 executors of 4 cores: one 32-vCPU node or two 16-vCPU nodes are 32 vCPUs either way.
        expect(executorFit(pool, executor(4, "12g"), 8)).to.deep.include({ nodeVcpus: [32] }).and.not.have.property("maxInstanceVcpus");
        // spark-pi: limits 16 and 24 both give 16 + 4 (the 24-vCPU types are too few for minValues alone): 24 keeps more types.
        expect(executorFit(pool, executor(1, "512m"), 20)!.maxInstanceVcpus).to.equal(24);
    });

    it("returns undefined when no type holds one executor (the pod-fit check names it)", () => {
        expect(executorFit(pool, executor(4, "900g"), 3)).to.equal(undefined);
    });
});

describe("SparkJob applies the fit to its executors", () => {
    it("twenty 1-core executors: instance-cpu Lt 25 in the affinity and the pod template, 940m each", async () => {
        const spec = await renderJob({ executorInstances: 20, executorCores: 1, executorMemory: "512m" });
        expect(cpuTerms(spec)).to.deep.equal([[[{ key: INSTANCE_CPU_LABEL, operator: "Lt", values: ["25"] }]], [[{ key: INSTANCE_CPU_LABEL, operator: "Lt", values: ["25"] }]]]);
        expect(spec.coreRequest).to.equal("940m");
    });

    it("creates all twenty executors in one allocation round, so that Karpenter packs them in one pass", async () => {
        expect((await renderApp({ executorInstances: 20, executorCores: 1, executorMemory: "512m" })).sparkConf[BATCH]).to.equal("20");
        // Not where the pool's sizes stay: Spark's own default (10 a round).
        expect((await renderApp({ executorInstances: 40, executorCores: 4, executorMemory: "16g" })).sparkConf).to.not.have.property(BATCH);
        // The job's own value wins.
        expect((await renderApp({ executorInstances: 20, executorCores: 1, executorMemory: "512m", sparkConf: { [BATCH]: "5" } })).sparkConf[BATCH]).to.equal("5");
    });

    it("does the same for a placement passed as an Output", async () => {
        const spec = await renderJob({ executorInstances: 20, executorCores: 1, executorMemory: "512m" }, pulumi.output(executorPlacement));
        expect(cpuTerms(spec)[0]).to.deep.equal([[{ key: INSTANCE_CPU_LABEL, operator: "Lt", values: ["25"] }]]);
    });

    it("leaves the pool's sizes and 940m per core with dynamic allocation, with fitExecutorNodes: false, or with the job's own request.cores", async () => {
        const args = { executorInstances: 20, executorCores: 1, executorMemory: "512m" };
        for (const extra of [{ dynamicAllocation: true }, { fitExecutorNodes: false }, { sparkConf: { "spark.kubernetes.executor.request.cores": "0.5" } }]) {
            const spec = await renderJob({ ...args, ...extra });
            expect(cpuTerms(spec), JSON.stringify(extra)).to.deep.equal([[[]], [[]]]);
            expect(spec.coreRequest, JSON.stringify(extra)).to.equal("940m");
        }
    });
});

describe("the estimator prices the executors SparkJob would place", () => {
    it("spark-pi on prod: the same limit, no node above it, every pod request the fitted one", async () => {
        const r = await rendered("prod");
        const priced = loadPricedCatalog();
        const e = estimateJob(stackFacts("prod", r.region, r.registrations), loadWorkload(resolveWorkload("spark-pi")), priced, regionPricing(priced, r.region), regionServicePrices(r.region, priced.onDemandMultipliers[r.region]));
        expect(e.executorNodeLimitVcpus).to.equal(executorFit(pool, executor(1, "512m"), 20)!.maxInstanceVcpus);
        expect(e.requests.executor.cpuMilli).to.equal(940);
        for (const n of e.pools.find((p) => p.role === "executor")!.nodes) {
            expect(n.vcpu).to.be.at.most(24);
        }
        expect(e.cpuUtilizationPct).to.be.at.least(90);
    });
});

describe("executorFit's planner agrees with the estimator's packer (cost/packing.ts) on identical executors", () => {
    // Two models of one Karpenter behaviour: the fit's closed form for identical pods (fast enough to
    // run for every limit and request it tries) and the estimator's general packer. Priced at the
    // on-demand list price, as the fit's plan is, both must launch the same nodes.
    const priced = loadPricedCatalog();
    const spec = { name: pool.nodePoolName, labels: {}, requirements: pool.requirements, taints: [] };
    const offers: Offering[] = poolCandidates(spec, priced.types)
        .filter((c) => priced.spot["us-east-1"][c.type.name] !== undefined || c.capacityType !== "spot")
        .map((c) => ({ type: c.type, capacityType: c.capacityType, usdPerHour: c.type.onDemandUsdPerHourUsEast1 }));
    const minValues = Object.fromEntries(pool.requirements.filter((r) => r.minValues !== undefined).map((r) => [r.key, r.minValues as number]));

    it("for 1-8 cores, 1-32g and 1-60 executors, at the fit's limit and request", () => {
        let compared = 0;
        for (const cores of [1, 2, 4, 8]) {
            for (const memory of ["1g", "4g", "12g", "28g"]) {
                for (const count of [1, 3, 7, 20, 41, 60]) {
                    const pod = executor(cores, memory);
                    const fit = executorFit(pool, pod, count);
                    if (!fit) {
                        continue;
                    }
                    const limit = fit.maxInstanceVcpus ?? Number.POSITIVE_INFINITY;
                    const pods = Array.from({ length: count }, (_, i) => ({ name: `e${i}`, cpuMilli: fit.cpuMilli, memoryMiB: pod.memoryMiB }));
                    const packed = pack(pods, offers.filter((o) => o.type.vcpu <= limit), { overhead: { ...DAEMONSET_OVERHEAD }, minValues });
                    expect(packed.unscheduled, `${count} x ${cores}/${memory}`).to.deep.equal([]);
                    const vcpus = (xs: number[]) => [...xs].sort((a, b) => b - a);
                    expect(vcpus(packed.nodes.map((n) => n.offering.type.vcpu)), `${count} x ${cores}/${memory}`).to.deep.equal(vcpus(fit.nodeVcpus));
                    compared++;
                }
            }
        }
        expect(compared).to.be.at.least(80);
    });
});
