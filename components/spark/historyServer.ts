import * as pulumi from "@pulumi/pulumi";
import { IamPolicyDocument } from "../iamTypes";
import { Toleration } from "../karpenter/values";
import { DataAccess, s3aPrefixStatements } from "./s3a";

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
    /**
     * Zero when the image has no S3A connector: the stock apache/spark image would crash-loop
     * on `ClassNotFoundException: org.apache.hadoop.fs.s3a.S3AFileSystem`, so the Deployment
     * exists, wired to the bucket, and scales up once an S3A-capable image is configured.
     */
    replicas: number;
    nodeSelector: pulumi.Input<Record<string, string>>;
    tolerations: pulumi.Input<Toleration[]>;
}

const LABELS = { "app.kubernetes.io/name": HISTORY_SERVER_NAME, "app.kubernetes.io/part-of": "karpenter-spark" };

export function historyServerDeployment(i: HistoryServerInput) {
    return {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: HISTORY_SERVER_NAME, namespace: i.namespace, labels: LABELS },
        spec: {
            replicas: i.replicas,
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
                    containers: [
                        {
                            name: "history-server",
                            image: i.image,
                            command: ["/opt/spark/bin/spark-class", "org.apache.spark.deploy.history.HistoryServer"],
                            env: [
                                // Kubernetes expands $(VAR) from earlier variables, so the options
                                // stay a plain string and only this value depends on the bucket.
                                { name: "EVENT_LOG_DIR", value: i.logDirectory },
                                {
                                    name: "SPARK_HISTORY_OPTS",
                                    value: [
                                        "-Dspark.history.fs.logDirectory=$(EVENT_LOG_DIR)",
                                        `-Dspark.history.ui.port=${HISTORY_SERVER_PORT}`,
                                        "-Dspark.history.fs.cleaner.enabled=false",
                                    ].join(" "),
                                },
                            ],
                            ports: [{ name: "http", containerPort: HISTORY_SERVER_PORT }],
                            readinessProbe: { httpGet: { path: "/", port: "http" }, periodSeconds: 10 },
                            resources: { requests: { cpu: "250m", memory: "1Gi" }, limits: { memory: "2Gi" } },
                            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
                        },
                    ],
                },
            },
        },
    };
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
