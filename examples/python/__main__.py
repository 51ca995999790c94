"""Spark on EKS with Karpenter from Python: the karpenter-spark components through the SDK that
`pulumi package add ../..` generates (see README "Python, YAML, Go and .NET"). tests/package/examples.spec.ts
checks that every argument and output named here exists in the repository's schema.json."""
import pulumi
import pulumi_kubernetes as k8s
import pulumi_karpenter_spark as ks

cluster = ks.KarpenterCluster(
    "analytics",
    cluster_name="analytics",
    nat_gateways=ks.NatGatewayStrategy.ONE_PER_AZ,
    endpoint_public_access_cidrs=["198.51.100.0/24"],
    system_node_count=2,
)
# A provider cannot be a component output: build the Kubernetes provider from the kubeconfig.
k8s_provider = k8s.Provider("analytics-k8s", kubeconfig=cluster.kubeconfig)

pools = ks.SpotExecutorPool(
    "spark",
    cluster_name=cluster.cluster_name,
    node_role_name=cluster.node_role_name,
    executor_instance_categories=[ks.InstanceCategory.C, ks.InstanceCategory.M, ks.InstanceCategory.R],
    executor_cpu_limit=500,
    # NodePools go after Karpenter and are deleted before it.
    opts=pulumi.ResourceOptions(providers={"kubernetes": k8s_provider}, depends_on=[cluster]),
)

spark = ks.SparkOperator(
    "spark",
    cluster_name=cluster.cluster_name,
    kubernetes_version=cluster.kubernetes_version,
    deploy_example=True,
    driver_placement=pools.driver_placement,
    executor_placement=pools.executor_placement,
    system_node_selector=cluster.system_node_selector,
    system_tolerations=cluster.system_tolerations,
    opts=pulumi.ResourceOptions(providers={"kubernetes": k8s_provider}, depends_on=[pools]),
)

pulumi.export("kubeconfig", cluster.kubeconfig)
pulumi.export("executor_node_pool", pools.executor_node_pool_name)
pulumi.export("event_log_bucket", spark.event_log_bucket_name)
