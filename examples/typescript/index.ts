// A platform team's own program: one EKS cluster, a compute-optimised Spot pool for batch ETL, a
// memory-optimised pool (Spot with On-Demand fallback) for ML jobs, and the Spark Operator.
import { CapacityType, InstanceCategory, KarpenterCluster, NatGatewayStrategy, SparkOperator, SpotExecutorPool } from "karpenter-spark";

const cluster = new KarpenterCluster("analytics", {
    clusterName: "analytics-eu",
    kubernetesVersion: "1.34",
    natGateways: NatGatewayStrategy.OnePerAz,
    // The team's office and CI egress (public ranges; documentation ranges are refused).
    endpointPublicAccessCidrs: ["52.94.133.0/24"],
    systemNodeCount: 2,
});

// NodePools must exist after Karpenter and go before it: depend on the whole cluster.
const onCluster = { provider: cluster.kubernetesProvider, dependsOn: [cluster] };

const etl = new SpotExecutorPool(
    "etl",
    {
        clusterName: cluster.clusterName,
        nodeRoleName: cluster.nodeRoleName,
        poolName: "etl",
        executorInstanceCategories: [InstanceCategory.C],
        executorCpuLimit: 800,
    },
    onCluster,
);

const ml = new SpotExecutorPool(
    "ml",
    {
        clusterName: cluster.clusterName,
        nodeRoleName: cluster.nodeRoleName,
        poolName: "ml",
        executorInstanceCategories: [InstanceCategory.R, InstanceCategory.X],
        executorCapacityTypes: [CapacityType.Spot, CapacityType.OnDemand],
        executorCpuLimit: 400,
        executorMemoryLimitGi: 6000,
        instanceStoreRaid0: true,
    },
    onCluster,
);

const spark = new SparkOperator(
    "spark",
    {
        clusterName: cluster.clusterName,
        kubernetesVersion: cluster.kubernetesVersion,
        jobNamespaces: ["etl", "ml"],
        systemNodeSelector: cluster.systemNodeSelector,
        systemTolerations: cluster.systemTolerations,
        deployExample: true,
        driverPlacement: etl.driverPlacement,
        executorPlacement: etl.executorPlacement,
    },
    { provider: cluster.kubernetesProvider, dependsOn: [etl, ml] },
);

export const kubeconfig = cluster.kubeconfig;
export const etlExecutorPool = etl.executorNodePoolName;
export const mlExecutorPool = ml.executorNodePoolName;
export const eventLogBucket = spark.eventLogBucketName;
// What ML jobs put in their SparkApplication to run on the ml pool.
export const mlExecutorPlacement = ml.executorPlacement;
