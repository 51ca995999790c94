import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ResolvedSparkOperatorArgs } from "./args";
import { eventLogWriterPolicy } from "./historyServer";
import { podIdentityRole } from "./podIdentity";
import { SPARK_OPERATOR_CHART, SPARK_OPERATOR_NAMESPACE, SPARK_OPERATOR_RELEASE, SPARK_OPERATOR_REPOSITORY, sparkOperatorChartValues } from "./values";

/** The operator's namespace and one namespace per job namespace. */
export function createNamespaces(name: string, a: ResolvedSparkOperatorArgs, parent: pulumi.Resource) {
    const operator = new k8s.core.v1.Namespace(`${name}-operator-ns`, { metadata: { name: SPARK_OPERATOR_NAMESPACE } }, { parent });
    const jobs = a.jobNamespaces.map((ns) => new k8s.core.v1.Namespace(`${name}-ns-${ns}`, { metadata: { name: ns } }, { parent }));
    return { operator, jobs };
}

/**
 * The Spark service account of every job namespace, each associated through EKS Pod Identity
 * with one role that may write event logs.
 */
export function createJobServiceAccounts(
    name: string,
    a: ResolvedSparkOperatorArgs,
    jobNamespaces: k8s.core.v1.Namespace[],
    bucket: aws.s3.Bucket,
    parent: pulumi.Resource,
): k8s.core.v1.ServiceAccount[] {
    const writerRole = podIdentityRole(`${name}-event-log-writer`, "Spark jobs: write event logs", bucket.arn.apply(eventLogWriterPolicy), a.tags, parent);
    return jobNamespaces.map((ns, i) => {
        const sa = new k8s.core.v1.ServiceAccount(
            `${name}-sa-${a.jobNamespaces[i]}`,
            { metadata: { name: a.sparkServiceAccountName, namespace: ns.metadata.name } },
            { parent },
        );
        new aws.eks.PodIdentityAssociation(
            `${name}-pod-identity-${a.jobNamespaces[i]}`,
            { clusterName: a.clusterName, namespace: ns.metadata.name, serviceAccount: a.sparkServiceAccountName, roleArn: writerRole.arn, tags: a.tags },
            { parent },
        );
        return sa;
    });
}

/** The Kubeflow spark-operator Helm release, after every namespace and service account it binds RBAC to. */
export function createOperatorRelease(
    name: string,
    a: ResolvedSparkOperatorArgs,
    operatorNamespace: k8s.core.v1.Namespace,
    dependsOn: pulumi.Resource[],
    parent: pulumi.Resource,
): k8s.helm.v3.Release {
    return new k8s.helm.v3.Release(
        `${name}-operator`,
        {
            name: SPARK_OPERATOR_RELEASE,
            chart: SPARK_OPERATOR_CHART,
            repositoryOpts: { repo: SPARK_OPERATOR_REPOSITORY },
            version: a.chartVersion,
            namespace: operatorNamespace.metadata.name,
            values: pulumi.all([a.systemNodeSelector, a.systemTolerations]).apply(([nodeSelector, tolerations]) =>
                sparkOperatorChartValues({
                    jobNamespaces: a.jobNamespaces,
                    sparkServiceAccount: a.sparkServiceAccountName,
                    highAvailability: a.highAvailability,
                    nodeSelector,
                    tolerations,
                    maxConcurrentApplications: a.maxConcurrentApplications,
                    metrics: a.metrics,
                    podMonitor: a.podMonitors,
                }),
            ),
            waitForJobs: true,
            timeout: 600,
        },
        // The chart creates RBAC in every job namespace, so they must exist first.
        { parent, dependsOn: [operatorNamespace, ...dependsOn] },
    );
}
