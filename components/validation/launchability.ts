import { Catalog, InstanceType, loadCatalog } from "../catalog/catalog";
import { Candidate, minValuesProblems, NodePoolSpec, nodeLabels, nodePoolSpec, poolCandidates, requirementMatches } from "../catalog/scheduling";
import { Problem, suggestion } from "./index";

// "Every pool can launch", proven from the instance catalog (components/catalog, generated from
// Karpenter v1.14.1's instance-type data and the AWS Spot Advisor): a NodePool whose requirements
// leave no instance type, or fewer than its minValues, makes Karpenter launch nothing and leaves
// every pod Pending without an error anywhere in `pulumi up`
// (https://karpenter.sh/docs/concepts/nodepools/#min-values).

/**
 * What the DaemonSets of every node request (aws-node, kube-proxy, eks-pod-identity-agent):
 * the same allowance the cost estimator makes, taken off each type's allocatable.
 */
export const DAEMONSET_OVERHEAD = { cpuMilli: 150, memoryMiB: 150, pods: 3 } as const;

/** A Spark pod as the scheduler sees it: its requests, memory overhead included. */
export interface PodRequest {
    /** "driver" or "executor", for messages. */
    what: string;
    cpuMilli: number;
    memoryMiB: number;
}

/**
 * Spark's pod memory: the heap plus `memoryOverheadFactor` (0.10 for JVM jobs) of it, at least
 * 384 MiB (https://spark.apache.org/docs/latest/configuration.html#application-properties,
 * spark.driver.memoryOverhead / spark.executor.memoryOverhead).
 */
export function sparkPodMemoryMiB(heapMiB: number, overheadFactor = 0.1): number {
    return heapMiB + Math.max(384, Math.ceil(heapMiB * overheadFactor));
}

/** Spark's memory notation (512m, 2g, 1024k) in MiB; undefined when it is not one. */
export function sparkMemoryMiB(text: string): number | undefined {
    const m = /^([0-9]+)([kKmMgGtTpP][bB]?|[bB])?$/.exec(text);
    if (!m) {
        return undefined;
    }
    const unit = (m[2] ?? "b")[0].toLowerCase();
    const exp: Record<string, number> = { b: -2, k: -1, m: 0, g: 1, t: 2, p: 3 };
    // Spark reads a unitless spark.driver.memory / spark.executor.memory as MiB.
    return m[2] === undefined ? Number(m[1]) : Number(m[1]) * 1024 ** exp[unit];
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
    for (const pod of pods) {
        const fits = candidates.filter(
            (c) =>
                c.type.allocatable.cpuMilli - DAEMONSET_OVERHEAD.cpuMilli >= pod.cpuMilli &&
                c.type.allocatable.memoryMiB - DAEMONSET_OVERHEAD.memoryMiB >= pod.memoryMiB &&
                c.type.allocatable.pods >= DAEMONSET_OVERHEAD.pods + 1 &&
                (pool.cpuLimit === undefined || c.type.vcpu <= pool.cpuLimit),
        );
        if (fits.length === 0) {
            const largest = candidates.reduce((a, c) => (c.type.allocatable.memoryMiB > a.type.allocatable.memoryMiB ? c : a));
            problems.push({
                subject: argOf(`pod:${pod.what}`),
                value: `${pod.cpuMilli}m CPU, ${pod.memoryMiB} MiB`,
                allowed:
                    `a ${pod.what} pod (requests plus Spark's memory overhead) that fits one type of ${where} after DaemonSets (${DAEMONSET_OVERHEAD.cpuMilli}m, ${DAEMONSET_OVERHEAD.memoryMiB} MiB)` +
                    ` within its CPU limit; the largest, ${largest.type.name}, allocates ${largest.type.allocatable.cpuMilli}m and ${largest.type.allocatable.memoryMiB} MiB`,
            });
        }
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
