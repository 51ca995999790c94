// Spark properties the platform sets for S3A and event logs. Every key is in Spark's or Hadoop
// S3A's configuration reference: https://spark.apache.org/docs/4.0.0/configuration.html,
// https://hadoop.apache.org/docs/r3.4.1/hadoop-aws/tools/hadoop-aws/index.html

/**
 * S3A for the cluster's region: the regional endpoint (through the VPC's S3 gateway endpoint,
 * not the NAT gateway, and no cross-region redirect), the SDK v2 default credential chain (which
 * reads EKS Pod Identity credentials from SDK 2.21.30 on,
 * https://docs.aws.amazon.com/eks/latest/userguide/pod-id-minimum-sdk.html), and directory
 * markers kept, so the event-log directory marker survives writes under it.
 */
export function s3aConf(region: string): Record<string, string> {
    return {
        "spark.hadoop.fs.s3a.endpoint.region": region,
        "spark.hadoop.fs.s3a.aws.credentials.provider": "software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider",
        "spark.hadoop.fs.s3a.directory.marker.retention": "keep",
    };
}

/** Rolled event logs cap each file; Spark's default size, written down so the History Server's reader sees the same. */
export const EVENT_LOG_ROLLING_MAX_FILE_SIZE = "128m";

/**
 * Event logs to the bucket, rolled (Spark 3.0+), so a long-running or streaming job writes a
 * series of bounded files the lifecycle rule can expire instead of one endless file.
 */
export function eventLogConf(directory: string): Record<string, string> {
    return {
        "spark.eventLog.enabled": "true",
        "spark.eventLog.dir": directory,
        "spark.eventLog.rolling.enabled": "true",
        "spark.eventLog.rolling.maxFileSize": EVENT_LOG_ROLLING_MAX_FILE_SIZE,
    };
}

/** Spark properties as -D options for a daemon (SPARK_HISTORY_OPTS). */
export function javaOptions(conf: Record<string, string>): string {
    return Object.entries(conf)
        .map(([k, v]) => `-D${k}=${v}`)
        .join(" ");
}
