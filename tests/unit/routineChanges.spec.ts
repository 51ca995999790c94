// Issue 15's blast-radius table: routine day-2 changes to prod must never replace the VPC, the
// EKS cluster, an IAM role or the interruption queue (a replaced one kills every job or strands
// Karpenter's nodes). Data table + the blast-radius API (tools/blastRadius.ts diffRegistrations),
// so that it survives a rewrite of the CLI around it.
import { expect } from "chai";
import { Change, diffRegistrations } from "../../tools/blastRadius";
import { RenderResult } from "../../tools/render";
import { rendered } from "../helpers/render";

const K = "karpenter-spark";

/** Inputs whose change makes the provider replace the resource (the rest update in place). */
export const REPLACING_INPUTS: Record<string, string[]> = {
    // awsx.ec2.Vpc: the VPC's CIDR and its subnet layout recreate the VPC.
    "awsx:ec2:Vpc": ["cidrBlock", "numberOfAvailabilityZones", "subnetSpecs", "subnetStrategy", "availabilityZoneNames"],
    // aws.eks.Cluster ForceNew fields (name, VPC config's subnets, encryption key, service role).
    "eks:index:Cluster": ["name", "vpcId", "privateSubnetIds", "publicSubnetIds", "serviceRole", "encryptionConfigKeyArn", "ipFamily", "bootstrapSelfManagedAddons"],
    "aws:iam/role:Role": ["name", "namePrefix", "path"],
    "aws:sqs/queue:Queue": ["name", "namePrefix", "fifoQueue"],
};

export interface RoutineChange {
    what: string;
    config: Record<string, string>;
}

/** The routine changes: each must leave the foundation unreplaced. */
export const ROUTINE_CHANGES: RoutineChange[] = [
    { what: "system node instance type", config: { systemNodeInstanceTypes: '["m8g.large"]' } },
    { what: "system node architecture", config: { systemNodeInstanceTypes: '["m7i.large"]' } },
    { what: "system node count", config: { systemNodeCount: "4" } },
    { what: "AMI release", config: { amiVersion: "v20260625" } },
    { what: "Kubernetes minor upgrade", config: { kubernetesVersion: "1.36" } },
    { what: "Karpenter patch upgrade", config: { karpenterVersion: "1.14.0" } },
    { what: "consolidation policy", config: { executorConsolidationPolicy: "Balanced" } },
    { what: "disruption budget", config: { executorDisruptionBudgetNodes: "20%" } },
    { what: "admin principals", config: { adminPrincipals: '["arn:aws:iam::111122223333:role/platform-admins"]' } },
    { what: "longest job", config: { maxJobDuration: "48h" } },
    { what: "executor CPU limit", config: { executorCpuLimit: "2000" } },
    { what: "executor instance families", config: { executorInstanceCategories: '["c","m"]' } },
    { what: "Karpenter replicas", config: { karpenterReplicas: "3" } },
    { what: "API endpoint CIDRs", config: { endpointPublicAccessCidrs: '["52.94.134.0/24"]' } },
];

/** Changes to foundation resources that replace them (added, removed, or a replacing input changed). */
export function foundationReplacements(changes: Change[]): string[] {
    return changes
        .filter((c) => c.type in REPLACING_INPUTS)
        .filter((c) => c.kind !== "changed" || (c.inputs ?? []).some((i) => REPLACING_INPUTS[c.type].includes(i)))
        .map((c) => `${c.kind} ${c.type} ${c.name}${c.inputs ? ` (${c.inputs.join(", ")})` : ""}`);
}

describe("routine day-2 changes to prod: no replacement of VPC, cluster, IAM roles or queue", () => {
    let base: RenderResult;
    before(async () => {
        base = await rendered("prod");
    });

    it("covers at least ten routine changes", () => {
        expect(ROUTINE_CHANGES.length).to.be.at.least(10);
    });

    for (const change of ROUTINE_CHANGES) {
        it(`${change.what}: ${JSON.stringify(change.config)}`, async () => {
            const overrides = Object.fromEntries(Object.entries(change.config).map(([k, v]) => [`${K}:${k}`, v]));
            const next = await rendered("prod", overrides);
            const changes = diffRegistrations(base.registrations, next.registrations);
            expect(changes, "the change must change something").to.not.deep.equal([]);
            expect(foundationReplacements(changes)).to.deep.equal([]);
        });
    }

    it("would report a replacement (the check can fail)", async () => {
        const next = await rendered("prod", { [`${K}:clusterName`]: "analytics" });
        const replaced = foundationReplacements(diffRegistrations(base.registrations, next.registrations));
        expect(replaced.some((r) => r.includes("eks:index:Cluster cluster-eks (") && r.includes("name"))).to.equal(true);
        expect(replaced.some((r) => r.includes("aws:sqs/queue:Queue"))).to.equal(true);
    });
});
