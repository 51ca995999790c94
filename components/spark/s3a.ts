import { IamStatement } from "../iamTypes";

// What Hadoop's S3A connector (Hadoop 3.4, the version in Spark 4.0's image) asks S3 for, and the
// IAM policies written from it. The request sequences are data: tests/unit/s3aPolicies.spec.ts
// evaluates every policy below against them (allowed where S3A needs it, denied elsewhere).
//
// Sources: S3A's probes and directory markers,
// https://hadoop.apache.org/docs/r3.4.1/hadoop-aws/tools/hadoop-aws/directory_markers.html;
// the permissions S3A needs and the three resources a path takes (`p`, `p/`, `p/*`),
// https://hadoop.apache.org/docs/r3.4.1/hadoop-aws/tools/hadoop-aws/assumed_roles.html;
// HEAD/GET of a missing key answers 404 only with s3:ListBucket, 403 without,
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html.

/** One S3 request as IAM authorizes it: the action, the resource ARN, the condition keys it carries. */
export interface S3Request {
    /** The IAM action, e.g. "s3:GetObject". */
    action: string;
    /** The resource ARN: the bucket for ListBucket, the object otherwise. */
    resource: string;
    /** Condition keys of the request (only s3:prefix matters here). */
    context: Record<string, string>;
    /** What S3A does with it. */
    why: string;
}

/** S3A's access to one bucket prefix. */
export const DataAccess = {
    Read: "read",
    ReadWrite: "read-write",
} as const;
export type DataAccess = (typeof DataAccess)[keyof typeof DataAccess];

/** Every function takes the bucket's ARN (arn:<partition>:s3:::<name>). */
const object = (bucket: string, key: string) => `${bucket}/${key}`;
const bucketArn = (bucket: string) => bucket;

/**
 * `getFileStatus(path)`: HEAD the key as a file (a missing key needs s3:ListBucket to answer 404
 * rather than 403, which S3A would raise as AccessDeniedException), then LIST `key/` with at most
 * two results to find a directory (its marker or any child).
 */
export function s3aGetFileStatus(bucket: string, key: string, exists: boolean): S3Request[] {
    const probes: S3Request[] = [{ action: "s3:GetObject", resource: object(bucket, key), context: {}, why: `HEAD ${key}` }];
    if (!exists) {
        probes.push({ action: "s3:ListBucket", resource: bucketArn(bucket), context: {}, why: `404 rather than 403 for the missing ${key}` });
    }
    probes.push({ action: "s3:ListBucket", resource: bucketArn(bucket), context: { "s3:prefix": `${key}/` }, why: `LIST ${key}/ (directory probe)` });
    return probes;
}

/** `create(path)` then `close()`: probe the path, then PUT it (multipart above fs.s3a.multipart.threshold). */
function s3aCreate(bucket: string, key: string): S3Request[] {
    return [
        ...s3aGetFileStatus(bucket, key, false),
        { action: "s3:PutObject", resource: object(bucket, key), context: {}, why: `PUT ${key} (or its multipart upload)` },
        { action: "s3:AbortMultipartUpload", resource: object(bucket, key), context: {}, why: `abort a failed multipart upload of ${key}` },
    ];
}

/** `rename(src, dst)` of one file: probe both, COPY (read source, write destination), DELETE the source. */
function s3aRename(bucket: string, src: string, dst: string): S3Request[] {
    return [
        ...s3aGetFileStatus(bucket, src, true),
        ...s3aGetFileStatus(bucket, dst, false),
        { action: "s3:GetObject", resource: object(bucket, src), context: {}, why: `COPY from ${src}` },
        { action: "s3:PutObject", resource: object(bucket, dst), context: {}, why: `COPY to ${dst}` },
        { action: "s3:DeleteObject", resource: object(bucket, src), context: {}, why: `DELETE ${src}` },
    ];
}

/** `listStatus(dir)`: LIST `dir/` with delimiter "/". */
function s3aList(bucket: string, dir: string): S3Request[] {
    return [{ action: "s3:ListBucket", resource: bucketArn(bucket), context: { "s3:prefix": `${dir}/` }, why: `LIST ${dir}/` }];
}

/**
 * The driver's event logging (EventLogFileWriters): check the log directory exists, then with
 * rolling logs create `eventlog_v2_<app>/`, its `appstatus_<app>.inprogress` and numbered
 * `events_<n>_<app>` files, and rename the status file at the end.
 */
export function driverEventLogRequests(bucket: string, prefix: string, appId: string): S3Request[] {
    const dir = `${prefix}/eventlog_v2_${appId}`;
    return [
        ...s3aGetFileStatus(bucket, prefix, true),
        ...s3aGetFileStatus(bucket, dir, false),
        { action: "s3:PutObject", resource: object(bucket, `${dir}/`), context: {}, why: `mkdirs ${dir} (marker)` },
        ...s3aCreate(bucket, `${dir}/appstatus_${appId}.inprogress`),
        ...s3aCreate(bucket, `${dir}/events_1_${appId}`),
        ...s3aCreate(bucket, `${dir}/events_2_${appId}`),
        ...s3aRename(bucket, `${dir}/appstatus_${appId}.inprogress`, `${dir}/appstatus_${appId}`),
    ];
}

/** The History Server (FsHistoryProvider, cleaner off): probe the directory, list it and each app's folder, read the logs. */
export function historyServerRequests(bucket: string, prefix: string, appId: string): S3Request[] {
    const dir = `${prefix}/eventlog_v2_${appId}`;
    return [
        ...s3aGetFileStatus(bucket, prefix, true),
        ...s3aList(bucket, prefix),
        ...s3aList(bucket, dir),
        ...s3aGetFileStatus(bucket, `${dir}/events_1_${appId}`, true),
        { action: "s3:GetObject", resource: object(bucket, `${dir}/events_1_${appId}`), context: {}, why: "GET (ranged) an event log" },
        { action: "s3:GetObject", resource: object(bucket, `${dir}/appstatus_${appId}`), context: {}, why: "HEAD the app's status file" },
    ];
}

/** Executors reading a dataset under `prefix` (and, with read-write, writing one next to it). */
export function executorDataRequests(bucket: string, prefix: string, access: DataAccess): S3Request[] {
    const input = `${prefix}/input`;
    const read = [
        ...s3aGetFileStatus(bucket, input, true),
        ...s3aList(bucket, input),
        { action: "s3:GetObject", resource: object(bucket, `${input}/part-00000.parquet`), context: {}, why: "GET (ranged) a data file" },
    ];
    if (access === DataAccess.Read) {
        return read;
    }
    const output = `${prefix}/output`;
    return [
        ...read,
        ...s3aGetFileStatus(bucket, output, false),
        ...s3aCreate(bucket, `${output}/_temporary/0/task/part-00000.parquet`),
        ...s3aRename(bucket, `${output}/_temporary/0/task/part-00000.parquet`, `${output}/part-00000.parquet`),
        ...s3aCreate(bucket, `${output}/_SUCCESS`),
        { action: "s3:DeleteObject", resource: object(bucket, `${output}/_temporary/`), context: {}, why: "delete the job's temporary directory" },
        { action: "s3:ListBucketMultipartUploads", resource: bucketArn(bucket), context: {}, why: "list pending uploads to abort them (committers)" },
    ];
}

/**
 * The statements that give S3A access to `prefix` of `bucket`: listing scoped to the prefix (the
 * IfExists form lets S3 answer 404 to a probe of a missing key, a request that carries no
 * s3:prefix), HEAD/GET of the prefix's three forms, and for read-write PUT, DELETE and multipart
 * clean-up. `protectMarker` keeps the role from deleting or overwriting the `prefix/` marker.
 */
export function s3aPrefixStatements(sid: string, bucket: string, prefix: string, access: DataAccess, protectMarker = false): IamStatement[] {
    const arn = bucketArn(bucket);
    const statements: IamStatement[] = [
        {
            Sid: `${sid}List`,
            Effect: "Allow",
            Action: "s3:ListBucket",
            Resource: arn,
            Condition: { StringLikeIfExists: { "s3:prefix": [prefix, `${prefix}/*`] } },
        },
        { Sid: `${sid}Read`, Effect: "Allow", Action: "s3:GetObject", Resource: [`${arn}/${prefix}`, `${arn}/${prefix}/`, `${arn}/${prefix}/*`] },
    ];
    if (access === DataAccess.ReadWrite) {
        // `?*` is at least one character: every key under the prefix but not its marker.
        const writable = protectMarker ? [`${arn}/${prefix}/?*`] : [`${arn}/${prefix}`, `${arn}/${prefix}/`, `${arn}/${prefix}/*`];
        statements.push(
            { Sid: `${sid}Write`, Effect: "Allow", Action: ["s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"], Resource: writable },
            { Sid: `${sid}Uploads`, Effect: "Allow", Action: "s3:ListBucketMultipartUploads", Resource: arn },
        );
    }
    return statements;
}
