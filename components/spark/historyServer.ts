import * as pulumi from "@pulumi/pulumi";
import { IamPolicyDocument } from "../iamTypes";
import { Toleration } from "../karpenter/values";
import { EXTRA_JARS_CLASSPATH, EXTRA_JARS_DIR, EXTRA_JARS_VOLUME, S3AJarDigests, s3aJarsInitContainer, s3aJarsVolume } from "./image";
import { DataAccess, s3aPrefixStatements } from "./s3a";
import { javaOptions, s3aConf } from "./sparkConf";

/** Key prefix of the event logs in the bucket; roles are scoped to it. */
export const EVENT_LOG_PREFIX = "spark-events";
export const HISTORY_SERVER_NAME = "spark-history-server";
export const HISTORY_SERVER_PORT = 18080;

/** The s3a:// URI Spark writes event logs to and the History Server reads from. */
export function eventLogDirectory(bucketName: string): string {
    return `s3a://${bucketName}/${EVENT_LOG_PREFIX}/`;
}

/**
 * The zero-byte directory marker that makes the event-log directory exist from the start: Spark's
 * driver and the History Server both check that it exists when they start, and with S3A a prefix
 * with no object under it does not exist. S3A 3.4 keeps markers ("keep" policy), and the
 * lifecycle rules only expire objects larger than zero bytes, so the marker stays.
 */
export const EVENT_LOG_MARKER_KEY = `${EVENT_LOG_PREFIX}/`;

/**
 * Expire event logs after the retention period (and their old versions a day later), never the
 * zero-byte directory marker (the size filter), and clean up the delete markers left behind.
 * Size filters: https://docs.aws.amazon.com/AmazonS3/latest/userguide/intro-lifecycle-filters.html
 */
export function eventLogLifecycleRules(retentionDays: number) {
    return [
        {
            id: "expire-event-logs",
            status: "Enabled",
            filter: { objectSizeGreaterThan: 0 },
            expiration: { days: retentionDays },
            noncurrentVersionExpiration: { noncurrentDays: 1 },
        },
        {
            // Size filters do not apply to incomplete uploads, so these go by prefix.
            id: "clean-up-uploads-and-delete-markers",
            status: "Enabled",
            filter: { prefix: "" },
            expiration: { expiredObjectDeleteMarker: true },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
        },
    ];
}

/** Jobs' role: S3A's full read-write sequence under the prefix, the marker itself excluded. */
export function eventLogWriterPolicy(bucketArn: string): IamPolicyDocument {
    return { Version: "2012-10-17", Statement: s3aPrefixStatements("EventLogs", bucketArn, EVENT_LOG_PREFIX, DataAccess.ReadWrite, true) };
}

/** History Server's role: list and read under the prefix, nothing else (its cleaner is off; the lifecycle rule expires logs). */
export function eventLogReaderPolicy(bucketArn: string): IamPolicyDocument {
    return { Version: "2012-10-17", Statement: s3aPrefixStatements("EventLogs", bucketArn, EVENT_LOG_PREFIX, DataAccess.Read) };
}

/** Refuses every request to the bucket that does not use TLS. */
export function bucketTlsOnlyPolicy(bucketArn: string): IamPolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [bucketArn, `${bucketArn}/*`],
                Condition: { Bool: { "aws:SecureTransport": false } },
            },
        ],
    };
}

export interface HistoryServerInput {
    namespace: string;
    serviceAccount: string;
    image: string;
    /** The s3a:// event-log directory; the only value that waits for the bucket. */
    logDirectory: pulumi.Input<string>;
    /** The AWS region of the bucket, for S3A's regional endpoint. */
    region: pulumi.Input<string>;
    /** Fetch the S3A jars at start-up (the image has none): an init container and a classpath entry. */
    addS3AJars: boolean;
    /** Digests the user pins for the jars (over the repository's). */
    s3aJarDigests?: S3AJarDigests;
    nodeSelector: pulumi.Input<Record<string, string>>;
    tolerations: pulumi.Input<Toleration[]>;
}

const LABELS = { "app.kubernetes.io/name": HISTORY_SERVER_NAME, "app.kubernetes.io/part-of": "karpenter-spark" };

/** The History Server's heap (SPARK_DAEMON_MEMORY; Spark's default is 1g, https://spark.apache.org/docs/4.0.0/monitoring.html). */
export const HISTORY_SERVER_HEAP = "1g";

export function historyServerDeployment(i: HistoryServerInput) {
    const jars = i.addS3AJars;
    // Kubernetes expands $(VAR) from earlier variables, so the options stay a plain string and
    // only these two values wait for the bucket and the region.
    const options = javaOptions({
        "spark.history.fs.logDirectory": "$(EVENT_LOG_DIR)",
        "spark.history.ui.port": String(HISTORY_SERVER_PORT),
        // The bucket's lifecycle rule expires logs; the History Server's role cannot delete.
        "spark.history.fs.cleaner.enabled": "false",
        ...s3aConf("$(S3A_REGION)"),
    });
    const probe = { httpGet: { path: "/", port: "http" } };
    return {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: HISTORY_SERVER_NAME, namespace: i.namespace, labels: LABELS },
        spec: {
            replicas: 1,
            selector: { matchLabels: { "app.kubernetes.io/name": HISTORY_SERVER_NAME } },
            template: {
                metadata: { labels: LABELS },
                spec: {
                    serviceAccountName: i.serviceAccount,
                    nodeSelector: i.nodeSelector,
                    tolerations: i.tolerations,
                    securityContext: {
                        runAsUser: 185,
                        runAsGroup: 185,
                        runAsNonRoot: true,
                        fsGroup: 185,
                        seccompProfile: { type: "RuntimeDefault" },
                    },
                    ...(jars ? { initContainers: [s3aJarsInitContainer(i.image, i.s3aJarDigests)], volumes: [s3aJarsVolume()] } : {}),
                    containers: [
                        {
                            name: "history-server",
                            image: i.image,
                            command: ["/opt/spark/bin/spark-class", "org.apache.spark.deploy.history.HistoryServer"],
                            env: [
                                { name: "EVENT_LOG_DIR", value: i.logDirectory },
                                { name: "S3A_REGION", value: i.region },
                                { name: "SPARK_DAEMON_MEMORY", value: HISTORY_SERVER_HEAP },
                                // spark-class adds SPARK_DAEMON_CLASSPATH for the History Server (launcher's SparkClassCommandBuilder).
                                ...(jars ? [{ name: "SPARK_DAEMON_CLASSPATH", value: EXTRA_JARS_CLASSPATH }] : []),
                                { name: "SPARK_HISTORY_OPTS", value: options },
                            ],
                            ports: [{ name: "http", containerPort: HISTORY_SERVER_PORT }],
                            // Up to five minutes for the JVM to start; then ready when the UI answers, restarted when it stops answering.
                            startupProbe: { ...probe, periodSeconds: 10, failureThreshold: 30 },
                            readinessProbe: { ...probe, periodSeconds: 10, failureThreshold: 3 },
                            livenessProbe: { ...probe, periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 3 },
                            // Heap plus metaspace, threads and S3A's buffers.
                            resources: { requests: { cpu: "250m", memory: "1536Mi" }, limits: { memory: "2Gi" } },
                            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
                            ...(jars ? { volumeMounts: [{ name: EXTRA_JARS_VOLUME, mountPath: EXTRA_JARS_DIR, readOnly: true }] } : {}),
                        },
                    ],
                },
            },
        },
    };
}

/** The command that opens the History Server's UI on http://localhost:18080. */
export function historyServerPortForward(namespace: string): string {
    return `kubectl port-forward -n ${namespace} svc/${HISTORY_SERVER_NAME} ${HISTORY_SERVER_PORT}:${HISTORY_SERVER_PORT}`;
}

export function historyServerService(namespace: string) {
    return {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: HISTORY_SERVER_NAME, namespace, labels: LABELS },
        spec: {
            type: "ClusterIP",
            selector: { "app.kubernetes.io/name": HISTORY_SERVER_NAME },
            ports: [{ name: "http", port: HISTORY_SERVER_PORT, targetPort: "http" }],
        },
    };
}

/**
 * An Ingress for the History Server's UI. The UI has no authentication of its own: put the
 * IngressClass's authentication in front of it (e.g. ALB with Cognito/OIDC, or an internal scheme).
 */
export function historyServerIngress(namespace: string, className: string | undefined, host: string | undefined) {
    return {
        apiVersion: "networking.k8s.io/v1",
        kind: "Ingress",
        metadata: { name: HISTORY_SERVER_NAME, namespace, labels: LABELS },
        spec: {
            ...(className ? { ingressClassName: className } : {}),
            rules: [
                {
                    ...(host ? { host } : {}),
                    http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: HISTORY_SERVER_NAME, port: { name: "http" } } } }] },
                },
            ],
        },
    };
}
