// Karpenter's view of which nodes a NodePool may launch and which pods may run on them: the
// well-known labels of an instance type, requirement operators, taints and tolerations. The
// estimator uses it to list a pool's instance types; the tests use it to prove that the
// placement SpotExecutorPool hands to Spark jobs lands on the intended pool and nowhere else.
import { InstanceType } from "./catalog";

export interface Requirement {
    key: string;
    operator: string;
    values?: string[];
    minValues?: number;
}

export interface Taint {
    key: string;
    value?: string;
    effect: string;
}

export interface Toleration {
    key?: string;
    operator?: string;
    value?: string;
    effect?: string;
}

/** The parts of a NodePool manifest scheduling depends on. */
export interface NodePoolSpec {
    name: string;
    labels: Record<string, string>;
    requirements: Requirement[];
    taints: Taint[];
    cpuLimit?: number;
    consolidateAfter?: string;
}

export function nodePoolSpec(manifest: any): NodePoolSpec {
    const t = manifest.spec.template;
    return {
        name: manifest.metadata.name,
        labels: t.metadata?.labels ?? {},
        requirements: t.spec.requirements ?? [],
        taints: t.spec.taints ?? [],
        cpuLimit: manifest.spec.limits?.cpu !== undefined ? Number(manifest.spec.limits.cpu) : undefined,
        consolidateAfter: manifest.spec.disruption?.consolidateAfter,
    };
}

/** The labels a node of this type and capacity type carries in this pool. */
export function nodeLabels(t: InstanceType, capacityType: string, pool: NodePoolSpec): Record<string, string> {
    return {
        ...pool.labels,
        "karpenter.sh/nodepool": pool.name,
        "karpenter.sh/capacity-type": capacityType,
        "node.kubernetes.io/instance-type": t.name,
        "kubernetes.io/arch": t.arch,
        "kubernetes.io/os": "linux",
        "karpenter.k8s.aws/instance-category": t.category,
        "karpenter.k8s.aws/instance-family": t.family,
        "karpenter.k8s.aws/instance-generation": String(t.generation),
        "karpenter.k8s.aws/instance-size": t.size,
        "karpenter.k8s.aws/instance-cpu": String(t.vcpu),
        "karpenter.k8s.aws/instance-memory": String(t.memoryMiB),
        "karpenter.k8s.aws/instance-local-nvme": String(t.localNvmeGiB),
    };
}

/** Kubernetes' node selector operators, as Karpenter applies them to well-known labels. */
export function requirementMatches(r: Requirement, labels: Record<string, string>): boolean {
    const value = labels[r.key];
    switch (r.operator) {
        case "In":
            return value !== undefined && (r.values ?? []).includes(value);
        case "NotIn":
            return value === undefined || !(r.values ?? []).includes(value);
        case "Exists":
            return value !== undefined;
        case "DoesNotExist":
            return value === undefined;
        case "Gt":
            return value !== undefined && /^-?\d+$/.test(value) && Number(value) > Number(r.values?.[0]);
        case "Lt":
            return value !== undefined && /^-?\d+$/.test(value) && Number(value) < Number(r.values?.[0]);
        default:
            throw new Error(`unknown requirement operator ${r.operator}`);
    }
}

/** A pod tolerates a node's taints when every NoSchedule and NoExecute taint has a matching toleration. */
export function tolerates(tolerations: Toleration[], taints: Taint[]): boolean {
    return taints
        .filter((t) => t.effect !== "PreferNoSchedule")
        .every((taint) =>
            tolerations.some(
                (tol) =>
                    (tol.effect === undefined || tol.effect === "" || tol.effect === taint.effect) &&
                    (tol.operator === "Exists"
                        ? tol.key === undefined || tol.key === "" || tol.key === taint.key
                        : tol.key === taint.key && (tol.value ?? "") === (taint.value ?? "")),
            ),
        );
}

/** The capacity types a pool's requirements allow. */
export function poolCapacityTypes(pool: NodePoolSpec): string[] {
    return ["spot", "on-demand", "reserved"].filter((ct) =>
        pool.requirements.filter((r) => r.key === "karpenter.sh/capacity-type").every((r) => requirementMatches(r, { "karpenter.sh/capacity-type": ct })),
    );
}

/** A pod's scheduling constraints (what SparkPodPlacement carries). */
export interface PodPlacement {
    nodeSelector?: Record<string, string>;
    tolerations?: Toleration[];
    affinity?: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms: { matchExpressions?: Requirement[] }[] } } };
}

/** Whether a pod with this placement may run on a node with these labels and taints. */
export function podMayRunOn(p: PodPlacement, labels: Record<string, string>, taints: Taint[]): boolean {
    const selector = Object.entries(p.nodeSelector ?? {}).every(([k, v]) => labels[k] === v);
    const terms = p.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
    const affinity = !terms || terms.some((term) => (term.matchExpressions ?? []).every((r) => requirementMatches(r, labels)));
    return selector && affinity && tolerates(p.tolerations ?? [], taints);
}

/** An instance type a pool may launch, with the capacity type it would be bought as. */
export interface Candidate {
    type: InstanceType;
    capacityType: string;
}

/** Every (instance type, capacity type) the pool's requirements allow, ignoring minValues. */
export function poolCandidates(pool: NodePoolSpec, types: InstanceType[]): Candidate[] {
    const out: Candidate[] = [];
    for (const capacityType of poolCapacityTypes(pool)) {
        for (const t of types) {
            const labels = nodeLabels(t, capacityType, pool);
            if (pool.requirements.every((r) => requirementMatches(r, labels))) {
                out.push({ type: t, capacityType });
            }
        }
    }
    return out;
}

/** The pool's minValues that these candidates cannot meet, as messages. */
export function minValuesProblems(pool: NodePoolSpec, candidates: Candidate[]): string[] {
    const problems: string[] = [];
    for (const r of pool.requirements.filter((x) => x.minValues !== undefined)) {
        const distinct = new Set(candidates.map((c) => nodeLabels(c.type, c.capacityType, pool)[r.key]).filter((v) => v !== undefined));
        if (distinct.size < (r.minValues as number)) {
            problems.push(`${r.key} needs at least ${r.minValues} distinct values, the pool offers ${distinct.size}`);
        }
    }
    return problems;
}
