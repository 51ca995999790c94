// The Spark image, the S3A connector it lacks, and how pods get it.
import { ArgChecker } from "../validation";

/** What we know about the default Spark image, and where each fact was read (one record, tested). */
export interface SparkImageRecord {
    /** Registry and repository: ECR Public's mirror of the Docker Official Image `spark`. */
    repository: string;
    tag: string;
    /** Spark in the image (the tag's version). */
    sparkVersion: string;
    /** Hadoop in the image's Spark distribution (/opt/spark/jars/hadoop-client-api-<version>.jar); hadoop-aws must match it. */
    hadoopVersion: string;
    /** Platforms of the tag's image index. */
    platforms: string[];
    /** The tag's image index digest when it was read (the tag moves when the image is rebuilt; pin it with `@` if you need the bytes fixed). */
    indexDigest: string;
    /** Where the tag, its platforms and its digest were read. */
    source: string;
}

/**
 * The Docker Official Image `spark` (apache/spark-docker; docker-library/official-images builds
 * every spark tag for amd64 and arm64v8) through ECR Public's mirror of the Docker Official Images
 * (public.ecr.aws/docker/library/<name>, https://www.docker.com/blog/news-from-aws-reinvent-docker-official-images-on-amazon-ecr-public/;
 * URI form https://docs.aws.amazon.com/AmazonECR/latest/public/public-registries.html): no Docker Hub
 * anonymous pull limit, and no data limit for pulls from inside AWS (https://docs.aws.amazon.com/AmazonECR/latest/public/public-service-quotas.html).
 * Spark 4.0.x ships Hadoop 3.4.1 (SPARK-49550, https://github.com/apache/spark/pull/48295).
 */
export const SPARK_IMAGE: SparkImageRecord = {
    repository: "public.ecr.aws/docker/library/spark",
    tag: "4.0.4",
    sparkVersion: "4.0.4",
    hadoopVersion: "3.4.1",
    // docker-library/repo-info repos/spark/remote/4.0.4.md (commit 615fe9411272fe2ae19c32ed2b7f27addc19653a): "linux; amd64", "linux; arm64 variant v8".
    platforms: ["linux/amd64", "linux/arm64/v8"],
    indexDigest: "sha256:b928ecba858f798e4f3868c83372f22ee8cd106bfcaa196d8e54f3db1e46d463",
    source: "https://github.com/docker-library/repo-info/blob/615fe9411272fe2ae19c32ed2b7f27addc19653a/repos/spark/remote/4.0.4.md",
};

/** Spark of the default image (the operator 2.5.2 examples run 4.0.x). */
export const SPARK_VERSION = SPARK_IMAGE.sparkVersion;
export const DEFAULT_SPARK_IMAGE = `${SPARK_IMAGE.repository}:${SPARK_IMAGE.tag}`;

/** Hadoop in Spark 4.0's distribution (spark-4.0.x-bin-hadoop3: pom.xml hadoop.version). */
export const HADOOP_VERSION = SPARK_IMAGE.hadoopVersion;
/** The AWS SDK v2 bundle hadoop-aws 3.4.1 is built against (hadoop-project-3.4.1.pom aws-java-sdk-v2.version; HADOOP-19082, https://github.com/apache/hadoop/pull/6568). */
export const AWS_SDK_V2_VERSION = "2.24.6";

/** A digest written "<algorithm>:<lowercase hex>" for coreutils' sha1sum, sha256sum or sha512sum, e.g. "sha256:" and 64 hex digits. */
export const JAR_DIGEST = /^(sha1:[0-9a-f]{40}|sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$/;
export const JAR_DIGEST_ALLOWED = '"sha1:" + 40, "sha256:" + 64 or "sha512:" + 128 lowercase hex digits (e.g. from `sha256sum bundle-2.24.6.jar`)';

export interface MavenJar {
    /** groupId:artifactId:version on Maven Central. */
    coordinates: string;
    /** File name in the jars directory. */
    file: string;
    /** Download URL on Maven Central (repo1.maven.org). */
    url: string;
    /** The digest pinned in this repository ("sha1:<hex>"...); none: checked against the .sha1 Maven Central serves next to the jar. */
    digest?: string;
    /** Where the pinned digest was read. */
    digestSource?: string;
}

function mavenJar(group: string, artifact: string, version: string, digest?: string, digestSource?: string): MavenJar {
    const file = `${artifact}-${version}.jar`;
    return {
        coordinates: `${group}:${artifact}:${version}`,
        file,
        url: `https://repo1.maven.org/maven2/${group.replace(/\./g, "/")}/${artifact}/${version}/${file}`,
        ...(digest ? { digest, digestSource } : {}),
    };
}

/**
 * hadoop-aws 3.4.1's SHA-1 as NVIDIA/spark-rapids-tools pinned it for its own downloads
 * (user_tools/src/spark_rapids_pytools/resources/emr-configs.json at 2d91d81e, the parent of the
 * commit that moved it to hadoop-aws 3.3.4; the file gives the size as 865554 bytes).
 */
export const HADOOP_AWS_SHA1 = "sha1:641d8fe1d7683cdcc05cc3a794c0374553f6bd6a";
export const HADOOP_AWS_SHA1_SOURCE =
    "https://github.com/NVIDIA/spark-rapids-tools/blob/2d91d81eef611673b7a6ec626c599f9b579af587/user_tools/src/spark_rapids_pytools/resources/emr-configs.json";

/**
 * The S3A connector for the image's Hadoop: hadoop-aws and the AWS SDK v2 bundle, versions pinned
 * together. No stored public source pins bundle-2.24.6.jar's digest (and Maven Central is out of
 * reach here), so it has none by default: set s3aJarDigests.awsSdkBundle to pin it.
 */
export const S3A_JARS: MavenJar[] = [
    mavenJar("org.apache.hadoop", "hadoop-aws", HADOOP_VERSION, HADOOP_AWS_SHA1, HADOOP_AWS_SHA1_SOURCE),
    mavenJar("software.amazon.awssdk", "bundle", AWS_SDK_V2_VERSION),
];

/** Digests a user pins for the S3A jars (each overrides the repository's pin, or adds one). */
export interface S3AJarDigests {
    /**
     * Digest of hadoop-aws-3.4.1.jar: "sha1:<40 hex>", "sha256:<64 hex>" or "sha512:<128 hex>".
     * @default the SHA-1 pinned in components/spark/image.ts
     */
    hadoopAws?: string;
    /**
     * Digest of bundle-2.24.6.jar (the AWS SDK v2 bundle), same format.
     * @default none: the jar is checked against the SHA-1 Maven Central serves next to it
     */
    awsSdkBundle?: string;
}

/** The digests' checks (all problems at once through the component's checker); `arg` names the argument or config key. */
export function checkS3AJarDigests(check: ArgChecker, arg: string, d: S3AJarDigests | undefined): S3AJarDigests {
    const out: S3AJarDigests = {};
    if (d === undefined) {
        return out;
    }
    if (d.hadoopAws !== undefined) {
        out.hadoopAws = check.string(`${arg}.hadoopAws`, d.hadoopAws, JAR_DIGEST, JAR_DIGEST_ALLOWED);
    }
    if (d.awsSdkBundle !== undefined) {
        out.awsSdkBundle = check.string(`${arg}.awsSdkBundle`, d.awsSdkBundle, JAR_DIGEST, JAR_DIGEST_ALLOWED);
    }
    return out;
}

/** The S3A jars with the user's pinned digests applied. */
export function s3aJars(digests: S3AJarDigests = {}): MavenJar[] {
    const [hadoopAws, bundle] = S3A_JARS;
    const pin = (j: MavenJar, d: string | undefined): MavenJar => (d ? { ...j, digest: d, digestSource: "s3aJarDigests" } : j);
    return [pin(hadoopAws, digests.hadoopAws), pin(bundle, digests.awsSdkBundle)];
}

/** Where the init container puts the jars (an emptyDir), and the classpath entry that adds them. */
export const EXTRA_JARS_DIR = "/opt/spark/extra-jars";
export const EXTRA_JARS_VOLUME = "s3a-jars";
export const EXTRA_JARS_CLASSPATH = `${EXTRA_JARS_DIR}/*`;
/** Where the Spark image keeps its own jars (apache/spark-docker's Dockerfile: `mv jars /opt/spark/`). */
export const SPARK_JARS_DIR = "/opt/spark/jars";

/** The shell lines that check `part` against a pinned digest, or against Maven Central's .sha1 when none is pinned. */
function verifyLines(j: MavenJar, part: string): string[] {
    if (j.digest) {
        const [algorithm, hex] = j.digest.split(":");
        return [`echo "${hex}  ${part}" | ${algorithm}sum -c -`];
    }
    return [
        `echo "no pinned digest for ${j.file}: checking Maven Central's .sha1 (set s3aJarDigests to pin it)" >&2`,
        `wget -q -O ${j.file}.sha1 ${j.url}.sha1`,
        `echo "$(cut -c1-40 ${j.file}.sha1)  ${part}" | sha1sum -c -`,
    ];
}

export interface S3AJarsScriptOptions {
    /** Directory the jars go to. */
    directory: string;
    /** The image's own jars directory, where hadoop-client-api-<hadoopVersion>.jar must be. */
    sparkJarsDirectory: string;
    /** Hadoop version hadoop-aws was chosen for. */
    hadoopVersion: string;
}

/**
 * The init container's script: refuse an image whose Hadoop is not hadoop-aws's, then download
 * each jar and refuse one whose digest differs from the pinned one. The Spark image has wget and
 * coreutils (apache/spark-docker's Dockerfile installs wget).
 */
export function s3aJarsScript(jars: MavenJar[] = S3A_JARS, o: S3AJarsScriptOptions = { directory: EXTRA_JARS_DIR, sparkJarsDirectory: SPARK_JARS_DIR, hadoopVersion: HADOOP_VERSION }): string {
    const hadoopCheck =
        `test -f ${o.sparkJarsDirectory}/hadoop-client-api-${o.hadoopVersion}.jar || ` +
        `{ echo "the image's Hadoop is not ${o.hadoopVersion} (no ${o.sparkJarsDirectory}/hadoop-client-api-${o.hadoopVersion}.jar): hadoop-aws must match it" >&2; exit 1; }`;
    // One command a line: `set -e` does not stop at a failure inside an && list.
    const lines = jars.flatMap((j) => [`wget -q -O ${j.file}.part ${j.url}`, ...verifyLines(j, `${j.file}.part`), `mv ${j.file}.part ${j.file}`]);
    return ["set -euo pipefail", hadoopCheck, `cd ${o.directory}`, ...lines, "ls -l"].join("\n");
}

/** An init container that fetches the S3A jars into the shared volume, from the Spark image itself (one image to pull). */
export function s3aJarsInitContainer(image: string, digests: S3AJarDigests = {}) {
    return {
        name: "fetch-s3a-jars",
        image,
        command: ["/bin/bash", "-c", s3aJarsScript(s3aJars(digests))],
        volumeMounts: [{ name: EXTRA_JARS_VOLUME, mountPath: EXTRA_JARS_DIR }],
        // The bundle is about half a gigabyte; the download is network-bound.
        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, runAsNonRoot: true, runAsUser: 185 },
    };
}

/** The emptyDir the jars go to: sized for the bundle with room to spare. */
export function s3aJarsVolume() {
    return { name: EXTRA_JARS_VOLUME, emptyDir: { sizeLimit: "1Gi" } };
}
