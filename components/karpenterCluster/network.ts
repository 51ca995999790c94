import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { ResolvedKarpenterClusterArgs } from "./args";

/** The tag Karpenter's EC2NodeClass selectors look for on subnets and security groups. */
export const DISCOVERY_TAG_KEY = "karpenter.sh/discovery";

export interface Network {
    vpcId: pulumi.Output<string>;
    privateSubnetIds: pulumi.Output<string[]>;
    publicSubnetIds?: pulumi.Output<string[]>;
}

export function createNetwork(name: string, a: ResolvedKarpenterClusterArgs, parent: pulumi.Resource): Network {
    const discovery = { [DISCOVERY_TAG_KEY]: a.clusterName };
    if (a.existingVpcId !== undefined && a.existingPrivateSubnetIds !== undefined) {
        if (a.tagExistingSubnets) {
            a.existingPrivateSubnetIds.forEach(
                (subnetId, i) =>
                    new aws.ec2.Tag(
                        `${name}-subnet-${i}-discovery`,
                        { resourceId: subnetId, key: DISCOVERY_TAG_KEY, value: a.clusterName },
                        { parent },
                    ),
            );
            return { vpcId: pulumi.output(a.existingVpcId), privateSubnetIds: pulumi.output(a.existingPrivateSubnetIds) };
        }
        // Tagged elsewhere: check at preview, since an EC2NodeClass whose subnet selector matches
        // nothing launches no node and says so only in its status.
        const checked = pulumi.all(a.existingPrivateSubnetIds.map((id) => aws.ec2.getSubnetOutput({ id }, { parent }))).apply((subnets) => {
            const untagged = subnets.filter((s) => s.tags?.[DISCOVERY_TAG_KEY] !== a.clusterName).map((s) => s.id);
            if (untagged.length) {
                throw new pulumi.ResourceError(
                    `KarpenterCluster "${name}": invalid existingPrivateSubnetIds: ${untagged.join(", ")} lack the tag ${DISCOVERY_TAG_KEY}=${a.clusterName} ` +
                        "that Karpenter's EC2NodeClass selects subnets by; allowed: subnets carrying it, or tagExistingSubnets: true",
                    parent,
                );
            }
            return subnets.map((s) => s.id);
        });
        return { vpcId: pulumi.output(a.existingVpcId), privateSubnetIds: checked };
    }
    const vpc = new awsx.ec2.Vpc(
        `${name}-vpc`,
        {
            cidrBlock: a.vpcCidrBlock,
            numberOfAvailabilityZones: a.availabilityZoneCount,
            natGateways: { strategy: a.natGateways },
            subnetStrategy: "Auto",
            subnetSpecs: [
                {
                    type: "Private",
                    cidrMask: 19,
                    tags: { ...a.tags, ...discovery, "kubernetes.io/role/internal-elb": "1" },
                },
                { type: "Public", cidrMask: 22, tags: { ...a.tags, "kubernetes.io/role/elb": "1" } },
            ],
            enableDnsHostnames: true,
            tags: a.tags,
        },
        { parent },
    );
    return { vpcId: vpc.vpcId, privateSubnetIds: vpc.privateSubnetIds, publicSubnetIds: vpc.publicSubnetIds };
}

