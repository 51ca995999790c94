import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ResolvedKarpenterClusterArgs } from "./args";
import { Network } from "./network";
import { AwsScope } from "./scope";

/**
 * The S3 gateway endpoint's service name in a region (the same form in aws-cn and aws-us-gov).
 * https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html
 */
export function s3GatewayServiceName(region: string): string {
    return `com.amazonaws.${region}.s3`;
}

/**
 * An S3 gateway VPC endpoint on the private subnets' route tables: Spark's S3 traffic goes to S3
 * directly instead of through the NAT gateways, which charge per GB processed; gateway endpoints
 * have no charge (https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html).
 * The route tables are looked up from the subnets, so an existing VPC works the same way.
 */
export function createS3GatewayEndpoint(name: string, a: ResolvedKarpenterClusterArgs, network: Network, scope: AwsScope, parent: pulumi.Resource): aws.ec2.VpcEndpoint | undefined {
    if (!a.s3GatewayEndpoint) {
        return undefined;
    }
    const routeTables = aws.ec2.getRouteTablesOutput({ vpcId: network.vpcId, filters: [{ name: "association.subnet-id", values: network.privateSubnetIds }] }, { parent });
    return new aws.ec2.VpcEndpoint(
        `${name}-s3-endpoint`,
        {
            vpcId: network.vpcId,
            serviceName: scope.region.apply(s3GatewayServiceName),
            vpcEndpointType: "Gateway",
            routeTableIds: routeTables.ids,
            tags: { ...a.tags, Name: `${a.clusterName}-s3` },
        },
        { parent },
    );
}
