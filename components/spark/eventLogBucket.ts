import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ResolvedSparkOperatorArgs } from "./args";
import { bucketTlsOnlyPolicy, EVENT_LOG_MARKER_KEY, eventLogLifecycleRules } from "./historyServer";

/** The private, encrypted, versioned bucket Spark writes event logs to, with its retention rule. */
export function createEventLogBucket(name: string, a: ResolvedSparkOperatorArgs, parent: pulumi.Resource) {
    const bucket = new aws.s3.Bucket(
        `${name}-event-logs`,
        { forceDestroy: !a.protectEventLogs, tags: a.tags },
        { parent, protect: a.protectEventLogs, retainOnDelete: a.protectEventLogs },
    );
    const bucketOpts = { parent };
    new aws.s3.BucketPublicAccessBlock(
        `${name}-event-logs-public-access`,
        { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        bucketOpts,
    );
    new aws.s3.BucketOwnershipControls(`${name}-event-logs-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, bucketOpts);
    new aws.s3.BucketServerSideEncryptionConfiguration(
        `${name}-event-logs-encryption`,
        { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" }, bucketKeyEnabled: true }] },
        bucketOpts,
    );
    const versioning = new aws.s3.BucketVersioning(`${name}-event-logs-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, bucketOpts);
    new aws.s3.BucketLifecycleConfiguration(
        `${name}-event-logs-lifecycle`,
        { bucket: bucket.id, rules: eventLogLifecycleRules(a.eventLogRetentionDays) },
        { parent, dependsOn: [versioning] },
    );
    // Spark's driver and the History Server refuse to start when the log directory does not exist.
    const marker = new aws.s3.BucketObjectv2(
        `${name}-event-logs-directory`,
        { bucket: bucket.id, key: EVENT_LOG_MARKER_KEY, content: "", contentType: "application/x-directory", tags: a.tags },
        { parent, dependsOn: [versioning] },
    );
    new aws.s3.BucketPolicy(`${name}-event-logs-tls-only`, { bucket: bucket.id, policy: bucket.arn.apply((arn) => JSON.stringify(bucketTlsOnlyPolicy(arn))) }, bucketOpts);
    return { bucket, marker };
}
