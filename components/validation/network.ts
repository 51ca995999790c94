import { Problem } from "./index";

// Network inputs EC2 and EKS reject, or accept but leave the deployer unable to reach the cluster.

/** An IPv4 CIDR parsed: the address as an unsigned 32-bit number and the prefix length. */
export interface Cidr {
    address: number;
    prefix: number;
}

const CIDR_FORM = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

export function parseCidr(text: unknown): Cidr | undefined {
    const m = typeof text === "string" ? CIDR_FORM.exec(text) : null;
    if (!m) {
        return undefined;
    }
    const octets = m.slice(1, 5).map(Number);
    const prefix = Number(m[5]);
    // Leading zeros read as octal in some parsers: refused rather than guessed.
    if (octets.some((o) => o > 255) || m.slice(1, 6).some((part) => part.length > 1 && part.startsWith("0")) || prefix > 32) {
        return undefined;
    }
    return { address: octets.reduce((a, o) => a * 256 + o, 0), prefix };
}

const size = (prefix: number) => 2 ** (32 - prefix);
const networkOf = (c: Cidr) => c.address - (c.address % size(c.prefix));
const dotted = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");
const contains = (outer: Cidr, inner: Cidr) => inner.prefix >= outer.prefix && networkOf({ address: inner.address, prefix: outer.prefix }) === networkOf(outer);

/** A CIDR with host bits set (`10.0.0.5/16`) written as its network (`10.0.0.0/16`). */
export function canonicalCidr(c: Cidr): string {
    return `${dotted(networkOf(c))}/${c.prefix}`;
}

/**
 * Ranges that are not reachable public internet addresses, each with the RFC that reserves it
 * (IANA IPv4 Special-Purpose Address Registry, https://www.iana.org/assignments/iana-ipv4-special-registry).
 */
export const NON_PUBLIC_RANGES: { cidr: string; what: string }[] = [
    { cidr: "0.0.0.0/8", what: '"this network" (RFC 1122)' },
    { cidr: "10.0.0.0/8", what: "private (RFC 1918)" },
    { cidr: "100.64.0.0/10", what: "carrier-grade NAT (RFC 6598)" },
    { cidr: "127.0.0.0/8", what: "loopback (RFC 1122)" },
    { cidr: "169.254.0.0/16", what: "link-local (RFC 3927)" },
    { cidr: "172.16.0.0/12", what: "private (RFC 1918)" },
    { cidr: "192.0.0.0/24", what: "IETF protocol assignments (RFC 6890)" },
    { cidr: "192.0.2.0/24", what: "documentation, TEST-NET-1 (RFC 5737)" },
    { cidr: "192.168.0.0/16", what: "private (RFC 1918)" },
    { cidr: "198.18.0.0/15", what: "benchmarking (RFC 2544)" },
    { cidr: "198.51.100.0/24", what: "documentation, TEST-NET-2 (RFC 5737)" },
    { cidr: "203.0.113.0/24", what: "documentation, TEST-NET-3 (RFC 5737)" },
    { cidr: "224.0.0.0/4", what: "multicast (RFC 5771)" },
    { cidr: "240.0.0.0/4", what: "reserved (RFC 1112)" },
];
const NON_PUBLIC = NON_PUBLIC_RANGES.map((r) => ({ ...r, parsed: parseCidr(r.cidr) as Cidr }));

/** EKS's quota of public access CIDR blocks per cluster (not adjustable): https://docs.aws.amazon.com/eks/latest/userguide/service-quotas.html */
export const EKS_MAX_PUBLIC_ACCESS_CIDRS = 40;

/** What a deployer sets instead of a placeholder: the two set-ups in which `pulumi up` reaches the API server. */
export const PUBLIC_ACCESS_CIDRS_ALLOWED =
    "the public egress CIDR of the deployer that runs `pulumi up` and kubectl (office or VPN egress, CI runners' NAT; " +
    "`curl https://checkip.amazonaws.com` shows yours, add /32), or [] for private-only access with existingVpcId and the deployer inside that VPC; " +
    '["0.0.0.0/0"] opens the endpoint to the internet (dev only)';

/**
 * The public API endpoint's allow-list: valid canonical blocks, public addresses (a private,
 * documentation or reserved block can never match the deployer's source address, so every
 * Kubernetes resource would time out mid-deployment), distinct, within EKS's quota. An empty list
 * means a private endpoint, which a deployer outside the VPC cannot reach either: it is accepted
 * only for an existing VPC the deployer is connected to.
 * https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html
 */
export function publicAccessCidrProblems(subject: string, value: unknown, existingVpc: boolean): Problem[] {
    if (!Array.isArray(value)) {
        return [{ subject, value, allowed: `a list of IPv4 CIDR blocks: ${PUBLIC_ACCESS_CIDRS_ALLOWED}` }];
    }
    const problems: Problem[] = [];
    if (value.length === 0 && !existingVpc) {
        problems.push({
            subject,
            value,
            allowed:
                `at least one block while the component creates the VPC: an empty list makes the API endpoint private, reachable only from inside the new VPC, ` +
                `so \`pulumi up\` (outside it) could not create any Kubernetes resource; set ${PUBLIC_ACCESS_CIDRS_ALLOWED}`,
        });
    }
    if (value.length > EKS_MAX_PUBLIC_ACCESS_CIDRS) {
        problems.push({ subject, value: `${value.length} blocks`, allowed: `at most ${EKS_MAX_PUBLIC_ACCESS_CIDRS} blocks (EKS's per-cluster quota); merge neighbouring blocks` });
    }
    if (new Set(value).size !== value.length) {
        problems.push({ subject, value, allowed: "distinct blocks (each at most once)" });
    }
    value.forEach((item, i) => {
        const at = `${subject}[${i}]`;
        const c = parseCidr(item);
        if (!c) {
            problems.push({ subject: at, value: item, allowed: `an IPv4 CIDR block such as "52.94.133.0/24": four numbers 0-255 and a prefix 0-32` });
            return;
        }
        if (canonicalCidr(c) !== item) {
            problems.push({ subject: at, value: item, allowed: `a block written as its network address (did you mean ${JSON.stringify(canonicalCidr(c))}?)` });
            return;
        }
        if (c.prefix === 0) {
            return; // 0.0.0.0/0: open to the internet, EKS's own default
        }
        const reserved = NON_PUBLIC.find((r) => contains(r.parsed, c) || contains(c, r.parsed));
        if (reserved) {
            problems.push({
                subject: at,
                value: item,
                allowed: `a public range; ${reserved.cidr} is ${reserved.what}${reserved.what.startsWith("documentation") ? ", a placeholder" : ""} and never the source address of a deployer on the internet. Set ${PUBLIC_ACCESS_CIDRS_ALLOWED}`,
            });
        }
    });
    return problems;
}

/** The subnets KarpenterCluster lays out per availability zone (awsx "Auto" strategy, in order). */
export const SUBNET_MASKS = { private: 19, public: 22 } as const;

/**
 * The VPC block: a canonical IPv4 CIDR within EC2's /16 to /28
 * (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html) and large enough for a
 * /19 private and a /22 public subnet in each zone.
 */
export function vpcCidrProblems(subject: string, value: unknown, zones: number): Problem[] {
    const c = parseCidr(value);
    const perZone = size(SUBNET_MASKS.private) + size(SUBNET_MASKS.public);
    const fits = `large enough for ${zones} zones x (a /${SUBNET_MASKS.private} private + a /${SUBNET_MASKS.public} public subnet) = ${zones * perZone} addresses`;
    if (!c) {
        return [{ subject, value, allowed: `an IPv4 CIDR block from /16 to /28 such as "10.0.0.0/16", ${fits}` }];
    }
    if (canonicalCidr(c) !== value) {
        return [{ subject, value, allowed: `a block written as its network address (did you mean ${JSON.stringify(canonicalCidr(c))}?)` }];
    }
    if (c.prefix < 16 || c.prefix > 28) {
        return [{ subject, value, allowed: `a prefix from /16 to /28 (EC2's VPC block sizes); "${dotted(c.address)}/16" is the largest, ${fits}` }];
    }
    if (zones * perZone > size(c.prefix)) {
        const needed = [16, 17, 18].find((p) => size(p) >= zones * perZone) ?? 16;
        return [{ subject, value, allowed: `a block ${fits}; a /${c.prefix} has ${size(c.prefix)}: use a /${needed} such as "${dotted(networkOf({ address: c.address, prefix: needed }))}/${needed}", or fewer zones` }];
    }
    return [];
}

/** EC2 resource ids: `vpc-` / `subnet-` and 8 or 17 hex digits (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html). */
export const VPC_ID = /^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/;
export const SUBNET_ID = /^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/;

/** An existing VPC and its subnets, where the values are known (plain strings, not Outputs). */
export function existingNetworkProblems(vpcId: unknown, subnetIds: unknown): Problem[] {
    const problems: Problem[] = [];
    if ((vpcId === undefined) !== (subnetIds === undefined)) {
        problems.push({
            subject: vpcId === undefined ? "existingVpcId" : "existingPrivateSubnetIds",
            value: vpcId === undefined ? vpcId : subnetIds,
            allowed: "existingVpcId and existingPrivateSubnetIds together, or neither (to create a VPC)",
        });
    }
    if (typeof vpcId === "string" && !VPC_ID.test(vpcId)) {
        problems.push({ subject: "existingVpcId", value: vpcId, allowed: 'a VPC id: "vpc-" and 8 or 17 hexadecimal digits, e.g. "vpc-0a1b2c3d4e5f67890"' });
    }
    if (subnetIds !== undefined) {
        if (!Array.isArray(subnetIds) || subnetIds.length < 2) {
            problems.push({ subject: "existingPrivateSubnetIds", value: subnetIds, allowed: "at least 2 subnets, in different availability zones (EKS requires two zones)" });
        } else {
            const known = subnetIds.filter((s): s is string => typeof s === "string");
            if (new Set(known).size !== known.length) {
                problems.push({ subject: "existingPrivateSubnetIds", value: subnetIds, allowed: "distinct subnet ids (EKS requires subnets in at least two zones)" });
            }
            subnetIds.forEach((s, i) => {
                if (typeof s === "string" && !SUBNET_ID.test(s)) {
                    problems.push({ subject: `existingPrivateSubnetIds[${i}]`, value: s, allowed: 'a subnet id: "subnet-" and 8 or 17 hexadecimal digits' });
                }
            });
        }
    }
    return problems;
}
