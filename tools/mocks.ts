// The one mock engine of the project, used by `npm run render` and by every test, so that the
// tests exercise exactly what users render. It answers the SDK the way the Pulumi engine and the
// providers would, without a cloud: remote components (@pulumi/eks, awsx.ec2.Vpc) get the outputs
// the components read, plain resources echo their inputs plus what their provider computes, and
// invokes answer for one fake account. Unknown resource types and invoke tokens fail loudly: a
// silent empty answer would leave outputs unknown and hang whoever awaits them.
//
// It also records every registration exactly as the SDK sends it to the engine (inputs,
// dependencies, parent, provider, options), which the render writes out and the ordering and
// blast-radius tests read.
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";

export const MOCK_ACCOUNT_ID = "123456789012";

/** One `RegisterResource` call, as the SDK sent it. */
export interface Registration {
    urn: string;
    type: string;
    name: string;
    parent?: string;
    custom: boolean;
    remote: boolean;
    /** URN of the provider resource (custom resources only). */
    provider?: string;
    /** URNs of every resource this one depends on (explicit dependsOn and implicit through inputs). */
    dependencies: string[];
    /** Inputs as plain JSON: outputs resolved, secrets "[secret]", resource references by URN. */
    inputs: Record<string, unknown>;
    /** What the (mock) provider returned as the resource's state, in the same form. */
    outputs: Record<string, unknown>;
    options: {
        protect?: boolean;
        retainOnDelete?: boolean;
        deleteBeforeReplace?: boolean;
        ignoreChanges?: string[];
        replaceOnChanges?: string[];
        deletedWith?: string;
        /** customTimeouts, as Go durations ("70m"). */
        customTimeouts?: { create?: string; update?: string; delete?: string };
        /** Earlier URNs of this resource (`aliases`), resolved to full URNs. */
        aliases?: string[];
    };
}

/** One `ReadResource` call (e.g. a StackReference). */
export interface Read {
    urn: string;
    type: string;
    name: string;
    id: string;
}

export class Recorder {
    readonly registrations: Registration[] = [];
    readonly reads: Read[] = [];
}

// The SDK's wire encoding of special values (sdk/nodejs/runtime/rpc.ts).
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Converts a serialized property value into plain JSON for resources.json. */
export function plainJson(value: unknown): unknown {
    if (value === UNKNOWN) {
        return "[unknown]";
    }
    if (Array.isArray(value)) {
        return value.map(plainJson);
    }
    if (value && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        if (obj[SIG_KEY] === SECRET_SIG) {
            return "[secret]";
        }
        if (obj[SIG_KEY] === RESOURCE_SIG) {
            return obj.urn;
        }
        return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, plainJson(v)]));
    }
    return value;
}

/** Fabricated identifiers derive from what they identify, so that every render is the same. */
function hex(seed: string, length: number): string {
    return createHash("sha1").update(seed).digest("hex").slice(0, length);
}

/** Pulumi's auto-naming appends 7 random hex characters. */
function autoName(urn: string, name: string): string {
    return `${name}-${hex(urn, 7)}`;
}

function partitionOf(region: string): { partition: string; dnsSuffix: string } {
    if (region.startsWith("cn-")) {
        return { partition: "aws-cn", dnsSuffix: "amazonaws.com.cn" };
    }
    if (region.startsWith("us-gov-")) {
        return { partition: "aws-us-gov", dnsSuffix: "amazonaws.com" };
    }
    return { partition: "aws", dnsSuffix: "amazonaws.com" };
}

type State = Record<string, unknown>;
type Fabricate = (args: { urn: string; name: string; inputs: State; ctx: MockContext }) => { id?: string; state: State };

interface MockContext {
    region: string;
    partition: string;
    account: string;
    /** Chart versions Helm reports for releases whose upgrade "failed" (release name to version). */
    deployedChartVersions: Record<string, string>;
}

const echo: Fabricate = ({ urn, inputs }) => ({ id: hex(urn, 12), state: inputs });

function arn(ctx: MockContext, service: string, resource: string, regional = true): string {
    return `arn:${ctx.partition}:${service}:${regional ? ctx.region : ""}:${ctx.account}:${resource}`;
}

function fakeKubeconfig(clusterName: string, endpoint: string): string {
    return JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: clusterName, cluster: { server: endpoint, "certificate-authority-data": "bW9jaw==" } }],
        contexts: [{ name: clusterName, context: { cluster: clusterName, user: clusterName } }],
        "current-context": clusterName,
        users: [{ name: clusterName, user: { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws", args: ["eks", "get-token", "--cluster-name", clusterName] } } }],
    });
}

/** What each resource type's provider (or remote component) would return. */
const RESOURCES: Record<string, Fabricate> = {
    // Remote components: one opaque registration whose outputs the mocks must supply.
    "awsx:ec2:Vpc": ({ urn, inputs }) => {
        const zones = Number(inputs.numberOfAvailabilityZones ?? 3);
        const ids = (kind: string) => Array.from({ length: zones }, (_, i) => `subnet-${kind}${hex(`${urn}${kind}${i}`, 12)}`);
        return {
            id: "",
            state: { vpcId: `vpc-${hex(urn, 12)}`, privateSubnetIds: ids("a"), publicSubnetIds: ids("b"), isolatedSubnetIds: [] },
        };
    },
    "eks:index:Cluster": ({ inputs, ctx }) => {
        const name = String(inputs.name);
        const endpoint = `https://${hex(name, 32).toUpperCase()}.gr7.${ctx.region}.eks.amazonaws.com`;
        const issuer = `https://oidc.eks.${ctx.region}.amazonaws.com/id/${hex(`oidc${name}`, 32).toUpperCase()}`;
        return {
            id: "",
            state: {
                eksCluster: {
                    name,
                    arn: arn(ctx, "eks", `cluster/${name}`),
                    endpoint,
                    version: inputs.version,
                    vpcConfig: { clusterSecurityGroupId: `sg-${hex(name, 17)}` },
                },
                kubeconfigJson: pulumi.secret(fakeKubeconfig(name, endpoint)),
                oidcIssuer: issuer,
                oidcProviderUrl: issuer.replace("https://", ""),
                oidcProviderArn: `arn:${ctx.partition}:iam::${ctx.account}:oidc-provider/${issuer.replace("https://", "")}`,
            },
        };
    },
    "eks:index:ManagedNodeGroup": ({ urn, inputs, ctx }) => {
        // A name prefix gets 26 characters appended, as the provider's unique-ID helper does.
        const nodeGroupName = String(inputs.nodeGroupName ?? `${inputs.nodeGroupNamePrefix ?? ""}${hex(urn, 26)}`);
        return { id: "", state: { nodeGroup: { nodeGroupName, arn: arn(ctx, "eks", `nodegroup/${nodeGroupName}`), status: "ACTIVE" } } };
    },

    "pulumi:providers:kubernetes": echo,
    "aws:ec2/tag:Tag": echo,
    "aws:kms/key:Key": ({ urn, inputs, ctx }) => {
        const keyId = hex(urn, 32);
        return { id: keyId, state: { ...inputs, keyId, arn: arn(ctx, "kms", `key/${keyId}`) } };
    },
    "aws:iam/role:Role": ({ urn, name, inputs, ctx }) => {
        const roleName = String(inputs.name ?? autoName(urn, name));
        return { id: roleName, state: { ...inputs, name: roleName, arn: `arn:${ctx.partition}:iam::${ctx.account}:role/${roleName}` } };
    },
    "aws:iam/policy:Policy": ({ urn, name, inputs, ctx }) => {
        const policyName = String(inputs.name ?? autoName(urn, name));
        const policyArn = `arn:${ctx.partition}:iam::${ctx.account}:policy/${policyName}`;
        return { id: policyArn, state: { ...inputs, name: policyName, arn: policyArn } };
    },
    "aws:iam/rolePolicy:RolePolicy": echo,
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": echo,
    "aws:eks/addon:Addon": ({ urn, inputs, ctx }) => ({ id: hex(urn, 12), state: { ...inputs, arn: arn(ctx, "eks", `addon/${inputs.addonName}`) } }),
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": echo,
    "aws:eks/accessEntry:AccessEntry": ({ urn, inputs, ctx }) => ({ id: hex(urn, 12), state: { ...inputs, accessEntryArn: arn(ctx, "eks", "access-entry/node") } }),
    "aws:eks/podIdentityAssociation:PodIdentityAssociation": ({ urn, inputs, ctx }) => {
        const id = `a-${hex(urn, 17)}`;
        return { id, state: { ...inputs, associationId: id, associationArn: arn(ctx, "eks", `podidentityassociation/${id}`) } };
    },
    "aws:sqs/queue:Queue": ({ urn, name, inputs, ctx }) => {
        const queueName = String(inputs.name ?? autoName(urn, name));
        const url = `https://sqs.${ctx.region}.amazonaws.com/${ctx.account}/${queueName}`;
        return { id: url, state: { ...inputs, name: queueName, url, arn: arn(ctx, "sqs", queueName) } };
    },
    "aws:sqs/queuePolicy:QueuePolicy": echo,
    "aws:cloudwatch/eventRule:EventRule": ({ urn, name, inputs, ctx }) => {
        const ruleName = String(inputs.name ?? autoName(urn, name));
        return { id: ruleName, state: { ...inputs, name: ruleName, arn: arn(ctx, "events", `rule/${ruleName}`) } };
    },
    "aws:cloudwatch/eventTarget:EventTarget": echo,
    "aws:s3/bucket:Bucket": ({ urn, name, inputs, ctx }) => {
        const bucket = String(inputs.bucket ?? autoName(urn, name));
        return { id: bucket, state: { ...inputs, bucket, arn: `arn:${ctx.partition}:s3:::${bucket}` } };
    },
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": echo,
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": echo,
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": echo,
    "aws:s3/bucketVersioning:BucketVersioning": echo,
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": echo,
    "aws:s3/bucketPolicy:BucketPolicy": echo,
    "aws:s3/bucketObjectv2:BucketObjectv2": echo,
    "aws:ec2/vpcEndpoint:VpcEndpoint": ({ urn, inputs }) => ({ id: `vpce-${hex(urn, 17)}`, state: { ...inputs, prefixListId: `pl-${hex(urn, 8)}`, state: "available" } }),
    "kubernetes:helm.sh/v3:Release": ({ inputs, ctx }) => ({
        id: `${inputs.namespace}/${inputs.name}`,
        state: {
            ...inputs,
            status: { name: inputs.name, namespace: inputs.namespace, version: ctx.deployedChartVersions[String(inputs.name)] ?? inputs.version, status: "deployed" },
        },
    }),
    "kubernetes:core/v1:Namespace": echo,
    "kubernetes:core/v1:ServiceAccount": echo,
    "kubernetes:core/v1:Service": echo,
    "kubernetes:apps/v1:Deployment": echo,
    "kubernetes:karpenter.sh/v1:NodePool": echo,
    "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass": echo,
    "kubernetes:sparkoperator.k8s.io/v1beta2:SparkApplication": echo,
    "kubernetes:sparkoperator.k8s.io/v1beta2:ScheduledSparkApplication": echo,
    "kubernetes:monitoring.coreos.com/v1:PodMonitor": echo,
    "kubernetes:networking.k8s.io/v1:Ingress": echo,
    "kubernetes:rbac.authorization.k8s.io/v1:Role": echo,
    "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": echo,
};

/** Component types whose registration carries no state of its own. */
const LOCAL_COMPONENTS = new Set([
    "pulumi:pulumi:Stack",
    "karpenter-spark:index:KarpenterCluster",
    "karpenter-spark:index:SpotExecutorPool",
    "karpenter-spark:index:SparkOperator",
    "karpenter-spark:index:SparkJob",
]);

export interface MockOptions {
    region: string;
    /** Outputs of the stack's last deployment, returned to a StackReference that reads the stack itself. */
    previousOutputs?: Record<string, unknown>;
    /**
     * Answer as the engine does in a preview of a new stack: a resource's state is its inputs,
     * and everything its provider would compute (ids, ARNs, auto-names, remote components'
     * outputs) is unknown.
     */
    preview?: boolean;
    /** Helm releases that stay at another chart version than asked (a failed upgrade): release name to version. */
    deployedChartVersions?: Record<string, string>;
    /** Tags of existing subnets, for aws.ec2.getSubnet (subnet ID to tags); other IDs have no tags. */
    subnetTags?: Record<string, Record<string, string>>;
}

/**
 * EKS AL2023 AMI releases the offline render knows, with the Kubernetes minors each was built for:
 * the "AMI Release" entries of awslabs/amazon-eks-ami CHANGELOG.md at commit 81fec2e (2026-07-23)
 * and their "Kubernetes 1.xx" sections. A release not listed fails the SSM lookup, as
 * ParameterNotFound does on AWS.
 */
export const KNOWN_AL2023_RELEASES: Record<string, [number, number]> = {
    v20260714: [30, 36],
    v20260625: [30, 36],
    v20260618: [30, 36],
    v20260610: [30, 36],
    v20260505: [30, 35],
    v20260423: [30, 35],
    v20260415: [30, 35],
    v20260409: [30, 35],
};

const AL2023_PARAMETER = /^\/aws\/service\/eks\/optimized-ami\/1\.(\d+)\/amazon-linux-2023\/(x86_64|arm64)\/standard\/amazon-eks-node-al2023-\2-standard-1\.\1-(v\d{8})\/image_id$/;

function ssmParameter(name: string): string {
    const m = AL2023_PARAMETER.exec(name);
    const known = m && KNOWN_AL2023_RELEASES[m[3]];
    if (!m || !known || Number(m[1]) < known[0] || Number(m[1]) > known[1]) {
        throw new Error(`ParameterNotFound: ${name}`);
    }
    return `ami-${hex(name, 17)}`;
}

/**
 * Default versions of EKS add-ons per Kubernetes minor, in the form DescribeAddonVersions returns
 * them. Fabricated for the offline render (no AWS call): what matters to the tests is that each
 * Kubernetes minor resolves to its own versions and an unknown minor fails as the real invoke does.
 */
function addonVersion(addonName: string, kubernetesVersion: string): string {
    const minor = Number(/^1\.(\d+)$/.exec(kubernetesVersion)?.[1]);
    if (!(minor >= 26 && minor <= 36)) {
        throw new Error(`no add-on version of ${addonName} for Kubernetes ${kubernetesVersion} (DescribeAddonVersions returned none)`);
    }
    const base: Record<string, string> = { "vpc-cni": "v1.20.0", "kube-proxy": `v1.${minor}.0`, coredns: "v1.12.1", "eks-pod-identity-agent": "v1.3.8" };
    if (!(addonName in base)) {
        throw new Error(`tools/mocks.ts knows no add-on ${addonName}`);
    }
    return `${base[addonName]}-eksbuild.${minor - 25}`;
}

export function createMocks(opts: MockOptions): pulumi.runtime.Mocks {
    const ctx: MockContext = { region: opts.region, account: MOCK_ACCOUNT_ID, deployedChartVersions: opts.deployedChartVersions ?? {}, ...partitionOf(opts.region) };
    return {
        newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
            if (LOCAL_COMPONENTS.has(args.type)) {
                return { id: undefined, state: {} };
            }
            if (args.type === "pulumi:pulumi:StackReference") {
                return { id: args.id ?? args.name, state: { name: args.inputs.name, outputs: opts.previousOutputs ?? {}, secretOutputNames: [] } };
            }
            const fabricate = RESOURCES[args.type];
            if (!fabricate) {
                throw new Error(`tools/mocks.ts has no outputs for resource type ${args.type} (${args.name}); add it to RESOURCES`);
            }
            const urn = `${args.type}::${args.name}`;
            const { id, state } = fabricate({ urn, name: args.name, inputs: args.inputs, ctx });
            if (opts.preview) {
                const computed = Object.keys(state).filter((k) => !(k in args.inputs));
                return { id: "", state: { ...args.inputs, ...Object.fromEntries(computed.map((k) => [k, UNKNOWN])) } };
            }
            return { id: id ?? "", state };
        },
        call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
            switch (args.token) {
                case "aws:index/getCallerIdentity:getCallerIdentity":
                    return { accountId: ctx.account, arn: `arn:${ctx.partition}:iam::${ctx.account}:user/render`, userId: "AIDAMOCKRENDER", id: ctx.account };
                case "aws:index/getPartition:getPartition":
                    return { partition: ctx.partition, dnsSuffix: partitionOf(ctx.region).dnsSuffix, reverseDnsPrefix: "com.amazonaws", id: ctx.partition };
                case "aws:ec2/getRouteTables:getRouteTables": {
                    // One route table per subnet it is associated with, named after the subnet.
                    const filter = ((args.inputs.filters ?? []) as { name: string; values: string[] }[]).find((f) => f.name === "association.subnet-id");
                    const ids = (filter?.values ?? []).map((subnet) => `rtb-${hex(subnet, 17)}`);
                    return { vpcId: args.inputs.vpcId, ids, id: String(args.inputs.vpcId) };
                }
                case "aws:index/getRegion:getRegion":
                    return { region: ctx.region, name: ctx.region, endpoint: `ec2.${ctx.region}.amazonaws.com`, description: ctx.region, id: ctx.region };
                case "aws:eks/getAddonVersion:getAddonVersion":
                    return { ...args.inputs, version: addonVersion(String(args.inputs.addonName), String(args.inputs.kubernetesVersion)), id: String(args.inputs.addonName) };
                case "aws:ssm/getParameter:getParameter": {
                    const name = String(args.inputs.name);
                    return { id: name, name, arn: arn(ctx, "ssm", `parameter${name}`), type: "String", value: ssmParameter(name), version: 1, insecureValue: "", withDecryption: true };
                }
                case "aws:ec2/getSubnet:getSubnet": {
                    const id = String(args.inputs.id);
                    return { id, tags: opts.subnetTags?.[id] ?? {}, vpcId: `vpc-${hex(id, 12)}`, availabilityZone: `${ctx.region}a` };
                }
                default:
                    throw new Error(`tools/mocks.ts does not answer invoke ${args.token}; add it to createMocks`);
            }
        },
    };
}

interface MonitorRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getRemote(): boolean;
    getProvider(): string;
    getDependenciesList(): string[];
    getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
    getProtect(): boolean;
    getRetainondelete(): boolean;
    getDeletebeforereplace(): boolean;
    getIgnorechangesList(): string[];
    getReplaceonchangesList(): string[];
    getDeletedwith(): string;
    getAliasesList?(): { toObject(): AliasObject }[];
    getCustomtimeouts?(): { toObject(): { create: string; update: string; pb_delete?: string; delete?: string } } | undefined;
    getAliasurnsList?(): string[];
    getId?(): string;
    getProperties?(): unknown;
}

function customTimeouts(req: MonitorRequest): Registration["options"]["customTimeouts"] {
    const t = req.getCustomtimeouts?.()?.toObject();
    if (!t) {
        return undefined;
    }
    const out = { create: t.create || undefined, update: t.update || undefined, delete: (t.pb_delete ?? t.delete) || undefined };
    return out.create || out.update || out.delete ? out : undefined;
}

interface AliasObject {
    urn: string;
    spec?: { name: string; type: string; stack: string; project: string; parenturn: string; noparent: boolean };
}

/** The URN an alias names, as the engine resolves it (missing fields default to the resource's own). */
export function aliasUrn(alias: AliasObject, self: { type: string; name: string; parent?: string; project: string; stack: string }): string {
    if (alias.urn) {
        return alias.urn;
    }
    const spec = alias.spec ?? { name: "", type: "", stack: "", project: "", parenturn: "", noparent: false };
    const parent = spec.noparent ? "" : spec.parenturn || self.parent || "";
    const parentType = parent.split("::")[2];
    const chain = parent && parentType !== "pulumi:pulumi:Stack" ? `${parentType}$` : "";
    return `urn:pulumi:${spec.stack || self.stack}::${spec.project || self.project}::${chain}${spec.type || self.type}::${spec.name || self.name}`;
}

/**
 * Installs the mocks and a recorder around the mock monitor. Call once per evaluation: it
 * replaces the SDK's monitor and configuration.
 */
export async function installMocks(p: {
    project: string;
    stack: string;
    config: Record<string, string>;
    mocks: MockOptions;
}): Promise<Recorder> {
    pulumi.runtime.setAllConfig(p.config);
    // "organization" is what the DIY backends call every stack's organization.
    await pulumi.runtime.setMocks(createMocks(p.mocks), p.project, p.stack, p.mocks.preview ?? false, "organization");
    const recorder = new Recorder();
    // The mock monitor is the SDK's own (runtime/mocks.ts); these are its internal methods.
    const monitor = pulumi.runtime.getMonitor() as unknown as {
        newUrn(parent: string, type: string, name: string): string;
        registerResource(req: MonitorRequest, cb: (err: unknown, resp?: { getUrn(): string; getObject(): { toJavaScript(): Record<string, unknown> } | undefined }) => void): void;
        readResource(req: MonitorRequest, cb: (err: unknown, resp?: { getUrn(): string }) => void): void;
    };
    const newUrn = monitor.newUrn.bind(monitor);
    // The engine leaves the root stack out of its children's type chain; so do we, so that the
    // URNs in resources.json are the ones `pulumi up` would create.
    monitor.newUrn = (parent, type, name) => newUrn(parent && parent.split("::")[2] !== "pulumi:pulumi:Stack" ? parent : "", type, name);
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, cb) =>
        register(req, (err, resp) => {
            if (!err && resp) {
                const self = { type: req.getType(), name: req.getName(), parent: req.getParent() || undefined, project: p.project, stack: p.stack };
                const aliases = [
                    ...(req.getAliasesList?.() ?? []).map((a) => aliasUrn(a.toObject(), self)),
                    ...(req.getAliasurnsList?.() ?? []),
                ];
                recorder.registrations.push({
                    urn: resp.getUrn(),
                    type: req.getType(),
                    name: req.getName(),
                    parent: req.getParent() || undefined,
                    custom: req.getCustom(),
                    remote: req.getRemote(),
                    provider: req.getProvider() ? req.getProvider().split("::").slice(0, -1).join("::") : undefined,
                    dependencies: [...new Set(req.getDependenciesList())].sort(),
                    inputs: plainJson(req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
                    outputs: plainJson(resp.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
                    options: {
                        protect: req.getProtect() || undefined,
                        retainOnDelete: req.getRetainondelete() || undefined,
                        deleteBeforeReplace: req.getDeletebeforereplace() || undefined,
                        ignoreChanges: req.getIgnorechangesList().length ? req.getIgnorechangesList() : undefined,
                        replaceOnChanges: req.getReplaceonchangesList().length ? req.getReplaceonchangesList() : undefined,
                        deletedWith: req.getDeletedwith() || undefined,
                        customTimeouts: customTimeouts(req),
                        aliases: aliases.length ? [...new Set(aliases)] : undefined,
                    },
                });
            }
            cb(err, resp);
        });
    const read = monitor.readResource.bind(monitor);
    monitor.readResource = (req, cb) =>
        read(req, (err, resp) => {
            if (!err && resp) {
                recorder.reads.push({ urn: resp.getUrn(), type: req.getType(), name: req.getName(), id: req.getId?.() ?? "" });
            }
            cb(err, resp);
        });
    return recorder;
}
