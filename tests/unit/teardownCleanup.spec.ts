// The teardown cleanup (issue 15, point 8): a Helm pre-delete hook in a local chart that deletes
// every ScheduledSparkApplication and SparkApplication in the job namespaces while the Spark
// Operator still runs. Its objects as data (hook annotations, RBAC, image, timeouts, placement),
// the chart rendered the way `helm template` would, and the Release the stacks register.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { podMayRunOn } from "../../components/catalog/scheduling";
import { SYSTEM_NODE_TAINT, systemNodeSelector, systemTolerations } from "../../components/karpenter/values";
import {
    CLEANUP_CHART_DIR,
    CLEANUP_CHART_VERSION,
    CLEANUP_NAME,
    CLEANUP_RELEASE,
    CLEANUP_WAIT_SECONDS,
    cleanupChartPath,
    cleanupChartValues,
    cleanupHookAnnotations,
    cleanupManifests,
    cleanupRbacRules,
    cleanupTimeouts,
    KUBECTL_IMAGE_TAGS,
    kubectlImage,
} from "../../components/spark/cleanup";
import { SPARK_OPERATOR_NAMESPACE } from "../../components/spark/values";
import { tolerationMatchProblems } from "../../components/validation/kubernetes";
import { renderTemplate } from "../helpers/helmTemplate";
import { one, rendered } from "../helpers/render";

const K = "karpenter-spark";
const input = (jobNamespaces = ["spark-jobs", "etl"]) => ({
    namespace: SPARK_OPERATOR_NAMESPACE,
    jobNamespaces,
    image: kubectlImage("1.35").image,
    nodeSelector: systemNodeSelector(),
    tolerations: systemTolerations(),
});

describe("teardown cleanup: the hook's objects", () => {
    const m = cleanupManifests(input());
    const pod = m.job.spec.template.spec;

    it("is a pre-delete hook whose Job Helm replaces on a retry and removes once it succeeded", () => {
        expect(cleanupHookAnnotations()).to.deep.equal({ "helm.sh/hook": "pre-delete", "helm.sh/hook-delete-policy": "before-hook-creation,hook-succeeded" });
        expect(m.job.metadata.annotations).to.deep.equal(cleanupHookAnnotations());
        // The service account and its bindings are ordinary objects: they exist while the hook runs.
        for (const o of [m.serviceAccount, m.clusterRole, ...m.roleBindings]) {
            expect((o.metadata as { annotations?: unknown }).annotations, o.kind).to.equal(undefined);
        }
    });

    it("may only get, list, watch and delete the operator's two kinds, and only in the job namespaces", () => {
        expect(cleanupRbacRules()).to.deep.equal([
            { apiGroups: ["sparkoperator.k8s.io"], resources: ["scheduledsparkapplications", "sparkapplications"], verbs: ["get", "list", "watch", "delete"] },
        ]);
        expect(m.clusterRole.rules).to.deep.equal(cleanupRbacRules());
        // RoleBindings to the ClusterRole, one per job namespace: no cluster-wide grant.
        expect(m.roleBindings.map((b) => [b.kind, b.metadata.namespace, b.roleRef.kind, b.roleRef.name])).to.deep.equal([
            ["RoleBinding", "spark-jobs", "ClusterRole", CLEANUP_NAME],
            ["RoleBinding", "etl", "ClusterRole", CLEANUP_NAME],
        ]);
        for (const b of m.roleBindings) {
            expect(b.subjects).to.deep.equal([{ kind: "ServiceAccount", name: CLEANUP_NAME, namespace: SPARK_OPERATOR_NAMESPACE }]);
        }
        expect(pod.serviceAccountName).to.equal(m.serviceAccount.metadata.name);
    });

    it("deletes the schedules of every job namespace first, one after another, then the applications, and waits for them", () => {
        const args = (c: { args: string[] }) => c.args.join(" ");
        expect(pod.initContainers.map(args)).to.deep.equal([
            `delete scheduledsparkapplications --all --namespace spark-jobs --cascade=foreground --wait=true --timeout=${CLEANUP_WAIT_SECONDS}s`,
            `delete scheduledsparkapplications --all --namespace etl --cascade=foreground --wait=true --timeout=${CLEANUP_WAIT_SECONDS}s`,
        ]);
        expect(pod.containers.map(args)).to.deep.equal([
            `delete sparkapplications --all --namespace spark-jobs --cascade=foreground --wait=true --timeout=${CLEANUP_WAIT_SECONDS}s`,
            `delete sparkapplications --all --namespace etl --cascade=foreground --wait=true --timeout=${CLEANUP_WAIT_SECONDS}s`,
        ]);
        for (const c of [...pod.initContainers, ...pod.containers]) {
            expect(c.command).to.deep.equal(["/bin/kubectl"]);
            expect(c.args.join(" ")).not.to.match(/--all-namespaces|\s-A\b/);
        }
        expect(pod.restartPolicy).to.equal("Never");
    });

    it("pins registry.k8s.io/kubectl at the cluster's minor, the nearest one outside the table", () => {
        for (const [minor, tag] of Object.entries(KUBECTL_IMAGE_TAGS)) {
            expect(tag.startsWith(`v${minor}.`), minor).to.equal(true);
            expect(kubectlImage(minor)).to.deep.equal({ image: `registry.k8s.io/kubectl:${tag}`, withinSkew: true });
        }
        expect(Object.keys(KUBECTL_IMAGE_TAGS)[0]).to.equal("1.28"); // the first release with the image
        expect(kubectlImage("1.37")).to.deep.equal({ image: "registry.k8s.io/kubectl:v1.36.0", withinSkew: true });
        expect(kubectlImage("1.27")).to.deep.equal({ image: "registry.k8s.io/kubectl:v1.28.0", withinSkew: true });
        expect(kubectlImage("1.26")).to.deep.equal({ image: "registry.k8s.io/kubectl:v1.28.0", withinSkew: false });
        for (const c of [...pod.initContainers, ...pod.containers]) {
            expect(c.image).to.match(/^registry\.k8s\.io\/kubectl:v1\.\d+\.\d+$/);
        }
    });

    it("bounds the Job by a deadline that covers its waits, inside the Release's timeout, and retries a failed pod twice", () => {
        for (const n of [1, 2, 5]) {
            const t = cleanupTimeouts(n);
            // n schedule deletes in turn, then the application deletes in parallel.
            expect(t.activeDeadlineSeconds).to.be.greaterThan((n + 1) * t.waitSeconds);
            expect(t.releaseTimeoutSeconds).to.be.greaterThan(t.activeDeadlineSeconds);
        }
        expect(m.job.spec.activeDeadlineSeconds).to.equal(cleanupTimeouts(2).activeDeadlineSeconds);
        expect(m.job.spec.backoffLimit).to.equal(2);
    });

    it("runs on the system nodes: their node selector, and tolerations that match their taint", () => {
        expect(pod.nodeSelector).to.deep.equal(systemNodeSelector());
        expect(tolerationMatchProblems("tolerations", pod.tolerations, [SYSTEM_NODE_TAINT], "the system nodes")).to.deep.equal([]);
        expect(tolerationMatchProblems("tolerations", [], [SYSTEM_NODE_TAINT], "the system nodes")).to.have.length(1);
    });
});

describe("teardown cleanup: the local chart", () => {
    const templates = path.join(CLEANUP_CHART_DIR, "templates");
    const render = (values: Record<string, unknown>) =>
        fs
            .readdirSync(templates)
            .sort()
            .flatMap((f) => renderTemplate(fs.readFileSync(path.join(templates, f), "utf8"), values, SPARK_OPERATOR_NAMESPACE));
    const key = (o: any) => `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`;

    it("is a Helm 3 application chart named like the release, at the version the Release asks for", () => {
        const chart = YAML.parse(fs.readFileSync(path.join(CLEANUP_CHART_DIR, "Chart.yaml"), "utf8"));
        expect([chart.apiVersion, chart.name, chart.type, chart.version]).to.deep.equal(["v2", CLEANUP_RELEASE, "application", CLEANUP_CHART_VERSION]);
        expect(fs.readdirSync(templates).sort()).to.deep.equal(["clusterrole.yaml", "job.yaml", "rolebindings.yaml", "serviceaccount.yaml"]);
    });

    it("renders, with the values the component passes, exactly the objects cleanupManifests builds", () => {
        for (const namespaces of [["spark-jobs"], ["spark-jobs", "etl", "ml"]]) {
            const m = cleanupManifests(input(namespaces));
            const expected = [m.serviceAccount, m.clusterRole, ...m.roleBindings, m.job];
            const got = render(cleanupChartValues(input(namespaces)));
            expect(got.map(key).sort()).to.deep.equal(expected.map(key).sort());
            for (const o of expected) {
                expect(got.find((g) => key(g) === key(o)), key(o)).to.deep.equal(o);
            }
        }
    });

    it("declares in values.yaml every value the component sets", () => {
        const defaults = YAML.parse(fs.readFileSync(path.join(CLEANUP_CHART_DIR, "values.yaml"), "utf8"));
        expect(Object.keys(defaults).sort()).to.deep.equal(Object.keys(cleanupChartValues(input())).sort());
        expect(Object.keys(defaults.job).sort()).to.deep.equal(["annotations", "spec"]);
    });

    it("the template renderer refuses constructs it does not implement", () => {
        expect(() => renderTemplate('name: {{ include "x" . }}', {}, "ns")).to.throw(/unsupported action/);
        expect(() => renderTemplate("name: {{ .Chart.Name }}", {}, "ns")).to.throw(/unsupported/);
    });

    it("is found by the path the Release gets, relative to the program's folder", () => {
        expect(cleanupChartPath(path.resolve(__dirname, "..", ".."))).to.equal(`.${path.sep}${path.join("components", "spark", "cleanup-chart")}`);
        expect(cleanupChartPath("/elsewhere/project")).to.match(/^\.\.\//);
        expect(fs.existsSync(path.join(path.resolve(cleanupChartPath()), "Chart.yaml"))).to.equal(true);
    });
});

for (const stack of ["dev", "prod"]) {
    describe(`teardown cleanup: the ${stack} stack's Release`, () => {
        it("installs the chart in the operator's namespace with the values and timeout the pure functions give", async () => {
            const r = await rendered(stack);
            const release = one(r, "kubernetes:helm.sh/v3:Release", "spark-cleanup");
            const inputs = release.inputs as any;
            const jobNamespaces = (one(r, "kubernetes:helm.sh/v3:Release", "spark-operator").inputs.values as any).spark.jobNamespaces as string[];
            expect([inputs.name, inputs.namespace, inputs.version, inputs.chart]).to.deep.equal([CLEANUP_RELEASE, SPARK_OPERATOR_NAMESPACE, CLEANUP_CHART_VERSION, cleanupChartPath()]);
            expect(inputs.values.jobNamespaces).to.deep.equal(jobNamespaces);
            expect(inputs.timeout).to.equal(cleanupTimeouts(jobNamespaces.length).releaseTimeoutSeconds);
            expect(inputs.values.job.spec.activeDeadlineSeconds).to.be.lessThan(inputs.timeout);
            // The system node group's own taint, as the stack registers it.
            const taints = (one(r, "eks:index:ManagedNodeGroup").inputs.taints as { key: string; value: string; effect: string }[]).map((t) => ({
                key: t.key,
                value: t.value,
                effect: t.effect === "NO_SCHEDULE" ? "NoSchedule" : t.effect,
            }));
            expect(podMayRunOn({ tolerations: inputs.values.job.spec.template.spec.tolerations }, {}, taints)).to.equal(true);
            const kubernetesVersion = r.registrations.find((x) => x.type === "eks:index:Cluster")!.inputs.version as string;
            expect(inputs.values.job.spec.template.spec.containers[0].image).to.equal(kubectlImage(kubernetesVersion).image);
        });

        it("does not grow with maxJobDuration: deleting an application stops its job, it does not wait for it", async () => {
            const base = one(await rendered(stack), "kubernetes:helm.sh/v3:Release", "spark-cleanup");
            const long = one(await rendered(stack, { [`${K}:maxJobDuration`]: "72h" }), "kubernetes:helm.sh/v3:Release", "spark-cleanup");
            expect(long.inputs).to.deep.equal(base.inputs);
        });
    });
}
