import * as k8s from "@pulumi/kubernetes";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { Toleration } from "../karpenter/values";
import { ResolvedSparkOperatorArgs } from "./args";
import { SPARK_OPERATOR_NAMESPACE } from "./values";

// The teardown cleanup: a Helm pre-delete hook that deletes every ScheduledSparkApplication and
// SparkApplication in the job namespaces, users' kubectl-created ones included, while the Spark
// Operator still runs. Helm runs pre-delete hooks "on a deletion request before any resources are
// deleted" and waits for a hook Job to finish (https://helm.sh/docs/topics/charts_hooks/); the
// Kubernetes provider's Release.Delete is a Helm uninstall with hooks on and the Release's
// `timeout` (pulumi/pulumi-kubernetes provider/pkg/provider/helm_release.go, Delete). Pulumi
// deletes this Release before the operator's, which it depends on, so the hook runs while the
// operator is up. Every object is built here, by small pure functions; the chart's templates only
// place them (tests/unit/teardownCleanup.spec.ts renders the chart and compares).

/** The Helm release and the name of every object in it (one per cluster, like the operator). */
export const CLEANUP_RELEASE = "spark-cleanup";
export const CLEANUP_NAME = "spark-cleanup";
/** The local chart, shipped with the package (copied next to the compiled file by `npm run build`). */
export const CLEANUP_CHART_DIR = path.join(__dirname, "cleanup-chart");
/** The chart's version (its Chart.yaml's; a test keeps them equal). */
export const CLEANUP_CHART_VERSION = "0.1.0";

/**
 * registry.k8s.io/kubectl per Kubernetes minor: the x.y.0 release, listed under "Container Images"
 * in kubernetes/kubernetes CHANGELOG/CHANGELOG-1.y.md. The image exists from 1.28 on
 * (kubernetes/kubernetes#116672, kubernetes/sig-release#2260); registry.k8s.io has no Docker Hub pull limits.
 */
export const KUBECTL_IMAGE_TAGS: Record<string, string> = {
    "1.28": "v1.28.0",
    "1.29": "v1.29.0",
    "1.30": "v1.30.0",
    "1.31": "v1.31.0",
    "1.32": "v1.32.0",
    "1.33": "v1.33.0",
    "1.34": "v1.34.0",
    "1.35": "v1.35.0",
    "1.36": "v1.36.0",
};
export const KUBECTL_REPOSITORY = "registry.k8s.io/kubectl";

/**
 * The kubectl image for a cluster's Kubernetes minor: the same minor when the table has it,
 * otherwise the nearest one. `withinSkew` is false when that is more than one minor away, outside
 * kubectl's supported skew (https://kubernetes.io/releases/version-skew-policy/#kubectl).
 */
export function kubectlImage(kubernetesVersion: string): { image: string; withinSkew: boolean } {
    const minors = Object.keys(KUBECTL_IMAGE_TAGS).map((k) => Number(k.split(".")[1]));
    const wanted = Number(/^1\.(\d+)/.exec(kubernetesVersion)?.[1] ?? NaN);
    const nearest = Number.isNaN(wanted) ? Math.max(...minors) : minors.reduce((a, b) => (Math.abs(b - wanted) < Math.abs(a - wanted) ? b : a));
    return { image: `${KUBECTL_REPOSITORY}:${KUBECTL_IMAGE_TAGS[`1.${nearest}`]}`, withinSkew: Math.abs(nearest - wanted) <= 1 };
}

/**
 * How long each kubectl call waits for its objects to be gone. The operator (2.5.2) puts no
 * finalizer on them: deleting one only deletes its driver pod, UI Service and Ingress
 * (kubeflow/spark-operator v2.5.2 internal/controller/sparkapplication/controller.go,
 * handleSparkApplicationDeletion). The driver pod carries an ownerReference with
 * blockOwnerDeletion (pkg/util/sparkapplication.go, GetOwnerReference), so the foreground delete
 * ends when the driver pod has terminated: its grace period (30 s unless the job sets one), not
 * the job's length; for a ScheduledSparkApplication, when the runs it owns are gone.
 */
export const CLEANUP_WAIT_SECONDS = 300;
/** Scheduling the hook pod on a system node and pulling the image (one attempt). */
const CLEANUP_START_SECONDS = 120;
/** What Helm may need beyond the Job's deadline to see it fail and report. */
const RELEASE_MARGIN_SECONDS = 60;
/** Retries of the Job after a failed pod (a transient API error); the deadline bounds them all. */
export const CLEANUP_BACKOFF_LIMIT = 2;

/**
 * The Job's deadline and the Release's timeout for `n` job namespaces: the init containers run one
 * ScheduledSparkApplication delete per namespace in turn, then the SparkApplication deletes run in
 * parallel; the Release waits longer than the Job may run, so Helm reports the Job's own failure
 * (DeadlineExceeded or BackoffLimitExceeded) rather than its timeout.
 */
export function cleanupTimeouts(namespaceCount: number, waitSeconds = CLEANUP_WAIT_SECONDS) {
    const activeDeadlineSeconds = (namespaceCount + 1) * waitSeconds + CLEANUP_START_SECONDS;
    return { waitSeconds, activeDeadlineSeconds, releaseTimeoutSeconds: activeDeadlineSeconds + RELEASE_MARGIN_SECONDS };
}

/** The hook annotations: run before the release's objects are deleted; keep a failed Job for its logs. */
export function cleanupHookAnnotations(): Record<string, string> {
    return {
        "helm.sh/hook": "pre-delete",
        // A new run replaces the Job of a failed one; a successful Job is removed at once.
        "helm.sh/hook-delete-policy": "before-hook-creation,hook-succeeded",
    };
}

/** The only rights the hook has: find, watch and delete the operator's two kinds, in the job namespaces (bound there by RoleBindings). */
export function cleanupRbacRules() {
    return [
        {
            apiGroups: ["sparkoperator.k8s.io"],
            resources: ["scheduledsparkapplications", "sparkapplications"],
            verbs: ["get", "list", "watch", "delete"],
        },
    ];
}

/** kubectl's arguments: delete every object of `resource` in `namespace` and wait until they are gone. */
export function kubectlDeleteArgs(resource: "scheduledsparkapplications" | "sparkapplications", namespace: string, waitSeconds: number): string[] {
    // Foreground: a ScheduledSparkApplication is gone only after the runs it owns.
    return ["delete", resource, "--all", "--namespace", namespace, "--cascade=foreground", "--wait=true", `--timeout=${waitSeconds}s`];
}

export interface CleanupInput {
    /** Namespace of the release, the Job and its service account (the operator's). */
    namespace: string;
    jobNamespaces: string[];
    image: string;
    nodeSelector: Record<string, string>;
    tolerations: Toleration[];
}

/** The hook Job's pod template: schedules first (in turn, so no new run starts), then applications. */
function cleanupPodSpec(i: CleanupInput, waitSeconds: number) {
    const container = (name: string, args: string[]) => ({
        name,
        image: i.image,
        // The image's entrypoint is /bin/kubectl (kubernetes/kubernetes build/server-image/kubectl/Dockerfile).
        command: ["/bin/kubectl"],
        args,
        resources: { requests: { cpu: "10m", memory: "64Mi" }, limits: { memory: "128Mi" } },
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
    });
    return {
        serviceAccountName: CLEANUP_NAME,
        restartPolicy: "Never",
        nodeSelector: i.nodeSelector,
        tolerations: i.tolerations,
        initContainers: i.jobNamespaces.map((ns, n) => container(`schedules-${n}`, kubectlDeleteArgs("scheduledsparkapplications", ns, waitSeconds))),
        containers: i.jobNamespaces.map((ns, n) => container(`applications-${n}`, kubectlDeleteArgs("sparkapplications", ns, waitSeconds))),
    };
}

/** Every object of the chart as Kubernetes receives it (what `helm template` would print). */
export function cleanupManifests(i: CleanupInput) {
    const t = cleanupTimeouts(i.jobNamespaces.length);
    const labels = { "app.kubernetes.io/name": CLEANUP_NAME, "app.kubernetes.io/part-of": "karpenter-spark" };
    return {
        serviceAccount: { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: CLEANUP_NAME, namespace: i.namespace, labels } },
        clusterRole: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: CLEANUP_NAME, labels }, rules: cleanupRbacRules() },
        roleBindings: i.jobNamespaces.map((ns) => ({
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "RoleBinding",
            metadata: { name: CLEANUP_NAME, namespace: ns, labels },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: CLEANUP_NAME },
            subjects: [{ kind: "ServiceAccount", name: CLEANUP_NAME, namespace: i.namespace }],
        })),
        job: {
            apiVersion: "batch/v1",
            kind: "Job",
            metadata: { name: CLEANUP_NAME, namespace: i.namespace, labels, annotations: cleanupHookAnnotations() },
            spec: {
                backoffLimit: CLEANUP_BACKOFF_LIMIT,
                activeDeadlineSeconds: t.activeDeadlineSeconds,
                template: { metadata: { labels }, spec: cleanupPodSpec(i, t.waitSeconds) },
            },
        },
    };
}

/** The chart's values: the parts of the manifests its templates do not spell out. */
export function cleanupChartValues(i: CleanupInput) {
    const m = cleanupManifests(i);
    return {
        labels: m.serviceAccount.metadata.labels,
        jobNamespaces: i.jobNamespaces,
        rules: m.clusterRole.rules,
        job: { annotations: m.job.metadata.annotations, spec: m.job.spec },
    };
}

/**
 * The chart path as the Release gets it: relative to the program's folder (as Pulumi's "Local
 * Chart Directory" example writes it, https://www.pulumi.com/registry/packages/kubernetes/api-docs/helm/v3/release/),
 * so that the state does not change with the folder a deployment runs in.
 */
export function cleanupChartPath(cwd: string = process.cwd()): string {
    const relative = path.relative(cwd, CLEANUP_CHART_DIR);
    return path.isAbsolute(relative) || relative.startsWith("..") ? relative : `.${path.sep}${relative}`;
}

/**
 * The cleanup release, after the operator (so deleted before it, while it runs) and after the
 * namespaces it binds RBAC in and runs in (so deleted before them).
 */
export function createCleanupRelease(
    name: string,
    a: ResolvedSparkOperatorArgs,
    after: { operator: k8s.helm.v3.Release; operatorNamespace: k8s.core.v1.Namespace; jobNamespaces: k8s.core.v1.Namespace[] },
    parent: pulumi.Resource,
): k8s.helm.v3.Release {
    const t = cleanupTimeouts(a.jobNamespaces.length);
    const values = pulumi.all([a.systemNodeSelector, a.systemTolerations, a.kubernetesVersion]).apply(([nodeSelector, tolerations, kubernetesVersion]) => {
        const kubectl = kubectlImage(kubernetesVersion);
        if (!kubectl.withinSkew) {
            pulumi.log.warn(`SparkOperator "${name}": no ${KUBECTL_REPOSITORY} image within one minor of Kubernetes ${kubernetesVersion}; the teardown cleanup uses ${kubectl.image}.`, parent);
        }
        return cleanupChartValues({ namespace: SPARK_OPERATOR_NAMESPACE, jobNamespaces: a.jobNamespaces, image: kubectl.image, nodeSelector, tolerations });
    });
    return new k8s.helm.v3.Release(
        `${name}-cleanup`,
        {
            // Name and namespace are constants: a change would replace the release, and its
            // uninstall would delete every SparkApplication in the job namespaces during an update.
            name: CLEANUP_RELEASE,
            chart: cleanupChartPath(),
            version: CLEANUP_CHART_VERSION,
            namespace: after.operatorNamespace.metadata.name,
            values,
            timeout: t.releaseTimeoutSeconds,
        },
        { parent, dependsOn: [after.operator, after.operatorNamespace, ...after.jobNamespaces] },
    );
}
