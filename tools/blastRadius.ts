// What a config change touches. `npm run blast-radius -- <stack> --set key=value ...` plans the
// change (tools/plan.ts) and flags as dangerous every step that replaces or deletes the VPC, the
// EKS cluster, an IAM role, the interruption queue or the event-log bucket: each one stops running
// jobs or loses state. `--fail-on-replace` exits 1 on any of them, for CI. Without --set it prints
// the table of one different value per config key (ALTERNATIVES) that the README quotes.
import { isDeepStrictEqual } from "util";
import { CONFIG_KEYS } from "../stacks/config";
import { createCommand, runCli, UserError } from "./cli";
import { CONFIG_FLAG_HELP } from "./stackFiles";
import { Registration } from "./mocks";
import { collect, plan, planHeader, PlanResult } from "./plan";
import { formatPlan, Step } from "./planDiff";

/** Infrastructure whose replacement kills every running job. */
export const FOUNDATION_TYPES = ["awsx:ec2:Vpc", "eks:index:Cluster", "eks:index:ManagedNodeGroup", "aws:iam/role:Role"];

/** What a replacement or deletion of each type destroys. */
export const DANGEROUS_TYPES: Record<string, string> = {
    "awsx:ec2:Vpc": "the VPC: every node, load balancer and ENI in it goes",
    "eks:index:Cluster": "the EKS cluster: every running job and every Kubernetes object goes",
    "aws:iam/role:Role": "an IAM role: whatever assumes it (control plane, Karpenter, nodes, Spark jobs) loses its permissions until the new one exists",
    "aws:sqs/queue:Queue": "the interruption queue: Karpenter misses Spot interruption notices, and queued messages are lost",
    "aws:s3/bucket:Bucket": "the event-log bucket: Spark event logs (the History Server's data) are lost",
};

/** Children of a remote component whose replacement stops what runs in them (nodes live in subnets). */
export const DANGEROUS_CHILDREN = ["aws:ec2/vpc:Vpc", "aws:ec2/subnet:Subnet", "aws:eks/cluster:Cluster"];

export interface Danger {
    op: "replace" | "delete";
    type: string;
    name: string;
    why: string;
    /** For a remote component replaced through a child (the VPC's subnets): which children. */
    children?: string[];
}

/** The dangerous steps of a plan: replacement or deletion of the foundation and of stateful resources. */
export function dangers(steps: Step[]): Danger[] {
    return steps
        .filter((s) => s.type in DANGEROUS_TYPES && (s.op === "replace" || s.op === "delete" || s.remote?.replacedChildren.some((c) => DANGEROUS_CHILDREN.includes(c))))
        .map((s) =>
            s.op === "update"
                ? { op: "replace", type: s.type, name: s.name, why: `replaces its ${s.remote!.replacedChildren.map((c) => c.split(":").pop()).join(", ")} children: what runs in them goes`, children: s.remote!.replacedChildren }
                : { op: s.op as "replace" | "delete", type: s.type, name: s.name, why: DANGEROUS_TYPES[s.type] },
        );
}

export interface BlastRadius extends PlanResult {
    dangerous: Danger[];
}

export async function blastRadius(stack: string, sets: string[], config: string[] = []): Promise<BlastRadius> {
    const result = await plan({ stack, sets, config });
    return { ...result, dangerous: dangers(result.steps) };
}

export function formatBlastRadius(r: BlastRadius): string {
    const lines = [planHeader(r), formatPlan(r), ""];
    if (r.dangerous.length === 0) {
        lines.push("dangerous: none (no replacement or deletion of the VPC, the cluster, IAM roles, the interruption queue or the event-log bucket)");
    } else {
        lines.push(`DANGEROUS: ${r.dangerous.length} step(s)`);
        for (const d of r.dangerous) {
            lines.push(`  ${d.op === "replace" ? "+-" : "- "} ${d.type}  ${d.name}: ${d.why}`);
        }
    }
    return lines.join("\n");
}

// ---- The earlier API, kept for the tests that call it (top-level input names per resource). ----

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

/** A different valid value for every config key (the table checks all are covered). */
export const ALTERNATIVES: Record<string, unknown> = {
    clusterName: "analytics",
    kubernetesVersion: "1.34",
    karpenterVersion: "1.14.0",
    sparkOperatorVersion: "2.5.1",
    deployExampleJob: true,
    availabilityZoneCount: 2,
    natGateways: "Single",
    vpcCidrBlock: "10.1.0.0/16",
    endpointPublicAccessCidrs: ["52.94.134.0/24"],
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
    executorMinInstanceFamilies: 3,
    executorMaxInstanceVcpus: 16,
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
    s3aHadoopAwsDigest: "sha256:" + "0".repeat(64),
    s3aAwsSdkBundleDigest: "sha256:" + "1".repeat(64),
    highAvailability: false,
    protectEventLogs: false,
    eventLogRetentionDays: 30,
    sparkMaxConcurrentApplications: 60,
    sparkMetrics: true,
    sparkPodMonitors: true,
    historyServerIngressClassName: "alb",
    historyServerIngressHost: "spark-history.example.com",
    sparkDataAccess: [{ serviceAccountName: "sales-etl", namespace: "spark-jobs", bucket: "acme-sales", prefix: "raw/2026", access: "read-write" }],
    s3GatewayEndpoint: false,
    checkUpgradePath: false,
    environmentTier: "development",
    allowUntestedVersions: true,
};

const encode = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

/** The README's table: one row per config key, the plan of one different value. */
async function table(stack: string, config: string[]): Promise<string[]> {
    const missing = Object.keys(CONFIG_KEYS).filter((k) => !(k in ALTERNATIVES));
    if (missing.length) {
        throw new Error(`ALTERNATIVES lacks ${missing.join(", ")}`);
    }
    const rows = [`| setting (${stack} -> changed) | dangerous | replaced | updated, created, deleted |`, "|---|---|---|---|"];
    for (const [key, value] of Object.entries(ALTERNATIVES)) {
        let r: BlastRadius;
        try {
            r = await blastRadius(stack, [`${key}=${encode(value)}`], config);
        } catch (e) {
            if (e instanceof UserError) {
                rows.push(`| ${key} = ${encode(value)} | (invalid for ${stack}: ${e.problems.join("; ")}) | | |`);
                continue;
            }
            throw e;
        }
        const names = (op: string) => r.steps.filter((s) => s.op === op).map((s) => s.name);
        const others = [...names("update").map((n) => `~${n}`), ...names("create").map((n) => `+${n}`), ...names("delete").map((n) => `-${n}`)];
        rows.push(
            `| ${key} = ${encode(value)} | ${r.dangerous.map((d) => `${d.op} ${d.name}`).join(", ") || "none"} | ${names("replace").join(", ") || "none"} | ${others.join(", ") || (r.steps.length ? "" : "none (program behaviour only)")} |`,
        );
    }
    return rows;
}

export const command = () =>
    createCommand(
        "blast-radius",
        "What a config change touches, offline: the plan of the change, with replacements or deletions of the VPC, the EKS cluster, IAM roles, the interruption queue and the event-log bucket flagged as dangerous. Without --set: a table of one different value per config key.",
    )
        .argument("[stack]", "the stack: Pulumi.<stack>.yaml", "prod")
        .option("--set <key=value>", "change a config key (any key of stacks/config.ts; repeatable; lists as JSON or a,b,c)", collect, [] as string[])
        .option("--config <key=value...>", CONFIG_FLAG_HELP)
        .option("--fail-on-replace", "exit 1 when a dangerous replacement or deletion is planned (for CI)")
        .option("--json", "print the result as JSON for CI");

if (require.main === module) {
    // Unmapped stack traces unless --debug: see tools/plan.ts.
    if (!process.argv.includes("--debug")) {
        (Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;
    }
    runCli(command(), async (stack: string, opts: { set?: string[]; config?: string[]; failOnReplace?: boolean; json?: boolean }) => {
        const sets = opts.set ?? [];
        if (sets.length === 0) {
            if (opts.failOnReplace || opts.json) {
                throw new UserError("--fail-on-replace and --json judge one change: give it with --set key=value");
            }
            console.log((await table(stack, opts.config ?? [])).join("\n"));
            return 0;
        }
        const r = await blastRadius(stack, sets, opts.config);
        console.log(opts.json ? JSON.stringify(r, null, 2) : formatBlastRadius(r));
        return opts.failOnReplace && r.dangerous.length > 0 ? 1 : 0;
    });
}
