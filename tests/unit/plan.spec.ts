// The plan (`npm run plan`): each marker (+ create, ~ update, +- replace, - delete) from real config
// changes on dev and prod, replacements decided by the table and spread to dependents, the
// replace order, secrets masked, --set for every config key, comparisons against another stack
// and against a render folder.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CONFIG_KEYS } from "../../stacks/config";
import { ALTERNATIVES } from "../../tools/blastRadius";
import { OutputDir } from "../../tools/cli";
import { applySets, parseSet, settableKeys, UsageError } from "../../tools/configOverrides";
import { plan, readRenderFolder } from "../../tools/plan";
import { diffRenders, formatPlan, inputChanges, maskSecrets, Plan, PlanResource, Step } from "../../tools/planDiff";
import { readStackConfig, writeRender } from "../../tools/render";
import { PROD_CONFIG_FLAG, rendered } from "../helpers/render";

const K = "karpenter-spark";

/** The plan between a stack as configured and the stack with `overrides` (the shared memoised renders). */
async function planOf(stack: string, overrides: Record<string, string>): Promise<Plan> {
    const base = await rendered(stack);
    const next = await rendered(stack, Object.fromEntries(Object.entries(overrides).map(([k, v]) => [`${K}:${k}`, v])));
    return diffRenders(base.registrations, next.registrations);
}

const step = (p: Plan, type: string, name: string): Step => {
    const s = p.steps.find((x) => x.type === type && x.name === name);
    expect(s, `${type} ${name} in the plan`).to.not.equal(undefined);
    return s!;
};
const summary = (p: Plan) => p.steps.map((s) => `${s.op} ${s.name}`);

describe("plan: markers from real config changes", () => {
    it("dev, ~: executorCpuLimit only updates the executor NodePool", async () => {
        const p = await planOf("dev", { executorCpuLimit: "200" });
        expect(summary(p)).to.deep.equal(["update spark-pools-executors"]);
        expect(p.steps[0].changes).to.deep.equal([{ path: "spec.limits.cpu", old: "256", new: "200", replaces: undefined }]);
        expect(formatPlan(p)).to.match(/^~  kubernetes:karpenter\.sh\/v1:NodePool  spark-pools-executors\n {5}~  spec\.limits\.cpu: "256" => "200"/m);
    });

    it("prod, ~: driverCpuLimit only updates the driver NodePool", async () => {
        const p = await planOf("prod", { driverCpuLimit: "300" });
        expect(summary(p)).to.deep.equal(["update spark-pools-drivers"]);
        expect(p.steps[0].changes.map((c) => [c.path, c.old, c.new])).to.deep.equal([["spec.limits.cpu", "200", "300"]]);
    });

    it("dev, +-: clusterName replaces the cluster (create-before-delete: the new one has a new name), its IAM roles and queue, and every Kubernetes object with the provider", async () => {
        const p = await planOf("dev", { clusterName: "analytics" });
        const eks = step(p, "eks:index:Cluster", "cluster-eks");
        expect([eks.op, eks.replaceOrder, eks.replaceReasons]).to.deep.equal(["replace", "create-before-delete", ["name"]]);
        expect(eks.changes).to.deep.include({ path: "name", old: "karpenter-spark-dev", new: "analytics", replaces: true });
        expect(eks.remote?.replacedChildren).to.deep.equal(["aws:eks/cluster:Cluster"]);
        expect(step(p, "aws:iam/role:Role", "cluster-karpenter-controller-role").op).to.equal("replace");
        expect(step(p, "aws:sqs/queue:Queue", "cluster-interruption-queue").op).to.equal("replace");
        expect(step(p, "pulumi:providers:kubernetes", "cluster-k8s").replaceReasons).to.deep.equal(["kubeconfig"]);
        const pool = step(p, "kubernetes:karpenter.sh/v1:NodePool", "spark-pools-executors");
        expect([pool.op, pool.replaceReasons, pool.replaceOrder]).to.deep.equal(["replace", ["provider cluster-k8s replaced"], "create-before-delete"]);
        // The role's description changes in place: not every change on a replaced stack is a replace.
        expect(step(p, "aws:iam/role:Role", "cluster-eks-role").op).to.equal("update");
        expect(p.counts.create + p.counts.delete).to.equal(0);
    });

    it("prod, +-: vpcCidrBlock replaces the VPC, and the cluster that keeps its name is replaced delete-before-create", async () => {
        const p = await planOf("prod", { vpcCidrBlock: "10.1.0.0/16" });
        const vpc = step(p, "awsx:ec2:Vpc", "cluster-vpc");
        expect([vpc.op, vpc.replaceReasons, vpc.remote?.replacedChildren]).to.deep.equal(["replace", ["cidrBlock"], ["aws:ec2/vpc:Vpc"]]);
        const eks = step(p, "eks:index:Cluster", "cluster-eks");
        expect([eks.op, eks.replaceOrder]).to.deep.equal(["replace", "delete-before-create"]);
        expect(eks.replaceReasons).to.include("vpcId");
        expect(eks.replaceNote).to.match(/keeps its name "karpenter-spark-prod": needs deleteBeforeReplace/);
        expect(eks.changes.find((c) => c.path === "vpcId")?.new).to.equal("[unknown]");
        expect(step(p, "eks:index:ManagedNodeGroup", "cluster-system").op).to.equal("replace");
        // IAM roles do not depend on the VPC.
        expect(p.steps.filter((s) => s.type === "aws:iam/role:Role")).to.deep.equal([]);
    });

    it("prod, +- and -: turning secrets encryption off deletes the KMS key and replaces the cluster (EKS cannot remove it)", async () => {
        const p = await planOf("prod", { secretsEncryption: "false" });
        expect(step(p, "aws:kms/key:Key", "cluster-secrets-key").op).to.equal("delete");
        const eks = step(p, "eks:index:Cluster", "cluster-eks");
        expect([eks.op, eks.replaceReasons]).to.deep.equal(["replace", ["encryptionConfigKeyArn"]]);
    });

    it("dev, -: deployExampleJob false deletes the example SparkApplication and nothing else", async () => {
        const p = await planOf("dev", { deployExampleJob: "false" });
        expect(summary(p)).to.deep.equal(["delete spark-pi"]);
        expect(formatPlan(p)).to.match(/^-  kubernetes:sparkoperator\.k8s\.io\/v1beta2:SparkApplication  spark-pi$/m);
    });

    it("prod, +: deployExampleJob true creates the example SparkApplication and nothing else", async () => {
        const p = await planOf("prod", { deployExampleJob: "true" });
        expect(summary(p)).to.deep.equal(["create spark-pi"]);
        expect(formatPlan(p)).to.match(/^\+  kubernetes:sparkoperator\.k8s\.io\/v1beta2:SparkApplication  spark-pi$/m);
    });

    it("dev, +: a second job namespace creates its namespace and service account and updates the operator's job namespaces", async () => {
        const p = await planOf("dev", { sparkJobNamespaces: '["spark-jobs","spark-adhoc"]' });
        const created = p.steps.filter((s) => s.op === "create").map((s) => s.type);
        expect(created).to.include.members(["kubernetes:core/v1:Namespace", "kubernetes:core/v1:ServiceAccount"]);
        expect(step(p, "kubernetes:helm.sh/v3:Release", "spark-operator").changes.map((c) => c.path)).to.include("values.spark.jobNamespaces");
        expect(p.counts.replace + p.counts.delete).to.equal(0);
    });

    it("prod: availabilityZoneCount replaces the VPC's subnets (not the VPC) and the system node group, and updates the cluster's subnets in place", async () => {
        const p = await planOf("prod", { availabilityZoneCount: "2" });
        const vpc = step(p, "awsx:ec2:Vpc", "cluster-vpc");
        expect([vpc.op, vpc.remote?.replacedChildren]).to.deep.equal(["update", ["aws:ec2/subnet:Subnet"]]);
        expect(step(p, "eks:index:Cluster", "cluster-eks").op).to.equal("update");
        expect(step(p, "eks:index:ManagedNodeGroup", "cluster-system").replaceReasons).to.deep.equal(["subnetIds"]);
    });
});

describe("plan: engine", () => {
    const res = (urn: string, inputs: Record<string, unknown>, extra: Partial<PlanResource> = {}): PlanResource => ({
        urn: `urn:pulumi:s::p::${urn}`,
        type: urn.split("::")[0],
        name: urn.split("::")[1],
        custom: true,
        inputs,
        ...extra,
    });

    it("notes a re-run only for SparkApplication spec changes the operator re-runs on (not suspend or timeToLiveSeconds alone), and the next run for a schedule", () => {
        const app = (spec: Record<string, unknown>) => res("kubernetes:sparkoperator.k8s.io/v1beta2:SparkApplication::etl", { metadata: { name: "etl" }, spec });
        const sched = (spec: Record<string, unknown>) => res("kubernetes:sparkoperator.k8s.io/v1beta2:ScheduledSparkApplication::nightly", { metadata: { name: "nightly" }, spec });
        const notes = (a: PlanResource, b: PlanResource) => diffRenders([a], [b]).steps[0]?.notes;
        expect(notes(app({ image: "a", timeToLiveSeconds: 60 }), app({ image: "b", timeToLiveSeconds: 60 }))![0]).to.match(/^the Spark Operator runs this job again/);
        expect(notes(app({ image: "a", timeToLiveSeconds: 60 }), app({ image: "a", timeToLiveSeconds: 600 }))).to.equal(undefined);
        expect(notes(app({ image: "a", suspend: false }), app({ image: "a", suspend: true }))).to.equal(undefined);
        expect(notes(app({ image: "a" }), { ...app({ image: "a" }), inputs: { metadata: { name: "etl" }, spec: { image: "a" }, extra: 1 } })).to.equal(undefined);
        expect(notes(sched({ template: { image: "a" } }), sched({ template: { image: "b" } }))![0]).to.match(/^applies from the next scheduled run/);
    });

    it("prints no changes for identical renders", async () => {
        const dev = await rendered("dev");
        const p = diffRenders(dev.registrations, dev.registrations);
        expect(p.steps).to.deep.equal([]);
        expect(formatPlan(p)).to.equal(`no changes (${dev.registrations.length} resources unchanged)`);
    });

    it("masks secrets: a [secret] value and anything under a credential-like key", () => {
        expect(maskSecrets({ path: "kubeconfig", old: "a", new: "b" })).to.deep.equal({ path: "kubeconfig", old: "[secret]", new: "[secret]" });
        expect(maskSecrets({ path: "data.password", old: undefined, new: "hunter2" })).to.deep.equal({ path: "data.password", old: undefined, new: "[secret]" });
        expect(maskSecrets({ path: "env[0].value", old: "[secret]", new: "x" })).to.deep.equal({ path: "env[0].value", old: "[secret]", new: "[secret]" });
        expect(maskSecrets({ path: "spec.limits.cpu", old: "1", new: "2" })).to.deep.equal({ path: "spec.limits.cpu", old: "1", new: "2" });
    });

    it("lists leaf paths as pulumi preview --diff does", () => {
        expect(inputChanges({ tags: { "karpenter.sh/discovery": "a", x: 1 }, list: [{ v: 1 }], values: ["a"] }, { tags: { "karpenter.sh/discovery": "b", x: 1 }, list: [{ v: 2 }], values: ["a", "b"] })).to.deep.equal([
            { path: "list[0].v", old: 1, new: 2 },
            { path: 'tags["karpenter.sh/discovery"]', old: "a", new: "b" },
            { path: "values", old: ["a"], new: ["a", "b"] },
        ]);
    });

    it("matches a moved resource through its aliases instead of deleting and creating it", () => {
        const before = [res("aws:iam/role:Role::r", { name: "x", description: "a" })];
        const moved = res("comp$aws:iam/role:Role::r", { name: "x", description: "b" }, { options: { aliases: ["urn:pulumi:s::p::aws:iam/role:Role::r"] } });
        expect(diffRenders(before, [moved]).steps.map((s) => [s.op, s.urn])).to.deep.equal([["update", moved.urn]]);
    });

    it("replaces a renamed Kubernetes object create-before-delete and a kept name delete-before-create", () => {
        const svc = (name: string, clusterIP: string) => res(`kubernetes:core/v1:Service::${name}-svc`, { metadata: { name }, spec: { clusterIP } });
        const renamed = diffRenders([svc("a", "None")], [{ ...svc("b", "None"), urn: svc("a", "None").urn }]).steps[0];
        expect([renamed.op, renamed.replaceOrder]).to.deep.equal(["replace", "create-before-delete"]);
        const kept = diffRenders([svc("a", "None")], [svc("a", "10.0.0.1")]).steps[0];
        expect([kept.op, kept.replaceOrder, kept.replaceReasons, kept.replaceNote]).to.deep.equal(["replace", "delete-before-create", ["spec.clusterIP"], undefined]);
    });

    it("marks protected resources that would be replaced or deleted", () => {
        const bucket = res("aws:s3/bucket:Bucket::logs", { bucket: "a" }, { options: { protect: true } });
        expect(diffRenders([bucket], []).steps[0]).to.include({ op: "delete", protect: true });
        expect(formatPlan(diffRenders([bucket], []))).to.match(/PROTECTED: pulumi up refuses this/);
    });
});

describe("plan: --set and --against", () => {
    it("accepts every key of the config schema, with a value valid for prod", () => {
        const prod = readStackConfig("prod");
        for (const key of Object.keys(CONFIG_KEYS)) {
            const value = ALTERNATIVES[key];
            const text = typeof value === "string" ? value : JSON.stringify(value);
            const [full] = parseSet(`${key}=${text}`);
            expect(full).to.equal(`${K}:${key}`);
            expect(settableKeys()).to.include(full);
            // Keys that only make sense with a companion key get it.
            const companions: Record<string, string[]> = {
                karpenterReplicas: ["systemNodeCount=3"],
                existingVpcId: [`existingPrivateSubnetIds=${JSON.stringify(ALTERNATIVES.existingPrivateSubnetIds)}`],
                existingPrivateSubnetIds: [`existingVpcId=${ALTERNATIVES.existingVpcId}`],
                historyServerIngressClassName: [`historyServerIngressHost=${ALTERNATIVES.historyServerIngressHost}`],
                historyServerIngressHost: [`historyServerIngressClassName=${ALTERNATIVES.historyServerIngressClassName}`],
                sparkPodMonitors: ["sparkMetrics=true"],
            };
            const sets = [`${key}=${text}`, ...(companions[key] ?? [])];
            expect(() => applySets(prod, sets, "prod"), key).to.not.throw();
        }
        expect(parseSet("aws:region=eu-west-1")).to.deep.equal(["aws:region", "eu-west-1"]);
        expect(parseSet("executorInstanceCategories=c,m")).to.deep.equal([`${K}:executorInstanceCategories`, '["c","m"]']);
    });

    it("refuses a mistyped key with a did-you-mean, and a bad value with the key, the value and what is allowed", () => {
        expect(() => parseSet("executorCpuLimt=3")).to.throw(UsageError, /--set: unknown config key "executorCpuLimt" \(not in stacks\/config.ts, the README's configuration table\); did you mean "executorCpuLimit"\?$/);
        expect(() => parseSet("natGateways=Singel")).to.throw(UsageError, /--set: invalid karpenter-spark:natGateways: got "Singel"; did you mean "Single"\?; allowed: "Single", "OnePerAz"/);
        expect(() => parseSet("executorInstanceCategories=c,mm")).to.throw(UsageError, /got "mm"; did you mean "m"\?/);
        expect(() => parseSet("noequals")).to.throw(UsageError, /--set expects key=value/);
        expect(() => applySets(readStackConfig("dev"), ["executorCpuLimit=-3"], "dev")).to.throw(UsageError, /^--set: invalid karpenter-spark:executorCpuLimit: got -3; allowed: a whole number greater than 0/);
        expect(() => applySets(readStackConfig("dev"), ["karpenterReplicas=3"], "dev")).to.throw(UsageError, /karpenterReplicas.*at most systemNodeCount/);
    });

    it("plans against another stack with the URNs lined up (dev against prod changes, creates and deletes nothing wholesale)", async () => {
        const p = await plan({ stack: "dev", against: "prod", config: [PROD_CONFIG_FLAG[1]] });
        expect(p.against).to.equal("stack prod");
        expect(step(p, "kubernetes:karpenter.sh/v1:NodePool", "spark-pools-executors").changes.map((c) => [c.path, c.old, c.new])).to.deep.include(["spec.limits.cpu", "1000", "256"]);
        expect(p.steps.filter((s) => s.op === "create").map((s) => s.name)).to.deep.equal(["spark-pi"]);
    });

    it("says that a SparkApplication whose spec changes runs again (the operator resubmits it), and prints it", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
        try {
            fs.rmdirSync(dir);
            writeRender(await rendered("dev"), new OutputDir(dir, "render"));
            const p = await plan({ stack: "dev", against: dir, sets: ["sparkMetrics=true"] });
            const pi = step(p, "kubernetes:sparkoperator.k8s.io/v1beta2:SparkApplication", "spark-pi");
            expect(pi.op).to.equal("update");
            expect(pi.notes).to.deep.equal(["the Spark Operator runs this job again with the new spec (killing it first if it is running); delete a finished job that must not run twice before pulumi up"]);
            expect(formatPlan(p)).to.include("     note: the Spark Operator runs this job again");
            // Nothing else carries the note.
            expect(p.steps.filter((s) => s.notes).map((s) => s.name)).to.deep.equal(["spark-pi"]);
        } finally {
            fs.rmSync(path.join(dir), { recursive: true, force: true });
        }
    });

    it("plans against a render folder written by npm run render", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
        try {
            fs.rmdirSync(dir);
            writeRender(await rendered("dev"), new OutputDir(dir, "render"));
            expect(readRenderFolder(dir).length).to.equal((await rendered("dev")).registrations.length);
            const p = await plan({ stack: "dev", against: dir, sets: ["executorConsolidateAfter=10m"] });
            expect(summary(p)).to.deep.equal(["update spark-pools-executors"]);
            expect(p.against).to.equal(`render ${dir}`);
            fs.rmSync(path.join(dir, "registrations.json"));
            fs.rmSync(path.join(dir, "resources.json"));
            expect(() => readRenderFolder(dir)).to.throw(UsageError, /has neither registrations.json nor resources.json/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
