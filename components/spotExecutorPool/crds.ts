import { SparkRole } from "../enums";
import { ec2NodeClassManifest, KubernetesManifest, NodeClassInput, nodePoolManifest, NodePoolInput } from "../pools/specs";
import { ArgOfPath, CrdCheck, karpenterCrdProblems } from "../validation/karpenterCrds";
import { ArgOfRequirement } from "../validation/launchability";

// The pools' Karpenter objects against the Karpenter v1.14.1 CRDs (components/validation/karpenterCrds.ts),
// with each finding restated against the SpotExecutorPool argument behind the offending path.

/** The argument behind a path of a NodePool the component built for `role`. */
function nodePoolArg(role: SparkRole, manifest: KubernetesManifest, argOfRequirement: ArgOfRequirement): ArgOfPath {
    const table: [RegExp, string][] = [
        [/^\/metadata\/name/, "poolName"],
        [/^\/spec\/template\/spec\/expireAfter/, `${role}ExpireAfter`],
        [/^\/spec\/template\/spec\/terminationGracePeriod/, role === SparkRole.Executor ? "executorTerminationGracePeriod (or maxJobDuration)" : "maxJobDuration"],
        [/^\/spec\/disruption\/consolidateAfter/, `${role}ConsolidateAfter`],
        [/^\/spec\/disruption\/consolidationPolicy/, `${role}ConsolidationPolicy`],
        [/^\/spec\/disruption\/budgets/, `${role}DisruptionBudgets`],
        [/^\/spec\/limits\/memory/, `${role}MemoryLimitGi`],
        [/^\/spec\/limits/, `${role}CpuLimit`],
        [/^\/spec\/weight/, `${role}Weight`],
        // A rule over the whole list (In without values, minValues above the values): one of the instance arguments.
        [/^\/spec\/template\/spec\/requirements$/, `${role}InstanceCategories, ${role}InstanceFamilies or ${role}InstanceSizes`],
    ];
    return (pointer) => {
        const requirement = /^\/spec\/template\/spec\/requirements\/(\d+)/.exec(pointer);
        if (requirement) {
            const r = (manifest.spec as any).template.spec.requirements[Number(requirement[1])];
            return argOfRequirement(r.minValues !== undefined ? `${r.key}#minValues` : r.key);
        }
        return table.find(([re]) => re.test(pointer))?.[1] ?? `the ${role} NodePool`;
    };
}

/** The argument behind a path of the EC2NodeClass. */
const nodeClassArg: ArgOfPath = (pointer) => {
    const table: [RegExp, string][] = [
        [/^\/metadata\/name/, "poolName"],
        [/^\/spec\/role/, "nodeRoleName"],
        [/^\/spec\/amiSelectorTerms/, "amiVersion"],
        [/^\/spec\/(subnet|securityGroup)SelectorTerms/, "clusterName"],
        [/^\/spec\/blockDeviceMappings/, "rootVolumeSizeGi"],
        [/^\/spec\/instanceStorePolicy/, "instanceStoreRaid0"],
        [/^\/spec\/tags/, "tags"],
    ];
    return table.find(([re]) => re.test(pointer))?.[1] ?? "the EC2NodeClass";
};

/** What the CRD check of one kind found, summed over its objects. */
export interface PoolCrdCheck extends CrdCheck {
    kind: string;
}

/** Both NodePools against the NodePool CRD. */
export function nodePoolCrdCheck(pools: NodePoolInput[], argOfRequirement: (role: SparkRole, pool: NodePoolInput) => ArgOfRequirement): PoolCrdCheck {
    const out: PoolCrdCheck = { kind: "NodePool", problems: [], evaluatedRules: 0, unevaluated: [] };
    for (const pool of pools) {
        const manifest = nodePoolManifest(pool);
        const c = karpenterCrdProblems(manifest, nodePoolArg(pool.role, manifest, argOfRequirement(pool.role, pool)));
        out.problems.push(...c.problems);
        out.evaluatedRules += c.evaluatedRules;
        out.unevaluated.push(...c.unevaluated);
    }
    return out;
}

/** The EC2NodeClass against its CRD. */
export function nodeClassCrdCheck(input: NodeClassInput): PoolCrdCheck {
    return { kind: "EC2NodeClass", ...karpenterCrdProblems(ec2NodeClassManifest(input), nodeClassArg) };
}
