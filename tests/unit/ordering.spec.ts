// Teardown and upgrades, proved on the dependency graph the SDK hands the engine: `pulumi
// destroy` first uninstalls the cleanup release (its pre-delete hook deletes every SparkApplication
// and ScheduledSparkApplication while the operator runs), then the operator and Spark's
// namespaces, then the NodePools and EC2NodeClass (waiting, in the foreground, for their
// NodeClaims and instances), and only then Karpenter and what it runs on.
import { expect } from "chai";
import { Registration } from "../../tools/mocks";
import { RenderError, RenderResult } from "../../tools/render";
import { DependencyGraph } from "../helpers/graph";
import { ofType, one, rendered } from "../helpers/render";

const K = "karpenter-spark";

for (const stack of ["dev", "prod"]) {
    describe(`teardown order (${stack})`, () => {
        let r: RenderResult;
        let g: DependencyGraph;
        let karpenterObjects: Registration[];
        before(async () => {
            r = await rendered(stack);
            g = new DependencyGraph(r.registrations);
            karpenterObjects = [...ofType(r, "kubernetes:karpenter.sh/v1:NodePool"), ...ofType(r, "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass")];
        });

        it("has no dependency cycle", () => {
            expect(g.cycles()).to.deep.equal([]);
        });

        it("deletes every NodePool and EC2NodeClass in the foreground", () => {
            expect(karpenterObjects).to.have.length(3);
            for (const o of karpenterObjects) {
                expect((o.inputs as any).metadata.annotations, o.name).to.deep.include({ "pulumi.com/deletionPropagationPolicy": "foreground" });
            }
        });

        it("keeps Karpenter, its IAM, its Pod Identity association and its queue until every NodePool and EC2NodeClass is gone", () => {
            const needed = [
                one(r, "kubernetes:helm.sh/v3:Release", "cluster-karpenter"),
                one(r, "kubernetes:helm.sh/v3:Release", "cluster-karpenter-crd"),
                one(r, "aws:iam/role:Role", "cluster-karpenter-controller-role"),
                ...ofType(r, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => /^cluster-karpenter-.*-attachment$/.test(a.name)),
                ...ofType(r, "aws:iam/policy:Policy"),
                ofType(r, "aws:eks/podIdentityAssociation:PodIdentityAssociation").find((a) => a.inputs.namespace === "kube-system")!,
                one(r, "aws:sqs/queue:Queue"),
                one(r, "aws:eks/accessEntry:AccessEntry"),
                one(r, "aws:iam/role:Role", "cluster-karpenter-node-role"),
            ];
            expect(needed.filter((n) => n.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment")).to.have.length(6);
            for (const o of karpenterObjects) {
                for (const n of needed) {
                    expect(g.dependsOn(o, n), `${o.name} must be deleted before ${n.name}`).to.equal(true);
                    expect(g.dependsOn(n, o), `${n.name} must not wait for ${o.name}`).to.equal(false);
                }
            }
        });

        it("runs the Karpenter controller on the cluster and the system node group, and removes it before them", () => {
            const karpenter = one(r, "kubernetes:helm.sh/v3:Release", "cluster-karpenter");
            for (const base of [one(r, "eks:index:Cluster"), one(r, "eks:index:ManagedNodeGroup"), one(r, "awsx:ec2:Vpc")]) {
                expect(g.dependsOn(karpenter, base), base.name).to.equal(true);
            }
        });

        it("removes Spark's namespaces, and the operator only after its SparkApplications", () => {
            const operator = one(r, "kubernetes:helm.sh/v3:Release", "spark-operator");
            for (const ns of ofType(r, "kubernetes:core/v1:Namespace")) {
                for (const o of karpenterObjects) {
                    expect(g.dependsOn(ns, o), `${ns.name} before ${o.name}`).to.equal(true);
                }
            }
            for (const app of ofType(r, "kubernetes:sparkoperator.k8s.io/v1beta2:SparkApplication")) {
                expect(g.dependsOn(app, operator)).to.equal(true);
            }
        });

        it("uninstalls the cleanup release first: after it nothing Spark runs is left, and the operator is still up while its hook runs", () => {
            const cleanup = one(r, "kubernetes:helm.sh/v3:Release", "spark-cleanup");
            const operator = one(r, "kubernetes:helm.sh/v3:Release", "spark-operator");
            expect(g.dependsOn(cleanup, operator), "cleanup before the operator").to.equal(true);
            expect(g.dependsOn(operator, cleanup), "the operator must not wait for the cleanup").to.equal(false);
            for (const ns of ofType(r, "kubernetes:core/v1:Namespace")) {
                expect(g.dependsOn(cleanup, ns), `cleanup before ${ns.name}`).to.equal(true);
            }
            for (const o of karpenterObjects) {
                expect(g.dependsOn(operator, o), `operator before ${o.name}`).to.equal(true);
            }
            // Nothing else Spark waits for the cleanup: it is among the first deletions.
            const dependents = r.registrations.filter((x) => x !== cleanup && g.dependsOn(x, cleanup));
            expect(dependents.map((x) => x.name)).to.deep.equal([]);
        });

        it("destroys in the order: cleanup, operator, NodePools in the foreground, Karpenter, cluster", () => {
            const order = g.deletionOrder().map((x) => x.name);
            const at = (name: string) => {
                expect(order, name).to.include(name);
                return order.indexOf(name);
            };
            const chain = [
                ["spark-cleanup"],
                ["spark-operator"],
                ["spark-pools-drivers", "spark-pools-executors"],
                ["spark-pools-node-class"],
                ["cluster-karpenter"],
                ["cluster-karpenter-crd"],
                ["cluster-system", "cluster-eks"],
            ];
            for (let i = 1; i < chain.length; i++) {
                for (const before of chain[i - 1]) {
                    for (const after of chain[i]) {
                        expect(at(before), `${before} before ${after}`).to.be.lessThan(at(after));
                    }
                }
            }
        });

        it("yields a deletion order with the jobs first and the network last", () => {
            const order = g.deletionOrder().map((x) => x.name);
            const at = (name: string) => order.indexOf(name);
            const chain = ["spark-ns-spark-jobs", "spark-pools-executors", "spark-pools-node-class", "cluster-karpenter", "cluster-karpenter-crd", "cluster-system", "cluster-eks", "cluster-vpc"];
            if (stack === "dev") {
                chain.unshift("spark-pi");
            }
            for (let i = 1; i < chain.length; i++) {
                expect(at(chain[i - 1]), `${chain[i - 1]} before ${chain[i]}`).to.be.lessThan(at(chain[i]));
            }
        });
    });
}

describe("upgrades", () => {
    const changed = (a: RenderResult, b: RenderResult) => {
        const before = new Map(a.registrations.map((x) => [x.urn, JSON.stringify(x.inputs)]));
        return b.registrations.filter((x) => before.get(x.urn) !== JSON.stringify(x.inputs));
    };

    it("upgrades the CRD release before the controller release when the Karpenter version changes", async () => {
        const base = await rendered("dev");
        const next = await rendered("dev", { [`${K}:karpenterVersion`]: "1.13.2", [`${K}:allowUntestedVersions`]: "true" });
        const releases = changed(base, next);
        expect(releases.map((x) => `${x.name}@${x.inputs.version}`).sort()).to.deep.equal(["cluster-karpenter-crd@1.13.2", "cluster-karpenter@1.13.2"]);
        const g = new DependencyGraph(next.registrations);
        expect(g.dependsOn(one(next, "kubernetes:helm.sh/v3:Release", "cluster-karpenter"), one(next, "kubernetes:helm.sh/v3:Release", "cluster-karpenter-crd"))).to.equal(true);
    });

    it("changes only the EC2NodeClass when the AMI changes: nodes drift, within the budgets", async () => {
        const base = await rendered("prod");
        const next = await rendered("prod", { [`${K}:amiVersion`]: "v20260625" });
        expect(changed(base, next).map((x) => x.type)).to.deep.equal(["kubernetes:karpenter.k8s.aws/v1:EC2NodeClass"]);
    });

    const deployed = (version: string) => ({ karpenterVersion: version });
    const refusal = async (from: string, overrides: Record<string, string> = {}) => {
        try {
            await rendered("prod", overrides, deployed(from));
        } catch (e) {
            if (e instanceof RenderError) return e;
            throw e;
        }
        return undefined;
    };

    it("refuses a jump over a Karpenter minor version, naming the steps, before registering anything", async () => {
        const e = await refusal("1.12.3");
        expect(e?.message).to.equal(
            "Invalid stack config: invalid karpenter-spark:karpenterVersion: got \"1.14.1\"; allowed: Karpenter 1.12.3 to 1.14.1 skips minor versions; upgrade one minor at a time (1.12 -> 1.13 -> 1.14), deploying each step (the stack's last deployment has 1.12.3)",
        );
        expect(e!.registrations.map((x) => x.type)).to.deep.equal(["pulumi:pulumi:Stack"]);
    });

    it("refuses a downgrade across minors and a major change", async () => {
        expect((await refusal("1.15.0"))?.message).to.match(/is a downgrade across minor versions, which Karpenter does not support/);
        expect((await refusal("0.37.0"))?.message).to.match(/changes the major version/);
    });

    it("accepts one minor at a time, patches, and a stack's first deployment", async () => {
        expect(await refusal("1.13.5")).to.equal(undefined);
        expect(await refusal("1.14.0")).to.equal(undefined);
        expect((await rendered("prod", {}, {})).registrations.length).to.be.greaterThan(50);
    });

    it("skips the check when the stack turns it off", async () => {
        expect(await refusal("1.10.0", { [`${K}:checkUpgradePath`]: "false" })).to.equal(undefined);
    });

    it("reads the deployed version through a reference to the stack itself", async () => {
        const r = await rendered("prod", {}, deployed("1.14.0"));
        expect(r.reads.map((x) => [x.type, x.id])).to.deep.equal([["pulumi:pulumi:StackReference", "organization/karpenter-spark/prod"]]);
    });
});
