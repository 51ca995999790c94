import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { EC2_NODE_CLASS_TYPE, ec2NodeClassManifest, KubernetesManifest, NODE_POOL_TYPE, nodePoolManifest } from "../pools/specs";
import { ResolvedSpotExecutorPoolArgs } from "./args";

/** A Karpenter object; only apiVersion and kind must be known before the cluster's outputs are. */
function karpenterObject(name: string, manifest: pulumi.Output<KubernetesManifest> | KubernetesManifest, typeOf: { apiVersion: string; kind: string }, opts: pulumi.CustomResourceOptions) {
    const m = pulumi.output(manifest);
    return new k8s.apiextensions.CustomResource(name, { apiVersion: typeOf.apiVersion, kind: typeOf.kind, metadata: m.metadata, spec: m.spec }, opts);
}

/** The EC2NodeClass both pools launch from. */
export function createNodeClass(name: string, a: ResolvedSpotExecutorPoolArgs, parent: pulumi.Resource) {
    const nodeClassInput = { name: a.poolName, amiVersion: a.amiVersion, rootVolumeSizeGi: a.rootVolumeSizeGi, instanceStoreRaid0: a.instanceStoreRaid0 };
    const nodeClass = pulumi.all([a.clusterName, a.nodeRoleName]).apply(([clusterName, nodeRoleName]) =>
        ec2NodeClassManifest({ ...nodeClassInput, clusterName, nodeRoleName, tags: { ...a.tags, "karpenter-spark.io/cluster": clusterName } }),
    );
    // Deleted after both pools, and only once their nodes are gone (foreground): same wait.
    return karpenterObject(`${name}-node-class`, nodeClass, EC2_NODE_CLASS_TYPE, { parent, customTimeouts: { delete: a.deleteTimeout } });
}

/** The driver and executor NodePools, after their node class. */
export function createNodePools(name: string, a: ResolvedSpotExecutorPoolArgs, nodeClass: pulumi.Resource, parent: pulumi.Resource) {
    const [drivers, executors] = [a.driverPool, a.executorPool].map((pool) =>
        karpenterObject(`${name}-${pool.role}s`, nodePoolManifest(pool), NODE_POOL_TYPE, { parent, dependsOn: [nodeClass], customTimeouts: { delete: a.deleteTimeout } }),
    );
    return { drivers, executors };
}
