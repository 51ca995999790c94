// The library's public surface: everything a Pulumi project needs to build Spark on EKS with
// Karpenter from these components. Pulumi's schema analyser also starts here.

export { KarpenterCluster, KarpenterClusterArgs, DISCOVERY_TAG_KEY, EKS_CONTROL_PLANE_LOG_TYPES } from "./karpenterCluster";
export { SpotExecutorPool, SpotExecutorPoolArgs } from "./spotExecutorPool";
export { DataAccessGrant, SparkOperator, SparkOperatorArgs, sparkUiCommands } from "./sparkOperator";
export { SparkJob, SparkJobArgs } from "./sparkJob";
export { ConcurrencyPolicy, scheduledSparkApplicationManifest, sparkApplicationManifest, SparkJobType } from "./spark/job";
export { DataAccess } from "./spark/s3a";
export { Architecture, CapacityType, ConsolidationPolicy, InstanceCategory, NatGatewayStrategy, SparkRole } from "./enums";
export {
    Affinity,
    EXECUTOR_DECOMMISSION_FORCE_KILL_SECONDS,
    EXECUTOR_TERMINATION_GRACE_SECONDS,
    executorDecommissionConf,
    NodeAffinity,
    NodeSelectorRequirement,
    NodeSelectorTerm,
    PodTemplate,
    RequiredNodeSelector,
    SparkPodPlacement,
    sparkPodPlacement,
} from "./pools/placement";
export { DisruptionBudget, SPARK_ROLE_KEY } from "./pools/specs";
export { SYSTEM_NODE_LABEL, SYSTEM_NODE_TAINT, systemNodeSelector, systemTolerations, Toleration } from "./karpenter/values";
export { DEFAULT_KARPENTER_VERSION, DEFAULT_KUBERNETES_VERSION } from "./karpenter/versions";
export { DEFAULT_SPARK_IMAGE, SPARK_VERSION, S3A_JARS } from "./spark/image";
export { DEFAULT_SPARK_OPERATOR_VERSION } from "./spark/values";
