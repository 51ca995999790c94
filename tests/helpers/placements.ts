// The placements a SpotExecutorPool with these args hands to Spark jobs, as plain values (what
// the component's driverPlacement and executorPlacement hold), with the pools' capacity for the
// pod-fit checks.
import { SpotExecutorPoolArgs } from "../../components";
import { SparkRole } from "../../components/enums";
import { SparkPodPlacement, sparkPodPlacement } from "../../components/pools/placement";
import { resolveSpotExecutorPoolArgs } from "../../components/spotExecutorPool/args";

export function poolPlacements(args: Partial<SpotExecutorPoolArgs> = {}): { driverPlacement: SparkPodPlacement; executorPlacement: SparkPodPlacement } {
    const a = resolveSpotExecutorPoolArgs("p", { clusterName: "c", nodeRoleName: "r", region: "us-east-1", ...args });
    return {
        driverPlacement: sparkPodPlacement({ role: SparkRole.Driver, nodePoolName: a.driverPool.name, capacityTypes: a.driverPool.capacityTypes, capacity: a.driverCapacity }),
        executorPlacement: sparkPodPlacement({ role: SparkRole.Executor, nodePoolName: a.executorPool.name, capacityTypes: a.executorPool.capacityTypes, capacity: a.executorCapacity }),
    };
}
