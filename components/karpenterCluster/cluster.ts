import * as aws from "@pulumi/aws";
import { createHash } from "crypto";
import * as eks from "@pulumi/eks";
import * as pulumi from "@pulumi/pulumi";
import { eksSecretsKeyPolicy, eksServiceTrustPolicy } from "../iamTypes";
import { ResolvedKarpenterClusterArgs } from "./args";
import { DISCOVERY_TAG_KEY, Network } from "./network";
import { AwsScope } from "./scope";

/** Every control-plane log type EKS can send to CloudWatch. */
export const EKS_CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

export function createControlPlane(
    name: string,
    a: ResolvedKarpenterClusterArgs,
    network: Network,
    scope: AwsScope,
    addons: Partial<eks.ClusterOptions>,
    parent: pulumi.Resource,
): { cluster: eks.Cluster; discoveryTag: aws.ec2.Tag } {
    const secretsKey = a.secretsEncryption
        ? new aws.kms.Key(
              `${name}-secrets-key`,
              {
                  description: `Envelope encryption of Kubernetes secrets in EKS cluster ${a.clusterName}`,
                  enableKeyRotation: true,
                  deletionWindowInDays: 30,
                  tags: a.tags,
              },
              { parent },
          )
        : undefined;
    // The cluster's own service role, rather than the one @pulumi/eks would make, so that it can
    // be granted the secrets key: EKS encrypts and decrypts with the cluster role's permissions.
    const serviceRole = new aws.iam.Role(
        `${name}-eks-role`,
        {
            description: `EKS control plane of ${a.clusterName}`,
            assumeRolePolicy: JSON.stringify(eksServiceTrustPolicy()),
            tags: a.tags,
        },
        { parent },
    );
    const serviceRolePolicies: pulumi.Resource[] = [
        new aws.iam.RolePolicyAttachment(
            `${name}-eks-role-cluster-policy`,
            { role: serviceRole.name, policyArn: pulumi.interpolate`arn:${scope.partition}:iam::aws:policy/AmazonEKSClusterPolicy` },
            { parent },
        ),
    ];
    if (secretsKey) {
        serviceRolePolicies.push(
            new aws.iam.RolePolicy(
                `${name}-eks-role-secrets-key`,
                { role: serviceRole.name, policy: secretsKey.arn.apply((arn) => JSON.stringify(eksSecretsKeyPolicy(arn))) },
                { parent },
            ),
        );
    }
    const cluster = new eks.Cluster(
        `${name}-eks`,
        {
            name: a.clusterName,
            version: a.kubernetesVersion,
            vpcId: network.vpcId,
            privateSubnetIds: network.privateSubnetIds,
            publicSubnetIds: network.publicSubnetIds,
            // Access entries only: the aws-auth ConfigMap is deprecated and cannot express EC2_LINUX entries.
            authenticationMode: eks.AuthenticationMode.Api,
            createOidcProvider: true,
            skipDefaultNodeGroup: true,
            // Without the extra security groups every node (system and Karpenter's) uses the cluster's
            // primary security group, which already allows node, pod and control-plane traffic.
            skipDefaultSecurityGroups: true,
            nodeAssociatePublicIpAddress: false,
            endpointPrivateAccess: true,
            endpointPublicAccess: a.endpointPublicAccessCidrs.length > 0,
            publicAccessCidrs: a.endpointPublicAccessCidrs.length > 0 ? a.endpointPublicAccessCidrs : undefined,
            enabledClusterLogTypes: a.controlPlaneLogging ? EKS_CONTROL_PLANE_LOG_TYPES : [],
            encryptionConfigKeyArn: secretsKey?.arn,
            serviceRole,
            deletionProtection: a.deletionProtection,
            ...addons,
            tags: a.tags,
        },
        { parent, dependsOn: serviceRolePolicies },
    );
    // Karpenter's EC2NodeClass selects this group by tag, so its nodes share the system nodes' rules.
    const discoveryTag = new aws.ec2.Tag(
        `${name}-cluster-sg-discovery`,
        // The cluster's name from the cluster: the tag (and the discoveryTagValue output read from it) follows the cluster.
        { resourceId: cluster.eksCluster.vpcConfig.clusterSecurityGroupId, key: DISCOVERY_TAG_KEY, value: cluster.eksCluster.name },
        { parent },
    );
    return { cluster, discoveryTag };
}

/** A stable, short resource-name suffix for a principal ARN (reordering the list changes nothing). */
function principalKey(arn: string): string {
    return createHash("sha1").update(arn).digest("hex").slice(0, 8);
}

/** The access scope of an EKS access policy association. */
export function accessScope(namespaces?: string[]): { type: string; namespaces?: string[] } {
    return namespaces ? { type: "namespace", namespaces } : { type: "cluster" };
}

/**
 * An access entry and an access policy association per admin principal: the API authentication
 * mode gives the deployer (bootstrapClusterCreatorAdminPermissions) and no one else access
 * (https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html).
 */
export function createAccessEntries(name: string, a: ResolvedKarpenterClusterArgs, cluster: eks.Cluster, scope: AwsScope, parent: pulumi.Resource) {
    return a.adminPrincipals.map((p) => {
        const key = principalKey(p.principalArn);
        const entry = new aws.eks.AccessEntry(
            `${name}-access-${key}`,
            { clusterName: cluster.eksCluster.name, principalArn: p.principalArn, type: "STANDARD", tags: a.tags },
            { parent },
        );
        return new aws.eks.AccessPolicyAssociation(
            `${name}-access-${key}-policy`,
            {
                clusterName: cluster.eksCluster.name,
                principalArn: entry.principalArn,
                policyArn: pulumi.interpolate`arn:${scope.partition}:eks::aws:cluster-access-policy/${p.accessPolicy}`,
                accessScope: accessScope(p.namespaces),
            },
            { parent },
        );
    });
}

