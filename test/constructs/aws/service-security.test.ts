import { AwsServiceSecurity, type AwsServiceSecurityProps } from "../../../constructs/aws";
import { FAKE_NETWORK } from "./fixtures";
import { awsErrorOf, awsTestStack, instancesOf, resourcesOf, synthJson } from "../../support/synth";

describe("AwsServiceSecurity", () => {
  const props: AwsServiceSecurityProps = {
    name: "t-web",
    network: FAKE_NETWORK,
    loadBalancerType: "application",
    listeners: [{ protocol: "HTTP", port: 80, backendPort: 8080 }],
    healthCheckPort: 8081,
    allowedCidrs: ["0.0.0.0/0"],
    adminCidrs: ["192.0.2.0/26"],
  };
  const rulesOf = (tf: any) =>
    instancesOf(tf, "aws_vpc_security_group_ingress_rule")
      .map((r) => `${r.name}: ${r.body.ip_protocol}/${r.body.from_port} from ${r.body.cidr_ipv4 ?? r.body.referenced_security_group_id ?? r.body.prefix_list_id}`)
      .sort();

  it("opens listeners to clients, backends to the ALB, SSH to admins and node_exporter to the VPC (defaults)", () => {
    const stack = awsTestStack();
    new AwsServiceSecurity(stack, "Sg", props);
    const tf = synthJson(stack);
    expect(rulesOf(tf)).toEqual([
      "sg_instance_ingress: tcp/22 from 192.0.2.0/26",
      "sg_instance_ingress: tcp/9100 from 10.40.0.0/16",
      "sg_instance_ingress_from_load_balancer: tcp/8080 from ${aws_security_group.sg_load_balancer.id}",
      "sg_instance_ingress_from_load_balancer: tcp/8081 from ${aws_security_group.sg_load_balancer.id}",
      "sg_load_balancer_ingress: tcp/80 from 0.0.0.0/0",
    ]);
    const egress = instancesOf(tf, "aws_vpc_security_group_egress_rule").map((r) => `${r.name}: ${r.body.ip_protocol}/${r.body.from_port ?? "all"} to ${r.body.cidr_ipv4 ?? r.body.referenced_security_group_id}`);
    expect(egress.sort()).toEqual([
      "sg_instance_egress: -1/all to 0.0.0.0/0",
      "sg_load_balancer_egress: tcp/8080 to ${aws_security_group.sg_instances.id}",
      "sg_load_balancer_egress: tcp/8081 to ${aws_security_group.sg_instances.id}",
    ]);
    expect(resourcesOf(tf, "aws_security_group").sg_load_balancer).toMatchObject({ name: "t-web-lb", vpc_id: "vpc-1" });
  });

  it("admits clients and the VPC behind an NLB, with health checkers, monitoring and ports as given (all options)", () => {
    const stack = awsTestStack();
    new AwsServiceSecurity(stack, "Sg", {
      ...props,
      loadBalancerType: "network",
      listeners: [
        { protocol: "UDP", port: 53, backendPort: 5353 },
        { protocol: "TCP", port: 53, backendPort: 5353 },
      ],
      healthCheckPort: 5353,
      allowedCidrs: ["10.0.0.0/8"],
      monitoringCidrs: ["10.0.0.0/16"],
      nodeExporterPort: 9200,
      sshPort: 2222,
      healthCheckerPrefixListId: "pl-1",
    });
    expect(rulesOf(synthJson(stack))).toEqual([
      "sg_instance_ingress: tcp/2222 from 192.0.2.0/26",
      "sg_instance_ingress: tcp/5353 from 10.0.0.0/8",
      "sg_instance_ingress: tcp/5353 from 10.40.0.0/16",
      "sg_instance_ingress: tcp/9200 from 10.0.0.0/16",
      "sg_instance_ingress: udp/5353 from 10.0.0.0/8",
      "sg_instance_ingress: udp/5353 from 10.40.0.0/16",
      "sg_instance_ingress_from_health_checkers: tcp/5353 from pl-1",
      "sg_load_balancer_ingress: tcp/53 from 10.0.0.0/8",
      "sg_load_balancer_ingress: udp/53 from 10.0.0.0/8",
      "sg_load_balancer_ingress_from_health_checkers: tcp/53 from pl-1",
    ]);
  });

  it("refuses SSH open to the whole internet", () => {
    expect(awsErrorOf((s) => new AwsServiceSecurity(s, "Sg", { ...props, adminCidrs: ["192.0.2.0/26", "0.0.0.0/0"] }))).toBe(
      "test/Sg: adminCidrs would open SSH to the whole public IPv4 internet; list the admin networks instead",
    );
  });

  it("refuses a malformed CIDR", () => {
    expect(awsErrorOf((s) => new AwsServiceSecurity(s, "Sg", { ...props, allowedCidrs: ["10.0.0.1/8"] }))).toBe(
      'test/Sg: allowedCidrs holds "10.0.0.1/8", which is not an IPv4 network such as 192.0.2.0/26',
    );
  });
});
