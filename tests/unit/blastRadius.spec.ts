// Blast radius: changing a pool, the Karpenter version or the example flag must leave the VPC,
// the EKS cluster, the node group and the IAM roles exactly as they were (a replaced cluster
// kills every job).
import { expect } from "chai";
import { CONFIG_KEYS } from "../../stacks/config";
import { ALTERNATIVES, blastRadius, dangers, DANGEROUS_TYPES, diffRegistrations, FOUNDATION_TYPES } from "../../tools/blastRadius";
import { diffRenders, Step } from "../../tools/planDiff";
import { PROD_CONFIG_FLAG, rendered } from "../helpers/render";

const K = "karpenter-spark";

// [setting, new value, the only resources (type: name) it may touch]
const CASES: [string, string, string[]][] = [
    ["executorInstanceCategories", '["c","m"]', ["kubernetes:karpenter.sh/v1:NodePool: spark-pools-executors"]],
    ["executorCpuLimit", "400", ["kubernetes:karpenter.sh/v1:NodePool: spark-pools-executors"]],
    ["executorConsolidationPolicy", "WhenEmptyOrUnderutilized", ["kubernetes:karpenter.sh/v1:NodePool: spark-pools-executors"]],
    ["executorConsolidateAfter", "10m", ["kubernetes:karpenter.sh/v1:NodePool: spark-pools-executors"]],
    ["karpenterVersion", "1.13.2", ["kubernetes:helm.sh/v3:Release: cluster-karpenter", "kubernetes:helm.sh/v3:Release: cluster-karpenter-crd"]],
    ["deployExampleJob", "false", ["kubernetes:sparkoperator.k8s.io/v1beta2:SparkApplication: spark-pi"]],
];

describe("blast radius: one setting changed, everything else untouched", () => {
    for (const [key, value, allowed] of CASES) {
        it(`${key} = ${value} changes only ${allowed.map((a) => a.split(": ")[1]).join(" and ")}`, async () => {
            const base = await rendered("dev");
            // A version other than the tested 1.14.1 needs the explicit opt-in.
            const next = await rendered("dev", { [`${K}:${key}`]: value, ...(key === "karpenterVersion" ? { [`${K}:allowUntestedVersions`]: "true" } : {}) });
            const changes = diffRegistrations(base.registrations, next.registrations);
            expect(changes.map((c) => `${c.type}: ${c.name}`).sort()).to.deep.equal([...allowed].sort());
            expect(changes.filter((c) => FOUNDATION_TYPES.includes(c.type))).to.deep.equal([]);
        });
    }

    it("notices a change to the foundation (the comparison can fail)", async () => {
        const base = await rendered("dev");
        const next = await rendered("dev", { [`${K}:systemNodeCount`]: "2" });
        const changes = diffRegistrations(base.registrations, next.registrations);
        expect(changes.map((c) => [c.kind, c.name, c.inputs])).to.deep.include(["changed", "cluster-system", ["scalingConfig"]]);
    });

    it("upgrades the system nodes with the control plane", async () => {
        const base = await rendered("prod");
        const next = await rendered("prod", { [`${K}:kubernetesVersion`]: "1.34" });
        expect(diffRegistrations(base.registrations, next.registrations).map((c) => [c.name, c.inputs]).sort()).to.deep.equal([
            // The add-ons follow: their versions are resolved for the new Kubernetes minor.
            ["cluster-eks", ["corednsAddonOptions", "kubeProxyAddonOptions", "version", "vpcCniOptions"]],
            ["cluster-pod-identity-agent", ["addonVersion"]],
            ["cluster-system", ["version"]],
            // The teardown cleanup's kubectl image follows the minor (an in-place Helm upgrade; its hook runs only on delete).
            ["spark-cleanup", ["values"]],
            // The pinned AMI release resolves to the new minor's image IDs (annotation only; the alias stays).
            ["spark-pools-node-class", ["metadata"]],
        ]);
    });
});

describe("blast radius: dangerous changes", () => {
    const planFor = async (stack: string, overrides: Record<string, string>) => {
        const base = await rendered(stack);
        const next = await rendered(stack, Object.fromEntries(Object.entries(overrides).map(([k, v]) => [`${K}:${k}`, v])));
        return diffRenders(base.registrations, next.registrations).steps;
    };

    it("flags a new cluster name: the cluster, Karpenter's IAM roles and the interruption queue are replaced", async () => {
        const found = dangers(await planFor("dev", { clusterName: "analytics" })).map((d) => `${d.op} ${d.type} ${d.name}`);
        expect(found).to.have.members([
            "replace eks:index:Cluster cluster-eks",
            "replace aws:iam/role:Role cluster-karpenter-controller-role",
            "replace aws:iam/role:Role cluster-karpenter-node-role",
            "replace aws:sqs/queue:Queue cluster-interruption-queue",
        ]);
    });

    it("flags a new VPC CIDR on prod (the VPC and the cluster), and fewer zones (the VPC's subnets)", async () => {
        expect(dangers(await planFor("prod", { vpcCidrBlock: "10.1.0.0/16" })).map((d) => d.name)).to.have.members(["cluster-vpc", "cluster-eks"]);
        const zones = dangers(await planFor("prod", { availabilityZoneCount: "2" }));
        expect(zones.map((d) => [d.name, d.children])).to.deep.equal([["cluster-vpc", ["aws:ec2/subnet:Subnet"]]]);
    });

    it("does not flag routine changes: a NodePool limit, a NAT strategy, the Karpenter version", async () => {
        expect(dangers(await planFor("dev", { executorCpuLimit: "400" }))).to.deep.equal([]);
        expect(dangers(await planFor("prod", { natGateways: "Single" }))).to.deep.equal([]);
        expect(dangers(await planFor("dev", { karpenterVersion: "1.13.2", allowUntestedVersions: "true" }))).to.deep.equal([]);
    });

    it("flags the deletion of the event-log bucket", () => {
        const steps: Step[] = [{ op: "delete", urn: "urn:pulumi:dev::p::aws:s3/bucket:Bucket::spark-event-logs", type: "aws:s3/bucket:Bucket", name: "spark-event-logs", changes: [] }];
        expect(dangers(steps).map((d) => d.why)).to.deep.equal([DANGEROUS_TYPES["aws:s3/bucket:Bucket"]]);
    });

    it("has an alternative value for every config key (the README's table)", () => {
        expect(Object.keys(ALTERNATIVES).sort()).to.deep.equal(Object.keys(CONFIG_KEYS).sort());
    });
});

describe("blast radius on prod needs its API allow-list passed explicitly (--config)", () => {
    it("plans a change with it on both sides, and refuses without it", async () => {
        const r = await blastRadius("prod", ["executorCpuLimit=2000"], [PROD_CONFIG_FLAG[1]]);
        expect(r.dangerous).to.deep.equal([]);
        expect(r.steps.map((x) => `${x.op} ${x.name}`)).to.deep.equal(["update spark-pools-executors"]);
        const refused = await blastRadius("prod", ["executorCpuLimit=2000"]).then(() => undefined, (e: Error) => e);
        expect(String(refused?.message)).to.include('invalid karpenter-spark:endpointPublicAccessCidrs[0]: got "203.0.113.0/24"');
    });
});
