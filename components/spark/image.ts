// The Spark image, the S3A connector it lacks, and how pods get it.

/** Spark of the operator 2.5.2 examples (its examples/spark-pi.yaml). */
export const SPARK_VERSION = "4.0.4";
/**
 * The Docker Official Image `spark` (built by apache/spark-docker for linux/amd64 and arm64v8,
 * tools/manifest.py) through Amazon ECR Public's mirror of the Docker Official Images: no Docker
 * Hub anonymous pull limit (100 pulls per 6 hours per IP), and ECR Public has no data limit for
 * pulls from inside AWS. https://docs.aws.amazon.com/AmazonECR/latest/public/public-service-quotas.html
 */
export const DEFAULT_SPARK_IMAGE = `public.ecr.aws/docker/library/spark:${SPARK_VERSION}`;

/** Hadoop in Spark 4.0's distribution (spark-4.0.x-bin-hadoop3: pom.xml hadoop.version). */
export const HADOOP_VERSION = "3.4.1";
/** The AWS SDK v2 bundle hadoop-aws 3.4.1 is built against (hadoop-project-3.4.1.pom aws-java-sdk-v2.version). */
export const AWS_SDK_V2_VERSION = "2.24.6";

export interface MavenJar {
    /** groupId:artifactId:version on Maven Central. */
    coordinates: string;
    /** File name in the jars directory. */
    file: string;
    /** Download URL on Maven Central (repo1.maven.org). */
    url: string;
}

function mavenJar(group: string, artifact: string, version: string): MavenJar {
    const file = `${artifact}-${version}.jar`;
    return { coordinates: `${group}:${artifact}:${version}`, file, url: `https://repo1.maven.org/maven2/${group.replace(/\./g, "/")}/${artifact}/${version}/${file}` };
}

/** The S3A connector for the image's Hadoop: hadoop-aws and the AWS SDK v2 bundle, versions pinned together. */
export const S3A_JARS: MavenJar[] = [
    mavenJar("org.apache.hadoop", "hadoop-aws", HADOOP_VERSION),
    mavenJar("software.amazon.awssdk", "bundle", AWS_SDK_V2_VERSION),
];

/** Where the init container puts the jars (an emptyDir), and the classpath entry that adds them. */
export const EXTRA_JARS_DIR = "/opt/spark/extra-jars";
export const EXTRA_JARS_VOLUME = "s3a-jars";
export const EXTRA_JARS_CLASSPATH = `${EXTRA_JARS_DIR}/*`;

/**
 * The init container's script: download each jar and its SHA-1 from Maven Central and refuse a
 * jar whose digest differs (Maven Central publishes `<jar>.sha1` next to every artefact). The
 * Spark image has wget and sha1sum (apache/spark-docker's Dockerfile installs wget; coreutils).
 */
export function s3aJarsScript(jars: MavenJar[] = S3A_JARS): string {
    const lines = jars.map(
        (j) =>
            `wget -q -O ${j.file}.part ${j.url} && wget -q -O ${j.file}.sha1 ${j.url}.sha1 && ` +
            `echo "$(cut -c1-40 ${j.file}.sha1)  ${j.file}.part" | sha1sum -c - && mv ${j.file}.part ${j.file}`,
    );
    return ["set -eu", `cd ${EXTRA_JARS_DIR}`, ...lines, "ls -l"].join("\n");
}

/** An init container that fetches the S3A jars into the shared volume, from the Spark image itself (one image to pull). */
export function s3aJarsInitContainer(image: string) {
    return {
        name: "fetch-s3a-jars",
        image,
        command: ["/bin/bash", "-c", s3aJarsScript()],
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
