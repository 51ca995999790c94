// Helm values for Karpenter's two charts. Every key set here exists in the chart's values.yaml
// (tests/contract/chartValues.spec.ts checks it against the v1.14.1 fixture).

/** Where Karpenter publishes both charts. */
export const KARPENTER_CHART_REPOSITORY = "oci://public.ecr.aws/karpenter";
/** Karpenter runs in kube-system, as its getting-started guide installs it. */
export const KARPENTER_NAMESPACE = "kube-system";
/** The service account the Pod Identity association binds to the controller role. */
export const KARPENTER_SERVICE_ACCOUNT = "karpenter";

/** The label and taint that reserve the system node group for cluster add-ons and Karpenter. */
export const SYSTEM_NODE_LABEL = { key: "karpenter-spark.io/node-group", value: "system" } as const;
/**
 * EKS's conventional taint for critical add-ons: CoreDNS and Karpenter's chart already tolerate
 * it, and the DaemonSets of the VPC CNI, kube-proxy and the Pod Identity agent tolerate all taints.
 */
export const SYSTEM_NODE_TAINT = { key: "CriticalAddonsOnly", value: "true", effect: "NoSchedule" } as const;

export interface Toleration {
    /** The taint key the toleration matches. */
    key: string;
    /** `Equal` (key and value) or `Exists` (key only). */
    operator: string;
    /** The taint value, with operator `Equal`. */
    value?: string;
    /** The taint effect matched; all effects when unset. */
    effect?: string;
}

/** Tolerations that let a pod onto the system node group. */
export function systemTolerations(): Toleration[] {
    return [{ key: SYSTEM_NODE_TAINT.key, operator: "Exists", effect: SYSTEM_NODE_TAINT.effect }];
}

/** Node selector that keeps a pod on the system node group. */
export function systemNodeSelector(): Record<string, string> {
    return { "kubernetes.io/os": "linux", [SYSTEM_NODE_LABEL.key]: SYSTEM_NODE_LABEL.value };
}

export interface KarpenterValuesInput {
    clusterName: string;
    interruptionQueueName: string;
    replicas: number;
}

export function karpenterChartValues(v: KarpenterValuesInput): Record<string, unknown> {
    return {
        settings: {
            clusterName: v.clusterName,
            // The queue's name, not its ARN: Karpenter resolves the URL with sqs:GetQueueUrl.
            interruptionQueue: v.interruptionQueueName,
        },
        serviceAccount: { name: KARPENTER_SERVICE_ACCOUNT },
        replicas: v.replicas,
        controller: {
            resources: {
                requests: { cpu: "1", memory: "1Gi" },
                limits: { cpu: "1", memory: "1Gi" },
            },
        },
        // Pinned to the system node group. The chart's default affinity (no karpenter.sh/nodepool
        // label, one replica per host) is left as it is: Karpenter must never run on nodes it manages.
        nodeSelector: systemNodeSelector(),
        tolerations: systemTolerations(),
    };
}
