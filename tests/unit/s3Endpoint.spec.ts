import { expect } from "chai";
import { ofType, one, rendered } from "../helpers/render";

describe("S3 gateway VPC endpoint", () => {
    it("routes the private subnets' S3 traffic through a gateway endpoint for the stack's region, not the NAT gateways", async () => {
        const prod = await rendered("prod");
        const endpoint = one(prod, "aws:ec2/vpcEndpoint:VpcEndpoint").inputs as any;
        expect(endpoint).to.include({ serviceName: "com.amazonaws.us-east-1.s3", vpcEndpointType: "Gateway" });
        const vpc = one(prod, "awsx:ec2:Vpc").outputs as any;
        expect(endpoint.vpcId).to.equal(vpc.vpcId);
        // One route table per private subnet (the mocks name them after the subnet): every private subnet is covered.
        expect(endpoint.routeTableIds).to.have.length(vpc.privateSubnetIds.length);
    });

    it("can be turned off for a VPC that already has one", async () => {
        const off = await rendered("dev", { "karpenter-spark:s3GatewayEndpoint": "false" });
        expect(ofType(off, "aws:ec2/vpcEndpoint:VpcEndpoint")).to.have.length(0);
    });
});
