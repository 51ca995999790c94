// The default Spark image is one record with its source, and the S3A jars are checked against
// digests pinned in the repository: the init container's script is run here, on local files.
import { expect } from "chai";
import { execFileSync, spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    AWS_SDK_V2_VERSION,
    DEFAULT_SPARK_IMAGE,
    HADOOP_AWS_SHA1,
    HADOOP_VERSION,
    JAR_DIGEST,
    MavenJar,
    S3A_JARS,
    s3aJars,
    s3aJarsInitContainer,
    s3aJarsScript,
    SPARK_IMAGE,
    SPARK_VERSION,
} from "../../components/spark/image";
import { readStackConfig, renderStack } from "../../tools/render";
import { expectNothingRegistered, mustFail } from "../helpers/refusals";
import { manifests, rendered } from "../helpers/render";

const ROOT = path.join(__dirname, "..", "..");
const DOCKERFILE = fs.readFileSync(path.join(ROOT, "docker", "spark-s3a", "Dockerfile"), "utf8");
const dockerArg = (name: string) => new RegExp(`^ARG ${name}=(.*)$`, "m").exec(DOCKERFILE)?.[1];

describe("the default Spark image: one record, with its source", () => {
    it("is the Docker Official Image spark:4.0.4 through ECR Public, multi-arch (amd64 and arm64v8), as docker-library/repo-info records it", () => {
        expect(DEFAULT_SPARK_IMAGE).to.equal(`${SPARK_IMAGE.repository}:${SPARK_IMAGE.tag}`);
        expect(SPARK_IMAGE.repository).to.equal("public.ecr.aws/docker/library/spark");
        expect(SPARK_IMAGE.tag).to.equal(SPARK_IMAGE.sparkVersion);
        expect(SPARK_VERSION).to.equal(SPARK_IMAGE.sparkVersion);
        expect(SPARK_IMAGE.platforms).to.include.members(["linux/amd64", "linux/arm64/v8"]);
        expect(SPARK_IMAGE.indexDigest).to.match(/^sha256:[0-9a-f]{64}$/);
        // The source is a file at a fixed commit that names this very tag.
        expect(SPARK_IMAGE.source).to.match(new RegExp(`^https://github\\.com/docker-library/repo-info/blob/[0-9a-f]{40}/repos/spark/remote/${SPARK_IMAGE.tag.replace(/\./g, "\\.")}\\.md$`));
    });

    it("keeps hadoop-aws in step with the image's Hadoop", () => {
        expect(HADOOP_VERSION).to.equal(SPARK_IMAGE.hadoopVersion);
        expect(S3A_JARS[0].coordinates).to.equal(`org.apache.hadoop:hadoop-aws:${SPARK_IMAGE.hadoopVersion}`);
        expect(s3aJarsScript()).to.include(`test -f /opt/spark/jars/hadoop-client-api-${SPARK_IMAGE.hadoopVersion}.jar`);
        expect(dockerArg("HADOOP_VERSION")).to.equal(SPARK_IMAGE.hadoopVersion);
    });

    it("is the only Spark image reference written anywhere in the repository (docs, JSDoc defaults, the Dockerfile, Pulumi.yaml, schema.json)", () => {
        const files = execFileSync("git", ["ls-files", "README.md", "CHANGELOG.md", "Pulumi.yaml", "schema.json", "components", "stacks", "tools", "docker", "examples", "cost"], { cwd: ROOT, encoding: "utf8" })
            .split("\n")
            .filter((f) => /\.(ts|md|yaml|json)$|Dockerfile$/.test(f) && fs.existsSync(path.join(ROOT, f)));
        expect(files.length).to.be.greaterThan(20);
        const refs = new Map<string, string[]>();
        for (const f of files) {
            for (const m of fs.readFileSync(path.join(ROOT, f), "utf8").matchAll(/(public\.ecr\.aws\/docker\/library|docker\.io\/apache|apache)\/spark:[0-9][\w.-]*/g)) {
                refs.set(m[0], [...(refs.get(m[0]) ?? []), f]);
            }
        }
        // Stale references (another tag, Docker Hub's apache/spark) are listed with their files.
        expect(Object.fromEntries([...refs].filter(([ref]) => ref !== DEFAULT_SPARK_IMAGE))).to.deep.equal({});
        expect(refs.get(DEFAULT_SPARK_IMAGE)).to.include.members(["README.md", "docker/spark-s3a/Dockerfile", "Pulumi.yaml", "components/spark/args.ts", "components/spark/jobArgs.ts"]);
    });
});

describe("the S3A jars: digests pinned in the repository", () => {
    it("pins hadoop-aws 3.4.1 to the SHA-1 found in NVIDIA/spark-rapids-tools, and leaves the SDK bundle to Maven Central's .sha1 unless the user pins it", () => {
        expect(HADOOP_AWS_SHA1).to.equal("sha1:641d8fe1d7683cdcc05cc3a794c0374553f6bd6a");
        expect(S3A_JARS[0]).to.include({ digest: HADOOP_AWS_SHA1 });
        expect(S3A_JARS[0].digestSource).to.match(/^https:\/\/github\.com\/NVIDIA\/spark-rapids-tools\//);
        expect(S3A_JARS[1]).to.not.have.property("digest");
        for (const j of S3A_JARS.filter((x) => x.digest)) {
            expect(j.digest).to.match(JAR_DIGEST);
        }
        const script = s3aJarsScript();
        // hadoop-aws against the pin, never against a .sha1 fetched next to it.
        expect(script).to.include(`echo "641d8fe1d7683cdcc05cc3a794c0374553f6bd6a  hadoop-aws-${HADOOP_VERSION}.jar.part" | sha1sum -c -`);
        expect(script).to.not.include(`hadoop-aws-${HADOOP_VERSION}.jar.sha1`);
        expect(script).to.include(`bundle-${AWS_SDK_V2_VERSION}.jar.sha1`);
    });

    it("the Dockerfile checks the same pins", () => {
        expect(dockerArg("SPARK_IMAGE")).to.equal(DEFAULT_SPARK_IMAGE);
        expect(dockerArg("HADOOP_AWS")).to.equal(S3A_JARS[0].url);
        expect(dockerArg("HADOOP_AWS_DIGEST")).to.equal(S3A_JARS[0].digest);
        expect(dockerArg("SDK_BUNDLE")).to.equal(S3A_JARS[1].url);
        expect(dockerArg("AWS_SDK_BUNDLE_DIGEST")).to.equal(S3A_JARS[1].digest ?? "");
        expect(DOCKERFILE).to.include('"${digest%%:*}sum" -c -');
    });

    it("a user's digests replace or add pins, in the init container", () => {
        const sha512 = "c".repeat(128);
        const jars = s3aJars({ hadoopAws: `sha512:${sha512}`, awsSdkBundle: `sha256:${"d".repeat(64)}` });
        expect(jars.map((j) => j.digest)).to.deep.equal([`sha512:${sha512}`, `sha256:${"d".repeat(64)}`]);
        const script = s3aJarsInitContainer("img", { awsSdkBundle: `sha256:${"d".repeat(64)}` }).command[2];
        expect(script).to.include(`| sha256sum -c -`).and.include(HADOOP_AWS_SHA1.slice(5)).and.not.include(".sha1 https://");
    });
});

/** A scratch directory with a stand-in `wget` that serves local bytes by URL, as Maven Central would. */
function scratch(served: Record<string, Buffer>) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "s3a-jars-"));
    const bin = path.join(dir, "bin");
    const repo = path.join(dir, "repo");
    for (const d of [bin, repo]) fs.mkdirSync(d);
    const cases = Object.entries(served).map(([url, bytes], i) => {
        fs.writeFileSync(path.join(repo, `f${i}`), bytes);
        return `${url}) cp "${path.join(repo, `f${i}`)}" "$out" ;;`;
    });
    // wget -q -O <file> <url>
    fs.writeFileSync(path.join(bin, "wget"), ["#!/bin/sh", 'out="$3"; url="$4"', 'case "$url" in', ...cases, '*) echo "404 $url" >&2; exit 8 ;;', "esac"].join("\n"), { mode: 0o755 });
    const run = (shell: string, script: string, env: Record<string, string> = {}) =>
        spawnSync(shell, shell === "bash" ? ["--noprofile", "--norc", "-c", script] : ["-c", script], { env: { PATH: `${bin}:${process.env.PATH}`, HOME: dir, ...env }, encoding: "utf8" });
    return { dir, run, done: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Runs the init container's script on local files. */
function runScript(jars: MavenJar[], served: Record<string, Buffer>, hadoopInImage = HADOOP_VERSION) {
    const s = scratch(served);
    const out = path.join(s.dir, "extra-jars");
    const sparkJars = path.join(s.dir, "spark-jars");
    for (const d of [out, sparkJars]) fs.mkdirSync(d);
    fs.writeFileSync(path.join(sparkJars, `hadoop-client-api-${hadoopInImage}.jar`), "");
    const r = s.run("bash", s3aJarsScript(jars, { directory: out, sparkJarsDirectory: sparkJars, hadoopVersion: HADOOP_VERSION }));
    const present = fs.readdirSync(out).sort();
    s.done();
    return { status: r.status, stderr: `${r.stdout}${r.stderr}`, present };
}

/** Runs the Dockerfile's RUN step with /bin/sh on local files, its ARGs as the environment (as `docker build` gives them). */
function runDockerfile(served: Record<string, Buffer>, args: Record<string, string> = {}) {
    const s = scratch(served);
    const jars = path.join(s.dir, "jars");
    fs.mkdirSync(jars);
    fs.writeFileSync(path.join(jars, `hadoop-client-api-${HADOOP_VERSION}.jar`), "");
    const run = /^RUN (.*?)(?=^USER )/ms.exec(DOCKERFILE)![1].replace(/\\\n/g, "\n").replace("cd /opt/spark/jars", `cd "${jars}"`);
    const env = Object.fromEntries(["HADOOP_VERSION", "HADOOP_AWS", "HADOOP_AWS_DIGEST", "SDK_BUNDLE", "AWS_SDK_BUNDLE_DIGEST"].map((k) => [k, args[k] ?? dockerArg(k) ?? ""]));
    const r = s.run("sh", run, env);
    const present = fs.readdirSync(jars).sort();
    s.done();
    return { status: r.status, output: `${r.stdout}${r.stderr}`, present };
}

describe("the S3A jars' check, run on local files", () => {
    const bytes = { a: Buffer.from("hadoop-aws stand-in\n"), b: Buffer.from("sdk bundle stand-in\n") };
    const hash = (alg: string, b: Buffer) => createHash(alg).update(b).digest("hex");
    const jar = (name: string, digest?: string): MavenJar => ({ coordinates: `x:${name}:1`, file: `${name}.jar`, url: `https://repo.test/${name}.jar`, ...(digest ? { digest } : {}) });

    it("accepts jars matching their pinned digests (sha1, sha256, sha512) and puts them in place", () => {
        const jars = [jar("a", `sha1:${hash("sha1", bytes.a)}`), jar("b", `sha256:${hash("sha256", bytes.b)}`), jar("c", `sha512:${hash("sha512", bytes.a)}`)];
        const r = runScript(jars, { "https://repo.test/a.jar": bytes.a, "https://repo.test/b.jar": bytes.b, "https://repo.test/c.jar": bytes.a });
        expect(r.status, r.stderr).to.equal(0);
        expect(r.present).to.deep.equal(["a.jar", "b.jar", "c.jar"]);
    });

    it("refuses a jar whose bytes differ from the pin, even when the server's .sha1 agrees with the bad bytes, and leaves no jar behind", () => {
        const evil = Buffer.from("tampered\n");
        const r = runScript([jar("a", `sha256:${hash("sha256", bytes.a)}`), jar("b", `sha1:${hash("sha1", bytes.b)}`)], {
            "https://repo.test/a.jar": evil,
            "https://repo.test/a.jar.sha1": Buffer.from(hash("sha1", evil)),
            "https://repo.test/b.jar": bytes.b,
        });
        expect(r.status).to.not.equal(0);
        expect(r.stderr).to.match(/a\.jar\.part: FAILED/);
        expect(r.present.filter((f) => f.endsWith(".jar"))).to.deep.equal([]);
    });

    it("without a pin, checks Maven Central's .sha1 and says so; a mismatch fails", () => {
        const ok = runScript([jar("b")], { "https://repo.test/b.jar": bytes.b, "https://repo.test/b.jar.sha1": Buffer.from(`${hash("sha1", bytes.b)}  b.jar\n`) });
        expect(ok.status, ok.stderr).to.equal(0);
        expect(ok.stderr).to.include("no pinned digest for b.jar");
        expect(ok.present).to.include("b.jar");
        const bad = runScript([jar("b")], { "https://repo.test/b.jar": bytes.b, "https://repo.test/b.jar.sha1": Buffer.from(hash("sha1", bytes.a)) });
        expect(bad.status).to.not.equal(0);
        expect(bad.present).to.not.include("b.jar");
    });

    it("refuses an image whose Hadoop is not hadoop-aws's, before downloading anything", () => {
        const r = runScript([jar("a", `sha1:${hash("sha1", bytes.a)}`)], { "https://repo.test/a.jar": bytes.a }, "3.4.2");
        expect(r.status).to.not.equal(0);
        expect(r.stderr).to.include(`the image's Hadoop is not ${HADOOP_VERSION}`);
        expect(r.present).to.deep.equal([]);
    });
});

describe("the S3A jar digests in the stack config", () => {
    const K = "karpenter-spark";
    it("s3aAwsSdkBundleDigest and s3aHadoopAwsDigest reach every init container (History Server, spark-pi's driver; its executors fetch none)", async () => {
        const bundle = `sha256:${"e".repeat(64)}`;
        const hadoop = `sha512:${"f".repeat(128)}`;
        const r = await rendered("dev", { [`${K}:s3aAwsSdkBundleDigest`]: bundle, [`${K}:s3aHadoopAwsDigest`]: hadoop });
        const expected = s3aJarsScript(s3aJars({ hadoopAws: hadoop, awsSdkBundle: bundle }));
        const [history] = manifests(r, "Deployment").filter((d: any) => d.metadata.name === "spark-history-server");
        const [app] = manifests(r, "SparkApplication");
        const scripts = [history.spec.template.spec.initContainers[0], app.spec.driver.initContainers[0]].map((c: any) => c.command[2]);
        expect(scripts).to.deep.equal([expected, expected]);
        expect(app.spec.executor.initContainers ?? []).to.deep.equal([]);
        expect(expected).to.include(`${"e".repeat(64)}  bundle-${AWS_SDK_V2_VERSION}.jar.part" | sha256sum -c -`).and.include("| sha512sum -c -");
    });

    it("refuses a malformed digest, naming the key, before anything is registered", async () => {
        const config = { ...readStackConfig("dev"), [`${K}:s3aAwsSdkBundleDigest`]: "sha256:1234" };
        const e = await mustFail(() => renderStack({ stack: "dev", config }));
        expect(e.message).to.include(`invalid ${K}:s3aAwsSdkBundleDigest: got "sha256:1234";`);
        expectNothingRegistered(e);
    });
});

describe("the Dockerfile's check, run on local files with /bin/sh", () => {
    const hadoopAws = Buffer.from("hadoop-aws stand-in\n");
    const bundle = Buffer.from("bundle stand-in\n");
    const sha1 = (b: Buffer) => createHash("sha1").update(b).digest("hex");
    const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");
    const [hadoopUrl, bundleUrl] = [dockerArg("HADOOP_AWS")!, dockerArg("SDK_BUNDLE")!];

    it("accepts jars matching the pins it is given, and refuses one that differs, leaving the build failed", () => {
        const pins = { HADOOP_AWS_DIGEST: `sha1:${sha1(hadoopAws)}`, AWS_SDK_BUNDLE_DIGEST: `sha256:${sha256(bundle)}` };
        const ok = runDockerfile({ [hadoopUrl]: hadoopAws, [bundleUrl]: bundle }, pins);
        expect(ok.status, ok.output).to.equal(0);
        expect(ok.present).to.include.members([`hadoop-aws-${HADOOP_VERSION}.jar`, `bundle-${AWS_SDK_V2_VERSION}.jar`]);
        const bad = runDockerfile({ [hadoopUrl]: Buffer.from("tampered\n"), [bundleUrl]: bundle }, pins);
        expect(bad.status).to.not.equal(0);
        expect(bad.output).to.match(/FAILED/);
    });

    it("with its own default pin, refuses bytes that are not the real hadoop-aws 3.4.1 (whatever the server's .sha1 says)", () => {
        const r = runDockerfile({ [hadoopUrl]: hadoopAws, [`${hadoopUrl}.sha1`]: Buffer.from(sha1(hadoopAws)), [bundleUrl]: bundle });
        expect(r.status).to.not.equal(0);
        expect(r.output).to.include(`hadoop-aws-${HADOOP_VERSION}.jar: FAILED`);
    });

    it("without a bundle pin, falls back to Maven Central's .sha1 and says so", () => {
        const r = runDockerfile(
            { [hadoopUrl]: hadoopAws, [bundleUrl]: bundle, [`${bundleUrl}.sha1`]: Buffer.from(sha1(bundle)) },
            { HADOOP_AWS_DIGEST: `sha1:${sha1(hadoopAws)}`, AWS_SDK_BUNDLE_DIGEST: "" },
        );
        expect(r.status, r.output).to.equal(0);
        expect(r.output).to.include(`no pinned digest for bundle-${AWS_SDK_V2_VERSION}.jar`);
    });
});
