import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ResolvedSparkOperatorArgs } from "./args";
import { bucketTlsOnlyPolicy } from "./historyServer";

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
        {
            bucket: bucket.id,
            rules: [
                {
                    id: "expire-event-logs",
                    status: "Enabled",
                    filter: { prefix: "" },
                    expiration: { days: a.eventLogRetentionDays },
                    noncurrentVersionExpiration: { noncurrentDays: 1 },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
                },
            ],
        },
        { parent, dependsOn: [versioning] },
    );
    new aws.s3.BucketPolicy(`${name}-event-logs-tls-only`, { bucket: bucket.id, policy: bucket.arn.apply((arn) => JSON.stringify(bucketTlsOnlyPolicy(arn))) }, bucketOpts);
    return { bucket };
}
