import * as pulumi from "@pulumi/pulumi";
import { KarpenterCluster, SparkOperator, SpotExecutorPool } from "../components";
import { karpenterUpgradeProblem } from "../components/karpenter/versions";
import { defaultBudgets } from "../components/spotExecutorPool/args";
import { invalidConfig, loadStackConfig, StackConfig, TIER_TAG } from "./config";

/** The stack outputs (the keys of `pulumi stack output`). */
export interface PlatformOutputs {
    region: pulumi.Output<string>;
    clusterName: pulumi.Output<string>;
    clusterEndpoint: pulumi.Output<string>;
    kubernetesVersion: pulumi.Output<string>;
    kubeconfig: pulumi.Output<string>;
    karpenterVersion: pulumi.Output<string>;
    interruptionQueueName: pulumi.Output<string>;
    nodeClassName: pulumi.Output<string>;
    driverNodePoolName: pulumi.Output<string>;
    executorNodePoolName: pulumi.Output<string>;
    sparkOperatorNamespace: pulumi.Output<string>;
    sparkJobNamespaces: pulumi.Output<string[]>;
    sparkServiceAccountName: pulumi.Output<string>;
    eventLogBucketName: pulumi.Output<string>;
    historyServerServiceName: pulumi.Output<string>;
    exampleJobCommands: pulumi.Output<string[]>;
    historyServerCommands: pulumi.Output<string[]>;
    watchCommands: pulumi.Output<string[]>;
}

/** Wires the three components for one stack. Reads no configuration itself. */
export function deployPlatform(c: StackConfig): PlatformOutputs {
    const cluster = new KarpenterCluster("cluster", {
        clusterName: c.clusterName,
        kubernetesVersion: c.kubernetesVersion,
        karpenterVersion: c.karpenterVersion,
        availabilityZoneCount: c.availabilityZoneCount,
        natGateways: c.natGateways,
        vpcCidrBlock: c.vpcCidrBlock,
        endpointPublicAccessCidrs: c.endpointPublicAccessCidrs,
        existingVpcId: c.existingVpcId,
        existingPrivateSubnetIds: c.existingPrivateSubnetIds,
        tagExistingSubnets: c.tagExistingSubnets,
        s3GatewayEndpoint: c.s3GatewayEndpoint,
        adminPrincipals: c.adminPrincipals.map((principalArn) => ({ principalArn })),
        // The CRD release is protected where the cluster is: deleting it deletes every NodePool.
        protectKarpenterCrds: c.deletionProtection,
        karpenterManagedVcpus: c.executorCpuLimit + c.driverCpuLimit,
        controlPlaneLogging: c.controlPlaneLogging,
        secretsEncryption: c.secretsEncryption,
        deletionProtection: c.deletionProtection,
        systemNodeInstanceTypes: c.systemNodeInstanceTypes,
        systemNodeCount: c.systemNodeCount,
        karpenterReplicas: c.karpenterReplicas,
        tags: { "karpenter-spark.io/stack": c.stack, [TIER_TAG]: c.environmentTier },
    });
    const k8sOpts = { provider: cluster.kubernetesProvider };
    const pools = new SpotExecutorPool(
        "spark-pools",
        {
            clusterName: cluster.clusterName,
            nodeRoleName: cluster.nodeRoleName,
            poolName: "spark",
            amiVersion: c.amiVersion,
            kubernetesVersion: cluster.kubernetesVersion,
            rootVolumeSizeGi: c.nodeVolumeSizeGi,
            instanceStoreRaid0: c.instanceStoreRaid0,
            executorInstanceCategories: c.executorInstanceCategories,
            executorGenerationGreaterThan: c.executorGenerationGreaterThan,
            executorInstanceFamilies: c.executorInstanceFamilies,
            executorInstanceSizes: c.executorInstanceSizes,
            executorArchitectures: c.executorArchitectures,
            executorCapacityTypes: c.executorCapacityTypes,
            executorMinInstanceTypes: c.executorMinInstanceTypes,
            executorCpuLimit: c.executorCpuLimit,
            executorMemoryLimitGi: c.executorMemoryLimitGi,
            executorConsolidationPolicy: c.executorConsolidationPolicy,
            executorConsolidateAfter: c.executorConsolidateAfter,
            executorExpireAfter: c.executorExpireAfter,
            maxJobDuration: c.maxJobDuration,
            executorTerminationGracePeriod: c.executorTerminationGracePeriod,
            executorDisruptionBudgets: defaultBudgets(c.executorDisruptionBudgetNodes, ["Drifted", "Underutilized"]),
            driverInstanceCategories: c.driverInstanceCategories,
            driverCpuLimit: c.driverCpuLimit,
            tags: { "karpenter-spark.io/stack": c.stack, [TIER_TAG]: c.environmentTier },
        },
        // After the whole cluster: Karpenter must run before its NodePools exist, and on destroy
        // it must outlive them to terminate their instances.
        { ...k8sOpts, dependsOn: [cluster] },
    );
    const spark = new SparkOperator(
        "spark",
        {
            clusterName: cluster.clusterName,
            chartVersion: c.sparkOperatorVersion,
            jobNamespaces: c.sparkJobNamespaces,
            highAvailability: c.highAvailability,
            systemNodeSelector: cluster.systemNodeSelector,
            systemTolerations: cluster.systemTolerations,
            eventLogRetentionDays: c.eventLogRetentionDays,
            protectEventLogs: c.protectEventLogs,
            sparkImage: c.sparkImage,
            sparkImageHasS3A: c.sparkImageHasS3A,
            maxConcurrentApplications: c.sparkMaxConcurrentApplications,
            metrics: c.sparkMetrics,
            podMonitors: c.sparkPodMonitors,
            historyServerIngressClassName: c.historyServerIngressClassName,
            historyServerIngressHost: c.historyServerIngressHost,
            dataAccess: c.sparkDataAccess,
            deployExample: c.deployExampleJob,
            driverPlacement: pools.driverPlacement,
            executorPlacement: pools.executorPlacement,
            tags: { "karpenter-spark.io/stack": c.stack, [TIER_TAG]: c.environmentTier },
        },
        // After the pools: on destroy, Spark's jobs and namespaces go first, so the NodePools
        // are deleted from empty nodes.
        { ...k8sOpts, dependsOn: [pools] },
    );
    return {
        region: pulumi.output(c.region),
        clusterName: cluster.clusterName,
        clusterEndpoint: cluster.endpoint,
        kubernetesVersion: cluster.kubernetesVersion,
        kubeconfig: cluster.kubeconfig,
        karpenterVersion: cluster.karpenterVersion,
        interruptionQueueName: cluster.interruptionQueueName,
        nodeClassName: pools.nodeClassName,
        driverNodePoolName: pools.driverNodePoolName,
        executorNodePoolName: pools.executorNodePoolName,
        sparkOperatorNamespace: spark.operatorNamespace,
        sparkJobNamespaces: spark.jobNamespaces,
        sparkServiceAccountName: spark.serviceAccountName,
        eventLogBucketName: spark.eventLogBucketName,
        historyServerServiceName: spark.historyServerServiceName,
        exampleJobCommands: spark.exampleJobCommands,
        historyServerCommands: spark.uiAccessCommands,
        watchCommands: pulumi.output([
            `aws eks update-kubeconfig --region ${c.region} --name ${c.clusterName}`,
            "kubectl get nodepools,ec2nodeclasses",
            "kubectl get nodeclaims -L karpenter.sh/capacity-type,node.kubernetes.io/instance-type -w",
            ...c.sparkJobNamespaces.map((ns) => `kubectl get sparkapplications -n ${ns}`),
        ]),
    };
}

/**
 * The Karpenter version of this stack's last deployment, read through a reference to the stack
 * itself (undefined on the first deployment).
 */
async function deployedKarpenterVersion(): Promise<string | undefined> {
    const self = new pulumi.StackReference("upgrade-check", {
        name: `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`,
    });
    const details = await self.getOutputDetails("karpenterVersion");
    return typeof details.value === "string" ? details.value : undefined;
}

/** The Pulumi program: validate the configuration and the upgrade path, then deploy. */
export async function runStack(): Promise<PlatformOutputs> {
    const config = loadStackConfig();
    if (config.checkUpgradePath) {
        const deployed = await deployedKarpenterVersion();
        const problem = deployed && karpenterUpgradeProblem(deployed, config.karpenterVersion);
        if (problem) {
            throw invalidConfig(`${config.project}:karpenterVersion`, config.karpenterVersion, `${problem} (the stack's last deployment has ${deployed})`);
        }
    }
    return deployPlatform(config);
}
