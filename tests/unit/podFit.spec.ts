// Issue 14, point 1 (pod fit): every Spark pod, not only the default example pod, must fit at
// least one instance type its pool may launch (the instance catalog), within the pool's CPU limit:
// the example spark-pi job and every SparkJob, driver and executor, with Spark's memory overhead
// (0.10 JVM / 0.40 non-JVM, at least 384 MiB, or spark.{role}.memoryOverhead(Factor) when set),
// request.cores, DaemonSets and max pods. Otherwise the pod stays Pending forever.
import { expect } from "chai";
import { SparkJob, SparkJobArgs, SparkOperator, SpotExecutorPoolArgs } from "../../components";
import { cpuMilli, sparkPodRequest } from "../../components/spark/podSize";
import { resolveSpotExecutorPoolArgs } from "../../components/spotExecutorPool/args";
import { InvalidArgumentsError } from "../../components/validation";
import { DAEMONSET_OVERHEAD, poolCapacity } from "../../components/validation/launchability";
import { nodePoolManifest } from "../../components/pools/specs";
import { loadCatalog } from "../../components/catalog/catalog";
import { poolPlacements } from "../helpers/placements";

const job = (args: Partial<SparkJobArgs>, pool: Partial<SpotExecutorPoolArgs> = {}) => () =>
    new SparkJob("etl", { namespace: "spark-jobs", mainApplicationFile: "s3a://b/app.jar", executorPoolCpuLimit: 1000, region: "us-east-1", ...poolPlacements(pool), ...args });

function refusal(construct: () => unknown): InvalidArgumentsError {
    try {
        construct();
    } catch (e) {
        if (e instanceof InvalidArgumentsError) {
            return e;
        }
        throw e;
    }
    throw new Error("expected the component to refuse its arguments");
}

describe("Spark pod sizes (components/spark/podSize.ts, Spark's own rules)", () => {
    it("adds max(384 MiB, 0.10 x heap) for JVM jobs and 0.40 for Python and R", () => {
        expect(sparkPodRequest({ role: "driver", cores: 1, memory: "512m", jvm: true })).to.deep.equal({ cpuMilli: 1000, memoryMiB: 512 + 384 });
        expect(sparkPodRequest({ role: "executor", cores: 4, memory: "16g", jvm: true })).to.deep.equal({ cpuMilli: 4000, memoryMiB: 16384 + 1638 });
        expect(sparkPodRequest({ role: "executor", cores: 2, memory: "8g", jvm: false })!.memoryMiB).to.equal(8192 + 3276);
    });

    it("takes spark.{role}.memoryOverhead, memoryOverheadFactor, minMemoryOverhead, request.cores and pyspark.memory when the job sets them", () => {
        const conf = (c: Record<string, string>, role = "executor") => sparkPodRequest({ role, cores: 2, memory: "4g", jvm: true, coreRequest: "1950m", sparkConf: c })!;
        expect(conf({ "spark.executor.memoryOverhead": "2g" }).memoryMiB).to.equal(4096 + 2048);
        expect(conf({ "spark.executor.memoryOverheadFactor": "0.25" }).memoryMiB).to.equal(4096 + 1024);
        expect(conf({ "spark.executor.minMemoryOverhead": "1g" }).memoryMiB).to.equal(4096 + 1024);
        expect(conf({ "spark.executor.pyspark.memory": "1g" }).memoryMiB).to.equal(4096 + 409 + 1024);
        expect(conf({}).cpuMilli).to.equal(1950);
        expect(conf({ "spark.kubernetes.executor.request.cores": "0.5" }).cpuMilli).to.equal(500);
        expect(conf({ "spark.kubernetes.driver.request.cores": "3" }, "driver").cpuMilli).to.equal(3000);
        expect(conf({ "spark.executor.memoryOverhead": "2Gi" })).to.equal(undefined);
        expect([cpuMilli("250m"), cpuMilli("1.5"), cpuMilli("2"), cpuMilli("two")]).to.deep.equal([250, 1500, 2000, undefined]);
    });
});

describe("what a pod can get on a pool's nodes (poolCapacity)", () => {
    it("keeps types with a pod slot, within the CPU limit, after DaemonSets, one per distinct shape, none beaten on both counts", () => {
        const a = resolveSpotExecutorPoolArgs("p", { clusterName: "c", nodeRoleName: "r", region: "us-east-1", driverCpuLimit: 8 });
        const c = poolCapacity(nodePoolManifest(a.driverPool), "us-east-1");
        const catalog = loadCatalog();
        expect(c.nodeShapes.length).to.be.greaterThan(0);
        for (const s of c.nodeShapes) {
            const t = catalog.byName.get(s.instanceType)!;
            expect(t.vcpu).to.be.at.most(8);
            expect(s.cpuMilli).to.equal(t.allocatable.cpuMilli - DAEMONSET_OVERHEAD.cpuMilli);
            expect(c.nodeShapes.filter((o) => o !== s && o.cpuMilli >= s.cpuMilli && o.memoryMiB >= s.memoryMiB)).to.deep.equal([]);
        }
    });
});

describe("every SparkJob's driver and executor pods fit their pools", () => {
    it("accepts the default job on the default pools", () => {
        expect(() => job({})()).to.not.throw();
    });

    it("refuses an executor larger than every type the executor pool may launch, naming the job, the role, the request and the largest type", () => {
        const e = refusal(job({ executorMemory: "600g" }));
        expect(e.message).to.include('SparkJob "etl": invalid executorCores, executorMemory (the executor pod): got "1880m CPU, 675840 MiB"');
        expect(e.message).to.include('the executor pod of SparkJob "etl"');
        expect(e.message).to.match(/NodePool "p-executors" in us-east-1 may launch.*within its CPU limit of 1000; the largest it allows, r5\.8xlarge, leaves a pod 31700m CPU and 239404 MiB/);
    });

    it("counts Spark's 0.40 overhead for Python jobs: 22g fits an xlarge r node for Scala, not for Python", () => {
        const xlarge = { executorInstanceSizes: ["xlarge"], executorMinInstanceTypes: 3, executorMinInstanceFamilies: 3 };
        expect(() => job({ executorMemory: "22g", executorCores: 2 }, xlarge)()).to.not.throw();
        const e = refusal(job({ executorMemory: "22g", executorCores: 2, type: "Python", mainApplicationFile: "s3a://b/app.py" }, xlarge));
        expect(e.message).to.include(`got "1880m CPU, ${22528 + Math.floor(0.4 * 22528)} MiB"`);
    });

    it("refuses a driver whose explicit memoryOverhead or request.cores no driver node can hold", () => {
        expect(refusal(job({ sparkConf: { "spark.driver.memoryOverhead": "800g" } })).message).to.include("invalid driverCores, driverMemory (the driver pod)");
        expect(refusal(job({ sparkConf: { "spark.kubernetes.driver.request.cores": "200" } })).message).to.include('got "200000m CPU,');
    });

    it("refuses a pod that only a node larger than the pool's CPU limit could hold", () => {
        // A 4-vCPU node allocates 3770m after DaemonSets; a driver of 4 cores needs a larger node, which a CPU limit of 4 never admits.
        const e = refusal(job({ driverCores: 4 }, { driverCpuLimit: 4 }));
        expect(e.message).to.match(/invalid driverCores, driverMemory \(the driver pod\): got "4000m CPU, 1408 MiB"; allowed: .*within its CPU limit of 4; the largest it allows, \S+\.xlarge, leaves a pod 3770m CPU/);
        expect(() => job({ driverCores: 3 }, { driverCpuLimit: 4 })()).to.not.throw();
    });

    it("refuses a sparkConf size that is not in Spark's notation", () => {
        expect(refusal(job({ sparkConf: { "spark.executor.memoryOverhead": "2Gi" } })).message).to.include('invalid sparkConf: got {"spark.executor.memoryOverhead":"2Gi"}');
    });
});

describe("the example spark-pi job's pods fit their pools", () => {
    const spark = (ex: object, pool: Partial<SpotExecutorPoolArgs> = {}) => () => new SparkOperator("s", { clusterName: "c", deployExample: true, ...poolPlacements(pool), ...ex });

    it("refuses example memory no executor node can hold, naming the example job", () => {
        const e = refusal(spark({ exampleExecutorMemory: "900g" }));
        expect(e.message).to.include('SparkOperator "s": invalid exampleExecutorMemory (the executor pod): got "940m CPU, 1013760 MiB"');
        expect(e.message).to.include('the executor pod of the example job "spark-pi"');
    });

    it("refuses an example driver the driver pool's sizes cannot hold", () => {
        const e = refusal(spark({ exampleDriverMemory: "30g" }, { driverInstanceCategories: ["c"], driverCpuLimit: 8 }));
        expect(e.message).to.include('invalid exampleDriverMemory (the driver pod): got "1000m CPU, 33792 MiB"');
    });
});
