import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as pulumi from "@pulumi/pulumi";
import { ec2TrustPolicy } from "../iamTypes";
import { SYSTEM_NODE_LABEL, SYSTEM_NODE_TAINT } from "../karpenter/values";
import { ResolvedKarpenterClusterArgs } from "./args";
import { Network } from "./network";
import { attachWorkerNodePolicies, AwsScope } from "./scope";

export function createSystemNodeGroup(
    name: string,
    a: ResolvedKarpenterClusterArgs,
    cluster: eks.Cluster,
    network: Network,
    scope: AwsScope,
    parent: pulumi.Resource,
) {
    const role = new aws.iam.Role(
        `${name}-system-node-role`,
        {
            description: `System nodes of EKS cluster ${a.clusterName} (Karpenter, CoreDNS, Spark Operator)`,
            assumeRolePolicy: scope.dnsSuffix.apply((s) => JSON.stringify(ec2TrustPolicy(s))),
            tags: a.tags,
        },
        { parent },
    );
    const policyAttachments = attachWorkerNodePolicies(`${name}-system-node-policy`, role, scope, parent);
    const nodeGroup = new eks.ManagedNodeGroup(
        `${name}-system`,
        {
            cluster,
            nodeGroupName: "system",
            // Follows the control plane: a version change upgrades the nodes in place after it.
            version: a.kubernetesVersion,
            nodeRole: role,
            instanceTypes: a.systemNodeInstanceTypes,
            amiType: a.systemNodeArchitecture === "arm64" ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD",
            capacityType: "ON_DEMAND",
            subnetIds: network.privateSubnetIds,
            scalingConfig: { minSize: a.systemNodeCount, desiredSize: a.systemNodeCount, maxSize: a.systemNodeCount + 1 },
            labels: { [SYSTEM_NODE_LABEL.key]: SYSTEM_NODE_LABEL.value },
            taints: [{ key: SYSTEM_NODE_TAINT.key, value: SYSTEM_NODE_TAINT.value, effect: "NO_SCHEDULE" }],
            tags: a.tags,
        },
        // Explicit: the SDK leaves resource references out of a remote component's dependencies,
        // and destroy must remove the node group before the cluster it runs in.
        { parent, dependsOn: [cluster, ...policyAttachments] },
    );
    return { role, nodeGroup };
}


/** The EKS managed add-ons the cluster runs on its system nodes. */
export function createAddons(name: string, a: ResolvedKarpenterClusterArgs, cluster: eks.Cluster, systemNodes: { nodeGroup: eks.ManagedNodeGroup }, parent: pulumi.Resource) {
    const podIdentityAgent = new aws.eks.Addon(
        `${name}-pod-identity-agent`,
        {
            clusterName: cluster.eksCluster.name,
            addonName: "eks-pod-identity-agent",
            resolveConflictsOnCreate: "OVERWRITE",
            resolveConflictsOnUpdate: "PRESERVE",
            tags: a.tags,
        },
        { parent, dependsOn: [systemNodes.nodeGroup] },
    );
    return { podIdentityAgent };
}
