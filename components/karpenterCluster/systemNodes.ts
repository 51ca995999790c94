import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as pulumi from "@pulumi/pulumi";
import { ec2TrustPolicy } from "../iamTypes";
import { SYSTEM_NODE_LABEL, SYSTEM_NODE_TAINT } from "../karpenter/values";
import { ResolvedKarpenterClusterArgs } from "./args";
import { Network } from "./network";
import { attachWorkerNodePolicies, AwsScope } from "./scope";

/** Name prefix of the system node group (EKS appends a unique suffix; the whole name is at most 63 characters). */
export const SYSTEM_NODE_GROUP_PREFIX = "system-";

/** The EKS managed add-ons whose versions this component resolves for the cluster's Kubernetes version. */
export const MANAGED_ADDONS = ["vpc-cni", "kube-proxy", "coredns", "eks-pod-identity-agent"] as const;
export type ManagedAddon = (typeof MANAGED_ADDONS)[number];

/**
 * The default version of each add-on for the cluster's Kubernetes version, resolved at preview
 * through DescribeAddonVersions (aws.eks.getAddonVersion; mostRecent false is EKS's default
 * version for that Kubernetes minor: https://docs.aws.amazon.com/eks/latest/userguide/managing-add-ons.html).
 */
export function resolveAddonVersions(a: ResolvedKarpenterClusterArgs, parent: pulumi.Resource): Record<ManagedAddon, pulumi.Output<string>> {
    const version = (addonName: ManagedAddon) =>
        aws.eks.getAddonVersionOutput({ addonName, kubernetesVersion: a.kubernetesVersion, mostRecent: false }, { parent }).version;
    return Object.fromEntries(MANAGED_ADDONS.map((n) => [n, version(n)])) as Record<ManagedAddon, pulumi.Output<string>>;
}

/**
 * CoreDNS's add-on configuration: tolerate the system nodes' taint and prefer them, so that DNS
 * stays up while Karpenter's nodes come and go (the coredns add-on's configuration schema has
 * tolerations and affinity: `aws eks describe-addon-configuration --addon-name coredns`).
 */
export function corednsConfiguration(): Record<string, unknown> {
    return {
        tolerations: [{ key: SYSTEM_NODE_TAINT.key, operator: "Exists", effect: SYSTEM_NODE_TAINT.effect }],
        affinity: {
            nodeAffinity: {
                preferredDuringSchedulingIgnoredDuringExecution: [
                    { weight: 100, preference: { matchExpressions: [{ key: SYSTEM_NODE_LABEL.key, operator: "In", values: [SYSTEM_NODE_LABEL.value] }] } },
                ],
            },
            // Two replicas on different nodes, as the add-on's default affinity has it.
            podAntiAffinity: {
                preferredDuringSchedulingIgnoredDuringExecution: [
                    { weight: 100, podAffinityTerm: { labelSelector: { matchExpressions: [{ key: "k8s-app", operator: "In", values: ["kube-dns"] }] }, topologyKey: "kubernetes.io/hostname" } },
                ],
            },
        },
    };
}

/** The @pulumi/eks Cluster arguments that make CoreDNS, kube-proxy and the VPC CNI managed add-ons at pinned versions. */
export function clusterAddonArgs(versions: Record<ManagedAddon, pulumi.Output<string>>) {
    return {
        corednsAddonOptions: { enabled: true, version: versions.coredns, configurationValues: corednsConfiguration() },
        kubeProxyAddonOptions: { enabled: true, version: versions["kube-proxy"] },
        // The VPC CNI as an add-on rather than the self-managed DaemonSet EKS bootstraps.
        useDefaultVpcCni: false,
        vpcCniOptions: { addonVersion: versions["vpc-cni"] },
    };
}

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
            // A prefix, not a name: EKS node group names are unique per cluster, so a fixed name
            // forces the engine to delete the only system group before creating its replacement
            // (instance type, AMI type or subnet changes); with a prefix it creates first.
            // https://www.pulumi.com/docs/iac/concepts/options/deletebeforereplace/ and, for the
            // delete-first rule on explicitly named resources, https://github.com/pulumi/pulumi-terraform/pull/465
            nodeGroupNamePrefix: SYSTEM_NODE_GROUP_PREFIX,
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
export function createAddons(
    name: string,
    a: ResolvedKarpenterClusterArgs,
    cluster: eks.Cluster,
    systemNodes: { nodeGroup: eks.ManagedNodeGroup },
    versions: Record<ManagedAddon, pulumi.Output<string>>,
    parent: pulumi.Resource,
) {
    const podIdentityAgent = new aws.eks.Addon(
        `${name}-pod-identity-agent`,
        {
            clusterName: cluster.eksCluster.name,
            addonName: "eks-pod-identity-agent",
            addonVersion: versions["eks-pod-identity-agent"],
            resolveConflictsOnCreate: "OVERWRITE",
            resolveConflictsOnUpdate: "PRESERVE",
            tags: a.tags,
        },
        { parent, dependsOn: [systemNodes.nodeGroup] },
    );
    return { podIdentityAgent };
}
