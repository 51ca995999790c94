import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { IamPolicyDocument, podIdentityTrustPolicy } from "../iamTypes";

/** An IAM role for pods, trusted by EKS Pod Identity, with one inline policy. */
export function podIdentityRole(
    name: string,
    purpose: string,
    policy: pulumi.Output<IamPolicyDocument>,
    tags: Record<string, string>,
    parent: pulumi.Resource,
): aws.iam.Role {
    const role = new aws.iam.Role(name, { description: purpose, assumeRolePolicy: JSON.stringify(podIdentityTrustPolicy()), tags }, { parent });
    new aws.iam.RolePolicy(`${name}-policy`, { role: role.name, policy: policy.apply((p) => JSON.stringify(p)) }, { parent });
    return role;
}
