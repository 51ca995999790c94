import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { al2023ParameterName, EC2_NODE_CLASS_TYPE, ec2NodeClassManifest, KubernetesManifest, NODE_POOL_TYPE, nodePoolManifest } from "../pools/specs";
import { DEFAULT_AMI_VERSION } from "../pools/specs";
import { throwIfProblems } from "../validation";
import { nodeClassInput, ResolvedSpotExecutorPoolArgs } from "./args";
import { nodeClassCrdCheck } from "./crds";

/** A Karpenter object; only apiVersion and kind must be known before the cluster's outputs are. */
function karpenterObject(name: string, manifest: pulumi.Output<KubernetesManifest> | KubernetesManifest, typeOf: { apiVersion: string; kind: string }, opts: pulumi.CustomResourceOptions) {
    const m = pulumi.output(manifest);
    return new k8s.apiextensions.CustomResource(name, { apiVersion: typeOf.apiVersion, kind: typeOf.kind, metadata: m.metadata, spec: m.spec }, opts);
}

/**
 * The image IDs of the pinned AL2023 release for every architecture the pools allow, read from the
 * public SSM parameters at preview; fails naming amiVersion when the release does not exist for the
 * cluster's Kubernetes version. Undefined (with a warning) for "latest" or without kubernetesVersion.
 */
export function resolveAmiRelease(name: string, a: ResolvedSpotExecutorPoolArgs, parent: pulumi.Resource): pulumi.Output<string[]> | undefined {
    if (a.amiVersion === "latest") {
        pulumi.log.warn(
            `SpotExecutorPool "${name}": amiVersion "latest" follows every AL2023 release AWS publishes: all nodes drift and are replaced each time, within the disruption budgets. Pin a release (e.g. "${DEFAULT_AMI_VERSION}") for production.`,
            parent,
        );
        return undefined;
    }
    if (a.kubernetesVersion === undefined) {
        pulumi.log.warn(`SpotExecutorPool "${name}": amiVersion "${a.amiVersion}" is not checked: pass kubernetesVersion (KarpenterCluster's output) to resolve it at preview.`, parent);
        return undefined;
    }
    const architectures = [...new Set([...a.driverPool.architectures, ...a.executorPool.architectures])].sort();
    return pulumi.output(a.kubernetesVersion).apply((kubernetesVersion) =>
        Promise.all(
            architectures.map(async (arch) => {
                const parameter = al2023ParameterName(kubernetesVersion, arch, a.amiVersion);
                try {
                    return (await aws.ssm.getParameter({ name: parameter }, { parent })).value;
                } catch (e) {
                    throw new pulumi.ResourceError(
                        `SpotExecutorPool "${name}": invalid amiVersion: got "${a.amiVersion}"; allowed: an EKS AL2023 release published for Kubernetes ${kubernetesVersion} (${arch}): ` +
                            `the public SSM parameter ${parameter} does not resolve (${String((e as Error)?.message || e).split("\n")[0] || "not found"}); releases: https://github.com/awslabs/amazon-eks-ami/releases`,
                        parent,
                    );
                }
            }),
        ),
    );
}

/** The EC2NodeClass both pools launch from. */
export function createNodeClass(name: string, a: ResolvedSpotExecutorPoolArgs, parent: pulumi.Resource) {
    const amiIds = resolveAmiRelease(name, a, parent);
    const nodeClass = pulumi.all([a.clusterName, a.nodeRoleName, amiIds]).apply(([clusterName, nodeRoleName, ids]) => {
        const input = nodeClassInput(a, clusterName, nodeRoleName, ids);
        // What construction checked with stand-ins for these Outputs, checked again with their
        // values: an empty cluster or role name fails `pulumi preview` here, naming the argument.
        throwIfProblems("SpotExecutorPool", name, nodeClassCrdCheck(input).problems);
        return ec2NodeClassManifest(input);
    });
    // Deleted after both pools, and only once their nodes are gone (foreground): same wait.
    return karpenterObject(`${name}-node-class`, nodeClass, EC2_NODE_CLASS_TYPE, { parent, customTimeouts: { delete: a.deleteTimeout } });
}

/** The driver and executor NodePools, after their node class. */
export function createNodePools(name: string, a: ResolvedSpotExecutorPoolArgs, nodeClass: pulumi.Resource, parent: pulumi.Resource) {
    const [drivers, executors] = [a.driverPool, a.executorPool].map((pool) =>
        karpenterObject(`${name}-${pool.role}s`, nodePoolManifest(pool), NODE_POOL_TYPE, { parent, dependsOn: [nodeClass], customTimeouts: { delete: a.deleteTimeout } }),
    );
    return { drivers, executors };
}
