import { IamPolicyDocument } from "../iamTypes";
import { boundedName, NAME_LIMITS } from "../naming";

// Spot interruption handling: the events Karpenter reacts to, delivered to an SQS queue that the
// controller polls. Mirrors the official v1.14.1 template (queue, queue policy, five rules);
// tests/contract/karpenterIam.spec.ts compares the patterns with it.

/** The queue keeps a message 5 minutes: older than that, an interruption notice is moot. */
export const INTERRUPTION_QUEUE_RETENTION_SECONDS = 300;

/** One EventBridge rule of the template, named after the template's logical id. */
export interface InterruptionRule {
    /** Short name for the Pulumi resource and the AWS rule. */
    name: string;
    /** The template's logical id, kept for traceability. */
    templateId: string;
    source: string;
    detailType: string;
}

export const INTERRUPTION_RULES: InterruptionRule[] = [
    { name: "scheduled-change", templateId: "ScheduledChangeRule", source: "aws.health", detailType: "AWS Health Event" },
    {
        name: "spot-interruption",
        templateId: "SpotInterruptionRule",
        source: "aws.ec2",
        detailType: "EC2 Spot Instance Interruption Warning",
    },
    {
        name: "rebalance",
        templateId: "RebalanceRule",
        source: "aws.ec2",
        detailType: "EC2 Instance Rebalance Recommendation",
    },
    {
        name: "instance-state-change",
        templateId: "InstanceStateChangeRule",
        source: "aws.ec2",
        detailType: "EC2 Instance State-change Notification",
    },
    {
        name: "capacity-reservation-interruption",
        templateId: "CapacityReservationInterruptionRule",
        source: "aws.ec2",
        detailType: "EC2 Capacity Reservation Instance Interruption Warning",
    },
];

/** The EventBridge pattern of a rule, as the template writes it. */
export function interruptionEventPattern(rule: InterruptionRule): { source: string[]; "detail-type": string[] } {
    return { source: [rule.source], "detail-type": [rule.detailType] };
}

/** The template names the queue after the cluster; SQS allows 80 characters. */
export function interruptionQueueName(clusterName: string): string {
    return boundedName("", clusterName, NAME_LIMITS.sqsQueue);
}

/** The EventBridge target id the template uses. */
export const INTERRUPTION_TARGET_ID = "KarpenterInterruptionQueueTarget";

/** Lets EventBridge (and SQS itself) deliver to the queue, and refuses any non-TLS access. */
export function interruptionQueuePolicy(queueArn: string): IamPolicyDocument {
    return {
        Version: "2012-10-17",
        Id: "EC2InterruptionPolicy",
        Statement: [
            {
                Sid: "AllowEventBridgeDelivery",
                Effect: "Allow",
                Principal: { Service: ["events.amazonaws.com", "sqs.amazonaws.com"] },
                Action: "sqs:SendMessage",
                Resource: queueArn,
            },
            {
                Sid: "DenyHTTP",
                Effect: "Deny",
                Action: "sqs:*",
                Resource: queueArn,
                Condition: { Bool: { "aws:SecureTransport": false } },
                Principal: "*",
            },
        ],
    };
}
