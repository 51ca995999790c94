import { expect } from "chai";
import { DataAccess, executorDataRequests } from "../../components/spark/s3a";
import { controllerSizing } from "../../components/spark/values";
import { decide } from "../helpers/iamEvaluator";
import { manifests, ofType, one, rendered } from "../helpers/render";

const grants = JSON.stringify([
    { serviceAccountName: "sales-etl", namespace: "spark-jobs", bucket: "acme-sales", prefix: "raw/2026", access: "read-write" },
    { serviceAccountName: "reporting", namespace: "spark-jobs", bucket: "acme-sales", prefix: "curated", access: "read" },
]);

describe("Spark Operator controller sizing", () => {
    it("sizes workers and memory from sparkMaxConcurrentApplications, requests equal to limits", async () => {
        expect(controllerSizing(5)).to.deep.equal({ workers: 2, memoryMi: 896 });
        expect(controllerSizing(40)).to.deep.equal({ workers: 10, memoryMi: 3456 });
        const prod = one(await rendered("prod"), "kubernetes:helm.sh/v3:Release", "spark-operator").inputs.values as any;
        expect(prod.controller.workers).to.equal(10);
        expect(prod.controller.resources).to.deep.equal({ requests: { cpu: "250m", memory: "3456Mi" }, limits: { memory: "3456Mi" } });
        const more = one(await rendered("prod", { "karpenter-spark:sparkMaxConcurrentApplications": "80" }), "kubernetes:helm.sh/v3:Release", "spark-operator").inputs.values as any;
        expect(more.controller.workers).to.equal(20);
    });
});

describe("Per-job data access (sparkDataAccess)", () => {
    it("creates a service account with the driver's RBAC and a Pod Identity role per grant", async () => {
        const r = await rendered("dev", { "karpenter-spark:sparkDataAccess": grants });
        const accounts = manifests(r, "ServiceAccount").filter((m) => ["sales-etl", "reporting"].includes(m.metadata.name));
        expect(accounts.map((m) => `${m.metadata.namespace}/${m.metadata.name}`).sort()).to.deep.equal(["spark-jobs/reporting", "spark-jobs/sales-etl"]);
        const binding = manifests(r, "RoleBinding").find((m) => m.metadata.name === "sales-etl");
        expect(binding.subjects).to.deep.equal([{ kind: "ServiceAccount", name: "sales-etl", namespace: "spark-jobs" }]);
        expect(manifests(r, "Role").find((m) => m.metadata.name === "sales-etl").rules[0].resources).to.include("pods");
        const assoc = ofType(r, "aws:eks/podIdentityAssociation:PodIdentityAssociation").find((a) => a.inputs.serviceAccount === "sales-etl")!;
        expect(assoc.inputs).to.include({ namespace: "spark-jobs" });
        const release = one(r, "kubernetes:helm.sh/v3:Release", "spark-operator");
        expect(release.dependencies).to.include(ofType(r, "kubernetes:core/v1:ServiceAccount").find((s) => (s.inputs as any).metadata.name === "sales-etl")!.urn);
    });

    it("each role allows S3A on its own prefix with its access, and nothing on the other grant's prefix", async () => {
        const r = await rendered("dev", { "karpenter-spark:sparkDataAccess": grants });
        const policy = (sa: string) => JSON.parse(ofType(r, "aws:iam/rolePolicy:RolePolicy").find((p) => p.name === `spark-data-spark-jobs-${sa}-policy`)!.inputs.policy as string);
        const bucket = "arn:aws:s3:::acme-sales";
        const rw = policy("sales-etl");
        const ro = policy("reporting");
        const denied = (p: any, reqs: any[]) => reqs.filter((q) => decide(p, q) === "deny").map((q) => q.why);
        const allowed = (p: any, reqs: any[]) => reqs.filter((q) => decide(p, q) === "allow" && (q.context["s3:prefix"] !== undefined || !q.action.includes("List"))).map((q) => `${q.action} ${q.resource}`);
        expect(denied(rw, executorDataRequests(bucket, "raw/2026", DataAccess.ReadWrite))).to.deep.equal([]);
        expect(denied(ro, executorDataRequests(bucket, "curated", DataAccess.Read))).to.deep.equal([]);
        expect(allowed(ro, executorDataRequests(bucket, "curated", DataAccess.ReadWrite).filter((q) => /Put|Delete/.test(q.action)))).to.deep.equal([]);
        expect(allowed(ro, executorDataRequests(bucket, "raw/2026", DataAccess.Read))).to.deep.equal([]);
        expect(allowed(rw, executorDataRequests(bucket, "curated", DataAccess.Read))).to.deep.equal([]);
    });

    it("refuses a grant in a namespace that is not a job namespace, naming the key", async () => {
        const bad = JSON.stringify([{ serviceAccountName: "x", namespace: "default", bucket: "acme-sales", prefix: "raw", access: "read" }]);
        const err = await rendered("dev", { "karpenter-spark:sparkDataAccess": bad }).then(() => "", (e: Error) => e.message);
        expect(err).to.match(/sparkDataAccess\[0\]\.namespace: got "default"; allowed: one of "spark-jobs"/);
    });
});

describe("Metrics", () => {
    it("off by default; with sparkMetrics the operator serves metrics and the example job exposes Spark's Prometheus endpoints", async () => {
        const off = one(await rendered("dev"), "kubernetes:helm.sh/v3:Release", "spark-operator").inputs.values as any;
        expect(off.prometheus).to.deep.equal({ metrics: { enable: false }, podMonitor: { create: false } });
        const r = await rendered("dev", { "karpenter-spark:sparkMetrics": "true" });
        const on = one(r, "kubernetes:helm.sh/v3:Release", "spark-operator").inputs.values as any;
        expect(on.prometheus.metrics.enable).to.equal(true);
        const [app] = manifests(r, "SparkApplication");
        expect(app.spec.sparkConf).to.include({ "spark.ui.prometheus.enabled": "true", "spark.metrics.conf.*.sink.prometheusServlet.class": "org.apache.spark.metrics.sink.PrometheusServlet" });
        expect(ofType(r, "kubernetes:monitoring.coreos.com/v1:PodMonitor")).to.have.length(0);
    });

    it("with sparkPodMonitors (Prometheus Operator CRDs present) creates the chart's PodMonitor and one for Spark drivers", async () => {
        const r = await rendered("dev", { "karpenter-spark:sparkMetrics": "true", "karpenter-spark:sparkPodMonitors": "true" });
        expect((one(r, "kubernetes:helm.sh/v3:Release", "spark-operator").inputs.values as any).prometheus.podMonitor.create).to.equal(true);
        const [monitor] = manifests(r, "PodMonitor");
        expect(monitor.spec.selector).to.deep.equal({ matchLabels: { "spark-role": "driver" } });
        expect(monitor.spec.namespaceSelector).to.deep.equal({ matchNames: ["spark-jobs"] });
        expect(monitor.spec.podMetricsEndpoints.map((e: any) => e.path)).to.deep.equal(["/metrics/prometheus", "/metrics/executors/prometheus"]);
        // PodMonitors alone turn the metrics on.
        const alone = await rendered("dev", { "karpenter-spark:sparkPodMonitors": "true" });
        expect((one(alone, "kubernetes:helm.sh/v3:Release", "spark-operator").inputs.values as any).prometheus.metrics.enable).to.equal(true);
    });
});

describe("S3A region", () => {
    it("jobs and the History Server use the stack's region for S3A", async () => {
        const [app] = manifests(await rendered("prod", { "karpenter-spark:deployExampleJob": "true" }), "SparkApplication");
        expect(app.spec.sparkConf["spark.hadoop.fs.s3a.endpoint.region"]).to.equal("us-east-1");
    });
});
