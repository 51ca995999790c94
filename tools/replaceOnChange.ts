// Which input changes replace a resource instead of updating it, per resource type, with the
// source of each entry. The providers decide this at preview time (Terraform's ForceNew for the
// bridged AWS provider, the Kubernetes provider's forceNew table); their schemas are not shipped in
// node_modules, so each entry cites the provider's source or docs, and
// tests/unit/replaceOnChange.spec.ts checks every path against the argument types the installed
// SDKs declare (generated from those schemas). The plan (tools/plan.ts) reads nothing else.

/** An input whose change replaces the resource. */
export interface ReplaceInput {
    /** Dotted input path; `[]` stands for every element of a list (`spec.containers[].image`). */
    path: string;
    /** Adding a value where there was none is an in-place update; changing or removing it replaces. */
    unlessAdded?: true;
}

export interface ReplaceRule {
    inputs: ReplaceInput[];
    /**
     * Input holding the resource's physical name when the program sets it. A replacement that keeps
     * that name must delete the old resource first: two live resources cannot share it.
     */
    nameInput?: string;
    /** Where the entry comes from (provider source or docs). */
    source: string;
}

const tf = (resource: string) => `https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/${resource} (Terraform AWS provider, which pulumi-aws bridges: arguments marked "Forces new resource")`;
const K8S_FORCE_NEW = "https://github.com/pulumi/pulumi-kubernetes/blob/master/provider/pkg/provider/diff.go (forceNew table; metadata.name and metadata.namespace for every kind)";
const paths = (...p: string[]): ReplaceInput[] => p.map((path) => ({ path }));

/** The Kubernetes provider's rule for any kind without an entry of its own (CRDs included). */
export const KUBERNETES_DEFAULT: ReplaceRule = { inputs: paths("metadata.name", "metadata.namespace"), nameInput: "metadata.name", source: K8S_FORCE_NEW };

export const REPLACE_ON_CHANGE: Record<string, ReplaceRule> = {
    "aws:iam/role:Role": { inputs: paths("name", "namePrefix", "path"), nameInput: "name", source: tf("iam_role") },
    "aws:iam/policy:Policy": { inputs: paths("name", "namePrefix", "path", "description"), nameInput: "name", source: tf("iam_policy") },
    "aws:iam/rolePolicy:RolePolicy": { inputs: paths("name", "namePrefix", "role"), nameInput: "name", source: tf("iam_role_policy") },
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": { inputs: paths("role", "policyArn"), source: tf("iam_role_policy_attachment") },
    "aws:sqs/queue:Queue": { inputs: paths("name", "namePrefix", "fifoQueue"), nameInput: "name", source: tf("sqs_queue") },
    "aws:sqs/queuePolicy:QueuePolicy": { inputs: paths("queueUrl"), source: tf("sqs_queue_policy") },
    "aws:cloudwatch/eventRule:EventRule": { inputs: paths("name", "namePrefix", "eventBusName"), nameInput: "name", source: tf("cloudwatch_event_rule") },
    "aws:cloudwatch/eventTarget:EventTarget": { inputs: paths("rule", "targetId", "eventBusName"), source: tf("cloudwatch_event_target") },
    "aws:ec2/tag:Tag": { inputs: paths("resourceId", "key"), source: tf("ec2_tag") },
    "aws:ec2/vpcEndpoint:VpcEndpoint": { inputs: paths("vpcId", "serviceName", "vpcEndpointType"), source: tf("vpc_endpoint") },
    "aws:s3/bucketObjectv2:BucketObjectv2": { inputs: paths("bucket", "key"), source: tf("s3_object") },
    "aws:eks/accessEntry:AccessEntry": { inputs: paths("clusterName", "principalArn", "type"), source: tf("eks_access_entry") },
    "aws:eks/addon:Addon": { inputs: paths("addonName", "clusterName"), source: tf("eks_addon") },
    "aws:eks/podIdentityAssociation:PodIdentityAssociation": { inputs: paths("clusterName", "namespace", "serviceAccount"), source: tf("eks_pod_identity_association") },
    "aws:kms/key:Key": { inputs: paths("customerMasterKeySpec", "keyUsage", "customKeyStoreId", "multiRegion", "xksKeyId"), source: tf("kms_key") },
    "aws:s3/bucket:Bucket": { inputs: paths("bucket", "bucketPrefix", "objectLockEnabled"), nameInput: "bucket", source: tf("s3_bucket") },
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": { inputs: paths("bucket"), source: tf("s3_bucket_ownership_controls") },
    "aws:s3/bucketPolicy:BucketPolicy": { inputs: paths("bucket"), source: tf("s3_bucket_policy") },
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": { inputs: paths("bucket"), source: tf("s3_bucket_public_access_block") },
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": { inputs: paths("bucket", "expectedBucketOwner"), source: tf("s3_bucket_server_side_encryption_configuration") },
    "aws:s3/bucketVersioning:BucketVersioning": { inputs: paths("bucket", "expectedBucketOwner"), source: tf("s3_bucket_versioning") },
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": { inputs: paths("bucket", "expectedBucketOwner"), source: tf("s3_bucket_lifecycle_configuration") },
    "kubernetes:apps/v1:Deployment": { inputs: paths("metadata.name", "metadata.namespace", "spec.selector"), nameInput: "metadata.name", source: K8S_FORCE_NEW },
    "kubernetes:core/v1:Service": { inputs: paths("metadata.name", "metadata.namespace", "spec.clusterIP"), nameInput: "metadata.name", source: K8S_FORCE_NEW },
    "kubernetes:core/v1:Namespace": KUBERNETES_DEFAULT,
    "kubernetes:core/v1:ServiceAccount": KUBERNETES_DEFAULT,
    "kubernetes:karpenter.sh/v1:NodePool": KUBERNETES_DEFAULT,
    "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass": KUBERNETES_DEFAULT,
    "kubernetes:sparkoperator.k8s.io/v1beta2:SparkApplication": KUBERNETES_DEFAULT,
    "kubernetes:sparkoperator.k8s.io/v1beta2:ScheduledSparkApplication": KUBERNETES_DEFAULT,
    "kubernetes:monitoring.coreos.com/v1:PodMonitor": KUBERNETES_DEFAULT,
    "kubernetes:networking.k8s.io/v1:Ingress": KUBERNETES_DEFAULT,
    "kubernetes:rbac.authorization.k8s.io/v1:Role": KUBERNETES_DEFAULT,
    // A RoleBinding's roleRef cannot change (https://kubernetes.io/docs/reference/access-authn-authz/rbac/#clusterrolebinding-example).
    "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": { inputs: paths("metadata.name", "metadata.namespace", "roleRef"), nameInput: "metadata.name", source: K8S_FORCE_NEW },
    "kubernetes:helm.sh/v3:Release": {
        inputs: paths("name", "namespace"),
        nameInput: "name",
        source: "https://github.com/pulumi/pulumi-kubernetes/blob/master/provider/pkg/provider/helm_release.go (Diff: forceNewFields .name and .namespace)",
    },
    "pulumi:providers:kubernetes": {
        // A provider pointing at another cluster (or at one not created yet) is replaced, and with
        // it every object it manages.
        inputs: paths("kubeconfig", "context", "cluster", "clusterIdentifier"),
        source: "https://github.com/pulumi/pulumi-kubernetes/tree/master/provider/pkg/provider/testdata/diffconfig (change-cluster-identifier, computed-kubeconfig: wantReplaces)",
    },
};

/** A child a remote component creates (the render sees only the component). */
export interface RemoteChild {
    type: string;
    /** How many, or under which condition. */
    count: string;
}

/** An input of a remote component whose change replaces some of its children. */
export interface RemoteReplaceInput extends ReplaceInput {
    /** The child type it replaces. */
    replaces: string;
    /** Outputs of the component that change value with it (dependents see them as unknown). */
    outputs: string[];
}

export interface RemoteComponent {
    /** The child whose replacement means the component itself is replaced (the VPC, the control plane). */
    primary: string;
    children: RemoteChild[];
    replaceInputs: RemoteReplaceInput[];
    nameInput?: string;
    source: string;
}

const EKS_SOURCE = "https://github.com/pulumi/pulumi-eks/blob/master/nodejs/eks/cluster.ts (children); replace-forcing arguments of the children: " + tf("eks_cluster") + ", " + tf("eks_node_group");
const EKS_CLUSTER_OUTPUTS = ["eksCluster", "kubeconfig", "kubeconfigJson", "oidcIssuer", "oidcProviderArn", "oidcProviderUrl", "core", "clusterSecurityGroupId"];

/** Remote (multi-language) components: their children are created by the component's provider. */
export const REMOTE_COMPONENTS: Record<string, RemoteComponent> = {
    "awsx:ec2:Vpc": {
        primary: "aws:ec2/vpc:Vpc",
        children: [
            { type: "aws:ec2/vpc:Vpc", count: "1" },
            { type: "aws:ec2/subnet:Subnet", count: "one per subnet spec per availability zone" },
            { type: "aws:ec2/routeTable:RouteTable", count: "one per subnet" },
            { type: "aws:ec2/routeTableAssociation:RouteTableAssociation", count: "one per subnet" },
            { type: "aws:ec2/route:Route", count: "one per public and private subnet (internet gateway or NAT)" },
            { type: "aws:ec2/internetGateway:InternetGateway", count: "1 with public subnets" },
            { type: "aws:ec2/natGateway:NatGateway", count: "per natGateways.strategy: 0, 1 (Single) or one per AZ (OnePerAz)" },
            { type: "aws:ec2/eip:Eip", count: "one per NAT gateway" },
        ],
        replaceInputs: [
            // aws_vpc cidr_block: Forces new resource; every subnet, route table and gateway goes with it.
            { path: "cidrBlock", replaces: "aws:ec2/vpc:Vpc", outputs: ["vpcId", "privateSubnetIds", "publicSubnetIds", "isolatedSubnetIds"] },
            { path: "instanceTenancy", replaces: "aws:ec2/vpc:Vpc", outputs: ["vpcId", "privateSubnetIds", "publicSubnetIds", "isolatedSubnetIds"] },
            // aws_subnet cidr_block and availability_zone: Forces new resource. The Auto strategy lays
            // out subnet CIDRs from the zone count and the specs, so changing either moves them.
            { path: "numberOfAvailabilityZones", replaces: "aws:ec2/subnet:Subnet", outputs: ["privateSubnetIds", "publicSubnetIds", "isolatedSubnetIds"] },
            { path: "availabilityZoneNames", replaces: "aws:ec2/subnet:Subnet", outputs: ["privateSubnetIds", "publicSubnetIds", "isolatedSubnetIds"] },
            ...["subnetSpecs[].type", "subnetSpecs[].cidrMask", "subnetSpecs[].cidrBlocks", "subnetSpecs[].size"].map((path) => ({
                path,
                replaces: "aws:ec2/subnet:Subnet",
                outputs: ["privateSubnetIds", "publicSubnetIds", "isolatedSubnetIds"],
            })),
            { path: "subnetStrategy", replaces: "aws:ec2/subnet:Subnet", outputs: ["privateSubnetIds", "publicSubnetIds", "isolatedSubnetIds"] },
            { path: "availabilityZoneCidrMask", replaces: "aws:ec2/subnet:Subnet", outputs: ["privateSubnetIds", "publicSubnetIds", "isolatedSubnetIds"] },
            // aws_nat_gateway subnet_id: Forces new resource; the strategy adds or removes gateways.
            { path: "natGateways", replaces: "aws:ec2/natGateway:NatGateway", outputs: [] },
        ],
        source: `https://github.com/pulumi/pulumi-awsx/blob/master/awsx/ec2/vpc.ts (children, subnet layout); ${tf("vpc")}, ${tf("subnet")}, ${tf("nat_gateway")}`,
    },
    "eks:index:Cluster": {
        primary: "aws:eks/cluster:Cluster",
        children: [
            { type: "aws:eks/cluster:Cluster", count: "1 (the control plane)" },
            { type: "aws:iam/role:Role", count: "1 unless serviceRole is given (eks:index:ServiceRole)" },
            { type: "aws:ec2/securityGroup:SecurityGroup", count: "cluster and node security groups unless skipDefaultSecurityGroups" },
            { type: "aws:iam/openIdConnectProvider:OpenIdConnectProvider", count: "1 when createOidcProvider" },
            { type: "aws:eks/accessEntry:AccessEntry", count: "one per accessEntries entry" },
            { type: "aws:eks/addon:Addon", count: "vpc-cni, coredns, kube-proxy (unless disabled)" },
            { type: "pulumi:providers:kubernetes", count: "1 (the component's own provider)" },
            { type: "eks:index:NodeGroupV2", count: "the default node group unless skipDefaultNodeGroup" },
        ],
        replaceInputs: [
            { path: "name", replaces: "aws:eks/cluster:Cluster", outputs: EKS_CLUSTER_OUTPUTS },
            { path: "serviceRole", replaces: "aws:eks/cluster:Cluster", outputs: EKS_CLUSTER_OUTPUTS },
            // The subnets may change in place (Terraform AWS 5.25.0, EKS UpdateClusterConfig), but
            // they must stay in the cluster's VPC: another VPC means another cluster.
            // https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html
            { path: "vpcId", replaces: "aws:eks/cluster:Cluster", outputs: EKS_CLUSTER_OUTPUTS },
            { path: "kubernetesServiceIpAddressRange", replaces: "aws:eks/cluster:Cluster", outputs: EKS_CLUSTER_OUTPUTS },
            { path: "ipFamily", replaces: "aws:eks/cluster:Cluster", outputs: EKS_CLUSTER_OUTPUTS },
            { path: "bootstrapSelfManagedAddons", replaces: "aws:eks/cluster:Cluster", outputs: EKS_CLUSTER_OUTPUTS },
            // Secrets encryption can be turned on for a running cluster, never changed or turned off.
            // https://docs.aws.amazon.com/eks/latest/userguide/enable-kms.html
            { path: "encryptionConfigKeyArn", unlessAdded: true, replaces: "aws:eks/cluster:Cluster", outputs: EKS_CLUSTER_OUTPUTS },
        ],
        nameInput: "name",
        source: EKS_SOURCE,
    },
    "eks:index:ManagedNodeGroup": {
        primary: "aws:eks/nodeGroup:NodeGroup",
        children: [
            { type: "aws:eks/nodeGroup:NodeGroup", count: "1" },
            { type: "aws:ec2/launchTemplate:LaunchTemplate", count: "1 when amiId, userData or kubelet arguments are set" },
        ],
        replaceInputs: ["cluster", "clusterName", "nodeGroupName", "nodeGroupNamePrefix", "nodeRole", "nodeRoleArn", "subnetIds", "instanceTypes", "capacityType", "amiType", "diskSize", "remoteAccess"].map((path) => ({
            path,
            replaces: "aws:eks/nodeGroup:NodeGroup",
            outputs: ["nodeGroup"],
        })),
        nameInput: "nodeGroupName",
        source: `https://github.com/pulumi/pulumi-eks/blob/master/nodejs/eks/nodegroup.ts (createManagedNodeGroup); ${tf("eks_node_group")}`,
    },
    "kubernetes:helm.sh/v4:Chart": {
        primary: "kubernetes:helm.sh/v4:Chart",
        children: [{ type: "kubernetes:*", count: "one per object the chart renders (helm template), each replaced on metadata.name or metadata.namespace changes" }],
        replaceInputs: [{ path: "namespace", replaces: "kubernetes:*", outputs: ["resources"] }],
        source: "https://www.pulumi.com/registry/packages/kubernetes/api-docs/helm/v4/chart/ (renders the chart client-side and registers every object as a child); " + K8S_FORCE_NEW,
    },
};

/** The values at a dotted path (`[]` fans out over list elements); undefined when absent. */
export function valuesAt(obj: unknown, path: string): unknown {
    const step = (value: unknown, parts: string[]): unknown => {
        if (parts.length === 0) {
            return value;
        }
        const [head, ...rest] = parts;
        if (head.endsWith("[]")) {
            const list = (value as Record<string, unknown> | undefined)?.[head.slice(0, -2)];
            return Array.isArray(list) ? list.map((item) => step(item, rest)) : undefined;
        }
        if (value === null || typeof value !== "object") {
            return undefined;
        }
        return step((value as Record<string, unknown>)[head], rest);
    };
    return step(obj, path.split("."));
}

/** The replace-forcing inputs of a type: its own entry, the Kubernetes default, or a remote component's. */
export function replaceInputsOf(type: string): ReplaceInput[] {
    const rule: ReplaceRule | undefined = REPLACE_ON_CHANGE[type];
    if (rule) {
        return rule.inputs;
    }
    const remote: RemoteComponent | undefined = REMOTE_COMPONENTS[type];
    if (remote) {
        return remote.replaceInputs;
    }
    return type.startsWith("kubernetes:") ? KUBERNETES_DEFAULT.inputs : [];
}

/** The input holding a type's physical name, if the program can set it. */
export function nameInputOf(type: string): string | undefined {
    return (REPLACE_ON_CHANGE[type] ?? REMOTE_COMPONENTS[type])?.nameInput ?? (type.startsWith("kubernetes:") ? KUBERNETES_DEFAULT.nameInput : undefined);
}

/** Whether the table knows the type (a plan marks the others "no replace data"). */
export function hasReplaceData(type: string): boolean {
    return type in REPLACE_ON_CHANGE || type in REMOTE_COMPONENTS || type.startsWith("kubernetes:");
}

/**
 * How the render draws a remote component: its children are created by the component's provider,
 * out of the render's sight, so it lists the ones the component is known to create and the inputs
 * that replace them.
 */
export function describeRemote(type: string): string[] {
    const remote: RemoteComponent | undefined = REMOTE_COMPONENTS[type];
    if (!remote) {
        return [];
    }
    const short = (t: string) => t.split(":").pop();
    const byChild = new Map<string, string[]>();
    for (const i of remote.replaceInputs) {
        byChild.set(i.replaces, [...(byChild.get(i.replaces) ?? []), i.path]);
    }
    return [
        `[remote component: the render cannot see its children] creates ${remote.children.map((c) => `${short(c.type)} (${c.count})`).join(", ")}`,
        ...[...byChild].map(([child, paths]) => `replaces its ${short(child)}${child === remote.primary ? " (the component as a whole)" : ""} on a change to: ${paths.join(", ")}`),
    ];
}
