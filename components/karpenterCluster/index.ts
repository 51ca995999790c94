import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { systemNodeSelector, systemTolerations, Toleration } from "../karpenter/values";
import { KarpenterClusterArgs, resolveKarpenterClusterArgs } from "./args";
import { createAccessEntries, createControlPlane } from "./cluster";
import { createInterruptionHandling, createKarpenterCharts, createKarpenterController, createKarpenterNodeRole } from "./controller";
import { createNetwork } from "./network";
import { createS3GatewayEndpoint } from "./s3Endpoint";
import { awsScope } from "./scope";
import { clusterAddonArgs, createAddons, createSystemNodeGroup, resolveAddonVersions } from "./systemNodes";

export { AdminPrincipal, KarpenterClusterArgs, ResolvedKarpenterClusterArgs, resolveKarpenterClusterArgs } from "./args";
export { EKS_CONTROL_PLANE_LOG_TYPES } from "./cluster";
export { DISCOVERY_TAG_KEY } from "./network";

const kubernetesProviders = new WeakMap<KarpenterCluster, k8s.Provider>();

/**
 * An EKS cluster ready for Karpenter: VPC, control plane, a small tainted On-Demand system node
 * group, Karpenter's IAM through EKS Pod Identity, the Spot interruption queue and its
 * EventBridge rules, and the karpenter-crd and karpenter Helm releases.
 */
export class KarpenterCluster extends pulumi.ComponentResource {
    /** The EKS cluster's name. */
    public readonly clusterName: pulumi.Output<string>;
    /** The Kubernetes API server endpoint. */
    public readonly endpoint: pulumi.Output<string>;
    /** The control plane's Kubernetes version. */
    public readonly kubernetesVersion: pulumi.Output<string>;
    /** Kubeconfig for the cluster (uses `aws eks get-token`), as JSON. Secret. Other languages build their Kubernetes provider from it. */
    public readonly kubeconfig: pulumi.Output<string>;
    /** The cluster's OIDC issuer URL. */
    public readonly oidcIssuer: pulumi.Output<string>;
    /** The VPC the cluster runs in. */
    public readonly vpcId: pulumi.Output<string>;
    /** The private subnets of the nodes (tagged for Karpenter discovery). */
    public readonly privateSubnetIds: pulumi.Output<string[]>;
    /** Name of the IAM role Karpenter's nodes run as; EC2NodeClasses reference it. */
    public readonly nodeRoleName: pulumi.Output<string>;
    /** Name of the SQS queue that receives Spot interruption and rebalance events. */
    public readonly interruptionQueueName: pulumi.Output<string>;
    /** Value of the karpenter.sh/discovery tag on the node subnets and security group. */
    public readonly discoveryTagValue: pulumi.Output<string>;
    /** The Karpenter chart version the deployed Helm release reports (its status), not the configured one. */
    public readonly karpenterVersion: pulumi.Output<string>;
    /** The Karpenter controller's Helm release; NodePools must be applied after it is ready. */
    public readonly karpenterRelease: k8s.helm.v3.Release;
    /** Node selector that places a pod on the system node group. */
    public readonly systemNodeSelector: Record<string, string>;
    /** Tolerations that admit a pod to the system node group. */
    public readonly systemTolerations: Toleration[];

    /**
     * A Kubernetes provider for this cluster, for TypeScript programs: pass it to the components
     * that deploy into it. An accessor rather than a property, because Pulumi's schema cannot
     * publish a provider as a component output (other languages build one from `kubeconfig`).
     */
    get kubernetesProvider(): k8s.Provider {
        return kubernetesProviders.get(this) as k8s.Provider;
    }

    constructor(name: string, args: KarpenterClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        const a = resolveKarpenterClusterArgs(name, args);
        super("karpenter-spark:index:KarpenterCluster", name, {}, opts);
        const parent = this;

        const scope = awsScope(parent);
        const network = createNetwork(name, a, parent);
        createS3GatewayEndpoint(name, a, network, scope, parent);
        const addonVersions = resolveAddonVersions(a, parent);
        const { cluster, discoveryTag } = createControlPlane(name, a, network, scope, clusterAddonArgs(addonVersions), parent);
        createAccessEntries(name, a, cluster, scope, parent);
        const provider = new k8s.Provider(`${name}-k8s`, { kubeconfig: cluster.kubeconfigJson, enableServerSideApply: true }, { parent });
        const systemNodes = createSystemNodeGroup(name, a, cluster, network, scope, parent);
        const { podIdentityAgent } = createAddons(name, a, cluster, systemNodes, addonVersions, parent);
        const queue = createInterruptionHandling(name, a, parent);
        const nodeRole = createKarpenterNodeRole(name, a, cluster, scope, parent);
        const controller = createKarpenterController(name, a, cluster, scope, nodeRole.role, queue.queue, podIdentityAgent, parent);
        const { karpenterRelease } = createKarpenterCharts(
            name,
            a,
            {
                provider,
                cluster,
                scope,
                queue: queue.queue,
                podIdentityAssociation: controller.podIdentityAssociation,
                crdPrerequisites: [systemNodes.nodeGroup],
                prerequisites: [
                    systemNodes.nodeGroup,
                    podIdentityAgent,
                    controller.podIdentityAssociation,
                    ...controller.policyAttachments,
                    nodeRole.accessEntry,
                    ...nodeRole.policyAttachments,
                    queue.queuePolicy,
                    ...queue.targets,
                ],
            },
            parent,
        );

        // Outputs that name cloud objects come from those objects, so a consumer waits for them:
        // an Output carries the resources it came from (https://www.pulumi.com/docs/iac/concepts/inputs-outputs/).
        this.clusterName = cluster.eksCluster.name;
        this.endpoint = cluster.eksCluster.endpoint;
        this.kubernetesVersion = cluster.eksCluster.version;
        this.kubeconfig = pulumi.secret(cluster.kubeconfigJson);
        kubernetesProviders.set(this, provider);
        this.oidcIssuer = cluster.oidcIssuer;
        this.vpcId = network.vpcId;
        this.privateSubnetIds = network.privateSubnetIds;
        this.nodeRoleName = nodeRole.role.name;
        this.interruptionQueueName = queue.queue.name;
        this.discoveryTagValue = discoveryTag.value;
        // What Helm reports as deployed, not what was asked for: after a failed upgrade the
        // upgrade-path check must compare against the version that is actually running.
        // https://www.pulumi.com/registry/packages/kubernetes/api-docs/helm/v3/release/#releasestatus
        this.karpenterVersion = karpenterRelease.status.version;
        this.karpenterRelease = karpenterRelease;
        this.systemNodeSelector = systemNodeSelector();
        this.systemTolerations = systemTolerations();
        this.registerOutputs({
            clusterName: this.clusterName,
            endpoint: this.endpoint,
            kubernetesVersion: this.kubernetesVersion,
            kubeconfig: this.kubeconfig,
            oidcIssuer: this.oidcIssuer,
            vpcId: this.vpcId,
            privateSubnetIds: this.privateSubnetIds,
            nodeRoleName: this.nodeRoleName,
            interruptionQueueName: this.interruptionQueueName,
            discoveryTagValue: this.discoveryTagValue,
            karpenterVersion: this.karpenterVersion,
            karpenterRelease: this.karpenterRelease,
            systemNodeSelector: this.systemNodeSelector,
            systemTolerations: this.systemTolerations,
        });
    }
}
