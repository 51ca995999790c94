// Bin packing as Karpenter's provisioner does it: pending pods, largest first, go onto the first
// in-flight NodeClaim that can still hold them; each NodeClaim keeps the instance types that can
// hold everything assigned to it (and never fewer than the pool's minimum number of types); at
// launch it becomes the cheapest of those types.
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
    offering: Offering;
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

export interface PackOptions {
    overhead: Overhead;
    /** The pool's minValues on node.kubernetes.io/instance-type: a NodeClaim keeps at least this many types. */
    minInstanceTypes: number;
    /** The pool's CPU limit (vCPUs), or undefined for none. */
    cpuLimit?: number;
}

export function pack(pods: Pod[], offerings: Offering[], o: PackOptions): Packing {
    const claims: { pods: Pod[]; options: Offering[] }[] = [];
    const unscheduled: Packing["unscheduled"] = [];
    const limit = o.cpuLimit ?? Number.POSITIVE_INFINITY;
    const distinctTypes = (options: Offering[]) => new Set(options.map((x) => x.type.name)).size;
    // Like Karpenter, count each in-flight NodeClaim at the largest type it may still become,
    // and offer new or growing claims only types that fit in what the pool's limit leaves.
    const reservedBy = (except?: object) => claims.filter((c) => c !== except).reduce((s, c) => s + Math.max(...c.options.map((x) => x.type.vcpu)), 0);
    const viable = (options: Offering[]) => options.length > 0 && distinctTypes(options) >= o.minInstanceTypes;
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
            unscheduled.push({ pod, reason: `fewer than ${Math.max(1, o.minInstanceTypes)} allowed instance types can hold it` });
        }
    }
    return { nodes: claims.map((c) => ({ offering: cheapest(c.options), pods: c.pods })), unscheduled };
}
