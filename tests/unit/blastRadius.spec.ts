// Blast radius: changing a pool, the Karpenter version or the example flag must leave the VPC,
// the EKS cluster, the node group and the IAM roles exactly as they were (a replaced cluster
// kills every job).
import { expect } from "chai";
import { diffRegistrations, FOUNDATION_TYPES } from "../../tools/blastRadius";
import { rendered } from "../helpers/render";

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
            const next = await rendered("dev", { [`${K}:${key}`]: value });
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
            // The pinned AMI release resolves to the new minor's image IDs (annotation only; the alias stays).
            ["spark-pools-node-class", ["metadata"]],
        ]);
    });
});
