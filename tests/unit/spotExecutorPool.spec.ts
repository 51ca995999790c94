import { expect } from "chai";
import { SpotExecutorPool, SpotExecutorPoolArgs } from "../../components";
import { EXECUTOR_DECOMMISSION_FORCE_KILL_SECONDS, EXECUTOR_TERMINATION_GRACE_SECONDS } from "../../components/pools/placement";
import { loadCatalog } from "../../cost/catalog";
import { NodePoolSpec, nodeLabels, nodePoolSpec, poolCandidates, PodPlacement, podMayRunOn } from "../../components/catalog/scheduling";
import { evaluate, RenderResult } from "../../tools/render";
import { manifests } from "../helpers/render";

const catalog = loadCatalog();

async function poolOf(args: Partial<SpotExecutorPoolArgs>) {
    let pool: SpotExecutorPool | undefined;
    const r = await evaluate(
        () => {
            pool = new SpotExecutorPool("p", { clusterName: "c", nodeRoleName: "KarpenterNodeRole-c", poolName: "spark", ...args });
            return {};
        },
        { stack: "t", config: { "aws:region": "us-east-1" } },
    );
    const [driverPool, executorPool] = ["spark-drivers", "spark-executors"].map((n) => manifests(r, "NodePool").find((m) => m.metadata.name === n));
    return { r, pool: pool!, driverPool, executorPool, nodeClass: manifests(r, "EC2NodeClass")[0] };
}

/** How many instance types of a pool a pod with this placement may land on. */
function landable(placement: PodPlacement, pool: NodePoolSpec): number {
    return poolCandidates(pool, catalog.types).filter((c) => podMayRunOn(placement, nodeLabels(c.type, c.capacityType, pool), pool.taints)).length;
}

const req = (m: any, key: string) => m.spec.template.spec.requirements.find((r: any) => r.key === key);

// Spark's configuration reference (spark.apache.org/docs/4.0.0/configuration.html), the keys this
// project sets, with the version that added each. A key missing here is a key Spark ignores.
const SPARK_DOCUMENTED_CONF: Record<string, string> = {
    "spark.decommission.enabled": "3.1.0",
    "spark.storage.decommission.enabled": "3.1.0",
    "spark.storage.decommission.shuffleBlocks.enabled": "3.1.0",
    "spark.storage.decommission.rddBlocks.enabled": "3.1.0",
    "spark.executor.decommission.forceKillTimeout": "3.2.0",
    "spark.eventLog.enabled": "1.0.0",
    "spark.eventLog.dir": "1.0.0",
};

describe("SpotExecutorPool (mocked)", () => {
    describe("with the seed's defaults", () => {
        let p: Awaited<ReturnType<typeof poolOf>>;
        before(async () => {
            p = await poolOf({});
        });

        it("creates one EC2NodeClass and an On-Demand driver and a Spot executor NodePool", () => {
            expect(manifests(p.r).map((m) => `${m.kind}/${m.metadata.name}`).sort()).to.deep.equal(["EC2NodeClass/spark", "NodePool/spark-drivers", "NodePool/spark-executors"]);
            expect(req(p.driverPool, "karpenter.sh/capacity-type").values).to.deep.equal(["on-demand"]);
            expect(req(p.executorPool, "karpenter.sh/capacity-type").values).to.deep.equal(["spot"]);
        });

        it("gives executors the seed's requirements and limits, and disruption that never evicts them for cost", () => {
            const e = p.executorPool;
            // Diversity by family, not category; at most 8xlarge; Nitro generations; no bare metal (bench:costs).
            expect(req(e, "karpenter.k8s.aws/instance-category")).to.deep.equal({ key: "karpenter.k8s.aws/instance-category", operator: "In", values: ["c", "m", "r"] });
            expect(req(e, "karpenter.k8s.aws/instance-family")).to.deep.equal({ key: "karpenter.k8s.aws/instance-family", operator: "Exists", minValues: 5 });
            expect(req(e, "karpenter.k8s.aws/instance-cpu")).to.deep.equal({ key: "karpenter.k8s.aws/instance-cpu", operator: "Lt", values: ["33"] });
            expect(req(e, "karpenter.k8s.aws/instance-size").operator).to.equal("NotIn");
            expect(req(e, "karpenter.k8s.aws/instance-size").values).to.include.members(["metal", "metal-24xl", "metal-48xl"]);
            expect(req(p.driverPool, "karpenter.k8s.aws/instance-size").values).to.include("metal");
            expect(req(e, "karpenter.k8s.aws/instance-generation")).to.deep.equal({ key: "karpenter.k8s.aws/instance-generation", operator: "Gt", values: ["4"] });
            expect(req(p.driverPool, "karpenter.k8s.aws/instance-generation").values).to.deep.equal(["4"]);
            expect(req(e, "kubernetes.io/arch").values).to.deep.equal(["amd64"]);
            expect(req(e, "node.kubernetes.io/instance-type")).to.deep.equal({ key: "node.kubernetes.io/instance-type", operator: "Exists", minValues: 10 });
            expect(e.spec.limits).to.deep.equal({ cpu: "1000" });
            expect(e.spec.disruption).to.deep.equal({
                consolidationPolicy: "WhenEmpty",
                consolidateAfter: "0s",
                budgets: [
                    { nodes: "100%", reasons: ["Empty"] },
                    { nodes: "10%", reasons: ["Drifted", "Underutilized"] },
                ],
            });
            expect(e.spec.template.spec.expireAfter).to.equal("720h");
        });

        it("never consolidates a driver node while it runs a driver", () => {
            expect(p.driverPool.spec.disruption.consolidationPolicy).to.equal("WhenEmpty");
            expect(p.pool.driverPlacement.annotations).to.deep.equal({ "karpenter.sh/do-not-disrupt": "true" });
            expect(p.pool.driverPlacement.template.metadata.annotations).to.deep.equal({ "karpenter.sh/do-not-disrupt": "true" });
        });

        it("pins the AL2023 AMI, requires IMDSv2 with hop limit 1 and encrypts the gp3 root volume", () => {
            const s = p.nodeClass.spec;
            expect(s.amiSelectorTerms).to.deep.equal([{ alias: "al2023@v20260714" }]);
            expect(s.metadataOptions).to.include({ httpTokens: "required", httpPutResponseHopLimit: 1 });
            expect(s.blockDeviceMappings[0].ebs).to.include({ volumeType: "gp3", encrypted: true, volumeSize: "100Gi" });
            expect(s.subnetSelectorTerms).to.deep.equal([{ tags: { "karpenter.sh/discovery": "c" } }]);
            expect(s.securityGroupSelectorTerms).to.deep.equal([{ tags: { "karpenter.sh/discovery": "c" } }]);
            expect(s.role).to.equal("KarpenterNodeRole-c");
            expect(s).to.not.have.property("instanceStorePolicy");
        });

        it("lands drivers only on the driver pool and executors only on the executor pool", () => {
            const driverPool = nodePoolSpec(p.driverPool);
            const executorPool = nodePoolSpec(p.executorPool);
            expect(landable(p.pool.driverPlacement, driverPool)).to.be.greaterThan(100);
            expect(landable(p.pool.executorPlacement, executorPool)).to.be.greaterThan(100);
            expect(landable(p.pool.driverPlacement, executorPool)).to.equal(0);
            expect(landable(p.pool.executorPlacement, driverPool)).to.equal(0);
            // Workloads that are not Spark jobs tolerate neither pool's taint.
            expect(landable({}, driverPool) + landable({}, executorPool)).to.equal(0);
            // The pod templates carry the same placement, for jobs without the webhook.
            expect(landable(p.pool.executorPlacement.template.spec, executorPool)).to.equal(landable(p.pool.executorPlacement, executorPool));
            expect(landable(p.pool.executorPlacement.template.spec, driverPool)).to.equal(0);
        });

        it("shows the seed's defect cannot recur: Spot-only executors on an On-Demand-only pool schedule nowhere", () => {
            const seedPool = nodePoolSpec({ ...p.executorPool, spec: { ...p.executorPool.spec, template: { ...p.executorPool.spec.template, spec: { ...p.executorPool.spec.template.spec, requirements: [{ key: "karpenter.sh/capacity-type", operator: "In", values: ["on-demand"] }] } } } });
            expect(landable(p.pool.executorPlacement, seedPool)).to.equal(0);
        });

        it("asks executors to decommission within the Spot notice, with keys Spark documents", () => {
            expect(EXECUTOR_DECOMMISSION_FORCE_KILL_SECONDS).to.be.lessThan(EXECUTOR_TERMINATION_GRACE_SECONDS);
            expect(EXECUTOR_TERMINATION_GRACE_SECONDS).to.be.lessThan(120);
            expect(p.pool.executorPlacement.sparkConf["spark.executor.decommission.forceKillTimeout"]).to.equal(`${EXECUTOR_DECOMMISSION_FORCE_KILL_SECONDS}s`);
            expect(p.pool.executorPlacement.terminationGracePeriodSeconds).to.equal(EXECUTOR_TERMINATION_GRACE_SECONDS);
            for (const key of Object.keys({ ...p.pool.executorPlacement.sparkConf, ...p.pool.driverPlacement.sparkConf })) {
                expect(SPARK_DOCUMENTED_CONF, `${key} is not in Spark's configuration reference`).to.have.property(key);
            }
            expect(p.pool.executorPlacement.sparkConf).to.not.have.property("spark.executor.decommission.enabled"); // a common, non-existent key
        });

        it("annotates both pools and the node class for foreground deletion", () => {
            for (const m of manifests(p.r)) {
                expect(m.metadata.annotations, m.metadata.name).to.deep.equal({ "pulumi.com/deletionPropagationPolicy": "foreground" });
            }
        });
    });

    it("with arm64: allows both architectures on executors, keeping the placement valid", async () => {
        const p = await poolOf({ executorArchitectures: ["amd64", "arm64"] });
        expect(req(p.executorPool, "kubernetes.io/arch").values).to.deep.equal(["amd64", "arm64"]);
        const pool = nodePoolSpec(p.executorPool);
        const arms = poolCandidates(pool, catalog.types).filter((c) => c.type.arch === "arm64" && podMayRunOn(p.pool.executorPlacement, nodeLabels(c.type, c.capacityType, pool), pool.taints));
        expect(arms.length).to.be.greaterThan(50);
    });

    it("with On-Demand fallback: executors may use either, Spot first", async () => {
        const p = await poolOf({ executorCapacityTypes: ["spot", "on-demand"] });
        expect(req(p.executorPool, "karpenter.sh/capacity-type").values).to.deep.equal(["spot", "on-demand"]);
        expect(p.pool.executorPlacement.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions).to.deep.equal([
            { key: "karpenter.sh/capacity-type", operator: "In", values: ["spot", "on-demand"] },
        ]);
        const pool = nodePoolSpec(p.executorPool);
        const capacity = new Set(poolCandidates(pool, catalog.types).filter((c) => podMayRunOn(p.pool.executorPlacement, nodeLabels(c.type, c.capacityType, pool), pool.taints)).map((c) => c.capacityType));
        expect([...capacity].sort()).to.deep.equal(["on-demand", "spot"]);
    });

    it("with the instance store: RAID0 on d-suffixed families, limited as asked", async () => {
        // Three families: the minimum number of families must come down with them, or Karpenter launches nothing (refused otherwise).
        const p = await poolOf({ instanceStoreRaid0: true, executorInstanceFamilies: ["m6id", "r6id", "c6id"], executorMinInstanceFamilies: 3, executorMinInstanceTypes: 5, rootVolumeSizeGi: 50 });
        expect(p.nodeClass.spec.instanceStorePolicy).to.equal("RAID0");
        expect(p.nodeClass.spec.blockDeviceMappings[0].ebs.volumeSize).to.equal("50Gi");
        expect(req(p.executorPool, "karpenter.k8s.aws/instance-family").values).to.deep.equal(["m6id", "r6id", "c6id"]);
        const pool = nodePoolSpec(p.executorPool);
        expect(poolCandidates(pool, catalog.types).every((c) => c.type.localNvmeGiB > 0)).to.equal(true);
    });

    it("passes budgets, termination grace period, memory limit and weight through", async () => {
        const p = await poolOf({
            executorDisruptionBudgets: [{ nodes: "0", schedule: "0 9 * * 1-5", duration: "8h" }, { nodes: "20%" }],
            executorTerminationGracePeriod: "15m",
            executorMemoryLimitGi: 4000,
            executorWeight: 10,
        });
        expect(p.executorPool.spec.disruption.budgets).to.deep.equal([{ nodes: "0", schedule: "0 9 * * 1-5", duration: "8h" }, { nodes: "20%" }]);
        expect(p.executorPool.spec.template.spec.terminationGracePeriod).to.equal("15m");
        expect(p.executorPool.spec.limits).to.deep.equal({ cpu: "1000", memory: "4000Gi" });
        expect(p.executorPool.spec.weight).to.equal(10);
    });

    it("parents its three Kubernetes objects to the component, names prefixed with its own", async () => {
        const p: { r: RenderResult } = await poolOf({});
        const component = p.r.registrations.find((x) => x.type === "karpenter-spark:index:SpotExecutorPool")!;
        const children = p.r.registrations.filter((x) => x.parent === component.urn);
        expect(children.map((c) => c.name).sort()).to.deep.equal(["p-drivers", "p-executors", "p-node-class"]);
    });
});
