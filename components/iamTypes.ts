// IAM policy documents as plain data, so that tests and the policy pack read exactly what the
// components send to AWS.

export type IamConditionValue = string | string[] | boolean;

export interface IamStatement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Principal?: "*" | { Service: string | string[] } | { AWS: string | string[] };
    Action: string | string[];
    Resource?: string | string[];
    Condition?: Record<string, Record<string, IamConditionValue>>;
}

export interface IamPolicyDocument {
    Version: "2012-10-17";
    Id?: string;
    Statement: IamStatement[];
}

/** The trust policy of a role assumed by pods through EKS Pod Identity. */
export function podIdentityTrustPolicy(): IamPolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AllowEksPodIdentity",
                Effect: "Allow",
                Principal: { Service: "pods.eks.amazonaws.com" },
                // Pod Identity tags the session with the pod's namespace, service account and cluster,
                // so the role must allow sts:TagSession as well as sts:AssumeRole.
                Action: ["sts:AssumeRole", "sts:TagSession"],
            },
        ],
    };
}

/** The trust policy of a role that EC2 instances assume through an instance profile. */
export function ec2TrustPolicy(dnsSuffix: string): IamPolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: `ec2.${dnsSuffix}` }, Action: ["sts:AssumeRole"] }],
    };
}

/** The trust policy of an EKS cluster's service role. */
export function eksServiceTrustPolicy(): IamPolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] }],
    };
}

/** What the EKS control plane needs of the KMS key that envelope-encrypts Kubernetes secrets. */
export function eksSecretsKeyPolicy(keyArn: string): IamPolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "UseSecretsKey",
                Effect: "Allow",
                Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
                Resource: keyArn,
            },
        ],
    };
}

/** The AWS-managed policies every EKS worker node needs, for a partition. */
export function eksWorkerNodePolicyArns(partition: string): string[] {
    return [
        `arn:${partition}:iam::aws:policy/AmazonEKS_CNI_Policy`,
        `arn:${partition}:iam::aws:policy/AmazonEKSWorkerNodePolicy`,
        `arn:${partition}:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly`,
        `arn:${partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`,
    ];
}
