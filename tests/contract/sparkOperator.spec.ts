import { expect } from "chai";
import { SparkRole } from "../../components/enums";
import { executorFit, INSTANCE_CPU_LABEL } from "../../components/pools/executorFit";
import { executorCoreRequestMilli, sparkPodPlacement } from "../../components/pools/placement";
import { sparkPodRequest } from "../../components/spark/podSize";
import { poolCapacity } from "../../components/validation/launchability";
import { EXTRA_JARS_CLASSPATH, EXTRA_JARS_DIR, s3aJars, s3aJarsScript, SPARK_IMAGE } from "../../components/spark/image";
import { CrdValidator } from "../../components/validation/crd";
import { describeContract, yamlFixture } from "../helpers/fixtures";
import { manifests, rendered } from "../helpers/render";

/** Flattens an object to `a.b[0].c` -> leaf value. */
function flatten(value: unknown, path = "", out: Record<string, unknown> = {}): Record<string, unknown> {
    if (Array.isArray(value)) {
        value.forEach((v, i) => flatten(v, `${path}[${i}]`, out));
    } else if (value && typeof value === "object") {
        for (const [k, v] of Object.entries(value)) {
            flatten(v, path ? `${path}.${k}` : k, out);
        }
    } else {
        out[path] = value;
    }
    return out;
}

/** What the seed (and this project) changes in the upstream example, and why. */
const ALLOWED_CHANGES: [RegExp, string][] = [
    [/^metadata\.namespace$/, "runs in the stack's job namespace"],
    [/^spec\.executor\.instances$/, "the seed's 20 executors"],
    [/^spec\.executor\.coreRequest$/, "940m per core, or up to whole cores where that packs as tightly, so that executors fill their nodes (executorFit)"],
    [/^spec\.(driver|executor)\.serviceAccount$/, "the job namespace's service account, with an EKS Pod Identity role"],
    [/^spec\.(driver|executor)\.(nodeSelector|tolerations|affinity|annotations|template|terminationGracePeriodSeconds)\b/, "placement from SpotExecutorPool"],
    [/^spec\.sparkConf\./, "executor decommissioning, S3A, rolling event logs, the S3A jars' classpath"],
    [/^spec\.image$/, "the ECR Public mirror of the Docker Official Image: no Docker Hub anonymous pull limit"],
    [/^spec\.volumes\b/, "the emptyDir the S3A jars are fetched into"],
    [/^spec\.(driver|executor)\.(initContainers|volumeMounts)\b/, "the driver and the executors fetch the pinned S3A jars (the image has none): event logs, and tasks reading s3a:// data"],
];

describeContract("contract: the Spark Operator example and CRDs (2.5.2)", () => {
    let validator: CrdValidator;
    before(() => {
        validator = new CrdValidator([
            yamlFixture("spark-operator/sparkoperator.k8s.io_sparkapplications.yaml"),
            yamlFixture("spark-operator/sparkoperator.k8s.io_scheduledsparkapplications.yaml"),
        ]);
    });

    it("renders the example SparkApplication in dev, and it passes the v1beta2 CRD schema", async () => {
        const [app] = manifests(await rendered("dev"), "SparkApplication");
        expect(app, "dev renders the example job").to.not.equal(undefined);
        const v = validator.validate(app);
        expect(v.errors).to.deep.equal([]);
        expect(v.unevaluated).to.deep.equal([]);
    });

    it("rejects a SparkApplication the CRD would reject (the check can fail)", async () => {
        const [app] = manifests(await rendered("dev"), "SparkApplication");
        const bad = structuredClone(app);
        bad.spec.executor.instances = 0;
        bad.spec.driver.coress = 1;
        delete bad.spec.sparkVersion;
        const errors = validator.validate(bad).errors.join("\n");
        expect(errors).to.match(/instances: must be >= 1/);
        expect(errors).to.match(/additional properties \(coress\)/);
        expect(errors).to.match(/must have required property 'sparkVersion'/);
    });

    it("matches the upstream examples/spark-pi.yaml except for the seed's changes", async () => {
        const [app] = manifests(await rendered("dev"), "SparkApplication");
        const upstream = flatten(yamlFixture("spark-operator/spark-pi.yaml"));
        const ours = flatten(app);
        const changed = [...new Set([...Object.keys(upstream), ...Object.keys(ours)])].filter((k) => JSON.stringify(upstream[k]) !== JSON.stringify(ours[k]));
        const unexplained = changed.filter((k) => !ALLOWED_CHANGES.some(([re]) => re.test(k)));
        expect(unexplained).to.deep.equal([]);
        // The seed's own changes are there.
        expect(app.spec.executor.instances).to.equal(20);
        expect(app.spec.arguments).to.deep.equal(["5000"]);
        expect([app.spec.image, app.spec.sparkVersion]).to.deep.equal([`${SPARK_IMAGE.repository}:${SPARK_IMAGE.tag}`, SPARK_IMAGE.sparkVersion]);
        expect([app.spec.driver.cores, app.spec.driver.memory, app.spec.executor.cores, app.spec.executor.memory]).to.deep.equal([1, "512m", 1, "512m"]);
    });

    it("places the example with SpotExecutorPool's placement, not a copy of its own", async () => {
        const [app] = manifests(await rendered("dev"), "SparkApplication");
        const pools = manifests(await rendered("dev"), "NodePool");
        const driverPool = pools.find((p) => p.spec.template.metadata.labels["karpenter-spark.io/spark-role"] === "driver");
        const executorPool = pools.find((p) => p.spec.template.metadata.labels["karpenter-spark.io/spark-role"] === "executor");
        const driver = sparkPodPlacement({ role: SparkRole.Driver, nodePoolName: driverPool.metadata.name, capacityTypes: ["on-demand"] });
        const executor = sparkPodPlacement({ role: SparkRole.Executor, nodePoolName: executorPool.metadata.name, capacityTypes: ["spot"] });
        expect(app.spec.driver.template).to.deep.equal(driver.template);
        expect(app.spec.driver.affinity).to.deep.equal(driver.affinity);
        expect(app.spec.driver.annotations).to.deep.equal({ "karpenter.sh/do-not-disrupt": "true" });
        // The executors' nodes narrowed to the size twenty 1-core executors fill (executorFit): a 16- and a 4-vCPU node.
        const r = await rendered("dev");
        const pod = sparkPodRequest({ role: "executor", cores: 1, memory: "512m", jvm: true, coreRequest: `${executorCoreRequestMilli(1)}m` })!;
        const fit = executorFit(poolCapacity(executorPool, r.region) as Parameters<typeof executorFit>[0], { ...pod, maxCpuMilli: 1000 }, 20)!;
        expect([fit.maxInstanceVcpus, fit.nodeVcpus, fit.poolNodeVcpus, fit.cpuMilli]).to.deep.equal([24, [16, 4], [32], 940]);
        const narrowed = structuredClone(executor.template);
        for (const term of narrowed.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms) {
            term.matchExpressions.push({ key: INSTANCE_CPU_LABEL, operator: "Lt", values: ["25"] });
        }
        expect(app.spec.executor.template).to.deep.equal(narrowed);
        expect(app.spec.executor.affinity).to.deep.equal(narrowed.spec.affinity);
        expect(app.spec.executor.coreRequest).to.equal("940m");
        expect(app.spec.executor.nodeSelector).to.deep.equal(executor.nodeSelector);
        expect(app.spec.executor.tolerations).to.deep.equal(executor.tolerations);
        expect(app.spec.sparkConf).to.include(executor.sparkConf);
    });

    it("gives spark-pi's driver the pinned S3A jars when the image lacks them (its executors read no S3), and none with sparkImageHasS3A; both pass the CRD", async () => {
        const jarsOf = (app: any) =>
            (["driver", "executor"] as const).map((role) => ({
                role,
                init: (app.spec[role].initContainers ?? []).map((c: any) => [c.name, c.command[2]]),
                mounts: (app.spec[role].volumeMounts ?? []).map((m: any) => m.mountPath),
                classpath: app.spec.sparkConf[`spark.${role}.extraClassPath`],
            }));
        const [stock] = manifests(await rendered("dev"), "SparkApplication");
        const script = s3aJarsScript(s3aJars());
        expect(jarsOf(stock)).to.deep.equal([
            { role: "driver", init: [["fetch-s3a-jars", script]], mounts: [EXTRA_JARS_DIR], classpath: EXTRA_JARS_CLASSPATH },
            { role: "executor", init: [], mounts: [], classpath: undefined },
        ]);
        expect(stock.spec.volumes.map((v: any) => v.name)).to.deep.equal(["s3a-jars"]);
        const [s3a] = manifests(await rendered("dev", { "karpenter-spark:sparkImageHasS3A": "true", "karpenter-spark:sparkImage": "registry.example.com/spark-s3a:4.0.4" }), "SparkApplication");
        expect(jarsOf(s3a)).to.deep.equal((["driver", "executor"] as const).map((role) => ({ role, init: [], mounts: [], classpath: undefined })));
        expect(s3a.spec).to.not.have.property("volumes");
        for (const app of [stock, s3a]) {
            const v = validator.validate(app);
            expect(v.errors).to.deep.equal([]);
            expect(v.unevaluated).to.deep.equal([]);
        }
    });
});
