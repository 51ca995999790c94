import * as pulumi from "@pulumi/pulumi";
import { SparkRole } from "../enums";
import { SparkPodPlacement, sparkPodPlacement } from "../pools/placement";
import { resolveSpotExecutorPoolArgs, SpotExecutorPoolArgs } from "./args";
import { createNodeClass, createNodePools } from "./nodes";

export { ResolvedSpotExecutorPoolArgs, resolveSpotExecutorPoolArgs, SpotExecutorPoolArgs } from "./args";

/**
 * Karpenter capacity for Spark: an EC2NodeClass, an On-Demand NodePool for drivers and a Spot
 * NodePool for executors, each tainted for its Spark role, plus the placement a SparkApplication
 * needs to use them. Deploy it with KarpenterCluster's Kubernetes provider and after the cluster
 * (`dependsOn: [cluster]`), so that Karpenter is running before its NodePools exist and on
 * destroy terminates their nodes before it is removed.
 */
export class SpotExecutorPool extends pulumi.ComponentResource {
    /** Name of the EC2NodeClass. */
    public readonly nodeClassName: pulumi.Output<string>;
    /** Name of the On-Demand NodePool for drivers. */
    public readonly driverNodePoolName: pulumi.Output<string>;
    /** Name of the Spot NodePool for executors. */
    public readonly executorNodePoolName: pulumi.Output<string>;
    /** Capacity types the executor NodePool allows. */
    public readonly executorCapacityTypes: pulumi.Output<string[]>;
    /** Placement of Spark drivers on the driver pool. */
    public readonly driverPlacement: SparkPodPlacement;
    /** Placement of Spark executors on the executor pool, with Spark's decommission settings. */
    public readonly executorPlacement: SparkPodPlacement;

    constructor(name: string, args: SpotExecutorPoolArgs, opts?: pulumi.ComponentResourceOptions) {
        const a = resolveSpotExecutorPoolArgs(name, args);
        super("karpenter-spark:index:SpotExecutorPool", name, {}, opts);
        for (const rule of a.crdCheck.unevaluated) {
            pulumi.log.warn(`SpotExecutorPool "${name}": the Karpenter CRD rule ${rule} could not be evaluated offline; the API server will check it at deployment`, this);
        }

        const ec2NodeClass = createNodeClass(name, a, this);
        createNodePools(name, a, ec2NodeClass, this);

        this.nodeClassName = pulumi.output(a.poolName);
        this.driverNodePoolName = pulumi.output(a.driverPool.name);
        this.executorNodePoolName = pulumi.output(a.executorPool.name);
        this.executorCapacityTypes = pulumi.output(a.executorPool.capacityTypes as string[]);
        this.driverPlacement = sparkPodPlacement({ role: SparkRole.Driver, nodePoolName: a.driverPool.name, capacityTypes: a.driverPool.capacityTypes, capacity: a.driverCapacity });
        this.executorPlacement = sparkPodPlacement({
            role: SparkRole.Executor,
            nodePoolName: a.executorPool.name,
            capacityTypes: a.executorPool.capacityTypes,
            capacity: a.executorCapacity,
        });
        this.registerOutputs({
            nodeClassName: this.nodeClassName,
            driverNodePoolName: this.driverNodePoolName,
            executorNodePoolName: this.executorNodePoolName,
            executorCapacityTypes: this.executorCapacityTypes,
            driverPlacement: this.driverPlacement,
            executorPlacement: this.executorPlacement,
        });
    }
}
