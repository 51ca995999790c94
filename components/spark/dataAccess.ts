import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { IamPolicyDocument } from "../iamTypes";
import { DataAccessGrant, ResolvedSparkOperatorArgs } from "./args";
import { eventLogWriterPolicy } from "./historyServer";
import { podIdentityRole } from "./podIdentity";
import { s3aPrefixStatements } from "./s3a";

/**
 * A grant's role: the jobs' event-log statements plus S3A on the grant's prefix, nothing else.
 * The partition comes from the event-log bucket's ARN, so the same code serves aws-cn and aws-us-gov.
 */
export function dataAccessPolicy(eventLogBucketArn: string, g: DataAccessGrant): IamPolicyDocument {
    const partition = eventLogBucketArn.split(":")[1];
    return {
        Version: "2012-10-17",
        Statement: [...eventLogWriterPolicy(eventLogBucketArn).Statement, ...s3aPrefixStatements("Data", `arn:${partition}:s3:::${g.bucket}`, g.prefix, g.access)],
    };
}

/**
 * What a Spark driver does through the API server (https://spark.apache.org/docs/4.0.0/running-on-kubernetes.html#rbac):
 * create and watch its executor pods, their headless service and config maps, and their volume claims.
 */
export function sparkDriverRules() {
    const verbs = ["create", "get", "list", "watch", "update", "patch", "delete", "deletecollection"];
    return [{ apiGroups: [""], resources: ["pods", "services", "configmaps", "persistentvolumeclaims"], verbs }];
}

/** Each grant: a service account with the driver's RBAC and a Pod Identity association to its own role. */
export function createDataAccess(
    name: string,
    a: ResolvedSparkOperatorArgs,
    jobNamespaces: k8s.core.v1.Namespace[],
    eventLogBucket: aws.s3.Bucket,
    parent: pulumi.Resource,
): k8s.core.v1.ServiceAccount[] {
    return a.dataAccess.map((g) => {
        const id = `${name}-data-${g.namespace}-${g.serviceAccountName}`;
        const ns = jobNamespaces[a.jobNamespaces.indexOf(g.namespace)];
        const metadata = { name: g.serviceAccountName, namespace: g.namespace };
        const sa = new k8s.core.v1.ServiceAccount(id, { metadata }, { parent, dependsOn: [ns] });
        const role = new k8s.rbac.v1.Role(id, { metadata, rules: sparkDriverRules() }, { parent, dependsOn: [ns] });
        new k8s.rbac.v1.RoleBinding(
            id,
            {
                metadata,
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: g.serviceAccountName },
                subjects: [{ kind: "ServiceAccount", name: g.serviceAccountName, namespace: g.namespace }],
            },
            { parent, dependsOn: [role, sa] },
        );
        const iamRole = podIdentityRole(id, `Spark jobs in ${g.namespace} as ${g.serviceAccountName}: ${g.access} s3://${g.bucket}/${g.prefix}/`, eventLogBucket.arn.apply((arn) => dataAccessPolicy(arn, g)), a.tags, parent);
        new aws.eks.PodIdentityAssociation(
            id,
            { clusterName: a.clusterName, namespace: g.namespace, serviceAccount: g.serviceAccountName, roleArn: iamRole.arn, tags: a.tags },
            { parent, dependsOn: [sa] },
        );
        return sa;
    });
}
