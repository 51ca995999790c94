import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { AWS_SDK_V2_VERSION, DEFAULT_SPARK_IMAGE, HADOOP_VERSION, S3A_JARS, s3aJarsScript } from "../../components/spark/image";
import { RenderResult } from "../../tools/render";
import { manifests, one, rendered } from "../helpers/render";

describe("History Server that works by default on the Graviton system nodes", () => {
    let prod: RenderResult;
    let history: any;
    before(async () => {
        prod = await rendered("prod");
        [history] = manifests(prod, "Deployment");
    });

    it("runs on the system node group: its node selector is a subset of the group's labels (plus the OS label every node has) and it tolerates the group's taint", () => {
        const group = one(prod, "eks:index:ManagedNodeGroup").inputs as any;
        expect(group.amiType).to.equal("AL2023_ARM_64_STANDARD");
        const selector = history.spec.template.spec.nodeSelector;
        for (const [k, v] of Object.entries(selector)) {
            if (k !== "kubernetes.io/os") {
                expect(group.labels[k], k).to.equal(v);
            }
        }
        const taints = group.taints.map((t: any) => t.key);
        expect(history.spec.template.spec.tolerations.map((t: any) => t.key)).to.include.members(taints);
    });

    it("uses a multi-arch image without Docker Hub's pull limit, one replica, and fetches the jars the image lacks", () => {
        // The Docker Official Image `spark` is built for amd64 and arm64v8 (apache/spark-docker tools/manifest.py); ECR Public mirrors it.
        expect(DEFAULT_SPARK_IMAGE).to.match(/^public\.ecr\.aws\/docker\/library\/spark:/);
        expect(history.spec.template.spec.containers[0].image).to.equal(DEFAULT_SPARK_IMAGE);
        expect(history.spec.replicas).to.equal(1);
        const init = history.spec.template.spec.initContainers[0];
        expect(init.image).to.equal(DEFAULT_SPARK_IMAGE);
        expect(init.command[2]).to.equal(s3aJarsScript());
    });

    it("pins hadoop-aws to the image's Hadoop and the SDK v2 bundle hadoop-aws was built with, hadoop-aws checked against the repository's pin (sparkImage.spec.ts)", () => {
        expect(S3A_JARS.map((j) => j.coordinates)).to.deep.equal([`org.apache.hadoop:hadoop-aws:${HADOOP_VERSION}`, `software.amazon.awssdk:bundle:${AWS_SDK_V2_VERSION}`]);
        expect([HADOOP_VERSION, AWS_SDK_V2_VERSION]).to.deep.equal(["3.4.1", "2.24.6"]);
        expect(S3A_JARS[0].url).to.equal("https://repo1.maven.org/maven2/org/apache/hadoop/hadoop-aws/3.4.1/hadoop-aws-3.4.1.jar");
        expect(S3A_JARS[1].url).to.equal("https://repo1.maven.org/maven2/software/amazon/awssdk/bundle/2.24.6/bundle-2.24.6.jar");
        const script = s3aJarsScript();
        expect(script).to.match(/^set -euo pipefail/);
        expect(script.match(/sha1sum -c -/g)).to.have.length(2);
    });

    it("documents a multi-arch Dockerfile with the same base image and jars", () => {
        const dockerfile = fs.readFileSync(path.join(__dirname, "..", "..", "docker", "spark-s3a", "Dockerfile"), "utf8");
        expect(dockerfile).to.include(`ARG SPARK_IMAGE=${DEFAULT_SPARK_IMAGE}`);
        for (const jar of S3A_JARS) {
            expect(dockerfile).to.include(jar.url);
            expect(dockerfile).to.include(jar.coordinates);
        }
        expect(dockerfile).to.include("--platform linux/amd64,linux/arm64");
    });

    it("has startup, readiness and liveness probes on the UI and memory above its heap", () => {
        const c = history.spec.template.spec.containers[0];
        for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) {
            expect(c[probe].httpGet, probe).to.deep.equal({ path: "/", port: "http" });
        }
        expect(c.startupProbe.periodSeconds * c.startupProbe.failureThreshold).to.be.at.least(300);
        const env = Object.fromEntries(c.env.map((e: any) => [e.name, e.value]));
        expect(env.SPARK_DAEMON_MEMORY).to.equal("1g");
        expect(c.resources.requests.memory).to.equal("1536Mi");
        expect(c.resources.limits.memory).to.equal("2Gi");
    });

    it("prints the port-forward command, and creates an Ingress only when asked", async () => {
        expect(prod.outputs.historyServerCommands).to.deep.equal([
            "kubectl port-forward -n spark-operator svc/spark-history-server 18080:18080   # then open http://localhost:18080",
            "kubectl port-forward -n <namespace> svc/<application>-ui-svc 4040:4040   # a running job's Spark UI",
        ]);
        expect(manifests(prod, "Ingress")).to.have.length(0);
        const withIngress = await rendered("prod", {
            "karpenter-spark:historyServerIngressClassName": "alb",
            "karpenter-spark:historyServerIngressHost": "spark-history.example.com",
        });
        const [ingress] = manifests(withIngress, "Ingress");
        expect(ingress.spec.ingressClassName).to.equal("alb");
        expect(ingress.spec.rules[0]).to.deep.include({ host: "spark-history.example.com" });
        expect(ingress.spec.rules[0].http.paths[0].backend.service).to.deep.equal({ name: "spark-history-server", port: { name: "http" } });
    });
});
