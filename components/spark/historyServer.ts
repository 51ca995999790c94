import * as pulumi from "@pulumi/pulumi";
import { IamPolicyDocument, IamStatement } from "../iamTypes";
import { Toleration } from "../karpenter/values";

/** Key prefix of the event logs in the bucket; roles are scoped to it. */
export const EVENT_LOG_PREFIX = "spark-events";
export const HISTORY_SERVER_NAME = "spark-history-server";
export const HISTORY_SERVER_PORT = 18080;

/** The s3a:// URI Spark writes event logs to and the History Server reads from. */
export function eventLogDirectory(bucketName: string): string {
    return `s3a://${bucketName}/${EVENT_LOG_PREFIX}/`;
}

/** Spark's S3A writes each log as `<app>.inprogress` and renames it (copy, then delete) at the end. */
/** Listing is allowed under the event-log prefix only. */
function listEventLogPrefix(bucketArn: string): IamStatement {
    return {
        Sid: "ListEventLogPrefix",
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: bucketArn,
        Condition: { StringLike: { "s3:prefix": [EVENT_LOG_PREFIX, `${EVENT_LOG_PREFIX}/*`] } },
    };
}

export function eventLogWriterPolicy(bucketArn: string): IamPolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            listEventLogPrefix(bucketArn),
            {
                Sid: "WriteEventLogs",
                Effect: "Allow",
                Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
                Resource: `${bucketArn}/${EVENT_LOG_PREFIX}/*`,
            },
        ],
    };
}

export function eventLogReaderPolicy(bucketArn: string): IamPolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            listEventLogPrefix(bucketArn),
            { Sid: "ReadEventLogs", Effect: "Allow", Action: "s3:GetObject", Resource: `${bucketArn}/${EVENT_LOG_PREFIX}/*` },
        ],
    };
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
