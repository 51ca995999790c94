// One timeline for an executor on a Spot node that receives its two-minute interruption notice.
// Every number is named here with its source; tests/unit/decommission.spec.ts checks the order.
//
//   t=0      EC2 sends the Spot interruption notice; the instance is reclaimed at t=120 s.
//   t<=10    Karpenter reads it from its SQS queue, taints the node and deletes its pods.
//   t<=10    kubelet runs the executor's preStop hook, Spark's /opt/decom.sh: SIGPWR to the
//            executor, which stops taking tasks and migrates its shuffle and RDD blocks.
//   t<=60    The executor exits after migrating, or Spark force-kills it at forceKillTimeout (50 s).
//            decom.sh then returns (it waits for the executor's pid, then sleeps 2 x 1 s).
//   t<=90    terminationGracePeriodSeconds (80 s from deletion) ends: kubelet SIGKILLs what is left.
//   t=120    The instance is reclaimed: 30 s of margin after the latest possible pod end.

/** EC2 gives a Spot instance two minutes' notice (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/spot-instance-termination-notices.html). */
export const SPOT_INTERRUPTION_NOTICE_SECONDS = 120;
/**
 * Time from the notice to Karpenter deleting the node's pods: EventBridge delivery to the SQS
 * queue plus Karpenter's long poll (https://karpenter.sh/docs/concepts/disruption/#interruption).
 * Not published as a bound; our budget.
 */
export const INTERRUPTION_HANDLING_BUDGET_SECONDS = 10;
/**
 * Spark's decommission script (resource-managers/kubernetes/docker/src/main/dockerfiles/spark/decom.sh,
 * installed as /opt/decom.sh and run as the executor's preStop hook when spark.decommission.enabled):
 * it waits for the executor to exit, then sleeps twice for 1 s. Spark 3.1's version capped the wait
 * at `timeout 60`; the force-kill timeout below stays under that cap so both versions behave alike.
 */
export const DECOM_SCRIPT_TRAILING_SECONDS = 2;
export const DECOM_SCRIPT_LEGACY_WAIT_CAP_SECONDS = 60;
/**
 * spark.executor.decommission.forceKillTimeout: how long a decommissioning executor may migrate
 * blocks before Spark kills it (https://spark.apache.org/docs/4.0.0/configuration.html).
 */
export const EXECUTOR_DECOMMISSION_FORCE_KILL_SECONDS = 50;
/**
 * The executor pod's terminationGracePeriodSeconds (covers preStop and SIGTERM,
 * https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/): the force-kill
 * timeout, decom.sh's trailing sleeps, and time for the JVM's shutdown hooks after SIGTERM.
 */
export const JVM_SHUTDOWN_SECONDS = 28;
export const EXECUTOR_TERMINATION_GRACE_SECONDS = EXECUTOR_DECOMMISSION_FORCE_KILL_SECONDS + DECOM_SCRIPT_TRAILING_SECONDS + JVM_SHUTDOWN_SECONDS;

/** The timeline's events, in seconds after the Spot notice, latest case. */
export function decommissionTimeline() {
    const podDeleted = INTERRUPTION_HANDLING_BUDGET_SECONDS;
    return {
        podDeleted,
        executorForceKilled: podDeleted + EXECUTOR_DECOMMISSION_FORCE_KILL_SECONDS,
        preStopDone: podDeleted + EXECUTOR_DECOMMISSION_FORCE_KILL_SECONDS + DECOM_SCRIPT_TRAILING_SECONDS,
        podKilled: podDeleted + EXECUTOR_TERMINATION_GRACE_SECONDS,
        instanceReclaimed: SPOT_INTERRUPTION_NOTICE_SECONDS,
    };
}
