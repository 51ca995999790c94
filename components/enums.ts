// Enums are `as const` objects (not TypeScript `enum`s) because that is the form Pulumi's
// schema analyser turns into schema enums for Python, Go, .NET, Java and YAML consumers.

/**
 * EC2 instance categories, as Karpenter's `karpenter.k8s.aws/instance-category` label spells them
 * (the letters before the generation digit of the instance family).
 */
export const InstanceCategory = {
    /** General purpose, burstable (CPU credits): a poor fit for Spark executors. */
    T: "t",
    /** General purpose. */
    M: "m",
    /** Compute optimised. */
    C: "c",
    /** Memory optimised. */
    R: "r",
    /** Memory optimised, high memory per vCPU. */
    X: "x",
    /** Memory optimised, high single-thread frequency. */
    Z: "z",
    /** High memory (multi-terabyte). */
    U: "u",
    /** Storage optimised, NVMe. */
    I: "i",
    /** Storage optimised, NVMe, newer (im4gn). */
    Im: "im",
    /** Storage optimised, NVMe, newer (is4gen). */
    Is: "is",
    /** Dense HDD storage. */
    D: "d",
    /** HDD storage (h1). */
    H: "h",
    /** Graviton first generation (a1). */
    A: "a",
    /** GPU, general. */
    G: "g",
    /** GPU, graphics with local storage (gr6). */
    Gr: "gr",
    /** GPU, training. */
    P: "p",
    /** Gaudi accelerators (dl1). */
    Dl: "dl",
    /** Inferentia. */
    Inf: "inf",
    /** Trainium. */
    Trn: "trn",
    /** FPGA. */
    F: "f",
    /** Video transcoding. */
    Vt: "vt",
    /** High performance computing. */
    Hpc: "hpc",
} as const;
export type InstanceCategory = (typeof InstanceCategory)[keyof typeof InstanceCategory];

/** Karpenter's `karpenter.sh/capacity-type` values. */
export const CapacityType = {
    /** Spot: spare EC2 capacity at a discount, reclaimable with a two-minute notice. */
    Spot: "spot",
    /** On-Demand: billed per second, never reclaimed by EC2. */
    OnDemand: "on-demand",
    /** Capacity reserved through an EC2 On-Demand Capacity Reservation. */
    Reserved: "reserved",
} as const;
export type CapacityType = (typeof CapacityType)[keyof typeof CapacityType];

/** CPU architectures, as the `kubernetes.io/arch` node label spells them. */
export const Architecture = {
    /** x86-64 (Intel and AMD). */
    Amd64: "amd64",
    /** 64-bit ARM (AWS Graviton). */
    Arm64: "arm64",
} as const;
export type Architecture = (typeof Architecture)[keyof typeof Architecture];

/** When Karpenter may remove or replace a node to save money. */
export const ConsolidationPolicy = {
    /** Only nodes with no workload pods. Never interrupts a running pod. */
    WhenEmpty: "WhenEmpty",
    /** Empty nodes, and nodes whose pods fit elsewhere more cheaply (pods are evicted and rescheduled). */
    WhenEmptyOrUnderutilized: "WhenEmptyOrUnderutilized",
    /**
     * Empty nodes, and under-utilized ones only when the saving outweighs the disruption (Karpenter
     * 1.14's third policy; the v1.14.1 NodePool CRD's enum). Still evicts running pods.
     */
    Balanced: "Balanced",
} as const;
export type ConsolidationPolicy = (typeof ConsolidationPolicy)[keyof typeof ConsolidationPolicy];

/** How many NAT gateways give the private node subnets their route to the internet. */
export const NatGatewayStrategy = {
    /** One shared gateway: cheapest; a zone outage cuts every zone's egress. */
    Single: "Single",
    /** One gateway per availability zone: zone-independent egress, one gateway's hourly cost per zone. */
    OnePerAz: "OnePerAz",
} as const;
export type NatGatewayStrategy = (typeof NatGatewayStrategy)[keyof typeof NatGatewayStrategy];

/** The two roles a Spark pod plays, and the label and taint value that keeps each on its own pool. */
export const SparkRole = {
    /** The driver: long-lived, holds the job's state; must not be interrupted. */
    Driver: "driver",
    /** Executors: stateless workers that Spark can decommission and replace. */
    Executor: "executor",
} as const;
export type SparkRole = (typeof SparkRole)[keyof typeof SparkRole];

/**
 * EKS access policies an admin principal can be given
 * (https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html).
 */
export const EksAccessPolicy = {
    /** Everything, cluster-wide (Kubernetes cluster-admin). */
    ClusterAdmin: "AmazonEKSClusterAdminPolicy",
    /** Most resources, including RBAC within namespaces (Kubernetes admin). */
    Admin: "AmazonEKSAdminPolicy",
    /** Read and write most namespaced resources, no RBAC (Kubernetes edit). */
    Edit: "AmazonEKSEditPolicy",
    /** Read most resources, no secrets (Kubernetes view). */
    View: "AmazonEKSViewPolicy",
} as const;
export type EksAccessPolicy = (typeof EksAccessPolicy)[keyof typeof EksAccessPolicy];
