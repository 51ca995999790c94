import { expect } from "chai";
import { CapacityType, SparkRole } from "../../components/enums";
import { sparkPodPlacement } from "../../components/pools/placement";
import { SparkJob, SparkJobArgs } from "../../components/sparkJob";
import { AWS_SDK_V2_VERSION, EXTRA_JARS_CLASSPATH, EXTRA_JARS_DIR, s3aJars, s3aJarsScript } from "../../components/spark/image";
import { evaluate, RenderResult } from "../../tools/render";
import { CrdValidator } from "../../components/validation/crd";
import { describeContract, yamlFixture } from "../helpers/fixtures";

const driverPlacement = sparkPodPlacement({ role: SparkRole.Driver, nodePoolName: "spark-driver", capacityTypes: [CapacityType.OnDemand] });
const executorPlacement = sparkPodPlacement({ role: SparkRole.Executor, nodePoolName: "spark-executor", capacityTypes: [CapacityType.Spot] });

const base: SparkJobArgs = {
    namespace: "spark-jobs",
    mainApplicationFile: "s3a://team-code/etl/nightly.py",
    type: "Python",
    driverPlacement,
    executorPlacement,
    executorPoolCpuLimit: 100,
    eventLogDirectory: "s3a://spark-event-logs-1234567/spark-events/",
    region: "eu-west-1",
};

/** Renders SparkJob components under the mocks, as a user's program would create them. */
async function renderJobs(jobs: Record<string, SparkJobArgs>): Promise<RenderResult> {
    return evaluate(
        async () => {
            const out: Record<string, unknown> = {};
            for (const [name, args] of Object.entries(jobs)) {
                out[name] = new SparkJob(name, args).commands;
            }
            return out;
        },
        { stack: "jobs", config: { "aws:region": "eu-west-1" } },
    );
}

const manifestOf = (r: RenderResult, kind: string) => r.registrations.find((x) => (x.inputs as any).kind === kind)!.inputs as any;

describeContract("contract: the SparkJob helper against the SparkApplication and ScheduledSparkApplication CRDs (2.5.2)", () => {
    let validator: CrdValidator;
    let r: RenderResult;
    before(async () => {
        validator = new CrdValidator([
            yamlFixture("spark-operator/sparkoperator.k8s.io_sparkapplications.yaml"),
            yamlFixture("spark-operator/sparkoperator.k8s.io_scheduledsparkapplications.yaml"),
        ]);
        r = await renderJobs({
            "nightly-etl": { ...base, schedule: "0 2 * * *", timeZone: "Europe/Paris", dynamicAllocation: true, minExecutors: 1, metrics: true, serviceAccountName: "sales-etl" },
            "adhoc-report": { ...base, type: "Scala", mainClass: "com.example.Report", mainApplicationFile: "local:///opt/spark/jars/report.jar", executorInstances: 10, sparkConf: { "spark.sql.shuffle.partitions": "400" } },
        });
    });

    it("a SparkApplication from the helper passes the CRD", () => {
        const app = manifestOf(r, "SparkApplication");
        expect(app.metadata).to.deep.equal({ name: "adhoc-report", namespace: "spark-jobs" });
        const v = validator.validate(app);
        expect(v.errors).to.deep.equal([]);
        expect(v.unevaluated).to.deep.equal([]);
    });

    it("a ScheduledSparkApplication from the helper passes the CRD", () => {
        const scheduled = manifestOf(r, "ScheduledSparkApplication");
        expect(scheduled.spec).to.deep.include({ schedule: "0 2 * * *", timeZone: "Europe/Paris", concurrencyPolicy: "Forbid" });
        const v = validator.validate(scheduled);
        expect(v.errors).to.deep.equal([]);
        expect(v.unevaluated).to.deep.equal([]);
    });

    it("the CRDs reject a broken job (the check can fail)", () => {
        const scheduled = structuredClone(manifestOf(r, "ScheduledSparkApplication"));
        delete scheduled.spec.template.sparkVersion;
        scheduled.spec.template.dynamicAllocation.maxExecutors = "many";
        expect(validator.validate(scheduled).errors.join("\n")).to.match(/sparkVersion/).and.match(/maxExecutors/);
    });

    it("merges placement, service account, S3A, event logs, metrics and the user's conf (which wins)", () => {
        const app = manifestOf(r, "SparkApplication").spec;
        expect(app.driver.nodeSelector).to.deep.equal(driverPlacement.nodeSelector);
        expect(app.driver.annotations).to.deep.equal({ "karpenter.sh/do-not-disrupt": "true" });
        expect(app.executor.template).to.deep.equal(executorPlacement.template);
        expect(app.executor.instances).to.equal(10);
        expect([app.driver.serviceAccount, app.executor.serviceAccount]).to.deep.equal(["spark", "spark"]);
        expect(app.sparkConf).to.include({
            "spark.hadoop.fs.s3a.endpoint.region": "eu-west-1",
            "spark.eventLog.dir": "s3a://spark-event-logs-1234567/spark-events/",
            "spark.eventLog.rolling.enabled": "true",
            "spark.decommission.enabled": "true",
            "spark.driver.extraClassPath": EXTRA_JARS_CLASSPATH,
            "spark.sql.shuffle.partitions": "400",
        });
        expect(app.driver.initContainers[0].name).to.equal("fetch-s3a-jars");
        const scheduled = manifestOf(r, "ScheduledSparkApplication").spec.template;
        expect(scheduled.driver.serviceAccount).to.equal("sales-etl");
        expect(scheduled.sparkConf).to.include({ "spark.ui.prometheus.enabled": "true" });
    });

    it("gives the driver and the executors the pinned S3A jars by default (a job reading s3a:// data needs them on its executors); the switches remove them, and every variant passes the CRDs", async () => {
        const pinned = s3aJarsScript(s3aJars());
        const jarsOn = (spec: any) => ({
            driver: spec.driver.initContainers?.map((c: any) => c.command[2]) ?? [],
            executor: spec.executor.initContainers?.map((c: any) => c.command[2]) ?? [],
            driverMount: (spec.driver.volumeMounts ?? []).map((m: any) => m.mountPath),
            executorMount: (spec.executor.volumeMounts ?? []).map((m: any) => m.mountPath),
            driverClasspath: spec.sparkConf["spark.driver.extraClassPath"],
            executorClasspath: spec.sparkConf["spark.executor.extraClassPath"],
            volumes: (spec.volumes ?? []).map((v: any) => v.name),
        });
        const both = { driver: [pinned], executor: [pinned], driverMount: [EXTRA_JARS_DIR], executorMount: [EXTRA_JARS_DIR], driverClasspath: EXTRA_JARS_CLASSPATH, executorClasspath: EXTRA_JARS_CLASSPATH, volumes: ["s3a-jars"] };
        expect(jarsOn(manifestOf(r, "SparkApplication").spec)).to.deep.equal(both);
        expect(jarsOn(manifestOf(r, "ScheduledSparkApplication").spec.template)).to.deep.equal(both);
        const variants = await renderJobs({
            "driver-only": { ...base, s3aOnExecutors: false },
            "s3a-image": { ...base, image: "registry.example.com/spark-s3a:4.0.4", imageHasS3A: true },
        });
        const app = (name: string) => variants.registrations.map((x) => x.inputs as any).find((m) => m.kind === "SparkApplication" && m.metadata?.name === name);
        const [driverOnly, s3aImage] = [app("driver-only"), app("s3a-image")];
        expect(jarsOn(driverOnly.spec)).to.deep.equal({ ...both, executor: [], executorMount: [], executorClasspath: undefined });
        expect(jarsOn(s3aImage.spec)).to.deep.equal({ driver: [], executor: [], driverMount: [], executorMount: [], driverClasspath: undefined, executorClasspath: undefined, volumes: [] });
        for (const app of [driverOnly, s3aImage]) {
            const v = validator.validate(app);
            expect(v.errors).to.deep.equal([]);
            expect(v.unevaluated).to.deep.equal([]);
        }
    });

    it("pins the digests a user gives for the S3A jars, and refuses malformed ones before registering anything", async () => {
        const sha256 = "ab".repeat(32);
        const pinned = await renderJobs({ pinned: { ...base, s3aJarDigests: { awsSdkBundle: `sha256:${sha256}` } } });
        const spec = manifestOf(pinned, "SparkApplication").spec;
        for (const role of ["driver", "executor"]) {
            expect(spec[role].initContainers[0].command[2]).to.include(`echo "${sha256}  bundle-${AWS_SDK_V2_VERSION}.jar.part" | sha256sum -c -`);
        }
        let message = "";
        try {
            await renderJobs({ bad: { ...base, s3aJarDigests: { hadoopAws: "md5:abc", awsSdkBundle: "sha256:XYZ" } } });
        } catch (e) {
            message = String((e as Error).message);
        }
        expect(message).to.match(/s3aJarDigests\.hadoopAws: got "md5:abc"/).and.match(/s3aJarDigests\.awsSdkBundle: got "sha256:XYZ"/);
    });

    it("dynamic allocation: shuffle tracking on, decommission-aware, bounded by the executor pool's CPU limit", () => {
        const t = manifestOf(r, "ScheduledSparkApplication").spec.template;
        // 100 vCPUs of pool, 2 cores per executor: at most 50.
        expect(t.dynamicAllocation).to.deep.include({ enabled: true, shuffleTrackingEnabled: true, minExecutors: 1, maxExecutors: 50, initialExecutors: 2 });
        expect(t.executor).to.not.have.property("instances");
        expect(t.sparkConf).to.include({ "spark.decommission.enabled": "true", "spark.storage.decommission.shuffleBlocks.enabled": "true" });
    });

    it("refuses executors beyond the pool's CPU limit, bad schedules and names too long for their pods, before registering anything", async () => {
        const attempt = (args: Partial<SparkJobArgs>) => renderJobs({ job: { ...base, ...args } }).then(() => "", (e: Error) => e.message);
        expect(await attempt({ dynamicAllocation: true, maxExecutors: 51 })).to.match(/maxExecutors: got 51; allowed: a whole number from 1 to 50/);
        expect(await attempt({ executorInstances: 60 })).to.match(/executorInstances: got 60/);
        expect(await attempt({ schedule: "every night" })).to.match(/schedule: got "every night"/);
        expect(await attempt({ schedule: "@daily", applicationName: "a-very-long-scheduled-application-name" })).to.match(/at most 36 characters/);
    });
});
