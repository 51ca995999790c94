// What a config change touches: render a stack, change one setting, render again, and compare
// the registrations by URN. `npm run blast-radius [-- <stack>]` prints the table the README
// quotes; tests/unit/blastRadius.spec.ts asserts the guarantees.
import { isDeepStrictEqual } from "util";
import { CONFIG_KEYS } from "../stacks/config";
import { Registration } from "./mocks";
import { readStackConfig, RenderError, renderStack } from "./render";

/** Infrastructure whose replacement kills every running job. */
export const FOUNDATION_TYPES = ["awsx:ec2:Vpc", "eks:index:Cluster", "eks:index:ManagedNodeGroup", "aws:iam/role:Role"];

export interface Change {
    urn: string;
    type: string;
    name: string;
    kind: "added" | "removed" | "changed";
    /** Top-level inputs that differ, for changed resources. */
    inputs?: string[];
}

export function diffRegistrations(before: Registration[], after: Registration[]): Change[] {
    const a = new Map(before.map((r) => [r.urn, r]));
    const b = new Map(after.map((r) => [r.urn, r]));
    const changes: Change[] = [];
    for (const [urn, r] of b) {
        const old = a.get(urn);
        if (!old) {
            changes.push({ urn, type: r.type, name: r.name, kind: "added" });
            continue;
        }
        const keys = [...new Set([...Object.keys(old.inputs), ...Object.keys(r.inputs)])];
        const differing = keys.filter((k) => !isDeepStrictEqual(old.inputs[k], r.inputs[k]));
        if (differing.length) {
            changes.push({ urn, type: r.type, name: r.name, kind: "changed", inputs: differing.sort() });
        }
    }
    for (const [urn, r] of a) {
        if (!b.has(urn)) {
            changes.push({ urn, type: r.type, name: r.name, kind: "removed" });
        }
    }
    return changes;
}

/** A different valid value for every config key (the script checks all are covered). */
export const ALTERNATIVES: Record<string, unknown> = {
    clusterName: "analytics",
    kubernetesVersion: "1.34",
    karpenterVersion: "1.13.2",
    sparkOperatorVersion: "2.5.1",
    deployExampleJob: true,
    availabilityZoneCount: 2,
    natGateways: "Single",
    vpcCidrBlock: "10.1.0.0/16",
    endpointPublicAccessCidrs: ["198.51.100.0/24"],
    existingVpcId: "vpc-0123456789abcdef0",
    existingPrivateSubnetIds: ["subnet-aaaaaaaa", "subnet-bbbbbbbb"],
    tagExistingSubnets: false,
    adminPrincipals: ["arn:aws:iam::111122223333:role/platform-admins"],
    maxJobDuration: "6h",
    controlPlaneLogging: false,
    secretsEncryption: false,
    deletionProtection: false,
    systemNodeInstanceTypes: ["m8g.large"],
    systemNodeCount: 4,
    karpenterReplicas: 3,
    executorInstanceCategories: ["c", "m"],
    executorGenerationGreaterThan: 5,
    executorInstanceFamilies: ["m7i", "r7i"],
    executorInstanceSizes: ["4xlarge"],
    executorArchitectures: ["amd64", "arm64"],
    executorCapacityTypes: ["spot", "on-demand"],
    executorMinInstanceTypes: 5,
    executorCpuLimit: 2000,
    executorMemoryLimitGi: 8000,
    executorConsolidationPolicy: "WhenEmptyOrUnderutilized",
    executorConsolidateAfter: "5m",
    executorExpireAfter: "168h",
    executorTerminationGracePeriod: "30m",
    executorDisruptionBudgetNodes: "20%",
    driverInstanceCategories: ["m"],
    driverCpuLimit: 300,
    amiVersion: "v20260625",
    nodeVolumeSizeGi: 200,
    instanceStoreRaid0: true,
    sparkJobNamespaces: ["spark-jobs", "spark-adhoc"],
    sparkImage: "registry.example.com/spark-s3a:4.0.4",
    sparkImageHasS3A: true,
    highAvailability: false,
    protectEventLogs: false,
    eventLogRetentionDays: 30,
    checkUpgradePath: false,
};

const encode = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

async function main(stack: string) {
    const missing = Object.keys(CONFIG_KEYS).filter((k) => !(k in ALTERNATIVES));
    if (missing.length) {
        throw new Error(`ALTERNATIVES lacks ${missing.join(", ")}`);
    }
    const config = readStackConfig(stack);
    const base = await renderStack({ stack, config });
    console.log(`| setting (${stack} -> changed) | foundation touched | everything that changes |\n|---|---|---|`);
    for (const [key, value] of Object.entries(ALTERNATIVES)) {
        const full = `karpenter-spark:${key}`;
        let changes: Change[];
        try {
            const next = await renderStack({ stack, config: { ...config, [full]: encode(value) } });
            changes = diffRegistrations(base.registrations, next.registrations);
        } catch (e) {
            console.log(`| ${key} = ${encode(value)} | (invalid for ${stack}: ${e instanceof RenderError ? e.message : e}) | |`);
            continue;
        }
        const foundation = changes.filter((c) => FOUNDATION_TYPES.includes(c.type));
        const describe = (c: Change) => `${c.kind} ${c.name}${c.inputs ? ` (${c.inputs.join(", ")})` : ""}`;
        console.log(`| ${key} = ${encode(value)} | ${foundation.map(describe).join("; ") || "none"} | ${changes.map(describe).join("; ") || "none (program behaviour only)"} |`);
    }
}

if (require.main === module) {
    main(process.argv[2] ?? "prod").catch((e) => {
        console.error(e);
        process.exit(1);
    });
}
