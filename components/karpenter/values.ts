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
    /** The API server endpoint: set, so that the controller does not call eks:DescribeCluster at startup. */
    clusterEndpoint: string;
    /** The AWS region, set explicitly rather than discovered from IMDS (hop limit 1 on Karpenter's own nodes). */
    region: string;
    interruptionQueueName: string;
    replicas: number;
    /** Total vCPUs of the NodePools the controller manages; sizes its resources. */
    managedVcpus: number;
    /**
     * The Pod Identity association's ID, as a pod annotation: EKS injects Pod Identity credentials
     * only into pods created after the association exists, so a replaced association must restart the pods.
     */
    podIdentityAssociationId: string;
}

export interface ContainerResources {
    requests: { cpu: string; memory: string };
    limits: { memory: string };
}

/**
 * Requests and limits of the controller. Memory is the limit that matters: 1Gi is Karpenter's
 * getting-started value and OOMs on busy clusters (aws/karpenter-provider-aws#5427, #3992: "for
 * larger clusters users need more"), and it grows with the nodes and pods it tracks; memory
 * requests equal limits so the controller is never the pod the kubelet evicts first. No CPU
 * limit: a throttled controller is a slow scheduler during a job's scale-out.
 */
export function controllerResources(managedVcpus: number): ContainerResources {
    // Up to ~250 nodes of 4 vCPU: the chart's suggested 1 CPU / 1Gi plus headroom; beyond, double.
    const large = managedVcpus > 1000;
    const memory = large ? "4Gi" : "2Gi";
    return { requests: { cpu: large ? "2" : "1", memory }, limits: { memory } };
}

export function karpenterChartValues(v: KarpenterValuesInput): Record<string, unknown> {
    return {
        settings: {
            clusterName: v.clusterName,
            clusterEndpoint: v.clusterEndpoint,
            // The queue's name, not its ARN: Karpenter resolves the URL with sqs:GetQueueUrl.
            interruptionQueue: v.interruptionQueueName,
        },
        serviceAccount: { name: KARPENTER_SERVICE_ACCOUNT },
        replicas: v.replicas,
        podAnnotations: { [POD_IDENTITY_ANNOTATION]: v.podIdentityAssociationId },
        controller: {
            // The chart's documented way to set the region (values.yaml, controller.env example).
            env: [{ name: "AWS_REGION", value: v.region }],
            resources: controllerResources(v.managedVcpus),
        },
        // Pinned to the system node group. The chart's default affinity (no karpenter.sh/nodepool
        // label, one replica per host) is left as it is: Karpenter must never run on nodes it manages.
        nodeSelector: systemNodeSelector(),
        tolerations: systemTolerations(),
    };
}

/** Pod annotation carrying the Pod Identity association's ID (a new association rolls the pods). */
export const POD_IDENTITY_ANNOTATION = "karpenter-spark.io/pod-identity-association";
