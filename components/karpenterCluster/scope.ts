import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { eksWorkerNodePolicyArns } from "../iamTypes";

/** Account, partition and region of the provider the component runs with. */
export interface AwsScope {
    accountId: pulumi.Output<string>;
    partition: pulumi.Output<string>;
    dnsSuffix: pulumi.Output<string>;
    region: pulumi.Output<string>;
}

export function awsScope(parent: pulumi.Resource): AwsScope {
    const identity = aws.getCallerIdentityOutput({}, { parent });
    const partition = aws.getPartitionOutput({}, { parent });
    const region = aws.getRegionOutput({}, { parent });
    return {
        accountId: identity.accountId,
        partition: partition.partition,
        dnsSuffix: partition.dnsSuffix,
        region: region.region,
    };
}


/** Attaches the four AWS-managed policies every EKS worker node needs. */
export function attachWorkerNodePolicies(name: string, role: aws.iam.Role, scope: AwsScope, parent: pulumi.Resource): aws.iam.RolePolicyAttachment[] {
    const arns = scope.partition.apply((p) => eksWorkerNodePolicyArns(p));
    return [0, 1, 2, 3].map(
        (i) => new aws.iam.RolePolicyAttachment(`${name}-${i}`, { role: role.name, policyArn: arns.apply((list) => list[i]) }, { parent }),
    );
}

