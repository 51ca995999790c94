import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ResolvedSparkOperatorArgs } from "./args";
import { eventLogDirectory, eventLogReaderPolicy, HISTORY_SERVER_NAME, historyServerDeployment, historyServerIngress, historyServerService } from "./historyServer";
import { podIdentityRole } from "./podIdentity";
import { SPARK_OPERATOR_NAMESPACE } from "./values";

/** The Spark History Server: its service account and read-only role, Deployment and Service. */
export function createHistoryServer(
    name: string,
    a: ResolvedSparkOperatorArgs,
    namespace: k8s.core.v1.Namespace,
    bucket: aws.s3.Bucket,
    region: pulumi.Output<string>,
    parent: pulumi.Resource,
): k8s.core.v1.Service {
    const serviceAccount = new k8s.core.v1.ServiceAccount(
        `${name}-history-server-sa`,
        { metadata: { name: HISTORY_SERVER_NAME, namespace: namespace.metadata.name } },
        { parent },
    );
    const readerRole = podIdentityRole(`${name}-history-reader`, "Spark History Server: read event logs", bucket.arn.apply(eventLogReaderPolicy), a.tags, parent);
    const association = new aws.eks.PodIdentityAssociation(
        `${name}-pod-identity-history-server`,
        { clusterName: a.clusterName, namespace: namespace.metadata.name, serviceAccount: HISTORY_SERVER_NAME, roleArn: readerRole.arn, tags: a.tags },
        { parent },
    );
    // Names, namespace and the pod spec stay plain: only the log directory waits for the bucket,
    // so a preview of a new stack shows what will be created (issue 15, point 15): in a preview an
    // Output of a resource not yet created is unknown, and so is everything computed inside its apply.
    // https://www.pulumi.com/docs/reference/pkg/nodejs/pulumi/pulumi/interfaces/OutputInstance.html (apply does not run on unknowns)
    const deployment = historyServerDeployment({
        namespace: SPARK_OPERATOR_NAMESPACE,
        serviceAccount: HISTORY_SERVER_NAME,
        image: a.sparkImage,
        logDirectory: bucket.bucket.apply(eventLogDirectory),
        region,
        addS3AJars: !a.sparkImageHasS3A,
        s3aJarDigests: a.s3aJarDigests,
        nodeSelector: a.systemNodeSelector,
        tolerations: a.systemTolerations,
    });
    new k8s.apps.v1.Deployment(`${name}-history-server`, { metadata: deployment.metadata, spec: deployment.spec }, { parent, dependsOn: [serviceAccount, association] });
    const service = historyServerService(SPARK_OPERATOR_NAMESPACE);
    const svc = new k8s.core.v1.Service(`${name}-history-server`, { metadata: service.metadata, spec: service.spec }, { parent, dependsOn: [namespace] });
    if (a.historyServerIngress) {
        const ingress = historyServerIngress(SPARK_OPERATOR_NAMESPACE, a.historyServerIngress.className, a.historyServerIngress.host);
        new k8s.networking.v1.Ingress(`${name}-history-server`, { metadata: ingress.metadata, spec: ingress.spec }, { parent, dependsOn: [svc] });
    }
    return svc;
}
