import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EstimateError, InstanceType, loadCatalog, regionPricing } from "../../cost/catalog";
import { Offering, pack } from "../../cost/packing";
import { requirementMatches, tolerates } from "../../components/catalog/scheduling";
import { loadWorkload, memoryOverheadMiB, parseWorkload, sparkMemoryMiB, sparkPodRequest } from "../../cost/spark";
import { DEFAULT_WORKLOAD } from "../../tools/estimate";

const labels = { "karpenter.k8s.aws/instance-generation": "6", "karpenter.sh/capacity-type": "spot", "kubernetes.io/arch": "amd64" };

describe("cost: Karpenter's requirement operators", () => {
    const cases: [string, string, string[] | undefined, boolean][] = [
        ["karpenter.sh/capacity-type", "In", ["spot", "on-demand"], true],
        ["karpenter.sh/capacity-type", "In", ["on-demand"], false],
        ["karpenter.sh/capacity-type", "NotIn", ["spot"], false],
        ["karpenter.sh/capacity-type", "NotIn", ["on-demand"], true],
        ["example.com/absent", "NotIn", ["x"], true],
        ["kubernetes.io/arch", "Exists", undefined, true],
        ["example.com/absent", "Exists", undefined, false],
        ["example.com/absent", "DoesNotExist", undefined, true],
        ["kubernetes.io/arch", "DoesNotExist", undefined, false],
        ["karpenter.k8s.aws/instance-generation", "Gt", ["2"], true],
        ["karpenter.k8s.aws/instance-generation", "Gt", ["6"], false],
        ["karpenter.k8s.aws/instance-generation", "Lt", ["7"], true],
        ["karpenter.k8s.aws/instance-generation", "Lt", ["6"], false],
        ["example.com/absent", "Gt", ["0"], false],
    ];
    for (const [key, operator, values, expected] of cases) {
        it(`${key} ${operator} ${values ? JSON.stringify(values) : ""} is ${expected}`, () => {
            expect(requirementMatches({ key, operator, values }, labels)).to.equal(expected);
        });
    }

    it("lets a pod onto a tainted node only with a matching toleration", () => {
        const taints = [{ key: "karpenter-spark.io/spark-role", value: "executor", effect: "NoSchedule" }];
        expect(tolerates([], taints)).to.equal(false);
        expect(tolerates([{ key: "karpenter-spark.io/spark-role", operator: "Equal", value: "driver", effect: "NoSchedule" }], taints)).to.equal(false);
        expect(tolerates([{ key: "karpenter-spark.io/spark-role", operator: "Equal", value: "executor", effect: "NoSchedule" }], taints)).to.equal(true);
        expect(tolerates([{ key: "karpenter-spark.io/spark-role", operator: "Exists" }], taints)).to.equal(true);
        expect(tolerates([], [{ key: "x", effect: "PreferNoSchedule" }])).to.equal(true);
    });
});

describe("cost: Spark's pod sizes", () => {
    it("adds max(384 MiB, 10%) of overhead for JVM jobs and 40% for Python", () => {
        // 512m: 10% is 51 MiB, below the 384 MiB floor.
        expect(sparkPodRequest(1, "512m")).to.deep.equal({ cpuMilli: 1000, memoryMiB: 512 + 384 });
        // 16g = 16384 MiB: 10% is 1638 MiB.
        expect(sparkPodRequest(4, "16g")).to.deep.equal({ cpuMilli: 4000, memoryMiB: 16384 + 1638 });
        // 28g = 28672 MiB: 10% is 2867 MiB.
        expect(sparkPodRequest(4, "28g").memoryMiB).to.equal(28672 + 2867);
        // 8g Python: 40% is 3276 MiB.
        expect(sparkPodRequest(2, "8g", false).memoryMiB).to.equal(8192 + 3276);
        expect(memoryOverheadMiB(3840)).to.equal(384);
        expect(memoryOverheadMiB(3850)).to.equal(385);
    });

    it("reads memory as Spark does and refuses Kubernetes units", () => {
        expect([sparkMemoryMiB("512m"), sparkMemoryMiB("2g"), sparkMemoryMiB("2048"), sparkMemoryMiB("1t"), sparkMemoryMiB("4GB")]).to.deep.equal([512, 2048, 2048, 1048576, 4096]);
        expect(() => sparkMemoryMiB("512Mi")).to.throw(EstimateError, /invalid Spark memory: got "512Mi"/);
    });
});

describe("cost: packing on hand-checked cases", () => {
    const type = (name: string, vcpu: number, cpuMilli: number, memoryMiB: number, pods: number): InstanceType => ({
        name,
        vcpu,
        memoryMiB: memoryMiB + 1000,
        arch: "amd64",
        category: "m",
        family: name.split(".")[0],
        generation: 6,
        size: name.split(".")[1],
        localNvmeGiB: 0,
        allocatable: { cpuMilli, memoryMiB, pods },
        onDemandUsdPerHourUsEast1: 0,
    });
    const small: Offering = { type: type("t.small", 2, 1930, 3000, 10), capacityType: "spot", usdPerHour: 0.1 };
    const large: Offering = { type: type("t.large", 8, 7910, 14000, 30), capacityType: "spot", usdPerHour: 0.35 };
    const overhead = { cpuMilli: 150, memoryMiB: 150, pods: 3 };
    const pods = [1, 2, 3].map((i) => ({ name: `p${i}`, cpuMilli: 1000, memoryMiB: 1000 }));

    it("keeps adding pods to a NodeClaim while some type holds them all, then buys the cheapest such type", () => {
        // p1 opens a claim that small (1150m) and large fit; with p2 only large fits (2150m > 1930m);
        // p3 still fits large (3150m). One large node: $0.35/h.
        const p = pack(pods, [small, large], { overhead, minValues: {} });
        expect(p.nodes.map((n) => [n.offering.type.name, n.pods.map((x) => x.name)])).to.deep.equal([["t.large", ["p1", "p2", "p3"]]]);
        expect(p.unscheduled).to.deep.equal([]);
    });

    it("opens a new NodeClaim rather than drop below the pool's minimum number of types", () => {
        // With minValues 2, adding p2 would leave only one type, so each pod gets its own claim,
        // and each claim launches the cheaper of its two types: three smalls, $0.30/h.
        const p = pack(pods, [small, large], { overhead, minValues: { "node.kubernetes.io/instance-type": 2 } });
        expect(p.nodes.map((n) => n.offering.type.name)).to.deep.equal(["t.small", "t.small", "t.small"]);
        expect(p.nodes.reduce((s, n) => s + n.offering.usdPerHour, 0)).to.be.closeTo(0.3, 1e-9);
    });

    it("offers only types that fit the pool's remaining CPU limit, then leaves pods pending", () => {
        // Limit 4: large (8 vCPUs) is never an option. p1 and p2 each get a small (2 + 2 = 4),
        // and p3 finds no room left.
        const p = pack(pods, [small, large], { overhead, minValues: {}, cpuLimit: 4 });
        expect(p.nodes.map((n) => n.offering.type.name)).to.deep.equal(["t.small", "t.small"]);
        expect(p.unscheduled.map((u) => [u.pod.name, u.reason])).to.deep.equal([["p3", "the pool's CPU limit (4 vCPUs) is reached"]]);
        // Limit 8: one claim may grow to a large (8 vCPUs) and holds all three.
        expect(pack(pods, [small, large], { overhead, minValues: {}, cpuLimit: 8 }).nodes.map((n) => n.offering.type.name)).to.deep.equal(["t.large"]);
    });

    it("cannot place a pod that no allowed type holds", () => {
        const big = { name: "big", cpuMilli: 9000, memoryMiB: 1000 };
        expect(pack([big], [small, large], { overhead, minValues: {} }).unscheduled.map((u) => u.pod.name)).to.deep.equal(["big"]);
    });

    it("respects the allocatable pod count", () => {
        const tiny = { name: "", cpuMilli: 10, memoryMiB: 10 };
        const many = Array.from({ length: 8 }, (_, i) => ({ ...tiny, name: `t${i}` }));
        // small allows 10 pods, 3 of them DaemonSets: 7 workload pods per node.
        expect(pack(many, [small], { overhead, minValues: {} }).nodes.map((n) => n.pods.length)).to.deep.equal([7, 1]);
    });
});

describe("cost: prices per region", () => {
    const catalog = loadCatalog();
    const m5 = catalog.byName.get("m5.large")!;

    it("uses us-east-1 prices there and the regional multiplier elsewhere", () => {
        expect(regionPricing(catalog, "us-east-1").onDemand(m5)).to.equal(0.096);
        const m = catalog.onDemandMultipliers["eu-west-1"];
        expect(m).to.be.greaterThan(1);
        expect(regionPricing(catalog, "eu-west-1").onDemand(m5)).to.be.closeTo(0.096 * m, 1e-12);
    });

    it("prices Spot from the Spot Advisor's savings for that region", () => {
        const [savings, band] = catalog.spot["us-east-1"]["m5.large"];
        const s = regionPricing(catalog, "us-east-1").spot(m5)!;
        expect(s.usdPerHour).to.be.closeTo(0.096 * (1 - savings / 100), 1e-12);
        expect(s.band).to.equal(catalog.interruptionBands[band]);
    });

    it("refuses an unknown region, listing the known ones", () => {
        expect(() => regionPricing(catalog, "mars-north-1")).to.throw(EstimateError, /invalid region: got "mars-north-1"; allowed: .*us-east-1.*us-west-2/);
    });
});

describe("cost: workload files", () => {
    const cases: [string, unknown, RegExp][] = [
        ["Kubernetes memory units", { name: "x", durationMinutes: 1, driver: { cores: 1, memory: "1g" }, executor: { instances: 1, cores: 1, memory: "512Mi" } }, /executor\.memory: got "512Mi"/],
        ["no driver", { name: "x", durationMinutes: 1, executor: { instances: 1, cores: 1, memory: "1g" } }, /driver: got nothing/],
        ["zero executors", { name: "x", durationMinutes: 1, driver: { cores: 1, memory: "1g" }, executor: { instances: 0, cores: 1, memory: "1g" } }, /executor\.instances: got 0/],
        ["a negative duration", { name: "x", durationMinutes: -5, driver: { cores: 1, memory: "1g" }, executor: { instances: 1, cores: 1, memory: "1g" } }, /durationMinutes: got -5/],
        ["an unknown field", { name: "x", durationMinutes: 1, driver: { cores: 1, memory: "1g", gpus: 1 }, executor: { instances: 1, cores: 1, memory: "1g" } }, /unknown field driver\.gpus/],
    ];
    for (const [what, doc, message] of cases) {
        it(`names the field for ${what}`, () => {
            expect(() => parseWorkload(doc, "w.yaml")).to.throw(EstimateError, message);
        });
    }

    it("reads the shipped workloads", () => {
        for (const f of fs.readdirSync(path.dirname(DEFAULT_WORKLOAD))) {
            expect(loadWorkload(path.join(path.dirname(DEFAULT_WORKLOAD), f)).executor.instances).to.be.greaterThan(0);
        }
        const bad = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "wl-")), "bad.yaml");
        fs.writeFileSync(bad, "name: x\ndurationMinutes: two\n");
        expect(() => loadWorkload(bad)).to.throw(EstimateError, /durationMinutes: got "two"; allowed: a number of minutes/);
    });
});

