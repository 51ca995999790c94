import { expect } from "chai";
import { RenderResult } from "../../tools/render";
import { DependencyGraph } from "../helpers/graph";
import { manifests, ofType, one, rendered } from "../helpers/render";

const policyOf = (r: RenderResult, roleName: string) => JSON.parse(ofType(r, "aws:iam/rolePolicy:RolePolicy").find((p) => p.name === `${roleName}-policy`)!.inputs.policy as string);

describe("SparkOperator (mocked)", () => {
    let dev: RenderResult;
    let prod: RenderResult;
    before(async () => {
        dev = await rendered("dev");
        prod = await rendered("prod");
    });

    it("installs the Kubeflow chart 2.5.2 in spark-operator, watching the job namespaces, with the webhook on", () => {
        const release = one(dev, "kubernetes:helm.sh/v3:Release", "spark-operator").inputs as any;
        expect(release).to.include({ chart: "spark-operator", version: "2.5.2", namespace: "spark-operator", name: "spark-operator", waitForJobs: true });
        expect(release.repositoryOpts).to.deep.equal({ repo: "https://kubeflow.github.io/spark-operator" });
        expect(release.values.spark.jobNamespaces).to.deep.equal(["spark-jobs"]);
        expect(release.values.webhook.enable).to.equal(true);
        expect(release.values.webhook).to.not.have.property("failurePolicy"); // the chart's Fail, kept
        expect(release.values.hook.upgradeCrd).to.equal(true);
    });

    it("creates the namespaces before the release", () => {
        const release = one(dev, "kubernetes:helm.sh/v3:Release", "spark-operator");
        const namespaces = ofType(dev, "kubernetes:core/v1:Namespace");
        expect(namespaces.map((n) => (n.inputs as any).metadata.name).sort()).to.deep.equal(["spark-jobs", "spark-operator"]);
        for (const ns of namespaces) {
            expect(release.dependencies).to.include(ns.urn);
        }
    });

    it("runs the operator, its webhook, its CRD hook and the History Server on the On-Demand system nodes", () => {
        const v = one(dev, "kubernetes:helm.sh/v3:Release", "spark-operator").inputs.values as any;
        for (const part of [v.controller, v.webhook, v.hook]) {
            expect(part.nodeSelector).to.deep.equal({ "kubernetes.io/os": "linux", "karpenter-spark.io/node-group": "system" });
            expect(part.tolerations).to.deep.equal([{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }]);
        }
        const [history] = manifests(dev, "Deployment");
        expect(history.spec.template.spec.nodeSelector["karpenter-spark.io/node-group"]).to.equal("system");
    });

    it("runs two webhook and controller replicas with disruption budgets in prod, one in dev", () => {
        const p = one(prod, "kubernetes:helm.sh/v3:Release", "spark-operator").inputs.values as any;
        const d = one(dev, "kubernetes:helm.sh/v3:Release", "spark-operator").inputs.values as any;
        expect([p.webhook.replicas, p.controller.replicas, p.webhook.podDisruptionBudget, p.controller.podDisruptionBudget]).to.deep.equal([2, 2, { enable: true, minAvailable: 1 }, { enable: true, minAvailable: 1 }]);
        expect(p.webhook.topologySpreadConstraints[0]).to.include({ topologyKey: "kubernetes.io/hostname" });
        expect([d.webhook.replicas, d.webhook.podDisruptionBudget.enable]).to.deep.equal([1, false]);
    });

    it("gives the job namespace's service account a Pod Identity role that may only write event logs under their prefix", () => {
        const [sa] = manifests(dev, "ServiceAccount").filter((m) => m.metadata.namespace === "spark-jobs");
        expect(sa.metadata.name).to.equal("spark");
        const assoc = ofType(dev, "aws:eks/podIdentityAssociation:PodIdentityAssociation").find((a) => a.inputs.namespace === "spark-jobs")!;
        expect(assoc.inputs).to.include({ serviceAccount: "spark", clusterName: "karpenter-spark-dev" });
        // What the roles allow is checked request by request in s3aPolicies.spec.ts.
        const writer = policyOf(dev, "spark-event-log-writer");
        expect(writer.Statement.flatMap((s: any) => [].concat(s.Resource))).to.include(`arn:aws:s3:::${dev.outputs.eventLogBucketName}/spark-events/?*`);
        const reader = policyOf(dev, "spark-history-reader");
        expect(reader.Statement.flatMap((s: any) => [].concat(s.Action))).to.deep.equal(["s3:ListBucket", "s3:GetObject"]);
    });

    it("keeps event logs in a private, encrypted, versioned bucket that expires them, and protects it in prod", () => {
        const inputsOf = (r: RenderResult, t: string) => one(r, t).inputs as any;
        expect(inputsOf(dev, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")).to.include({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
        expect(inputsOf(dev, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").rules[0].applyServerSideEncryptionByDefault.sseAlgorithm).to.equal("aws:kms");
        expect(inputsOf(dev, "aws:s3/bucketVersioning:BucketVersioning").versioningConfiguration.status).to.equal("Enabled");
        expect(inputsOf(dev, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").rules[0].expiration.days).to.equal(7);
        expect(inputsOf(prod, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").rules[0].expiration.days).to.equal(90);
        const tls = JSON.parse(inputsOf(dev, "aws:s3/bucketPolicy:BucketPolicy").policy);
        expect(tls.Statement[0]).to.deep.include({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": false } } });
        expect(one(prod, "aws:s3/bucket:Bucket").options).to.include({ protect: true, retainOnDelete: true });
        expect((one(prod, "aws:s3/bucket:Bucket").inputs as any).forceDestroy).to.equal(false);
        expect(one(dev, "aws:s3/bucket:Bucket").options.protect).to.equal(undefined);
        expect((one(dev, "aws:s3/bucket:Bucket").inputs as any).forceDestroy).to.equal(true);
    });

    it("runs the History Server by default: the stock image plus the pinned S3A jars from an init container; none with an S3A image", async () => {
        const [stock] = manifests(dev, "Deployment");
        expect(stock.spec.replicas).to.equal(1);
        expect(stock.spec.template.spec.initContainers.map((c: any) => c.name)).to.deep.equal(["fetch-s3a-jars"]);
        const stockEnv = Object.fromEntries(stock.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));
        expect(stockEnv.SPARK_DAEMON_CLASSPATH).to.equal("/opt/spark/extra-jars/*");
        const s3a = await rendered("dev", { "karpenter-spark:sparkImageHasS3A": "true", "karpenter-spark:sparkImage": "registry.example.com/spark-s3a:4.0.4" });
        const [history] = manifests(s3a, "Deployment");
        const bucket = s3a.outputs.eventLogBucketName as string;
        expect(history.spec.replicas).to.equal(1);
        expect(history.spec.template.spec).to.not.have.property("initContainers");
        expect(history.spec.template.spec.containers[0].image).to.equal("registry.example.com/spark-s3a:4.0.4");
        const env = Object.fromEntries(history.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));
        expect(env.EVENT_LOG_DIR).to.equal(`s3a://${bucket}/spark-events/`);
        expect(env.S3A_REGION).to.equal("us-west-2");
        expect(env.SPARK_HISTORY_OPTS).to.include("-Dspark.history.fs.logDirectory=$(EVENT_LOG_DIR)");
        expect(env.SPARK_HISTORY_OPTS).to.include("-Dspark.hadoop.fs.s3a.endpoint.region=$(S3A_REGION)");
        const [app] = manifests(s3a, "SparkApplication");
        expect(app.spec.sparkConf).to.include({ "spark.eventLog.enabled": "true", "spark.eventLog.dir": `s3a://${bucket}/spark-events/`, "spark.eventLog.rolling.enabled": "true" });
        expect(app.spec.driver).to.not.have.property("initContainers");
        const service = manifests(dev, "Service")[0];
        expect(service.spec.ports).to.deep.equal([{ name: "http", port: 18080, targetPort: "http" }]);
    });

    it("applies the example after the operator and the pools, and only when the stack asks", async () => {
        const app = one(dev, "kubernetes:sparkoperator.k8s.io/v1beta2:SparkApplication");
        const before = new DependencyGraph(dev.registrations).upstream(app.urn);
        expect(before).to.include(one(dev, "kubernetes:helm.sh/v3:Release", "spark-operator").urn);
        for (const pool of ofType(dev, "kubernetes:karpenter.sh/v1:NodePool")) {
            expect(before, pool.name).to.include(pool.urn);
        }
        expect(ofType(prod, "kubernetes:sparkoperator.k8s.io/v1beta2:SparkApplication")).to.have.length(0);
        expect(prod.outputs.exampleJobCommands).to.deep.equal([]);
        expect((dev.outputs.exampleJobCommands as string[])[0]).to.equal("kubectl get sparkapplications -n spark-jobs spark-pi -w");
    });

    it("exports the namespaces, service account, bucket and History Server service", () => {
        expect(dev.outputs).to.include({ sparkOperatorNamespace: "spark-operator", sparkServiceAccountName: "spark", historyServerServiceName: "spark-history-server" });
        expect(dev.outputs.sparkJobNamespaces).to.deep.equal(["spark-jobs"]);
        expect(dev.outputs.eventLogBucketName).to.match(/^spark-event-logs-[0-9a-f]{7}$/);
    });
});

/** SparkOperator's URNs (after the stack name) before it was split into components/spark/*, with deployExampleJob on. */
const URNS_BEFORE_SPLIT = [
    "karpenter-spark:index:SparkOperator$aws:eks/podIdentityAssociation:PodIdentityAssociation::spark-pod-identity-history-server",
    "karpenter-spark:index:SparkOperator$aws:eks/podIdentityAssociation:PodIdentityAssociation::spark-pod-identity-spark-jobs",
    "karpenter-spark:index:SparkOperator$aws:iam/role:Role::spark-event-log-writer",
    "karpenter-spark:index:SparkOperator$aws:iam/role:Role::spark-history-reader",
    "karpenter-spark:index:SparkOperator$aws:iam/rolePolicy:RolePolicy::spark-event-log-writer-policy",
    "karpenter-spark:index:SparkOperator$aws:iam/rolePolicy:RolePolicy::spark-history-reader-policy",
    "karpenter-spark:index:SparkOperator$aws:s3/bucket:Bucket::spark-event-logs",
    "karpenter-spark:index:SparkOperator$aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration::spark-event-logs-lifecycle",
    "karpenter-spark:index:SparkOperator$aws:s3/bucketOwnershipControls:BucketOwnershipControls::spark-event-logs-ownership",
    "karpenter-spark:index:SparkOperator$aws:s3/bucketPolicy:BucketPolicy::spark-event-logs-tls-only",
    "karpenter-spark:index:SparkOperator$aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock::spark-event-logs-public-access",
    "karpenter-spark:index:SparkOperator$aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration::spark-event-logs-encryption",
    "karpenter-spark:index:SparkOperator$aws:s3/bucketVersioning:BucketVersioning::spark-event-logs-versioning",
    "karpenter-spark:index:SparkOperator$kubernetes:apps/v1:Deployment::spark-history-server",
    "karpenter-spark:index:SparkOperator$kubernetes:core/v1:Namespace::spark-ns-spark-jobs",
    "karpenter-spark:index:SparkOperator$kubernetes:core/v1:Namespace::spark-operator-ns",
    "karpenter-spark:index:SparkOperator$kubernetes:core/v1:Service::spark-history-server",
    "karpenter-spark:index:SparkOperator$kubernetes:core/v1:ServiceAccount::spark-history-server-sa",
    "karpenter-spark:index:SparkOperator$kubernetes:core/v1:ServiceAccount::spark-sa-spark-jobs",
    "karpenter-spark:index:SparkOperator$kubernetes:helm.sh/v3:Release::spark-operator",
    "karpenter-spark:index:SparkOperator$kubernetes:sparkoperator.k8s.io/v1beta2:SparkApplication::spark-pi",
    "karpenter-spark:index:SparkOperator::spark",
];

describe("SparkOperator split into createX functions", () => {
    for (const stack of ["dev", "prod"]) {
        it(`${stack}: keeps every URN it had before the split`, async () => {
            const r = await rendered(stack, { "karpenter-spark:deployExampleJob": "true" });
            const urns = r.registrations.map((x) => x.urn.split("::").slice(2).join("::"));
            expect(URNS_BEFORE_SPLIT.filter((u) => !urns.includes(u))).to.deep.equal([]);
        });
    }
});
