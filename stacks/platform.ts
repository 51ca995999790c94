import * as pulumi from "@pulumi/pulumi";
import { KarpenterCluster, KarpenterClusterArgs, SparkOperator, SparkOperatorArgs, SpotExecutorPool, SpotExecutorPoolArgs } from "../components";
import { resolveKarpenterClusterArgs } from "../components/karpenterCluster";
import { sparkPodPlacement } from "../components/pools/placement";
import { resolveSparkOperatorArgs } from "../components/sparkOperator";
import { ResolvedSpotExecutorPoolArgs, resolveSpotExecutorPoolArgs } from "../components/spotExecutorPool";
import { invalidMessage, InvalidArgumentsError, Problem } from "../components/validation";
import { karpenterUpgradeProblem } from "../components/karpenter/versions";
import { defaultBudgets } from "../components/spotExecutorPool/args";
import { CONFIG_KEYS, configErrors, ConfigProblem, invalidConfig, loadStackConfig, StackConfig, TIER_TAG } from "./config";

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

/** KarpenterCluster's arguments from the config. */
export function clusterArgs(c: StackConfig): KarpenterClusterArgs {
    return {
        clusterName: c.clusterName,
        kubernetesVersion: c.kubernetesVersion,
        karpenterVersion: c.karpenterVersion,
        allowUntestedVersions: c.allowUntestedVersions,
        region: c.region,
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
    };
}

/** SpotExecutorPool's arguments from the config and the cluster's outputs. */
export function poolArgs(c: StackConfig, cluster: Pick<SpotExecutorPoolArgs, "clusterName" | "nodeRoleName" | "kubernetesVersion">): SpotExecutorPoolArgs {
    return {
        ...cluster,
        poolName: "spark",
        region: c.region,
        amiVersion: c.amiVersion,
        rootVolumeSizeGi: c.nodeVolumeSizeGi,
        instanceStoreRaid0: c.instanceStoreRaid0,
        executorInstanceCategories: c.executorInstanceCategories,
        executorGenerationGreaterThan: c.executorGenerationGreaterThan,
        executorInstanceFamilies: c.executorInstanceFamilies,
        executorInstanceSizes: c.executorInstanceSizes,
        executorArchitectures: c.executorArchitectures,
        executorCapacityTypes: c.executorCapacityTypes,
        executorMinInstanceTypes: c.executorMinInstanceTypes,
        executorMinInstanceFamilies: c.executorMinInstanceFamilies,
        executorMaxInstanceVcpus: c.executorMaxInstanceVcpus,
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
    };
}

/** SparkOperator's arguments from the config and the other components' outputs. */
export function sparkArgs(
    c: StackConfig,
    from: Pick<SparkOperatorArgs, "clusterName" | "kubernetesVersion" | "systemNodeSelector" | "systemTolerations" | "driverPlacement" | "executorPlacement">,
): SparkOperatorArgs {
    return {
        ...from,
        chartVersion: c.sparkOperatorVersion,
        allowUntestedVersions: c.allowUntestedVersions,
        jobNamespaces: c.sparkJobNamespaces,
        highAvailability: c.highAvailability,
        eventLogRetentionDays: c.eventLogRetentionDays,
        protectEventLogs: c.protectEventLogs,
        sparkImage: c.sparkImage,
        sparkImageHasS3A: c.sparkImageHasS3A,
        s3aJarDigests: s3aJarDigests(c),
        maxConcurrentApplications: c.sparkMaxConcurrentApplications,
        metrics: c.sparkMetrics,
        podMonitors: c.sparkPodMonitors,
        historyServerIngressClassName: c.historyServerIngressClassName,
        historyServerIngressHost: c.historyServerIngressHost,
        dataAccess: c.sparkDataAccess,
        deployExample: c.deployExampleJob,
        tags: { "karpenter-spark.io/stack": c.stack, [TIER_TAG]: c.environmentTier },
    };
}

/** The two digest keys as the component's argument (unset keys leave the repository's pins). */
function s3aJarDigests(c: StackConfig): SparkOperatorArgs["s3aJarDigests"] {
    return {
        ...(c.s3aHadoopAwsDigest ? { hadoopAws: c.s3aHadoopAwsDigest } : {}),
        ...(c.s3aAwsSdkBundleDigest ? { awsSdkBundle: c.s3aAwsSdkBundleDigest } : {}),
    };
}

/** Component argument -> config key, where the names differ (the rest are the same). */
const CONFIG_KEY_OF_ARG: Record<string, string> = {
    region: "aws:region",
    rootVolumeSizeGi: "nodeVolumeSizeGi",
    executorDisruptionBudgets: "executorDisruptionBudgetNodes",
    chartVersion: "sparkOperatorVersion",
    jobNamespaces: "sparkJobNamespaces",
    deployExample: "deployExampleJob",
    maxConcurrentApplications: "sparkMaxConcurrentApplications",
    metrics: "sparkMetrics",
    podMonitors: "sparkPodMonitors",
    dataAccess: "sparkDataAccess",
};

/** A component problem restated against the config key that set the argument. */
function asConfigProblem(p: Problem, project: string): ConfigProblem {
    const arg = /^[A-Za-z]+/.exec(p.subject)?.[0] ?? "";
    const rest = p.subject.slice(arg.length).replace(/^ \(the stack's aws:region\)/, "");
    const name = CONFIG_KEY_OF_ARG[arg] ?? arg;
    const key = name === "aws:region" ? name : name in CONFIG_KEYS ? `${project}:${name}` : undefined;
    if (key === undefined) {
        return { key: p.subject, message: invalidMessage(`${p.subject} (set by stacks/platform.ts from the config)`, p.value, p.allowed) };
    }
    const subject = `${key}${arg === "executorDisruptionBudgets" ? "" : rest}`;
    return { key, message: invalidMessage(subject, p.value, p.allowed) };
}

/**
 * The stack's half of the one validation path: the components' own checks, run on the arguments
 * the config produces, before anything is constructed, and reported against the config keys.
 */
export function validatePlatform(c: StackConfig, earlier: ConfigProblem[] = []): void {
    const problems: ConfigProblem[] = [...earlier];
    const collect = (resolve: () => unknown) => {
        try {
            return resolve();
        } catch (e) {
            if (e instanceof InvalidArgumentsError) {
                // A key the config check already reported (and replaced by its default) is not reported twice.
                const reported = new Set(earlier.map((p) => p.key));
                problems.push(...e.problems.map((p) => asConfigProblem(p, c.project)).filter((p) => !reported.has(p.key)));
                return undefined;
            }
            throw e;
        }
    };
    collect(() => resolveKarpenterClusterArgs("cluster", clusterArgs(c)));
    const pools = collect(() => resolveSpotExecutorPoolArgs("spark-pools", poolArgs(c, { clusterName: c.clusterName, nodeRoleName: "validation", kubernetesVersion: c.kubernetesVersion }))) as
        | ResolvedSpotExecutorPoolArgs
        | undefined;
    const placement = (pool: ResolvedSpotExecutorPoolArgs["driverPool"], capacity: ResolvedSpotExecutorPoolArgs["driverCapacity"]) =>
        sparkPodPlacement({ role: pool.role, nodePoolName: pool.name, capacityTypes: pool.capacityTypes, capacity });
    collect(() =>
        resolveSparkOperatorArgs(
            "spark",
            sparkArgs(c, {
                clusterName: c.clusterName,
                kubernetesVersion: c.kubernetesVersion,
                driverPlacement: pools && placement(pools.driverPool, pools.driverCapacity),
                executorPlacement: pools && placement(pools.executorPool, pools.executorCapacity),
            }),
        ),
    );
    if (problems.length > 0) {
        throw configErrors(problems);
    }
}

/** Wires the three components for one stack. Reads no configuration itself. */
export function deployPlatform(c: StackConfig, configProblems: ConfigProblem[] = []): PlatformOutputs {
    validatePlatform(c, configProblems);
    const cluster = new KarpenterCluster("cluster", clusterArgs(c));
    const k8sOpts = { provider: cluster.kubernetesProvider };
    const pools = new SpotExecutorPool(
        "spark-pools",
        poolArgs(c, { clusterName: cluster.clusterName, nodeRoleName: cluster.nodeRoleName, kubernetesVersion: cluster.kubernetesVersion }),
        // After the whole cluster: Karpenter must run before its NodePools exist, and on destroy
        // it must outlive them to terminate their instances.
        { ...k8sOpts, dependsOn: [cluster] },
    );
    const spark = new SparkOperator(
        "spark",
        sparkArgs(c, {
            clusterName: cluster.clusterName,
            kubernetesVersion: cluster.kubernetesVersion,
            systemNodeSelector: cluster.systemNodeSelector,
            systemTolerations: cluster.systemTolerations,
            driverPlacement: pools.driverPlacement,
            executorPlacement: pools.executorPlacement,
        }),
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
    const { config, problems } = loadStackConfig();
    if (problems.length > 0) {
        validatePlatform(config, problems); // throws, with the components' findings on the other keys
    }
    if (config.checkUpgradePath) {
        const deployed = await deployedKarpenterVersion();
        const problem = deployed && karpenterUpgradeProblem(deployed, config.karpenterVersion);
        if (problem) {
            throw invalidConfig(`${config.project}:karpenterVersion`, config.karpenterVersion, `${problem} (the stack's last deployment has ${deployed})`);
        }
    }
    return deployPlatform(config);
}
