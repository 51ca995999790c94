import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { EstimateError, InstanceType, loadCatalog, regionPricing } from "../../cost/catalog";
import {
    ASSUMPTIONS,
    breakEven,
    cheapestWholeInstances,
    clusterAutoscalerNodeGroup,
    emrServerlessWorker,
    estimateJob,
    HOURS_PER_MONTH,
    idleFloor,
    monthly,
    monthlyAll,
    priceCapacityOptimized,
    stackFacts,
} from "../../cost/estimate";
import { Offering, pack } from "../../cost/packing";
import { estimateJson } from "../../cost/report";
import { loadServicePrices, regionServicePrices } from "../../cost/services";
import { loadWorkload, Workload } from "../../cost/spark";
import { UserError } from "../../tools/cli";
import { PROD_CONFIG_FLAG } from "../helpers/render";
import { main, REFERENCE_WORKLOADS, resolveWorkload } from "../../tools/estimate";
import { rendered } from "../helpers/render";

const catalog = loadCatalog();
const workload = (name: string) => loadWorkload(resolveWorkload(name));

async function estimate(stack: string, w: Workload | string, options?: { runsPerDay: number; crossAzShuffle: boolean }) {
    const r = await rendered(stack);
    const pricing = regionPricing(catalog, r.region);
    const services = regionServicePrices(r.region, catalog.onDemandMultipliers[r.region]);
    const facts = stackFacts(stack, r.region, r.registrations);
    return { e: estimateJob(facts, typeof w === "string" ? workload(w) : w, catalog, pricing, services, options), idle: idleFloor(facts, catalog, pricing, services), facts, pricing };
}

const type = (name: string, category: string, vcpu: number, cpuMilli: number, memoryMiB: number): InstanceType => ({
    name,
    vcpu,
    memoryMiB: memoryMiB + 1000,
    arch: "amd64",
    category,
    family: name.split(".")[0],
    generation: 6,
    size: name.split(".")[1],
    localNvmeGiB: 0,
    allocatable: { cpuMilli, memoryMiB, pods: 30 },
    onDemandUsdPerHourUsEast1: 0,
});
const overhead = { cpuMilli: 150, memoryMiB: 150, pods: 3 };

describe("cost: packing honours minValues on every key (bug 1)", () => {
    // Two m types and one r type: a claim for two pods keeps m8 and r8 (two categories); a third
    // pod would leave only the 16-vCPU m type, one category.
    const m4: Offering = { type: type("m4x.xlarge", "m", 4, 3920, 14000), capacityType: "on-demand", usdPerHour: 0.2 };
    const m16: Offering = { type: type("m16x.4xlarge", "m", 16, 15890, 60000), capacityType: "on-demand", usdPerHour: 0.8 };
    const r8: Offering = { type: type("r8x.2xlarge", "r", 8, 7910, 60000), capacityType: "on-demand", usdPerHour: 0.5 };
    const pods = [1, 2, 3, 4].map((i) => ({ name: `p${i}`, cpuMilli: 3000, memoryMiB: 1000 }));

    it("without minValues fills the largest type", () => {
        expect(pack(pods, [m4, m16, r8], { overhead, minValues: {} }).nodes.map((n) => n.offering.type.name)).to.deep.equal(["m16x.4xlarge"]);
    });

    it("stops growing a NodeClaim when fewer than minValues categories could hold it", () => {
        const p = pack(pods, [m4, m16, r8], { overhead, minValues: { "karpenter.k8s.aws/instance-category": 2 } });
        // p1+p2 (6150m) fit m16 and r8: two categories; adding p3 (9150m) leaves only m16.
        expect(p.nodes.map((n) => [n.offering.type.name, n.pods.length])).to.deep.equal([
            ["r8x.2xlarge", 2],
            ["r8x.2xlarge", 2],
        ]);
        for (const n of p.nodes) {
            expect(new Set(n.options.map((o) => o.type.category)).size).to.be.at.least(2);
        }
    });

    it("counts families the same way, and says which minValues no type set meets", () => {
        const p = pack(pods, [m4, m16], { overhead, minValues: { "karpenter.k8s.aws/instance-family": 3 } });
        expect(p.nodes).to.deep.equal([]);
        expect(p.unscheduled[0].reason).to.match(/do not meet the pool's minValues: need 3 distinct karpenter.k8s.aws\/instance-family \(only 2\)/);
    });

    it("prices prod's large-shuffle On-Demand-only baseline with every minValues the pool has", async () => {
        const { e } = await estimate("prod", "large-shuffle");
        // Before the fix only instance-type minValues counted and NodeClaims grew to 24xlarge/metal
        // sizes: $41.43 per run. Every executor NodeClaim now keeps the pool's categories and families.
        const nat = e.runExtras.find((i) => i.item.startsWith("NAT"))?.usd ?? 0;
        expect(e.baselines.onDemandOnly - nat).to.be.lessThan(25);
        const exec = e.pools.find((p) => p.role === "executor")!;
        for (const [key, min] of Object.entries(exec.minValues)) {
            expect(min, key).to.be.greaterThan(0);
        }
    });
});

describe("cost: pods that do not fit are refused, not priced (bug 2)", () => {
    // Twice large-shuffle's executors: 14 nodes of 32 vCPUs, more than dev's 256-vCPU executor ceiling.
    const tooLarge = (): Workload => ({ ...workload("large-shuffle"), name: "twice-large-shuffle", executor: { ...workload("large-shuffle").executor, instances: 96 } });

    it("names the pod and the CPU limit", async () => {
        let err: unknown;
        await estimate("dev", tooLarge()).catch((x) => (err = x));
        expect(err).to.be.instanceOf(EstimateError);
        expect((err as Error).message).to.match(/^pod exec-\d+ does not fit NodePool \S+-executors: the pool's CPU limit \(256 vCPUs\) is reached/);
    });

    it("names the pod no allowed type holds, with the largest allocatable", async () => {
        const w = { ...workload("spark-pi"), executor: { instances: 2, cores: 1, memory: "4000g" } };
        let err: unknown;
        await estimate("prod", w).catch((x) => (err = x));
        expect(err).to.be.instanceOf(EstimateError);
        expect((err as Error).message).to.match(/^pod exec-1 does not fit NodePool \S+-executors: no allowed instance type holds \d+m CPU and \d+ MiB.*the largest allocatable is/);
        expect((err as Error).message).not.to.match(/Infinity|NaN/);
    });

    it("the CLI exits 2 with one line naming the pod", function () {
        this.timeout(120000);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "estimate-"));
        const file = path.join(dir, "twice-large-shuffle.yaml");
        fs.writeFileSync(file, stringify(tooLarge()));
        const r = spawnSync(process.execPath, [require.resolve("ts-node/dist/bin"), "--transpile-only", path.join(__dirname, "../../tools/estimate.ts"), "dev", "--workload", file], {
            encoding: "utf8",
        });
        fs.rmSync(dir, { recursive: true, force: true });
        expect(r.status, r.stderr).to.equal(2);
        expect(r.stdout).to.equal("");
        expect(r.stderr.trim().split("\n")).to.have.length(1);
        expect(r.stderr).to.match(/^error: pod exec-\d+ does not fit NodePool/);
    });
});

describe("cost: billed time follows each pool's disruption settings", () => {
    it("bills an empty node until expireAfter when the pool never consolidates it, and refuses when it never goes", async () => {
        const r = await rendered("prod");
        const facts = stackFacts("prod", r.region, r.registrations);
        const pricing = regionPricing(catalog, r.region);
        const services = regionServicePrices(r.region, 1);
        const withExec = (change: object) => ({ ...facts, pools: facts.pools.map((p) => (p.name.endsWith("executors") ? { ...p, ...change } : p)) });
        const base = estimateJob(facts, workload("spark-pi"), catalog, pricing, services);
        const never = estimateJob(withExec({ consolidateAfter: "Never", expireAfter: "24h" }), workload("spark-pi"), catalog, pricing, services);
        const exec = never.pools.find((p) => p.role === "executor")!;
        expect(exec.billedTime.consolidateAfterMinutes).to.equal(24 * 60);
        expect(never.costPerRun).to.be.greaterThan(10 * base.costPerRun);
        const blocked = estimateJob(withExec({ budgets: [{ nodes: "0", reasons: ["Empty"] }], expireAfter: "720h" }), workload("spark-pi"), catalog, pricing, services);
        expect(blocked.pools.find((p) => p.role === "executor")!.billedTime.consolidateAfterMinutes).to.equal(720 * 60);
        // A budget of 0 only on a schedule still lets empty nodes go outside it.
        const scheduled = estimateJob(withExec({ budgets: [{ nodes: "0", reasons: ["Empty"], schedule: "0 9 * * mon-fri" }] }), workload("spark-pi"), catalog, pricing, services);
        expect(scheduled.costPerRun).to.be.closeTo(base.costPerRun, 1e-12);
        expect(() => estimateJob(withExec({ consolidateAfter: "Never", expireAfter: "Never" }), workload("spark-pi"), catalog, pricing, services)).to.throw(
            EstimateError,
            /NodePool \S+-executors never removes an empty node \(consolidateAfter is Never\) and expireAfter is Never/,
        );
    });
});

describe("cost: Spot band and the lower bound", () => {
    const a: Offering = { type: type("a.large", "m", 2, 1930, 3000), capacityType: "spot", usdPerHour: 0.02, interruptionBand: ">20%" };
    const b: Offering = { type: type("b.large", "m", 2, 1930, 3000), capacityType: "spot", usdPerHour: 0.03, interruptionBand: "<5%" };
    const c: Offering = { type: type("c.large", "m", 2, 1930, 3000), capacityType: "spot", usdPerHour: 0.025, interruptionBand: "5-10%" };

    it("price-capacity-optimized takes the cheapest type of the least-interrupted band", () => {
        expect(priceCapacityOptimized([a, b, c], catalog.interruptionBands).type.name).to.equal("b.large");
        expect(priceCapacityOptimized([a, c], catalog.interruptionBands).type.name).to.equal("c.large");
    });

    it("gives Cluster Autoscaler one node shape that meets the pool's minValues, priced price-capacity-optimized", () => {
        const same = (name: string, usd: number, band: string, category = "m"): Offering => ({ type: type(name, category, 8, 7910, 14000), capacityType: "spot", usdPerHour: usd, interruptionBand: band });
        const big: Offering = { type: type("z.4xlarge", "m", 16, 15890, 30000), capacityType: "spot", usdPerHour: 0.5, interruptionBand: "<5%" };
        const pods = Array.from({ length: 10 }, (_, i) => ({ name: `p${i}`, cpuMilli: 1900, memoryMiB: 1000 }));
        // 8-vCPU shape: 4 pods a node (7760m / 1900m), 3 nodes; priced at the least-interrupted type.
        const g = clusterAutoscalerNodeGroup(pods, [same("a.2xlarge", 0.2, ">20%"), same("b.2xlarge", 0.25, "<5%"), big], { "node.kubernetes.io/instance-type": 2 }, catalog.interruptionBands, overhead);
        expect([g.vcpu, g.podsPerNode, g.nodes, g.instanceTypes]).to.deep.equal([8, 4, 3, ["a.2xlarge", "b.2xlarge"]]);
        expect(g.usdPerHour.high).to.be.closeTo(0.75, 1e-9);
        expect(g.usdPerHour.low).to.be.closeTo(0.6, 1e-9);
        expect(g.meetsMinValues).to.equal(true);
        // No shape with two types: the cheapest shape, flagged.
        const lone = clusterAutoscalerNodeGroup(pods, [same("a.2xlarge", 0.2, ">20%"), big], { "node.kubernetes.io/instance-type": 2 }, catalog.interruptionBands, overhead);
        expect([lone.instanceTypes, lone.meetsMinValues]).to.deep.equal([["a.2xlarge"], false]);
        expect(() => clusterAutoscalerNodeGroup([{ name: "x", cpuMilli: 99000, memoryMiB: 1 }], [big], {}, catalog.interruptionBands, overhead)).to.throw(EstimateError, /no instance shape/);
    });

    it("picks Cluster Autoscaler's group by the whole run when the estimate says what a run costs: more nodes pay more NAT bytes and launches", () => {
        const same = (name: string, usd: number, band: string): Offering => ({ type: type(name, "m", 8, 7910, 14000), capacityType: "spot", usdPerHour: usd, interruptionBand: band });
        const big = (name: string, usd: number): Offering => ({ type: type(name, "m", 16, 15890, 30000), capacityType: "spot", usdPerHour: usd, interruptionBand: "<5%" });
        const pods = Array.from({ length: 8 }, (_, i) => ({ name: `p${i}`, cpuMilli: 1900, memoryMiB: 1000 }));
        const offers = [same("a.2xlarge", 0.2, "<5%"), same("b.2xlarge", 0.2, "<5%"), big("y.4xlarge", 0.45), big("z.4xlarge", 0.45)];
        // Per hour two 8-vCPU nodes ($0.40) beat one 16-vCPU node ($0.45)...
        expect(clusterAutoscalerNodeGroup(pods, offers, {}, catalog.interruptionBands, overhead).vcpu).to.equal(8);
        // ...but not once each node adds $0.10 of its own (its image through NAT, its launch).
        const g = clusterAutoscalerNodeGroup(pods, offers, {}, catalog.interruptionBands, overhead, (x) => x.usdPerHour.high + 0.1 * x.nodes);
        expect([g.vcpu, g.nodes]).to.deep.equal([16, 1]);
    });

    it("the lower bound is the cheapest whole-instance set, not the cheapest per-vCPU fraction", () => {
        const small: Offering = { type: type("s.large", "m", 2, 1930, 3000), capacityType: "spot", usdPerHour: 0.1 };
        const big: Offering = { type: type("b.2xlarge", "m", 8, 7910, 14000), capacityType: "spot", usdPerHour: 0.35 };
        const pods = Array.from({ length: 9 }, (_, i) => ({ name: `p${i}`, cpuMilli: 1000, memoryMiB: 100 }));
        // 7 pods per big (7910-150 = 7760m), 1 per small: 9 pods = big + 2 small ($0.55) beats 2 big ($0.70) and 9 small ($0.90).
        const lb = cheapestWholeInstances(pods, [small, big], overhead);
        expect(lb.usdPerHour).to.be.closeTo(0.55, 1e-9);
        expect(lb.nodes.sort()).to.deep.equal(["b.2xlarge", "s.large", "s.large"]);
    });

    it("decomposes the ratio to the lower bound exactly into billed time, packing and type premium", async () => {
        for (const name of REFERENCE_WORKLOADS) {
            const { e } = await estimate("prod", name);
            const d = e.ratioDecomposition;
            expect(d.billedTime * d.packing * d.typePremium, name).to.be.closeTo(e.ratioToLowerBound, 1e-9);
            expect(d.billedTime, name).to.be.greaterThan(1);
            expect(d.packing, name).to.be.at.least(1 - 1e-9);
            expect(d.typePremium, name).to.be.at.least(1);
            expect(e.costPerRunBand.low, name).to.be.at.most(e.costPerRunBand.high);
            expect(e.costPerRun, name).to.equal(e.costPerRunBand.high);
        }
    });
});

describe("cost: a workload's cost recomputed by hand from catalog prices", () => {
    it("spark-pi on prod: every node's Spot price from the catalog, billed per pool, plus volumes and NAT bytes", async () => {
        const { e, facts } = await estimate("prod", "spark-pi");
        const advisor = catalog.spot["us-east-1"];
        let high = 0;
        let low = 0;
        let nodes = 0;
        for (const p of e.pools) {
            // prod's image lacks S3A: the driver waits for the jars' init container before it starts
            // (SparkPi's executors read no S3 data and fetch none).
            const jarsSeconds = p.role === "driver" ? ASSUMPTIONS.s3aJarsFetchSeconds : 0;
            // Both pools remove an empty node through Karpenter's disruption loop after consolidateAfter (0s).
            expect(p.billedTime.consolidateAfterMinutes).to.equal(0);
            const minutes =
                (ASSUMPTIONS.launchToReadySeconds + ASSUMPTIONS.imagePullSeconds + jarsSeconds + ASSUMPTIONS.emptyNodeRemovalSeconds) / 60 + e.workload.durationMinutes + p.billedTime.consolidateAfterMinutes;
            expect(p.billedTime.totalMinutes).to.be.closeTo(minutes, 1e-9);
            for (const n of p.nodes) {
                const od = (name: string) => catalog.byName.get(name)!.onDemandUsdPerHourUsEast1;
                const price = (name: string) => (n.capacityType === "spot" ? od(name) * (1 - advisor[name][0] / 100) : od(name));
                low += (n.count * price(n.instanceType) * minutes) / 60;
                high += (n.count * price(n.pcoInstanceType ?? n.instanceType) * minutes) / 60;
                nodes += n.count;
                // The node holds what the packing put on it: this pool's pods, one node's worth at most.
                const t = catalog.byName.get(n.instanceType)!;
                const req = p.role === "driver" ? e.requests.driver : e.requests.executor;
                expect(req.cpuMilli + ASSUMPTIONS.daemonSetOverhead.cpuMilli).to.be.at.most(t.allocatable.cpuMilli);
            }
            const hours = (p.nodeCount * minutes) / 60;
            low += (hours * facts.nodeRootVolumeGiB * 0.08) / HOURS_PER_MONTH;
            high += (hours * facts.nodeRootVolumeGiB * 0.08) / HOURS_PER_MONTH;
        }
        // NAT data processing: each new node pulls the image from ECR Public through prod's NAT
        // gateways ($0.045/GB; VPC endpoints do not serve ECR Public), and the driver fetches the S3A
        // jars from Maven Central (SparkPi's executors read no S3 data, so they do not).
        expect([facts.s3aJarsAtStart, facts.s3GatewayEndpoint, facts.sparkImagesInRegionalEcr]).to.deep.equal([true, true, false]);
        const nat = nodes * ASSUMPTIONS.imageGiB * 0.045 + 1 * ASSUMPTIONS.s3aJarsGiB * 0.045;
        expect(e.costPerRunBand.low).to.be.closeTo(low + nat, 1e-9);
        expect(e.costPerRun).to.be.closeTo(high + nat, 1e-9);
        expect(e.costPerRun).to.be.greaterThan(0.01).and.lessThan(1);
    });
});

describe("cost: image pulls through the NAT gateway", () => {
    it("counts the S3 gateway endpoint for image layers only when the Spark image is in the stack region's private ECR", async () => {
        const image = (host: string) => ({ "karpenter-spark:sparkImage": `${host}/spark-s3a:4.0.4`, "karpenter-spark:sparkImageHasS3A": "true" });
        const facts = async (overrides: Record<string, string>) => {
            const x = await rendered("prod", overrides);
            return stackFacts("prod", x.region, x.registrations).sparkImagesInRegionalEcr;
        };
        expect(await facts(image("123456789012.dkr.ecr.us-east-1.amazonaws.com"))).to.equal(true);
        expect(await facts(image("123456789012.dkr.ecr.us-west-2.amazonaws.com"))).to.equal(false);
        expect(await facts({})).to.equal(false);
    });
});

describe("cost: the S3A jars' download on every pod", () => {
    it("is billed (seconds before each pod starts, NAT bytes per pod) when the stack's image lacks S3A, and not with sparkImageHasS3A", async () => {
        const r = await rendered("prod");
        const s3a = await rendered("prod", { "karpenter-spark:sparkImageHasS3A": "true", "karpenter-spark:sparkImage": "registry.example.com/spark-s3a:4.0.4" });
        const pricing = regionPricing(catalog, r.region);
        const services = regionServicePrices(r.region, catalog.onDemandMultipliers[r.region]);
        const run = (x: typeof r) => estimateJob(stackFacts("prod", x.region, x.registrations), workload("spark-pi"), catalog, pricing, services);
        const [stock, baked] = [run(r), run(s3a)];
        expect([stackFacts("prod", r.region, r.registrations).s3aJarsAtStart, stackFacts("prod", s3a.region, s3a.registrations).s3aJarsAtStart]).to.deep.equal([true, false]);
        // SparkPi moves no S3 data: only its driver (which writes the event log) waits for the jars.
        expect(stock.pools.map((p) => p.billedTime.s3aJarsFetchSeconds)).to.deep.equal([ASSUMPTIONS.s3aJarsFetchSeconds, 0]);
        expect(baked.pools.map((p) => p.billedTime.s3aJarsFetchSeconds)).to.deep.equal([0, 0]);
        const jarLine = (e: typeof stock) => e.runExtras.find((i) => i.item.includes("S3A jars from Maven Central"));
        expect(jarLine(stock)?.usd).to.be.closeTo(1 * ASSUMPTIONS.s3aJarsGiB * services.prices.natGatewayUsdPerGb, 1e-9);
        expect(jarLine(baked)).to.equal(undefined);
        expect(stock.costPerRun).to.be.greaterThan(baked.costPerRun);
        // A job that reads S3 needs the connector on every executor: each one fetches the jars.
        const etl = estimateJob(stackFacts("prod", r.region, r.registrations), workload("medium-etl"), catalog, pricing, services);
        expect(etl.pools.map((p) => p.billedTime.s3aJarsFetchSeconds)).to.deep.equal([ASSUMPTIONS.s3aJarsFetchSeconds, ASSUMPTIONS.s3aJarsFetchSeconds]);
        expect(jarLine(etl)?.usd).to.be.closeTo((1 + etl.workload.executor.instances) * ASSUMPTIONS.s3aJarsGiB * services.prices.natGatewayUsdPerGb, 1e-9);
    });
});

describe("cost: the monthly view", () => {
    it("adds the idle floor to every EKS-based option and the runs to all, and finds where each line crosses this stack's", async () => {
        const { e, idle } = await estimate("prod", "medium-etl");
        const runs = (perDay: number) => (perDay * HOURS_PER_MONTH) / 24;
        const m = monthly(e, idle, 4);
        expect(m.karpenterSpark).to.be.closeTo(idle.usdPerMonth + runs(4) * e.costPerRun, 1e-6);
        expect(m.emrServerless).to.be.closeTo(runs(4) * e.baselines.emrServerless, 1e-6);
        expect(m.staticOnDemand).to.be.greaterThan(idle.usdPerMonth + e.staticCluster.usdPerHour * HOURS_PER_MONTH - 1e-6);
        for (const b of breakEven(e, idle)) {
            if (b.alternative === "staticOnDemand" && b.runsPerDay !== undefined && b.runsPerDay > (24 * 60) / e.workload.durationMinutes) {
                expect(b.cheaperWhen).to.match(/^never \(above .* but one cluster runs at most 32 a day\)$/);
            }
            if (b.runsPerDay !== undefined) {
                const at = monthly(e, idle, b.runsPerDay);
                expect(at[b.alternative], b.alternative).to.be.closeTo(at.karpenterSpark, 1e-6);
            }
        }
    });

    it("prices the idle floor in every catalog region with that region's prices", async () => {
        const r = await rendered("prod");
        const regions = Object.keys(catalog.onDemandMultipliers).filter((x) => catalog.spot[x]);
        expect(regions.length).to.be.at.least(20);
        const floors = new Map<string, number>();
        for (const region of regions) {
            const pricing = regionPricing(catalog, region);
            const services = regionServicePrices(region, catalog.onDemandMultipliers[region]);
            const facts = stackFacts("prod", region, r.registrations);
            const idle = idleFloor(facts, catalog, pricing, services);
            expect(idle.usdPerHour, region).to.be.greaterThan(0);
            floors.set(region, idle.usdPerHour);
            const e = estimateJob(facts, workload("spark-pi"), catalog, pricing, services);
            expect(Number.isFinite(e.costPerRun), region).to.equal(true);
        }
        // Listed regional NAT prices are used as listed; other regions are scaled by their EC2 ratio.
        expect(regionServicePrices("eu-west-1", 1.1).prices.natGatewayUsdPerHour).to.equal(loadServicePrices().regional["eu-west-1"].natGatewayUsdPerHour);
        expect(regionServicePrices("sa-east-1", 1.5).prices.natGatewayUsdPerHour).to.be.closeTo(0.045 * 1.5, 1e-12);
        expect(regionServicePrices("sa-east-1", 1.5).prices.eksControlPlaneUsdPerHour).to.equal(0.1);
        expect(floors.get("sa-east-1")).to.be.greaterThan(floors.get("us-east-1")!);
    });

    it("charges NAT data processing only without the S3 gateway endpoint, and cross-AZ shuffle only when asked", async () => {
        const { e, facts } = await estimate("prod", "large-shuffle", { runsPerDay: 1, crossAzShuffle: true });
        const natOf = (f: typeof facts) =>
            estimateJob(f, e.workload, catalog, regionPricing(catalog, "us-east-1"), regionServicePrices("us-east-1", 1)).runExtras.find((i) => i.item.startsWith("NAT data processing:"))!;
        const nodes = e.pools.reduce((s, p) => s + p.nodeCount, 0);
        const images = nodes * ASSUMPTIONS.imageGiB * 0.045;
        // Without the endpoint: S3 bytes and image pulls.
        expect(natOf({ ...facts, s3GatewayEndpoint: false }).usd).to.be.closeTo((e.workload.data!.s3ReadGiB + e.workload.data!.s3WriteGiB) * 0.045 + images, 1e-9);
        // With it, S3 is free but ECR Public's image layers still cross the NAT gateway
        // (https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html).
        expect(natOf({ ...facts, s3GatewayEndpoint: true, sparkImagesInRegionalEcr: false }).usd).to.be.closeTo(images, 1e-9);
        expect(natOf({ ...facts, s3GatewayEndpoint: true, sparkImagesInRegionalEcr: true }).usd).to.equal(0);
        const shuffle = e.runExtras.find((i) => i.item.startsWith("cross-AZ"))!;
        expect(shuffle.usd).to.be.closeTo(e.workload.data!.shuffleGiB * (2 / 3) * 0.02, 1e-9);
        const { e: without } = await estimate("prod", "large-shuffle");
        expect(without.runExtras.some((i) => i.item.startsWith("cross-AZ"))).to.equal(false);
    });

    it("sizes EMR Serverless workers as the service allows", () => {
        expect(emrServerlessWorker(1, 896)).to.deep.equal({ vcpu: 1, memoryGb: 2 });
        expect(emrServerlessWorker(4, 18022)).to.deep.equal({ vcpu: 4, memoryGb: 18 });
        // 4 cores and 31 GB exceed a 4-vCPU worker's 30 GB: an 8-vCPU worker.
        expect(emrServerlessWorker(4, 31539)).to.deep.equal({ vcpu: 8, memoryGb: 32 });
        expect(() => emrServerlessWorker(32, 1000)).to.throw(EstimateError, /largest worker/);
    });
});

describe("cost: the estimate CLI", () => {
    it("takes a reference workload by name or a path, and suggests a near name", () => {
        expect(REFERENCE_WORKLOADS).to.deep.equal(["large-shuffle", "medium-etl", "spark-pi"]);
        expect(resolveWorkload("medium-etl")).to.match(/cost\/workloads\/medium-etl\.yaml$/);
        const file = resolveWorkload("medium-etl");
        expect(resolveWorkload(file)).to.equal(file);
        expect(() => resolveWorkload("medium-elt")).to.throw(UserError, /invalid --workload: got "medium-elt"; allowed: .*spark-pi.* or a path to a workload file; did you mean "medium-etl"\?/);
    });

    it("--json carries the fields the issue lists", async function () {
        this.timeout(60000);
        let out = "";
        await main(["prod", "--workload", "spark-pi", "medium-etl", "--json", ...PROD_CONFIG_FLAG], (s) => (out += s));
        const doc = JSON.parse(out);
        expect(doc.pricesAsOf).to.be.a("string");
        expect(doc.idleFloor).to.include.keys("usdPerHour", "items");
        expect(doc.monthly.map((m: any) => m.runsPerDay)).to.deep.equal([1, 4, 24]);
        for (const m of doc.monthly) {
            expect(m).to.include.keys("runsPerDay", "karpenterSpark", "staticOnDemand", "clusterAutoscalerSpot", "emrOnEks", "emrServerless");
        }
        expect(doc.workloads.map((w: any) => w.name)).to.deep.equal(["spark-pi", "medium-etl"]);
        for (const w of doc.workloads) {
            expect(w).to.include.keys(
                "name",
                "costPerRun",
                "costPerRunBand",
                "lowerBound",
                "ratioToLowerBound",
                "ratioDecomposition",
                "cpuUtilizationPct",
                "memoryUtilizationPct",
                "instanceTypesLaunchable",
                "baselines",
            );
            expect(w.costPerRunBand).to.have.keys("low", "high");
            expect(w.ratioDecomposition).to.have.keys("billedTime", "packing", "typePremium");
            expect(w.instanceTypesLaunchable).to.have.keys("driver", "executor");
            expect(w.instanceTypesPerNodeClaim.executor.types).to.be.at.least(10);
            expect(w.instanceTypesPerNodeClaim.executor.families).to.be.at.least(5);
            expect(w.baselines).to.have.keys("onDemandOnly", "staticOnDemand", "clusterAutoscalerSpot", "emrOnEks", "emrServerless");
            for (const v of Object.values<number>(w.baselines)) {
                expect(Number.isFinite(v)).to.equal(true);
            }
        }
        // Two workloads a month: one idle floor, both workloads' runs.
        const { e: pi, idle } = await estimate("prod", "spark-pi");
        const { e: etl } = await estimate("prod", "medium-etl");
        const both = monthlyAll([pi, etl], idle, 4);
        expect(both.karpenterSpark).to.be.closeTo(monthly(pi, idle, 4).karpenterSpark + monthly(etl, idle, 4).karpenterSpark - idle.usdPerMonth, 1e-6);
        expect(both.emrServerless).to.be.closeTo(monthly(pi, idle, 4).emrServerless + monthly(etl, idle, 4).emrServerless, 1e-6);
        expect(doc.monthly[1].karpenterSpark).to.be.closeTo(both.karpenterSpark, 1e-6);
        const one = estimateJson([], { items: [], usdPerHour: 0, usdPerMonth: 0 }, [2], "x");
        expect(one.monthly).to.deep.equal([]);
    });

    it("--runs-per-day gives that row; --help lists the reference workloads", async function () {
        this.timeout(60000);
        let out = "";
        await main(["prod", "--runs-per-day", "6", "--json", ...PROD_CONFIG_FLAG], (s) => (out += s));
        expect(JSON.parse(out).monthly.map((m: any) => m.runsPerDay)).to.deep.equal([6]);
        let help = "";
        const { program } = await import("../../tools/estimate");
        const p = program().configureOutput({ writeOut: (s) => (help += s) });
        expect(() => p.parse(["--help"], { from: "user" })).to.throw();
        expect(help).to.match(/Reference workloads \(cost\/workloads\): large-shuffle, medium-etl, spark-pi/);
        expect(() => program().parse(["prod", "--runs-per-day", "0"], { from: "user" })).to.throw(/runs per day greater than 0/);
    });
});
