import { Catalog, InstanceType, loadCatalog } from "../catalog/catalog";
import { Candidate, minValuesProblems, NodePoolSpec, nodeLabels, nodePoolSpec, poolCandidates, requirementMatches } from "../catalog/scheduling";
import { Problem, suggestion } from "./index";

// "Every pool can launch", proven from the instance catalog (components/catalog, generated from
// Karpenter v1.14.1's instance-type data and the AWS Spot Advisor): a NodePool whose requirements
// leave no instance type, or fewer than its minValues, makes Karpenter launch nothing and leaves
// every pod Pending without an error anywhere in `pulumi up`
// (https://karpenter.sh/docs/concepts/nodepools/#min-values).

/**
 * What the DaemonSets of every node request (aws-node, kube-proxy, eks-pod-identity-agent), taken
 * off each type's allocatable; the cost estimator packs with the same allowance (cost/estimate.ts).
 */
export const DAEMONSET_OVERHEAD = { cpuMilli: 150, memoryMiB: 150, pods: 3 } as const;

/** A Spark pod as the scheduler sees it: its requests, memory overhead included. */
export interface PodRequest {
    /** "driver" or "executor", for messages. */
    what: string;
    cpuMilli: number;
    memoryMiB: number;
}

/** What one pod can be given on one instance type of a pool, after the DaemonSets. */
export interface NodeShape {
    /** The instance type. */
    instanceType: string;
    /** CPU left for the pod, in millicores. */
    cpuMilli: number;
    /** Memory left for the pod, in MiB. */
    memoryMiB: number;
}

/** What a pod can be given on the nodes one NodePool may launch: the pod-fit check's input. */
export interface PoolCapacity {
    /** The NodePool. */
    nodePoolName: string;
    /** Where the catalog's offerings were read ("in us-east-1"). */
    where: string;
    /** The pool's CPU limit: a type with more vCPUs can never launch. */
    cpuLimit: number;
    /**
     * Per instance type the pool may launch (with a free pod slot, within the CPU limit) what a pod
     * can get; one type per distinct shape, only shapes no other beats on both CPU and memory,
     * smallest memory first.
     */
    nodeShapes: NodeShape[];
    /** The region the pool launches in, for sizing a job's executors to its nodes (components/pools/executorFit.ts); unset in a placement built by an earlier version of this package. */
    region?: string;
    /** The pool's requirements, minValues included: which instance types it may launch, and how diverse each launch must stay; unset in a placement built by an earlier version of this package. */
    requirements?: PoolRequirement[];
}

/** One requirement of a NodePool's template, as Karpenter reads it. */
export interface PoolRequirement {
    /** A node label, e.g. karpenter.k8s.aws/instance-family. */
    key: string;
    /** In, NotIn, Exists, DoesNotExist, Gt or Lt. */
    operator: string;
    /** The values In and NotIn list, or the one integer of Gt and Lt. */
    values?: string[];
    /** At least this many distinct values of the key must stay available to every launch. */
    minValues?: number;
}

/**
 * What one pod can be given on the pool's nodes: Karpenter's allocatable (kube-reserved and the
 * eviction threshold taken off, AL2023) less the DaemonSets, on types with a pod slot left after
 * them (VPC CNI max pods), no larger than the pool's CPU limit.
 */
export function poolCapacity(manifest: unknown, region: string, catalog: Catalog = loadCatalog()): PoolCapacity {
    const offered = typesInRegion(catalog, region);
    const pool: NodePoolSpec = nodePoolSpec(manifest);
    const cpuLimit = pool.cpuLimit ?? Number.POSITIVE_INFINITY;
    const shapes = new Map<string, NodeShape>();
    for (const c of poolCandidates(pool, offered.types)) {
        const a = c.type.allocatable;
        if (a.pods >= DAEMONSET_OVERHEAD.pods + 1 && c.type.vcpu <= cpuLimit) {
            shapes.set(c.type.name, { instanceType: c.type.name, cpuMilli: a.cpuMilli - DAEMONSET_OVERHEAD.cpuMilli, memoryMiB: a.memoryMiB - DAEMONSET_OVERHEAD.memoryMiB });
        }
    }
    // One type per distinct shape (the first by name), and only shapes no other beats on both.
    const distinct = new Map<string, NodeShape>();
    for (const shape of [...shapes.values()].sort((x, y) => x.instanceType.localeCompare(y.instanceType))) {
        const key = `${shape.cpuMilli}/${shape.memoryMiB}`;
        if (!distinct.has(key)) {
            distinct.set(key, shape);
        }
    }
    const all = [...distinct.values()];
    const frontier = all.filter((s) => !all.some((o) => o !== s && o.cpuMilli >= s.cpuMilli && o.memoryMiB >= s.memoryMiB));
    frontier.sort((x, y) => x.memoryMiB - y.memoryMiB || x.cpuMilli - y.cpuMilli);
    return { nodePoolName: pool.name, where: offered.where, cpuLimit, nodeShapes: frontier, region, requirements: pool.requirements.map((r) => ({ ...r, ...(r.values ? { values: [...r.values] } : {}) })) };
}

/**
 * A pod that fits no instance type its pool may launch stays Pending forever: Karpenter finds no
 * type to launch for it and says so only in its own logs. `what` names the pod ("the driver pod of
 * SparkJob "etl"").
 */
export function podFitProblems(subject: string, what: string, pod: { cpuMilli: number; memoryMiB: number }, capacity: PoolCapacity): Problem[] {
    if (capacity.nodeShapes.some((s) => s.cpuMilli >= pod.cpuMilli && s.memoryMiB >= pod.memoryMiB)) {
        return [];
    }
    const largest = capacity.nodeShapes[capacity.nodeShapes.length - 1];
    const pool = `NodePool "${capacity.nodePoolName}" ${capacity.where}`;
    return [
        {
            subject,
            value: `${pod.cpuMilli}m CPU, ${pod.memoryMiB} MiB`,
            allowed:
                `${what} (requests plus Spark's memory overhead) that fits one instance type ${pool} may launch, after DaemonSets (${DAEMONSET_OVERHEAD.cpuMilli}m, ${DAEMONSET_OVERHEAD.memoryMiB} MiB) and within its CPU limit of ${capacity.cpuLimit}; ` +
                (largest
                    ? `the largest it allows, ${largest.instanceType}, leaves a pod ${largest.cpuMilli}m CPU and ${largest.memoryMiB} MiB (lower the pod's cores or memory, or widen the pool)`
                    : "no instance type of the pool fits within that limit"),
        },
    ];
}

const listedAnywhere = new WeakMap<Catalog, Set<string>>();

/**
 * Whether the catalog shows `type` offered in `region`. The Spot Advisor (2025-06-28) lists the
 * types offered per region; a type it lists elsewhere but not here is not offered here, while a
 * type it lists nowhere is newer than its data and is given the benefit of the doubt.
 */
export function offeredIn(catalog: Catalog, region: string, type: string): boolean {
    const advisor = catalog.spot[region];
    if (!advisor || advisor[type] !== undefined) {
        return true;
    }
    let anywhere = listedAnywhere.get(catalog);
    if (!anywhere) {
        anywhere = new Set(Object.values(catalog.spot).flatMap((r) => Object.keys(r)));
        listedAnywhere.set(catalog, anywhere);
    }
    return !anywhere.has(type);
}

/** The instance types offered in `region` as far as the catalog knows, and how to say where. */
export function typesInRegion(catalog: Catalog, region: string): { types: InstanceType[]; where: string } {
    return catalog.spot[region]
        ? { types: catalog.types.filter((t) => offeredIn(catalog, region, t.name)), where: `in ${region}` }
        : { types: catalog.types, where: `in any region (the catalog has no offering data for ${region})` };
}

/** The regions the catalog has offerings for. */
export function catalogRegions(catalog: Catalog = loadCatalog()): string[] {
    return Object.keys(catalog.spot).sort();
}

/**
 * AWS regions the catalog has no offering data for (GovCloud, China, the newest): real, so
 * accepted, with the launchability checks run against every instance type instead
 * (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html).
 */
export const REGIONS_WITHOUT_OFFERINGS = ["us-gov-east-1", "us-gov-west-1", "cn-north-1", "cn-northwest-1", "ap-southeast-6", "eusc-de-east-1"];

/** The region itself: an AWS region (did-you-mean for a typo). */
export function regionProblems(subject: string, region: unknown, catalog: Catalog = loadCatalog()): Problem[] {
    const regions = [...catalogRegions(catalog), ...REGIONS_WITHOUT_OFFERINGS];
    if (typeof region === "string" && regions.includes(region)) {
        return [];
    }
    return [{ subject, value: region, allowed: `an AWS region: ${regions.sort().join(", ")}${suggestion(region, regions)}` }];
}

/** The argument behind each requirement key, so that a problem names what the user set. */
export type ArgOfRequirement = (key: string) => string;

const describe = (r: { key: string; operator: string; values?: string[] }) => `${r.key} ${r.operator}${r.values ? ` [${r.values.join(", ")}]` : ""}`;

/**
 * Everything that keeps a NodePool from launching a node in `region`, or its Spark pods from
 * fitting on one: no type left (naming the requirement that empties the set), unmet minValues,
 * families outside the categories, unknown families or sizes, a CPU or memory limit smaller
 * than the smallest node, and pods larger than every type.
 */
export function launchabilityProblems(manifest: unknown, region: string, argOf: ArgOfRequirement, pods: PodRequest[] = [], catalog: Catalog = loadCatalog()): Problem[] {
    const offered = typesInRegion(catalog, region);
    const types = offered.types;
    const pool: NodePoolSpec = nodePoolSpec(manifest);
    const where = `NodePool "${pool.name}" ${offered.where}`;
    const problems: Problem[] = [];
    const families = new Map(catalog.types.map((t) => [t.family, t.category]));
    const sizes = [...new Set(catalog.types.map((t) => t.size))];
    const categories = pool.requirements.find((r) => r.key === "karpenter.k8s.aws/instance-category" && r.operator === "In")?.values;
    for (const r of pool.requirements.filter((x) => x.operator === "In")) {
        if (r.key === "karpenter.k8s.aws/instance-family") {
            const unknown = (r.values ?? []).filter((f) => !families.has(f));
            if (unknown.length > 0) {
                problems.push({ subject: argOf(r.key), value: r.values, allowed: `instance families EC2 has (${[...families.keys()].length} in the catalog); unknown: ${unknown.join(", ")}${suggestion(unknown, [...families.keys()])}` });
            }
            const outside = (r.values ?? []).filter((f) => families.has(f) && categories && !categories.includes(families.get(f) as string));
            if (outside.length > 0) {
                problems.push({
                    subject: argOf(r.key),
                    value: r.values,
                    allowed: `families within the pool's categories [${categories?.join(", ")}]; ${outside.map((f) => `${f} is category "${families.get(f)}"`).join(", ")} (add the category or drop the family)`,
                });
            }
        }
        if (r.key === "karpenter.k8s.aws/instance-size") {
            const unknown = (r.values ?? []).filter((s) => !sizes.includes(s));
            if (unknown.length > 0) {
                problems.push({ subject: argOf(r.key), value: r.values, allowed: `instance sizes EC2 has, such as "large", "2xlarge", "metal"; unknown: ${unknown.join(", ")}${suggestion(unknown, sizes)}` });
            }
        }
    }
    const candidates: Candidate[] = poolCandidates(pool, types);
    if (candidates.length === 0) {
        // Apply the requirements one at a time: the first that leaves nothing is the one to change,
        // and an earlier one without which it would leave something is what it conflicts with.
        const capacityType = pool.requirements.some((r) => r.key === "karpenter.sh/capacity-type" && r.values?.includes("spot")) ? "spot" : "on-demand";
        const all = types.map((t) => nodeLabels(t, capacityType, pool));
        const rest = pool.requirements.filter((x) => x.key !== "karpenter.sh/capacity-type");
        let remaining = all;
        for (const [i, r] of rest.entries()) {
            const next = remaining.filter((labels) => requirementMatches(r, labels));
            if (next.length === 0) {
                const earlier = rest.slice(0, i);
                const conflict = earlier.find((e) => all.some((labels) => earlier.every((o) => o === e || requirementMatches(o, labels)) && requirementMatches(r, labels)));
                problems.push({
                    subject: argOf(r.key),
                    value: r.values ?? r.operator,
                    allowed:
                        `values that leave ${where} at least one instance type: after ${describe(r)} none of the ${remaining.length} types the earlier requirements allow remains` +
                        (conflict ? `; it conflicts with ${describe(conflict)} (${argOf(conflict.key)})` : ""),
                });
                break;
            }
            remaining = next;
        }
        return problems;
    }
    for (const message of minValuesProblems(pool, candidates)) {
        const key = message.split(" ")[0];
        const r = pool.requirements.find((x) => x.key === key && x.minValues !== undefined);
        problems.push({ subject: argOf(`${key}#minValues`), value: r?.minValues, allowed: `at most what ${where} offers: ${message} (widen the requirements or lower the minimum)` });
    }
    const smallest = candidates.reduce((a, c) => (c.type.vcpu < a.type.vcpu ? c : a));
    if (pool.cpuLimit !== undefined && pool.cpuLimit < smallest.type.vcpu) {
        problems.push({
            subject: argOf("limits.cpu"),
            value: pool.cpuLimit,
            allowed: `at least ${smallest.type.vcpu}, the vCPUs of the smallest type ${where} may launch (${smallest.type.name}); a smaller limit never admits a node`,
        });
    }
    const capacity = pods.length > 0 ? poolCapacity(manifest, region, catalog) : undefined;
    for (const pod of pods) {
        problems.push(...podFitProblems(argOf(`pod:${pod.what}`), `a ${pod.what} pod`, pod, capacity as PoolCapacity));
    }
    return problems;
}

/** Explicit instance types (the system node group): known to EC2 and offered in the region. */
export function instanceTypeProblems(subject: string, names: string[], region: string, catalog: Catalog = loadCatalog()): Problem[] {
    const problems: Problem[] = [];
    const all = catalog.types.map((t) => t.name);
    names.forEach((n, i) => {
        if (!catalog.byName.has(n)) {
            problems.push({ subject: `${subject}[${i}]`, value: n, allowed: `an EC2 instance type (the catalog has ${all.length})${suggestion(n, all)}` });
        } else if (!offeredIn(catalog, region, n)) {
            problems.push({ subject: `${subject}[${i}]`, value: n, allowed: `an instance type offered in ${region}: the AWS Spot Advisor (2025-06-28) lists ${n} in other regions but not there` });
        }
    });
    return problems;
}

/** The architecture of a known instance type. */
export function architectureOf(name: string, catalog: Catalog = loadCatalog()): string | undefined {
    return catalog.byName.get(name)?.arch;
}
