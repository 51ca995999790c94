// Bin packing as Karpenter's provisioner does it: pending pods, largest first, go onto the first
// in-flight NodeClaim that can still hold them; each NodeClaim keeps the instance types that can
// hold everything assigned to it, and never fewer than the pool's minValues on any key (instance
// types, families, categories); at launch it becomes the cheapest of those types.
import { InstanceType } from "../components/catalog/catalog";

export interface Pod {
    name: string;
    cpuMilli: number;
    memoryMiB: number;
}

/** A type the pool may launch, priced for its capacity type. */
export interface Offering {
    type: InstanceType;
    capacityType: string;
    usdPerHour: number;
    /** Spot only: Spot Advisor savings and interruption band. */
    savingsPct?: number;
    interruptionBand?: string;
}

/** What every node runs before any workload pod (DaemonSets). */
export interface Overhead {
    cpuMilli: number;
    memoryMiB: number;
    pods: number;
}

export interface PackedNode {
    /** The cheapest type the NodeClaim could become: what the packing buys. */
    offering: Offering;
    /** Every type the NodeClaim could still become (what Karpenter hands to EC2 Fleet). */
    options: Offering[];
    pods: Pod[];
}

export interface Packing {
    nodes: PackedNode[];
    /** Pods no allowed type can hold, or that the pool's CPU limit leaves without a node. */
    unscheduled: { pod: Pod; reason: string }[];
}

export function fits(t: InstanceType, pods: Pod[], overhead: Overhead): boolean {
    const cpu = pods.reduce((s, p) => s + p.cpuMilli, overhead.cpuMilli);
    const memory = pods.reduce((s, p) => s + p.memoryMiB, overhead.memoryMiB);
    return cpu <= t.allocatable.cpuMilli && memory <= t.allocatable.memoryMiB && pods.length + overhead.pods <= t.allocatable.pods;
}

/** Cheapest first; ties go to the smaller, then alphabetically, so results are stable. */
function cheapest(offerings: Offering[]): Offering {
    return [...offerings].sort((a, b) => a.usdPerHour - b.usdPerHour || a.type.vcpu - b.type.vcpu || a.type.name.localeCompare(b.type.name))[0];
}

/** The value of a well-known node label for an offering, for the minValues keys Karpenter allows. */
export function offeringLabel(o: Offering, key: string): string | undefined {
    const t = o.type;
    const labels: Record<string, string> = {
        "node.kubernetes.io/instance-type": t.name,
        "karpenter.k8s.aws/instance-family": t.family,
        "karpenter.k8s.aws/instance-category": t.category,
        "karpenter.k8s.aws/instance-generation": String(t.generation),
        "karpenter.k8s.aws/instance-size": t.size,
        "karpenter.k8s.aws/instance-cpu": String(t.vcpu),
        "karpenter.k8s.aws/instance-memory": String(t.memoryMiB),
        "kubernetes.io/arch": t.arch,
        "karpenter.sh/capacity-type": o.capacityType,
    };
    return labels[key];
}

/** The first minValues the offerings cannot meet, as "N distinct <key>", or undefined when all are met. */
export function unmetMinValues(offerings: Offering[], minValues: Record<string, number>): string | undefined {
    for (const [key, min] of Object.entries(minValues)) {
        const distinct = new Set(offerings.map((x) => offeringLabel(x, key)).filter((v) => v !== undefined));
        if (distinct.size < min) {
            return `${min} distinct ${key} (only ${distinct.size})`;
        }
    }
    return offerings.length === 0 ? "1 instance type" : undefined;
}

export interface PackOptions {
    overhead: Overhead;
    /**
     * Every minValues of the pool's requirements, by label key (instance type, family, category...):
     * Karpenter keeps a NodeClaim's instance types diverse enough to meet all of them.
     */
    minValues: Record<string, number>;
    /** The pool's CPU limit (vCPUs), or undefined for none. */
    cpuLimit?: number;
}

function largest(offerings: Offering[]): string {
    if (offerings.length === 0) {
        return "none (the pool allows no priced instance type)";
    }
    const cpu = offerings.reduce((a, b) => (b.type.allocatable.cpuMilli > a.type.allocatable.cpuMilli ? b : a));
    const mem = offerings.reduce((a, b) => (b.type.allocatable.memoryMiB > a.type.allocatable.memoryMiB ? b : a));
    return `${cpu.type.allocatable.cpuMilli}m CPU (${cpu.type.name}), ${mem.type.allocatable.memoryMiB} MiB (${mem.type.name})`;
}

export function pack(pods: Pod[], offerings: Offering[], o: PackOptions): Packing {
    const claims: { pods: Pod[]; options: Offering[] }[] = [];
    const unscheduled: Packing["unscheduled"] = [];
    const limit = o.cpuLimit ?? Number.POSITIVE_INFINITY;
    // Like Karpenter, count each in-flight NodeClaim at the largest type it may still become,
    // and offer new or growing claims only types that fit in what the pool's limit leaves.
    const reservedBy = (except?: object) => claims.filter((c) => c !== except).reduce((s, c) => s + Math.max(...c.options.map((x) => x.type.vcpu)), 0);
    const viable = (options: Offering[]) => unmetMinValues(options, o.minValues) === undefined;
    const sorted = [...pods].sort((a, b) => b.cpuMilli - a.cpuMilli || b.memoryMiB - a.memoryMiB || a.name.localeCompare(b.name));
    for (const pod of sorted) {
        const claim = claims.find((c) => viable(c.options.filter((x) => fits(x.type, [...c.pods, pod], o.overhead) && x.type.vcpu <= limit - reservedBy(c))));
        if (claim) {
            const room = limit - reservedBy(claim);
            claim.pods.push(pod);
            claim.options = claim.options.filter((x) => fits(x.type, claim.pods, o.overhead) && x.type.vcpu <= room);
            continue;
        }
        const holding = offerings.filter((x) => fits(x.type, [pod], o.overhead));
        const options = holding.filter((x) => x.type.vcpu <= limit - reservedBy());
        if (viable(options)) {
            claims.push({ pods: [pod], options });
        } else if (viable(holding)) {
            unscheduled.push({ pod, reason: `the pool's CPU limit (${o.cpuLimit} vCPUs) is reached` });
        } else {
            const need = `${pod.cpuMilli}m CPU and ${pod.memoryMiB} MiB (+ ${o.overhead.cpuMilli}m/${o.overhead.memoryMiB} MiB DaemonSets)`;
            unscheduled.push({
                pod,
                reason:
                    holding.length === 0
                        ? `no allowed instance type holds ${need}; the largest allocatable is ${largest(offerings)}`
                        : `the instance types that hold ${need} do not meet the pool's minValues: need ${unmetMinValues(holding, o.minValues)}`,
            });
        }
    }
    return { nodes: claims.map((c) => ({ offering: cheapest(c.options), options: c.options, pods: c.pods })), unscheduled };
}
